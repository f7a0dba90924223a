"""Gradient descent by hand: the update loop of the lesson, plus a record of every step."""

import warnings
from dataclasses import dataclass

import torch
from torch import nn

from gd.checks import require_data, require_finite, require_int, require_positive_finite
from gd.loss import mse


@dataclass(frozen=True)
class History:
    """What happened during `fit`.

    losses:   the loss *before* each update, one float per step taken.
    params:   a (steps taken + 1, d) tensor: the starting point, then the
              parameters after each update. ``params[-1]`` is the answer.
    diverged: True when the loss or the parameters stopped being finite and
              `fit` stopped early. Nothing in a History is ever NaN or inf.
    lr:       the learning rate used.
    """

    losses: list
    params: torch.Tensor
    diverged: bool
    lr: float


def fit(x, y, a, *, lr=0.1, steps=100):
    """Fit ``y ≈ x @ a`` by gradient descent on the mean squared error.

    Each step: predict, measure the loss, let autograd find the gradient, then
    move `a` a little way downhill (``a -= lr * a.grad``). `a` is the starting
    guess; the caller's tensor is never modified.
    """
    _check_fit_args(x, y, a, lr, steps)
    # Our own copy, wrapped as a Parameter so that autograd tracks it.
    a = nn.Parameter(torch.as_tensor(a).detach().to(x).clone())
    losses, params = [], [a.detach().clone()]

    # --8<-- [start:loop]
    for step in range(steps):
        y_hat = x @ a
        loss = mse(y_hat, y)
        loss.backward()  # fills a.grad with d(loss)/d(a)
        # The update is bookkeeping, not part of the model: no_grad keeps autograd
        # from recording it (and lets us change a leaf tensor in place).
        with torch.no_grad():
            a.sub_(lr * a.grad)
            a.grad.zero_()  # backward() adds to .grad: clear it for the next step
        if not (torch.isfinite(loss) and torch.isfinite(a).all()):
            _warn_diverged(step, lr)
            return History(losses, torch.stack(params), diverged=True, lr=lr)
        losses.append(loss.item())
        params.append(a.detach().clone())
    # --8<-- [end:loop]

    return History(losses, torch.stack(params), diverged=False, lr=lr)


def _warn_diverged(step, lr):
    warnings.warn(
        f"gradient descent diverged at step {step} with lr={lr}: the loss or the "
        "parameters stopped being finite; try a smaller lr",
        RuntimeWarning,
        stacklevel=3,
    )


def _check_fit_args(x, y, a, lr, steps):
    # Bad data is caught here, by name: inside the loop a NaN would only look like divergence.
    require_data(x, y)
    if not isinstance(a, torch.Tensor):
        raise TypeError(f"a must be a torch.Tensor; got {type(a).__name__}")
    if a.ndim != 1:
        raise ValueError(f"a must be a 1-D tensor; got shape {tuple(a.shape)}")
    if len(a) != x.shape[1]:
        raise ValueError(f"a must have one value per column of x ({x.shape[1]} columns); got {len(a)}")
    require_finite("a", a)
    if y.device != x.device or a.device != x.device:
        raise ValueError(f"x, y and a must be on the same device; got {x.device}, {y.device} and {a.device}")
    require_positive_finite("lr", lr)
    require_int("steps", steps, minimum=0)
