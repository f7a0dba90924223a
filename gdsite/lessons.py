"""Prepare lessons for the site: execute what changed, reuse what did not.

A lesson's code-cell outputs are cached under a key made of everything they
depend on (see `execution_key`). Markdown cells are not part of the key: a prose
edit re-renders the page from cached outputs without running anything.
"""

import copy
import json
import logging
import os
import platform
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import jupytext
import nbformat

from gdsite.cache import EntryCache, digest, write_atomic
from gdsite.execute import LessonError, execute_notebook
from gdsite.outputs import SnippetError, finish_download, finish_notebook

log = logging.getLogger("mkdocs.plugins.gd-lessons")

# Site code that runs inside the lesson kernels: a change to it changes outputs too.
KERNEL_SIDE = [Path(__file__).with_name(name) for name in ("kernel_setup.py", "figures.py", "explorer.py")]
VERSIONED = ["torch", "matplotlib", "numpy", "ipykernel", "nbclient", "imageio-ffmpeg", "jupytext"]
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


@dataclass
class Lesson:
    source: Path  # the .py lesson in docs/
    rendered: Path  # the executed .ipynb handed to mkdocs-jupyter
    media_prefix: str  # URL of the media folder, relative to the page
    download_uri: str  # where the downloadable executed notebook goes in the site
    media_dir: str  # the site folder for media files


def read_lesson(path):
    """Read a jupytext lesson with stable cell ids (jupytext invents random ones)."""
    nb = jupytext.read(path)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    return nb


def dependency_digest(root):
    """Digest of the project's gd sources, the kernel-side site code and the library versions."""
    gd_sources = sorted((Path(root) / "gd").rglob("*.py"))
    parts = [f"{p.relative_to(root)}\n{p.read_text(encoding='utf-8')}" for p in gd_sources]
    parts += [f"{p.name}\n{p.read_text(encoding='utf-8')}" for p in KERNEL_SIDE]
    parts.append(f"python {platform.python_version()} {sys.implementation.name}")
    parts += [f"{name} {metadata.version(name)}" for name in VERSIONED]
    return digest(*parts)


def execution_key(nb, deps):
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    return digest(deps, json.dumps(code))


def prepare(lessons, *, root, cache_dir, timeout, workers, intro=None, memo=None):
    """Make every lesson's rendered notebook; return the extra site files {site path: bytes}.

    Those are the media moved out of the pages and, per lesson, the executed
    notebook to download (with `intro`, a Markdown cell, put first if given).

    `root` is the project folder: kernels start there, so ``import gd`` finds its
    gd package. Cache misses run in parallel, each in its own kernel. All failures are
    collected and reported together; failed lessons are never cached.

    `memo` (a dict kept between the rebuilds of `mkdocs serve`) remembers each
    finished lesson; a lesson whose file and dependencies did not change since
    is not read, merged or written again.
    """
    cache = EntryCache(Path(cache_dir) / "executed")
    deps = dependency_digest(root)
    memo = {} if memo is None else memo
    total, extra, changed = len(lessons), {}, []
    for lesson in lessons:
        stamp = digest(deps, lesson.source.read_text(encoding="utf-8"), repr(lesson), intro or "")
        remembered = memo.get(lesson.source)
        if remembered and remembered[0] == stamp and lesson.rendered.exists():
            extra.update(remembered[1])
        else:
            changed.append((lesson, stamp))
    lessons = [lesson for lesson, _ in changed]
    notebooks = {lesson.source: read_lesson(lesson.source) for lesson in lessons}
    keys = {path: execution_key(nb, deps) for path, nb in notebooks.items()}
    outputs = {path: cache.get(keys[path]) for path in notebooks}
    misses = [path for path, found in outputs.items() if found is None]
    log.info("gd-lessons: %d lesson(s) cached, %d to execute", total - len(misses), len(misses))

    durations = Durations(Path(cache_dir) / "durations.json")

    def run(path):
        started = time.monotonic()
        executed = execute_notebook(notebooks[path], lesson=path, cwd=root, timeout=timeout)
        payload = [cell.get("outputs", []) for cell in executed.cells if cell.cell_type == "code"]
        cache.put(keys[path], payload)
        durations.record(path.name, time.monotonic() - started)
        return payload

    # Longest first: with two cores, a slow lesson started last would run alone at the end.
    misses.sort(key=lambda path: durations.estimate(path.name, notebooks[path]), reverse=True)
    errors = []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(misses) or 1))) as pool:
        futures = {path: pool.submit(run, path) for path in misses}
        for path, future in futures.items():
            try:
                outputs[path] = future.result()
            except LessonError as error:
                errors.append(str(error))
    durations.save()
    if errors:
        raise LessonError("\n\n".join(errors))

    for lesson, stamp in changed:
        nb = _merge(notebooks[lesson.source], outputs[lesson.source])
        download = copy.deepcopy(nb)
        try:
            media = finish_notebook(nb, lesson.media_prefix, root)
            finish_download(download, root, keep_dark_figures=False)
        except SnippetError as error:
            raise LessonError(f"lesson {lesson.source}: {error}") from None
        write_atomic(lesson.rendered, nbformat.writes(nb) + "\n")
        files = {f"{lesson.media_dir}/{name}": data for name, data in media.items()}
        if intro:
            download.cells.insert(0, nbformat.v4.new_markdown_cell(intro, id="gd-intro"))
        files[lesson.download_uri] = (nbformat.writes(download) + "\n").encode()
        memo[lesson.source] = (stamp, files)
        extra.update(files)
    return extra


def _merge(nb, outputs):
    """Attach cached outputs to the current code cells (same order, same count)."""
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    for count, (cell, cell_outputs) in enumerate(zip(code_cells, outputs, strict=True), start=1):
        cell.outputs = [nbformat.from_dict(o) for o in cell_outputs]
        cell.execution_count = count
    return nb


class Durations:
    """How long each lesson took to execute last time, to schedule the slowest first.

    With no record yet, a lesson that renders an animation counts as slow (encoding
    video is the most expensive output), then longer code as slower.
    """

    def __init__(self, path):
        self.path = Path(path)
        try:
            self.seconds = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.seconds = {}  # a missing or damaged record only costs a worse order
        self.lock = threading.Lock()

    def estimate(self, name, nb):
        if name in self.seconds:
            return self.seconds[name]
        code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
        return (1000 if "animat" in code.lower() else 0) + len(code) / 1000

    def record(self, name, seconds):
        with self.lock:
            self.seconds[name] = round(seconds, 2)

    def save(self):
        write_atomic(self.path, json.dumps(self.seconds, indent=1, sort_keys=True))


def default_workers():
    return os.cpu_count() or 1
