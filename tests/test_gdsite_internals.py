"""Each private part of another library that gdsite relies on (gdsite/internals.py) is still
there, in a test named after it; each such library is capped in pyproject.toml; and gdsite's
code uses no private name that the list leaves out."""

import ast
import importlib.util
import inspect
import re
import tomllib
import types
from importlib import metadata
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.requirements import Requirement

from gdsite.internals import INTERNALS


def animation():
    from matplotlib.animation import FuncAnimation
    from matplotlib.figure import Figure

    fig = Figure()
    (line,) = fig.add_subplot().plot([0, 1], [0, 1])
    anim = FuncAnimation(fig, lambda i: (line,), frames=2, interval=40)
    anim._init_draw()  # drawn, as gdsite draws it (matplotlib warns about an animation never drawn)
    return anim


def template_exporter():
    from nbconvert.exporters.templateexporter import TemplateExporter

    assert inspect.isfunction(TemplateExporter._create_environment)
    assert "self._create_environment()" in inspect.getsource(TemplateExporter)  # what `environment` calls


def html_exporter_soup():
    from nbconvert.exporters import html

    assert html.BeautifulSoup is not None
    assert "BeautifulSoup(" in inspect.getsource(html.HTMLExporter.from_notebook_node)


def animation_figure():
    anim = animation()
    assert anim._fig is not None and anim._fig.axes


def animation_drawing():
    anim = animation()
    anim._draw_frame(1)
    assert [type(a).__name__ for a in anim._drawn_artists] == ["Line2D"]


def animation_interval():
    assert animation()._interval == 40


def watchdog_timeout(tmp_path):
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers.polling import PollingObserver

    observer = PollingObserver(timeout=0.5)  # as MkDocs's LiveReloadServer makes it
    observer.schedule(FileSystemEventHandler(), str(tmp_path))
    assert [emitter._timeout for emitter in observer.emitters] == [0.5]


def torch_inductor():
    assert importlib.util.find_spec("torch._inductor") is not None


def livereload_shutdown():
    from mkdocs.commands import serve
    from mkdocs.livereload import LiveReloadServer

    assert inspect.isfunction(LiveReloadServer.shutdown)
    assert "server.shutdown()" in inspect.getsource(serve)  # how serve stops it on Ctrl-C


def dirty_build_warning():
    from mkdocs.commands import build

    assert "'dirty' build" in inspect.getsource(build)


def warning_counter():
    from mkdocs.commands import build

    source = inspect.getsource(build.build)
    assert "CountHandler()" in source and "logging.getLogger('mkdocs').addHandler(warning_counter)" in source


def page_render_replaced():
    from mkdocs.structure.pages import Page
    from mkdocs_jupyter.plugin import Plugin

    assert inspect.isfunction(Page.render)
    assert "page.render = " in inspect.getsource(Plugin.on_pre_page)


def provisioner_kept():
    from jupyter_client import manager

    assert "if self.provisioner is None" in inspect.getsource(manager.KernelManager)


def search_index_request():
    import material

    (bundle,) = (Path(material.__file__).parent / "templates/assets/javascripts").glob("bundle.*.min.js")
    code = bundle.read_text()
    assert 'document.forms.namedItem("search")' in code  # asked for at start-up on every page
    assert 'new URL("search/search_index.json"' in code and "new XMLHttpRequest" in code  # how
    assert 'searchParams.get("h")' in code  # a page opened from a result highlights with it


PROBES = {
    "TemplateExporter._create_environment": template_exporter,
    "nbconvert.exporters.html.BeautifulSoup": html_exporter_soup,
    "Animation._fig": animation_figure,
    "Animation._init_draw": animation_drawing,
    "Animation._draw_frame": animation_drawing,
    "FuncAnimation._drawn_artists": animation_drawing,
    "Animation._interval": animation_interval,
    "EventEmitter._timeout": watchdog_timeout,
    "torch._inductor": torch_inductor,
    "LiveReloadServer.shutdown": livereload_shutdown,
    "the \"'dirty' build\" warning of mkdocs.commands.build": dirty_build_warning,
    "the warning counter (utils.CountHandler) on the 'mkdocs' logger": warning_counter,
    "Page.render, replaced by mkdocs-jupyter's on_pre_page": page_render_replaced,
    "KernelManager.provisioner, kept when set before start_kernel": provisioner_kept,
    "the search index, asked for with XMLHttpRequest as the bundle starts": search_index_request,
}


@pytest.mark.parametrize("internal", INTERNALS, ids=[f"{i.library}: {i.name}" for i in INTERNALS])
def test_the_internal_is_still_there(internal, tmp_path):
    probe = PROBES[internal.name]
    probe(*(tmp_path,) * len(inspect.signature(probe).parameters))


def test_every_internal_has_a_probe():
    assert sorted(PROBES) == sorted(i.name for i in INTERNALS)


def site_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["optional-dependencies"]["site"]]


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("library", sorted({i.library for i in INTERNALS}))
def test_each_library_whose_internals_are_touched_is_capped_and_the_lock_is_under_the_cap(library):
    [requirement] = [r for r in site_requirements() if canonical(r.name) == canonical(library)]
    assert any(spec.operator == "<" for spec in requirement.specifier), f"{requirement}: no upper bound"
    assert requirement.specifier.contains(metadata.version(library), prereleases=True)


ALLOWED = {"os._exit"}  # documented public API, underscore and all
# Python's own special names (a library's `__rules__` is private; `__getitem__` is Python's).
PYTHON_NAMES = {
    *(name for kind in (object, type, dict, list, int, property, types.FunctionType) for name in dir(kind)),
    *dir(types.ModuleType("m")),
    *dir(BaseException()),
    "__file__",
    "__version__",
}


def private_uses(path):
    """Private names of other code that a gdsite module uses: `x._name` (x not self or cls),
    getattr/hasattr with a private name, and private modules named in strings."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and node.attr not in PYTHON_NAMES:
            base = ast.unparse(node.value)
            if base not in ("self", "cls") and f"{base}.{node.attr}" not in ALLOWED:
                found.add(node.attr)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("getattr", "hasattr"):
            name = node.args[1] if len(node.args) > 1 else None
            if (
                isinstance(name, ast.Constant)
                and str(name.value).startswith("_")
                and name.value not in PYTHON_NAMES
            ):
                found.add(name.value)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.update(re.findall(r"^\w+\.(_[a-z]\w*)$", node.value))  # e.g. "torch._inductor"
        elif isinstance(node, ast.ImportFrom) and not (node.module or "").startswith("gdsite"):
            found.update(a.name for a in node.names if a.name.startswith("_"))
    return found


def test_gdsite_uses_no_private_name_the_list_leaves_out():
    listed = " ".join(i.name for i in INTERNALS)
    unlisted = {
        f"{path.name}: {name}"
        for path in sorted((ROOT / "gdsite").glob("*.py"))
        for name in private_uses(path)
        if not re.search(rf"\.{re.escape(name)}\b", listed)
    }
    assert unlisted == set(), "list each in gdsite/internals.py (and cap its library in pyproject.toml)"


def test_the_scan_finds_private_names(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import matplotlib\nmatplotlib._secret\ngetattr(x, '_hidden')\nself._ours\nos._exit(0)\n"
    )
    assert private_uses(sample) == {"_secret", "_hidden"}
