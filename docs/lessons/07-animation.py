# %% [markdown]
# # Animating the fit
#
# A loss curve tells you that gradient descent worked; an animation lets you
# *watch* it work. In this lesson you will build an animation of the line moving
# onto the data with matplotlib's `FuncAnimation`: a figure, a line to update,
# and a function that draws one frame. You will see why the figure must be
# closed with `plt.close()`, what `rc` does to make the animation show up as a
# video, and finally the one-line version, `gd.animate_fit`.

# %% [markdown]
# ## What to animate
#
# We fit the line as in the last lesson, but with 80 steps. The history then holds
# 81 sets of parameters (the start plus one per step), and each will become one
# frame of the video. Keeping the number of frames under 100 keeps the video small.

# %%
import matplotlib.pyplot as plt
import torch

import gd

x, y = gd.linear_data(100, seed=42)
history = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=0.1, steps=80)
print("frames:", len(history.params))
assert len(history.params) <= 100

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
# range that keeps the points and every position of the line in view.
#
# **The moving line.** `ax.plot` returns a **list** of the lines it drew, even
# when it drew just one. The comma in `line, = ax.plot(...)` unpacks that
# one-element list, so `line` is the line itself (the
# [Python side notes](08-python-notes.py) explain this comma). The line starts
# empty; `animate` gives it its points.
#
# **The frame function.** A straight line is fixed by two points, so `animate(i)`
# computes the line's height at $x = -1$ and $x = 1$ from the parameters after
# step `i`, and hands them to `line.set_data`. It also writes the step number in
# the title. It ends with `return line,`, a tuple of what it changed. Matplotlib
# uses that tuple only in a faster drawing mode called *blitting* (redrawing just
# the parts that changed); here it is a harmless habit.
#
# **The animation.** `FuncAnimation` gets the figure, the function, the number of
# frames, and the time between frames in milliseconds.
#
# **`plt.close()`.** Figures made with `plt.subplots` are tracked by pyplot, and at
# the end of every cell the notebook displays each pyplot figure that is still
# open. Without `plt.close()` this cell would print a still picture of the empty
# figure, on top of the video we want. Closing only tells pyplot to forget the
# figure; the animation keeps its own reference to it and can still draw it.
#
# Here are all five together, as you would normally write them in one cell:

# %%
from matplotlib.animation import FuncAnimation

fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")  # room for the labels
ax.scatter(x[:, 0], y, s=12)
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.set_ylim(y.min().item() - 0.5, y.max().item() + 0.5)
(line,) = ax.plot([], [], color="tab:orange", linewidth=2.5)
ends = torch.tensor([-1.0, 1.0])


def animate(i):
    slope, intercept = history.params[i]
    line.set_data(ends, slope * ends + intercept)
    ax.set_title(f"step {i}")
    return (line,)


anim = FuncAnimation(fig, animate, frames=len(history.params), interval=50)
plt.close()
assert not plt.get_fignums()  # no pyplot figure left open to be shown

# %% [markdown]
# As promised, nothing was displayed. We can call `animate` ourselves to check
# it: after `animate(0)` the line should sit where the first guess $a = (1, 1)$
# puts it, at heights 0 and 2.

# %%
animate(0)
print("heights of the line:", line.get_ydata())
assert torch.allclose(torch.as_tensor(line.get_ydata()), torch.tensor([0.0, 2.0]))

# %% [markdown]
# Why read the parameters from `history` instead of taking one gradient-descent
# step inside `animate`? Because matplotlib decides when to call `animate`, and it
# may call it more than once for the same frame (it draws the first frame an extra
# time to set the figure up). A function that only *reads* frame `i` gives the
# same picture however often it is called; one that *changes* the parameters would
# take extra steps.

# %% [markdown]
# ## rc: how the animation should be shown
#
# When a notebook cell ends with an animation, how should it appear? Matplotlib
# keeps many such settings in a dictionary called `matplotlib.rcParams` (its
# *runtime configuration*, named after the "rc" files that configure Unix
# programs). The key `"animation.html"` says how an animation is shown in a
# notebook:
#
# - `"none"` (the default): no player at all, just a line of text describing the object,
# - `"html5"`: an HTML5 `<video>` element, encoded with the ffmpeg program,
# - `"jshtml"`: a JavaScript player that stores every frame as a separate image.
#
# `rc` is a short way to set entries of `rcParams`: `rc("animation", html="html5")`
# sets the key `"animation.html"` (the group name, a dot, the keyword).

# %%
import matplotlib
from matplotlib import rc

print("matplotlib's default:", matplotlib.rcParamsDefault["animation.html"])
print("current value:       ", matplotlib.rcParams["animation.html"])
rc("animation", html="html5")
print("after rc(...):       ", matplotlib.rcParams["animation.html"])
assert matplotlib.rcParamsDefault["animation.html"] == "none"
assert matplotlib.rcParams["animation.html"] == "html5"

# %% [markdown]
# In a fresh notebook the current value would be the default. On this site, the
# build has already chosen `"html5"` for every lesson (so that videos stay small),
# which is why the current value may already read `"html5"` above.
#
# Now a cell that ends with `anim` shows the animation as a video. Press play:

# %%
anim

# %% [markdown]
# The line starts low and flat, swings up quickly (mostly in its intercept, as
# the landscape in the last lesson showed), then slowly turns to the right slope.

# %% [markdown]
# ## The one-line version
#
# [`gd.animate_fit`](../reference.md#gd.animate_fit) does all of the above in one call: it
# builds the figure, the line and the frame function, and returns the
# `FuncAnimation`. It draws on a figure that pyplot does not track, so no
# `plt.close()` is needed.

# %%
gd.animate_fit(x, y, history)

# %% [markdown]
# ## Summary
#
# - `FuncAnimation(fig, animate, frames=..., interval=...)` calls `animate(i)` for
#   each frame; `animate` updates a line with `set_data` and returns `line,`.
# - Read each frame's parameters from the history: matplotlib may draw a frame
#   more than once.
# - `plt.close()` stops pyplot from also showing the still figure at the end of the cell.
# - `rc("animation", html="html5")` sets `matplotlib.rcParams["animation.html"]`,
#   so an animation at the end of a cell shows as a video.
# - `gd.animate_fit(x, y, history)` is the one-line version.
#
# Finally, a closer look at the Python commas used in this lesson. Continue with
# the [next lesson](08-python-notes.py).

# %% [markdown]
# ## Exercises
#
# **1. The loss in the title.** Write a frame function that also puts the loss of
# the current line into the title, after the step number and rounded to three
# decimals. Call it for frame 10 and check the title against the loss recorded in
# `history`.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# def animate_with_loss(i):
#     slope, intercept = history.params[i]
#     line.set_data(ends, slope * ends + intercept)
#     loss = gd.mse(x @ history.params[i], y)
#     ax.set_title(f"step {i}, loss {loss.item():.3f}")
#     return line,
#
# animate_with_loss(10)
# print(ax.get_title())
# # history.losses[i] is the loss *before* update i, i.e. at params[i]
# assert ax.get_title() == f"step 10, loss {history.losses[10]:.3f}"
# ```
#
# </details>
#
# **2. One step per call.** Write a frame function that takes one gradient-descent
# step itself (using a Parameter and autograd) instead of reading `history`. Call
# it 80 times by hand and check that the parameters match `history.params[-1]`.
# What would go wrong if matplotlib called it one extra time?
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# from torch import nn
#
# p = nn.Parameter(torch.tensor([1., 1.]))
#
# def step_and_draw(i):
#     loss = gd.mse(x @ p, y)
#     loss.backward()
#     with torch.no_grad():
#         p.sub_(0.1 * p.grad)  # in place; "p -= ..." here would make p a local name
#         p.grad.zero_()
#     line.set_data(ends, p[0].item() * ends + p[1].item())
#     return line,
#
# for i in range(80):
#     step_and_draw(i)
# assert torch.allclose(p.detach(), history.params[-1], atol=1e-6)
# # An extra call is an extra step: the video would no longer match the history.
# step_and_draw(0)
# assert not torch.allclose(p.detach(), history.params[-1], atol=1e-6)
# ```
#
# </details>
#
# **3. A temporary setting.** `matplotlib.rc_context` changes `rcParams` only
# inside a `with` block. Use it to set `"animation.html"` to `"jshtml"`
# temporarily, and check the value inside and after the block.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# before = matplotlib.rcParams["animation.html"]
# with matplotlib.rc_context({"animation.html": "jshtml"}):
#     inside = matplotlib.rcParams["animation.html"]
# after = matplotlib.rcParams["animation.html"]
# print(before, inside, after)
# assert inside == "jshtml" and after == before
# ```
#
# </details>
