"""What `mkdocs serve` gets besides a build: quicker rebuilds for a lesson writer.

Each rebuild, MkDocs loads mkdocs.yml afresh and makes a new template environment,
so it compiles the theme's templates again (some 40, a third of a Markdown edit's
time). Compiled templates are kept in memory instead; jinja checks each one
against its source's checksum, so an edited template is still compiled anew.
"""

import logging

import jinja2


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, kept in memory for the life of the server."""

    def __init__(self):
        self.compiled = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])  # ignored if the source changed

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def notice_saves_sooner(server, seconds=0.1):
    """MkDocs looks for changed files every 0.5 s; a lesson writer waits for that too."""
    for emitter in list(getattr(server.observer, "emitters", [])):
        if hasattr(emitter, "_timeout"):
            emitter._timeout = seconds


class DirtyBuildIsFine(logging.Filter):
    """`serve --dirty` rebuilds only changed pages. MkDocs warns that links may then go
    stale, and `strict: true` turns that warning into a failed build; under the
    development server it is expected, so it is logged as information instead."""

    def filter(self, record):
        if record.levelno == logging.WARNING and "'dirty' build" in record.getMessage():
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True
