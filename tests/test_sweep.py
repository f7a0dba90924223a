"""gd.lr_sweep and the explorer data built from it."""

import html
import json
import re
import warnings
from pathlib import Path

import pytest
import torch

import gd
from gdsite.explorer import sweep_data, sweep_to_html

ROOT = Path(__file__).resolve().parent.parent
LRS = [0.01, 0.1, 1.0, 2.0]


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
    assert [h.diverged for h in sweep.histories] == [False, False, False, True]


def test_empty_grid_is_refused(sweep):
    with pytest.raises(ValueError, match="lrs must hold at least one learning rate"):
        gd.lr_sweep(sweep.x, sweep.y, [])


def test_explorer_data_matches_the_histories(sweep):
    data = sweep_data(sweep)
    assert data["x"] == pytest.approx(sweep.x[:, 0].tolist(), rel=1e-3)
    for run, h in zip(data["runs"], sweep.histories, strict=True):
        assert run["lr"] == h.lr and run["diverged"] == h.diverged
        # The page recomputes each loss from the data and the parameters: check that it can.
        xs, ys = torch.tensor(data["x"]), torch.tensor(data["y"])
        page_losses = [
            ((s * xs + i - ys) ** 2).mean().item()
            for s, i in zip(run["slope"], run["intercept"], strict=True)
        ]
        assert page_losses[:-1] == pytest.approx(h.losses, rel=2e-2)
        assert run["slope"] == pytest.approx(h.params[:, 0].tolist(), rel=1e-3, abs=1e-6)
        assert len(run["intercept"]) == len(h.params)


def test_explorer_html_carries_the_data_and_labelled_controls(sweep):
    page = sweep_to_html(sweep)
    payload = re.search(
        r'<script type="application/json" class="gd-explorer-data">(.*?)</script>', page, re.S
    )
    assert json.loads(html.unescape(payload[1])) == json.loads(json.dumps(sweep_data(sweep)))
    assert re.search(r"<label>Learning rate <input type=\"range\"", page)
    assert re.search(r"<label>Step <input type=\"range\"", page)
    assert 'role="status"' in page


def test_explorer_data_plus_script_fit_the_budget():
    x, y = gd.linear_data(100, seed=42)
    lesson_grid = [0.01, 0.03, 0.1, 0.3, 0.6, 0.9, 1.0, 1.1, 1.5, 2.0]
    widget = sweep_to_html(gd.lr_sweep(x, y, lesson_grid)).encode()
    script = (ROOT / "docs" / "javascripts" / "explorer.js").read_bytes()
    assert len(widget) + len(script) <= 50_000, (len(widget), len(script))
