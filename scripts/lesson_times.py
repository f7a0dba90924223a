"""Run one lesson in a kernel as the build does and print how long each cell takes.

    .venv/bin/python scripts/lesson_times.py docs/lessons/07-animation.py

A quick check while writing a lesson: it fails on the first cell that raises,
naming it, and shows where the lesson's time goes (kernel start and imports
included). It caches nothing and builds no site.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gdsite.execute import RESTORE, SAVE, SETUP, SOLUTION_TAG  # noqa: E402
from gdsite.kernel import StartedKernel, error_text  # noqa: E402
from gdsite.lessons import read_lesson  # noqa: E402


def main(path):
    nb = read_lesson(Path(path))
    started = time.monotonic()
    kernel = StartedKernel(ROOT)
    try:
        kernel.run(SETUP, timeout=120, silent=True)
        print(f"{time.monotonic() - started:6.2f} s  kernel start and set-up (imports)")
        for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
            solution = SOLUTION_TAG in cell.metadata.get("tags", [])
            if solution:
                kernel.run(SAVE, timeout=60, silent=True)
            began = time.monotonic()
            reply, _ = kernel.run(cell.source, timeout=600)
            if solution:
                kernel.run(RESTORE, timeout=60, silent=True)
            first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            print(f"{time.monotonic() - began:6.2f} s  In [{number}] {first_line[:70]}")
            if reply["status"] != "ok":
                sys.exit(f"In [{number}] failed:\n{error_text(reply)}")
    finally:
        kernel.shutdown()
    print(f"{time.monotonic() - started:6.2f} s  in all")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
