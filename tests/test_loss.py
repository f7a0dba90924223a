"""gd.mse against torch's own implementation."""

import pytest
import torch
import torch.nn.functional as F

import gd


def test_mse_matches_torch():
    g = torch.Generator().manual_seed(0)
    y_hat, y = torch.randn(37, generator=g), torch.randn(37, generator=g)
    loss = gd.mse(y_hat, y)
    assert loss.ndim == 0
    torch.testing.assert_close(loss, F.mse_loss(y_hat, y))


def test_mse_gradient_matches_torch():
    y_hat = torch.randn(20, requires_grad=True)
    y = torch.randn(20)
    gd.mse(y_hat, y).backward()
    ours = y_hat.grad.clone()
    y_hat.grad = None
    F.mse_loss(y_hat, y).backward()
    torch.testing.assert_close(ours, y_hat.grad)


def test_shape_mismatch_is_refused_not_broadcast():
    with pytest.raises(ValueError, match=r"y_hat and y must have the same shape.*\(5, 1\).*\(5,\)"):
        gd.mse(torch.zeros(5, 1), torch.zeros(5))


def test_non_tensor_and_integer_inputs():
    with pytest.raises(TypeError, match="y_hat must be a torch.Tensor; got list"):
        gd.mse([1.0], torch.zeros(1))
    with pytest.raises(TypeError, match="y must hold floating-point numbers"):
        gd.mse(torch.zeros(3), torch.zeros(3, dtype=torch.long))
