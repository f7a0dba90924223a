"""Plot helpers return figures whose alt text is computed from the data shown."""

import pytest
import torch
from matplotlib.figure import Figure

import gd


@pytest.fixture(scope="module")
def run():
    x, y = gd.linear_data(100, seed=42)
    return x, y, gd.fit(x, y, torch.tensor([1.0, 1.0]))


def test_plot_data(run):
    x, y, _ = run
    fig = gd.plot_data(x, y)
    assert isinstance(fig, Figure)
    offsets = fig.axes[0].collections[0].get_offsets()
    assert len(offsets) == 100
    assert f"y from {y.min():.2f} to {y.max():.2f}" in gd.alt_text(fig)


def test_plot_fit_draws_the_given_line(run):
    x, y, _ = run
    a = torch.tensor([2.5, 1.5])
    fig = gd.plot_fit(x, y, a)
    line = fig.axes[0].get_lines()[0]
    xs, ys = line.get_data()
    torch.testing.assert_close(torch.as_tensor(ys), 2.5 * torch.as_tensor(xs) + 1.5)
    loss = torch.nn.functional.mse_loss(x @ a, y).item()
    assert "y = 2.50x + 1.50" in gd.alt_text(fig) and f"{loss:.3f}" in gd.alt_text(fig)


def test_plot_losses_describes_each_history(run):
    x, y, history = run
    with pytest.warns(RuntimeWarning):
        wild = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=50, steps=100)
    fig = gd.plot_losses(history, wild)
    text = gd.alt_text(fig)
    # losses[k] is the loss at step k, as on the x axis: a 100-step run ends at step 99
    assert f"from {history.losses[0]:.2f} at step 0 to {history.losses[-1]:.2f} at step 99" in text
    assert f"lr = 50 the loss blows up and overflows at step {len(wild.losses)}." in text
    assert len(fig.axes[0].get_lines()) == 2
    with pytest.raises(ValueError, match="labels must have one entry per history"):
        gd.plot_losses(history, labels=["a", "b"])


def test_plot_landscape_marks_least_squares(run):
    x, y, history = run
    fig = gd.plot_landscape(x, y, history)
    exact = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
    assert f"slope {exact[0]:.2f} and intercept {exact[1]:.2f}" in gd.alt_text(fig)
    path = [line for line in fig.axes[0].get_lines() if line.get_label() == "descent path"][0]
    assert len(path.get_xdata()) == len(history.params)


def test_gd_figures_are_made_by_pyplot_and_let_go():
    # Made by pyplot: in a notebook, pyplot sets up the inline backend that shows a returned
    # Figure as an image. Let go: the backend does not show it again at the end of the cell.
    import matplotlib.pyplot as plt

    x, y = gd.linear_data(20, seed=0)
    before = plt.get_fignums()
    gd.plot_data(x, y)
    assert plt.get_fignums() == before


def test_every_loss_map_draws_its_contours_by_one_rule(run, monkeypatch):
    """plot_landscape, plot_paths and the site's explorer: lines at gd.plots.contour_levels."""
    import gdsite.explorer
    from gd.plots import LEVELS, contour_levels

    rule = contour_levels(1.0, 2.0)
    rises = [(b - 1) / (a - 1) for a, b in zip(rule, rule[1:], strict=False)]
    assert rises == pytest.approx([10 ** (4 / (LEVELS - 1))] * (LEVELS - 1))  # one factor
    assert rule[0] == pytest.approx(1 + 1e-4) and rule[-1] == 2.0  # 1/10,000 of the range to all of it

    x, y, history = run
    floor = gd.mse(x @ torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1), y).item()
    for fig in (gd.plot_landscape(x, y, history), gd.plot_paths(x, y, history)):
        drawn = fig.axes[0].collections[0].levels
        assert list(drawn) == pytest.approx(contour_levels(floor, drawn[-1]), rel=1e-6)

    asked = []

    def spy(*args):
        asked.append(contour_levels(*args))
        return asked[-1]

    monkeypatch.setattr(gdsite.explorer, "contour_levels", spy)
    contours = gdsite.explorer.explorer_data(gd.lr_sweep(x, y, [0.1, 0.5], steps=20))["contours"]
    assert len(asked) == 1 and len(asked[0]) == LEVELS
    assert {level for level, _ in contours} <= {float(f"{v:.3g}") for v in asked[0]}
