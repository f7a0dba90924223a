"""gdsite.figures: SVG size trimming touches coordinates only."""

from gdsite.figures import _round_svg_numbers, describe_axes


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


def test_a_figure_wider_than_the_page_is_drawn_narrower_with_the_same_text_size():
    import re

    from matplotlib.figure import Figure

    from gdsite.figures import MAX_WIDTH, figure_to_html

    fig = Figure(figsize=(6, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="one line")
    ax.plot([0, 1], [1, 0], label="another")
    fig.legend(loc="outside right upper")  # the saved drawing is wider than the figure
    html = figure_to_html(fig)
    width = int(re.search(r'width="(\d+)"', html)[1])
    assert width <= MAX_WIDTH * 96 + 2  # CSS pixels: 96 per inch


def test_generated_alt_text_names_each_series_and_the_log_scales():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 10, 20], [4.0, 0.3, 0.0012], label="SGD")
    ax.plot([0, 10, 20], [4.0, 0.5, 0.02], label="Adam")
    ax.plot([0, 20], [0.01, 0.01], color="grey")  # no label: described without one
    ax.set(yscale="log", xlabel="step", ylabel="loss")
    plt.close(fig)
    assert describe_axes(fig) == (
        "A chart of loss against step, y on a log scale: "
        "a line labelled “SGD” from (0.00, 4.00) to (20.00, 0.0012); "
        "a line labelled “Adam” from (0.00, 4.00) to (20.00, 0.02); "
        "a line from (0.00, 0.01) to (20.00, 0.01)."
    )
