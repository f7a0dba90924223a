"""Training with PyTorch's own tools: a torch.optim optimizer, optionally on mini-batches.

`train` is the loop of the later lessons (``zero_grad``, ``backward``, ``step``)
written once, so that many runs with different optimizers, learning rates or
batch sizes can be compared. Like `fit` it returns a `History`; its losses are
always measured on all the data, so runs with different batch sizes compare.
"""

import warnings

import torch

from gd.checks import require_data, require_int, require_params
from gd.descent import History
from gd.loss import mse


def train(
    x, y, start, *, optimizer=torch.optim.SGD, steps=100, batch_size=None, seed=0, schedule=None, **settings
):
    """Fit ``y ≈ x @ a`` from `start` with ``optimizer([a], **settings)``, e.g. ``lr=0.1, momentum=0.9``.

    batch_size: None for all the data at every step; otherwise each step uses
                the next `batch_size` examples of a shuffled order (a new
                order every epoch, from a generator seeded with `seed`).
    schedule:   optional, a function ``optimizer -> torch.optim.lr_scheduler``;
                its ``step()`` runs after every optimizer step.
    """
    require_data(x, y)
    require_params("start", torch.as_tensor(start, dtype=x.dtype), x.shape[1])
    require_int("steps", steps, minimum=0)
    if batch_size is not None:
        require_int("batch_size", batch_size, minimum=1)
    a = torch.nn.Parameter(torch.as_tensor(start, dtype=x.dtype).clone())
    opt = optimizer([a], **settings)
    scheduler = schedule(opt) if schedule is not None else None
    batches = _batches(len(y), batch_size, seed)
    losses, params = [], [a.detach().clone()]
    for step in range(steps):
        with torch.no_grad():
            full_loss = mse(x @ a, y).item()  # before the update, on all the data
        rows = next(batches)
        opt.zero_grad()
        mse(x[rows] @ a, y[rows]).backward()
        opt.step()
        if scheduler is not None:
            scheduler.step()
        if not (torch.isfinite(torch.tensor(full_loss)) and torch.isfinite(a).all()):
            warnings.warn(f"training diverged at step {step}: try a smaller lr", RuntimeWarning, stacklevel=2)
            return History(losses, torch.stack(params), diverged=True, lr=settings.get("lr"))
        losses.append(full_loss)
        params.append(a.detach().clone())
    return History(losses, torch.stack(params), diverged=False, lr=settings.get("lr"))


def _batches(n, batch_size, seed):
    """Index tensors of `batch_size` rows, epoch after epoch, each epoch in a new shuffled order."""
    if batch_size is None:  # all the rows, in their own order, every step
        while True:
            yield slice(None)
    generator = torch.Generator().manual_seed(seed)
    while True:
        order = torch.randperm(n, generator=generator)
        for first in range(0, n, batch_size):
            yield order[first : first + batch_size]
