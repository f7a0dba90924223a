"""gd's schedule formulas against torch.optim.lr_scheduler, step by step.

The reference reads the rate each real update uses: ``optimizer.param_groups[0]["lr"]``
just before ``optimizer.step()``, with ``scheduler.step()`` after it, as PyTorch asks.
"""

import math

import pytest
import torch
from torch.optim import lr_scheduler

import gd

LR = 0.4


def torch_rates(make_scheduler, steps, lr=LR):
    """The rate of each of `steps` real SGD updates driven by a torch scheduler."""
    a = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
    optimizer = torch.optim.SGD([a], lr=lr)
    scheduler = make_scheduler(optimizer)
    rates = []
    for _ in range(steps):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.zero_grad()
        (a**2).sum().backward()
        optimizer.step()
        scheduler.step()
    return rates


@pytest.mark.parametrize(("every", "gamma"), [(1, 0.5), (3, 0.1), (7, 0.3), (50, 0.5)])
def test_step_decay_is_steplr(every, gamma):
    expected = torch_rates(lambda opt: lr_scheduler.StepLR(opt, step_size=every, gamma=gamma), 40)
    ours = [gd.step_decay(t, lr=LR, every=every, gamma=gamma) for t in range(40)]
    assert ours == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("total", "lr_min"), [(1, 0.0), (10, 0.0), (25, 0.05), (100, 0.01)])
def test_cosine_is_cosineannealinglr_up_to_total(total, lr_min):
    expected = torch_rates(
        lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=total, eta_min=lr_min), total + 1
    )
    ours = [gd.cosine(t, lr=LR, total=total, lr_min=lr_min) for t in range(total + 1)]
    assert ours == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert ours[0] == pytest.approx(LR) and ours[-1] == pytest.approx(lr_min, abs=1e-12)


def test_cosine_stays_at_lr_min_where_torch_climbs_back():
    expected = torch_rates(lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=10), 21)
    assert expected[20] == pytest.approx(LR)  # torch: a full period later, back at the peak
    assert gd.cosine(20, lr=LR, total=10) == 0.0


@pytest.mark.parametrize(("warmup", "start_factor"), [(1, 0.5), (5, 0.1), (12, 0.01), (4, 1.0)])
def test_linear_warmup_is_linearlr(warmup, start_factor):
    expected = torch_rates(
        lambda opt: lr_scheduler.LinearLR(opt, start_factor=start_factor, total_iters=warmup), 30
    )
    ours = [gd.linear_warmup(t, lr=LR, warmup=warmup, start_factor=start_factor) for t in range(30)]
    assert ours == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(("warmup", "total", "lr_min"), [(1, 2, 0.0), (5, 30, 0.0), (10, 60, 0.02)])
def test_warmup_cosine_is_sequentiallr(warmup, total, lr_min):
    def make(opt):
        up = lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=warmup)
        down = lr_scheduler.CosineAnnealingLR(opt, T_max=total - warmup, eta_min=lr_min)
        return lr_scheduler.SequentialLR(opt, [up, down], milestones=[warmup])

    expected = torch_rates(make, total + 1)
    ours = [gd.warmup_cosine(t, lr=LR, warmup=warmup, total=total, lr_min=lr_min) for t in range(total + 1)]
    assert ours == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_with_lr_one_a_schedule_is_the_factor_lambdalr_wants():
    def factor(t):
        return gd.warmup_cosine(t, lr=1.0, warmup=5, total=40)

    ours = torch_rates(lambda opt: lr_scheduler.LambdaLR(opt, factor), 41)
    assert ours == pytest.approx([gd.warmup_cosine(t, lr=LR, warmup=5, total=40) for t in range(41)])


def test_the_formulas_by_hand():
    assert gd.step_decay(0, lr=1.0, every=10, gamma=0.5) == 1.0
    assert gd.step_decay(9, lr=1.0, every=10, gamma=0.5) == 1.0
    assert gd.step_decay(10, lr=1.0, every=10, gamma=0.5) == 0.5
    assert gd.cosine(50, lr=1.0, total=100) == pytest.approx(0.5)  # halfway down
    assert gd.cosine(25, lr=1.0, total=100) == pytest.approx((1 + math.sqrt(0.5)) / 2)
    assert gd.linear_warmup(0, lr=1.0, warmup=4, start_factor=0.2) == pytest.approx(0.2)
    assert gd.linear_warmup(2, lr=1.0, warmup=4, start_factor=0.2) == pytest.approx(0.6)
    assert gd.linear_warmup(99, lr=1.0, warmup=4) == 1.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: gd.step_decay(-1, lr=0.1, every=2), ValueError, "step must be >= 0"),
        (lambda: gd.step_decay(1.5, lr=0.1, every=2), TypeError, "step must be an int"),
        (lambda: gd.step_decay(1, lr=0, every=2), ValueError, "lr must be a finite number > 0"),
        (lambda: gd.step_decay(1, lr=0.1, every=0), ValueError, "every must be >= 1"),
        (lambda: gd.step_decay(1, lr=0.1, every=2, gamma=-0.5), ValueError, "gamma must be"),
        (lambda: gd.cosine(1, lr=0.1, total=0), ValueError, "total must be >= 1"),
        (lambda: gd.cosine(1, lr=0.1, total=5, lr_min=0.2), ValueError, "lr_min must be between"),
        (lambda: gd.cosine(1, lr=0.1, total=5, lr_min="0"), TypeError, "lr_min must be a number"),
        (lambda: gd.linear_warmup(1, lr=0.1, warmup=5, start_factor=0), ValueError, "start_factor"),
        (lambda: gd.linear_warmup(1, lr=0.1, warmup=5, start_factor=None), TypeError, "start_factor"),
        (lambda: gd.linear_warmup(1, lr=0.1, warmup=2.0), TypeError, "warmup must be an int"),
        (lambda: gd.warmup_cosine(1, lr=0.1, warmup=5, total=5), ValueError, "total must be >= 6"),
    ],
)
def test_bad_arguments_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
