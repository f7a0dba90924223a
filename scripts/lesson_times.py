"""Run one lesson in a kernel as the build does and print how long each cell takes.

    .venv/bin/python scripts/lesson_times.py docs/lessons/08-animation.py

A quick check while writing a lesson: it fails on the first cell that raises,
naming it, and shows where the lesson's time goes (kernel start and imports
included). It caches nothing and builds no site.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datetime import datetime  # noqa: E402

from gdsite.execute import LessonError, execute_lesson  # noqa: E402
from gdsite.kernel import Kernel  # noqa: E402
from gdsite.lessons import read_lesson  # noqa: E402


def main(path):
    nb = read_lesson(Path(path))
    started = time.monotonic()
    kernel = Kernel(ROOT)
    print(f"{time.monotonic() - started:6.2f} s  kernel start")
    try:
        outputs, _ = execute_lesson(nb, kernel, lesson=path, root=ROOT, timeout=600, timing=True)
    except LessonError as error:
        sys.exit(str(error))
    finally:
        kernel.shutdown()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    for cell, (number, _, times) in zip(code, outputs, strict=True):
        seconds = (_when(times["shell.execute_reply"]) - _when(times["iopub.execute_input"])).total_seconds()
        first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        print(f"{seconds:6.2f} s  In [{number}] {first_line[:70]}")
    print(f"{time.monotonic() - started:6.2f} s  in all (set-up and imports included)")


def _when(stamp):
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
