"""Figures for the lessons.

Each function returns a new matplotlib Figure and never calls ``plt.show()``:
the caller decides whether to display, save or close it. A notebook shows a
returned Figure as an image, exactly once (see `new_figure`).

Every figure carries a one-sentence description built from the data it shows
(read it with `alt_text`); the site uses it as the image's alt text.
"""

import math

import matplotlib.pyplot as plt
import torch
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import FuncFormatter

from gd.checks import require_data, require_int, require_params
from gd.loss import mse

# Colours that stand out (3:1 contrast or more) on a white page and on a dark one.
POINTS = "#3b82f6"
LINE = "#ea580c"
PATH = "#dc2626"
# Contour colours, from low loss to high: the same brightness, changing hue, so
# that every level reads on a light and on a dark page alike.
LANDSCAPE = LinearSegmentedColormap.from_list(
    "gd-landscape", ["#5a7dce", "#17939f", "#419551", "#7a8a1b", "#b86a1d", "#c15e50"]
)
SIZE = (4.4, 3.0)  # inches: at 100 dpi the figure fits a phone's screen without shrinking its text much


def alt_text(fig):
    """The description a gd plot helper attached to `fig` (None for other figures)."""
    return getattr(fig, "gd_alt_text", None)


def describe(fig, text):
    """Attach a sentence saying what `fig` shows (its alt text on the site); return `fig`."""
    fig.gd_alt_text = text
    return fig


def new_figure(**options):
    """A new Figure (options as for ``plt.figure``) that a notebook shows once, as an image.

    It is made by pyplot, which sets up a notebook's inline backend (Jupyter's and
    Colab's), and that is what shows a Figure returned by a cell as an image;
    pyplot then lets go of it at once, so the backend does not show it a second
    time at the end of the cell.
    """
    fig = plt.figure(**{"figsize": SIZE, **options})
    plt.close(fig)
    return fig


def _new_axes(xlabel, ylabel):
    fig = new_figure(layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig, ax


def _scatter(ax, x, y):
    ax.scatter(x[:, 0].detach().cpu(), y.detach().cpu(), s=12, color=POINTS, label="data")


def plot_data(x, y):
    """Scatter plot of the data: column 0 of `x` against `y`."""
    require_data(x, y)
    fig, ax = _new_axes("x", "y")
    _scatter(ax, x, y)
    return describe(
        fig,
        f"Scatter plot of {len(y)} points with x from {x[:, 0].min():.2f} to "
        f"{x[:, 0].max():.2f} and y from {y.min():.2f} to {y.max():.2f}.",
    )


def plot_fit(x, y, a, *, label="fit"):
    """The data with the line ``y = a[0] * x + a[1]`` drawn over it."""
    require_data(x, y)
    require_params("a", a, 2)
    a = a.detach().cpu()
    fig, ax = _new_axes("x", "y")
    _scatter(ax, x, y)
    ends = torch.tensor([-1.0, 1.0])
    ax.plot(ends, a[0] * ends + a[1], color=LINE, linewidth=2.5, label=label)
    ax.legend()
    loss = mse(x.detach().cpu() @ a, y.detach().cpu())
    return describe(
        fig,
        f"The {len(y)} data points with the line y = {a[0]:.2f}x + {a[1]:.2f} "
        f"drawn through them; its loss is {loss:.3f}.",
    )


def plot_losses(*histories, labels=None):
    """Loss against step for one or more `History` objects, on a log scale."""
    if not histories:
        raise ValueError("plot_losses needs at least one History")
    labels = labels or [f"lr = {h.lr:g}" for h in histories]
    if len(labels) != len(histories):
        raise ValueError(f"labels must have one entry per history ({len(histories)}); got {len(labels)}")
    fig, ax = _new_axes("step", "loss (log scale)")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: _power_of_ten(ax, value)))
    sentences = []
    for history, label in zip(histories, labels, strict=True):
        ax.plot(range(len(history.losses)), history.losses, linewidth=2, label=label)
        sentences.append(_loss_sentence(history, label))
    if len(histories) > 1:
        ax.legend()
    return describe(fig, "Loss curve. " + " ".join(sentences))


def _power_of_ten(ax, value):
    """Log-axis ticks as plain numbers (0.01, 1, 100) over a few powers of ten, else as 1e-5,
    1e10, ... (one style per axis, and no superscripts too small to read on a phone)."""
    low, high = ax.get_ylim()
    if high / low < 1e5:
        return f"{value:g}"
    return f"1e{round(math.log10(value))}"


def _loss_sentence(history, label):
    # Steps are counted as the x axis and the explorer count them: losses[k] is the
    # loss at step k, of the parameters after k updates (step 0 is the start).
    losses = history.losses
    if history.diverged:
        return f"With {label} the loss blows up and descent diverges at step {len(losses)}."
    if not losses:
        return f"With {label} no steps were taken."
    verb = "falls" if losses[-1] < losses[0] else "rises"
    first, last = _number(losses[0]), _number(losses[-1])
    return f"With {label} the loss {verb} from {first} at step 0 to {last} at step {len(losses) - 1}."


def _number(value):
    """Two decimals for everyday losses, three significant digits for huge or tiny ones."""
    return f"{value:.2f}" if 0.01 <= abs(value) < 1e4 else f"{value:.3g}"


def plot_landscape(x, y, history=None, *, resolution=120):
    """Contours of the loss over (slope, intercept), with the descent path if given.

    The loss of a line depends only on its two numbers, so it can be drawn as a
    map; gradient descent walks downhill on that map.
    """
    require_data(x, y)
    require_int("resolution", resolution, minimum=2)
    best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1).detach().cpu()
    points = [best] if history is None else [best, *history.params]
    stacked = torch.stack(points)
    low, high = stacked.min(0).values - 1.0, stacked.max(0).values + 1.0
    slopes = torch.linspace(low[0], high[0], resolution)
    intercepts = torch.linspace(low[1], high[1], resolution)
    grid_a0, grid_a1 = torch.meshgrid(slopes, intercepts, indexing="xy")
    # Loss of every grid point at once: each grid point is one candidate `a`.
    candidates = torch.stack([grid_a0.flatten(), grid_a1.flatten()])  # (2, resolution**2)
    predictions = x.detach().cpu() @ candidates  # (n, resolution**2)
    losses = ((predictions - y.detach().cpu().unsqueeze(1)) ** 2).mean(0).reshape(grid_a0.shape)

    fig, ax = _new_axes("slope a[0]", "intercept a[1]")
    contours = ax.contour(grid_a0, grid_a1, losses.log10(), levels=10, cmap=LANDSCAPE, linewidths=1.2)
    fig.colorbar(contours, ax=ax, label="log10(loss)")
    ax.plot(best[0], best[1], "*", color=LINE, markersize=14, label="least squares", zorder=4)
    text = (
        "Contour map of the loss over slope and intercept; the lowest point, "
        f"found by least squares, is at slope {best[0]:.2f} and intercept {best[1]:.2f}."
    )
    if history is not None:
        path = history.params.detach().cpu()
        ax.plot(path[:, 0], path[:, 1], ".-", color=PATH, markersize=4, label="descent path")
        text += (
            f" The descent path starts at ({path[0, 0]:.2f}, {path[0, 1]:.2f}) and after "
            f"{len(path) - 1} steps reaches ({path[-1, 0]:.2f}, {path[-1, 1]:.2f})."
        )
    fig.legend(loc="outside lower center", ncols=2)  # below the map, not over its contours (two short labels)
    return describe(fig, text)
