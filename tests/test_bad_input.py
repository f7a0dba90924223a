"""Bad input to gd gets an error that names the argument and says what was expected."""

import math

import pytest
import torch

import gd

X, Y = gd.linear_data(20, seed=1)
START = torch.tensor([1.0, 1.0])


def with_value(t, index, value):
    t = t.clone()
    t.view(-1)[index] = value
    return t


CASES = [
    ("fit, NaN in x", lambda: gd.fit(with_value(X, 3, math.nan), Y, START), ValueError, "x must hold finite"),
    ("fit, inf in y", lambda: gd.fit(X, with_value(Y, 0, math.inf), START), ValueError, "y must hold finite"),
    ("fit, NaN start", lambda: gd.fit(X, Y, torch.tensor([math.nan, 1.0])), ValueError, "a must hold finite"),
    ("fit, empty data", lambda: gd.fit(X[:0], Y[:0], START), ValueError, "x must have at least one row"),
    (
        "train, inf start",
        lambda: gd.train(X, Y, [math.inf, 0.0], lr=0.1),
        ValueError,
        "start must hold finite",
    ),
    ("train, 3 numbers", lambda: gd.train(X, Y, [1.0, 2.0, 3.0], lr=0.1), ValueError, "start must hold 2"),
    ("mse, empty", lambda: gd.mse(torch.zeros(0), torch.zeros(0)), ValueError, "must not be empty"),
    ("lr_sweep, a number", lambda: gd.lr_sweep(X, Y, 0.1), TypeError, "lrs must be a list"),
    (
        "lr_sweep, a list for x",
        lambda: gd.lr_sweep(X.tolist(), Y, [0.1]),
        TypeError,
        "x must be a torch.Tensor",
    ),
    ("linear_data, float seed", lambda: gd.linear_data(10, seed=1.5), TypeError, "seed must be an int"),
    ("linear_data, NaN a", lambda: gd.linear_data(10, a=(math.nan, 1.0)), ValueError, "a must hold finite"),
    ("linear_data, 3 numbers", lambda: gd.linear_data(10, a=(1.0, 2.0, 3.0)), ValueError, "a must hold 2"),
    (
        "plot_fit, 3 numbers",
        lambda: gd.plot_fit(X, Y, torch.tensor([1.0, 2.0, 3.0])),
        ValueError,
        "a must hold 2",
    ),
    ("plot_data, empty", lambda: gd.plot_data(X[:0], Y[:0]), ValueError, "x must have at least one row"),
    ("plot_landscape, y too short", lambda: gd.plot_landscape(X, Y[:5]), ValueError, "y must have one value"),
]


@pytest.mark.parametrize(("call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
