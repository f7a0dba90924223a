"""gd.plot_paths draws each History's path to scale on contours of the true loss."""

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.figure import Figure

import gd


@pytest.fixture(scope="module")
def runs():
    x, y = gd.linear_data(100, seed=42)
    start = torch.tensor([1.0, 1.0])
    return x, y, [gd.train(x, y, start, lr=0.1, steps=30, batch_size=b) for b in (100, 10)]


def test_each_path_is_drawn_from_its_history_with_the_least_squares_star(runs):
    x, y, histories = runs
    opened = plt.get_fignums()
    fig = gd.plot_paths(x, y, *histories, labels=["batch 100", "batch 10"])
    assert isinstance(fig, Figure) and plt.get_fignums() == opened  # not tracked by pyplot
    ax = fig.axes[0]
    *lines, star = ax.get_lines()
    paths, starts = lines[::2], lines[1::2]  # each path, then the dot at its start
    for path, dot, history in zip(paths, starts, histories, strict=True):
        xs, ys = path.get_data()
        torch.testing.assert_close(torch.as_tensor(xs), history.params[:, 0].double())
        torch.testing.assert_close(torch.as_tensor(ys), history.params[:, 1].double())
        assert [float(v[0]) for v in dot.get_data()] == pytest.approx(history.params[0].tolist())
    best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
    assert [float(v[0]) for v in star.get_data()] == pytest.approx(best.tolist(), abs=1e-5)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["batch 100", "batch 10"]
    assert "The batch 10 path goes from (1.00, 1.00)" in gd.alt_text(fig)


def test_the_map_is_a_square_drawn_to_scale(runs):
    x, y, histories = runs
    ax = gd.plot_paths(x, y, histories[0]).axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert ax.get_aspect() == 1.0 and x1 - x0 == pytest.approx(y1 - y0)
    assert ax.get_legend() is None  # one path: nothing to tell apart
    assert "The descent path goes from (1.00, 1.00)" in gd.alt_text(ax.figure)
    for point in (*histories[0].params, torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)):
        assert x0 < point[0] < x1 and y0 < point[1] < y1


def test_contour_lines_join_points_of_equal_loss(runs):
    x, y, histories = runs
    contours = gd.plot_paths(x, y, histories[0]).axes[0].collections[0]
    floor = torch.nn.functional.mse_loss(x @ torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1), y)
    levels = contours.levels
    ratios = (levels[1:] - floor.item()) / (levels[:-1] - floor.item())  # the rise above the floor
    assert ratios == pytest.approx([ratios[0]] * len(ratios), rel=1e-4)  # grows by one factor
    checked = 0
    for level, segments in zip(levels, contours.allsegs, strict=True):
        for segment in (s for s in segments if len(s)):
            points = torch.as_tensor(segment, dtype=torch.float32)
            losses = torch.stack([torch.nn.functional.mse_loss(x @ p, y) for p in points])
            # The loss above the floor, read off the line, is the level, up to the grid's linear
            # interpolation (about curvature x spacing**2 / 8 = 2 x 0.035**2 / 8, 3e-4, here).
            rise = torch.full_like(losses, level) - floor
            torch.testing.assert_close(losses - floor, rise, rtol=0.02, atol=5e-4)
            checked += 1
    assert checked >= 5


def test_two_panels_side_by_side_are_both_described(runs):
    x, y, histories = runs
    fig = Figure()
    left, right = fig.subplots(1, 2)
    assert gd.plot_paths(x, y, histories[0], ax=left, title="left") is fig
    gd.plot_paths(x, y, histories[1], ax=right, title="right")
    assert left.get_title() == "left" and len(right.get_lines()) == 3  # path, start, star
    text = gd.alt_text(fig)
    assert text.startswith("left: contour map") and "right: contour map" in text


def test_bad_arguments_are_named(runs):
    x, y, histories = runs
    with pytest.raises(ValueError, match="labels must have one entry per history"):
        gd.plot_paths(x, y, *histories, labels=["only one"])
    with pytest.raises(TypeError, match="histories must each be a gd.History"):
        gd.plot_paths(x, y, histories[0].params)
    with pytest.raises(ValueError, match="y must be a 1-D tensor"):
        gd.plot_paths(x, y.unsqueeze(1), histories[0])
