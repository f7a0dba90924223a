"""Argument checks with messages that name the argument and say what was expected.

Without them a wrong shape surfaces as a torch error from deep inside a matrix
product, which tells a learner nothing about which argument was wrong.
"""

import math
import numbers

import torch


def require_tensor(name, value, *, ndim=None):
    """Fail unless `value` is a floating-point tensor (with `ndim` dimensions, if given)."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(value).__name__}")
    if not value.is_floating_point():
        raise TypeError(f"{name} must hold floating-point numbers; got dtype {value.dtype}")
    if ndim is not None and value.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-D tensor; got {value.ndim}-D with shape {tuple(value.shape)}"
        )


def require_int(name, value, *, minimum):
    """Fail unless `value` is a whole number >= `minimum` (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int; got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")


def require_positive_finite(name, value):
    """Fail unless `value` is a real number that is finite and > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number; got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value}")


def require_finite(name, value):
    """Fail unless every number in the tensor `value` is finite (no NaN, no infinity)."""
    if not torch.isfinite(value).all():
        bad = int((~torch.isfinite(value)).sum())
        raise ValueError(
            f"{name} must hold finite numbers; {bad} of its {value.numel()} values are NaN or infinite"
        )


def require_data(x, y):
    """Fail unless x is an (n, 2)-like table and y holds one finite target per row, n >= 1."""
    require_tensor("x", x, ndim=2)
    require_tensor("y", y, ndim=1)
    if len(x) == 0:
        raise ValueError("x must have at least one row; got an empty tensor")
    if len(y) != len(x):
        raise ValueError(f"y must have one value per row of x ({len(x)} rows); got {len(y)}")
    require_finite("x", x)
    require_finite("y", y)


def require_params(name, value, size):
    """Fail unless `value` is a 1-D tensor of `size` finite numbers (e.g. a slope and an intercept)."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(value).__name__}")
    if value.shape != (size,):
        raise ValueError(f"{name} must hold {size} numbers; got shape {tuple(value.shape)}")
    require_finite(name, value)
