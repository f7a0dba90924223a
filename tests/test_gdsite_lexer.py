"""gdsite.lexer: the seed's `x@a` is highlighted as matrix multiplication, a decorator still as one."""

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name

from gdsite.lexer import LESSON_LEXER


def tokens(source):
    return highlight(source, get_lexer_by_name(LESSON_LEXER), HtmlFormatter(nowrap=True))


@pytest.mark.parametrize("source", ["y = x@a + noise", "(x)@a", "x[:5]@a", "a @b"])
def test_at_between_operands_is_the_operator(source):
    assert '<span class="o">@</span>' in tokens(source) and 'class="nd"' not in tokens(source)


@pytest.mark.parametrize(
    "source", ["@torch.no_grad()\ndef f():\n    pass", "class A:\n    @property\n    def b(self): ..."]
)
def test_a_decorator_is_still_a_decorator(source):
    assert 'class="nd"' in tokens(source)


def test_plain_pygments_reads_the_seeds_idiom_as_a_decorator():
    # Why this lexer exists: without it `@a` takes the decorator colour.
    plain = highlight("y = x@a", get_lexer_by_name("python"), HtmlFormatter(nowrap=True))
    assert '<span class="nd">@a</span>' in plain
