"""What `mkdocs serve` gets besides a build: quicker rebuilds for a lesson writer.

Each rebuild, MkDocs loads mkdocs.yml afresh and makes a new template environment,
so it compiles the theme's templates again (some 40, a third of a Markdown edit's
time). Compiled templates are kept in memory instead; jinja checks each one
against its source's checksum, so an edited template is still compiled anew.
"""

import json
import logging
from pathlib import Path

import jinja2
import nbformat
from mkdocs.structure.files import File


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


# Under serve, what a build found wrong is shown in the browser as well as in the terminal.
STATUS_FILE, STATUS_SCRIPT = "gd-serve-status.json", "gd-serve-status.js"


def shown_in_browser(config):
    """Set `serve` up to show build problems on every page (the script reads STATUS_FILE).

    MkDocs' `serve` holds every request while a rebuild that failed is not followed by one
    that succeeds ("the server will appear stuck until build errors are resolved"). So a
    broken lesson does not fail the rebuild under serve: its page says why it could not be
    built, and every page shows the messages at its top until a build is clean. For the
    same reason gd-lessons' warnings do not count towards `strict` under serve (MkDocs
    counts warnings through the `mkdocs` logger: ours are written without passing it on).
    """
    config.extra_javascript.append(STATUS_SCRIPT)
    own = logging.getLogger("mkdocs.plugins.gd-lessons")
    own.handlers = [h for h in logging.getLogger("mkdocs").handlers if type(h) is logging.StreamHandler]
    own.propagate = False


def show_in_browser(files, config, problems, failures):
    """Say the build's problems and failures in the terminal and add them for the pages' script."""
    log = logging.getLogger("mkdocs.plugins.gd-lessons")
    for message in failures:
        log.error("%s", message)
    for message in problems:
        log.warning("%s", message)
    status = json.dumps({"failures": failures, "problems": problems}, ensure_ascii=False)
    files.append(File.generated(config, STATUS_FILE, content=status))
    script = Path(__file__).with_name("serve_status.js").read_text(encoding="utf-8")
    files.append(File.generated(config, STATUS_SCRIPT, content=script))


def failure_page(source, message):
    """The page of a lesson that could not be built, under serve: what went wrong, as the terminal says it."""
    title = f"# {Path(source).name} could not be built"
    prose = "The build stopped on this lesson. Fix it and save: this page reloads by itself.\n\n"
    text = prose + "```text\n" + message.replace("```", "'''") + "\n```"
    return nbformat.writes(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"{title}\n\n{text}")])
    )
