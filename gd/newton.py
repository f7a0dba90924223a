"""Newton's step: divide the gradient by the curvature, in every direction at once.

On a parabola with curvature lambda, one gradient step with learning rate
1 / lambda lands on the bottom (the learning-rate lesson). Newton's method
takes that rate from the curvature wherever it is: ``w - slope / curvature``.
With many parameters the curvature is a matrix H (the Hessian), and dividing
by it means solving ``H @ step = gradient``. On a quadratic loss, such as a
line's mean squared error, one step lands on the minimum from anywhere.
Elsewhere the step lands where the loss's quadratic picture at `start` is
flat, which is a minimum only if every curvature there is positive.
"""

import math

import torch

from gd.checks import as_loss_value, as_params, require_callable


def newton_step(loss, start):
    """One Newton step on `loss` from `start`: ``start - H⁻¹ g``, a new 1-D tensor.

    loss:  a function of the parameter vector (a 1-D tensor shaped like `start`)
           that returns one number, built from torch operations, as for `descend`.
    start: a 1-D tensor (its dtype is kept) or a list of numbers. Never modified.

    g is the gradient of `loss` at `start` and H its curvature matrix there,
    which ``torch.autograd.functional.hessian`` finds by differentiating twice:
    row i of H is the gradient of the i-th entry of g, one backward pass per
    parameter. The step solves ``H @ step = g`` (``torch.linalg.solve_ex``)
    instead of inverting H. Where H is singular, a direction without curvature
    (a loss that is straight along it), the step is not defined: ValueError.
    """
    require_callable("loss", loss, "a function of the parameters")
    a = as_params("start", start).requires_grad_()
    value = as_loss_value(loss(a))
    if not math.isfinite(value.item()):
        raise ValueError(f"loss must be finite at start; got {value.item()}")
    (gradient,) = torch.autograd.grad(value, a)
    # --8<-- [start:step]
    curvature = torch.autograd.functional.hessian(loss, a.detach())
    step, singular = torch.linalg.solve_ex(curvature, gradient)  # H @ step = g
    new = a.detach() - step
    # --8<-- [end:step]
    if not torch.isfinite(curvature).all():
        raise ValueError("loss must have a finite curvature matrix at start; autograd found NaN or infinity")
    if singular or not torch.isfinite(new).all():
        raise ValueError(
            "the curvature matrix of loss at start is singular (some direction has no curvature): "
            "Newton's step is not defined there"
        )
    return new
