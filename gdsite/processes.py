"""No process outlives the build: whatever ends it (Ctrl-C, SIGTERM, SIGHUP, SIGKILL, the OOM killer).

- Each lesson kernel leads a process group of its own, so killing the group also
  ends what the lesson started (`subprocess.Popen`, `os.fork`, `multiprocessing`).
- Helper processes (page renderers, kernels) ask Linux to kill them when their
  parent dies (`die_with_parent`): a SIGKILL gives the parent no chance to clean
  up, and a renderer left running would hold the build's output pipe open, so
  `mkdocs build | tee log` would never return.
"""

import contextlib
import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent():
    """Linux: this process is sent SIGKILL when its parent ends. Elsewhere it does nothing
    (there, a renderer ends when its pipe from the parent closes, a kernel when its parent poller
    sees the parent gone)."""
    with contextlib.suppress(OSError, AttributeError):
        asked = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
        if asked and os.getppid() == 1:  # the parent had ended already, before the request
            os._exit(1)


def kill_group(leader):
    """SIGKILL the process group that `leader` leads (a kernel and whatever it started)."""
    for kill in (os.killpg, os.kill):  # the group; or the process alone, if it leads none
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(leader, signal.SIGKILL)
            return
