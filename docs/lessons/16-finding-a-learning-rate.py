# %% [markdown]
# # Finding a learning rate
#
# In the [curvature lesson](06-learning-rate.py) we computed the largest
# stable learning rate of our line, $2 / \lambda_{max}$, from its curvature
# matrix. For a neural network with millions of parameters nobody can afford
# that matrix. The **learning-rate range test** finds a good rate without it,
# with one short run whose rate grows at every step: the idea behind fastai's
# `lr_find`. In this lesson you will run it, see it find the stable limit
# (and see why it notices the limit late), and read a good rate off its curve,
# checking every reading against real training runs.

# %% [markdown]
# ## Three kinds of rate in one run
#
# The curvature lesson showed three kinds of learning rate. Too small, and the
# loss barely moves. Large enough, and it falls fast. Past the limit, every
# step overshoots by more than the last, and the loss blows up. To find the
# boundaries we could run one training per rate and compare, as the explorer
# in that lesson did. The range test does it in a single run instead: it
# starts with a tiny rate and makes the rate larger after every step. Early
# on, the loss barely moves; then it starts to fall; then, once the rate has
# passed the limit, it explodes and the test stops. Because the rate grows as
# the steps go by, the loss after each step can be plotted against the rate
# that step used.

# %% [markdown]
# ## Growing the rate geometrically
#
# A useful range spans several powers of ten: from $10^{-4}$, far too small,
# to $10$, far too large. If we added the same amount at every step, almost
# all the steps would land among the large rates. Instead we *multiply* by the
# same factor $r$ at every step, so step $k$ (counting from 0) uses
#
# $$\eta_k = \eta_{min} \, r^k$$
#
# For a test of $K$ steps we choose
#
# $$r = \left(\frac{\eta_{max}}{\eta_{min}}\right)^{1/(K-1)}$$
#
# This choice makes the last step, $k = K-1$, land exactly on $\eta_{max}$.
# Every power of ten then gets the same number of steps: with $K = 101$ steps
# over five powers of ten, 20 each.

# %%
import math

import torch
from torch import nn

import gd

lr_min, lr_max, steps = 1e-4, 10., 101
growth = (lr_max / lr_min) ** (1 / (steps - 1))
rates = [lr_min * growth**k for k in range(steps)]
print(f"growth factor per step: {growth:.4f}")
print("steps 0, 20, 40, 60, 80, 100:",
      [f"{rates[k]:.4g}" for k in range(0, 101, 20)])
assert math.isclose(growth, 10 ** (1 / 20))  # 20 steps per power of ten
assert math.isclose(rates[20], 1e-3) and math.isclose(rates[-1], 10.)

# %% [markdown]
# A rate that changes at every step is a schedule, like those of
# [the schedules lesson](15-schedules.py), only this one grows. PyTorch has it
# as `ExponentialLR(opt, gamma)`, which multiplies the rate by `gamma` after
# every step.
#
# ## The range test on our line
#
# [`gd.lr_range_test`](../reference.md#gd.lr_range_test) runs gradient
# descent from a starting guess with these rates. After each step it measures
# the loss on all the data and records it with the rate of that step. It
# stops when the loss is more than 4 times the lowest loss seen so far (it has
# blown up), or when the rates run out. Its loop, taken from the real file:
#
# --8<-- "gd/range_test.py:loop"
#
# `rows` picks the data for the step: all of it for now (mini-batches come
# later in this lesson). We start from $(1, 1)$ as always:

# %%
x, y = gd.linear_data(100, seed=42)
start = torch.tensor([1.,1])
full = gd.lr_range_test(x, y, start, lr_min=1e-4, lr_max=10., steps=101)
print("steps taken:", len(full.lrs), "| blew up:", full.blew_up)
print(f"stopped at rate {full.lrs[-1]:.3f} with loss {full.losses[-1]:.3f}")
assert full.blew_up

# %% [markdown]
# It is plain SGD with that growing schedule: `torch.optim.SGD` driven by
# `ExponentialLR` takes exactly the same steps.

# %%
from torch.optim import lr_scheduler

a = nn.Parameter(start.clone())
opt = torch.optim.SGD([a], lr=1e-4)
grow = lr_scheduler.ExponentialLR(opt, gamma=growth)
for rate, after in zip(full.lrs, full.params[1:], strict=True):
    assert math.isclose(opt.param_groups[0]["lr"], rate, rel_tol=1e-9)
    opt.zero_grad()
    gd.mse(x@a, y).backward()
    opt.step()
    grow.step()
    assert torch.allclose(a.detach(), after, rtol=1e-4, atol=1e-6)

# %% [markdown]
# Now compare with the stable limit from the curvature lesson, recomputed
# here: $\lambda_{max}$ is the largest eigenvalue of
# $H = \frac{2}{n} X^\top X$, and `torch.linalg.eigvalsh` returns the
# eigenvalues of a symmetric matrix, smallest first.
# [`gd.plot_range_test`](../reference.md#gd.plot_range_test) draws the loss
# against the rate, both axes logarithmic, and marks the limit.

# %%
H = 2 / len(y) * x.T @ x
curvatures = torch.linalg.eigvalsh(H)
limit = 2 / curvatures[-1].item()
print(f"stable limit 2/λmax: {limit:.4f}")
print(f"the test blew up at {full.lrs[-1] / limit:.1f} times the limit")
assert full.lrs[-1] > 3 * limit
# from rate 1 to rate 3 the loss stays within 1% of the least-squares loss
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
floor = gd.mse(x@best, y).item()
assert all(loss < 1.01 * floor
           for rate, loss in zip(full.lrs, full.losses, strict=True)
           if 1 <= rate <= 3)
gd.plot_range_test(full, marks={"limit 2/λmax": limit})

# %% [markdown]
# The curve shows the three kinds of rate: flat at first, then a steep fall,
# a flat bottom at the least-squares loss, and the blow-up. But the blow-up
# comes more than 3 times later than the limit: from rate 1 to rate 3 the
# loss stays within 1% of the least-squares loss, although every one of those
# rates is unstable.

# %% [markdown]
# ## Why the blow-up comes late
#
# The curvature lesson split the descent into two 1-D descents, one along each
# direction of the curvature matrix: along a direction with curvature
# $\lambda$, each step multiplies the distance to the answer by $1 - \eta
# \lambda$. In the range test the rate changes, so the factor changes from
# step to step, but the rule still holds. The limit comes from the steep
# direction. Let us follow the distance to the least-squares answer along it
# (`eigh` gives the directions too, as the columns of a matrix; the steep one
# is the last).

# %%
_, directions = torch.linalg.eigh(H)
steep = ((full.params - best) @ directions[:, -1]).abs()
factors = [abs(1 - rate * curvatures[-1].item()) for rate in full.lrs]
print("   rate  factor  steep distance after the step")
for k in (60, 70, 76, 81, 88, 93):
    print(f"{full.lrs[k]:7.3f}  {factors[k]:6.3f}  {steep[k + 1]:.1e}")
print(f"smallest distance: {steep.min():.1e}")
print("float32 carries about 7 digits: eps =",
      torch.finfo(torch.float32).eps)
# while the distance is well above rounding errors, each step multiplies it
# by exactly the factor of the curvature lesson
for k, factor in enumerate(factors):
    if steep[k] > 1e-4:
        assert math.isclose(steep[k + 1] / steep[k], factor, rel_tol=1e-2)

# %% [markdown]
# Around rate 0.5, which is $1 / \lambda_{max}$, the factor is close to 0:
# one step wipes out almost all of the steep distance, down to below
# $10^{-6}$. That is as close as float32 numbers can get: they carry about 7
# significant digits, and our parameters are near 3, so what is left is
# rounding error. Past the limit the factor is larger than 1, so the distance
# grows again, but it grows from almost nothing. Even multiplied by 2, 3, 4...
# at every step, it needs many steps to become large enough to show in the
# loss, and by then the rate has grown far past the limit.

# %%
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(4.4, 3), layout="constrained")
ax.loglog(full.lrs, steep[1:], linewidth=2, label="steep distance")
ax.axvline(limit, color="C1", linestyle="--", label="limit")
ax.set_xlabel("learning rate (log scale)")
ax.set_ylabel("distance (log scale)")
ax.xaxis.set_major_formatter("{x:g}")  # ticks as 0.01, not as a power
ax.yaxis.set_major_formatter("{x:g}")
ax.legend(loc="lower left")
smallest = steep.min().item()
assert smallest < 1e-6
assert steep[-1] > 1e5 * smallest  # many powers of ten between
gd.describe(fig, "Steep distance against rate, log axes: it shrinks fast up "
            "to rate 0.5, stays below 1e-06 until past the limit, then "
            "climbs back up.");

# %% [markdown]
# So what the range test sees at a given rate depends on what the earlier
# rates did: it changes the rate while it moves. A good guide to the limit
# needs something in the steep direction for an unstable rate to amplify.

# %% [markdown]
# ## With mini-batches the limit shows sooner
#
# Real training runs on mini-batches, and so does the range test in practice.
# The schedules lesson showed that each batch's gradient is not zero at the
# least-squares answer: every step kicks the line a little, in every
# direction. So the steep distance is never wiped out, and as soon as the
# factor passes 1 the kicks start to grow. `batch_size=10` makes each step use
# the next 10 points of a shuffled order, as `gd.train` does; the losses are
# still measured on all the data.

# %%
batches = gd.lr_range_test(x, y, start, lr_min=1e-4, lr_max=10., steps=101,
                           batch_size=10)
print(f"blew up at rate {batches.lrs[-1]:.3f},"
      f" {batches.lrs[-1] / limit:.2f} times the limit")
assert batches.blew_up and limit < batches.lrs[-1] < 2 * limit


def rises(test):
    """How often the loss rose by more than 1% in one step, below the limit."""
    return sum(after > 1.01 * before for before, after, rate
               in zip(test.losses, test.losses[1:], test.lrs[1:], strict=False)
               if rate < limit)


print("rises below the limit: all data", rises(full),
      "| batches of 10", rises(batches))
assert rises(full) == 0 and rises(batches) > 0
gd.plot_range_test(full, batches, labels=["all data", "batches of 10"],
                   marks={"limit 2/λmax": limit})

# %% [markdown]
# Now the blow-up comes less than twice the limit: close enough to be a
# useful guide, and still a little late, because even the kicks need a few
# steps to grow. The mini-batch curve is also bumpier near the bottom: the
# kicks move the loss up and down, so that it sometimes rises by more than 1%
# in one step even below the limit, which the all-data loss never does.

# %% [markdown]
# ## Reading off a rate
#
# The test gives a curve, not a number. Three common ways to read one off it:
#
# - **The lowest point.** The rate with the lowest loss. It lies just below
#   the blow-up, on the edge.
# - **The steepest fall.** The rate where the loss fell the most in one step,
#   on the log scale of the plot, i.e. by the largest fraction: where the rate
#   did the most work. On the smooth all-data curve this is easy to find; the
#   bumps of the mini-batch curve can fool it, which is why `lr_find` smooths
#   its curve first.
# - **A tenth of the blow-up.** A safety margin of a factor 10 below the rate
#   that broke the run.
#
# The fall from the loss after step $k$ to the loss after step $k+1$ happened
# during step $k+1$, hence the `+ 1` below.

# %%
lowest = batches.lrs[min(range(len(batches.losses)),
                         key=batches.losses.__getitem__)]
falls = torch.tensor(full.losses).log().diff()  # log of each step's ratio
steepest = full.lrs[int(falls.argmin()) + 1]
tenth = batches.lrs[-1] / 10
picks = {"lowest point": lowest, "steepest fall": steepest,
         "tenth of blow-up": tenth}
for name, rate in picks.items():
    print(f"{name:>16}: {rate:.3f}")
assert tenth < steepest < lowest < limit

# %% [markdown]
# Which of these is a *good* rate? The test cannot tell us by itself, so we
# check with real training: the mini-batch run of the schedules lesson (100
# updates on batches of 10, from $(1, 1)$) with a constant rate, for a range of
# rates and for each pick. As there, we score a run by the mean loss of its
# last epoch minus the least-squares loss: how far above the best possible it
# ends.

# %%
def above_floor(lr):
    run = gd.train(x, y, start, batch_size=10, lr=lr, steps=100)
    return sum(run.losses[-10:]) / 10 - floor


grid = [0.02, 0.04, 0.07, 0.1, 0.2, 0.4, 0.7, 1.0]
scores = [above_floor(lr) for lr in grid]
picked = {name: above_floor(rate) for name, rate in picks.items()}
best_score = min(scores)
best_lr = grid[scores.index(best_score)]
print(f"best in the grid: {best_score:.1e} at lr {best_lr}")
for name, score in picked.items():
    print(f"{name:>16}: {score:.1e}, {score / best_score:4.1f} times the best")
assert picked["tenth of blow-up"] < 4 * best_score
assert picked["steepest fall"] < 4 * best_score
assert picked["lowest point"] > 10 * best_score
assert scores[0] > 10 * best_score and scores[-1] > 10 * best_score

# %% [markdown]
# The same numbers as a picture: the score of every constant rate in the
# grid, with the three picks and the limit marked. A good rate sits at the
# bottom of the valley.

# %%
fig, ax = plt.subplots(figsize=(4.4, 3.6), layout="constrained")
ax.loglog(grid, scores, "o-")
for k, (name, rate) in enumerate(picks.items(), start=1):
    ax.axvline(rate, color=f"C{k}", linestyle="--", label=name)
ax.axvline(limit, color="C4", linestyle=":", label="limit 2/λmax")
ax.xaxis.set_major_formatter("{x:g}")
ax.yaxis.set_major_formatter("{x:g}")
ax.set_xlabel("learning rate (log scale)")
ax.set_ylabel("constant rate: score")
fig.legend(loc="outside lower center", ncols=2)
gd.describe(fig, "Score of each constant rate, log axes: a valley, lowest "
            f"at {best_lr}; the steepest fall and a tenth of the blow-up lie "
            "near its bottom, the lowest point and the limit on its right "
            "wall.");

# %% [markdown]
# The steepest fall and a tenth of the blow-up both land in the good part of
# the range, within a factor 4 of the best score of the grid, whose ends (0.02
# and 1.0) do more than 10 times worse. The lowest point does poorly
# as a constant rate: it is so large that the mini-batch kicks keep the loss
# high, the noise floor of the schedules lesson.
#
# The lowest point is not useless, though. As the *peak* of a decaying
# schedule it does very well, because the schedule removes the kicks at the
# end:

# %%
cosine = gd.train(
    x, y, start, batch_size=10, lr=lowest, steps=100,
    schedule=lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=100))
cosine_score = sum(cosine.losses[-10:]) / 10 - floor
print(f"cosine from the lowest point: {cosine_score:.1e} above least squares")
assert cosine_score < best_score / 10

# %% [markdown]
# ## Summary
#
# - The learning-rate range test runs gradient descent once while the rate
#   grows by the same factor $r$ at every step, from far too small to far too
#   large, and records the loss after each step against its rate. It needs no
#   curvature matrix. It is SGD with `ExponentialLR`.
# - Plotted on log axes, the loss stays flat, falls, and blows up once the
#   rate is past the stable limit $2 / \lambda_{max}$.
# - With all the data at every step, the blow-up came more than 3 times later
#   than the limit: near rate $1/\lambda_{max}$ one step wiped out the steep
#   direction, and an unstable rate needs something to amplify. With
#   mini-batches the kicks supply it, and the blow-up came less than twice the
#   limit.
# - Reading a rate off the curve: the steepest fall or a tenth of the blow-up
#   gave good constant rates for our mini-batch training; the lowest point was
#   too large as a constant rate but a good peak for a cosine schedule.
#
# Continue with the [next lesson](17-beyond-the-straight-line.py): beyond the
# straight line.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A range test runs from `lr_min=1e-3` to
# `lr_max=1.` in `steps=31`. Predict the growth factor per step and the rate
# of step 10 (counting from 0), then check with the `lrs` of a real test.

# %% tags=["solution"]
short = gd.lr_range_test(x, y, start, lr_min=1e-3, lr_max=1., steps=31)
print(f"growth: {short.lrs[1] / short.lrs[0]:.4f},"
      f" step 10: {short.lrs[10]:.4g}")
# Three powers of ten in 30 steps: 10 steps per power of ten, so the factor
# is the 10th root of 10 (about 1.2589), and 10 steps multiply 0.001 by 10.
assert math.isclose(short.lrs[1] / short.lrs[0], 10 ** 0.1)
assert math.isclose(short.lrs[10], 0.01)

# %% [markdown]
# **Exercise 2 (break it and explain).** Run the mini-batch range test with
# `lr_max=0.5` instead of 10. What happens, and what goes wrong when you then
# try to read off "a tenth of the blow-up"?

# %% tags=["solution"]
timid = gd.lr_range_test(x, y, start, lr_min=1e-4, lr_max=0.5, steps=101,
                         batch_size=10)
print("blew up:", timid.blew_up, "| steps taken:", len(timid.lrs),
      "| last rate:", round(timid.lrs[-1], 3))
# The rates never pass the stable limit (about 1), so nothing blows up: the
# test runs all 101 steps and stops only because the rates ran out. Its last
# rate is just lr_max, so "a tenth of the blow-up" would be a tenth of a
# number we chose ourselves. The range must reach past the limit.
assert not timid.blew_up and len(timid.lrs) == 101
assert math.isclose(timid.lrs[-1], 0.5) and timid.lrs[-1] < limit

# %% [markdown]
# **Exercise 3 (practice).** The conditioning lesson's problem,
# `gd.linear_data(100, seed=42, x_range=(0, 10))`, has a much larger
# $\lambda_{max}$. Compute its stable limit, run the mini-batch range test on
# it from $(1, 1)$ (from `lr_min=1e-5` to `lr_max=1.`), and check that the
# blow-up again comes between the limit and twice the limit.

# %% tags=["solution"]
x_far, y_far = gd.linear_data(100, seed=42, x_range=(0, 10))
H_far = 2 / len(y_far) * x_far.T @ x_far
limit_far = 2 / torch.linalg.eigvalsh(H_far)[-1].item()
far = gd.lr_range_test(x_far, y_far, start, lr_min=1e-5, lr_max=1.,
                       steps=101, batch_size=10)
print(f"limit {limit_far:.4f}, blew up at {far.lrs[-1]:.4f}")
assert far.blew_up and limit_far < far.lrs[-1] < 2 * limit_far
assert limit_far < limit / 10  # the un-centred inputs bend the bowl sharply

# %% [markdown]
# **Exercise 4 (practice).** Space the rates *evenly* instead, by adding the
# same amount at every step: 101 rates from `1e-4` to `10.`. What is the
# second rate? How many of the rates lie below 0.1, where the loss of our
# range test did most of its falling, compared with the geometric `rates`?

# %% tags=["solution"]
even = [1e-4 + k * (10. - 1e-4) / 100 for k in range(101)]
print(f"second rate: even {even[1]:.4f}, geometric {rates[1]:.6f}")
print("below 0.1: even", sum(r < 0.1 for r in even), "| geometric",
      sum(r < 0.1 for r in rates))
# Even steps of about 0.1 jump from 0.0001 straight to 0.1: everything in
# between, where the loss started to fall, gets no point at all. The
# geometric rates give 20 steps to each power of ten, 60 to the three from
# 0.0001 to 0.1.
assert sum(r < 0.1 for r in even) == 1 and even[1] > 0.1
assert sum(r < 0.1 for r in rates) >= 60
