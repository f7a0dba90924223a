"""Build machinery for the gd site (not teaching code).

The `gd-lessons` MkDocs plugin (plugin.py) turns lesson files into executed
notebooks for mkdocs-jupyter to render, in three steps:

    plan     what changed: read each lesson, look up its outputs in the cache
    execute  run the misses, in parallel (parallel.py), each in a kernel of its own (execute.py)
    finish   merge outputs into the lessons, move media out, write downloads

Inside each kernel, `kernel_setup` (with `figures`, `explorer`, `namespace`)
makes outputs fit the site. `cache` stores results; `page` slims the HTML.
"""

import dataclasses


def build_lessons(lessons, settings):
    """The pipeline above; returns the planned lessons, each with its site files (`files`), the
    lesson rules it breaks (`problems`) or why it could not be built (`failure`).

    A lesson is finished as soon as its outputs are known (from the cache, or
    when its kernel is done), so its page can be rendered while others still run.
    """
    from gdsite.finish import finish
    from gdsite.parallel import run_lessons
    from gdsite.plan import plan

    settings = dataclasses.replace(settings, lessons=lessons)
    planned = plan(lessons, settings)
    finish([item for item in planned if item.failure is None and not item.must_run], settings)
    run_lessons(
        [item for item in planned if item.must_run], settings, done=lambda item: finish([item], settings)
    )
    return planned
