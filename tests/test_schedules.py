"""gd's schedule formulas against torch.optim.lr_scheduler, step by step, in float32 and float64.

The reference reads the rate each real update uses: ``optimizer.param_groups[0]["lr"]``
just before ``optimizer.step()``, with ``scheduler.step()`` after it, as PyTorch asks.
Past a schedule's end they agree too, except where gd says they differ: after `total`,
gd's cosine stays at lr_min and torch's climbs back up the wave.
"""

import math

import pytest
import torch
from torch.optim import lr_scheduler

import gd

LR = 0.4
DTYPES = [torch.float32, torch.float64]


def torch_rates(make_scheduler, steps, lr=LR, dtype=torch.float32):
    """The rate of each of `steps` real SGD updates driven by a torch scheduler."""
    a = torch.nn.Parameter(torch.tensor([1.0, -2.0], dtype=dtype))
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


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize(("every", "gamma"), [(1, 0.5), (3, 0.1), (7, 0.3), (50, 0.5), (4, 1.0)])
def test_step_decay_is_steplr_also_past_its_last_drop(every, gamma, dtype):
    expected = torch_rates(
        lambda opt: lr_scheduler.StepLR(opt, step_size=every, gamma=gamma), 120, dtype=dtype
    )
    ours = [gd.step_decay(t, lr=LR, every=every, gamma=gamma) for t in range(120)]
    assert ours == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize(("total", "lr_min"), [(1, 0.0), (10, 0.0), (25, 0.05), (100, 0.01)])
def test_cosine_is_cosineannealinglr_up_to_total(total, lr_min, dtype):
    expected = torch_rates(
        lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=total, eta_min=lr_min), total + 1, dtype=dtype
    )
    ours = [gd.cosine(t, lr=LR, total=total, lr_min=lr_min) for t in range(total + 1)]
    assert ours == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert ours[0] == pytest.approx(LR) and ours[-1] == pytest.approx(lr_min, abs=1e-12)


@pytest.mark.parametrize(("total", "lr_min"), [(10, 0.0), (25, 0.05)])
def test_past_total_cosine_stays_at_lr_min_where_torch_climbs_back(total, lr_min):
    """The one documented difference: torch's rates after T_max follow the cosine wave up again."""
    expected = torch_rates(
        lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=total, eta_min=lr_min), 3 * total
    )
    ours = [gd.cosine(t, lr=LR, total=total, lr_min=lr_min) for t in range(3 * total)]
    assert ours[total:] == [lr_min] * (2 * total)
    wave = [lr_min + (LR - lr_min) * (1 + math.cos(math.pi * t / total)) / 2 for t in range(3 * total)]
    assert expected == pytest.approx(wave, rel=1e-9, abs=1e-12)  # torch: the wave, periodic
    assert expected[2 * total] == pytest.approx(LR)  # a full period later, back at the peak


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize(("warmup", "start_factor"), [(1, 0.5), (5, 0.1), (12, 0.01), (4, 1.0)])
def test_linear_warmup_is_linearlr_also_past_its_end(warmup, start_factor, dtype):
    expected = torch_rates(
        lambda opt: lr_scheduler.LinearLR(opt, start_factor=start_factor, total_iters=warmup), 40, dtype=dtype
    )
    ours = [gd.linear_warmup(t, lr=LR, warmup=warmup, start_factor=start_factor) for t in range(40)]
    assert ours == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize(("warmup", "total", "lr_min"), [(1, 2, 0.0), (5, 30, 0.0), (10, 60, 0.02)])
def test_warmup_cosine_is_sequentiallr_up_to_total(warmup, total, lr_min, dtype):
    def make(opt):
        up = lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=warmup)
        down = lr_scheduler.CosineAnnealingLR(opt, T_max=total - warmup, eta_min=lr_min)
        return lr_scheduler.SequentialLR(opt, [up, down], milestones=[warmup])

    expected = torch_rates(make, 2 * total, dtype=dtype)
    ours = [gd.warmup_cosine(t, lr=LR, warmup=warmup, total=total, lr_min=lr_min) for t in range(2 * total)]
    assert ours[: total + 1] == pytest.approx(expected[: total + 1], rel=1e-9, abs=1e-12)
    assert ours[total:] == [lr_min] * total  # past total: lr_min, where torch's cosine climbs back
    assert expected[-1] > lr_min + 0.5 * (LR - lr_min)


def test_with_lr_one_a_schedule_is_the_factor_lambdalr_wants():
    def factor(t):
        return gd.warmup_cosine(t, lr=1.0, warmup=5, total=40)

    ours = torch_rates(lambda opt: lr_scheduler.LambdaLR(opt, factor), 41)
    assert ours == pytest.approx([gd.warmup_cosine(t, lr=LR, warmup=5, total=40) for t in range(41)])


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (
            lambda t: gd.step_decay(t, lr=1.0, every=7, gamma=0.5),
            lambda o: lr_scheduler.StepLR(o, 7, gamma=0.5),
        ),
        (lambda t: gd.cosine(t, lr=1.0, total=30), lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=30)),
        (
            lambda t: gd.linear_warmup(t, lr=1.0, warmup=8),
            lambda o: lr_scheduler.LinearLR(o, 0.1, total_iters=8),
        ),
    ],
    ids=["step_decay", "cosine", "linear_warmup"],
)
def test_gd_train_driven_by_our_schedule_is_driven_by_torchs(ours, theirs, dtype):
    """The same 30 mini-batch updates, the rate from LambdaLR(our formula) or from torch's scheduler."""
    x, y = (t.to(dtype) for t in gd.linear_data(40, seed=3))
    runs = [
        gd.train(x, y, [1.0, 1.0], lr=LR, steps=30, batch_size=8, schedule=schedule)
        for schedule in (lambda opt: lr_scheduler.LambdaLR(opt, ours), theirs)
    ]
    assert runs[0].params.dtype == dtype
    tolerance = 1e-6 if dtype == torch.float32 else 1e-14
    torch.testing.assert_close(runs[0].params, runs[1].params, rtol=tolerance, atol=tolerance)


def test_the_formulas_by_hand():
    assert gd.step_decay(0, lr=1.0, every=10, gamma=0.5) == 1.0
    assert gd.step_decay(9, lr=1.0, every=10, gamma=0.5) == 1.0
    assert gd.step_decay(10, lr=1.0, every=10, gamma=0.5) == 0.5
    assert gd.cosine(50, lr=1.0, total=100) == pytest.approx(0.5)  # halfway down
    assert gd.cosine(25, lr=1.0, total=100) == pytest.approx((1 + math.sqrt(0.5)) / 2)
    assert gd.linear_warmup(0, lr=1.0, warmup=4, start_factor=0.2) == pytest.approx(0.2)
    assert gd.linear_warmup(2, lr=1.0, warmup=4, start_factor=0.2) == pytest.approx(0.6)
    assert gd.linear_warmup(99, lr=1.0, warmup=4) == 1.0


def torch_cycle(total, optimizer=torch.optim.SGD, dtype=torch.float32, **settings):
    """(rate, momentum) of each of `total` real updates under OneCycleLR: SGD's momentum, Adam's beta1."""
    a = torch.nn.Parameter(torch.tensor([1.0, -2.0], dtype=dtype))
    extra = {"momentum": 0.9} if optimizer is torch.optim.SGD else {}
    opt = optimizer([a], lr=LR, **extra)
    scheduler = lr_scheduler.OneCycleLR(opt, total_steps=total, **settings)
    seen = []
    for _ in range(total):
        group = opt.param_groups[0]
        seen.append((group["lr"], group["momentum"] if "momentum" in group else group["betas"][0]))
        opt.zero_grad()
        (a**2).sum().backward()
        opt.step()
        scheduler.step()
    return seen


CYCLES = [
    (100, {}),
    (37, {"pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0}),
    (60, {"base_momentum": 0.8, "max_momentum": 0.99, "pct_start": 0.5}),
    (7, {"pct_start": 0.2}),  # the top falls between two updates: the peak itself is never used
    (2, {"pct_start": 0.9}),
    (25, {"div_factor": 1.0, "final_div_factor": 1.0, "base_momentum": 0.9, "max_momentum": 0.9}),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("optimizer", [torch.optim.SGD, torch.optim.Adam], ids=["SGD", "Adam"])
@pytest.mark.parametrize(("total", "settings"), CYCLES)
def test_one_cycle_is_onecyclelr_rate_and_momentum_at_every_update(total, settings, optimizer, dtype):
    expected = torch_cycle(total, optimizer, dtype, max_lr=LR, **settings)
    ours = [gd.one_cycle(t, lr=LR, total=total, **settings) for t in range(total)]
    flat = [value for pair in ours for value in pair]
    assert flat == pytest.approx([value for pair in expected for value in pair], rel=1e-12, abs=1e-15)


def test_one_cycle_by_hand():
    # 50 updates, 42% of them climbing: the top is update 0.42 * 50 - 1 = 20 (up to rounding)
    rates, momenta = zip(*(gd.one_cycle(t, lr=1.0, total=50, pct_start=0.42) for t in range(50)), strict=True)
    assert rates[0] == pytest.approx(1 / 25) and momenta[0] == pytest.approx(0.95)
    assert rates[20] == pytest.approx(1.0) and momenta[20] == pytest.approx(0.85)
    assert rates[10] == pytest.approx((1 / 25 + 1) / 2) and momenta[10] == pytest.approx(0.9)  # halfway up
    assert rates[49] == pytest.approx(1 / 25 / 1e4) and momenta[49] == pytest.approx(0.95)  # the last update
    # the rate only climbs, then only falls; the momentum does the opposite
    assert list(rates[:21]) == sorted(rates[:21]) and list(rates[20:]) == sorted(rates[20:], reverse=True)
    assert list(momenta[:21]) == sorted(momenta[:21], reverse=True) and list(momenta[20:]) == sorted(
        momenta[20:]
    )


def test_one_cycle_rate_drives_lambdalr_and_its_momentum_drives_sgd():
    """gd.train under OneCycleLR takes the same steps as a loop that sets our two numbers by hand."""
    x, y = gd.linear_data(40, seed=3)
    total = 30

    def cycle(opt):
        return lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=total)

    expected = gd.train(x, y, [1.0, 1.0], lr=LR, momentum=0.9, steps=total, batch_size=8, schedule=cycle)
    a = torch.nn.Parameter(torch.tensor([1.0, 1.0]))
    opt = torch.optim.SGD([a], lr=LR, momentum=0.9)
    batches = gd.training.batches(len(y), 8, 0)
    for t in range(total):
        opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"] = gd.one_cycle(t, lr=LR, total=total)
        rows = next(batches)
        opt.zero_grad()
        gd.mse(x[rows] @ a, y[rows]).backward()
        opt.step()
    torch.testing.assert_close(a.detach(), expected.params[-1], rtol=0, atol=0)
