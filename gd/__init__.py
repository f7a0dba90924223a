"""gd — the small teaching package behind the gradient-descent lessons.

Everything a lesson prints or plots comes from here:

- `linear_data` makes the synthetic data set (points near a known line),
  `digits` loads a real one (1,797 handwritten digits, 8x8 pixels, split at random),
- `mse` measures how wrong a guess is,
- `fit` runs gradient descent by hand and records its `History`,
- `broken_fit` runs the hand-written loop with one classic mistake in it, to see what goes wrong,
- `train` runs the same fit with an optimizer (torch.optim's or gd's), optionally on mini-batches,
- `sweep` and `lr_sweep` run many descents over a grid of settings, to compare them,
- `condition_number` and `standardize` measure a narrow valley and round it by scaling the inputs,
- `Momentum`, `RMSProp`, `Adam` and `AdamW` are torch.optim's optimizers written out in a few lines,
- `step_decay`, `cosine`, `linear_warmup` and `warmup_cosine` give a schedule's rate at each step,
  `one_cycle` the rate and the momentum of one-cycle,
- `lr_range_test` and `plot_range_test` find a learning rate with one run whose rate grows,
- `descend` runs an optimizer (torch.optim's or gd's) on any loss function,
  `finite_difference_grad` checks a gradient, `newton_step` divides it by the curvature,
- `steps_1d` and `plot_steps_1d` run and draw descent on a 1-D parabola,
- `plot_*` and `animate_fit` draw what happened (`plot_paths`: several runs on one landscape);
  `describe` and `alt_text` say it in words.

One vocabulary throughout: `x` and `y` are the data; `start` is where a run
begins (a tensor or a list of numbers; runs on data take the data's dtype); `a`
holds a line's parameters; `lr` is the learning rate and `steps` the number of
updates; `optimizer` is a class, torch.optim's or gd's, with its settings as
keywords (``optimizer=torch.optim.SGD, lr=0.1, momentum=0.9``); `loss` is a
function of the parameters. Every public function checks what it is given
before its first step and names the argument when something is wrong.
"""

from gd.animation import animate_fit
from gd.curvature import plot_steps_1d, steps_1d
from gd.data import linear_data
from gd.descent import History, fit
from gd.gradcheck import finite_difference_grad
from gd.handwritten import digits
from gd.landscapes import descend
from gd.loss import mse
from gd.mistakes import broken_fit
from gd.newton import newton_step
from gd.optimizers import Adam, AdamW, Momentum, RMSProp
from gd.paths import plot_paths
from gd.plots import alt_text, describe, plot_data, plot_fit, plot_landscape, plot_losses
from gd.range_test import RangeTest, lr_range_test, plot_range_test
from gd.scaling import condition_number, standardize
from gd.schedules import cosine, linear_warmup, one_cycle, step_decay, warmup_cosine
from gd.sweeps import Sweep, line_loss, lr_sweep, sweep
from gd.training import train

__all__ = [
    "Adam",
    "AdamW",
    "History",
    "Momentum",
    "RMSProp",
    "RangeTest",
    "Sweep",
    "alt_text",
    "animate_fit",
    "broken_fit",
    "condition_number",
    "cosine",
    "descend",
    "describe",
    "digits",
    "finite_difference_grad",
    "fit",
    "line_loss",
    "linear_data",
    "linear_warmup",
    "lr_range_test",
    "lr_sweep",
    "mse",
    "newton_step",
    "one_cycle",
    "plot_data",
    "plot_fit",
    "plot_landscape",
    "plot_losses",
    "plot_paths",
    "plot_range_test",
    "plot_steps_1d",
    "standardize",
    "step_decay",
    "steps_1d",
    "sweep",
    "train",
    "warmup_cosine",
]
