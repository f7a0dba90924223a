"""Gradient descent by hand: the update loop of the lesson, plus a record of every step."""

import warnings
from dataclasses import dataclass

import torch
from torch import nn

from gd.checks import as_data, as_params, require_int, require_positive_finite
from gd.loss import mse

GROWTH = 10.0  # a run whose last loss is this many times its first has grown, not settled


@dataclass(frozen=True)
class History:
    """What happened during a run of `fit`, `broken_fit`, `train` or `descend`.

    losses:     the loss *before* each update, one float per step taken.
    params:     a (steps taken + 1, d) tensor: the start, then the parameters
                after each update. ``params[-1]`` is the answer.
    overflowed: True when the loss or the parameters stopped being finite (they
                overflowed, or became NaN) and the run stopped there, keeping
                what came before. Nothing in a History is ever NaN or inf.
    lr:         the learning rate the run started with.

    `grew` and `diverged` say what the losses did.
    """

    losses: list
    params: torch.Tensor
    overflowed: bool
    lr: float

    def __post_init__(self):
        require_positive_finite("lr", self.lr)
        if not isinstance(self.overflowed, bool):
            raise TypeError(f"overflowed must be True or False; got {self.overflowed!r}")
        if not (isinstance(self.params, torch.Tensor) and self.params.ndim == 2):
            raise TypeError(f"params must be a 2-D tensor, one row per point; got {self.params!r}")
        if len(self.params) != len(self.losses) + 1:
            raise ValueError(
                f"params must have one row more than losses ({len(self.losses)}); got {len(self.params)}"
            )

    @property
    def grew(self):
        """True when the last loss is more than `GROWTH` (10) times the first.

        Precisely: the last loss is above the first by more than 9 times the
        first's size, which also covers a first loss of 0 or below. A run that
        settles, even noisily, ends below its start; one that grew this much is
        on its way out, whether or not its numbers have overflowed yet.
        """
        first, last = (self.losses[0], self.losses[-1]) if self.losses else (0.0, 0.0)
        return last - first > (GROWTH - 1) * abs(first)

    @property
    def diverged(self):
        """True when the run overflowed or its loss grew (see `grew`): descent went the wrong way."""
        return self.overflowed or self.grew


def fit(x, y, start, *, lr=0.1, steps=100):
    """Fit ``y ≈ x @ a`` by gradient descent on the mean squared error.

    Each step: predict, measure the loss, let autograd find the gradient, then
    move `a` a little way downhill (``a -= lr * a.grad``). `start` is the first
    `a` (a tensor or a list, one number per column of `x`), in the data's dtype;
    the caller's tensors are never modified.
    """
    x, y = as_data(x, y)
    start = as_params("start", start, like=x, size=x.shape[1])
    require_positive_finite("lr", lr)
    require_int("steps", steps, minimum=0)
    # Our own copy, wrapped as a Parameter so that autograd tracks it.
    a = nn.Parameter(start)
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
            return stop("gradient descent", step, lr, losses, params, loss, a)
        losses.append(loss.item())
        params.append(a.detach().clone())
    # --8<-- [end:loop]

    return History(losses, torch.stack(params), overflowed=False, lr=lr)


def stop(run, step, lr, losses, params, *values):
    """Warn that `run` stopped at `step` because one of `values` is no longer finite; the History so far."""
    if any(torch.isinf(torch.as_tensor(value)).any() for value in values):
        cause = "overflowed (grew past the largest float); try a smaller lr"
    else:  # NaN from finite numbers is not an overflow, and a smaller lr will not cure it
        cause = "became NaN: something computed 0/0 (e.g. eps=0 with a zero gradient) or inf - inf"
    warnings.warn(
        f"{run} stopped at step {step} with lr={lr:g}: the loss or the parameters {cause}",
        RuntimeWarning,
        stacklevel=3,
    )
    return History(losses, torch.stack(params), overflowed=True, lr=lr)
