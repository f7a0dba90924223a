"""The learning-rate range test: one short run whose rate grows at every step.

Too small a rate barely moves the loss, a good one makes it fall fast, too
large a one makes it blow up. A single run that starts tiny and multiplies the
rate by the same factor at every step passes through all three, so a plot of
loss against rate (on a log axis) shows where each begins. It needs no
curvature matrix, which for a neural network nobody can afford; it is the idea
behind fastai's ``lr_find``.
"""

import math
from dataclasses import dataclass

import torch
from matplotlib.ticker import FuncFormatter

from gd import training
from gd.checks import as_data, as_params, require_int, require_positive_finite
from gd.loss import mse
from gd.plots import describe, new_figure


@dataclass(frozen=True)
class RangeTest:
    """What `lr_range_test` saw.

    lrs:     the rate of each step taken, growing by the same factor every step.
    losses:  the loss on all the data right after the step at that rate.
    params:  a (steps taken + 1, d) tensor: the start, then the parameters after each step.
    blew_up: True when the test stopped early because the loss blew up.
    """

    lrs: list
    losses: list
    params: torch.Tensor
    blew_up: bool

    def __post_init__(self):
        if not len(self.lrs) == len(self.losses) == len(self.params) - 1:
            raise ValueError(
                f"lrs and losses must have one entry per step, params one row more; got {len(self.lrs)}, "
                f"{len(self.losses)} and {len(self.params)}"
            )


def lr_range_test(
    x, y, start, *, lr_start=1e-4, lr_end=10.0, steps=100, blow_up=4.0, batch_size=None, seed=0
):
    """Gradient descent from `start` with rate ``lr_start * growth**k`` at step k, up to `lr_end`.

    Stops early, with ``blew_up=True``, after the first step whose loss is more
    than `blow_up` times the lowest loss so far (the start's included); a step
    whose loss is not even finite is left out. batch_size: None for all the data
    at every step; otherwise each step uses the next `batch_size` examples of a
    shuffled order (a new order every epoch, from a generator seeded with `seed`).
    `start` is the first `a` (a tensor or a list), in the data's dtype; the
    caller's tensors are never modified.
    """
    x, y = as_data(x, y)
    a = torch.nn.Parameter(as_params("start", start, like=x, size=x.shape[1]))
    _check(len(y), lr_start, lr_end, steps, blow_up, batch_size, seed)
    growth = (lr_end / lr_start) ** (1 / (steps - 1))  # so that the last step's rate is lr_end
    with torch.no_grad():
        lowest = mse(x @ a, y).item()
    batches = training.batches(len(y), batch_size, seed)
    lrs, losses, params = [], [], [a.detach().clone()]
    # --8<-- [start:loop]
    for k in range(steps):
        lr = lr_start * growth**k
        rows = next(batches)
        mse(x[rows] @ a, y[rows]).backward()
        with torch.no_grad():
            a.sub_(lr * a.grad)
            a.grad.zero_()
            loss = mse(x @ a, y).item()  # on all the data, after the step
        if not (math.isfinite(loss) and torch.isfinite(a).all()):
            return RangeTest(lrs, losses, torch.stack(params), blew_up=True)
        lrs.append(lr)
        losses.append(loss)
        params.append(a.detach().clone())
        if loss > blow_up * lowest:
            return RangeTest(lrs, losses, torch.stack(params), blew_up=True)
        lowest = min(lowest, loss)
    # --8<-- [end:loop]
    return RangeTest(lrs, losses, torch.stack(params), blew_up=False)


def plot_range_test(*tests, labels=None, marks=None):
    """Loss against learning rate for one or more tests, both on log axes.

    labels: one per test (needed for more than one); marks: {label: rate},
    each drawn as a dashed vertical line, e.g. a stable limit or a chosen rate.
    """
    if not tests:
        raise ValueError("tests must hold at least one RangeTest; got none")
    for k, test in enumerate(tests):
        if not isinstance(test, RangeTest):
            raise TypeError(f"tests must be RangeTests from gd.lr_range_test; got {type(test).__name__}")
        if not test.lrs:
            raise ValueError(f"tests must each have taken steps; test {k + 1} took none: nothing to plot")
    labels = labels or ["loss after the step"] * len(tests)
    if len(labels) != len(tests) or (len(tests) > 1 and len(set(labels)) < len(tests)):
        raise ValueError(f"labels must name each of the {len(tests)} tests differently; got {labels}")
    fig = new_figure(layout="constrained")
    ax = fig.add_subplot(xlabel="learning rate (log scale)", ylabel="loss (log scale)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    plain = FuncFormatter(lambda value, _: f"{value:g}")  # 0.01, not 10⁻²
    ax.xaxis.set_major_formatter(plain)
    ax.yaxis.set_major_formatter(plain)
    for test, label in zip(tests, labels, strict=True):
        ax.plot(test.lrs, test.losses, linewidth=2, label=label)
    for k, (label, rate) in enumerate((marks or {}).items(), start=len(tests)):
        ax.axvline(rate, color=f"C{k}", linestyle="--", linewidth=1.5, label=f"{label}: {rate:.3g}")
    ax.legend(loc="lower left")
    text = "The loss against the learning rate, on log axes. " + " ".join(
        _sentence(test, label) for test, label in zip(tests, labels, strict=True)
    )
    if marks:
        text += " Dashed lines mark " + ", ".join(f"{k} at {v:.3g}" for k, v in marks.items()) + "."
    return describe(fig, text)


def _sentence(test, label):
    lowest = min(range(len(test.losses)), key=test.losses.__getitem__)
    text = (
        f"{label.capitalize()}: the rate grew from {test.lrs[0]:.3g} to {test.lrs[-1]:.3g} over "
        f"{len(test.lrs)} steps; the loss goes from {test.losses[0]:.3g} down to its lowest, "
        f"{test.losses[lowest]:.3g}, at rate {test.lrs[lowest]:.3g}, and ends at {test.losses[-1]:.3g}"
    )
    return text + (", where it blew up and the test stopped." if test.blew_up else ".")


def _check(n, lr_start, lr_end, steps, blow_up, batch_size, seed):
    require_positive_finite("lr_start", lr_start)
    require_positive_finite("lr_end", lr_end)
    if lr_end <= lr_start:
        raise ValueError(f"lr_end must be larger than lr_start ({lr_start}); got {lr_end}")
    require_int("steps", steps, minimum=2)
    require_positive_finite("blow_up", blow_up)
    if blow_up <= 1:
        raise ValueError(f"blow_up must be > 1 (a factor above the lowest loss); got {blow_up}")
    if batch_size is not None:
        require_int("batch_size", batch_size, minimum=1)
        if batch_size > n:
            raise ValueError(f"batch_size must be at most the number of examples ({n}); got {batch_size}")
    require_int("seed", seed, minimum=0)
