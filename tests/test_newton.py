"""gd.newton_step against torch.linalg (lstsq, solve) and against derivatives worked out on paper."""

import pytest
import torch

import gd


def bumpy(w):
    """Two valleys and a bump: w**4/4 - w**2 + 0.3w (lesson 18's f)."""
    return (w**4 / 4 - w**2 + 0.3 * w).sum()


def saddle(w):
    """A saddle at (0, 0) between two valleys at (0, ±sqrt(2)) (lesson 18's g)."""
    return w[..., 0] ** 2 - w[..., 1] ** 2 + w[..., 1] ** 4 / 4


@pytest.mark.parametrize("x_range", [(-1.0, 1.0), (0.0, 10.0)])
@pytest.mark.parametrize("start", [[1.0, 1.0], [-50.0, 80.0], [3.0, 2.0]])
def test_one_step_lands_on_least_squares_from_anywhere(x_range, start):
    x, y = gd.linear_data(100, seed=42, x_range=x_range)
    x, y = x.double(), y.double()
    best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
    landed = gd.newton_step(lambda a: gd.mse(x @ a, y), torch.tensor(start, dtype=torch.float64))
    assert torch.allclose(landed, best, atol=1e-9, rtol=0)


def test_on_any_quadratic_it_solves_the_linear_system():
    generator = torch.Generator().manual_seed(0)
    m = torch.randn(6, 6, generator=generator, dtype=torch.float64)
    curvature = m @ m.T + 0.1 * torch.eye(6, dtype=torch.float64)  # symmetric, positive definite
    b = torch.randn(6, generator=generator, dtype=torch.float64)

    def quadratic(a):
        return a @ curvature @ a / 2 - b @ a

    start = torch.randn(6, generator=generator, dtype=torch.float64)
    assert torch.allclose(gd.newton_step(quadratic, start), torch.linalg.solve(curvature, b), atol=1e-10)


@pytest.mark.parametrize("w0", [-2.0, 0.3, 1.5, 2.5])
def test_in_one_dimension_it_is_slope_over_curvature(w0):
    slope, curvature = w0**3 - 2 * w0 + 0.3, 3 * w0**2 - 2  # by hand
    stepped = gd.newton_step(bumpy, torch.tensor([w0], dtype=torch.float64))
    assert stepped.item() == pytest.approx(w0 - slope / curvature, abs=1e-12)


def test_it_goes_to_the_flat_point_whatever_its_kind():
    # From (1, 0.5) the curvature along w1 is -2 + 3 * 0.25 < 0: the step climbs towards the saddle.
    stepped = gd.newton_step(saddle, torch.tensor([1.0, 0.5], dtype=torch.float64))
    assert torch.allclose(stepped, torch.tensor([0.0, -0.2], dtype=torch.float64), atol=1e-12)
    w = torch.tensor([0.3], dtype=torch.float64)
    for _ in range(6):  # from 0.3, where the curvature is negative, to the top of the bump
        w = gd.newton_step(bumpy, w)
    assert abs(w.item() ** 3 - 2 * w.item() + 0.3) < 1e-12 and 3 * w.item() ** 2 - 2 < 0


def test_start_is_kept_and_its_dtype_too():
    start = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    stepped = gd.newton_step(lambda a: (a**4).sum().reshape(1), start)
    assert stepped.dtype == torch.float32 and not stepped.requires_grad
    assert start.tolist() == [1.0, 2.0] and start.grad is None
    assert torch.allclose(stepped, torch.tensor([2 / 3, 4 / 3]))  # a - 4a**3 / 12a**2 = 2a/3
    assert gd.newton_step(lambda a: (a**4).sum(), [1.0]).dtype == torch.get_default_dtype()
