"""Slim down the HTML that nbconvert produces for a lesson page.

nbconvert writes a JupyterLab page: 575 KB of inline CSS, a MathJax loader, a
mermaid loader that points at a CDN, a clipboard script, and several wrapper
divs per cell. On our site the theme already styles code and has copy buttons,
equations are MathML and figures are inline SVG, so we keep only the cells
(and JSON data blocks, which the explorer reads): each becomes a small block
styled by one shared stylesheet (lessons.css).
"""

import logging
import platform
import posixpath
import re
from html import unescape
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, Tag

from gdsite.cache import digest

log = logging.getLogger("mkdocs.plugins.gd-lessons")

# What goes: scripts (but not JSON data blocks) and styles, by tag; the rest by class.
_DROP_TAGS = {"script", "style"}
_DROP_CLASSES = {
    "zeroclipboard-container",
    "clipboard-copy-txt",
    "jp-Collapser",
    "jp-InputPrompt",
    "jp-OutputPrompt",
    "celltoolbar",  # the cell's tags ("solution") printed as a label
}
# Wrappers that only JupyterLab's layout needs: their children stay, they go.
_UNWRAP_CLASSES = {
    "jp-Cell-inputWrapper",
    "jp-InputArea",
    "jp-CodeMirrorEditor",
    "CodeMirror",
    "jp-Cell-outputWrapper",
    "jp-OutputArea-child",
    "jp-MarkdownCell",
    "jp-RenderedMarkdown",
}
# Code tokens are a <span> each, two thirds of a lesson's elements, and the page's
# main-thread work (Lighthouse's blocking time) grows with the element count. The
# theme (Material 9.8.2's highlight colours, with lessons.css) draws names (`n`) in
# the colour of all code and whitespace (`w`) not at all: those tokens lose their
# <span>. Neighbouring tokens of one colour group become one <span>: operators and
# punctuation share a grey, the pieces of a string (an f-string's text and braces)
# a green. tests/test_gdsite_page.py checks these groups against the theme's CSS.
_PLAIN_TOKENS = {"n", "w"}
_ALIKE_TOKENS = ({"o", "ow", "p"}, {"s", "s1", "s2", "sb", "sc", "si", "ss"})
_TOKEN_GROUP = {token: group for group, tokens in enumerate(_ALIKE_TOKENS) for token in tokens}
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
_ASCII_SPACES = " \t\n\r\f"  # what BeautifulSoup counts as blank
SEARCH_EXCERPT = 300  # characters: a longer cell output is left out of the search index


def slimmer_version():
    """What the slimmed page depends on besides its input: this code and the HTML parser it uses."""
    return digest(
        Path(__file__).read_text(encoding="utf-8"),
        f"beautifulsoup4 {metadata.version('beautifulsoup4')} python {platform.python_version()}",
    )


def slim_notebook_html(html, page=None, files=None, after_title=""):
    """Both steps at once (`slim`, then `place`); tests and small pages use this."""
    return place(slim(html), page, files, after_title)


def slim(html):
    """The lesson's cells as plain blocks: what depends only on nbconvert's HTML.

    The expensive part (parsing some 800 KB), so the build does it once per
    rendering, in parallel with other lessons (see render.py).
    """
    # nbconvert inlines its 575 KB stylesheet: cut it before parsing, not after.
    html = _STYLE.sub("", html)
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    # One walk over the elements; each step below takes its share of this list, in
    # document order, skipping what an earlier step removed or unwrapped. (CSS selectors would
    # walk the whole page once per step: 20 walks, most of the time spent here.)
    tags = soup.find_all(True)
    gone = set()  # ids of removed elements (bs4's own `decomposed` check searches the subtree)

    def remove(tag):
        gone.update(id(t) for t in tag.find_all(True))
        gone.add(id(tag))
        tag.decompose()

    def present(*, name=None, classes=(), test=None):
        for tag in tags:
            if id(tag) in gone or tag.parent is None or (name is not None and tag.name != name):
                continue  # removed, or unwrapped, by an earlier step
            if classes and not set(classes) <= set(tag.get("class") or ()):
                continue
            if test is None or test(tag):
                yield tag

    def dropped(tag):
        if tag.name in _DROP_TAGS:
            return not (tag.name == "script" and tag.get("type") == "application/json")
        return not _DROP_CLASSES.isdisjoint(tag.get("class") or ())

    for node in list(present(test=dropped)):
        if id(node) not in gone:  # not inside one dropped before it
            remove(node)
    for node in list(present(test=lambda t: not _UNWRAP_CLASSES.isdisjoint(t.get("class") or ()))):
        node.unwrap()
    for cell in present(classes=["jp-Cell"]):
        cell.attrs.pop("id", None)  # "cell-id=…" ids are not valid fragment targets
        inner = cell.find("div", recursive=False)
        if (
            inner is not None
            and inner.get("class") == cell.get("class")
            and len(cell.find_all(recursive=False)) == 1
        ):
            inner.unwrap()  # mkdocs-jupyter nests each code cell in a copy of itself

    # nbconvert's HTMLExporter gives every output keyboard focus and every image alt
    # text; render.py skips its pass over the page, so it is done here, in ours.
    def output(tag):
        return "jp-OutputArea-output" in tag.get("class", [])

    for node in present(test=lambda t: t.has_attr("tabindex") or output(t)):
        if output(node):
            node["tabindex"] = "0"  # outputs can scroll: keyboard users can scroll them too
        else:
            del node["tabindex"]  # nothing else needs keyboard focus
    for image in present(name="img", test=lambda t: not t.has_attr("alt")):
        image["alt"] = "No description has been provided for this image"  # nbconvert's words
        log.warning("an image on the page has no alt text")
    for anchor in present(name="a", classes=["anchor-link"]):
        anchor["class"] = ["headerlink"]  # the theme shows these only on hover
        anchor["title"] = "Permanent link"
    for block in present(name="div", classes=["highlight-ipynb"]):
        block["class"] = ["highlight"]
    for token in list(present(name="span", test=_in_code_block)):
        if set(token["class"]) <= _PLAIN_TOKENS:
            token.unwrap()
    for pre in present(name="pre", test=lambda t: _is_code_block(t.parent)):
        # Hand code to the theme: `.highlight > pre > code` gets its colours and copy button.
        if pre.find("code", recursive=False) is None:
            code = soup.new_tag("code")
            code.extend(list(pre.contents))
            pre.clear()
            pre.append(code)
        _merge_alike_tokens(pre.code, remove)
    for empty in list(present(name="span")):
        if not empty.contents and not empty.attrs:
            remove(empty)
    for cell in list(present(classes=["jp-Cell", "celltag_solution"])):
        # Exercise solutions run in the build like any cell; the reader opens them on demand.
        details = soup.new_tag("details", attrs={"class": "solution"})
        summary = soup.new_tag("summary")
        summary.string = "Solution"
        cell.wrap(details)
        details.insert(0, summary)
    for output in present(classes=["jp-OutputArea-output"]):
        if len(output.get_text()) > SEARCH_EXCERPT:
            output["data-search-exclude"] = ""  # long outputs stay out of the search index
    for formula in present(name="math", test=lambda t: t.get("display") == "block"):
        # A wide formula scrolls sideways in this box (lessons.css shows that it does), and keyboard
        # users can scroll it too: the box takes focus, as <math> may not (tabindex is invalid there).
        # A <span> made a block by lessons.css: the formula sits in a <p>, where a <div> may not.
        formula.wrap(soup.new_tag("span", attrs={"class": "gd-math", "tabindex": "0"}))
    _collapse_blank_text(soup)
    wrapper = next(present(classes=["jupyter-wrapper"]), None)
    return str(wrapper) if wrapper else str(soup)


def _collapse_blank_text(soup):
    """Blank text between tags as BeautifulSoup leaves it after parsing: one newline or one
    space (outside <pre>). The steps above leave runs of it (an element removed between two
    line breaks); collapsed here, the page reads back unchanged, so `place` can edit the text."""
    soup.smooth()  # neighbouring strings become one, as a parser would read them
    for text in soup.find_all(string=True):
        if text.strip(_ASCII_SPACES) or text in ("\n", " "):
            continue
        if not any(parent.name in ("pre", "textarea") for parent in text.parents):
            text.replace_with("\n" if "\n" in text else " ")


def _merge_alike_tokens(code, remove):
    """Each run of neighbouring tokens of one colour group (`_ALIKE_TOKENS`) becomes its first
    token's <span>, whitespace between them included: the code reads and looks the same."""
    last, gap = None, []  # the run's first token; blank text since the run's last token
    for node in list(code.children):
        group = _TOKEN_GROUP.get(" ".join(node.get("class") or ())) if isinstance(node, Tag) else None
        if group is not None and last is not None and group == _TOKEN_GROUP[" ".join(last["class"])]:
            for piece in [*gap, *node.contents]:
                last.append(piece.extract())
            remove(node)
            gap = []
        elif isinstance(node, Tag):
            last, gap = (node if group is not None else None), []
        elif last is not None and not node.strip(_ASCII_SPACES):
            gap.append(node)
        else:
            last, gap = None, []


def _is_code_block(tag):
    return tag is not None and tag.name == "div" and "highlight" in (tag.get("class") or ())


def _in_code_block(span):
    """A token <span class=…> of highlighted code: inside a div.highlight."""
    return span.has_attr("class") and any(_is_code_block(parent) for parent in span.parents)


def place(html, page=None, files=None, after_title=""):
    """What depends on where the page is: links checked and resolved, `after_title` after the h1.

    Done on the text, without parsing the page again (a second or two per build):
    `slim` wrote it, so every link is an `<a ... href="...">` in one known form.
    """
    if page is not None:
        html = _HREF.sub(lambda m: m[1] + _escape(_resolved(unescape(m[2]), page, files)) + '"', html)
    title_end = html.find("</h1>")
    if after_title and title_end != -1:
        title_end += len("</h1>")
        html = html[:title_end] + str(BeautifulSoup(after_title, "html.parser")) + html[title_end:]
    return html


_HREF = re.compile(r'(<a\s(?:[^>]*?\s)?href=")([^"]*)"')


def _escape(value):
    """An attribute value as BeautifulSoup writes it."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _resolved(href, page, files):
    """A relative link in a lesson, checked and rewritten as MkDocs does for Markdown pages.

    MkDocs never sees the links inside a notebook, so a lesson could link to a
    page that does not exist and no one would notice. A link is written to the
    source file (``02-loss.py``, ``../reference.md#gd.fit``) and becomes that
    page's URL; a link to nothing is a warning, which fails a strict build.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "/")) or not parts.path:
        return href
    here = posixpath.dirname(page.file.src_uri)
    target = files.get_file_from_path(posixpath.normpath(posixpath.join(here, parts.path)))
    if target is None:
        log.warning("lesson %s links to '%s', which is not a file of the site", page.file.src_uri, href)
        return href
    return target.url_relative_to(page.file) + (f"#{parts.fragment}" if parts.fragment else "")
