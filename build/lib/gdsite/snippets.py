"""Real code in a lesson's prose: ``--8<-- "gd/descent.py:loop"`` on a line of its own.

The line becomes a code block holding that section of the file (the syntax of
pymdownx.snippets, which does the same on the Markdown pages), so a lesson never
shows a pasted copy of gd's code. Sections are marked in the file with
``# --8<-- [start:name]`` and ``# --8<-- [end:name]``.
"""

import re
import textwrap
from pathlib import Path

_SNIPPET = re.compile(r'^--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"[ \t]*$', re.M)


class SnippetError(ValueError):
    """A snippet line names a file or section that does not exist."""


def include_snippets(markdown, root):
    """Replace each snippet line with a code block holding that part of the file."""

    def expand(match):
        path = Path(root) / match["path"]
        if not path.is_file():
            raise SnippetError(f'snippet file "{match["path"]}" does not exist (looked in {root})')
        lines = path.read_text(encoding="utf-8").splitlines()
        if match["section"]:
            lines = _section(lines, match["section"], match["path"])
        body = textwrap.dedent("\n".join(line for line in lines if "--8<--" not in line)).strip("\n")
        return f"`{match['path']}`\n\n```python\n{body}\n```"

    return _SNIPPET.sub(expand, markdown)


def _section(lines, name, path):
    marks = [
        i
        for i, line in enumerate(lines)
        if f"--8<-- [start:{name}]" in line or f"--8<-- [end:{name}]" in line
    ]
    if len(marks) != 2:
        raise SnippetError(
            f'snippet section "{name}" is not marked once in {path} '
            f'(expected lines "# --8<-- [start:{name}]" and "# --8<-- [end:{name}]")'
        )
    return lines[marks[0] + 1 : marks[1]]
