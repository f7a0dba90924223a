"""Build machinery for the gd site (not teaching code).

- `plugin`: the MkDocs plugin that executes lessons (cached, in parallel) and
  hands the executed notebooks to mkdocs-jupyter for rendering.
- `execute`: runs one lesson in its own Jupyter kernel.
- `cache`: the execution cache, keyed on everything a lesson's output depends on.
- `outputs`: turns executed outputs into light, deterministic page content.
- `kernel_setup`: imported inside each lesson's kernel before the lesson runs.
"""
