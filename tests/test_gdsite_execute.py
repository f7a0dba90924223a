"""gdsite.kernel and gdsite.execute: one lesson in a real kernel, driven by nbclient, without a site build."""

import threading
import time

import nbformat
import pytest
from conftest import ROOT

from gdsite.execute import Interrupted, LessonError, execute_lesson
from gdsite.kernel import Kernel


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    for source, tags in cells:
        cell = nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    return nb


def run(nb, timeout=30, cancelled=None):
    kernel = Kernel(ROOT)
    try:
        return execute_lesson(nb, kernel, lesson="lesson.py", root=ROOT, timeout=timeout, cancelled=cancelled)
    finally:
        kernel.shutdown()


@pytest.fixture(scope="module")
def lesson_run():
    nb = notebook(
        ("import time, torch\nimport gd\nt = torch.zeros(2)\nx = 1", None),
        ("for i in range(3):\n    print(i, flush=True)\n    time.sleep(0.2)", None),
        ("t.add_(1)\nx = None\nleak = 1\nassert t.sum() == 2", ["solution"]),
        ("assert t.sum() == 0 and x == 1 and 'leak' not in globals()\nx + 41", ["solution"]),
    )
    return run(nb)


def test_cells_are_numbered_from_one(lesson_run):
    outputs, _ = lesson_run
    assert [count for count, _ in outputs] == [1, 2, 3, 4]
    assert outputs[3][1][0]["execution_count"] == 4  # Out[4] beside In[4]


def test_a_print_spread_over_time_is_one_output(lesson_run):
    outputs, _ = lesson_run
    assert outputs[1][1] == [{"output_type": "stream", "name": "stdout", "text": "0\n1\n2\n"}]


def test_each_solution_starts_from_the_lessons_namespace(lesson_run):
    outputs, _ = lesson_run  # the second solution's asserts ran in the kernel
    assert outputs[3][1][0]["data"]["text/plain"] == "42"


def test_the_lesson_reports_the_project_files_and_libraries_it_imported(lesson_run):
    _, (files, libraries) = lesson_run
    assert "gd/__init__.py" in files and "gd/descent.py" in files
    assert "gdsite/kernel_setup.py" in files
    assert "torch" in libraries and "matplotlib" in libraries
    assert not any(".venv" in f or "site-packages" in f for f in files)


def test_each_solution_starts_from_the_lessons_state_global_settings_and_gradients_included():
    nb = notebook(
        ("import torch, random\na = torch.nn.Parameter(torch.ones(2))\n(a * 3).sum().backward()", None),
        (
            "torch.set_default_dtype(torch.float64)\ntorch.set_grad_enabled(False)\n"
            "first = (torch.rand(1).item(), random.random())\nassert a.grad.tolist() == [3.0, 3.0]",
            ["solution"],
        ),
        (
            "assert torch.get_default_dtype() == torch.float32 and torch.is_grad_enabled()\n"
            "assert a.grad is not None and a.grad.tolist() == [3.0, 3.0]\n"
            "print(torch.rand(1).item(), random.random())",
            ["solution"],
        ),
        ("print(torch.rand(1).item(), random.random())", ["solution"]),
    )
    outputs, _ = run(nb)
    assert outputs[2][1][0]["text"] == outputs[3][1][0]["text"]  # the same random numbers: the same start


def test_an_error_names_the_cell_by_the_lessons_own_number_and_shows_its_source_once():
    nb = notebook(("ok = 1", None), ("ratio = ok / (ok - 1)", None))
    with pytest.raises(LessonError) as caught:
        run(nb)
    message = str(caught.value)
    assert "Cell In[2]" in message and "ZeroDivisionError" in message
    assert message.count("--- failing cell ---\nratio = ok / (ok - 1)") == 1
    assert "\x1b[" not in message


def test_a_wrong_solution_fails_like_any_cell():
    nb = notebook(("x = 1", None), ("assert x == 2, 'x is not 2'", ["solution"]))
    with pytest.raises(LessonError, match="x is not 2"):
        run(nb)


def test_a_hung_cell_times_out():
    started = time.monotonic()
    with pytest.raises(LessonError, match="did not finish within 2 s"):
        run(notebook(("import time\ntime.sleep(600)", None)), timeout=2)
    assert time.monotonic() - started < 120  # far below the cell's 600 s, whatever the machine's load


def test_a_dying_kernel_is_reported():
    with pytest.raises(LessonError, match="kernel died"):
        run(notebook(("import os\nos._exit(3)", None)))


def test_a_running_lesson_stops_soon_after_cancel():
    cancel = threading.Event()
    threading.Timer(6.0, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Interrupted):
        run(notebook(("import time\ntime.sleep(60)", None)), cancelled=cancel.is_set)
    assert time.monotonic() - started < 12
