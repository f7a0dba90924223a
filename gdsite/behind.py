"""Under `mkdocs serve`: lessons that must run are run behind the server, not before it.

A fresh clone has no execution cache, and running every lesson takes about a
minute on two cores; `serve` would answer nothing until all had run. Instead,
the first build gives each lesson that must run a page saying so, starts the
runs in the background and lets the server start at once. As lessons finish,
it asks the server for a rebuild (the first at once, then at most every
REBUILD_EVERY seconds, and surely once the last is done), and each open page
reloads by itself. Rebuilds while such a run goes on work the same way; once
nothing runs behind, an edited lesson runs before its page is rebuilt, as in
`mkdocs build`.
"""

import dataclasses
import logging
import threading
import time

import nbformat

from gdsite.cache import write_atomic

log = logging.getLogger("mkdocs.plugins.gd-lessons")

REBUILD_EVERY = 10  # seconds between the rebuilds that show lessons as they finish
ASK_AGAIN = 3  # seconds: the last rebuild is asked for again until one has shown every lesson
ASK_AT_MOST = 20  # times


class Behind:
    """The lessons of one `serve` process that run in the background."""

    def __init__(self, cancel):
        self.cancel = cancel  # set when the server stops: the runs stop too
        self.lock = threading.Lock()  # a lesson is finished, or a build plans, one at a time
        self.pending = set()  # the lessons (sources) running now
        self.threads = []
        self.ready_file = None  # a file the server watches: writing it asks for a rebuild
        self.last_ask = -float("inf")
        self.caught_up = threading.Event()  # a build has shown every lesson finished

    def running(self):
        with self.lock:
            return bool(self.pending)

    def build(self, lessons, settings):
        """What build_lessons does, except that the lessons that must run are started in the
        background: meanwhile their pages say that they are running."""
        from gdsite.finish import finish
        from gdsite.plan import plan

        settings = dataclasses.replace(settings, lessons=lessons)
        with self.lock:
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
            thread = threading.Thread(target=self._run, args=(new, settings), name="gd-lessons-behind")
            self.threads.append(thread)
            thread.start()
        return planned

    def nothing_behind(self):
        """A build that ran its lessons itself (nothing ran behind it) showed them all."""
        self.caught_up.set()

    def watched(self, ready_file):
        """The server now watches `ready_file`: ask for the rebuild that lessons finished so far need."""
        self.ready_file = ready_file
        if self.last_ask > -float("inf"):
            self.ask()

    def ask(self):
        """Ask the server for a rebuild."""
        self.last_ask = time.monotonic()
        if self.ready_file is not None:
            self.ready_file.write_text(f"{self.last_ask}\n", encoding="utf-8")

    def stop(self, seconds=10):
        """Wait for the background runs to end (the caller has set `cancel`)."""
        for thread in self.threads:
            thread.join(timeout=seconds)

    def _run(self, items, settings):
        from gdsite.finish import finish
        from gdsite.parallel import run_lessons

        def done(item):
            with self.lock:
                finish([item], settings)
                self.pending.discard(item.lesson.source)
            if time.monotonic() - self.last_ask >= REBUILD_EVERY:
                self.ask()

        try:
            run_lessons(items, settings, done=done)
        except KeyboardInterrupt:  # the server is stopping (parallel.py said what it stopped)
            return
        except Exception:  # noqa: BLE001 - the thread's end is the only place to say it
            log.exception("gd-lessons: running lessons behind the server failed")
        finally:
            with self.lock:
                self.pending.difference_update(item.lesson.source for item in items)
        for item in items:
            if item.failure and not self.cancel.is_set():
                log.error("%s", item.failure)  # the rebuild shows it on the lesson's page too
        for _ in range(ASK_AT_MOST):  # a build that fails (a broken page) would fail each time
            if self.cancel.is_set() or self.caught_up.is_set():
                break
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
