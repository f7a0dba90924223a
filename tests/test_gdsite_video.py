"""gdsite.video: an animation becomes two mp4s (light and dark), drawn once per frame."""

import base64
import re

import imageio_ffmpeg
import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

import gd
from gdsite import video
from gdsite.figures import INK_RC


@pytest.fixture
def anim():
    with matplotlib.rc_context(INK_RC):  # as in the lesson kernels: text in the marker colour
        x, y = gd.linear_data(40, seed=3)
        history = gd.fit(x, y, torch.tensor([1.0, 1.0]), steps=12)
        yield gd.animate_fit(x, y, history)


def videos(html):
    return [base64.b64decode(data) for data in re.findall(r'base64,([A-Za-z0-9+/=]+)"', html)]


def first_frame(data, tmp_path):
    path = tmp_path / "v.mp4"
    path.write_bytes(data)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    width, height = meta["size"]
    return np.frombuffer(next(reader), dtype=np.uint8).reshape(height, width, 3)


def test_two_videos_one_per_scheme_with_a_band_for_the_controls(anim, tmp_path):
    html = video.animation_to_html(anim)
    assert html.count("<video") == 2 and "gd-video--light" in html and "gd-video--dark" in html
    width, height = map(int, re.search(r'width="(\d+)" height="(\d+)"', html).groups())
    axes_bottom = int(re.search(r'data-axes-bottom="(\d+)"', html)[1])
    assert axes_bottom <= height - video.CONTROLS_BAND
    light, dark = (first_frame(v, tmp_path) for v in videos(html))
    assert light.shape[:2] == (height, width)
    # The band under the axes and the corners are the page colour of each scheme (within coding noise).
    assert np.abs(light[-5, 5].astype(int) - [255, 255, 255]).max() < 8
    assert np.abs(dark[-5, 5].astype(int) - [0x1E, 0x21, 0x29]).max() < 8
    # Text drawn in the marker colour became the scheme's text colour: dark on light, light on dark.
    top = height - video.CONTROLS_BAND
    assert light[:top].min() < 80 and dark[:top].max() > 180


def test_the_same_animation_gives_the_same_bytes(anim):
    assert video.animation_to_html(anim) == video.animation_to_html(anim)


def test_frames_drawn_once_match_frames_drawn_in_full(anim):
    quick = video._draw_frames(anim)
    full = video._draw_all(anim, list(anim.new_saved_frame_seq()))
    assert len(quick) == len(full) == 13
    assert all(video._same(a, b) for a, b in zip(quick, full, strict=True))


def test_a_frame_function_that_changes_more_than_it_returns_is_drawn_in_full():
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    (line,) = ax.plot([0, 1], [0, 1])
    (dot,) = ax.plot([0.5], [0.5], "o")

    def frame(i):
        dot.set_data([i / 10], [i / 10])  # moved, but not returned
        return (line,)

    anim = FuncAnimation(fig, frame, frames=10)
    frames = video._draw_frames(anim)
    assert not video._same(frames[0], frames[-1])  # the dot's move shows


def test_showing_an_animation_leaves_its_figure_as_it_was(anim):
    fig = anim._fig

    def state():
        return fig.get_layout_engine(), fig.canvas, fig.patch.get_alpha(), fig.axes[0].patch.get_alpha()

    before = state()
    video.animation_to_html(anim)
    assert state() == before
