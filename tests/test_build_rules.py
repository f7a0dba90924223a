"""The build checks the lesson rules (gdsite/rules.py) and says what breaks them, where the
contributor is looking: a strict build fails with the rule's message; under `serve` the
message is in the terminal and on the page in the browser, and goes when the lesson is fixed.
A lesson whose cell raises does not leave the preview hanging: its page says why."""

import subprocess
import time

import pytest
from browser_support import browser_type_launch_args  # noqa: F401  (a fixture: Debian's Chromium)
from conftest import ENV, MKDOCS, mkdocs_build
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from scratch import make_project
from test_serve import free_port, page_text, stop_with_ctrl_c, wait_until_page_has

pytestmark = pytest.mark.slow  # builds sites and starts a server: see CONTRIBUTING.md

LESSON = """\
# %% [markdown]
# # Rules
#
# A short lesson.

# %%
x = {value}
print("x is", x)

# %% [markdown]
# ## Summary
#
# That was it.
#
# ## Exercises
#
# **Exercise 1 (predict, then run).** What is `x + 1`?

# %% tags=["solution"]
{solution}

# %% [markdown]
# **Exercise 2 (break it and explain).** Set `x` to a string.

# %% tags=["solution"]
assert str(x) == "{value}"

# %% [markdown]
# **Exercise 3 (explore).** Double it.

# %% tags=["solution"]
assert 2 * x == x + x
"""
GOOD = LESSON.format(value=3, solution="assert x + 1 == 4")
NO_ASSERT = LESSON.format(value=3, solution="print(x + 1)")
RULE_MESSAGE = "docs/lessons/rules.py, line 20, cell 4 ('print(x + 1)'): a solution that checks nothing"
RAISES = LESSON.format(value="1 / 0", solution="assert x + 1 == 4")


def test_a_strict_build_fails_on_a_broken_rule_and_says_which(tmp_path):
    project = make_project(tmp_path / "p", {"rules": NO_ASSERT}, rules=True)
    done = mkdocs_build(project, tmp_path / "site", quiet=False)
    assert done.returncode != 0
    assert RULE_MESSAGE in done.stderr, done.stderr[-2000:]
    assert "Aborted with 1 warnings in strict mode" in done.stdout + done.stderr

    (project / "docs" / "lessons" / "rules.py").write_text(GOOD)
    done = mkdocs_build(project, tmp_path / "site", quiet=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "checks nothing" not in done.stderr


def banner(browser, url):
    """The text of the build-status box on the page at `url`, as Chromium shows it ('' if none;
    None if the page did not load: serve holds requests while it rebuilds, for as long as a
    lesson runs, which on a busy machine can be longer than Playwright's 30 s)."""
    page = browser.new_page()
    try:
        page.goto(url, wait_until="load")  # serve keeps a connection open: never "networkidle"
        page.wait_for_selector("html[data-gd-serve-status]", state="attached")
        box = page.locator(".gd-serve-status")
        return box.inner_text() if box.count() else ""
    except PlaywrightTimeoutError:
        return None
    finally:
        page.close()


def wait_for_banner(browser, url, wanted, seconds=300):
    deadline = time.monotonic() + seconds
    while True:
        shown = banner(browser, url)
        if shown is not None and ((wanted in shown) if wanted else not shown):
            return shown
        assert time.monotonic() < deadline, f"{url}: the box shows {shown!r}, waited for {wanted!r}"
        time.sleep(0.5)


def test_serve_shows_what_breaks_in_the_terminal_and_the_browser_until_fixed(tmp_path, browser):
    # pytest-playwright's browser: a second sync_playwright() in the session (after the browser
    # tests) would fail, as Playwright's sync API cannot be started twice in one thread.
    project = make_project(tmp_path / "p", {"rules": NO_ASSERT}, rules=True)
    lesson = project / "docs" / "lessons" / "rules.py"
    port = free_port()
    terminal = tmp_path / "terminal.txt"
    with terminal.open("w") as out:
        serve = subprocess.Popen(
            [*MKDOCS, "serve", "--dirty", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
            cwd=project,
            env={**ENV, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    home, page = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/lessons/rules/"
    try:
        wait_until_page_has(page, "x is", seconds=180)
        # A broken rule: the page is built, and every page says what to fix.
        assert RULE_MESSAGE in terminal.read_text()
        for url in (page, home):
            assert RULE_MESSAGE in wait_for_banner(browser, url, RULE_MESSAGE)

        lesson.write_text(GOOD)  # fixed: the box goes
        wait_for_banner(browser, page, "")

        lesson.write_text(RAISES)  # a cell raises: its page says where and why, nothing hangs
        wait_until_page_has(page, "could not be built", seconds=300)
        assert "ZeroDivisionError" in page_text(page)
        shown = wait_for_banner(browser, home, "ZeroDivisionError")
        assert "docs/lessons/rules.py failed" in shown and "Cell In[1], line 1" in shown, shown
        assert "ZeroDivisionError" in terminal.read_text()

        lesson.write_text(GOOD)  # fixed again: the page is the lesson, no box anywhere
        wait_until_page_has(page, "x is 3", seconds=300)
        for url in (page, home):
            wait_for_banner(browser, url, "")
    finally:
        stop_with_ctrl_c(serve)
