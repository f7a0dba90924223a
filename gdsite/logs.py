"""Warnings that must be said on every build, not only on the one that first found them.

A lesson page is placed (links checked) and rendered (alt text checked) once, then
comes from a cache; a render may also run in a worker process, whose log MkDocs
never sees. A warning found there is collected with the result, cached with it,
and said again, in the build's own process, every time the result is used: so a
strict build fails on it every time, not only the first.
"""

import contextlib
import logging
import threading

log = logging.getLogger("mkdocs.plugins.gd-lessons")


class _Collect(logging.Filter):
    """Takes this thread's warnings out of the log, into `messages`."""

    def __init__(self, messages):
        super().__init__()
        self.messages, self.thread = messages, threading.get_ident()

    def filter(self, record):
        if record.levelno >= logging.WARNING and record.thread == self.thread:
            self.messages.append(record.getMessage())
            return False
        return True


@contextlib.contextmanager
def collected():
    """The gd-lessons warnings logged in this thread inside the block, as a list (not logged)."""
    messages = []
    collect = _Collect(messages)
    log.addFilter(collect)
    try:
        yield messages
    finally:
        log.removeFilter(collect)


def say(messages):
    """Log each collected warning now, in this process: strict mode counts them."""
    for message in messages:
        log.warning("%s", message)


def count_even_when_quiet():
    """`mkdocs build -q` raises the `mkdocs` logger to ERROR, which drops warnings before
    MkDocs' strict counter sees them (MkDocs issue 4126): gd's own warnings then pass a
    strict build silently. Ours stay at WARNING, so they are shown and counted anyway."""
    parent = logging.getLogger("mkdocs").getEffectiveLevel()
    log.setLevel(min(logging.WARNING, parent))
