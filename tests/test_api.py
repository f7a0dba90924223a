"""gd's API as a whole: one vocabulary, the data's dtype kept, callers' tensors left alone, and a
History that says in words what a run did."""

import inspect
import math
import warnings

import pytest
import torch

import gd
from gd.descent import GROWTH

X, Y = gd.linear_data(40, seed=2)


def runs(x, y, start):
    """Every public function that runs from a start on data, with small, calm settings."""
    # descend has no data of its own: its loss is the caller's function, and its start sets the dtype.
    data, first = (x.detach(), y.detach()), torch.as_tensor(start, dtype=x.dtype)
    return {
        "fit": gd.fit(x, y, start, lr=0.1, steps=5),
        "broken_fit": gd.broken_fit(x, y, start, mistake="none", steps=5),
        "train": gd.train(x, y, start, lr=0.1, steps=5, batch_size=8),
        "train, gd.Adam": gd.train(x, y, start, optimizer=gd.Adam, lr=0.1, steps=5),
        "lr_range_test": gd.lr_range_test(x, y, start, lr_end=0.1, steps=5),
        "lr_sweep": gd.lr_sweep(x, y, [0.1], start=start, steps=5).histories[0],
        "descend": gd.descend(lambda a: gd.mse(data[0] @ a, data[1]), first, lr=0.1, steps=5),
        "descend, gd.Momentum": gd.descend(
            lambda a: gd.mse(data[0] @ a, data[1]),
            first,
            optimizer=gd.Momentum,
            lr=0.1,
            momentum=0.9,
            steps=5,
        ),
    }


def test_the_start_is_called_start_and_the_data_x_and_y():
    for function in (gd.fit, gd.broken_fit, gd.train, gd.lr_range_test):
        assert list(inspect.signature(function).parameters)[:3] == ["x", "y", "start"], function
    assert list(inspect.signature(gd.descend).parameters)[:2] == ["loss", "start"]
    for function in (gd.fit, gd.broken_fit, gd.train, gd.lr_range_test, gd.descend, gd.lr_sweep):
        assert "steps" in inspect.signature(function).parameters, function
    # one meaning per name: lr_min is a schedule's floor, never the range test's first rate
    assert {"lr_start", "lr_end"} <= set(inspect.signature(gd.lr_range_test).parameters)
    assert not hasattr(gd, "descend_with")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=str)
def test_every_run_keeps_the_datas_dtype_whatever_the_start(dtype):
    x, y = X.to(dtype), Y.to(dtype)
    for start in (
        [1, 1],
        (1.0, 1.0),
        torch.tensor([1.0, 1.0]),
        torch.tensor([1.0, 1.0], dtype=torch.float64),
    ):
        for name, history in runs(x, y, start).items():
            assert history.params.dtype == dtype, (name, start)
            assert all(isinstance(v, float) and math.isfinite(v) for v in history.losses), name


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=str)
def test_descend_keeps_the_starts_dtype(dtype):
    for optimizer in (torch.optim.SGD, gd.Momentum, gd.RMSProp, gd.Adam, gd.AdamW):
        settings = {"lr": 0.1} | ({"momentum": 0.5} if optimizer is gd.Momentum else {})
        history = gd.descend(
            lambda a: (a**2).sum(), torch.tensor([1.0, 2.0], dtype=dtype), optimizer=optimizer, **settings
        )
        assert history.params.dtype == dtype, optimizer
    assert gd.descend(lambda a: (a**2).sum(), [1, 2], lr=0.1).params.dtype == torch.get_default_dtype()


def test_plots_take_float64_data():
    x, y = X.double(), Y.double()
    history = gd.fit(x, y, [1.0, 1.0], steps=5)
    for fig in (
        gd.plot_fit(x, y, [3.0, 2.0]),
        gd.plot_landscape(x, y, history),
        gd.plot_paths(x, y, history),
    ):
        assert gd.alt_text(fig)
    assert gd.condition_number(x) == pytest.approx(gd.condition_number(X), rel=1e-5)


def test_the_callers_tensors_are_used_not_touched():
    """Data that requires grad (a leaf, or the result of a computation) runs like plain data."""
    leaf_x, leaf_y = X.clone().requires_grad_(), Y.clone().requires_grad_()
    computed_x = leaf_x * 1.0  # not a leaf: backward through it twice would fail
    start = torch.tensor([1.0, 1.0], requires_grad=True)
    ours = runs(computed_x, leaf_y, start)
    plain = runs(X, Y, torch.tensor([1.0, 1.0]))
    for name, history in ours.items():
        assert torch.equal(history.params, plain[name].params), name
    gd.line_loss(computed_x, leaf_y)(torch.zeros(3, 2))
    gd.standardize(computed_x)
    gd.plot_landscape(computed_x, leaf_y, ours["fit"])
    assert leaf_x.grad is None and leaf_y.grad is None and start.grad is None
    assert torch.equal(start.detach(), torch.tensor([1.0, 1.0])) and torch.equal(leaf_x.detach(), X)


def test_history_says_overflowed_grew_or_neither():
    x, y = X, Y
    calm = gd.fit(x, y, [1.0, 1.0], lr=0.1)
    assert (calm.overflowed, calm.grew, calm.diverged) == (False, False, False)
    # lr 1.1 is just past the limit: in 100 steps the loss grows 1e15-fold but stays finite.
    growing = gd.fit(x, y, [1.0, 1.0], lr=1.1)
    assert growing.losses[-1] > 1e12 * growing.losses[0]
    assert (growing.overflowed, growing.grew, growing.diverged) == (False, True, True)
    with pytest.warns(RuntimeWarning, match="overflowed"):
        burst = gd.fit(x, y, [1.0, 1.0], lr=50.0)
    assert (burst.overflowed, burst.grew, burst.diverged) == (True, True, True)


def test_grew_means_more_than_growth_times_the_first_loss():
    def history(losses):
        return gd.History(losses, torch.zeros(len(losses) + 1, 1), overflowed=False, lr=0.1)

    assert GROWTH == 10
    assert not history([2.0, 19.9]).grew and history([2.0, 20.1]).grew
    assert not history([2.0, 50.0, 1.0]).grew  # a bump on the way down is not growth
    assert not history([]).grew and not history([5.0]).grew
    assert history([0.0, 1e-9]).grew  # from exactly 0, any rise
    assert not history([-1.0, -0.5]).grew and history([-1.0, 8.5]).grew  # 9 times its size above it


def test_a_sweep_counts_what_overflowed_and_what_grew():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sweep = gd.lr_sweep(X, Y, [0.1, 1.1, 3.0])
    assert repr(sweep) == "Sweep of 3 runs over lr in [0.1, 1.1, 3.0] (1 overflowed, 1 grew)"


def test_the_reference_has_one_entry_per_public_name():
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "reference.md").read_text()
    entries = [line.removeprefix("::: gd.") for line in page.splitlines() if line.startswith("::: gd.")]
    assert sorted(entries) == sorted(gd.__all__)  # each once, none missing, none extra
