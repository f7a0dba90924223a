"""Checking a gradient without autograd: nudge one number, watch the loss change.

For a line, least squares gave an answer to check gradient descent against.
A network has no such answer, and its gradient no formula short enough to
write by hand. What still holds is the definition of a slope: move one
parameter a tiny step `h` up and down, and divide the change in the loss by
the distance moved. This *central difference*, ``(f(w + h) - f(w - h)) / 2h``,
is off from the true slope only by about ``h**2`` times the third derivative,
so a correct backward pass agrees with it to many digits and a wrong one (a
missing factor, a sign, a forgotten term) does not.
"""

import itertools

import torch

from gd.checks import require_callable, require_finite, require_positive_finite, require_tensor


def finite_difference_grad(loss, param, *, h=1e-6):
    """The gradient of ``loss()`` with respect to `param`, one central difference per entry.

    loss:  a function of no arguments that computes the loss from the current
           value of `param` (e.g. ``lambda: mse(model(x), y)``) and returns it
           as a one-element tensor.
    param: the tensor to differentiate by, e.g. ``model[0].weight``. Each entry
           is moved up and down by `h` in place, and put back exactly.

    Returns a tensor shaped like `param`. Use float64: in float32 the loss
    is rounded to about 7 digits, and dividing that rounding by a small ``2h``
    makes it large.
    """
    _check(loss, param, h)
    grad = torch.zeros_like(param.detach())
    # no_grad: the loss is only evaluated, and it lets us write into a Parameter in place.
    with torch.no_grad():
        for index in itertools.product(*(range(n) for n in param.shape)):
            kept = param[index].clone()
            param[index] = kept + h
            up = _one_number(loss(), index, "+")
            param[index] = kept - h
            down = _one_number(loss(), index, "-")
            param[index] = kept  # exactly as it was
            grad[index] = (up - down) / (2 * h)
    return grad


def _check(loss, param, h):
    require_callable("loss", loss, "a function of no arguments")
    require_tensor("param", param)
    if param.numel() == 0:
        raise ValueError("param must hold at least one number; got an empty tensor")
    if param.requires_grad and not param.is_leaf:
        raise ValueError(
            "param must be a tensor the loss reads (a leaf, e.g. a model's weight), not a result"
        )
    require_finite("param", param)
    require_positive_finite("h", h)


def _one_number(value, index, sign):
    if not torch.is_tensor(value):
        raise TypeError(f"loss must return a tensor; got {type(value).__name__}")
    if value.numel() != 1:
        raise ValueError(f"loss must return one number; got a tensor of shape {tuple(value.shape)}")
    if not torch.isfinite(value):
        where = ", ".join(map(str, index))
        raise ValueError(f"loss must return a finite number; got {value.item()} with param[{where}] {sign} h")
    return value.item()
