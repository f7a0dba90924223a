# %% [markdown]
# # Beyond the straight line
#
# Every loss in this course so far belonged to a straight line: a bowl with a
# single lowest point, which least squares could find exactly. The
# [next lesson](19-a-first-network.py) trains a neural network, whose loss,
# as it will show, is not a bowl. This lesson first looks at what changes
# when a loss has more than one low point, on two small losses that we can
# draw whole. First a loss of one number with two valleys, where the valley
# a run ends in depends on where it starts, on momentum and on the step size.
# Then a loss of two numbers with a saddle, where descent can stall without
# having found a minimum.

# %% [markdown]
# ## A loss with two valleys
#
# Here is a loss of a single number $w$:
#
# $$f(w) = \frac{w^4}{4} - w^2 + 0.3\,w$$
#
# The $w^4$ term makes it rise steeply far out on both sides, the $-w^2$
# digs two valleys, and the small $0.3\,w$ tilts the picture so that the
# left valley is deeper than the right one. To find the valleys without any
# calculus, we evaluate $f$ on a fine grid of 5001 points and keep every
# point that is lower than both its neighbours (and, for the top of the bump
# between them, higher than both). We use `float64`, 64-bit numbers, so that
# rounding cannot make two neighbouring values look equal.

# %%
import warnings

import matplotlib.pyplot as plt
import torch
from torch import nn

import gd


def f(w):
    return w**4 / 4 - w**2 + 0.3 * w


ws = torch.linspace(-2.5, 2.5, 5001, dtype=torch.float64)
heights = f(ws)
inner, left, right = heights[1:-1], heights[:-2], heights[2:]
bottoms = ws[1:-1][(inner < left) & (inner < right)]
tops = ws[1:-1][(inner > left) & (inner > right)]
print("valley bottoms at w =", [round(v, 3) for v in bottoms.tolist()],
      "with f =", [round(v, 3) for v in f(bottoms).tolist()])
print("top of the bump at w =", [round(v, 3) for v in tops.tolist()])
assert len(bottoms) == 2 and len(tops) == 1
deep, shallow = bottoms.tolist()
bump = tops.item()
assert f(torch.tensor(deep)) < f(torch.tensor(shallow))

# %% [markdown]
# Two valley bottoms and one bump, as promised. The bottom of each valley is
# called a **local minimum**: nothing near it is lower. The lowest of all, the
# left one, is the **global minimum**. The line's loss had just one minimum,
# local and global at once; a loss shaped like a single bowl is called
# **convex**. This one is not.
#
# At each of the three points the curve is flat, so autograd's slope there is
# zero (up to the grid's spacing of 0.001). Gradient descent feels only the
# slope, so it cannot tell a valley bottom from the top of a bump:

# %%
for w0 in (deep, bump, shallow):
    w = torch.tensor(w0, requires_grad=True)
    f(w).backward()
    print(f"w = {w0:+.3f}   slope {w.grad.item():+.4f}")
    assert abs(w.grad.item()) < 0.005

# %% [markdown]
# ## Where you start decides where you end
#
# We descend $f$ with the loop of the PyTorch lessons: `torch.optim.SGD`, and
# `zero_grad`, `backward`, `step` at every step. Starting at $w = 2$ with
# `lr = 0.1`:

# %%
w = nn.Parameter(torch.tensor([2.]))
opt = torch.optim.SGD([w], lr=0.1)
for _ in range(60):
    opt.zero_grad()
    f(w).backward()
    opt.step()
print(f"after 60 steps: w = {w.item():.4f}")
assert abs(w.item() - shallow) < 0.001

# %% [markdown]
# It settled in the right-hand valley, the shallow one, even though the left
# valley is lower. Descent goes downhill from where it is; it has no way of
# knowing that a deeper valley lies beyond the bump.
#
# [`gd.descend`](../reference.md#gd.descend) runs this same loop on any
# function of a parameter vector and returns a `History`, like `gd.fit` did for
# the line: the loss before each step, and every point visited. It takes the
# start as a list, here of one number, and the optimizer's settings by name.

# %%
history = gd.descend(f, [2.], lr=0.1, steps=60)
print("params shape:", tuple(history.params.shape))
assert torch.equal(history.params[-1], w.detach())

# %% [markdown]
# Now six starts, from far left to far right. Two of them, 0.1 and 0.2, lie
# close together on either side of the bump's top at 0.152.

# %%
starts = [-2.5, -1., 0.1, 0.2, 1., 2.5]
runs = [gd.descend(f, [s], lr=0.1, steps=60) for s in starts]
for s, run in zip(starts, runs, strict=True):
    end = run.params[-1].item()
    valley = "deep" if abs(end - deep) < 0.01 else "shallow"
    print(f"start {s:+.1f} -> w = {end:+.3f}  ({valley} valley)")
    # each run ends at the bottom on its own side of the bump
    assert abs(end - (deep if s < bump else shallow)) < 0.01
print(f"the two valley bottoms are {shallow - deep:.2f} apart")

# %% [markdown]
# Every start left of the bump ends in the deep valley, every start right of
# it in the shallow one. The starts 0.1 and 0.2, only 0.1 apart, end about 2.8
# apart. The set of starts that lead into a valley is called its **basin**;
# here the top of the bump is the border between the two basins. The picture
# shows each run's first 10 steps as a trail of dots, from an open circle
# (the start), and its end as a filled circle, in one colour for the runs
# that end in the deep valley and another for the shallow one. The later
# steps crowd around the valley bottoms.

# %%
fig = plt.figure(figsize=(4.4, 3), layout="constrained")
ax = fig.add_subplot(xlabel="w", ylabel="f(w)")
ax.plot(ws[::25], heights[::25], color="C0")  # 201 points draw it well
for run in runs:
    path, end = run.params[:10, 0], run.params[-1, 0]  # 10 steps, the end
    colour = "C1" if end < bump else "C2"  # the valley it ends in
    ax.plot(path, f(path), ".", color=colour, markersize=4)
    ax.plot(path[0], f(path[0]), "o", color=colour, fillstyle="none")
    ax.plot(end, f(end), "o", color=colour)
ax.axvline(bump, color="C0", linestyle=":", linewidth=1)
gd.describe(fig, f"f(w), with valley bottoms at {deep:.2f} and {shallow:.2f}"
            f" and a bump at {bump:.2f}. Runs from w = {starts} each end in"
            " the valley on their side of the bump.");

# %% [markdown]
# ## Momentum can carry a run over the bump
#
# With momentum, each step adds the new gradient to a fraction (here 0.9) of
# the previous step, so a run builds up speed. Start at $w = 2.5$ with a
# smaller `lr = 0.05`: without momentum the run rolls into the shallow valley
# and stops there. With momentum 0.9 it reaches the shallow bottom too fast
# to stop, rolls up the other side, over the bump, and into the deep valley.
# The smallest $w$ each run reaches tells whether it crossed:

# %%
plain = gd.descend(f, [2.5], lr=0.05, steps=100)
heavy = gd.descend(f, [2.5], lr=0.05, momentum=0.9, steps=100)
heavy_2 = gd.descend(f, [2.], lr=0.05, momentum=0.9, steps=100)
for name, run in [("no momentum, from 2.5", plain),
                  ("momentum 0.9, from 2.5", heavy),
                  ("momentum 0.9, from 2.0", heavy_2)]:
    print(f"{name}: lowest w {run.params.min().item():+.3f},"
          f" ends at {run.params[-1].item():+.3f}")
assert abs(plain.params[-1].item() - shallow) < 0.01
assert heavy.params.min() < bump and abs(heavy.params[-1].item() - deep) < 0.01
assert heavy_2.params.min() > bump  # turned back before the top
assert abs(heavy_2.params[-1].item() - shallow) < 0.01

# %% [markdown]
# From $w = 2$, the same momentum does not gather enough speed: the run
# climbs part of the way up the bump, to 0.418, turns back, and swings around
# the shallow bottom until it settles. Momentum can help a run escape a
# shallow valley, but nothing guarantees that it will.

# %% [markdown]
# ## A large step can jump the bump
#
# A long step can also leave a valley, by jumping instead of rolling. From
# $w = 2.5$, without momentum, we try five learning rates. The first step
# alone decides a lot, so we print where it lands:

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)  # one of them diverges
    jumps = {lr: gd.descend(f, [2.5], lr=lr, steps=60)
             for lr in (0.1, 0.2, 0.3, 0.4, 0.5)}
for lr, run in jumps.items():
    end = ("overflowed" if run.overflowed
           else f"ends at {run.params[-1].item():+.3f}")
    print(f"lr = {lr}: first step to {run.params[1].item():+.3f}, {end}")
for lr, valley in [(0.1, shallow), (0.2, shallow), (0.3, deep), (0.4, deep)]:
    assert abs(jumps[lr].params[-1].item() - valley) < 0.01
assert jumps[0.5].overflowed

# %% [markdown]
# With 0.2 the first step lands at 0.31, just short of the bump, and the run
# walks back into the shallow valley. With 0.3 and 0.4 it lands beyond the
# bump, in the deep valley's basin. With 0.5 it overshoots so far that the
# steep $w^4$ walls throw it back even further, until the numbers overflow.
# Larger is not steadily better: which valley a run ends in is decided by
# where its long jumps happen to land.
#
# [The learning-rate lesson](07-learning-rate.py) explains the divergence.
# There, the curvature (how fast the slope changes) was the same everywhere,
# and a step above $2 / \text{curvature}$ diverged. Here the slope is
# $w^3 - 2w + 0.3$, and the curvature $3w^2 - 2$ changes from place to place.
# `torch.autograd.functional.hessian`, which differentiates twice, confirms it
# at four points:

# %%
for w0 in (2.5, shallow, deep, bump):
    bend = torch.autograd.functional.hessian(f, torch.tensor(w0)).item()
    limit = f"2 / curvature = {2 / bend:.3f}" if bend > 0 else "a bump"
    print(f"w = {w0:+.3f}: curvature {bend:+.3f}, {limit}")
    assert abs(bend - (3 * w0**2 - 2)) < 1e-4
assert bend < 0  # the last point, the top of the bump

# %% [markdown]
# At the start, 2.5, the walls are so steep that the limit of the
# learning-rate lesson, 2 / curvature, is only 0.119: learning rates of 0.2
# and more are far above it, and their first steps fly past the shallow
# bottom. At that bottom the limit is 0.602. So a learning rate can be too
# large in one place and fine in another. The runs with 0.3 and 0.4 jumped
# into the left valley, where the limit at the bottom is 0.434, and settled
# there; the one with 0.5 landed at $-2.96$, where the walls are steeper
# still, and each jump was longer than the last.
#
# At the top of the bump the curvature is *negative*: the loss bends down on
# both sides. In the learning-rate lesson each step multiplied the distance
# from the bottom by $1 - \eta\lambda$ (learning rate $\eta$, curvature
# $\lambda$). With a negative $\lambda$ that factor is larger than 1, so the
# distance from the top *grows* at every step: descent moves away from a
# bump by itself.

# %% [markdown]
# ## A saddle
#
# With two parameters a new kind of flat point appears. Take
#
# $$g(w_0, w_1) = w_0^2 - w_1^2 + \frac{w_1^4}{4}$$
#
# Along $w_0$ it is a bowl. Along $w_1$ it is a curve with two valleys, at
# $w_1 = \pm\sqrt 2$, and a bump at $w_1 = 0$, like $f$ without its tilt. At
# the point $(0, 0)$ the surface is lowest in one direction and highest in the
# other, like the middle of a horse's saddle or a pass between two mountains:
# a **saddle point**. Its slope is zero in every direction.
#
# In code we write `w[..., 0]` for $w_0$: entry 0 along the *last* dimension.
# Then the same function works for one point, of shape `(2,)`, and for a batch
# of points, of shape `(k, 2)`, which we will need for the explorer below.

# %%
def g(w):
    return w[..., 0]**2 - w[..., 1]**2 + w[..., 1]**4 / 4


w = torch.tensor([0., 0.], requires_grad=True)
g(w).backward()
print("gradient at the saddle:", w.grad)
valleys = torch.tensor([[0., 2**0.5], [0., -2**0.5]])
print("g at the saddle:", g(torch.zeros(2)).item(),
      " at the valley bottoms:", [round(v, 4) for v in g(valleys).tolist()])
curvatures = torch.autograd.functional.hessian(g, torch.zeros(2))
print("curvature matrix at the saddle:", curvatures.tolist())
assert w.grad.tolist() == [0., 0.]
assert torch.allclose(g(valleys), torch.tensor([-1., -1.]))
assert torch.equal(curvatures, torch.tensor([[2., 0.], [0., -2.]]))

# %% [markdown]
# The curvature matrix, from the learning-rate lesson, confirms the picture:
# curvature 2 along $w_0$ (a bowl) and $-2$ along $w_1$ (a bump).

# %% [markdown]
# ## Stuck on the ridge
#
# Start at $(1, 0)$, exactly on the line $w_1 = 0$ that runs over the saddle.
# There the slope along $w_1$, which is $-2w_1 + w_1^3$, is exactly zero, so
# $w_1$ never moves, while $w_0$ rolls down its bowl to 0. The run ends on the
# saddle itself, with a gradient of zero, and stays there:

# %%
stuck = gd.descend(g, [1., 0.], lr=0.1, steps=100)
w = stuck.params[-1].clone().requires_grad_()
g(w).backward()
print(f"end: ({stuck.params[-1, 0]:.1e}, {stuck.params[-1, 1]:.1e})")
print(f"last loss: {stuck.losses[-1]:.1e}   gradient:",
      [f"{v:.1e}" for v in w.grad.tolist()])
assert (stuck.params[:, 1] == 0).all()  # w1 never changed
assert w.grad.abs().max() < 1e-8 and stuck.losses[-1] > -0.5

# %% [markdown]
# The loss stopped falling and the gradient vanished: everything that told us
# "done" for the line says "done" here too. Yet the loss is practically 0,
# the saddle's height, while both valleys go down to $-1$.
#
# ## A tiny nudge escapes
#
# Move the start off the ridge by a hair, to $(1, 0.001)$. Near the saddle,
# $w_1$ gets the factor $1 - \eta\lambda$ with $\lambda = -2$: every step
# multiplies it by $1 + 2 \times 0.1 = 1.2$, so it grows until the run falls
# into a valley.

# %%
nudged = gd.descend(g, [1., 0.001], lr=0.1, steps=100)
kept = nudged.params[1:6, 1] / nudged.params[:5, 1]
print("w1 kept per step:", [round(k, 4) for k in kept.tolist()])
print("end:", [round(v, 4) for v in nudged.params[-1].tolist()],
      " loss:", round(nudged.losses[-1], 4))
assert torch.allclose(kept, torch.tensor(1.2), atol=1e-3)
assert torch.allclose(nudged.params[-1], valleys[0], atol=1e-3)

# %% [markdown]
# How long does the escape take? To compare many runs, we let
# [`gd.sweep`](../reference.md#gd.sweep) run `gd.descend` from
# $(1, \text{nudge})$ for every combination of two momentums, 0 and 0.9, and
# four nudges, 100 steps each with `lr = 0.1`. Its second argument is the
# loss that the explorer at the end of this section draws; we come back to it
# there.

# %%
def run_saddle(momentum, nudge):
    return gd.descend(g, [1., nudge], lr=0.1, momentum=momentum, steps=100)


def shifted(w):
    return g(w) + 1.01


saddle_sweep = gd.sweep(run_saddle, shifted, momentum=[0, 0.9],
                        nudge=[0, 1e-6, 1e-4, 1e-2])
print("runs:", len(saddle_sweep.histories))

# %% [markdown]
# Call a run *escaped* at the first step whose loss is below $-0.5$, halfway
# down to the valleys. Without momentum, a nudge 100 times smaller needs as
# many extra steps as it takes factors of 1.2 to multiply up to 100:
# $\log 100 / \log 1.2 \approx 25$.

# %%
def escape_step(run):
    return next(i for i, loss in enumerate(run.losses) if loss < -0.5)


nudges = [1e-2, 1e-4, 1e-6]
plain_runs = [saddle_sweep.history(momentum=0, nudge=n) for n in nudges]
escapes = [escape_step(run) for run in plain_runs]
extra = torch.tensor(100.).log() / torch.tensor(1.2).log()
print("nudge:", nudges, " escaped at step:", escapes)
print(f"predicted extra steps per factor of 100: {extra.item():.1f}")
for a, b in zip(escapes[:-1], escapes[1:], strict=True):
    assert abs((b - a) - extra.item()) < 1.5

# %% [markdown]
# Here are the loss curves of the stuck run and of these three nudged ones.
# The vertical axis is plain, not logarithmic, because this loss goes below
# zero. Each curve first drops to about the saddle's height, 0, then stays
# flat, longest for the smallest nudge, before it falls to $-1$.

# %%
fig = plt.figure(figsize=(4.4, 3), layout="constrained")
ax = fig.add_subplot(xlabel="step", ylabel="loss g(w)")
ax.plot(stuck.losses, label="start on the ridge")
for n, run in zip(nudges, plain_runs, strict=True):
    ax.plot(run.losses, label=f"nudged by {n:g}")
ax.legend()
gd.describe(fig, "Loss against step: all four runs drop to 0; the one on the"
            f" ridge stays there, the others fall to -1 at steps {escapes}.");

# %% [markdown]
# A long flat stretch in a loss curve therefore does not prove that training
# has finished. It may be a saddle, waiting for a small push. In practice
# the push comes by itself: random starting values, the noise of
# mini-batches and rounding rarely leave a run exactly on a ridge. But the
# closer it starts to one, the longer the plateau.
#
# Momentum shortens it. Once off the ridge, every step along $w_1$ points
# the same way, away from it, and momentum adds them up:

# %%
for n in nudges:
    slow, fast = (escape_step(saddle_sweep.history(momentum=m, nudge=n))
                  for m in (0, 0.9))
    print(f"nudge {n:g}: escaped at step {slow} without momentum,"
          f" {fast} with momentum 0.9")
    assert fast < slow

# %% [markdown]
# ## Try it yourself
#
# Here are all eight runs of the sweep, computed when this page was built.
# Move the sliders to pick a momentum and a nudge, and the step slider (or
# *Play*) to follow that run on the map of $g$. The explorer's loss axis is
# logarithmic, and a logarithm needs numbers above zero, so it shows
# `shifted`, which is $g + 1.01$: the height above the valleys' bottom, plus
# 0.01. The stuck runs level off at 1.01, the escaped ones at 0.01.

# %%
ends = [shifted(h.params[-1]).item() for h in saddle_sweep.histories]
print("shifted loss at the end of each run:", [round(e, 2) for e in ends])
assert {round(e, 2) for e in ends} == {1.01, 0.01}
saddle_sweep


# %% [markdown]
# ## Summary
#
# - A loss can have several valleys. Each valley bottom is a **local
#   minimum**; the lowest is the **global minimum**. A single bowl, like the
#   line's loss, is **convex**.
# - Gradient descent ends in the valley whose **basin** it starts in: on
#   $f$, starts 0.1 apart, on either side of the bump, ended in different
#   valleys.
# - Momentum can carry a run over a bump, and a large step can jump one, but
#   neither is a guarantee. The limit $2 / \text{curvature}$ of the
#   learning-rate lesson changes from place to place: where the walls are
#   steep, large steps diverge.
# - At a **saddle point** the gradient is zero without a minimum. A run
#   started exactly on the ridge stops there; a tiny nudge escapes, after a
#   plateau that grows with every factor by which the nudge shrinks.
#   Momentum shortens it.
#
# Continue with the [next lesson](19-a-first-network.py): a first neural
# network, trained with the same loop on a loss that is not a bowl.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** Start `gd.descend` on $g$ exactly at
# the saddle point, $(0, 0)$, with `lr = 0.1`, for 50 steps. Predict where it
# ends and what its losses are.

# %% tags=["solution"]
on_saddle = gd.descend(g, [0., 0.], lr=0.1, steps=50)
print(on_saddle.params[-1].tolist(), set(on_saddle.losses))
# The gradient at the saddle is exactly zero, so every step moves by zero:
# the run never leaves (0, 0), and every loss is g(0, 0) = 0.
assert (on_saddle.params == 0).all()
assert set(on_saddle.losses) == {0.}

# %% [markdown]
# **Exercise 2 (break it and explain).** In the first loop of this lesson
# (from $w = 2$, `lr = 0.1`, 60 steps), delete `opt.zero_grad()`. Where does
# the run go? Explain what `w.grad` holds at each step, and compare the
# points it visits with those of `gd.descend` with `momentum=1.0`.

# %% tags=["solution"]
w = nn.Parameter(torch.tensor([2.]))
opt = torch.optim.SGD([w], lr=0.1)
visited = []
for _ in range(60):
    f(w).backward()  # no zero_grad: the new slope is added to .grad
    opt.step()
    visited.append(w.item())
late = visited[-20:]
crossings = sum((a < bump) != (b < bump)
                for a, b in zip(visited[:-1], visited[1:], strict=True))
print(f"last 20 steps between {min(late):+.2f} and {max(late):+.2f};"
      f" crossed the bump {crossings} times")
# backward() adds each new slope to w.grad, so every step moves by lr times
# the sum of all the slopes so far: that is momentum with factor 1, a
# velocity that never decays. Like a ball without friction, the run swings
# from one steep wall to the other, through both valleys, and never settles.
frictionless = gd.descend(f, [2.], lr=0.1, momentum=1.0, steps=60)
assert torch.allclose(frictionless.params[1:, 0], torch.tensor(visited))
assert max(late) - min(late) > 3 and crossings >= 4

# %% [markdown]
# **Exercise 3 (practice).** At the bottom of the shallow valley, 2 /
# curvature is 0.602 (printed in the section on large steps). Start runs
# 0.01 to the right of that bottom, for 100 steps, with `lr = 0.58` and with
# `lr = 0.62`. Which one settles at the bottom? What does the other one do in
# its last steps?

# %% tags=["solution"]
bend = torch.autograd.functional.hessian(f, torch.tensor(shallow)).item()
print(f"2 / curvature at the shallow bottom: {2 / bend:.3f}")
near = {lr: gd.descend(f, [shallow + 0.01], lr=lr, steps=100).params[:, 0]
        for lr in (0.58, 0.62)}
for lr, path in near.items():
    print(f"lr = {lr}: factor 1 - lr * curvature = {1 - lr * bend:+.3f},"
          f" last four w {[round(v, 3) for v in path[-4:].tolist()]}")
below, above = near[0.58], near[0.62]
# Near the bottom each step multiplies the distance to it by the factor.
# Below the limit the factor lies between -1 and 0: the run flips side at
# every step and the distance shrinks. Above it the factor is below -1: the
# distance grows, until the valley's walls, no longer a parabola that far
# out, stop it. The run then hops between two points on either side of the
# bottom forever, without settling and without diverging.
assert 0.58 < 2 / bend < 0.62
assert abs(below[-1] - below[-2]) < 1e-4  # settled ...
assert abs(below[-1] - shallow) < 0.001  # ... at the bottom (grid: 0.001)
assert abs(above[-1] - above[-3]) < 1e-4  # the same two points ...
assert abs(above[-1] - above[-2]) > 0.1  # ... far apart
assert (above > bump).all()  # never left the shallow valley
