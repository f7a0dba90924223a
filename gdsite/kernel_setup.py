"""Run inside every lesson kernel before the lesson's first cell.

It makes the outputs fit the site without a line of it showing in the lessons:

- figures become two SVG drawings, one in each theme's text colour (the page
  shows the one matching the light/dark toggle), with alt text;
- animations become small mp4 videos (never matplotlib's jshtml player, which
  loads Font Awesome from a CDN and inlines every frame);
- a `gd.Sweep` becomes the interactive learning-rate explorer;
- ids and dates in the SVG are fixed, so every build writes the same bytes.
"""

import imageio_ffmpeg
import matplotlib
import matplotlib_inline.backend_inline  # noqa: F401  (sets up inline figures now, so ours win)
from IPython import get_ipython
from matplotlib.animation import Animation
from matplotlib.figure import Figure

from gd.sweep import Sweep
from gdsite.explorer import sweep_to_html
from gdsite.figures import INK_RC, animation_to_html, figure_to_html

matplotlib.rcParams.update(
    {
        # ffmpeg from the imageio-ffmpeg wheel: nothing to install by hand.
        "animation.ffmpeg_path": imageio_ffmpeg.get_ffmpeg_exe(),
        # One thread and bit-exact flags: the same frames always encode to the same bytes.
        "animation.ffmpeg_args": ["-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact"],
        "svg.fonttype": "none",  # real <text>: smaller, selectable, searchable
        "figure.dpi": 100,
        # A see-through legend box: a white one would hide light text in dark mode.
        "legend.facecolor": "none",
        **INK_RC,
    }
)

_shell = get_ipython()
_html = _shell.display_formatter.formatters["text/html"]
_html.for_type(Figure, figure_to_html)
_html.for_type(Animation, animation_to_html)
_html.for_type(Sweep, sweep_to_html)
# The HTML form replaces the PNG/SVG the inline backend would add to each figure.
for _mime in ("image/png", "image/svg+xml", "image/jpeg", "application/pdf"):
    _shell.display_formatter.formatters[_mime].type_printers.pop(Figure, None)
