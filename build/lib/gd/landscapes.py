"""Descent on any loss you can write down, not only a line's.

`fit` and `train` descend the loss of a straight line, a bowl with one lowest
point. Other losses have several valleys, bumps and saddles; to explore them
we need the course's loop (``zero_grad``, ``backward``, ``step``) on a function
of the parameters themselves. `descend` is that loop. It returns a `History`
like `fit` does, so `plot_losses` and `sweep` (and so the explorer) work with
it unchanged.
"""

import math
import warnings

import torch

from gd.checks import require_int, require_tensor
from gd.descent import History


def descend(f, start, *, optimizer=torch.optim.SGD, steps=100, **settings):
    """Minimise ``f(w)`` from ``w = start`` with ``optimizer([w], **settings)``.

    f:        a function of the parameter vector `w` (a 1-D tensor shaped like
              `start`) that returns its loss as a one-element tensor, built
              from torch operations so that autograd can differentiate it.
    start:    the first point: a 1-D tensor or a list of numbers. Never modified.
    settings: the optimizer's own, e.g. ``lr=0.1`` or ``lr=0.1, momentum=0.9``.

    Returns a History: ``f(w)`` before each step, and every point visited
    (``params`` has shape ``(steps + 1, len(start))``). When the loss or the
    point stops being finite it warns (RuntimeWarning), stops, and sets
    ``diverged``.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of the parameters; got {type(f).__name__}")
    start = torch.as_tensor(start, dtype=start.dtype if torch.is_tensor(start) else torch.float32)
    require_tensor("start", start, ndim=1)
    require_int("steps", steps, minimum=0)
    # Our own copy, as a Parameter: the optimizer updates it in place.
    w = torch.nn.Parameter(start.detach().clone())
    opt = optimizer([w], **settings)
    losses, params = [], [w.detach().clone()]
    for step in range(steps):
        opt.zero_grad()
        loss = f(w)
        _require_one_number("f", loss)
        loss.backward()
        opt.step()
        value, point = loss.item(), w.detach().clone()
        if not (math.isfinite(value) and torch.isfinite(point).all()):
            warnings.warn(f"descent diverged at step {step}: try a smaller lr", RuntimeWarning, stacklevel=2)
            return History(losses, torch.stack(params), diverged=True, lr=settings.get("lr"))
        losses.append(value)
        params.append(point)
    return History(losses, torch.stack(params), diverged=False, lr=settings.get("lr"))


def _require_one_number(name, value):
    if not torch.is_tensor(value):
        raise TypeError(f"{name} must return its loss as a tensor; got {type(value).__name__}")
    if value.numel() != 1:
        raise ValueError(f"{name} must return one number; got a tensor of shape {tuple(value.shape)}")
