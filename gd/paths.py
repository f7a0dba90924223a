"""Several descent paths on one loss landscape, to compare optimizers at a glance.

`plot_landscape` draws one run; comparing optimizers needs their paths on the
same map, from the same start, each in its own colour with a legend.
"""

import matplotlib
import torch
from matplotlib.figure import Figure

from gd.descent import History
from gd.plots import LANDSCAPE, SIZE, describe
from gd.sweeps import line_loss


def plot_paths(x, y, *histories, labels=None, resolution=120):
    """Contours of the loss of a line over (slope, intercept), with one path per `History`.

    The view holds every path and the least-squares answer (a star). Each path
    takes the next colour of matplotlib's cycle; `labels` name them in the legend.
    """
    if not histories or not all(isinstance(h, History) for h in histories):
        raise TypeError("plot_paths needs one or more History objects after x and y")
    labels = list(labels) if labels is not None else [f"lr = {h.lr:g}" for h in histories]
    if len(labels) != len(histories):
        raise ValueError(f"labels must have one entry per history ({len(histories)}); got {len(labels)}")
    x, y = x.detach().cpu(), y.detach().cpu()
    best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
    paths = [h.params.detach().cpu() for h in histories]

    # The view: every point visited, plus the answer, with a margin of 10% on each side.
    points = torch.cat([*paths, best.unsqueeze(0)])
    low, high = points.min(0).values, points.max(0).values
    pad = 0.1 * (high - low).clamp(min=1e-3)
    slopes = torch.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    intercepts = torch.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    grid_a0, grid_a1 = torch.meshgrid(slopes, intercepts, indexing="xy")
    grid = torch.stack([grid_a0.flatten(), grid_a1.flatten()], dim=1)  # one candidate line per row
    losses = line_loss(x, y)(grid).reshape(grid_a0.shape)

    # The legend sits below the map, where it hides no path: one row for a few
    # entries, two columns (and a taller figure) for more.
    entries = len(paths) + 1
    columns = entries if entries <= 3 else 2
    rows = -(-entries // columns)
    fig = Figure(figsize=(SIZE[0], SIZE[1] + 0.3 * rows), layout="constrained")
    ax = fig.add_subplot(xlabel="slope a[0]", ylabel="intercept a[1]")
    ax.contour(grid_a0, grid_a1, losses.log10(), levels=12, cmap=LANDSCAPE, linewidths=0.8)
    sentences = []
    for path, label in zip(paths, labels, strict=True):
        ax.plot(path[:, 0], path[:, 1], ".-", markersize=3, linewidth=1.2, label=label)
        sentences.append(
            f"{label} goes from ({path[0, 0]:.2f}, {path[0, 1]:.2f}) to "
            f"({path[-1, 0]:.2f}, {path[-1, 1]:.2f}) in {len(path) - 1} steps."
        )
    # The star in the text colour: it must not be mistaken for one of the paths.
    ink = matplotlib.rcParams["text.color"]
    ax.plot(best[0], best[1], "*", color=ink, markersize=12, label="least squares")
    fig.legend(loc="outside lower center", ncols=columns)
    return describe(
        fig,
        "Contour map of the loss over slope and intercept with the least-squares answer at "
        f"({best[0]:.2f}, {best[1]:.2f}) and {len(paths)} descent paths. " + " ".join(sentences),
    )
