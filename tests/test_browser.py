"""The built site in a real browser: Debian's Chromium, driven by Playwright.

Every page loads without console errors, failed requests or requests to another
host; the lesson animations decode and play; figures are labelled and follow the
light/dark scheme; axe-core finds no serious or critical accessibility problem.
When a test fails, a screenshot of its page is saved to
test-results/screenshots/<test name>.png (see browser_support.py).
"""

import contextlib
import re
import urllib.error
import urllib.request
import warnings
from io import BytesIO
from urllib.parse import urldefrag

import pytest
import torch
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import gd
from gdsite import rules

pytest.register_assert_rewrite("browser_support")  # before the import below: its asserts explain themselves
from browser_support import (  # noqa: E402
    PageWatch,
    anchors_of,
    browser_type_launch_args,  # noqa: F401  (a fixture: pytest-playwright launches Debian's Chromium)
    built_pages,
    describe_violations,
    pages_containing,
    serious_violations,
    serve,
    settle,
    source_pages,
)

pytestmark = pytest.mark.slow  # builds the site or drives a browser: see CONTRIBUTING.md

pytest_plugins = ["browser_support"]  # the screenshot-on-failure hook

PAGES = source_pages()
PAGE_IDS = [p or "home" for p in PAGES]
AXE = Axe()
# Rules whose outcome depends on the colour scheme, checked again in dark mode.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def base_url():
    """Not used (pages are opened by full URL); replaces pytest-base-url's deprecated class-based fixture."""
    return None


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL (ending in /) of the built site, served over HTTP on 127.0.0.1."""
    with serve(built_site) as url:
        yield url


@pytest.fixture
def watch(page):
    """The test's page, watched for console errors and stray requests from its first request on."""
    page.set_default_timeout(15_000)
    return PageWatch(page)


def open_page(page, site_url, path, until="networkidle"):
    """Go to a page of the site; wait until its network is idle (or only until the DOM is parsed)."""
    response = page.goto(site_url + path, wait_until=until)
    assert response is not None and response.status == 200, f"/{path}: HTTP {response and response.status}"


def check_loads_cleanly(page, watch, site_url, path):
    watch.clear()
    open_page(page, site_url, path)
    settle(page)  # also scrolled to the end: lazy content loads too
    assert page.title().strip(), f"/{path} has no title"
    assert len(page.locator("article").inner_text().strip()) > 100, f"/{path} shows (almost) no content"
    problems = watch.problems()
    assert not problems, f"/{path}:\n" + "\n".join(problems)


# Lesson cells are drawn only near the screen (content-visibility in lessons.css); axe-core reads
# colours and positions from the drawing, so every cell is drawn before it looks.
DRAW_EVERY_CELL = ".jp-Cell { content-visibility: visible !important; }"


def check_axe(page, path, options=None):
    page.add_style_tag(content=DRAW_EVERY_CELL)
    results = AXE.run(page, options=options) if options else AXE.run(page)
    found = serious_violations(results)
    assert not found, f"/{path}: axe-core found serious or critical violations:\n{describe_violations(found)}"


# --- 1. every page loads cleanly -------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_page_loads_cleanly(page, watch, site_url, path):
    """No console error, uncaught exception, failed request, HTTP error or request to another host."""
    check_loads_cleanly(page, watch, site_url, path)


def test_pages_only_found_in_the_build_load_cleanly(page, watch, site_url, built_site):
    """Pages that no Markdown file or nav entry announces (plugin-generated ones) get the same checks."""
    built = built_pages(built_site)
    missing = set(PAGES) - built
    assert not missing, f"pages expected from the sources but not built: {sorted(missing)}"
    for path in sorted(built - set(PAGES)):
        check_loads_cleanly(page, watch, site_url, path)
        check_axe(page, path)


def test_links_between_pages_lead_somewhere(page, watch, site_url):
    """Every link within the site (from any page, nav included) reaches a page, and its #fragment exists."""
    targets = {}
    for path in PAGES:
        open_page(page, site_url, path, until="domcontentloaded")  # the links are in the HTML
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            if href.startswith(site_url):  # the site itself, not e.g. a local dev-server address in the text
                targets.setdefault(href, path)
    assert len(targets) > len(PAGES), "no links found: is the navigation there?"
    broken, anchors = [], {}
    for href, source in sorted(targets.items()):
        url, fragment = urldefrag(href)
        if url not in anchors:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = response.read().decode("utf-8", "replace")
                    is_html = "html" in response.headers.get("Content-Type", "")
                    anchors[url] = anchors_of(body) if is_html else set()
            except urllib.error.HTTPError as error:
                anchors[url] = None
                broken.append(f"/{source} links to {href}: HTTP {error.code}")
                continue
        if fragment and anchors[url] is not None and fragment not in anchors[url]:
            broken.append(f"/{source} links to {href}: no element with id {fragment!r} there")
    assert not broken, "\n".join(broken)


def test_search_finds_lessons_without_leaving_the_site(page, watch, site_url):
    """The search box works offline: the index and worker come from the site, and results appear."""
    open_page(page, site_url, "", until="load")
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("gradient", delay=20)  # real key presses: Material searches on keyup
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=10_000)
    assert results.count() >= 2
    assert not watch.problems(), "\n".join(watch.problems())


def _index_requests(page):
    requests = []
    page.on("request", lambda r: r.url.endswith("search/search_index.json") and requests.append(r.url))
    return requests


def test_search_index_waits_until_the_reader_reaches_for_search(page, watch, site_url):
    """A page loads without Material's 200 KB search index (overrides/partials/search-on-demand.html);
    the search shortcut fetches it, once, and results appear."""
    requests = _index_requests(page)
    open_page(page, site_url, "lessons/14-momentum/")
    page.wait_for_timeout(1_000)  # past network idle: a late request would show here
    assert requests == [], "the search index was fetched while the page loaded"
    page.keyboard.press("s")  # Material's shortcut: focuses the search box
    page.keyboard.type("momentum", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=10_000)
    links = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    assert any("lessons/14-momentum/" in link for link in links), links
    assert len(requests) == 1, requests
    assert not watch.problems(), "\n".join(watch.problems())


def test_a_page_opened_from_a_search_result_highlights_the_query(page, watch, site_url):
    """Material highlights the query (?h=) with the index's settings, so such a page fetches it at once."""
    requests = _index_requests(page)
    open_page(page, site_url, "lessons/14-momentum/?h=momentum")
    page.locator("mark[data-md-highlight]").first.wait_for(state="attached", timeout=10_000)
    assert len(requests) == 1, requests
    assert not watch.problems(), "\n".join(watch.problems())


# --- 2. the animation plays -------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_animation_videos_decode_and_play(page, watch, site_url, built_site, scheme):
    """In each scheme, the video shown for each animation has controls and a label, decodes and plays."""
    video_pages = pages_containing(built_site, PAGES, 'class="gd-animation"')
    assert video_pages, 'no page has an animation (<figure class="gd-animation">)'
    page.emulate_media(color_scheme=scheme)
    played = 0
    for path in video_pages:
        open_page(page, site_url, path, until="load")
        animations = page.locator("figure.gd-animation")
        assert animations.count() >= 1, f"/{path}: the built HTML has an animation but the browser shows none"
        for index in range(animations.count()):
            shown = animations.nth(index).locator("video.gd-video:visible")
            where = f"/{path} animation {index + 1} ({scheme})"
            assert shown.count() == 1, f"{where}: {shown.count()} videos shown (one expected)"
            assert f"gd-video--{scheme}" in shown.get_attribute("class"), f"{where}: the other scheme's video"
            shown.scroll_into_view_if_needed()
            _check_plays(page, shown.element_handle(), where)
            played += 1
    assert played >= 2
    assert not watch.problems(), "\n".join(watch.problems())


def _check_plays(page, video, where):
    assert video.evaluate("v => v.controls"), f"{where} has no controls: no playing it from the keyboard"
    label = (video.get_attribute("aria-label") or "").strip()
    assert len(label) > 20, f"{where} has no real aria-label: {label!r}"
    _wait(page, video, "v.readyState >= 1 || v.error !== null", f"{where}: no metadata")
    state = video.evaluate(VIDEO_STATE_JS)
    assert state["error"] is None, f"{where} cannot be decoded by this Chromium: {state['error']}"
    assert state["duration"] and state["duration"] > 1.5, f"{where}: duration {state['duration']}"
    assert state["width"] > 0, f"{where}: no picture (videoWidth 0)"
    start = video.evaluate("v => v.currentTime")
    failure = video.evaluate("v => { v.muted = true; return v.play().then(() => null, e => String(e)) }")
    assert failure is None, f"{where}: play() was refused: {failure}"
    first = _frame(page, video, after=start)
    second = _frame(page, video, after=first["time"] + 1.0)  # duration > 1.5 s, checked above
    video.evaluate("v => v.pause()")
    assert second["time"] > start + 1.0, f"{where}: currentTime did not advance ({start} -> {second['time']})"
    assert second["decoded"] > first["decoded"] > 0, f"{where}: no frames decoded: {first} {second}"
    assert first["distinct"] > 8, f"{where}: the decoded picture is blank: {first}"
    assert first["signature"] != second["signature"], f"{where}: the picture did not change while playing"


# Chromium's media controls cover about this many CSS pixels at the bottom of a video,
# whatever its size (measured on screenshots of Chromium 156 at 390 and 1280 px).
CONTROLS_PX = 63


@pytest.mark.parametrize("width", [390, 1280])
def test_video_controls_leave_the_axes_visible(page, site_url, built_site, width):
    """The axes of each frame (with their labels) end above the strip that the player's controls cover."""
    page.set_viewport_size({"width": width, "height": 900})
    for path in pages_containing(built_site, PAGES, 'class="gd-animation"'):
        open_page(page, site_url, path, until="load")
        for video in page.locator("video.gd-video:visible").element_handles():
            box = video.evaluate(
                """v => ({shown: v.getBoundingClientRect().height, natural: v.height,
                          axes: Number(v.dataset.axesBottom)})"""
            )
            assert box["axes"] > 0, f"/{path}: the video does not say where its axes end"
            axes_bottom = box["axes"] * box["shown"] / box["natural"]
            assert axes_bottom <= box["shown"] - CONTROLS_PX, (
                f"/{path} at {width} px: the axes end {box['shown'] - axes_bottom:.0f} px above the "
                f"bottom, under the controls ({CONTROLS_PX} px): {box}"
            )


VIDEO_STATE_JS = """v => ({readyState: v.readyState, networkState: v.networkState, paused: v.paused,
    currentTime: v.currentTime, duration: v.duration, width: v.videoWidth, src: v.currentSrc,
    error: v.error && `${v.error.code} ${v.error.message}`})"""


def _wait(page, video, condition, failure, seconds=10):
    """Wait until `condition` (JavaScript about the video `v`) holds; fail with the video's state if not."""
    try:
        page.wait_for_function(f"v => {condition}", arg=video, timeout=seconds * 1000)
        return
    except PlaywrightTimeoutError:
        pass
    pytest.fail(
        f"{failure}; waited {seconds} s for `{condition}`; the video: {video.evaluate(VIDEO_STATE_JS)}"
    )


def _frame(page, video, after):
    """Wait until the playing video is past `after` seconds; return what its current frame looks like."""
    _wait(
        page,
        video,
        f"v.currentTime > {after} && v.readyState >= 2",
        f"the video did not play past {after:.2f} s",
    )
    return video.evaluate("""v => {
        const canvas = document.createElement('canvas');
        canvas.width = v.videoWidth; canvas.height = v.videoHeight;
        const context = canvas.getContext('2d', {willReadFrequently: true});
        context.drawImage(v, 0, 0);
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set();
        let signature = 0;
        for (let i = 0; i < pixels.length; i += 4) {
            colours.add((pixels[i] >> 4) << 8 | (pixels[i + 1] >> 4) << 4 | pixels[i + 2] >> 4);
            signature = (signature * 31 + pixels[i] + 7 * pixels[i + 1] + 13 * pixels[i + 2]) % 1000000007;
        }
        const quality = v.getVideoPlaybackQuality();
        return {time: v.currentTime, distinct: colours.size, signature, decoded: quality.totalVideoFrames};
    }""")


# --- 3. figures ----------------------------------------------------------------------------------------
# A figure is a <figure class="gd-figure"> holding one drawing per colour scheme: <img> files
# marked #only-light / #only-dark, which Material's stylesheet shows or hides (or an inline
# <svg role="img">). The checks below use what the browser shows, not the markup.

FIGURE = ".gd-figure"

DRAWINGS_JS = """f => [...f.querySelectorAll(':scope > img, :scope > svg')].map(d => ({
    tag: d.localName, src: d.getAttribute('src'), role: d.getAttribute('role'),
    name: ((d.localName === 'img' ? d.getAttribute('alt') : d.getAttribute('aria-label')) || '').trim(),
    shown: getComputedStyle(d).display !== 'none', width: d.getBoundingClientRect().width,
    loaded: d.localName !== 'img' || (d.complete && d.naturalWidth > 0)}))"""

SHOWN_DRAWING_LOADED_JS = """f => [...f.querySelectorAll(':scope > img')]
    .filter(i => getComputedStyle(i).display !== 'none').every(i => i.complete && i.naturalWidth > 0)"""

# For each <img> drawing of a figure: draw it on the page's background colour, as a reader
# would see it there, and measure the contrast of its ink (pixels that differ from the
# background). The 98th percentile is the strongest ink (text, axes), ignoring edge pixels.
INK_JS = """async f => {
    const background = getComputedStyle(document.body).backgroundColor;
    const bg = background.match(/[\\d.]+/g).map(Number);
    const luminance = (r, g, b) => [r, g, b].map(v => v / 255)
        .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + [0.2126, 0.7152, 0.0722][i] * v, 0);
    const bgLuminance = luminance(bg[0], bg[1], bg[2]);
    const drawings = [];
    for (const img of f.querySelectorAll(':scope > img')) {
        const copy = new Image();
        copy.src = img.src;  // also loads the hidden drawing, which lazy loading skipped
        await copy.decode();
        const canvas = document.createElement('canvas');
        canvas.width = copy.naturalWidth; canvas.height = copy.naturalHeight;
        const context = canvas.getContext('2d', {willReadFrequently: true});
        context.fillStyle = background;
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(copy, 0, 0);
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        const ratios = [];
        for (let i = 0; i < pixels.length; i += 4) {
            const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
            if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) < 24) continue;
            const l = luminance(r, g, b);
            ratios.push((Math.max(l, bgLuminance) + 0.05) / (Math.min(l, bgLuminance) + 0.05));
        }
        ratios.sort((a, b) => a - b);
        drawings.push({src: img.getAttribute('src'), shown: getComputedStyle(img).display !== 'none',
                       ink: ratios.length / (canvas.width * canvas.height),
                       contrast: ratios.length ? ratios[Math.floor(0.98 * (ratios.length - 1))] : 1});
    }
    return {background, drawings};
}"""


def test_figures_are_labelled_and_drawn(page, watch, site_url, built_site):
    """Every figure: each drawing has a real text alternative, one is shown per scheme, and it loads."""
    figure_pages = pages_containing(built_site, PAGES, "gd-figure")
    assert figure_pages, "no page has a gd-figure"
    seen = 0
    for path in figure_pages:
        open_page(page, site_url, path, until="load")
        figures = page.locator(FIGURE)
        assert figures.count() >= 1, f"/{path}: the built HTML has figures but the browser shows none"
        for index in range(figures.count()):
            where = f"/{path} figure {index + 1}"
            figure = figures.nth(index)
            figure.scroll_into_view_if_needed()  # the drawings are lazy-loaded images
            handle = figure.element_handle()
            with contextlib.suppress(PlaywrightTimeoutError):  # if not loaded, reported below
                page.wait_for_function(SHOWN_DRAWING_LOADED_JS, arg=handle, timeout=10_000)
            drawings = handle.evaluate(DRAWINGS_JS)
            assert drawings, f"{where} holds no drawing"
            for drawing in drawings:
                assert len(drawing["name"]) > 20, (
                    f"{where}: a drawing without a real text alternative: {drawing}"
                )
                if drawing["tag"] == "svg":
                    assert drawing["role"] == "img", f"{where}: an inline SVG needs role=img: {drawing}"
            shown = [d for d in drawings if d["shown"]]
            assert len(shown) == 1, f"{where}: {len(shown)} drawings shown at once (one expected): {drawings}"
            assert shown[0]["loaded"], f"{where}: the shown drawing did not load: {shown[0]}"
            assert shown[0]["width"] >= 200, f"{where} is drawn {shown[0]['width']:.0f}px wide"
            seen += 1
    assert seen >= 4
    assert not watch.problems(), "\n".join(watch.problems())


SCHEME_JS = "() => document.body.getAttribute('data-md-color-scheme')"


def _figures_as_seen(page, scheme):
    """For each figure of the page, in `scheme`: which drawing is shown and how each reads there."""
    page.wait_for_function(f"() => document.body.getAttribute('data-md-color-scheme') === '{scheme}'")
    return [figure.evaluate(INK_JS) for figure in page.locator(FIGURE).element_handles()]


def _toggle_palette(page):
    page.locator("form[data-md-component=palette] label:visible").click()


def test_figures_follow_the_colour_scheme(page, watch, site_url, built_site):
    """Light and dark, by system setting or by the toggle: the figure shown is the one drawn for it."""
    path = pages_containing(built_site, PAGES, "gd-figure")[0]
    page.emulate_media(color_scheme="light")
    open_page(page, site_url, path, until="load")
    light = _figures_as_seen(page, "default")

    # A first visit by a reader whose system is in dark mode. Material keeps the scheme of
    # the first visit in localStorage (and writes it again now and then), so the storage is
    # emptied before the page's own scripts run; the test navigates no further after this.
    page.emulate_media(color_scheme="dark")
    page.add_init_script("localStorage.clear()")
    page.reload()
    dark = _figures_as_seen(page, "slate")

    _toggle_palette(page)  # the header's sun/moon button
    toggled_light = _figures_as_seen(page, "default")
    _toggle_palette(page)
    toggled_dark = _figures_as_seen(page, "slate")

    assert light and len(light) == len(dark)
    for number, (in_light, in_dark) in enumerate(zip(light, dark, strict=True), 1):
        where = f"/{path} figure {number}"
        shown = {}
        for name, seen in (("light", in_light), ("dark", in_dark)):
            drawings = seen["drawings"]
            visible = [d for d in drawings if d["shown"]]
            assert len(visible) == 1, f"{where}, {name} scheme: {len(visible)} drawings shown: {drawings}"
            shown[name] = visible[0]
            assert visible[0]["contrast"] >= 4.5, (
                f"{where}, {name} scheme: the shown drawing's text and lines have contrast "
                f"{visible[0]['contrast']:.2f} on the page background {seen['background']}: {visible[0]}"
            )
            for hidden in (d for d in drawings if not d["shown"]):
                assert visible[0]["contrast"] > hidden["contrast"], (
                    f"{where}, {name} scheme: the hidden drawing would read better here "
                    f"(swapped light/dark files?): shown {visible[0]}, hidden {hidden}"
                )
        assert shown["light"]["src"] != shown["dark"]["src"], f"{where}: the same drawing in both schemes"
    assert toggled_light == light and toggled_dark == dark, (
        f"/{path}: the palette toggle shows other drawings than the system setting: "
        f"{toggled_light} vs {light}, {toggled_dark} vs {dark}"
    )
    assert not watch.problems(), "\n".join(watch.problems())


# --- 4. accessibility (axe-core) ---------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_no_serious_accessibility_violations(page, watch, site_url, path):
    """axe-core, all rules, light scheme: no violation of impact serious or critical."""
    page.emulate_media(color_scheme="light")
    open_page(page, site_url, path)
    assert page.evaluate(SCHEME_JS) == "default"
    check_axe(page, path)


@pytest.mark.parametrize("path", PAGES, ids=PAGE_IDS)
def test_no_serious_colour_violations_in_dark_mode(page, watch, site_url, path):
    """axe-core's colour rules again with the dark (slate) scheme, which has its own palette."""
    page.emulate_media(color_scheme="dark")
    open_page(page, site_url, path)
    assert page.evaluate(SCHEME_JS) == "slate"
    check_axe(
        page, path, {"runOnly": {"type": "rule", "values": COLOUR_RULES}, "resultTypes": ["violations"]}
    )


# --- 5. explorers ------------------------------------------------------------------------------------

EXPLORER = "lessons/07-learning-rate/"
EXPLORER_LRS = [0.01, 0.03, 0.1, 0.3, 0.6, 0.9, 1.0, 1.1, 1.5, 2.0]  # the grid lesson 07 sweeps

STATE_JS = """r => ({
    settings: [...r.querySelectorAll('.gd-explorer-setting')].map(i => Number(i.value)),
    shown: [...r.querySelectorAll('.gd-explorer-controls output')].map(o => o.textContent),
    valuetext: r.querySelector('.gd-explorer-setting').getAttribute('aria-valuetext'),
    step: Number(r.querySelector('.gd-explorer-step').value),
    stepMax: Number(r.querySelector('.gd-explorer-step').max),
    readout: r.querySelector('.gd-explorer-readout').textContent,
    status: r.querySelector('.gd-explorer-status').textContent,
    trail: r.querySelector('.gd-path').getAttribute('points'),
    play: r.querySelector('.gd-explorer-play').textContent,
    pressed: r.querySelector('.gd-explorer-play').getAttribute('aria-pressed'),
    diverged: r.classList.contains('gd-explorer--diverged'),
    left: r.classList.contains('gd-explorer--left')})"""


def _open_explorer(page, site_url):
    """Open the lesson and scroll to the explorer: it sets itself up once it is near the screen."""
    open_page(page, site_url, EXPLORER)
    root = page.locator(".gd-explorer").first
    root.scroll_into_view_if_needed()
    page.wait_for_selector(".gd-explorer--ready")
    return root


def _state(root):
    return root.evaluate(STATE_JS)


def _readout_loss(state):
    return float(re.search(r"loss ([0-9.e+-]+)$", state["readout"])[1])


def _expected(lr):
    """The run the page should show, computed here by gd.fit (torch) from the same data."""
    x, y = gd.linear_data(100, seed=42)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        history = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=lr)
    return [gd.mse(x @ p, y).item() for p in history.params], history


def test_explorer_works_from_the_keyboard_and_shows_the_torch_runs(page, watch, site_url):
    root = _open_explorer(page, site_url)
    start = _state(root)
    lr = float(start["shown"][0])
    losses, _ = _expected(lr)
    assert start["step"] == start["stepMax"] == 100
    assert _readout_loss(start) == pytest.approx(losses[-1], rel=5e-3), start

    setting = root.locator(".gd-explorer-setting")
    setting.focus()
    page.keyboard.press("Home")  # the smallest learning rate
    slow = _state(root)
    assert slow["shown"][0] == "0.01" and slow["valuetext"] == "learning rate 0.01"
    assert _readout_loss(slow) == pytest.approx(_expected(0.01)[0][-1], rel=5e-3)
    assert slow["trail"] != start["trail"] and "learning rate 0.01" in slow["status"]

    page.keyboard.press("ArrowRight")
    assert _state(root)["shown"][0] == "0.03"

    step = root.locator(".gd-explorer-step")
    step.focus()
    page.keyboard.press("Home")
    first = _state(root)
    assert first["step"] == 0 and _readout_loss(first) == pytest.approx(_expected(0.03)[0][0], rel=5e-3)
    assert not watch.problems(), "\n".join(watch.problems())


def test_explorer_flags_divergence_and_leaving_the_chart(page, watch, site_url):
    root = _open_explorer(page, site_url)
    setting = root.locator(".gd-explorer-setting")
    setting.focus()
    page.keyboard.press("End")  # lr = 2.0: the numbers overflow
    wild = _state(root)
    _, history = _expected(2.0)
    assert history.overflowed and wild["diverged"] and "Diverged" in wild["status"]
    assert wild["stepMax"] == len(history.params) - 1 < 100, "a diverged run stops early; the step slider too"

    for _ in range(EXPLORER_LRS.index(2.0) - EXPLORER_LRS.index(1.1)):
        page.keyboard.press("ArrowLeft")  # lr = 1.1: finite, but it grows off the charts
    edge = _state(root)
    assert edge["shown"][0] == "1.1" and edge["left"] and not edge["diverged"]
    assert "Off the charts" in edge["status"] and "growing" in edge["status"]
    assert not watch.problems(), "\n".join(watch.problems())


def test_explorer_play_runs_to_the_end_and_pause_stops_it(page, watch, site_url):
    root = _open_explorer(page, site_url)
    root.locator(".gd-explorer-step").fill("0")
    play = root.locator(".gd-explorer-play")
    play.focus()
    page.keyboard.press("Enter")
    assert play.get_attribute("aria-pressed") == "true" and play.inner_text() == "Pause"
    handle = root.element_handle()
    page.wait_for_function("r => Number(r.querySelector('.gd-explorer-step').value) >= 5", arg=handle)
    page.keyboard.press("Enter")  # pause
    paused = _state(root)
    assert paused["pressed"] == "false" and paused["play"] == "Play"
    # Three ticks of the player (60 ms each) later, the step has not moved on.
    still = root.evaluate(
        "r => new Promise(done => setTimeout(() => done(r.querySelector('.gd-explorer-step').value), 200))"
    )
    assert int(still) == paused["step"]
    page.keyboard.press("Enter")  # play on to the end: the player stops by itself
    page.wait_for_function(
        "r => r.querySelector('.gd-explorer-play').getAttribute('aria-pressed') === 'false'", arg=handle
    )
    end = _state(root)
    assert end["step"] == end["stepMax"] and "step 100" in end["status"]
    assert not watch.problems(), "\n".join(watch.problems())


def test_explorer_readout_and_status_are_visible_and_announced_on_a_phone(page, site_url):
    page.set_viewport_size({"width": 390, "height": 900})
    root = _open_explorer(page, site_url)
    for selector in (".gd-explorer-status", ".gd-explorer-readout"):
        box = root.locator(selector).bounding_box()
        assert box and box["height"] > 10 and box["width"] > 200, (selector, box)
    assert root.locator(".gd-explorer-status").get_attribute("role") == "status"
    assert root.locator(".gd-explorer-status").get_attribute("aria-live") == "polite"
    smallest = root.evaluate(
        """r => Math.min(...[...r.querySelectorAll('svg')].flatMap(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map(t => Number(t.getAttribute('font-size')) * scale);
        }))"""
    )
    assert smallest >= 11, f"explorer tick labels are {smallest:.1f} px on a 390 px screen"


# --- 6. phones, dark mode, formulas and code --------------------------------------------------------------

FONT_SIZES_JS = """async img => {
    const text = await (await fetch(img.currentSrc || img.src)).text();
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    const width = svg.viewBox.baseVal.width || parseFloat(svg.getAttribute('width'));
    const sizes = [...text.matchAll(/font(?:-size)?:\\s*(?:[a-z]+\\s+)*([\\d.]+)px/g)].map(m => Number(m[1]));
    return {scale: img.getBoundingClientRect().width / width, sizes};
}"""


def test_figure_text_is_at_least_11_px_on_a_phone(page, site_url, built_site):
    page.set_viewport_size({"width": 390, "height": 844})
    checked = 0
    for path in pages_containing(built_site, PAGES, "gd-figure"):
        open_page(page, site_url, path, until="load")
        for img in page.locator(".gd-figure img:visible").element_handles():
            img.scroll_into_view_if_needed()
            page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img)
            found = img.evaluate(FONT_SIZES_JS)
            assert found["sizes"], f"/{path}: no text sizes found in {img.get_attribute('src')}"
            smallest = min(found["sizes"]) * found["scale"]
            assert smallest >= 11, f"/{path}: {img.get_attribute('src')}: {smallest:.1f} px text on a phone"
            checked += 1
    assert checked >= 8


def test_no_code_line_is_clipped_on_a_desktop(page, site_url):
    """Lesson code keeps to CODE_WIDTH characters (the build checks it): a line that long fits."""
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in PAGES:
        if not path.startswith("lessons/"):
            continue
        open_page(page, site_url, path, until="domcontentloaded")
        room = page.evaluate(
            """width => [...document.querySelectorAll('.jp-Cell pre > code')].map(c => {
                const probe = document.createElement('span');
                probe.textContent = 'm'.repeat(width);
                c.appendChild(probe);
                const style = getComputedStyle(c);
                const room = c.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                const fits = probe.getBoundingClientRect().width <= room + 1;
                probe.remove();
                return fits;
            })""",
            rules.CODE_WIDTH,
        )
        assert room and all(room), f"/{path}: a line of {rules.CODE_WIDTH} characters does not fit at 1280 px"
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('.jp-Cell pre > code, .jupyter-wrapper pre > code')]
                .filter(c => c.scrollWidth > c.clientWidth + 1)
                .map(c => c.textContent.split('\\n').reduce((a, l) => l.length > a.length ? l : a, ''))"""
        )
        assert not clipped, f"/{path}: code lines wider than the column at 1280 px: {clipped}"


def test_display_sums_are_drawn_large_with_their_limits_clear(page, site_url):
    open_page(page, site_url, "lessons/04-autograd/", until="load")
    page.evaluate("() => document.fonts.ready")
    page.locator("math[display=block]").first.scroll_into_view_if_needed()
    page.wait_for_function("() => document.fonts.check('16px \"Latin Modern Math\"')")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('math[display=block] munderover')].map(m => {
            const [base, under, over] = [...m.children].map(c => c.getBoundingClientRect());
            const text = parseFloat(getComputedStyle(m).fontSize);
            return {base: base.height, text,
                    underGap: under.top - base.bottom, overGap: base.top - over.bottom};
        })"""
    )
    assert boxes, "no display sum (munderover) on the autograd lesson"
    for box in boxes:
        assert box["base"] >= 1.3 * box["text"], f"the sum sign is drawn at text size: {box}"
        assert box["underGap"] >= -0.5 and box["overGap"] >= -0.5, f"a limit overlaps the sum sign: {box}"


def test_a_formula_wider_than_a_phone_scrolls_and_shows_that_it_does(page, site_url):
    """On a 390 px phone a wide display formula (lesson 10's "Why a flat line") is not clipped in
    silence: its box scrolls from its first symbol to its last, by keyboard too, and a shadow
    stands at each edge beyond which more of it lies."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, site_url, "lessons/10-when-the-loop-goes-wrong/", until="load")
    page.evaluate("() => document.fonts.ready")
    boxes = page.locator(".gd-math")
    wide = [boxes.nth(i) for i in range(boxes.count()) if boxes.nth(i).evaluate(WIDER_THAN_ITS_BOX)]
    assert wide, "no display formula is wider than a phone's column on lesson 10 (pick another page)"
    for box in wide:
        box.scroll_into_view_if_needed()
        assert box.evaluate(
            "b => b.firstElementChild.getBoundingClientRect().left >= b.getBoundingClientRect().left - 1"
        )
        start = _edges(box)
        assert start["right"] < start["page"] - 8 and abs(start["left"] - start["page"]) <= 2, start
        box.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle())  # scrolls smoothly
        box.evaluate("b => { b.style.scrollBehavior = 'auto'; b.scrollLeft = b.scrollWidth; }")
        assert box.evaluate(
            "b => b.lastElementChild.getBoundingClientRect().right <= b.getBoundingClientRect().right + 1"
        )
        end = _edges(box)
        assert end["left"] < end["page"] - 8 and abs(end["right"] - end["page"]) <= 2, end


WIDER_THAN_ITS_BOX = "b => b.scrollWidth > b.clientWidth + 1"


def _edges(box):
    """Brightness of a formula's box with the formula itself hidden: at its left and right edges and
    in its middle (the page's own colour)."""
    box.evaluate("b => { b.firstElementChild.style.visibility = 'hidden'; }")
    image = Image.open(BytesIO(box.screenshot())).convert("L")
    box.evaluate("b => { b.firstElementChild.style.visibility = ''; }")
    width, y = image.width, image.height // 2
    return {
        "left": image.getpixel((1, y)),
        "right": image.getpixel((width - 2, y)),
        "page": image.getpixel((width // 2, y)),
    }


def _play_from_the_start(page, root):
    """Put the step slider at 0 and press Play; return the explorer's element handle."""
    root.locator(".gd-explorer-step").fill("0")
    root.locator(".gd-explorer-play").click()
    return root.element_handle()


def test_explorer_summary_follows_the_step_while_playing(page, watch, site_url):
    """The bold summary names the step shown at every frame, not the one Play started from."""
    root = _open_explorer(page, site_url)
    handle = _play_from_the_start(page, root)
    page.wait_for_function("r => Number(r.querySelector('.gd-explorer-step').value) >= 5", arg=handle)
    playing = root.evaluate(
        """r => ({step: Number(r.querySelector('.gd-explorer-step').value),
                  status: r.querySelector('.gd-explorer-status').textContent,
                  live: r.querySelector('.gd-explorer-status').getAttribute('aria-live'),
                  pressed: r.querySelector('.gd-explorer-play').getAttribute('aria-pressed')})"""
    )
    assert playing["pressed"] == "true", playing
    assert f"at step {playing['step']}." in playing["status"], playing
    # Announcing every frame would flood a screen reader: the region is quiet while it plays.
    assert playing["live"] == "off", playing
    root.locator(".gd-explorer-play").click()  # pause: the summary is announced again
    paused = _state(root)
    assert f"at step {paused['step']}." in paused["status"]
    assert root.locator(".gd-explorer-status").get_attribute("aria-live") == "polite"
    assert not watch.problems(), "\n".join(watch.problems())


def test_explorer_step_slider_is_not_left_behind_by_a_diverged_run(page, watch, site_url):
    """A diverged run is short; the step chosen before it is not lost by looking at it."""
    root = _open_explorer(page, site_url)
    setting = root.locator(".gd-explorer-setting")
    setting.focus()
    page.keyboard.press("End")  # lr = 2.0: diverges after a few steps
    wild = _state(root)
    assert wild["diverged"] and wild["step"] == wild["stepMax"] < 100, wild
    page.keyboard.press("Home")  # lr = 0.01: all 100 steps
    calm = _state(root)
    assert calm["stepMax"] == 100 and calm["step"] == 100, (
        f"back on a full run the step slider stayed at {calm['step']}, the diverged run's last step"
    )
    assert "step 100 of 100" in calm["readout"]

    root.locator(".gd-explorer-step").fill("3")  # a step the diverged run also has
    setting.focus()
    page.keyboard.press("End")
    assert _state(root)["step"] == 3
    page.keyboard.press("Home")
    assert _state(root)["step"] == 3
    root.locator(".gd-explorer-step").fill("50")  # past the diverged run's end: clamped there, kept
    setting.focus()
    page.keyboard.press("End")
    clamped = _state(root)
    assert clamped["step"] == clamped["stepMax"] < 50
    page.keyboard.press("Home")
    assert _state(root)["step"] == 50
    assert not watch.problems(), "\n".join(watch.problems())


# Tick labels of a chart, found by where they sit: under the frame (x) or left of it (y), and
# every other text (the axis titles), as boxes on the screen relative to the chart.
TICKS_JS = """svg => {
    const s = svg.getBoundingClientRect(), f = svg.querySelector('.gd-frame').getBoundingClientRect();
    const scale = s.width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll(':scope > text')].map(t => {
        const b = t.getBoundingClientRect();
        const turned = t.hasAttribute('transform');  // the y axis title
        return {x: b.left - s.left, y: b.top - s.top, w: b.width, h: b.height, text: t.textContent, turned};
    });
    const bottom = f.bottom - s.top, left = f.left - s.left, ticks = texts.filter(b => !b.turned);
    const x = ticks.filter(b => b.y >= bottom && b.y < bottom + 12 * scale);
    const y = ticks.filter(b => b.x + b.w <= left && b.y + b.h <= bottom + 8 * scale);
    return {chart: svg.getAttribute('class'), x, y, texts, width: s.width, height: s.height};
}"""


def _overlap(a, b):
    apart_x = a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
    apart_y = a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"]
    return not (apart_x or apart_y)


def test_explorer_axes_have_at_least_three_readable_ticks(page, watch, site_url, built_site):
    """Every axis of every explorer: three or more tick labels, inside the chart, none overlapping."""
    page.set_viewport_size({"width": 390, "height": 844})
    checked = 0
    for path in pages_containing(built_site, PAGES, "gd-explorer-data"):
        open_page(page, site_url, path)
        roots = page.locator(".gd-explorer")
        for index in range(roots.count()):
            root = roots.nth(index)
            root.scroll_into_view_if_needed()
            ready = "r => r.classList.contains('gd-explorer--ready')"
            page.wait_for_function(ready, arg=root.element_handle())
            for svg in root.locator("svg").element_handles():
                ticks = svg.evaluate(TICKS_JS)
                where = f"/{path} explorer {index + 1}, {ticks['chart']}"
                for axis in ("x", "y"):
                    labels = ticks[axis]
                    assert len(labels) >= 3, f"{where}: {axis} axis ticks {[t['text'] for t in labels]}"
                    for t in labels:
                        assert t["x"] >= 0 and t["x"] + t["w"] <= ticks["width"], f"{where}: {t} sticks out"
                        others = [o for o in ticks["texts"] if o != t and _overlap(o, t)]
                        assert not others, f"{where}: tick label {t} overlaps {others}"
                checked += 1
    assert checked >= 10
    assert not watch.problems(), "\n".join(watch.problems())


def test_explorer_controls_stay_in_view_with_each_chart_on_a_phone(page, watch, site_url):
    """On a 390 px phone, scrolled to any chart while it plays, the step slider and Play are on screen too."""
    page.set_viewport_size({"width": 390, "height": 844})
    root = _open_explorer(page, site_url)
    root.evaluate(PLOTS_TOP_JS)
    handle = _play_from_the_start(page, root)
    charts = root.locator("svg")
    assert charts.count() == 3
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.evaluate("c => c.scrollIntoView({block: 'end'})")
        page.wait_for_timeout(100)  # let the scroll settle
        seen = root.evaluate(
            """(r, i) => {
                const rect = e => {
                    const b = e.getBoundingClientRect();
                    return {top: b.top, bottom: b.bottom};
                };
                return {chart: rect(r.querySelectorAll('svg')[i]),
                        step: rect(r.querySelector('.gd-explorer-step')),
                        play: rect(r.querySelector('.gd-explorer-play')),
                        header: rect(document.querySelector('.md-header')),
                        screen: window.innerHeight};
            }""",
            index,
        )
        where = f"chart {index + 1}: {seen}"
        assert seen["header"]["bottom"] <= seen["chart"]["top"], f"the header covers the chart, {where}"
        assert seen["chart"]["bottom"] <= seen["screen"] + 1, where
        for control in ("step", "play"):
            box = seen[control]
            assert box["top"] >= seen["header"]["bottom"] - 1, f"{control} is scrolled away, {where}"
            assert box["bottom"] <= seen["chart"]["top"] + 1, f"{control} covers the chart, {where}"
    assert root.locator(".gd-explorer-play").get_attribute("aria-pressed") == "true"
    stopped = "r => r.querySelector('.gd-explorer-play').getAttribute('aria-pressed') === 'false'"
    page.wait_for_function(stopped, arg=handle)  # played to the end
    tops = root.evaluate("r => [...r.plotTops]")
    assert len(tops) == 1, f"the charts moved while the explorer played (tops of the charts: {tops})"
    assert not watch.problems(), "\n".join(watch.problems())


# Records where the charts are on the page (not the screen) at every frame the summary changes.
PLOTS_TOP_JS = """r => {
    r.plotTops = new Set();
    const plots = r.querySelector('.gd-explorer-plots');
    const note = () => r.plotTops.add(Math.round(plots.getBoundingClientRect().top + window.scrollY));
    const status = r.querySelector('.gd-explorer-status');
    new MutationObserver(note).observe(status, {childList: true, subtree: true});
}"""
