"""Pygments' Python lexer, with `@` between two operands read as matrix multiplication.

Pygments colours `@name` as a decorator wherever it stands, so the seed's own
idiom `x@a` showed `@a` in the decorator colour. Here an `@` right after a name,
a closing bracket or a number is the operator it is; a decorator (an `@` at the
start of its line, after indentation) is coloured as before. Lesson pages use it
through nbconvert, which finds it by name (`gd-python`, registered in pyproject).
"""

from pygments.lexer import inherit
from pygments.lexers.python import PythonLexer
from pygments.token import Operator

LESSON_LEXER = "gd-python"


class LessonLexer(PythonLexer):
    name = "Python (gd lessons)"
    aliases = [LESSON_LEXER]
    filenames = []

    # Right after an operand, or after an operand and one space (`a @b`).
    tokens = {"name": [(r"(?<=[\w)\]])@", Operator), (r"(?<=[\w)\]] )@", Operator), inherit]}
