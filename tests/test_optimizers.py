"""gd's from-scratch optimizers against torch.optim, step for step, over a grid of settings, in float32
and float64; and gd.descend / gd.train running them as they run torch.optim's."""

import itertools

import pytest
import torch

import gd

STEPS = 150
DTYPES = [torch.float32, torch.float64]
# Per step, relative to the parameters' size: float64 agrees to rounding (about 1e-15 measured);
# float32 to 1.3e-6 at worst (momentum 1 adds up every rounding of the velocity).
STEP_TOLERANCE = {torch.float32: 1e-5, torch.float64: 1e-13}


def grid():
    """(ours, torch's, settings): every option at two or more values; the same names mean the same."""
    for lr, momentum, dampening, nesterov, decay in itertools.product(
        [0.002, 0.01], [0.0, 0.5, 0.9, 1.0], [0.0, 0.3], [False, True], [0.0, 0.1]
    ):
        if (momentum == 0 and (dampening or nesterov)) or (nesterov and dampening):
            continue  # torch refuses nesterov without momentum or with dampening; gd refuses both
        settings = {"lr": lr, "momentum": momentum, "dampening": dampening, "nesterov": nesterov}
        yield gd.Momentum, torch.optim.SGD, settings | {"weight_decay": decay}
    for lr, alpha, eps, decay in itertools.product([0.01, 0.03], [0.9, 0.99], [1e-8, 1e-3], [0.0, 0.1]):
        yield gd.RMSProp, torch.optim.RMSprop, {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": decay}
    for lr, betas, eps, decay, decoupled in itertools.product(
        [0.001, 0.1], [(0.9, 0.999), (0.5, 0.9)], [1e-8, 1e-4], [0.0, 0.1], [False, True]
    ):
        settings = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": decay}
        yield gd.Adam, torch.optim.Adam, settings | {"decoupled_weight_decay": decoupled}
    for lr, betas, decay in itertools.product([0.001, 0.1], [(0.9, 0.999), (0.5, 0.9)], [0.0, 0.01, 0.5]):
        yield gd.AdamW, torch.optim.AdamW, {"lr": lr, "betas": betas, "weight_decay": decay}


GRID = list(grid())


def name(case):
    ours, _, settings = case
    return f"{ours.__name__}({', '.join(f'{k}={v}' for k, v in settings.items())})"


@pytest.fixture(scope="module")
def valley():
    """The ill-conditioned problem (un-centred inputs), where the optimizers differ most."""
    return gd.linear_data(100, seed=42, x_range=(0, 10))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case", GRID, ids=[name(c) for c in GRID])
def test_each_step_is_torch_optims_step(valley, case, dtype):
    """torch.optim runs the descent; at every step ours is handed the same parameters and gradient."""
    ours, theirs, settings = case
    x, y = (t.to(dtype) for t in valley)
    a = torch.nn.Parameter(torch.tensor([1.0, 1.0], dtype=dtype))
    reference, mine = theirs([a], **settings), ours(**settings)
    for _ in range(STEPS):
        reference.zero_grad()
        gd.mse(x @ a, y).backward()
        before, grad = a.detach().clone(), a.grad.clone()
        reference.step()
        after = mine.step(before, grad)
        assert after.dtype == dtype
        assert (after - a).abs().max() <= STEP_TOLERANCE[dtype] * a.abs().max()


def torch_run(loss, start, optimizer, steps, **settings):
    """PyTorch's own loop, written out here: the independent reference."""
    a = torch.nn.Parameter(start.clone())
    opt = optimizer([a], **settings)
    path = [a.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        loss(a).backward()
        opt.step()
        path.append(a.detach().clone())
    return torch.stack(path)


# Runs whose paths do not depend on the last bit of a rounding (Adam near a zero gradient does).
RUNS = [
    (gd.Momentum, torch.optim.SGD, {"lr": 0.02, "momentum": 0.9}),
    (gd.Momentum, torch.optim.SGD, {"lr": 0.01, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1}),
    (gd.Momentum, torch.optim.SGD, {"lr": 0.001, "momentum": 1.0, "dampening": 0.5}),
    (gd.RMSProp, torch.optim.RMSprop, {"lr": 0.03, "alpha": 0.9, "eps": 1e-3, "weight_decay": 0.01}),
    (gd.Adam, torch.optim.Adam, {"lr": 0.1}),
    (gd.Adam, torch.optim.Adam, {}),
    (gd.Adam, torch.optim.Adam, {"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-4, "weight_decay": 0.1}),
    (gd.AdamW, torch.optim.AdamW, {"lr": 0.05, "weight_decay": 0.5}),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
@pytest.mark.parametrize("case", RUNS, ids=[name(c) for c in RUNS])
def test_descend_runs_ours_as_torch_runs_theirs(valley, case, dtype):
    ours, theirs, settings = case
    x, y = (t.to(dtype) for t in valley)
    start = torch.tensor([1.0, 1.0], dtype=dtype)
    history = gd.descend(lambda a: gd.mse(x @ a, y), start, optimizer=ours, steps=STEPS, **settings)
    reference = torch_run(lambda a: gd.mse(x @ a, y), start, theirs, STEPS, **settings)
    assert not history.overflowed and history.params.dtype == dtype
    tolerance = 1e-5 if dtype == torch.float32 else 1e-11
    torch.testing.assert_close(history.params, reference, rtol=tolerance, atol=tolerance)
    assert history.lr == reference_lr(theirs, settings)


def reference_lr(optimizer, settings):
    return optimizer([torch.nn.Parameter(torch.zeros(1))], **settings).param_groups[0]["lr"]


@pytest.mark.parametrize("batch_size", [None, 7])
def test_train_runs_ours_as_it_runs_torchs(valley, batch_size):
    x, y = valley
    ours = gd.train(x, y, [1.0, 1.0], optimizer=gd.Adam, lr=0.1, steps=60, batch_size=batch_size)
    theirs = gd.train(x, y, [1.0, 1.0], optimizer=torch.optim.Adam, lr=0.1, steps=60, batch_size=batch_size)
    torch.testing.assert_close(ours.params, theirs.params, rtol=1e-5, atol=1e-5)
    assert ours.losses == pytest.approx(theirs.losses, rel=1e-4) and ours.lr == theirs.lr == 0.1


def test_defaults_are_torchs():
    p = [torch.nn.Parameter(torch.zeros(1))]
    for ours, theirs, names in [
        (gd.Momentum(lr=0.1, momentum=0.9), torch.optim.SGD(p), ["dampening", "nesterov", "weight_decay"]),
        (gd.RMSProp(), torch.optim.RMSprop(p), ["lr", "alpha", "eps", "weight_decay"]),
        (gd.Adam(), torch.optim.Adam(p), ["lr", "betas", "eps", "weight_decay", "decoupled_weight_decay"]),
        (gd.AdamW(), torch.optim.AdamW(p), ["lr", "betas", "eps", "weight_decay", "decoupled_weight_decay"]),
    ]:
        assert {n: getattr(ours, n) for n in names} == {n: theirs.defaults[n] for n in names}


def test_adamw_is_adam_with_decoupled_decay():
    steps = [
        gd.AdamW(lr=0.1, weight_decay=0.3),
        gd.Adam(lr=0.1, weight_decay=0.3, decoupled_weight_decay=True),
    ]
    a, g = torch.tensor([2.0, -1.0]), torch.tensor([0.5, 0.25])
    assert torch.equal(steps[0].step(a, g), steps[1].step(a, g))


def test_decay_without_a_loss_gradient_l2_against_decoupled():
    """With a zero loss gradient, what is left is the decay itself: where L2 and decoupled differ.

    SGD's L2 and AdamW both shrink a by lr * weight_decay of itself per step; Adam's L2 gradient
    goes through Adam's division and becomes a step of lr towards 0, whatever a's size.
    """
    a, zero, lr, decay = torch.tensor([4.0, -0.01]), torch.zeros(2), 0.1, 0.5
    assert torch.allclose(
        gd.Momentum(lr=lr, momentum=0.0, weight_decay=decay).step(a, zero), a * (1 - lr * decay)
    )
    assert torch.allclose(gd.AdamW(lr=lr, weight_decay=decay).step(a, zero), a * (1 - lr * decay))
    assert torch.allclose(gd.Adam(lr=lr, weight_decay=decay).step(a, zero), a - lr * a.sign(), atol=1e-6)


def test_nesterov_and_dampening_by_hand():
    g1, g2, lr, beta = torch.tensor([1.0]), torch.tensor([3.0]), 0.1, 0.9
    ahead = gd.Momentum(lr=lr, momentum=beta, nesterov=True)
    after = ahead.step(torch.zeros(1), g1)  # velocity g1; the step looks ahead: g1 + beta * g1
    assert torch.allclose(after, -lr * (1 + beta) * g1)
    damped = gd.Momentum(lr=lr, momentum=beta, dampening=0.25)
    first = damped.step(torch.zeros(1), g1)  # the first velocity is the gradient, undamped (as torch)
    second = damped.step(first, g2)  # then beta * v + (1 - dampening) * g
    assert torch.allclose(second - first, -lr * (beta * g1 + 0.75 * g2))


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
    history = gd.descend(
        lambda w: (curvature / 2 * w**2).sum(), [1.0], optimizer=gd.Momentum, lr=0.1, momentum=0.0, steps=5
    )
    assert torch.allclose(history.params[:, 0], gd.steps_1d(curvature, 0.1, start=1.0, steps=5))
    assert history.losses == pytest.approx([curvature / 2 * w**2 for w in history.params[:-1, 0].tolist()])
    assert history.lr == 0.1 and not history.diverged


def test_each_run_gets_a_fresh_optimizer(valley):
    x, y = valley
    runs = [
        gd.descend(lambda a: gd.mse(x @ a, y), [1.0, 1.0], optimizer=gd.Adam, lr=0.1, steps=3) for _ in "ab"
    ]
    assert torch.equal(runs[0].params, runs[1].params)


def test_overflow_stops_and_warns(valley):
    x, y = valley
    with pytest.warns(RuntimeWarning, match="descent stopped at step .* overflowed"):
        history = gd.descend(
            lambda a: gd.mse(x @ a, y), [1.0, 1.0], optimizer=gd.Momentum, lr=1.0, momentum=0.9
        )
    assert history.overflowed and torch.isfinite(history.params).all()


def test_nan_is_not_blamed_on_the_learning_rate():
    """eps=0 and a zero gradient: 0/0 at the first step, in torch as in gd; the warning says so."""
    reference = torch_run(lambda a: (a**2).sum(), torch.zeros(2), torch.optim.Adam, 1, eps=0.0)
    assert reference[1].isnan().all()
    with pytest.warns(RuntimeWarning, match=r"stopped at step 0 .* became NaN: .*0/0") as caught:
        history = gd.descend(lambda a: (a**2).sum(), [0.0, 0.0], optimizer=gd.Adam, eps=0.0)
    assert (
        "smaller lr" not in str(caught[0].message) and history.overflowed and history.params.shape == (1, 2)
    )
