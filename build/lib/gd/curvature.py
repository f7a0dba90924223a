"""Gradient descent on a 1-D parabola: where the learning rate's limit comes from.

On ``f(w) = (curvature / 2) * w**2`` the slope is ``curvature * w``, so one
gradient step is ``w - lr * curvature * w = (1 - lr * curvature) * w``: every
step multiplies `w` by the same factor. Whether that factor lies between -1
and 1 decides between a steady approach, a zig-zag and divergence. Seeing it
in one dimension first makes the two-dimensional bowl of a line fit (and,
later, momentum) easier to follow.
"""

import math
import numbers

import torch

from gd.checks import require_int, require_positive_finite
from gd.plots import describe, new_figure


def steps_1d(curvature, lr, start=1.0, steps=6):
    """Gradient descent on ``f(w) = (curvature / 2) * w**2`` from ``w = start``.

    Returns a 1-D tensor of ``steps + 1`` positions: `start`, then `w` after
    each step. `curvature` is the second derivative of `f`, how fast its slope
    changes: the larger it is, the more sharply the parabola bends.
    """
    _check(curvature, lr, start, steps)
    w = torch.tensor(float(start))
    positions = [w]
    for _ in range(steps):
        slope = curvature * w  # the derivative of (curvature / 2) * w**2
        w = w - lr * slope
        positions.append(w)
    return torch.stack(positions)


def plot_steps_1d(curvature, lr, start=1.0, steps=6):
    """The parabola ``f(w) = (curvature / 2) * w**2`` with each step drawn as an arrow."""
    positions = steps_1d(curvature, lr, start, steps)
    if not torch.isfinite(positions).all():
        raise ValueError(f"steps={steps} is too many: w grows past what a float can hold")
    heights = curvature / 2 * positions**2
    reach = 1.1 * max(positions.abs().max().item(), 1e-3)
    ws = torch.linspace(-reach, reach, 201)

    fig = new_figure(layout="constrained")
    ax = fig.add_subplot(xlabel="w", ylabel="f(w)")
    ax.plot(ws, curvature / 2 * ws**2, label=f"f(w) = (λ/2) w², λ = {curvature:g}")
    ax.plot(positions, heights, "o", color="C1", markersize=5, label="w: start, then each step")
    side = -1 if positions[0] > 0 else 1  # write "start" on the side towards the middle, inside the axes
    ax.annotate(
        "start",
        (positions[0].item(), heights[0].item()),
        xytext=(8 * side, -4),
        textcoords="offset points",
        ha="right" if side < 0 else "left",
        va="top",
    )
    for k in range(steps):
        ax.annotate(
            "",
            xy=(positions[k + 1].item(), heights[k + 1].item()),
            xytext=(positions[k].item(), heights[k].item()),
            arrowprops={"arrowstyle": "->", "color": "C1", "shrinkA": 4, "shrinkB": 4},
        )
    product = lr * curvature
    factor = f"{1 - product:g}".replace("-", "−")  # a real minus sign, as in print
    ax.set_title(f"lr × λ = {product:g}: each step multiplies w by {factor}")
    fig.legend(loc="outside lower center")  # below the axes: never over the curve
    return describe(
        fig,
        f"The parabola f(w) = ({curvature:g}/2) w² with {steps} gradient steps drawn as "
        f"arrows, from w = {positions[0]:.2f} to w = {positions[-1]:.2f}. The learning rate "
        f"times the curvature is {product:g}, so each step multiplies w by {1 - product:g}: "
        f"{_regime(product)}.",
    )


def _regime(product):
    if math.isclose(product, 1):
        return "the first step lands exactly on the bottom"
    if math.isclose(product, 2):
        return "each step jumps to the mirror point, bouncing forever"
    if product < 1:
        return "the steps approach the bottom steadily from one side"
    if product < 2:
        return "each step overshoots the bottom, zig-zagging but closing in"
    return "each step overshoots by more than the last, so w moves away: descent diverges"


def _check(curvature, lr, start, steps):
    require_positive_finite("curvature", curvature)
    require_positive_finite("lr", lr)
    if isinstance(start, bool) or not isinstance(start, numbers.Real):
        raise TypeError(f"start must be a number; got {type(start).__name__}")
    if not math.isfinite(start):
        raise ValueError(f"start must be a finite number; got {start}")
    require_int("steps", steps, minimum=0)
