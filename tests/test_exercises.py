"""Every exercise solution runs, in the namespace its lesson leaves, and passes its own checks.

Solutions live in the lessons as ```python blocks inside <details class="solution">
(collapsed on the page). Each one asserts its result against an independent
reference, so running it is the test.
"""

import re
import warnings

import matplotlib
import pytest
from conftest import ROOT, nav_lessons

from gdsite.lessons import read_lesson

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

_SOLUTION = re.compile(r'<details class="solution">(.*?)</details>', re.S)
_PYTHON = re.compile(r"```python\n(.*?)```", re.S)


def solutions_of(lesson):
    nb = read_lesson(ROOT / "docs" / lesson)
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    return [code for block in _SOLUTION.findall(text) for code in _PYTHON.findall(block)]


def exercises_heading_count(lesson):
    nb = read_lesson(ROOT / "docs" / lesson)
    text = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    return len(_SOLUTION.findall(text)), "## Exercises" in text


CASES = [(lesson, i) for lesson in nav_lessons() for i in range(len(solutions_of(lesson)))]
_namespaces = {}


def lesson_namespace(lesson, monkeypatch):
    """Run the lesson's code cells once (as the build does) and keep what they define."""
    if lesson not in _namespaces:
        nb = read_lesson(ROOT / "docs" / lesson)
        namespace = {"__name__": "__lesson__"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for cell in nb.cells:
                if cell.cell_type == "code":
                    exec(compile(cell.source, f"{lesson} cell", "exec"), namespace)
        plt.close("all")
        _namespaces[lesson] = namespace
    return dict(_namespaces[lesson])


@pytest.mark.parametrize("lesson", nav_lessons())
def test_every_lesson_ends_with_at_least_two_solved_exercises(lesson):
    solved, has_heading = exercises_heading_count(lesson)
    assert has_heading, f"{lesson} has no '## Exercises' section"
    assert solved >= 2, f"{lesson} has {solved} exercise solutions; at least 2 expected"
    assert len(solutions_of(lesson)) >= solved, "every solution block holds a ```python block"


@pytest.mark.parametrize(("lesson", "index"), CASES, ids=[f"{lesson[8:-3]}-{i + 1}" for lesson, i in CASES])
def test_solution_runs_and_checks_itself(lesson, index, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    code = solutions_of(lesson)[index]
    assert "assert" in code, "a solution must check its own result"
    namespace = lesson_namespace(lesson, monkeypatch)
    exec(compile(code, f"{lesson} solution {index + 1}", "exec"), namespace)
    plt.close("all")
