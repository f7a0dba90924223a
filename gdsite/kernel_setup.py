"""Run inside every lesson kernel before the lesson's first cell.

It makes the outputs fit the site without a line of it showing in the lessons:

- figures become two SVG drawings, one in each theme's text colour (the page
  shows the one matching the light/dark toggle), with alt text;
- animations become small mp4 videos (never matplotlib's jshtml player, which
  loads Font Awesome from a CDN and inlines every frame);
- a `gd.Sweep` becomes the interactive learning-rate explorer;
- ids and dates in the SVG are fixed, so every build writes the same bytes;
- torch computes the same digits whatever the machine's load (see below).

`loaded_modules()` tells the build which files and libraries the lesson used,
so the execution cache can key on exactly those.
"""

import functools
import json
import site
import sys

import imageio_ffmpeg
import matplotlib
import matplotlib_inline.backend_inline  # noqa: F401  (the inline backend sets itself up now, so ours win)
import torch
from cycler import cycler
from IPython import get_ipython
from matplotlib.animation import Animation
from matplotlib.figure import Figure

import gd.plots
from gd.sweeps import Sweep
from gdsite import installed
from gdsite.explorer import sweep_to_html
from gdsite.figures import INK, INK_RC, PALETTE, figure_to_html
from gdsite.printed import cut_message
from gdsite.video import BITEXACT, animation_to_html

matplotlib.rcParams.update(
    {
        # ffmpeg from the imageio-ffmpeg wheel: nothing to install by hand.
        "animation.ffmpeg_path": imageio_ffmpeg.get_ffmpeg_exe(),
        # One thread and bit-exact flags (video.py's): the same frames always encode to the same bytes.
        "animation.ffmpeg_args": BITEXACT,
        "svg.fonttype": "none",  # real <text>: smaller, selectable, searchable
        "figure.dpi": 100,
        "figure.figsize": gd.plots.SIZE,
        # 11 pt text stays 11 CSS px or more when a 4.4-inch figure shrinks to a phone's width.
        "font.size": 11,
        # Line colours with 3:1 contrast or more on the light and on the dark page.
        "axes.prop_cycle": cycler(color=PALETTE),
        # A see-through legend box (a white one would hide light text in dark mode),
        # framed in the text colour (matplotlib's light grey frame vanishes on white).
        "legend.facecolor": "none",
        "legend.edgecolor": INK,
        **INK_RC,
    }
)

# Outside deterministic mode some of torch's CPU routines give low digits that
# depend on where memory happened to land (torch.linalg.lstsq: three different
# answers in 300 solves); in it they take the reproducible path. warn_only: an
# operation without such a path warns (visibly, on the page) instead of failing.
torch.use_deterministic_algorithms(True, warn_only=True)
torch.utils.deterministic.fill_uninitialized_memory = True  # the default, stated: no stale memory
# One thread: sums add up in the same order whatever the machine's core count.
torch.set_num_threads(1)


def _cut_stream_message(msg):
    if msg["msg_type"] == "stream":
        msg["content"]["text"] = cut_message(msg["content"]["text"])
    return msg


# Printed text: ipykernel sends what was printed in each 0.2 s as one message, hundreds of MB
# in a runaway print loop; each is cut to what the site keeps before it is sent (printed.py).
# A hook must be registered in the thread that sends, ipykernel's IO thread.
for _stream in (sys.stdout, sys.stderr):
    if hasattr(_stream, "register_hook"):
        _stream.pub_thread.schedule(functools.partial(_stream.register_hook, _cut_stream_message))

_shell = get_ipython()
_html = _shell.display_formatter.formatters["text/html"]
_html.for_type(Figure, figure_to_html)
_html.for_type(Animation, animation_to_html)
_html.for_type(Sweep, sweep_to_html)
# The HTML form replaces the PNG/SVG the inline backend would add to each figure.
for _mime in ("image/png", "image/svg+xml", "image/jpeg", "application/pdf"):
    _shell.display_formatter.formatters[_mime].pop(Figure, None)


def loaded_modules(root):
    """What the kernel has imported, as JSON: [[project files], {distribution: version}].

    Project files are those under `root` (the build hashes their contents);
    everything else is named by the distribution that installed it.
    """
    from pathlib import Path

    root = Path(root).resolve()
    install_dirs = [Path(p).resolve() for p in {sys.prefix, sys.base_prefix, *site.getsitepackages()}]
    files, top_levels = set(), set()
    for name, module in list(sys.modules.items()):
        if name in ("__main__", "__mp_main__"):  # the program that started the kernel, not the lesson
            continue
        path = getattr(module, "__file__", None)
        if not path or not Path(path).is_absolute():  # e.g. torch's "_ops.py": no file of ours
            continue
        path = Path(path).resolve()
        if path.is_relative_to(root) and not any(path.is_relative_to(p) for p in install_dirs):
            files.add(path.relative_to(root).as_posix())
        else:
            top_levels.add(module.__name__.partition(".")[0])
    owners = installed.OWNERS
    libraries = {dist: installed.version(dist) for top in top_levels for dist in owners.get(top, [])}
    return json.dumps([sorted(files), dict(sorted(libraries.items()))])
