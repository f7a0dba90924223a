"""gd — the small teaching package behind the gradient-descent lessons.

Everything a lesson prints or plots comes from here:

- `linear_data` makes the synthetic data set (points near a known line),
- `mse` measures how wrong a guess is,
- `fit` runs gradient descent by hand and records its `History`,
- `lr_sweep` runs `fit` once per learning rate, to compare them,
- `steps_1d` and `plot_steps_1d` run and draw descent on a 1-D parabola,
- `plot_*` and `animate_fit` draw what happened.
"""

from gd.animation import animate_fit
from gd.curvature import plot_steps_1d, steps_1d
from gd.data import linear_data
from gd.descent import History, fit
from gd.loss import mse
from gd.plots import alt_text, plot_data, plot_fit, plot_landscape, plot_losses
from gd.sweep import Sweep, lr_sweep

__all__ = [
    "History",
    "Sweep",
    "alt_text",
    "animate_fit",
    "fit",
    "linear_data",
    "lr_sweep",
    "mse",
    "plot_data",
    "plot_fit",
    "plot_landscape",
    "plot_losses",
    "plot_steps_1d",
    "steps_1d",
]
