"""scripts/dev.py, the two README commands: it answers before it installs, refuses an old Python
by name, sets up .venv/ from the lock, repairs a venv that no longer matches the checkout, stops
quietly on Ctrl-C, and passes SIGINT, SIGTERM and SIGHUP on to the task, leaving no process."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import ENV, ROOT
from scratch import make_project
from test_serve import free_port, group_alive, page_text, wait_until_page_has

DEV = ROOT / "scripts" / "dev.py"


def old_pythons():
    """Pythons older than 3.11 on this machine (pyenv's, or on the PATH) that run."""
    found = {}
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [
        *pyenv.glob("3.*/bin/python3"),
        *filter(None, (shutil.which(f"python3.{n}") for n in range(6, 11))),
    ]
    for python in candidates:
        done = subprocess.run(
            [python, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True
        )
        version = done.stdout.strip()
        if done.returncode == 0 and tuple(map(int, version.split(".")[:2])) < (3, 11):
            found.setdefault(version, Path(python))
    return sorted(found.items())


OLD_PYTHONS = old_pythons()


def dev(*args, cwd, python=sys.executable, **kw):
    return subprocess.run(
        [str(python), str(Path(cwd) / "scripts" / "dev.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        **kw,
    )


def bare_copy(folder):
    """dev.py alone, in a folder of its own: whatever it creates shows there."""
    (folder / "scripts").mkdir(parents=True)
    shutil.copy(DEV, folder / "scripts" / "dev.py")
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


def everything(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("args", [["--help"], ["-h"]])
def test_help_is_answered_before_anything_is_installed(tmp_path, args):
    project = bare_copy(tmp_path)
    before = everything(project)
    done = dev(*args, cwd=project)
    assert done.returncode == 0 and "serve" in done.stdout and "test" in done.stdout
    assert everything(project) == before


@pytest.mark.parametrize("args", [["serv"], [], ["--build"]])
def test_an_unknown_task_is_refused_by_name_before_anything_is_installed(tmp_path, args):
    project = bare_copy(tmp_path)
    before = everything(project)
    done = dev(*args, cwd=project)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert ("unknown task" in done.stderr and repr(args[0]) in done.stderr) if args else "TASK" in done.stdout
    assert everything(project) == before


@pytest.mark.parametrize(("version", "python"), OLD_PYTHONS, ids=[v for v, _ in OLD_PYTHONS])
def test_an_old_python_is_refused_by_its_version(tmp_path, version, python):
    project = bare_copy(tmp_path)
    done = dev("serve", cwd=project, python=python)
    assert done.returncode == 2 and f"needs Python 3.11 or newer; this is {version}" in done.stderr
    assert "Traceback" not in done.stderr and not (project / ".venv").exists()


def project_copy(folder):
    """What dev.py sets up from: the lock, both projects, gd and gdsite (no docs, no tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("scripts", "gd", "gdsite"):
        shutil.copytree(
            ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    for name in ("pyproject.toml", "README.md", "requirements.lock"):
        shutil.copy(ROOT / name, folder / name)
    return folder


def started(*args, cwd):
    """dev.py running, in a process group of its own (as a terminal's foreground job)."""
    return subprocess.Popen(
        [sys.executable, str(Path(cwd) / "scripts" / "dev.py"), *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["Ctrl-C", "SIGTERM"])
def test_stopping_the_set_up_is_quiet_and_keeps_nothing_half_made(tmp_path, how):
    project = project_copy(tmp_path / "p")
    process = started("setup", cwd=project)
    wait_for(lambda: (project / ".venv" / "bin" / "pip").exists(), 120, "the venv's creation")
    time.sleep(1)  # well inside the install
    if how == "Ctrl-C":
        os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: to the whole foreground job
    else:
        process.send_signal(signal.SIGTERM)  # to dev.py alone
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in stderr, stderr
    assert "stopped; nothing half-made was kept" in stderr
    assert not (project / ".venv").exists()
    wait_for(lambda: not group_alive(process.pid), 10, "the end of every process it started")


@pytest.mark.slow
def test_a_venv_that_no_longer_matches_the_checkout_is_found_out_and_made_anew(tmp_path):
    project = project_copy(tmp_path / "first")
    other = project_copy(tmp_path / "other")

    def setup(cwd):
        done = dev("setup", cwd=cwd)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stderr

    def works(cwd):
        python = cwd / ".venv" / "bin" / "python"
        check = "import gd, gdsite, mkdocs; print(gd.__file__, gdsite.__file__)"
        done = subprocess.run([python, "-c", check], capture_output=True, text=True, cwd=tmp_path)
        mkdocs = subprocess.run([cwd / ".venv" / "bin" / "mkdocs", "--version"], capture_output=True)
        return done.returncode == mkdocs.returncode == 0 and done.stdout.count(str(cwd)) == 2

    assert "setting up .venv/" in setup(project) and works(project)
    assert "setting up" not in setup(project)  # nothing to do
    site_packages = next((project / ".venv" / "lib").glob("python3.*/site-packages"))

    (site_packages / "mkdocs" / "__init__.py").unlink()  # a package file deleted
    assert "installed files are missing (mkdocs: mkdocs/__init__.py" in setup(project) and works(project)

    uv = project / ".venv" / "bin" / "uv"  # gd installed from another checkout
    subprocess.run(
        [
            uv,
            "pip",
            "install",
            "-q",
            "--python",
            project / ".venv" / "bin" / "python",
            "--no-deps",
            "--no-build-isolation",
            "-e",
            other,
        ],
        check=True,
        capture_output=True,
    )
    assert f"gd is imported from {other / 'gd' / '__init__.py'}" in setup(project) and works(project)

    moved = tmp_path / "moved"
    project.rename(moved)  # the checkout moved: the venv's scripts still start the old path's Python
    assert "scripts start a Python outside it" in setup(moved) and works(moved)


SERVED = """\
# %% [markdown]
# # Served by dev.py

# %%
print("ran:", 6 * 7)
"""


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_to_dev_py_serve_reaches_mkdocs_and_leaves_no_process(tmp_path, signum):
    project = make_project(tmp_path / "p", {"lesson": SERVED})
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(DEV), "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=ROOT,
        env={**ENV, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/lessons/lesson/"
        wait_until_page_has(url, "ran: 42", seconds=240)
        started_by_it = psutil.Process(process.pid).children(recursive=True)
        assert any("mkdocs" in " ".join(p.cmdline()) for p in started_by_it)
        process.send_signal(signum)  # to dev.py alone, as `kill` or a closing terminal sends it
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 128 + signum, stderr
    assert "Traceback" not in stderr, stderr
    wait_for(
        lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in started_by_it),
        15,
        "the end of every process serve started",
    )
    assert page_text(url) == ""  # the server is gone
