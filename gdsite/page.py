"""Slim down the HTML that nbconvert produces for a lesson page.

nbconvert writes a JupyterLab page: 575 KB of inline CSS, a MathJax loader, a
mermaid loader that points at a CDN, a clipboard script, and several wrapper
divs per cell. On our site the theme already styles code and has copy buttons,
equations are MathML and figures are inline SVG, so we keep only the cells (and JSON data blocks, which the explorer reads):
each becomes a small block styled by one shared stylesheet (lessons.css).
"""

from bs4 import BeautifulSoup, Comment

_DROP = ["script:not([type='application/json'])", "style", ".zeroclipboard-container", ".clipboard-copy-txt", ".jp-Collapser",
         ".jp-InputPrompt", ".jp-OutputPrompt"]


def slim_notebook_html(html):
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for selector in _DROP:
        for node in soup.select(selector):
            node.decompose()
    for cell in soup.select(".jp-Cell"):
        cell.attrs.pop("id", None)  # "cell-id=…" ids are not valid fragment targets
    for node in soup.select("[tabindex]"):
        if "jp-OutputArea-output" not in node.get("class", []):
            del node["tabindex"]  # only scrollable outputs need keyboard focus
    for anchor in soup.select("a.anchor-link"):
        anchor["class"] = ["headerlink"]  # the theme shows these only on hover
        anchor["title"] = "Permanent link"
    for block in soup.select("div.highlight-ipynb"):
        # Hand code to the theme: `.highlight > pre > code` gets its colours and copy button.
        block["class"] = ["highlight"]
        pre = block.find("pre")
        code = soup.new_tag("code")
        code.extend(list(pre.contents))
        pre.clear()
        pre.append(code)
    for empty in soup.find_all("span", string=None):
        if not empty.contents and not empty.attrs:
            empty.decompose()
    wrapper = soup.select_one(".jupyter-wrapper")
    return str(wrapper) if wrapper else str(soup)
