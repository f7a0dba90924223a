"""Kernels that start in a fraction of a second: forked from a process that imported everything once.

Most of a lesson's time used to be starting a kernel and importing torch and
matplotlib again (about 3 s of the 4 to 6 s a lesson took). The *zygote* is a
Python process that imports those libraries once and then, for each lesson,
forks a child that becomes a fresh ipykernel. A child starts from the zygote's
state, which no lesson code ever touched, runs exactly one lesson and is then
killed; so a forked kernel is as fresh as a newly started one (the tests
compare their outputs byte for byte).

The build talks to the zygote through its stdin and stdout, one line each:
the path of a connection file in, the new kernel's process id out. When the
build ends (or dies), the zygote's stdin closes; it then kills the kernels it
made and exits, and a kernel whose zygote is gone exits too (ipykernel's
parent poller).

Run as ``python -m gdsite.zygote RUNTIME_DIR`` by `Zygote`; not by hand.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import traceback
from pathlib import Path

# Only the standard library at the top (and gdsite.processes, which is only that): the zygote's
# imports become every kernel's, and a kernel should carry nothing of the build's own machinery.
from gdsite.processes import die_with_parent, kill_group

# Imported once in the zygote: what every lesson kernel needs and what is slow to import.
# (Not matplotlib.pyplot or matplotlib_inline: those set themselves up for the kernel they
# are imported in, so each kernel imports them itself, as a fresh one would.)
PRELOAD = [
    "torch",
    "numpy",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.animation",
    "gd",
    "ipykernel.kernelapp",
    "torch._inductor",  # what torch.use_deterministic_algorithms (kernel_setup) imports: 1-2 s
    "gdsite.installed",  # which distribution owns which module: half a second to work out
]


INTERRUPTED = 130  # the zygote's exit status when Ctrl-C reached it while it imported (as a shell's)


class Zygote:
    """The build's side: start the zygote, ask it for kernels, stop it."""

    def __init__(self, cwd, runtime_dir):
        from gdsite.execute import Interrupted, LessonError
        from gdsite.kernel import KERNEL_ENV

        self.runtime_dir = Path(runtime_dir)
        self.runtime_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gdsite.zygote", str(self.runtime_dir)],
            cwd=cwd,
            env={**os.environ, **KERNEL_ENV},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lock = threading.Lock()
        ready = self.process.stdout.readline().strip()
        if ready != "ready":
            self.close()
            if self.process.returncode == INTERRUPTED:
                raise Interrupted  # the build is stopping: no message of ours
            said = json.loads(ready[len("error ") :]) if ready.startswith("error ") else repr(ready)
            raise LessonError(
                f"the lessons' kernels could not start: importing what they share failed\n{said}"
            )

    def spawn(self, connection_file, cwd):
        """Fork a kernel that serves `connection_file` in folder `cwd`; return its process id."""
        with self.lock:
            self.process.stdin.write(f"{connection_file}\t{cwd}\n")
            self.process.stdin.flush()
            answer = self.process.stdout.readline().strip()
        if not answer.isdigit():
            raise RuntimeError(f"the kernel zygote could not fork a kernel (it said {answer!r})")
        return int(answer)

    def alive(self):
        return self.process.poll() is None

    def close(self):
        """End the zygote; it takes the kernels it made with it."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()


def main(runtime_dir):
    """The zygote's side: import once, then fork one kernel per request until stdin closes."""
    # torch._inductor (preloaded) makes a cache folder, in the system's temp folder unless told
    # otherwise; this one goes when the zygote does.
    inductor = os.path.join(runtime_dir, f"torchinductor-{os.getpid()}")
    os.environ["TORCHINDUCTOR_CACHE_DIR"] = inductor
    try:
        for name in PRELOAD:
            __import__(name)
    except Exception as error:  # e.g. a syntax error in gd/: one clear message, not four tracebacks
        print("error", json.dumps(_where(error)), flush=True)
        return
    except KeyboardInterrupt:  # Ctrl-C in the terminal reaches the zygote too: the build stops
        shutil.rmtree(inductor, ignore_errors=True)
        sys.exit(INTERRUPTED)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels that exit are reaped by the system
    children = {}  # kernel process id: its connection file and working folder
    interrupted = False
    try:
        print("ready", flush=True)
        for line in sys.stdin:
            connection_file, cwd = line.rstrip("\n").split("\t")
            pid = os.fork()
            if pid == 0:
                os.chdir(cwd)
                _become_kernel(connection_file, zygote=os.getppid())
            children[pid] = connection_file, cwd
            print(pid, flush=True)
    except KeyboardInterrupt:  # Ctrl-C in the terminal reaches the zygote too
        interrupted = True
    except BrokenPipeError:  # the build is gone (its end of our stdout closed)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
    finally:
        # The build is over (or killed: then its end of our stdin closed): no kernel, nothing a
        # lesson started and no connection file outlives it.
        for pid, (connection_file, cwd) in children.items():
            kill_group(pid)
            with contextlib.suppress(OSError):
                os.unlink(connection_file)
            shutil.rmtree(cwd, ignore_errors=True)
        shutil.rmtree(inductor, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.rmdir(runtime_dir)  # only if empty: under serve a newer zygote may use it already
    if interrupted:
        sys.exit(INTERRUPTED)  # so the build starts no other zygote (ForkedKernels)


def _become_kernel(connection_file, zygote):
    """In the forked child: become an ipykernel serving `connection_file`; never returns.

    The kernel leads a new session and process group, as jupyter_client starts kernels:
    the build ends a lesson by killing the group, so what the lesson started ends too.
    """
    os.setsid()
    die_with_parent()
    del sys.modules["gdsite.processes"]  # the zygote's own tool: a fresh kernel never imports it
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # a lesson's own subprocesses must be waitable
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)  # stdout is the zygote's answer pipe to the build: keep it clean
    _reseed()
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(
        ["-f", connection_file, f"--IPKernelApp.parent_handle={zygote}", "--IPKernelApp.log_level=ERROR"]
    )
    app.start()
    os._exit(0)


def _where(error):
    """The error, with the line of the project's own code that raised it (not the import chain;
    a SyntaxError names its file and line itself)."""
    root = os.getcwd()
    ours = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(root)]
    said = [line.rstrip() for line in traceback.format_exception_only(error) if line.strip()]
    if ours and not isinstance(error, SyntaxError):
        said.insert(0, f"{os.path.relpath(ours[-1].filename, root)}, line {ours[-1].lineno}:")
    return "\n".join(said)


def _reseed():
    """Unseeded random numbers must differ between kernels, as they would between fresh ones."""
    import random

    import numpy as np

    random.seed()
    np.random.seed()


class ForkedKernels:
    """Where the build gets its kernels: forked from a zygote, started on first use.

    The zygote is kept for the next rebuild of `mkdocs serve`, and replaced when
    what it imported could have changed: a file of gd/ or gdsite/, or the lock.
    With `spare=True` (serve) one kernel is forked ahead of need, so an edit's
    lesson starts at once; it is used for one lesson only, like any other.
    """

    def __init__(self, root, runtime_dir, *, spare=False):
        self.root, self.runtime_dir = Path(root), Path(runtime_dir)
        self.zygote, self.stamp, self.keep_spare, self.spare = None, None, spare, None
        self.lock = threading.Lock()
        # Closed, or Ctrl-C reached a zygote: the build is stopping, and a thread that asks for
        # a kernel late starts no zygote.
        self.stopping = False

    def kernel(self):
        """A fresh kernel for one lesson (the spare one if it is still good)."""
        from gdsite.kernel import Kernel

        with self.lock:
            zygote = self._zygote()
            kernel, self.spare = self.spare, None
        if kernel is None or kernel.zygote is not zygote or not kernel.alive():
            if kernel is not None:
                kernel.shutdown()
            kernel = Kernel(self.root, self.runtime_dir, zygote=zygote)
        if self.keep_spare:
            self.prepare()
        return kernel

    def prepare(self):
        """Fork the next kernel in the background (the zygote first, if needed)."""
        threading.Thread(target=self._fork_spare, name="gd-spare-kernel", daemon=True).start()

    def _fork_spare(self):
        from gdsite.kernel import Kernel, close_this_threads_event_loop

        with self.lock:
            if self.spare is not None:
                return
            try:
                self.spare = Kernel(self.root, self.runtime_dir, zygote=self._zygote())
            except Exception:  # the next lesson forks its own, and reports a failure itself
                self.spare = None
            finally:
                close_this_threads_event_loop()

    def _zygote(self):
        from gdsite.execute import Interrupted

        if self.zygote is not None and self.zygote.process.poll() == INTERRUPTED:
            self.stopping = True  # Ctrl-C reached the zygote
        if self.stopping:
            raise Interrupted
        stamp = self.sources_stamp()
        if self.zygote is None or self.stamp != stamp or not self.zygote.alive():
            self._close_zygote()
            try:
                self.zygote, self.stamp = Zygote(self.root, self.runtime_dir), stamp
            except Interrupted:
                self.stopping = True
                raise
        return self.zygote

    def sources_stamp(self):
        from gdsite.cache import digest

        files = sorted([*(self.root / "gd").rglob("*.py"), *(self.root / "gdsite").rglob("*.py")])
        lock = self.root / "requirements.lock"
        parts = [f"{p.relative_to(self.root)}\n{p.read_bytes()!r}" for p in files]
        return digest(*parts, lock.read_text() if lock.exists() else "")

    def _close_zygote(self):
        if self.spare is not None:
            self.spare.shutdown()
            self.spare = None
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None

    def close(self):
        with self.lock:
            self.stopping = True
            self._close_zygote()
        shutil.rmtree(self.runtime_dir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1])
