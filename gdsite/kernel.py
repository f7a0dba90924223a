"""One Jupyter kernel, driven directly: send it code, collect notebook outputs.

We talk to the kernel with jupyter_client rather than through nbclient so that
the build controls exactly what runs: set-up code executes silently (it takes
no execution number, so the lesson's first cell is In [1]), a lesson can be
stopped at once on Ctrl-C, and one print never arrives as several outputs.
"""

import contextlib
import os
import queue
import re
import signal
import tempfile
import time
from pathlib import Path

from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.connect import write_connection_file

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
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class KernelDied(Exception):
    """The kernel process exited while running code."""


class CellTimeout(Exception):
    """A piece of code ran longer than its time limit."""


class Interrupted(Exception):
    """The build was asked to stop (Ctrl-C) while this kernel was running."""


class Kernel:
    """A running ipykernel with a client connected to it (see the two ways to start one below)."""

    def _connect(self, client, startup_timeout):
        self.client = client
        self.client.start_channels()
        try:
            self._wait_until_ready(startup_timeout)
        except BaseException:
            self.shutdown()
            raise

    def _wait_until_ready(self, timeout):
        """Ask for kernel_info until the kernel answers on both channels.

        (jupyter_client's wait_for_ready judges a kernel dead when a heartbeat is
        late, which on a busy machine happens to healthy kernels; here a kernel is
        dead only when its process is gone. The IOPub answer matters too: what the
        kernel publishes before our subscription is connected would be lost.)
        """
        deadline = time.monotonic() + timeout
        while True:
            msg_id = self.client.kernel_info()
            replied = published = False
            until = time.monotonic() + 0.25  # a first request can be lost while sockets connect
            while time.monotonic() < until and not (replied and published):
                with contextlib.suppress(queue.Empty):
                    replied = (
                        replied
                        or self.client.get_shell_msg(timeout=0.1)["parent_header"].get("msg_id") == msg_id
                    )
                with contextlib.suppress(queue.Empty):
                    published = (
                        published
                        or self.client.get_iopub_msg(timeout=0.1)["parent_header"].get("msg_id") == msg_id
                    )
            if replied and published:
                while True:  # drop the rest of the start-up chatter
                    try:
                        self.client.get_iopub_msg(timeout=0.05)
                    except queue.Empty:
                        return
            if not self.alive():
                raise KernelDied("the kernel exited while starting")
            if time.monotonic() > deadline:
                raise CellTimeout(f"the kernel did not answer within {timeout} s of starting")

    def run(self, code, *, timeout, silent=False, user_expressions=None, cancelled=None):
        """Execute `code`; return (execute_reply content, list of nbformat output dicts).

        Raises CellTimeout after `timeout` seconds (the kernel is interrupted),
        KernelDied if the process exits, Interrupted when `cancelled()` turns true.
        """
        msg_id = self.client.execute(
            code,
            silent=silent,
            store_history=not silent,
            user_expressions=user_expressions or {},
            allow_stdin=False,
        )
        deadline = time.monotonic() + timeout
        outputs = Outputs()
        while True:
            msg = self._next(self.client.get_iopub_msg, deadline, cancelled)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            outputs.add(msg["msg_type"], msg["content"])
        while True:
            reply = self._next(self.client.get_shell_msg, deadline, cancelled)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"], outputs.items

    def _next(self, get, deadline, cancelled):
        """The next message from `get`, checking every second for death, time-out and Ctrl-C."""
        while True:
            if cancelled is not None and cancelled():
                raise Interrupted
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.interrupt()
                raise CellTimeout
            try:
                return get(timeout=min(1.0, remaining))
            except queue.Empty:
                if not self.alive():
                    raise KernelDied from None


class StartedKernel(Kernel):
    """A kernel started as a new process by jupyter_client (imports everything itself)."""

    def __init__(self, cwd, *, startup_timeout=60):
        self.manager = KernelManager(kernel_name="python3")
        self.manager.start_kernel(
            cwd=str(cwd),
            env={**os.environ, **KERNEL_ENV},
            # The kernel's own log (e.g. its notice about local sockets) is noise in a build log.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
        self._connect(self.manager.blocking_client(), startup_timeout)

    def alive(self):
        return self.manager.is_alive()

    def interrupt(self):
        if self.manager.has_kernel and self.manager.is_alive():
            self.manager.interrupt_kernel()

    def shutdown(self):
        """Stop the process and remove its connection file; safe to call twice."""
        with contextlib.suppress(Exception):  # best effort: the process is killed below anyway
            self.client.stop_channels()
        if self.manager.has_kernel:
            self.manager.shutdown_kernel(now=True)
        self.manager.cleanup_resources()


class ForkedKernel(Kernel):
    """A kernel forked by a zygote (gdsite/zygote.py): its libraries are imported already."""

    def __init__(self, zygote, *, startup_timeout=60):
        fd, path = tempfile.mkstemp(prefix="kernel-", suffix=".json", dir=zygote.runtime_dir)
        os.close(fd)
        self.connection_file = Path(path)
        write_connection_file(str(self.connection_file), ip="127.0.0.1")
        self.pid, self.zygote = None, zygote
        self.pid = zygote.spawn(self.connection_file)
        client = BlockingKernelClient(connection_file=str(self.connection_file))
        client.load_connection_file()
        self._connect(client, startup_timeout)

    def alive(self):
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)  # the zygote reaps its children, so a dead kernel is gone
        except ProcessLookupError:
            return False
        return True

    def interrupt(self):
        if self.alive():
            os.kill(self.pid, signal.SIGINT)

    def shutdown(self):
        """Kill the process and remove its connection file; safe to call twice."""
        with contextlib.suppress(Exception):
            self.client.stop_channels()
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.connection_file.unlink(missing_ok=True)


class Outputs:
    """Kernel messages turned into notebook outputs, as Jupyter would store them.

    Consecutive pieces of the same stream are joined: a kernel may send one
    `print` in several messages depending on timing, and the page must not.
    """

    def __init__(self):
        self.items = []
        self.clear_pending = False

    def add(self, msg_type, content):
        if msg_type == "clear_output":
            if content.get("wait"):
                self.clear_pending = True
            else:
                self.items.clear()
            return
        output = _as_output(msg_type, content)
        if output is None:
            return
        if self.clear_pending:
            self.items.clear()
            self.clear_pending = False
        last = self.items[-1] if self.items else None
        if output["output_type"] == "stream" and last and last.get("name") == output["name"]:
            last["text"] += output["text"]
        else:
            self.items.append(output)


def _as_output(msg_type, content):
    if msg_type == "stream":
        return {"output_type": "stream", "name": content["name"], "text": content["text"]}
    if msg_type == "display_data":
        return {"output_type": "display_data", "data": content["data"], "metadata": content["metadata"]}
    if msg_type == "execute_result":
        return {
            "output_type": "execute_result",
            "data": content["data"],
            "metadata": content["metadata"],
            "execution_count": content["execution_count"],
        }
    if msg_type == "error":
        return {
            "output_type": "error",
            "ename": content["ename"],
            "evalue": content["evalue"],
            "traceback": content["traceback"],
        }
    return None  # execute_input, status echoes, comm messages: not outputs


def error_text(content):
    """A readable traceback (no terminal colours) from an error reply or output."""
    lines = content.get("traceback") or [f"{content.get('ename')}: {content.get('evalue')}"]
    return _ANSI.sub("", "\n".join(lines)).strip()
