"""Execute one lesson notebook in a fresh Jupyter kernel of its own."""

import copy
import re

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

SETUP_SOURCE = "import gdsite.kernel_setup  # site-only: SVG figures, mp4 animations"


class LessonError(Exception):
    """A lesson failed to run; the message names the lesson, the cell and the cause."""


def execute_notebook(nb, *, lesson, cwd, timeout):
    """Run every code cell of `nb` and return its executed copy.

    `lesson` is the path shown in error messages; `cwd` is the directory the
    kernel starts in; `timeout` (seconds) bounds each cell, so a hung lesson
    fails instead of hanging the build.
    """
    nb = copy.deepcopy(nb)
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP_SOURCE, id="gd-setup"))
    running = {}
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(cwd)}},
        on_cell_execute=lambda cell, cell_index: running.update(cell=cell),
        # The kernel's own log (e.g. its notice about local TCP sockets) is noise in a build log.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    try:
        client.execute()
    except CellTimeoutError:
        raise LessonError(
            _describe(
                lesson,
                running.get("cell"),
                f"cell did not finish within {timeout} s "
                "(raise cell_timeout in mkdocs.yml if it really needs longer)",
            )
        ) from None
    except CellExecutionError as error:
        raise LessonError(_describe(lesson, running.get("cell"), str(error).strip())) from None
    except DeadKernelError as error:
        raise LessonError(_describe(lesson, running.get("cell"), f"the kernel died: {error}")) from None
    nb.cells.pop(0)
    return nb


def _describe(lesson, cell, cause):
    cause = re.sub(r"\x1b\[[0-9;]*m", "", cause)  # tracebacks arrive with terminal colours
    source = cell.source if cell is not None else "(before the first cell)"
    return f"lesson {lesson} failed.\n--- failing cell ---\n{source}\n--- cause ---\n{cause}"
