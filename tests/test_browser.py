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
from urllib.parse import urldefrag

import pytest
import torch
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

import gd

pytest.register_assert_rewrite("browser_support")  # before the import below: its asserts explain themselves
from browser_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PageWatch,
    anchors_of,
    built_pages,
    describe_violations,
    pages_containing,
    serious_violations,
    serve,
    settle,
    source_pages,
)

pytest_plugins = ["browser_support"]  # the screenshot-on-failure hook

PAGES = source_pages()
PAGE_IDS = [p or "home" for p in PAGES]
AXE = Axe()
# Rules whose outcome depends on the colour scheme, checked again in dark mode.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright launches this Chromium, never a downloaded one."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Debian's Chromium at {CHROMIUM}, and it is missing: "
            "install it with `sudo apt-get install -y chromium` (or `python scripts/dev.py test`, "
            "which does so as root)",
            pytrace=False,
        )
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


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


def check_axe(page, path, options=None):
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


# --- 2. the animation plays -------------------------------------------------------------------------


def test_animation_videos_decode_and_play(page, watch, site_url, built_site):
    """Each gd-video has native controls and a label, decodes (H.264 in Chromium) and advances when played."""
    video_pages = pages_containing(built_site, PAGES, 'class="gd-video"')
    assert video_pages, 'no page has a <video class="gd-video">: where did the animation go?'
    played = 0
    for path in video_pages:
        open_page(page, site_url, path, until="load")
        videos = page.locator("video.gd-video")
        assert videos.count() >= 1, f"/{path}: the built HTML has a gd-video but the browser shows none"
        for index in range(videos.count()):
            video = videos.nth(index).element_handle()
            where = f"/{path} video {index + 1}"
            assert video.evaluate("v => v.controls"), (
                f"{where} has no controls: it cannot be played from the keyboard"
            )
            label = (video.get_attribute("aria-label") or "").strip()
            assert len(label) > 20, f"{where} has no real aria-label: {label!r}"

            source_type = (
                video.evaluate("v => { const s = v.querySelector('source'); return s ? s.type || '' : '' }")
                or "video/mp4"
            )
            support = video.evaluate("(v, t) => v.canPlayType(t)", source_type)
            _wait(
                page,
                video,
                "v.readyState >= 1 || v.error !== null",
                f"{where}: no metadata, canPlayType({source_type!r}) = {support!r} "
                "(networkState 3 below: no <source> could be loaded and decoded by this Chromium)",
            )
            state = video.evaluate(VIDEO_STATE_JS)
            assert state["error"] is None, (
                f"{where} ({state['src']}) cannot be decoded by this Chromium: {state['error']}; "
                f"canPlayType({source_type!r}) = {support!r}"
            )
            assert state["duration"] and state["duration"] > 1.5, f"{where}: duration {state['duration']}"
            assert state["width"] > 0, f"{where}: no picture (videoWidth 0)"

            start = video.evaluate("v => v.currentTime")
            failure = video.evaluate(
                "v => { v.muted = true; return v.play().then(() => null, e => String(e)) }"
            )
            assert failure is None, f"{where}: play() was refused: {failure}"
            first = _frame(page, video, after=start)
            second = _frame(page, video, after=first["time"] + 1.0)  # duration > 1.5 s, checked above
            video.evaluate("v => v.pause()")
            assert second["time"] > start + 1.0, (
                f"{where}: currentTime did not advance ({start} -> {second['time']})"
            )
            assert second["decoded"] > first["decoded"] > 0, f"{where}: no frames decoded: {first} {second}"
            assert first["distinct"] > 8, f"{where}: the decoded picture is blank: {first}"
            assert first["signature"] != second["signature"], (
                f"{where}: the picture did not change while playing "
                f"({first['time']:.2f}s -> {second['time']:.2f}s)"
            )
            played += 1
    assert played >= 1
    assert not watch.problems(), "\n".join(watch.problems())


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


# --- learning-rate explorer ---------------------------------------------------------------------


EXPLORER = "lessons/05-gradient-descent/"


def _open_explorer(page, site_url):
    """Open the lesson and scroll to the explorer: it draws itself only once it is near the screen."""
    open_page(page, site_url, EXPLORER)
    page.locator(".gd-explorer").scroll_into_view_if_needed()
    page.wait_for_selector(".gd-explorer-fit line")


def _explorer_state(page):
    return page.evaluate(
        """() => {
          const root = document.querySelector('.gd-explorer');
          const line = root.querySelector('.gd-explorer-fit line');
          return {
            lr: root.querySelector('.gd-explorer-lr').value,
            step: root.querySelector('.gd-explorer-step').value,
            stepMax: root.querySelector('.gd-explorer-step').max,
            lrShown: root.querySelector('.gd-explorer-lr-value').textContent,
            status: root.querySelector('.gd-explorer-status').textContent,
            line: [line.getAttribute('y1'), line.getAttribute('y2')],
            label: root.querySelector('.gd-explorer-fit').getAttribute('aria-label'),
            diverged: root.classList.contains('gd-explorer--diverged'),
          };
        }"""
    )


def test_explorer_sliders_work_from_the_keyboard_and_flag_divergence(page, watch, site_url):
    _open_explorer(page, site_url)
    start = _explorer_state(page)
    assert start["lrShown"] == "0.1" and start["step"] == start["stepMax"] == "100"

    # The page's loss for lr = 0.1 after 100 steps, against torch and gd computed here.
    x, y = gd.linear_data(100, seed=42)
    final = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=0.1).params[-1]
    expected = gd.mse(x @ final, y).item()
    shown = float(re.search(r"loss ([0-9.e+-]+)\.$", start["status"])[1])
    assert shown == pytest.approx(expected, rel=2e-2), start["status"]

    lr = page.locator(".gd-explorer-lr")
    lr.focus()
    page.keyboard.press("ArrowRight")
    moved = _explorer_state(page)
    assert moved["lrShown"] == "0.3" and moved["line"] != start["line"] and moved["status"] != start["status"]

    page.keyboard.press("End")  # the largest learning rate in the grid diverges
    wild = _explorer_state(page)
    assert wild["diverged"] and "diverges" in wild["status"]
    assert int(wild["stepMax"]) < 100, "a diverged run stops early, and the step slider follows it"

    step = page.locator(".gd-explorer-step")
    step.focus()
    page.keyboard.press("Home")
    first = _explorer_state(page)
    assert first["step"] == "0" and "y = 1.000x + 1.000 after 0 steps" in first["label"]
    assert not watch.problems()


def test_explorer_play_button_steps_through_the_run(page, watch, site_url):
    _open_explorer(page, site_url)
    page.locator(".gd-explorer-step").fill("0")
    play = page.locator(".gd-explorer-play")
    play.focus()
    page.keyboard.press("Enter")
    assert play.get_attribute("aria-pressed") == "true" and play.inner_text() == "Pause"
    page.wait_for_timeout(600)
    page.keyboard.press("Enter")
    paused = int(_explorer_state(page)["step"])
    assert paused > 0 and play.get_attribute("aria-pressed") == "false"
    page.wait_for_timeout(300)
    assert int(_explorer_state(page)["step"]) == paused
