"""LaTeX in a lesson's Markdown becomes MathML at build time (no MathJax, no CDN).

Which dollars are math is decided by a real Markdown parser (markdown-it with
its dollarmath plugin, pandoc's rules), so dollars in code spans, in code
blocks and after a backslash (``\\$``) stay dollars. Each formula is replaced
in the cell's source by its MathML, and nothing else in the cell changes.
"""

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin


class MathError(ValueError):
    """A formula that cannot be turned into MathML."""


def _parser():
    md = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=False, allow_digits=False)
    # Remember where each inline formula starts and ends in its paragraph's text.
    rule = md.inline.ruler.__rules__[md.inline.ruler.__find__("math_inline")]
    find = rule.fn

    def remember_span(state, silent):
        start = state.pos
        found = find(state, silent)
        if found and not silent:
            state.tokens[-1].meta["span"] = (start, state.pos)
        return found

    rule.fn = remember_span
    md.inline.ruler.__compile__()
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
        return convert(latex.strip(), display=display)
    except Exception as error:  # latex2mathml raises a different class for every mistake
        raise MathError(
            f"cannot turn the formula ${latex.strip()}$ into MathML "
            f"({type(error).__name__}{': ' + str(error) if str(error) else ''})"
        ) from None


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
