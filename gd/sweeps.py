"""Many runs side by side: the same descent over a grid of settings.

A `Sweep` holds one `History` per combination of one or two settings (for
example every learning rate, or every learning rate with every momentum), plus
the loss they all descend, so that the runs can be compared on one picture.
A notebook shows a Sweep as its loss curves (`Sweep.plot`); the site shows it
as an explorer, where picking a setting replays that run on the landscape.
"""

import io
import itertools
import math
import numbers
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import torch

from gd.checks import as_data, as_params, require_callable, require_int, require_positive_finite
from gd.descent import History, fit
from gd.plots import describe, new_figure


@dataclass(frozen=True)
class Sweep:
    """The runs of a grid of settings.

    settings:  {name: values}, one or two names, e.g. ``{"lr": (0.01, 0.1, 1.0)}``.
    histories: one History per combination, the last setting varying fastest.
    loss:      the loss of a batch of parameter vectors, shape (k, 2) -> (k,):
               the landscape that every run walks on.
    x, y:      the data, when the two parameters are a line's slope and intercept.
    """

    settings: dict
    histories: tuple[History, ...]
    loss: Callable[[torch.Tensor], torch.Tensor]
    x: torch.Tensor | None = None
    y: torch.Tensor | None = None

    def __post_init__(self):
        runs = math.prod(len(values) for values in self.settings.values())
        if len(self.histories) != runs or not all(isinstance(h, History) for h in self.histories):
            raise ValueError(f"histories must hold one gd.History per combination of settings ({runs})")

    def __repr__(self):
        """A short summary (the full runs would fill a screen); on the site a Sweep shows as an explorer."""
        grid = ", ".join(f"{name} in {list(values)}" for name, values in self.settings.items())
        overflowed = sum(h.overflowed for h in self.histories)
        grew = sum(h.grew and not h.overflowed for h in self.histories)
        return f"Sweep of {len(self.histories)} runs over {grid} ({overflowed} overflowed, {grew} grew)"

    def plot(self):
        """Every run's loss against step, on a log scale: a still picture of the sweep.

        With two settings, one panel per value of the first and one line per value
        of the second; with one setting, one line per value. Runs that blow up
        leave the top of the chart, at ten times the highest starting loss.
        """
        names = list(self.settings)
        panels = self.settings[names[0]] if len(names) == 2 else [None]
        fig = new_figure(figsize=(1.6 + 2.6 * len(panels), 3.0), layout="constrained")
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        runs = iter(self.histories)  # in grid order: the last setting varies fastest
        for ax, panel in zip(axes, panels, strict=True):
            ax.set(xlabel="step", yscale="log")
            if panel is not None:
                ax.set_title(f"{names[0]} = {setting_label(panel)}")
            for value in self.settings[names[-1]]:
                losses = next(runs).losses
                ax.plot(
                    range(len(losses)), losses, linewidth=1.5, label=f"{names[-1]} = {setting_label(value)}"
                )
        axes[0].set_ylabel("loss (log scale)")
        axes[0].set_ylim(top=10 * max(h.losses[0] for h in self.histories if h.losses))
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right upper")
        return describe(fig, f"Loss against step for each run of the {self!r}.".replace("the Sweep", "sweep"))

    def _repr_png_(self):
        """What a notebook shows for a Sweep: `plot`, as a PNG image."""
        buffer = io.BytesIO()
        self.plot().savefig(buffer, format="png")  # its constrained layout fits the legend
        return buffer.getvalue()

    def history(self, **setting):
        """The History of one combination, e.g. ``sweep.history(lr=0.1)``."""
        if set(setting) != set(self.settings):
            raise ValueError(f"name a value for each of {list(self.settings)}; got {list(setting)}")
        combos = list(itertools.product(*self.settings.values()))
        wanted = tuple(setting[name] for name in self.settings)
        if wanted not in combos:
            raise ValueError(f"{setting} is not in this sweep's grid {self.settings}")
        return self.histories[combos.index(wanted)]


def sweep(run, loss, *, x=None, y=None, **settings):
    """Call ``run(**combination)`` (which returns a History) for every combination of settings.

    Divergence is expected in a sweep (finding it is the point), so its warnings
    are silenced; each History still says whether it overflowed or grew.
    `loss` maps a batch of parameter vectors to their losses (e.g. `line_loss`);
    `x` and `y`, the data of a line, let the explorer draw its points.
    """
    require_callable("run", run, "a function of the settings that returns a gd.History")
    require_callable("loss", loss, "a function of a batch of parameter vectors, e.g. gd.line_loss(x, y)")
    if (x is None) != (y is None):
        raise ValueError("x and y must be given together (the data of a line) or not at all")
    if x is not None:
        x, y = as_data(x, y)
    if not 1 <= len(settings) <= 2:
        raise ValueError(f"a sweep varies one or two settings; got {len(settings)}: {list(settings)}")
    for name, values in settings.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) == 0:
            raise TypeError(f"{name} must be a non-empty list of values; got {values!r}")
    settings = {name: tuple(values) for name, values in settings.items()}
    names = list(settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        histories = tuple(
            run(**dict(zip(names, combo, strict=True))) for combo in itertools.product(*settings.values())
        )
    for history in histories:
        if not isinstance(history, History):
            raise TypeError(f"run must return a gd.History; got {type(history).__name__}")
    return Sweep(settings, histories, loss, x, y)


def setting_label(value):
    """A setting's value as a sweep shows it: 0.01, "no zero_()", or a function's name
    (its repr would carry a memory address, different on every run)."""
    if isinstance(value, numbers.Real):
        return f"{value:g}"
    return getattr(value, "__name__", None) or str(value)


def line_loss(x, y):
    """The mean squared error of many lines at once: (k, 2) slopes and intercepts -> (k,) losses.

    The lines are taken in the data's dtype, so a float32 grid can be laid over float64 data.
    """
    x, y = as_data(x, y)

    def loss(params):
        return ((params.to(x.dtype) @ x.T - y) ** 2).mean(-1)

    return loss


def lr_sweep(x, y, lrs, *, start=(1.0, 1.0), steps=100):
    """`fit` from the same `start` once for every learning rate in `lrs`."""
    x, y = as_data(x, y)
    start = as_params("start", start, like=x, size=x.shape[1])
    if isinstance(lrs, (numbers.Number, str)) or not hasattr(lrs, "__len__"):
        raise TypeError(f"lrs must be a list of learning rates, e.g. [0.01, 0.1, 1.0]; got {lrs!r}")
    if len(lrs) == 0:
        raise ValueError("lrs must hold at least one learning rate")
    for k, lr in enumerate(lrs):
        require_positive_finite(f"lrs[{k}]", lr)
    require_int("steps", steps, minimum=0)
    return sweep(lambda lr: fit(x, y, start, lr=lr, steps=steps), line_loss(x, y), x=x, y=y, lr=lrs)
