"""Step 3, finish: from each lesson and its outputs, the page's notebook and the download.

The page's notebook (handed to mkdocs-jupyter) gets its snippets included,
its LaTeX turned into MathML and its media moved to files. The download keeps
LaTeX and embedded media so it is whole on its own, starts with a cell that
installs gd where it is missing, and keeps exercise solutions collapsed.
"""

import copy
import json

import nbformat

from gdsite.cache import write_atomic
from gdsite.execute import SOLUTION_TAG, LessonError
from gdsite.lessons import lesson_text, source_line
from gdsite.lexer import LESSON_LEXER
from gdsite.mathml import MathError, render_math
from gdsite.outputs import (
    MAX_PAGE_BYTES,
    drop_dark_figures,
    explorers_only,
    extract_media,
    mask_run_specific,
    merge,
    pictures_only,
)
from gdsite.plan import memo_stamp
from gdsite.rules import cell_lines, output_problems
from gdsite.snippets import SnippetError, include_snippets


def finish(planned, settings):
    """Write each lesson's notebook for the page and its download (`item.files`); start its rendering.
    A lesson that cannot be finished gets its `failure` instead."""
    for item in planned:
        if item.files is None:
            try:
                item.files = _finish_one(item, settings)
            except LessonError as error:
                item.failure = str(error)
                continue
            stamp = memo_stamp(item.lesson, settings, item.used, _cache_for(settings))
            settings.memo[item.lesson.source] = (stamp, item.used, item.files, item.problems)
        if settings.prerender is not None:
            settings.prerender.submit(item.lesson.rendered)


def _finish_one(item, settings):
    lesson = item.lesson
    nb = merge(item.nb, item.outputs)
    mask_run_specific(nb, settings.root)
    item.problems = [*item.problems, *output_problems(nb, cell_lines(lesson_text(item.lesson.source)))]
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            try:
                cell.source = include_snippets(cell.source, settings.root)
            except SnippetError as error:
                raise LessonError(f"lesson {lesson.source}, cell {number}: {error}") from None
    download = copy.deepcopy(nb)
    explorers_only(nb)
    # The page's highlighting only (mkdocs-jupyter takes the lexer from the kernel's language).
    nb.metadata.kernelspec = {**nb.metadata.kernelspec, "language": LESSON_LEXER}
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            try:
                cell.source = render_math(cell.source)
            except MathError as error:
                line = source_line(lesson.source, error.latex)
                where = f"lesson {lesson.source}, line {line} (Markdown cell {number})"
                raise LessonError(f"{where}: {error}\n--- the cell ---\n{cell.source}") from None
    media = extract_media(nb, lesson.media_prefix)
    _check_size(nb, media, lesson)
    write_atomic(lesson.rendered, nbformat.writes(nb) + "\n")
    files = {f"{lesson.media_dir}/{name}": data for name, data in media.items()}
    files[lesson.download_uri] = (nbformat.writes(_downloadable(download, settings)) + "\n").encode()
    return files


def _check_size(nb, media, lesson):
    """Fail, naming the biggest cell, when the page's outputs and media pass MAX_PAGE_BYTES."""
    sizes = [(len(json.dumps(cell.get("outputs", []))), cell) for cell in nb.cells]
    total = sum(size for size, _ in sizes) + sum(len(data) for data in media.values())
    if total > MAX_PAGE_BYTES:
        size, cell = max(sizes, key=lambda pair: pair[0])
        raise LessonError(
            f"lesson {lesson.source}: its outputs and media come to {total:,} bytes, more than the "
            f"{MAX_PAGE_BYTES:,} a page may carry. The biggest output ({size:,} bytes) is from the "
            f"cell:\n{cell.source}"
        )


def _downloadable(nb, settings):
    drop_dark_figures(nb)
    pictures_only(nb)
    for cell in nb.cells:
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            cell.metadata["jupyter"] = {"source_hidden": True, "outputs_hidden": True}
    first = []
    if settings.install:
        first.append(nbformat.v4.new_markdown_cell(settings.install, id="gd-install-note"))
    if settings.install_code:
        first.append(nbformat.v4.new_code_cell(settings.install_code, id="gd-install"))
    at = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0  # after the title
    nb.cells[at:at] = first
    return nb


def _cache_for(settings):
    from gdsite.cache import ExecutionCache

    return ExecutionCache(settings.cache_dir, settings.root)
