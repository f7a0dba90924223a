"""gd.sweep and gd.lr_sweep, and the explorer data built from a sweep."""

import json
import re
import warnings
from pathlib import Path

import pytest
import torch

import gd
from gdsite.explorer import CAP, Q, explorer_data, sweep_to_html

ROOT = Path(__file__).resolve().parent.parent
LRS = [0.01, 0.1, 1.0, 1.1, 2.0]


@pytest.fixture(scope="module")
def sweep():
    x, y = gd.linear_data(100, seed=42)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # lr_sweep must not leak divergence warnings
        return gd.lr_sweep(x, y, LRS)


def test_each_run_is_an_ordinary_fit(sweep):
    assert [h.lr for h in sweep.histories] == LRS
    for h in sweep.histories:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            alone = gd.fit(sweep.x, sweep.y, torch.tensor([1.0, 1.0]), lr=h.lr)
        assert h.losses == alone.losses and torch.equal(h.params, alone.params)
    assert [h.overflowed for h in sweep.histories] == [False, False, False, False, True]
    assert [h.grew for h in sweep.histories] == [False, False, False, True, True]  # 1.1 grows slowly
    assert sweep.history(lr=0.1) is sweep.histories[1]


def test_two_settings_vary_the_last_fastest():
    x, y = gd.linear_data(30, seed=1)
    grid = gd.sweep(
        lambda lr, steps: gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=lr, steps=steps),
        gd.line_loss(x, y),
        lr=[0.1, 0.5],
        steps=[3, 5, 7],
    )
    assert [(h.lr, len(h.losses)) for h in grid.histories] == [
        (0.1, 3), (0.1, 5), (0.1, 7), (0.5, 3), (0.5, 5), (0.5, 7)
    ]  # fmt: skip
    assert grid.history(lr=0.5, steps=5) is grid.histories[4]
    with pytest.raises(ValueError, match="not in this sweep's grid"):
        grid.history(lr=0.3, steps=5)


def test_line_loss_is_the_mse_of_each_line():
    x, y = gd.linear_data(30, seed=1)
    lines = torch.tensor([[1.0, 1.0], [3.0, 2.0], [-1.0, 0.5]])
    expected = torch.stack([torch.nn.functional.mse_loss(x @ a, y) for a in lines])
    assert torch.allclose(gd.line_loss(x, y)(lines), expected)


@pytest.mark.parametrize(
    ("lrs", "error", "message"),
    [([], ValueError, "lrs must hold at least one"), (0.1, TypeError, "lrs must be a list")],
)
def test_bad_grids_are_refused_by_name(sweep, lrs, error, message):
    with pytest.raises(error, match=message):
        gd.lr_sweep(sweep.x, sweep.y, lrs)


def test_three_settings_are_refused(sweep):
    with pytest.raises(ValueError, match="one or two settings"):
        gd.sweep(lambda a, b, c: None, gd.line_loss(sweep.x, sweep.y), a=[1], b=[1], c=[1])


def test_explorer_losses_are_the_losses_of_the_runs(sweep):
    data = explorer_data(sweep)
    for run, h in zip(data["runs"], sweep.histories, strict=True):
        # the loss before each update, as gd.fit recorded it, at the stored 4 digits (capped)
        assert run["loss"][: len(h.losses)] == pytest.approx([min(v, CAP) for v in h.losses], rel=1e-3)
        assert len(run["loss"]) == len(h.params) and len(run["path"]) == 2 * len(h.params)


def test_explorer_paths_decode_to_the_parameters(sweep):
    data = explorer_data(sweep)
    x0, x1, y0, y1 = data["view"]
    run, h = data["runs"][1], sweep.histories[1]  # lr = 0.1 stays in view
    slopes = [x0 + q / Q * (x1 - x0) for q in run["path"][::2]]
    intercepts = [y0 + q / Q * (y1 - y0) for q in run["path"][1::2]]
    assert slopes == pytest.approx(h.params[:, 0].tolist(), abs=(x1 - x0) / Q)
    assert intercepts == pytest.approx(h.params[:, 1].tolist(), abs=(y1 - y0) / Q)


def test_explorer_flags_divergence_and_leaving_the_chart(sweep):
    runs = explorer_data(sweep)["runs"]
    assert "diverged" not in runs[1] and "left" not in runs[1]
    assert runs[4]["diverged"] == len(sweep.histories[4].params) - 1
    assert "left" in runs[3] and "diverged" not in runs[3]  # lr = 1.1 grows slowly past the chart


def test_explorer_view_holds_the_least_squares_answer_and_starts_on_a_calm_run(sweep):
    data = explorer_data(sweep)
    qx, qy = data["minimum"]
    assert 0 < qx < Q and 0 < qy < Q
    assert data["default"] in (0, 1, 2)
    assert data["contours"] and all(len(points) >= 4 for _, points in data["contours"])


def test_explorer_html_carries_the_data(sweep):
    page = sweep_to_html(sweep)
    found = re.search(r'<script type="application/json" class="gd-explorer-data">(.*?)</script>', page, re.S)
    # A <script> block's text reaches the page's script as it is: no entity is decoded.
    assert json.loads(found[1]) == json.loads(json.dumps(explorer_data(sweep)))
    assert 'role="status"' in page


def test_explorer_labels_reach_the_page_as_written_and_functions_by_name():
    x, y = gd.linear_data(30, seed=1)

    def constant(step):
        return 1.0

    values = ["a < b & c", "</script><b>", constant]
    grid = gd.sweep(
        lambda rule: gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=0.1, steps=3),
        gd.line_loss(x, y),
        x=x,
        y=y,
        rule=values,
    )
    page = sweep_to_html(grid)
    found = re.search(r'<script type="application/json" class="gd-explorer-data">(.*?)</script>', page, re.S)
    assert json.loads(found[1])["settings"][0]["values"] == ["a < b & c", "</script><b>", "constant"]
    assert "0x" not in page and page.count("</script>") == 1


def test_explorer_data_plus_script_fit_the_budget():
    x, y = gd.linear_data(100, seed=42)
    script = (ROOT / "docs" / "javascripts" / "explorer.js").read_bytes()
    lesson_grid = [0.01, 0.03, 0.1, 0.3, 0.6, 0.9, 1.0, 1.1, 1.5, 2.0]
    one = sweep_to_html(gd.lr_sweep(x, y, lesson_grid)).encode()
    two = sweep_to_html(
        gd.sweep(
            lambda lr, start: gd.fit(x, y, torch.tensor([start, 1.0]), lr=lr),
            gd.line_loss(x, y),
            lr=[0.03, 0.1, 0.3, 0.6, 0.9, 1.1],
            start=[-1.0, 0.0, 1.0, 2.0, 5.0],
        )
    ).encode()
    assert len(one) + len(script) <= 100_000, (len(one), len(script))
    assert len(two) + len(script) <= 100_000, (len(two), len(script))


def test_outside_the_site_a_sweep_shows_its_loss_curves_as_a_png(sweep):
    fig = sweep.plot()
    [ax] = fig.axes
    assert [list(line.get_ydata()) for line in ax.get_lines()] == [h.losses for h in sweep.histories]
    assert ax.get_yscale() == "log" and ax.get_ylim()[1] == pytest.approx(10 * sweep.histories[0].losses[0])
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [f"lr = {lr:g}" for lr in LRS]
    assert sweep._repr_png_().startswith(b"\x89PNG\r\n\x1a\n")
    assert "5 runs over lr in [0.01, 0.1, 1.0, 1.1, 2.0] (1 overflowed, 1 grew)" in gd.alt_text(fig)


def test_a_two_setting_sweep_gets_one_panel_per_value_of_the_first():
    x, y = gd.linear_data(30, seed=1)
    grid = gd.sweep(
        lambda lr, momentum: gd.train(x, y, (1.0, 1.0), lr=lr, momentum=momentum, steps=5),
        gd.line_loss(x, y),
        lr=[0.01, 0.1],
        momentum=[0, 0.5, 0.9],
    )
    axes = grid.plot().axes
    assert [ax.get_title() for ax in axes] == ["lr = 0.01", "lr = 0.1"]
    assert [len(ax.get_lines()) for ax in axes] == [3, 3]
    assert list(axes[1].get_lines()[2].get_ydata()) == grid.history(lr=0.1, momentum=0.9).losses


def test_the_script_takes_the_scale_and_the_cap_from_the_data_not_from_a_copy():
    x, y = gd.linear_data(20, seed=0)
    data = explorer_data(gd.lr_sweep(x, y, lrs=[0.1, 0.5], steps=5))
    assert (data["scale"], data["cap"]) == (Q, CAP)
    script = (ROOT / "docs" / "javascripts" / "explorer.js").read_text()
    assert "Q = data.scale, CAP = data.cap" in script
    assert not re.search(rf"\b(Q|CAP)\s*=\s*({Q}|{CAP:g}|1e30)\b", script)
