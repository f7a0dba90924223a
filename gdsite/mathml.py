"""LaTeX in a lesson's Markdown becomes MathML at build time (no MathJax, no CDN).

Which dollars are math is decided by a real Markdown parser (markdown-it with
its dollarmath plugin, pandoc's rules), so dollars in code spans, in code
blocks and after a backslash (``\\$``) stay dollars. Each formula is replaced
in the cell's source by its MathML, and nothing else in the cell changes.

A formula that would show a command's name instead of its symbol fails: an
unknown command (``\\tims``, shown as the text "\\tims") and the remains of a
known one whose backslash and first letter a string escape ate (``\\times``
written through ``"\\t"`` becomes a TAB and the letters "imes").
"""

import functools
import re

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin


class MathError(ValueError):
    """A formula that cannot be turned into MathML (`latex`: the formula)."""

    def __init__(self, message, latex):
        super().__init__(message)
        self.latex = latex


def _parser():
    md = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=False, allow_digits=False)
    # Remember where each inline formula starts and ends in its paragraph's text: the
    # plugin's rule, wrapped (the ruler's public API: its active rules, in order, and `at`).
    ruler = md.inline.ruler
    find = ruler.getRules("")[ruler.get_active_rules().index("math_inline")]

    def remember_span(state, silent):
        start = state.pos
        found = find(state, silent)
        if found and not silent:
            state.tokens[-1].meta["span"] = (start, state.pos)
        return found

    ruler.at("math_inline", remember_span)
    return md


_MD = _parser()


def render_math(markdown):
    """`markdown` with each $…$ and $$…$$ replaced by MathML; raises MathError on bad LaTeX."""
    lines = markdown.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    edits = []  # (start, end, replacement) in `markdown`
    for token in _MD.parse(markdown):
        if token.type == "math_block":
            first, last = token.map
            edits.append((starts[first], starts[last], f"\n{_mathml(token.content, 'block')}\n\n"))
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "math_inline":
                    start, end = child.meta["span"]
                    edits.append((*_in_source(token, start, end, lines, starts), _mathml(child.content)))
    for start, end, replacement in sorted(edits, reverse=True):
        markdown = markdown[:start] + replacement + markdown[end:]
    return markdown


def _mathml(latex, display="inline"):
    try:
        mathml = convert(latex.strip(), display=display)
    except Exception as error:  # latex2mathml raises a different class for every mistake
        raise MathError(
            f"cannot turn the formula ${latex.strip()}$ into MathML "
            f"({type(error).__name__}{': ' + str(error) if str(error) else ''})",
            latex,
        ) from None
    if unknown := _UNKNOWN.search(mathml):
        raise MathError(
            f"the formula ${latex.strip()}$ uses {unknown[1]}, which latex2mathml does not know", latex
        )
    if eaten := _eaten_command(mathml):
        raise MathError(
            f"the formula ${latex.strip()}$ shows the letters {eaten[1:]!r} where \\{eaten} was meant "
            "(a string escape such as \\t, \\b, \\f, \\v or \\a ate its backslash and first letter)",
            latex,
        )
    return _without_needless_rows(mathml)


# A row of one token, or the one row that fills the formula, draws as its content alone.
_LEAF_ROW = re.compile(r"<mrow>(<(mi|mn)>[^<]*</\2>)</mrow>")
_ROW_TAG = re.compile(r"<(/?)mrow>")


def _without_needless_rows(mathml):
    """`mathml` less the <mrow>s that change nothing in the drawing: a page's formulas hold a fifth
    of its elements, and the browser's work on a page grows with its element count."""
    mathml = _LEAF_ROW.sub(r"\1", mathml)
    head, _, rest = mathml.partition(">")  # the <math ...> tag
    if not (rest.startswith("<mrow>") and rest.endswith("</mrow></math>")):
        return mathml
    depth = 0
    for tag in _ROW_TAG.finditer(rest):
        depth += -1 if tag[1] else 1
        if depth == 0:  # the first row closes here: it fills the formula only if it is the last tag
            if tag.end() != len(rest) - len("</math>"):
                return mathml
            return f"{head}>{rest[len('<mrow>') : tag.start()]}</math>"
    return mathml


def _eaten_command(mathml):
    """The name of a command whose remains show as single letters in `mathml`, or None.

    The letters can run on into a neighbouring variable's ($2v \\times$ leaves "vimes"),
    so every stretch of three letters or more is tried. (Two letters would also
    find \\vec's "ec", but then a subscript $x_{ij}$ reads as \\bij.)
    """
    for run in _LETTERS.finditer(mathml):
        letters = "".join(_LETTER.findall(run[0]))
        for start in range(len(letters) - 2):
            for end in range(start + 3, len(letters) + 1):
                for first in _ESCAPES:
                    if _known(first + letters[start:end]):
                        return first + letters[start:end]
    return None


_UNKNOWN = re.compile(r">(\\[A-Za-z]+)<")  # latex2mathml writes an unknown command out as text
_LETTERS = re.compile(r"(?:<mi>[A-Za-z]</mi>){3,}")  # three or more single letters in a row
_LETTER = re.compile(r"<mi>([A-Za-z])</mi>")
_ESCAPES = "tbfva"  # the string escapes that leave a control character and the command's rest


@functools.cache
def _known(name):
    """Whether latex2mathml draws \\name (with up to two arguments) rather than writing its name out."""
    for arguments in ("", "{x}", "{x}{y}"):
        try:
            return _UNKNOWN.search(convert(f"\\{name}{arguments}")) is None
        except Exception:  # e.g. \\frac without its arguments
            continue
    return False


def _in_source(token, start, end, lines, starts):
    """Map offsets in an inline token's text to offsets in the cell's source.

    The parser builds a paragraph's text from its source lines with a prefix
    (indentation, a list marker, "> ") removed from each, so each text line is
    the end of its source line.
    """
    text_lines = token.content.split("\n")

    def locate(offset):
        row = token.content.count("\n", 0, offset)
        column = offset - (token.content.rfind("\n", 0, offset) + 1)
        source = lines[token.map[0] + row].rstrip("\r\n")
        prefix = len(source.rstrip()) - len(text_lines[row].rstrip())
        return starts[token.map[0] + row] + prefix + column

    return locate(start), locate(end)
