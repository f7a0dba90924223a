"""Descent on any loss you can write down, not only a line's.

`fit` and `train` descend the loss of a straight line, a bowl with one lowest
point. Other losses have several valleys, bumps and saddles; to explore them
we need the course's loop (``zero_grad``, ``backward``, ``step``) on a function
of the parameters themselves. `descend` is that loop, for torch.optim's
optimizers and for gd's own alike. It returns a `History` like `fit` does, so
`plot_losses` and `sweep` (and so the explorer) work with it unchanged.
"""

import math

import torch

from gd.checks import as_loss_value, as_params, require_callable, require_int
from gd.descent import History, stop
from gd.optimizers import make_optimizer


def descend(loss, start, *, optimizer=torch.optim.SGD, steps=100, **settings):
    """Minimise ``loss(a)`` from ``a = start`` with the optimizer class `optimizer` and its `settings`.

    loss:      a function of the parameter vector `a` (a 1-D tensor shaped like
               `start`) that returns its loss as a one-element tensor, built
               from torch operations so that autograd can differentiate it.
    start:     the first point: a 1-D tensor (its dtype is kept) or a list of
               numbers (torch's default dtype). Never modified.
    optimizer: torch.optim's (``torch.optim.SGD``, ``torch.optim.Adam``, ...) or
               gd's (``gd.Momentum``, ``gd.RMSProp``, ``gd.Adam``, ``gd.AdamW``);
               a fresh one is made for every run.
    settings:  the optimizer's own, e.g. ``lr=0.1`` or ``lr=0.1, momentum=0.9``.

    Returns a History: ``loss(a)`` before each step, and every point visited
    (``params`` has shape ``(steps + 1, len(start))``). When the loss or the
    point stops being finite it warns (RuntimeWarning), stops, and sets
    ``overflowed``.
    """
    require_callable("loss", loss, "a function of the parameters")
    a = torch.nn.Parameter(as_params("start", start))  # our own copy: the optimizer updates it in place
    require_int("steps", steps, minimum=0)
    opt, lr = make_optimizer(optimizer, a, settings)
    losses, params = [], [a.detach().clone()]
    for step in range(steps):
        opt.zero_grad()
        value = as_loss_value(loss(a))
        value.backward()
        opt.step()
        if not (math.isfinite(value.item()) and torch.isfinite(a).all()):
            return stop("descent", step, lr, losses, params, value, a)
        losses.append(value.item())
        params.append(a.detach().clone())
    return History(losses, torch.stack(params), overflowed=False, lr=lr)
