"""Benchmark the site build: mkdocs-jupyter alone (its cache off, and on) vs our gd-lessons plugin.

Run it from the repository root (it takes a while: plain mkdocs-jupyter with its cache off
runs every lesson on every build):

    .venv/bin/python scripts/bench_build.py            # 3 runs, medians
    .venv/bin/python scripts/bench_build.py --runs 5
    .venv/bin/python scripts/bench_build.py --quick    # 1 run, 1 edit per serve check

It works on scratch copies of the project (the files git sees, tracked or not, minus the
ignored ones, snapshotted once into a temporary folder) and never touches the repository's
own site/ or .gd-cache/. Four variants of the same site are built:

- plain: mkdocs-jupyter alone executes every lesson (execute: true, cache: false), no
  gd-lessons; how every mkdocs-jupyter before 0.26 builds. Its mkdocs.yml is ours with
  gd-lessons dropped. The animation lesson (08-animation.py) shows an animation as an
  html5 video, which needs an `ffmpeg` on PATH: a symlink to the binary of the
  imageio-ffmpeg package is put in a temporary bin folder first on PATH.
- plain+cache: the same with mkdocs-jupyter's own cache on (cache: true, its default since
  0.26). It keys a page on the lesson file's bytes and its options only.
- ours: the project as it is (gd-lessons executes and caches, mkdocs-jupyter renders).
- floor: the same site with execution off (mkdocs-jupyter execute: false, no
  gd-lessons): lessons rendered without outputs, the least any approach can cost.

Each scenario is a full `mkdocs build --strict` in a subprocess, timed by wall clock:
cold build (no cache), rebuild with nothing changed, a Markdown-cell edit in one lesson,
a code-cell edit in the same lesson, and a change in gd/. The edited lesson is the one of
median execution time (from gd-lessons' record of a first, untimed build). The change in
gd/ makes `gd.linear_data` print a marker: a page of a lesson that calls it and lacks the
marker afterwards is stale, showing outputs of code that no longer exists; the table
counts them. Every run starts from fresh copies; within a run the variants alternate build
by build, so a change in machine load hits all alike. The table shows the median over
the runs. For ours, the number of lessons executed is read from the plugin's log line.

Also measured: the peak memory of the cold build (the summed RSS of the build process
and all its descendants, i.e. the lesson kernels and ffmpeg, sampled every 50 ms) and
its CPU time, and the `mkdocs serve` delay: how long after saving an edit (to the
median-cost lesson) the server hands out the changed page (polled every 20 ms).

Only the standard library is needed; psutil lists the build's processes and reads
their CPU times when the venv has it (without it, /proc is scanned and CPU time comes
from rusage alone).
"""

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:
    import psutil
except ImportError:  # the /proc sampler below does the same job on Linux
    psutil = None

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
MKDOCS = VENV_BIN / "mkdocs"
GD_FILE = Path("gd/data.py")
GD_CALL = "linear_data("  # the lessons whose pages a change in gd.linear_data must change
VARIANTS = ("plain", "plain+cache", "ours")
SCENARIOS = {
    "cold": "cold build (no cache)",
    "nothing": "rebuild, nothing changed",
    "markdown": "Markdown-cell edit (1 lesson)",
    "code": "code-cell edit (1 lesson)",
    "gd": "change in gd/ (gd.linear_data)",
}
BUILD_TIMEOUT = 1200  # seconds; the plain approach runs every lesson on every build
SERVE_START_TIMEOUT = 600  # the plain server's first build runs every lesson too
PLAIN_SERVE_CAP = 120  # give up waiting for the plain server after this long
SERVE_CAP = 60
SERVE_ARGS = ["--dirty"]  # as `scripts/dev.py serve` runs it: rebuild only the pages that changed
SAMPLE_EVERY = 0.05  # memory samples
POLL_EVERY = 0.02  # serve polls
EXECUTED_LINE = re.compile(r"gd-lessons: (\d+) lesson\(s\) to execute")
# plain executes every lesson on every build: an edit costs what "nothing" costs (a gd change
# is built anyway, to count its stale pages)
PLAIN_SCENARIOS = ("cold", "nothing", "gd")
IMPORT = "import torch, matplotlib.pyplot, gd"  # what every lesson kernel must import
MEMORY_BEFORE = 750  # MiB: peak of a cold build before issue 13 (two kernels at once)


# --- scratch projects -------------------------------------------------------------------


@dataclass
class Project:
    variant: str
    root: Path
    env: dict
    logs: Path  # build and server logs go here, outside the project

    def log_path(self, name):
        return self.logs / f"{self.variant}-{name}.log"


def snapshot(folder):
    """Copy the project's files once, as git sees them: tracked and untracked, minus ignored ones.

    So the copy has whatever the build reads (docs/, gd/, gdsite/, mkdocs.yml, theme overrides,
    included Markdown files) and none of the build outputs (site/, .gd-cache/) or the venv.
    Other people may edit the repository while the benchmark runs; every run sees this copy.
    """
    source = folder / "source"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        path = REPO / name
        if path.is_file():  # a tracked file may have been deleted from the working tree
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, source / name)
    return source


def describe_source():
    """The commit the snapshot was taken from, and whether the working tree had changes."""

    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()

    dirty = " + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{git('rev-parse', '--short', 'HEAD') or 'unknown commit'}{dirty}"


def make_project(variant, folder, source, bin_dir):
    """A copy of `source` in `folder`, configured for `variant` (plain, ours or floor)."""
    root = folder / variant
    shutil.copytree(source, root)
    if variant != "ours":
        config = yaml.safe_load((source / "mkdocs.yml").read_text(encoding="utf-8"))
        config["plugins"] = variant_plugins(
            config["plugins"], execute=variant != "floor", cache=variant == "plain+cache"
        )
        # Builds pass --strict themselves. Under `serve --dirty` MkDocs warns that links may
        # go stale; gd-lessons logs that as information, without it strict mode would abort.
        config["strict"] = False
        (root / "mkdocs.yml").write_text(
            yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    # gd and gdsite are installed in editable mode, pointing at the repository. Entries on
    # sys.path take precedence over that finder, so the build and its kernels use the copies.
    env["PYTHONPATH"] = str(root)
    env["TMPDIR"] = str(folder)  # whatever the builds leave in the temporary folder goes with it
    if variant.startswith("plain"):
        env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    return Project(variant, root, env, logs)


def variant_plugins(plugins, *, execute, cache):
    """Our plugin list without gd-lessons, with mkdocs-jupyter executing or not, its cache on or off."""
    jupyter = {"include": ["lessons/*.py"], "execute": execute, "allow_errors": False, "cache": cache}
    result = []
    for plugin in plugins:
        name = plugin if isinstance(plugin, str) else next(iter(plugin))
        if name == "gd-lessons":
            continue
        result.append({"mkdocs-jupyter": jupyter} if name == "mkdocs-jupyter" else plugin)
    return result


def ffmpeg_bin_dir(folder):
    """A folder holding `ffmpeg`, a symlink to imageio-ffmpeg's binary (for the plain build)."""
    exe = subprocess.run(
        [str(VENV_BIN / "python"), "-c", "import imageio_ffmpeg; print(imageio_ffmpeg.get_ffmpeg_exe())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    (bin_dir / "ffmpeg").symlink_to(exe)
    return bin_dir


# --- edits ---------------------------------------------------------------------------------


def edit_markdown_cell(path, marker):
    """Add a sentence at the end of the lesson's first Markdown cell (jupytext percent format)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("# %% [markdown]"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("#") and not lines[end].startswith("# %%"):
        end += 1
    lines[end:end] = ["#\n", f"# Edited for the benchmark: {marker}.\n"]
    path.write_text("".join(lines), encoding="utf-8")


def edit_code_cell(path, marker):
    """Change the first printed string of the lesson: 'print("a"' becomes 'print("[marker] " "a"'."""
    text = path.read_text(encoding="utf-8")
    if 'print("' not in text:
        raise SystemExit(f'{path} has no print("...") to edit')
    path.write_text(text.replace('print("', f'print("[{marker}] " "', 1), encoding="utf-8")


def edit_gd(path, marker):
    """gd.linear_data prints `marker` when called (appended to gd/data.py, before gd imports it)."""
    with path.open("a", encoding="utf-8") as f:
        f.write(
            f"\n\n_original_{marker} = linear_data\n\n\n"
            f"def linear_data(*args, **kwargs):  # benchmark edit\n"
            f'    print("{marker}")\n'
            f"    return _original_{marker}(*args, **kwargs)\n"
        )


def stale_pages(project, marker):
    """(stale, affected): lessons that call gd.linear_data, and how many of their pages lack the marker."""
    lessons = [
        p for p in sorted((project.root / "docs" / "lessons").glob("*.py")) if GD_CALL in p.read_text()
    ]
    site = project.root / "site" / "lessons"
    stale = [p for p in lessons if marker not in (site / p.stem / "index.html").read_text(encoding="utf-8")]
    return len(stale), len(lessons)


def edit_page(path, marker):
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n{marker}\n")


def apply_scenario(project, scenario, marker, lesson):
    root = project.root
    if scenario == "markdown":
        edit_markdown_cell(root / lesson, marker)
    elif scenario == "code":
        edit_code_cell(root / lesson, marker)
    elif scenario == "gd":
        edit_gd(root / GD_FILE, marker)


def new_marker():
    return f"benchmarker{uuid.uuid4().hex[:12]}"


# --- processes, memory ------------------------------------------------------------------


def tree_pids(pid):
    """Process `pid` and all its descendants (psutil lists them, or a scan of /proc)."""
    if psutil is not None:
        try:
            parent = psutil.Process(pid)
            return [pid, *(child.pid for child in parent.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []
    return _proc_descendants(pid)


def _proc_descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _proc_bytes(pid, file, field):
    """A size in kB from /proc/<pid>/<file> (the line starting with `field`), in bytes; 0 once it ended."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _proc_rss(pid):
    return _proc_bytes(pid, "status", "VmRSS:")


def _proc_pss(pid):
    """Proportional set size: each shared page split among the processes sharing it."""
    return _proc_bytes(pid, "smaps_rollup", "Pss:")


class PeakSampler(threading.Thread):
    """Samples a process tree until stopped: the peak of its summed RSS and of its summed
    PSS, and each process's CPU time (the last value seen before it ended).

    Summed RSS counts a page shared by several processes once per process: kernels forked
    from one zygote share its imported libraries, so their RSS sum overstates the memory
    used; the PSS sum splits each shared page among its sharers and does not.
    """

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_pss, self._done = pid, 0, 0, threading.Event()
        self.cpu_by_pid = {}

    def run(self):
        while not self._done.is_set():
            pids = tree_pids(self.pid)  # one listing per sample for RSS, PSS and CPU
            self.peak = max(self.peak, sum(_proc_rss(p) for p in pids))
            self.peak_pss = max(self.peak_pss, sum(_proc_pss(p) for p in pids))
            if psutil is not None:
                for pid in pids:
                    with contextlib.suppress(psutil.Error):
                        times = psutil.Process(pid).cpu_times()
                        self.cpu_by_pid[pid] = times.user + times.system
            self._done.wait(SAMPLE_EVERY)

    def stop(self):
        self._done.set()
        self.join()


def stop_group(proc, grace=10):
    """End a process started with start_new_session, and everything it started."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)  # SIGINT first: mkdocs serve then removes its temp site
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass
class Build:
    seconds: float
    executed: int | None  # lessons executed, from gd-lessons' log line (ours only)
    peak_rss: int  # bytes, summed over the process tree
    peak_pss: int  # bytes, summed over the process tree (shared pages split among sharers)
    cpu: float  # user + system seconds of the build and all its descendants
    stale: tuple | None = None  # after a change in gd/: (stale pages, pages the change affects)


def build(project, name):
    """Run `mkdocs build --strict` in the project and measure it."""
    log_path = project.log_path(name)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with log_path.open("w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(MKDOCS), "build", "--strict"],
            cwd=project.root,
            env=project.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        sampler = PeakSampler(proc.pid)
        sampler.start()
        try:
            returncode = proc.wait(timeout=BUILD_TIMEOUT)
            seconds = time.perf_counter() - start
        finally:
            sampler.stop()
            stop_group(proc)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = log_path.read_text(errors="replace")
    if returncode != 0:
        tail = "\n".join(output.splitlines()[-30:])
        raise SystemExit(f"{project.variant} build '{name}' failed ({returncode}); log {log_path}:\n{tail}")
    found = EXECUTED_LINE.search(output)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # Processes nobody waits for (kernels forked by the zygote) are missing from rusage;
    # the sampler saw them all.
    cpu = max(cpu, sum(sampler.cpu_by_pid.values()))
    return Build(seconds, int(found[1]) if found else None, sampler.peak, sampler.peak_pss, cpu)


# --- builds: one run of every scenario -----------------------------------------------------


@dataclass
class Results:
    times: dict = field(default_factory=dict)  # (variant, scenario) -> [seconds per run]
    cpu: dict = field(default_factory=dict)  # (variant, scenario) -> [CPU seconds per run]
    executed: dict = field(default_factory=dict)  # scenario -> [ours' executed count per run]
    stale: dict = field(default_factory=dict)  # variant -> [(stale, affected) per run]
    cold: dict = field(default_factory=dict)  # variant -> [Build of each cold build]
    loads: list = field(default_factory=list)  # 1-min load average after each build
    imports: list = field(default_factory=list)  # seconds of a fresh `python -c IMPORT`, each run

    def add(self, variant, scenario, result):
        self.times.setdefault((variant, scenario), []).append(result.seconds)
        self.cpu.setdefault((variant, scenario), []).append(result.cpu)
        self.loads.append(os.getloadavg()[0])
        if variant == "ours":
            self.executed.setdefault(scenario, []).append(result.executed)
        if scenario == "cold":
            self.cold.setdefault(variant, []).append(result)
        if result.stale is not None:
            self.stale.setdefault(variant, []).append(result.stale)


def run_once(number, folder, source, bin_dir, floor, results, lesson):
    """One run: a floor build, then every scenario for each variant, alternating."""
    run_dir = folder / f"run{number}"
    run_dir.mkdir()
    projects = {variant: make_project(variant, run_dir, source, bin_dir) for variant in VARIANTS}
    results.add("floor", "floor", build(floor, f"run{number}"))
    report(f"run {number}: floor {results.times['floor', 'floor'][-1]:.2f} s")
    results.imports.append(import_time(projects["ours"]))
    report(f"run {number}: a fresh `python -c '{IMPORT}'`: {results.imports[-1]:.2f} s")
    for scenario in SCENARIOS:
        marker = new_marker()
        for variant, project in projects.items():
            if variant == "plain" and scenario not in PLAIN_SCENARIOS:
                continue
            apply_scenario(project, scenario, marker, lesson)
            result = build(project, scenario)
            if scenario == "gd":
                result.stale = stale_pages(project, marker)
            results.add(variant, scenario, result)
            executed = "" if result.executed is None else f", {result.executed} executed"
            report(f"run {number}: {variant:5} {scenario:8} {result.seconds:7.2f} s{executed}")
    return projects


def import_time(project, times=3):
    """Median wall time of a fresh Python importing what a lesson kernel needs."""
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        subprocess.run(
            [str(VENV_BIN / "python"), "-c", IMPORT], cwd=project.root, env=project.env, check=True
        )
        seconds.append(time.perf_counter() - start)
    return median(seconds)


# --- mkdocs serve ----------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url, timeout):
    """The page's text, or None if the server does not answer (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


class Server:
    """`mkdocs serve` (with livereload, as users run it) on a free local port."""

    def __init__(self, project):
        self.project, self.port = project, free_port()
        # mkdocs serve mounts the site at site_url's path (e.g. /gd/ for a GitHub project page).
        config = yaml.load((project.root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        mount = urllib.parse.urlsplit(config.get("site_url") or "/").path or "/"
        self.url = f"http://127.0.0.1:{self.port}{mount.rstrip('/')}/"
        self.proc = None

    def __enter__(self):
        log = self.project.log_path(f"serve-{self.port}").open("w")
        self.proc = subprocess.Popen(
            [str(MKDOCS), "serve", *SERVE_ARGS, "-a", f"127.0.0.1:{self.port}"],
            cwd=self.project.root,
            env=self.project.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + SERVE_START_TIMEOUT
        while fetch(self.url, timeout=5) is None:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise SystemExit(
                    f"mkdocs serve did not start; see {self.project.log_path(f'serve-{self.port}')}"
                )
            time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        stop_group(self.proc)

    def delay(self, edit, path, page, cap):
        """Seconds from saving an edit, edit(path, marker), until `page` is served with the marker."""
        marker = new_marker()
        edit(path, marker)
        saved = time.perf_counter()
        deadline = saved + cap
        while time.perf_counter() < deadline:
            text = fetch(self.url + page, timeout=max(0.1, deadline - time.perf_counter()))
            if text is not None and marker in text:
                return time.perf_counter() - saved
            time.sleep(POLL_EVERY)
        return float("inf")


def serve_delays(project, checks, edits, cap):
    """{check name: [delays]} for a server running on `project`."""
    found = {}
    with Server(project) as server:
        for name, (edit_path, page, edit) in checks.items():
            path = project.root / edit_path
            for _ in range(edits):
                delay = server.delay(edit, path, page, cap)
                found.setdefault(name, []).append(delay)
                report(f"serve: {project.variant:5} {name}: {delay:.2f} s")
                time.sleep(1)  # let the watcher settle before the next edit
    return found


# --- report ---------------------------------------------------------------------------------


def report(line):
    print(line, file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values)


def table(results):
    floor = median(results.times["floor", "floor"])
    header = (
        "scenario",
        "plain (s)",
        "plain+cache (s)",
        "ours (s)",
        "ours/plain",
        "ours/floor",
        "executed (ours)",
    )
    rows = []
    for scenario, label in SCENARIOS.items():
        plain = median(results.times["plain", scenario if scenario in PLAIN_SCENARIOS else "nothing"])
        cached = median(results.times["plain+cache", scenario])
        ours = median(results.times["ours", scenario])
        executed = "/".join(str(n) for n in sorted(set(results.executed[scenario]), key=str))
        rows.append(
            (
                label,
                f"{plain:.2f}",
                f"{cached:.2f}",
                f"{ours:.2f}",
                f"{ours / plain:.2f}",
                f"{ours / floor:.2f}",
                executed,
            )
        )
    stale = {
        variant: "/".join(sorted({f"{n} of {of}" for n, of in results.stale.get(variant, [])})) or "?"
        for variant in VARIANTS
    }
    rows.append(
        ("stale pages after the gd/ change", stale["plain"], stale["plain+cache"], stale["ours"], "", "", "")
    )
    rows.append(
        ("floor: execution off (all)", f"{floor:.2f}", f"{floor:.2f}", f"{floor:.2f}", "", "1.00", "0")
    )
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(row):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        return " | ".join(cells).rstrip()

    separator = "-+-".join("-" * w for w in widths)
    return "\n".join([line(header), separator, *map(line, rows)])


def targets(results, serve, lessons):
    floor = median(results.times["floor", "floor"])
    nothing = median(results.times["ours", "nothing"])
    cold_ours, cold_plain = median(results.times["ours", "cold"]), median(results.times["plain", "cold"])
    markdown_executed = results.executed["markdown"]
    imported = median(results.imports)
    peak = median([b.peak_rss for b in results.cold["ours"]]) / 2**20
    peak_pss = median([b.peak_pss for b in results.cold["ours"]]) / 2**20
    checks = [
        (
            cold_ours <= 0.8 * lessons * imported,
            f"cold build <= 0.8 x ({lessons} lessons x one import, {imported:.2f} s): {cold_ours:.2f} s = "
            f"{cold_ours / (lessons * imported):.2f} x",
        ),
        (
            peak <= 1.5 * MEMORY_BEFORE,
            f"cold build peak memory (summed RSS) <= 1.5 x {MEMORY_BEFORE} MiB: {peak:.0f} MiB "
            f"= {peak / MEMORY_BEFORE:.2f} x",
        ),
        (
            peak_pss <= 1.5 * MEMORY_BEFORE,
            f"cold build peak memory (summed PSS) <= 1.5 x {MEMORY_BEFORE} MiB: {peak_pss:.0f} MiB "
            f"= {peak_pss / MEMORY_BEFORE:.2f} x",
        ),
        (
            nothing <= 1.0 * floor,
            f"rebuild with nothing changed <= 1.0 x floor: {nothing:.2f} s = {nothing / floor:.2f} x floor",
        ),
        (
            all(n == 0 for n in markdown_executed),
            f"Markdown-cell edit executes 0 lessons: executed {markdown_executed}",
        ),
        (
            cold_ours <= 0.65 * cold_plain,
            f"cold build <= 0.65 x plain: {cold_ours:.2f} s = {cold_ours / cold_plain:.2f} x plain",
        ),
    ]
    if serve:
        code = median(serve["ours", CODE_CHECK])
        markdown = median(serve["ours", MARKDOWN_CHECK])
        checks.append(
            (
                code <= 1.0 * imported,
                f"serve, code-cell edit <= 1.0 x import: {code:.2f} s = {code / imported:.2f} x",
            )
        )
        checks.append(
            (
                markdown <= 0.5 * imported,
                f"serve, Markdown-cell edit <= 0.5 x import: {markdown:.2f} s = {markdown / imported:.2f} x",
            )
        )
    return "\n".join(f"{'PASS' if ok else 'MISS'}  {text}" for ok, text in checks)


def cpu_lines(results):
    """CPU time per build: much less sensitive than wall time to other load on the machine."""
    floor = median(results.cpu["floor", "floor"])
    lines = ["CPU time (user+system of the build and all its descendants), median, s:"]
    for scenario, label in SCENARIOS.items():
        plain = median(results.cpu["plain", scenario if scenario in PLAIN_SCENARIOS else "nothing"])
        cached = median(results.cpu["plain+cache", scenario])
        ours = median(results.cpu["ours", scenario])
        lines.append(f"  {label:32}  plain {plain:6.1f}   plain+cache {cached:6.1f}   ours {ours:6.1f}")
    lines.append(f"  {'floor: execution off':30}  {floor:6.1f}")
    return "\n".join(lines)


def memory_lines(results):
    lines = [
        f"Cold build, peak memory of the mkdocs process and all its descendants (kernels, ffmpeg),"
        f" sampled every {SAMPLE_EVERY * 1000:.0f} ms: summed RSS (/proc/<pid>/status VmRSS; a"
        " page shared by several processes counts once per process) and summed PSS"
        " (/proc/<pid>/smaps_rollup; a shared page is split among its sharers):"
    ]
    for variant in VARIANTS:
        builds = results.cold[variant]
        rss = median([b.peak_rss for b in builds]) / 2**20
        pss = median([b.peak_pss for b in builds]) / 2**20
        lines.append(f"  {variant:5}  peak RSS {rss:6.0f} MiB   peak PSS {pss:6.0f} MiB (medians)")
    return "\n".join(lines)


def serve_lines(serve, edits):
    lines = [
        f"mkdocs serve delay: save an edit, poll the page every {POLL_EVERY * 1000:.0f} ms until it "
        f"shows the edit (median of {edits} edit(s); all values in brackets):"
    ]
    for (variant, name), delays in serve.items():
        shown = ", ".join("timeout" if d == float("inf") else f"{d:.2f}" for d in delays)
        lines.append(f"  {variant:5}  {name:40}  {median(delays):7.2f} s   [{shown}]")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------


def measure_serve(projects, edits, lesson):
    page = f"{lesson.relative_to('docs').with_suffix('').as_posix()}/"
    checks = {
        "docs/index.md": ("docs/index.md", "", edit_page),
        f"Markdown cell of {lesson}": (lesson, page, edit_markdown_cell),
        f"code cell of {lesson}": (lesson, page, edit_code_cell),
    }
    serve = {}
    for name, delays in serve_delays(projects["ours"], checks, edits, SERVE_CAP).items():
        serve["ours", name.replace(str(lesson), "the lesson")] = delays
    plain_checks = {"docs/index.md": checks["docs/index.md"]}
    try:
        for name, delays in serve_delays(projects["plain"], plain_checks, edits, PLAIN_SERVE_CAP).items():
            serve["plain", name] = delays
    except SystemExit as failed:  # keep the build results and ours; the log says why
        report(str(failed))
    return serve


MARKDOWN_CHECK = "Markdown cell of the lesson"
CODE_CHECK = "code cell of the lesson"


def median_cost_lesson(project):
    """The lesson of median execution time in a finished build of `project` (gd-lessons' record),
    among those with a print("...") for the code-cell edit."""
    seconds = json.loads((project.root / ".gd-cache" / "durations.json").read_text())
    ranked = sorted(seconds, key=seconds.get)
    middle = len(ranked) // 2
    by_distance = sorted(ranked, key=lambda name: abs(ranked.index(name) - middle))
    lessons = project.root / "docs" / "lessons"
    name = next(n for n in by_distance if 'print("' in (lessons / n).read_text(encoding="utf-8"))
    report(
        f"edited lesson: {name}, {seconds[name]:.1f} s to execute (median {seconds[ranked[middle]]:.1f} s)"
    )
    return Path("docs/lessons") / name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="builds per cell; the table shows medians")
    parser.add_argument("--quick", action="store_true", help="one run, one edit per serve check")
    parser.add_argument("--serve-edits", type=int, default=3, help="edits per serve check")
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve checks")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (logs, sites)")
    args = parser.parse_args()
    runs, edits = (1, 1) if args.quick else (args.runs, args.serve_edits)
    # A plain `kill` should still stop the servers and builds: make SIGTERM unwind like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    folder = Path(tempfile.mkdtemp(prefix="gd-bench-"))
    report(f"scratch folder: {folder}")
    described, load_before = describe_source(), os.getloadavg()
    finished = False
    try:
        source = snapshot(folder)
        lessons = len(list((source / "docs" / "lessons").glob("*.py")))  # before the folder goes
        bin_dir = ffmpeg_bin_dir(folder)
        floor = make_project("floor", folder, source, bin_dir)
        build(floor, "warm-up")  # warm the disk cache and bytecode before anything is timed
        warm = make_project("ours", folder / "warm-up", source, bin_dir)
        build(warm, "warm-up")  # ... and find how long each lesson takes
        lesson = median_cost_lesson(warm)
        results = Results()
        for number in range(1, runs + 1):
            projects = run_once(number, folder, source, bin_dir, floor, results, lesson)
        serve = {} if args.no_serve else measure_serve(projects, edits, lesson)
        load_after = os.getloadavg()
        finished = True
    finally:
        if args.keep or not finished:  # after a failure, the logs tell why
            report(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    print(
        f"Site build times: full `mkdocs build --strict` wall time, median of {runs} run(s); "
        f"{os.cpu_count()} CPU cores; 1-min load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after; after each build (ours included): median "
        f"{median(results.loads):.2f}, max {max(results.loads):.2f}."
    )
    print("plain = mkdocs-jupyter executes every lesson (its cache off); plain+cache = the same, its cache")
    print("on (keyed on the lesson file); ours = gd-lessons (cached on what lessons use, parallel);")
    print(f"floor = execution off. Sources: {described}. Edits in {lesson} and {GD_FILE}.\n")
    print(table(results))
    print()
    print(
        f"A fresh `python -c '{IMPORT}'`: {median(results.imports):.2f} s "
        f"(median over {len(results.imports)} run(s) of 3 each)."
    )
    print(targets(results, serve, lessons))
    print()
    print(cpu_lines(results))
    print()
    print(memory_lines(results))
    if serve:
        print()
        print(serve_lines(serve, edits))


if __name__ == "__main__":
    main()
