"""gdsite.mathml: which dollars are math is decided by a Markdown parser, not a regex."""

import pytest

from gdsite.mathml import MathError, render_math


def test_inline_and_display_math_become_mathml():
    out = render_math("The line $y = 3x + 2$ fits.\n\n$$L = \\frac{1}{n}$$\n")
    assert out.count("<math") == 2
    assert 'display="block"' in out and 'display="inline"' in out
    assert "$" not in out


@pytest.mark.parametrize(
    "markdown",
    [
        "Set `$PATH` first.",
        "It says `costs $5 or $6` here.",
        "```bash\necho $HOME $USER\n```",
        "    indented $code$ block",
        "A literal \\$ sign and another \\$ one.",
        "costs $5 or $6 in prose",  # a dollar followed by a digit does not close math
    ],
)
def test_dollars_in_code_escaped_or_in_prices_stay_dollars(markdown):
    assert render_math(markdown) == markdown


def test_math_next_to_code_spans_is_found_and_code_left_alone():
    out = render_math("Run `echo $HOME` and then $a_0$ moves.")
    assert "`echo $HOME`" in out and out.count("<math") == 1 and "a_0" not in out


def test_math_in_list_items_and_quotes_keeps_the_markers():
    out = render_math("- first $a$\n  continued $b$\n\n> quoted $c$\n")
    lines = out.splitlines()
    assert lines[0].startswith("- first <math") and lines[1].startswith("  continued <math")
    assert lines[3].startswith("> quoted <math")
    assert out.count("<math") == 3


@pytest.mark.parametrize("latex", ["\\left( x", "\\frac{1}{", "x^"])
def test_invalid_latex_names_the_formula(latex):
    with pytest.raises(MathError) as caught:
        render_math(f"Bad ${latex}$ here.")
    assert latex in str(caught.value) and "MathML" in str(caught.value)


def test_an_unknown_command_fails_instead_of_showing_its_name():
    with pytest.raises(MathError, match=r"uses \\tims, which latex2mathml does not know") as caught:
        render_math("The rate $2v \\tims 5$.")
    assert caught.value.latex == "2v \\tims 5"


@pytest.mark.parametrize(
    ("escape", "command"),
    [("\t", "\\times"), ("\b", "\\beta"), ("\f", "\\frac"), ("\v", "\\varepsilon"), ("\a", "\\alpha")],
)
def test_a_command_whose_backslash_a_string_escape_ate_fails_naming_the_command(escape, command):
    # What a tool writes when "\times" passes through a Python string: a TAB, then "imes".
    # (Right after the opening dollar the control character would end the formula: the
    # prose check, gdsite.lessons.check_prose, refuses every control character anyway.)
    latex = {"\\frac": "1 + \\frac{a}{b}"}.get(command, f"2v {command} x")
    with pytest.raises(MathError, match=rf"where \{command} was meant"):
        render_math(f"Here ${latex.replace(command[:2], escape)}$ is wrong.")


@pytest.mark.parametrize("latex", ["\\lambda_{max}", "\\eta \\lambda_{\\min}", "abc", "2v \\times 5"])
def test_letters_that_are_no_eaten_command_pass(latex):
    assert render_math(f"Fine ${latex}$ here.").count("<math") == 1


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        # The row that fills the formula, and a row of one number, go; the fraction's second
        # argument and the sum's limits keep theirs (several elements each).
        (
            "\\frac{1}{n^2} \\sum_{i,j} x",
            "<mfrac><mn>1</mn><mrow><msup><mi>n</mi><mn>2</mn></msup></mrow></mfrac>"
            "<munder><mo>&#x02211;</mo><mrow><mi>i</mi><mo>&#x0002C;</mo><mi>j</mi></mrow></munder><mi>x</mi>",
        ),
        ("{a}{b}", "<mi>a</mi><mi>b</mi>"),  # two rows side by side: neither fills the formula
        ("x", "<mi>x</mi>"),
    ],
)
def test_rows_that_change_nothing_in_the_drawing_are_left_out(latex, expected):
    mathml = render_math(f"$${latex}$$").strip()
    assert mathml.startswith("<math") and mathml.endswith("</math>")
    assert mathml.partition(">")[2].removesuffix("</math>") == expected
