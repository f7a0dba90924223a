"""The build under faults: Ctrl-C, two builds at once, damaged or unusable caches, runaway output,
paths of the build machine, awkward file names, empty lessons. Real builds of scratch projects."""

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ENV, MKDOCS, mkdocs_build
from scratch import make_project

pytestmark = pytest.mark.slow  # builds sites: see CONTRIBUTING.md

HUNG = """\
# %% [markdown]
# # Hung

# %%
import pathlib, time
import gd
open(pathlib.Path(gd.__file__).parents[1] / "started.txt", "w").write("yes")
time.sleep(300)
"""


def wait_for(path, seconds=90):
    deadline = time.monotonic() + seconds
    while not Path(path).exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.2)


def kernel_processes(runtime):
    """Processes whose command line names a connection file in `runtime` (our kernels)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(runtime) in cmdline:
                found.append(cmdline)
    return found


def start(project, *args, runtime):
    env = {**ENV, "JUPYTER_RUNTIME_DIR": str(runtime)}
    return subprocess.Popen(
        [*MKDOCS, *args, "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )


def interrupt(process, seconds=20):
    """Press Ctrl-C: SIGINT to the whole foreground process group; return (returncode, stderr, seconds)."""
    pressed = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"still running {seconds} s after Ctrl-C")
    return process.returncode, stderr, time.monotonic() - pressed


def test_ctrl_c_stops_a_build_at_once_and_leaves_nothing_behind(tmp_path):
    lessons = {"hung": HUNG, "queued": HUNG.replace("Hung", "Queued")}
    project = make_project(tmp_path / "p", lessons, workers=1)  # "queued" waits for "hung"
    runtime = tmp_path / "runtime"
    build = start(project, "build", "--strict", "-d", str(project / "site"), runtime=runtime)
    wait_for(project / "started.txt")
    code, stderr, took = interrupt(build)
    assert code != 0 and took < 15, (code, took)
    assert "interrupted" in stderr and "hung.py" in stderr and "queued.py" in stderr
    time.sleep(1)  # let the kernels' processes finish exiting
    assert kernel_processes(runtime) == []
    assert not list(runtime.glob("kernel-*.json")), "connection files left behind"
    assert not list((project / ".gd-cache" / "executed").glob("*.json")), "something half-done was cached"
    assert not any((project / ".gd-cache" / "rendered").iterdir())


def test_ctrl_c_stops_serve_during_a_rebuild(tmp_path):
    quick = "# %% [markdown]\n# # Quick\n\n# %%\nprint('hi')\n"
    project = make_project(tmp_path / "p", {"lesson": quick})
    runtime = tmp_path / "runtime"
    serve = start(project, "serve", "-a", "127.0.0.1:0", runtime=runtime)
    deadline = time.monotonic() + 120
    log = ""
    while "Serving on" not in log:
        assert time.monotonic() < deadline and serve.poll() is None, log
        log += serve.stderr.readline()
    (project / "docs" / "lessons" / "lesson.py").write_text(HUNG)  # the rebuild runs a hung lesson
    wait_for(project / "started.txt")
    code, _, took = interrupt(serve)
    serve.stdout.close()
    assert took < 15, took
    time.sleep(1)
    assert kernel_processes(runtime) == []
    assert not list(runtime.glob("kernel-*.json"))


TELLS = """\
# %% [markdown]
# # Tells {name}

# %%
print("this is build {name}")
"""


def test_two_builds_at_once_each_use_only_their_own_files(tmp_path):
    project = make_project(tmp_path / "p", {"one": TELLS.format(name="A")})
    # A second configuration in the same folder, with its own docs: same lesson file name,
    # other content. Both builds share .gd-cache.
    shutil.copytree(project / "docs", project / "docs-b")
    (project / "docs-b" / "lessons" / "one.py").write_text(TELLS.format(name="B"))
    config_b = (project / "mkdocs.yml").read_text() + "docs_dir: docs-b\n"
    (project / "mkdocs-b.yml").write_text(config_b)
    runtime = tmp_path / "runtime"
    env = {**ENV, "JUPYTER_RUNTIME_DIR": str(runtime)}
    runs = []
    for config, site in (("mkdocs.yml", "site-a"), ("mkdocs-b.yml", "site-b")):
        command = [*MKDOCS, "build", "--strict", "-q", "-f", str(project / config), "-d", str(project / site)]
        runs.append(
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
    for site, name in (("site-a", "A"), ("site-b", "B")):
        page = (project / site / "lessons" / "one" / "index.html").read_text()
        download = (project / site / "lessons" / "one.ipynb").read_text()
        assert f"this is build {name}" in page and f"this is build {name}" in download
        assert f"Tells {name}" in page
    # ... and each equals the same build made alone.
    alone = mkdocs_build(project, project / "site-alone")
    assert alone.returncode == 0, alone.stderr
    for name in ("lessons/one/index.html", "lessons/one.ipynb"):
        assert (project / "site-a" / name).read_bytes() == (project / "site-alone" / name).read_bytes()


def test_a_truncated_render_cache_entry_is_a_logged_miss(tmp_path):
    project = make_project(tmp_path / "p")
    assert mkdocs_build(project, project / "site").returncode == 0
    entries = list((project / ".gd-cache" / "renders").glob("*.json"))
    assert entries
    for entry in entries:  # as a kill or a full disk in the middle of a write would leave it
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 3])
    again = mkdocs_build(project, project / "site", quiet=False)
    assert again.returncode == 0, again.stderr
    assert "corrupt cache entry" in again.stderr + again.stdout
    assert all(json.loads(e.read_text()) for e in (project / ".gd-cache" / "renders").glob("*.json"))


@pytest.mark.parametrize("where", [".gd-cache", ".gd-cache/executed"])
def test_a_cache_folder_that_is_a_file_fails_at_once_naming_it(tmp_path, where):
    project = make_project(tmp_path / "p")
    (project / where).parent.mkdir(parents=True, exist_ok=True)
    (project / where).write_text("not a folder")
    started = time.monotonic()
    done = mkdocs_build(project, project / "site")
    assert done.returncode != 0 and time.monotonic() - started < 30
    assert where.split("/")[0] in done.stderr and "safe to delete" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "runs.txt").exists(), "lessons ran before the failure"


def test_entries_nobody_used_for_a_week_are_pruned(tmp_path):
    project = make_project(tmp_path / "p")
    assert mkdocs_build(project, project / "site").returncode == 0
    (project / "docs" / "lessons" / "two.py").unlink()  # a lesson leaves the site
    (project / "mkdocs.yml").write_text(
        (project / "mkdocs.yml").read_text().replace("  - lessons/two.py\n", "")
    )
    old = time.time() - 8 * 86400
    for entry in (project / ".gd-cache").glob("*/*.json"):
        os.utime(entry, (old, old))  # as if the last build was eight days ago
    assert mkdocs_build(project, project / "site").returncode == 0
    left = {p.parent.name for p in (project / ".gd-cache").glob("*/*.json")}
    count = len(list((project / ".gd-cache").glob("*/*.json")))
    # What lesson "one" uses was read again (and kept); lesson "two"'s entries are gone.
    assert {"executed", "manifests"} <= left and count <= 5, sorted((project / ".gd-cache").glob("*/*.json"))
    durations = json.loads((project / ".gd-cache" / "durations.json").read_text())
    assert list(durations) == ["one.py"]


RUNAWAY = """\
# %% [markdown]
# # Runaway

# %%
print("line of output\\n" * 3_000_000, end="")  # about 45 MB
"""


def test_runaway_output_is_cut_with_a_note_and_kept_out_of_search(tmp_path):
    project = make_project(tmp_path / "p", {"runaway": RUNAWAY})
    done = mkdocs_build(project, project / "site")
    assert done.returncode == 0, done.stderr
    page = project / "site" / "lessons" / "runaway" / "index.html"
    download = project / "site" / "lessons" / "runaway.ipynb"
    assert page.stat().st_size < 200_000 and download.stat().st_size < 200_000
    assert "more characters not shown here" in page.read_text()
    assert (project / "site" / "search" / "search_index.json").stat().st_size < 50_000


def test_a_page_too_heavy_fails_naming_the_cell(tmp_path):
    heavy = "# %%\nfrom IPython.display import HTML\nHTML('<p>' + 'x' * 6_000_000 + '</p>')\n"
    project = make_project(tmp_path / "p", {"heavy": heavy})
    done = mkdocs_build(project, project / "site")
    assert done.returncode != 0
    assert "heavy.py" in done.stderr and "HTML('<p>' + 'x' * 6_000_000" in done.stderr


PATHS = """\
# %%
import warnings
import gd
import torch
print(gd.__file__)
print(torch.__file__)
print(hex(id(gd)))
warnings.warn("a warning that names its file")
"""


def test_outputs_carry_no_build_machine_paths(tmp_path):
    project = make_project(tmp_path / "p", {"paths": PATHS})
    done = mkdocs_build(project, project / "site")
    assert done.returncode == 0, done.stderr
    for built in ("lessons/paths/index.html", "lessons/paths.ipynb", "search/search_index.json"):
        text = (project / "site" / built).read_text()
        assert str(project) not in text and "/.venv/" not in text and str(Path.home()) not in text
        assert not re.search(r"0x[0-9a-f]{8,}", text), built
    page = (project / "site" / "lessons" / "paths" / "index.html").read_text()
    assert "gd/__init__.py" in page and "site-packages/torch/__init__.py" in page


def test_a_lesson_named_with_a_space_gets_working_links(tmp_path):
    project = make_project(tmp_path / "p", {"my lesson": "# %% [markdown]\n# # Spaced\n\n# %%\nx = 1\n"})
    done = mkdocs_build(project, project / "site")
    assert done.returncode == 0, done.stderr
    page = (project / "site" / "lessons" / "my lesson" / "index.html").read_text()
    href = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Download notebook', page)[1]
    assert href == "../my%20lesson.ipynb"
    assert (project / "site" / "lessons" / "my lesson.ipynb").exists()


def test_an_empty_lesson_fails_clearly(tmp_path):
    project = make_project(tmp_path / "p", {"empty": ""})
    done = mkdocs_build(project, project / "site")
    assert done.returncode != 0
    assert "empty.py is empty" in done.stderr and "Traceback" not in done.stderr
