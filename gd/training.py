"""Training with PyTorch's own tools: a torch.optim optimizer, optionally on mini-batches.

`train` is the loop of the later lessons (``zero_grad``, ``backward``, ``step``)
written once, so that many runs with different optimizers, learning rates or
batch sizes can be compared. Like `fit` it returns a `History`; its losses are
always measured on all the data, so runs with different batch sizes compare.
"""

import math

import torch

from gd.checks import as_data, as_params, require_callable, require_int
from gd.descent import History, stop
from gd.loss import mse
from gd.optimizers import make_optimizer


def train(
    x, y, start, *, optimizer=torch.optim.SGD, steps=100, batch_size=None, seed=0, schedule=None, **settings
):
    """Fit ``y ≈ x @ a`` from `start` with the optimizer class `optimizer` and its `settings`.

    optimizer:  torch.optim's (``torch.optim.SGD``, the default) or gd's
                (``gd.Adam``, ...), made for the run with ``**settings``,
                e.g. ``lr=0.1, momentum=0.9``.
    batch_size: None for all the data at every step; otherwise each step uses
                the next `batch_size` examples of a shuffled order (a new
                order every epoch, from a generator seeded with `seed`).
    schedule:   optional, a function ``optimizer -> torch.optim.lr_scheduler``;
                its ``step()`` runs after every optimizer step (torch.optim's
                optimizers only: gd's keep one rate).

    `start` is the first `a` (a tensor or a list), in the data's dtype; the
    caller's tensors are never modified.
    """
    x, y = as_data(x, y)
    a = torch.nn.Parameter(as_params("start", start, like=x, size=x.shape[1]))
    _check(len(y), steps, batch_size, seed, schedule)
    opt, lr = make_optimizer(optimizer, a, settings)
    scheduler = _scheduler(schedule, opt)
    rows_of_each_step = batches(len(y), batch_size, seed)
    losses, params = [], [a.detach().clone()]
    for step in range(steps):
        with torch.no_grad():
            full_loss = mse(x @ a, y)  # before the update, on all the data
        rows = next(rows_of_each_step)
        opt.zero_grad()
        mse(x[rows] @ a, y[rows]).backward()
        opt.step()
        if scheduler is not None:
            scheduler.step()
        if not (math.isfinite(full_loss.item()) and torch.isfinite(a).all()):
            return stop("training", step, lr, losses, params, full_loss, a)
        losses.append(full_loss.item())
        params.append(a.detach().clone())
    return History(losses, torch.stack(params), overflowed=False, lr=lr)


def batches(n, batch_size, seed):
    """Index tensors of `batch_size` rows, epoch after epoch, each epoch in a new shuffled order."""
    if batch_size is None:  # all the rows, in their own order, every step
        while True:
            yield slice(None)
    generator = torch.Generator().manual_seed(seed)
    while True:
        order = torch.randperm(n, generator=generator)
        for first in range(0, n, batch_size):
            yield order[first : first + batch_size]


def _check(n, steps, batch_size, seed, schedule):
    require_int("steps", steps, minimum=0)
    if batch_size is not None:
        require_int("batch_size", batch_size, minimum=1)
        if batch_size > n:
            raise ValueError(f"batch_size must be at most the number of examples ({n}); got {batch_size}")
    require_int("seed", seed, minimum=0)
    if schedule is not None:
        require_callable("schedule", schedule, "a function optimizer -> torch.optim.lr_scheduler")


def _scheduler(schedule, opt):
    if schedule is None:
        return None
    if not isinstance(opt, torch.optim.Optimizer):
        raise TypeError(
            "schedule needs a torch.optim optimizer; gd's optimizers keep the lr they were made with"
        )
    scheduler = schedule(opt)
    if not isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler):
        raise TypeError(f"schedule must return a torch.optim.lr_scheduler; got {type(scheduler).__name__}")
    return scheduler
