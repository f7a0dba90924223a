"""gd.fit against independent references: torch.optim.SGD, lstsq and autograd."""

import math
import warnings

import pytest
import torch
import torch.nn.functional as F

import gd


@pytest.fixture
def data():
    return gd.linear_data(100, seed=42)


def sgd_reference(x, y, start, lr, steps):
    """The same descent done by torch.optim.SGD and F.mse_loss (no gd code involved)."""
    p = torch.nn.Parameter(start.clone())
    opt = torch.optim.SGD([p], lr=lr)
    losses, params = [], [p.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(x @ p, y)
        losses.append(loss.item())
        loss.backward()
        opt.step()
        params.append(p.detach().clone())
    return losses, torch.stack(params)


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.7])
def test_fit_follows_torch_optim_sgd(data, lr):
    x, y = data
    start = torch.tensor([1.0, 1.0])
    history = gd.fit(x, y, start, lr=lr, steps=50)
    losses, params = sgd_reference(x, y, start, lr, 50)
    assert history.losses == pytest.approx(losses, rel=1e-5)
    torch.testing.assert_close(history.params, params)
    assert history.overflowed is False and history.lr == lr


def test_fit_converges_to_least_squares(data):
    x, y = data
    exact = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
    history = gd.fit(x, y, torch.tensor([-1.0, 1.0]), lr=0.5, steps=1000)
    torch.testing.assert_close(history.params[-1], exact, atol=1e-4, rtol=0)


def test_hand_derived_gradient_equals_autograd(data):
    x, y = data
    a = torch.tensor([0.5, -0.3], requires_grad=True)
    F.mse_loss(x @ a, y).backward()
    by_hand = 2 / len(y) * x.T @ (x @ a.detach() - y)  # d/da of mean((x a - y)^2)
    torch.testing.assert_close(by_hand, a.grad)
    # One fit step moves a by exactly -lr times that gradient.
    history = gd.fit(x, y, a.detach(), lr=0.1, steps=1)
    torch.testing.assert_close(history.params[1], a.detach() - 0.1 * by_hand)


def test_history_shape_and_loss_before_update(data):
    x, y = data
    start = torch.tensor([1.0, 1.0])
    history = gd.fit(x, y, start, steps=7)
    assert len(history.losses) == 7 and history.params.shape == (8, 2)
    assert history.losses[0] == pytest.approx(F.mse_loss(x @ start, y).item())
    torch.testing.assert_close(history.params[0], start)


def test_fit_leaves_callers_tensor_alone(data):
    x, y = data
    start = torch.tensor([1.0, 1.0], requires_grad=True)
    gd.fit(x, y, start, steps=5)
    assert torch.equal(start.detach(), torch.tensor([1.0, 1.0])) and start.grad is None


def test_zero_steps(data):
    history = gd.fit(*data, torch.tensor([1.0, 1.0]), steps=0)
    assert history.losses == [] and history.params.shape == (1, 2)


def test_float64_stays_float64():
    x, y = gd.linear_data(30, seed=1)
    history = gd.fit(x.double(), y.double(), torch.tensor([1.0, 1.0], dtype=torch.float64), steps=3)
    assert history.params.dtype == torch.float64


def test_divergence_is_caught_and_reported(data):
    x, y = data
    with pytest.warns(RuntimeWarning, match=r"stopped at step \d+ with lr=50: .* overflowed .* smaller lr"):
        history = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=50, steps=500)
    assert history.overflowed is True and history.grew and history.diverged
    assert len(history.losses) < 500 and len(history.params) == len(history.losses) + 1
    assert all(math.isfinite(v) for v in history.losses)
    assert torch.isfinite(history.params).all()
    # Losses grow: that is what divergence looks like before it overflows.
    assert history.losses[-1] > history.losses[0] * 1e6


def test_no_warning_when_converging(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gd.fit(*data, torch.tensor([1.0, 1.0]))


X = torch.zeros(10, 2)
Y = torch.zeros(10)
A = torch.zeros(2)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((X, torch.zeros(9), A), {}, ValueError, r"y must have one value per row of x \(10 rows\); got 9"),
        (
            (X, Y, torch.zeros(3)),
            {},
            ValueError,
            r"start must hold one value per column of x \(2 columns\); got 3",
        ),
        ((torch.zeros(10), Y, A), {}, ValueError, r"x must be a 2-D tensor; got 1-D"),
        ((X, torch.zeros(10, 1), A), {}, ValueError, r"y must be a 1-D tensor"),
        ((X, Y, torch.zeros(2, 1)), {}, ValueError, r"start must be a 1-D tensor"),
        ((X.numpy(), Y, A), {}, TypeError, r"x must be a torch.Tensor; got ndarray"),
        ((X, Y, "0, 0"), {}, TypeError, r"start must be a torch.Tensor or a list of numbers; got str"),
        ((X.long(), Y, A), {}, TypeError, r"x must hold floating-point numbers"),
        ((X, Y, A), {"lr": 0}, ValueError, r"lr must be a finite number > 0; got 0"),
        ((X, Y, A), {"lr": -0.1}, ValueError, r"lr must be a finite number > 0"),
        ((X, Y, A), {"lr": float("nan")}, ValueError, r"lr must be a finite number > 0; got nan"),
        ((X, Y, A), {"lr": float("inf")}, ValueError, r"lr must be a finite number > 0; got inf"),
        ((X, Y, A), {"lr": "0.1"}, TypeError, r"lr must be a number; got str"),
        ((X, Y, A), {"steps": -1}, ValueError, r"steps must be >= 0; got -1"),
        ((X, Y, A), {"steps": 2.0}, TypeError, r"steps must be an int; got float"),
    ],
)
def test_bad_input_names_the_argument(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        gd.fit(*args, **kwargs)
