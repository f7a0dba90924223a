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

from gd.checks import require_int, require_positive_finite, require_tensor
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


def lr_range_test(x, y, start, *, lr_min=1e-4, lr_max=10.0, steps=100, blow_up=4.0, batch_size=None, seed=0):
    """Gradient descent from `start` with rate ``lr_min * growth**k`` at step k, up to `lr_max`.

    Stops early, with ``blew_up=True``, after the first step whose loss is more
    than `blow_up` times the lowest loss so far (the start's included); a step
    whose loss is not even finite is left out. batch_size: None for all the data
    at every step; otherwise each step uses the next `batch_size` examples of a
    shuffled order (a new order every epoch, from a generator seeded with `seed`).
    """
    _check(x, y, lr_min, lr_max, steps, blow_up, batch_size)
    growth = (lr_max / lr_min) ** (1 / (steps - 1))  # so that the last step's rate is lr_max
    a = torch.nn.Parameter(torch.as_tensor(start, dtype=x.dtype).detach().clone())
    with torch.no_grad():
        lowest = mse(x @ a, y).item()
    batches = _batches(len(y), batch_size, seed)
    lrs, losses, params = [], [], [a.detach().clone()]
    # --8<-- [start:loop]
    for k in range(steps):
        lr = lr_min * growth**k
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
        raise ValueError("plot_range_test needs at least one RangeTest")
    for test in tests:
        if not isinstance(test, RangeTest):
            raise TypeError(f"tests must be RangeTests from gd.lr_range_test; got {type(test).__name__}")
        if not test.lrs:
            raise ValueError("a test took no steps: there is nothing to plot")
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


def _batches(n, batch_size, seed):
    """Row indices for each step: all rows, or the next batch of a shuffled order, epoch after epoch."""
    if batch_size is None:
        while True:
            yield slice(None)
    generator = torch.Generator().manual_seed(seed)
    while True:
        yield from torch.randperm(n, generator=generator).split(batch_size)


def _check(x, y, lr_min, lr_max, steps, blow_up, batch_size):
    require_tensor("x", x, ndim=2)
    require_tensor("y", y, ndim=1)
    if len(y) != len(x):
        raise ValueError(f"y must have one value per row of x ({len(x)} rows); got {len(y)}")
    require_positive_finite("lr_min", lr_min)
    require_positive_finite("lr_max", lr_max)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must be larger than lr_min ({lr_min}); got {lr_max}")
    require_int("steps", steps, minimum=2)
    require_positive_finite("blow_up", blow_up)
    if blow_up <= 1:
        raise ValueError(f"blow_up must be > 1 (a factor above the lowest loss); got {blow_up}")
    if batch_size is not None:
        require_int("batch_size", batch_size, minimum=1)
