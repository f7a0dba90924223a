"""Learning-rate schedules: the rate as a plain function of the step.

A schedule answers one question: which learning rate does update number
`step` use (counting from 0)? Written as formulas, three common answers fit on
a screen. torch.optim.lr_scheduler computes the same rates step by step
(StepLR, CosineAnnealingLR, LinearLR + SequentialLR) up to each schedule's
end, and past it too, with one exception: after `total`, `cosine` and
`warmup_cosine` stay at `lr_min`, where torch's CosineAnnealingLR follows the
cosine wave back up (tests/test_schedules.py checks both). A function of the
step can also drive any torch optimizer through ``LambdaLR``: each function
takes the peak rate `lr`; with ``lr=1.0`` it returns the factor that
``LambdaLR`` multiplies the optimizer's rate by.

`one_cycle` moves two settings at once, the rate and the momentum, so it
returns both: ``(rate, momentum)`` at each update, the values that
torch's OneCycleLR sets.
"""

import math

from gd.checks import require_fraction, require_int, require_number, require_positive_finite


# --8<-- [start:step_decay]
def step_decay(step, *, lr, every, gamma=0.1):
    """`lr` for the first `every` updates, then times `gamma` every `every`."""
    _check(step, lr)
    require_int("every", every, minimum=1)
    _check_gamma(gamma)
    blocks = step // every  # how many whole blocks of `every` updates are done
    return lr * gamma**blocks
    # --8<-- [end:step_decay]


# --8<-- [start:cosine]
def cosine(step, *, lr, total, lr_min=0.0):
    """From `lr` down to `lr_min` on half a cosine wave over `total` updates.

    After `total` the rate stays at `lr_min`. (torch's CosineAnnealingLR
    agrees up to `total`, then follows the wave back up.)
    """
    _check(step, lr)
    require_int("total", total, minimum=1)
    _check_lr_min(lr_min, lr)
    progress = min(step, total) / total  # 0 at the start, 1 at the end
    return lr_min + (lr - lr_min) * (1 + math.cos(math.pi * progress)) / 2
    # --8<-- [end:cosine]


# --8<-- [start:warmup]
def linear_warmup(step, *, lr, warmup, start_factor=0.1):
    """From ``start_factor * lr`` up to `lr` in a line over `warmup` updates.

    After `warmup` updates the rate stays at `lr`.
    """
    _check(step, lr)
    require_int("warmup", warmup, minimum=1)
    _check_start_factor(start_factor)
    progress = min(step, warmup) / warmup  # 0 at the start, 1 once warmed up
    return lr * (start_factor + (1 - start_factor) * progress)
    # --8<-- [end:warmup]


def warmup_cosine(step, *, lr, warmup, total, start_factor=0.1, lr_min=0.0):
    """`linear_warmup` for `warmup` updates, then `cosine` over the remaining ``total - warmup``.

    Every argument is checked at every step, whichever phase the step is in.
    """
    _check(step, lr)
    require_int("warmup", warmup, minimum=1)
    require_int("total", total, minimum=warmup + 1)
    _check_start_factor(start_factor)
    _check_lr_min(lr_min, lr)
    if step < warmup:
        return linear_warmup(step, lr=lr, warmup=warmup, start_factor=start_factor)
    return cosine(step - warmup, lr=lr, total=total - warmup, lr_min=lr_min)


# --8<-- [start:one_cycle]
def one_cycle(
    step,
    *,
    lr,
    total,
    pct_start=0.3,
    div_factor=25.0,
    final_div_factor=1e4,
    base_momentum=0.85,
    max_momentum=0.95,
):
    """``(rate, momentum)`` of update `step` of a one-cycle schedule.

    `total` updates in all. The rate climbs from ``lr / div_factor`` to the
    peak `lr` over the first `pct_start` of the updates, then falls to
    ``lr / div_factor / final_div_factor``; the momentum moves the other
    way, from `max_momentum` down to `base_momentum` at the peak and back
    up. Both glide along half a cosine wave, as in torch's OneCycleLR (its
    defaults, its two phases). Updates are numbered 0 to ``total - 1``.
    """
    _check_one_cycle(
        step,
        lr,
        total,
        pct_start,
        div_factor,
        final_div_factor,
        base_momentum,
        max_momentum,
    )
    low = lr / div_factor  # the rate of the first update
    lowest = low / final_div_factor  # the rate at the end, far below
    top = pct_start * total - 1  # the top of the climb (maybe not whole)
    if step <= top:  # the climb: rate up, momentum down
        progress = step / top
        rate = _glide(low, lr, progress)
        return rate, _glide(max_momentum, base_momentum, progress)
    # the descent: rate down, momentum up
    progress = (step - top) / (total - 1 - top)
    rate = _glide(lr, lowest, progress)
    return rate, _glide(base_momentum, max_momentum, progress)


def _glide(start, end, progress):
    """From `start` (progress 0) to `end` (progress 1), half a cosine."""
    return end + (start - end) / 2 * (1 + math.cos(math.pi * progress))
    # --8<-- [end:one_cycle]


def _check_one_cycle(step, lr, total, pct_start, div_factor, final_div_factor, base_momentum, max_momentum):
    _check(step, lr)
    require_int("total", total, minimum=2)
    if step >= total:
        raise ValueError(
            f"step must be below total ({total}): the cycle's updates are 0 to {total - 1}; got {step}"
        )
    require_number("pct_start", pct_start)
    if not 0 < pct_start < 1:
        raise ValueError(f"pct_start must be between 0 and 1 (both excluded); got {pct_start}")
    if pct_start * total <= 1:
        raise ValueError(
            f"pct_start * total must be > 1, so that the rate climbs for more than one update; "
            f"got {pct_start} * {total}"
        )
    for name, factor in (("div_factor", div_factor), ("final_div_factor", final_div_factor)):
        require_positive_finite(name, factor)
        if factor < 1:
            raise ValueError(f"{name} must be >= 1 (it divides the rate); got {factor}")
    require_fraction("base_momentum", base_momentum, one_allowed=True)
    require_fraction("max_momentum", max_momentum, one_allowed=True)
    if base_momentum > max_momentum:
        raise ValueError(
            f"base_momentum must be at most max_momentum ({max_momentum}): the momentum is lowest at the "
            f"peak rate; got {base_momentum}"
        )


def _check(step, lr):
    require_int("step", step, minimum=0)
    require_positive_finite("lr", lr)


def _check_gamma(gamma):
    require_number("gamma", gamma)
    if not 0 < gamma <= 1:
        raise ValueError(f"gamma must be > 0 and <= 1 (a decay, block after block); got {gamma}")


def _check_lr_min(lr_min, lr):
    require_number("lr_min", lr_min)
    if not 0 <= lr_min <= lr:
        raise ValueError(f"lr_min must be between 0 and lr ({lr}); got {lr_min}")


def _check_start_factor(start_factor):
    require_number("start_factor", start_factor)
    if not 0 < start_factor <= 1:
        raise ValueError(f"start_factor must be > 0 and <= 1; got {start_factor}")
