# %% [markdown]
# # Weight decay, two ways
#
# A model with many parameters can fit the noise in its data as well as the
# pattern, and it usually needs large parameters to do it. **Weight decay**
# pulls every parameter a little towards zero at each step. There are two
# ways to do that: add a penalty on large weights to the loss (an **L2
# penalty**), or shrink the weights directly, apart from the gradient
# (**decoupled** decay). For plain SGD the two are the same thing. For Adam
# they are not, which is why PyTorch has both `torch.optim.Adam(weight_decay=
# ...)` and `torch.optim.AdamW`.
#
# In this lesson you will fit a curve with too many knobs to a dozen noisy
# points, see what decay does to its weights and to its loss on points it
# never saw, show that the two ways agree for SGD (and the exact rate at
# which they do), and then watch them part ways in Adam, step by step
# against PyTorch. The decoupled form and the name AdamW come from
# Loshchilov and Hutter, "Decoupled Weight Decay Regularization"
# ([arXiv:1711.05101](https://arxiv.org/abs/1711.05101), 2019).

# %% [markdown]
# ## A curve with too many knobs
#
# Our data this time: 12 points along the wave $y = \sin(\pi x)$ for $x$ in
# $[-1, 1)$, with noise of standard deviation 0.2. The model is a
# polynomial of degree 9,
#
# $$\hat y = w_0 + w_1 x + w_2 x^2 + \cdots + w_9 x^9,$$
#
# which is a straight line's recipe with more columns: each row of the
# input table holds $1, x, x^2, \ldots, x^9$ (its **features**), and the
# prediction is that table times the 10 weights $w$, exactly as `x @ a` was
# for the line. Ten knobs for twelve points is a lot. To see whether the
# fit learned the wave or the noise, we draw 200 more points the same way
# and keep them aside as a **validation set**, as the
# [network lesson](19-a-first-network.py) did with its held-out points: the
# weights never see them. Everything is in float64 (why, in a moment).

# %%
import math
import statistics

import matplotlib.pyplot as plt
import torch

import gd


def wave(n, generator):
    """n points along sin(pi x), x in [-1, 1), noise of std 0.2."""
    x = torch.rand(n, generator=generator, dtype=torch.float64) * 2 - 1
    noise = torch.randn(n, generator=generator, dtype=torch.float64)
    return x, torch.sin(math.pi * x) + 0.2 * noise


def features(x):
    """The columns 1, x, x**2, ..., x**9."""
    return x.unsqueeze(1) ** torch.arange(10)


def problem(seed):
    """12 training points and 200 validation points, from one seed."""
    generator = torch.Generator().manual_seed(seed)
    x, y = wave(12, generator)
    x_val, y_val = wave(200, generator)
    return features(x), y, features(x_val), y_val


X, y, X_val, y_val = problem(0)
print("features of the first point:", X[0, :4].numpy().round(3), "...")
print(X.shape, X_val.shape, X.dtype)

# %% [markdown]
# The best fit without any decay is ordinary least squares, which
# `torch.linalg.lstsq` solves exactly. We score a fit by its mean squared
# error on the training points and on the validation points:

# %%
def losses(w):
    """(training loss, validation loss) of the weights w."""
    return gd.mse(X@w, y).item(), gd.mse(X_val@w, y_val).item()


w_plain = torch.linalg.lstsq(X, y.unsqueeze(1)).solution.squeeze(1)
train_loss, val_loss = losses(w_plain)
print(f"training loss {train_loss:.4f}, validation loss {val_loss:.1f}")
print("weights:", w_plain.numpy().round(0))
assert train_loss < 0.01 and val_loss > 100

# %% [markdown]
# Its training loss is below 0.01, less than the noise alone would leave
# (about $0.2^2 = 0.04$ for the true wave): the curve has fitted the noise.
# Everywhere else it is terrible. Its weights run into the thousands, of
# both signs: huge terms that nearly cancel at the training points and not
# between them. The picture:

# %%
grid = torch.linspace(-1, 1, 201, dtype=torch.float64)
fig, ax = plt.subplots(figsize=(4.4, 3.4), layout="constrained")
ax.plot(grid, torch.sin(math.pi * grid), linewidth=1.5, label="the wave")
ax.plot(grid, features(grid)@w_plain, linewidth=2, label="least squares")
ax.scatter(X[:, 1], y, s=14, color="C2", zorder=3, label="12 points")
ax.set(xlabel="x", ylabel="y", ylim=(-2.5, 2.5))
fig.legend(loc="outside lower center", ncols=3)
worst = (features(grid)@w_plain).abs().max().item()
gd.describe(fig, "The wave sin(pi x), 12 noisy points on it, and the "
            "degree-9 least-squares curve, which passes near every point "
            f"but swings far off the chart between them (up to {worst:.0f}"
            " in size).");

# %% [markdown]
# Why float64? It keeps about 16 significant digits to float32's 7, and
# this lesson compares fits to 10 digits and more. The loss is also
# extremely ill-conditioned: its curvature matrix $\frac{2}{n} X^\top X$
# bends hundreds of millions of times more sharply in its steepest
# direction than in its gentlest
# ([`gd.condition_number`](../reference.md#gd.condition_number), from the
# [conditioning lesson](13-conditioning.py)). Solving with such a matrix
# can magnify rounding errors by up to that factor, so the extra digits
# are a margin worth having.

# %%
print(f"condition number: {gd.condition_number(X):.1e}")
assert gd.condition_number(X) > 1e8

# %% [markdown]
# ## A penalty on large weights, in one dimension
#
# The first way to decay: add a penalty that grows with the weights to the
# loss, so that the descent has to trade fit against size. The usual one is
# $\frac{\lambda}{2} w^2$ for one weight, with a strength $\lambda$
# (lambda) $\ge 0$. Its gradient is $\lambda w$. Writing $L'(w)$ for the
# gradient (the slope) of the loss itself, one gradient-descent step on the
# penalised loss is
#
# $$w \leftarrow w - \eta\,(L'(w) + \lambda w),$$
#
# which, gathering the two terms in $w$, is the same as
#
# $$w \leftarrow (1 - \eta\lambda)\, w - \eta\, L'(w).$$
#
# Read the second form: first shrink $w$ by the fraction $\eta\lambda$,
# then take the usual step. That shrinking is where the name **weight
# decay** comes from. PyTorch's `SGD` and `Adam`, among others, do exactly
# this when you pass `weight_decay=λ`: they add $\lambda w$ to the gradient
# (`AdamW` does not, as we will see).
#
# A 1-D example: the loss $L(w) = (w - 3)^2$ has its minimum at 3. With the
# penalty, the gradient $2(w - 3) + \lambda w$ is zero at
# $w = 6 / (2 + \lambda)$: pulled towards 0. With $\lambda = 0.5$ that is
# 2.4. Two runs of `torch.optim.SGD`: one on the penalised loss written
# out, one on the plain loss with `weight_decay=0.5`:

# %%
def penalised(w):
    return ((w - 3)**2 + 0.5 / 2 * w**2).sum()


written = gd.descend(penalised, [0.], lr=0.1, steps=60)
decayed = gd.descend(lambda w: ((w - 3)**2).sum(), [0.], lr=0.1, steps=60,
                     weight_decay=0.5)
print(f"after 60 steps: {written.params[-1].item():.6f} and "
      f"{decayed.params[-1].item():.6f}; 6 / 2.5 = {6 / 2.5}")
assert torch.allclose(written.params, decayed.params)
assert abs(decayed.params[-1].item() - 2.4) < 1e-5

# %% [markdown]
# Same path, step for step, ending at 2.4 instead of 3. (With
# `weight_decay`, `descend` records the loss without the penalty, but the
# positions are what matter here.)

# %% [markdown]
# ## The penalised fit, exactly
#
# With all ten weights the penalty is $\frac{\lambda}{2} \|w\|^2$, half of
# $\lambda$ times the sum of the squared weights. The penalised loss
# $\frac{1}{n}\|Xw - y\|^2 + \frac{\lambda}{2}\|w\|^2$ has gradient
# $\frac{2}{n} X^\top (Xw - y) + \lambda w$, which is zero at
#
# $$w_\lambda = \left(X^\top X + \tfrac{n\lambda}{2} I\right)^{-1} X^\top y.$$
#
# ($I$ is the identity matrix.) This is **ridge regression**. Adding
# $\frac{n\lambda}{2} I$ lifts every curvature of the loss by $\lambda$, so
# the gentlest direction bends at least by $\lambda$: with a rate
# $\eta = 1 / (h_{max} + \lambda)$, where $h_{max}$ is the largest
# curvature of the plain loss (earlier lessons called it $\lambda_{max}$;
# here $\lambda$ is the decay), no direction shrinks by a factor
# worse than $1 - \eta\lambda$ per step, and after $T$ steps the distance to
# $w_\lambda$ is at most $(1 - \eta\lambda)^T$ of the start's. SGD with
# `weight_decay` must get there; we run it from zero with $\lambda = 0.01$:

# %%
def ridge(X, y, decay):
    n, d = X.shape
    return torch.linalg.solve(X.T@X + n * decay / 2 * torch.eye(d,
                                                               dtype=X.dtype),
                              X.T@y)


decay = 0.01
w_ridge = ridge(X, y, decay)
top = torch.linalg.eigvalsh(2 / len(y) * X.T@X)[-1].item()
lr = 1 / (top + decay)
run = gd.train(X, y, torch.zeros(10, dtype=torch.float64), lr=lr,
               steps=1500, weight_decay=decay)
distance = (run.params[-1] - w_ridge).norm() / w_ridge.norm()
bound = (1 - lr * decay) ** 1500
print(f"lr {lr:.3f}; distance to w_λ after 1500 steps: {distance:.1e} of "
      f"the start's (bound {bound:.1e})")
assert distance <= bound

# %% [markdown]
# The bound holds, and it is also the catch: the smaller $\lambda$, the
# longer descent takes to settle, which is why the rest of this section
# uses the exact formula.
#
# ## What decay does to the weights and to the validation loss
#
# The exact penalised fit for a range of strengths, from none to
# $\lambda = 1$:

# %%
DECAYS = [0., 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.]


def exact_fit(X, y, decay):
    if decay == 0:
        return torch.linalg.lstsq(X, y.unsqueeze(1)).solution.squeeze(1)
    return ridge(X, y, decay)


fits = {decay: exact_fit(X, y, decay) for decay in DECAYS}
print("  decay  size ‖w‖  training  validation")
for decay, w in fits.items():
    train_loss, val_loss = losses(w)
    print(f"{decay:7g} {w.norm():9.3g} {train_loss:9.4f} {val_loss:11.4g}")
sizes = [w.norm().item() for w in fits.values()]
trains = [losses(w)[0] for w in fits.values()]
vals = [losses(w)[1] for w in fits.values()]
assert sizes == sorted(sizes, reverse=True)  # the weights only shrink
assert trains == sorted(trains)  # the training loss only rises
best_decay = DECAYS[vals.index(min(vals))]
assert 0 < best_decay < 1 and min(vals) < vals[0] / 100
assert vals[-1] > 2 * min(vals)

# %% [markdown]
# Three things happen as $\lambda$ grows:
#
# - The weights shrink: the size $\|w\|$ falls at every step of the table.
#   This always holds for the exact penalised fit: a larger $\lambda$ makes
#   size more expensive.
# - The training loss rises at every step, for the same reason: the fit
#   gives up closeness to the 12 points to keep the weights small.
# - The validation loss falls by a factor of more than 100, reaches its
#   lowest at a moderate $\lambda$, and rises again at $\lambda = 1$, where
#   the curve is pulled so flat that it misses the wave itself.

# %%
fig, ax = plt.subplots(figsize=(4.4, 3.4), layout="constrained")
ax.plot(grid, torch.sin(math.pi * grid), linewidth=1.5, label="the wave")
for decay in (1e-6, best_decay, 1.):
    ax.plot(grid, features(grid)@fits[decay], linewidth=2,
            label=f"λ = {decay:g}")
ax.scatter(X[:, 1], y, s=14, color="C4", zorder=3)
ax.set(xlabel="x", ylabel="y", ylim=(-2.5, 2.5))
fig.legend(loc="outside lower center", ncols=2)
gd.describe(fig, "The wave, the 12 points and three penalised fits: with "
            "λ = 1e-06 the curve still swings between the points, with λ = "
            f"{best_decay:g} it follows the wave, with λ = 1 it is pulled "
            "almost flat.");

# %% [markdown]
# That was one draw of 12 points. Different points give different fits, so
# here are ten draws (seeds 0 to 9), with the smallest, median and largest
# value of each row: the validation loss with no decay and with the best
# $\lambda$ of the table, the best $\lambda$ itself, and how much worse
# $\lambda = 1$ does than the best.

# %%
def spread(values):
    """min / median / max, the way every seeds table here reports."""
    return (f"{min(values):8.3g} {statistics.median(values):8.3g} "
            f"{max(values):8.3g}")


rows = {"no decay/best": [], "best λ": [], "λ = 1 / best": []}
spans = []  # how much of [-1, 1) each draw's 12 points cover
for seed in range(10):
    Xs, ys, Xs_val, ys_val = problem(seed)
    val = [gd.mse(Xs_val@exact_fit(Xs, ys, decay), ys_val).item()
           for decay in DECAYS]
    rows["no decay/best"].append(val[0] / min(val))
    rows["best λ"].append(DECAYS[val.index(min(val))])
    rows["λ = 1 / best"].append(val[-1] / min(val))
    spans.append((Xs[:, 1].max() - Xs[:, 1].min()).item())
print("validation loss, 10 draws")
print(f"{'':13} {'min':>8} {'median':>8} {'max':>8}")
for name, values in rows.items():
    print(f"{name:>13} {spread(values)}")
print("best λ of each draw:", rows["best λ"])
odd = rows["best λ"].index(1.)
others = min(s for k, s in enumerate(spans) if k != odd)
print(f"draw {odd}: its points span {spans[odd]:.2f} of the 2 units of x; "
      f"every other draw's at least {others:.2f}")
assert min(rows["no decay/best"]) > 5
inside = [b for b in rows["best λ"] if 1e-4 <= b <= 1e-2]
assert len(inside) == 9 and spans[odd] == min(spans)
assert sorted(rows["λ = 1 / best"])[1] > 1.5  # all but the odd draw

# %% [markdown]
# In every draw decay helped, by a factor of 5 at the least. In nine draws
# the best $\lambda$ of the table lay between $10^{-4}$ and $10^{-2}$, and
# $\lambda = 1$ did more than 1.5 times worse than the best. In the tenth,
# the strongest decay did best: its 12 points cover a narrower stretch of
# $x$ than any other draw's, leaving wide margins where every fit must
# guess (and the validation points cover those margins too), so the
# flattest guess did least harm. The size of the effect comes from the
# setting: ten knobs for twelve points, noise of 0.2. With far more points
# than knobs the noise averages out, the plain fit is already close to the
# wave, and decay has little to add (exercise 3).

# %% [markdown]
# ## Decay written apart from the gradient
#
# The second way skips the penalty and shrinks the weights directly, as a
# step of its own. Loshchilov and Hutter write it as
#
# $$w \leftarrow (1 - d)\, w - \eta\, \nabla L(w),$$
#
# with $d$ the fraction taken off per step. For plain SGD this is the L2
# step of the one-dimensional section with $\eta\lambda = d$: decoupled decay $d$ is
# L2 decay $\lambda = d / \eta$, exactly (their Proposition 1). The
# relation involves the rate: keep $d$ fixed and change $\eta$, and the
# equivalent $\lambda$ changes too. PyTorch's `AdamW` writes the
# decoupled shrink as $\eta\lambda$, a fraction proportional to the rate,
# so in PyTorch's convention the same number `weight_decay` means the same
# decay in both forms, for SGD. A check on our curve, 100 steps, $d = 0.004$
# and $\eta = 0.4$:

# %%
d, lr = 0.004, 0.4
w = torch.zeros(10, dtype=torch.float64)
for _ in range(100):
    w = w.clone().requires_grad_()
    gd.mse(X@w, y).backward()
    with torch.no_grad():
        w = (1 - d) * w - lr * w.grad  # shrink, then step
l2 = gd.train(X, y, torch.zeros(10, dtype=torch.float64), lr=lr, steps=100,
              weight_decay=d / lr)
print(f"L2 weight_decay = d / lr = {d / lr:g}; largest difference: "
      f"{(w - l2.params[-1]).abs().max():.1e}")
assert torch.allclose(w, l2.params[-1], rtol=1e-12, atol=1e-12)

# %% [markdown]
# ## With Adam, the two part ways
#
# Adam divides each entry of its running average of gradients by the root
# of its running average of squared gradients (the
# [RMSProp and Adam lesson](15-rmsprop-and-adam.py)). With L2 decay the
# penalty's gradient $\lambda w$ joins the loss's gradient *before* that
# division, so it is divided too. With decoupled decay the weights shrink by
# $\eta\lambda$ of themselves first, and Adam's step uses the loss's
# gradient alone. These are the first lines of
# [`gd.Adam`](../reference.md#gd.Adam)'s step;
# [`gd.AdamW`](../reference.md#gd.AdamW) is `gd.Adam` with
# `decoupled_weight_decay=True`:
#
# --8<-- "gd/optimizers.py:decay"
#
# Both against PyTorch, 200 steps on our curve with $\lambda = 0.1$:

# %%
zeros = torch.zeros(10, dtype=torch.float64)
torchs = {}
for ours, theirs in ((gd.Adam, torch.optim.Adam),
                     (gd.AdamW, torch.optim.AdamW)):
    a = gd.train(X, y, zeros, optimizer=ours, lr=0.05, weight_decay=0.1,
                 steps=200)
    b = gd.train(X, y, zeros, optimizer=theirs, lr=0.05, weight_decay=0.1,
                 steps=200)
    gap = (a.params - b.params).abs().max().item()
    print(f"{theirs.__name__:>5}: largest difference {gap:.1e}")
    assert torch.allclose(a.params, b.params, rtol=1e-10, atol=1e-12)
    torchs[theirs.__name__] = b
adam, adamw = torchs["Adam"], torchs["AdamW"]
print("after 200 steps, Adam: ", adam.params[-1, :4].numpy().round(3))
print("after 200 steps, AdamW:", adamw.params[-1, :4].numpy().round(3))
assert (adam.params[-1] - adamw.params[-1]).abs().max() > 0.1

# %% [markdown]
# Ours and PyTorch's agree to rounding, and the two kinds of decay, with the
# same $\lambda$, lead to different weights.

# %% [markdown]
# ## Two weights: one busy, one ignored
#
# The difference is clearest at two extremes. Take two weights, both
# starting at 1, and the loss $10\, w_0$: the gradient of $w_0$ is always
# 10, a steady pull, and $w_1$ does not appear in the loss at all, so its
# loss gradient is always 0 and the decay is the only thing that moves it.
# For each optimizer, with $\eta = 0.01$ and two strengths, we record
# where $w_1$ is after 10, 50 and 100 steps, and how much the decay changed
# where $w_0$ ends: its end with decay minus its end without.

# %%
def two_weights(optimizer, decay):
    run = gd.descend(lambda w: 10 * w[0] + 0 * w[1], [1., 1.],
                     optimizer=optimizer, lr=0.01, weight_decay=decay,
                     steps=100)
    return run.params


print(f"{'':11}{'w1 after ... steps':^20} {'effect':>8}")
print(f"{'':5} {'λ':<4} {'10':>6} {'50':>6} {'100':>6} {'on w0':>8}")
effect, ignored = {}, {}
for optimizer in (torch.optim.SGD, torch.optim.AdamW, torch.optim.Adam):
    name = optimizer.__name__
    without = two_weights(optimizer, 0.)
    for decay in (0.01, 0.1):
        path = two_weights(optimizer, decay)
        ignored[name, decay] = path[:, 1]
        effect[name, decay] = (path[-1, 0] - without[-1, 0]).item()
        print(f"{name:>5} {decay:<4} {path[10, 1]:.4f} {path[50, 1]:.4f}"
              f" {path[100, 1]:.4f} {effect[name, decay]:+.5f}")
steps = torch.arange(101)
for name in ("SGD", "AdamW"):
    for decay in (0.01, 0.1):  # shrunk by 1 - lr * decay at every step
        assert torch.allclose(ignored[name, decay], (1 - 0.01 * decay)**steps)
weak, strong = ignored["Adam", 0.01], ignored["Adam", 0.1]
assert torch.allclose(weak, strong, atol=1e-6)  # whatever λ is
assert torch.allclose(weak[:3], torch.tensor([1., 0.99, 0.98]))
assert weak[100] < 0.25
for decay in (0.01, 0.1):
    assert abs(effect["Adam", decay]) < abs(effect["AdamW", decay]) / 10

# %% [markdown]
# SGD's L2 and AdamW shrink the ignored weight geometrically, by the
# fraction $\eta\lambda$ per step: 1% in 100 steps with $\lambda = 0.01$,
# 10% with $\lambda = 0.1$. Adam with L2 does something else at both
# extremes, because the penalty's gradient $\lambda w$ goes through
# Adam's division by the typical size of the weight's gradients:
#
# - For the ignored weight, $\lambda w$ is its *only* gradient. Adam's step
#   does not change when every gradient of a weight is multiplied by the
#   same number (the division cancels it, up to the tiny $\epsilon$), so
#   $\lambda$ drops out: the weight moves exactly alike with
#   $\lambda = 0.01$ and $\lambda = 0.1$, by the full rate 0.01 on each of
#   the first steps, then by less (its running average of squares still
#   remembers its larger gradients from when it was larger), to below 0.25
#   after 100 steps, where AdamW has it at 0.99 or 0.90.
# - For the busy weight, $\lambda w$ is a sliver of a gradient of about 10,
#   and the division by that size leaves a step of about the learning rate
#   either way: the decay changed its end more than ten times less than
#   AdamW's shrink did.
#
# So with Adam's L2 decay, how strongly a weight decays depends on its
# gradients, not only on $\lambda$ and its size: weights with large
# gradients barely decay, and weights with none are pulled down at the
# learning rate. Loshchilov and Hutter's point is that decoupling restores
# what weight decay meant for SGD: every weight shrinks by the same
# fraction $\eta\lambda$ per step.

# %% [markdown]
# ## Where each one ends
#
# On our curve, with all 12 points at every step (no mini-batches) and a
# constant rate, the two end up in different places. Adam with L2 decay
# minimises the penalised loss: where its steps stop, the penalised
# gradient is zero, so it ends at the exact $w_\lambda$ of ridge
# regression, the same point as SGD. AdamW's shrink is not the gradient of
# any added penalty, so nothing forces it there. Both with
# $\lambda = 0.01$ and $\eta = 0.1$, the validation loss along the way:

# %%
w_ridge = ridge(X, y, 0.01)
adam = gd.train(X, y, zeros, optimizer=torch.optim.Adam, lr=0.1,
                weight_decay=0.01, steps=1000)
adamw = gd.train(X, y, zeros, optimizer=torch.optim.AdamW, lr=0.1,
                 weight_decay=0.01, steps=1000)
ridge_val = losses(w_ridge)[1]
print(f"ridge w_λ: validation loss {ridge_val:.3f}")
print("validation loss after this many steps")
print(f"{'':12}", *(f"{k:6}" for k in (100, 300, 600, 1000)))
curves = {}
for name, run in (("Adam with L2", adam), ("AdamW", adamw)):
    curves[name] = ((run.params@X_val.T - y_val)**2).mean(dim=1)
    print(f"{name:>12}", *(f"{curves[name][k]:6.3f}"
                             for k in (100, 300, 600, 1000)))
gap = (adam.params[-1] - w_ridge).norm().item()
print(f"Adam with L2 after 1000 steps, distance to w_λ: {gap:.1e}")
assert gap < 1e-6
assert curves["AdamW"].min() < ridge_val < curves["AdamW"][-1] / 4

fig, ax = plt.subplots(figsize=(4.4, 3.4), layout="constrained")
for name, curve in curves.items():
    ax.semilogy(curve, linewidth=2, label=name)
ax.axhline(ridge_val, color="C2", linestyle="--", linewidth=1.5,
           label="ridge w_λ")
ax.minorticks_off()
ax.set_yticks([0.05, 0.1, 0.2, 0.5], labels=["0.05", "0.1", "0.2", "0.5"])
ax.set(xlabel="step", ylabel="validation loss (log scale)")
fig.legend(loc="outside lower center", ncols=3)
low = curves["AdamW"].argmin().item()
gd.describe(fig, "Validation loss against step, log scale, λ = 0.01: Adam "
            f"with L2 settles on the ridge fit's {ridge_val:.3f}; AdamW "
            f"dips below it, to {curves['AdamW'][low]:.3f} at step {low}, "
            f"then rises to {curves['AdamW'][-1]:.3f} at step 1000.");

# %% [markdown]
# Adam with L2 settles on $w_\lambda$, to six decimals. AdamW does not
# settle: its validation loss dips below the ridge fit's and then climbs to
# more than four times it by step 1000. With decoupled decay, *how long*
# you train, and at which rate, is part of the regularisation: on this data
# set, stopped at the right moment (which you would have to guess), AdamW
# did better than the exact penalised fit, and stopped late, much worse.
#
# Where does AdamW go? Xie and Li ("Implicit Bias of AdamW: ℓ∞ Norm
# Constrained Optimization",
# [arXiv:2404.04454](https://arxiv.org/abs/2404.04454), 2024) proved that
# with all the data at every step and a rate that never grows (but does
# not shrink so fast that its sum over all steps stays finite), if AdamW
# settles, it settles at a point that satisfies the optimality conditions
# of fitting with every weight at most $1 / \lambda$ in size; on a loss
# shaped like a bowl, as ours is (a quadratic), that is the best fit among
# those whose weights are *each* at most $1 / \lambda$ in size. With $\lambda = 0.01$ that bound is 100:
# our plain fit's weights are in the thousands, and after 1000 steps
# AdamW's are still far below 100, so it has a long way to go. With
# $\lambda = 1$ the bound is 1, and the largest weight creeps up to it:

# %%
print(f"λ = 0.01: largest |w| after 1000 steps "
      f"{adamw.params[-1].abs().max():.2f}")
assert adamw.params[-1].abs().max() < 10
boxed = gd.train(X, y, zeros, optimizer=torch.optim.AdamW, lr=0.1,
                 weight_decay=1., steps=500)
largest = boxed.params.abs().max(dim=1).values
print("λ = 1: largest |w| after 100, 300, 500 steps:",
      [round(largest[k].item(), 3) for k in (100, 300, 500)])
assert largest[100] < largest[300] < largest[500] < 1

# %% [markdown]
# In practice AdamW runs with mini-batches and a decaying schedule, and it
# stops long before it settles; its $\lambda$ is then tuned together with
# the rate and the number of steps, like any other setting. What this
# section shows is the difference in kind: L2 changes the *loss*, and the
# penalised loss has one lowest point, so every optimizer that settles
# finds the same $w_\lambda$; decoupled decay changes the *optimizer*, so
# where it leads depends on the optimizer.

# %% [markdown]
# ## Summary
#
# - Weight decay pulls the weights towards zero. On a degree-9 polynomial
#   fitted to 12 noisy points, the exact penalised fit's weights shrink and
#   its training loss rises as $\lambda$ grows, while its validation loss
#   falls by a factor of more than 100 before rising again. Over ten draws
#   of the points, decay helped in every one (by a factor of 5 at least);
#   the best $\lambda$ lay between $10^{-4}$ and $10^{-2}$ in nine.
# - L2 decay adds $\frac{\lambda}{2}\|w\|^2$ to the loss, so $\lambda w$ to
#   the gradient (PyTorch's `weight_decay`): an SGD step becomes
#   $w \leftarrow (1 - \eta\lambda) w - \eta \nabla L$. Its exact minimum is
#   ridge regression, $(X^\top X + \frac{n\lambda}{2} I)^{-1} X^\top y$.
# - Decoupled decay shrinks the weights apart from the gradient,
#   $w \leftarrow (1 - d) w - \eta \nabla L$. For plain SGD that is L2
#   decay with $\lambda = d / \eta$ (PyTorch's AdamW writes $d = \eta\lambda$).
# - In Adam, L2 decay is divided along with the gradient: a weight the loss
#   ignores moves towards 0 exactly alike whatever $\lambda$ is, by the
#   learning rate at first, and a weight with a large gradient barely
#   decays. `AdamW` (Loshchilov and Hutter) shrinks every weight by
#   $\eta\lambda$ per step instead.
# - L2 changes the loss, decoupled decay changes the optimizer. Adam with
#   L2 settled at the ridge fit, like SGD; AdamW did not, and on our data
#   its validation loss depended on how long it ran. (With all the data at
#   every step, if AdamW settles, it is at the best fit whose weights are
#   each at most $1 / \lambda$ in size: Xie and Li, 2024.)
#
# Continue with the [next lesson](21-gradient-clipping.py): gradient
# clipping, for the batch that throws training off.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A weight whose loss gradient is always
# 0 starts at 1. Predict where it is after 10 steps of `torch.optim.SGD`
# with `lr=0.1, weight_decay=0.5`, and after 10 steps of
# `torch.optim.AdamW` with the same settings. Then run both with
# `gd.descend` on the loss `0 * w.sum()`.

# %% tags=["solution"]
for optimizer in (torch.optim.SGD, torch.optim.AdamW):
    run = gd.descend(lambda w: 0 * w.sum(), [1.], optimizer=optimizer,
                     lr=0.1, weight_decay=0.5, steps=10)
    print(f"{optimizer.__name__}: {run.params[-1].item():.6f}")
    # Each step multiplies the weight by 1 - 0.1 * 0.5 = 0.95, in both
    # (the loss adds nothing to AdamW's step): 0.95 ** 10.
    assert math.isclose(run.params[-1].item(), 0.95 ** 10, rel_tol=1e-6)
print(f"0.95 ** 10 = {0.95 ** 10:.6f}")

# %% [markdown]
# **Exercise 2 (break it and explain).** The two forms agree for plain SGD.
# Add momentum 0.9 to both: run 100 steps on our curve with
# `torch.optim.SGD(momentum=0.9, weight_decay=0.01)` and, by hand, the
# decoupled form: shrink by $\eta\lambda$, then a momentum step with the
# loss gradient alone ($\eta = 0.05$). Do they still agree?

# %% tags=["solution"]
lr, decay = 0.05, 0.01
w = torch.zeros(10, dtype=torch.float64)
velocity = torch.zeros(10, dtype=torch.float64)
for _ in range(100):
    w = w.clone().requires_grad_()
    gd.mse(X@w, y).backward()
    with torch.no_grad():
        velocity = 0.9 * velocity + w.grad
        w = (1 - lr * decay) * w - lr * velocity
coupled = gd.train(X, y, zeros, lr=lr, momentum=0.9, weight_decay=decay,
                   steps=100)
gap = (w - coupled.params[-1]).abs().max().item()
print(f"largest difference after 100 steps: {gap:.3f}")
# With momentum, L2's decay term goes into the velocity, where it adds up
# over steps: it pulls up to 1 / (1 - 0.9) = 10 times harder than the
# decoupled shrink, which stays outside the velocity. The proof that the
# two forms agree used plain SGD steps; with momentum they differ.
assert gap > 0.01

# %% [markdown]
# **Exercise 3 (practice).** Give the same polynomial 200 training points
# instead of 12 (same noise, seed 0, 200 validation points drawn after
# them). Compute the exact fits for `DECAYS` and compare the validation
# loss with no decay and with the best $\lambda$.

# %% tags=["solution"]
generator = torch.Generator().manual_seed(0)
x_many, y_many = wave(200, generator)
x_check, y_check = wave(200, generator)
X_many, X_check = features(x_many), features(x_check)
val = [gd.mse(X_check@exact_fit(X_many, y_many, decay), y_check).item()
       for decay in DECAYS]
print(f"no decay {val[0]:.4f}, best {min(val):.4f} "
      f"(λ = {DECAYS[val.index(min(val))]:g})")
# With 20 points per knob, the noise averages out: the plain fit is already
# close to the wave, and no decay of the table improves on it by even 20%
# (here the best of the table is no decay at all).
assert val[0] < 1.2 * min(val) and val.index(min(val)) == 0

# %% [markdown]
# **Exercise 4 (practice).** `torch.optim.AdamW` is `torch.optim.Adam` with
# `decoupled_weight_decay=True`, and so is `gd.AdamW` with `gd.Adam`.
# Check both statements on 100 steps on our curve with $\lambda = 0.1$ and
# $\eta = 0.05$.

# %% tags=["solution"]
runs = [gd.train(X, y, zeros, optimizer=optimizer, lr=0.05,
                 weight_decay=0.1, steps=100, **extra)
        for optimizer, extra in ((torch.optim.AdamW, {}),
                                 (torch.optim.Adam,
                                  {"decoupled_weight_decay": True}),
                                 (gd.AdamW, {}),
                                 (gd.Adam, {"decoupled_weight_decay": True}))]
for run in runs[1:]:
    assert torch.allclose(run.params, runs[0].params, rtol=1e-10,
                          atol=1e-12)
print("all four:", runs[0].params[-1, :3].numpy().round(4), "...")
