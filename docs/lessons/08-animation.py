# %% [markdown]
# # Animating the fit
#
# A loss curve tells you that gradient descent worked; an animation lets you
# *watch* it work. In this lesson you will build an animation of the line moving
# onto the data with matplotlib's `FuncAnimation`: a figure, a line to update,
# and a function that draws one frame. You will see why the figure must be
# closed with `plt.close()`, what the setting
# `rc('animation', html='jshtml')` changes and what it costs, and finally the
# one-line version, `gd.animate_fit`.

# %% [markdown]
# ## What to animate
#
# We fit the line as in the gradient-descent lesson, but with twice the
# learning rate, `lr = 0.2`, and 40 steps: each step goes twice as far, so 40
# steps get about as far as 80 did there. The history then holds 41 sets of
# parameters (the start plus one per step), and each will become one frame of
# the video. Fewer frames make a smaller video, and one that is quicker to make.

# %%
import matplotlib.pyplot as plt
import torch

import gd

x, y = gd.linear_data(100, seed=42)
history = gd.fit(x, y, torch.tensor([1.,1]), lr=0.2, steps=40)
print("frames:", len(history.params))
print("final line:", history.params[-1])
assert len(history.params) == 41
longer = gd.fit(x, y, torch.tensor([1.,1]), lr=0.1, steps=80)
assert torch.allclose(history.params[-1], longer.params[-1], atol=0.05)

# %% [markdown]
# ## The idea of FuncAnimation
#
# An animation in matplotlib is an ordinary figure that gets redrawn over and
# over. `FuncAnimation` takes the figure and a function of yours; for frame
# number `i` it calls your function with `i`, your function changes what is
# drawn, and matplotlib records the result as one frame of a video. So we need:
#
# 1. a figure with the parts that stay the same (the data points),
# 2. the part that moves (the line), kept in a variable so we can change it,
# 3. a function `animate(i)` that moves the line to where it was after step `i`.

# %% [markdown]
# ## The pieces, one by one
#
# **The figure.** `plt.subplots` makes a figure and its axes; we scatter the data
# on the axes. We also fix the vertical range with `set_ylim`: matplotlib does not
# rescale the axes when `set_data` later moves a line, so we choose, up front, a
# range that keeps the points and every position of the line in view. Unlike
# the still figures of earlier lessons, this one gets no `layout="constrained"`:
# that option works out the layout again at every drawing, which for a video
# means once for every frame. Instead, `fig.tight_layout()` makes room for the
# labels once, when the figure is set up.
#
# **The moving line.** `ax.plot` returns a **list** of the lines it drew, even
# when it drew just one. The comma in `line, = ax.plot(...)` unpacks that
# one-element list, so `line` is the line itself (the
# [Python side notes](09-python-notes.py) explain this comma). The line starts
# empty; `animate` gives it its points. We ask for `color="C1"`, the second
# colour of the current colour cycle: `scatter` and `plot` each start at the
# first colour, so without it the line would have the colour of the points.
#
# **The frame function.** A straight line is fixed by two points, so
# `animate(i)` computes the line's height at $x = -1$ and $x = 1$ from the
# parameters after step `i`, and hands them to `line.set_data`. It also writes
# the step number in the title. It ends with `return line,`, a tuple of what it
# changed. Matplotlib needs that tuple only in a faster drawing mode called
# *blitting* (`blit=True`), which redraws just the things the frame function
# returns. We use the default, `blit=False`, which redraws the whole figure for
# every frame and ignores the return value; returning `line,` anyway is a
# harmless habit that keeps the function ready for blitting.
#
# **The animation.** `FuncAnimation` gets the figure, the function, the number
# of frames, and the time between frames in milliseconds.
#
# **`plt.close()`.** Figures made with `plt.subplots` are tracked by pyplot,
# and at the end of every cell the notebook displays each pyplot figure that
# is still open. Without `plt.close()` this cell would also show a still
# picture of the figure as it is now, before the first frame: the points with
# no line yet, on top of the video we want. Closing only tells pyplot to
# forget the figure; the animation keeps its own reference to it and can
# still draw it.
#
# Here are all five together, as you would normally write them in one cell:

# %%
from matplotlib.animation import FuncAnimation

fig, ax = plt.subplots(figsize=(4.4, 3))
ax.scatter(x[:,0], y, s=12)
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_ylim(y.min().item() - 0.5, y.max().item() + 0.5)
line, = ax.plot([], [], color="C1", linewidth=2.5)
ax.set_title("step 0")  # each frame sets its own; this one holds the room
fig.tight_layout()  # room for the labels and title, worked out once
ends = torch.tensor([-1.,1])


def animate(i):
    slope, intercept = history.params[i]
    line.set_data(ends, slope * ends + intercept)
    ax.set_title(f"step {i}")
    return line,


anim = FuncAnimation(fig, animate, frames=len(history.params), interval=120)
plt.close()
assert not plt.get_fignums()  # no pyplot figure left open to be shown

# %% [markdown]
# As promised, nothing was displayed. We can call `animate` ourselves to check
# it: after `animate(0)` the line should sit where the first guess $a = (1, 1)$
# puts it, at heights 0 and 2.

# %%
animate(0)
print("heights of the line:", line.get_ydata())
heights = torch.as_tensor(line.get_ydata())
assert torch.allclose(heights, torch.tensor([0.,2]))

# %% [markdown]
# Why read the parameters from `history` instead of taking one
# gradient-descent step inside `animate`? Because matplotlib decides when to
# call `animate`, and it may call it more than once for the same frame: it
# draws the first frame an extra time to set the figure up. A tiny animation
# of three frames, whose frame function only writes down the frame numbers it
# is given, shows it when it is rendered:

# %%
from matplotlib.figure import Figure

calls = []


def record(i):
    calls.append(i)
    return ()


tiny = FuncAnimation(Figure(figsize=(2, 1)), record, frames=3)
tiny.to_jshtml()  # render all frames (the result is not needed here)
print("frames asked for:", calls)
assert calls == [0, 0, 1, 2]

# %% [markdown]
# A function that only *reads* frame `i` gives the same picture however often
# it is called; one that *changes* the parameters would take extra steps.

# %% [markdown]
# ## rc: how the animation should be shown
#
# When a notebook cell ends with an animation, how should it appear?
# Matplotlib keeps many such settings in a dictionary called
# `matplotlib.rcParams`. "rc" stands for *run commands*: Unix programs read
# their start-up settings from files whose names end in "rc", such as
# `.bashrc` for the bash shell, a habit that goes back to *runcom*, the file
# of start-up commands of CTSS, a time-sharing system of the 1960s.
# Matplotlib's own settings file is called `matplotlibrc`, and `rcParams`
# holds what it read from it. The key `'animation.html'` says how a
# notebook shows an animation:
#
# - `'none'` (matplotlib's default): no player at all, just a line of text
#   describing the object,
# - `'html5'`: an HTML5 `<video>` element, encoded by the ffmpeg program,
# - `'jshtml'`: a JavaScript player that stores every frame as a separate
#   image inside the page.
#
# `rc` is a short way to set entries of `rcParams`:
# `rc('animation', html='jshtml')` sets the key `'animation.html'` (the group
# name, a dot, the keyword). Here it is, with the value printed before and
# after:

# %%
import os

import matplotlib
from matplotlib import rc

settings_file = os.path.basename(matplotlib.matplotlib_fname())
print("settings file:", settings_file)
assert settings_file == "matplotlibrc"
print("before:", matplotlib.rcParams['animation.html'])
assert (matplotlib.rcParams['animation.html']
        == matplotlib.rcParamsDefault['animation.html'])
rc('animation', html='jshtml')
print("after: ", matplotlib.rcParams['animation.html'])
assert matplotlib.rcParams['animation.html'] == 'jshtml'

# %% [markdown]
# The course these lessons follow (fast.ai's *lesson2-sgd* notebook) sets
# `'jshtml'`; the notebook does not say why. One practical difference
# between the two: `'html5'` needs the ffmpeg program installed on the
# machine that runs the notebook, while matplotlib makes the `'jshtml'`
# player by itself, with no external program, and the browser plays it.
#
# In your own notebook (Colab or Jupyter) this setting decides what a cell
# ending with `anim` shows. **On this site it does not**: whatever the
# setting, the build shows every animation as a small mp4 video. Press play:

# %%
anim

# %% [markdown]
# The line starts low and flat, swings up quickly (mostly in its intercept, as
# the landscape in the gradient-descent lesson showed), then slowly turns to
# the right slope.
#
# Why does the site not use the jshtml player? Look at what it would embed.
# `anim.to_jshtml()` returns the HTML that `'jshtml'` puts into the page, and
# `anim.to_html5_video()` the HTML that `'html5'` would. We only measure them
# here: the player also loads its button icons (Font Awesome) from another
# website, which this site never does. Like the `'html5'` setting,
# `to_html5_video` needs the ffmpeg program (Colab has it; a fresh Python
# usually does not), so the cell asks matplotlib's `writers` registry first
# and says so when ffmpeg is missing.

# %%
from matplotlib.animation import writers

player = anim.to_jshtml()  # what 'jshtml' embeds: not displayed here
frames = player.count("data:image/png;base64")  # one PNG image per frame
print(f"jshtml: {frames} PNG frames, {len(player) / 1024:.0f} KB")
assert frames == len(history.params)
assert "font-awesome" in player  # the icons' address, on another website
if writers.is_available(matplotlib.rcParams['animation.writer']):
    video = anim.to_html5_video()  # what 'html5' embeds
    print(f"html5:  one mp4 video, {len(video) / 1024:.0f} KB")
    assert len(video) < len(player) / 10
else:
    print("html5:  needs ffmpeg, which this machine does not have")

# %% [markdown]
# Every frame of the jshtml player is a complete picture, while the video
# stores mostly what changes from one frame to the next: the moving line. So
# the video is many times smaller. For a few animations in your own notebook,
# jshtml is the easy choice; for a website, a video is the light one.

# %% [markdown]
# ## The one-line version
#
# [`gd.animate_fit`](../reference.md#gd.animate_fit) does all of the above in
# one call: it builds the figure, the line and the frame function, and returns
# the `FuncAnimation`. It draws on a figure that pyplot does not track, so no
# `plt.close()` is needed.

# %%
gd.animate_fit(x, y, history)

# %% [markdown]
# ## Summary
#
# - `FuncAnimation(fig, animate, frames=..., interval=...)` calls `animate(i)`
#   for each frame; `animate` updates a line with `set_data` and returns
#   `line,` (used only with `blit=True`).
# - Read each frame's parameters from the history: matplotlib may draw a frame
#   more than once.
# - `plt.close()` stops pyplot from also showing the still figure at the end
#   of the cell.
# - `rc('animation', html='jshtml')` sets `matplotlib.rcParams['animation.html']`,
#   so that in a notebook an animation at the end of a cell shows as a
#   JavaScript player. It works without ffmpeg, but embeds every frame as an
#   image: an mp4 video is many times smaller. This site always shows videos.
# - `gd.animate_fit(x, y, history)` is the one-line version.
#
# Finally, a closer look at the Python commas used in this lesson. Continue with
# the [next lesson](09-python-notes.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** Without running it, say what
# `animate(40)` does to the figure: what will the title read, and at what
# heights will the line cross $x = -1$ and $x = 1$? Work the heights out from
# `history.params[40]`, then run `animate(40)` and compare.

# %% tags=["solution"]
slope, intercept = history.params[40]
predicted = torch.stack([intercept - slope, intercept + slope])
print("predicted:", predicted)
animate(40)
print(ax.get_title(), torch.as_tensor(line.get_ydata()))
# The title is the frame number; at x = -1 the line is at intercept - slope,
# at x = 1 at intercept + slope.
assert ax.get_title() == "step 40"
assert torch.allclose(torch.as_tensor(line.get_ydata()), predicted)

# %% [markdown]
# **Exercise 2 (break it and explain).** Write a frame function that takes one
# gradient-descent step itself (using a Parameter and autograd) instead of
# reading `history`. Call it 40 times by hand and check that the parameters
# match `history.params[-1]`. Then call it one extra time, as matplotlib does
# for the first frame. What goes wrong?

# %% tags=["solution"]
from torch import nn

p = nn.Parameter(torch.tensor([1.,1]))


def step_and_draw(i):
    loss = gd.mse(x@p, y)
    loss.backward()
    with torch.no_grad():
        p.sub_(0.2*p.grad)  # in place: "p -= ..." would make p a local name
        p.grad.zero_()
    line.set_data(ends, p[0].item() * ends + p[1].item())
    return line,


for i in range(40):
    step_and_draw(i)
assert torch.allclose(p.detach(), history.params[-1], atol=1e-6)
step_and_draw(0)  # the extra call
print(p.detach(), history.params[-1])
# An extra call is an extra step: every frame would run one step ahead of
# history, and the last picture would no longer match the answer.
assert not torch.allclose(p.detach(), history.params[-1], atol=1e-6)

# %% [markdown]
# **Exercise 3 (practice).** Write a frame function that also puts the loss of
# the current line into the title, after the step number and rounded to three
# decimals. Call it for frame 10 and check the title against the loss recorded
# in `history`.

# %% tags=["solution"]
def animate_with_loss(i):
    slope, intercept = history.params[i]
    line.set_data(ends, slope * ends + intercept)
    loss = gd.mse(x @ history.params[i], y)
    ax.set_title(f"step {i}, loss {loss.item():.3f}")
    return line,


animate_with_loss(10)
print(ax.get_title())
# history.losses[i] is the loss *before* update i, i.e. at params[i]
assert ax.get_title() == f"step 10, loss {history.losses[10]:.3f}"

# %% [markdown]
# **Exercise 4 (practice).** `matplotlib.rc_context` changes `rcParams` only
# inside a `with` block. Use it to set `'animation.html'` to `'html5'`
# temporarily, and check the value inside and after the block.

# %% tags=["solution"]
before = matplotlib.rcParams['animation.html']
with matplotlib.rc_context({'animation.html': 'html5'}):
    inside = matplotlib.rcParams['animation.html']
after = matplotlib.rcParams['animation.html']
print(before, inside, after)
assert inside == 'html5' and after == before
