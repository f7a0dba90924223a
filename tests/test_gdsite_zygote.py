"""gdsite.zygote: kernels forked from a process that imported the libraries once.

A forked kernel must be indistinguishable from a freshly started one: same
outputs, byte for byte; one lesson each; failures reported as before; and no
kernel outlives its zygote.
"""

import os
import time

import nbformat
import pytest
from conftest import ROOT

from gdsite.execute import LessonError, execute_lesson
from gdsite.kernel import Kernel
from gdsite.lessons import read_lesson
from gdsite.zygote import ForkedKernels, Zygote


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    z = Zygote(ROOT, tmp_path_factory.mktemp("runtime"))
    yield z
    z.close()


def run(nb, kernel, timeout=60):
    try:
        return execute_lesson(nb, kernel, lesson="lesson.py", root=ROOT, timeout=timeout)
    finally:
        kernel.shutdown()


def forked(zygote):
    return Kernel(ROOT, zygote.runtime_dir, zygote=zygote)


def notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def test_a_forked_kernel_gives_a_fresh_kernels_outputs_byte_for_byte(zygote):
    # A real lesson: printed numbers, figures (SVG), an explorer, solutions.
    nb = read_lesson(ROOT / "docs" / "lessons" / "07-learning-rate.py")
    from_zygote = run(nb, forked(zygote), timeout=300)
    fresh = run(nb, Kernel(ROOT), timeout=300)
    assert from_zygote == fresh


def test_each_kernel_is_new_no_state_carries_over(zygote):
    leave = notebook("import random\nleft_behind = random.random()\nprint(left_behind)")
    look = notebook("print('left_behind' in globals())", "import random\nprint(random.random())")
    first, second = (
        run(leave, forked(zygote)),
        run(look, forked(zygote)),
    )
    assert second[0][0][1][0]["text"] == "False\n"
    assert first[0][0][1][0]["text"] != second[0][1][1][0]["text"]  # unseeded numbers differ too


def test_a_kernel_that_exits_is_reported_and_the_zygote_carries_on(zygote):
    with pytest.raises(LessonError, match="kernel died"):
        run(notebook("import os\nos._exit(1)"), forked(zygote))
    assert run(notebook("print(6 * 7)"), forked(zygote))[0][0][1][0]["text"] == "42\n"


def test_a_hung_kernel_times_out_and_the_zygote_carries_on(zygote):
    with pytest.raises(LessonError, match="did not finish within 2 s"):
        run(
            notebook("import time\ntime.sleep(60)"),
            forked(zygote),
            timeout=2,
        )
    assert run(notebook("print(1)"), forked(zygote))[0][0][1][0]["text"] == "1\n"


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_no_kernel_outlives_its_zygote(tmp_path):
    z = Zygote(ROOT, tmp_path)
    kernels = [Kernel(ROOT, tmp_path, zygote=z) for _ in range(2)]
    pids = [k.pid for k in kernels]
    assert all(alive(pid) for pid in pids)
    z.close()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in pids)
    for k in kernels:
        k.shutdown()
    assert not list(tmp_path.glob("kernel-*.json"))


def test_the_zygote_is_replaced_when_what_it_imported_changes(monkeypatch, tmp_path):
    kernels = ForkedKernels(ROOT, tmp_path)
    try:
        stamps = iter(["before", "before", "after"])
        monkeypatch.setattr(kernels, "sources_stamp", lambda: next(stamps))
        k1 = kernels.kernel()
        first = kernels.zygote
        k2 = kernels.kernel()
        assert kernels.zygote is first  # unchanged: the same zygote forks again
        k3 = kernels.kernel()  # gd or gdsite changed: a new zygote, the old one gone
        assert kernels.zygote is not first and not first.alive()
        for k in (k1, k2, k3):
            k.shutdown()
    finally:
        kernels.close()


def test_a_spare_kernel_is_fresh_used_once_and_dropped_with_its_zygote(monkeypatch, tmp_path):
    kernels = ForkedKernels(ROOT, tmp_path, spare=True)
    try:
        stamps = iter(["before"] * 3 + ["after"] * 3)
        monkeypatch.setattr(kernels, "sources_stamp", lambda: next(stamps))
        kernels.prepare()
        deadline = time.monotonic() + 60
        while kernels.spare is None and time.monotonic() < deadline:
            time.sleep(0.1)
        spare = kernels.spare
        assert spare is not None and spare.alive()
        first = kernels.kernel()
        assert first is spare  # the edit's lesson starts on the kernel forked ahead
        nb = notebook("x = 1\nprint(x)")
        assert run(nb, first)[0][0][1][0]["text"] == "1\n"
        while kernels.spare is None and time.monotonic() < deadline:
            time.sleep(0.1)
        second_spare = kernels.spare
        assert second_spare is not None and second_spare is not first
        look = notebook("print('x' in globals())")
        old_zygote = kernels.zygote
        second = kernels.kernel()  # stamp changed: the spare from the old zygote is not used
        assert second is not second_spare and second.zygote is not old_zygote
        assert not second_spare.alive()
        assert run(look, second)[0][0][1][0]["text"] == "False\n"
    finally:
        kernels.close()


def test_the_zygote_runs_no_thread_when_it_forks(zygote):
    """Forking a process that runs threads may deadlock the child (Python 3.12+ warns): what the
    zygote imports must start none, or each kernel would start from a copy of a half-held lock."""
    run(notebook("print(1)"), forked(zygote))  # it has forked at least once
    assert len(os.listdir(f"/proc/{zygote.process.pid}/task")) == 1
