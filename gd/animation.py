"""Animate gradient descent: the fitted line moving towards the data, step by step."""

import torch
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from gd.plots import LINE, POINTS, SIZE, describe


def animate_fit(x, y, history, *, interval=50):
    """A `FuncAnimation` with one frame per entry of ``history.params``.

    Frame ``i`` draws the line given by the parameters after ``i`` updates.
    Show it in a notebook with ``HTML(anim.to_html5_video())`` or save it with
    ``anim.save("fit.mp4")``.
    """
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.add_subplot(xlabel="x", ylabel="y")
    ax.scatter(x[:, 0].detach().cpu(), y.detach().cpu(), s=12, color=POINTS)
    ends = torch.tensor([-1.0, 1.0])
    params = history.params.detach().cpu()
    # plot() returns a list of lines; the trailing comma unpacks its only element.
    line, = ax.plot([], [], color=LINE, linewidth=2.5)
    ax.set_ylim(min(y.min().item(), 0.0) - 0.5, y.max().item() + 0.5)

    def animate(i):
        slope, intercept = params[i]
        line.set_data(ends, slope * ends + intercept)
        ax.set_title(f"step {i}")
        return line,  # the changed artists (used when blitting)

    anim = FuncAnimation(fig, animate, frames=len(params), interval=interval)
    start, end = params[0], params[-1]
    describe(
        fig,
        f"Animation of {len(params) - 1} gradient-descent steps: the line moves from "
        f"y = {start[0]:.2f}x + {start[1]:.2f} to y = {end[0]:.2f}x + {end[1]:.2f}.",
    )
    return anim
