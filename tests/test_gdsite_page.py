"""gdsite.page: nbconvert's page slimmed to the cells, solutions folded away."""

import re
from pathlib import Path

import material
import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from mkdocs.structure.files import File, Files
from mkdocs_jupyter.nbconvert2 import nb2html

from gdsite import page as page_module
from gdsite.page import place, slim, slim_notebook_html

CODE = 'values = [f"{v:.2f}" for v in (a[0], b[-1])]\nprint(values, len(values) ** 2)'


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A small executed notebook rendered by mkdocs-jupyter, then slimmed."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            "# Title\n\nSome prose with `code`, a [link](02-next.md#part) and [another](../reference.md)."
        ),
        nbformat.v4.new_code_cell("x = 1 + 2\nx", execution_count=1),
        nbformat.v4.new_markdown_cell("**Exercise 1.** Add one."),
        nbformat.v4.new_code_cell("assert x + 1 == 4", execution_count=2, metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell(
            'A wide formula:\n\n<math display="block"><mi>x</mi><mo>=</mo><mn>1</mn></math>'
        ),
        nbformat.v4.new_code_cell(CODE, execution_count=3),
    ]
    nb.cells[1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "3"}, execution_count=1)]
    path = tmp_path_factory.mktemp("nb") / "lesson.ipynb"
    path.write_text(nbformat.writes(nb))
    html = nb2html(str(path), custom_mathjax_url="")
    return html, slim_notebook_html(html, after_title='<nav class="links">links</nav>')


def test_only_the_cells_remain(rendered):
    before, after = rendered
    assert "<style" in before and "<style" not in after
    assert "<script" not in after
    assert len(after) < len(before) / 5
    soup = BeautifulSoup(after, "html.parser")
    assert len(soup.select(".jp-CodeCell")) == 3  # Markdown cells become plain prose
    assert "Some prose with" in soup.get_text() and soup.find("h1").get_text().startswith("Title")


def test_code_is_handed_to_the_theme(rendered):
    soup = BeautifulSoup(rendered[1], "html.parser")
    code = soup.select_one(".jp-CodeCell .highlight > pre > code")
    assert code is not None and "x = 1 + 2" in code.get_text()


def test_solution_cells_are_folded_into_details(rendered):
    soup = BeautifulSoup(rendered[1], "html.parser")
    [details] = soup.select("details.solution")
    assert details.summary.get_text() == "Solution"
    assert "assert x + 1 == 4" in details.get_text()
    assert not details.has_attr("open")
    assert soup.select(".jp-CodeCell")[0].find_parent("details") is None


def test_links_go_right_after_the_title(rendered):
    soup = BeautifulSoup(rendered[1], "html.parser")
    assert soup.find("h1").find_next_sibling().get("class") == ["links"]


def test_the_page_cache_key_changes_with_the_html_parsers_version(monkeypatch):
    from gdsite import page

    before = page.slimmer_version()
    real = page.metadata.version
    monkeypatch.setattr(
        page.metadata, "version", lambda name: "0.0-other" if name == "beautifulsoup4" else real(name)
    )
    assert page.slimmer_version() != before


def test_a_slimmed_page_reads_back_unchanged(rendered):
    """`place` edits the slimmed text directly; that is only safe if parsing it again changes nothing."""
    slimmed = slim(rendered[0])
    assert str(BeautifulSoup(slimmed, "html.parser")) == slimmed


def site_files(tmp_path, *paths):
    for path in paths:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    site = str(tmp_path / "site")
    return Files([File(path, str(tmp_path), site, use_directory_urls=True) for path in paths])


def page_of_file(files, path):
    """What `place` reads of a MkDocs page: its file."""
    return type("Page", (), {"file": files.get_file_from_path(path)})()


def test_links_to_site_files_become_their_urls_and_others_stay(rendered, tmp_path):
    files = site_files(tmp_path, "lessons/01-first.md", "lessons/02-next.md", "reference.md")
    page = page_of_file(files, "lessons/01-first.md")
    placed = BeautifulSoup(place(slim(rendered[0]), page, files), "html.parser")
    hrefs = [a["href"] for a in placed.select("a[href]")]
    assert "../02-next/#part" in hrefs and "../../reference/" in hrefs
    assert "02-next.md#part" not in hrefs
    assert "#title" in [h.lower() for h in hrefs]  # the heading's own anchor is left alone


def test_a_link_to_nothing_is_a_warning_naming_lesson_and_link(rendered, tmp_path, caplog):
    files = site_files(tmp_path, "lessons/01-first.md")
    page = page_of_file(files, "lessons/01-first.md")
    place(slim(rendered[0]), page, files)
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("lessons/01-first.md" in w and "02-next.md#part" in w for w in warnings), warnings


def test_code_keeps_its_text_in_fewer_token_elements(rendered):
    """Names and spaces lose their <span>, neighbouring operators and punctuation share one."""
    before = BeautifulSoup(rendered[0], "html.parser").select(".highlight-ipynb pre")[-1]
    after = BeautifulSoup(rendered[1], "html.parser").select(".highlight > pre > code")[-1]
    assert after.get_text() == before.get_text() == CODE + "\n"
    tokens = [(" ".join(t["class"]), t.get_text()) for t in after.find_all("span")]
    assert not [t for t in tokens if t[0] in ("n", "w")], tokens
    assert ("p", "])]") in tokens and ("p", ") **") in tokens  # a run, spaces included
    assert ("si", ':.2f}"') in tokens  # an f-string's format and its closing quote: one green
    assert len(tokens) <= len(before.find_all("span")) * 0.6


def _custom_properties(css, selector):
    """{--name: value} set in the rule blocks of `css` whose selector list includes `selector`."""
    found = {}
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if selector in [s.strip() for s in selectors.split(",")]:
            found.update(re.findall(r"(--[\w-]+)\s*:\s*([^;]+)", body))
    return found


def _token_colours():
    """{scheme: {token class: colour}} as Material 9.8.2's CSS and lessons.css draw code tokens."""
    assets = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    main = next(assets.glob("main.*.min.css")).read_text()
    palette = next(assets.glob("palette.*.min.css")).read_text()
    ours = (ROOT / "docs" / "stylesheets" / "lessons.css").read_text()
    rules = {}
    for selectors, colour in re.findall(r"([^{}]+)\{color:(var\(--md-code-hl-[\w-]+\))\}", main):
        for selector in selectors.split(","):
            if m := re.fullmatch(r"\.highlight \.(\w+)", selector.strip()):
                rules[m[1]] = colour
    schemes = {
        "light": {**_custom_properties(main, ":root"), **_custom_properties(ours, ":root")},
        "dark": {
            **_custom_properties(main, ":root"),
            **_custom_properties(palette, "[data-md-color-scheme=slate]"),
            **_custom_properties(ours, '[data-md-color-scheme="slate"]'),
        },
    }

    def resolve(value, props):
        while m := re.fullmatch(r"var\((--[\w-]+)\)", value.strip()):
            value = props[m[1]]
        return value.strip()

    plain = "var(--md-code-fg-color)"  # the colour of all code (`.md-typeset code`)
    return {
        scheme: {token: resolve(rules.get(token, plain), props) for token in rules.keys() | {"n", "w"}}
        | {"": resolve(plain, props)}
        for scheme, props in schemes.items()
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tokens_merged_or_unwrapped_are_drawn_alike_by_the_theme(scheme):
    colours = _token_colours()[scheme]
    for token in page_module._PLAIN_TOKENS:
        assert colours[token] == colours[""], f"{token} is drawn {colours[token]}, code {colours['']}"
    for group in page_module._ALIKE_TOKENS:
        drawn = {token: colours.get(token, colours[""]) for token in group}
        assert len(set(drawn.values())) == 1, f"tokens merged into one <span> are drawn apart: {drawn}"


def test_a_display_formula_scrolls_in_a_focusable_box(rendered):
    soup = BeautifulSoup(rendered[1], "html.parser")
    [formula] = soup.select("math[display=block]")
    assert not formula.has_attr("tabindex")  # not allowed on <math>
    assert formula.parent.name == "span" and formula.parent["class"] == ["gd-math"]  # valid in a <p>
    assert formula.parent["tabindex"] == "0"
