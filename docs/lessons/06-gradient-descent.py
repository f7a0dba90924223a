# %% [markdown]
# # Gradient descent
#
# This is the lesson where everything comes together. You will write the
# gradient-descent loop by hand, watch the loss fall, and check the line it
# finds against the exact answer. Then you will see the same loop packaged as
# `gd.fit`, and look at the loss curve and the loss "landscape". How large the
# steps may be, and why, is the subject of the next lesson.

# %% [markdown]
# ## The rule
#
# The gradient says, for each number in the parameters, which way is *uphill*
# for the loss and how steep it is there. To make the loss smaller we step the
# other way:
#
# $$a \leftarrow a - \eta \, \frac{\partial L}{\partial a}$$
#
# Here $\eta$ (the Greek letter eta) is the **learning rate**, called `lr` in
# code: a small number that sets how far each step goes. Picture standing on a
# hillside in fog. You cannot see the valley, but you can feel the slope under
# your feet, so you take a step downhill, feel again, and repeat.
#
# The slope sets both the direction *and* the size of the step. Far from the
# bottom the ground is steep and the steps are long; near the bottom it
# flattens out and the steps shrink by themselves, without us changing `lr`.
# (We check this below, once we have a full run.)

# %% [markdown]
# ## One step, in numbers
#
# We start from the same first guess, $a = (1, 1)$, and take one step with
# `lr = 0.1`, exactly as in the last lesson: inside `torch.no_grad()`, the
# in-place `a.sub_(lr*a.grad)`, then `a.grad.zero_()`. To print `a` without its
# tracking we use `a.detach()`: the same numbers, as a plain tensor.

# %%
import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42)
lr = 0.1
a = nn.Parameter(torch.tensor([1.,1]))

loss = gd.mse(x@a, y)
loss.backward()
print("gradient:   ", a.grad)
print("step:       ", -lr * a.grad)
with torch.no_grad():
    a.sub_(lr*a.grad)
    a.grad.zero_()
print("new a:      ", a.detach())
print(f"loss: {loss.item():.4f} -> {gd.mse(x@a, y).item():.4f}")
assert gd.mse(x@a, y) < loss

# %% [markdown]
# Both gradient entries were negative, so the step *raised* both the slope and
# the intercept, and the loss dropped.

# %% [markdown]
# ## The loop by hand
#
# Gradient descent is just that step, repeated. Each pass through the loop does
# four things, numbered in the comments: 1. predict, 2. measure the loss,
# 3. compute the gradient, 4. step downhill (unrecorded, and then clear the
# gradient for the next pass). We start again from $(1, 1)$ and run 100 steps,
# printing the loss every 10 steps.

# %%
a = nn.Parameter(torch.tensor([1.,1]))
losses = []
for step in range(100):
    y_hat = x@a  # 1. predict
    loss = gd.mse(y_hat, y)  # 2. measure the loss
    loss.backward()  # 3. the gradient, into a.grad
    with torch.no_grad():  # 4. step downhill, unrecorded,
        a.sub_(lr*a.grad)
        a.grad.zero_()  # and clear the gradient for the next pass
    losses.append(loss.item())
    if step % 10 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}")
print("final a:", a.detach())

# %% [markdown]
# The loss falls quickly at first, then more and more slowly as the line
# settles.

# %% [markdown]
# ## The same loop, as gd.fit
#
# [`gd.fit`](../reference.md#gd.fit) runs this loop for you and keeps a record.
# It takes the starting guess (and leaves your tensor untouched), and returns a
# `History` with:
#
# - `losses`: the loss *before* each update, one per step,
# - `params`: the starting point followed by the parameters after each update,
#   so 101 rows for 100 steps; `params[-1]` is the answer,
# - `overflowed`: whether it had to stop because the numbers grew past what
#   a float can hold,
# - `lr`: the learning rate used.
#
# It also answers two questions about the losses: `grew`, whether the last
# loss is more than 10 times the first, and `diverged`, whether the run
# overflowed or grew.
#
# Here is its loop, taken from the real file when this page was built. Its
# first six statements, from `y_hat = x @ a` to `a.grad.zero_()`, are our
# loop line for line (`gd/descent.py` calls the loss function by its own name,
# `mse`, where we write `gd.mse`). What follows them is bookkeeping: a check
# that stops early if the numbers stop being finite, and the record of losses
# and parameters.
#
# --8<-- "gd/descent.py:loop"

# %%
start = torch.tensor([1.,1])
history = gd.fit(x, y, start, lr=0.1, steps=100)
print("steps taken:", len(history.losses))
print("params shape:", tuple(history.params.shape))
print("overflowed:", history.overflowed, "| grew:", history.grew,
      "| diverged:", history.diverged)
print("final a:", history.params[-1])
# the same answer and the same losses as our loop
assert torch.allclose(history.params[-1], a.detach())
assert torch.allclose(torch.tensor(history.losses), torch.tensor(losses))
# the starting guess was not modified
assert torch.equal(start, torch.tensor([1.,1]))

# %% [markdown]
# It matches our hand-written loop number for number. The history also
# confirms that the steps shrank by themselves. The length of each step (the
# distance between consecutive rows of `params`, which `.norm` computes by
# Pythagoras) is much smaller at the end than at the start, with the same `lr`
# throughout:

# %%
moves = (history.params[1:] - history.params[:-1]).norm(dim=1)
print(f"first step: {moves[0]:.4f}   last step: {moves[-1]:.6f}")
assert moves[-1] < moves[0] / 10

# %% [markdown]
# Here is the line it found:

# %%
final = history.params[-1]
gd.plot_fit(x, y, final, label="after 100 steps")

# %% [markdown]
# ## Checking against the exact answer
#
# For a straight line there is also a direct way to find the best parameters,
# with no steps at all: **least squares**, which solves the problem exactly
# with linear algebra. PyTorch provides it as `torch.linalg.lstsq(x, y)`, and
# its `.solution` is the best `a`. It takes `y` as it is, a flat tensor of 100
# numbers. You will also meet a longer spelling, in later lessons too, that
# first turns `y` into a column with `y.unsqueeze(1)` and the answer back with
# `.squeeze(1)`: it is not needed, and gives the same answer up to the last
# digits of a float (the check below).
#
# Gradient descent matters because it works for *any* model whose gradient we
# can compute, including the large models called neural networks (lesson 11
# builds a small one), for which no direct formula exists. Here we can use
# the exact answer to check it.

# %%
best = torch.linalg.lstsq(x, y).solution
longer = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
assert best.shape == longer.shape == (2,)
assert torch.allclose(best, longer, atol=1e-5)
print("least squares:   ", best)
print("gradient descent:", final)
print("difference:      ", (final - best).abs())
assert torch.allclose(final, best, atol=0.01)

# %% [markdown]
# After 100 steps, gradient descent agrees with the exact answer to within
# 0.01 in both numbers (the assert checks it).
#
# Notice that the intercept is not 2, the value we built the data with. Lesson
# 1 explained why: the noise is uniform on $[0, 1)$, so it lifts the points by
# its average, about one half. The best line moves up by that average. The
# check below confirms that the intercept is close to 2 plus the average of
# the actual noise:

# %%
noise = y - x@torch.tensor([3.,2])
print(f"2 + average noise: {2 + noise.mean().item():.4f}")
print(f"fitted intercept:  {best[1].item():.4f}")
assert abs(best[1] - (2 + noise.mean())) < 0.02

# %% [markdown]
# ## How low can the loss go?
#
# Even the best line cannot follow the noise, so the loss never reaches zero.
# The floor is the loss of the least-squares line: no straight line does
# better. Where does that number come from? Take the true line lifted by the
# noise's average, $a = (3, 2 + \text{average noise})$. Its errors are the
# noise values minus their average, so its loss is the mean of their squares:
# by definition, the **variance** of our 100 noise values. (`var` divides by
# $n - 1$ unless told `correction=0`; we want the plain mean, so we say so.)
#
# The least-squares line does a little better still, because it can tilt
# towards the quirks of this particular sample. And the sample's variance is
# itself only close to $1/12$, the variance of noise uniform on $[0, 1)$ in
# general: 100 random draws do not hit it exactly.

# %%
lifted = torch.tensor([3., 2 + noise.mean().item()])
lifted_loss = gd.mse(x@lifted, y).item()
sample_variance = noise.var(correction=0).item()
final_loss = gd.mse(x@final, y).item()
best_loss = gd.mse(x@best, y).item()
print(f"gradient descent, 100 steps: {final_loss:.4f}")
print(f"least squares (the floor):   {best_loss:.4f}")
print(f"true line, lifted:           {lifted_loss:.4f}")
print(f"variance of our noise:       {sample_variance:.4f}")
print(f"1/12:                        {1 / 12:.4f}")
assert abs(lifted_loss - sample_variance) < 1e-6  # the lifted line's loss
assert best_loss < lifted_loss  # least squares tilts a little better
assert 0 <= final_loss - best_loss < 1e-4  # and descent reached the floor
assert abs(sample_variance - 1 / 12) < 0.015  # near, not equal to, 1/12

# %% [markdown]
# Where does $1/12$ come from? It is what the variance of uniform noise on
# $[0, 1)$ settles to over very many draws; a million of them come close:

# %%
draws = torch.rand(10**6, generator=torch.Generator().manual_seed(0))
print(f"variance of a million draws: {draws.var(correction=0).item():.5f}")
assert abs(draws.var(correction=0).item() - 1 / 12) < 1e-3

# %% [markdown]
# ## The loss curve
#
# [`gd.plot_losses`](../reference.md#gd.plot_losses) draws the loss at each
# step. The vertical axis is logarithmic: each labelled tick is ten times the
# one below. On such an axis a steady fall by the same *fraction* at every
# step is a straight line. The loss curve is not one: it bends, flatter and
# flatter, onto the floor we just computed.

# %%
gd.plot_losses(history)

# %% [markdown]
# What does fall by a steady fraction is the part of the loss that can still
# go: the loss *minus the floor*. The general rule, whose reasons the next
# lesson gives: when the loss is a bowl like ours (a squared error of a
# straight line) and the learning rate is fixed and small enough for descent
# to converge, then after a few steps the loss minus the floor shrinks by the
# same factor at every step. The table checks it on our run. The column
# "kept" is the fraction of the gap to the floor that the next step keeps;
# the last column is the same fraction for the loss itself.

# %%
losses = torch.tensor(history.losses, dtype=torch.float64)
gap = losses - best_loss  # how far above the floor
kept = gap[1:] / gap[:-1]  # the fraction of the gap each step keeps
kept_loss = losses[1:] / losses[:-1]  # the same for the loss itself
print("step   loss    loss - floor   kept   loss kept")
for k in (0, 10, 20, 40, 60, 80, 98):
    print(f"{k:4d}  {losses[k]:.4f}  {gap[k]:11.2e}  {kept[k]:6.3f}"
          f"  {kept_loss[k]:9.4f}")
steady = kept[20:90]
assert steady.max() - steady.min() < 0.01  # the same factor, step after step
assert kept_loss[-10:].min() > 0.999  # while the loss itself barely moves

# %% [markdown]
# ## The loss landscape
#
# The loss depends on only two numbers, so we can draw it as a map: slope
# across, intercept up, and contour lines joining points of equal loss, like
# the height lines of a hiking map.
# [`gd.plot_landscape`](../reference.md#gd.plot_landscape) draws this map,
# marks the least-squares answer with a star, and traces the path that
# gradient descent took.

# %%
gd.plot_landscape(x, y, history)

# %% [markdown]
# The contours are stretched ellipses: the valley is steep across the
# intercept direction and shallow along the slope direction. Gradient descent
# always steps straight downhill, so it first mostly fixes the intercept (the
# steep direction), then travels along the flatter valley floor towards the
# star. The numbers confirm it: by the time the intercept is close to its best
# value, the slope is still far from its own.

# %%
# distance from the answer, per step and parameter
error = (history.params - best).abs()
# the first step with the intercept within 0.1
i = int((error[:, 1] < 0.1).int().argmax())
print(f"step {i}: intercept off by {error[i, 1]:.3f}")
print(f"slope still off by {error[i, 0]:.3f}")
assert error[i, 0] > 0.5

# %% [markdown]
# A valley that is steep one way and shallow the other is also what limits
# the learning rate. That is where we go next.

# %% [markdown]
# ## Summary
#
# - Gradient descent repeats one step:
#   $a \leftarrow a - \eta \, \partial L / \partial a$. The gradient gives the
#   direction and, with the learning rate, the size; the steps shrink by
#   themselves near the bottom.
# - Each pass: 1. predict, 2. measure the loss, 3. `loss.backward()`,
#   4. `a.sub_(lr*a.grad)` inside `torch.no_grad()`, then `a.grad.zero_()`.
# - The hand-written loop and `gd.fit` give identical results, and after 100
#   steps with `lr = 0.1` they agree with the exact least-squares answer to
#   within 0.01.
# - The loss cannot fall below the least-squares loss. That floor sits just
#   below the variance of the 100 noise values we drew, which in turn is near
#   $1/12$, the variance of uniform noise on $[0, 1)$ (all printed above).
#   What shrinks by a steady fraction per step is the loss minus that floor,
#   not the loss itself.
# - The landscape is a stretched bowl: steep across the intercept, shallow
#   along the slope.
#
# Next: how large may the learning rate be, and what does the shape of the
# bowl have to do with it? Continue with the [next lesson](07-learning-rate.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** You call
# `gd.fit(x, y, torch.tensor([1.,1]), lr=0.1, steps=5)`. Predict the length of
# its `losses` and the shape of its `params` before running it.

# %% tags=["solution"]
short = gd.fit(x, y, torch.tensor([1.,1]), lr=0.1, steps=5)
print(len(short.losses), tuple(short.params.shape))
# One loss per step, measured before each update: 5.
assert len(short.losses) == 5
# The start plus one row per update: 6 rows of 2 numbers.
assert short.params.shape == (6, 2)

# %% [markdown]
# **Exercise 2 (break it and explain).** In the loop, replace `a.sub_` with
# `a.add_`, so each step goes *along* the gradient instead of against it. Run
# 5 steps from $(1, 1)$ and print the losses. What happens, and why?

# %% tags=["solution"]
wrong_way = nn.Parameter(torch.tensor([1.,1]))
climb = []
for _ in range(5):
    loss = gd.mse(x@wrong_way, y)
    loss.backward()
    with torch.no_grad():
        wrong_way.add_(lr*wrong_way.grad)  # the broken line
        wrong_way.grad.zero_()
    climb.append(round(loss.item(), 2))
print(climb)
# The gradient points uphill, so adding it climbs: every loss is higher than
# the one before.
assert all(b > a for a, b in zip(climb[:-1], climb[1:], strict=True))

# %% [markdown]
# **Exercise 3 (practice).** `torch.optim.SGD` performs the same update rule.
# Reproduce `history` (100 steps, `lr = 0.1`, from $(1, 1)$) using it, with
# `opt.zero_grad()`, `loss.backward()` and `opt.step()`.

# %% tags=["solution"]
p = nn.Parameter(torch.tensor([1.,1]))
opt = torch.optim.SGD([p], lr=0.1)
for _ in range(100):
    opt.zero_grad()
    loss = gd.mse(x@p, y)
    loss.backward()
    opt.step()
print(p.detach(), history.params[-1])
assert torch.allclose(p.detach(), history.params[-1], atol=1e-6)

# %% [markdown]
# **Exercise 4 (practice).** Start from $a = (-2, 5)$ instead. Does gradient
# descent still find the least-squares line? How many steps does it need (with
# `lr = 0.1`) before both numbers are within 0.01 of it?

# %% tags=["solution"]
far = gd.fit(x, y, torch.tensor([-2.,5]), lr=0.1, steps=300)
close = ((far.params - best).abs() < 0.01).all(dim=1)  # one True per step
first = int(close.int().argmax())  # the first step where both are close
print("steps needed:", first)
assert close[first] and not close[:first].any()
assert torch.allclose(far.params[-1], best, atol=1e-3)
