# %% [markdown]
# # Conditioning and feature scaling
#
# In [the curvature lesson](07-learning-rate.py) the sharpest bend of the
# loss set the largest learning rate, and the gentlest bend set how slowly
# descent closes in. This lesson fits the same line to inputs that are not
# centred on zero: $x$ between 0 and 10 instead of between $-1$ and 1. The
# problem looks no harder, yet the largest stable learning rate collapses and
# descent crawls along a long, narrow valley. You will measure why, with the
# **condition number**, cure it by **standardizing** the inputs, and turn the
# answer back into the original slope and intercept, checked against least
# squares. Real inputs come in whatever units they were measured in, so this
# check, and this cure, belong in every training recipe.

# %% [markdown]
# ## The same line on other inputs
#
# `gd.linear_data` with `x_range=(0, 10)` spreads the inputs over $[0, 10)$
# instead of $[-1, 1)$. The true line ($y = 3x + 2$) and the noise are the
# same as in every lesson. Least squares finds the best line directly, as in
# [the gradient-descent lesson](06-gradient-descent.py):

# %%
import math
import warnings

import matplotlib.pyplot as plt
import torch

import gd

x, y = gd.linear_data(100, seed=42, x_range=(0, 10))
print(f"x from {x[:, 0].min():.2f} to {x[:, 0].max():.2f}")
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
floor = gd.mse(x@best, y).item()  # the lowest loss any line reaches
print("least squares:", best, f" loss {floor:.4f}")

# %%
gd.plot_data(x, y)

# %% [markdown]
# We start gradient descent from the flat line $y = 0$, that is
# $a = (0, 0)$, for a reason that will matter later: it stays the same line
# when we change the inputs' units. With the learning rate 0.1, which served
# us well on the centred inputs, the numbers blow up:

# %%
start = torch.zeros(2)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    failed = gd.fit(x, y, start, lr=0.1)
print("warning:", caught[0].message)
assert failed.overflowed

# %% [markdown]
# ## The curvature of the new bowl
#
# The curvature lesson gave the curvature matrix of the line's loss:
# $H = \frac{2}{n} X^\top X$. Its eigenvalues are the curvatures along the
# directions of most and least bend, and the learning rate must stay below
# $2 / \lambda_{max}$.

# %%
H = 2 / len(y) * x.T @ x
curvatures, directions = torch.linalg.eigh(H)
print(H)
print("curvatures:", curvatures)
limit = 2 / curvatures.max().item()
print(f"largest stable learning rate: {limit:.4f}")
assert limit < 0.1  # why lr = 0.1 diverged

# %% [markdown]
# Each entry of $H$ has a plain meaning. $H_{00}$ is twice the mean of
# $x^2$: inputs up to 10 have squares up to 100, so the loss bends sharply
# along the slope. $H_{11}$ is twice the mean of the column of ones, 2, as
# before. $H_{01}$ is twice the mean of $x$, and it is not zero: raising the
# slope raises every prediction (all inputs are positive), which raising the
# intercept also does, so the two numbers pull the same way and the bowl
# tilts.

# %%
inputs = x[:, 0]
assert torch.isclose(H[0, 0], 2 * (inputs**2).mean())
assert torch.isclose(H[0, 1], 2 * inputs.mean())
assert torch.isclose(H[1, 1], torch.tensor(2.))

# %% [markdown]
# For comparison, the centred inputs of the earlier lessons:

# %%
x_centred, _ = gd.linear_data(100, seed=42)
centred = torch.linalg.eigvalsh(2 / 100 * x_centred.T @ x_centred)
limit_centred = 2 / centred.max().item()
print("centred curvatures:", centred)
print(f"centred limit: {limit_centred:.4f}, "
      f"{limit_centred / limit:.0f} times the limit here")
assert 30 < limit_centred / limit < 40

# %% [markdown]
# ## The condition number
#
# The sharpest curvature limits the learning rate; the gentlest decides how
# fast descent then goes. Their ratio,
#
# $$\kappa = \frac{\lambda_{max}}{\lambda_{min}},$$
#
# is the **condition number** ($\kappa$ is the Greek letter kappa). A bowl
# that bends equally in every direction has $\kappa = 1$; a large $\kappa$
# means a long, narrow valley. A problem with a large condition number is
# called **ill-conditioned**.
# [`gd.condition_number`](../reference.md#gd.condition_number) computes it
# from the inputs alone.

# %%
kappa = (curvatures.max() / curvatures.min()).item()
print(f"condition number here:    {kappa:.1f}")
print(f"condition number centred: {(centred.max() / centred.min()):.1f}")
assert math.isclose(gd.condition_number(x), kappa, rel_tol=1e-4)

# %% [markdown]
# Why the ratio matters: along each direction, every step multiplies the
# distance to the answer by $1 - \eta\lambda$. Even at the very limit,
# $\eta = 2 / \lambda_{max}$, the gentle direction keeps
# $1 - 2\lambda_{min}/\lambda_{max} = 1 - 2/\kappa$ of its distance per step,
# and any smaller learning rate keeps more. So the number of steps descent
# needs grows in proportion to $\kappa$:

# %%
for name, k in [("here", kappa), ("centred", gd.condition_number(x_centred))]:
    kept = 1 - 2 / k  # the gentle direction, at the limit
    needed = math.log(0.01) / math.log(kept)
    print(f"{name:>7}: keeps {kept:.4f} per step, so at least {needed:.0f} "
          "steps to shrink a distance 100-fold")

# %% [markdown]
# The condition number also gives the valley's shape. Moving a distance $t$
# from the answer along a direction of curvature $\lambda$ raises the loss by
# $\lambda t^2 / 2$, so a contour line (a fixed rise) lies at a distance
# $\sqrt{2\,\text{rise} / \lambda}$: far out where the bowl is gentle, close
# in where it is sharp. The valley is $\sqrt{\kappa}$ times longer than it is
# wide. We check it on the real loss, with a rise of 1:

# %%
loss_of = gd.line_loss(x, y)  # the loss of a batch of (slope, intercept)
reach = (2 * 1 / curvatures).sqrt()  # the distances, gentle then steep
# column k: the answer moved reach[k] along direction k
ends = best.unsqueeze(1) + reach * directions
rises = loss_of(ends.T) - floor
print("rise at each end:", rises)
print(f"length / width: {reach[0] / reach[1]:.2f}, "
      f"sqrt(kappa): {kappa ** 0.5:.2f}")
assert torch.allclose(rises, torch.ones(2), atol=1e-3)

# %% [markdown]
# ## A zig-zag along a narrow valley
#
# Take a learning rate safely inside the limit: 70% of it. The steep
# direction's factor is then $1 - 0.7 \times 2 = -0.4$, a zig-zag that dies
# out quickly; the gentle direction's factor is just under 1.
# [`gd.plot_paths`](../reference.md#gd.plot_paths) draws the run on the
# landscape, with the same scale across and up, so that the valley looks as
# narrow as it is.

# %%
raw_lr = 0.7 * limit
raw_run = gd.fit(x, y, start, lr=raw_lr, steps=100)
factors = 1 - raw_lr * curvatures
print(f"lr = {raw_lr:.4f}; factors (gentle, steep): {factors}")
gd.plot_paths(x, y, raw_run, labels=[f"lr {raw_lr:.4f}"])

# %% [markdown]
# The first step leaps across the valley, mostly changing the slope: the
# steep direction is almost exactly the slope's axis. The next few leap back
# and forth across the valley along almost the same line, so in the picture
# they overlap. Then the path turns and creeps along the valley floor.
#
# Splitting the offset from the answer into its two directions shows the two
# 1-D descents of the curvature lesson. Along the steep direction the offset
# changes sign at every step; along the gentle one it barely shrinks:

# %%
along = (raw_run.params - best) @ directions  # columns: gentle, steep
print("steep, first steps:", along[:6, 1])
print(f"gentle: {along[0, 0]:.3f} at the start, {along[100, 0]:.3f} "
      "after 100 steps")
signs = along[:6, 1].sign()
assert (signs[1:] * signs[:-1] < 0).all()  # side to side
assert abs(directions[0, 1]) > 0.98  # the steep direction: nearly the slope
assert abs(along[100, 0]) > 0.3 * abs(along[0, 0])  # the crawl

# %%
fig, ax = plt.subplots(layout="constrained")
ax.plot(along[:40, 1], ".-", label="steep direction")
ax.plot(along[:40, 0], ".-", label="gentle direction")
ax.axhline(0, color="C7", linewidth=0.8)
ax.set(xlabel="step", ylabel="offset from the answer")
ax.legend()
gd.describe(fig, "The offset from the answer along the two directions over "
            f"40 steps: along the steep one it starts at {along[0, 1]:.2f} "
            "and flips sign every step while shrinking to almost 0; along "
            f"the gentle one it starts at {along[0, 0]:.2f} and is still "
            f"{along[40, 0]:.2f} after 40 steps.");

# %% [markdown]
# How long until the loss is within 1% of the floor? We continue the same
# descent for 400 steps:


# %%
def steps_to_floor(history):
    """The first step whose loss is within 1% of the least-squares loss."""
    return next(i for i, value in enumerate(history.losses)
                if value < 1.01 * floor)


long_run = gd.fit(x, y, start, lr=raw_lr, steps=400)
raw_steps = steps_to_floor(long_run)
print(raw_steps, "steps")

# %% [markdown]
# ## Standardizing the input
#
# Both causes lie in the input column: its values are large (the sharp bend
# along the slope) and all positive (the tilt). **Standardizing** removes
# both: subtract the column's mean, so the inputs are centred on zero, then
# divide by its **standard deviation** (the typical distance of a value from
# the mean), so they have a spread of 1. We use the standard deviation that
# divides by $n$, `correction=0`; torch's default divides by $n - 1$.

# %%
mean, std = inputs.mean(), inputs.std(correction=0)
x_std = x.clone()
x_std[:, 0] = (inputs - mean) / std
print(f"mean {mean:.4f}, standard deviation {std:.4f}")
print(f"new inputs from {x_std[:, 0].min():.2f} to {x_std[:, 0].max():.2f}")
print(f"their mean {x_std[:, 0].mean():.1e}, "
      f"standard deviation {x_std[:, 0].std(correction=0):.4f}")

# %% [markdown]
# [`gd.standardize`](../reference.md#gd.standardize) does the same for every
# column and leaves the column of ones alone (it has no spread to divide by).
# It also returns the means and standard deviations, one per column, which we
# will need to go back to the original units.

# %%
same, means, stds = gd.standardize(x)
print("means:", means, " stds:", stds)
assert torch.allclose(same, x_std)

# %% [markdown]
# ## A round bowl
#
# With one input and an intercept, the curvature matrix of the standardized
# inputs is exactly twice the identity: the mean of the new inputs' squares
# is 1 and their mean is 0. So every direction bends alike, the condition
# number is 1, and the largest stable learning rate is $2/2 = 1$. (With more
# than one input this needs one more condition, as we will see below.)

# %%
H_std = 2 / len(y) * x_std.T @ x_std
print(H_std)
print(f"condition number: {gd.condition_number(x_std):.4f}")
assert torch.allclose(H_std, 2 * torch.eye(2), atol=1e-5)
assert math.isclose(gd.condition_number(x_std), 1, abs_tol=1e-4)

# %% [markdown]
# With the learning rate 0.5 the factor $1 - \eta\lambda$ is
# $1 - 0.5 \times 2 = 0$ in every direction: one step lands on the answer.
# (The best line for the standardized inputs has other numbers than `best`:
# we come back to that below.)

# %%
best_std = torch.linalg.lstsq(x_std, y.unsqueeze(1)).solution.squeeze(1)
one_step = gd.fit(x_std, y, start, lr=0.5, steps=1)
print("after one step:", one_step.params[-1])
print("least squares: ", best_std)
assert torch.allclose(one_step.params[-1], best_std, atol=1e-4)

# %% [markdown]
# ## The two landscapes side by side
#
# A fair race: each version gets 70% of its own largest stable learning
# rate, $0.7 \times 1 = 0.7$ for the standardized inputs. On the left the
# original inputs, on the right the standardized ones, each map drawn to its
# own scale. `ax=` tells `gd.plot_paths` to draw into one panel of a pyplot
# figure; the trailing `;` hides the value it returns, since pyplot shows the
# figure by itself when the cell ends.

# %%
std_run = gd.fit(x_std, y, start, lr=0.7, steps=100)
fig, (left, right) = plt.subplots(1, 2, figsize=(4.4, 2.6),
                                  layout="constrained")
gd.plot_paths(x, y, raw_run, ax=left, title="x in [0, 10)",
              labels=[f"lr {raw_lr:.4f}"])
gd.plot_paths(x_std, y, std_run, ax=right, title="standardized",
              labels=["lr 0.7"]);

# %% [markdown]
# The narrow valley has become a round bowl. With a factor of $-0.4$ in
# every direction, the path on the right jumps straight at the star and
# overshoots a little less each time; there is no gentle direction left to
# crawl along. Steps to within 1% of the floor:

# %%
std_steps = steps_to_floor(std_run)
print(f"original inputs: {raw_steps} steps; standardized: {std_steps}")
assert std_steps * 20 < raw_steps

# %% [markdown]
# ## Back to the original units
#
# The standardized fit gives a slope and an intercept for the standardized
# input, $y \approx s\,\frac{x - m}{d} + b$, with $m$ the mean and $d$ the
# standard deviation. Multiplying out,
#
# $$y \approx \frac{s}{d}\, x + \left(b - \frac{s\, m}{d}\right),$$
#
# so the slope in the original units is $s / d$ and the intercept is
# $b - s m / d$. Both must agree with least squares on the original data:

# %%
s, b = std_run.params[-1]
slope = s / std
intercept = b - s * mean / std
print(f"mapped back:   slope {slope:.4f}, intercept {intercept:.4f}")
print(f"least squares: slope {best[0]:.4f}, intercept {best[1]:.4f}")
assert torch.allclose(torch.stack([slope, intercept]), best, atol=1e-3)

# %% [markdown]
# The same line, found in a handful of steps instead of hundreds. The
# standardized inputs also change how we predict: a new input must be
# standardized with the *same* mean and standard deviation before it meets
# the standardized fit (Exercise 4).

# %% [markdown]
# ## Two inputs: when standardizing is not enough
#
# Standardizing made the bowl round because our line has one input. Its only
# partner is the column of ones, and centring the input made the two
# uncorrelated ($H_{01} = 0$). With two inputs that tend to move together,
# say a house's floor area and its number of rooms, standardizing still
# centres each and gives each a spread of 1, but it leaves their
# **correlation** $\rho$ (rho; the mean of the product of the two
# standardized inputs, between $-1$ and 1) as it is. The curvature matrix of
# the two standardized inputs and the ones is then
#
# $$H = 2\begin{pmatrix} 1 & \rho & 0 \\ \rho & 1 & 0 \\ 0 & 0 & 1
# \end{pmatrix},$$
#
# whose eigenvalues are $2(1 + \rho)$, $2(1 - \rho)$ and 2. So
# $\kappa = (1 + \rho)/(1 - \rho)$ for $\rho > 0$: 19 for $\rho = 0.9$. Along
# the gentle direction the two weights change in opposite ways, and because
# the inputs move together the predictions hardly change.
#
# We draw 100 pairs of inputs whose correlation is 0.9 in theory, standardize
# them with `gd.standardize`, and measure $\kappa$. A sample's correlation is
# not exactly 0.9, so we repeat this for five seeds and compare each
# $\kappa$ with $(1 + \rho)/(1 - \rho)$ for that sample's own $\rho$:

# %%
print("seed  correlation  kappa  (1 + r) / (1 - r)")
kappas = []
for seed in range(5):
    g = torch.Generator().manual_seed(seed)
    first = torch.randn(100, generator=g)
    second = 0.9*first + (1 - 0.9**2) ** 0.5 * torch.randn(100, generator=g)
    two = torch.stack([first, second, torch.ones(100)], dim=1)
    two_std, _, _ = gd.standardize(two)
    r = (two_std[:, 0] * two_std[:, 1]).mean().item()  # the correlation
    H_two = 2 / 100 * two_std.T @ two_std
    assert torch.allclose(H_two, 2 * torch.tensor(
        [[1, r, 0], [r, 1, 0], [0, 0, 1]]), atol=1e-5)
    kappas.append(gd.condition_number(two_std))
    print(f"{seed:4}  {r:11.3f}  {kappas[-1]:5.1f}  {(1 + r) / (1 - r):17.1f}")
    assert math.isclose(kappas[-1], (1 + r) / (1 - r), rel_tol=1e-3)
low, middle, high = sorted(kappas)[0], sorted(kappas)[2], max(kappas)
print(f"kappa over 5 seeds: min {low:.1f}, median {middle:.1f}, "
      f"max {high:.1f}; for a correlation of exactly 0.9: "
      f"{(1 + 0.9) / (1 - 0.9):.0f}")
assert 13 < low < 15 and 20 < high < 22  # the range quoted below

# %% [markdown]
# In every sample $\kappa$ is exactly $(1 + \rho)/(1 - \rho)$ for that
# sample's correlation, from 14 to 21 over these five seeds, never 1: the two
# standardized inputs still make a valley. What rounds it is a change of
# variables that also removes the correlation, called *whitening*; the
# [RMSProp and Adam lesson](15-rmsprop-and-adam.py) shows it.

# %% [markdown]
# ## Try it yourself
#
# Two explorers of runs from $(0, 0)$, computed when this page was built:
# first the original inputs, with 300 steps per learning rate, then the
# standardized ones, with 100 (they need far fewer). Each learning-rate
# slider runs from well below that version's limit to just above it. The
# explorers stretch each axis of the map to fill its box, so the round bowl
# of the standardized inputs looks oval there: the figure above is the one
# drawn to scale. On the original inputs, the best run ends within a hair of
# least squares:

# %%
raw_sweep = gd.sweep(lambda lr: gd.fit(x, y, start, lr=lr, steps=300),
                     gd.line_loss(x, y), x=x, y=y,
                     lr=[0.01, 0.02, 0.025, 0.027, 0.028, 0.03])
std_sweep = gd.sweep(lambda lr: gd.fit(x_std, y, start, lr=lr, steps=100),
                     gd.line_loss(x_std, y), x=x_std, y=y,
                     lr=[0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 1.1])
nearest = min((h.params[-1] - best).norm().item()
              for h in raw_sweep.histories if not h.diverged)
print(f"original inputs: the best run ends {nearest:.3f} from the answer")
assert nearest < 0.05

# %% [markdown]
# On the original inputs, watch the first steps leap across the valley, then
# follow the slow crawl along it; try 0.028, just above the limit of
# 0.0278.

# %%
assert limit < 0.028 < 1.01 * limit
raw_sweep

# %% [markdown]
# On the standardized inputs, 0.5 lands in one step, 1.0 bounces between two
# points forever (the factor is $-1$), and 1.1 blows up.

# %%
bounce = std_sweep.history(lr=1.0)
assert math.isclose(bounce.losses[-1], bounce.losses[0], rel_tol=0.01)
wild = std_sweep.history(lr=1.1)
assert wild.overflowed or wild.losses[-1] > 1e6 * wild.losses[0]
std_sweep

# %% [markdown]
# ## Summary
#
# - Inputs far from zero and large make a long, narrow valley: for our 100
#   points on $[0, 10)$ the largest stable learning rate is about 36 times
#   smaller than on $[-1, 1)$, and descent zig-zags across the valley, then
#   crawls along it.
# - The **condition number** $\kappa = \lambda_{max}/\lambda_{min}$ of the
#   curvature matrix $\frac{2}{n} X^\top X$ measures it: about 150 here,
#   about 3 for centred inputs, 1 for a round bowl. The steps needed grow in
#   proportion to $\kappa$; the valley is $\sqrt{\kappa}$ times longer than
#   wide.
# - **Standardizing** each input column, $(x - \text{mean}) / \text{std}$,
#   makes the curvature matrix $2I$ for one input and an intercept:
#   condition number 1, limit 1, and the learning rate 0.5 lands on the
#   answer in one step.
# - With two inputs of correlation $\rho$, standardizing leaves
#   $\kappa = (1 + \rho)/(1 - \rho)$: 19 for $\rho = 0.9$ (between about
#   14 and 21 for five samples of 100 pairs). Correlated inputs need
#   whitening, not just standardizing.
# - A fit on standardized inputs maps back to the original units: slope
#   $s/d$, intercept $b - s\,m/d$, equal to least squares on the original
#   data. New inputs must be standardized with the training mean and
#   standard deviation.
#
# Continue with the [next lesson](14-momentum.py): momentum.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** On the standardized inputs, from
# $(0, 0)$, take exactly one step with `lr = 0.5`. Predict the loss after
# that step before running it.

# %% tags=["solution"]
one = gd.fit(x_std, y, start, lr=0.5, steps=1)
after = gd.mse(x_std @ one.params[-1], y).item()
print(f"loss after one step: {after:.4f}, the floor: {floor:.4f}")
# The curvature is 2 in every direction, so lr x curvature = 1 everywhere:
# the step lands on the lowest point, whose loss is the least-squares floor
# (standardizing changes the numbers of the line, not the line itself).
assert math.isclose(after, floor, rel_tol=1e-4)

# %% [markdown]
# **Exercise 2 (break it and explain).** Standardize *every* column of `x`,
# the column of ones included: `(x - x.mean(0)) / x.std(0, correction=0)`.
# What does the column of ones become, and what happens to a fit?

# %% tags=["solution"]
everything = (x - x.mean(0)) / x.std(0, correction=0)
print("the ones column now starts:", everything[:3, 1])
# The ones have mean 1 and standard deviation 0: (1 - 1) / 0 is 0 / 0, which
# is "not a number" (nan). torch raises no error; every prediction that
# touches the column would be nan, and the intercept is lost. gd.fit checks
# its data first and refuses it, naming the problem:
assert torch.isnan(everything[:, 1]).all()
try:
    gd.fit(everything, y, start, lr=0.5, steps=5)
except ValueError as error:
    print("ValueError:", error)
    refused = True
assert refused
# gd.standardize leaves a constant column alone, which keeps the intercept.
assert torch.equal(gd.standardize(x)[0][:, 1], torch.ones(100))

# %% [markdown]
# **Exercise 3 (practice).** Standardizing does two things: it centres the
# inputs and it rescales them. Do each alone (subtract the mean only; divide
# by the standard deviation only) and compute the condition number each
# time. Does either alone reach 1?

# %% tags=["solution"]
centred_only = x.clone()
centred_only[:, 0] = inputs - mean
scaled_only = x.clone()
scaled_only[:, 0] = inputs / std
kappas = {name: gd.condition_number(z) for name, z in
          [("original", x), ("centred only", centred_only),
           ("scaled only", scaled_only), ("both", x_std)]}
for name, value in kappas.items():
    print(f"{name:>12}: {value:7.2f}")
# Centring removes the tilt (H_01 becomes 0) but leaves the slope's bend at
# twice the variance of x; scaling alone leaves the tilt. Only both give 1.
assert kappas["original"] > kappas["scaled only"] > kappas["centred only"]
assert kappas["centred only"] > 2 and math.isclose(kappas["both"], 1,
                                                   abs_tol=1e-4)
# with the inputs centred, H is diagonal: 2 var(x) and 2
assert math.isclose(kappas["centred only"], std.item() ** 2, rel_tol=1e-4)

# %% [markdown]
# **Exercise 4 (practice).** Predict $y$ at the new input $x = 12$ with the
# standardized fit (`std_run.params[-1]`): standardize 12 with the training
# mean and standard deviation first. Check the prediction against the
# least-squares line in the original units.

# %% tags=["solution"]
s, b = std_run.params[-1]
new = (12 - mean) / std  # the training numbers, not the new input's own
predicted = s * new + b
expected = best[0] * 12 + best[1]
print(f"standardized fit: {predicted:.3f}, least squares: {expected:.3f}")
assert torch.isclose(predicted, expected, atol=1e-3)
