"""Every lesson ends with exercises whose solutions are code cells that the build runs.

A solution is a code cell tagged "solution" right after its exercise. The build
executes it in the lesson's kernel (a wrong solution fails the build; see
test_gdsite_execute.py and test_build_cache.py) and folds it away on the page.
"""

import re

import pytest
from conftest import ROOT, nav_lessons

from gdsite.lessons import read_lesson


def exercises(lesson):
    """[(exercise prose, solution code)] from the lesson's "## Exercises" section on."""
    cells = read_lesson(ROOT / "docs" / lesson).cells
    starts = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and "## Exercises" in c.source]
    assert len(starts) == 1, f"{lesson}: expected one '## Exercises' heading"
    found = []
    for cell in cells[starts[0] :]:
        if cell.cell_type == "code" and "solution" in cell.metadata.get("tags", []):
            assert found and found[-1][1] is None, f"{lesson}: two solutions in a row"
            found[-1] = (found[-1][0], cell.source)
        elif cell.cell_type == "markdown" and re.search(r"\*\*Exercise \d+", cell.source):
            found.append((cell.source, None))
    return found


@pytest.mark.parametrize("lesson", nav_lessons())
def test_each_exercise_has_one_solution_cell_that_checks_itself(lesson):
    found = exercises(lesson)
    assert len(found) >= 3, f"{lesson} has {len(found)} exercises; at least 3 expected"
    for prose, solution in found:
        assert solution is not None, f"{lesson}: exercise without a solution cell: {prose[:60]!r}"
        assert "assert" in solution, f"{lesson}: a solution must check its result: {prose[:60]!r}"


@pytest.mark.parametrize("lesson", nav_lessons())
def test_each_lesson_has_a_predict_and_a_break_it_exercise(lesson):
    kinds = " ".join(prose for prose, _ in exercises(lesson)).lower()
    assert "(predict, then run)" in kinds, f"{lesson}: no 'predict, then run' exercise"
    assert "(break it and explain)" in kinds, f"{lesson}: no 'break it and explain' exercise"


@pytest.mark.parametrize("lesson", nav_lessons())
def test_no_solution_is_left_in_prose(lesson):
    prose = "\n".join(
        c.source for c in read_lesson(ROOT / "docs" / lesson).cells if c.cell_type == "markdown"
    )
    assert "```python" not in prose or "<details" not in prose, f"{lesson}: a solution in Markdown"
