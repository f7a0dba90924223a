"""Lesson pages rendered by mkdocs-jupyter's converter: cached, and in parallel.

Turning a notebook into a page (nbconvert's HTML, the table of contents, then
`page.slim`) takes 1 to 2 s a lesson. MkDocs renders pages one after another,
so the build renders lessons itself, ahead of time, in worker processes (one
per core) while other lessons still execute, and keeps the results in gd's
entry cache. When MkDocs comes to a lesson page, its render is a cache lookup.

mkdocs-jupyter's own cache stays off: it keys on the notebook and its options
only (not the renderer's version), crashes on a damaged entry, writes entries
in place, and at the end of every build deletes whatever that build did not
use, even under a build running at the same time.

The renderer is mkdocs-jupyter's (`convert.nb2html`, with the options in
mkdocs.yml) and its table of contents (`get_nb_toc`); the pinned
mkdocs-jupyter version is part of every key. Two of nbconvert's internals are
patched here for speed (listed in internals.py).
"""

import functools
import json
import multiprocessing
import os
import signal
import threading
import types
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from importlib import metadata
from pathlib import Path

from mkdocs.structure.toc import get_toc

from gdsite.cache import digest
from gdsite.logs import collected, say
from gdsite.page import slim, slimmer_version
from gdsite.processes import die_with_parent
from gdsite.serving import CompiledTemplates

RENDERERS = ("mkdocs-jupyter", "nbconvert", "mistune", "pygments", "jupytext", "nbformat")


@functools.cache
def renderer_version():
    return " ".join(f"{name} {metadata.version(name)}" for name in RENDERERS) + " " + slimmer_version()


def render_key(notebook, options):
    text = Path(notebook).read_text(encoding="utf-8")
    return digest(renderer_version(), json.dumps(options, sort_keys=True, default=str), text)


@functools.cache
def _compile_nbconvert_templates_once():
    """nb2html makes a new nbconvert exporter, and so compiles its 15 templates again, for
    every notebook: a quarter of a page's rendering. Exporters made in this process share
    compiled templates instead (one store per exporter class, whose settings are fixed);
    jinja checks each against its source's checksum before using it."""
    from nbconvert.exporters.templateexporter import TemplateExporter

    create = TemplateExporter._create_environment
    stores = {}

    def create_sharing_compiled_templates(exporter):
        environment = create(exporter)
        environment.bytecode_cache = stores.setdefault(type(exporter), CompiledTemplates())
        return environment

    TemplateExporter._create_environment = create_sharing_compiled_templates


class _Unparsed(str):
    """Stands in for nbconvert's BeautifulSoup: the page as it was, with nothing to select."""

    def __new__(cls, html, features=None):
        return super().__new__(cls, html)

    def select(self, selector):
        return []


@functools.cache
def _skip_nbconvert_html_pass_once():
    """nbconvert's HTMLExporter parses its whole page (some 800 KB) with BeautifulSoup
    only to add alt text to images that lack it and focus to outputs, then writes it out
    again: a third of a page's rendering. `page.slim` parses the page anyway and does both."""
    from nbconvert.exporters import html

    html.BeautifulSoup = _Unparsed


def render_notebook(notebook, options):
    """{"content": slimmed HTML, "toc": TOC tokens, "title": title or None, "warnings": [...]},
    as mkdocs-jupyter renders; the warnings are said when the page is used (see logs.py)."""
    from mkdocs_jupyter import convert
    from mkdocs_jupyter.plugin import get_nb_toc

    _compile_nbconvert_templates_once()
    _skip_nbconvert_html_pass_once()

    body = convert.nb2html(
        str(notebook),
        execute=False,
        kernel_name=options["kernel_name"],
        theme=options["theme"],
        allow_errors=options["allow_errors"],
        show_input=options["show_input"],
        no_input=options["no_input"],
        no_prompt=options["no_prompt"],
        remove_tag_config=options["remove_tag_config"],
        highlight_extra_classes=options["highlight_extra_classes"],
        include_requirejs=options["include_requirejs"],
        custom_mathjax_url=options["custom_mathjax_url"],
    )
    toc, title = get_nb_toc(str(notebook), options["toc_depth"])
    with collected() as warnings:
        content = slim(body)
    return {
        "content": content,
        "toc": _tokens(toc),
        "title": None if options["ignore_h1_titles"] else title,
        "warnings": warnings,
    }


def _tokens(links):
    """A table of contents as the plain data MkDocs makes one from (`get_toc`), to be cached."""
    return [
        {"level": link.level, "id": link.id, "name": link.title, "children": _tokens(link.children)}
        for link in links
    ]


def cache_render(page, cache, options):
    """Replace the lesson page's render (mkdocs-jupyter's) by a cached `render_notebook`."""
    notebook = page.file.abs_src_path
    key = render_key(notebook, options)

    def render(page, config, files):
        found = cache.get(key)
        if found is None or "warnings" not in found:  # (an entry from before warnings were kept)
            found = render_notebook(notebook, options)
            cache.put(key, found)
        say(found["warnings"])
        page.content, page.toc = found["content"], get_toc(found["toc"])
        if found["title"] is not None:
            page.title = found["title"]

    page.render = types.MethodType(render, page)


def _start_worker():
    """Ctrl-C reaches every process of the terminal's group. A worker that died of it
    mid-task could leave the pool's shutdown waiting; the build stops the workers itself.
    But a worker must not outlive a build that was killed (processes.py)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


def _start():
    """How workers start. Forked, they start at once (nbconvert is imported already); a build
    makes its workers before it starts any thread. Forking a process that runs threads can
    deadlock the child (Python 3.12 and later warn): then they start from a forkserver,
    a single-threaded process that has imported this module once (workers then die with
    it, and it ends when the build does)."""
    if _threads() == 1:
        return multiprocessing.get_context("fork")
    server = multiprocessing.get_context("forkserver")
    server.set_forkserver_preload([__name__])
    return server


def _threads():
    """The threads of this process, as Python counts them before it warns about a fork."""
    try:
        return len(os.listdir("/proc/self/task"))  # native threads too (Linux)
    except OSError:
        return threading.active_count()


class Prerenderer:
    """Renders lessons into the cache in worker processes, as soon as each is finished.

    A build makes one and closes it at its end; `mkdocs serve` keeps one for all its
    rebuilds (`keep=True`), so an edit's page goes to a worker that is already running.
    """

    def __init__(self, cache, options, workers):
        self.cache, self.options, self.broken, self.workers = cache, options, False, workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=_start(), initializer=_start_worker)
        self.pending = {}
        self.stored = set()  # keys known to be in the cache: serve need not read them again
        self.lock = threading.Lock()
        for future in [self.pool.submit(int) for _ in range(workers)]:
            future.result()

    def use(self, cache, options):
        """The next build's cache and mkdocs-jupyter options (serve reloads mkdocs.yml each time)."""
        if cache.folder != self.cache.folder:
            self.stored = set()
        self.cache, self.options = cache, options

    def submit(self, notebook):
        """Start rendering `notebook` unless the cache has it (called from several threads)."""
        key = render_key(notebook, self.options)
        with self.lock:
            if key in self.pending or key in self.stored:
                return
            if self.cache.get(key) is not None:
                self.stored.add(key)
                return
            try:
                self.pending[key] = self.pool.submit(render_notebook, str(notebook), self.options)
            except BrokenProcessPool:
                self.broken = True  # a worker died; the page renders itself, and the next build replaces us

    def finish(self):
        """Wait for every rendering and store it; errors surface later, when MkDocs renders the page."""
        with self.lock:
            pending, self.pending = self.pending, {}
        for key, future in pending.items():
            try:
                self.cache.put(key, future.result())
                self.stored.add(key)
            except BrokenProcessPool:
                self.broken = True
            except Exception:  # noqa: S110 - the page's own render repeats the work and reports it
                pass

    def warm_up(self, notebooks):
        """Render one lesson per worker and drop the result: a worker's first rendering
        takes twice as long as later ones (imports, lexers), and this one nobody waits for."""
        for notebook in notebooks[: self.workers]:
            try:
                self.pool.submit(render_notebook, str(notebook), self.options)
            except BrokenProcessPool:
                self.broken = True

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)
