# %% [markdown]
# # Gradient descent
#
# This is the lesson where everything comes together. You will write the
# gradient-descent loop by hand, watch the loss fall, and check the line it finds
# against the exact answer. Then you will see the same loop packaged as `gd.fit`,
# look at the loss curve and the loss "landscape", and find out what happens when
# the learning rate is too small, too large, or far too large, and why there
# is a sharp limit.

# %% [markdown]
# ## The rule
#
# The gradient says, for each parameter, which way is *uphill* for the loss and
# how steep it is there. To make the loss smaller we step the other way:
#
# $$a \leftarrow a - \eta \, \frac{\partial L}{\partial a}$$
#
# Here $\eta$ (the Greek letter eta) is the **learning rate**, called `lr` in code:
# a small number that sets how far each step goes. Picture standing on a hillside
# in fog. You cannot see the valley, but you can feel the slope under your feet,
# so you take a step downhill, feel again, and repeat.
#
# The slope sets both the direction *and* the size of the step. Far from the
# bottom the ground is steep and the steps are long; near the bottom it flattens
# out and the steps shrink by themselves, without us changing `lr`.

# %% [markdown]
# ## One step, in numbers
#
# We start from the same first guess, $a = (1, 1)$, and take one step with
# `lr = 0.1`.

# %%
import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42)
lr = 0.1
a = nn.Parameter(torch.tensor([1.0, 1.0]))

loss = gd.mse(x @ a, y)
loss.backward()
print("gradient:   ", a.grad)
print("step:       ", -lr * a.grad)
with torch.no_grad():
    a -= lr * a.grad
    a.grad.zero_()
print("new a:      ", a.data)
print(f"loss: {loss.item():.4f} -> {gd.mse(x @ a, y).item():.4f}")

# %% [markdown]
# Both gradient entries were negative, so the step *raised* both the slope and
# the intercept, and the loss dropped.

# %% [markdown]
# ## The loop by hand
#
# Gradient descent is just that step, repeated. Each pass through the loop does
# four things: predict, measure the loss, compute the gradient, step (then clear
# the gradient for the next pass). We start again from $(1, 1)$ and run 100 steps,
# printing the loss every 10 steps.

# %%
a = nn.Parameter(torch.tensor([1.0, 1.0]))
losses = []
for step in range(100):
    loss = gd.mse(x @ a, y)  # 1. predict and measure
    loss.backward()  # 2. gradient into a.grad
    with torch.no_grad():  # 3. step downhill, unrecorded
        a -= lr * a.grad
        a.grad.zero_()  # 4. clear for the next step
    losses.append(loss.item())
    if step % 10 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}")
print("final a:", a.data)

# %% [markdown]
# The loss falls quickly at first, then more and more slowly as the line settles.

# %% [markdown]
# ## The same loop, as gd.fit
#
# [`gd.fit`](../reference.md#gd.fit) is exactly this loop, plus some record keeping. It
# takes the starting guess (and leaves your tensor untouched), and returns a
# `History` with:
#
# - `losses`: the loss *before* each update, one per step,
# - `params`: the starting point followed by the parameters after each update,
#   so 101 rows for 100 steps; `params[-1]` is the answer,
# - `diverged`: whether it had to stop because the numbers blew up,
# - `lr`: the learning rate used.
#
# Here is its loop, taken from the real file when this page was built. Set aside
# the bookkeeping (`losses`, `params`, the divergence check) and it is our loop
# line for line:
#
# --8<-- "gd/descent.py:loop"

# %%
start = torch.tensor([1.0, 1.0])
history = gd.fit(x, y, start, lr=0.1, steps=100)
print("steps taken:", len(history.losses), "| params shape:", tuple(history.params.shape))
print("diverged:", history.diverged, "| final a:", history.params[-1])
assert torch.allclose(history.params[-1], a.detach())  # same answer as our loop
assert torch.allclose(torch.tensor(history.losses), torch.tensor(losses))  # same losses
assert torch.equal(start, torch.tensor([1.0, 1.0]))  # the starting guess was not modified

# %% [markdown]
# It matches our hand-written loop number for number. Here is the line it found:

# %%
final = history.params[-1]
gd.plot_fit(x, y, final, label="after 100 steps")

# %% [markdown]
# ## Checking against the exact answer
#
# For a straight line there is also a direct way to find the best parameters,
# with no steps at all: **least squares**, which solves the problem exactly
# with linear algebra. PyTorch provides it as `torch.linalg.lstsq`. (It wants
# `y` as a column, hence `unsqueeze(1)`, and returns one as well, hence
# `squeeze(1)`.)
#
# Gradient descent matters because it works for *any* model whose gradient we can
# compute, neural networks included, where no direct formula exists. Here we can
# use the exact answer to check it.

# %%
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
print("least squares:   ", best)
print("gradient descent:", final)
print("difference:      ", (final - best).abs())
assert torch.allclose(final, best, atol=0.01)

# %% [markdown]
# After 100 steps, gradient descent agrees with the exact answer to within 0.01 in
# both numbers (the assert checks it).
#
# Notice that the intercept is not 2, the value we built the data with. Lesson 1
# explained why: the noise is uniform on $[0, 1)$, so it lifts the points by its
# average, about one half. The best line moves up by that average. The check
# below confirms that the intercept is close to 2 plus the average of the
# actual noise:

# %%
noise = y - x @ torch.tensor([3.0, 2.0])
print(f"2 + average noise = {2 + noise.mean().item():.4f}, fitted intercept = {best[1].item():.4f}")
assert abs(best[1] - (2 + noise.mean())) < 0.02

# %% [markdown]
# ## How low can the loss go?
#
# Even the best line cannot follow the noise, so the loss never reaches zero.
# Once the line has absorbed the noise's average, what is left is the noise's
# spread around that average, and the mean of its square is the **variance**. For
# noise uniform on $[0, 1)$ the variance is $1/12 \approx 0.083$. Our 100 noise
# values are a random sample, so their variance is only close to that, and the
# best line can even do slightly better than it by tilting a little towards the
# sample's quirks.

# %%
final_loss = gd.mse(x @ final, y).item()
best_loss = gd.mse(x @ best, y).item()
print(f"gradient descent loss: {final_loss:.4f}")
print(f"least-squares loss:    {best_loss:.4f}")
print(f"variance of the noise: {noise.var(correction=0).item():.4f}   (theory: {1 / 12:.4f})")
assert final_loss >= best_loss - 1e-6  # nothing beats least squares
assert final_loss - best_loss < 1e-4  # ... and we are at its floor
assert best_loss <= noise.var(correction=0).item()  # the best line beats the sample variance
assert abs(final_loss - 1 / 12) < 0.015  # which sits near the theoretical 1/12

# %% [markdown]
# ## The loss curve
#
# [`gd.plot_losses`](../reference.md#gd.plot_losses) draws the loss at each step. The vertical
# axis is logarithmic: each labelled tick is ten times the one below. On such an axis
# a steady fall by the same *fraction* at every step is a straight line. That is
# roughly what we see at first, until the curve flattens onto the floor we just computed.

# %%
gd.plot_losses(history)

# %% [markdown]
# ## The loss landscape
#
# The loss depends on only two numbers, so we can draw it as a map:
# slope across, intercept up, and contour lines joining points of equal loss,
# like the height lines of a hiking map. [`gd.plot_landscape`](../reference.md#gd.plot_landscape)
# draws this map, marks the least-squares answer with a star, and traces the
# path that gradient descent took.

# %%
gd.plot_landscape(x, y, history)

# %% [markdown]
# The contours are stretched ellipses: the valley is steep across the intercept
# direction and shallow along the slope direction. Gradient descent always steps
# straight downhill, so it first mostly fixes the intercept (the steep
# direction), then travels along the flatter valley floor towards the star.
# The numbers confirm it: by the time the intercept is close to its best value,
# the slope is still far from its own.

# %%
error = (history.params - best).abs()  # distance from the answer, per step and parameter
i = int((error[:, 1] < 0.1).int().argmax())  # first step with the intercept within 0.1
print(f"step {i}: intercept off by {error[i, 1]:.3f}, slope still off by {error[i, 0]:.3f}")
assert error[i, 0] > 0.5

# %% [markdown]
# ## Choosing the learning rate
#
# Run the same 100 steps with three learning rates: 10 times smaller, the one we
# used, and 9 times larger.

# %%
slow = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=0.01)
fast = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=0.9)
for h in (slow, history, fast):
    print(f"lr = {h.lr:<4}  loss after 100 steps: {gd.mse(x @ h.params[-1], y).item():.4f}")
assert gd.mse(x @ slow.params[-1], y) > 2 * best_loss  # too slow: still far from the floor

# %%
gd.plot_losses(slow, history, fast)

# %% [markdown]
# With `lr = 0.01` the steps are too short: after 100 steps the loss is still
# far above the floor. It would get there, just slowly.
#
# With `lr = 0.9` the loss reaches the floor sooner than with `lr = 0.1`. Counting
# the steps each needs to get within 1% of the least-squares loss:


# %%
def steps_to_floor(h):
    """The first step whose loss is within 1% of the least-squares loss."""
    return next(i for i, value in enumerate(h.losses) if value < 1.01 * best_loss)


print("lr = 0.1:", steps_to_floor(history), "steps")
print("lr = 0.9:", steps_to_floor(fast), "steps")
assert steps_to_floor(fast) < steps_to_floor(history)

# %% [markdown]
# So why not always use a big learning rate? Look at the first few intercepts
# that `lr = 0.9` visits:

# %%
print(fast.params[:6, 1])

# %% [markdown]
# The intercept **overshoots**: it jumps past the best value, then back, then
# past again, each time by a little less. A slightly larger learning rate and
# the jumps stop shrinking.

# %% [markdown]
# ## The limit
#
# The MSE of a line is an exact bowl (a quadratic), and for such a bowl every step
# multiplies the distance to the bottom, along each main direction of the valley,
# by $1 - \eta \lambda$, where $\lambda$ measures how sharply the loss curves in
# that direction. For the MSE, these curvatures are
# the eigenvalues of the matrix $\frac{2}{n} X^\top X$ (the derivative of the
# gradient formula from lesson 4).
#
# - If $\eta \lambda$ is small, the factor is just below 1: slow but steady progress.
# - If $\eta \lambda$ is between 1 and 2, the factor is negative: the step
#   overshoots and changes sign, but it still shrinks, as we saw with `lr = 0.9`.
# - If $\eta \lambda$ is above 2, the factor is below −1: every step overshoots by
#   *more* than the distance it started from, and the parameters fly off.
#
# So the learning rate must stay below $2 / \lambda_{max}$, where $\lambda_{max}$ is the
# steepest curvature. For our data:

# %%
# eigh: eigenvalues (smallest first) and their directions, one per column
curvatures, directions = torch.linalg.eigh(2 / len(y) * x.T @ x)
limit = 2 / curvatures.max().item()
steepest = directions[:, -1]  # the direction of the largest curvature
print("curvatures:", curvatures)
print("steepest direction (slope, intercept):", steepest)
print(f"largest stable learning rate: {limit:.4f}")
assert 0.9 < limit < 1.0
assert abs(steepest[1]) > 0.99  # almost purely the intercept

# %% [markdown]
# The steepest curvature is close to 2, and its direction is almost purely the
# intercept: the column of ones gives the intercept a curvature of exactly 2 on
# its own. So the limit is just under 1, and `lr = 1.0` is already slightly too large. It does not explode
# quickly, but it never settles either: the intercept keeps jumping between two
# values, slowly drifting apart, and the loss ends higher than it started.

# %%
edge = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=1.0)
print("intercepts:", edge.params[:6, 1])
print(f"loss: first {edge.losses[0]:.4f}, last {edge.losses[-1]:.4f}")
assert not edge.diverged and edge.losses[-1] > edge.losses[0]

# %% [markdown]
# With `lr = 1.5` the numbers grow so fast that they overflow. `gd.fit` notices
# when the loss or the parameters stop being finite, stops, issues a
# `RuntimeWarning`, and sets `diverged`. We catch the warning to print its message:

# %%
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    exploded = gd.fit(x, y, torch.tensor([1.0, 1.0]), lr=1.5)
print("warning:", caught[0].message)
print("diverged:", exploded.diverged, "| steps recorded:", len(exploded.losses))
assert exploded.diverged and issubclass(caught[0].category, RuntimeWarning)
assert exploded.losses[-1] > 1e6 * exploded.losses[0]  # many powers of ten

# %%
gd.plot_losses(edge, exploded)

# %% [markdown]
# Note the vertical scale: with `lr = 1.5` the loss rises by many powers of ten
# before `gd.fit` gives up, while `lr = 1.0` stays nearly flat by comparison.

# %% [markdown]
# ## Try it yourself
#
# Below, `gd.lr_sweep` ran `gd.fit` from the same start once for each of a range
# of learning rates, from far too small to divergent, when this page was built.
# Move the *learning rate* slider to pick a run and the *step* slider (or press
# *Play*) to watch that run's line and loss. Look for the rate where the loss
# stops falling, and the one where it blows up.

# %%
gd.lr_sweep(x, y, lrs=[0.01, 0.03, 0.1, 0.3, 0.6, 0.9, 1.0, 1.1, 1.5, 2.0])

# %% [markdown]
# ## Summary
#
# - Gradient descent repeats one step: $a \leftarrow a - \eta \, \partial L / \partial a$.
#   The gradient gives the direction and, with the learning rate, the size.
# - The hand-written loop and `gd.fit` give identical results, and after 100 steps
#   with `lr = 0.1` they agree with the exact least-squares answer to within 0.01.
# - The loss cannot fall below the least-squares floor, which is close to the
#   noise variance $1/12$.
# - Too small a learning rate is slow; a larger one is faster until the steps
#   overshoot; above $2 / \lambda_{max}$ the steps grow and descent diverges.
#
# Next we turn the history of the fit into an animation. Continue with the
# [next lesson](06-animation.py).

# %% [markdown]
# ## Exercises
#
# **1. PyTorch's optimizer.** `torch.optim.SGD` performs the same update rule.
# Reproduce `history` (100 steps, `lr = 0.1`, from $(1, 1)$) using it, with
# `opt.zero_grad()`, `loss.backward()` and `opt.step()`.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# p = nn.Parameter(torch.tensor([1., 1.]))
# opt = torch.optim.SGD([p], lr=0.1)
# for _ in range(100):
#     opt.zero_grad()
#     loss = gd.mse(x @ p, y)
#     loss.backward()
#     opt.step()
# print(p.data, history.params[-1])
# assert torch.allclose(p.detach(), history.params[-1], atol=1e-6)
# ```
#
# </details>
#
# **2. Test the limit.** Run 300 steps with learning rates 5% below and 5% above
# `limit`. Check that the first one reaches the least-squares answer and the
# second one ends with a higher loss than it started with.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# below = gd.fit(x, y, torch.tensor([1., 1.]), lr=0.95 * limit, steps=300)
# above = gd.fit(x, y, torch.tensor([1., 1.]), lr=1.05 * limit, steps=300)
# print(below.params[-1], best)
# assert torch.allclose(below.params[-1], best, atol=1e-3)
# assert above.diverged or above.losses[-1] > above.losses[0]
# ```
#
# </details>
#
# **3. A different start.** Start from $a = (-2, 5)$ instead. Does gradient descent
# still find the least-squares line? How many steps does it need (with
# `lr = 0.1`) before both numbers are within 0.01 of it?
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# far = gd.fit(x, y, torch.tensor([-2., 5.]), lr=0.1, steps=300)
# close = ((far.params - best).abs() < 0.01).all(dim=1)  # one True/False per step
# first = int(close.int().argmax())  # the first step where both are close
# print("steps needed:", first)
# assert close[first] and not close[:first].any()
# assert torch.allclose(far.params[-1], best, atol=1e-3)
# ```
#
# </details>
