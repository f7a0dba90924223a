"""Time a newcomer's first command: a fresh clone until a lesson is served, as README says it.

    .venv/bin/python scripts/newcomer_time.py                # clone HEAD, run `dev.py serve`
    .venv/bin/python scripts/newcomer_time.py --cold-cache   # with an empty uv cache: a fresh machine
    .venv/bin/python scripts/newcomer_time.py --python /path/to/python3.13

It clones this repository's HEAD into a temporary folder, runs `python scripts/dev.py serve`
there and polls a lesson page until it is served with its outputs; then stops the server
with a SIGTERM to dev.py (which must leave no process behind). Timed: the clone, setting up
.venv/ (dev.py's "ready" line), the server's first answer (the lessons run behind it: a
fresh clone has no execution cache), and the lesson with its outputs. Standard library only.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LESSON = "gd/lessons/01-data/"  # under site_url's path, as `mkdocs serve` mounts it
SERVED = 'class="jp-OutputArea'  # the page has its outputs
LIMIT = 900  # seconds before giving up


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def working_in(folder):
    """Processes whose working folder is inside `folder` (the server, its kernels and workers)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/cwd").startswith(str(folder)):
                found.append(pid)
        except OSError:
            continue
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default="python3", help="the Python that runs dev.py (default: python3)")
    parser.add_argument("--cold-cache", action="store_true", help="an empty uv cache, as on a fresh machine")
    parser.add_argument("--keep", action="store_true", help="keep the clone (and its logs)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gd-newcomer-"))
    env = {**os.environ}
    if args.cold_cache:
        env["UV_CACHE_DIR"] = str(folder / "uv-cache")
    load_before = os.getloadavg()
    marks = {}
    start = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(folder / "gd")], check=True)
    marks["git clone"] = time.perf_counter()
    port = free_port()
    log = (folder / "serve.log").open("w")
    serve = subprocess.Popen(
        [args.python, "scripts/dev.py", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=folder / "gd",
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )

    def watch_stderr():  # dev.py says when .venv/ is ready; the rest goes to the log
        for line in serve.stderr:
            log.write(line)
            log.flush()
            if ".venv/ ready" in line:
                marks[".venv/ set up"] = time.perf_counter()

    threading.Thread(target=watch_stderr, daemon=True).start()
    url = f"http://127.0.0.1:{port}/{LESSON}"
    try:
        while SERVED not in (shown := page(url) or ""):
            if shown and "server answers" not in marks:
                marks["server answers"] = time.perf_counter()
            if serve.poll() is not None or time.perf_counter() - start > LIMIT:
                sys.exit(
                    f"no lesson served (dev.py ended with {serve.returncode}); see {folder / 'serve.log'}"
                )
            time.sleep(0.1)
        marks["lesson served"] = time.perf_counter()
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        time.sleep(1)
        left = working_in(folder)
        log.close()
    load_after = os.getloadavg()
    python = subprocess.run([args.python, "--version"], capture_output=True, text=True).stdout.strip()
    print(
        f"Fresh clone to a served lesson: {python}, {os.cpu_count()} cores, uv cache "
        f"{'empty' if args.cold_cache else 'as it was'}; 1-min load {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after"
    )
    previous = start
    for step, when in sorted(marks.items(), key=lambda item: item[1]):
        print(f"  {step:15} {when - previous:6.1f} s")
        previous = when
    print(f"  {'total':15} {marks['lesson served'] - start:6.1f} s")
    print(f"  after SIGTERM to dev.py: exit {serve.returncode}, {len(left)} process(es) left")
    if args.keep:
        print(f"kept {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
