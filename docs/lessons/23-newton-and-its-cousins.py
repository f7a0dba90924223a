# %% [markdown]
# # Newton's step and its cousins
#
# Every optimizer in this course has used the gradient alone, and the
# learning rate had to be set by hand against the curvature: below
# $2 / \lambda_{max}$ in [the learning-rate lesson](07-learning-rate.py),
# and painfully slow along the gentle direction of a narrow valley in
# [the conditioning lesson](13-conditioning.py). Newton's method uses the
# curvature itself. On the line's loss one Newton step lands exactly on the
# least-squares answer, from anywhere.
#
# In this lesson you will take that step, in one dimension and then on the
# line's bowl, and see the two reasons networks are not trained with it:
# the curvature matrix of a million parameters holds a million million
# numbers, and on a loss that is not a bowl the step can run to a saddle or
# a maximum. Then two cousins that keep some of its benefit at a price a
# network can pay: L-BFGS, which estimates the curvature from gradients,
# and Adagrad, which gives every parameter its own step size from the
# gradients it has seen.

# %% [markdown]
# ## One step on a parabola
#
# On the parabola $f(w) = \frac{\lambda}{2} w^2$ a gradient step multiplies
# $w$ by $1 - \eta\lambda$, and with $\eta = 1/\lambda$ that factor is 0: the
# first step lands on the bottom (the learning-rate lesson). **Newton's
# method** takes this learning rate, one over the curvature, at every point:
#
# $$w \leftarrow w - \frac{f'(w)}{f''(w)}$$
#
# ($f'$ is the slope, $f''$ the curvature, the second derivative). On a
# parabola the curvature is the same everywhere, wherever its bottom lies,
# so the step lands on the bottom from any start. Here is a parabola with
# curvature 2.5 and its bottom at $w = 0.7$, with the slope from `backward()`
# and the curvature from `torch.autograd.functional.hessian`, which
# differentiates twice:

# %%
import math

import torch
from torch import nn

import gd


def parabola(w):
    return 2.5 / 2 * (w - 0.7)**2 + 1  # curvature 2.5, bottom at 0.7


print(" start   slope  curvature  lands at")
for w0 in (-3., 0., 5.):
    w = torch.tensor(w0, requires_grad=True)
    parabola(w).backward()
    slope = w.grad.item()
    bend = torch.autograd.functional.hessian(parabola, torch.tensor(w0))
    landed = w0 - slope / bend.item()
    print(f"{w0:+6.1f} {slope:+7.2f} {bend:10.2f} {landed:9.4f}")
    assert abs(landed - 0.7) < 1e-6

# %% [markdown]
# The slope says how far off we are, times the curvature; dividing by the
# curvature leaves just the distance. A gradient step cannot do this with
# one fixed learning rate, because the right rate, $1 / f''$, differs from
# parabola to parabola.

# %% [markdown]
# ## The line's bowl: one curvature per direction
#
# The line's loss has two parameters, and its curvature is the matrix
# $H = \frac{2}{n} X^\top X$ of the learning-rate lesson. There we found
# two special directions, the eigenvectors of $H$, along each of which the
# bowl is a 1-D parabola with its own curvature $\lambda$ (an eigenvalue).
# No single learning rate is $1/\lambda$ for both.
#
# Newton's step does it anyway: split the gradient $g$ into its parts along
# the two directions, divide each part by its own curvature, and add the
# results up. That is what $H^{-1} g$ means, and `torch.linalg.solve(H, g)`
# computes it without any directions, by solving $H\,s = g$ for the step
# $s$. From the usual start, $(1, 1)$:

# %%
x, y = gd.linear_data(100, seed=42)
start = torch.tensor([1., 1])
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
H = 2 / len(y) * x.T @ x


def loss_of(a):
    return gd.mse(x@a, y)


a = start.clone().requires_grad_()
loss_of(a).backward()
g = a.grad
curvatures, directions = torch.linalg.eigh(H)
parts = g @ directions  # the gradient's part along each direction
step = directions @ (parts / curvatures)  # each part over its curvature
print("curvatures:", curvatures)
print("step, direction by direction:", step)
print("step, torch.linalg.solve:    ", torch.linalg.solve(H, g))
print("start - step:", start - step, "  least squares:", best)
assert torch.allclose(step, torch.linalg.solve(H, g), atol=1e-6)
assert torch.allclose(start - step, best, atol=1e-5)

# %% [markdown]
# One step, and the line is the least-squares line. Why exactly? On a
# quadratic loss the gradient grows in proportion to the distance from the
# answer: $g = H\,(a - a^*)$, with $a^*$ the least-squares answer (the
# learning-rate lesson checked the same rule for any two points). So
# $H^{-1} g$ is exactly $a - a^*$, the whole way there:

# %%
assert torch.allclose(g, H @ (start - best), atol=1e-5)

# %% [markdown]
# ## gd.newton_step
#
# [`gd.newton_step`](../reference.md#gd.newton_step) takes one such step on
# any loss written as a function of a parameter vector. It gets $H$ from the
# loss alone, by differentiating twice, as the learning-rate lesson did:
#
# --8<-- "gd/newton.py:step"
#
# We compare it with least squares on two bowls: the line, and the narrow
# valley of [the conditioning lesson](13-conditioning.py) (inputs between 0
# and 10), from three starts each. Beside it, plain gradient descent at its
# best constant learning rate, $2 / (\lambda_{min} + \lambda_{max})$ (the
# [momentum lesson](14-momentum.py)): how many steps it needs to get as
# close to the answer as $10^{-4}$.

# %%
def steps_to(history, answer, tolerance=1e-4):
    """The first step at which a run is within `tolerance` of `answer`."""
    gaps = (history.params - answer).norm(dim=1)
    return next(i for i, gap in enumerate(gaps) if gap < tolerance)


def mse_of(xs, ys):
    """The line's loss on the data xs, ys, as a function of a."""
    return lambda a: gd.mse(xs@a, ys)


xv, yv = gd.linear_data(100, seed=42, x_range=(0, 10))
print("        condition  Newton   gradient")
print("           number   steps   descent")
for name, (xs, ys) in {"line": (x, y), "valley": (xv, yv)}.items():
    answer = torch.linalg.lstsq(xs, ys.unsqueeze(1)).solution.squeeze(1)
    for a0 in ([1., 1.], [-50., 80.], [3., 2.]):
        landed = gd.newton_step(mse_of(xs, ys), a0)
        assert torch.allclose(landed, answer, atol=1e-4)
    low, high = torch.linalg.eigvalsh(2 / len(ys) * xs.T @ xs).tolist()
    descent = gd.fit(xs, ys, start, lr=2 / (low + high), steps=800)
    print(f"{name:6} {high / low:10.1f} {1:7}   {steps_to(descent, answer)}")

# %% [markdown]
# Newton needs one step on both, whatever the start and however narrow the
# valley; gradient descent needs 15 steps on the round bowl and 762 on the
# narrow one, whose condition number is 150. Dividing by the curvature
# undoes the stretch of the valley completely.

# %% [markdown]
# ## The price: a matrix with a row per parameter
#
# Where does $H$ come from? Row $i$ of $H$ is the gradient of the $i$-th
# entry of the gradient: how that entry changes as each parameter moves.
# Autograd can differentiate the gradient again if we ask it to keep the
# graph of the first pass (`create_graph=True`); one more backward pass then
# gives one row:

# %%
a = start.clone().requires_grad_()
gradient, = torch.autograd.grad(loss_of(a), a, create_graph=True)
row_0, = torch.autograd.grad(gradient[0], a)
print("row 0 from one more backward pass:", row_0)
print("row 0 of H = (2/n) X^T X:          ", H[0])
assert torch.allclose(row_0, H[0], atol=1e-6)

# %% [markdown]
# So a model with $n$ parameters needs $n$ backward passes to build $H$,
# which then holds $n^2$ numbers, and solving $H\,s = g$ takes about
# $\frac{2}{3} n^3$ multiplications and additions (the LU factorization that
# `torch.linalg.solve` uses). A gradient is $n$ numbers from one backward
# pass. Counted for our line, for the network of
# [the first-network lesson](19-a-first-network.py), and for a network with
# a million parameters, small by today's standards, in 32-bit numbers (4
# bytes each):

# %%
def size(count):
    """A number of bytes, in the units a computer shop uses."""
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


print(f"{'params':>9} {'gradient':>9} {'H':>9} {'solve':>8}")
print(f"{'':9} {'':9} {'':9} {'(ops)':>8}")
for n in (2, 49, 1_000_000):
    print(f"{n:>9,} {size(4 * n):>9} {size(4 * n * n):>9}"
          f" {2 * n**3 / 3:8.1e}")
n = 1_000_000
hours = 2 * n**3 / 3 / 1e13 / 3600
print(f"one solve at 10 trillion operations a second: {hours:.0f} hours")
assert 4 * n * n == 4e12 and hours > 10

# %% [markdown]
# For a million parameters, $H$ alone is 4 terabytes, and one solve would
# keep a computer doing 10 trillion operations a second busy for 19 hours,
# at every step; the gradient is 4 megabytes. This is the first reason
# networks are trained with gradients only. (The product of $H$ with a
# vector does not need $H$: `torch.autograd.functional.hvp` gets it from
# two passes, for the price of about two gradients. Methods built on it
# never store $H$.)

# %%
v = torch.tensor([0.5, -2.])
_, product = torch.autograd.functional.hvp(loss_of, start, v)
assert torch.allclose(product, H @ v, atol=1e-5)

# %% [markdown]
# ## Where the loss is not a bowl
#
# On a parabola, Newton's step lands on the bottom. On any other loss it
# lands where the parabola that fits the loss at the current point (same
# value, slope and curvature) is flat. If that parabola opens downwards,
# because the curvature is negative, its flat point is its *top*. Take the
# loss with two valleys from
# [the lesson beyond the straight line](18-beyond-the-straight-line.py),
# $f(w) = w^4/4 - w^2 + 0.3\,w$, whose curvature $3w^2 - 2$ is negative
# near the bump between the valleys. From $w = 0.3$, six Newton steps, and
# gradient descent (`lr = 0.1`, 60 steps) for comparison, both in `float64`:

# %%
def f(w):
    return (w**4 / 4 - w**2 + 0.3 * w).sum()


def newton_path(loss, start, steps):
    """`start`, then the point after each Newton step."""
    points = [torch.tensor(start, dtype=torch.float64)]
    for _ in range(steps):
        points.append(gd.newton_step(loss, points[-1]))
    return torch.stack(points)


path = newton_path(f, [0.3], 6)
walked = gd.descend(f, torch.tensor([0.3], dtype=torch.float64), lr=0.1,
                    steps=60)
end, slid = path[-1].item(), walked.params[-1].item()
print("Newton:", [round(w, 4) for w in path[:, 0].tolist()])
print(f"f: {f(path[0]).item():.4f} at the start, {f(path[-1]).item():.4f}"
      f" at the end, curvature there {3 * end**2 - 2:.2f}")
print(f"gradient descent ends at w = {slid:.4f},"
      f" f = {f(walked.params[-1]):.4f}")
assert 3 * 0.3**2 - 2 < 0 and 3 * end**2 - 2 < 0  # a bump: a maximum
assert abs(end**3 - 2 * end + 0.3) < 1e-12  # the slope there is 0
assert f(path[-1]) > f(path[0]) and f(walked.params[-1]) < f(path[0])

# %% [markdown]
# Newton's method climbed to the top of the bump, $w = 0.1517$, a local
# *maximum*, and stopped there with a slope of 0: the loss went up. Gradient
# descent from the same start went downhill, into the right-hand valley.
# Newton's step only seeks a point where the slope is zero; it cannot tell
# a bottom from a top.
#
# Where the curvature is positive it is a different story. From $w = 1.5$,
# in the right-hand valley, the distance to the bottom shrinks astonishingly
# fast: each distance is about a constant times the *square* of the one
# before (**quadratic convergence**), so the number of correct digits about
# doubles at every step. We print the distances, and each divided by the
# square of the one before:

# %%
path = newton_path(f, [1.5], 6)
bottom = path[-1].item()
gaps = (path[:5, 0] - bottom).abs()
print("distance to the bottom:", [f"{d:.1e}" for d in gaps.tolist()])
print("distance / previous^2: ",
      [round(r, 2) for r in (gaps[1:] / gaps[:-1]**2).tolist()])
assert 3 * bottom**2 - 2 > 0 and abs(bottom**3 - 2 * bottom + 0.3) < 1e-12
assert gaps[4] < 1e-6 and ((gaps[2:] / gaps[1:-1]**2 - 1.2).abs() < 0.1).all()

# %% [markdown]
# The ratios settle near 1.2, so each new distance is about the square of
# the last: from $10^{-4}$ to $10^{-7}$ to $10^{-13}$. This is the reward
# near a minimum, where every curvature is positive and changes smoothly;
# gradient descent's distance only ever shrinks by a constant factor per
# step.
#
# With two parameters there is a third kind of flat point: the saddle of
# $g(w_0, w_1) = w_0^2 - w_1^2 + w_1^4/4$ from the same lesson, with
# curvature $-2 + 3 w_1^2$ along $w_1$. Start at $(1, 0.5)$, where that
# curvature is $-1.25$:

# %%
def g(w):
    return w[..., 0]**2 - w[..., 1]**2 + w[..., 1]**4 / 4


path = newton_path(g, [1., 0.5], 5)
walked = gd.descend(g, torch.tensor([1., 0.5], dtype=torch.float64),
                    lr=0.1, steps=100)
# (+ 0 turns -0.0, a tiny negative number rounded, into 0.0)
print("Newton:  ", [[round(v, 4) + 0 for v in p] for p in path[:4].tolist()],
      "...")
print(f"Newton ends at ({path[-1, 0]:.1e}, {path[-1, 1]:.1e}),"
      f" g = {g(path[-1]).item():.1e}")
print("gradient descent ends at",
      [round(v, 4) for v in walked.params[-1].tolist()],
      f" g = {g(walked.params[-1]).item():.4f}")
assert path[-1].abs().max() < 1e-12  # on the saddle
assert torch.allclose(walked.params[-1],
                      torch.tensor([0., 2**0.5], dtype=torch.float64),
                      atol=1e-3)

# %% [markdown]
# Newton's first step put $w_0$ at 0 for good (along $w_0$ the loss is a
# parabola) and moved $w_1$ *towards* the ridge, to $-0.2$; four more
# steps and it sits exactly on the saddle, where the gradient is zero and
# the loss is 0. Gradient descent rolled off the ridge into the valley at
# $(0, \sqrt{2})$, where the loss is $-1$. On a
# network's loss, which has saddles and many valleys (the
# [first-network lesson](19-a-first-network.py)), this is the second reason
# plain Newton is not used: it is drawn to every flat point. Methods that
# keep its speed near a minimum change the step where a curvature is
# negative, or take only the part of $H$ that cannot be negative (Nocedal
# and Wright, *Numerical Optimization*, 2006, chapters 3, 4 and 10).

# %% [markdown]
# ## L-BFGS: curvature from gradients
#
# If $H$ cannot be computed, it can be estimated. On a bowl, two gradients
# at two points differ by $H$ times the move between them: $g(a + d) - g(a)
# = H\,d$ (checked in the learning-rate lesson). Every step of gradient
# descent therefore tells us what $H$ does to one direction, for free.
# **BFGS** (Broyden, Fletcher, Goldfarb and Shanno, 1970) builds an
# estimate of $H^{-1}$ from these pairs and steps like Newton with it.
# **L-BFGS** ("limited memory") keeps only the last $m$ pairs, $2mn$
# numbers instead of $n^2$; `torch.optim.LBFGS` keeps $m = 100$ by default.
#
# Its `step` works differently from the other optimizers: within one call it
# evaluates the loss and gradient several times (up to `max_iter = 20`
# iterations by default, stopping early when the gradient or the changes
# become tiny). So instead of a gradient it takes a **closure**, a function
# with no arguments that zeroes the gradients, computes the loss, runs
# `backward()` and returns the loss; a closure "closes over" the names it
# uses (here `opt`, `a`, `xv` and `yv`). Ours also records each loss, so we
# can count the evaluations. On the narrow valley:

# %%
answer = torch.linalg.lstsq(xv, yv.unsqueeze(1)).solution.squeeze(1)
a = nn.Parameter(start.clone())
opt = torch.optim.LBFGS([a])
evaluations, points = [], []


def closure():
    opt.zero_grad()
    loss = gd.mse(xv@a, yv)
    loss.backward()
    evaluations.append(loss.item())
    points.append(a.detach().clone())
    return loss


opt.step(closure)
lbfgs_gap = (a.detach() - answer).norm().item()
print(f"one opt.step(closure): {len(evaluations)} evaluations of loss and"
      f" gradient, {lbfgs_gap:.1e} from the answer")
print("losses:", [round(v, 4) for v in evaluations])
assert len(evaluations) <= 8 and lbfgs_gap < 1e-4

# %% [markdown]
# Six gradients, against the 762 that gradient descent needed at its best
# learning rate: on a two-parameter bowl the pairs pin $H$ down after a
# couple of steps. L-BFGS is made for full-batch training of moderate size,
# where every evaluation sees the same loss; exercise 2 shows what
# mini-batches do to it.
#
# The three methods on the valley's map, drawn to scale with
# [`gd.plot_paths`](../reference.md#gd.plot_paths). It draws `gd.History`
# records, so we wrap the points of Newton's step and of L-BFGS in one
# each (the loss before each step, every point visited, the learning rate):

# %%
newton_point = gd.newton_step(mse_of(xv, yv), start)
newton_run = gd.History(losses=[gd.mse(xv@start, yv).item()],
                        params=torch.stack([start, newton_point]),
                        overflowed=False, lr=1.0)
lbfgs_run = gd.History(losses=evaluations[:-1], params=torch.stack(points),
                       overflowed=False, lr=1.0)
# `descent` is the last run of the loop above, on the valley; `low` and
# `high` are the valley's curvatures
rate = (high - low) / (high + low)
print(f"gradient descent keeps {rate:.4f} of the distance per step")
assert round(1 - rate, 3) == 0.013
gd.plot_paths(xv, yv, descent, lbfgs_run, newton_run,
              labels=["gradient descent", "L-BFGS", "Newton"])

# %% [markdown]
# Newton's step goes straight to the star. Gradient descent, at its best
# constant rate, overshoots across the narrow valley at once and then
# bounces from wall to wall, each bounce only 1.3% shorter than the last:
# that is the momentum lesson's rate $(\kappa - 1)/(\kappa + 1)$ for the
# condition number $\kappa$ of this valley. The filled triangle is hundreds
# of bounces.
# L-BFGS starts like gradient descent, along the gradient, and turns
# towards the star once its pairs have measured the valley.

# %% [markdown]
# ## Adagrad: a step size per parameter, from a sum
#
# The cheapest estimate of curvature keeps one number per parameter. The
# [lesson on RMSProp and Adam](15-rmsprop-and-adam.py) divided each gradient
# entry by the root of a running *average* of its squares. Its predecessor,
# **Adagrad** (Duchi, Hazan and Singer, "Adaptive Subgradient Methods",
# [JMLR 2011](https://jmlr.org/papers/v12/duchi11a.html)), divides by the
# root of their running *sum*:
#
# $$s \leftarrow s + g^2, \qquad
# a \leftarrow a - \eta\, \frac{g}{\sqrt{s} + \epsilon}$$
#
# Written by hand against `torch.optim.Adagrad`, whose defaults are these
# (with $\epsilon = 10^{-10}$ and $s$ starting at 0), for 100 steps on the
# valley with `lr = 1`:

# %%
a, s = start.clone(), torch.zeros(2)
ours = [a.clone()]
for _ in range(100):
    a.requires_grad_()
    grad, = torch.autograd.grad(gd.mse(xv@a, yv), a)
    with torch.no_grad():
        s = s + grad**2
        a = a - 1.0 * grad / (s.sqrt() + 1e-10)
    ours.append(a.clone())
theirs = gd.train(xv, yv, start, optimizer=torch.optim.Adagrad, lr=1.0,
                  steps=100)
gap = (torch.stack(ours) - theirs.params).abs().max().item()
print(f"largest difference over 101 positions: {gap:.1e}")
assert gap < 1e-4

# %% [markdown]
# A sum never forgets. For a gradient that stays the same, after $k$ steps
# $s = k g^2$, so step $k$ is $\eta / \sqrt k$: it keeps shrinking, while
# RMSProp's average settles at $g^2$ and its step at $\eta$ (after longer
# first steps, while the average fills up from 0). Run both on the
# straight-line loss of the RMSProp lesson, whose gradient is
# $(1000, 0.001)$ everywhere, with `lr = 0.01`:

# %%
slope = torch.tensor([1000., 0.001])


def straight_line(w):
    return (slope * w).sum()  # its gradient is `slope`, wherever w is


ks = [1, 4, 16, 100, 400]
print("step k, in units of the rate")
print(f"{'k':>9}", *(f"{k:>5}" for k in ks))
for name, optimizer in (("Adagrad", torch.optim.Adagrad),
                        ("RMSprop", torch.optim.RMSprop)):
    run = gd.descend(straight_line, torch.zeros(2), optimizer=optimizer,
                     lr=0.01, steps=400)
    steps = -run.params.diff(dim=0) / 0.01  # each step, in units of lr
    print(f"{name:>9}", *(f"{steps[k - 1, 0]:5.3g}" for k in ks))
    assert torch.allclose(steps[:, 0], steps[:, 1], rtol=1e-3)
    if name == "Adagrad":
        assert all(abs(steps[k - 1, 0] - k**-0.5) < 1e-4 for k in ks)
    else:  # RMSprop: longer at first, then close to the rate
        assert steps[0, 0] > 5 and abs(steps[-1, 0] - 1) < 0.02
print(f"{'1/sqrt(k)':>9}", *(f"{k**-0.5:5.3g}" for k in ks))

# %% [markdown]
# Both treat the two entries alike, a million times apart (the table shows
# the steps of the entry of size 1000; the other's agree). Adagrad's steps
# are exactly $1/\sqrt k$ times the rate: a schedule built in, which
# decays for good.
# That is what its authors wanted for convex problems, where a decaying
# step is what the proofs need; on long training runs the steps become too
# small, and RMSProp (Tieleman and Hinton's lecture notes, 2012) replaced
# the sum by an average for that reason.
# On the valley, 200 steps from $(1, 1)$ with each of five learning rates,
# for Adagrad, RMSprop and, for the explorer at the end of this lesson,
# plain SGD. [`gd.sweep`](../reference.md#gd.sweep) runs every pair (the
# [lesson beyond the straight line](18-beyond-the-straight-line.py) used it
# the same way). For each run we print the loss after 100 steps, and the
# highest loss of the last 100 steps, both divided by the least-squares
# loss: 1 is as low as a line can go.

# %%
floor = gd.mse(xv@answer, yv).item()
optimizers = [torch.optim.SGD, torch.optim.Adagrad, torch.optim.RMSprop]
rates = [0.01, 0.1, 0.3, 1.0, 3.0]
explorer = gd.sweep(
    lambda optimizer, lr: gd.train(xv, yv, start, optimizer=optimizer,
                                   lr=lr, steps=200),
    gd.line_loss(xv, yv), x=xv, y=yv, optimizer=optimizers, lr=rates)
after, worst = {}, {}
print("loss / least-squares loss")
print("           lr  after 100  worst of the")
print("                   steps  last 100 steps")
for optimizer in optimizers[1:]:
    name = optimizer.__name__
    for lr in rates[1:]:
        losses = explorer.history(optimizer=optimizer, lr=lr).losses
        after[name, lr] = losses[100] / floor
        worst[name, lr] = max(losses[100:]) / floor
        print(f"{name:7} {lr:>4} {after[name, lr]:10.3f}"
              f" {worst[name, lr]:13.3f}")
assert after["Adagrad", 0.1] > 100 and after["RMSprop", 0.1] < 1.02
assert worst["Adagrad", 1.0] < 1.05 and worst["Adagrad", 3.0] < 1.001
assert all(after["RMSprop", lr] < 1.01 for lr in (0.3, 1.0, 3.0))
assert min(worst["RMSprop", lr] for lr in (0.3, 1.0, 3.0)) > 100

# %% [markdown]
# At 0.1, RMSProp's rate in its own lesson, Adagrad is still more than 100
# times the floor after 100 steps: its steps shrank before it arrived. With
# a rate 10 or 30 times larger it arrives, and stays.
#
# RMSProp arrives at every rate from 0.3 up, but it does not stay. Near the
# answer the gradient becomes tiny, the running average forgets the large
# gradients of the start, and the step, a gradient divided by its own
# typical size, grows back towards the learning rate: across a narrow
# valley, that is too long, and the loss jumps to hundreds of times the
# floor before it comes back. A sum never forgets, so Adagrad's steps never
# grow again. Its decay works like a schedule that starts high and cools
# down (the [schedules lesson](16-schedules.py)), one that nobody chose.

# %% [markdown]
# ## Try it yourself
#
# Here are all 15 runs of the sweep, computed when this page was built.
# Pick an optimizer and a learning rate with the sliders and play the run.
# Things to look for: plain SGD diverges at every rate but 0.01, because
# its limit $2 / \lambda_{max}$ (printed below) is smaller than all the
# others; Adagrad at 0.1 crawls; RMSprop reaches the bottom and is thrown
# out again late in the run.

# %%
print(f"SGD's limit on the valley: {2 / high:.3f}")
assert 0.01 < 2 / high < 0.1
assert all(explorer.history(optimizer=torch.optim.SGD, lr=lr).diverged
           for lr in rates[1:])
explorer

# %% [markdown]
# ## Summary
#
# - **Newton's step** divides the gradient by the curvature:
#   $w - f'(w)/f''(w)$ in one dimension, $a - H^{-1} g$ with the curvature
#   matrix $H$ (solve $H\,s = g$, never invert). On a quadratic loss it lands
#   on the minimum in one step from anywhere, however narrow the valley:
#   on the line's loss it matched `torch.linalg.lstsq`, where gradient
#   descent at its best rate needed 15 steps, and 762 on the valley.
# - It does not scale: $n$ backward passes to build $H$, $n^2$ numbers to
#   store it (4 terabytes for a million parameters) and about
#   $\frac{2}{3} n^3$ operations to solve with it, at every step.
# - It seeks a flat point, not a minimum: where a curvature is negative it
#   climbed to a maximum of $f$ and settled on the saddle of $g$, where
#   gradient descent went downhill. Near a minimum with positive curvature
#   it converges quadratically, doubling its correct digits at every step.
# - **L-BFGS** estimates the curvature from pairs of gradients and steps
#   like Newton with the estimate; `torch.optim.LBFGS` takes a **closure**
#   that recomputes loss and gradient, because one `step` evaluates them
#   several times. It needed 6 evaluations on the valley.
# - **Adagrad** divides each gradient entry by the root of the *sum* of its
#   squares: the steps shrink like $1/\sqrt k$ for good. RMSProp's running
#   average removed that decay.
#
# Continue with the [next lesson](24-a-real-data-set.py): everything this
# course built, on a real data set of handwritten digits.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A *damped* Newton step multiplies the
# step by a factor below 1: $a - 0.5\, H^{-1} g$. From $(1, 1)$ on the
# line's loss, where does it land, compared with the start and the
# least-squares answer? Predict, then compute it with `gd.newton_step`.

# %% tags=["solution"]
half = start + 0.5 * (gd.newton_step(loss_of, start) - start)
print("half a Newton step:", half, " midpoint:", (start + best) / 2)
# The full step is exactly best - start (on a quadratic, H^-1 g = a - a*),
# so half of it lands halfway between the start and the answer, in every
# direction at once: gradient descent cannot do this with one rate.
assert torch.allclose(half, (start + best) / 2, atol=1e-5)

# %% [markdown]
# **Exercise 2 (break it and explain).** Give L-BFGS mini-batches: make the
# closure compute the loss on 10 rows drawn at random at every call
# (`torch.randint(0, 100, (10,), generator=...)`), and call `opt.step`
# twice. How close to the answer does it end, over seeds 0 to 4, compared
# with the full-batch run above? Explain.

# %% tags=["solution"]
def noisy_lbfgs(seed):
    """L-BFGS on batches of 10 random rows: distance to the answer, calls."""
    rows_of = torch.Generator().manual_seed(seed)
    a = nn.Parameter(start.clone())
    opt = torch.optim.LBFGS([a])
    calls = []

    def noisy_closure():
        rows = torch.randint(0, 100, (10,), generator=rows_of)
        opt.zero_grad()
        loss = gd.mse(xv[rows]@a, yv[rows])
        loss.backward()
        calls.append(loss.item())
        return loss

    for _ in range(2):
        opt.step(noisy_closure)
    return (a.detach() - answer).norm().item(), len(calls)


ends, counts = zip(*[noisy_lbfgs(seed) for seed in range(5)], strict=True)
ends = torch.tensor(ends)
print(f"evaluations per seed: {counts}")
print(f"distance to the answer over 5 seeds: min {ends.min():.3f},"
      f" median {ends.median():.3f}, max {ends.max():.3f}")
# Full batch: 1e-6 after 6 evaluations; here 40 evaluations end 1,000 or
# more times farther away. With batches of 10, each call sees
# another loss: the difference of two gradients mixes the curvature with
# the difference between two batches, so the estimate of H is wrong, and
# the point where one batch's gradient vanishes is not the answer.
assert ends.min() > 1000 * lbfgs_gap

# %% [markdown]
# **Exercise 3 (practice).** Adagrad gives a parameter whose gradient is
# often zero a larger step than a busy one. On the loss
# $w_0 + w_1$, give $w_1$ its gradient only at every tenth step (multiply
# it by 0 at the others: use a tensor `mask` that you change before each
# step). After 100 steps of `torch.optim.Adagrad` with `lr = 0.1`, compare
# the last step each parameter took with $\eta / \sqrt{\text{the number of
# gradients it has seen}}$.

# %% tags=["solution"]
w = nn.Parameter(torch.zeros(2))
opt = torch.optim.Adagrad([w], lr=0.1)
mask = torch.ones(2)
for k in range(100):
    mask[1] = 1. if k % 10 == 9 else 0.
    before = w.detach().clone()
    opt.zero_grad()
    (mask * w).sum().backward()
    opt.step()
last = (before - w.detach()).tolist()
print(f"last step: busy {last[0]:.4f}, rare {last[1]:.4f}")
# The busy entry has summed 100 squared gradients of 1, the rare one 10, so
# their steps are 0.1 / sqrt(100) and 0.1 / sqrt(10): the rare parameter
# moves sqrt(10), about 3.2, times as far whenever its gradient shows up.
assert abs(last[0] - 0.1 / 100**0.5) < 1e-6
assert abs(last[1] - 0.1 / 10**0.5) < 1e-6

# %% [markdown]
# **Exercise 4 (practice).** Up to how many parameters does the curvature
# matrix fit in 16 GB of memory, in 32-bit numbers? How large is the
# gradient of such a model?

# %% tags=["solution"]
most = math.isqrt(16 * 10**9 // 4)  # n * n numbers of 4 bytes each
print(f"{most:,} parameters: H {size(4 * most**2)},"
      f" gradient {size(4 * most)}")
# A model of about 63 thousand parameters fills the memory with H alone;
# the first-network lesson's 49 parameters fit easily, a million never.
assert 4 * most**2 <= 16e9 < 4 * (most + 1)**2
