"""The hand-written loop of `fit` with one classic mistake switched in, run for real.

Lesson 10 shows what each mistake does to a fit. To put the broken loops next
to the correct one (on one loss curve, on one loss landscape, in an explorer),
each must leave the same record as `fit`: a `History`. So this is `fit`'s loop,
with the mistake written into it exactly as a learner would make it.
"""

import contextlib
import warnings

import torch
from torch import nn

from gd.checks import require_int, require_positive_finite, require_tensor
from gd.descent import History
from gd.loss import mse

MISTAKES = ("none", "no zero_()", "column prediction", "no no_grad()")


def broken_fit(x, y, a, *, mistake, lr=0.1, steps=100):
    """Gradient descent for ``y ≈ x @ a``, with one of the `MISTAKES` in the loop.

    - ``"none"``: the correct loop, the same numbers as `fit`.
    - ``"no zero_()"``: the gradient is never cleared, so ``a.grad`` holds the
      running sum of every gradient so far, and each step uses that sum.
    - ``"column prediction"``: the prediction is a column, shape ``(n, 1)``,
      while ``y`` has shape ``(n,)``; ``y_hat - y`` broadcasts to an
      ``(n, n)`` table, and the loop descends the mean of that table.
    - ``"no no_grad()"``: the update runs while autograd is recording, and
      PyTorch refuses it with a RuntimeError, as it does in a real loop.

    The History's `losses` are the true mean squared error of the line before
    each update (what the loop should have been watching), so that the runs
    compare; with ``"column prediction"`` the loop itself sees another number.
    `a` is the starting guess; the caller's tensor is never modified.
    """
    _check(x, y, a, mistake, lr, steps)
    a = nn.Parameter(torch.as_tensor(a).detach().to(x).clone())
    losses, params = [], [a.detach().clone()]
    # The update belongs outside autograd's record; the mistake leaves it in.
    record = contextlib.nullcontext if mistake == "no no_grad()" else torch.no_grad
    for step in range(steps):
        with torch.no_grad():
            true_loss = mse(x @ a, y)  # for the record only: not part of the loop
        # The column mistake uses a as a (2, 1) column, so y_hat is (n, 1), not (n,).
        y_hat = x @ a.unsqueeze(1) if mistake == "column prediction" else x @ a
        # gd.mse's formula without its shape check (which would stop the column mistake).
        loss = ((y_hat - y) ** 2).mean()
        loss.backward()  # adds d(loss)/d(a) to a.grad
        with record():
            a.sub_(lr * a.grad)
            if mistake != "no zero_()":
                a.grad.zero_()
        if not (torch.isfinite(loss) and torch.isfinite(true_loss) and torch.isfinite(a).all()):
            warnings.warn(
                f"gradient descent (mistake: {mistake!r}) diverged at step {step} with lr={lr}: "
                "the loss or the parameters stopped being finite",
                RuntimeWarning,
                stacklevel=2,
            )
            return History(losses, torch.stack(params), diverged=True, lr=lr)
        losses.append(true_loss.item())
        params.append(a.detach().clone())
    return History(losses, torch.stack(params), diverged=False, lr=lr)


def _check(x, y, a, mistake, lr, steps):
    require_tensor("x", x, ndim=2)
    require_tensor("y", y, ndim=1)
    require_tensor("a", a, ndim=1)
    if len(y) != len(x):
        raise ValueError(f"y must have one value per row of x ({len(x)} rows); got {len(y)}")
    if len(a) != x.shape[1]:
        raise ValueError(f"a must have one value per column of x ({x.shape[1]} columns); got {len(a)}")
    if not isinstance(mistake, str):
        raise TypeError(f"mistake must be a string, one of {MISTAKES}; got {type(mistake).__name__}")
    if mistake not in MISTAKES:
        raise ValueError(f"mistake must be one of {MISTAKES}; got {mistake!r}")
    require_positive_finite("lr", lr)
    require_int("steps", steps, minimum=0)
