"""gd.finite_difference_grad against autograd and derivatives worked out on paper."""

import pytest
import torch
from torch import nn

import gd


def test_a_polynomial_against_its_derivative_on_paper():
    w = torch.tensor([-1.5, 0.0, 0.7, 2.0], dtype=torch.float64)
    estimate = gd.finite_difference_grad(lambda: (w**4 / 4 - w**2 + 0.3 * w).sum(), w)
    torch.testing.assert_close(estimate, w**3 - 2 * w + 0.3, rtol=0, atol=1e-8)


def test_every_parameter_of_a_small_network_against_autograd():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, 5), nn.Tanh(), nn.Linear(5, 1)).double()
    x = torch.linspace(-3, 3, 20, dtype=torch.float64).unsqueeze(1)
    y = torch.sin(x)

    def loss():
        return nn.functional.mse_loss(model(x), y)

    loss().backward()
    for name, param in model.named_parameters():
        estimate = gd.finite_difference_grad(loss, param)
        assert estimate.shape == param.shape, name
        torch.testing.assert_close(estimate, param.grad, rtol=1e-6, atol=1e-9, msg=name)


def test_the_parameter_is_put_back_exactly():
    w = torch.nn.Parameter(torch.tensor([[0.1, 0.2], [0.3, 0.4]], dtype=torch.float64))
    before = w.detach().clone()
    gd.finite_difference_grad(lambda: (w.sin() * w).sum(), w, h=1e-3)
    assert torch.equal(w.detach(), before) and w.requires_grad


def test_a_wrong_backward_pass_is_caught():
    # A hand-written "gradient" of w**3 that forgot the factor 3.
    w = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)
    estimate = gd.finite_difference_grad(lambda: (w**3).sum(), w)
    assert not torch.allclose(estimate, w**2, rtol=1e-3)
    torch.testing.assert_close(estimate, 3 * w**2)


def test_the_error_shrinks_like_h_squared():
    w = torch.tensor([1.0], dtype=torch.float64)
    errors = [
        (gd.finite_difference_grad(lambda: w.exp().sum(), w, h=h) - w.exp()).abs().item()
        for h in (1e-2, 1e-3)
    ]
    # The error is about h**2 / 6 times the third derivative (e here): h 10 times smaller, 100 times less.
    assert errors[1] == pytest.approx(errors[0] / 100, rel=0.01)


def test_a_zero_dimensional_parameter():
    w = torch.tensor(3.0, dtype=torch.float64)
    estimate = gd.finite_difference_grad(lambda: w**2, w)
    torch.testing.assert_close(estimate, torch.tensor(6.0, dtype=torch.float64))


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"loss": 1.0}, TypeError, "loss must be a function"),
        ({"param": [1.0, 2.0]}, TypeError, "param must be a torch.Tensor"),
        ({"param": torch.tensor([1, 2])}, TypeError, "param must hold floating-point numbers"),
        ({"h": 0.0}, ValueError, "h must be a finite number > 0"),
        ({"h": float("inf")}, ValueError, "h must be a finite number > 0"),
        ({"h": "1e-6"}, TypeError, "h must be a number"),
        ({"loss": lambda: 2.0}, TypeError, "loss must return a tensor"),
        ({"loss": lambda: torch.ones(2)}, ValueError, "loss must return one number"),
    ],
)
def test_bad_arguments_are_named(arguments, error, message):
    w = torch.tensor([1.0, 2.0], dtype=torch.float64)
    call = {"loss": lambda: (w**2).sum(), "param": w, "h": 1e-6} | arguments
    with pytest.raises(error, match=message):
        gd.finite_difference_grad(call["loss"], call["param"], h=call["h"])
