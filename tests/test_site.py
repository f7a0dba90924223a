"""The real site: strict build, every lesson rendered with its outputs, nothing fetched from elsewhere."""

import collections
import json
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import imageio_ffmpeg
import pytest
import yaml
from conftest import ROOT, nav_lessons, page_of

from gdsite.figures import SCHEMES

sys.path.insert(0, str(ROOT / "scripts"))
import page_weight  # noqa: E402  (scripts/page_weight.py: how a page is weighed, and the budget)

pytestmark = pytest.mark.slow  # builds the site or drives a browser: see CONTRIBUTING.md

LESSONS = nav_lessons()


def test_nav_lists_every_lesson_file_and_no_missing_one():
    on_disk = sorted(
        p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs" / "lessons").glob("*.py")
    )
    assert sorted(LESSONS) == on_disk
    assert len(LESSONS) >= 7


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_page_shows_executed_code(built_site, lesson):
    html = page_of(built_site, lesson)
    assert "jp-CodeCell" in html, "no code cells rendered"
    assert "jp-OutputArea-output" in html, "no outputs: was the lesson executed?"
    assert "Traceback (most recent call last)" not in html


def test_figures_have_a_light_and_a_dark_svg_with_alt_text(built_site):
    pages_with_figures = 0
    for lesson in LESSONS:
        html = page_of(built_site, lesson)
        figures = re.findall(r'<figure class="gd-figure">(.*?)</figure>', html, re.S)
        for figure in figures:
            images = re.findall(r"<img [^>]*>", figure)
            sources = [re.search(r'src="([^"]+)"', img)[1] for img in images]
            # Between either quote, as HTML allows (alt text with a " in it is written between ').
            alts = {re.search(r"""alt=(["'])(.*?)\1""", img)[2] for img in images}
            assert [src.rsplit("#", 1)[1] for src in sources] == ["only-light", "only-dark"], sources
            assert len(alts) == 1 and len(alts.pop()) > 20, f"{lesson}: figure without a real description"
            light, dark = (
                (Path(built_site) / Path(lesson).with_suffix("") / src.split("#")[0]).resolve().read_text()
                for src in sources
            )
            assert "<svg" in light and light != dark  # two drawings, in the two themes' text colours
        assert ";base64," not in html, f"{lesson}: base64 data left in the page"
        pages_with_figures += bool(figures)
    assert pages_with_figures >= 4


def test_animation_page_has_a_playable_video(built_site):
    videos = []
    for lesson in LESSONS:
        for src in re.findall(r'<video[^>]*>\s*<source src="([^"]+)"', page_of(built_site, lesson)):
            videos.append(Path(built_site) / Path(lesson).with_suffix("") / src)
    assert videos, "no lesson page carries a video"
    for video in videos:
        data = video.resolve().read_bytes()
        assert data[4:8] == b"ftyp", f"{video} is not an MP4 file"
        frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(video.resolve()))
        assert frames >= 10 and seconds > 0


class _ResourceLinks(HTMLParser):
    """Collects every URL the browser would load by itself (not links a reader clicks)."""

    LOADS = {
        "script": "src",
        "img": "src",
        "source": "src",
        "video": "src",
        "iframe": "src",
        "audio": "src",
        "embed": "src",
        "link": "href",
    }

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
            return
        url = attrs.get(self.LOADS.get(tag, ""))
        if url:
            self.urls.append(url)


def test_no_page_loads_anything_from_another_host(built_site):
    for page in Path(built_site).rglob("*.html"):
        parser = _ResourceLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        remote = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
        assert not remote, f"{page.relative_to(built_site)} loads {remote}"
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "cdnjs" not in text and "cdn.jsdelivr" not in text


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_page_with_one_schemes_media_is_within_the_weight_budget(built_site, lesson):
    page = Path(built_site) / Path(lesson).with_suffix("") / "index.html"
    html, one_scheme, _, _ = page_weight.weigh(page)
    assert one_scheme <= page_weight.BUDGET_KB * 1024, (
        f"{lesson} weighs {one_scheme / 1024:.0f} KB with one scheme's media (HTML {html / 1024:.0f} KB), "
        f"over the {page_weight.BUDGET_KB} KB budget: see scripts/page_weight.py"
    )


class _IdsAndFocus(HTMLParser):
    """Every id on a page, every <math> that was given keyboard focus, and every block that was
    put inside a <p> (a browser ends the paragraph before it, and the </p> is left over)."""

    BLOCKS = {"div", "pre", "figure", "table", "ul", "ol", "details", "blockquote", "h2", "h3"}

    def __init__(self):
        super().__init__()
        self.ids, self.focusable_math, self.in_p, self.blocks_in_p = collections.Counter(), 0, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        self.focusable_math += tag == "math" and "tabindex" in attrs
        if tag in self.BLOCKS and self.in_p:
            self.blocks_in_p.append(f"<{tag} class={attrs.get('class')!r}>")
        self.in_p += tag == "p"

    def handle_endtag(self, tag):
        if tag == "p":
            self.in_p = max(0, self.in_p - 1)


def test_ids_are_unique_and_no_formula_takes_focus_itself(built_site):
    """Rules of the HTML standard the W3C checker found broken: an id names one element, <math>
    may not have a tabindex (a scrolling formula's box takes focus instead), and a <p> holds no
    block (a formula's box is a <span>)."""
    for page in sorted(Path(built_site).rglob("*.html")):
        parser = _IdsAndFocus()
        parser.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(built_site)
        twice = [i for i, n in parser.ids.items() if n > 1]
        assert not twice, f"{where}: ids used more than once: {twice}"
        assert not parser.focusable_math, f"{where}: {parser.focusable_math} <math> with a tabindex"
        assert not parser.blocks_in_p, f"{where}: blocks inside a <p>: {parser.blocks_in_p[:5]}"


def test_math_is_mathml(built_site):
    html = "".join(page_of(built_site, lesson) for lesson in LESSONS)
    assert "<math" in html
    assert "$$" not in re.sub(r"<(pre|code)[^>]*>.*?</\1>", "", html, flags=re.S)


@pytest.mark.parametrize("lesson", LESSONS)
def test_solutions_are_collapsed_and_notebook_offered(built_site, lesson):
    html = page_of(built_site, lesson)
    details = re.findall(r'<details class="solution"><summary>Solution</summary>(.*?)</details>', html, re.S)
    assert len(details) >= 3 and all("jp-CodeCell" in d and "<code" in d for d in details)
    name = Path(lesson).with_suffix(".ipynb").name
    link = re.search(rf'<a [^>]*href="\.\./{re.escape(name)}"[^>]*>Download notebook</a>', html)
    assert link and " download" in link[0]
    notebook = json.loads((Path(built_site) / Path(lesson).with_suffix(".ipynb")).read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    install, lesson_code = code[0], code[1:]
    assert "pip" in "".join(install["source"]) and install["execution_count"] is None
    counts = [c["execution_count"] for c in lesson_code]
    assert counts == list(range(1, len(lesson_code) + 1)), "In [n] numbers are the lesson's own, 1, 2, 3, ..."
    for cell in lesson_code:  # Out [n] beside In [n]
        results = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
        assert all(o["execution_count"] == cell["execution_count"] for o in results)
    solutions = [c for c in lesson_code if "solution" in c["metadata"].get("tags", [])]
    assert len(solutions) >= 3 and all(c["metadata"]["jupyter"]["source_hidden"] for c in solutions)
    colab = re.search(r'href="https://colab\.research\.google\.com/github/([^"]+)"', html)
    assert colab and colab[1].endswith(f"/blob/gh-pages/lessons/{name}")


# Page colours of the light and dark schemes, as Chromium computes them for <body>.
BACKGROUNDS = {"only-light": (255, 255, 255), "only-dark": (30, 33, 41)}
TEXT_COLOURS = {text for _, text in SCHEMES.values()}  # figures' text, per scheme (4.5:1: browser tests)


def _luminance(rgb):
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_line_and_mark_in_a_figure_has_3_to_1_contrast_in_its_scheme(built_site):
    checked = set()
    for svg in sorted((Path(built_site) / "lessons" / "media").glob("*.svg")):
        for lesson in LESSONS:
            html = page_of(built_site, lesson)
            if svg.name in html:
                scheme = re.search(rf"{svg.name}#(only-light|only-dark)", html)[1]
                break
        else:
            continue
        text = svg.read_text()
        colours = set(re.findall(r"(?:stroke|fill): (#[0-9a-f]{6})", text)) - TEXT_COLOURS
        for colour in colours:
            rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
            ratio = _contrast(rgb, BACKGROUNDS[scheme])
            assert ratio >= 3, f"{svg.name} ({scheme}): {colour} has contrast {ratio:.2f} on the page"
        checked.add(scheme)
    assert checked == set(BACKGROUNDS)


def test_links_between_lessons_resolve_to_built_pages(built_site):
    for lesson in LESSONS:
        html = page_of(built_site, lesson)
        for href in re.findall(r'<a[^>]+href="([^"#]+)(?:#[^"]*)?"', html):
            if re.match(r"^(https?:|mailto:)", href):
                continue
            target = (Path(built_site) / Path(lesson).with_suffix("") / href).resolve()
            assert target.exists() and (target.is_file() or (target / "index.html").exists()), (lesson, href)


def test_sitemap_lists_every_lesson_at_the_deployed_address(built_site):
    """Without site_url MkDocs writes a sitemap with no pages in it (issue 12)."""
    site_url = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    tree = ET.parse(Path(built_site) / "sitemap.xml")
    locations = {el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for lesson in LESSONS:
        assert site_url + Path(lesson).with_suffix("").as_posix() + "/" in locations, lesson
    assert site_url in locations  # the home page
