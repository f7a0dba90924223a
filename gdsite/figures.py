"""Figures and animations as page-ready HTML (runs inside the lesson kernel).

A figure becomes an inline SVG. Its text, ticks and frame are drawn in a marker
colour (`INK`) that we swap for ``currentColor``, so they take the page's text colour
and stay readable in dark mode. The background is transparent. The SVG is
labelled with alt text from gd's description of the figure, or one built from
what the axes contain.
"""

import html
import io
import itertools
import re

import matplotlib

import gd

# kernel_setup makes this the default colour of text, ticks and frames; no figure
# uses it on purpose, so every occurrence in the SVG can become currentColor.
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
_counter = itertools.count()


def figure_to_html(fig):
    alt = gd.alt_text(fig) or describe_axes(fig)
    svg = _themed_svg(fig)
    return f'<figure class="gd-figure">{_label_svg(svg, alt)}</figure>'


def animation_to_html(anim):
    fig = anim._fig
    alt = gd.alt_text(fig) or "Animation. " + describe_axes(fig)
    video = anim.to_html5_video()
    # Keep matplotlib's <video> but label it, and let the reader start it.
    video = re.sub(
        r"<video ",
        f'<video class="gd-video" aria-label="{html.escape(alt)}" preload="metadata" ',
        video,
        count=1,
    )
    return video.replace(" autoplay", "")


def _themed_svg(fig):
    n = next(_counter)
    with matplotlib.rc_context({"svg.hashsalt": f"gd-figure-{n}"}):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", transparent=True, bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML prolog and doctype: it is inlined in HTML
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = svg.replace(INK, "currentColor")
    # Coordinates to 0.1 px: invisible on screen, and it halves the size of dense plots.
    svg = re.sub(r'(\b(?:d|x|y|transform)=")([^"]*)"', _round_coordinates, svg)
    # Unique ids per figure: several figures share a page.
    return re.sub(r'(id="|url\(#|href="#)([A-Za-z])', rf"\g<1>f{n}-\g<2>", svg)


def _round_coordinates(match):
    return match[1] + re.sub(r"(\d\.\d)\d+", r"\1", match[2]) + '"'


def _label_svg(svg, alt):
    alt = html.escape(alt)
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"', r"<svg \1", svg, count=1)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{alt}" class="gd-svg" ', 1)
    return svg.replace(">", f"><title>{alt}</title>", 1)


def describe_axes(fig):
    """A plain description built from what the figure's axes contain."""
    parts = []
    for ax in fig.axes:
        title = ax.get_title() or "A chart"
        pieces = [f"{title} of {ax.get_ylabel() or 'y'} against {ax.get_xlabel() or 'x'}"]
        for collection in ax.collections:
            offsets = collection.get_offsets()
            if len(offsets):
                xs, ys = offsets[:, 0], offsets[:, 1]
                pieces.append(
                    f"{len(offsets)} points with x from {xs.min():.2f} to {xs.max():.2f} "
                    f"and y from {ys.min():.2f} to {ys.max():.2f}"
                )
        for line in ax.get_lines():
            xs, ys = line.get_xdata(), line.get_ydata()
            if len(xs) >= 2:
                pieces.append(
                    f"a line from ({float(xs[0]):.2f}, {float(ys[0]):.2f}) "
                    f"to ({float(xs[-1]):.2f}, {float(ys[-1]):.2f})"
                )
        parts.append(": ".join([pieces[0], ", ".join(pieces[1:])]) if len(pieces) > 1 else pieces[0])
    return ". ".join(parts) + "." if parts else "An empty figure."
