"""A downloaded lesson runs outside the site: in a fresh virtualenv, gd installed from a wheel.

This is what a reader who opens the notebook in Colab or in their own Jupyter
gets: no checkout of the repository, no site machinery, gd as an installed
package, and a first cell that installs gd only where it is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import imageio_ffmpeg
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import dev  # noqa: E402  (scripts/dev.py: how the lock's torch is installed)

pytestmark = pytest.mark.slow  # builds the site or drives a browser: see CONTRIBUTING.md

LESSONS = [
    "lessons/06-gradient-descent.ipynb",
    "lessons/08-animation.ipynb",
    "lessons/24-a-real-data-set.ipynb",  # reads gd's own data file: the wheel must carry it
]


def run(*cmd, **kw):
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=900, **kw)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def install_locked(python, *packages):
    """Install `packages` into the virtualenv of `python` at the lock's versions (torch as dev.py does)."""
    uv = [Path(sys.executable).parent / "uv", "pip", "install", "--python", python]
    dev.install_torch(uv)
    pins = [
        line.split(" \\")[0]
        for name, lines in dev.lock_entries().items()
        if name != "torch"
        for line in lines[:1]
    ]
    constraints = Path(python).parent.parent / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n")
    run(*uv, "-q", "-c", constraints, "torch", *packages)  # torch: its dependencies, at the lock's versions


def build_wheel(where):
    """gd's wheel, built from a copy of what it is made of (a build in the checkout leaves build/ there)."""
    source = where / "source"
    source.mkdir()
    shutil.copytree(ROOT / "gd", source / "gd", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        where / "dist",
        source,
    )
    [wheel] = (where / "dist").glob("gd-*.whl")
    return wheel


@pytest.fixture(scope="module")
def reader_env(tmp_path_factory):
    """A fresh virtualenv with gd installed from a built wheel, plus what runs a notebook."""
    where = tmp_path_factory.mktemp("reader")
    wheel = build_wheel(where)
    venv.create(where / "venv", with_pip=True)
    python = where / "venv" / "bin" / "python"
    # The lock's versions (torch as the CPU build) so nothing new is downloaded.
    install_locked(python, wheel, "ipykernel", "nbclient")
    # Colab has an ffmpeg program on its PATH; so does this reader (the lesson on animation uses it).
    bin_dir = where / "bin"
    bin_dir.mkdir()
    (bin_dir / "ffmpeg").symlink_to(imageio_ffmpeg.get_ffmpeg_exe())
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": ""}
    return python, where, wheel, env


def test_the_learners_wheel_holds_gd_alone_and_building_it_writes_nothing_in_the_checkout(tmp_path):
    def written():
        return sorted(
            (p, p.stat().st_mtime_ns) for folder in ("build", "dist") for p in ROOT.glob(f"{folder}/**/*")
        )

    before = written()
    names = zipfile.ZipFile(build_wheel(tmp_path)).namelist()
    assert names and all(name.startswith(("gd/", "gd-")) for name in names), names
    assert not [name for name in names if name.endswith("entry_points.txt")]  # no plugin, no lexer
    assert written() == before


def test_gd_comes_from_the_wheel_not_the_checkout(reader_env):
    python, where, _, env = reader_env
    location = run(python, "-c", "import gd; print(gd.__file__)", cwd=where, env=env)
    assert "site-packages" in location and str(ROOT) not in location


RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
client = NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": sys.argv[2]}})
client.execute()
nbformat.write(nb, sys.argv[3])
"""


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_downloaded_notebook_runs_top_to_bottom(reader_env, built_site, lesson):
    python, where, _, env = reader_env
    notebook = Path(built_site) / lesson
    executed = where / Path(lesson).name
    run(python, "-c", RUN_NOTEBOOK, notebook, where, executed, cwd=where, env=env)
    cells = [c for c in json.loads(executed.read_text())["cells"] if c["cell_type"] == "code"]
    install = cells[0]
    assert "pip" in "".join(install["source"]) and install["outputs"] == []  # gd was there: nothing done
    assert all(c["execution_count"] for c in cells)
    errors = [o for c in cells for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors


def test_the_first_cell_installs_gd_where_it_is_missing(reader_env, built_site, tmp_path):
    python, _, wheel, env = reader_env
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=True, system_site_packages=False)
    cell = json.loads((Path(built_site) / LESSONS[0]).read_text())["cells"]
    install = next(c for c in cell if c["cell_type"] == "code")
    source = "".join(install["source"])
    spec = source.split('"install", "-q", ')[1].split("]")[0]
    assert spec.startswith("'gd @ git+https://github.com/"), spec  # from mkdocs.yml's repo_url
    # The same cell, pointed at the wheel (the test has no network): gd goes from missing to importable.
    local = source.replace(spec, repr(f"gd @ {wheel.as_uri()}"))
    check = local + "\nimport gd\nprint(gd.__name__)"
    fresh_python = fresh / "bin" / "python"
    install_locked(fresh_python, "matplotlib")
    assert run(fresh_python, "-c", check, env=env).strip() == "gd"
