"""gd.animate_fit: one frame per step, and a notebook can always show it."""

import imageio_ffmpeg
import matplotlib
import pytest
import torch

import gd


@pytest.fixture
def anim():
    x, y = gd.linear_data(30, seed=1)
    history = gd.fit(x, y, torch.tensor([1.0, 1.0]), steps=6)
    anim = gd.animate_fit(x, y, history)
    yield anim, history
    # An animation that never drew warns when it is deleted; a test that only
    # inspects it draws its first frame here, so no warning is left behind.
    anim._init_draw()


def test_frame_i_draws_the_line_after_i_steps(anim):
    anim, history = anim
    for i in (0, 3, 6):
        anim._func(i)
        line = anim._fig.axes[0].get_lines()[0]
        slope, intercept = history.params[i].tolist()
        assert list(line.get_ydata()) == pytest.approx([intercept - slope, intercept + slope])
        assert anim._fig.axes[0].get_title() == f"step {i}"
    assert len(list(anim.new_frame_seq())) == len(history.params)


def test_without_ffmpeg_the_notebook_gets_the_javascript_player_and_a_note(anim):
    anim, _ = anim
    settings = {"animation.html": "html5", "animation.ffmpeg_path": "/no/such/ffmpeg"}
    with matplotlib.rc_context(settings):
        html = anim._repr_html_()
    assert "ffmpeg is not installed" in html and "<video" not in html
    assert html.count("data:image/png;base64") == 7


def test_with_ffmpeg_html5_is_a_video(anim):
    anim, _ = anim
    settings = {"animation.html": "html5", "animation.ffmpeg_path": imageio_ffmpeg.get_ffmpeg_exe()}
    with matplotlib.rc_context(settings):
        html = anim._repr_html_()
    assert "<video" in html and "ffmpeg is not installed" not in html


def test_the_default_setting_shows_no_player(anim):
    anim, _ = anim
    with matplotlib.rc_context({"animation.html": "none"}):
        assert anim._repr_html_() is None  # matplotlib's choice: the notebook prints the object
