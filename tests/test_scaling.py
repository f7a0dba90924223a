"""gd.condition_number and gd.standardize against torch.linalg, autograd, numpy and least squares."""

import math

import numpy as np
import pytest
import torch

import gd

CENTRED = gd.linear_data(100, seed=42)
RAW = gd.linear_data(100, seed=42, x_range=(0, 10))
FAR = gd.linear_data(60, seed=7, x_range=(100, 103))


@pytest.mark.parametrize("data", [CENTRED, RAW, FAR], ids=["centred", "raw", "far"])
def test_condition_number_is_the_square_of_torchs_cond(data):
    x, _ = data
    # cond(x) is the ratio of x's largest to smallest singular value; those of xᵀx are their squares.
    expected = torch.linalg.cond(x.double()).item() ** 2
    assert gd.condition_number(x) == pytest.approx(expected, rel=1e-6)


def test_condition_number_is_the_ratio_of_autograds_curvatures():
    x, y = RAW
    x, y = x.double(), y.double()
    hessian = torch.autograd.functional.hessian(
        lambda a: torch.nn.functional.mse_loss(x @ a, y), torch.zeros(2, dtype=torch.float64)
    )
    curvatures = torch.linalg.eigvalsh(hessian)
    assert gd.condition_number(x) == pytest.approx((curvatures[-1] / curvatures[0]).item(), rel=1e-9)
    assert gd.condition_number(x) > 100  # the un-centred inputs: a long, narrow valley


def test_a_column_that_repeats_another_gives_an_infinite_condition_number():
    x, _ = CENTRED
    assert gd.condition_number(torch.cat([x, x[:, :1]], dim=1)) == math.inf


@pytest.mark.parametrize("data", [CENTRED, RAW, FAR], ids=["centred", "raw", "far"])
def test_standardize_matches_numpy_and_leaves_the_ones_alone(data):
    x, _ = data
    x_std, mean, std = gd.standardize(x)
    column = x[:, 0].double().numpy()
    assert mean.tolist() == pytest.approx([column.mean(), 0.0], rel=1e-5)
    assert std.tolist() == pytest.approx([column.std(), 1.0], rel=1e-5)  # numpy divides by n
    reference = (column - column.mean()) / column.std()
    np.testing.assert_allclose(x_std[:, 0].numpy(), reference, rtol=1e-4, atol=1e-4)
    assert torch.equal(x_std[:, 1], torch.ones(len(x)))
    assert x.shape == x_std.shape


@pytest.mark.parametrize("data", [CENTRED, RAW, FAR], ids=["centred", "raw", "far"])
def test_standardized_inputs_make_a_round_bowl(data):
    x, _ = data
    x_std, _, _ = gd.standardize(x)
    assert gd.condition_number(x_std) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("data", [RAW, FAR], ids=["raw", "far"])
def test_a_fit_on_standardized_inputs_maps_back_to_least_squares(data):
    x, y = data
    x_std, mean, std = gd.standardize(x)
    # With a round bowl of curvature 2, lr = 0.5 lands on the answer in one step.
    a = gd.fit(x_std, y, torch.zeros(2), lr=0.5, steps=3).params[-1]
    slope = a[0] / std[0]
    intercept = a[1] - a[0] * mean[0] / std[0]
    best = torch.linalg.lstsq(x.double(), y.double().unsqueeze(1)).solution.squeeze(1)
    assert [slope.item(), intercept.item()] == pytest.approx(best.tolist(), rel=1e-3, abs=1e-3)


def test_a_constant_column_other_than_ones_passes_unchanged():
    x = torch.tensor([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    x_std, mean, std = gd.standardize(x)
    assert mean.tolist() == [3.0, 0.0] and std.tolist() == pytest.approx([math.sqrt(8 / 3), 1.0])
    assert x_std[:, 1].tolist() == [5.0, 5.0, 5.0]


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ([[1.0, 1.0]], TypeError, "x must be a torch.Tensor"),
        (torch.ones(5), ValueError, "x must be a 2-D tensor"),
        (torch.ones(5, 2, dtype=torch.int64), TypeError, "x must hold floating-point numbers"),
    ],
)
def test_bad_arguments_are_named(value, error, message):
    for function in (gd.condition_number, gd.standardize):
        with pytest.raises(error, match=message):
            function(value)
