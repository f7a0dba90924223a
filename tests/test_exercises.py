"""Every lesson keeps the rules in gdsite/rules.py, which the build checks too (test_build_rules.py).

Here each lesson is read from its source and checked, and each rule is shown to
catch what it is meant to catch, with the message a contributor reads.
"""

import nbformat
import pytest
from conftest import ROOT, nav_lessons

from gdsite import rules
from gdsite.lessons import read_lesson


@pytest.mark.parametrize("lesson", nav_lessons())
def test_lesson_keeps_the_rules(lesson):
    problems = rules.lesson_problems(read_lesson(ROOT / "docs" / lesson))
    assert not problems, f"{lesson}:\n" + "\n".join(problems)


def notebook(*cells):
    """A lesson from ("md" | "code" | "solution", source) pairs, with a title, a summary and 3 good exercises
    unless the cells given replace them."""
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            if kind == "solution":
                cell.metadata["tags"] = ["solution"]
            nb.cells.append(cell)
    return nb


GOOD = [
    ("md", "# A lesson"),
    ("code", "x = 1"),
    ("md", "## Summary\n\nIt was short."),
    ("md", "## Exercises\n\n**Exercise 1 (predict, then run).** What is x?"),
    ("solution", "assert x == 1"),
    ("md", "**Exercise 2 (break it and explain).** Set x to 2."),
    ("solution", "x = 2\nassert x == 2"),
    ("md", "**Exercise 3 (explore).** Try 3."),
    ("solution", "assert 3 == 3"),
]


def test_a_lesson_that_keeps_every_rule_has_no_problem():
    assert rules.lesson_problems(notebook(*GOOD)) == []


def replaced(index, cell):
    return [*GOOD[:index], cell, *GOOD[index + 1 :]]


BROKEN = {
    "no solution": (
        [*GOOD[:4], *GOOD[5:]],
        "cell 4 ('## Exercises'): Exercise 1 has 0 solution cells; exactly one code cell tagged `solution`",
    ),
    "two solutions": (
        [*GOOD[:5], ("solution", "assert x")] + GOOD[5:],
        "cell 4 ('## Exercises'): Exercise 1 has 2 solution cells",
    ),
    "no assert": (
        replaced(4, ("solution", "print(x)")),
        "cell 5 ('print(x)'): a solution that checks nothing",
    ),
    "too few": (GOOD[:7], "has 2 exercises; at least 3"),
    "no predict": (
        replaced(3, ("md", "## Exercises\n\n**Exercise 1 (explore).** What is x?")),
        "has no (predict, then run) exercise",
    ),
    "no break it": (
        replaced(5, ("md", "**Exercise 2 (explore).** Set x to 2.")),
        "has no (break it and explain) exercise",
    ),
    "prose solution": (
        replaced(7, ("md", "**Exercise 3 (explore).** <details>\n```python\nx\n```\n</details>")),
        "cell 8 ('**Exercise 3 (explore).** <details>'): a solution written in prose",
    ),
    "solution first": (
        [*GOOD[:3], ("md", "## Exercises"), ("solution", "assert 1"), *GOOD[5:]],
        "cell 5 ('assert 1'): a solution before any exercise",
    ),
    "wide code": (
        replaced(1, ("code", "x = 1  # " + "w" * 80)),
        "cell 2 ('x = 1  # www",
    ),
    "two titles": ([*GOOD, ("md", "# Another title")], "has 2 level-1 headings"),
    "no summary": ([g for g in GOOD if "## Summary" not in g[1]], "has no `## Summary` section"),
    "summary last": (
        [g for g in GOOD if "## Summary" not in g[1]] + [("md", "## Summary")],
        "puts `## Summary` after `## Exercises`",
    ),
    "formatter": (replaced(1, ("code", "(line,) = ax.plot(x)")), "`(line,) =` is a formatter's spelling"),
    "noqa": (replaced(1, ("code", "import os  # noqa: F401")), "a lint directive (`# noqa`)"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_each_rule_names_the_cell_and_the_fix(case):
    cells, message = BROKEN[case]
    problems = rules.lesson_problems(notebook(*cells))
    assert any(message in p for p in problems), f"{case}: {message!r} not in {problems}"


def test_the_width_rule_counts_characters_up_to_code_width():
    fits = "x" * rules.CODE_WIDTH
    assert rules.lesson_problems(notebook(*replaced(1, ("code", fits)))) == []
    [problem] = rules.lesson_problems(notebook(*replaced(1, ("code", fits + "x"))))
    assert f"a code line of {rules.CODE_WIDTH + 1} characters (at most {rules.CODE_WIDTH}" in problem


def figure(alt):
    nb = notebook(*GOOD)
    nb.cells[1].outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": f'<img src="media/a.svg" alt="{alt}">'})
    ]
    return nb


def test_alt_text_that_says_too_little_is_named():
    assert rules.output_problems(figure("A line falls from 3 to 0 over 20 steps.")) == []
    [problem] = rules.output_problems(figure("Image"))
    assert problem.startswith("cell 2 ('x = 1'): a figure's alt text says too little ('Image')")
    assert 'gd.describe(fig, "...")' in problem


def test_ruff_and_the_build_use_one_code_width_for_lessons():
    import tomllib

    settings = tomllib.loads((ROOT / "docs" / "lessons" / "ruff.toml").read_text())
    assert settings["line-length"] == rules.CODE_WIDTH
    assert settings["extend"] == "../../pyproject.toml"  # the project's other settings still apply
