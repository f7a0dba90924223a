"""gd.linear_data: the recipe, reproducibility, and clear errors."""

import pytest
import torch

import gd


def test_recipe_shapes_ranges_and_noise():
    x, y = gd.linear_data(500, a=(3.0, 2.0), seed=0)
    assert x.shape == (500, 2) and y.shape == (500,)
    assert torch.all(x[:, 1] == 1.0)
    assert x[:, 0].min() >= -1.0 and x[:, 0].max() < 1.0
    noise = y - (3.0 * x[:, 0] + 2.0)  # independent of gd: the line written out by hand
    assert noise.min() >= -1e-6 and noise.max() < 1.0 + 1e-6
    assert abs(noise.mean().item() - 0.5) < 0.05  # uniform [0, 1) has mean 0.5


def test_seed_reproduces_and_leaves_global_rng_alone():
    before = torch.get_rng_state()
    x1, y1 = gd.linear_data(50, seed=7)
    x2, y2 = gd.linear_data(50, seed=7)
    assert torch.equal(torch.get_rng_state(), before)
    assert torch.equal(x1, x2) and torch.equal(y1, y2)
    x3, _ = gd.linear_data(50, seed=8)
    assert not torch.equal(x1, x3)


def test_unseeded_uses_global_rng():
    torch.manual_seed(1)
    first = gd.linear_data(10)
    torch.manual_seed(1)
    second = gd.linear_data(10)
    assert torch.equal(first[0], second[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"n": 0}, ValueError, "n must be >= 1"),
        ({"n": -5}, ValueError, "n must be >= 1"),
        ({"n": 2.5}, TypeError, "n must be an int"),
        ({"n": True}, TypeError, "n must be an int"),
        ({"a": (1.0, 2.0, 3.0)}, ValueError, "a must hold 2 numbers"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, words):
    with pytest.raises(error, match=words):
        gd.linear_data(**kwargs)


def test_x_range_spreads_x_and_keeps_the_noise():
    x, y = gd.linear_data(100, seed=42)
    wide_x, wide_y = gd.linear_data(100, seed=42, x_range=(0, 10))
    assert wide_x[:, 0].min() >= 0 and wide_x[:, 0].max() < 10
    assert torch.allclose(wide_x[:, 0], 5 * (x[:, 0] + 1))
    a = torch.tensor([3.0, 2.0])
    assert torch.allclose(wide_y - wide_x @ a, y - x @ a, atol=1e-5)  # the same noise


@pytest.mark.parametrize(
    ("x_range", "error"), [((5, 1), ValueError), ((0, float("inf")), ValueError), (3, TypeError)]
)
def test_bad_x_range_is_named(x_range, error):
    with pytest.raises(error, match="x_range"):
        gd.linear_data(10, seed=1, x_range=x_range)
