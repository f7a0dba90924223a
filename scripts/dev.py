"""Set up everything and run one task:  python3 scripts/dev.py TASK [ARGS...]

  serve   build the site and serve it at http://127.0.0.1:8000/gd/, rebuilding on save
  build   a strict build into site/
  test    the whole test suite (ARGS go to pytest, e.g. -k fit -x)
  setup   only set up .venv/
  lock    resolve pyproject.toml again into requirements.lock (ARGS go to `uv pip compile`,
          e.g. --upgrade-package torch)
  new     a new lesson from the template: dev.py new "Momentum"

Runs on Python 3.11, 3.12 or 3.13, standard library only, before anything is installed
(and on older Pythons far enough to say that they are too old).
Before each task it checks .venv/ against requirements.lock and this checkout, and makes
it anew when they disagree. Extra ARGS go to the tool (mkdocs, pytest, uv).
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
LOCK = ROOT / "requirements.lock"
PROJECTS = [ROOT / "pyproject.toml", ROOT / "gdsite" / "pyproject.toml"]  # gd, and the site machinery
STAMP = VENV / ".gd-installed.json"
CHROMIUM = Path("/usr/bin/chromium")
TASKS = ("serve", "build", "test", "setup", "lock", "new")
TESTED = [(3, 11), (3, 12), (3, 13)]


class Stop(Exception):
    """A signal asked dev.py to stop (SIGTERM, SIGHUP) while it was setting up."""


def say(message):
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def run(*cmd, quiet=False, **kw):
    """Run a command from the checkout; return its exit status (quiet: its output only on failure)."""
    if not quiet:
        print("+", " ".join(map(str, cmd)), flush=True)
        return subprocess.run([str(c) for c in cmd], cwd=ROOT, **kw).returncode
    done = subprocess.run([str(c) for c in cmd], cwd=ROOT, capture_output=True, text=True, **kw)
    if done.returncode:
        print(done.stdout + done.stderr, end="", file=sys.stderr)
    return done.returncode


# --- the lock ---------------------------------------------------------------------------


def lock_entries():
    """{name: [lines]} of requirements.lock: each pinned package with its hashes (and markers)."""
    entries, name = {}, None
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            name = line.split("==")[0].strip().lower()
            entries.setdefault(name, []).append(line)
        elif name and line.strip().startswith("--hash"):
            entries[name].append(line)
    return entries


def torch_pin():
    """torch's exact version as the lock pins it (e.g. 2.13.0+cpu): the one place it is written."""
    [first, *_] = lock_entries()["torch"]
    return first.split("==")[1].split(";")[0].strip().rstrip("\\").strip()


def cpu_index():
    """PyTorch's CPU wheel index, as pyproject.toml names it for uv."""
    import tomllib

    config = tomllib.loads(PROJECTS[0].read_text(encoding="utf-8"))
    return next(i["url"] for i in config["tool"]["uv"]["index"] if i["name"] == "pytorch-cpu")


# --- the virtual environment -------------------------------------------------------------

# Run by the venv's own Python (isolated: -I): what is installed, files that went missing,
# scripts that start another Python (a moved checkout), where gd and gdsite import from.
# Each distribution's RECORD is read as it is: from Python 3.12 on, `Distribution.files`
# leaves out the files that are missing, which are what this looks for.
CHECK = r"""
import csv, importlib.metadata as md, importlib.util, json, os, re, sys
bin_dir, root = sys.argv[1], sys.argv[2]
report = {"python": list(sys.version_info[:2]), "installed": {}, "missing": [], "stale": [], "imports": {}}
for dist in md.distributions():
    name = dist.metadata["Name"]
    report["installed"][name.lower().replace("_", "-")] = dist.version
    for row in csv.reader((dist.read_text("RECORD") or "").splitlines()):
        if row and not row[0].endswith(".pyc") and not os.path.exists(dist.locate_file(row[0])):
            report["missing"].append(f"{name}: {row[0]}")
for entry in os.scandir(bin_dir):
    if entry.is_file() and not entry.is_symlink():
        with open(entry.path, "rb") as f:
            head = f.read(400).decode("utf-8", "replace")
        for python in re.findall(r"(/\S*/bin/python[\d.]*)", head) if head.startswith("#!") else []:
            if not python.startswith(bin_dir + "/"):
                report["stale"].append(f"{entry.name} runs {python}")
for module in ("gd", "gdsite"):
    spec = importlib.util.find_spec(module)
    report["imports"][module] = spec.origin if spec else None
print(json.dumps(report))
"""


def wanted_key():
    """What the venv must have been installed from: the lock and the two projects."""
    return hashlib.sha256(b"\0".join([LOCK.read_bytes(), *(p.read_bytes() for p in PROJECTS)])).hexdigest()


def venv_problems():
    """Why .venv/ cannot be trusted as it is ([] when it can); None when there is no .venv/."""
    if not VENV.exists():
        return None
    try:
        stamp = json.loads(STAMP.read_text())
    except (OSError, ValueError):
        return ["it was never completely set up (an install was interrupted or failed)"]
    if stamp.get("key") != wanted_key():
        return ["requirements.lock or a pyproject.toml changed since it was installed"]
    try:
        out = subprocess.run(
            [str(PYTHON), "-I", "-c", CHECK, str(BIN), str(ROOT)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=VENV,
        )
        report = json.loads(out.stdout)
    except (OSError, ValueError, subprocess.SubprocessError):
        return [f"its Python ({PYTHON}) does not run"]
    problems = []
    if tuple(report["python"]) != sys.version_info[:2]:
        problems.append(f"it was made with Python {'.'.join(map(str, report['python']))}")
    gone = sorted(set(stamp["installed"]) - set(report["installed"]))
    if gone:
        problems.append(f"packages are gone: {', '.join(gone[:5])}")
    if report["missing"]:
        problems.append(f"{len(report['missing'])} installed files are missing ({report['missing'][0]}, ...)")
    if report["stale"]:
        problems.append(f"scripts start a Python outside it ({report['stale'][0]}): the checkout moved?")
    for module, origin in report["imports"].items():
        if origin is None or not Path(origin).resolve().is_relative_to(ROOT):
            problems.append(f"{module} is imported from {origin}, not from this checkout ({ROOT})")
    return problems


def ensure_venv():
    """A .venv/ that matches the lock and this checkout: checked every time, made anew if it does not."""
    problems = venv_problems()
    if problems == []:
        return
    if problems:
        say(".venv/ cannot be used as it is: " + "; ".join(problems) + ". Making it anew.")
        shutil.rmtree(VENV)
    try:
        install()
    except BaseException:
        shutil.rmtree(VENV, ignore_errors=True)  # nothing half-made stays behind
        raise


def install():
    started = os.times().elapsed
    say(f"setting up .venv/ with Python {sys.version.split()[0]} from requirements.lock")
    venv.create(VENV, with_pip=True)
    entries = lock_entries()
    with tempfile.TemporaryDirectory() as scratch:
        # uv installs the lock (several times faster than pip); pip installs uv itself, hash-checked.
        pinned_uv = Path(scratch, "uv.txt")
        pinned_uv.write_text("\n".join(entries.get("uv", ["uv"])) + "\n")  # (unpinned: a lock from before uv)
        pip = [PYTHON, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps"]
        if run(*pip, *(["--require-hashes"] if "uv" in entries else []), "-r", pinned_uv, quiet=True):
            sys.exit("dev.py: installing uv failed (see above)")
        uv = [BIN / "uv", "pip", "install", "--python", PYTHON]
        install_torch(uv)
        rest = Path(scratch, "lock-without-torch.txt")
        rest.write_text(
            "\n".join(line for name, lines in entries.items() if name != "torch" for line in lines)
        )
        if run(*uv, "--require-hashes", "-r", rest, quiet=True):
            sys.exit("dev.py: installing requirements.lock failed (see above)")
    # gd and gdsite from this checkout (editable: an edit is live at once). No build isolation:
    # setuptools comes from the lock, so this needs no network.
    if run(*uv, "--no-deps", "--no-build-isolation", "-e", ROOT, "-e", ROOT / "gdsite", quiet=True):
        sys.exit("dev.py: installing gd and gdsite from this checkout failed (see above)")
    report = json.loads(subprocess.run([PYTHON, "-I", "-c", CHECK, BIN, ROOT], capture_output=True).stdout)
    STAMP.write_text(json.dumps({"key": wanted_key(), "installed": report["installed"]}, indent=1))
    say(f".venv/ ready in {os.times().elapsed - started:.0f} s")


def install_torch(uv):
    """The lock's torch, the CPU build: from PyTorch's CPU index (GD_TORCH_INDEX: another index),
    or from a folder of wheels pip is told about (PIP_FIND_LINKS). Where neither has it, PyPI's
    build of the same version (on Linux that is the CUDA build: gigabytes more, same results)."""
    pin = f"torch=={torch_pin()}"
    tries = []
    if os.environ.get("GD_TORCH_INDEX"):
        index = os.environ["GD_TORCH_INDEX"]
        tries.append((index, ["--index-url", index], pin))
    else:
        for folder in os.environ.get("PIP_FIND_LINKS", "").split():
            tries.append((folder, ["--no-index", "--find-links", folder], pin))
        tries.append((cpu_index(), ["--index-url", cpu_index()], pin))
        tries.append(("PyPI", [], pin.split("+")[0]))
    for where, source, wanted in tries:
        if where == "PyPI":  # PyPI's build needs its own dependencies (CUDA libraries on Linux)
            say(
                f"the CPU build of {pin} is not available here: installing PyPI's {wanted} "
                "(on Linux the CUDA build, several GB; the lessons run on the CPU either way)"
            )
        else:  # the CPU build's dependencies are in the lock, installed next
            source = ["--no-deps", *source]
        done = subprocess.run([*map(str, uv), *source, wanted], cwd=ROOT, capture_output=True, text=True)
        if done.returncode == 0:
            say(f"torch: {wanted} from {where}")
            return
        say(f"torch: not from {where} ({(done.stderr.strip().splitlines() or ['?'])[-1].strip()})")
    sys.exit(f"dev.py: could not install {pin} (set GD_TORCH_INDEX to an index that has it)")


# --- running a task ----------------------------------------------------------------------


def run_task(*cmd):
    """Run the task's program until it ends, in a process group of its own.

    It gets the terminal (Ctrl-C reaches it, once, as when run by hand). SIGINT, SIGTERM
    and SIGHUP sent to dev.py reach it as SIGINT: mkdocs and pytest clean up after
    Ctrl-C (kernels stopped, nothing half-done cached), while SIGTERM or SIGHUP would kill
    them outright. When it has ended, whatever it left in its group is killed.
    """
    print("+", " ".join(map(str, cmd)), flush=True)
    child = subprocess.Popen([str(c) for c in cmd], cwd=ROOT, process_group=0)
    terminal = _foreground_terminal()
    if terminal is not None:
        _give_terminal(terminal, child.pid)
    received = []

    def forward(signum, frame):
        received.append(signum)
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGINT if len(received) < 3 else signal.SIGKILL)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    try:
        code = child.wait()
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)  # a process it started and left behind
        if terminal is not None:
            _give_terminal(terminal, os.getpgrp())
    if received and code in (0, -signal.SIGINT):
        return 128 + received[0]
    return 128 - code if code < 0 else code


def _foreground_terminal():
    """The terminal (file descriptor) whose foreground this process holds, or None."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fd = sys.stdin.fileno()
        if os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp():
            return fd
    return None


def _give_terminal(fd, pgid):
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may not take it
    try:
        with contextlib.suppress(OSError):
            os.tcsetpgrp(fd, pgid)
    finally:
        signal.signal(signal.SIGTTOU, previous)


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


def lock(*args):
    """requirements.lock from pyproject.toml, for every Python from 3.11 on and every platform,
    with the sha256 of every file; torch from PyTorch's CPU index (see pyproject.toml). The
    versions already in the lock are kept unless ARGS say otherwise (--upgrade-package NAME)."""
    compile_ = [BIN / "uv", "pip", "compile", "pyproject.toml", "--extra", "test", "--universal"]
    options = ["--python-version", "3.11", "--generate-hashes", "--quiet", "-o", LOCK]
    return run(*compile_, *options, "--custom-compile-command", "python scripts/dev.py lock", *args)


def main(argv):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip())
        return 0 if argv else 2
    task, *args = argv
    if task not in TASKS:
        say(f"unknown task {task!r}: use one of {', '.join(TASKS)} (dev.py --help says what each does)")
        return 2
    # Read without tomllib (new in 3.11): this check is for older Pythons.
    lowest = re.search(r'requires-python = ">=([\d.]+)"', PROJECTS[0].read_text())[1]
    if sys.version_info[:2] < tuple(map(int, lowest.split("."))):
        say(
            f"gd needs Python {lowest} or newer; this is {sys.version.split()[0]}. "
            "Run it with python3.11, python3.12 or python3.13."
        )
        return 2
    if sys.version_info[:2] not in TESTED:
        say(f"Python {sys.version.split()[0]} is newer than the tested 3.11 to 3.13: going on anyway")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner on every build
    if task == "new":
        return run(sys.executable, ROOT / "scripts" / "new_lesson.py", *args)
    ensure_venv()
    if task == "setup":
        return 0
    if task == "lock":
        return lock(*args)
    if task == "serve":
        # --dirty: after an edit, rebuild only the pages that changed (a lesson edit is on
        # screen in about a second). Restart serve after adding, renaming or removing a page.
        return run_task(BIN / "mkdocs", "serve", "--dirty", *args)
    if task == "build":
        return run_task(BIN / "mkdocs", "build", "--strict", *args)
    ensure_chromium()
    return run_task(PYTHON, "-m", "pytest", *args)


def _stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


if __name__ == "__main__":
    # Until a task runs, SIGTERM and SIGHUP stop dev.py as Ctrl-C does: quietly, nothing half-made kept.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    try:
        sys.exit(main(sys.argv[1:]))
    except (KeyboardInterrupt, Stop):
        say("stopped; nothing half-made was kept")
        sys.exit(130)
