# %% [markdown]
# # One-cycle
#
# The [range-test lesson](17-finding-a-learning-rate.py) ended with a first
# look at **one-cycle**, the schedule Leslie Smith built on the range test:
# the learning rate climbs to a peak and falls far below where it started,
# while the momentum moves the other way. In this lesson you will write
# PyTorch's `OneCycleLR` as two formulas and check them value by value, see
# why the momentum moves against the rate, and race one-cycle against a
# constant rate, cosine annealing and the range test's pick on the
# mini-batch line of the [schedules lesson](16-schedules.py), over eight
# seeds.
#
# The sources are Smith's "A disciplined approach to neural network
# hyper-parameters: Part 1"
# ([arXiv:1803.09820](https://arxiv.org/abs/1803.09820), 2018) and Smith
# and Topin's "Super-Convergence: Very Fast Training of Neural Networks
# Using Large Learning Rates"
# ([arXiv:1708.07120](https://arxiv.org/abs/1708.07120), 2017).

# %% [markdown]
# ## The shape of one cycle
#
# First, what PyTorch does. We make a real SGD optimizer with momentum, put
# a `OneCycleLR` scheduler of 100 updates with a peak rate of 0.1 on it,
# and, before each update, read the rate and the momentum the update will
# use. As in the [schedules lesson](16-schedules.py), `scheduler.step()`
# comes after `opt.step()`. There is no loss yet: `opt.step()` without
# gradients moves nothing, and only the schedule changes.

# %%
import math

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.optim import lr_scheduler

import gd


def torch_cycle(total=100, peak=0.1, **settings):
    """(rate, momentum) of each of `total` updates under OneCycleLR."""
    a = nn.Parameter(torch.zeros(2))
    opt = torch.optim.SGD([a], lr=peak, momentum=0.9)
    cycle = lr_scheduler.OneCycleLR(opt, max_lr=peak, total_steps=total,
                                    **settings)
    seen = []
    for _ in range(total):
        group = opt.param_groups[0]
        seen.append((group["lr"], group["momentum"]))
        opt.step()
        cycle.step()
    return seen


seen = torch_cycle()
rates = [rate for rate, _ in seen]
momenta = [momentum for _, momentum in seen]
top = max(range(100), key=rates.__getitem__)
print(f"rate:     starts {rates[0]:.4f}, peaks {rates[top]:.4f} at update "
      f"{top}, ends {rates[-1]:.1e}")
print(f"momentum: starts {momenta[0]:.2f}, {momenta[top]:.2f} at the peak,"
      f" ends {momenta[-1]:.2f}")
assert math.isclose(rates[0], 0.1 / 25) and top == 29
assert math.isclose(rates[-1], 0.1 / 25 / 1e4)
assert math.isclose(momenta[top], 0.85) and momenta[0] == momenta[-1] == 0.95

# %%
fig, (up, down) = plt.subplots(2, 1, figsize=(4.4, 4.2), sharex=True,
                               layout="constrained")
up.plot(rates, linewidth=2)
up.set_ylabel("learning rate")
down.plot(momenta, linewidth=2, color="C1")
down.set_ylabel("momentum")
down.set_xlabel("update t")
gd.describe(fig, "Two curves over 100 updates. The rate climbs from 0.004 "
            "to 0.1 at update 29, then falls to almost 0; the momentum "
            "falls from 0.95 to 0.85 at update 29, then climbs back.");

# %% [markdown]
# The rate starts at the peak divided by 25 and climbs for 30% of the
# updates, then falls for the other 70%, to $10^{4}$ times below where it
# started. The momentum is its mirror image: highest when the rate is
# lowest, lowest at the peak. Both move smoothly, with no corner at the
# ends: they follow half a cosine wave, as in cosine annealing.

# %% [markdown]
# ## One cycle as two formulas
#
# Number the updates $t = 0, 1, \ldots, T-1$. Five numbers set the cycle:
# the peak rate $\eta$ (eta), the share $p$ of the updates spent climbing
# (`pct_start`, 0.3), the factor $d$ that sets the first rate $\eta / d$
# (`div_factor`, 25), the factor $D$ that sets the last rate
# $\eta / (d D)$ (`final_div_factor`, $10^4$), and the momentum range from
# $\beta_{min}$ to $\beta_{max}$ (0.85 and 0.95).
#
# Both phases glide from one value $u$ to another value $w$ along half a
# cosine wave, as a fraction $s$ of the phase goes by, from 0 to 1:
#
# $$\operatorname{glide}(u \to w, s) = w + \frac{u - w}{2} (1 + \cos \pi s)$$
#
# At $s = 0$ the cosine is 1 and the glide is at $u$; at $s = 1$ it is
# $-1$ and the glide is at $w$. The climb ends at update $t^* = pT - 1$,
# which is 29 for 100 updates. Up to it, with $s = t / t^*$,
#
# $$\eta_t = \operatorname{glide}(\eta / d \to \eta,\ s),$$
#
# $$\beta_t = \operatorname{glide}(\beta_{max} \to \beta_{min},\ s),$$
#
# and after it, with $s = (t - t^*) / (T - 1 - t^*)$,
#
# $$\eta_t = \operatorname{glide}(\eta \to \eta / (d D),\ s),$$
#
# $$\beta_t = \operatorname{glide}(\beta_{min} \to \beta_{max},\ s).$$
#
# So the last update, $t = T - 1$, has $s = 1$: it uses exactly the lowest
# rate and the highest momentum. Here is
# [`gd.one_cycle`](../reference.md#gd.one_cycle), taken from the real file
# when this page was built (the first line of its body checks the
# arguments). It returns both numbers:
#
# --8<-- "gd/schedules.py:one_cycle"
#
# Our formulas against PyTorch's, value by value, for the cycle above and
# for one with other settings:

# %%
ours = [gd.one_cycle(t, lr=0.1, total=100) for t in range(100)]
print("update 29, ours: ", ours[29])
print("update 29, torch:", seen[29])
assert ours == seen  # every rate and every momentum, to the last digit
other = {"pct_start": 0.5, "div_factor": 10., "final_div_factor": 100.,
         "base_momentum": 0.8, "max_momentum": 0.99}
theirs = torch_cycle(total=40, peak=2., **other)
ours = [gd.one_cycle(t, lr=2., total=40, **other) for t in range(40)]
print("first and last update, other settings:", theirs[0], theirs[-1])
assert ours == theirs
assert math.isclose(theirs[0][0], 2. / 10) and theirs[0][1] == 0.99
assert math.isclose(theirs[-1][0], 2. / 10 / 100)

# %% [markdown]
# They agree exactly: PyTorch computes each value from the same formula,
# not from the previous value.
#
# PyTorch's default is the two-phase cycle of the fastai library. Smith's
# papers describe a cycle that climbs and falls along straight lines, back
# to the starting rate, followed by a short last phase far below it;
# `OneCycleLR(three_phase=True, anneal_strategy="linear")` gives that one.
# With Adam, whose momentum is `betas[0]`, `OneCycleLR` cycles `betas[0]`
# instead (exercise 4).

# %% [markdown]
# ## Why the momentum moves the other way
#
# The [momentum lesson](14-momentum.py) showed that with momentum $\beta$ a
# gradient that keeps its direction builds a velocity $1 / (1 - \beta)$
# times as large, so the steps become $\eta / (1 - \beta)$ times the
# gradient. Call that the **effective rate**. A real run shows it: on the
# loss $w$, whose gradient is always 1, SGD with $\eta = 0.1$ and
# $\beta = 0.95$ ends up stepping $0.1 / 0.05 = 2$ per update.

# %%
ramp = gd.descend(lambda w: w.sum(), [0.], lr=0.1, momentum=0.95,
                  steps=300)
last_step = (ramp.params[-2] - ramp.params[-1]).item()
print(f"step after 300 updates: {last_step:.4f}")
assert abs(last_step - 0.1 / (1 - 0.95)) < 1e-5

# %% [markdown]
# Now the cycle's effective rate, $\eta_t / (1 - \beta_t)$, against what it
# would be with the momentum held at 0.95 all the way:

# %%
rate, momentum = torch.tensor(seen, dtype=torch.float64).T
effective = rate / (1 - momentum)
held = rate / (1 - 0.95)
print(f"effective rate {'cycled':>9} {'held at 0.95':>13}")
print(f"at the peak    {effective[29]:9.3f} {held[29]:13.3f}")
print(f"first update   {effective[0]:9.3f} {held[0]:13.3f}")
assert math.isclose(effective[29], 0.1 / 0.15, rel_tol=1e-6)
assert math.isclose(held[29] / effective[29], 3, rel_tol=1e-6)
assert math.isclose(effective[0], held[0])

# %% [markdown]
# Where the rate is low, at both ends, the momentum is high and speeds the
# steps up, by 20 times. At the peak the momentum drops to 0.85, which
# multiplies by only 6.7, so the largest effective rate is 3 times smaller
# than with the momentum held high. Smith found that this pairing let him
# train with higher peak rates without losing stability; it is a design
# choice that his experiments support, not a law. The experiments below
# test what it does on our line.

# %% [markdown]
# ## The contest
#
# The problem is the one of the schedules and range-test lessons: our line,
# mini-batches of 10, 100 updates from $(1, 1)$, scored by the mean loss of
# the last epoch (10 updates) minus the least-squares loss: the lower, the
# closer to the best line. For each seed, which shuffles the batches, we
# first run the range test with the same batches
# ([`gd.lr_range_test`](../reference.md#gd.lr_range_test), plain SGD, loss
# on all the data) and read off the rate at its lowest loss. Lesson 17's rule
# takes a tenth of it as a constant rate: that is **the range test's pick**.
# Smith takes the peak of a cycle from the top of the range test's useful
# range instead, where the loss stops falling; we use the lowest point
# itself. Every score is divided by the best score of four constant rates
# from 0.04 to 0.2 with the same batches, so 1 means "as good as the best
# constant rate", and less than 1 means better.

# %%
import statistics

x, y = gd.linear_data(100, seed=42)
start = torch.tensor([1.,1])
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
floor = gd.mse(x@best, y).item()
GRID = [0.04, 0.07, 0.1, 0.2]
SEEDS = range(8)


def score(seed, lr, schedule=None, momentum=0.):
    """Mean loss of the last epoch minus the least-squares loss."""
    run = gd.train(x, y, start, batch_size=10, lr=lr, steps=100, seed=seed,
                   schedule=schedule, momentum=momentum)
    return sum(run.losses[-10:]) / 10 - floor


def cosine(opt):
    return lr_scheduler.CosineAnnealingLR(opt, T_max=100)


def one_cycle(peak, cycle_momentum=False):
    return lambda opt: lr_scheduler.OneCycleLR(
        opt, max_lr=peak, total_steps=100, cycle_momentum=cycle_momentum)


def spread(values):
    """min / median / max, the way every seeds table here reports."""
    return (f"{min(values):7.3g} {statistics.median(values):7.3g} "
            f"{max(values):7.3g}")


lowest, best_rates, table = [], [], {}
for seed in SEEDS:
    test = gd.lr_range_test(x, y, start, lr_start=1e-4, lr_end=10.,
                            steps=101, batch_size=10, seed=seed)
    low = test.lrs[min(range(len(test.lrs)), key=test.losses.__getitem__)]
    pick = low / 10
    lowest.append(low)
    constants = [score(seed, lr) for lr in GRID]
    best_constant = min(constants)
    best_rates.append(GRID[constants.index(best_constant)])
    arms = {
        "constant, pick": score(seed, pick),
        "one-cycle, pick": score(seed, pick, one_cycle(pick)),
        "cosine, low": score(seed, low, cosine),
        "one-cycle, low": score(seed, low, one_cycle(low)),
        "+ momentum, pick": score(seed, pick, one_cycle(pick, True),
                                       momentum=0.9),
    }
    for name, value in arms.items():
        table.setdefault(name, []).append(value / best_constant)
print(f"range test's lowest point, {len(SEEDS)} seeds")
print(f"{'':16} {'min':>7} {'median':>7} {'max':>7}")
print(f"{'':16} {spread(lowest)}")
print("best constant rate of the four:", sorted(set(best_rates)))
print(f"score / best constant, {len(SEEDS)} seeds")
print(f"{'':16} {'min':>7} {'median':>7} {'max':>7}")
for name, values in table.items():
    print(f"{name:>16} {spread(values)}")

# %% [markdown]
# In the row names, *pick* is the range test's pick and *low* its lowest
# point, used as the constant rate or as the schedule's peak.
# (`OneCycleLR` sets the momentum only when `cycle_momentum` is true; the
# rows without "+ momentum" run plain SGD, as the range test did. In the
# last row the momentum given to SGD, 0.9, is replaced by the cycle's.)
#
# Read the table row by row.

# %%
assert GRID[0] < min(best_rates) and max(best_rates) < GRID[-1]
good = sum(v < 4 for v in table["constant, pick"])
print(f"constant, the pick: within 4 times the best in {good} of"
      f" {len(SEEDS)} seeds")
assert good == len(SEEDS) - 1
assert statistics.median(table["constant, pick"]) < 2
worst = max(SEEDS, key=table["constant, pick"].__getitem__)
assert lowest[worst] == min(lowest)  # its range test bottomed out early
assert all(v > 5 for v in table["one-cycle, pick"])
for name in ("cosine, low", "one-cycle, low"):
    assert all(v < 1 for v in table[name])

# %% [markdown]
# - **The range test's pick is a good constant rate** in most seeds (a
#   median near 1; in the one seed where it is far off, the range test's
#   lowest point came earliest, and a tenth of it is too timid). But as the
#   *peak* of a one-cycle schedule it is far too low: the runs end more
#   than 5 times worse than the best constant rate in every seed. A
#   schedule spends most of its updates below its peak; the
#   [schedules lesson](16-schedules.py) found the same ("decay cannot
#   rescue a peak that is too small").
# - **With the peak at the range test's lowest point**, ten times higher,
#   both cosine and one-cycle beat the best constant rate in every seed.
#   This is Smith's recipe: a large peak, then a fall far below it.
#
# Between cosine and one-cycle with the same peak, no winner:

# %%
ratios = [c / k for c, k in zip(table["one-cycle, low"],
                                table["cosine, low"], strict=True)]
print(f"{'one-cycle/cosine':>16} {spread(ratios)}")
assert min(ratios) < 1 < max(ratios)

# %% [markdown]
# One-cycle ends closer in some seeds and farther in others. On our line
# this is what we should expect. One-cycle differs from cosine in its climb,
# and the climb is a warm-up: it protects the first updates, when a network
# starting from random weights has wild gradients. Our line has the same
# curvature everywhere (the [curvature lesson](07-learning-rate.py)), so
# the first updates are no more dangerous than the others, and the climb
# bought nothing consistent.
#
# And the momentum? With the rate cycled from the range test's pick and the
# momentum cycled as well (last row), the runs beat the best constant rate
# in some seeds and lose to it in others, and they end worse than cycling
# the rate alone from the lowest point in every seed:

# %%
with_momentum = table["+ momentum, pick"]
print(f"{'+ momentum, pick':>16} {spread(with_momentum)}")
assert min(with_momentum) < 1 < max(with_momentum)
assert all(m > r for m, r in zip(with_momentum, table["one-cycle, low"],
                                 strict=True))

# %% [markdown]
# With the cycle's momentum, the effective rate at the peak is 6.7 times the
# rate, so a peak of a tenth of the lowest point is already an effective
# peak of two thirds of it. What momentum did in the momentum lesson, cross
# a long narrow valley faster, has nothing to work on here: our line's bowl
# is round. So on this problem momentum only changes the effective rate,
# and the rate alone, with its peak at the range test's lowest point, did
# better in every seed.

# %% [markdown]
# ## Try it yourself
#
# The explorer below holds 9 runs, made when this page was built, all with
# the batches of seed 0: a constant rate, cosine annealing and one-cycle (of
# the rate alone, plain SGD), each with three peak rates. Pick a *schedule*
# and a *learning rate* (the peak), then move the *step* slider or press
# *Play*. Things to look for:
#
# - With a peak of 0.05, both schedules are slower than the constant rate:
#   they spend their updates below the peak.
# - With a peak of 0.5, cosine and one-cycle settle on the star, where the
#   constant rate keeps jittering around it.
# - With a peak of 1.0, past the stable limit (lesson 16), the constant rate
#   jumps around wildly; one-cycle climbs to it more slowly than cosine
#   starts from it.

# %%
SCHEDULES = {"constant": None, "cosine": cosine, "one-cycle": one_cycle}


def run(schedule, lr):
    make = SCHEDULES[schedule]
    return gd.train(x, y, start, batch_size=10, lr=lr, steps=100, seed=0,
                    schedule=make(lr) if make is one_cycle else make)


explorer = gd.sweep(run, gd.line_loss(x, y), x=x, y=y,
                    schedule=list(SCHEDULES), lr=[0.05, 0.5, 1.0])
explorer

# %% [markdown]
# The numbers behind the list, each run's last epoch above the least-squares
# loss:

# %%
def last_epoch_above(schedule, lr):
    losses = explorer.history(schedule=schedule, lr=lr).losses
    return sum(losses[-10:]) / 10 - floor


print("peak lr", *(f"{name:>10}" for name in SCHEDULES))
for lr in [0.05, 0.5, 1.0]:
    print(f"{lr:7}", *(f"{last_epoch_above(name, lr):10.1e}"
                       for name in SCHEDULES))
for name in ("cosine", "one-cycle"):
    assert last_epoch_above(name, 0.05) > last_epoch_above("constant", 0.05)
    assert last_epoch_above(name, 0.5) < last_epoch_above("constant", 0.5)
    assert last_epoch_above(name, 1.0) < last_epoch_above("constant", 1.0)

# %% [markdown]
# ## Summary
#
# - One-cycle (Smith 2018; Smith and Topin 2017) climbs from $\eta / d$ to
#   the peak $\eta$ over the first share $p$ of the updates and then falls
#   to $\eta / (d D)$, while the momentum falls from $\beta_{max}$ to
#   $\beta_{min}$ and climbs back. PyTorch's `OneCycleLR` (defaults
#   $p = 0.3$, $d = 25$, $D = 10^4$, momentum 0.95 to 0.85) glides along
#   half a cosine wave in each phase; `gd.one_cycle` gives the same rate and
#   momentum at every update, to the last digit.
# - The momentum's cycle keeps the effective rate $\eta_t / (1 - \beta_t)$
#   down at the peak (3 times lower than with the momentum held at 0.95)
#   and high momentum where the rate is low.
# - On our mini-batch line, over eight seeds: the range test's pick is a good
#   constant rate but far too low a peak; from the range test's lowest point,
#   cosine annealing and one-cycle both beat the best constant rate in every
#   seed, with no winner between them. The climb is a warm-up, and our line
#   has nothing to warm up for. Cycling the momentum as well, from the
#   range test's pick, did worse than cycling the rate alone in every seed:
#   our round bowl has no narrow valley for momentum to cross.
#
# Continue with the [next lesson](23-newton-and-its-cousins.py): Newton's
# step, which takes its step size from the curvature itself.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A one-cycle schedule of 50 updates with
# a peak of 0.3 and PyTorch's defaults: what are the rates of the first and
# of the last update, and the momentum of the last? Predict them from the
# formulas, then check with `gd.one_cycle` and with `torch_cycle`.

# %% tags=["solution"]
first, last = gd.one_cycle(0, lr=0.3, total=50), gd.one_cycle(49, lr=0.3,
                                                              total=50)
print(f"first rate {first[0]:.4g}, last rate {last[0]:.3g}, "
      f"last momentum {last[1]}")
# The first rate is the peak over d = 25; the last update has s = 1, so its
# rate is the first one over D = 10,000 and its momentum the highest, 0.95.
assert math.isclose(first[0], 0.3 / 25) and math.isclose(last[0], 1.2e-6)
assert last[1] == 0.95
cycle = torch_cycle(total=50, peak=0.3)
assert (cycle[0], cycle[-1]) == (first, last)

# %% [markdown]
# **Exercise 2 (break it and explain).** Train for 110 updates under a
# `OneCycleLR` made with `total_steps=100`, as if you had miscounted the
# batches. What happens, and what does `gd.one_cycle` say about update 100?

# %% tags=["solution"]
a = nn.Parameter(torch.zeros(2))
opt = torch.optim.SGD([a], lr=0.1)
cycle = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=100)
message = None
try:
    for _ in range(110):
        opt.step()
        cycle.step()
except ValueError as error:
    message = str(error)
print("torch:", message)
try:
    gd.one_cycle(100, lr=0.1, total=100)
except ValueError as error:
    print("gd:   ", error)
# A cycle has an end: after the last update's rate nothing is defined, so
# PyTorch refuses to step past total_steps (its call number 101 computes the
# rate for an update that would be the 102nd), and gd refuses a step
# number at or past total. Count the updates before making the scheduler:
# total_steps = epochs * batches per epoch.
assert message is not None and "Tried to step 101 times" in message

# %% [markdown]
# **Exercise 3 (practice).** Drive `torch.optim.SGD` with `gd.one_cycle`
# instead of a scheduler: before each update, set the optimizer's `lr` and
# `momentum` to our two numbers. Check that 100 mini-batch updates on our
# line (batches of 10, seed 0, peak 0.2) end exactly where `gd.train` with
# `OneCycleLR` ends.

# %% tags=["solution"]
a = nn.Parameter(start.clone())
opt = torch.optim.SGD([a], lr=0.2, momentum=0.9)
shuffle = torch.Generator().manual_seed(0)  # gd.train's batches, seed 0
t = 0
for _ in range(10):
    for rows in torch.randperm(100, generator=shuffle).split(10):
        group = opt.param_groups[0]
        group["lr"], group["momentum"] = gd.one_cycle(t, lr=0.2, total=100)
        opt.zero_grad()
        gd.mse(x[rows]@a, y[rows]).backward()
        opt.step()
        t += 1
reference = gd.train(x, y, start, batch_size=10, lr=0.2, steps=100, seed=0,
                     momentum=0.9, schedule=one_cycle(0.2, True))
print("ours:", a.detach(), " OneCycleLR:", reference.params[-1])
assert torch.equal(a.detach(), reference.params[-1])

# %% [markdown]
# **Exercise 4 (practice).** With `torch.optim.Adam`, which has no
# `momentum` setting, `OneCycleLR` cycles `betas[0]`, the weight of Adam's
# running average of gradients. Check over 100 updates that `betas[0]`
# follows `gd.one_cycle`'s momentum, and that `betas[1]` stays at 0.999.

# %% tags=["solution"]
a = nn.Parameter(torch.zeros(2))
opt = torch.optim.Adam([a], lr=0.1)
cycle = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=100)
betas = []
for _ in range(100):
    betas.append(opt.param_groups[0]["betas"])
    opt.step()
    cycle.step()
print("betas at updates 0, 29, 99:", betas[0], betas[29], betas[99])
assert [b[0] for b in betas] == [gd.one_cycle(t, lr=0.1, total=100)[1]
                                 for t in range(100)]
assert all(b[1] == 0.999 for b in betas)
