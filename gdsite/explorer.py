"""A `gd.Sweep` shown as an explorer: pick a setting, watch that run (runs inside the kernel).

Everything is computed at build time from the real runs in the Sweep: each run's
path and its loss at every step, the landscape's contour lines, the view. The
page carries these numbers as JSON; a small script (docs/javascripts/explorer.js)
only draws them, so no kernel and no server are needed to explore.
"""

import html
import itertools
import json
import math

import contourpy
import numpy as np
import torch

from gd.plots import LEVELS, contour_levels
from gd.sweeps import Sweep, setting_label

LABELS = {
    "lr": "learning rate",
    "momentum": "momentum",
    "batch_size": "batch size",
    "beta": "β",
    "max_norm": "max norm",
}
Q = 1000  # positions are stored as whole thousandths of the view's width and height
RESOLUTION = 60  # landscape grid points per side, for the contour lines
CAP = 1e30  # the largest loss stored; beyond it a run has long left the chart


def _sig(value, digits=4):
    return float(f"{value:.{digits}g}")


def explorer_data(sweep: Sweep):
    """The JSON-ready payload of the explorer: settings, view, contours and every run."""
    paths = [h.params.detach().double().cpu() for h in sweep.histories]
    # A diverging run's last parameters are finite but their loss may overflow: cap it (off the chart).
    losses = [_losses(sweep, p) for p in paths]
    minimum = _minimum(sweep)
    view = _view(paths, losses, minimum)
    low = min(float(loss.min()) for loss in losses)
    high = 10 * max(float(loss[0]) for loss in losses)  # ten times the worst start: rising runs show
    runs = [_run(h, p, loss, view, high) for h, p, loss in zip(sweep.histories, paths, losses, strict=True)]
    data = {
        "settings": [
            {"name": name, "label": LABELS.get(name, name), "values": [setting_label(v) for v in values]}
            for name, values in sweep.settings.items()
        ],
        "view": [_sig(v) for v in view],
        "minimum": _quantize(torch.tensor([minimum]), view)[0],
        "contours": _contours(sweep, view),
        "loss_range": [_sig(low * 0.8), _sig(high)],
        "runs": runs,
        "default": _best(runs),
        "scale": Q,  # the script reads both from here: one source for the two languages
        "cap": CAP,
    }
    data["axes"] = ["slope a[0]", "intercept a[1]"] if sweep.x is not None else ["w[0]", "w[1]"]
    if sweep.x is not None and sweep.y is not None:
        data["points"] = {
            "x": [_sig(v, 3) for v in sweep.x[:, 0].tolist()],
            "y": [_sig(v, 3) for v in sweep.y.tolist()],
        }
    return data


def _losses(sweep, path):
    with torch.no_grad():
        loss = sweep.loss(path.to(torch.float32)).double()
    return torch.nan_to_num(loss, nan=CAP, posinf=CAP, neginf=-CAP).clamp(max=CAP)


def _minimum(sweep):
    if sweep.x is not None and sweep.y is not None:  # a line: least squares knows the answer
        return torch.linalg.lstsq(sweep.x, sweep.y.unsqueeze(1)).solution.squeeze(1).double().tolist()
    finals = [h.params[-1] for h in sweep.histories if not h.overflowed]
    best = min(finals, key=lambda p: float(sweep.loss(p.unsqueeze(0).float())[0]))
    return best.double().tolist()


def _view(paths, losses, minimum):
    """The part of the plane to draw: the well-behaved runs and the minimum, with a margin."""
    calm = [
        p
        for p, loss in zip(paths, losses, strict=True)
        if torch.isfinite(loss).all() and loss.max() <= 10 * loss[0]
    ]
    points = torch.cat([*(calm or paths[:1]), torch.tensor([minimum], dtype=torch.float64)])
    low, high = points.min(0).values, points.max(0).values
    pad = (high - low).clamp(min=1e-3) * 0.12
    return [float(low[0] - pad[0]), float(high[0] + pad[0]), float(low[1] - pad[1]), float(high[1] + pad[1])]


def _quantize(points, view):
    """Positions as whole thousandths of the view, kept within a band around it."""
    x0, x1, y0, y1 = view
    qx = ((points[:, 0] - x0) / (x1 - x0) * Q).clamp(-Q, 2 * Q).round()
    qy = ((points[:, 1] - y0) / (y1 - y0) * Q).clamp(-Q, 2 * Q).round()
    return [[int(a), int(b)] for a, b in zip(qx.tolist(), qy.tolist(), strict=True)]


def _run(history, path, loss, view, high):
    flat = [v for point in _quantize(path, view) for v in point]
    outside = [
        i
        for i, (x, y) in enumerate(zip(flat[::2], flat[1::2], strict=True))
        if not (0 <= x <= Q and 0 <= y <= Q)
    ]
    above = [i for i, value in enumerate(loss.tolist()) if value > high]
    run = {"path": flat, "loss": [_sig(v) for v in loss.tolist()]}
    if history.overflowed:
        run["diverged"] = len(path) - 1  # the step at which the numbers overflowed and the run stopped
    if outside or above:
        run["left"] = min(outside + above)  # the first step off the charts
    return run


def _best(runs):
    """Start on the run that ends lowest (a good run is the natural first thing to see)."""
    finite = [i for i, run in enumerate(runs) if "diverged" not in run and "left" not in run]
    return min(finite or range(len(runs)), key=lambda i: runs[i]["loss"][-1])


def _contours(sweep, view):
    """Contour lines of the loss over the view: [[level, [x, y, x, y, ...]], ...]."""
    x0, x1, y0, y1 = view
    xs, ys = np.linspace(x0, x1, RESOLUTION), np.linspace(y0, y1, RESOLUTION)
    grid = torch.tensor([[a, b] for b, a in itertools.product(ys, xs)], dtype=torch.float32)
    z = sweep.loss(grid).double().reshape(RESOLUTION, RESOLUTION).numpy()
    low, high = float(z.min()), float(z.max())
    levels = contour_levels(low, high, LEVELS)
    generator = contourpy.contour_generator(xs, ys, z)
    lines = []
    for level in levels:
        for segment in generator.lines(level):
            flat = [v for point in _quantize(torch.from_numpy(segment), view) for v in point]
            lines.append([_sig(level, 3), flat])
    return lines


def sweep_to_html(sweep: Sweep):
    data = explorer_data(sweep)
    # Inside <script> the browser decodes no entities: `&lt;` would reach the explorer as is.
    # JSON's own escape for "<" keeps a "</script>" in a label from ending the block.
    payload = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    names = html.escape(" and ".join(s["label"] for s in data["settings"]))
    fallback = f"Explorer of {len(data['runs'])} gradient-descent runs over {names}; it needs JavaScript."
    if not math.isfinite(data["loss_range"][1]):
        raise ValueError("the sweep's starting losses must be finite")
    return (
        '<div class="gd-explorer">'
        f'<p class="gd-explorer-status" role="status" aria-live="polite">{fallback}</p>'
        f'<script type="application/json" class="gd-explorer-data">{payload}</script>'
        "</div>"
    )
