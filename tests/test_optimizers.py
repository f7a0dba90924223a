"""gd's from-scratch optimizers against torch.optim, step for step, and gd.descend against autograd."""

import pytest
import torch

import gd

STEPS = 150


@pytest.fixture(scope="module")
def valley():
    """The ill-conditioned problem (un-centred inputs), where the optimizers differ most."""
    return gd.linear_data(100, seed=42, x_range=(0, 10))


def torch_run(x, y, start, optimizer, steps, **settings):
    """PyTorch's own loop, written out here: the independent reference."""
    a = torch.nn.Parameter(start.clone())
    opt = optimizer([a], **settings)
    path = [a.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        torch.nn.functional.mse_loss(x @ a, y).backward()
        opt.step()
        path.append(a.detach().clone())
    return torch.stack(path)


# (ours, torch's, settings): the same names mean the same thing in both.
CASES = [
    (gd.Momentum, torch.optim.SGD, {"lr": 0.02, "momentum": 0.9}),
    (gd.Momentum, torch.optim.SGD, {"lr": 0.01, "momentum": 0.0}),
    (gd.Momentum, torch.optim.SGD, {"lr": 0.001, "momentum": 1.0}),
    (gd.RMSProp, torch.optim.RMSprop, {"lr": 0.01}),
    (gd.RMSProp, torch.optim.RMSprop, {"lr": 0.03, "alpha": 0.9, "eps": 1e-3}),
    (gd.Adam, torch.optim.Adam, {"lr": 0.1}),
    (gd.Adam, torch.optim.Adam, {}),
    (gd.Adam, torch.optim.Adam, {"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-4}),
]


@pytest.mark.parametrize(("ours", "optimizer", "settings"), CASES)
def test_each_step_is_torch_optims_step(valley, ours, optimizer, settings):
    x, y = valley
    start = torch.tensor([1.0, 1.0])
    history = gd.descend_with(ours(**settings), lambda a: gd.mse(x @ a, y), start, steps=STEPS)
    reference = torch_run(x, y, start, optimizer, STEPS, **settings)
    assert not history.diverged
    assert torch.allclose(history.params, reference, rtol=1e-5, atol=1e-5)


def test_defaults_are_torchs():
    p = [torch.nn.Parameter(torch.zeros(1))]
    rms, adam = torch.optim.RMSprop(p).defaults, torch.optim.Adam(p).defaults
    ours_rms, ours_adam = gd.RMSProp(), gd.Adam()
    assert (ours_rms.lr, ours_rms.alpha, ours_rms.eps) == (rms["lr"], rms["alpha"], rms["eps"])
    assert (ours_adam.lr, ours_adam.betas, ours_adam.eps) == (adam["lr"], adam["betas"], adam["eps"])


def test_adam_without_bias_correction_is_the_formula_without_it():
    # A constant gradient g: after t steps the averages are (1 - beta**t) g and (1 - beta**t) g**2.
    g, lr, (b1, b2) = torch.tensor([2.0, -0.5]), 0.1, (0.9, 0.999)
    corrected, raw = gd.Adam(lr=lr), gd.Adam(lr=lr, bias_correction=False)
    a = b = torch.zeros(2)
    for t in range(1, 6):
        a_next, b_next = corrected.step(a, g), raw.step(b, g)
        expected_raw = lr * (1 - b1**t) / ((1 - b2**t) ** 0.5) * g.sign()
        assert torch.allclose(a - a_next, lr * g.sign(), rtol=1e-5)  # corrected: exactly lr
        assert torch.allclose(b - b_next, expected_raw, rtol=1e-4)
        a, b = a_next, b_next


def test_descend_uses_autograds_gradient_and_records_a_history():
    curvature = 3.0
    history = gd.descend_with(gd.Momentum(lr=0.1, momentum=0.0), lambda w: curvature / 2 * w**2, 1.0, steps=5)
    assert torch.allclose(history.params, gd.steps_1d(curvature, 0.1, start=1.0, steps=5))
    assert history.losses == pytest.approx([curvature / 2 * w**2 for w in history.params[:-1].tolist()])
    assert history.lr == 0.1 and not history.diverged


def test_divergence_stops_and_warns(valley):
    x, y = valley
    with pytest.warns(RuntimeWarning, match="diverged"):
        history = gd.descend_with(gd.Momentum(lr=1.0, momentum=0.9), lambda a: gd.mse(x @ a, y), [1.0, 1.0])
    assert history.diverged and torch.isfinite(history.params).all()


@pytest.mark.parametrize(
    ("make", "error", "name"),
    [
        (lambda: gd.Momentum(lr=0.1, momentum=1.5), ValueError, "momentum"),
        (lambda: gd.Momentum(lr=0.1, momentum="0.9"), TypeError, "momentum"),
        (lambda: gd.Momentum(lr=-0.1, momentum=0.9), ValueError, "lr"),
        (lambda: gd.RMSProp(alpha=1.0), ValueError, "alpha"),
        (lambda: gd.RMSProp(eps=-1e-8), ValueError, "eps"),
        (lambda: gd.Adam(betas=0.9), TypeError, "betas"),
        (lambda: gd.Adam(betas=(0.9, 1.0)), ValueError, r"betas\[1\]"),
        (lambda: gd.Adam(lr=0), ValueError, "lr"),
    ],
)
def test_bad_settings_are_named(make, error, name):
    with pytest.raises(error, match=name):
        make()


def test_descend_refuses_bad_arguments():
    with pytest.raises(TypeError, match="optimizer"):
        gd.descend_with(torch.optim.SGD, lambda w: w**2, 1.0)
    with pytest.raises(TypeError, match="loss"):
        gd.descend_with(gd.Adam(), 3.0, 1.0)
    with pytest.raises(ValueError, match="steps"):
        gd.descend_with(gd.Adam(), lambda w: w**2, 1.0, steps=-1)
