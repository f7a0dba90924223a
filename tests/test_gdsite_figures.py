"""gdsite.figures: SVG size trimming touches coordinates only."""

from gdsite.figures import _round_svg_numbers


def test_path_and_position_numbers_are_rounded():
    svg = '<path d="M 12.3456 7.89123 L 1.23456 2"/><text x="3.14159" y="2.71828">a</text>'
    out = _round_svg_numbers(svg)
    assert 'd="M 12.3 7.8 L 1.2 2"' in out and 'x="3.1"' in out and 'y="2.7"' in out


def test_scale_and_other_transforms_are_not_rounded():
    svg = '<g transform="translate(12.3456 7.891) scale(0.015625 -0.015625)"><use x="0.123456"/></g>'
    out = _round_svg_numbers(svg)
    assert "scale(0.015625 -0.015625)" in out
    assert "translate(12.3 7.8)" in out


def test_text_content_is_never_touched():
    svg = "<text>0.123456</text>"
    assert _round_svg_numbers(svg) == svg
