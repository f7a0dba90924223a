"""Several descent paths on one loss landscape, drawn to scale.

`plot_landscape` draws one run. Comparing runs (batch sizes, learning rates,
inputs before and after scaling) needs them on one map, and the map must keep
one unit across as long as one unit up: otherwise matplotlib stretches each
axis to fill its box, and a long narrow valley can look as round as a bowl.
"""

import matplotlib
import matplotlib.axes
import torch

from gd.checks import as_line_data
from gd.plots import alt_text, contour_levels, describe, new_figure, require_histories
from gd.sweeps import line_loss

RESOLUTION = 70  # grid points per side for the contour lines


def plot_paths(x, y, *histories, labels=None, ax=None, title=None):
    """Contours of the line's loss over (slope, intercept), with the path of each History.

    The view is a square around every path and the least-squares answer (a
    star), drawn with equal units on both axes. Contour lines join points of
    equal loss; from each line to the next, the loss above the lowest grows by
    the same factor. A dot marks where each path starts.

    labels: one per History, shown in a legend when there is more than one path
            (default: "descent" for one path, "path 1", "path 2", ... for more).
    ax:     draw into this matplotlib Axes, e.g. one of two side by side, instead
            of a new Figure; its sentence is added to the figure's description.
    Returns the Figure.
    """
    x, y = as_line_data(x, y)
    require_histories(histories, labels, columns=2)
    if ax is not None and not isinstance(ax, matplotlib.axes.Axes):
        raise TypeError(f"ax must be a matplotlib Axes, e.g. from fig.subplots(); got {type(ax).__name__}")
    if labels is None:
        labels = ["descent"] if len(histories) == 1 else [f"path {k + 1}" for k in range(len(histories))]
    x, y = x.cpu().double(), y.cpu().double()  # a map to draw: float64 for any data
    best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
    paths = [h.params.detach().cpu().double() for h in histories]

    # A square view: the same length of slope across as of intercept up.
    points = torch.cat([best.unsqueeze(0), *paths])
    centre = (points.min(0).values + points.max(0).values) / 2
    half = (points.max(0).values - points.min(0).values).max().item() * 0.6 + 0.1
    slopes = torch.linspace(centre[0] - half, centre[0] + half, RESOLUTION, dtype=torch.float64)
    intercepts = torch.linspace(centre[1] - half, centre[1] + half, RESOLUTION, dtype=torch.float64)
    grid_a0, grid_a1 = torch.meshgrid(slopes, intercepts, indexing="xy")
    losses = line_loss(x, y)(torch.stack([grid_a0.flatten(), grid_a1.flatten()], 1)).reshape(grid_a0.shape)
    floor = line_loss(x, y)(best.unsqueeze(0)).item()

    if ax is None:
        fig = new_figure(layout="constrained")
        ax = fig.add_subplot()
    fig = ax.figure
    levels = contour_levels(floor, losses.max().item())
    ax.contour(grid_a0, grid_a1, losses, levels=levels, colors="C7", linewidths=0.8)
    for k, (path, label) in enumerate(zip(paths, labels, strict=True)):
        # Lines without a dot per step: a figure of several long paths stays light.
        ax.plot(path[:, 0], path[:, 1], color=f"C{k}", linewidth=1.4, label=label)
        ax.plot(path[0, 0].item(), path[0, 1].item(), "o", color=f"C{k}", markersize=4)
    # The text colour, so the star reads on whatever background the figure is shown.
    ax.plot(best[0].item(), best[1].item(), "*", color=matplotlib.rcParams["text.color"], markersize=11)
    ax.set(xlabel="slope a[0]", ylabel="intercept a[1]", aspect="equal")
    ax.set(xlim=(slopes[0].item(), slopes[-1].item()), ylim=(intercepts[0].item(), intercepts[-1].item()))
    if title:
        ax.set_title(title)
    if len(histories) > 1:
        # Below the map, where it hides no contour or path (the map is square: no room beside it).
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=min(3, len(histories)))

    text = (
        f"{title + ': c' if title else 'C'}ontour map of the loss over slope and intercept, drawn to "
        f"scale, with its lowest point at ({best[0]:.2f}, {best[1]:.2f})."
    )
    for path, label in zip(paths, labels, strict=True):
        steps = f"{len(path) - 1} step" + ("" if len(path) == 2 else "s")
        text += (
            f" The {label} path goes from ({path[0, 0]:.2f}, {path[0, 1]:.2f}) "
            f"to ({path[-1, 0]:.2f}, {path[-1, 1]:.2f}) in {steps}."
        )
    return describe(fig, f"{alt_text(fig)} {text}" if alt_text(fig) else text)
