"""Shared fixtures: the real site, built once per test session with `mkdocs build --strict`."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# The Ctrl-C tests press Ctrl-C (SIGINT) on builds they start. A shell that starts the
# test run in the background without job control (`cmd &` in a script) ignores SIGINT,
# children inherit that, and Python in them would never see a KeyboardInterrupt. With a
# handler here, what this process starts gets the default again, as in a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def mkdocs_build(project, site_dir, *extra, quiet=True):
    """Run a real strict build of `project` into `site_dir`; return the finished process."""
    quiet_flag = ["-q"] if quiet else []
    return subprocess.run(
        [
            *MKDOCS,
            "build",
            "--strict",
            *quiet_flag,
            "-f",
            str(Path(project) / "mkdocs.yml"),
            "-d",
            str(site_dir),
            *extra,
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=900,
    )


def nav_lessons(config_path=ROOT / "mkdocs.yml"):
    """Lesson source paths (relative to docs/) in nav order."""
    config = yaml.load(Path(config_path).read_text(), Loader=yaml.BaseLoader)
    found = []

    def walk(node):
        if isinstance(node, str):
            if node.startswith("lessons/") and node.endswith(".py"):
                found.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    walk(config["nav"])
    return found


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The project's site, built for real (lessons executed or taken from the cache)."""
    site = tmp_path_factory.mktemp("site")
    done = mkdocs_build(ROOT, site)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return site


def page_of(site, lesson):
    """Built HTML of a lesson given as 'lessons/01-data.py'."""
    return (Path(site) / Path(lesson).with_suffix("") / "index.html").read_text(encoding="utf-8")
