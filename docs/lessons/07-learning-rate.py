# %% [markdown]
# # Learning rate and curvature
#
# In the last lesson a learning rate of 0.1 brought the line to within 0.01 of
# the exact answer in 100 steps. Would a larger one be faster? Up to a point,
# yes; past it, each step overshoots by more than the last and the numbers fly
# off. In this lesson you will see
# where that limit comes from. We start with a loss of a single number, a
# simple bowl, where every step can be worked out by hand. Then we return to
# the line, whose bowl has two numbers and bends differently in different
# directions.

# %% [markdown]
# ## Curvature: how sharply the loss bends
#
# Near its lowest point a smooth loss looks like a bowl. Some bowls are wide
# and gentle, others narrow with steep sides. **Curvature** is the number that
# says how sharply the bowl bends.
#
# The simplest bowl has one parameter, $w$:
#
# $$f(w) = \frac{\lambda}{2} w^2$$
#
# where $\lambda$ (the Greek letter lambda) is a positive number. Its slope at
# $w$ is $\lambda w$: zero at the bottom, $\lambda$ one unit to the right,
# $2\lambda$ two units to the right. Every unit step to the right adds
# $\lambda$ to the slope. So $\lambda$ is *how fast the slope changes*, and
# that is exactly what curvature means (in calculus: the second derivative).
# A large $\lambda$ makes the slope change quickly: a narrow, sharply bent
# bowl.
#
# Autograd confirms the slopes for $\lambda = 2$:


# %%
import torch

import gd


def slope_at(w0, curvature):
    w = torch.tensor(w0, requires_grad=True)
    (curvature / 2 * w ** 2).backward()
    return w.grad.item()


slopes = [slope_at(w0, 2.) for w0 in [-1., 0., 1., 2.]]
print("slopes at w = -1, 0, 1, 2:", slopes)
# one unit to the right adds the curvature, 2, to the slope
assert slopes == [-2., 0., 2., 4.]

# %% [markdown]
# ## One step on the parabola
#
# A gradient step with learning rate $\eta$ moves $w$ against the slope:
#
# $$w \leftarrow w - \eta \lambda w = (1 - \eta \lambda)\, w$$
#
# Every step multiplies $w$, the distance from the bottom, by the same factor
# $1 - \eta\lambda$. After $k$ steps, $w = (1 - \eta\lambda)^k w_0$. Let
# autograd take five steps, exactly as our loop did for the line, and compare
# with the formula:

# %%
curvature, lr = 2., 0.15
w = torch.tensor(1., requires_grad=True)
positions = [w.item()]
for _ in range(5):
    (curvature / 2 * w ** 2).backward()
    with torch.no_grad():
        w.sub_(lr*w.grad)
        w.grad.zero_()
    positions.append(w.item())
formula = [(1 - lr * curvature) ** k for k in range(6)]
print("autograd:", [round(p, 4) for p in positions])
print("formula: ", [round(f, 4) for f in formula])
assert torch.allclose(torch.tensor(positions), torch.tensor(formula))

# %% [markdown]
# [`gd.steps_1d`](../reference.md#gd.steps_1d) computes the same positions,
# and [`gd.plot_steps_1d`](../reference.md#gd.plot_steps_1d) draws them on the
# parabola, one arrow per step.

# %%
assert torch.allclose(gd.steps_1d(curvature, lr, start=1., steps=5),
                      torch.tensor(positions))

# %% [markdown]
# ## Three kinds of step
#
# Only the product $\eta\lambda$ matters. A wide bowl with a large learning
# rate behaves exactly like a narrow bowl with a small one:

# %%
narrow = gd.steps_1d(2., 0.15)  # curvature 2, lr 0.15: product 0.3
wide = gd.steps_1d(0.5, 0.6)  # curvature 0.5, lr 0.6: product 0.3
assert torch.allclose(narrow, wide)

# %% [markdown]
# **Below 1: a steady approach.** With $\eta\lambda = 0.3$ the factor is 0.7:
# each step covers 30% of the remaining distance, always from the same side.

# %%
steady = gd.steps_1d(2., 0.15)
print(steady)
assert (steady > 0).all() and (steady.diff() < 0).all()
gd.plot_steps_1d(2., 0.15)

# %% [markdown]
# **Between 1 and 2: overshoot, but closing in.** With $\eta\lambda = 1.5$ the
# factor is $-0.5$. The minus sign means each step jumps *past* the bottom to
# the other side; because the factor's size is below 1, each jump is shorter
# than the last. The steps zig-zag in.

# %%
zigzag = gd.steps_1d(2., 0.75)
print(zigzag)
assert (zigzag[1:] * zigzag[:-1] < 0).all()  # the sign flips at every step
assert (zigzag.abs().diff() < 0).all()  # but the distance shrinks
gd.plot_steps_1d(2., 0.75)

# %% [markdown]
# **Above 2: divergence.** With $\eta\lambda = 2.2$ the factor is $-1.2$:
# every step overshoots by *more* than the distance it started from. The
# loss grows at every step, and $w$ runs off to infinity.

# %%
wild = gd.steps_1d(2., 1.1)
print(wild)
assert (wild.abs().diff() > 0).all()  # the distance grows
gd.plot_steps_1d(2., 1.1)

# %% [markdown]
# ## The limit: a learning rate below 2 / curvature
#
# The distance shrinks exactly when the factor $1 - \eta\lambda$ lies between
# $-1$ and $1$, that is when $0 < \eta\lambda < 2$. Two values on the way are
# worth a look: at $\eta\lambda = 1$ the factor is 0 and the first step lands
# on the bottom; at $\eta\lambda = 2$ the factor is $-1$ and $w$ bounces
# between 1 and $-1$ forever.

# %%
print("lr x curvature = 1:", gd.steps_1d(2., 0.5, steps=3))
print("lr x curvature = 2:", gd.steps_1d(2., 1., steps=3))
assert gd.steps_1d(2., 0.5, steps=3).tolist() == [1., 0., 0., 0.]
assert gd.steps_1d(2., 1., steps=3).tolist() == [1., -1., 1., -1.]

# %% [markdown]
# So the learning rate must stay below $2 / \lambda$. The more sharply the
# loss bends, the smaller the learning rate must be.

# %% [markdown]
# ## Two parameters: a bowl with two curvatures
#
# Back to the line. Its loss depends on two numbers, and the landscape in the
# last lesson showed a stretched bowl: it bends sharply across the intercept
# and gently along the slope. One number can no longer describe the
# curvature.
#
# In lesson 4 we found the gradient: $\frac{2}{n} X^\top (Xa - y)$. Ask how
# it changes when $a$ changes, which is differentiating once more. Move $a$
# by any vector $d$: the gradient becomes $\frac{2}{n} X^\top (X(a + d) - y)$,
# which is the old gradient plus $\frac{2}{n} X^\top X d$. The matrix
#
# $$H = \frac{2}{n} X^\top X$$
#
# plays the part of $\lambda$: it says how fast the gradient changes. It is
# called the **curvature matrix** (or *Hessian*). It contains neither $a$ nor
# $y$, so the bowl has the same shape everywhere. Below we check the step
# just made with numbers, and let PyTorch compute the matrix from the loss
# alone, with `torch.autograd.functional.hessian`, which differentiates twice;
# at two different points it agrees with the formula:

# %%
x, y = gd.linear_data(100, seed=42)
H = 2 / len(y) * x.T @ x
print(H)


def loss_of(a):
    return gd.mse(x@a, y)


def gradient(a):
    return 2 / len(y) * x.T @ (x@a - y)


a, d = torch.tensor([1.,1]), torch.tensor([0.5, -2.])
assert torch.allclose(gradient(a + d) - gradient(a), H @ d, atol=1e-5)
for point in (torch.tensor([1.,1]), torch.tensor([3.,2])):
    assert torch.allclose(torch.autograd.functional.hessian(loss_of, point),
                          H, atol=1e-6)

# %% [markdown]
# ## The directions of most and least curvature
#
# A stretched bowl has one direction in which it bends most sharply and, at
# right angles to it, one in which it bends least. These two directions are
# special: when you move along one of them, the gradient changes along that
# same direction, scaled by the curvature there. So along each of them the
# bowl is simply a 1-D parabola like the one above, with its own $\lambda$.
#
# In the language of matrices, these directions are the **eigenvectors** of
# $H$ and their curvatures are its **eigenvalues**. `torch.linalg.eigh`
# computes both for a symmetric matrix such as $H$: the eigenvalues smallest
# first, and the eigenvectors as the columns of a matrix.

# %%
curvatures, directions = torch.linalg.eigh(H)
print("curvatures:", curvatures)
print("directions (columns, as slope and intercept):")
print(directions)

# %% [markdown]
# The checks below confirm what was just said. `H @ v` equals the curvature
# times `v`: moving along `v` changes the gradient along `v` only. Each
# direction has length 1, and the two are at right angles.

# %%
for k in range(2):
    v = directions[:, k]
    assert torch.allclose(H @ v, curvatures[k] * v, atol=1e-6)
assert torch.allclose(directions.norm(dim=0), torch.ones(2))  # length 1
assert abs(directions[:, 0] @ directions[:, 1]) < 1e-6  # at right angles
steepest = directions[:, -1]  # the direction of the largest curvature
assert abs(steepest[1]) > 0.99  # almost purely the intercept
assert abs(directions[0, 0]) > 0.99  # the gentlest: almost purely the slope
# the column of ones alone: (2/n) times n ones = 2 (up to rounding)
assert torch.isclose(H[1, 1], torch.tensor(2.))

# %% [markdown]
# The largest curvature is close to 2, in a direction that is almost purely
# the intercept: the column of ones gives the intercept a curvature of exactly
# 2 on its own. The smallest, printed first, is about a third of it, and its
# direction is almost purely the slope: the bowl is gentle along the slope.
#
# Gradient descent on the line is therefore two 1-D descents at once: along
# each direction, the distance to the answer is multiplied by
# $1 - \eta\lambda$ at every step, with that direction's $\lambda$. We can
# watch it in a run with `lr = 0.1`. To measure the distance along a
# direction, multiply the offset from the answer by that direction's column
# entry by entry and add up; `offset @ directions` does this for both
# directions at once:

# %%
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
history = gd.fit(x, y, torch.tensor([1.,1]), lr=0.1)
along = (history.params - best) @ directions  # one column per direction
ratios = along[1:6] / along[:5]  # how much each step kept, steps 1 to 5
print(ratios[:3])
print("1 - lr * curvature:", 1 - 0.1 * curvatures)
assert torch.allclose(ratios, (1 - 0.1 * curvatures).expand(5, 2),
                      atol=1e-4)

# %% [markdown]
# Every step keeps the same fraction along each direction, as predicted. The
# steep direction shrinks fastest (the intercept settles first, as the
# landscape showed), and the learning rate's limit comes from it: the
# learning rate $\eta$ must stay below $2 / \lambda_{max}$, for the steepest
# curvature $\lambda_{max}$, or that direction diverges.

# %%
limit = 2 / curvatures.max().item()
print(f"largest stable learning rate: {limit:.4f}")
assert 0.9 < limit < 1.0

# %% [markdown]
# ## Comparing learning rates
#
# Run the same 100 steps with three learning rates: 10 times smaller than the
# 0.1 we used, 0.1 itself, and 9 times larger. For each, the two factors
# $1 - \eta\lambda$ predict what we will see.

# %%
slow = gd.fit(x, y, torch.tensor([1.,1]), lr=0.01)
fast = gd.fit(x, y, torch.tensor([1.,1]), lr=0.9)
best_loss = gd.mse(x@best, y).item()
for h in (slow, history, fast):
    factors = (1 - h.lr * curvatures).tolist()
    end = gd.mse(x @ h.params[-1], y).item()
    print(f"lr = {h.lr:<4}  factors {factors[0]:+.3f} {factors[1]:+.3f}"
          f"  loss after 100 steps: {end:.4f}")
# too slow: still far from the floor
assert gd.mse(x @ slow.params[-1], y) > 2 * best_loss

# %%
gd.plot_losses(slow, history, fast)

# %% [markdown]
# With `lr = 0.01` both factors are just below 1: every step keeps almost all
# of the distance, and after 100 steps the loss is still far above the floor.
# It would get there, just slowly.
#
# With `lr = 0.9` the shallow direction's factor is much smaller, so the loss
# reaches the floor sooner than with `lr = 0.1`. Counting the steps each
# needs to get within 1% of the least-squares loss:


# %%
def steps_to_floor(h):
    """The first step whose loss is within 1% of the least-squares loss."""
    return next(i for i, value in enumerate(h.losses)
                if value < 1.01 * best_loss)


print("lr = 0.1:", steps_to_floor(history), "steps")
print("lr = 0.9:", steps_to_floor(fast), "steps")
assert steps_to_floor(fast) < steps_to_floor(history)

# %% [markdown]
# But the steep direction's factor is negative for `lr = 0.9`: there,
# $\eta\lambda$ lies between 1 and 2. Look at the first intercepts it visits
# (the intercept is almost exactly the steep direction):

# %%
print(fast.params[:6, 1])
print("best intercept:", best[1])
side = (fast.params[:6, 1] - best[1]).sign()
assert (side[1:] * side[:-1] < 0).all()  # past the answer, back, past again

# %% [markdown]
# The intercept **overshoots**: it jumps past the best value, then back, then
# past again, each time by a little less, just like the zig-zag on the
# parabola.

# %% [markdown]
# ## At the edge, and beyond
#
# For our data the limit is just under 1, so `lr = 1.0` is already slightly
# too large: its steep factor is just below $-1$. It does not explode quickly,
# but it never settles either: the intercept keeps jumping from one side of
# its best value to the other, the jumps slowly growing (compare the first
# values with the last two), and the loss ends higher than it started.

# %%
edge = gd.fit(x, y, torch.tensor([1.,1]), lr=1.0)
print(f"steep factor: {1 - 1.0 * curvatures.max().item():.4f}")
print("first intercepts:", edge.params[:6, 1])
print("last two:        ", edge.params[-2:, 1])
print(f"loss: first {edge.losses[0]:.4f}, last {edge.losses[-1]:.4f}")
first_jump = (edge.params[1, 1] - edge.params[2, 1]).abs()
last_jump = (edge.params[-1, 1] - edge.params[-2, 1]).abs()
assert last_jump > first_jump  # the jumps grow
assert 1 - 1.0 * curvatures.max() < -1
assert not edge.diverged and edge.losses[-1] > edge.losses[0]

# %% [markdown]
# With `lr = 1.5` the numbers grow so fast that they overflow. `gd.fit`
# notices when the loss or the parameters stop being finite, stops, issues a
# `RuntimeWarning`, and sets `overflowed`. We catch the warning to print its
# message:

# %%
import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    exploded = gd.fit(x, y, torch.tensor([1.,1]), lr=1.5)
print("warning:", caught[0].message)
print("overflowed:", exploded.overflowed)
print("steps recorded:", len(exploded.losses))
assert exploded.overflowed and issubclass(caught[0].category, RuntimeWarning)
assert exploded.losses[-1] > 1e6 * exploded.losses[0]  # many powers of ten

# %%
gd.plot_losses(edge, exploded)

# %% [markdown]
# Note the vertical scale: with `lr = 1.5` the loss rises by many powers of
# ten before `gd.fit` gives up, while `lr = 1.0` stays nearly flat by
# comparison.

# %% [markdown]
# ## Try it yourself
#
# Below, `gd.lr_sweep` ran `gd.fit` from the same start once for each of a
# range of learning rates, from far too small to divergent, when this page was
# built. Move the *learning rate* slider to pick a run and the *step* slider
# (or press *Play*) to watch that run's path on the loss map, its line and its
# loss. Look for the rate where the intercept starts to zig-zag, and the one
# where it blows up. (The sliders are part of this website: in a downloaded
# notebook the same cell shows a one-line summary of the runs instead.)

# %%
gd.lr_sweep(x, y, lrs=[0.01, 0.03, 0.1, 0.3, 0.6, 0.9, 1.0, 1.1, 1.5, 2.0])

# %% [markdown]
# ## Summary
#
# - **Curvature** is how sharply the loss bends: for
#   $f(w) = \frac{\lambda}{2} w^2$ it is $\lambda$, how fast the slope
#   changes.
# - On that parabola every gradient step multiplies $w$ by $1 - \eta\lambda$:
#   a steady approach for $\eta\lambda < 1$, a shrinking zig-zag between 1 and
#   2, divergence above 2. The learning rate must stay below $2 / \lambda$.
# - The loss of a line is a bowl with curvature matrix
#   $H = \frac{2}{n} X^\top X$. Its eigenvectors are the directions of most
#   and least curvature, its eigenvalues the curvatures; along each direction
#   descent is a 1-D descent with its own factor.
# - The steepest curvature sets the limit, $2 / \lambda_{max}$ (just under 1
#   for our data); the shallowest one sets how slow the approach is.
#
# Next we turn the history of a fit into an animation. Continue with the
# [next lesson](08-animation.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** On the parabola with curvature
# $\lambda = 4$, start at $w = 1$ and take one step with `lr = 0.25`, then,
# from the same start, one step with `lr = 0.5`. Predict both landing points
# before running `gd.steps_1d`.

# %% tags=["solution"]
quarter = gd.steps_1d(4., 0.25, start=1., steps=1)
half = gd.steps_1d(4., 0.5, start=1., steps=1)
print(quarter, half)
# lr x curvature = 1: the factor is 0, so the step lands on the bottom.
assert quarter.tolist() == [1., 0.]
# lr x curvature = 2: the factor is -1, the mirror point on the other side.
assert half.tolist() == [1., -1.]

# %% [markdown]
# **Exercise 2 (break it and explain).** Measure the inputs in other units:
# multiply column 0 of `x` by 10 (keep `y` as it is). Run `gd.fit` with the
# `lr = 0.1` that worked so well. What happens? Explain it with the curvature
# matrix of the new data.

# %% tags=["solution"]
x10 = x.clone()
x10[:, 0] *= 10
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)  # we check .overflowed
    broken = gd.fit(x10, y, torch.tensor([1.,1]), lr=0.1)
print("overflowed:", broken.overflowed, "after", len(broken.losses), "steps")
assert broken.overflowed
# Inputs 10 times larger make the slope's curvature 10 x 10 = 100 times
# larger, so the largest stable learning rate drops far below 0.1.
H10 = 2 / len(y) * x10.T @ x10
assert torch.isclose(H10[0, 0], 100 * H[0, 0])
steep10 = torch.linalg.eigvalsh(H10).max().item()
print(f"largest curvature: {steep10:.1f}, limit: {2 / steep10:.4f}")
assert 2 / steep10 < 0.1

# %% [markdown]
# **Exercise 3 (practice).** Run 300 steps with learning rates 5% below and
# 5% above `limit`. Check that the first one reaches the least-squares answer
# and the second one ends with a higher loss than it started with.

# %% tags=["solution"]
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)  # divergence is expected
    below = gd.fit(x, y, torch.tensor([1.,1]), lr=0.95 * limit, steps=300)
    above = gd.fit(x, y, torch.tensor([1.,1]), lr=1.05 * limit, steps=300)
print(below.params[-1], best)
print("above: grew:", above.grew,
      "| loss first, last:", above.losses[0], above.losses[-1])
assert torch.allclose(below.params[-1], best, atol=1e-3)
assert above.grew and above.losses[-1] > above.losses[0]

# %% [markdown]
# **Exercise 4 (practice).** With `lr = 0.5`, compute the factor
# $1 - \eta\lambda$ for each direction. Which direction is nearly done after a
# single step, and which one is left to converge slowly? Check the slow one's
# factor against a run of `gd.fit`.

# %% tags=["solution"]
factors = 1 - 0.5 * curvatures
print("factors (shallow, steep):", factors)
assert abs(factors[1]) < 0.01  # the steep direction: gone in one step
run = gd.fit(x, y, torch.tensor([1.,1]), lr=0.5, steps=10)
offsets = (run.params - best) @ directions
kept = offsets[1:, 0] / offsets[:-1, 0]  # the shallow direction, per step
print(kept[:3])
assert torch.allclose(kept, factors[0].expand(10), atol=1e-3)
