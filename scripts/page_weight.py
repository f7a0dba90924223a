"""Weigh the built site: `.venv/bin/python scripts/page_weight.py [SITE]` (default: site/).

For every page: its HTML and the media it references itself (figures and
videos; theme assets shared by all pages are left out), counted two ways: what
a reader downloads (one of the two figure drawings) and everything the page
references (both drawings). Also the search index. Prints one table, with each
lesson page checked against `BUDGET_KB` (tests/test_site.py keeps it).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A lesson page's HTML and the media of one colour scheme: a phone on a slow connection
# loads it in a few seconds. One number for this table and the test that holds it.
BUDGET_KB = 300


def own_media(page):
    """{path: fragment} of the site files a page loads from its lesson media folder."""
    html = page.read_text(encoding="utf-8")
    found = {}
    for src in re.findall(r'<(?:img|source)[^>]* src="([^"]+)"', html):
        path, _, fragment = src.partition("#")
        if "://" in path or path.startswith("data:"):
            continue
        file = (page.parent / path).resolve()
        if "/media/" in file.as_posix():
            found[file] = fragment
    return found


def weigh(page):
    """(HTML, HTML + one scheme's media, HTML + all media, [video sizes]) of a page, in bytes."""
    media = own_media(page)
    html = page.stat().st_size
    everything = html + sum(f.stat().st_size for f in media)
    one_theme = html + sum(f.stat().st_size for f, frag in media.items() if frag != "only-dark")
    videos = [f.stat().st_size for f in media if f.suffix == ".mp4"]
    return html, one_theme, everything, videos


def lesson_pages(site):
    return sorted((site / "lessons").glob("*/index.html"))


def main(site):
    lessons = lesson_pages(site)
    if not lessons:
        sys.exit(f"no lesson pages under {site}/lessons: build the site first")
    others = sorted(p for p in site.glob("*/index.html") if p.parent.name != "lessons")
    print(f"{'page':<28} {'HTML':>9} {'+media, one theme':>18} {'+media, both':>13}  videos")
    over = []
    for page in [site / "index.html", *others, *lessons]:
        html, one, both, videos = weigh(page)
        shown = ", ".join(f"{v / 1024:.0f} KB" for v in videos) or "-"
        name = page.parent.name if page.parent != site else "(home)"
        mark = ""
        if page in lessons and one > BUDGET_KB * 1024:
            mark, over = "  over budget", [*over, name]
        sizes = f"{html / 1024:>6.0f} KB {one / 1024:>15.0f} KB {both / 1024:>10.0f} KB"
        print(f"{name:<28} {sizes}  {shown}{mark}")
    index = site / "search" / "search_index.json"
    text = index.read_text(encoding="utf-8")
    has_base64 = "yes" if ";base64," in text else "no"
    print(f"search index: {index.stat().st_size / 1024:.0f} KB, base64 data in it: {has_base64}")
    verdict = f"over it: {', '.join(over)}" if over else "all within it"
    print(f"budget: {BUDGET_KB} KB per lesson page with one scheme's media; {verdict}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site")
