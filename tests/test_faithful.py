"""Plain Jupyter is the reference: every lesson's page and download show what a stock kernel shows.

For each lesson, the downloaded notebook is run top to bottom by plain nbclient
in a stock ipykernel (no gdsite, the download's own folder, Jupyter's defaults)
and compared, code cell by code cell, with the built page and with the outputs
the download carries. What is compared is the kind of each output (figure,
text, error): the site may change how an output is encoded (SVG per theme, mp4
for an animation, an explorer for a Sweep, masked paths), never whether it is
there. A figure missing on the page, or one that plain Jupyter shows only as
`<Figure size 440x300 with 1 Axes>`, fails here and names the cell.
"""

import copy
import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, nav_lessons, page_of
from nbclient import NotebookClient

from gdsite.lessons import read_lesson

# What counts as a picture: an image or video in any encoding, the explorer, jshtml's player.
PICTURE = re.compile(r"<img\b|<video\b|<svg\b|gd-explorer")


def collapse(kinds):
    """Consecutive texts are one: a print may reach Jupyter in several pieces."""
    out = []
    for kind in kinds:
        if not (out and out[-1] == kind == "text"):
            out.append(kind)
    return out


def output_kind(output):
    if output["output_type"] == "stream":
        return "text"
    if output["output_type"] == "error":
        return "error"
    data = output.get("data", {})
    if any(mime.startswith(("image/", "video/")) for mime in data) or PICTURE.search(
        data.get("text/html", "")
    ):
        return "figure"
    return "text"


def notebook_kinds(nb):
    return [collapse(output_kind(o) for o in cell.outputs) for cell in nb.cells if cell.cell_type == "code"]


def page_kinds(html):
    kinds = []
    for cell in BeautifulSoup(html, "html.parser").select("div.jp-CodeCell"):
        found = []
        for output in cell.select("div.jp-OutputArea-output"):
            mime = output.get("data-mime-type", "")
            if "jp-OutputArea-error" in output.get("class", []) or "traceback" in mime:
                found.append("error")
            elif mime.startswith(("image/", "video/")) or PICTURE.search(str(output)):
                found.append("figure")
            else:
                found.append("text")
        kinds.append(collapse(found))
    return kinds


def run_in_stock_kernel(nb, folder):
    """The notebook, outputs cleared, run top to bottom as `jupyter nbconvert --execute` would."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    NotebookClient(
        nb, timeout=600, allow_errors=True, resources={"metadata": {"path": str(folder)}}
    ).execute()
    return nb


def describe(cells, index):
    source = cells[index].source.strip().splitlines()
    return f"In [{index + 1}] {source[0][:60] if source else ''}"


@pytest.mark.slow
@pytest.mark.parametrize("lesson", nav_lessons())
def test_page_download_and_plain_jupyter_agree_cell_by_cell(built_site, lesson, tmp_path):
    download = nbformat.read(built_site / lesson.replace(".py", ".ipynb"), as_version=4)
    code = [cell for cell in download.cells if cell.cell_type == "code"]
    installer = [cell for cell in code if cell.get("id") == "gd-install"]
    lesson_code = [
        cell.source for cell in read_lesson(ROOT / "docs" / lesson).cells if cell.cell_type == "code"
    ]
    # The download runs exactly the lesson's code (after a cell that installs gd where missing).
    assert [cell.source for cell in code if cell not in installer] == lesson_code

    skip = len(installer)
    page = page_kinds(page_of(built_site, lesson))
    stored = notebook_kinds(download)[skip:]
    plain = notebook_kinds(run_in_stock_kernel(download, tmp_path))[skip:]
    assert len(page) == len(stored) == len(plain) == len(lesson_code)
    differ = [
        f"{describe(code[skip:], i)}: page {p}, download {s}, plain Jupyter {r}"
        for i, (p, s, r) in enumerate(zip(page, stored, plain, strict=True))
        if not p == s == r
    ]
    assert not differ, f"{lesson}: outputs differ from plain Jupyter:\n" + "\n".join(differ)


@pytest.mark.slow
def test_no_lesson_page_colours_matrix_multiplication_as_a_decorator(built_site):
    for lesson in nav_lessons():
        assert 'class="nd"' not in page_of(built_site, lesson), lesson
    assert '<span class="o">@</span>' in page_of(built_site, "lessons/01-data.py")
