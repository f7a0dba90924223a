"""gdsite.render and gdsite.serving: pages rendered as mkdocs-jupyter renders them, however
many notebooks one process renders with its compiled templates kept."""

import json
import os
import subprocess
import sys
import threading

import jinja2
import nbformat
import pytest
from conftest import ROOT
from mkdocs.structure.toc import get_toc
from mkdocs_jupyter.plugin import Plugin

from gdsite.cache import EntryCache
from gdsite.render import Prerenderer, render_key, render_notebook
from gdsite.serving import CompiledTemplates

OPTIONS = {name: option.default for name, option in Plugin.config_scheme}
OPTIONS.update(theme="", kernel_name="", allow_errors=False, custom_mathjax_url="", toc_depth=6)

# What a fresh interpreter makes of the notebook with mkdocs-jupyter's own functions, no sharing.
REFERENCE = """
import json, sys
from mkdocs_jupyter import convert
from mkdocs_jupyter.plugin import get_nb_toc
from gdsite.page import slim
notebook, options = sys.argv[1], json.loads(sys.argv[2])
keys = ("kernel_name theme allow_errors show_input no_input no_prompt remove_tag_config "
        "highlight_extra_classes include_requirejs custom_mathjax_url").split()
body = convert.nb2html(notebook, execute=False, **{k: options[k] for k in keys})
toc, title = get_nb_toc(notebook, options["toc_depth"])
flat = lambda links: [[a.level, a.id, a.title, flat(a.children)] for a in links]
print(json.dumps({"content": slim(body), "toc": flat(toc), "title": title}))
"""


def flat(links):
    """A table of contents as MkDocs shows it: each entry's level, anchor, title and children."""
    return [[a.level, a.id, a.title, flat(a.children)] for a in links]


PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def lesson_notebook(path, heading):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {heading}\n\nProse with `code`.\n\n## A section"),
        nbformat.v4.new_code_cell("x = 1 + 2\nx", execution_count=1),
    ]
    nb.cells[1].outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "3"}, execution_count=1),
        nbformat.v4.new_output("display_data", {"image/png": PIXEL}),  # an image with no alt text
    ]
    path.write_text(nbformat.writes(nb))
    return path


@pytest.mark.parametrize("heading", ["First lesson", "Second lesson"])
def test_rendering_again_in_one_process_matches_a_fresh_mkdocs_jupyter(tmp_path, heading):
    notebook = lesson_notebook(tmp_path / "lesson.ipynb", heading)
    ours = [render_notebook(notebook, OPTIONS) for _ in range(2)]  # the second with compiled templates
    done = subprocess.run(
        [sys.executable, "-c", REFERENCE, str(notebook), json.dumps(OPTIONS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    reference = json.loads(done.stdout)
    for found in ours:
        assert found["content"] == reference["content"]
        assert flat(get_toc(json.loads(json.dumps(found["toc"])))) == reference["toc"]
        assert heading in found["content"]
        assert 'alt="No description has been provided for this image"' in found["content"]
        assert 'tabindex="0"' in found["content"]  # outputs take keyboard focus


def test_compiled_templates_are_reused_until_the_source_changes():
    templates = {"page.html": "Hello {{ name }}"}
    compiled = []

    class Counting(CompiledTemplates):
        def dump_bytecode(self, bucket):  # called only after jinja compiled a template
            compiled.append(bucket.key)
            super().dump_bytecode(bucket)

    store = Counting()

    def render():
        env = jinja2.Environment(loader=jinja2.DictLoader(templates), bytecode_cache=store)
        return env.get_template("page.html").render(name="gd")

    assert render() == "Hello gd" and len(compiled) == 1
    assert render() == "Hello gd" and len(compiled) == 1  # a new environment, nothing compiled
    templates["page.html"] = "Goodbye {{ name }}"
    assert render() == "Goodbye gd" and len(compiled) == 2  # an edited template is compiled anew


FORKS = []  # (threads in the forking process) for each fork while RECORDING
RECORDING = threading.Event()
os.register_at_fork(before=lambda: RECORDING.is_set() and FORKS.append(len(os.listdir("/proc/self/task"))))


def test_workers_never_fork_a_process_that_runs_threads(tmp_path):
    """Forking a process that runs threads may deadlock the child (Python 3.12+ warns). A build
    makes its workers before any thread starts; `serve` may need new ones while threads run."""
    notebook = lesson_notebook(tmp_path / "lesson.ipynb", "Rendered by a worker")
    stop = threading.Event()
    running = threading.Thread(target=stop.wait)  # e.g. the server's file watcher
    running.start()
    RECORDING.set()
    try:
        prerender = Prerenderer(EntryCache(tmp_path / "cache"), OPTIONS, workers=1)
        prerender.submit(notebook)
        prerender.finish()
        prerender.close()
    finally:
        RECORDING.clear()
        stop.set()
        running.join()
    assert all(threads == 1 for threads in FORKS), FORKS
    assert (
        EntryCache(tmp_path / "cache").get(render_key(notebook, OPTIONS))["title"] == "Rendered by a worker"
    )
