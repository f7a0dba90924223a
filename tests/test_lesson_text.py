"""The code on the page is the code the prose talks about.

The lessons discuss the seed course's own idioms (`-1.` with its dot, `line, =`,
a trailing `;`, ...). A formatter or an auto-fix would rewrite exactly these,
and its escape hatches (`# fmt: skip`, `# noqa`) would show on the page. These
tests read the built pages, as a reader gets them.
"""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import nav_lessons, page_of

from gdsite import rules

pytestmark = pytest.mark.slow  # builds the site or drives a browser: see CONTRIBUTING.md

LESSONS = nav_lessons()

# (lesson, what the reader must see in an executed code cell, as a regular expression)
IDIOMS = [
    ("01-data", r"x\[:,0\]\.uniform_\(-1\.,1\)"),
    ("01-data", r"torch\.tensor\(\[3\.,\s?2\]\)"),
    ("01-data", r"x\[:5\]"),
    ("01-data", r"\[2:\]"),
    ("01-data", r"x@a"),
    ("01-data", r"plt\.scatter\([^\n]*\);$"),
    ("03-parameters", r"nn\.Parameter\("),
    ("04-autograd", r"loss\.backward\(\)"),
    ("05-accumulation-and-update", r"a\.grad\.zero_\(\)"),
    ("05-accumulation-and-update", r"torch\.no_grad\(\)"),
    ("05-accumulation-and-update", r"a\.sub_\(lr\*a\.grad\)"),
    ("06-gradient-descent", r"a\.sub_\(lr\*a\.grad\)"),
    ("08-animation", r"^line, = ax\.plot\("),
    ("08-animation", r"return line,$"),
    ("08-animation", r"rc\('animation', html='jshtml'\)"),
    ("09-python-notes", r"^line, = plt\.plot\("),
    ("09-python-notes", r"return line,$"),
    ("09-python-notes", r"^n = 100,"),
    ("09-python-notes", r"type\(\(1\)\)"),
]
# Spellings that a formatter writes instead, and tool directives: never on a page (one list, the build's).
FORBIDDEN = list(rules.FORBIDDEN)


def code_cells(html):
    soup = BeautifulSoup(html, "html.parser")
    return [pre.get_text() for pre in soup.select(".jp-CodeCell .highlight pre")]


def outputs(html):
    soup = BeautifulSoup(html, "html.parser")
    return [out.get_text() for out in soup.select(".jp-OutputArea-output")]


@pytest.mark.parametrize(("lesson", "idiom"), IDIOMS, ids=[f"{lesson}:{idiom}" for lesson, idiom in IDIOMS])
def test_the_seeds_idioms_appear_verbatim_in_executed_cells(built_site, lesson, idiom):
    cells = code_cells(page_of(built_site, f"lessons/{lesson}.py"))
    assert any(re.search(idiom, cell, re.M) for cell in cells), f"{lesson}: no code cell shows {idiom}"


def test_a_loss_is_shown_with_its_grad_fn(built_site):
    shown = [o for lesson in LESSONS for o in outputs(page_of(built_site, lesson))]
    assert any(re.search(r"tensor\(\d+\.\d{4}, grad_fn=<MeanBackward0>\)", o) for o in shown)


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_formatter_spelling_or_tool_directive_on_a_page_or_in_a_download(built_site, lesson):
    html = page_of(built_site, lesson)
    download = json.loads((Path(built_site) / Path(lesson).with_suffix(".ipynb")).read_text())
    texts = code_cells(html) + ["".join(c["source"]) for c in download["cells"]]
    for pattern in FORBIDDEN:
        found = [t for t in texts if re.search(pattern, t)]
        assert not found, f"{lesson} shows {pattern!r}: {found[0][:200]}"
