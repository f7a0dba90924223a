"""Momentum, RMSProp and Adam, each written out in a few lines, to compare with torch.optim.

torch.optim's optimizers are written for speed and generality (many tensors,
options, fused kernels), which hides how short each idea is. Each class here
updates one tensor of parameters: ``a = opt.step(a, grad)`` returns the
parameters after one step with the gradient `grad`, and keeps, between calls,
the running averages that the method needs. The settings have torch.optim's
names and defaults, so ``gd.Adam(lr=0.1)`` takes the same steps as
``torch.optim.Adam(params, lr=0.1)`` (tests/test_optimizers.py checks it).
`descend_with` runs any of them on a loss and records a `History`.
"""

import math
import numbers
import warnings

import torch

from gd.checks import require_int, require_positive_finite
from gd.descent import History


class Momentum:
    """Gradient descent with momentum (the heavy ball), like ``torch.optim.SGD(momentum=...)``.

    The velocity adds up the gradients, each older one shrunk by `momentum` once
    more per step; the step follows the velocity instead of the gradient alone.
    ``momentum=0`` is plain gradient descent. Both settings are required: torch's
    own default momentum is 0, which would make the name a lie.
    """

    def __init__(self, *, lr, momentum):
        require_positive_finite("lr", lr)
        _require_fraction("momentum", momentum, one_allowed=True)  # 1: a plain running sum
        self.lr, self.momentum = lr, momentum
        self.velocity = 0.0  # so the first velocity is the first gradient, as in torch

    def step(self, a, grad):
        """The parameters after one step from `a` with the gradient `grad` (a new tensor)."""
        # --8<-- [start:momentum]
        self.velocity = self.momentum * self.velocity + grad
        return a - self.lr * self.velocity
        # --8<-- [end:momentum]


class RMSProp:
    """RMSProp, like ``torch.optim.RMSprop``: each parameter's step divided by its typical gradient size.

    `square_avg` is a running average of the squared gradients (recent ones count
    most); its square root is the "root mean square" of the name. `eps` keeps the
    division finite and is added after the square root, as torch does.
    """

    def __init__(self, *, lr=0.01, alpha=0.99, eps=1e-8):
        require_positive_finite("lr", lr)
        _require_fraction("alpha", alpha)
        _require_eps(eps)
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.square_avg = 0.0  # the running average starts empty

    def step(self, a, grad):
        """The parameters after one step from `a` with the gradient `grad` (a new tensor)."""
        # --8<-- [start:rmsprop]
        self.square_avg = self.alpha * self.square_avg + (1 - self.alpha) * grad**2
        return a - self.lr * grad / (self.square_avg.sqrt() + self.eps)
        # --8<-- [end:rmsprop]


class Adam:
    """Adam, like ``torch.optim.Adam``: a running average of the gradients (momentum)
    divided by the root of a running average of their squares (RMSProp).

    Both averages start at zero, so early on they are too small; dividing by
    ``1 - beta**t`` corrects that exactly (``bias_correction=False`` leaves it
    out, to see what it does). `eps` is added to the corrected root, as torch does.
    """

    def __init__(self, *, lr=0.001, betas=(0.9, 0.999), eps=1e-8, bias_correction=True):
        require_positive_finite("lr", lr)
        if not (isinstance(betas, (tuple, list)) and len(betas) == 2):
            raise TypeError(f"betas must be a pair of numbers (beta1, beta2); got {betas!r}")
        _require_fraction("betas[0]", betas[0])
        _require_fraction("betas[1]", betas[1])
        _require_eps(eps)
        self.lr, self.betas, self.eps = lr, tuple(betas), eps
        self.bias_correction = bool(bias_correction)
        self.m, self.v, self.t = 0.0, 0.0, 0  # the two running averages and the step count

    def step(self, a, grad):
        """The parameters after one step from `a` with the gradient `grad` (a new tensor)."""
        # --8<-- [start:adam]
        beta1, beta2 = self.betas
        self.t += 1
        self.m = beta1 * self.m + (1 - beta1) * grad
        self.v = beta2 * self.v + (1 - beta2) * grad**2
        m_hat, v_hat = self.m, self.v
        if self.bias_correction:
            m_hat = self.m / (1 - beta1**self.t)
            v_hat = self.v / (1 - beta2**self.t)
        return a - self.lr * m_hat / (v_hat.sqrt() + self.eps)
        # --8<-- [end:adam]


def descend_with(optimizer, loss, start, *, steps=100):
    """Run `optimizer` (a Momentum, RMSProp or Adam) on `loss` from `start`; return a `History`.

    `loss` maps a parameter tensor to a 0-d tensor, e.g. ``lambda a: gd.mse(x @ a, y)``
    or ``lambda w: curvature / 2 * w**2``; autograd finds its gradient at every step.
    The optimizer keeps its running averages, so use a fresh one for each run.
    """
    if isinstance(optimizer, type) or not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must be an object with step(a, grad), e.g. gd.Adam(); got {optimizer!r}")
    if not callable(loss):
        raise TypeError(f"loss must be a function of the parameters; got {type(loss).__name__}")
    require_int("steps", steps, minimum=0)
    a = torch.as_tensor(start, dtype=torch.float32).detach().clone()
    losses, params = [], [a]
    for step in range(steps):
        a = a.detach().requires_grad_()
        value = loss(a)
        (grad,) = torch.autograd.grad(value, a)
        a = optimizer.step(a.detach(), grad)
        if not (torch.isfinite(value) and torch.isfinite(a).all()):
            warnings.warn(f"descent diverged at step {step}: try a smaller lr", RuntimeWarning, stacklevel=2)
            return History(losses, torch.stack(params), diverged=True, lr=optimizer.lr)
        losses.append(value.item())
        params.append(a)
    return History(losses, torch.stack(params), diverged=False, lr=optimizer.lr)


def _require_fraction(name, value, *, one_allowed=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number; got {type(value).__name__}")
    top = "<= 1" if one_allowed else "< 1"
    if not (0 <= value <= 1 if one_allowed else 0 <= value < 1):
        raise ValueError(f"{name} must be >= 0 and {top}; got {value}")


def _require_eps(eps):
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real):
        raise TypeError(f"eps must be a number; got {type(eps).__name__}")
    if not (math.isfinite(eps) and eps >= 0):
        raise ValueError(f"eps must be a finite number >= 0; got {eps}")
