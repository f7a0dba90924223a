"""Argument checks with messages that name the argument and say what was expected.

Without them a wrong shape surfaces as a torch error from deep inside a matrix
product, a NaN in the data looks like divergence, and a wrong setting ends in
advice that does not apply. Every public function of gd checks what it is
given here, before its first step. The data and the start come back as our
own tensors, cut from any autograd graph: a run never writes into the
caller's ``.grad``, and a caller's tensor is never changed.
"""

import math
import numbers

import torch


def require_number(name, value):
    """Fail unless `value` is a real number (bools and tensors are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number; got {type(value).__name__}")


def require_positive_finite(name, value):
    """Fail unless `value` is a real number that is finite and > 0."""
    require_number(name, value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value}")


def require_nonnegative_finite(name, value):
    """Fail unless `value` is a real number that is finite and >= 0."""
    require_number(name, value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value}")


def require_fraction(name, value, *, one_allowed=False):
    """Fail unless `value` is in [0, 1) (or [0, 1] with `one_allowed`)."""
    require_number(name, value)
    if not (0 <= value <= 1 if one_allowed else 0 <= value < 1):
        raise ValueError(
            f"{name} must be between 0 and 1{'' if one_allowed else ' (1 excluded)'}; got {value}"
        )


def require_int(name, value, *, minimum):
    """Fail unless `value` is a whole number >= `minimum` (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int; got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}; got {value}")


def require_callable(name, value, what):
    """Fail unless `value` can be called; `what` says what it should be."""
    if not callable(value):
        raise TypeError(f"{name} must be {what}; got {type(value).__name__}")


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


def require_finite(name, value):
    """Fail unless every number in the tensor `value` is finite (no NaN, no infinity)."""
    if not torch.isfinite(value).all():
        bad = int((~torch.isfinite(value)).sum())
        raise ValueError(
            f"{name} must hold finite numbers; {bad} of its {value.numel()} values are NaN or infinite"
        )


def as_loss_value(value):
    """`value`, what a loss function returned, checked as one number that autograd can differentiate."""
    if not torch.is_tensor(value):
        raise TypeError(f"loss must return its loss as a tensor; got {type(value).__name__}")
    if value.numel() != 1:
        raise ValueError(f"loss must return one number; got a tensor of shape {tuple(value.shape)}")
    if not value.requires_grad:
        raise ValueError(
            "loss must compute its value from its argument with torch operations (autograd found none)"
        )
    return value


def as_inputs(x):
    """`x` checked as a table of inputs (at least one row and one column, all finite), detached."""
    require_tensor("x", x, ndim=2)
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"x must have at least one row and one column; got shape {tuple(x.shape)}")
    require_finite("x", x)
    return x.detach()


def as_data(x, y):
    """`x` and `y` checked as a data set (one finite target per row of x), detached."""
    x = as_inputs(x)
    require_tensor("y", y, ndim=1)
    if len(y) != len(x):
        raise ValueError(f"y must have one value per row of x ({len(x)} rows); got {len(y)}")
    require_finite("y", y)
    if y.dtype != x.dtype or y.device != x.device:
        raise ValueError(
            f"y must have x's dtype and device ({x.dtype} on {x.device}); got {y.dtype} on {y.device}"
        )
    return x, y.detach()


def as_line_data(x, y):
    """`as_data` for a line: x must have two columns, the input and the ones of the intercept."""
    x, y = as_data(x, y)
    if x.shape[1] != 2:
        raise ValueError(f"x must have 2 columns (the input and a column of ones); got {x.shape[1]}")
    return x, y


def as_params(name, value, *, like=None, size=None):
    """`value` (a tensor or a list of numbers) as a new 1-D tensor of `size` finite numbers.

    With `like` (the data's x) it takes x's dtype and device, so float64 data
    gets float64 parameters; without, a floating-point tensor keeps its dtype
    and anything else gets torch's default one.
    """
    if not isinstance(value, (torch.Tensor, list, tuple)):
        raise TypeError(f"{name} must be a torch.Tensor or a list of numbers; got {type(value).__name__}")
    keep = isinstance(value, torch.Tensor) and value.is_floating_point()
    dtype = like.dtype if like is not None else value.dtype if keep else torch.get_default_dtype()
    try:
        value = torch.as_tensor(value, dtype=dtype, device=None if like is None else like.device)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"{name} must be a torch.Tensor or a list of numbers; got {value!r}") from None
    if value.ndim != 1 or len(value) == 0:
        raise ValueError(f"{name} must be a 1-D tensor of numbers, not empty; got shape {tuple(value.shape)}")
    if size is not None and len(value) != size:
        per_column = f"one value per column of x ({size} columns)" if like is not None else f"{size} numbers"
        raise ValueError(f"{name} must hold {per_column}; got {len(value)}")
    require_finite(name, value)
    return value.detach().clone()
