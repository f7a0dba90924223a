"""Run the same descent with several learning rates, to compare them side by side."""

import warnings
from dataclasses import dataclass

import torch

from gd.descent import History, fit


@dataclass(frozen=True)
class Sweep:
    """The data and one `History` per learning rate, in the order given."""

    x: torch.Tensor
    y: torch.Tensor
    histories: tuple[History, ...]


def lr_sweep(x, y, lrs, *, start=(1.0, 1.0), steps=100):
    """`fit` from the same `start` once for every learning rate in `lrs`.

    Divergence is expected here (finding it is the point), so its warnings are
    silenced; each History still says whether it diverged.
    """
    if len(lrs) == 0:
        raise ValueError("lrs must hold at least one learning rate")
    start = torch.as_tensor(start, dtype=x.dtype, device=x.device)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        histories = tuple(fit(x, y, start, lr=lr, steps=steps) for lr in lrs)
    return Sweep(x, y, histories)
