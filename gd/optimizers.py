"""Momentum, RMSProp, Adam and AdamW, each written out in a few lines, to compare with torch.optim.

torch.optim's optimizers are written for speed and generality (many tensors,
options, fused kernels), which hides how short each idea is. Each class here
updates one tensor of parameters: ``a = opt.step(a, grad)`` returns the
parameters after one step with the gradient `grad`, and keeps, between calls,
the running averages that the method needs. The settings have torch.optim's
names, meanings and defaults, so ``gd.Adam(lr=0.1)`` takes the same steps as
``torch.optim.Adam(params, lr=0.1)`` (tests/test_optimizers.py checks a grid of
settings, in float32 and float64). `make_optimizer` lets `descend` and `train`
run either kind, ours or torch.optim's.
"""

import torch

from gd.checks import require_tensor
from gd.settings import check_settings


class Momentum:
    """Gradient descent with momentum (the heavy ball), like ``torch.optim.SGD(momentum=...)``.

    The velocity adds up the gradients, each older one shrunk by `momentum` once
    more per step; the step follows the velocity instead of the gradient alone.
    ``momentum=0`` is plain gradient descent. `lr` and `momentum` are required:
    torch's own default momentum is 0, which would make the name a lie.

    dampening:    scales each new gradient by ``1 - dampening`` as it joins the
                  velocity (from the second step on, as torch does).
    nesterov:     step along ``grad + momentum * velocity``: the gradient, plus
                  the velocity's next contribution (Nesterov's look-ahead).
    weight_decay: L2 regularisation: ``weight_decay * a`` is added to the
                  gradient, as torch does; the step pulls every parameter to 0.
    """

    def __init__(self, *, lr, momentum, dampening=0.0, nesterov=False, weight_decay=0.0):
        check_settings(
            lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov, weight_decay=weight_decay
        )
        self.lr, self.momentum, self.dampening, self.nesterov = lr, momentum, dampening, nesterov
        self.weight_decay = weight_decay
        self.velocity = None  # no velocity before the first step

    def step(self, a, grad):
        """The parameters after one step from `a` with the gradient `grad` (a new tensor)."""
        _check_step(a, grad)
        if self.weight_decay:  # L2: the decay's gradient joins the loss's
            grad = grad + self.weight_decay * a
        # --8<-- [start:momentum]
        if self.velocity is None:  # the first velocity is the first gradient, as in torch
            self.velocity = grad
        else:
            self.velocity = self.momentum * self.velocity + (1 - self.dampening) * grad
        direction = grad + self.momentum * self.velocity if self.nesterov else self.velocity
        return a - self.lr * direction
        # --8<-- [end:momentum]


class RMSProp:
    """RMSProp, like ``torch.optim.RMSprop``: each parameter's step divided by its typical gradient size.

    `square_avg` is a running average of the squared gradients (recent ones count
    most); its square root is the "root mean square" of the name. `eps` keeps the
    division finite and is added after the square root, as torch does.
    `weight_decay` adds ``weight_decay * a`` to the gradient (L2), as torch does.
    """

    def __init__(self, *, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0):
        check_settings(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay)
        self.lr, self.alpha, self.eps, self.weight_decay = lr, alpha, eps, weight_decay
        self.square_avg = 0.0  # the running average starts empty

    def step(self, a, grad):
        """The parameters after one step from `a` with the gradient `grad` (a new tensor)."""
        _check_step(a, grad)
        if self.weight_decay:  # L2: the decay's gradient joins the loss's
            grad = grad + self.weight_decay * a
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

    weight_decay: L2, as torch's Adam: ``weight_decay * a`` is added to the
                  gradient, and so is divided by the root like the rest of it.
                  With ``decoupled_weight_decay=True`` (that is `AdamW`) the
                  parameters shrink by ``lr * weight_decay`` of themselves
                  instead, apart from the gradient.
    """

    def __init__(
        self,
        *,
        lr=0.001,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.0,
        decoupled_weight_decay=False,
        bias_correction=True,
    ):
        switches = {"decoupled_weight_decay": decoupled_weight_decay, "bias_correction": bias_correction}
        check_settings(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, **switches)
        self.lr, self.betas, self.eps, self.weight_decay = lr, tuple(betas), eps, weight_decay
        self.decoupled_weight_decay, self.bias_correction = decoupled_weight_decay, bias_correction
        self.m, self.v, self.t = 0.0, 0.0, 0  # the two running averages and the step count

    def step(self, a, grad):
        """The parameters after one step from `a` with the gradient `grad` (a new tensor)."""
        _check_step(a, grad)
        # --8<-- [start:decay]
        if self.weight_decay and self.decoupled_weight_decay:  # AdamW: shrink a itself
            a = a * (1 - self.lr * self.weight_decay)
        elif self.weight_decay:  # L2: the decay's gradient joins the loss's
            grad = grad + self.weight_decay * a
        # --8<-- [end:decay]
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


class AdamW(Adam):
    """AdamW, like ``torch.optim.AdamW``: Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    Adam's L2 `weight_decay` is divided by the root of the squared gradients,
    so parameters with large gradients decay less. AdamW shrinks every
    parameter by ``lr * weight_decay`` of itself at each step, apart from the
    gradient. It is ``Adam(decoupled_weight_decay=True)``, with torch's
    default decay of 0.01.
    """

    def __init__(self, *, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
        super().__init__(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, decoupled_weight_decay=True)


def make_optimizer(optimizer, a, settings):
    """``(opt, lr)``: the class `optimizer` built with `settings` to update the Parameter `a`, and its rate.

    `optimizer` is one of torch.optim's classes (``torch.optim.SGD``) or ours
    (``gd.Adam``). Either way `opt` is driven as torch.optim's are:
    ``zero_grad()``, ``backward()``, ``step()``; ours get a wrapper that hands
    them `a` and its gradient.
    """
    check_settings(**settings)
    if isinstance(optimizer, type) and issubclass(optimizer, torch.optim.Optimizer):
        opt = optimizer([a], **settings)
        return opt, opt.param_groups[0]["lr"]
    if isinstance(optimizer, type) and issubclass(optimizer, (Momentum, RMSProp, Adam)):
        ours = optimizer(**settings)
        return _Driven(ours, a), ours.lr
    got = repr(optimizer) if isinstance(optimizer, type) else f"an instance of {type(optimizer).__name__}"
    raise TypeError(
        "optimizer must be an optimizer class, torch.optim's (torch.optim.SGD, ...) or gd's (gd.Momentum, "
        f"gd.RMSProp, gd.Adam, gd.AdamW), its settings given as keywords (lr=0.1, ...); got {got}"
    )


class _Driven:
    """One of our optimizers, updating the Parameter `a` in place the way torch.optim's do."""

    def __init__(self, ours, a):
        self.ours, self.a = ours, a

    def zero_grad(self):
        self.a.grad = None

    def step(self):
        with torch.no_grad():  # the update is bookkeeping, not part of the model
            self.a.copy_(self.ours.step(self.a.detach(), self.a.grad))


def _check_step(a, grad):
    require_tensor("a", a)
    require_tensor("grad", grad)
    if grad.shape != a.shape or grad.dtype != a.dtype:
        raise ValueError(
            f"grad must have a's shape and dtype ({tuple(a.shape)}, {a.dtype}); "
            f"got {tuple(grad.shape)}, {grad.dtype}"
        )
