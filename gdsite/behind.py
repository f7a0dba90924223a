"""Under `mkdocs serve`: lessons that must run are run behind the server, not before it.

A fresh clone has no execution cache, and running every lesson takes about a
minute on two cores; `serve` would answer nothing until all had run. Instead,
the first build gives each lesson that must run a page saying so, starts the
runs in the background and lets the server start at once. The background only
executes: outputs go to the execution cache, and a lesson is finished (its
page's notebook written) by the next build, in the build's own thread. As
lessons end, it asks the server for that rebuild (the first at once, then at
most every REBUILD_EVERY seconds, and surely once the last has ended), and
each open page reloads by itself. Rebuilds while lessons run behind work the
same way; once nothing runs behind, an edited lesson runs before its page is
rebuilt, as in `mkdocs build`.
"""

import contextlib
import dataclasses
import logging
import threading
import time

import nbformat

from gdsite.cache import write_atomic

log = logging.getLogger("mkdocs.plugins.gd-lessons")

REBUILD_EVERY = 10  # seconds between the rebuilds that show lessons as they end
ASK_AGAIN = 3  # seconds: the last rebuild is asked for again until one has shown every lesson
ASK_AT_MOST = 20  # times (a build that fails, a broken page say, would fail each time)


class Behind:
    """The lessons of one `serve` process that run in the background."""

    def __init__(self, cancel):
        self.cancel = cancel  # set when the server stops: the runs stop too
        self.lock = threading.Lock()
        self.pending = set()  # the lessons (sources) running, or waiting to run, now
        self.threads = []
        self.ready_file = None  # a file the server watches: writing it asks for a rebuild
        self.last_ask = -float("inf")
        self.later = None  # a rebuild asked for at the end of the REBUILD_EVERY pause
        self.caught_up = threading.Event()  # a build has shown every lesson run so far

    def running(self):
        with self.lock:
            return bool(self.pending)

    def build(self, lessons, settings):
        """What build_lessons does, except that the lessons that must run are started in the
        background: meanwhile their pages say that they are running."""
        from gdsite.finish import finish
        from gdsite.plan import plan

        settings = dataclasses.replace(settings, lessons=lessons)
        with self.lock:  # a lesson that ends meanwhile is either planned from the cache, or pending
            planned = plan(lessons, settings)
            finish([item for item in planned if item.failure is None and not item.must_run], settings)
            misses = [item for item in planned if item.must_run]
            for item in misses:
                write_atomic(item.lesson.rendered, running_page(item.lesson.source, item.nb))
            new = [item for item in misses if item.lesson.source not in self.pending]
            self.pending.update(item.lesson.source for item in new)
            if self.pending:
                self.caught_up.clear()
            else:
                self.caught_up.set()
        if new:
            log.info("gd-lessons: %d lesson(s) will run behind the server; their pages say so", len(new))
            # Not the check for lessons writing into docs/: a reader's saves there would be
            # blamed on whichever lesson ends next. (A lesson that does write there is cached,
            # so it cannot start a rebuild loop; `mkdocs build` still fails it.)
            settings = dataclasses.replace(settings, docs_dir=None)
            thread = threading.Thread(target=self._run, args=(new, settings), name="gd-lessons-behind")
            self.threads.append(thread)
            thread.start()
        return planned

    def nothing_behind(self):
        """A build that ran its lessons itself (nothing ran behind it) showed them all."""
        self.caught_up.set()

    def watched(self, ready_file):
        """The server watches `ready_file` from now on (its watcher starts a moment later)."""
        self.ready_file = ready_file
        if self.last_ask > -float("inf"):  # lessons ended before the server started
            self._ask_later(1.0)

    def ask(self):
        """Ask the server for a rebuild."""
        self.last_ask = time.monotonic()
        if self.ready_file is not None:
            with contextlib.suppress(OSError):  # the server is gone (its folder with it)
                self.ready_file.write_text(f"{self.last_ask}\n", encoding="utf-8")

    def stop(self, seconds=10):
        """Wait for the background runs to end (the caller has set `cancel`)."""
        if self.later is not None:
            self.later.cancel()
        for thread in self.threads:
            thread.join(timeout=seconds)

    def _ask_later(self, seconds):
        if self.later is None or not self.later.is_alive():
            self.later = threading.Timer(seconds, self.ask)
            self.later.daemon = True
            self.later.start()

    def _ended(self, item):
        with self.lock:
            self.pending.discard(item.lesson.source)
        wait = self.last_ask + REBUILD_EVERY - time.monotonic()
        if wait <= 0:
            self.ask()
        else:
            self._ask_later(wait)

    def _run(self, items, settings):
        from gdsite.parallel import run_lessons

        try:
            run_lessons(items, settings, ended=self._ended)
        except KeyboardInterrupt:  # the server is stopping (parallel.py said what it stopped)
            return
        except Exception:
            log.exception("gd-lessons: running lessons behind the server failed")
        finally:
            with self.lock:
                self.pending.difference_update(item.lesson.source for item in items)
        for item in items:
            if item.failure and not self.cancel.is_set():
                log.error("%s", item.failure)  # the rebuild shows it on the lesson's page too
        for _ in range(ASK_AT_MOST):
            if self.cancel.is_set() or self.caught_up.is_set() or self.running():
                break  # stopped, shown, or another run behind will ask when it ends
            self.ask()
            self.caught_up.wait(ASK_AGAIN)


def running_page(source, nb):
    """The page of a lesson that is running behind the server: its title and a note."""
    first = nb.cells[0].source if nb is not None and nb.cells else ""
    title = next((line for line in first.splitlines() if line.startswith("# ")), f"# {source.name}")
    note = (
        f"**This lesson is running.** `serve` started before {source.name} had run, so its outputs "
        "are not known yet. This page reloads by itself when they are (on a fresh clone every "
        "lesson runs once, about a minute in all; later starts take them from the cache)."
    )
    cell = nbformat.v4.new_markdown_cell(f"{title}\n\n{note}")
    return nbformat.writes(nbformat.v4.new_notebook(cells=[cell]))
