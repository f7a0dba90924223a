"""Set up everything and run one task: `python scripts/dev.py serve|build|test|lock|new TITLE`.

Only the standard library is used here, so this runs on a fresh Python 3.11
before anything is installed. It creates `.venv/`, installs the pinned set from
`requirements.lock` (again only when the lock file changed), then runs the task.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed-lock"
CHROMIUM = Path("/usr/bin/chromium")


def run(*cmd, **kw):
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, **kw).returncode


def install():
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"gd needs Python 3.11; this is {sys.version.split()[0]}. Run it with python3.11.")
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    wanted = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    pip = [BIN / "python", "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if run(*pip, "-r", LOCK) or run(*pip, "--no-deps", "-e", "."):
        sys.exit("installing the pinned set failed (see the pip output above)")
    STAMP.write_text(wanted)


def ensure_chromium():
    """The browser tests drive Debian's Chromium; install it when we can (as root)."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if (
            run("apt-get", "update", "-qq", env=env) == 0
            and run("apt-get", "install", "-y", "-qq", "chromium", env=env) == 0
        ):
            return
    sys.exit(
        f"the browser tests need Chromium at {CHROMIUM}: install Debian's 'chromium' package "
        "(sudo apt-get install -y chromium) and run this again"
    )


def main(task, *args):
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner on every build
    if task == "new":
        return run(sys.executable, ROOT / "scripts" / "new_lesson.py", *args)
    if task == "lock":
        install()
        frozen = subprocess.run(
            # --all: setuptools too (torch needs it at run time; the hashed deploy lock must pin it)
            [BIN / "python", "-m", "pip", "freeze", "--exclude-editable", "--all"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        frozen = frozen.replace("torch==2.13.0+cpu", "torch==2.13.0")  # the PyPI name of the same wheel
        frozen = "".join(line for line in frozen.splitlines(keepends=True) if not line.startswith("pip=="))
        header = LOCK.read_text().splitlines()[:2]
        LOCK.write_text("\n".join(header) + "\n" + frozen)
        return 0
    install()
    if task == "serve":
        # --dirty: after an edit, rebuild only the pages that changed (a lesson edit is on
        # screen in about a second). Restart serve after adding, renaming or removing a page.
        return run(BIN / "mkdocs", "serve", "--dirty", *args)
    if task == "build":
        return run(BIN / "mkdocs", "build", "--strict", *args)
    if task == "test":
        ensure_chromium()
        return run(BIN / "python", "-m", "pytest", *args)
    sys.exit(f"unknown task {task!r}: use serve, build, test, lock or new")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
