"""gd.descend against hand-written updates with derivatives worked out on paper, and against gd.fit."""

import pytest
import torch

import gd


def bumpy(w):
    """Two valleys: w**4/4 - w**2 + 0.3w, slope w**3 - 2w + 0.3."""
    return w**4 / 4 - w**2 + 0.3 * w


def bumpy_slope(w):
    return w**3 - 2 * w + 0.3


def saddle(w):
    """A saddle at (0, 0) between two valleys at (0, ±sqrt(2))."""
    return w[..., 0] ** 2 - w[..., 1] ** 2 + w[..., 1] ** 4 / 4


def saddle_gradient(w):
    return torch.stack([2 * w[0], -2 * w[1] + w[1] ** 3])


def heavy_ball(gradient, start, lr, momentum, steps):
    """The reference: PyTorch's documented SGD rule, v = momentum * v + g; w = w - lr * v."""
    w, v = start.clone(), torch.zeros_like(start)
    points = [w.clone()]
    for _ in range(steps):
        v = momentum * v + gradient(w)
        w = w - lr * v
        points.append(w.clone())
    return torch.stack(points)


@pytest.mark.parametrize("start", [-2.0, 0.1, 0.2, 2.5])
def test_plain_steps_follow_the_slope_worked_out_by_hand(start):
    history = gd.descend(bumpy, [start], lr=0.1, steps=40)
    expected = heavy_ball(bumpy_slope, torch.tensor([start]), lr=0.1, momentum=0.0, steps=40)
    torch.testing.assert_close(history.params, expected)
    assert history.losses == pytest.approx(bumpy(expected[:-1, 0]).tolist(), rel=1e-5, abs=1e-6)
    assert history.params.shape == (41, 1) and len(history.losses) == 40
    assert not history.diverged and history.lr == 0.1


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
def test_momentum_is_the_heavy_ball_rule(momentum):
    start = torch.tensor([1.0, 1e-3], dtype=torch.float64)
    history = gd.descend(saddle, start, lr=0.1, momentum=momentum, steps=60)
    expected = heavy_ball(saddle_gradient, start, lr=0.1, momentum=momentum, steps=60)
    torch.testing.assert_close(history.params, expected)
    assert history.params.dtype == torch.float64  # the start's precision is kept


def test_adam_matches_its_published_formula():
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    history = gd.descend(saddle, [1.0, 0.5], optimizer=torch.optim.Adam, lr=lr, steps=30)
    w = torch.tensor([1.0, 0.5])
    m, v = torch.zeros(2), torch.zeros(2)
    for t in range(1, 31):
        g = saddle_gradient(w)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        w = w - lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt() + eps)
    torch.testing.assert_close(history.params[-1], w)


def test_on_a_lines_loss_it_is_gd_fit():
    x, y = gd.linear_data(50, seed=1)
    history = gd.descend(lambda a: gd.mse(x @ a, y), torch.tensor([1.0, 1.0]), lr=0.1, steps=50)
    by_hand = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=0.1, steps=50)
    torch.testing.assert_close(history.params, by_hand.params)
    assert history.losses == pytest.approx(by_hand.losses, rel=1e-6)


def test_a_start_on_the_ridge_never_leaves_it():
    history = gd.descend(saddle, [1.0, 0.0], lr=0.1, steps=200)
    assert (history.params[:, 1] == 0).all()
    assert history.params[-1].abs().max() < 1e-12  # it settles on the saddle point


def test_the_start_is_left_untouched():
    start = torch.tensor([2.0, 0.5])
    gd.descend(saddle, start, lr=0.1, steps=5)
    assert start.tolist() == [2.0, 0.5]


def test_zero_steps_and_the_sweep_it_feeds():
    assert gd.descend(bumpy, [1.0], lr=0.1, steps=0).params.tolist() == [[1.0]]
    sweep = gd.sweep(
        lambda lr, momentum: gd.descend(saddle, [1.0, 0.01], lr=lr, momentum=momentum, steps=20),
        saddle,
        lr=[0.05, 0.1],
        momentum=[0.0, 0.9],
    )
    assert len(sweep.histories) == 4
    torch.testing.assert_close(
        sweep.history(lr=0.1, momentum=0.9).params,
        heavy_ball(saddle_gradient, torch.tensor([1.0, 0.01]), lr=0.1, momentum=0.9, steps=20),
    )


def test_divergence_warns_and_stops():
    with pytest.warns(RuntimeWarning, match="descent stopped at step .* overflowed"):
        history = gd.descend(bumpy, [2.5], lr=0.5, steps=100)
    assert history.overflowed and len(history.losses) < 100
    assert torch.isfinite(history.params).all()


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"loss": "bumpy"}, TypeError, "loss must be a function"),
        ({"start": torch.tensor(1.0)}, ValueError, "start must be a 1-D tensor"),
        ({"start": "1, 2"}, TypeError, "start must be a torch.Tensor or a list of numbers"),
        ({"steps": 2.0}, TypeError, "steps must be an int"),
        ({"steps": -1}, ValueError, "steps must be >= 0"),
        ({"loss": lambda w: w * 2, "start": [1.0, 2.0]}, ValueError, "loss must return one number"),
        ({"loss": lambda w: 3.0}, TypeError, "loss must return its loss as a tensor"),
    ],
)
def test_bad_arguments_are_named(arguments, error, message):
    call = {"loss": bumpy, "start": [1.0], "steps": 3} | arguments
    with pytest.raises(error, match=message):
        gd.descend(call.pop("loss"), call.pop("start"), lr=0.1, **call)


def test_an_integer_start_becomes_floating_point():
    history = gd.descend(bumpy, torch.tensor([2]), lr=0.1, steps=3)
    assert history.params.dtype == torch.get_default_dtype()
