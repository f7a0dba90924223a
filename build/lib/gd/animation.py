"""Animate gradient descent: the fitted line moving towards the data, step by step."""

import matplotlib
import torch
from matplotlib.animation import FuncAnimation, writers

from gd.plots import LINE, POINTS, describe, new_figure


class FitAnimation(FuncAnimation):
    """A FuncAnimation that a notebook can always show.

    With ``rc('animation', html='html5')`` matplotlib needs the ffmpeg program to
    make the video; where ffmpeg is missing, this shows matplotlib's JavaScript
    player instead (and says so) rather than failing.
    """

    def _repr_html_(self):
        html5 = matplotlib.rcParams["animation.html"] == "html5"
        if html5 and not writers.is_available(matplotlib.rcParams["animation.writer"]):
            note = "<p>ffmpeg is not installed, so this shows the JavaScript player instead of a video.</p>"
            return note + self.to_jshtml()
        return super()._repr_html_()


def animate_fit(x, y, history, *, interval=120):
    """A `FuncAnimation` with one frame per entry of ``history.params``.

    Frame ``i`` draws the line given by the parameters after ``i`` updates.
    In a notebook, ``rc('animation', html='jshtml')`` (or ``'html5'``, which
    needs ffmpeg) makes it show as a player; ``anim.save("fit.mp4")`` saves it.
    """
    fig = new_figure()
    ax = fig.add_subplot(xlabel="x", ylabel="y", title="step 0")
    ax.scatter(x[:, 0].detach().cpu(), y.detach().cpu(), s=12, color=POINTS)
    ends = torch.tensor([-1.0, 1.0])
    params = history.params.detach().cpu()
    # plot() returns a list of lines; the trailing comma unpacks its only element.
    line, = ax.plot([], [], color=LINE, linewidth=2.5)
    ax.set_ylim(min(y.min().item(), 0.0) - 0.5, y.max().item() + 0.5)
    fig.tight_layout()  # the layout, once: a layout engine would redo it for every frame

    def animate(i):
        slope, intercept = params[i]
        line.set_data(ends, slope * ends + intercept)
        ax.set_title(f"step {i}")
        return line,  # the changed artists (used when blitting)

    anim = FitAnimation(fig, animate, frames=len(params), interval=interval)
    start, end = params[0], params[-1]
    describe(
        fig,
        f"Animation of {len(params) - 1} gradient-descent steps: the line moves from "
        f"y = {start[0]:.2f}x + {start[1]:.2f} to y = {end[0]:.2f}x + {end[1]:.2f}.",
    )
    return anim
