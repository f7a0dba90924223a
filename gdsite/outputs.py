"""Executed outputs made light, bounded and deterministic, for the page and for the download.

- Media that the kernel embedded as base64 (``data:`` URIs) move to files of
  their own, named by content hash, so pages and the search index stay small
  and a browser can cache them.
- Memory addresses in printed reprs, the kernel's temporary cell file names and
  the build machine's folders in warnings and tracebacks are masked: they change
  from run to run and from machine to machine, and say nothing to a reader.
- Runaway output is bounded: printed text is cut as it arrives (printed.py), and a
  page whose outputs and media together pass `MAX_PAGE_BYTES` fails the build.
"""

import base64
import hashlib
import os
import re
import site
import sys
from pathlib import Path

import nbformat

_DATA_URI = re.compile(r"data:(?P<mime>(?:image|video)/[\w.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]+)")
_ADDRESS = re.compile(r"(?: at |\b)0x[0-9a-fA-F]{6,}\b")
# Warnings name the cell's temporary file, e.g. /tmp/ipykernel_4242/3101.py: new on every run.
_CELL_FILE = re.compile(r"(?:/[\w.-]+)*/ipykernel_\d+/\d+\.py")
# The folder a lesson runs in (kernel.py): new for every run. Inside it, paths become relative.
_KERNEL_FOLDER = re.compile(r"(?:/[\w.-]+)*/kernel-[0-9a-f-]{36}-cwd(/)?")
_DARK_IMAGE = re.compile(r'<img [^>]*src="data:[^"]*#only-dark"[^>]*>')
_DARK_VIDEO = re.compile(r'<video class="gd-video gd-video--dark".*?</video>', re.S)
MAX_PAGE_BYTES = 5_000_000  # a lesson's outputs and media, all together
_EXTENSIONS = {"video/mp4": "mp4", "image/png": "png", "image/svg+xml": "svg", "image/webp": "webp"}


def merge(nb, outputs):
    """Attach stored outputs to the lesson's code cells (same order, same count)."""
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    for cell, (count, cell_outputs) in zip(code_cells, outputs, strict=True):
        cell.outputs = [nbformat.from_dict(output) for output in cell_outputs]
        cell.execution_count = count
    return nb


def mask_run_specific(nb, root):
    """Hide what differs from run to run or machine to machine: addresses, file names, folders."""
    folders = _folders(root)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _mask(output["text"], folders)
            data = output.get("data", {})
            if "text/plain" in data:
                data["text/plain"] = _mask(data["text/plain"], folders)
            if "traceback" in output:
                output["traceback"] = [_mask(line, folders) for line in output["traceback"]]


def _folders(root):
    """(folder, what to show instead), longest first: the project, installed packages, Python.

    The project is masked as the kernel sees it (its real path) and as the shell that started
    the build named it (`PWD`, when that is a symbolic link to it): a path inside it becomes
    relative, the folder itself ".".
    """
    root = Path(root).resolve()
    projects = {str(root)}
    given = os.environ.get("PWD")
    if given and Path(given).resolve() == root:
        projects.add(given.rstrip("/"))
    found = [(f"{project}/", "") for project in projects] + [(project, ".") for project in projects]
    found += [(f"{Path(p).resolve()}/", "site-packages/") for p in site.getsitepackages()]
    found += [(f"{Path(sys.base_prefix).resolve()}/", "<python>/"), (f"{Path.home()}/", "~/")]
    return sorted(found, key=lambda pair: len(pair[0]), reverse=True)


def _mask(text, folders=()):
    text = _CELL_FILE.sub("<cell>", _ADDRESS.sub(lambda m: m[0][: m[0].index("0x")] + "0x…", text))
    text = _KERNEL_FOLDER.sub(lambda m: "" if m[1] else ".", text)
    for folder, shown in folders:
        if folder.endswith("/"):
            text = text.replace(folder, shown)
        else:  # the folder itself, not the start of a longer name (/work/main2)
            text = re.sub(re.escape(folder) + r"(?![\w.-])", shown, text)
    return text


def _explorers(nb):
    """The mime bundles of a `gd.Sweep`: its explorer (HTML) beside its still picture (PNG)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if 'class="gd-explorer"' in data.get("text/html", "") and "image/png" in data:
                yield data


def explorers_only(nb):
    """The page shows a Sweep as its explorer: the still picture goes."""
    for data in _explorers(nb):
        del data["image/png"]


def pictures_only(nb):
    """Outside the site no script draws an explorer: a Sweep shows its still picture (as Jupyter would)."""
    for data in _explorers(nb):
        del data["text/html"]


def drop_dark_figures(nb):
    """Outside the site nothing hides the dark-scheme drawing of a figure or video: keep the light one."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                data["text/html"] = _DARK_VIDEO.sub("", _DARK_IMAGE.sub("", data["text/html"]))


def extract_media(nb, prefix):
    """Move embedded media to files; return {file name: bytes}. `prefix` is their URL folder."""
    media = {}

    def move(match):
        payload = base64.b64decode(re.sub(r"\s", "", match["data"]))
        name = f"{hashlib.sha256(payload).hexdigest()[:16]}.{_EXTENSIONS.get(match['mime'], 'bin')}"
        media[name] = payload
        return f"{prefix}{name}"

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                data["text/html"] = _DATA_URI.sub(move, data["text/html"])
    return media
