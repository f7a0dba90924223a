"""Step 2, execute: run the lessons the cache did not have, in parallel, and cache them.

execute.py runs one lesson in one kernel; this module runs many, a pool of them at once.

Each lesson gets a kernel of its own, used once and then shut down. Failures
are collected and reported together; a failed lesson is never cached. Ctrl-C
(or the server shutting down) stops running lessons within about a second,
cancels queued ones, caches nothing half-done and leaves no kernel behind.
"""

import contextlib
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from gdsite.cache import ExecutionCache, write_atomic
from gdsite.execute import Interrupted, LessonError, execute_lesson
from gdsite.kernel import Kernel, close_this_threads_event_loop
from gdsite.printed import limit_text

log = logging.getLogger("mkdocs.plugins.gd-lessons")


def run_lessons(misses, settings, done=None, ended=None):
    """Run each planned lesson in `misses`; fill in its outputs, cache them, then call `done(item)`.
    A lesson that fails gets its `failure` (the others run on). `ended(item)` is called when a
    lesson's run ends, whether it succeeded or not."""
    log.info("gd-lessons: %d lesson(s) to execute", len(misses))
    durations = Durations(Path(settings.cache_dir) / "durations.json")
    if not misses:
        durations.keep_only({lesson.source.name for lesson in settings.lessons})
        durations.save()
        return
    cache = ExecutionCache(settings.cache_dir, settings.root)
    # Longest first: with two cores, a slow lesson started last would run alone at the end.
    misses = sorted(misses, key=lambda item: durations.estimate(item.lesson.source.name), reverse=True)

    sources = SourceFiles(settings.docs_dir)

    def run_one(item):
        try:
            run(item)
        finally:
            close_this_threads_event_loop()  # a pool's thread may end next: no loop left to the GC
            if ended is not None:
                ended(item)

    def run(item):
        if settings.cancel.is_set():
            raise Interrupted
        started = time.monotonic()
        stamp = failure_stamp(settings)  # gd as the lesson runs with it (it may change meanwhile)
        kernel = (
            settings.kernels.kernel() if settings.kernels else Kernel(settings.root, settings.runtime_dir)
        )
        try:
            outputs, used = execute_lesson(
                item.nb,
                kernel,
                lesson=item.lesson.source,
                root=settings.root,
                timeout=settings.timeout,
                cancelled=settings.cancel.is_set,
            )
        except LessonError as error:
            settings.failed[item.lesson.source] = item.code_key, stamp, str(error)
            raise
        finally:
            kernel.shutdown()
        if written := sources.changed():
            error = LessonError(
                f"lesson {item.lesson.source} changed the site's sources while it ran: "
                f"{', '.join(written)}. A lesson must leave {settings.docs_dir} alone (the next "
                "build would differ from this one): write into a temporary folder instead "
                "(a relative path in a lesson is its own folder, removed when it ends). "
                "Delete what it wrote, or check that it is yours."
            )
            settings.failed[item.lesson.source] = item.code_key, stamp, str(error)
            raise error
        item.outputs = [[count, limit_text(cell_outputs)] for count, cell_outputs in outputs]
        item.used = cache.put(item.code_key, used, item.outputs)
        durations.record(item.lesson.source.name, time.monotonic() - started)
        if done is not None:
            done(item)

    with ThreadPoolExecutor(max_workers=max(1, min(settings.workers, len(misses)))) as pool:
        futures = [(item, pool.submit(run_one, item)) for item in misses]
        try:
            for item, future in futures:
                try:
                    _wait_for(future)
                except LessonError as error:
                    item.failure = str(error)
        except (KeyboardInterrupt, Interrupted):
            settings.cancel.set()  # running lessons stop at their next check (within a second)
            stopped = [item.lesson.source.name for item, future in futures if not future.done()]
            for _, future in futures:
                future.cancel()
            stopped = f"stopped {', '.join(stopped)}; nothing of them" if stopped else "nothing half-done"
            log.error("gd-lessons: interrupted; %s was cached", stopped)
            raise KeyboardInterrupt from None
    durations.keep_only({lesson.source.name for lesson in settings.lessons})
    durations.save()


def _wait_for(future):
    """future.result(), waking twice a second. Python runs a Ctrl-C handler in the main
    thread only, once that thread wakes up; the signal may have reached another thread."""
    while True:
        try:
            return future.result(timeout=0.5)
        except TimeoutError:
            continue


def failure_stamp(settings):
    """What a failed lesson's failure depends on besides its code: gd, gdsite, the lock."""
    return settings.kernels.sources_stamp() if settings.kernels else None


class SourceFiles:
    """The site's source files, to notice a lesson writing among them (with an absolute path)."""

    def __init__(self, folder):
        self.folder = Path(folder) if folder else None
        self.seen = self._now()

    def _now(self):
        if self.folder is None:
            return {}
        found = {}
        for directory, _, names in os.walk(self.folder):
            for name in names:
                path = Path(directory, name)
                with contextlib.suppress(OSError):
                    stat = path.stat()
                    found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def changed(self):
        """The files added or changed since the last call, relative to the folder."""
        now = self._now()
        changed = sorted(str(p.relative_to(self.folder)) for p, s in now.items() if self.seen.get(p) != s)
        self.seen = now
        return changed


class Durations:
    """How long each lesson took to execute last time, to schedule the slowest first."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            self.seconds = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.seconds = {}  # a missing or damaged record only costs a worse order
        if not isinstance(self.seconds, dict):
            self.seconds = {}
        self.lock = threading.Lock()

    def estimate(self, name):
        return self.seconds.get(name, float("inf"))  # an unknown lesson may be slow: start it early

    def record(self, name, seconds):
        with self.lock:
            self.seconds[name] = round(seconds, 2)

    def keep_only(self, names):
        """Forget the lessons that are no longer part of the site."""
        self.seconds = {name: s for name, s in self.seconds.items() if name in names}

    def save(self):
        try:
            write_atomic(self.path, json.dumps(self.seconds, indent=1, sort_keys=True))
        except OSError as error:  # only the schedule of the next build suffers
            log.info("gd-lessons: could not record lesson durations in %s (%s)", self.path, error)
