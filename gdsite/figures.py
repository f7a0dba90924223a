"""Figures and animations as page-ready HTML (runs inside the lesson kernel).

A figure becomes two small SVG images, one drawn for the light theme and one
for the dark theme; the theme shows the one that matches the palette toggle
(Material hides ``#only-light`` images in dark mode and ``#only-dark`` ones in
light mode). Their text, ticks and frame are drawn in a marker colour (`INK`)
that is swapped for each theme's text colour; the background is transparent.
Both carry alt text from gd's description of the figure, or one built from what
the axes contain. The images are embedded here as data URIs; the build moves
them to files of their own (gdsite/outputs.py), so pages stay light and a
browser only downloads the variant it shows.
"""

import base64
import html
import io
import re

import matplotlib

import gd

# kernel_setup makes this the default colour of text, ticks and frames; no figure
# uses it on purpose, so every occurrence in the SVG can take the theme's colour.
INK = "#010203"
INK_RC = {
    key: INK
    for key in (
        "text.color",
        "axes.labelcolor",
        "axes.edgecolor",
        "xtick.color",
        "ytick.color",
        "xtick.labelcolor",
        "ytick.labelcolor",
        "axes.titlecolor",
    )
}
# Page and text colours of the theme's light ("default") and dark ("slate") schemes (figures here,
# videos in video.py), and the URL fragment with which Material shows an image in one scheme only.
SCHEMES = {"light": ("#ffffff", "#1f2328"), "dark": ("#1e2129", "#e2e4e9")}
THEMES = {f"only-{scheme}": text for scheme, (_, text) in SCHEMES.items()}
# Default line colours: each has 3:1 contrast or more on both schemes' page colours.
PALETTE = ["#3b82f6", "#ea580c", "#16a34a", "#db2777", "#9467bd", "#0891b2", "#d97706", "#6b7280"]
MAX_WIDTH = 4.4  # inches: wider figures are drawn smaller, so their text stays readable on a phone


def figure_to_html(fig):
    alt = html.escape(gd.alt_text(fig) or describe_axes(fig))
    # Same text size on a smaller canvas: on a phone the drawing shrinks less. The saved
    # drawing can be wider than the figure (a legend below it, say), so it is measured.
    svg = _svg(fig)
    for _ in range(3):
        points = [float(v) for v in re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()]
        if points[0] <= MAX_WIDTH * 72 + 1:
            break
        width, height = fig.get_size_inches()
        shrink = MAX_WIDTH * 72 / points[0]
        fig.set_size_inches(width * shrink, height * shrink)
        svg = _svg(fig)
    width, height = (round(v * 4 / 3) for v in points)
    images = []
    for theme, ink in THEMES.items():
        data = base64.b64encode(svg.replace(INK, ink).encode()).decode()
        images.append(
            f'<img class="gd-figure-img" src="data:image/svg+xml;base64,{data}#{theme}" alt="{alt}" '
            f'width="{width}" height="{height}" loading="lazy" decoding="async">'
        )
    return f'<figure class="gd-figure">{"".join(images)}</figure>'


def _svg(fig):
    with matplotlib.rc_context({"svg.hashsalt": "gd"}):  # fixed ids: same figure, same bytes
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", transparent=True, bbox_inches="tight", metadata={"Date": None})
    svg = re.sub(r"<metadata>.*?</metadata>", "", buffer.getvalue(), flags=re.S)
    svg = _round_svg_numbers(svg)
    # Matplotlib pretty-prints: one line per path command, indented. Browsers don't need it.
    return re.sub(r">\s+<", "><", re.sub(r"\s*\n\s*", " ", svg))


_DECIMALS = re.compile(r"(\d\.\d)\d+")
_POSITIONS = re.compile(r'(\s(?:d|x|y|points)=")([^"]*)"')
_TRANSLATE = re.compile(r"translate\(([^)]*)\)")


def _round_svg_numbers(svg):
    """Positions to 0.1 units: invisible on screen, and it halves the size of dense plots.

    Only path data, x/y positions and translations are rounded: a scale factor
    such as scale(0.015625) (how matplotlib sizes glyphs) must stay exact.
    """
    svg = _POSITIONS.sub(lambda m: m[1] + _DECIMALS.sub(r"\1", m[2]) + '"', svg)
    return _TRANSLATE.sub(lambda m: "translate(" + _DECIMALS.sub(r"\1", m[1]) + ")", svg)


def describe_axes(fig):
    """A plain description built from what the figure's axes contain: for each chart its axes
    (and which are on a log scale), then each series by its legend label where it has one.

    A contributor's own figure reads better with its own words: gd.describe(fig, "...").
    """
    parts = []
    for ax in fig.axes:
        title = ax.get_title() or "A chart"
        head = f"{title} of {ax.get_ylabel() or 'y'} against {ax.get_xlabel() or 'x'}"
        logs = [name for name in "xy" if getattr(ax, f"get_{name}scale")() == "log"]
        if logs:
            head += f", {' and '.join(logs)} on a log scale"
        pieces = []
        for collection in ax.collections:
            offsets = collection.get_offsets()
            if len(offsets):
                xs, ys = offsets[:, 0], offsets[:, 1]
                pieces.append(
                    f"{len(offsets)} points{_series(collection)} with x from {_number(xs.min())} to "
                    f"{_number(xs.max())} and y from {_number(ys.min())} to {_number(ys.max())}"
                )
        for line in ax.get_lines():
            xs, ys = line.get_xdata(), line.get_ydata()
            if len(xs) >= 2:
                pieces.append(
                    f"a line{_series(line)} from ({_number(xs[0])}, {_number(ys[0])}) "
                    f"to ({_number(xs[-1])}, {_number(ys[-1])})"
                )
        parts.append(f"{head}: {'; '.join(pieces)}" if pieces else head)
    return ". ".join(parts) + "." if parts else "An empty figure."


def _series(artist):
    """' labelled “label”' for an artist with a legend label (matplotlib's own labels start with '_').
    Typographic quotes: the page's HTML keeps alt text between plain ones."""
    label = str(artist.get_label() or "")
    return f" labelled “{label}”" if label and not label.startswith("_") else ""


def _number(value):
    """Two decimals, or three significant digits for a value that two decimals would show as 0."""
    value = float(value)
    return f"{value:.2f}" if value == 0 or abs(value) >= 0.01 else f"{value:.3g}"
