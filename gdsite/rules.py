"""The rules a lesson keeps, each defined once: the build checks them, and so do the tests.

A broken rule is a warning naming the lesson, the cell and the fix: `mkdocs build
--strict` fails on it; under `mkdocs serve` it shows in the terminal and on every
page in the browser (see serving.py). The rules are CONTRIBUTING.md's, in code:

- one title, then prose and code; a `## Summary`, then `## Exercises`;
- at least three exercises (`**Exercise N (kind).**`), among them a "predict, then
  run" and a "break it and explain"; each followed by exactly one code cell tagged
  `solution`, which checks itself with an `assert`; no solution written in prose;
- code lines at most CODE_WIDTH characters, so no line is cut off on a desktop;
- no formatter's rewrite of a taught idiom and no tool directive in code: the page
  would show them;
- every figure with alt text that says what it shows (checked on the outputs).
"""

import re

CODE_WIDTH = 79  # characters per line of lesson code (ruff's lesson setting is this number too)
MIN_ALT_TEXT = 20  # characters: shorter alt text names a figure, it does not describe it
EXERCISES = "## Exercises"
SUMMARY = "## Summary"
SOLUTION_TAG = "solution"
KINDS = ("(predict, then run)", "(break it and explain)")
# What a formatter writes instead of a taught idiom, and tool directives: never on a page.
FORBIDDEN = {
    r"\(line,\) =": "`(line,) =` is a formatter's spelling of the taught `line, =`",
    r"return \(line,\)": "`return (line,)` is a formatter's spelling of the taught `return line,`",
    r"#\s*fmt:": "a formatter directive (`# fmt:`) would show on the page",
    r"#\s*noqa": "a lint directive (`# noqa`) would show on the page",
    r"#\s*type:\s*ignore": "a type-checker directive would show on the page",
    r"#\s*pragma": "a tool directive (`# pragma`) would show on the page",
}
_EXERCISE = re.compile(r"\*\*Exercise \d+")
_ALT = re.compile(r'<img\b[^>]*\balt="([^"]*)"')


def lesson_problems(nb, lines=None):
    """What breaks the rules in lesson notebook `nb` (read from its source): a list of messages.

    `lines`, the line of the lesson file where each cell starts (`cell_lines`), lets the
    messages name the line to edit."""
    return (
        [*_structure(nb), *_exercises(nb), *_code(nb)]
        if lines is None
        else [_at_lines(problem, lines) for problem in lesson_problems(nb)]
    )


def output_problems(nb, lines=None):
    """What breaks the rules in the lesson's outputs, once executed: alt text that says too little."""
    if lines is not None:
        return [_at_lines(problem, lines) for problem in output_problems(nb)]
    problems = []
    for number, cell in _numbered(nb, "code"):
        for output in cell.get("outputs", []):
            for alt in _ALT.findall(output.get("data", {}).get("text/html", "")):
                if len(alt.strip()) < MIN_ALT_TEXT:
                    problems.append(
                        f"{_where(number, cell)}: a figure's alt text says too little ({alt!r}): say "
                        'what it shows in a sentence or two, with gd.describe(fig, "...")'
                    )
    return problems


def _structure(nb):
    titles = [c for c in nb.cells if c.cell_type == "markdown" and re.search(r"^# \S", c.source, re.M)]
    problems = [] if len(titles) == 1 else [f"has {len(titles)} level-1 headings (`# Title`); exactly one"]
    marks = {mark: _index(nb, mark) for mark in (SUMMARY, EXERCISES)}
    if None in marks.values():
        missing = " and ".join(f"`{mark}`" for mark, at in marks.items() if at is None)
        problems.append(f"has no {missing} section: end with `{SUMMARY}`, then `{EXERCISES}`")
    elif marks[SUMMARY] > marks[EXERCISES]:
        problems.append(f"puts `{SUMMARY}` after `{EXERCISES}`: the summary comes first")
    return problems


def _exercises(nb):
    start = _index(nb, EXERCISES)
    if start is None:
        return []
    found, problems = [], []  # [(number, exercise cell, its solution cells)]
    for number, cell in list(_numbered(nb))[start:]:
        if cell.cell_type == "markdown" and _EXERCISE.search(cell.source):
            found.append((number, cell, []))
            if "```python" in cell.source and "<details" in cell.source:
                problems.append(f"{_where(number, cell)}: a solution written in prose; make it a code cell")
        elif cell.cell_type == "code" and SOLUTION_TAG in cell.metadata.get("tags", []):
            if not found:
                problems.append(f"{_where(number, cell)}: a solution before any exercise")
                continue
            found[-1][2].append((number, cell))
    if len(found) < 3:
        problems.append(
            f"has {len(found)} exercises; at least 3 (`**Exercise N (kind).**` in a Markdown cell)"
        )
    for number, cell, solutions in found:
        if len(solutions) != 1:
            label = _EXERCISE.search(cell.source)[0].strip("*")
            problems.append(
                f"{_where(number, cell)}: {label} has {len(solutions)} solution cells; exactly one "
                f"code cell tagged `{SOLUTION_TAG}` follows each exercise"
            )
        for where, solution in solutions:
            if "assert" not in solution.source:
                problems.append(
                    f"{_where(where, solution)}: a solution that checks nothing; it must `assert` its result"
                )
    kinds = " ".join(cell.source for _, cell, _ in found).lower()
    problems += [f"has no {kind} exercise" for kind in KINDS if kind not in kinds]
    return problems


def _code(nb):
    problems = []
    for number, cell in _numbered(nb, "code"):
        for line in cell.source.splitlines():
            if len(line) > CODE_WIDTH:
                problems.append(
                    f"{_where(number, cell)}: a code line of {len(line)} characters (at most {CODE_WIDTH}, "
                    f"or it is cut off on a desktop): {line.strip()[:60]!r}"
                )
        for pattern, why in FORBIDDEN.items():
            if re.search(pattern, cell.source):
                problems.append(f"{_where(number, cell)}: {why}")
    return problems


def cell_lines(text):
    """The first line of each cell of a jupytext percent lesson (the line after its `# %%` marker)."""
    return [n + 1 for n, line in enumerate(text.splitlines(), start=1) if line.startswith("# %%")]


def _at_lines(problem, lines):
    """'cell N (...)' as 'line L, cell N (...)' when the lesson's cells are where `lines` says."""
    match = re.match(r"cell (\d+) ", problem)
    if match and int(match[1]) <= len(lines):
        return f"line {lines[int(match[1]) - 1]}, {problem}"
    return problem


def _numbered(nb, kind=None):
    """(cell number, counted from 1 as the lesson file reads, cell) for every cell, or every `kind`."""
    return ((n, c) for n, c in enumerate(nb.cells, start=1) if kind is None or c.cell_type == kind)


def _index(nb, heading):
    pattern = re.compile(rf"^{re.escape(heading)}\s*$", re.M)
    return next(
        (i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and pattern.search(c.source)), None
    )


def _where(number, cell):
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    return f"cell {number} ({first[:50]!r})"
