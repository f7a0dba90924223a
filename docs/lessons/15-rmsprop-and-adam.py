# %% [markdown]
# # RMSProp and Adam
#
# Momentum gives every parameter the same learning rate and makes up for it
# with memory. RMSProp takes the other road: it gives each parameter a step
# size of its own, by dividing its gradient by the typical size of its recent
# gradients. Adam combines the two, and corrects a bias that both share at
# the start. Each of them is only a few lines long. In this lesson you will
# write RMSProp and Adam from scratch, check them against
# `torch.optim.RMSprop` and `torch.optim.Adam` step by step, see numerically
# what Adam's bias correction does to the first steps, compare all four
# optimizers of this course on one narrow valley, and measure what scaling
# each parameter cannot fix: the same valley turned by 45 degrees.

# %% [markdown]
# ## One learning rate, two very different gradients
#
# Back to the valley of the [last lesson](14-momentum.py): inputs spread
# over $[0, 10)$, start at $(1, 1)$. Look at the gradient there: its two
# entries, for the slope and for the intercept, differ in size by a factor
# of more than six. Yet the distances the two parameters have to go, to the
# least-squares answer, are much closer to each other.

# %%
import math

import torch

import gd

x, y = gd.linear_data(100, seed=42, x_range=(0, 10))
start = torch.tensor([1.,1])
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
floor = gd.mse(x@best, y).item()


def loss_of(a):
    return gd.mse(x@a, y)


a = start.clone().requires_grad_()
loss_of(a).backward()
print("gradient at the start:", a.grad)
print(f"ratio: {a.grad[0] / a.grad[1]:.1f}")
print("distance to go:       ", best - start)
assert a.grad[0] / a.grad[1] > 6
assert 1 < (best - start)[0] / (best - start)[1] < 1.5

# %% [markdown]
# Plain gradient descent moves each parameter by the learning rate times its
# own gradient entry, so the slope moves more than six times as far as the
# intercept, and the learning rate has to suit the steepest direction. But
# the size of a gradient says little about how far a parameter should go:
# here the slope has less than 1.5 times as far to go as the intercept.
# What if every parameter moved by about the same distance, the learning
# rate, whatever the size of its gradient? To get there we divide each
# gradient entry by its typical size. "Typical size" needs an average.

# %% [markdown]
# ## A running average
#
# Momentum's velocity was a running *sum*:
# $v \leftarrow \beta v + g$. A small change turns it into a running
# *average*: give the newest value the weight $1 - \alpha$ and keep the
# fraction $\alpha$ (alpha) of the old average,
#
# $$s \leftarrow \alpha s + (1 - \alpha)\, g^2.$$
#
# Here we average the *squared* gradients, which are never negative, so that
# a gradient of $-3$ counts as large as one of $3$. Feed it, with
# $\alpha = 0.99$ and starting from zero, a squared gradient that is always 1
# (1-D, no descent yet):


# %%
def running_average(values, alpha):
    """The average after each value, starting from zero."""
    s, history = 0., []
    for value in values:
        s = alpha*s + (1 - alpha)*value
        history.append(s)
    return history


average = running_average([1.] * 500, 0.99)
for k in (1, 10, 100, 500):
    print(f"after {k:3d} values: {average[k - 1]:.3f}"
          f"   1 - 0.99**{k}: {1 - 0.99 ** k:.3f}")
assert all(abs(average[k - 1] - (1 - 0.99 ** k)) < 1e-9
           for k in (1, 10, 100, 500))

# %% [markdown]
# The average does reach 1, but slowly: after $k$ values it is
# $1 - 0.99^k$. Because it starts at zero it is far too small at first, only
# 0.01 after one value. Keep that in mind; it will matter twice below.

# %% [markdown]
# ## RMSProp
#
# **RMSProp** ("root mean square propagation") divides each gradient entry by
# the square root of that running average of its squares, the *root mean
# square* of its recent gradients:
#
# $$s \leftarrow \alpha s + (1 - \alpha)\, g^2, \qquad
# a \leftarrow a - \eta\, \frac{g}{\sqrt{s} + \epsilon}$$
#
# Everything here happens entry by entry: the slope and the intercept each
# get their own $s$. The tiny $\epsilon$ (epsilon, $10^{-8}$ by default) only
# keeps the division finite when $s$ is zero. Here are the two lines from
# [`gd.RMSProp`](../reference.md#gd.RMSProp), taken from the real file when
# this page was built (`square_avg` is $s$; note that `eps` is added *after*
# the square root, which is where torch puts it):
#
# --8<-- "gd/optimizers.py:rmsprop"
#
# Try it on the simplest loss there is: a straight line, whose slope is the
# same everywhere. We give it two parameters that do not interact, with
# slopes a million times apart: the loss $1000\, w_0 + 0.001\, w_1$, whose
# gradient is always $(1000, 0.001)$. The learning rate is 0.01. The running
# average predicts the steps: after $k$ steps $s = (1 - 0.99^k)\, g^2$, so
# step $k$ is $\eta / \sqrt{1 - 0.99^k}$, whatever $g$ is.

# %%
g = torch.tensor([1000., 0.001])


def straight_line(w):
    return (g * w).sum()  # its gradient is g, wherever w is


run = gd.descend(straight_line, torch.zeros(2), optimizer=gd.RMSProp,
                 lr=0.01, steps=500)
steps = -run.params.diff(dim=0) / 0.01  # each step, in units of lr
ks = [1, 2, 10, 100, 500]
predicted = [1 / (1 - 0.99 ** k) ** 0.5 for k in ks]
rows = steps[[k - 1 for k in ks]]
print("step k:          ", ks)
print("entry 1000:      ", [round(v, 2) for v in rows[:, 0].tolist()])
print("entry 0.001:     ", [round(v, 2) for v in rows[:, 1].tolist()])
print("1/sqrt(1-0.99^k):", [round(v, 2) for v in predicted])
assert torch.allclose(rows, torch.tensor(predicted).unsqueeze(1).expand(5, 2),
                      rtol=1e-3)

# %% [markdown]
# The two gradient entries differ by a factor of a million, yet the steps
# are the same: about the learning rate once the average has warmed up,
# whatever the size of the gradient. At first the steps are larger, 10
# times the learning rate on the very first step: the average of the squares
# starts too small ($0.01\, g^2$), so its root is $0.1\,|g|$, and dividing
# by it makes the step ten times too long.

# %% [markdown]
# ## RMSProp from scratch against torch.optim.RMSprop
#
# PyTorch's own `torch.optim.RMSprop` uses the same defaults, which we can
# read from any instance:

# %%
p = torch.nn.Parameter(torch.zeros(2))
defaults = torch.optim.RMSprop([p]).defaults
print({k: defaults[k] for k in ("lr", "alpha", "eps", "momentum")})
assert (defaults["alpha"], defaults["eps"]) == (0.99, 1e-8)

# %% [markdown]
# [`gd.train`](../reference.md#gd.train) and
# [`gd.descend`](../reference.md#gd.descend) run our optimizers as they run
# torch's: pass the class and its settings, and they make a fresh optimizer
# for the run (autograd supplies the gradient at every step). Run both
# through `gd.train` for 200 steps on the valley and compare every position:

# %%
ours = gd.train(x, y, start, optimizer=gd.RMSProp, lr=0.1, steps=200)
theirs = gd.train(x, y, start, optimizer=torch.optim.RMSprop, lr=0.1,
                  steps=200)
gap = (ours.params - theirs.params).abs().max().item()
print(f"largest difference over 201 positions: {gap:.1e}")
assert torch.allclose(ours.params, theirs.params, atol=1e-5)

# %% [markdown]
# On the valley, the first steps show the idea at work: the slope's gradient
# is more than six times the intercept's, yet both move by the same amount,
# ten times the learning rate on the first step.

# %%
first = theirs.params[1] - theirs.params[0]
print("first step (slope, intercept):", first)
assert torch.allclose(first, torch.tensor([1.,1]), rtol=1e-4)

# %% [markdown]
# ## Adam: momentum and RMSProp together
#
# **Adam** ("adaptive moment estimation") keeps two running averages per
# parameter: $m$, of the gradients, which plays the part of momentum's
# velocity, and $v$, of the squared gradients, exactly as in RMSProp. It
# steps along $m$, divided by the root of $v$:
#
# $$m \leftarrow \beta_1 m + (1 - \beta_1)\, g$$
#
# $$v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2$$
#
# $$a \leftarrow a - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}$$
#
# The defaults are $\beta_1 = 0.9$ and $\beta_2 = 0.999$. The hats are the
# bias correction of the next section; leave them aside for a moment. Here
# is [`gd.Adam`](../reference.md#gd.Adam)'s step:
#
# --8<-- "gd/optimizers.py:adam"
#
# How is $m$ momentum? It is the same recurrence as the velocity, only with
# the newest gradient weighted by $1 - \beta_1$: so $m$ is exactly
# $1 - \beta_1$ times momentum's velocity. A check with a few made-up
# gradients, the velocity computed as in the last lesson:

# %%
gradients = [3., -1., 2., 2., 0.5]
velocity, m = 0., 0.
for g in gradients:
    velocity = 0.9*velocity + g  # momentum, beta = 0.9
    m = 0.9*m + (1 - 0.9)*g  # Adam's m, beta1 = 0.9
print(f"m = {m:.5f}   0.1 * velocity = {0.1 * velocity:.5f}")
assert abs(m - (1 - 0.9) * velocity) < 1e-12

# %% [markdown]
# Weighting the newest gradient by $1 - \beta_1$ makes $m$ an average, on the
# same scale as the gradients themselves, just as $\sqrt{v}$ is. So for a
# gradient that stays the same, $m / \sqrt{v}$ is about 1 in size, and the
# step about the learning rate: exactly so once the start-up bias of the
# next section is corrected.

# %% [markdown]
# ## Bias correction
#
# Both averages start at zero, so both are too small at first, as we saw with
# the running average. For a gradient $g$ that stays the same, after $t$
# steps
#
# $$m = (1 - \beta_1^t)\, g, \qquad v = (1 - \beta_2^t)\, g^2.$$
#
# The fix is to divide by those known factors:
# $\hat m = m / (1 - \beta_1^t)$ and $\hat v = v / (1 - \beta_2^t)$ give back
# exactly $g$ and $g^2$. The step is then $\eta\, g / |g|$: exactly the
# learning rate, from the very first step.
#
# Without the correction the two errors do not cancel. $m$ is too small by
# $1 - \beta_1^t$, but the denominator $\sqrt{v}$ is too small by
# $\sqrt{1 - \beta_2^t}$, which is smaller still: after one step
# $1 - 0.9 = 0.1$ against $\sqrt{1 - 0.999} \approx 0.032$. So the
# uncorrected step is *too long*, by the ratio of the two:

# %%
beta1, beta2 = 0.9, 0.999
times = torch.arange(1, 3001)
ratio = (1 - beta1 ** times) / (1 - beta2 ** times).sqrt()
for t in (1, 2, 5, 10, 100, 1000, 3000):
    print(f"step {t:4d}: uncorrected step = {ratio[t - 1]:.2f} lr")
peak = int(ratio.argmax()) + 1
print(f"largest at step {peak}: {ratio.max():.2f} lr")
assert peak == 12 and 6.5 < ratio.max() < 6.6
assert abs(ratio[0] - 0.1 / 0.001 ** 0.5) < 1e-4 and ratio[-1] < 1.03

# %% [markdown]
# Without bias correction, Adam's early steps are several times longer than
# the learning rate you chose, longest (about 6.6 times) at step 12. The
# extra length fades only slowly, because $\beta_2 = 0.999$ makes $v$ slow to
# warm up: even after 3000 steps the uncorrected step is still a little
# longer than the learning rate.
#
# The same happens on the valley. `gd.Adam(bias_correction=False)` leaves the
# two divisions out; we print how far the slope moves in each of the first
# five steps, with `lr = 0.1`:

# %%
with_fix = gd.descend(loss_of, start, optimizer=gd.Adam, lr=0.1, steps=5)
without = gd.descend(loss_of, start, optimizer=gd.Adam, lr=0.1,
                     bias_correction=False, steps=5)
moves = with_fix.params.diff(dim=0)[:, 0]
raw_moves = without.params.diff(dim=0)[:, 0]
print("corrected:  ", [round(v, 3) for v in moves.tolist()])
print("uncorrected:", [round(v, 3) for v in raw_moves.tolist()])
assert torch.isclose(moves[0], torch.tensor(0.1))
assert torch.isclose(raw_moves[0], 0.1 * ratio[0], rtol=1e-4)
assert (raw_moves > 3 * moves).all() and (raw_moves[1:] > raw_moves[0]).all()

# %% [markdown]
# With the correction, the first step is exactly the learning rate; without
# it, more than three times as long, and the next ones longer still. The
# correction is what makes Adam's learning rate mean what it says from the
# first step on. (`torch.optim.RMSprop` has no such correction: that is why
# its first step was ten times the learning rate.)

# %% [markdown]
# ## Adam from scratch against torch.optim.Adam
#
# The defaults first, then 200 steps of both on the valley:

# %%
defaults = torch.optim.Adam([p]).defaults
print({k: defaults[k] for k in ("lr", "betas", "eps")})
assert defaults["betas"] == (0.9, 0.999) and defaults["eps"] == 1e-8
ours = gd.train(x, y, start, optimizer=gd.Adam, lr=0.1, steps=200)
theirs = gd.train(x, y, start, optimizer=torch.optim.Adam, lr=0.1,
                  steps=200)
gap = (ours.params - theirs.params).abs().max().item()
print(f"largest difference over 201 positions: {gap:.1e}")
assert torch.allclose(ours.params, theirs.params, atol=1e-5)

# %% [markdown]
# ## Four optimizers on one valley
#
# Now all the optimizers of this course, from the same start for 100 steps.
# Plain gradient descent and momentum use the last lesson's settings: the
# largest safe learning rate, 0.027, and momentum 0.8. RMSProp and Adam move
# each parameter by about the learning rate per step, so their good rates
# are on another scale: each gets the best of five rates, judged by the loss
# after 100 steps.

# %%
rates = [0.01, 0.03, 0.1, 0.3, 1.0]
tuned = {}
for name, optimizer in (("RMSProp", torch.optim.RMSprop),
                        ("Adam", torch.optim.Adam)):
    runs = [gd.train(x, y, start, optimizer=optimizer, lr=r, steps=100)
            for r in rates]
    tuned[name] = min(runs, key=lambda h: h.losses[-1])
    print(f"{name}, loss after 100 steps for each lr:")
    print("  " + "   ".join(f"{h.lr}: {h.losses[-1]:.3f}" for h in runs))
    print(f"  best lr: {tuned[name].lr}")
sgd = gd.train(x, y, start, lr=0.027, steps=100)
heavy = gd.train(x, y, start, lr=0.027, momentum=0.8, steps=100)
runs = [sgd, heavy, tuned["RMSProp"], tuned["Adam"]]
names = ["SGD", "momentum", "RMSProp", "Adam"]

# %% [markdown]
# How many steps did each need to get within 1% of the least-squares floor?

# %%
def steps_to_floor(h):
    """The first step whose loss is within 1% of the floor (None: never)."""
    return next((i for i, value in enumerate(h.losses)
                 if value < 1.01 * floor), None)


for name, h in zip(names, runs, strict=True):
    print(f"{name:9} lr {h.lr:<6} loss after 100: {h.losses[-1]:.4f}"
          f"   steps to the floor: {steps_to_floor(h)}")
assert steps_to_floor(sgd) is None
assert all(steps_to_floor(h) is not None for h in runs[1:])
# the two that arrive first
assert max(steps_to_floor(heavy), steps_to_floor(tuned["RMSProp"])) \
    < steps_to_floor(tuned["Adam"])

# %% [markdown]
# Plain descent never gets there in 100 steps; the other three do. The paths
# show how differently they travel:

# %%
gd.plot_paths(x, y, *runs, labels=names)

# %% [markdown]
# RMSProp and Adam set off diagonally: both parameters move by the same
# amount at first, whatever the gradient's entries, so they overshoot the
# valley and come back along it.

# %%
for name in ("RMSProp", "Adam"):
    move = tuned[name].params[1] - tuned[name].params[0]
    print(f"{name} first step: ({move[0]:.4f}, {move[1]:.4f})")
    assert torch.isclose(move[0], move[1], rtol=1e-4)

# %% [markdown]
# Adam's momentum carries it past the answer and back a few times, which
# shows as waves in its loss:

# %%
gd.plot_losses(*runs, labels=names)

# %%
adam_losses = torch.tensor(tuned["Adam"].losses)
rises = int((adam_losses.diff() > 0).sum())
print("steps at which Adam's loss went up:", rises)
assert rises > 5

# %% [markdown]
# Which optimizer is "best" depends on the problem and on tuning: here a
# well-tuned momentum and RMSProp arrive first. What RMSProp and Adam buy is
# that their step size does not depend on how large each gradient entry
# happens to be, so one learning rate can suit parameters, and problems, of
# very different scales (exercise 3 tries this). But that scaling works
# entry by entry, along the parameter axes, and this valley happens to suit
# it, as the next section shows.

# %% [markdown]
# ## Lined up with the axes, or tilted
#
# Dividing each entry by its own typical size can stretch or squeeze the
# landscape along the slope axis and along the intercept axis, nothing
# else. A valley whose steep and gentle directions lie along those axes can
# be made round that way; a valley turned at 45 degrees cannot, because each
# axis then sees a mix of the steep and the gentle direction. Our valley is
# nearly lined up: its steep direction is only a few degrees off the slope
# axis.
#
# To measure what the tilt costs, we build two quadratic losses
# $\frac12 w^\top H w$ with exactly this valley's curvatures, so the same
# condition number: one with its directions along the axes,
# $H = \mathrm{diag}(\lambda_{min}, \lambda_{max})$, and the same one turned
# by 45 degrees, $R H R^\top$ with the rotation matrix $R$. Each starts at
# the same distance from its lowest point (0) along each direction as our
# runs from $(1, 1)$ did. We count the steps until the loss is below a
# millionth of its start, within 1000 steps, for plain SGD at its best rate
# $2 / (\lambda_{min} + \lambda_{max})$ and for RMSProp and Adam at each of
# six rates.

# %%
curvatures, directions = torch.linalg.eigh(2 / len(y) * x.T @ x)
angle = math.degrees(math.acos(abs(directions[0, 1])))
print(f"steep direction: {angle:.1f} degrees off the slope axis")
assert angle < 10
c = math.cos(math.pi / 4)
R = torch.tensor([[c, -c], [c, c]])  # turns a vector by 45 degrees
lined_up = torch.diag(curvatures)
valleys = {"lined up": lined_up, "tilted": R @ lined_up @ R.T}
offset = directions.T @ (start - best)  # the start, direction by direction
starts = {"lined up": offset, "tilted": R @ offset}


def steps_to_small(optimizer, valley, **settings):
    """Steps until the loss is below 1e-6 of its start (None: not in 1000)."""
    H = valleys[valley]
    run = gd.descend(lambda w: w @ H @ w / 2, starts[valley],
                     optimizer=optimizer, steps=1000, **settings)
    return next((k for k, value in enumerate(run.losses)
                 if value < 1e-6 * run.losses[0]), None)


sgd_lr = 2 / (curvatures[0] + curvatures[1]).item()
print("SGD at its best rate:", {v: steps_to_small(torch.optim.SGD, v,
                                                  lr=sgd_lr)
                                for v in valleys})
six = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
table = {}
print("steps at rates    ", six)
for name, optimizer in (("RMSProp", torch.optim.RMSprop),
                        ("Adam", torch.optim.Adam)):
    for v in valleys:
        table[name, v] = [steps_to_small(optimizer, v, lr=r) for r in six]
        print(f"{name:8} {v:9}", table[name, v])

# %% [markdown]
# Plain SGD takes the same number of steps on both: it has no favourite
# axes, and the tilted run is exactly the lined-up run turned by 45 degrees
# (checked below). RMSProp, pure per-parameter scaling, is fast on the
# lined-up valley at every rate and slow on the tilted one at every rate; at
# its best it needs a few steps against hundreds, hardly better than SGD.
# Adam too is slower on the tilted valley at every rate up to 1; only at the
# largest rate, 3, are the two about equal. Adam is more than scaling: it
# also has momentum, and momentum, like SGD, has no favourite axes.

# %%
never = 10**6  # "not within 1000 steps" counts as slower than any count


def fewest(steps):
    return min(s if s is not None else never for s in steps)


H = valleys["lined up"]
flat = gd.descend(lambda w: w @ H @ w / 2, starts["lined up"], lr=sgd_lr)
H = valleys["tilted"]
turned = gd.descend(lambda w: w @ H @ w / 2, starts["tilted"], lr=sgd_lr)
assert torch.allclose(turned.params, flat.params @ R.T, atol=1e-5)
for k, r in enumerate(six):
    for name in ("RMSProp", "Adam"):
        lined, tilted = (table[name, v][k] or never for v in valleys)
        assert lined < tilted or (name, r) == ("Adam", 3.0)
lined, tilted = (table["Adam", v][-1] for v in valleys)  # Adam at rate 3
assert abs(lined - tilted) < 0.2 * lined
assert 20 * fewest(table["RMSProp", "lined up"]) < fewest(
    table["RMSProp", "tilted"])
assert fewest(table["RMSProp", "tilted"]) > steps_to_small(
    torch.optim.SGD, "tilted", lr=sgd_lr) / 2

# %% [markdown]
# What does fix a tilted valley is a **change of variables** that turns and
# stretches the landscape as a whole. Write $w = M u$ with
# $M = R\,\mathrm{diag}(\lambda)^{-1/2}$: turn back onto the axes, then
# divide each direction by the square root of its curvature. In the new
# variable $u$ the curvature matrix is $M^\top (R H R^\top) M = I$, a round
# bowl with condition number 1, where SGD with rate 1 lands on the answer in
# one step. For a line fit the same change acts on the inputs, $X M$, and is
# called **whitening**: the inputs become uncorrelated, each with spread 1.
# Standardizing, in the [conditioning lesson](13-conditioning.py), is the
# special case for one input. Whitening needs the whole curvature matrix (or
# the inputs' covariance); for a network with millions of parameters nobody
# has it, and RMSProp and Adam settle for its diagonal.

# %%
M = R @ torch.diag(curvatures ** -0.5)
round_bowl = M.T @ valleys["tilted"] @ M
print("curvature matrix in u:", round_bowl)
assert torch.allclose(round_bowl, torch.eye(2), atol=1e-5)
u_start = torch.linalg.solve(M, starts["tilted"])
one = gd.descend(lambda u: (u @ round_bowl @ u) / 2, u_start, lr=1.,
                 steps=1)
landed = M @ one.params[-1]  # back to the tilted valley's variable
print("after one step, in w:", landed)
assert landed.abs().max() < 1e-4

# %% [markdown]
# ## Summary
#
# - A running average $s \leftarrow \alpha s + (1 - \alpha) x$ started at
#   zero is too small at first: after $t$ values of 1 it is $1 - \alpha^t$.
# - RMSProp divides each gradient entry by the root of a running average of
#   its squares, so every parameter steps by about the learning rate
#   whatever the size of its gradient. `torch.optim.RMSprop` (defaults
#   $\alpha = 0.99$, $\epsilon = 10^{-8}$ added after the root) does exactly
#   this, and its first step is 10 times the learning rate.
# - Adam steps along a running average of the gradients (momentum) divided by
#   the root of a running average of their squares (RMSProp), each corrected
#   by $1 - \beta^t$. Without the correction its early steps are up to about
#   6.6 times too long; with it the first step is exactly the learning rate.
# - `gd.RMSProp` and `gd.Adam`, a few lines each, take the same steps as
#   `torch.optim` over 200 steps on the valley.
# - On the valley, momentum, RMSProp and Adam all reach the floor within 100
#   steps, where plain descent does not.
# - Per-parameter scaling stretches the landscape only along the parameter
#   axes. On a valley with our curvatures lined up with the axes, RMSProp at
#   its best needed 5 steps; turned by 45 degrees, 413, hardly better than
#   plain SGD's 520, which does not care about the turn. Adam's momentum still
#   helps on the tilted valley; its scaling does not.
# - A tilted valley is made round by a change of variables that uses the
#   whole curvature matrix, $w = R\,\mathrm{diag}(\lambda)^{-1/2} u$; for
#   inputs it is called whitening, and standardizing is its one-input case.
#
# Continue with the [next lesson](16-schedules.py): learning-rate schedules.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A parameter starts at $(5, -3)$ and its
# loss is `1000 * (q**2).sum()`, with a huge gradient. Predict where one step
# of `torch.optim.Adam([q], lr=0.1)` takes it.

# %% tags=["solution"]
q = torch.nn.Parameter(torch.tensor([5., -3.]))
opt = torch.optim.Adam([q], lr=0.1)
opt.zero_grad()
(1000 * (q**2).sum()).backward()
opt.step()
print(q.detach())
# With bias correction, m_hat = g and v_hat = g**2, so the step is
# lr * g / |g|: exactly 0.1 against the sign of each gradient entry, however
# large the gradient.
assert torch.allclose(q.detach(), torch.tensor([4.9, -2.9]))

# %% [markdown]
# **Exercise 2 (break it and explain).** In RMSProp's running average, forget
# to square the gradient: average `g` instead of `g**2`. Run 5 steps on the
# valley from $(1, 1)$, with `lr = 0.01`. What happens, and why?

# %% tags=["solution"]
a, s = start.clone(), 0.
averages = []
for _ in range(5):
    a.requires_grad_()
    g, = torch.autograd.grad(loss_of(a), a)
    s = 0.99*s + (1 - 0.99)*g  # the bug: g, not g**2
    a = (a - 0.01 * g / (s.sqrt() + 1e-8)).detach()
    averages.append(s)
print("first s:", averages[0], " a after 5 steps:", a)
# At the start both gradient entries are negative, so the "average" is
# negative and its square root is not a number (NaN). From then on every
# number is NaN. Squares are never negative: that is why RMSProp averages
# g**2.
assert (averages[0] < 0).all() and torch.isnan(a).all()

# %% [markdown]
# **Exercise 3 (practice).** Plain gradient descent's largest stable learning
# rate is just under 1 on the centred data (`gd.linear_data(100, seed=42)`)
# and 0.0278 on the valley, more than 30 times smaller. Check that Adam with
# one and the same `lr = 0.3` gets within 1% of the least-squares floor on
# both in 200 steps.

# %% tags=["solution"]
limits = []
for data in (gd.linear_data(100, seed=42),
             gd.linear_data(100, seed=42, x_range=(0, 10))):
    xs, ys = data
    limit = 2 / torch.linalg.eigvalsh(2 / len(ys) * xs.T @ xs).max()
    exact = torch.linalg.lstsq(xs, ys.unsqueeze(1)).solution.squeeze(1)
    lowest = gd.mse(xs@exact, ys).item()
    run = gd.train(xs, ys, start, optimizer=torch.optim.Adam, lr=0.3,
                   steps=200)
    print(f"SGD limit {limit:.4f}   Adam: {run.losses[-1]:.4f}"
          f" (floor {lowest:.4f})")
    assert run.losses[-1] < 1.01 * lowest
    limits.append(limit)
assert 30 < limits[0] / limits[1] < 40  # the two SGD limits

# %% [markdown]
# **Exercise 4 (practice).** An optimizer object keeps its running averages
# between calls to its `step` (that is why `gd.descend` and `gd.train` make a
# fresh one from the class for every run). Take 50 steps on the valley with
# one `gd.Adam(lr=0.1)`, calling `step` yourself with the gradient that
# autograd finds at each point. Then take one more step with the *same*
# object from $(1, 1)$, and one with a fresh `gd.Adam(lr=0.1)`. Show that the
# reused object's step is not the learning rate, while the fresh one's is
# exactly the learning rate.

# %% tags=["solution"]
def grad_at(a):
    a = a.clone().requires_grad_()
    loss_of(a).backward()
    return a.grad


used = gd.Adam(lr=0.1)
a = start.clone()
for _ in range(50):
    a = used.step(a, grad_at(a))
reused_step = (used.step(start, grad_at(start)) - start).abs()
fresh = gd.Adam(lr=0.1)
fresh_step = (fresh.step(start, grad_at(start)) - start).abs()
print("reused:", reused_step, " fresh:", fresh_step)
# The reused optimizer's m, v and step count t come from the first run:
# its averages are dominated by old gradients, so the step is not lr.
assert torch.allclose(fresh_step, torch.tensor([0.1, 0.1]))
assert not torch.allclose(reused_step, torch.tensor([0.1, 0.1]), atol=1e-3)
