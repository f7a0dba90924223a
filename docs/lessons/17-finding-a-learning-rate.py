# %% [markdown]
# # Finding a learning rate
#
# In the [curvature lesson](07-learning-rate.py) we computed the largest
# stable learning rate of our line, $2 / \lambda_{max}$, from its curvature
# matrix. For a neural network with millions of parameters nobody can afford
# that matrix. The **learning-rate range test** finds a good rate without it,
# with one short run whose rate grows at every step. Leslie Smith proposed it
# in "Cyclical Learning Rates for Training Neural Networks"
# ([arXiv:1506.01186](https://arxiv.org/abs/1506.01186), 2015, revised
# 2017), and fastai made it a one-liner,
# [`lr_find`](https://docs.fast.ai/callback.schedule.html#learner.lr_find).
# In this lesson you will run a simple version of it and see why its loss
# blows up late, then run it as fastai does, on smoothed mini-batch losses,
# over several seeds, read rates off it with the rules practice uses, check
# every reading against real training runs, and see how it feeds Smith's
# one-cycle schedule.

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
# $$\eta_k = \eta_{start} \, r^k$$
#
# For a test of $K$ steps we choose
#
# $$r = \left(\frac{\eta_{end}}{\eta_{start}}\right)^{1/(K-1)}$$
#
# This choice makes the last step, $k = K-1$, land exactly on $\eta_{end}$.
# Every power of ten then gets the same number of steps: with $K = 101$ steps
# over five powers of ten, 20 each.

# %%
import math

import torch
from torch import nn

import gd

lr_start, lr_end, steps = 1e-4, 10., 101
growth = (lr_end / lr_start) ** (1 / (steps - 1))
rates = [lr_start * growth**k for k in range(steps)]
print(f"growth factor per step: {growth:.4f}")
print("steps 0, 20, 40, 60, 80, 100:",
      [f"{rates[k]:.4g}" for k in range(0, 101, 20)])
assert math.isclose(growth, 10 ** (1 / 20))  # 20 steps per power of ten
assert math.isclose(rates[20], 1e-3) and math.isclose(rates[-1], 10.)

# %% [markdown]
# A rate that changes at every step is a schedule, like those of
# [the schedules lesson](16-schedules.py), only this one grows. PyTorch has it
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
full = gd.lr_range_test(x, y, start, lr_start=1e-4, lr_end=10., steps=101)
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
# ## Why the all-data curve blows up late
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
first_past = next(k for k, factor in enumerate(factors) if factor > 1)
print(f"first rate past the limit: {full.lrs[first_past]:.3f}; the test "
      f"went on for {len(full.lrs) - first_past} more steps")
assert full.lrs[first_past - 1] < limit < full.lrs[first_past]

# %% [markdown]
# Around rate 0.5, which is $1 / \lambda_{max}$, the factor is close to 0:
# one step wipes out almost all of the steep distance, down to below
# $10^{-6}$. That is as close as float32 numbers can get: they carry about 7
# significant digits, and our parameters are near 3, so what is left is
# rounding error. Past the limit the factor is larger than 1, so the distance
# grows again, but it grows from almost nothing. Even multiplied by 2, 3, 4...
# at every step, it needs many steps to become large enough to show in the
# loss: the rate passed the limit at 1.000, and the test went on for 14 more
# steps before the loss blew up, by when the rate had grown 4.5 times past
# the limit.

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
# ## The range test as practice runs it
#
# Our test so far differs from the real thing in two ways. It stepped on all
# the data, and after every step it measured the loss on all the data, one
# extra pass that a large network cannot afford. Smith's original test
# trained for a few epochs on mini-batches while the rate grew in equal
# additions, and plotted accuracy against the rate. fastai's `lr_find`, the
# form most people use today, grows the rate by the same factor at every
# step (from $10^{-7}$ to 10 in 100 steps, by default) and records the loss
# that each mini-batch step computes anyway. A single batch's loss jumps up
# and down from batch to batch, so it smooths it with an exponentially
# weighted average, the running average of the [RMSProp and Adam
# lesson](15-rmsprop-and-adam.py), with $\beta = 0.98$:
#
# $$s_k = \beta s_{k-1} + (1 - \beta)\,\ell_k, \qquad
# \hat s_k = \frac{s_k}{1 - \beta^{k+1}},$$
#
# where $\ell_k$ is the batch loss of step $k$ (counting from 0) and the
# division is the same bias correction as Adam's: the average starts at 0,
# so without it the first values would be far too small. The test stops as
# soon as $\hat s_k$ is more than 4 times its lowest value so far. Here it
# is, with `torch.optim.SGD`, `ExponentialLR` and batches of 10 in a new
# shuffled order every epoch, our range from $10^{-4}$ to 10 and 101 steps:


# %%
def lr_find(x, y, start, *, lr_start=1e-4, lr_end=10., steps=101,
            batch_size=10, seed=0, beta=0.98):
    """A range test as fastai's lr_find runs it. Returns the rate of each
    step, each step's batch loss, and those losses smoothed."""
    a = nn.Parameter(start.clone())
    opt = torch.optim.SGD([a], lr=lr_start)
    grow = lr_scheduler.ExponentialLR(
        opt, gamma=(lr_end / lr_start) ** (1 / (steps - 1)))
    shuffle = torch.Generator().manual_seed(seed)
    batches, average, lowest = [], 0., math.inf
    lrs, raw, smoothed = [], [], []
    for k in range(steps):
        if not batches:  # a new epoch: a new shuffled order
            order = torch.randperm(len(y), generator=shuffle)
            batches = list(order.split(batch_size))
        rows = batches.pop(0)
        opt.zero_grad()
        loss = gd.mse(x[rows] @ a, y[rows])  # this batch, before the step
        loss.backward()
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        grow.step()
        raw.append(loss.item())
        average = beta*average + (1 - beta)*raw[-1]
        smoothed.append(average / (1 - beta ** (k + 1)))  # bias-corrected
        lowest = min(lowest, smoothed[-1])
        if not math.isfinite(smoothed[-1]) or smoothed[-1] > 4 * lowest:
            break
    return lrs, raw, smoothed


lrs, raw, smoothed = lr_find(x, y, start, seed=0)
print(f"{len(lrs)} steps; stopped at rate {lrs[-1]:.3f}")
print("batch losses, steps 60-67:", [round(v, 2) for v in raw[60:68]])
print("smoothed,     steps 60-67:", [round(v, 2) for v in smoothed[60:68]])
assert all(math.isclose(r, q, rel_tol=1e-6)  # the geometric rates above
           for r, q in zip(lrs, rates, strict=False))

# %% [markdown]
# The figure shows one run's batch losses, the smoothed curve, and the
# all-data curve of our first test, against the rate.

# %%
fig, ax = plt.subplots(figsize=(4.4, 3.4), layout="constrained")
ax.loglog(lrs, raw, linewidth=0.8, label="batch loss")
ax.loglog(lrs, smoothed, linewidth=2, label="smoothed (beta 0.98)")
ax.loglog(full.lrs, full.losses, linewidth=2, label="all data, no batches")
ax.axvline(limit, color="C3", linestyle="--", label="limit 2/λmax")
ax.set(xlabel="learning rate (log scale)", ylabel="loss (log scale)")
ax.xaxis.set_major_formatter("{x:g}")
ax.yaxis.set_major_formatter("{x:g}")
fig.legend(loc="outside lower center", ncols=2)
low_raw = lrs[min(range(len(raw)), key=raw.__getitem__)]
low_smooth = lrs[min(range(len(smoothed)), key=smoothed.__getitem__)]
start_loss = gd.mse(x@start, y).item()
half = {name: next(r for r, v in zip(rs, vs, strict=True)
                   if v < start_loss / 2)
        for name, rs, vs in (("all data", full.lrs, full.losses),
                             ("smoothed", lrs, smoothed))}
near_start, near_floor = (
    next(r for r, v in zip(full.lrs, full.losses, strict=True) if v < level)
    for level in (0.9 * start_loss, 2 * floor))
print(f"all-data curve: below 90% of the start loss from rate "
      f"{near_start:.3f}, below twice the floor from {near_floor:.3f}")
assert near_floor / near_start < 100  # less than two powers of ten
print("half of the start loss at rate:",
      {name: round(r, 3) for name, r in half.items()})
assert half["smoothed"] > 10 * half["all data"] and low_smooth > limit
gd.describe(fig, "Loss against rate, log axes, for one seed. The batch "
            "losses jump around and are lowest at rate "
            f"{low_raw:.2g}; the smoothed curve falls later and more "
            f"slowly, lowest at rate {low_smooth:.2g}, past the limit "
            f"{limit:.2g}; the all-data curve falls first, reaching half "
            f"its start at rate {half['all data']:.2g} against "
            f"{half['smoothed']:.2g} for the smoothed one.");

# %% [markdown]
# The smoothing has a price: it lags. An average with $\beta = 0.98$ keeps
# most of the last $1/(1 - \beta) = 50$ steps, and at 20 steps per power of
# ten that is two and a half powers of ten of the rate. Our loss falls from
# near its start to near the floor in less than two powers of ten (printed
# above), so the smoothed curve reaches half its start only at a rate more
# than 10 times larger than the all-data curve does, is still coming down
# when the rate passes the limit, and bottoms out beyond it.
#
# How much of this is one shuffle's luck? Five seeds, each with its own
# batches, give the spread (the all-data loss of `gd.lr_range_test` with
# the same batches shows where the loss itself blows up):

# %%
import statistics


def spread(values):
    """min / median / max, the way every seeds table here reports."""
    return (f"{min(values):8.3g} {statistics.median(values):8.3g} "
            f"{max(values):8.3g}")


tests, rows = {}, {"stop, smoothed": [], "stop, all-data loss": [],
                   "lowest, batch loss": [], "lowest, smoothed": []}
for seed in range(5):
    lrs, raw, smoothed = lr_find(x, y, start, seed=seed)
    tests[seed] = lrs, raw, smoothed
    kicked = gd.lr_range_test(x, y, start, lr_start=1e-4, lr_end=10.,
                              steps=101, batch_size=10, seed=seed)
    rows["stop, smoothed"].append(lrs[-1] / limit)
    rows["stop, all-data loss"].append(kicked.lrs[-1] / limit)
    rows["lowest, batch loss"].append(
        lrs[min(range(len(raw)), key=raw.__getitem__)] / limit)
    rows["lowest, smoothed"].append(
        lrs[min(range(len(smoothed)), key=smoothed.__getitem__)] / limit)
print("rate / limit over 5 seeds:      min   median      max")
for name, values in rows.items():
    print(f"{name:>20}:  {spread(values)}")
assert all(1 < r < 2 for r in rows["stop, all-data loss"])
assert all(2 < r < 3 for r in rows["stop, smoothed"])
assert all(b < s for b, s in zip(rows["lowest, batch loss"],
                                 rows["lowest, smoothed"], strict=True))
assert all(r > 1 for r in rows["lowest, smoothed"])

# %% [markdown]
# With mini-batches the all-data loss blows up sooner than in our first test
# (between 1 and 2 times the limit in every seed, against more than 3):
# each batch's gradient is not zero at the least-squares answer, so every
# step kicks the line a little in every direction, the steep one included,
# and an unstable rate has something to amplify at once. The smoothed curve
# stops later, between 2 and 3 times the limit, because of its lag, and in
# every seed its lowest point lies past the limit, later than the lowest
# batch loss.

# %% [markdown]
# ## Reading off a rate
#
# The test gives a curve, not a number. Two rules that fastai offers
# (its functions `minimum` and `steep`; its current default, `valley`, is a
# third) read a rate off the recorded, smoothed curve, after leaving out the
# first tenth of the steps and the last 5:
#
# - **The minimum divided by 10**: the rate at the lowest point is on the
#   edge (past it, as we just saw), so take a tenth of it.
# - **The steepest fall**: the rate where the loss falls most per step of
#   $\log(\text{rate})$, where the rate did the most work.
#
# Which of these is a *good* rate? We check with real training: the
# mini-batch run of the [schedules lesson](16-schedules.py) (100 updates on
# batches of 10, from $(1, 1)$) at a constant rate, scored as there by the
# mean loss of its last epoch minus the least-squares loss. For each seed we
# compare each pick's score with the best score over a grid of eight
# constant rates, with the same batches. We also try the steepest fall on the
# all-data curve of our first test, which has no noise at all.

# %%
def steepest(lrs, losses):
    """fastai's "steep" rule: where the loss falls most per log(rate)."""
    n = len(lrs)
    kept = torch.tensor(lrs[n // 10:n - 5])
    slopes = torch.tensor(losses[n // 10:n - 5]).diff() / kept.log().diff()
    return kept[slopes.argmin()].item()


def above_floor(lr, seed, schedule=None):
    run = gd.train(x, y, start, batch_size=10, lr=lr, steps=100, seed=seed,
                   schedule=schedule)
    return sum(run.losses[-10:]) / 10 - floor


grid = [0.02, 0.04, 0.07, 0.1, 0.2, 0.4, 0.7, 1.0]
rules = ["minimum / 10", "steepest, smoothed", "steepest, all data"]
picked = {rule: [] for rule in rules}
scores = {rule: [] for rule in rules}
best_scores = []
for seed in range(5):
    lrs, raw, smoothed = tests[seed]
    lowest = lrs[min(range(len(smoothed)), key=smoothed.__getitem__)]
    picks = [lowest / 10, steepest(lrs, smoothed),
             steepest(full.lrs, full.losses)]
    best_scores.append(min(above_floor(r, seed) for r in grid))
    for rule, rate in zip(rules, picks, strict=True):
        picked[rule].append(rate)
        scores[rule].append(above_floor(rate, seed) / best_scores[-1])
print("over 5 seeds:           rate: min   median      max"
      "   score / best: min   median      max")
for rule in rules:
    print(f"{rule:>18}:  {spread(picked[rule])}"
          f"              {spread(scores[rule])}")
print("best constant score: ", spread(best_scores))
assert all(s < 4 for s in scores["minimum / 10"])
assert all(r < 0.002 for r in picked["steepest, smoothed"])
assert all(s > 100 for s in scores["steepest, smoothed"])
assert all(s > 10 for s in scores["steepest, all data"])

# %% [markdown]
# A tenth of the smoothed minimum gave a good constant rate in every seed,
# within a factor 4 of the best of the grid. The steepest fall did not. On
# the smoothed curve it was fooled in every seed: in the first steps the
# average holds only a few batch losses, so one lucky batch moves it more
# than the real fall does, and the rule picks a rate below 0.002, where the
# line hardly moves in 100 steps. Even on the noise-free curve the steepest
# fall comes early, at 0.03, where the loss is still large and falls by the
# most in absolute terms; as a constant rate it is too timid. These rules
# are habits, not laws: read the curve, and check the rate with a short run.

# %% [markdown]
# ## From the range test to one-cycle
#
# Smith's later paper, "A disciplined approach to neural network
# hyper-parameters: Part 1"
# ([arXiv:1803.09820](https://arxiv.org/abs/1803.09820), 2018), uses the
# range test to set the *peak* of a schedule instead of a constant rate: the
# **one-cycle** policy climbs from a small rate to the peak and comes back
# down far below where it started, while the momentum moves the other way,
# high when the rate is low. PyTorch has it as `OneCycleLR` (the
# [one-cycle lesson](22-one-cycle.py) takes it apart). Its defaults, read
# off a real optimizer over 100 steps with peak 0.1:

# %%
a = nn.Parameter(start.clone())
opt = torch.optim.SGD([a], lr=0.1, momentum=0.9)
cycle = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=100)
seen = []
for _ in range(100):
    seen.append((opt.param_groups[0]["lr"],
                 opt.param_groups[0]["momentum"]))
    opt.step()  # no gradients: only the schedule moves
    cycle.step()
lr_curve, momentum_curve = zip(*seen, strict=True)
top = max(range(100), key=lr_curve.__getitem__)
print(f"rate: starts {lr_curve[0]:.4f}, peaks {lr_curve[top]:.3f} at "
      f"step {top}, ends {lr_curve[-1]:.1e}")
print(f"momentum: starts {momentum_curve[0]:.2f}, "
      f"{momentum_curve[top]:.2f} at the peak, ends {momentum_curve[-1]:.2f}")
assert math.isclose(lr_curve[0], 0.1 / 25) and math.isclose(lr_curve[top],
                                                             0.1)
assert lr_curve[-1] < 0.1 / 25 / 1000
assert (momentum_curve[0], momentum_curve[top]) == (0.95, 0.85)

# %% [markdown]
# The rate starts at the peak over 25, climbs for the first 30% of the
# steps, then falls to almost 0; the momentum goes from 0.95 down to 0.85
# and back. We take the peak from the range test, a tenth of the smoothed
# minimum, and train each seed once with the rate alone cycled
# (`cycle_momentum=False`: plain SGD, as in the test) and once with
# torch's default momentum cycle, scoring both against the seed's best
# constant rate:

# %%
cycled = {"rate only": [], "rate and momentum": []}
for seed in range(5):
    peak = picked["minimum / 10"][seed]
    for name, with_momentum in (("rate only", False),
                                ("rate and momentum", True)):
        score = above_floor(peak, seed, lambda opt, p=peak, m=with_momentum:
                            lr_scheduler.OneCycleLR(opt, max_lr=p,
                                                    total_steps=100,
                                                    cycle_momentum=m))
        cycled[name].append(score / best_scores[seed])
print("one-cycle score / best constant score:      min   median      max")
for name, values in cycled.items():
    print(f"{name:>37}:  {spread(values)}")
assert all(s < 0.5 for s in cycled["rate only"])
assert statistics.median(cycled["rate and momentum"]) > 5 * max(
    cycled["rate only"])

# %% [markdown]
# Cycling the rate beat the best constant rate in every seed: the high
# middle covers ground fast, and the low end removes the mini-batch kicks,
# as decay did in the schedules lesson. Turning on momentum as well made it
# worse here. Our test ran plain SGD, and momentum $\beta$ multiplies the
# steps by up to $1 / (1 - \beta)$, 7 to 20 times for 0.85 to 0.95 (the
# [momentum lesson](14-momentum.py)), so a peak found without momentum is
# too high with it. Run the range test with the optimizer and settings you
# will train with.

# %% [markdown]
# ## Summary
#
# - The learning-rate range test (Smith 2015/2017) runs training once while
#   the rate grows, and records the loss against the rate. It needs no
#   curvature matrix. Grown by the same factor at every step, as fastai's
#   `lr_find` does, it is SGD with `ExponentialLR`.
# - Measured on all the data after steps on all the data, our line's loss
#   blew up only at more than 3 times the limit $2 / \lambda_{max}$: near
#   rate $1/\lambda_{max}$ one step wiped out the steep direction, and past
#   the limit the distance grows from almost nothing. With mini-batches the
#   kicks give it something to amplify (blow-up at 1 to 2 times the limit
#   over 5 seeds).
# - fastai records each batch's loss, smoothed by a bias-corrected average
#   with $\beta = 0.98$, and stops at 4 times its lowest value. The smoothing
#   lags: over 5 seeds its lowest point lay past the limit.
# - A tenth of the smoothed minimum gave a good constant rate in every seed
#   (within a factor 4 of the best of a grid); the steepest fall did not,
#   fooled by noise on the smoothed curve and too early even without noise.
# - One-cycle (Smith 2018, `OneCycleLR`) uses the test for the peak of a
#   schedule: with that peak, cycling the rate beat the best constant rate
#   in every seed; cycling momentum too, with a peak found without
#   momentum, did worse.
#
# Continue with the [next lesson](18-beyond-the-straight-line.py): beyond the
# straight line.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A range test runs from `lr_start=1e-3` to
# `lr_end=1.` in `steps=31`. Predict the growth factor per step and the rate
# of step 10 (counting from 0), then check with the `lrs` of a real test.

# %% tags=["solution"]
short = gd.lr_range_test(x, y, start, lr_start=1e-3, lr_end=1., steps=31)
print(f"growth: {short.lrs[1] / short.lrs[0]:.4f},"
      f" step 10: {short.lrs[10]:.4g}")
# Three powers of ten in 30 steps: 10 steps per power of ten, so the factor
# is the 10th root of 10 (about 1.2589), and 10 steps multiply 0.001 by 10.
assert math.isclose(short.lrs[1] / short.lrs[0], 10 ** 0.1)
assert math.isclose(short.lrs[10], 0.01)

# %% [markdown]
# **Exercise 2 (break it and explain).** Leave the bias correction out of
# `lr_find`: smooth with $s_k$ itself instead of
# $s_k / (1 - \beta^{k+1})$. Where does the test stop now, and why? (The
# batch losses up to the stop do not depend on the smoothing, so you can
# replay the stopping rule on the `raw` losses of seed 0.)

# %% tags=["solution"]
lrs, raw, smoothed = tests[0]
average, lowest, stop = 0., math.inf, None
for k, loss in enumerate(raw):
    average = 0.98*average + 0.02*loss  # no division by 1 - 0.98**(k+1)
    lowest = min(lowest, average)
    if average > 4 * lowest:
        stop = k
        break
print(f"stops at step {stop}, rate {lrs[stop]:.5f}; "
      f"first average {0.02 * raw[0]:.3f} for a batch loss of {raw[0]:.2f}")
# The average starts at 0, so after one step it is only 0.02 of the loss:
# that tiny number becomes the "lowest" value, and the average, climbing
# towards the real loss as 1 - 0.98**(k+1), passes 4 times it within a few
# steps. The test stops before the rate has done anything.
assert stop is not None and stop < 10 and lrs[stop] < 2e-4

# %% [markdown]
# **Exercise 3 (practice).** The conditioning lesson's problem,
# `gd.linear_data(100, seed=42, x_range=(0, 10))`, has a much larger
# $\lambda_{max}$. Compute its stable limit, run the mini-batch range test
# `gd.lr_range_test` on it from $(1, 1)$ (from `lr_start=1e-5` to `lr_end=1.`,
# `batch_size=10`) for seeds 0 to 4, and check that the all-data loss blows
# up between the limit and twice the limit in every seed.

# %% tags=["solution"]
x_far, y_far = gd.linear_data(100, seed=42, x_range=(0, 10))
H_far = 2 / len(y_far) * x_far.T @ x_far
limit_far = 2 / torch.linalg.eigvalsh(H_far)[-1].item()
stops = [gd.lr_range_test(x_far, y_far, start, lr_start=1e-5, lr_end=1.,
                          steps=101, batch_size=10, seed=seed).lrs[-1]
         for seed in range(5)]
print(f"limit {limit_far:.4f}; blow-up over 5 seeds: {spread(stops)}")
assert all(limit_far < stop < 2 * limit_far for stop in stops)
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
