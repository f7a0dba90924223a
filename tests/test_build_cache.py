"""The execution cache and the build's failure modes, on real builds of scratch projects."""

import contextlib
import filecmp
import json
import shutil
import subprocess
import sys

import pytest
from conftest import mkdocs_build
from scratch import make_project, runs

pytestmark = pytest.mark.slow  # builds the site or drives a browser: see CONTRIBUTING.md


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A scratch project built once: both lessons executed and cached."""
    project = make_project(tmp_path_factory.mktemp("warm"))
    done = mkdocs_build(project, project / "site")
    assert done.returncode == 0, done.stderr
    assert sorted(runs(project)) == ["one", "two"]
    return project


@pytest.fixture
def project(warm, tmp_path):
    """A private copy of the warm project (cache included) that a test may change."""
    copy = tmp_path / "project"
    shutil.copytree(warm, copy, ignore=shutil.ignore_patterns("site"))
    (copy / "runs.txt").unlink()
    return copy


def page(project, name):
    return (project / "site" / "lessons" / name / "index.html").read_text()


def test_rebuild_with_nothing_changed_executes_nothing(project):
    done = mkdocs_build(project, project / "site")
    assert done.returncode == 0, done.stderr
    assert runs(project) == []
    assert "first gd line:" in page(project, "one")


def test_markdown_edit_rerenders_without_executing(project):
    lesson = project / "docs" / "lessons" / "one.py"
    lesson.write_text(lesson.read_text().replace("# Some prose.", "# Freshly edited prose."))
    done = mkdocs_build(project, project / "site")
    assert done.returncode == 0, done.stderr
    assert runs(project) == []
    assert "Freshly edited prose." in page(project, "one")
    assert "first gd line:" in page(project, "one")  # outputs still there, from the cache


def test_code_edit_reexecutes_only_that_lesson(project):
    lesson = project / "docs" / "lessons" / "two.py"
    lesson.write_text(lesson.read_text().replace("steps=5", "steps=6"))
    done = mkdocs_build(project, project / "site")
    assert done.returncode == 0, done.stderr
    assert runs(project) == ["two"]


def test_gd_change_reexecutes_and_changes_the_page(project):
    init = project / "gd" / "__init__.py"
    init.write_text(init.read_text().replace('"""gd — ', '"""gd (edited) — ', 1))
    done = mkdocs_build(project, project / "site")
    assert done.returncode == 0, done.stderr
    assert sorted(runs(project)) == ["one", "two"]
    assert "first gd line: gd (edited)" in page(project, "one")


@pytest.mark.parametrize("damage", ["garble", "truncate", "empty", "wrong-key"])
def test_damaged_cache_entry_is_detected_and_recovered(project, damage):
    entries = sorted((project / ".gd-cache" / "executed").glob("*.json"))
    assert len(entries) == 2
    originals = [entry.read_bytes() for entry in entries]
    for i, entry in enumerate(entries):
        data = entry.read_bytes()
        if damage == "garble":
            entry.write_bytes(data[:200] + b"\x00garbage\xff" + data[220:])
        elif damage == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "empty":
            entry.write_bytes(b"")
        else:  # each entry swapped with the other: valid files under the wrong names
            entry.write_bytes(originals[1 - i])
    done = mkdocs_build(project, project / "site", quiet=False)
    assert done.returncode == 0, done.stderr
    assert "corrupt cache entry" in done.stderr + done.stdout
    assert sorted(runs(project)) == ["one", "two"]
    assert "first gd line:" in page(project, "one")


def test_failing_lesson_fails_the_build_names_it_and_is_not_cached(tmp_path):
    broken = """\
    # %% [markdown]
    # # Broken

    # %%
    ok = 1

    # %%
    ratio = ok / (ok - 1)
    """
    project = make_project(tmp_path, {"broken": broken})
    done = mkdocs_build(project, project / "site")
    assert done.returncode != 0
    assert str(project / "docs" / "lessons" / "broken.py") in done.stderr
    assert "ratio = ok / (ok - 1)" in done.stderr  # the failing cell's source
    assert "ZeroDivisionError" in done.stderr and "Traceback" in done.stderr
    assert "\x1b[" not in done.stderr  # no terminal colour codes in the message
    assert not list((project / ".gd-cache" / "executed").glob("*.json"))


def test_hung_cell_times_out_instead_of_hanging(tmp_path):
    hung = """\
    # %%
    import time
    time.sleep(120)
    """
    project = make_project(tmp_path, {"hung": hung}, timeout=3)
    done = mkdocs_build(project, project / "site")
    assert done.returncode != 0
    assert "hung.py" in done.stderr and "did not finish within 3 s" in done.stderr
    assert "time.sleep(120)" in done.stderr


@contextlib.contextmanager
def busy_cpu(processes=2):
    """Keep the machine's cores busy (as other jobs on a shared CI runner would)."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


DETERMINISM_LESSON = """\
# %%
import time
import torch
import gd

x, y = gd.linear_data(100, seed=42)
history = gd.fit(x, y, torch.tensor([1.0, 1.0]), steps=20)
gd.plot_landscape(x, y, history)

# %%
gd.plot_fit(x, y, history.params[-1])

# %%
gd.animate_fit(x, y, history)

# %%
print(torch.Generator())

# %%
# torch.linalg.lstsq, solved many times with differently placed memory
answers = set()
for i in range(60):
    padding = torch.randn(i % 17 * 1000)
    answers.add(tuple(torch.linalg.lstsq(x.clone(), y.unsqueeze(1)).solution.squeeze(1).tolist()))
print(len(answers), "distinct answer(s):", sorted(answers))

# %%
# one print, written in pieces over time
for i in range(4):
    print(i, end=" ", flush=True)
    time.sleep(0.15)
print()
"""


def test_two_clean_builds_are_byte_identical_even_on_a_busy_machine(tmp_path):
    lessons = {"anim": DETERMINISM_LESSON}
    first = make_project(tmp_path / "a", lessons)
    second = make_project(tmp_path / "b", lessons)
    done = mkdocs_build(first, first / "site")
    assert done.returncode == 0, done.stderr
    with busy_cpu():
        done = mkdocs_build(second, second / "site")
    assert done.returncode == 0, done.stderr
    left, right = first / "site", second / "site"
    files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    assert any(f.suffix == ".mp4" for f in files)
    differing = [f for f in files if not filecmp.cmp(left / f, right / f, shallow=False)]
    assert differing == []
    notebook = json.loads((left / "lessons" / "anim.ipynb").read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code" and c["execution_count"]]
    lstsq, pieces = code[-2], code[-1]
    assert "".join(lstsq["outputs"][0]["text"]).startswith("1 distinct answer(s)")
    assert [o["output_type"] for o in pieces["outputs"]] == ["stream"]  # one output, not four
    assert "".join(pieces["outputs"][0]["text"]) == "0 1 2 3 \n"


def test_a_wrong_exercise_solution_fails_the_build(tmp_path):
    lesson = """\
    # %%
    x = 1

    # %% [markdown]
    # **Exercise 1.** Make x two.

    # %% tags=["solution"]
    assert x == 2, "the solution is wrong"
    """
    project = make_project(tmp_path, {"wrong": lesson})
    done = mkdocs_build(project, project / "site")
    assert done.returncode != 0
    assert "wrong.py" in done.stderr and "the solution is wrong" in done.stderr


def test_dollars_in_code_stay_dollars_and_math_becomes_mathml(tmp_path):
    lesson = """\
    # %% [markdown]
    # # Dollars
    #
    # Set `$PATH` first; it says `costs $5 or $6`. A literal \\$ sign. The line $y = 3x + 2$.

    # %%
    print("costs $5 or $6, and $x$ stays text")
    """
    project = make_project(tmp_path, {"dollars": lesson})
    done = mkdocs_build(project, project / "site")
    assert done.returncode == 0, done.stderr
    html = page(project, "dollars")
    assert "<code>$PATH</code>" in html and "<code>costs $5 or $6</code>" in html
    assert "costs $5 or $6, and $x$ stays text" in html  # the output, untouched
    assert html.count("<math") == 1 and "A literal $ sign" in html


def test_invalid_latex_fails_the_build_naming_lesson_cell_and_formula(tmp_path):
    lesson = """\
    # %% [markdown]
    # # Bad formula

    # %% [markdown]
    # Here: $\\left( x$ is not closed.

    # %%
    x = 1
    """
    project = make_project(tmp_path, {"badmath": lesson})
    done = mkdocs_build(project, project / "site")
    assert done.returncode != 0
    assert "badmath.py" in done.stderr and "Markdown cell 2" in done.stderr
    assert "$\\left( x$" in done.stderr and "MathML" in done.stderr
    assert "Traceback" not in done.stderr
