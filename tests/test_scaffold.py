"""A scaffolded lesson is listed in the nav, builds strictly, and passes its own exercises."""

import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, mkdocs_build, nav_lessons

pytestmark = pytest.mark.slow  # builds the site or drives a browser: see CONTRIBUTING.md


@pytest.fixture
def project(tmp_path, built_site):
    """A copy of the real project; its execution cache is warm from the session build."""
    for name in ("docs", "gd", "gdsite", "scripts", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):  # (the contributing page includes CONTRIBUTING.md)
        shutil.copy(ROOT / name, tmp_path / name)
    for cache in ("executed", "manifests"):
        shutil.copytree(ROOT / ".gd-cache" / cache, tmp_path / ".gd-cache" / cache)
    return tmp_path


def test_scaffolded_lesson_is_listed_and_builds(project):
    before = nav_lessons(project / "mkdocs.yml")
    done = subprocess.run(
        [sys.executable, str(project / "scripts" / "new_lesson.py"), "Momentum: a heavier ball"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    number = len(before) + 1
    expected = f"lessons/{number:02d}-momentum-a-heavier-ball.py"
    assert nav_lessons(project / "mkdocs.yml") == before + [expected]
    assert (
        (project / "docs" / expected)
        .read_text()
        .startswith("# %% [markdown]\n# # Momentum: a heavier ball\n")
    )

    built = mkdocs_build(project, project / "site")
    assert built.returncode == 0, built.stderr
    page = (project / "site" / expected.removesuffix(".py") / "index.html").read_text()
    assert "Momentum: a heavier ball" in page and "loss of the line y = x + 1:" in page
    assert page.count('<details class="solution">') == 3


def test_scaffold_refuses_a_title_without_letters(project):
    done = subprocess.run(
        [sys.executable, str(project / "scripts" / "new_lesson.py"), "!!!"], capture_output=True, text=True
    )
    assert done.returncode != 0 and "has no letters or digits" in done.stderr
    assert len(nav_lessons(project / "mkdocs.yml")) == len(nav_lessons())
