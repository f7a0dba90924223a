"""Feature scaling: why large, un-centred inputs make descent slow, and the cure.

The loss of a line ``x @ a`` is a bowl whose curvature matrix is ``(2/n) xᵀx``.
When an input column is large and far from zero, the bowl bends a hundred times
more sharply one way than the other: a long, narrow valley. The ratio of the
sharpest to the gentlest bend is the *condition number*. The learning rate must
suit the sharpest bend, so descent crawls along the gentle one.

Standardizing the inputs (subtract each column's mean, divide by its standard
deviation) makes the bowl round again, and descent fast.
"""

import math

import torch

from gd.checks import as_inputs


def condition_number(x):
    """The sharpest over the gentlest curvature of the mean squared error of ``x @ a``.

    That is ``λmax / λmin`` for the eigenvalues of the curvature matrix
    ``(2/n) xᵀx``: 1 for a round bowl; the larger, the longer and narrower the
    valley. ``math.inf`` when the gentlest curvature is zero (a column is a mix
    of the others, so the valley has a flat floor and no single lowest point).
    """
    x = as_inputs(x)
    # In float64: the gentlest curvature can be tiny next to the sharpest one,
    # and float32's rounding of the sharpest would swamp it.
    x = x.double()
    curvatures = torch.linalg.eigvalsh(2 / len(x) * x.T @ x)  # smallest first
    gentlest, sharpest = curvatures[0].item(), curvatures[-1].item()
    if gentlest <= 1e-12 * sharpest:  # zero, up to rounding
        return math.inf
    return sharpest / gentlest


def standardize(x):
    """Give every input column mean 0 and standard deviation 1: ``(x - mean) / std``.

    Returns ``(x_std, mean, std)``; `mean` and `std` hold one number per column.
    A column whose values are all equal (the column of ones that carries the
    intercept) has no spread to divide by: it gets mean 0 and std 1, so it
    passes through unchanged. Keep `mean` and `std`: new inputs must be
    rescaled with the same numbers before they meet a fit made on `x_std`.
    gd has no function to map such a fit back to the original units, because
    it is one line (the conditioning lesson derives it): with a column of ones,
    the parameters `s` fitted on `x_std` are ``s / std`` in the original units,
    with ``(s * mean / std).sum()`` taken off the intercept.

    The standard deviation divides by n (``correction=0``), not n - 1, so that
    the mean of each standardized column's squares is exactly 1.
    """
    x = as_inputs(x)
    mean = x.mean(0)
    std = x.std(0, correction=0)
    constant = (x == x[0]).all(0)  # one True per column whose values are all equal
    mean = torch.where(constant, torch.zeros_like(mean), mean)
    std = torch.where(constant, torch.ones_like(std), std)
    return (x - mean) / std, mean, std
