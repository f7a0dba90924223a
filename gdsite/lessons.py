"""What the pipeline works on: a lesson file, the build's settings, and reading a lesson."""

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import jupytext

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


@dataclass
class Lesson:
    source: Path  # the .py lesson in docs/
    rendered: Path  # the executed .ipynb handed to mkdocs-jupyter
    media_prefix: str  # URL of the media folder, relative to the page
    download_uri: str  # where the downloadable executed notebook goes in the site
    media_dir: str  # the site folder for media files


@dataclass(frozen=True)
class Settings:
    """What a build was asked to do, fixed when it starts; `memo`, `failed` and `cancel` are the
    state that `serve` keeps from one rebuild to the next (each step may add to them)."""

    root: Path  # the project folder: kernels start there, so `import gd` finds its gd
    cache_dir: Path  # .gd-cache
    timeout: int  # seconds one cell may run
    workers: int  # lessons executed at once
    install: str = ""  # Markdown put first in each download: how to get gd
    install_code: str = ""  # the download's first code cell: installs gd where it is missing
    memo: dict = field(default_factory=dict)  # finished lessons, kept across `mkdocs serve` rebuilds
    cancel: threading.Event = field(default_factory=threading.Event)  # set on Ctrl-C / shutdown
    lessons: list = field(default_factory=list)  # every lesson of the site (not only those that run)
    kernels: object = None  # where kernels come from (zygote.ForkedKernels); None: start each anew
    runtime_dir: Path | None = None  # connection files of kernels started anew (None: Jupyter's folder)
    docs_dir: Path | None = None  # the site's sources: a lesson must not write there
    failed: dict = field(default_factory=dict)  # lesson: (code key, gd stamp, message) of its last failed run
    prerender: object = None  # renders finished lessons' pages ahead of time (render.Prerenderer)


class LessonFileError(ValueError):
    """A lesson file that cannot be read as a lesson; the message names the file and the fix."""


def lesson_text(path):
    """The text of lesson file `path`: UTF-8, with or without a byte-order mark (some Windows
    editors write one); anything else fails naming the file, the line and the fix."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise LessonFileError(
            f"{path}, line {line}: byte 0x{data[error.start]:02x} is not UTF-8. The file was saved in "
            "another encoding (Windows-1252, say): save it as UTF-8 and build again"
        ) from None


def read_lesson(path):
    """Read a jupytext lesson with stable cell ids (jupytext invents random ones)."""
    nb = jupytext.reads(lesson_text(path), fmt="py:percent")
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    return nb


# Control characters (all but newline and carriage return) have no place in a lesson's
# prose; they are nearly always a string escape that ate a backslash (\t of \times, \b of
# \beta). In code a TAB may indent or sit in a string; the others are garbage there too.
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f]")
_NAMES = {"\t": "TAB", "\b": "backspace", "\f": "form feed", "\v": "vertical tab", "\a": "bell"}
_CELL = re.compile(r"# %%(.*)")


def check_prose(path):
    """Raise LessonFileError, naming the line, if lesson `path` holds a control character where none belongs.

    The file is read as it is: a form feed or vertical tab would otherwise be taken
    for a line break, and the mistake would vanish from the page unseen.
    """
    markdown = False
    for number, line in enumerate(lesson_text(path).split("\n"), start=1):
        if cell := _CELL.match(line):
            markdown = "[markdown]" in cell[1]
        found = next((c for c in _CONTROL.findall(line) if markdown or c != "\t"), None)
        if found:
            name = _NAMES.get(found, f"U+{ord(found):04X}")
            raise LessonFileError(
                f"{path}, line {number}: a {name} character in the {'prose' if markdown else 'code'} "
                f"({line.strip()!r}). It is usually a string escape that ate a backslash (\\t of "
                "\\times, \\b of \\beta): type the characters themselves."
            )


def source_line(path, text):
    """The number of the first line of file `path` that contains `text`'s first line (0 if none)."""
    wanted = text.strip().splitlines()[0] if text.strip() else ""
    for number, line in enumerate(lesson_text(path).splitlines(), start=1):
        if wanted and wanted in line:
            return number
    return 0
