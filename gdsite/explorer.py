"""The learning-rate explorer: a `gd.Sweep` shown as an interactive widget.

Everything is computed in the kernel at build time by real `gd.fit` runs; the
page carries the numbers as JSON and a small script (docs/javascripts/explorer.js)
draws them. No kernel and no server are needed to explore.
"""

import html
import json

from gd.sweep import Sweep


def _round(values, digits=4):
    """Four significant digits: far below what a plot can show, and a small page."""
    return [float(f"{v:.{digits}g}") for v in values]


def sweep_data(sweep: Sweep):
    """The data and each run's parameters after every step (the page computes losses from them)."""
    x, y = sweep.x[:, 0].tolist(), sweep.y.tolist()
    runs = []
    for h in sweep.histories:
        params = h.params.tolist()
        runs.append(
            {
                "lr": h.lr,
                "diverged": h.diverged,
                "slope": _round(p[0] for p in params),
                "intercept": _round(p[1] for p in params),
            }
        )
    return {"x": _round(x), "y": _round(y), "runs": runs}


def sweep_to_html(sweep: Sweep):
    data = sweep_data(sweep)
    lrs = [run["lr"] for run in data["runs"]]
    default = min(range(len(lrs)), key=lambda i: abs(lrs[i] - 0.1))  # start near lr = 0.1
    steps = max(len(run["slope"]) - 1 for run in data["runs"])
    payload = json.dumps(data, separators=(",", ":"))
    lr_slider = (
        f'<input type="range" class="gd-explorer-lr" min="0" max="{len(lrs) - 1}" step="1" value="{default}">'
        f' <output class="gd-explorer-lr-value">{lrs[default]:g}</output>'
    )
    step_slider = (
        f'<input type="range" class="gd-explorer-step" min="0" max="{steps}" step="1" value="{steps}">'
        f' <output class="gd-explorer-step-value">{steps}</output>'
    )
    fallback = (
        f"Explorer of {len(lrs)} learning rates from {min(lrs):g} to {max(lrs):g}; it needs JavaScript."
    )
    return f"""<div class="gd-explorer" data-default-lr="{default}">
<div class="gd-explorer-controls">
<label>Learning rate {lr_slider}</label>
<label>Step {step_slider}</label>
<button type="button" class="md-button gd-explorer-play">Play</button>
</div>
<p class="gd-explorer-status" role="status" aria-live="polite">{fallback}</p>
<div class="gd-explorer-plots">
<svg class="gd-explorer-fit" viewBox="0 0 320 220" role="img" aria-label="The data and the fitted line"></svg>
<svg class="gd-explorer-loss" viewBox="0 0 320 220" role="img" aria-label="The loss curve"></svg>
</div>
<script type="application/json" class="gd-explorer-data">{html.escape(payload, quote=False)}</script>
</div>"""
