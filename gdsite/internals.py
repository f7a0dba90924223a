"""Every private part of another library that gdsite relies on, in one list.

Where no public API does what the site needs, gdsite uses a library's private
name, patches one of its functions, or relies on how it works inside. Each case
is listed here: the library, what is touched, where, and why. pyproject.toml caps
each of these libraries below its next minor release (the `site` extra), and
tests/test_gdsite_internals.py looks every one of them up, each in a test of its
own, so an upgrade that moves one fails a test that names it. That test also scans
gdsite's code for private names, so one cannot be added without a line here.

To upgrade such a library: raise its bound, `python3 scripts/dev.py lock
--upgrade-package NAME`, run the tests; where an internal moved, follow it or drop
the speed-up it gave.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Internal:
    library: str  # the distribution, as pyproject.toml names it
    name: str  # what gdsite touches
    where: str  # the gdsite module (or theme override) that touches it
    why: str


INTERNALS = [
    Internal(
        "nbconvert",
        "TemplateExporter._create_environment",
        "render.py",
        "wrapped, so exporters share compiled templates: mkdocs-jupyter makes a new exporter "
        "(15 templates to compile) for every page, a quarter of a page's rendering",
    ),
    Internal(
        "nbconvert",
        "nbconvert.exporters.html.BeautifulSoup",
        "render.py",
        "replaced in that module, so HTMLExporter skips its parse of the whole page (to add alt "
        "text and tabindex, which page.slim adds in its own parse): a third of a page's rendering",
    ),
    Internal(
        "matplotlib",
        "Animation._fig",
        "video.py",
        "the animation's figure, drawn on an Agg canvas of ours",
    ),
    Internal(
        "matplotlib",
        "Animation._init_draw",
        "video.py",
        "each frame drawn once, and only what moves: Animation.save with a writer of ours "
        "(the public way) draws every frame in full, 20 times slower (5.0 s against 0.25 s "
        "for gd.animate_fit's 101 frames of a 100-step fit)",
    ),
    Internal("matplotlib", "Animation._draw_frame", "video.py", "as _init_draw"),
    Internal(
        "matplotlib",
        "FuncAnimation._drawn_artists",
        "video.py",
        "the artists a frame function returns: all that is redrawn per frame",
    ),
    Internal(
        "matplotlib",
        "Animation._interval",
        "video.py",
        "the frame rate; the public event_source.interval is gone once the figure is closed, "
        "as lessons close theirs",
    ),
    Internal(
        "watchdog",
        "EventEmitter._timeout",
        "serving.py",
        "MkDocs's file watcher looks for changes every 0.5 s; under `serve` every 0.1 s",
    ),
    Internal(
        "torch",
        "torch._inductor",
        "zygote.py",
        "imported once in the zygote: torch.use_deterministic_algorithms imports it, 1-2 s a kernel",
    ),
    Internal(
        "mkdocs",
        "LiveReloadServer.shutdown",
        "plugin.py",
        "wrapped under `serve`: on Ctrl-C MkDocs waits for a running rebuild before plugins hear "
        "of it, so a running lesson is stopped first",
    ),
    Internal(
        "mkdocs",
        "the \"'dirty' build\" warning of mkdocs.commands.build",
        "serving.py",
        "recognised by its words and logged as information under `serve --dirty`",
    ),
    Internal(
        "mkdocs",
        "the warning counter (utils.CountHandler) on the 'mkdocs' logger",
        "serving.py",
        "under `serve`, gd-lessons' messages are written past it, so a broken lesson rule does "
        "not fail the rebuild (a failed rebuild holds every request until one succeeds)",
    ),
    Internal(
        "mkdocs-jupyter",
        "Page.render, replaced by mkdocs-jupyter's on_pre_page",
        "render.py",
        "replaced again on lesson pages (after mkdocs-jupyter), by a lookup in gd's render cache",
    ),
    Internal(
        "mkdocs-material",
        "the search index, asked for with XMLHttpRequest as the bundle starts",
        "overrides/partials/search-on-demand.html",
        "that one request is held until the reader reaches for the search box: on a slow phone "
        "the 214 KB index (gzip) otherwise shares the line with the page, and Lighthouse's "
        "largest paint came at 3.1-3.2 s instead of 2.0 s in about half the runs",
    ),
    Internal(
        "jupyter-client",
        "KernelManager.provisioner, kept when set before start_kernel",
        "kernel.py",
        "a kernel forked by the zygote: jupyter_client keeps a provisioner it finds already set",
    ),
]
