"""gd.train against PyTorch's own loop: torch.optim on all the data, or a DataLoader's batches."""

import pytest
import torch
from torch.utils.data import DataLoader, RandomSampler, TensorDataset

import gd


@pytest.fixture(scope="module")
def data():
    return gd.linear_data(40, seed=5)


def test_plain_sgd_on_all_the_data_is_the_hand_written_loop(data):
    x, y = data
    trained = gd.train(x, y, torch.tensor([1.0, 1.0]), lr=0.1, steps=50)
    by_hand = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=0.1, steps=50)
    assert torch.allclose(trained.params, by_hand.params, atol=1e-6)
    assert trained.losses == pytest.approx(by_hand.losses, rel=1e-5)


@pytest.mark.parametrize(
    ("optimizer", "settings"),
    [
        (torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}),
        (torch.optim.Adam, {"lr": 0.1}),
        (torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.9}),
    ],
)
def test_mini_batches_follow_a_seeded_shuffle_epoch_after_epoch(data, optimizer, settings):
    x, y = data
    start = torch.tensor([0.0, 0.0])
    history = gd.train(x, y, start, optimizer=optimizer, steps=25, batch_size=8, seed=3, **settings)
    # The reference: PyTorch's own loop over a fresh torch.randperm order each epoch (5 batches of 8).
    a = torch.nn.Parameter(start.clone())
    opt = optimizer([a], **settings)
    generator = torch.Generator().manual_seed(3)
    reference = [a.detach().clone()]
    for _epoch in range(5):
        order = torch.randperm(len(y), generator=generator)
        for rows in order.split(8):
            opt.zero_grad()
            torch.nn.functional.mse_loss(x[rows] @ a, y[rows]).backward()
            opt.step()
            reference.append(a.detach().clone())
    assert torch.allclose(history.params, torch.stack(reference), atol=1e-6)


def test_the_first_epochs_batches_are_a_dataloaders(data):
    x, y = data
    history = gd.train(x, y, torch.tensor([0.0, 0.0]), lr=0.05, steps=5, batch_size=8, seed=3)
    dataset = TensorDataset(x, y)
    sampler = RandomSampler(dataset, generator=torch.Generator().manual_seed(3))
    a = torch.nn.Parameter(torch.tensor([0.0, 0.0]))
    opt = torch.optim.SGD([a], lr=0.05)
    for xb, yb in DataLoader(dataset, batch_size=8, sampler=sampler):
        opt.zero_grad()
        torch.nn.functional.mse_loss(xb @ a, yb).backward()
        opt.step()
    # (Later epochs differ: RandomSampler draws one more, unused, permutation per epoch.)
    assert torch.allclose(history.params[-1], a.detach(), atol=1e-6)


def test_losses_are_measured_on_all_the_data_before_each_step(data):
    x, y = data
    history = gd.train(x, y, torch.tensor([1.0, 1.0]), lr=0.1, steps=10, batch_size=4)
    expected = [torch.nn.functional.mse_loss(x @ p, y).item() for p in history.params[:-1]]
    assert history.losses == pytest.approx(expected, rel=1e-6)


def test_a_schedule_changes_the_rate_every_step(data):
    x, y = data
    history = gd.train(
        x, y, torch.tensor([1.0, 1.0]), lr=0.1, steps=6,
        schedule=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5),
    )  # fmt: skip
    a, rates = torch.tensor([1.0, 1.0]), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
    for rate, after in zip(rates, history.params[1:], strict=True):
        a = a - rate * 2 / len(y) * x.T @ (x @ a - y)  # the MSE gradient, by hand
        assert torch.allclose(after, a, atol=1e-5)


def test_divergence_stops_and_warns(data):
    x, y = data
    with pytest.warns(RuntimeWarning, match="training stopped at step .* overflowed"):
        history = gd.train(x, y, torch.tensor([1.0, 1.0]), lr=5.0, steps=200)
    assert history.overflowed and torch.isfinite(history.params).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [({"steps": -1}, ValueError, "steps"), ({"batch_size": 0}, ValueError, "batch_size"),
     ({"batch_size": 2.5}, TypeError, "batch_size")],
)  # fmt: skip
def test_bad_arguments_are_named(data, kwargs, error, message):
    x, y = data
    with pytest.raises(error, match=message):
        gd.train(x, y, torch.tensor([1.0, 1.0]), lr=0.1, **kwargs)
