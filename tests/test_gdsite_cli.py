"""`python -m gdsite execute`: lessons executed without MkDocs, with the site's execution cache,
written as the notebooks and media a page is made from and the notebooks readers download."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, ROOT


def gdsite(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "gdsite", *map(str, args)],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["execute", "docs/lessons/99-none.py", "--out", "x"], "99-none.py is not a lesson file"),
        (
            ["execute", "mkdocs.yml", "--out", "x"],
            "mkdocs.yml is not a lesson file (expected an existing .py",
        ),
        (["execute", "--root", "docs", "--out", "x"], "is not the project folder: it has no gd/ folder"),
        (["execute", "--cell-timeout", "0", "--out", "x"], "--cell-timeout must be 1 or more"),
        (["execute"], "the following arguments are required: --out"),
    ],
)
def test_bad_arguments_are_refused_by_name(args, said, tmp_path):
    done = gdsite(*args)
    assert done.returncode == 2 and said in done.stderr, done.stderr
    assert not (ROOT / "x").exists()


@pytest.mark.slow
def test_execute_writes_what_the_site_is_made_of_from_the_same_cache(built_site, tmp_path):
    lessons = ["lessons/06-gradient-descent", "lessons/08-animation"]
    done = gdsite("execute", *(f"docs/{lesson}.py" for lesson in lessons), "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "0 lesson(s) to execute" in done.stderr  # the build ran them: the cache has them
    for lesson in lessons:
        page = json.loads((tmp_path / f"{lesson}.ipynb").read_text())
        outputs = [o for cell in page["cells"] if cell["cell_type"] == "code" for o in cell["outputs"]]
        assert outputs, lesson
        media = {m for o in outputs for m in _media(o)}
        assert media and all((tmp_path / "lessons" / m).is_file() for m in media), media
        download = tmp_path / "download" / f"{lesson}.ipynb"
        assert download.read_bytes() == (Path(built_site) / f"{lesson}.ipynb").read_bytes()


def _media(output):
    import re

    html = output.get("data", {}).get("text/html", "")
    return re.findall(r'src="(media/[^"#]+)', "".join(html))  # a list of lines, as stored
