"""`mkdocs serve --dirty`, as `scripts/dev.py serve` runs it: edits reach the page, and
nothing the server started outlives it. Under serve the plugin keeps a zygote, a spare
kernel and its page renderers between rebuilds, so edits in a row must each show."""

import os
import signal
import socket
import subprocess
import time
import urllib.request

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
        os.killpg(serve.pid, signal.SIGINT)  # Ctrl-C
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            pytest.fail("serve still running 20 s after Ctrl-C")
    deadline = time.monotonic() + 10
    while group_alive(serve.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not group_alive(serve.pid), "a process started by serve (kernel, zygote, renderer) outlived it"
