"""Animations as two small mp4 videos, one per colour scheme (runs inside the lesson kernel).

Each frame is drawn once, on a transparent background with its text and frame
in the marker colour INK (see figures.py). From that one drawing come both
videos: INK becomes each scheme's text colour and the frame is laid on each
scheme's page colour, so the video looks like the page around it in light and
in dark mode. A band of page colour under the axes leaves room for the
browser's own video controls, which would otherwise cover the x axis.

matplotlib's own ``to_html5_video`` drew every frame three times; here each frame is
drawn once and piped raw to ffmpeg (the imageio-ffmpeg binary), one thread,
bit-exact flags: the same frames always make the same bytes.
"""

import base64
import html
import os
import tempfile

import imageio_ffmpeg
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

import gd
from gdsite.figures import INK, describe_axes

# Page and text colours of the light ("default") and dark ("slate") schemes.
SCHEMES = {"light": ("#ffffff", "#1f2328"), "dark": ("#1e2029", "#e2e4e9")}
BITEXACT = ["-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact"]
CONTROLS_BAND = 64  # pixels of page colour under the axes: room for the player's controls


def animation_to_html(anim):
    fig = anim._fig
    alt = html.escape(gd.alt_text(fig) or "Animation. " + describe_axes(fig))
    frames = _draw_frames(anim)
    height, width = frames[0].shape[:2]
    axes_bottom = max(round(height - ax.get_window_extent().y0) for ax in fig.axes)
    fps = 1000 / getattr(anim, "_interval", 50)
    videos = []
    for scheme, (page, ink) in SCHEMES.items():
        data = base64.b64encode(_encode([_paint(f, page, ink) for f in frames], fps)).decode()
        videos.append(
            f'<video class="gd-video gd-video--{scheme}" controls preload="metadata" '
            f'width="{width}" height="{height + CONTROLS_BAND}" data-axes-bottom="{axes_bottom}" '
            f'aria-label="{alt}"><source src="data:video/mp4;base64,{data}" type="video/mp4"></video>'
        )
    return f'<figure class="gd-animation">{"".join(videos)}</figure>'


def _draw_frames(anim):
    """Every frame of `anim` as an RGBA array, drawn once on a transparent background."""
    fig = anim._fig
    FigureCanvasAgg(fig)  # draw with Agg whatever canvas the figure had
    fig.patch.set_alpha(0)
    for ax in fig.axes:
        ax.patch.set_alpha(0)
    anim._init_draw()
    sequence = list(anim.new_saved_frame_seq())
    anim._draw_frame(sequence[0])  # the first frame's titles and labels ...
    fig.canvas.draw()  # ... take part in laying the figure out, once,
    fig.set_layout_engine("none")  # and that layout is kept for every frame
    frames = []
    for frame in sequence:
        anim._draw_frame(frame)
        fig.canvas.draw()
        frames.append(np.asarray(fig.canvas.buffer_rgba()).copy())
    return frames


def _rgb(colour):
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.uint16)


def _paint(frame, page, ink):
    """The frame in one scheme: INK pixels take the scheme's text colour, laid on its page colour."""
    rgb = frame[..., :3].astype(np.uint16)
    rgb[(frame[..., :3] == _rgb(INK)).all(-1)] = _rgb(ink)
    alpha = frame[..., 3:4].astype(np.uint16)
    out = (rgb * alpha + _rgb(page) * (255 - alpha) + 127) // 255  # whole numbers: same bytes everywhere
    band = np.broadcast_to(_rgb(page), (CONTROLS_BAND, frame.shape[1], 3))
    return np.concatenate([out, band]).astype(np.uint8)


def _encode(frames, fps):
    """H.264 mp4 bytes of RGB frames (one thread, bit-exact: same frames, same bytes)."""
    height, width = (n - n % 2 for n in frames[0].shape[:2])  # H.264 wants even sizes
    fd, path = tempfile.mkstemp(suffix=".mp4")
    os.close(fd)
    try:
        writer = imageio_ffmpeg.write_frames(
            path,
            (width, height),
            fps=fps,
            codec="libx264",
            pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p",
            macro_block_size=2,
            output_params=[
                "-threads",
                "1",
                "-fflags",
                "+bitexact",
                "-flags:v",
                "+bitexact",
                "-movflags",
                "+faststart",
            ],
            ffmpeg_log_level="error",
        )
        writer.send(None)
        for frame in frames:
            writer.send(np.ascontiguousarray(frame[:height, :width]))
        writer.close()
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)
