"""gd.lr_range_test against PyTorch's own loop: torch.optim.SGD driven by ExponentialLR."""

import math
import warnings

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.figure import Figure
from torch.optim.lr_scheduler import ExponentialLR

import gd


@pytest.fixture(scope="module")
def data():
    return gd.linear_data(100, seed=42)


def reference(x, y, start, *, lr_start, lr_end, steps, blow_up=4.0, batch_size=None, seed=0):
    """The same test written independently: SGD + ExponentialLR, F.mse_loss, randperm batches."""
    a = torch.nn.Parameter(torch.as_tensor(start, dtype=x.dtype).clone())
    optimizer = torch.optim.SGD([a], lr=lr_start)
    scheduler = ExponentialLR(optimizer, gamma=(lr_end / lr_start) ** (1 / (steps - 1)))
    generator = torch.Generator().manual_seed(seed)
    batches = []
    lowest = torch.nn.functional.mse_loss(x @ a, y).item()
    lrs, losses, params = [], [], [a.detach().clone()]
    for _ in range(steps):
        if batch_size is None:
            xb, yb = x, y
        else:
            if not batches:
                batches = list(torch.randperm(len(y), generator=generator).split(batch_size))
            rows = batches.pop(0)
            xb, yb = x[rows], y[rows]
        rate = optimizer.param_groups[0]["lr"]
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(xb @ a, yb).backward()
        optimizer.step()
        scheduler.step()
        loss = torch.nn.functional.mse_loss(x @ a, y).item()
        if not math.isfinite(loss):
            return lrs, losses, params, True
        lrs.append(rate)
        losses.append(loss)
        params.append(a.detach().clone())
        if loss > blow_up * lowest:
            return lrs, losses, params, True
        lowest = min(lowest, loss)
    return lrs, losses, params, False


@pytest.mark.parametrize("batch_size", [None, 10, 7])
def test_the_test_is_sgd_with_an_exponentially_growing_rate(data, batch_size):
    x, y = data
    start = torch.tensor([1.0, 1.0])
    test = gd.lr_range_test(x, y, start, lr_start=1e-4, lr_end=10.0, steps=100, batch_size=batch_size, seed=2)
    lrs, losses, params, blew_up = reference(
        x, y, start, lr_start=1e-4, lr_end=10.0, steps=100, batch_size=batch_size, seed=2
    )
    assert test.blew_up and blew_up
    assert test.lrs == pytest.approx(lrs, rel=1e-9)
    assert test.losses == pytest.approx(losses, rel=1e-4)
    assert torch.allclose(test.params, torch.stack(params), rtol=1e-4, atol=1e-6)
    assert torch.equal(start, torch.tensor([1.0, 1.0]))  # the caller's start is untouched


def test_rates_grow_by_one_factor_from_lr_start_to_lr_end(data):
    x, y = data
    test = gd.lr_range_test(x, y, torch.tensor([1.0, 1.0]), lr_start=1e-3, lr_end=0.1, steps=21)
    assert not test.blew_up and len(test.lrs) == 21 and test.params.shape == (22, 2)
    assert test.lrs[0] == pytest.approx(1e-3) and test.lrs[-1] == pytest.approx(0.1)
    ratios = [b / a for a, b in zip(test.lrs, test.lrs[1:], strict=False)]
    assert ratios == pytest.approx([10**0.1] * 20)


def test_it_stops_after_the_first_loss_above_blow_up_times_the_lowest(data):
    x, y = data
    test = gd.lr_range_test(x, y, torch.tensor([1.0, 1.0]), blow_up=2.0)
    assert test.blew_up
    start_loss = gd.mse(x @ torch.tensor([1.0, 1.0]), y).item()
    lowest_before = min([start_loss, *test.losses[:-1]])
    assert test.losses[-1] > 2.0 * lowest_before
    assert all(  # no earlier step crossed the line
        loss <= 2.0 * min([start_loss, *test.losses[:k]]) for k, loss in enumerate(test.losses[:-1])
    )


def test_an_overflow_is_left_out(data):
    x, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow inside torch is the point
        test = gd.lr_range_test(
            x, y, torch.tensor([1.0, 1.0]), lr_start=1.0, lr_end=1e30, steps=50, blow_up=1e40
        )
    assert test.blew_up
    assert all(math.isfinite(v) for v in test.losses) and torch.isfinite(test.params).all()


def test_the_plot_draws_loss_against_rate_on_log_axes(data):
    x, y = data
    full = gd.lr_range_test(x, y, torch.tensor([1.0, 1.0]))
    batches = gd.lr_range_test(x, y, torch.tensor([1.0, 1.0]), batch_size=10)
    opened = plt.get_fignums()
    fig = gd.plot_range_test(full, batches, labels=["all data", "batches of 10"], marks={"limit": 0.9985})
    assert isinstance(fig, Figure) and plt.get_fignums() == opened  # not tracked by pyplot
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    first, second, mark = ax.get_lines()
    assert list(first.get_xdata()) == full.lrs and list(first.get_ydata()) == full.losses
    assert list(second.get_xdata()) == batches.lrs and list(second.get_ydata()) == batches.losses
    assert list(mark.get_xdata()) == [0.9985, 0.9985]
    text = gd.alt_text(fig)
    assert "All data: the rate grew from 0.0001" in text and "Batches of 10:" in text
    assert "blew up" in text and "limit at 0.999" in text


def test_one_test_needs_no_label(data):
    x, y = data
    test = gd.lr_range_test(x, y, torch.tensor([1.0, 1.0]), lr_end=0.1, steps=20)
    fig = gd.plot_range_test(test)
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["loss after the step"]
    assert "blew up" not in gd.alt_text(fig)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"lr_start": 0.0}, ValueError, "lr_start must be a finite number > 0"),
        ({"lr_end": 1e-5}, ValueError, "lr_end must be larger than lr_start"),
        ({"steps": 1}, ValueError, "steps must be >= 2"),
        ({"steps": 10.0}, TypeError, "steps must be an int"),
        ({"blow_up": 1.0}, ValueError, "blow_up must be > 1"),
        ({"batch_size": 0}, ValueError, "batch_size must be >= 1"),
    ],
)
def test_bad_arguments_are_named(data, kwargs, error, message):
    x, y = data
    with pytest.raises(error, match=message):
        gd.lr_range_test(x, y, torch.tensor([1.0, 1.0]), **kwargs)


def test_bad_plot_arguments_are_named(data):
    x, y = data
    test = gd.lr_range_test(x, y, torch.tensor([1.0, 1.0]), lr_end=0.1, steps=5)
    with pytest.raises(ValueError, match="tests must hold at least one RangeTest"):
        gd.plot_range_test()
    with pytest.raises(TypeError, match="tests must be RangeTests"):
        gd.plot_range_test([0.1, 0.2])
    with pytest.raises(ValueError, match="test 1 took none"):
        gd.plot_range_test(gd.RangeTest([], [], torch.zeros(1, 2), blew_up=True))
    with pytest.raises(ValueError, match="labels must name each of the 2 tests"):
        gd.plot_range_test(test, test)
    with pytest.raises(ValueError, match="labels must name each of the 2 tests"):
        gd.plot_range_test(test, test, labels=["one"])
