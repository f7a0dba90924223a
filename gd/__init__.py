"""gd — the small teaching package behind the gradient-descent lessons.

Everything a lesson prints or plots comes from here:

- `linear_data` makes the synthetic data set (points near a known line),
- `mse` measures how wrong a guess is,
- `fit` runs gradient descent by hand and records its `History`,
- `train` runs the same fit with a torch.optim optimizer, optionally on mini-batches,
- `sweep` and `lr_sweep` run many descents over a grid of settings, to compare them,
- `steps_1d` and `plot_steps_1d` run and draw descent on a 1-D parabola,
- `plot_*` and `animate_fit` draw what happened; `describe` and `alt_text` say it in words,
- `descend` runs a torch.optim optimizer on any loss function, `finite_difference_grad` checks a gradient.
"""

from gd.animation import animate_fit
from gd.curvature import plot_steps_1d, steps_1d
from gd.data import linear_data
from gd.descent import History, fit
from gd.gradcheck import finite_difference_grad
from gd.landscapes import descend
from gd.loss import mse
from gd.plots import alt_text, describe, plot_data, plot_fit, plot_landscape, plot_losses
from gd.sweeps import Sweep, line_loss, lr_sweep, sweep
from gd.training import train

__all__ = [
    "History",
    "Sweep",
    "alt_text",
    "animate_fit",
    "describe",
    "fit",
    "line_loss",
    "linear_data",
    "lr_sweep",
    "mse",
    "plot_data",
    "plot_fit",
    "plot_landscape",
    "plot_losses",
    "plot_steps_1d",
    "steps_1d",
    "sweep",
    "train",
    "descend",
    "finite_difference_grad",
]
