"""Run one lesson, cell by cell, in a kernel of its own: nbclient does it, as for any notebook.

What nbclient does not do, and the site needs: set-up code that runs silently
before the first cell (it takes no execution number, so the lesson's first
cell is In [1]), exercise solutions that each start from the namespace the
lesson left, Ctrl-C that stops a lesson at once, and one message naming the
lesson, the cell and the cause when anything fails.
"""

import ast
import contextlib
import copy
import json
import re
import threading
import time

from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_code_cell

from gdsite.printed import StreamCutter

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
SETUP = "import gdsite.kernel_setup"  # figures, videos and explorers for the site
# Silent calls into the kernel's site code: they bind no name in the lesson's namespace.
SAVE = "__import__('gdsite.namespace').namespace.save()"
RESTORE = "__import__('gdsite.namespace').namespace.restore()"
USED = "__import__('gdsite.kernel_setup').kernel_setup.loaded_modules({!r})"
SOLUTION_TAG = "solution"
SETUP_TIMEOUT = 120  # seconds for the set-up's imports, whatever a lesson's cell limit
STARTUP_TIMEOUT = 60  # seconds for a kernel to answer its first request


class LessonError(Exception):
    """A lesson failed to run; the message names the lesson, the cell and the cause."""


class Interrupted(Exception):
    """The build was asked to stop (Ctrl-C) while this lesson was running."""


class LessonClient(NotebookClient):
    """nbclient's NotebookClient, showing a stream as Jupyter's own front end does.

    JupyterLab shows consecutive pieces of one stream (a `print` the kernel sent
    in several messages, depending on timing) as one block; nbclient keeps the
    pieces, and its `coalesce_streams` also merges pieces that a figure stands
    between. Here consecutive pieces are joined as they arrive, so the page does
    not depend on timing and keeps Jupyter's order.
    """

    def __init__(self, nb, **options):
        super().__init__(nb, **options)
        self.cutter = StreamCutter()  # printed text is also kept short as it arrives (printed.py)

    def output(self, outs, msg, display_id, cell_index):
        out = super().output(outs, msg, display_id, cell_index)
        if out is not None and out.output_type == "stream":
            if len(outs) >= 2 and outs[-1] is out:
                before = outs[-2]
                if before.output_type == "stream" and before.name == out.name:
                    before.text += out.text
                    outs.pop()
                    out = before
            self.cutter.add(out)
        return out


def execute_lesson(nb, kernel, *, lesson, root, timeout, cancelled=None, timing=False):
    """Run the code cells of `nb` in `kernel` (a started gdsite.kernel.Kernel); return (outputs, used).

    outputs: per code cell, (execution count, list of nbformat outputs), and with
             `timing`, a third item: the cell's execution timestamps (nbclient's).
    used: what the lesson imported, ([project files], {distribution: version}).
    Solution cells (tagged "solution") each start from the namespace the lesson
    left. `timeout` (seconds) bounds each cell. Raises LessonError naming the cell,
    or Interrupted soon after `cancelled()` turns true.
    """
    nb, replies = copy.deepcopy(nb), []
    client = LessonClient(
        nb,
        record_timing=timing,
        km=kernel.manager,
        timeout=None,  # the cell's time limit is kept by `Watch`, which does not count stopped time
        startup_timeout=STARTUP_TIMEOUT,
        allow_errors=True,  # an error is reported below, naming lesson and cell
        on_cell_executed=lambda execute_reply, **_: replies.append(execute_reply),
        resources={"metadata": {"path": str(root)}},
    )
    watch = Watch(kernel, cancelled)

    def run_cell(cell, index=None, where=None, limit=timeout):
        """Execute one cell (a silent one when `index` is None); return the kernel's reply."""
        replies.clear()
        watch.cell(limit)
        try:
            if index is None:
                ask = cell.metadata.get("ask", {})
                msg_id = client.kc.execute(cell.source, silent=True, user_expressions=ask)
                replies.append(client.wait_for_reply(msg_id, cell))
            else:
                client.execute_cell(cell, index)
                client.cutter.finish()
        except DeadKernelError:
            if watch.why == "cancelled":
                raise Interrupted from None
            if watch.why == "timeout":
                cause = f"cell did not finish within {limit} s (raise cell_timeout in mkdocs.yml if it must)"
            else:
                cause = "the kernel died (the process exited or crashed)"
        else:
            reply = replies[-1]["content"]
            errors = [out for out in cell.get("outputs", []) if out.output_type == "error"]
            if reply["status"] == "ok" and not errors:
                return reply
            cause = error_text(errors[0] if errors else reply)
        raise LessonError(_describe(lesson, where or cell.source, cause))

    try:
        with contextlib.closing(watch), _connected(client, lesson):
            setup = "(the site's kernel set-up: importing torch, matplotlib and gd)"
            run_cell(_silent(SETUP), where=setup, limit=max(timeout, SETUP_TIMEOUT))
            results = []
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                solution = SOLUTION_TAG in cell.metadata.get("tags", [])
                if solution:
                    run_cell(_silent(SAVE), where=cell.source)
                run_cell(cell, index)
                if solution:
                    run_cell(_silent(RESTORE), where=cell.source)
                outputs = [dict(out) for out in cell.outputs]
                results.append(
                    (cell.execution_count, outputs, cell.metadata.execution)
                    if timing
                    else (cell.execution_count, outputs)
                )
            probe = run_cell(_silent("", used=USED.format(str(root))), where="(after the last cell)")
    except Exception:
        if watch.why == "cancelled":  # whatever broke when the kernel was killed, the cause is Ctrl-C
            raise Interrupted from None
        raise
    used = probe["user_expressions"]["used"]
    if used.get("status") != "ok":
        raise LessonError(_describe(lesson, None, error_text(used)))
    files, libraries = json.loads(ast.literal_eval(used["data"]["text/plain"]))
    return results, (files, libraries)


@contextlib.contextmanager
def _connected(client, lesson):
    """nbclient's client for the kernel, connected for the lesson and closed after it."""
    try:
        with client.setup_kernel():
            yield
    except RuntimeError as error:  # jupyter_client: the kernel died or did not answer while starting
        if client.kc is not None:
            raise
        raise LessonError(_describe(lesson, "(starting the kernel)", str(error))) from None
    finally:
        if client.kc is not None:
            with contextlib.suppress(Exception):  # best effort: the kernel is killed next anyway
                client.kc.stop_channels()


def _silent(code, **ask):
    """Code the lesson does not show: run silently, so it takes no execution number.
    `ask`: expressions to evaluate afterwards, {name: code}, answered in the reply."""
    cell = new_code_cell(code)
    cell.metadata["ask"] = ask
    return cell


class Watch:
    """A thread that, twice a second, ends a lesson that must stop: on Ctrl-C (`cancelled()`)
    or when a cell runs past its time limit. Either way it kills the kernel, and nbclient then
    finds the kernel dead within a second.

    A cell's time is counted in ticks of at most a second each: while the build is stopped
    (Ctrl-Z, or a machine put to sleep), the clock jumps, and that time is not the cell's.
    (nbclient's own timeout counts it, so a resumed build failed lessons that were fine.)
    """

    TICK = 0.5

    def __init__(self, kernel, cancelled):
        self.kernel, self.cancelled = kernel, cancelled or (lambda: False)
        self.limit, self.used, self.why = None, 0.0, None
        self.done = threading.Event()
        threading.Thread(target=self._watch, name="gd-lesson-watch", daemon=True).start()

    def cell(self, limit):
        """A cell starts, with `limit` seconds of running time."""
        self.limit, self.used = limit, 0.0

    def _watch(self):
        last = time.monotonic()
        while not self.done.wait(self.TICK):
            now = time.monotonic()
            self.used += min(now - last, 1.0)
            last = now
            if self.cancelled():
                self.why = "cancelled"
            elif self.limit is not None and self.used > self.limit:
                self.why = "timeout"
            if self.why:
                self.kernel.stop()
                return

    def close(self):
        self.done.set()


def error_text(content):
    """A readable traceback (no terminal colours) from an error reply or output."""
    lines = content.get("traceback") or [f"{content.get('ename')}: {content.get('evalue')}"]
    return _ANSI.sub("", "\n".join(lines)).strip()


def _describe(lesson, source, cause):
    source = source if source is not None else "(after the last cell)"
    return f"lesson {lesson} failed.\n--- failing cell ---\n{source}\n--- cause ---\n{cause}"
