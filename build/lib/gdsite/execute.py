"""Run one lesson, cell by cell, in a kernel of its own."""

import ast
import json

from gdsite.kernel import CellTimeout, KernelDied, error_text

SETUP = "import gdsite.kernel_setup"  # figures, videos and explorers for the site
# Silent calls into the kernel's site code: they bind no name in the lesson's namespace.
SAVE = "__import__('gdsite.namespace').namespace.save()"
RESTORE = "__import__('gdsite.namespace').namespace.restore()"
USED = "__import__('gdsite.kernel_setup').kernel_setup.loaded_modules({!r})"
SOLUTION_TAG = "solution"
SETUP_TIMEOUT = 120  # seconds for the set-up's imports, whatever a lesson's cell limit


class LessonError(Exception):
    """A lesson failed to run; the message names the lesson, the cell and the cause."""


def execute_lesson(nb, kernel, *, lesson, root, timeout, cancelled=None):
    """Run the code cells of `nb` in `kernel`; return (outputs, used).

    outputs: per code cell, (execution count, list of nbformat outputs).
    used: what the lesson imported, ([project files], {distribution: version}).
    Solution cells (tagged "solution") each start from the namespace the lesson
    left. `timeout` (seconds) bounds each cell. Raises LessonError naming the cell.
    """

    def run(code, where, silent=False, limit=timeout, **kw):
        try:
            return kernel.run(code, timeout=limit, silent=silent, cancelled=cancelled, **kw)
        except CellTimeout:
            cause = f"cell did not finish within {limit} s (raise cell_timeout in mkdocs.yml if it must)"
        except KernelDied:
            cause = "the kernel died (the process exited or crashed)"
        raise LessonError(_describe(lesson, where, cause))

    setup = "(the site's kernel set-up: importing torch, matplotlib and gd)"
    _check(run(SETUP, setup, silent=True, limit=max(timeout, SETUP_TIMEOUT))[0], lesson, setup)
    results = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        solution = SOLUTION_TAG in cell.metadata.get("tags", [])
        if solution:
            _check(run(SAVE, cell.source, silent=True)[0], lesson, cell.source)
        reply, outputs = run(cell.source, cell.source)
        if reply["status"] != "ok":
            raise LessonError(_describe(lesson, cell.source, error_text(reply)))
        if solution:
            _check(run(RESTORE, cell.source, silent=True)[0], lesson, cell.source)
        results.append((reply["execution_count"], outputs))
    probe = {"used": USED.format(str(root))}
    reply = run("", None, silent=True, user_expressions=probe)[0]
    used = reply["user_expressions"]["used"]
    if used.get("status") != "ok":
        raise LessonError(_describe(lesson, None, error_text(used)))
    files, libraries = json.loads(ast.literal_eval(used["data"]["text/plain"]))
    return results, (files, libraries)


def _check(reply, lesson, where):
    if reply["status"] != "ok":
        raise LessonError(_describe(lesson, where, error_text(reply)))


def _describe(lesson, source, cause):
    source = source if source is not None else "(after the last cell)"
    return f"lesson {lesson} failed.\n--- failing cell ---\n{source}\n--- cause ---\n{cause}"
