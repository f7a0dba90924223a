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
