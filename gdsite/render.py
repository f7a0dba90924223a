"""mkdocs-jupyter's rendering of a lesson page, cached safely.

Turning a notebook into HTML (nbconvert) takes about half a second a lesson.
mkdocs-jupyter's own cache would save that, but it keys on the notebook and
its options only (not the renderer's version), crashes on a damaged entry,
writes entries in place, and at the end of every build deletes whatever that
build did not use, even under a build running at the same time. So the site
switches it off (`cache: false` in mkdocs.yml) and wraps each lesson page's
render in gd's own entry cache: atomic, checksummed, keyed on the notebook's
bytes, the options and the versions of everything that renders it.
"""

import json
import types
from importlib import metadata
from pathlib import Path

from mkdocs.structure.toc import get_toc

from gdsite.cache import digest

RENDERERS = ("mkdocs-jupyter", "nbconvert", "mistune", "pygments", "jupytext", "nbformat")


def renderer_version():
    return " ".join(f"{name} {metadata.version(name)}" for name in RENDERERS)


def cache_render(page, cache, options):
    """Make `page.render` (mkdocs-jupyter's) look its result up in `cache` first."""
    render = page.render  # bound to the page by mkdocs-jupyter's on_pre_page
    notebook = Path(page.file.abs_src_path).read_bytes()
    key = digest(renderer_version(), json.dumps(options, sort_keys=True, default=str), notebook.decode())

    def cached(page, config, files):
        found = cache.get(key)
        if found is not None:
            page.content, page.toc = found["content"], get_toc(found["toc"])
            if found["title"] is not None:
                page.title = found["title"]
            return
        title_before = page.title
        render(config, files)
        title = page.title if page.title != title_before else None
        cache.put(key, {"content": page.content, "toc": _tokens(page.toc), "title": title})

    page.render = types.MethodType(cached, page)


def _tokens(toc):
    """A table of contents as the plain tokens `get_toc` builds it from."""
    return [
        {"level": item.level, "id": item.id, "name": item.title, "children": _tokens(item.children)}
        for item in toc
    ]
