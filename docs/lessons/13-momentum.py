# %% [markdown]
# # Momentum
#
# In a long, narrow valley plain gradient descent is stuck with a bad bargain:
# the steep walls cap the learning rate, and with that small rate the gentle
# valley floor takes forever. Momentum changes the step, not the rate: it
# keeps a running *velocity* that adds up the gradients as it goes, so steps
# grow where the gradient keeps pointing the same way and stay small where it
# flips back and forth. In this lesson you will write momentum by hand in the
# loop you know, check it step by step against `torch.optim.SGD`, see that
# the forgotten `zero_()` of [an earlier lesson](09-when-the-loop-goes-wrong.py)
# was momentum in disguise, and
# measure, direction by direction, why it crosses the valley so much faster.

# %% [markdown]
# ## The valley, again
#
# We use the [conditioning lesson](12-conditioning.py)'s problem: the same noise as always, but
# with the inputs spread over $[0, 10)$ instead of $[-1, 1)$. As in the
# learning-rate lesson, the curvature matrix $H = \frac{2}{n} X^\top X$ has
# two directions of most and least curvature (its eigenvectors) with their
# curvatures (its eigenvalues). Their ratio, the **condition number**, says
# how stretched the valley is, and the steepest curvature sets the largest
# stable learning rate, $2 / \lambda_{max}$.

# %%
import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42, x_range=(0, 10))
H = 2 / len(y) * x.T @ x
curvatures, directions = torch.linalg.eigh(H)  # gentlest first
print("curvatures:", curvatures)
print(f"condition number: {curvatures[1] / curvatures[0]:.0f}")
print(f"largest stable learning rate: {2 / curvatures[1]:.4f}")
assert 145 < curvatures[1] / curvatures[0] < 155

# %% [markdown]
# The valley is about 150 times steeper across than along. Take a learning
# rate just under the limit, 0.027, and run plain gradient descent for 100
# steps from $(1, 1)$. As we saw in the learning-rate lesson, every step
# multiplies the distance to the answer along each direction by
# $1 - \eta\lambda$, with that direction's curvature $\lambda$. Across the
# valley that factor is close to $-1$: a zig-zag that dies out slowly. Along
# the floor it is close to $+1$: a crawl.

# %%
lr = 0.027
start = torch.tensor([1.,1])
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
floor = gd.mse(x@best, y).item()
plain = gd.fit(x, y, start, lr=lr, steps=100)
along, across = (1 - lr * curvatures).tolist()
print(f"factor across: {across:+.3f}   along: {along:+.3f}")
print(f"along the floor, kept after 100 steps: {along ** 100:.2f}")
print(f"loss after 100 steps: {plain.losses[-1]:.4f} (floor {floor:.4f})")
assert -1 < across < -0.9 and 0.98 < along < 1 and along ** 100 > 0.25
assert plain.losses[-1] > 1.2 * floor

# %% [markdown]
# After 100 steps more than a quarter of the distance along the floor is
# still left, and the loss is well above the least-squares floor. A larger
# learning rate would cover the floor faster, but the steep direction would
# then diverge.

# %% [markdown]
# ## A velocity that remembers
#
# Picture a heavy ball rolling down the valley instead of a hiker who stops
# after every step. The ball carries speed from one moment to the next. We
# give descent the same memory with a **velocity** $v$, a running total of
# the gradients $g$. Each step first updates the velocity, then moves along it:
#
# $$v \leftarrow \beta v + g, \qquad a \leftarrow a - \eta v$$
#
# The number $\beta$ (beta), called the **momentum**, lies between 0 and 1:
# it is the fraction of the old velocity that survives each step. So $v$ is
# the newest gradient, plus $\beta$ times the one before, plus $\beta^2$ times
# the one before that, and so on: old gradients fade away.
#
# What does such a sum do? Feed it two made-up sequences of gradients, no
# descent yet, with $\beta = 0.9$: one where the gradient is always 1, and one
# where it flips between $+1$ and $-1$.


# %%
def velocities(gradients, momentum):
    """The velocity after each gradient, starting from zero."""
    v, history = 0., []
    for g in gradients:
        v = momentum*v + g
        history.append(v)
    return history


steady = velocities([1.] * 60, 0.9)
flipping = velocities([(-1.) ** k for k in range(60)], 0.9)
print("same sign:", [round(v, 2) for v in steady[:4]], "...",
      round(steady[-1], 3))
print("flipping: ", [round(v, 2) for v in flipping[:4]], "...",
      round(flipping[-1], 3))

# %% [markdown]
# The steady velocity grows towards 10, ten times a single gradient. Where
# does 10 come from? Once $v$ stops changing, $v = 0.9\,v + 1$, so
# $v = 1 / (1 - 0.9)$. The flipping one settles at about $\pm 0.53$: if it
# alternates between $+V$ and $-V$, then $V = 0.9\,(-V) + 1$ on every other
# step, so $V = 1 / (1 + 0.9)$. The flips cancel each other out instead of
# adding up.

# %%
assert abs(steady[-1] - 1 / (1 - 0.9)) < 0.02
assert abs(flipping[-2] - 1 / (1 + 0.9)) < 0.01  # after a +1
assert abs(flipping[-1] + 1 / (1 + 0.9)) < 0.01  # after a -1

# %% [markdown]
# That is the whole idea. Along the valley floor the gradient points the same
# way step after step, so the velocity builds up and the steps become up to
# $1 / (1 - \beta)$ times longer. Across the valley the gradient flips sign
# with every zig-zag, and the velocity does not build up.

# %% [markdown]
# ## The heavy ball by hand
#
# Here is the loop of the gradient-descent lesson with two changes: a
# velocity that starts at zero, and a step along the velocity instead of
# along the gradient. We use $\beta = 0.8$.

# %%
momentum = 0.8
a = nn.Parameter(torch.tensor([1.,1]))
velocity = torch.zeros(2)
path = [a.detach().clone()]
for _ in range(100):
    loss = gd.mse(x@a, y)
    loss.backward()
    with torch.no_grad():
        velocity = momentum*velocity + a.grad  # remember, then add
        a.sub_(lr*velocity)  # step along the velocity
        a.grad.zero_()
    path.append(a.detach().clone())
path = torch.stack(path)
print(f"loss after 100 steps: {gd.mse(x@a, y).item():.4f}"
      f" (floor {floor:.4f})")
assert gd.mse(x@a, y).item() < 1.001 * floor

# %% [markdown]
# With the same learning rate, the same start and the same 100 steps, the
# loss is now on the floor.

# %% [markdown]
# ## The same, with torch.optim.SGD
#
# `torch.optim.SGD` has this rule built in: pass `momentum=0.8`. The
# optimizer keeps the velocity for each parameter in its `state`, under the
# name `"momentum_buffer"`. On its very first step torch sets the velocity to
# the gradient itself, which is what our zero start gives too
# ($0.8 \cdot 0 + g = g$). (`SGD` has two more settings that would change
# the rule, `dampening` and `nesterov`; both are off unless you ask, which
# the code checks.) We run the PyTorch loop from the same start and compare
# every step, and the velocities.

# %%
b = nn.Parameter(torch.tensor([1.,1]))
opt = torch.optim.SGD([b], lr=lr, momentum=momentum)
assert opt.defaults["dampening"] == 0 and not opt.defaults["nesterov"]
torch_path = [b.detach().clone()]
for step in range(100):
    opt.zero_grad()
    gd.mse(x@b, y).backward()
    opt.step()
    if step == 0:  # torch's first velocity is the first gradient
        assert torch.equal(opt.state[b]["momentum_buffer"], b.grad)
    torch_path.append(b.detach().clone())
torch_path = torch.stack(torch_path)
difference = (torch_path - path).abs().max().item()
print(f"largest difference over 101 positions: {difference:.1e}")
assert torch.allclose(torch_path, path, atol=1e-5)
assert torch.allclose(opt.state[b]["momentum_buffer"], velocity, atol=1e-4)

# %% [markdown]
# The two agree at every step, up to rounding in the last digits of a
# float. From here on we let [`gd.train`](../reference.md#gd.train) run this
# PyTorch loop for us: it takes the optimizer's settings as keywords and
# returns a `History`, like `gd.fit`.

# %%
heavy = gd.train(x, y, start, lr=lr, momentum=momentum, steps=100)
assert torch.allclose(heavy.params, torch_path)

# %% [markdown]
# ## Two special cases: no memory, and no forgetting
#
# With $\beta = 0$ the velocity is just the newest gradient, so momentum is
# plain gradient descent: `gd.train` with `momentum=0` retraces `gd.fit`.

# %%
no_memory = gd.train(x, y, start, lr=lr, momentum=0, steps=100)
assert torch.allclose(no_memory.params, plain.params, atol=1e-5)

# %% [markdown]
# With $\beta = 1$ nothing fades: the velocity is the plain sum of every
# gradient so far. You have met that sum before. When the loop forgot
# `a.grad.zero_()`, `backward()` kept adding each new gradient to `a.grad`,
# so every step used the running sum of all the gradients so far. Below, the
# forgetful loop (with a small learning rate) against `torch.optim.SGD` with
# `momentum=1`:

# %%
a = nn.Parameter(torch.tensor([1.,1]))
forgetful = []
for _ in range(30):
    loss = gd.mse(x@a, y)
    loss.backward()
    with torch.no_grad():
        a.sub_(0.001*a.grad)  # no a.grad.zero_(): a.grad is a running sum
    forgetful.append(loss.item())
no_decay = gd.train(x, y, start, lr=0.001, momentum=1, steps=30)
print("losses:", [round(v) for v in forgetful[:12]], "...")
assert torch.allclose(torch.tensor(no_decay.losses),
                      torch.tensor(forgetful), rtol=1e-4)
assert torch.allclose(no_decay.params[-1], a.detach(), atol=1e-5)
# down near the floor, then back above where it started
assert min(forgetful) < 2 and max(forgetful[10:]) > forgetful[0]

# %% [markdown]
# The same numbers: forgetting `zero_()` *is* momentum with $\beta = 1$. And
# that is why the loss swung up and down in that lesson: a velocity that
# never forgets keeps its speed forever, so the ball rolls through the bottom
# and up the other side, again and again.

# %% [markdown]
# ## Why it helps, one direction at a time
#
# As in the learning-rate lesson, we measure how far each run is from the
# answer along each of the two directions. `offset @ directions` gives both
# distances at once: column 0 along the floor, column 1 across the valley.

# %%
plain_off = (plain.params - best) @ directions
heavy_off = (heavy.params - best) @ directions
print("along the floor after 20, 50, 100 steps:")
for name, off in (("plain", plain_off), ("momentum", heavy_off)):
    print(f"  {name:9}", [f"{v:.2g}" for v in off[[20, 50, 100], 0].tolist()])
print("largest swing across, steps 20 to 40:")
print(f"  plain: {plain_off[20:41, 1].abs().max():.3f}"
      f"   momentum: {heavy_off[20:41, 1].abs().max():.3f}")
assert heavy_off[50, 0].abs() < plain_off[100, 0].abs() / 10
assert heavy_off[20:41, 1].abs().max() < plain_off[20:41, 1].abs().max()

# %% [markdown]
# Both effects of the velocity show. Along the floor, where every gradient
# points the same way, momentum covers in 50 steps far more than plain descent
# covers in 100. Across the valley the zig-zag dies out faster: there the
# gradients flip sign, and in the velocity they partly cancel instead of
# adding up. The figure shows the two distances, step by step, on a log
# scale.

# %%
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

fig = plt.figure(figsize=(4.4, 4.2), layout="constrained")
top, bottom = fig.subplots(2, 1, sharex=True)
for off, label in ((plain_off, "plain"), (heavy_off, "momentum 0.8")):
    top.plot(off[:, 1].abs(), label=label)
    bottom.plot(off[:, 0].abs(), label=label)
for ax, title in ((top, "across the valley"),
                  (bottom, "along the valley floor")):
    ax.set(yscale="log", ylabel="distance", title=title)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
bottom.set_xlabel("step")
top.legend()
gd.describe(fig, "Distance to the answer against step, on a log scale. "
            "Across the valley both runs zig-zag in, momentum faster. "
            "Along the floor plain descent only gets down to "
            f"{plain_off[100, 0].abs():.2f} in 100 steps; momentum gets "
            f"below {heavy_off[100, 0].abs():.0e}.");

# %% [markdown]
# On the landscape, the two paths from $(1, 1)$, drawn by
# [`gd.plot_paths`](../reference.md#gd.plot_paths): plain descent bounces
# between the walls and stops short of the star; the heavy ball swings wider
# at first but rolls all the way to the bottom.

# %%
gd.plot_paths(x, y, plain, heavy, labels=["plain", "momentum 0.8"])

# %% [markdown]
# ## Too much momentum
#
# If a little memory helps, why not keep almost all of it? With
# $\beta = 0.99$ the velocity hardly fades: the ball has almost no friction.
# It overshoots the bottom and climbs the far side, again and again: the loss
# even rises above where it started, and after 100 steps it is still far
# from the floor.

# %%
slippery = gd.train(x, y, start, lr=lr, momentum=0.99, steps=100)
print("loss every 10 steps:", [round(v, 1) for v in slippery.losses[::10]])
assert max(slippery.losses) > slippery.losses[0]  # it climbs past the start
assert slippery.losses[-1] > 10 * heavy.losses[-1]

# %%
gd.plot_losses(plain, heavy, slippery,
               labels=["plain", "momentum 0.8", "momentum 0.99"])

# %% [markdown]
# ## Try it yourself
#
# Below, `gd.sweep` ran `gd.train` 100 steps from $(1, 1)$ on this valley for
# every pair of a learning rate and a momentum, when this page was built.
# Pick a pair with the sliders and press *Play*. Things to look for: with
# momentum 0, the
# largest safe rate crawls; with 0.8 the same rate arrives; 0.95 keeps
# swinging; a rate of 0.04 diverges without momentum but not with it; and
# 0.06 is too large for every momentum.

# %%
explorer = gd.sweep(
    lambda lr, momentum: gd.train(x, y, start, lr=lr, momentum=momentum,
                                  steps=100),
    gd.line_loss(x, y), x=x, y=y,
    lr=[0.01, 0.027, 0.04, 0.06], momentum=[0, 0.5, 0.8, 0.9, 0.95])
explorer

# %% [markdown]
# The checks behind those hints:

# %%
run = explorer.history
assert run(lr=0.027, momentum=0.95).losses[-1] > 2 * floor
assert run(lr=0.04, momentum=0).diverged
assert not any(run(lr=0.04, momentum=m).diverged for m in (0.5, 0.8, 0.9))
assert all(run(lr=0.06, momentum=m).diverged
           for m in (0, 0.5, 0.8, 0.9, 0.95))

# %% [markdown]
# ## Summary
#
# - Momentum keeps a velocity, $v \leftarrow \beta v + g$, and steps along
#   it, $a \leftarrow a - \eta v$. Gradients that keep their sign add up (to
#   as much as $1 / (1 - \beta)$ times one gradient); gradients that flip
#   sign partly cancel.
# - `torch.optim.SGD(params, lr=..., momentum=beta)` is exactly this rule; its
#   velocity is `opt.state[p]["momentum_buffer"]`, and its first velocity is
#   the first gradient.
# - $\beta = 0$ is plain gradient descent; $\beta = 1$ never forgets and is
#   what forgetting `a.grad.zero_()` did.
# - In the narrow valley, at the same learning rate, momentum travels along
#   the floor much faster and lets the zig-zag across it die out faster. Too
#   much momentum ($\beta = 0.99$ here) swings back and forth for a long time.
#
# Momentum gives every direction the same learning rate and fixes the speed
# with memory. The next idea gives each parameter a step size of its own.
# Continue with the [next lesson](14-rmsprop-and-adam.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A parameter `p` starts at 0 and its
# loss is `2 * p`, so its gradient is always 2. Take two steps with
# `torch.optim.SGD([p], lr=0.1, momentum=0.9)`. Predict the momentum buffer
# and `p` after the second step.

# %% tags=["solution"]
p = nn.Parameter(torch.tensor(0.))
opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
for _ in range(2):
    opt.zero_grad()
    (2 * p).backward()
    opt.step()
buffer = opt.state[p]["momentum_buffer"]
print(f"buffer: {buffer.item():.4f}   p: {p.item():.4f}")
# First velocity: the gradient, 2. Second: 0.9 * 2 + 2 = 3.8.
assert torch.isclose(buffer, torch.tensor(3.8))
# p moved by 0.1 * 2 and then by 0.1 * 3.8: to -0.58 in all.
assert torch.isclose(p.detach(), torch.tensor(-0.58))

# %% [markdown]
# **Exercise 2 (break it and explain).** In the heavy-ball loop, delete the
# line `a.grad.zero_()` and run 30 steps with `lr = 0.027` and
# $\beta = 0.8$. What happens to the loss, and why?

# %% tags=["solution"]
a = nn.Parameter(torch.tensor([1.,1]))
velocity = torch.zeros(2)
broken = []
for _ in range(30):
    loss = gd.mse(x@a, y)
    loss.backward()
    with torch.no_grad():
        velocity = 0.8*velocity + a.grad
        a.sub_(0.027*velocity)  # the broken loop: a.grad is never cleared
    broken.append(loss.item())
print(f"loss: first {broken[0]:.1f}, last {broken[-1]:.3g}")
# a.grad now holds the sum of all gradients so far, and the velocity adds up
# those sums again: two memories stacked, neither forgetting. The steps grow
# and the loss explodes, where the correct loop reached the floor.
assert broken[-1] > 1e6 * broken[0]

# %% [markdown]
# **Exercise 3 (practice).** A learning rate of 0.04 is above the limit of
# plain descent for this valley. Check with `gd.train` that plain descent
# diverges with it, while momentum 0.8 still reaches the least-squares
# answer in 100 steps.

# %% tags=["solution"]
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)  # we check .diverged
    too_fast = gd.train(x, y, start, lr=0.04, steps=100)
rescued = gd.train(x, y, start, lr=0.04, momentum=0.8, steps=100)
print("plain diverged:", too_fast.diverged)
print("momentum ends at", rescued.params[-1], "least squares:", best)
assert too_fast.diverged and 2 / curvatures[1] < 0.04
assert torch.allclose(rescued.params[-1], best, atol=1e-3)

# %% [markdown]
# **Exercise 4 (practice).** Use `velocities` to check the sum behind the
# velocity: with $\beta = 0.5$ and the gradients 4, 2, 1, the final velocity
# should be $1 + 0.5 \cdot 2 + 0.25 \cdot 4$. Then find how many steps of a
# constant gradient 1 it takes, with $\beta = 0.9$, to reach 90% of the
# settled velocity 10.

# %% tags=["solution"]
final = velocities([4., 2., 1.], 0.5)[-1]
assert final == 1 + 0.5 * 2 + 0.25 * 4
build_up = velocities([1.] * 100, 0.9)
k = next(i for i, v in enumerate(build_up) if v >= 9) + 1
print("velocity", final, "| steps to 90% of 10:", k)
# after k steps the velocity is 10 * (1 - 0.9**k): at least 9 once
# 0.9**k <= 0.1, that is k >= 21.85
assert k == 22 and 0.9 ** 22 <= 0.1 < 0.9 ** 21
