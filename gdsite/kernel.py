"""One lesson's Jupyter kernel: a stock ipykernel, started anew or forked from a zygote.

jupyter_client manages the kernel and nbclient runs the cells (execute.py), as
`jupyter nbconvert --execute` would. What is ours is only where the process
comes from: jupyter_client lets a *provisioner* decide that, and
`ForkedProvisioner` asks the zygote (zygote.py) to fork the kernel instead of
starting a new Python; connection file, ports and signals are jupyter_client's.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import uuid
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.paths import jupyter_runtime_dir
from jupyter_core.utils import run_sync

from gdsite.processes import kill_group

# Run-to-run differences must not come from the machine's load or core count:
# one thread for the math libraries (see kernel_setup for torch's own settings).
# Kernels write no .pyc files: under `mkdocs serve` a new gd/__pycache__ file would
# look like an edit of gd and start another rebuild (installed libraries have theirs).
KERNEL_ENV = {
    # The backend a stock ipykernel gives matplotlib (ipykernel sets it as it starts, unless
    # the environment names another): pyplot figures are shown at the end of each cell.
    # Set here because the zygote imports matplotlib, which reads it then, before any kernel.
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}
# The kernel's own log (e.g. its notice about local sockets) is noise in a build log.
QUIET = ["--IPKernelApp.log_level=ERROR"]


def runtime_folder(fallback):
    """This build's folder for kernel connection files, `gd-lessons-<pid>`: in Jupyter's runtime
    folder, or in `fallback` (the project's cache) when that cannot be written (an unwritable
    HOME, say). Such folders left by builds that no longer run (killed) are removed."""
    tried = []
    for base in (Path(jupyter_runtime_dir()), Path(fallback)):
        folder = base / f"gd-lessons-{os.getpid()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / ".writable").touch()
            (folder / ".writable").unlink()
        except OSError as error:
            tried.append(f"{base} ({error.strerror})")
            continue
        for other in base.glob("gd-lessons-*"):
            pid = other.name.rpartition("-")[2]
            if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
                shutil.rmtree(other, ignore_errors=True)
        return folder
    raise OSError(
        f"gd-lessons cannot write kernel connection files in {' or '.join(tried)}: make one of "
        "them writable, or set JUPYTER_RUNTIME_DIR to a writable folder"
    )


_STARTED = set()  # this process's kernels that still run


def signal_kernels(signum):
    """Send `signum` to every kernel this process started, with what its lesson started.
    Kernels lead sessions of their own, so the terminal's Ctrl-Z (SIGTSTP) and `fg` (SIGCONT)
    reach them only this way (the plugin passes them on)."""
    for kernel in list(_STARTED):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(kernel.pid, signum)


class Kernel:
    """A started kernel and its jupyter_client manager (`manager`, for nbclient's `km=`)."""

    def __init__(self, root, runtime_dir=None, *, zygote=None):
        """Start a kernel for a lesson of the project in `root`, forked from `zygote` if given.

        Its connection file goes to `runtime_dir` (default: Jupyter's runtime folder), and it
        runs in a folder of its own there (`folder`): what a lesson writes with a relative
        path lands there and goes with the kernel, never into the site's sources. `root` is
        on its import path, so `import gd` finds the project's gd.
        """
        runtime_dir = Path(runtime_dir or jupyter_runtime_dir())
        name = f"kernel-{uuid.uuid4()}"
        self.folder = runtime_dir / f"{name}-cwd"
        self.folder.mkdir(parents=True)
        self.zygote = zygote
        self.manager = AsyncKernelManager(
            kernel_name="python3", connection_file=str(runtime_dir / f"{name}.json")
        )
        if zygote is not None:
            self.manager.provisioner = ForkedProvisioner(
                kernel_id=str(uuid.uuid4()), kernel_spec=self.manager.kernel_spec, parent=self.manager
            )
            self.manager.provisioner.zygote = zygote
        path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
        try:
            run_sync(self.manager.start_kernel)(
                cwd=str(self.folder),
                env={**os.environ, **KERNEL_ENV, "PYTHONPATH": path},
                extra_arguments=QUIET,
            )
        except BaseException:
            self.shutdown()
            raise
        self.pid = self.manager.provisioner.pid
        _STARTED.add(self)

    def alive(self):
        """Whether the kernel process still runs (asked of the process, not of its heartbeat)."""
        return self.manager.provisioner is not None and run_sync(self.manager.is_alive)()

    def stop(self):
        """Kill the kernel now, from any thread, with whatever the lesson started (its process
        group): the lesson running in it ends at once."""
        kill_group(self.pid)

    def shutdown(self):
        """Kill the process and remove its connection file; safe to call twice."""
        _STARTED.discard(self)
        if getattr(self, "pid", None) is not None:
            self.stop()
        with contextlib.suppress(Exception):  # best effort: the process is gone already
            run_sync(self.manager.shutdown_kernel)(now=True)
        Path(self.manager.connection_file).unlink(missing_ok=True)
        shutil.rmtree(self.folder, ignore_errors=True)


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, but the kernel is forked by a zygote.

    The connection file and ports are prepared as for any local kernel; then,
    instead of starting `python -m ipykernel_launcher`, the zygote forks a
    child that serves that connection file. The zygote reaps its children, so
    the process is watched by its id.
    """

    zygote = None

    @property
    def has_process(self):
        return self.pid is not None

    async def poll(self):
        return None if _running(self.pid) else 1  # the exit status is the zygote's to know

    async def wait(self):
        while await self.poll() is None:
            await asyncio.sleep(0.05)
        self.pid = None
        return 1

    async def send_signal(self, signum):
        """To the kernel's process group, as jupyter_client's own provisioner does."""
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signum)

    async def kill(self, restart=False):
        await self.send_signal(signal.SIGKILL)

    async def terminate(self, restart=False):
        await self.send_signal(signal.SIGTERM)

    async def launch_kernel(self, cmd, **kwargs):
        self.pid = self.zygote.spawn(self.parent.connection_file, kwargs["cwd"])
        self.pgid, self.cwd = None, kwargs.get("cwd")
        return self.connection_info


def _running(pid):
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def close_this_threads_event_loop():
    """jupyter_client runs its calls on an event loop it makes per thread; this
    thread is about to end, so its loop is closed rather than left to the
    garbage collector (which warns). The kernel's client works from any thread."""
    with contextlib.suppress(RuntimeError):
        loop = asyncio.get_event_loop_policy().get_event_loop()
        if not loop.is_running():
            loop.close()
