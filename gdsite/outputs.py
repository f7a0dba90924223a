"""Turn an executed lesson into light, deterministic page content.

- Media that the kernel embedded as base64 (``data:`` URIs) move to files of
  their own, named by content hash, so pages and the search index stay small
  and a browser can cache them.
- Memory addresses in printed reprs and the kernel's temporary cell file names
  in warnings are masked: they change on every run.
- LaTeX in Markdown cells becomes MathML at build time, so equations render
  with no JavaScript and nothing fetched from a CDN.
- A line ``--8<-- "gd/descent.py:loop"`` in a Markdown cell becomes that section
  of the real file (the syntax of pymdownx.snippets, which does the same for
  the Markdown pages), so a lesson never shows a pasted copy of gd's code.
"""

import base64
import hashlib
import re
import textwrap
from pathlib import Path

from latex2mathml.converter import convert as latex_to_mathml

_DATA_URI = re.compile(r"data:(?P<mime>(?:image|video)/[\w.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]+)")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{4,}")
# Warnings name the cell's temporary file, e.g. /tmp/ipykernel_4242/3101.py: new on every run.
_CELL_FILE = re.compile(r"(?:/[\w.-]+)*/ipykernel_\d+/\d+\.py")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<!\\)\$")
_EXTENSIONS = {"video/mp4": "mp4", "image/png": "png", "image/svg+xml": "svg", "image/webp": "webp"}


_DARK_IMAGE = re.compile(r'<img [^>]*src="data:[^"]*#only-dark"[^>]*>')
_SNIPPET = re.compile(r'^--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"[ \t]*$', re.M)


class SnippetError(ValueError):
    """A snippet line names a file or section that does not exist."""


def finish_notebook(nb, media_prefix, root):
    """Rewrite `nb` in place for the page; return {file name: bytes} of extracted media.

    `media_prefix` is the URL (relative to the page) of the folder the media will
    be served from; `root` is the project folder that snippet paths start from.
    """
    media = {}
    finish_download(nb, root)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = render_math(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                data["text/html"] = _extract_media(data["text/html"], media, media_prefix)
    return media


def finish_download(nb, root, *, keep_dark_figures=True):
    """What the downloadable notebook needs: snippets included, run-specific text masked.

    Media stay embedded and LaTeX stays LaTeX, so the file is whole on its own.
    Outside the site nothing hides the dark-theme copy of each figure, so a
    notebook for download keeps only the light one (keep_dark_figures=False).
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = include_snippets(cell.source, root)
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _mask_run_specific(output["text"])
            data = output.get("data", {})
            if "text/plain" in data:
                data["text/plain"] = _mask_run_specific(data["text/plain"])
            if "text/html" in data and not keep_dark_figures:
                data["text/html"] = _DARK_IMAGE.sub("", data["text/html"])


def _mask_run_specific(text):
    return _CELL_FILE.sub("<cell>", _ADDRESS.sub(" at 0x…", text))


def _extract_media(html, media, prefix):
    def move(match):
        payload = base64.b64decode(re.sub(r"\s", "", match["data"]))
        name = f"{hashlib.sha256(payload).hexdigest()[:16]}.{_EXTENSIONS.get(match['mime'], 'bin')}"
        media[name] = payload
        return f"{prefix}{name}"

    return _DATA_URI.sub(move, html)


def include_snippets(markdown, root):
    """Replace each snippet line with a code block holding that part of the file."""

    def expand(match):
        path = Path(root) / match["path"]
        if not path.is_file():
            raise SnippetError(f'snippet file "{match["path"]}" does not exist (looked in {root})')
        lines = path.read_text(encoding="utf-8").splitlines()
        if match["section"]:
            lines = _section(lines, match["section"], match["path"])
        body = textwrap.dedent("\n".join(line for line in lines if "--8<--" not in line)).strip("\n")
        return f"`{match['path']}`\n\n```python\n{body}\n```"

    return _SNIPPET.sub(expand, markdown)


def _section(lines, name, path):
    marks = [
        i
        for i, line in enumerate(lines)
        if f"--8<-- [start:{name}]" in line or f"--8<-- [end:{name}]" in line
    ]
    if len(marks) != 2:
        raise SnippetError(
            f'snippet section "{name}" is not marked once in {path} '
            f'(expected lines "# --8<-- [start:{name}]" and "# --8<-- [end:{name}]")'
        )
    return lines[marks[0] + 1 : marks[1]]


def render_math(markdown):
    """Replace $$…$$ and $…$ with MathML (display and inline)."""
    markdown = _DISPLAY_MATH.sub(
        lambda m: "\n\n" + latex_to_mathml(m[1].strip(), display="block") + "\n\n", markdown
    )
    return _INLINE_MATH.sub(lambda m: latex_to_mathml(m[1].strip()), markdown)
