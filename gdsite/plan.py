"""Step 1, plan: for each lesson, are its outputs already known?

A lesson finished earlier in this `mkdocs serve` session and unchanged since is
taken as it is (`Planned.files`). Otherwise its code cells are looked up in the
execution cache; what is not found there must run (`Planned.outputs is None`).
Markdown is not part of any key: a prose edit never re-runs a lesson.
"""

import json
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from gdsite.cache import ExecutionCache, digest
from gdsite.execute import LessonError
from gdsite.lessons import Lesson, LessonFileError, Settings, check_prose, lesson_text, read_lesson
from gdsite.parallel import failure_stamp
from gdsite.rules import cell_lines, lesson_problems


@dataclass
class Planned:
    lesson: Lesson
    nb: nbformat.NotebookNode | None  # None when `files` came from the serve memo
    code_key: str | None
    outputs: list | None  # per code cell [execution count, outputs]; None: must run
    used: dict | None = None  # the project files and libraries it imported (from its last run)
    files: dict | None = None  # the finished site files, when nothing changed
    problems: list = field(default_factory=list)  # the lesson rules it breaks (rules.py)
    failure: str | None = None  # why it could not be built (a LessonError's message)

    @property
    def must_run(self):
        return self.failure is None and self.outputs is None and self.files is None


# How a kernel is made and driven also decides what a lesson shows (its environment, the
# backend, how outputs are gathered), though the kernel never imports these files.
_RUNNER = [Path(__file__).with_name(name) for name in ("kernel.py", "zygote.py", "execute.py")]


def code_key(nb):
    """What a lesson's outputs depend on, before knowing what it imports."""
    code = [[cell.source, cell.metadata.get("tags", [])] for cell in nb.cells if cell.cell_type == "code"]
    runner = [path.read_text(encoding="utf-8") for path in _RUNNER]
    return digest(f"python {platform.python_version()} {sys.implementation.name}", json.dumps(code), *runner)


def plan(lessons: list[Lesson], settings: Settings) -> list[Planned]:
    cache = ExecutionCache(settings.cache_dir, settings.root)
    planned, kernel_asked_for = [], False
    for lesson in lessons:
        try:
            item = _plan_one(lesson, settings, cache)
        except LessonFileError as error:
            item = Planned(lesson, None, None, None, failure=f"lesson {error}")
        except LessonError as error:
            item = Planned(lesson, None, None, None, failure=str(error))
        planned.append(item)
        if item.must_run and settings.kernels and not kernel_asked_for:
            settings.kernels.prepare()  # the first miss: fork its kernel while planning goes on
            kernel_asked_for = True
    return planned


def _plan_one(lesson, settings, cache):
    remembered = settings.memo.get(lesson.source)
    if remembered and remembered[0] == memo_stamp(lesson, settings, remembered[1], cache):
        return Planned(lesson, None, None, None, remembered[1], files=remembered[2], problems=remembered[3])
    nb = read_lesson(lesson.source)
    if not any(cell.source.strip() for cell in nb.cells):
        raise LessonError(
            f"lesson {lesson.source} is empty: give it a title cell and some content "
            "(scripts/lesson_template.py shows the shape), or remove it and its nav entry"
        )
    check_prose(lesson.source)
    key = code_key(nb)
    failed = settings.failed.get(lesson.source)
    if failed and failed[:2] == (key, failure_stamp(settings)):
        # It failed as it is now (under `serve`): run again only when it or gd changes, or
        # a lesson that writes into docs/ would start a rebuild, and fail, without end.
        raise LessonError(f"{failed[2]}\n\n(It has not changed since it failed: edit it to run it again.)")
    used, outputs = cache.get(key)
    return Planned(lesson, nb, key, outputs, used, problems=lesson_problems(nb, _lines(lesson)))


def _lines(lesson):
    """The line where each of the lesson's cells starts, so the rules' messages can name it."""
    return cell_lines(lesson_text(lesson.source))


def memo_stamp(lesson, settings, used, cache):
    """Changes when the lesson file, what it used, or how it is finished changes."""
    state = cache.full_key("", used) if used else None
    text = lesson_text(lesson.source)
    return digest(text, repr(lesson), settings.install, settings.install_code, state or "gone")
