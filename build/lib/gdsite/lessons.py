"""What the pipeline works on: a lesson file, the build's settings, and reading a lesson."""

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


@dataclass
class Settings:
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
    prerender: object = None  # renders finished lessons' pages ahead of time (render.Prerenderer)


def read_lesson(path):
    """Read a jupytext lesson with stable cell ids (jupytext invents random ones)."""
    nb = jupytext.read(path)
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    return nb
