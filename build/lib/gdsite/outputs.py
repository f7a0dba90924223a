"""Executed outputs made light and deterministic, for the page and for the download.

- Media that the kernel embedded as base64 (``data:`` URIs) move to files of
  their own, named by content hash, so pages and the search index stay small
  and a browser can cache them.
- Memory addresses in printed reprs and the kernel's temporary cell file names
  in warnings are masked: they change on every run.
"""

import base64
import hashlib
import re

import nbformat

_DATA_URI = re.compile(r"data:(?P<mime>(?:image|video)/[\w.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]+)")
_ADDRESS = re.compile(r"(?: at |\b)0x[0-9a-fA-F]{6,}\b")
# Warnings name the cell's temporary file, e.g. /tmp/ipykernel_4242/3101.py: new on every run.
_CELL_FILE = re.compile(r"(?:/[\w.-]+)*/ipykernel_\d+/\d+\.py")
_DARK_IMAGE = re.compile(r'<img [^>]*src="data:[^"]*#only-dark"[^>]*>')
_EXTENSIONS = {"video/mp4": "mp4", "image/png": "png", "image/svg+xml": "svg", "image/webp": "webp"}


def merge(nb, outputs):
    """Attach stored outputs to the lesson's code cells (same order, same count)."""
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    for cell, (count, cell_outputs) in zip(code_cells, outputs, strict=True):
        cell.outputs = [nbformat.from_dict(output) for output in cell_outputs]
        cell.execution_count = count
    return nb


def mask_run_specific(nb):
    """Hide what differs from run to run: memory addresses, temporary file names."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _mask(output["text"])
            data = output.get("data", {})
            if "text/plain" in data:
                data["text/plain"] = _mask(data["text/plain"])


def _mask(text):
    return _CELL_FILE.sub("<cell>", _ADDRESS.sub(lambda m: m[0][: m[0].index("0x")] + "0x…", text))


def drop_dark_figures(nb):
    """Outside the site nothing hides the dark-theme drawing of a figure: keep the light one."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                data["text/html"] = _DARK_IMAGE.sub("", data["text/html"])


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
