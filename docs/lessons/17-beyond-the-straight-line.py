# %% [markdown]
# # Beyond the straight line
#
# Every loss in this course so far belonged to a straight line: a bowl with a
# single lowest point, which least squares could find exactly. This last
# lesson leaves the line behind. First a loss of one number with two valleys,
# where the valley a run ends in depends on where it starts, on momentum and
# on the step size. Then a loss of two numbers with a saddle, where descent
# can stall without having found a minimum. Finally a small neural network
# that learns a wave, trained with the tools of the course. A network has no
# exact answer to compare with, so you will also learn what to check instead:
# the loss on data the training never saw, and the gradient itself.

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
    end = ("diverged" if run.diverged
           else f"ends at {run.params[-1].item():+.3f}")
    print(f"lr = {lr}: first step to {run.params[1].item():+.3f}, {end}")
for lr, valley in [(0.1, shallow), (0.2, shallow), (0.3, deep), (0.4, deep)]:
    assert abs(jumps[lr].params[-1].item() - valley) < 0.01
assert jumps[0.5].diverged

# %% [markdown]
# With 0.2 the first step lands at 0.31, just short of the bump, and the run
# walks back into the shallow valley. With 0.3 and 0.4 it lands beyond the
# bump, in the deep valley's basin. With 0.5 it overshoots so far that the
# steep $w^4$ walls throw it back even further, until the numbers overflow.
# Larger is not steadily better: which valley a run ends in is decided by
# where its long jumps happen to land.
#
# [The learning-rate lesson](06-learning-rate.py) explains the divergence.
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
# ## A small network
#
# Now a model that is not a line. The data: 200 points along the wave
# $y = \sin x$ for $x$ from $-3$ to $3$, with noise of standard deviation 0.1
# added (`torch.randn` draws numbers with standard deviation 1). Each input is
# a row of its own, so $x$ has shape `(200, 1)`, the shape `nn.Linear`
# expects.
#
# We also set 50 of the points aside, picked at random, as a **held-out set**:
# the network is never trained on them. Its loss on points it has never seen
# will tell us whether it learned the wave or only memorised the 150
# **training** points, noise included.

# %%
torch.manual_seed(0)
x_all = torch.linspace(-3, 3, 200).unsqueeze(1)
y_all = torch.sin(x_all) + 0.1 * torch.randn(200, 1)
order = torch.randperm(200)
x_train, y_train = x_all[order[:150]], y_all[order[:150]]
x_held, y_held = x_all[order[150:]], y_all[order[150:]]
print("training:", tuple(x_train.shape), " held out:", tuple(x_held.shape))

# %% [markdown]
# The network has one **hidden layer**, the part between input and output:
#
# - `nn.Linear(1, 16)` turns each input $x$ into 16 numbers, each its own
#   line $a_i x + b_i$;
# - `nn.Tanh()` bends each of them with $\tanh$, a smooth step from $-1$ to
#   $1$;
# - `nn.Linear(16, 1)` adds the 16 bent lines up, each times a weight of its
#   own, plus one intercept.
#
# A sum of 16 smooth steps, each placed, stretched and scaled by its own
# parameters, can follow a wave. `nn.Sequential` chains the three into one
# model. Its parameters start at small random values (seeded, so this page is
# the same at every build).

# %%
torch.manual_seed(1)
model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
count = sum(p.numel() for p in model.parameters())
print(model)
print("parameters:", count)
assert count == 16 + 16 + 16 + 1  # slopes, intercepts, weights, intercept
squashed = torch.tanh(torch.tensor([-100., -1., 0., 1., 100.]))
print("tanh of -100, -1, 0, 1, 100:", [round(v, 3) for v in squashed.tolist()])
assert squashed.abs().max() <= 1

# %% [markdown]
# ## Why least squares cannot answer this
#
# For the line, the predictions were $X a$: a fixed table of numbers times the
# parameters. Double the parameters and every prediction doubles. Least
# squares solves exactly this kind of problem, where the predictions are
# *linear* in the parameters. The network's are not: its parameters pass
# through $\tanh$, and one layer's weights multiply the next one's. Double
# every parameter and the predictions do not double. (`copy.deepcopy` makes
# a complete, separate copy of the network, so that we can change the copy's
# parameters and keep the original's.)

# %%
import copy

x, y = gd.linear_data(100, seed=42)
a = torch.tensor([3., 2.])
assert torch.allclose(x @ (2 * a), 2 * (x @ a))  # the line: linear in a

doubled = copy.deepcopy(model)  # a separate network, same parameters
with torch.no_grad():
    for p in doubled.parameters():
        p.mul_(2)
    before, after = model(x_train[:3]), doubled(x_train[:3])
print("predictions:          ", before.squeeze(1).round(decimals=3))
print("after doubling params:", after.squeeze(1).round(decimals=3))
assert not torch.allclose(after, 2 * before, atol=0.01)

# %% [markdown]
# So there is no formula to solve, and no exact answer to compare with. Its
# loss is not a bowl either; we will see that after training. Gradient
# descent does not mind: it needs only the gradient, and autograd computes it
# through `tanh` and both layers just as it did for the line.

# %% [markdown]
# ## Training it
#
# The loop is the one from the PyTorch lessons, with `torch.optim.Adam` from
# the [lesson on RMSProp and Adam](14-rmsprop-and-adam.py), `lr = 0.03`, on all 150 training points at
# every step. At every step we also measure the held-out loss, inside
# `torch.no_grad()` since it is only a measurement, and every 10 steps we
# record the network's curve on a grid of 61 inputs for the animation.

# %%
opt = torch.optim.Adam(model.parameters(), lr=0.03)
grid = torch.linspace(-3, 3, 61).unsqueeze(1)
train_losses, held_losses, curves = [], [], []
for step in range(200):
    with torch.no_grad():  # measurements only, before the step
        held_losses.append(gd.mse(model(x_held), y_held).item())
        if step % 10 == 0:
            curves.append(model(grid).squeeze(1))
    opt.zero_grad()
    loss = gd.mse(model(x_train), y_train)
    loss.backward()
    opt.step()
    train_losses.append(loss.item())
with torch.no_grad():
    curves.append(model(grid).squeeze(1))  # and the curve after step 200
print(f"training loss: {train_losses[0]:.4f} -> {train_losses[-1]:.4f}")
print(f"held-out loss: {held_losses[0]:.4f} -> {held_losses[-1]:.4f}")
print("frames recorded:", len(curves))
assert train_losses[-1] < train_losses[0] / 10
assert held_losses[-1] < held_losses[0] / 10

# %% [markdown]
# Both losses fell more than tenfold. Here is the network's curve every 10
# steps, on the training points:

# %%
from matplotlib import rc
from matplotlib.animation import FuncAnimation

rc('animation', html='jshtml')  # a notebook shows `anim` as a player
fig, ax = plt.subplots(figsize=(4.4, 3))
ax.scatter(x_train, y_train, s=8, color="C0")
curve, = ax.plot([], [], color="C1", linewidth=2.5)
ax.set(xlabel="x", ylabel="y", ylim=(-1.6, 1.6), title="step 0")
fig.tight_layout()


def animate(i):
    curve.set_data(grid.squeeze(1), curves[i])
    ax.set_title(f"step {10 * i}")
    return curve,


anim = FuncAnimation(fig, animate, frames=len(curves), interval=150)
plt.close()
gd.describe(fig, "Animation: over 200 steps the network's curve bends from"
            " nearly flat into the wave traced by the noisy points.")
anim

# %% [markdown]
# The curve starts almost flat (small random weights make small outputs),
# first tilts, then bends into the wave. The loss curves, on a logarithmic
# axis:

# %%
fig = plt.figure(figsize=(4.4, 3), layout="constrained")
ax = fig.add_subplot(xlabel="step", ylabel="loss (log scale)", yscale="log")
ax.set_yticks([0.01, 0.03, 0.1, 0.3], ["0.01", "0.03", "0.1", "0.3"])
ax.plot(train_losses, label="training")
ax.plot(held_losses, label="held out")
ax.legend()
gd.describe(fig, "Training and held-out loss, falling together from about"
            f" {train_losses[0]:.1f} to {train_losses[-1]:.3f} and"
            f" {held_losses[-1]:.3f}.");

# %% [markdown]
# ## What we check instead
#
# Without an exact answer, we check two things: that the network learned the
# wave and not the noise, and that the gradients it was trained with are
# right.
#
# **Held-out loss.** A network that memorised its training points, noise and
# all, would have a much lower loss on them than on the held-out points. Ours
# has nearly the same loss on both. We can also say how low a loss can go:
# even the true curve, $\sin x$, misses every point by its noise, so its loss
# is about the noise's variance, $0.1^2 = 0.01$. Ours is close to that on the
# held-out points, which it never saw:

# %%
train_loss = gd.mse(model(x_train), y_train).item()
held_loss = gd.mse(model(x_held), y_held).item()
true_loss = gd.mse(torch.sin(x_held), y_held).item()
print(f"training loss:                {train_loss:.4f}")
print(f"held-out loss:                {held_loss:.4f}")
print(f"held-out loss of sin(x) itself: {true_loss:.4f}")
assert held_loss < 1.5 * train_loss  # no sign of memorising
assert held_loss < 1.5 * true_loss  # close to the best possible

# %% [markdown]
# **The gradient.** A slope can always be measured without autograd: nudge one
# parameter by a tiny $h$ up and down, and divide the change in the loss by
# the distance moved, $2h$. This **central difference**,
#
# $$\frac{L(\theta + h) - L(\theta - h)}{2h}$$
#
# (with $\theta$, theta, for the one parameter), approaches the slope as $h$
# shrinks. We do it in `float64`: in 32-bit numbers the loss is rounded to
# about 7 digits, and dividing that rounding error by a tiny $2h$ would swamp
# the answer. `.double()` turns the parameters of a copy of the network into
# `float64`. Here is one weight of the first layer, by hand:

# %%
check = copy.deepcopy(model).double()
x64, y64 = x_train.double(), y_train.double()
gd.mse(check(x64), y64).backward()  # autograd's gradient, into .grad
weight = check[0].weight  # shape (16, 1): the first layer's slopes
h = 1e-6
with torch.no_grad():
    kept = weight[3, 0].item()
    weight[3, 0] = kept + h
    up = gd.mse(check(x64), y64).item()
    weight[3, 0] = kept - h
    down = gd.mse(check(x64), y64).item()
    weight[3, 0] = kept
print(f"central difference: {(up - down) / (2 * h):.10f}")
print(f"autograd:           {weight.grad[3, 0].item():.10f}")
assert abs((up - down) / (2 * h) - weight.grad[3, 0].item()) < 1e-8

# %% [markdown]
# [`gd.finite_difference_grad`](../reference.md#gd.finite_difference_grad)
# does the same for every entry of a parameter, putting each back exactly.
# All 49 parameters, against autograd:

# %%
worst = 0.
for name, param in check.named_parameters():
    estimate = gd.finite_difference_grad(
        lambda: gd.mse(check(x64), y64), param)
    gap = (estimate - param.grad).abs().max().item()
    print(f"{name:8} {tuple(param.shape)!s:8} largest difference {gap:.1e}")
    worst = max(worst, gap)
assert worst < 1e-8

# %% [markdown]
# Autograd and the central differences agree to at least 8 decimal places
# for every parameter. For a network written with PyTorch's own layers this
# is expected; the check earns its keep when you write a layer, a loss or a
# backward pass of your own, where a missing factor or a wrong sign would
# show at once.

# %% [markdown]
# ## Many valleys with the same bottom
#
# The network's loss is not a bowl. Here is a quick way to see it. Swap two
# of the 16 hidden units, say units 0 and 1: exchange their rows in the first
# layer and their weights in the second. The network computes the same sum in
# a different order, so its predictions do not change, but its parameters do.
# Two different points with the same, low loss. On a bowl, the point halfway
# between two such points would be at least as low. Here it is not:

# %%
swapped = copy.deepcopy(model)
halfway = copy.deepcopy(model)
swap = [1, 0, *range(2, 16)]
with torch.no_grad():
    swapped[0].weight.copy_(model[0].weight[swap])
    swapped[0].bias.copy_(model[0].bias[swap])
    swapped[2].weight.copy_(model[2].weight[:, swap])
    pairs = zip(model.parameters(), swapped.parameters(), strict=True)
    for mid, (p, q) in zip(halfway.parameters(), pairs, strict=True):
        mid.copy_((p + q) / 2)
    losses = [gd.mse(net(x_train), y_train).item()
              for net in (model, swapped, halfway)]
print("trained: {:.4f}   swapped: {:.4f}   halfway: {:.4f}".format(*losses))
assert abs(losses[0] - losses[1]) < 1e-6
assert losses[2] > 2 * losses[0]

# %% [markdown]
# Every way of reordering the 16 units gives another copy of the same valley,
# and, as the halfway point shows, the loss rises between the copies. Every
# neural network is trained on a landscape like this one, full of valleys,
# bumps and saddles, and gradient descent, with the momentum, adaptive steps
# and learning rates of this course, finds good valleys in it, as it did
# here.

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
#   neither is a guarantee; where the curvature is steep, large steps
#   diverge.
# - At a **saddle point** the gradient is zero without a minimum. A run
#   started exactly on the ridge stops there; a tiny nudge escapes, after a
#   plateau that grows with every factor by which the nudge shrinks.
#   Momentum shortens it.
# - A network with one hidden layer of `tanh` units, trained with Adam, learns
#   $\sin x$ from noisy points. Its predictions are not linear in its
#   parameters, so least squares has no answer to check against.
# - Check instead: the loss on a **held-out set** (close to the training loss
#   and to the noise floor), and autograd's gradient against **central
#   differences** in `float64` (`gd.finite_difference_grad`).
#
# This is the end of the course. You started with a hundred noisy points and
# a line, measured how wrong a line is, let autograd find the slope of that
# error, and walked downhill by hand. You saw why a step can be too large,
# trained with PyTorch's own optimizers, on mini-batches, with momentum,
# adaptive steps and schedules, and learned how to pick a learning rate. Here
# the same loop, with nothing new in it, trained a neural network. Larger
# networks are trained the same way, and the checks of this lesson still
# apply. To revisit any step, go back to the [list of lessons](../index.md).

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
# **Exercise 2 (break it and explain).** Run the gradient check of the last
# section in `float32`: use `copy.deepcopy(model)` without `.double()`, and
# the training data as it is. Do the central differences still agree with
# autograd to 8 decimal places? Explain.

# %% tags=["solution"]
single = copy.deepcopy(model)  # float32, as trained
gd.mse(single(x_train), y_train).backward()
estimate = gd.finite_difference_grad(
    lambda: gd.mse(single(x_train), y_train), single[0].weight)
grad = single[0].weight.grad
gap = (estimate - grad).abs().max().item()
print(f"largest gradient entry:        {grad.abs().max():.1e}")
print(f"largest difference in float32: {gap:.1e}")
# float32 keeps about 7 significant digits: a loss near 0.01 is rounded in
# steps of about 1e-9. Near a minimum the gradient is small, so a nudge of
# 2h = 2e-6 changes the loss by only a few such steps: up - down is mostly
# rounding, and dividing it by 2h turns that into differences about as
# large as the gradient itself. The check then tells us nothing.
assert gap > grad.abs().max() / 10

# %% [markdown]
# **Exercise 3 (break it and explain).** Remove `nn.Tanh()` from the network
# and train it the same way (Adam, `lr = 0.03`; 100 steps are enough here).
# How low does the training loss get? Compare it with the loss of the
# least-squares line through the training points, and explain.

# %% tags=["solution"]
torch.manual_seed(1)
flat = nn.Sequential(nn.Linear(1, 16), nn.Linear(16, 1))
opt = torch.optim.Adam(flat.parameters(), lr=0.03)
for _ in range(100):
    opt.zero_grad()
    gd.mse(flat(x_train), y_train).backward()
    opt.step()
flat_loss = gd.mse(flat(x_train), y_train).item()
# Two linear layers in a row are one line: w2 (w1 x + b1) + b2 is again
# slope * x + intercept. So the network can do no better than least squares.
X = torch.cat([x_train, torch.ones_like(x_train)], dim=1)
best = torch.linalg.lstsq(X, y_train).solution
line_loss = gd.mse(X @ best, y_train).item()
print(f"without tanh: {flat_loss:.4f}   least-squares line: {line_loss:.4f}")
assert abs(flat_loss - line_loss) < 1e-3 and flat_loss > 10 * train_loss
