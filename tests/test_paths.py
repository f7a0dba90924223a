"""gd.plot_paths draws each run's real path on the landscape of the line's loss."""

import pytest
import torch

import gd


@pytest.fixture(scope="module")
def runs():
    x, y = gd.linear_data(100, seed=42, x_range=(0, 10))
    start = torch.tensor([1.0, 1.0])
    plain = gd.train(x, y, start, lr=0.02, steps=30)
    heavy = gd.train(x, y, start, lr=0.02, momentum=0.8, steps=30)
    return x, y, plain, heavy


def test_each_history_is_one_labelled_path(runs):
    x, y, plain, heavy = runs
    fig = gd.plot_paths(x, y, plain, heavy, labels=["plain", "momentum"])
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    for label, history in (("plain", plain), ("momentum", heavy)):
        xs, ys = lines[label].get_data()
        assert torch.allclose(torch.as_tensor(xs), history.params[:, 0])
        assert torch.allclose(torch.as_tensor(ys), history.params[:, 1])
    assert lines["plain"].get_color() != lines["momentum"].get_color()


def test_the_star_is_least_squares_and_the_view_holds_every_path(runs):
    x, y, plain, heavy = runs
    fig = gd.plot_paths(x, y, plain, heavy)
    ax = fig.axes[0]
    star = [line for line in ax.get_lines() if line.get_label() == "least squares"][0]
    best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
    assert star.get_xdata()[0] == pytest.approx(best[0].item())
    assert star.get_ydata()[0] == pytest.approx(best[1].item())
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for history in (plain, heavy):
        assert x0 <= history.params[:, 0].min() and history.params[:, 0].max() <= x1
        assert y0 <= history.params[:, 1].min() and history.params[:, 1].max() <= y1
    text = gd.alt_text(fig)
    assert f"({best[0]:.2f}, {best[1]:.2f})" in text and "lr = 0.02 goes from (1.00, 1.00)" in text


def test_bad_arguments_are_named(runs):
    x, y, plain, _ = runs
    with pytest.raises(ValueError, match="labels"):
        gd.plot_paths(x, y, plain, labels=["a", "b"])
    with pytest.raises(TypeError, match="History"):
        gd.plot_paths(x, y)
    with pytest.raises(TypeError, match="History"):
        gd.plot_paths(x, y, plain.params)
