"""gdsite.page: nbconvert's page slimmed to the cells, solutions folded away."""

import nbformat
import pytest
from bs4 import BeautifulSoup
from mkdocs_jupyter.nbconvert2 import nb2html

from gdsite.page import slim_notebook_html


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """A small executed notebook rendered by mkdocs-jupyter, then slimmed."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nSome prose with `code`."),
        nbformat.v4.new_code_cell("x = 1 + 2\nx", execution_count=1),
        nbformat.v4.new_markdown_cell("**Exercise 1.** Add one."),
        nbformat.v4.new_code_cell("assert x + 1 == 4", execution_count=2, metadata={"tags": ["solution"]}),
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
    assert len(soup.select(".jp-CodeCell")) == 2  # Markdown cells become plain prose
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
