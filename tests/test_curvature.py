"""gd.steps_1d and gd.plot_steps_1d against autograd and the closed form (1 - lr * curvature)**k."""

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.figure import Figure

import gd

# (curvature, lr): steady approach, one-step landing, zig-zag, bounce, divergence.
CASES = [(2.0, 0.15), (4.0, 0.25), (2.0, 0.75), (1.0, 2.0), (2.0, 1.1), (0.5, 0.3)]


def autograd_steps(curvature, lr, start, steps):
    """The independent reference: torch computes the slope, we take the steps."""
    w = torch.tensor(float(start), requires_grad=True)
    positions = [w.detach().clone()]
    for _ in range(steps):
        (curvature / 2 * w**2).backward()
        with torch.no_grad():
            w.sub_(lr * w.grad)
            w.grad.zero_()
        positions.append(w.detach().clone())
    return torch.stack(positions)


@pytest.mark.parametrize(("curvature", "lr"), CASES)
def test_steps_match_autograd_and_the_closed_form(curvature, lr):
    positions = gd.steps_1d(curvature, lr, start=-1.5, steps=8)
    assert positions.shape == (9,)
    torch.testing.assert_close(positions, autograd_steps(curvature, lr, -1.5, 8))
    closed_form = torch.tensor([-1.5 * (1 - lr * curvature) ** k for k in range(9)])
    torch.testing.assert_close(positions, closed_form)


def test_defaults_and_zero_steps():
    assert gd.steps_1d(2.0, 0.1).tolist() == pytest.approx([0.8**k for k in range(7)])
    assert gd.steps_1d(2.0, 0.1, start=3.0, steps=0).tolist() == [3.0]


@pytest.mark.parametrize(("curvature", "lr"), CASES)
def test_plot_draws_the_parabola_the_points_and_one_arrow_per_step(curvature, lr):
    opened = plt.get_fignums()
    fig = gd.plot_steps_1d(curvature, lr, start=1.0, steps=5)
    assert isinstance(fig, Figure) and plt.get_fignums() == opened  # not tracked by pyplot
    ax = fig.axes[0]
    parabola, points = ax.get_lines()
    ws, fs = (torch.as_tensor(v, dtype=torch.float32) for v in parabola.get_data())
    torch.testing.assert_close(fs, curvature / 2 * ws**2)
    expected = autograd_steps(curvature, lr, 1.0, 5)
    torch.testing.assert_close(torch.as_tensor(points.get_xdata(), dtype=torch.float32), expected)
    arrows = [t for t in ax.texts if t.arrow_patch is not None]
    assert len(arrows) == 5
    for k, arrow in enumerate(arrows):  # each arrow goes from position k to position k + 1
        assert arrow.xyann[0] == pytest.approx(expected[k].item(), abs=1e-6)
        assert arrow.xy[0] == pytest.approx(expected[k + 1].item(), abs=1e-6)
    factor = 1 - lr * curvature
    assert f"multiplies w by {factor:g}" in gd.alt_text(fig)


@pytest.mark.parametrize(
    ("lr", "words"),
    [
        (0.15, "steadily"),
        (0.5, "lands exactly on the bottom"),
        (0.75, "zig-zagging but closing in"),
        (1.0, "bouncing forever"),
        (1.1, "diverges"),
    ],
)
def test_alt_text_names_the_regime(lr, words):
    assert words in gd.alt_text(gd.plot_steps_1d(2.0, lr))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"curvature": 0}, ValueError, "curvature must be a finite number > 0"),
        ({"curvature": "2"}, TypeError, "curvature must be a number"),
        ({"lr": -0.1}, ValueError, "lr must be a finite number > 0"),
        ({"lr": float("nan")}, ValueError, "lr must be a finite number > 0"),
        ({"start": torch.tensor(1.0)}, TypeError, "start must be a number"),
        ({"start": float("inf")}, ValueError, "start must be a finite number"),
        ({"steps": 2.0}, TypeError, "steps must be an int"),
        ({"steps": -1}, ValueError, "steps must be >= 0"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, message):
    arguments = {"curvature": 2.0, "lr": 0.1, "start": 1.0, "steps": 3} | kwargs
    for function in (gd.steps_1d, gd.plot_steps_1d):
        with pytest.raises(error, match=message):
            function(**arguments)


def test_plot_refuses_steps_that_overflow():
    with pytest.raises(ValueError, match="steps=400 is too many"):
        gd.plot_steps_1d(2.0, 5.0, steps=400)
