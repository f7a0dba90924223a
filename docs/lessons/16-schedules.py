# %% [markdown]
# # Learning-rate schedules
#
# With mini-batches and a constant learning rate, the loss stops falling at a
# noisy floor above the best possible loss. A **learning-rate schedule**
# changes the rate as training goes on: large at first, to cover ground
# quickly, small at the end, to settle. In this lesson you will write the
# three most common schedules (step decay, cosine annealing and warm-up) as
# formulas and as plain Python functions, check them step by step against
# PyTorch's `torch.optim.lr_scheduler`, and watch a decaying rate remove the
# floor that a constant rate leaves.

# %% [markdown]
# ## Where a constant rate gets stuck
#
# We fit our usual line with mini-batch SGD, as in the
# [mini-batch lesson](12-mini-batches.py):
# [`gd.train`](../reference.md#gd.train) with `batch_size=10`, so each update
# sees 10 of the 100 points and one pass over the data (an **epoch**) is 10
# updates. We run 100 updates, 10 epochs, with a constant rate of 0.5. The
# losses that `gd.train` records are always measured on all the data, before
# each update. As the yardstick we use the least-squares loss, which no line
# can beat, computed exactly with `torch.linalg.lstsq`. Mini-batch losses jump
# around from step to step, so we compare their mean over the last epoch.

# %%
import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42)
start = torch.tensor([1.,1])
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
floor = gd.mse(x@best, y).item()

constant = gd.train(x, y, start, batch_size=10, lr=0.5, steps=100)
epochs = [sum(constant.losses[k:k + 10]) / 10 for k in range(0, 100, 10)]
last_epoch = epochs[-1]
print("mean loss of each epoch:", [round(m, 4) for m in epochs])
print(f"least-squares loss:      {floor:.4f}")
print(f"the last epoch is above it by {last_epoch / floor - 1:.1%}")
assert min(epochs[1:]) > 1.05 * floor  # every epoch after the first
assert last_epoch > min(epochs[1:])  # and the last is not even the lowest

# %% [markdown]
# In this run (its batches are shuffled with `gd.train`'s default seed, 0)
# the loss stops falling after the first epoch. The epoch means wander up
# and down around 0.08, every one of them more than 5% above the
# least-squares loss, and the last is not even the lowest: there is no
# downward trend left for more epochs to continue. Other seeds shuffle other
# batches and give other numbers; the comparison that this lesson is about
# is checked over ten seeds further down.
#
# ## Why: every batch pulls its own way
#
# At the least-squares line the gradient on *all* the data is zero: that is
# what makes it the bottom. The gradient on a batch of 10 points is not,
# because those 10 points have their own best line. Here are the gradients of
# four batches of one epoch, each taken at the least-squares line, and then
# the gradient on all the data at the same line:

# %%
order = torch.randperm(100, generator=torch.Generator().manual_seed(0))
for rows in order.split(10)[:4]:
    a = nn.Parameter(best.clone())
    gd.mse(x[rows]@a, y[rows]).backward()
    print("batch gradient:", a.grad)
a = nn.Parameter(best.clone())
gd.mse(x@a, y).backward()
print("full gradient: ", a.grad)
assert a.grad.abs().max() < 1e-5

# %% [markdown]
# So even standing exactly at the bottom, a
# mini-batch step kicks the line away, by the learning rate times the batch's
# gradient. The loss can never settle: it hovers at a level set by the size of
# these kicks, which is the noise floor. A smaller rate makes smaller kicks,
# but it also makes smaller steps on the way down. Compare a rate ten times
# smaller over the same 100 updates:

# %%
small = gd.train(x, y, start, batch_size=10, lr=0.05, steps=100)
small_last_epoch = sum(small.losses[-10:]) / 10
print(f"after 20 updates: lr 0.5 {constant.losses[20]:.4f}"
      f"   lr 0.05 {small.losses[20]:.4f}")
print(f"last epoch:       lr 0.5 {last_epoch:.4f}"
      f"   lr 0.05 {small_last_epoch:.4f}")
assert constant.losses[20] < small.losses[20]  # the large rate is ahead early
assert small_last_epoch < last_epoch  # the small one ends lower

# %% [markdown]
# In this run the large rate is far ahead early on, and the small one ends
# lower (the ten-seed table below finds the same in every seed). We want
# both: a large rate at first and a small one at the end. That is a schedule.

# %% [markdown]
# ## A schedule is a function of the step
#
# Number the updates from 0. A schedule gives the rate $\eta_t$ (eta with
# subscript $t$) that update number $t$ uses, so the update rule becomes
#
# $$a \leftarrow a - \eta_t \, \frac{\partial L}{\partial a}$$
#
# A constant rate is the schedule $\eta_t = \eta$ for every $t$. We write
# $\eta$ for the starting, or **peak**, rate. In PyTorch a scheduler object
# sits next to the optimizer and changes the optimizer's rate, stored in
# `opt.param_groups[0]["lr"]`, each time you call `scheduler.step()`.
# PyTorch asks for that call *after* `opt.step()`: the rate in place when
# `opt.step()` runs is the one the update uses, and `scheduler.step()` then
# sets the rate for the next update.
#
# To see exactly which rate each update used, the function below runs real SGD
# updates under a scheduler and reads the rate just before each `opt.step()`.
# `make_scheduler` is a function that receives the optimizer and returns a
# scheduler for it, the same form that `gd.train`'s `schedule=` takes. A
# second, small function compares two lists of rates.


# %%
def torch_rates(make_scheduler, steps=100, lr=0.5):
    """The rate that each of `steps` SGD updates used under a scheduler."""
    a = nn.Parameter(torch.zeros(2))
    opt = torch.optim.SGD([a], lr=lr)
    scheduler = make_scheduler(opt)
    rates = []
    for _ in range(steps):
        rates.append(opt.param_groups[0]["lr"])  # the rate of this update
        opt.zero_grad()
        gd.mse(x@a, y).backward()
        opt.step()
        scheduler.step()  # after the update: the next update's rate
    return rates


def largest_difference(ours, theirs):
    return max(abs(a - b) for a, b in zip(ours, theirs, strict=True))


# %% [markdown]
# ## Step decay
#
# The oldest schedule keeps the rate fixed for a block of $s$ updates, then
# multiplies it by a factor $\gamma$ (gamma) below 1, and repeats:
#
# $$\eta_t = \eta \, \gamma^{\lfloor t / s \rfloor}$$
#
# The brackets $\lfloor \cdot \rfloor$ mean "round down to a whole number",
# so $\lfloor t / s \rfloor$ counts the blocks completed so far: Python's
# `t // s`.
# Here is [`gd.step_decay`](../reference.md#gd.step_decay), taken from the real
# file when this page was built (the first three lines of its body check the
# arguments):
#
# --8<-- "gd/schedules.py:step_decay"
#
# With $\eta = 0.5$, $s = 30$ and $\gamma = 0.1$ the rate is 0.5 for updates 0
# to 29, then 0.05 for updates 30 to 59, and so on. PyTorch's version is
# `StepLR(opt, step_size=30, gamma=0.1)`. The two agree at every one of 100
# updates:

# %%
from torch.optim import lr_scheduler

ours = [gd.step_decay(t, lr=0.5, every=30, gamma=0.1) for t in range(100)]
theirs = torch_rates(
    lambda opt: lr_scheduler.StepLR(opt, step_size=30, gamma=0.1))
print("updates 28 to 31:", theirs[28:32])
print("largest difference:", largest_difference(ours, theirs))
assert largest_difference(ours, theirs) < 1e-12
assert theirs[29] == 0.5 and abs(theirs[30] - 0.05) < 1e-12

# %% [markdown]
# The last digits may differ (PyTorch multiplies the current rate by
# $\gamma$, we raise $\gamma$ to a power), but never by more than a rounding
# error.

# %% [markdown]
# ## Cosine annealing
#
# Step decay drops suddenly. **Cosine annealing** glides instead: over a run
# of $T$ updates, the rate follows the first half of a cosine wave, from the
# peak $\eta$ down to a floor $\eta_{min}$ (often 0):
#
# $$\eta_t = \eta_{min} + (\eta - \eta_{min}) \frac{1 + \cos(\pi t/T)}{2}$$
#
# At $t = 0$ the cosine is 1 and the rate is $\eta$; at $t = T/2$ the cosine is
# 0 and the rate is halfway; at $t = T$ the cosine is $-1$ and the rate is
# $\eta_{min}$. The wave is flat at both ends, so the rate stays near the peak
# for a while, falls fastest in the middle, and lingers near the bottom at the
# end. [`gd.cosine`](../reference.md#gd.cosine):
#
# --8<-- "gd/schedules.py:cosine"
#
# PyTorch's version is `CosineAnnealingLR(opt, T_max=100)`:

# %%
ours = [gd.cosine(t, lr=0.5, total=100) for t in range(100)]
theirs = torch_rates(
    lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=100))
print(f"updates 0, 50, 99: {theirs[0]:.4f} {theirs[50]:.4f} {theirs[99]:.6f}")
print("largest difference:", largest_difference(ours, theirs))
assert largest_difference(ours, theirs) < 1e-12
assert abs(theirs[50] - 0.25) < 1e-12  # halfway down, halfway through

# %% [markdown]
# The last update, number 99, already uses a rate close to 0. (PyTorch
# computes each cosine rate from the previous one rather than from the
# formula, which is again why the last digits can differ.)

# %% [markdown]
# ## Warm-up
#
# **Warm-up** does the opposite at the start: it *raises* the rate, in a
# straight line, from a small fraction $f$ of the peak up to the peak over
# the first $w$ updates, and keeps it there:
#
# $$\eta_t = \eta \left(f + (1 - f) \, \frac{\min(t, w)}{w}\right)$$
#
# Why start slowly? The usual explanation comes from neural networks: their
# first steps from a random start can be wild, with large gradients, and
# optimizers such as Adam divide by running averages that are built from only
# a few steps at first. A few gentle updates are meant to make a larger peak
# rate safe afterwards. Our line does
# not need it: its curvature is the same everywhere (the
# [curvature lesson](07-learning-rate.py) showed that the curvature matrix
# depends on neither $a$ nor $y$), so the safe rate at the start is the safe
# rate at the end. We include warm-up because you will meet it in almost every
# modern training script.
#
# --8<-- "gd/schedules.py:warmup"
#
# Warm-up is usually followed by a decay:
# [`gd.warmup_cosine`](../reference.md#gd.warmup_cosine) warms up for $w$
# updates, then runs a cosine over the remaining $T - w$. In PyTorch that is
# two schedulers joined by `SequentialLR`, which hands over from the first to
# the second at update $w$ (the `milestones`). `LinearLR` warms up; it calls
# $f$ `start_factor`.

# %%
ours = [gd.warmup_cosine(t, lr=0.5, warmup=10, total=100, start_factor=0.1)
        for t in range(100)]


def warmup_then_cosine(opt):
    warm = lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=10)
    cool = lr_scheduler.CosineAnnealingLR(opt, T_max=90)
    return lr_scheduler.SequentialLR(opt, [warm, cool], milestones=[10])


theirs = torch_rates(warmup_then_cosine)
print("updates 0 to 3:", [round(r, 4) for r in theirs[:4]])
print("largest difference:", largest_difference(ours, theirs))
assert largest_difference(ours, theirs) < 1e-12
assert abs(theirs[0] - 0.05) < 1e-12 and theirs[10] == 0.5

# %% [markdown]
# The first update uses a tenth of the peak, 0.05; each of the next ones adds
# 0.045, and update 10 uses the full 0.5.

# %% [markdown]
# ## The schedules side by side
#
# All four rates over our 100 updates, with the same peak 0.5:

# %%
import matplotlib.pyplot as plt

steps = range(100)
schedules = {
    "constant": [0.5] * 100,
    "step decay": [gd.step_decay(t, lr=0.5, every=30, gamma=0.1)
                   for t in steps],
    "cosine": [gd.cosine(t, lr=0.5, total=100) for t in steps],
    "warm-up + cosine": ours,
}
fig, ax = plt.subplots(figsize=(4.4, 3.6), layout="constrained")
for name, rates in schedules.items():
    ax.plot(steps, rates, linewidth=2, label=name)
ax.set_xlabel("update t")
ax.set_ylabel("learning rate")
fig.legend(loc="outside lower center", ncols=2)
gd.describe(fig, "Rate against update, peak 0.5: constant stays; step decay "
            "drops tenfold at 30, 60 and 90; cosine glides down to 0; warm-up "
            "+ cosine climbs for 10 updates, then glides down.");

# %% [markdown]
# ## Decay removes the floor
#
# Now the experiment. The same mini-batch run as at the start (same batches,
# same peak rate 0.5), three times: with a constant rate, with step decay and
# with cosine annealing. `gd.train` takes a scheduler as `schedule=`, a
# function that makes one from the optimizer, and calls its `step()` after
# every update, as PyTorch asks.

# %%
step_decay = gd.train(
    x, y, start, batch_size=10, lr=0.5, steps=100,
    schedule=lambda opt: lr_scheduler.StepLR(opt, step_size=30, gamma=0.1))
cosine = gd.train(
    x, y, start, batch_size=10, lr=0.5, steps=100,
    schedule=lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=100))
runs = {"constant": constant, "step decay": step_decay, "cosine": cosine}
above = {}  # mean loss of the last epoch, minus the least-squares loss
for name, run in runs.items():
    above[name] = sum(run.losses[-10:]) / 10 - floor
    print(f"{name:>10}: {above[name]:.1e} above least squares")
assert above["step decay"] < above["constant"] / 10
assert above["cosine"] < above["constant"] / 1000

# %% [markdown]
# In this run the constant rate stays above the least-squares loss by a few
# thousandths; step decay gets more than 10 times closer, and cosine
# annealing more than 1000 times closer. The picture shows how. Each curve
# is the loss minus the least-squares loss, on a log axis: the lower a
# curve, the closer that run is to the best line, each tick down ten times
# closer. The constant run
# flattens out and jitters; step decay drops at each cut of the rate (updates
# 30, 60 and 90); cosine falls steadily as its rate fades, the kicks fading
# with it.

# %%
fig, ax = plt.subplots(figsize=(4.4, 3.4), layout="constrained")
for name, run in runs.items():
    ax.plot(steps, [loss - floor for loss in run.losses], label=name)
ax.set_yscale("log")
ax.yaxis.set_major_formatter("{x:g}")  # ticks as 0.01, not as a power
ax.set_xlabel("update")
ax.set_ylabel("loss − least-squares loss")
fig.legend(loc="outside lower center", ncols=3)
gd.describe(fig, "Loss minus the least-squares loss, log axis, for the three "
            "runs: all fall fast; then the constant run jitters, step decay "
            "drops at each cut, cosine keeps falling.");

# %% [markdown]
# ### Over ten seeds
#
# "More than 1000 times closer" is what one shuffle of the batches gave.
# Mini-batch runs are random, so we repeat the comparison with the batches
# of ten seeds, 0 to 9, and give the smallest, the median and the largest
# value of each row. The last row compares cosine annealing from a peak of
# 0.5 with the best of four constant rates, the ones the explorer below
# offers.

# %%
import statistics

SEEDS = range(10)
PEAKS = [0.05, 0.2, 0.5, 1.0]  # the explorer's learning rates


def run_with(seed, lr=0.5, schedule=None):
    return gd.train(x, y, start, batch_size=10, lr=lr, steps=100, seed=seed,
                    schedule=schedule)


def gap(run):
    """Mean loss of the last epoch minus the least-squares loss."""
    return sum(run.losses[-10:]) / 10 - floor


rows = {name: [] for name in ["constant", "step decay", "cosine",
                              "constant / step decay", "constant / cosine",
                              "best constant / cosine"]}
early, ends_lower = 0, 0  # seeds where 0.5 leads early, 0.05 ends lower
for seed in SEEDS:
    constants = {lr: run_with(seed, lr) for lr in PEAKS}
    decayed = gap(run_with(seed, schedule=lambda opt: lr_scheduler.StepLR(
        opt, step_size=30, gamma=0.1)))
    annealed = gap(run_with(seed, schedule=lambda opt: (
        lr_scheduler.CosineAnnealingLR(opt, T_max=100))))
    constant = gap(constants[0.5])
    rows["constant"].append(constant)
    rows["step decay"].append(decayed)
    rows["cosine"].append(annealed)
    rows["constant / step decay"].append(constant / decayed)
    rows["constant / cosine"].append(constant / annealed)
    best_constant = min(gap(run) for run in constants.values())
    rows["best constant / cosine"].append(best_constant / annealed)
    large, small = constants[0.5], constants[0.05]
    early += large.losses[20] < small.losses[20]
    ends_lower += gap(small) < gap(large)
print("last epoch, 10 seeds            min     median        max")
for name, values in rows.items():
    low, middle, high = (min(values), statistics.median(values),
                         max(values))
    print(f"{name:<24} {low:9.3g}  {middle:9.3g}  {high:9.3g}")
print(f"lr 0.5 ahead of lr 0.05 after 20 updates: {early} of 10 seeds")
print(f"lr 0.05 lower in the last epoch: {ends_lower} of 10 seeds")
assert rows["constant"][0] == above["constant"]  # seed 0: the runs above
assert min(rows["constant / step decay"]) > 10
assert min(rows["constant / cosine"]) > 50
assert min(rows["best constant / cosine"]) > 10
assert early == ends_lower == 10

# %% [markdown]
# The first three rows are the loss of the last epoch above the
# least-squares loss; the next three say how many times closer to it the
# second run ends than the first. Over the ten seeds, step decay always ends
# more than 10 times closer than the constant rate, and cosine annealing
# more than 50 times closer: the "more than 1000" of seed 0 was a lucky
# shuffle, not the rule. Cosine annealing from 0.5 also ends more than 10
# times closer than even the best of the four constant rates, in every
# seed. And the early lead of the large rate, and the lower end of the small
# one, hold in all ten.

# %% [markdown]
# ## Try it yourself
#
# The explorer below holds 12 runs, made when this page was built: each
# schedule with each of four peak rates, all from $(1, 1)$ with the same
# batches (those of seed 0). Pick a *schedule* and a *learning rate*, then
# move the *step* slider (or press *Play*). Things to look for:
#
# - With a constant rate, the path reaches the star and then jitters around
#   it, the more so the larger the rate (from 0.2 up: with 0.05 it is still
#   on its way); with a decaying rate it comes to rest.
# - A schedule only takes rate away. With a peak of 0.05 the decaying runs are
#   *slower* than the constant one: they cut an already small rate before the
#   line has arrived.
# - With a peak of 1.0 the constant rate jumps around wildly (1.0 is past
#   the stable limit of the whole data set, and of every batch: see the
#   check below the explorer), but both decaying runs calm down and finish
#   close to the star.

# %%
SCHEDULES = {
    "constant": None,
    "step decay": lambda opt: lr_scheduler.StepLR(opt, step_size=30,
                                                  gamma=0.1),
    "cosine": lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=100),
}


def run(schedule, lr):
    return gd.train(x, y, start, batch_size=10, lr=lr, steps=100,
                    schedule=SCHEDULES[schedule])


explorer = gd.sweep(run, gd.line_loss(x, y), x=x, y=y,
                    schedule=list(SCHEDULES), lr=[0.05, 0.2, 0.5, 1.0])
explorer

# %% [markdown]
# The numbers behind the list: each run's mean loss over its last epoch, minus
# the least-squares loss.

# %%
def last_epoch_above(schedule, lr):
    losses = explorer.history(schedule=schedule, lr=lr).losses
    return sum(losses[-10:]) / 10 - floor


print("peak lr", *(f"{name:>10}" for name in SCHEDULES))
for lr in [0.05, 0.2, 0.5, 1.0]:
    print(f"{lr:7}", *(f"{last_epoch_above(name, lr):10.1e}"
                       for name in SCHEDULES))
# the same runs as above
assert explorer.history(schedule="cosine", lr=0.5).losses == cosine.losses
# a constant rate jitters more, the larger it is
assert (last_epoch_above("constant", 0.2) < last_epoch_above("constant", 0.5)
        < last_epoch_above("constant", 1.0))
# a peak of 0.05: decaying is slower than staying constant
assert last_epoch_above("cosine", 0.05) > last_epoch_above("constant", 0.05)
assert last_epoch_above("step decay", 0.05) > last_epoch_above("constant",
                                                               0.05)
# a peak of 1.0: the constant rate is wild, the decaying ones settle
assert last_epoch_above("constant", 1.0) > floor
assert last_epoch_above("cosine", 1.0) < 1e-4
assert last_epoch_above("step decay", 1.0) < 1e-3

# %% [markdown]
# In these runs, at a peak of 1.0 the constant run's last epoch averages more
# than twice the least-squares loss, while both decaying runs end within a
# thousandth of it. And no constant rate in the grid gets near what cosine
# annealing reaches from a peak of 0.5: the best one, 0.2, ends more than
# 100 times farther above the least-squares loss. (That factor is seed 0's;
# over ten seeds the table above found more than 10 in every one.)

# %%
best_constant = min(last_epoch_above("constant", lr)
                    for lr in [0.05, 0.2, 0.5, 1.0])
assert best_constant == last_epoch_above("constant", 0.2)
assert above["cosine"] < best_constant / 100

# %% [markdown]
# Why is a constant 1.0 so wild? [Lesson 7](07-learning-rate.py) found the
# stable limit of the whole data set, $2 / \lambda_{max}$, just under 1, so
# 1.0 is already past it. A batch is no gentler. Each batch of 10 has a
# curvature matrix of its own, $\frac{2}{10} X_B^\top X_B$ for its rows
# $X_B$, and the entry for the intercept is exactly 2 in every batch (the
# column of ones again). A general rule for symmetric matrices: the largest
# eigenvalue is at least every entry on the diagonal, since moving along one
# parameter alone bends the bowl by that entry, and no direction bends it
# more than the steepest. So every batch has $\lambda_{max} \ge 2$, and 1.0
# is at or past its limit too. The check, over all 100 batches of the
# explorer's runs:

# %%
whole = torch.linalg.eigvalsh(2 / 100 * x.T @ x).max().item()
generator = torch.Generator().manual_seed(0)  # gd.train's batches, seed 0
steepest = []
for _ in range(10):  # the 10 epochs of a 100-update run
    for rows in torch.randperm(100, generator=generator).split(10):
        H_batch = 2 / 10 * x[rows].T @ x[rows]
        largest = torch.linalg.eigvalsh(H_batch).max().item()
        assert largest >= H_batch.diag().max().item() - 1e-5  # the rule
        steepest.append(largest)
print(f"whole data: largest curvature {whole:.4f}, limit {2 / whole:.4f}")
print(f"100 batches: largest curvature from {min(steepest):.3f} to"
      f" {max(steepest):.3f}, so limits of at most {2 / min(steepest):.3f}")
assert 2 / whole < 1 and min(steepest) >= 2 - 1e-5

# %% [markdown]
# ## Summary
#
# - With mini-batches, each batch's gradient is not zero at the least-squares
#   line, so every update kicks the line by the rate times that gradient. A
#   constant rate therefore hovers at a noise floor; a smaller one lowers the
#   floor but gets there more slowly.
# - A schedule gives the rate of update $t$: step decay
#   $\eta \gamma^{\lfloor t/s \rfloor}$, cosine annealing
#   $\eta_{min} + (\eta - \eta_{min})(1 + \cos(\pi t/T))/2$, and linear
#   warm-up from $f\eta$ to $\eta$ over $w$ updates, often followed by a
#   cosine.
# - PyTorch's `StepLR`, `CosineAnnealingLR` and `LinearLR` + `SequentialLR`
#   give the same rates as these formulas, to the last rounding error. Call
#   `scheduler.step()` after `opt.step()`; the rate in place during
#   `opt.step()` is the one that update uses.
# - On our mini-batch runs, decaying from a peak of 0.5 ends more than 10
#   times closer to the least-squares loss than any of the constant rates we
#   tried, in each of ten seeds (one seed alone gave factors of 100 to 1000
#   that other seeds do not reach); but decay cannot rescue a peak that is
#   too small.
# - A peak of 1.0 is past the stable limit of the whole data set and of
#   every batch: a batch's largest curvature is never below its diagonal
#   entries, and the intercept's entry is 2.
#
# How large should the peak be? Continue with the
# [next lesson](17-finding-a-learning-rate.py), which finds out with one short
# run.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** An optimizer starts with `lr=0.8` and
# runs under `StepLR(opt, step_size=3, gamma=0.5)`. Which rates do its first 7
# updates use? Write down your list, then check it with `torch_rates`.

# %% tags=["solution"]
first_seven = torch_rates(
    lambda opt: lr_scheduler.StepLR(opt, step_size=3, gamma=0.5),
    steps=7, lr=0.8)
print(first_seven)
# Three updates per block: 0.8 for updates 0-2, halved for 3-5, halved again
# from update 6 on. The first update uses the optimizer's own lr.
assert first_seven == [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2]
assert first_seven == [gd.step_decay(t, lr=0.8, every=3, gamma=0.5)
                       for t in range(7)]

# %% [markdown]
# **Exercise 2 (break it and explain).** In the loop of `torch_rates`, call
# `scheduler.step()` *before* `opt.step()` instead of after it, with the
# `StepLR` of exercise 1. Which rates do the 7 updates use now, and what does
# PyTorch say about it?

# %% tags=["solution"]
import warnings

a = nn.Parameter(torch.zeros(2))
opt = torch.optim.SGD([a], lr=0.8)
scheduler = lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
used = []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for _ in range(7):
        opt.zero_grad()
        gd.mse(x@a, y).backward()
        scheduler.step()  # the broken line: too early
        used.append(opt.param_groups[0]["lr"])
        opt.step()
print(used)
print(str(caught[0].message)[:80], "...")
# Each update now uses the rate meant for the *next* one, so the schedule
# runs one update early: the first block of 0.8 lasts two updates instead of
# three, and every cut comes one update sooner. PyTorch notices that
# scheduler.step() ran before any opt.step() and warns.
assert used == [gd.step_decay(t + 1, lr=0.8, every=3, gamma=0.5)
                for t in range(7)]
assert used == [0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2]
meant = [gd.step_decay(t, lr=0.8, every=3, gamma=0.5) for t in range(7)]
assert used.count(0.8) == 2 and meant.count(0.8) == 3
assert issubclass(caught[0].category, UserWarning)
assert "before `optimizer.step()`" in str(caught[0].message)

# %% [markdown]
# **Exercise 3 (break it and explain).** Use `CosineAnnealingLR` with
# `T_max=50` for the 100-update mini-batch run (peak 0.5), as if the run were
# half as long as it is. Print the rate of updates 50 and 99, and the last
# epoch's loss above the least-squares loss. What went wrong?

# %% tags=["solution"]
too_short = torch_rates(
    lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=50))
print(f"rate at update 50: {too_short[50]:.4f}, at 99: {too_short[99]:.4f}")
rerun = gd.train(
    x, y, start, batch_size=10, lr=0.5, steps=100,
    schedule=lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=50))
rerun_above = sum(rerun.losses[-10:]) / 10 - floor
print(f"last epoch above least squares: {rerun_above:.1e}"
      f" (T_max=100: {above['cosine']:.1e})")
# PyTorch's cosine does not stop at T_max: it keeps following the wave, so
# after reaching 0 at update 50 the rate climbs back towards the peak. The
# run ends with large rates, and large kicks, again.
assert too_short[50] < 1e-12 and too_short[99] > 0.49
assert rerun_above > 100 * above["cosine"]
# gd.cosine stays at lr_min after `total` instead
assert gd.cosine(99, lr=0.5, total=50) == 0.0

# %% [markdown]
# **Exercise 4 (practice).** Any function of the step can drive a PyTorch
# optimizer through `LambdaLR(opt, factor)`: it multiplies the optimizer's
# rate by `factor(t)`. Called with `lr=1.0`, `gd.warmup_cosine` returns
# exactly such a factor. Check that `LambdaLR` with it reproduces the
# `SequentialLR` rates above, then train the mini-batch run with it (peak 0.5)
# and compare the last epoch with plain cosine annealing.

# %% tags=["solution"]
def factor(t):
    return gd.warmup_cosine(t, lr=1.0, warmup=10, total=100)


def with_lambda(opt):
    return lr_scheduler.LambdaLR(opt, factor)


assert largest_difference(torch_rates(with_lambda),
                          torch_rates(warmup_then_cosine)) < 1e-12
warm = gd.train(x, y, start, batch_size=10, lr=0.5, steps=100,
                schedule=with_lambda)
warm_above = sum(warm.losses[-10:]) / 10 - floor
print(f"warm-up + cosine: {warm_above:.1e}   cosine: {above['cosine']:.1e}")
# Both end far below the constant rate's floor. Warm-up does not help here:
# the line's curvature is the same everywhere, so the first updates are no
# more dangerous than the later ones, and starting slowly only loses time.
assert warm_above < above["constant"] / 100
assert warm_above > above["cosine"]  # no better than plain cosine
