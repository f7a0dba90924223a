"""`mkdocs serve --dirty`, as `scripts/dev.py serve` runs it: edits reach the page, and
nothing the server started outlives it. Under serve the plugin keeps a zygote, a spare
kernel and its page renderers between rebuilds, so edits in a row must each show."""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ENV, MKDOCS
from scratch import make_project

pytestmark = pytest.mark.slow  # starts a server and runs lessons: see CONTRIBUTING.md

LESSON = """\
# %% [markdown]
# # Served
#
# {prose}

# %%
print("ran:", {expression})
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_text(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_until_page_has(url, text, seconds=90):
    deadline = time.monotonic() + seconds
    while text not in page_text(url):
        assert time.monotonic() < deadline, f"{text!r} never reached {url}"
        time.sleep(0.2)


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_edits_in_a_row_reach_the_page_and_ctrl_c_leaves_no_process(tmp_path):
    project = make_project(tmp_path / "p", {"lesson": LESSON.format(prose="first words", expression="6 * 7")})
    lesson = project / "docs" / "lessons" / "lesson.py"
    port = free_port()
    serve = subprocess.Popen(
        [*MKDOCS, "serve", "--dirty", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env={**ENV, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    url = f"http://127.0.0.1:{port}/lessons/lesson/"
    try:
        wait_until_page_has(url, "first words", seconds=180)
        assert "ran: 42" in page_text(url)
        # Outputs are computed: the source shows `1000 + 37`, only the kernel prints `ran: 1037`.
        edits = [
            ("second words", "6 * 7", "ran: 42"),  # Markdown only: the cached execution is reused
            ("second words", "1000 + 37", "ran: 1037"),  # code: a (spare) kernel runs it
            ("third words", "1000 + 37", "ran: 1037"),
            ("third words", "2000 + 74", "ran: 2074"),
        ]
        for prose, expression, printed in edits:
            time.sleep(1)  # a new modification time, and the watcher settled
            lesson.write_text(LESSON.format(prose=prose, expression=expression))
            wait_until_page_has(url, prose)
            wait_until_page_has(url, printed)
    finally:
        stop_with_ctrl_c(serve)
    no_process_outlives(serve)


FAITHFUL = """\
# %% [markdown]
# # Served like built
#
# {prose}

# %%
import matplotlib.pyplot as plt
import torch

import gd

x, y = gd.linear_data(30, seed=3)
print("gd says:", gd.__doc__.splitlines()[0])
plt.scatter(x[:, 0], y, s=8);

# %%
history = gd.fit(x, y, torch.tensor([{start}, 1.0]), lr=0.1, steps=20)
print("started at", history.params[0].tolist())
gd.plot_losses(history)

# %%
gd.lr_sweep(x, y, lrs=[0.1, 0.5, 1.5], steps=10)
"""


def outputs_of(html):
    """Each code cell's outputs, as the page shows them (media named by their content)."""
    from bs4 import BeautifulSoup

    cells = BeautifulSoup(html, "html.parser").select("div.jp-CodeCell")
    return [[str(area) for area in cell.select("div.jp-OutputArea")] for cell in cells]


def test_what_serve_shows_after_edits_equals_a_clean_build_of_the_same_sources(tmp_path):
    from conftest import mkdocs_build

    lesson_text = FAITHFUL.format(prose="first words", start="1.0")
    project = make_project(tmp_path / "p", {"lesson": lesson_text})
    lesson = project / "docs" / "lessons" / "lesson.py"
    gd_init = project / "gd" / "__init__.py"
    port = free_port()
    serve = subprocess.Popen(
        [*MKDOCS, "serve", "--dirty", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env={**ENV, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/lessons/lesson/"
    try:
        wait_until_page_has(url, "first words", seconds=180)
        edits = [
            (lesson, FAITHFUL.format(prose="second words", start="1.0"), "second words"),  # Markdown
            (
                lesson,
                FAITHFUL.format(prose="second words", start="-2.0"),
                "started at [-2.0, 1.0]",
            ),  # code: a spare kernel
            (gd_init, gd_init.read_text().replace("gd —", "gd, edited —", 1), "gd, edited"),  # gd/
        ]
        for path, text, shown in edits:
            time.sleep(1)  # a new modification time, and the watcher settled
            path.write_text(text)
            wait_until_page_has(url, shown)
        served = page_text(url)
    finally:
        os.killpg(serve.pid, signal.SIGINT)
        serve.wait(timeout=20)
    clean = make_project(tmp_path / "clean", {"lesson": lesson.read_text()})
    (clean / "gd" / "__init__.py").write_text(gd_init.read_text())
    done = mkdocs_build(clean, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    built = (tmp_path / "site" / "lessons" / "lesson" / "index.html").read_text(encoding="utf-8")
    assert outputs_of(served) == outputs_of(built)
    assert len(outputs_of(built)) == 3 and all(outputs_of(built))  # every cell shows something


SLOW = """\
# %% [markdown]
# # Slow
#
# It takes its time.

# %%
import time

time.sleep({seconds})
print("slow one done")
"""
RUNNING = "This lesson is running"  # what the page of a lesson running behind the server says (behind.py)


def start_serve(project, tmp_path, log, option="--dirty"):
    port = free_port()
    serve = subprocess.Popen(
        [*MKDOCS, "serve", option, "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env={**ENV, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return serve, f"http://127.0.0.1:{port}/lessons/"


def stop_with_ctrl_c(serve):
    """Ctrl-C to serve's process group, as a terminal sends it; serve must end within 20 s."""
    os.killpg(serve.pid, signal.SIGINT)
    try:
        serve.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(serve.pid, signal.SIGKILL)
        pytest.fail("serve still running 20 s after Ctrl-C")


def no_process_outlives(serve):
    """Nothing serve started (kernel, zygote, renderer) is left 10 s after it ended."""
    deadline = time.monotonic() + 10
    while group_alive(serve.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not group_alive(serve.pid), f"processes started by serve outlived it: {group_members(serve.pid)}"


def group_members(pgid):
    """The command lines of the processes in process group `pgid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            if int(stat.read_text().rpartition(")")[2].split()[2]) == pgid:
                found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200])
    return found


def test_serve_answers_before_the_lessons_have_run_and_shows_each_when_it_is_done(tmp_path):
    """With nothing cached (a fresh clone), the server answers at once; each lesson's page says
    it is running until its outputs are known, then shows them without any edit."""
    quick = LESSON.format(prose="quick words", expression="6 * 7")
    project = make_project(tmp_path / "p", {"quick": quick, "slow": SLOW.format(seconds=25)})
    with open(tmp_path / "serve.log", "w") as log:
        serve, lessons_url = start_serve(project, tmp_path, log)
    try:
        wait_until_page_has(lessons_url + "slow/", RUNNING, seconds=120)
        wait_until_page_has(lessons_url + "quick/", "ran: 42", seconds=120)
        assert RUNNING in page_text(lessons_url + "slow/"), "the slow lesson (25 s) is not done yet"
        wait_until_page_has(lessons_url + "slow/", "slow one done", seconds=120)
        assert RUNNING not in page_text(lessons_url + "slow/")
    finally:
        stop_with_ctrl_c(serve)
    no_process_outlives(serve)
    shown = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in shown, shown


STUCK = """\
# %% [markdown]
# # Stuck
#
# It never ends.

# %%
import pathlib
import time

pathlib.Path({marker!r}).write_text("started")
time.sleep(600)
"""


@pytest.mark.parametrize("when", ["kernels starting", "cell running"])
def test_ctrl_c_while_a_lesson_runs_behind_the_server_stops_it(tmp_path, when):
    """Ctrl-C while the zygote still imports (Ctrl-C reaches it too) or while the lesson's cell runs."""
    marker = tmp_path / "started"
    project = make_project(tmp_path / "p", {"stuck": STUCK.format(marker=str(marker))})
    with open(tmp_path / "serve.log", "w") as log:
        serve, lessons_url = start_serve(project, tmp_path, log)
    try:
        wait_until_page_has(lessons_url + "stuck/", RUNNING, seconds=120)
        deadline = time.monotonic() + 120
        while when == "cell running" and not marker.exists():
            assert time.monotonic() < deadline, "the lesson never started"
            time.sleep(0.2)
        assert marker.exists() == (when == "cell running")
    finally:
        stop_with_ctrl_c(serve)
    no_process_outlives(serve)
    shown = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in shown, shown


def test_without_livereload_serve_runs_the_lessons_before_it_answers(tmp_path):
    """`serve --no-livereload` never rebuilds, so no page may promise to reload itself."""
    project = make_project(tmp_path / "p", {"quick": LESSON.format(prose="quick words", expression="6 * 7")})
    with open(tmp_path / "serve.log", "w") as log:
        serve, lessons_url = start_serve(project, tmp_path, log, "--no-livereload")
    url = lessons_url + "quick/"
    try:
        deadline = time.monotonic() + 180
        while not (first := page_text(url)):
            assert time.monotonic() < deadline, "serve never answered"
            time.sleep(0.2)
        assert "ran: 42" in first and RUNNING not in first
    finally:
        stop_with_ctrl_c(serve)
    no_process_outlives(serve)
