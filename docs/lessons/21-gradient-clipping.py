# %% [markdown]
# # Gradient clipping
#
# One bad number in a data set can throw training off. On the batch that
# holds it, the gradient is many times its usual size, and gradient descent
# takes a step just as many times too long. **Gradient clipping** caps the
# gradient before the step. In this lesson you will plant one bad reading
# among our points, watch the gradient spike and the line jump every time
# its batch comes round, and compare PyTorch's two ways of clipping,
# `torch.nn.utils.clip_grad_norm_` and `torch.nn.utils.clip_grad_value_`:
# what each does to the gradient's length and direction, to the path and
# to the loss, and what clipping costs when nothing spikes.
#
# Clipping became standard practice for recurrent networks, whose
# gradients can explode; Pascanu, Mikolov and Bengio analysed why and
# proposed clipping the norm in "On the difficulty of training recurrent
# neural networks"
# ([arXiv:1211.5063](https://arxiv.org/abs/1211.5063), 2013).

# %% [markdown]
# ## One bad reading
#
# Our usual 100 points, with one of them spoiled: the point with the
# largest $x$ gets $y = 50$ instead of its true value near 5.7, as if a
# decimal point had slipped when it was written down. We will judge every
# line by its loss on the 99 good points: the bad one is what we want
# training to ignore.

# %%
import math
import statistics

import matplotlib.pyplot as plt
import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42)
bad = int(x[:, 0].argmax())  # the row of the largest x
y_bad = y.clone()
y_bad[bad] = 50.
good = torch.arange(100) != bad  # True for the 99 good rows
print(f"row {bad}: x = {x[bad, 0]:.3f}, y = {y[bad]:.3f}, now {y_bad[bad]}")
gd.plot_data(x, y_bad)

# %% [markdown]
# Least squares, which fits all 100 points, is dragged towards the bad one:
# its slope and intercept move far from the line of the 99 good points.
# That line, the good points' own least squares, has the lowest loss any
# line can have on them; we call its loss the **floor** (the first of the
# two losses printed below).

# %%
def least_squares(x, y):
    return torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)


best = least_squares(x[good], y[good])
dragged = least_squares(x, y_bad)
floor = gd.mse(x[good]@best, y[good]).item()
print("the 99 good points:", best)
print("all 100 points:    ", dragged)
print(f"loss on the good points: {floor:.4f} and "
      f"{gd.mse(x[good]@dragged, y[good]):.4f}")
assert (dragged - best).norm() > 1

# %% [markdown]
# ## A spike in the gradient
#
# Now mini-batch SGD, as in the [mini-batch lesson](12-mini-batches.py):
# batches of 10 in a new shuffled order every epoch, 100 updates from
# $(1, 1)$ with the rate 0.1. We write the loop out, because clipping goes
# inside it. Each update records the loss on the good points (before the
# update), the new position, and the length (the norm) of the batch's
# gradient $g$, $\|g\| = \sqrt{g_0^2 + g_1^2}$. It returns the record as a
# [`gd.History`](../reference.md#gd.History), the kind `gd.train` returns,
# so that gd's plots can draw it. The two clipping lines stay idle for now
# (`clip=None`); we come back to them below.


# %%
def train(y, *, lr=0.1, clip=None, limit=math.inf, seed=0):
    """100 updates of mini-batch SGD on (x, y) from (1, 1).

    clip: None, "norm" or "value", with the threshold `limit`. Returns a
    gd.History (losses on the good points) and each gradient's norm,
    measured before any clipping."""
    a = nn.Parameter(torch.tensor([1.,1]))
    opt = torch.optim.SGD([a], lr=lr)
    shuffle = torch.Generator().manual_seed(seed)
    losses, params, norms = [], [a.detach().clone()], []
    for _ in range(10):
        for rows in torch.randperm(100, generator=shuffle).split(10):
            with torch.no_grad():
                losses.append(gd.mse(x[good]@a, y[good]).item())
            opt.zero_grad()
            gd.mse(x[rows]@a, y[rows]).backward()
            norms.append(a.grad.norm().item())
            if clip == "norm":
                nn.utils.clip_grad_norm_([a], max_norm=limit)
            elif clip == "value":
                nn.utils.clip_grad_value_([a], clip_value=limit)
            opt.step()
            params.append(a.detach().clone())
    history = gd.History(losses, torch.stack(params), overflowed=False,
                         lr=lr)
    return history, norms


plain, norms = train(y_bad)
# the same batches and steps as gd.train, seed 0
reference = gd.train(x, y_bad, [1., 1.], batch_size=10, lr=0.1, steps=100)
assert torch.equal(plain.params, reference.params)

# %% [markdown]
# Which updates see the bad point? Replaying the same shuffles tells us: one
# per epoch. Their gradients are the spikes:

# %%
shuffle = torch.Generator().manual_seed(0)
batches = [rows for _ in range(10)
           for rows in torch.randperm(100, generator=shuffle).split(10)]
spikes = [step for step, rows in enumerate(batches) if bad in rows]
rest = [n for step, n in enumerate(norms) if step not in spikes]
print("updates with the bad point:", spikes)
print("their gradient norms:", [round(norms[s], 1) for s in spikes])
print(f"the other 90: median {statistics.median(rest):.2f}, "
      f"largest {max(rest):.2f}")
assert min(norms[s] for s in spikes) > 2.5 * max(rest)

# %%
fig, ax = plt.subplots(figsize=(4.4, 3.4), layout="constrained")
ax.semilogy(norms, linewidth=1.5, label="gradient norm")
ax.semilogy(spikes, [norms[s] for s in spikes], "o", markersize=4,
            label="batch with the bad point")
ax.yaxis.set_major_formatter("{x:g}")
ax.set(xlabel="update", ylabel="gradient norm (log scale)")
fig.legend(loc="outside lower center", ncols=2)
gd.describe(fig, "Gradient norm at each of 100 updates, log scale: ten "
            f"spikes above {min(norms[s] for s in spikes):.0f}, one per "
            "epoch, where the batch holds the bad point; the other "
            f"updates stay below {max(rest):.1f}.");

# %% [markdown]
# The first updates have large gradients too, because $(1, 1)$ is far from
# the answer; after that, every gradient but the spikes is small. Each
# spike is more than 2.5 times the largest of the other 90, and the step
# it makes is as many times longer.

# %% [markdown]
# ## Clipping in one dimension
#
# With one parameter the gradient is one number $g$, and clipping means:
# if $|g|$ is above a threshold $c$, replace it by $c$ with the sign of $g$;
# otherwise leave it alone. Both of PyTorch's functions do exactly that to a
# single number, and they change the tensor's `.grad` in place (the
# trailing underscore in their names says so):

# %%
print("     g    by norm   by value")
for g in (-13., -0.3, 2.):
    w = nn.Parameter(torch.zeros(1))
    w.grad = torch.tensor([g])
    nn.utils.clip_grad_norm_([w], max_norm=1.)
    by_norm = w.grad.item()
    w.grad = torch.tensor([g])
    nn.utils.clip_grad_value_([w], clip_value=1.)
    by_value = w.grad.item()
    print(f"{g:6} {by_norm:10.5f} {by_value:10.5f}")
    assert math.isclose(by_value, max(-1., min(1., g)), rel_tol=1e-6)
    assert math.isclose(by_norm, by_value, rel_tol=1e-5)

# %% [markdown]
# (The norm version lands a hair inside the threshold, as the next section
# explains.) In two or more dimensions the two functions part ways.

# %% [markdown]
# ## Clipping the norm
#
# `clip_grad_norm_` keeps the gradient's direction and shrinks its length:
# if $\|g\| > c$,
#
# $$g \leftarrow g \, \frac{c}{\|g\| + 10^{-6}},$$
#
# and otherwise $g$ stays as it is. (The $10^{-6}$ guards against dividing
# by zero; it leaves the clipped length a hair below $c$.) With several
# tensors, as in a network, $\|g\|$ is the length of all their entries
# together, and all are scaled by the same factor. The function returns
# $\|g\|$ as it was before clipping, which is handy for logging spikes.
# Here is the first spike's gradient, clipped by the formula and by
# PyTorch:

# %%
first = spikes[0]
a = nn.Parameter(plain.params[first].clone())  # where the spike hit
rows = batches[first]
gd.mse(x[rows]@a, y_bad[rows]).backward()
g = a.grad.clone()
by_hand = g * 1. / (g.norm() + 1e-6)
returned = nn.utils.clip_grad_norm_([a], max_norm=1.)
print("gradient:       ", g, f"norm {g.norm():.3f}")
print("clipped by norm:", a.grad, f"norm {a.grad.norm():.6f}")
print(f"returned: {returned:.3f}")
assert torch.allclose(a.grad, by_hand)
assert math.isclose(returned, norms[first], rel_tol=1e-6)
cosine = torch.dot(g, a.grad) / (g.norm() * a.grad.norm())
print(f"cosine of the angle between them: {cosine:.6f}")
assert abs(cosine - 1) < 1e-6  # the same direction

# %% [markdown]
# The clipped gradient points exactly where the spike did; only its length
# changed, from about 14 to 1.
#
# ## Clipping each value
#
# `clip_grad_value_` clips every entry on its own, into $[-c, c]$. That
# caps each entry, but it changes the direction whenever one entry is cut
# more than another. The gradient at our start, on all the good points,
# shows it: its intercept entry is twice its slope entry.

# %%
def gradient_at_start():
    a = nn.Parameter(torch.tensor([1.,1]))
    gd.mse(x[good]@a, y[good]).backward()
    return a


def degrees(u, v):
    """The angle between two vectors, in degrees."""
    cos = torch.dot(u, v) / (u.norm() * v.norm())
    return math.degrees(math.acos(min(1., cos.item())))


g = gradient_at_start().grad
assert (g.abs() > 1).all() and 1.8 < g[1] / g[0] < 2.2
by_norm, by_value = gradient_at_start(), gradient_at_start()
nn.utils.clip_grad_norm_([by_norm], max_norm=1.)
nn.utils.clip_grad_value_([by_value], clip_value=1.)
print("gradient:        ", g)
print("clipped by norm: ", by_norm.grad,
      f"turned {degrees(g, by_norm.grad):.1f} degrees")
print("clipped by value:", by_value.grad,
      f"turned {degrees(g, by_value.grad):.1f} degrees")
assert degrees(g, by_norm.grad) < 0.1 and degrees(g, by_value.grad) > 15

# %% [markdown]
# Both entries of the gradient are above 1, so value clipping makes both
# exactly $-1$: the step goes along the diagonal, as Adam's first steps did
# in the [RMSProp and Adam lesson](15-rmsprop-and-adam.py). Norm clipping
# keeps the gradient's direction. Neither is wrong, but value clipping
# changes *which way* the step goes, not only how far.

# %% [markdown]
# ## Three runs through the spikes
#
# Now fill in `clip`: the same batches three times, without clipping, with
# the norm clipped at 1 and with each value clipped at 1. Clipping goes
# after `backward()`, which fills `.grad`, and before `opt.step()`, which
# uses it. The map shows the loss of the good points, with their
# least-squares line as the star:

# %%
by_norm, _ = train(y_bad, clip="norm", limit=1.)
by_value, _ = train(y_bad, clip="value", limit=1.)
runs = {"no clipping": plain, "norm ≤ 1": by_norm, "values ≤ 1": by_value}
gd.plot_paths(x[good], y[good], *runs.values(), labels=list(runs))

# %% [markdown]
# Without clipping, every spike throws the line off towards the bad point,
# and the nine batches that follow pull it back only part of the way before
# the next spike. With clipping each spike moves the line by at most one
# short step, and the path stays close to the star. The loss of the good
# points tells the same story: each spike after the first (which comes
# while the line is still far off) sends it above 10 times the floor, and
# it never gets back down to the floor before the next one.

# %%
jumps = [(plain.losses[s] / floor, plain.losses[s + 1] / floor)
         for s in spikes[1:]]
print("loss / floor just before and after each later spike, no clipping:")
print("  ".join(f"{before:.1f}->{after:.0f}" for before, after in jumps))
assert all(before > 1.5 and after > 10 for before, after in jumps)
gd.plot_losses(*runs.values(), labels=list(runs))

# %%
def last_epoch_above(run):
    """Mean loss of the last epoch (10 updates) minus the floor."""
    return sum(run.losses[-10:]) / 10 - floor


print(f"{'':12}{'last epoch':>12} {'distance':>9}")
print(f"{'':12}{'above floor':>12} {'to star':>9}")
for name, run in runs.items():
    print(f"{name:>12}{last_epoch_above(run):12.4f}"
          f" {(run.params[-1] - best).norm():9.3f}")
print(f"least squares of all 100 points: {(dragged - best).norm():.3f} "
      "from the star")
# no step longer than lr * c (up to float32 rounding), nor any entry of one
assert by_norm.params.diff(dim=0).norm(dim=1).max() <= 0.1 * 1. + 1e-6
assert by_value.params.diff(dim=0).abs().max() <= 0.1 * 1. + 1e-6
for run in (by_norm, by_value):
    assert last_epoch_above(run) < last_epoch_above(plain) / 10
    assert (run.params[-1] - best).norm() < (dragged - best).norm() / 5

# %% [markdown]
# Norm clipping guarantees that no step is longer than the rate times $c$,
# here 0.1; value clipping guarantees it for each entry. Both clipped runs
# end more than 10 times closer to the floor than the unclipped one. They
# even end closer to the good line than least squares of all 100 points
# does: the bad point can push the line only one short step per epoch,
# while the other nine batches pull it back. Clipping bounds how much any
# one batch can move the line.

# %% [markdown]
# ### Over eight seeds
#
# That was one shuffle of the batches. Eight seeds, each with its own
# shuffles:

# %%
def spread(values):
    """min / median / max, the way every seeds table here reports."""
    return (f"{min(values):8.3g} {statistics.median(values):8.3g} "
            f"{max(values):8.3g}")


SEEDS = range(8)
table = {"no clipping": [], "norm ≤ 1": [], "values ≤ 1": []}
for seed in SEEDS:
    table["no clipping"].append(last_epoch_above(train(y_bad, seed=seed)[0]))
    for name, clip in (("norm ≤ 1", "norm"), ("values ≤ 1", "value")):
        run, _ = train(y_bad, clip=clip, limit=1., seed=seed)
        table[name].append(last_epoch_above(run))
print(f"last epoch above the floor, {len(SEEDS)} seeds")
print(f"{'':11} {'min':>8} {'median':>8} {'max':>8}")
for name, values in table.items():
    print(f"{name:>11} {spread(values)}")
for name in ("norm ≤ 1", "values ≤ 1"):
    assert max(table[name]) < min(table["no clipping"]) / 10

# %% [markdown]
# In every seed both kinds of clipping end more than 10 times closer than
# the best unclipped seed.

# %% [markdown]
# ## What clipping costs when nothing spikes
#
# Clipping does not know which large gradients are bad. Take the clean data,
# `y` without the bad reading, and judge the lines on all 100 points. At
# the start $(1, 1)$ is far from the answer and the gradients are large,
# which is exactly right: a large gradient there means "far to go". We keep
# judging on the same 99 points (they are the same in both data sets, so
# the floor is the same). A threshold above every gradient of the run
# changes nothing at all; a threshold of 1 shortens those first steps.

# %%
assert torch.equal(y[good], y_bad[good])
cost = {"at update 10": [], "last epoch": []}
largest = []
for seed in SEEDS:
    free, free_norms = train(y, seed=seed)
    largest.append(max(free_norms))
    if seed == 0:  # a threshold above every gradient of the run
        high, _ = train(y, clip="norm", limit=10., seed=seed)
        assert torch.equal(high.params, free.params)
    capped, _ = train(y, clip="norm", limit=1., seed=seed)
    cost["at update 10"].append(capped.losses[10] / free.losses[10])
    cost["last epoch"].append(last_epoch_above(capped)
                              / last_epoch_above(free))
print(f"clean data, {len(SEEDS)} seeds")
print(f"{'':12} {'min':>8} {'median':>8} {'max':>8}")
print(f"{'largest norm':>12} {spread(largest)}")
print("loss, norm ≤ 1 over no clipping")
for name, values in cost.items():
    print(f"{name:>12} {spread(values)}")
assert max(largest) < 10
assert min(cost["at update 10"]) > 2.5
assert all(0.9 < r < 1.1 for r in cost["last epoch"])

# %% [markdown]
# With a threshold of 10, above every gradient of seed 0's run (and of
# every other seed's: the largest norms are printed above), the run is
# identical to the bit: `clip_grad_norm_` multiplies by exactly 1. With a
# threshold of 1 the loss after 10 updates is more than 2.5 times higher in
# every seed: the early steps were capped while there was far to go. By the
# last epoch the clipped runs have caught up, within 10% of the unclipped
# ones. So a threshold costs speed early and little at the end, *here*. A
# threshold far below the typical gradient would cap every step, and
# training would crawl at $\eta c$ per update (the explorer below shows
# it, with a max norm of 0.25).
#
# How to choose $c$, then? Look at the gradient norms of a healthy run, the
# value `clip_grad_norm_` returns, and set $c$ above the typical ones and
# below the spikes; our spikes were more than 2.5 times the rest.

# %% [markdown]
# ## Try it yourself
#
# The explorer below holds 12 runs on the spoiled data, made when this page
# was built with the batches of seed 0: the norm clipped at 0.25, 1 or 4,
# or not at all ("inf"), each with three learning rates. The map shows the
# loss of the 99 good points. Pick a *max norm* and a *learning rate*, then
# move the *step* slider or press *Play*. Things to look for:
#
# - Without clipping, every rate jumps off at each spike; the larger the
#   rate, the larger the jump.
# - With a max norm of 0.25 the steps are capped at a quarter of the rate:
#   with 0.05 the line has not even arrived after 100 updates.
# - A max norm of 4 is well above the typical gradient (the median norm
#   was about 1) and far below the spikes: it removes most of each jump and
#   leaves almost every other step alone.

# %%
def run(max_norm, lr):
    return train(y_bad, lr=lr, clip="norm", limit=max_norm)[0]


explorer = gd.sweep(run, gd.line_loss(x[good], y[good]), x=x[good],
                    y=y[good], max_norm=[0.25, 1., 4., math.inf],
                    lr=[0.05, 0.1, 0.3])
explorer

# %% [markdown]
# The numbers behind the explorer, each run's last epoch above the floor:

# %%
print("max norm", *(f"{lr:>9}" for lr in [0.05, 0.1, 0.3]))
for max_norm in [0.25, 1., 4., math.inf]:
    print(f"{max_norm:8}", *(
        f"{last_epoch_above(explorer.history(max_norm=max_norm, lr=lr)):9.2g}"
        for lr in [0.05, 0.1, 0.3]))
assert explorer.history(max_norm=math.inf, lr=0.1).losses == plain.losses
for lr in [0.05, 0.1, 0.3]:
    unclipped = explorer.history(max_norm=math.inf, lr=lr)
    four = explorer.history(max_norm=4., lr=lr)
    assert last_epoch_above(four) < last_epoch_above(unclipped) / 3
unclipped = [last_epoch_above(explorer.history(max_norm=math.inf, lr=lr))
             for lr in [0.05, 0.1, 0.3]]
assert unclipped == sorted(unclipped)  # the larger the rate, the worse
slow = explorer.history(max_norm=0.25, lr=0.05)
assert last_epoch_above(slow) > last_epoch_above(
    explorer.history(max_norm=1., lr=0.05))
reach = 100 * 0.05 * 0.25  # 100 steps of at most lr * max norm
print(f"max norm 0.25, lr 0.05: at most {reach} in 100 updates; the star is "
      f"{(plain.params[0] - best).norm():.2f} from the start")
assert reach < (plain.params[0] - best).norm()

# %% [markdown]
# ## Summary
#
# - One bad reading makes the gradient of its batch spike, here to more
#   than 2.5 times any other gradient of the run, once per epoch, and
#   each spike throws the line off.
# - In one dimension both kinds of clipping cap $|g|$ at $c$. In more,
#   `clip_grad_norm_` scales the whole gradient down to length $c$ (to
#   $c \|g\| / (\|g\| + 10^{-6})$, exactly) and keeps its direction;
#   `clip_grad_value_` cuts each entry into $[-c, c]$ and can turn the
#   direction (by 19 degrees at our start).
# - Clipping goes between `backward()` and `opt.step()`. With norm clipping
#   no step is longer than $\eta c$.
# - On the spoiled data both kinds ended more than 10 times closer to the
#   good points' floor than no clipping, in every one of eight seeds;
#   with seed 0's batches they also ended closer to the good line than
#   least squares of all the points.
# - On clean data a threshold above every gradient changes nothing, to the
#   bit; a threshold of 1 slowed the first updates (loss more than 2.5 times
#   higher after 10) and cost little by the last epoch. Choose $c$ from the
#   norms of a healthy run: above the typical ones, below the spikes.
#
# Continue with the [next lesson](22-one-cycle.py): one-cycle, the schedule
# that climbs before it falls.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** Make the bad reading ten times worse:
# $y = 500$ instead of 50. Predict what happens to the last epoch of the run
# without clipping, and of the run with the norm clipped at 1, then run
# both.

# %% tags=["solution"]
y_worse = y_bad.clone()
y_worse[bad] = 500.
plain_worse = last_epoch_above(train(y_worse)[0])
clipped_worse = last_epoch_above(train(y_worse, clip="norm", limit=1.)[0])
print(f"no clipping: {last_epoch_above(plain):.4f} with y = 50, "
      f"{plain_worse:.4f} with y = 500")
print(f"norm ≤ 1:    {last_epoch_above(by_norm):.4f} with y = 50, "
      f"{clipped_worse:.4f} with y = 500")
# Without clipping the spikes are ten times larger and so are the jumps.
# Clipped, a spike is a step of length 0.1 whatever its size: only its
# direction counts, and that hardly changes (the bad point dominates its
# batch either way).
assert plain_worse > 10 * last_epoch_above(plain)
assert math.isclose(clipped_worse, last_epoch_above(by_norm), rel_tol=0.1)

# %% [markdown]
# **Exercise 2 (break it and explain).** Move the clipping line in `train`
# to *after* `opt.step()`. Write the loop for one seed with the norm
# clipped at 1 in the wrong place, and compare its path with the unclipped
# run.

# %% tags=["solution"]
a = nn.Parameter(torch.tensor([1.,1]))
opt = torch.optim.SGD([a], lr=0.1)
shuffle = torch.Generator().manual_seed(0)
params = [a.detach().clone()]
for _ in range(10):
    for rows in torch.randperm(100, generator=shuffle).split(10):
        opt.zero_grad()
        gd.mse(x[rows]@a, y_bad[rows]).backward()
        opt.step()
        nn.utils.clip_grad_norm_([a], max_norm=1.)  # too late
        params.append(a.detach().clone())
late = torch.stack(params)
print("same path as no clipping:", torch.equal(late, plain.params))
# opt.step() has already used the gradient when it is clipped, and
# zero_grad() throws the clipped gradient away before the next backward():
# clipping there changes nothing at all.
assert torch.equal(late, plain.params)

# %% [markdown]
# **Exercise 3 (practice).** Clip by hand: before each step, multiply
# `a.grad` by $\min(1, c / (\|g\| + 10^{-6}))$, with $c = 1$. Check that
# the run follows the path of `train(y_bad, clip="norm", limit=1.)`.

# %% tags=["solution"]
a = nn.Parameter(torch.tensor([1.,1]))
opt = torch.optim.SGD([a], lr=0.1)
shuffle = torch.Generator().manual_seed(0)
params = [a.detach().clone()]
for _ in range(10):
    for rows in torch.randperm(100, generator=shuffle).split(10):
        opt.zero_grad()
        gd.mse(x[rows]@a, y_bad[rows]).backward()
        with torch.no_grad():
            a.grad.mul_(min(1., 1. / (a.grad.norm().item() + 1e-6)))
        opt.step()
        params.append(a.detach().clone())
ours = torch.stack(params)
gap = (ours - by_norm.params).abs().max().item()
print(f"largest difference from clip_grad_norm_'s path: {gap:.1e}")
assert torch.allclose(ours, by_norm.params, atol=1e-6)

# %% [markdown]
# **Exercise 4 (practice).** `clip_grad_norm_` returns the norm before
# clipping. Use it in a run on the spoiled data (norm clipped at 4, seed 3)
# to log the updates whose gradient norm is above 5, and check that each of
# them is an update whose batch holds the bad point, and that there is one
# per epoch.

# %% tags=["solution"]
a = nn.Parameter(torch.tensor([1.,1]))
opt = torch.optim.SGD([a], lr=0.1)
shuffle = torch.Generator().manual_seed(3)
logged, holds_bad = [], []
for epoch in range(10):
    for rows in torch.randperm(100, generator=shuffle).split(10):
        opt.zero_grad()
        gd.mse(x[rows]@a, y_bad[rows]).backward()
        norm = nn.utils.clip_grad_norm_([a], max_norm=4.)
        if norm > 5:
            logged.append((epoch, round(norm.item(), 1)))
            holds_bad.append(bad in rows)
        opt.step()
print("epoch and norm of each spike:", logged)
assert all(holds_bad)
assert [epoch for epoch, _ in logged] == list(range(10))
