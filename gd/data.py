"""The lesson's data set: noisy points around a straight line we know in advance.

Knowing the true line is what makes the lesson honest: after gradient descent we
can check that it found (almost) the numbers we started from.
"""

import math

import torch

from gd.checks import as_params, require_int


def linear_data(n=100, a=(3.0, 2.0), *, seed=None, x_range=(-1.0, 1.0)):
    """Make `n` points near the line ``y = a[0] * x + a[1]``.

    Returns ``(x, y)``:

    - ``x`` has shape ``(n, 2)``. Column 0 is uniform in [-1, 1); column 1 is all
      ones, so that ``x @ a`` adds the intercept ``a[1]`` to every row.
    - ``y`` has shape ``(n,)``: ``x @ a`` plus noise that is uniform in [0, 1).

    With a ``seed`` the same call gives the same data every time, and torch's
    global random generator is left untouched.

    ``x_range=(low, high)`` spreads the x values over [low, high) instead, with
    the same noise: ``x_range=(0, 10)`` gives the un-centred inputs that make a
    long, narrow loss valley (the conditioning lesson).
    """
    require_int("n", n, minimum=1)
    if seed is not None:
        require_int("seed", seed, minimum=0)
    a = as_params("a", a, size=2).float()
    # A private generator: seeding it cannot disturb anyone else's random numbers.
    generator = None if seed is None else torch.Generator().manual_seed(seed)

    # --8<-- [start:recipe]
    x = torch.ones(n, 2)
    x[:, 0].uniform_(-1.0, 1.0, generator=generator)
    noise = torch.rand(n, generator=generator)
    y = x @ a + noise
    # --8<-- [end:recipe]
    low, high = _check_range(x_range)
    if (low, high) != (-1.0, 1.0):
        x[:, 0] = low + (x[:, 0] + 1) * (high - low) / 2  # [-1, 1) stretched onto [low, high)
        y = x @ a + noise
    return x, y


def _check_range(x_range):
    try:
        low, high = (float(v) for v in x_range)
    except (TypeError, ValueError):
        raise TypeError(f"x_range must be two numbers (low, high); got {x_range!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"x_range must be two finite numbers with low < high; got {x_range!r}")
    return low, high
