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
import contextlib
import html
import os
import tempfile

import imageio_ffmpeg
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

import gd
from gdsite.figures import INK, SCHEMES, describe_axes

# One thread and bit-exact flags: the same frames always encode to the same bytes.
BITEXACT = ["-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact"]
# Pixels of page colour under the axes for the player's controls: Chromium's take about
# 63 CSS px, and on a phone the video is shown at about 0.77 of its size.
CONTROLS_BAND = 88


def animation_to_html(anim):
    fig = anim._fig
    alt = html.escape(gd.alt_text(fig) or "Animation. " + describe_axes(fig))
    with _restored(fig):  # showing an animation must not change it for the lesson's next cells
        frames = _draw_frames(anim)
        renderer = fig.canvas.get_renderer()  # the axes with their tick labels and axis labels:
        axes_bottom = max(round(frames[0].shape[0] - ax.get_tightbbox(renderer).y0) for ax in fig.axes)
    height, width = frames[0].shape[:2]
    fps = 1000 / getattr(anim, "_interval", 50)
    videos = []
    for scheme, (page, ink) in SCHEMES.items():
        data = base64.b64encode(_encode(_in_scheme(frames, ink), fps, page)).decode()
        videos.append(
            f'<video class="gd-video gd-video--{scheme}" controls preload="metadata" '
            f'width="{width}" height="{height + CONTROLS_BAND}" data-axes-bottom="{axes_bottom}" '
            f'aria-label="{alt}"><source src="data:video/mp4;base64,{data}" type="video/mp4"></video>'
        )
    return f'<figure class="gd-animation">{"".join(videos)}</figure>'


@contextlib.contextmanager
def _restored(fig):
    """Put back the canvas, layout engine and background alphas that drawing frames changes."""
    canvas, engine = fig.canvas, fig.get_layout_engine()
    patches = [fig.patch, *(ax.patch for ax in fig.axes)]
    alphas = [patch.get_alpha() for patch in patches]
    try:
        yield
    finally:
        for patch, alpha in zip(patches, alphas, strict=True):
            patch.set_alpha(alpha)
        fig.set_layout_engine(engine)
        fig.set_canvas(canvas)


def _draw_frames(anim):
    """Every frame of `anim` as an RGBA array, on a transparent background.

    What stays the same from frame to frame (axes, ticks, the data) is drawn
    once; each frame then draws only what moves: the artists the frame function
    returns (as matplotlib's blitting does) and the axes' titles and texts. A few frames
    are also drawn in full and compared; if they differ (the function changed
    something else), every frame is drawn in full.
    """
    fig = anim._fig
    canvas = FigureCanvasAgg(fig)  # draw with Agg whatever canvas the figure had
    fig.patch.set_alpha(0)
    for ax in fig.axes:
        ax.patch.set_alpha(0)
    anim._init_draw()
    sequence = list(anim.new_saved_frame_seq())
    anim._draw_frame(sequence[0])  # the first frame's titles and labels ...
    canvas.draw()  # ... take part in laying the figure out, once,
    fig.set_layout_engine("none")  # and that layout is kept for every frame
    texts = {child for ax in fig.axes for child in ax.get_children() if isinstance(child, Text)}  # titles
    moving = texts | set(anim._drawn_artists or ())
    background = _background(canvas, moving)
    checks = {0, len(sequence) // 2, len(sequence) - 1}
    frames = []
    for i, frame in enumerate(sequence):
        anim._draw_frame(frame)
        canvas.restore_region(background)
        for artist in sorted(moving, key=lambda a: a.get_zorder()):
            fig.draw_artist(artist)
        frames.append(np.asarray(canvas.buffer_rgba()).copy())
        if i in checks and not _same(frames[-1], _full(canvas)):
            return _draw_all(anim, sequence)
    return frames


def _full(canvas):
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def _same(a, b):
    """Equal but for a few edge pixels (a moving line is drawn over the frame, not under it)."""
    return (a != b).any(-1).mean() < 0.002


def _draw_all(anim, sequence):
    frames = []
    for frame in sequence:
        anim._draw_frame(frame)
        frames.append(_full(anim._fig.canvas))
    return frames


def _background(canvas, moving):
    """The figure drawn without the moving artists, to paint each frame on."""
    for artist in moving:
        artist.set_visible(False)
    canvas.draw()
    background = canvas.copy_from_bbox(canvas.figure.bbox)
    for artist in moving:
        artist.set_visible(True)
    return background


def _in_scheme(frames, ink):
    """The frames with INK pixels in the scheme's text colour (antialiased edges keep INK's RGB)."""
    inked = []
    for frame in frames:
        frame = frame.copy()
        pixels = frame.view(np.uint32)[..., 0]  # one number per RGBA pixel
        inky = (pixels & 0x00FFFFFF) == _packed(INK)
        pixels[inky] = (pixels[inky] & 0xFF000000) | _packed(ink)
        inked.append(frame)
    return inked


def _packed(colour):
    """An RGB colour as the low three bytes of a little-endian RGBA pixel."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return red | green << 8 | blue << 16


def _encode(frames, fps, page):
    """H.264 mp4 bytes of RGBA frames laid on the `page` colour, with a band below for the controls.

    ffmpeg lays the frames on the page colour; one thread and bit-exact flags:
    the same frames always make the same bytes.
    """
    height, width = frames[0].shape[:2]
    out_w, out_h = (
        width + width % 2,
        height + CONTROLS_BAND + (height + CONTROLS_BAND) % 2,
    )  # H.264: even sizes
    colour = page.lstrip("#")
    graph = (
        f"color=c=0x{colour}:s={out_w}x{out_h}:r={fps}[page];"
        f"[page][in]overlay=x=0:y=0:shortest=1:format=auto,format=yuv420p[out]"
    )
    fd, path = tempfile.mkstemp(suffix=".mp4")
    os.close(fd)
    try:
        writer = imageio_ffmpeg.write_frames(
            path,
            (width, height),
            fps=fps,
            codec="libx264",
            pix_fmt_in="rgba",
            pix_fmt_out="yuv420p",
            macro_block_size=1,
            output_params=["-vf", graph, *BITEXACT, "-movflags", "+faststart"],
            ffmpeg_log_level="error",
        )
        writer.send(None)
        for frame in frames:
            writer.send(np.ascontiguousarray(frame))
        writer.close()
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)
