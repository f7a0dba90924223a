"""gd.broken_fit: each mistake against an independent reference (torch.optim, autograd, formulas)."""

import warnings

import pytest
import torch

import gd
from gd.mistakes import MISTAKES


@pytest.fixture(scope="module")
def data():
    return gd.linear_data(20, seed=7)


START = torch.tensor([1.0, 1.0])


def test_without_a_mistake_it_is_fit_number_for_number(data):
    x, y = data
    broken = gd.broken_fit(x, y, START, mistake="none", lr=0.1, steps=40)
    correct = gd.fit(x, y, START, lr=0.1, steps=40)
    assert torch.equal(broken.params, correct.params)
    assert broken.losses == correct.losses and not broken.diverged and broken.lr == 0.1


def test_the_losses_are_the_true_mse_before_each_update(data):
    x, y = data
    for mistake in ("none", "no zero_()", "column prediction"):
        history = gd.broken_fit(x, y, START, mistake=mistake, steps=15)
        expected = [torch.nn.functional.mse_loss(x @ p, y).item() for p in history.params[:-1]]
        assert history.losses == pytest.approx(expected, rel=1e-6)
        assert history.params.shape == (16, 2)


def test_no_zero_is_sgd_with_momentum_one(data):
    x, y = data
    history = gd.broken_fit(x, y, START, mistake="no zero_()", lr=0.1, steps=60)
    # torch.optim.SGD keeps buf = momentum * buf + grad; with momentum 1 nothing fades.
    a = torch.nn.Parameter(START.clone())
    opt = torch.optim.SGD([a], lr=0.1, momentum=1.0)
    reference = [a.detach().clone()]
    for _ in range(60):
        opt.zero_grad()
        torch.nn.functional.mse_loss(x @ a, y).backward()
        opt.step()
        reference.append(a.detach().clone())
    assert torch.allclose(history.params, torch.stack(reference), atol=1e-5)


def test_no_zero_steps_with_the_running_sum_of_all_gradients(data):
    x, y = data
    history = gd.broken_fit(x, y, START, mistake="no zero_()", lr=0.1, steps=30)
    # In float64, with the gradient formula (2/n) X^T (X a - y) instead of autograd.
    xd, yd = x.double(), y.double()
    a, total, path = START.double(), torch.zeros(2, dtype=torch.float64), [START.double()]
    for _ in range(30):
        total = total + 2 / len(yd) * xd.T @ (xd @ a - yd)
        a = a - 0.1 * total
        path.append(a)
    assert torch.allclose(history.params.double(), torch.stack(path), atol=1e-5)
    # and it never settles: late steps still move as far as early ones
    moves = (history.params[1:] - history.params[:-1]).norm(dim=1)
    assert moves[-10:].max() > 0.5 * moves[:10].max()


def test_column_prediction_descends_the_broadcast_table(data):
    x, y = data
    n = len(y)
    history = gd.broken_fit(x, y, START, mistake="column prediction", lr=0.1, steps=25)
    # Reference: autograd on the (n, n) table written out entry by entry, in float64.
    a = START.double().clone().requires_grad_()
    xd, yd = x.double(), y.double()
    path = [a.detach().clone()]
    for _ in range(25):
        p = xd @ a
        table = torch.stack([torch.stack([(p[i] - yd[j]) ** 2 for j in range(n)]) for i in range(n)])
        table.sum().div(n * n).backward()
        with torch.no_grad():
            a -= 0.1 * a.grad
            a.grad = None
        path.append(a.detach().clone())
    assert torch.allclose(history.params.double(), torch.stack(path), atol=1e-5)


def test_column_prediction_fits_every_target_replaced_by_their_mean(data):
    x, y = data
    history = gd.broken_fit(x, y, START, mistake="column prediction", lr=0.5, steps=300)
    flat = gd.fit(x, torch.full_like(y, y.mean().item()), START, lr=0.5, steps=300)
    assert torch.allclose(history.params, flat.params, atol=1e-5)
    # least squares on the mean: slope 0, intercept the mean of y
    assert torch.allclose(history.params[-1], torch.tensor([0.0, y.mean().item()]), atol=1e-4)


def test_no_no_grad_is_refused_as_in_a_real_loop(data):
    x, y = data
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        gd.broken_fit(x, y, START, mistake="no no_grad()")


def test_a_too_large_lr_diverges_with_a_warning_and_a_finite_record(data):
    x, y = data
    with pytest.warns(RuntimeWarning, match="stopped at step .* overflowed"):
        history = gd.broken_fit(x, y, START, mistake="none", lr=3.0, steps=500)
    assert history.overflowed and len(history.params) == len(history.losses) + 1
    assert torch.isfinite(history.params).all() and all(map(torch.isfinite, torch.tensor(history.losses)))


def test_the_callers_start_is_not_modified(data):
    x, y = data
    start = START.clone()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for mistake in ("none", "no zero_()", "column prediction"):
            gd.broken_fit(x, y, start, mistake=mistake, steps=5)
    assert torch.equal(start, START)
    assert MISTAKES[0] == "none"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"mistake": "no zero"}, ValueError, "mistake must be one of"),
        ({"mistake": "no zero_grad()"}, ValueError, r"a.grad.zero_\(\): did you mean 'no zero_\(\)'\?"),
        ({"mistake": "column"}, ValueError, r"did you mean 'column prediction'\?"),
        ({"mistake": 1}, TypeError, "mistake must be a string"),
        ({"mistake": "none", "lr": -0.1}, ValueError, "lr must be"),
        ({"mistake": "none", "steps": 2.5}, TypeError, "steps must be an int"),
    ],
)
def test_bad_arguments_are_refused_by_name(data, kwargs, error, message):
    x, y = data
    with pytest.raises(error, match=message):
        gd.broken_fit(x, y, START, **kwargs)


def test_bad_tensors_are_refused_by_name(data):
    x, y = data
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        gd.broken_fit(x.tolist(), y, START, mistake="none")
    with pytest.raises(ValueError, match="start must hold one value per column"):
        gd.broken_fit(x, y, torch.tensor([1.0, 1.0, 1.0]), mistake="none")
    with pytest.raises(ValueError, match="y must have one value per row"):
        gd.broken_fit(x, y[:-1], START, mistake="none")
