"""Scratch projects: a copy of gd plus a tiny site, to build and mutate in tests."""

import shutil
import textwrap
from pathlib import Path

from conftest import ROOT

CONFIG = """\
site_name: scratch
strict: true
theme: {{name: material, font: false}}
plugins:
  - search
  - gd-lessons:
      cell_timeout: {timeout}
      workers: {workers}
      check_rules: {rules}  # scratch lessons test other things: no exercises, no summary
  - mkdocs-jupyter:
      include: ["lessons/*.py", "lessons/*.ipynb"]
      execute: false
      allow_errors: false
      cache: false
nav:
  - index.md
{nav}
"""

# Each execution appends a line to runs.txt in the project folder (found through the
# project's own gd: a kernel runs in a folder of its own), so a test can count
# executions without trusting any log.
COUNTING_LESSON = """\
# %% [markdown]
# # {title}
#
# Some prose.

# %%
import pathlib

import gd
with open(pathlib.Path(gd.__file__).parents[1] / "runs.txt", "a") as log:
    print("{name}", file=log)
print("first gd line:", gd.__doc__.splitlines()[0])

# %%
import torch
x, y = gd.linear_data(20, seed=1)
history = gd.fit(x, y, torch.tensor([1.0, 1.0]), steps=5)
print(round(history.losses[-1], 6))
gd.plot_losses(history)
"""


def make_project(folder, lessons=None, timeout=600, workers=0, rules=False):
    """A buildable project in `folder`: gd/, docs/index.md and the given lessons {name: source}."""
    folder = Path(folder)
    shutil.copytree(ROOT / "gd", folder / "gd", ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "docs" / "lessons").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Scratch\n")
    if lessons is None:
        lessons = {n: COUNTING_LESSON.format(title=f"Lesson {n}", name=n) for n in ("one", "two")}
    for name, source in lessons.items():
        (folder / "docs" / "lessons" / f"{name}.py").write_text(textwrap.dedent(source))
    nav = "\n".join(f"  - lessons/{name}.py" for name in lessons)
    (folder / "mkdocs.yml").write_text(
        CONFIG.format(nav=nav, timeout=timeout, workers=workers, rules=str(rules).lower())
    )
    return folder


def runs(folder):
    path = Path(folder) / "runs.txt"
    return path.read_text().split() if path.exists() else []
