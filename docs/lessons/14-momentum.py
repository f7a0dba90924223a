# %% [markdown]
# # Momentum
#
# In a long, narrow valley plain gradient descent is stuck with a bad bargain:
# the steep walls cap the learning rate, and with that small rate the gentle
# valley floor takes forever. Momentum changes the step, not the rate: it
# keeps a running *velocity* that adds up the gradients as it goes. In this
# lesson you will write momentum by hand in the loop you know, check it step
# by step against `torch.optim.SGD`, and see that the forgotten `zero_()` of
# [an earlier lesson](10-when-the-loop-goes-wrong.py) was momentum in
# disguise. Then we take it apart one direction at a time: each direction
# follows a short recurrence whose roots give its speed, its stability limit
# and the best settings for a valley, all measured on real torch runs. We end
# with Nesterov's variant, and when it helps.

# %% [markdown]
# ## The valley, again
#
# We use the [conditioning lesson](13-conditioning.py)'s problem: the same
# noise as always, but with the inputs spread over $[0, 10)$ instead of
# $[-1, 1)$. As in the learning-rate lesson, the curvature matrix
# $H = \frac{2}{n} X^\top X$ has two directions of most and least
# curvature (its eigenvectors) with their curvatures (its eigenvalues).
# Their ratio, the **condition number**, says how stretched the valley is,
# and the steepest curvature sets the largest stable learning rate,
# $2 / \lambda_{max}$.

# %%
import cmath
import math
import warnings

import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42, x_range=(0, 10))
H = 2 / len(y) * x.T @ x
curvatures, directions = torch.linalg.eigh(H)  # gentlest first
print("curvatures:", curvatures)
print(f"condition number: {curvatures[1] / curvatures[0]:.0f}")
print(f"largest stable learning rate: {2 / curvatures[1]:.4f}")
assert 145 < curvatures[1] / curvatures[0] < 155

# %% [markdown]
# The valley is about 150 times steeper across than along. Take a learning
# rate just under the limit, 0.027, and run plain gradient descent for 100
# steps from $(1, 1)$. As we saw in the learning-rate lesson, every step
# multiplies the distance to the answer along each direction by
# $1 - \eta\lambda$, with that direction's curvature $\lambda$. Across the
# valley that factor is close to $-1$: a zig-zag that dies out slowly. Along
# the floor it is close to $+1$: a crawl.

# %%
lr = 0.027
start = torch.tensor([1.,1])
best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
floor = gd.mse(x@best, y).item()
plain = gd.fit(x, y, start, lr=lr, steps=100)
along, across = (1 - lr * curvatures).tolist()
print(f"factor across: {across:+.3f}   along: {along:+.3f}")
print(f"along the floor, kept after 100 steps: {along ** 100:.2f}")
print(f"loss after 100 steps: {plain.losses[-1]:.4f} (floor {floor:.4f})")
assert -1 < across < -0.9 and 0.98 < along < 1 and along ** 100 > 0.25
assert plain.losses[-1] > 1.2 * floor

# %% [markdown]
# After 100 steps more than a quarter of the distance along the floor is
# still left, and the loss is well above the least-squares floor. A larger
# learning rate would cover the floor faster, but the steep direction would
# then diverge.

# %% [markdown]
# ## A velocity that remembers
#
# Picture a heavy ball rolling down the valley instead of a hiker who stops
# after every step. The ball carries speed from one moment to the next. We
# give descent the same memory with a **velocity** $v$, a running total of
# the gradients $g$. Each step first updates the velocity, then moves along it:
#
# $$v \leftarrow \beta v + g, \qquad a \leftarrow a - \eta v$$
#
# The number $\beta$ (beta), called the **momentum**, lies between 0 and 1:
# it is the fraction of the old velocity that survives each step. So $v$ is
# the newest gradient, plus $\beta$ times the one before, plus $\beta^2$ times
# the one before that, and so on: old gradients fade away.
#
# What does such a sum do with a gradient that keeps its sign? Feed it a
# made-up gradient that is always 1, no descent yet, with $\beta = 0.9$:


# %%
def velocities(gradients, momentum):
    """The velocity after each gradient, starting from zero."""
    v, history = 0., []
    for g in gradients:
        v = momentum*v + g
        history.append(v)
    return history


steady = velocities([1.] * 60, 0.9)
print("velocity:", [round(v, 2) for v in steady[:4]], "...",
      round(steady[-1], 3))
assert abs(steady[-1] - 1 / (1 - 0.9)) < 0.02

# %% [markdown]
# The velocity grows towards 10, ten times a single gradient. Where does 10
# come from? Once $v$ stops changing, $v = 0.9\,v + 1$, so
# $v = 1 / (1 - 0.9)$. Along the valley floor the gradient points the same
# way step after step, so there the steps become up to $1 / (1 - \beta)$
# times longer. Across the valley the gradient changes sign as the path
# zig-zags; what momentum does there needs more care, and we come back to it
# once we can measure it.

# %% [markdown]
# ## The heavy ball by hand
#
# Here is the loop of the gradient-descent lesson with two changes: a
# velocity that starts at zero, and a step along the velocity instead of
# along the gradient. We use $\beta = 0.8$.

# %%
momentum = 0.8
a = nn.Parameter(torch.tensor([1.,1]))
velocity = torch.zeros(2)
path = [a.detach().clone()]
for _ in range(100):
    loss = gd.mse(x@a, y)
    loss.backward()
    with torch.no_grad():
        velocity = momentum*velocity + a.grad  # remember, then add
        a.sub_(lr*velocity)  # step along the velocity
        a.grad.zero_()
    path.append(a.detach().clone())
path = torch.stack(path)
print(f"loss after 100 steps: {gd.mse(x@a, y).item():.4f}"
      f" (floor {floor:.4f})")
assert gd.mse(x@a, y).item() < 1.001 * floor

# %% [markdown]
# With the same learning rate, the same start and the same 100 steps, the
# loss is now on the floor.

# %% [markdown]
# ## The same, with torch.optim.SGD
#
# `torch.optim.SGD` has this rule built in: pass `momentum=0.8`. The
# optimizer keeps the velocity for each parameter in its `state`, under the
# name `"momentum_buffer"`. On its very first step torch sets the velocity to
# the gradient itself, which is what our zero start gives too
# ($0.8 \cdot 0 + g = g$). (`SGD` has two more settings that would change
# the rule, `dampening` and `nesterov`; both are off unless you ask, which
# the code checks.) We run the PyTorch loop from the same start and compare
# every step, and the velocities.

# %%
b = nn.Parameter(torch.tensor([1.,1]))
opt = torch.optim.SGD([b], lr=lr, momentum=momentum)
assert opt.defaults["dampening"] == 0 and not opt.defaults["nesterov"]
torch_path = [b.detach().clone()]
for step in range(100):
    opt.zero_grad()
    gd.mse(x@b, y).backward()
    opt.step()
    if step == 0:  # torch's first velocity is the first gradient
        assert torch.equal(opt.state[b]["momentum_buffer"], b.grad)
    torch_path.append(b.detach().clone())
torch_path = torch.stack(torch_path)
difference = (torch_path - path).abs().max().item()
print(f"largest difference over 101 positions: {difference:.1e}")
assert torch.allclose(torch_path, path, atol=1e-5)
assert torch.allclose(opt.state[b]["momentum_buffer"], velocity, atol=1e-4)

# %% [markdown]
# The two agree at every step, up to rounding in the last digits of a
# float. From here on we let [`gd.train`](../reference.md#gd.train) run this
# PyTorch loop for us: it takes the optimizer's settings as keywords and
# returns a `History`, like `gd.fit`.

# %%
heavy = gd.train(x, y, start, lr=lr, momentum=momentum, steps=100)
assert torch.allclose(heavy.params, torch_path)

# %% [markdown]
# ## Two special cases: no memory, and no forgetting
#
# With $\beta = 0$ the velocity is just the newest gradient, so momentum is
# plain gradient descent: `gd.train` with `momentum=0` retraces `gd.fit`.

# %%
no_memory = gd.train(x, y, start, lr=lr, momentum=0, steps=100)
assert torch.allclose(no_memory.params, plain.params, atol=1e-5)

# %% [markdown]
# With $\beta = 1$ nothing fades: the velocity is the plain sum of every
# gradient so far. You have met that sum before. When the loop forgot
# `a.grad.zero_()`, `backward()` kept adding each new gradient to `a.grad`,
# so every step used the running sum of all the gradients so far. Below, the
# forgetful loop (with a small learning rate) against `torch.optim.SGD` with
# `momentum=1`:

# %%
a = nn.Parameter(torch.tensor([1.,1]))
forgetful = []
for _ in range(30):
    loss = gd.mse(x@a, y)
    loss.backward()
    with torch.no_grad():
        a.sub_(0.001*a.grad)  # no a.grad.zero_(): a.grad is a running sum
    forgetful.append(loss.item())
no_decay = gd.train(x, y, start, lr=0.001, momentum=1, steps=30)
print("losses:", [round(v) for v in forgetful[:12]], "...")
assert torch.allclose(torch.tensor(no_decay.losses),
                      torch.tensor(forgetful), rtol=1e-4)
assert torch.allclose(no_decay.params[-1], a.detach(), atol=1e-5)
# down near the floor, then back above where it started
assert min(forgetful) < 2 and max(forgetful[10:]) > forgetful[0]

# %% [markdown]
# The same numbers: forgetting `zero_()` *is* momentum with $\beta = 1$. And
# that is why the loss swung up and down in that lesson: a velocity that
# never forgets keeps its speed forever, so the ball rolls through the bottom
# and up the other side, again and again.

# %% [markdown]
# ## One direction at a time
#
# As in the learning-rate lesson, we split the distance from the answer into
# its parts along the two directions, the columns of `directions`. Call $e$
# the part along a direction of curvature $\lambda$. There the gradient is
# $\lambda e$, and torch's two lines read
#
# $$v_{t+1} = \beta v_t + \lambda e_t, \qquad e_{t+1} = e_t - \eta v_{t+1}.$$
#
# The second line, one step earlier, says $\eta v_t = e_{t-1} - e_t$. Put
# that into the first and the velocity disappears:
#
# $$e_{t+1} = (1 + \beta - \eta\lambda)\, e_t - \beta\, e_{t-1}.$$
#
# Each offset follows from the two before it: a **two-step recurrence**, one
# per direction, with nothing shared between them. (The very first step has
# no step before it: torch's first velocity is the gradient, so
# $e_1 = (1 - \eta\lambda)\, e_0$, a plain step.) With $\beta = 0$ it is the
# plain descent of the learning-rate lesson, $e_{t+1} = (1 - \eta\lambda)
# e_t$. We check the recurrence on the torch run `heavy`, in both
# directions:

# %%
offsets = (heavy.params - best) @ directions  # columns: along, across
for k, curvature in enumerate(curvatures.tolist()):
    e = offsets[:, k]
    s = 1 + momentum - lr*curvature
    gap = (e[2:] - (s*e[1:-1] - momentum*e[:-2])).abs().max().item()
    print(f"curvature {curvature:6.3f}: 1 + beta - lr*curvature = {s:+.3f},"
          f" largest miss {gap:.0e}")
    assert gap < 1e-5 and torch.isclose(e[1], (1 - lr*curvature) * e[0])

# %% [markdown]
# The recurrence predicts every step to within float32 rounding.

# %% [markdown]
# ## How fast a direction shrinks: the roots
#
# Try an offset that shrinks by the same factor $z$ at every step,
# $e_t = z^t$. The recurrence holds when
#
# $$z^2 - (1 + \beta - \eta\lambda)\, z + \beta = 0.$$
#
# This quadratic equation has two roots $z_1, z_2$, and every run is a mix
# $c_1 z_1^t + c_2 z_2^t$: in the long run the root of larger size wins. So
# the **rate** of a direction, the factor by which its offset shrinks per
# step in the long run, is the larger of $|z_1|$ and $|z_2|$. Two cases:
#
# - **Real roots**, when $(1 + \beta - \eta\lambda)^2 \ge 4\beta$: the
#   offset shrinks steadily (or flips sign, if the root is negative). With
#   $\beta = 0$ the one root is $1 - \eta\lambda$, plain descent's factor.
# - **Complex roots**, when $(1 - \sqrt\beta)^2 < \eta\lambda <
#   (1 + \sqrt\beta)^2$: the two roots are a conjugate pair whose product is
#   $\beta$, so each has size exactly $\sqrt\beta$. The offset swings back and
#   forth inside an envelope that shrinks by $\sqrt\beta$ per step, whatever
#   $\eta$ and $\lambda$ are.
#
# Only the product $\eta\lambda$ enters, so we can study one direction on its
# own: the 1-D bowl $w^2/2$ (curvature 1) with learning rate $\eta\lambda$.
# `factor` below solves the equation; `run_1d` runs `torch.optim.SGD` on the
# bowl from $w = 1$, in float64 so that the tiny offsets of late steps are
# not lost to rounding; `rate` measures the factor per step on a run. Because
# a swinging offset passes close to zero, `rate` compares the largest offset
# in a window of steps around each end, not single steps.

# %%
def factor(lr_curvature, momentum):
    """The rate formula: the larger size of the two roots."""
    s = 1 + momentum - lr_curvature
    root = cmath.sqrt(s*s - 4*momentum)  # imaginary when s*s < 4*beta
    return max(abs((s + root) / 2), abs((s - root) / 2))


def run_1d(lr_curvature, momentum, steps=400, nesterov=False):
    """The offsets of torch's SGD on w**2 / 2 from w = 1, in float64."""
    run = gd.descend(lambda w: (w**2).sum() / 2,
                     torch.tensor([1.], dtype=torch.float64),
                     lr=lr_curvature, momentum=momentum, nesterov=nesterov,
                     steps=steps)
    return run.params[:, 0]


def rate(offsets, first=100, last=300, width=50):
    """The measured factor per step from step `first` to step `last`."""
    ends = [offsets[t:t + width].abs().max() for t in (first, last)]
    return (ends[1] / ends[0]).item() ** (1 / (last - first))


print("lr*curvature  beta  roots    measured  formula")
for h, beta in [(1.9, 0), (0.01, 0.5), (0.1, 0.5), (2.9, 0.5),
                (0.1, 0.9), (1.9, 0.9), (3.7, 0.9)]:
    s = 1 + beta - h
    roots = "complex" if s*s < 4*beta else "real"
    measured, formula = rate(run_1d(h, beta)), factor(h, beta)
    print(f"{h:12} {beta:5}  {roots:8} {measured:.4f}    {formula:.4f}")
    assert abs(measured - formula) < 0.01 * formula

# %% [markdown]
# Every measured rate matches the formula to within 1%. Note the three
# complex rows with $\beta = 0.9$: whether $\eta\lambda$ is 0.1, 1.9 or 3.7,
# the rate is $\sqrt{0.9} \approx 0.949$.

# %% [markdown]
# ## The stability limit
#
# A direction stops converging when a root has size 1 or more. For
# $0 \le \beta < 1$ and $\eta\lambda > 0$ that happens exactly when
#
# $$\eta\lambda \ge 2(1 + \beta).$$
#
# At the edge, $\eta\lambda = 2(1 + \beta)$, one root is exactly $-1$ (put
# $z = -1$ into the equation: $1 + 1 + \beta - \eta\lambda + \beta = 0$),
# a zig-zag that never shrinks. Below the limit both roots lie inside the
# unit circle. So momentum raises plain descent's limit, $\eta\lambda < 2$,
# towards 4 as $\beta$ nears 1 (with $\beta \ge 1$ the product of the roots
# is at least 1 and nothing converges). The 1-D runs just below and just
# above the limit:

# %%
print("beta  limit  rate at 0.98 limit  at 1.02 limit")
for beta in (0, 0.5, 0.9):
    edge = 2 * (1 + beta)
    below, above = (rate(run_1d(f * edge, beta)) for f in (0.98, 1.02))
    print(f"{beta:4}  {edge:5.1f}  {below:18.4f}  {above:13.4f}")
    assert below < 1 < above
print("on the valley, lr limit for beta = 0, 0.5, 0.9:",
      [round(2 * (1 + b) / curvatures[1].item(), 4) for b in (0, 0.5, 0.9)])

# %% [markdown]
# ## Why more momentum damps the zig-zag less
#
# A common explanation says that across the valley the gradient flips sign
# at every step, so that in the velocity the flips cancel and the zig-zag
# dies. Test it: run the valley with several momenta, count how often the
# offset across the valley changes sign in the first 40 steps, and measure
# both directions' rates against `factor` (in float64 again: the fast rates
# leave offsets below float32's rounding within 60 steps).

# %%
x64, y64 = x.double(), y.double()
curv64, dirs64 = torch.linalg.eigh(2 / len(y) * x64.T @ x64)
best64 = torch.linalg.lstsq(x64, y64.unsqueeze(1)).solution.squeeze(1)
runs = {}
print("beta  sign changes  turn   across: rate  formula   along: rate"
      "  formula")
for beta in (0, 0.5, 0.8, 0.9, 0.95):
    run = gd.train(x64, y64, start.double(), lr=lr, momentum=beta,
                   steps=200)
    off = (run.params - best64) @ dirs64  # columns: along, across
    runs[beta] = off
    changes = int((off[1:41, 1].sign() != off[:40, 1].sign()).sum())
    s = 1 + beta - lr*curv64[1].item()
    d = cmath.sqrt(s*s - 4*beta)
    root = max((s + d) / 2, (s - d) / 2, key=abs)  # the root across
    turn = abs(math.degrees(cmath.phase(root)))  # 180: a flip
    across = rate(off[:, 1], 10, 60, width=10), factor(lr*curv64[1], beta)
    along = rate(off[:, 0], 50, 150, width=10), factor(lr*curv64[0], beta)
    print(f"{beta:4}  {changes:12}  {turn:4.0f}  {across[0]:12.4f}"
          f"  {across[1]:7.4f}  {along[0]:11.4f}  {along[1]:7.4f}")
    assert abs(across[0] - across[1]) < 0.01 * across[1]
    assert abs(along[0] - along[1]) < 0.01 * along[1]
    assert changes == 40 if beta == 0 else changes <= 25
zigzag = {b: factor(lr*curv64[1], b) for b in runs}  # the rates across
assert zigzag[0.5] < zigzag[0.8] < zigzag[0] < zigzag[0.9] < zigzag[0.95]
plain_across = abs(1 - lr*curv64[1].item())
assert factor(lr*curv64[1], 0.87) < plain_across < factor(lr*curv64[1], 0.89)
complex_from = (math.sqrt(lr*curv64[1]) - 1) ** 2  # (1 + sqrt(b))^2 = lr*L
print(f"roots across are complex for beta > {complex_from:.2f}")
assert 0.15 < complex_from < 0.16

# %% [markdown]
# Without momentum the offset across flips at every step, 40 times in 40
# steps. With momentum it changes sign only about every other step: it does
# not flip, it *turns*. The roots across the valley are complex for every
# $\beta$ above 0.15 here, and a complex pair turns the offset by an angle
# per step (the column "turn", in degrees: about a quarter turn, where a flip
# is a half turn) while shrinking it by $\sqrt\beta$.
# That size depends on $\beta$ alone, not on the learning rate or the
# curvature: the ball loses speed only through the fraction $1 - \beta$ of
# its velocity dropped at each step, its friction. More momentum is less
# friction, so **the zig-zag dies more slowly as $\beta$
# grows**: $\sqrt{0.5} \approx 0.71$, $\sqrt{0.8} \approx 0.89$, and from
# $\beta \approx 0.94^2 \approx 0.88$ on, the zig-zag lasts longer than with
# no momentum at all, whose factor across is $|1 - \eta\lambda| = 0.94$.
#
# So why is $\beta = 0.8$ good here? Along the floor, the build-up of the
# velocity turned the crawl's factor from 0.987 into 0.894, and across, 0.8
# is still below 0.88. Both directions end up at $\sqrt{0.8}$. The figure
# shows the runs with $\beta$ = 0, 0.8 and 0.95, on a log scale.

# %%
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

fig = plt.figure(figsize=(4.4, 4.2), layout="constrained")
top, bottom = fig.subplots(2, 1, sharex=True)
for beta in (0, 0.8, 0.95):
    top.plot(runs[beta][:101, 1].abs(), label=f"momentum {beta}")
    bottom.plot(runs[beta][:101, 0].abs(), label=f"momentum {beta}")
for ax, title in ((top, "across the valley"),
                  (bottom, "along the valley floor")):
    ax.set(yscale="log", ylabel="distance", title=title)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
bottom.set_xlabel("step")
top.legend()
gd.describe(fig, "Distance to the answer against step, on a log scale, "
            "for momentum 0, 0.8 and 0.95. Across the valley momentum 0.8 "
            "shrinks fastest and 0.95 slowest, slower than no momentum. "
            "Along the floor no momentum crawls, ending at "
            f"{runs[0][100, 0].abs():.2f}; momentum 0.8 gets below "
            f"{runs[0.8][100, 0].abs():.0e}.");

# %% [markdown]
# On the landscape, the plain and the $\beta = 0.8$ paths from $(1, 1)$,
# drawn by [`gd.plot_paths`](../reference.md#gd.plot_paths): plain descent
# bounces between the walls and stops short of the star; the heavy ball
# swings wider at first but rolls all the way to the bottom.

# %%
gd.plot_paths(x, y, plain, heavy, labels=["plain", "momentum 0.8"])

# %% [markdown]
# ## The best settings for a valley: Polyak's heavy ball
#
# Every direction whose roots are complex shrinks by $\sqrt\beta$, and a
# direction with real roots shrinks more slowly than that (two real roots
# with product $\beta$: the larger is at least $\sqrt\beta$). So the best one
# can hope for is to put *every* curvature from the gentlest, $\mu$, to the
# steepest, $L$, inside the complex band, with $\beta$ as small as the band
# allows. That means the two ends of the band sit exactly on the two
# curvatures: $(1 - \sqrt\beta)^2 = \eta\mu$ and $(1 + \sqrt\beta)^2 =
# \eta L$. Adding and subtracting the square roots gives **Polyak's**
# settings (Boris Polyak, 1964), with $\kappa = L/\mu$:
#
# $$\eta^* = \frac{4}{(\sqrt L + \sqrt\mu)^2}, \qquad
# \beta^* = \left(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\right)^2,
# \qquad \text{rate } \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}.$$
#
# Plain descent's best, for comparison, is $\eta = 2/(L + \mu)$, where the
# two directions' factors $1 - \eta\mu$ and $1 - \eta L$ are equal and
# opposite: rate $(\kappa - 1)/(\kappa + 1)$. We measure all four rates
# (two methods, two directions) with `run_1d`, over 1000 steps, and search a
# grid of pairs $(\eta, \beta)$ for anything better than Polyak's:

# %%
mu, L = curv64.tolist()
kappa = L / mu
lr_best = 4 / (L**0.5 + mu**0.5) ** 2
beta_best = ((kappa**0.5 - 1) / (kappa**0.5 + 1)) ** 2
heavy_rate = (kappa**0.5 - 1) / (kappa**0.5 + 1)
plain_rate = (kappa - 1) / (kappa + 1)
print(f"kappa {kappa:.1f}: lr* = {lr_best:.4f}, beta* = {beta_best:.4f}")
for name, r, beta, formula in [("plain, lr 2/(L+mu)", 2 / (L + mu), 0,
                                plain_rate),
                               ("Polyak", lr_best, beta_best, heavy_rate)]:
    measured = [rate(run_1d(r*c, beta, steps=1100), 200, 1000)
                for c in (mu, L)]
    print(f"{name:>18}: measured {measured[0]:.4f} (gentle), "
          f"{measured[1]:.4f} (steep); formula {formula:.4f}")
    assert all(abs(m - formula) < 0.005 * formula for m in measured)
grid = min(max(factor(r*mu, b), factor(r*L, b))
           for r in torch.linspace(0.01, 0.055, 91).tolist()
           for b in torch.linspace(0, 0.95, 96).tolist())
print(f"best rate on a grid of 91 x 96 pairs: {grid:.4f}")
assert grid > heavy_rate - 1e-3

# %% [markdown]
# Polyak's rate is 0.849 per step against plain descent's 0.987. Steps needed
# grow like $1 / (-\ln \text{rate})$, and for large $\kappa$,
# $-\ln\frac{\kappa-1}{\kappa+1} \approx 2/\kappa$ while
# $-\ln\frac{\sqrt\kappa-1}{\sqrt\kappa+1} \approx 2/\sqrt\kappa$: momentum
# needs about $\sqrt\kappa$ times fewer steps, here about 12 times. On the
# valley itself, in float64, the steps until the distance to the answer has
# shrunk 1000-, a million- and a billion-fold:

# %%
plain_best = gd.train(x64, y64, start.double(), lr=2 / (L + mu), steps=2200)
polyak = gd.train(x64, y64, start.double(), lr=lr_best, momentum=beta_best,
                  steps=2200)
print(f"sqrt(kappa) = {kappa**0.5:.2f}; ratio of -log rates: "
      f"{math.log(heavy_rate) / math.log(plain_rate):.2f}")
ratios = []
for shrink in (1e3, 1e6, 1e9):
    needed = []
    for run in (plain_best, polyak):
        distance = (run.params - best64).norm(dim=1)
        needed.append(int((distance > distance[0] / shrink).sum()))
    ratios.append(needed[0] / needed[1])
    print(f"shrink {shrink:.0e}: plain {needed[0]:4} steps, Polyak "
          f"{needed[1]:3} steps, {ratios[-1]:.1f} times fewer")
assert abs(math.log(heavy_rate) / math.log(plain_rate) / kappa**0.5 - 1) \
    < 0.01
assert ratios[0] < ratios[1] < ratios[2] < kappa**0.5

# %% [markdown]
# Momentum needs 7 to 10 times fewer steps, and the gain grows the further
# we go, towards $\sqrt\kappa$. It stays below $\sqrt\kappa$ because
# Polyak's settings put each extreme direction exactly on an edge of the
# band, where the two roots coincide: there the offset shrinks like
# $t\,r^t$ instead of $r^t$, and the extra factor $t$ costs a few dozen
# steps.
#
# The conditions matter. These formulas hold for a quadratic loss, whose
# curvatures stay the same everywhere, and they need $\mu$ and $L$. A
# neural network's curvature changes from place to place and nobody knows
# its $\mu$; on some smooth losses that are not quadratics, heavy ball with
# Polyak's settings can even fail to converge (Lessard, Recht and Packard,
# 2016). In practice $\beta$ is set by rule of thumb (0.9 is common) and the
# learning rate tuned with it.

# %% [markdown]
# ## Too much momentum
#
# With $\beta = 0.99$ both directions have complex roots of size
# $\sqrt{0.99} \approx 0.995$: after 100 steps about 60% of the distance is
# still there. The loss also alternates from one step to the next, so a
# print of every 10th step would mislead; we print that first, then ten
# steps in a row, then the largest loss of each block of ten steps.

# %%
slippery = gd.train(x, y, start, lr=lr, momentum=0.99, steps=100)
losses = slippery.losses
print("every 10th step:", [round(v, 1) for v in losses[::10]])
print("steps 90 to 99: ", [round(v, 1) for v in losses[90:]])
print("largest of each 10:", [round(max(losses[k:k + 10]))
                              for k in range(0, 100, 10)])
s = 1 + 0.99 - lr*curvatures[1].item()
turn = math.degrees(math.acos(s / (2 * 0.99**0.5)))
print(f"turn per step across the valley: {turn:.1f} degrees; "
      f"0.99 ** 50 = {0.99**50:.2f}, 0.99 ** 100 = {0.99**100:.2f}")
assert losses[90] < 10 < 100 < losses[91]  # the every-10th print misleads
assert all(max(losses[k:k + 10]) > 100 for k in range(0, 100, 10))
assert max(losses) > losses[0]  # it climbs past the start
up = [b > a for a, b in zip(losses, losses[1:], strict=False)]
assert sum(u != w for u, w in zip(up, up[1:], strict=False)) > 90
gd.plot_losses(plain, heavy, slippery,
               labels=["plain", "momentum 0.8", "momentum 0.99"])

# %% [markdown]
# Printed every 10th step, the loss seems to come down smoothly to 3.6 by
# step 90; in fact every other step it is above 100. Across the valley the
# offset turns by almost exactly a quarter turn per step, so the loss, its
# square, is high and low on alternate steps; sampling every 10th step picks
# a phase of that rhythm that drifts only slowly, and draws a slow wave that
# is not there. The largest loss of each block of ten steps shows the
# truth: it first rises past the start, and is still above 100 at the end.
# An envelope shrinking by $\sqrt{0.99}$ per step keeps $0.99^{50} \approx
# 0.6$ of its size in 100 steps, and the loss, which goes with its square,
# $0.99^{100} \approx 0.37$.

# %% [markdown]
# ## Nesterov momentum
#
# `torch.optim.SGD(..., nesterov=True)` changes one line: after updating
# the velocity, it steps along the gradient *plus* $\beta$ times the new
# velocity, as if it looked one velocity step ahead:
#
# $$v \leftarrow \beta v + g, \qquad a \leftarrow a - \eta\,(g + \beta v).$$
#
# (This is torch's own form; it follows Sutskever, Martens, Dahl and Hinton,
# 2013, who rewrote Nesterov's 1983 method as a momentum method.) The same
# elimination of $v$ as before gives, per direction,
#
# $$e_{t+1} = (1 + \beta)(1 - \eta\lambda)\, e_t
#   - \beta (1 - \eta\lambda)\, e_{t-1}.$$
#
# Both momentum terms are now multiplied by $1 - \eta\lambda$. The product of
# the roots is $\beta(1 - \eta\lambda)$, so complex roots have size
# $\sqrt{\beta(1 - \eta\lambda)}$, smaller than heavy ball's $\sqrt\beta$
# when $0 < \eta\lambda < 1$. At $z = -1$ the equation gives its own
# stability limit,
#
# $$\eta\lambda < \frac{2(1 + \beta)}{1 + 2\beta},$$
#
# which is *below* plain descent's 2 for every $\beta > 0$ (about 1.36 for
# $\beta = 0.9$, and 4/3 as $\beta$ nears 1). We check the recurrence, the
# rates and the limit on torch runs:


# %%
def nesterov_factor(lr_curvature, momentum):
    """The rate formula with nesterov=True."""
    c = 1 - lr_curvature
    s, product = (1 + momentum) * c, momentum * c
    root = cmath.sqrt(s*s - 4*product)
    return max(abs((s + root) / 2), abs((s - root) / 2))


e = run_1d(0.3, 0.8, steps=50, nesterov=True)
gap = (e[2:] - (1.8*0.7*e[1:-1] - 0.8*0.7*e[:-2])).abs().max().item()
print(f"recurrence, largest miss: {gap:.0e}")
assert gap < 1e-12
print("lr*curvature  heavy ball  Nesterov: measured  formula")
for h in (0.1, 0.5, 1.3):
    measured = rate(run_1d(h, 0.9, nesterov=True))
    print(f"{h:12}  {factor(h, 0.9):10.4f}  {measured:18.4f}"
          f"  {nesterov_factor(h, 0.9):7.4f}")
    assert abs(measured - nesterov_factor(h, 0.9)) < 0.01 * measured
for beta in (0.5, 0.9):
    edge = 2 * (1 + beta) / (1 + 2*beta)
    below, above = (rate(run_1d(f * edge, beta, nesterov=True))
                    for f in (0.98, 1.02))
    print(f"beta {beta}: limit {edge:.3f}, rate at 0.98 limit "
          f"{below:.4f}, at 1.02 limit {above:.4f}")
    assert below < 1 < above

# %% [markdown]
# On our valley that has two consequences. At the rate of this lesson, 0.027,
# the steep direction's $\eta\lambda = 1.94$ is far past Nesterov's limit:
# with $\beta = 0.8$ it diverges, where heavy ball converged. At a smaller
# rate it helps where $\eta\lambda$ is large, across the valley, and hardly
# at all along the floor, where $\eta\lambda \approx 0$. With $\eta = 1/L$
# and $\beta = 0.9$, the steps until each direction has shrunk a
# million-fold, and the best rate each method reaches on a grid of settings:

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)  # we check .diverged
    ahead = gd.train(x, y, start, lr=lr, momentum=0.8, nesterov=True)
assert ahead.diverged and lr*L > 2 * 1.8 / 2.6
print(f"lr {lr}, beta 0.8, nesterov: diverged = {ahead.diverged}")
needed = {}
for nesterov in (False, True):
    run = gd.train(x64, y64, start.double(), lr=1 / L, momentum=0.9,
                   nesterov=nesterov, steps=400)
    off = ((run.params - best64) @ dirs64).abs()
    needed[nesterov] = [int((off[:, k] > off[0, k] / 1e6).sum())
                        for k in (1, 0)]  # across, along
    print(f"nesterov={nesterov!s:5}: across {needed[nesterov][0]:3} steps,"
          f" along {needed[nesterov][1]} steps")
assert needed[True][0] < 5 < 200 < needed[False][0]
assert 0.8 * needed[False][1] < needed[True][1] < needed[False][1]
grid = min(max(nesterov_factor(r*mu, b), nesterov_factor(r*L, b))
           for r in torch.linspace(0.005, 0.03, 101).tolist()
           for b in torch.linspace(0, 0.95, 96).tolist())
print(f"best rate on a grid: Nesterov {grid:.3f}, heavy ball (Polyak) "
      f"{heavy_rate:.3f}")
assert grid > heavy_rate + 0.03

# %% [markdown]
# With $\eta = 1/L$ the steep direction's $1 - \eta\lambda$ is 0, so
# Nesterov wipes out the zig-zag in two steps, where heavy ball swings for
# more than 200. Along the floor it gains only a little. And tuned to its
# best, on this quadratic it is slower than Polyak's heavy ball. So
# Nesterov helps when a large $\beta$ leaves a zig-zag that would otherwise
# linger, provided the learning rate stays below its lower limit. Its real
# strength lies beyond quadratics: with suitable settings, Nesterov's method
# (Nesterov, 1983) comes with a proven speed-up on every smooth convex loss,
# a guarantee heavy ball lacks.

# %% [markdown]
# ## Try it yourself
#
# Below, `gd.sweep` ran `gd.train` 100 steps from $(1, 1)$ on this valley for
# every pair of a learning rate and a momentum, when this page was built.
# Before you play, the formulas: the rate of the slower of the two
# directions for every pair in the explorer's grid (above 1: it diverges).

# %%
grid_lrs, grid_betas = [0.01, 0.027, 0.04, 0.06], [0, 0.5, 0.8, 0.9, 0.95]


def slowest(r, beta):
    """The rate of the slower direction of the valley, from the formula."""
    return max(factor(r*c, beta) for c in curvatures.tolist())


print("  lr  momentum:" + "".join(f"{b:>7}" for b in grid_betas))
for r in grid_lrs:
    print(f"{r:5}          " + "".join(f"{slowest(r, b):7.3f}"
                                     for b in grid_betas))
print(f"4 / L = {4 / curvatures[1]:.4f}, "
      f"limit with momentum 0.5: {3 / curvatures[1]:.4f}")

# %% [markdown]
# Things to look for, each read off the table: with momentum 0, the largest
# safe rate, 0.027, crawls (rate 0.987: $0.987^{100} \approx 0.27$ of the
# distance is left); with 0.8 the same rate arrives (0.894: about
# $10^{-5}$ left); 0.95 keeps swinging ($\sqrt{0.95} \approx 0.975$: 8%
# left); a rate of 0.04 diverges without momentum ($0.04\,L > 2$) but not
# with it (the limit $2(1+\beta)/L$ is 0.042 already for $\beta = 0.5$);
# and 0.06 is above $4/L$, too large for every momentum below 1.

# %%
explorer = gd.sweep(
    lambda lr, momentum: gd.train(x, y, start, lr=lr, momentum=momentum,
                                  steps=100),
    gd.line_loss(x, y), x=x, y=y, lr=grid_lrs, momentum=grid_betas)
explorer

# %% [markdown]
# The checks: every run diverged exactly where the formula's rate is above
# 1, and the hints hold on the runs.

# %%
run = explorer.history
for r in grid_lrs:
    for b in grid_betas:
        assert run(lr=r, momentum=b).diverged == (slowest(r, b) > 1)
assert slowest(0.027, 0) ** 100 > 0.25 and slowest(0.027, 0.8) ** 100 < 1e-4
assert slowest(0.027, 0.95) ** 100 > 0.05
assert run(lr=0.027, momentum=0).losses[-1] > 1.2 * floor
assert run(lr=0.027, momentum=0.8).losses[-1] < 1.001 * floor
assert run(lr=0.027, momentum=0.95).losses[-1] > 2 * floor
assert 0.04 < 3 / curvatures[1] and 4 / curvatures[1] < 0.06

# %% [markdown]
# ## Summary
#
# - Momentum keeps a velocity, $v \leftarrow \beta v + g$, and steps along
#   it, $a \leftarrow a - \eta v$. Gradients that keep their sign add up to
#   as much as $1 / (1 - \beta)$ times one gradient.
# - `torch.optim.SGD(params, lr=..., momentum=beta)` is exactly this rule; its
#   velocity is `opt.state[p]["momentum_buffer"]`, and its first velocity is
#   the first gradient. $\beta = 0$ is plain gradient descent; $\beta = 1$
#   never forgets and is what forgetting `a.grad.zero_()` did.
# - On a quadratic, each direction of curvature $\lambda$ follows
#   $e_{t+1} = (1 + \beta - \eta\lambda)e_t - \beta e_{t-1}$. Its rate is
#   the larger root of $z^2 - (1 + \beta - \eta\lambda)z + \beta = 0$:
#   $|1 - \eta\lambda|$ without momentum, exactly $\sqrt\beta$ when the roots
#   are complex. It is stable for $\eta\lambda < 2(1 + \beta)$.
# - Across a valley the offset does not flip, it turns, and shrinks by
#   $\sqrt\beta$: more momentum damps the zig-zag *less*. Along the floor
#   momentum speeds up the crawl.
# - Polyak's $\eta^* = 4/(\sqrt L + \sqrt\mu)^2$,
#   $\beta^* = ((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2$ give the rate
#   $(\sqrt\kappa - 1)/(\sqrt\kappa + 1)$, against plain descent's best
#   $(\kappa - 1)/(\kappa + 1)$: about $\sqrt\kappa$ times fewer steps, on a
#   quadratic whose $\mu$ and $L$ are known.
# - Nesterov's variant (`nesterov=True`) shrinks complex roots to
#   $\sqrt{\beta(1 - \eta\lambda)}$ but lowers the limit to
#   $\eta\lambda < 2(1 + \beta)/(1 + 2\beta)$; it damps a zig-zag fast at a
#   small enough rate, and barely changes the crawl along the floor.
#
# Momentum gives every direction the same learning rate and fixes the speed
# with memory. The next idea gives each parameter a step size of its own.
# Continue with the [next lesson](15-rmsprop-and-adam.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A parameter `p` starts at 0 and its
# loss is `2 * p`, so its gradient is always 2. Take two steps with
# `torch.optim.SGD([p], lr=0.1, momentum=0.9)`. Predict the momentum buffer
# and `p` after the second step.

# %% tags=["solution"]
p = nn.Parameter(torch.tensor(0.))
opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
for _ in range(2):
    opt.zero_grad()
    (2 * p).backward()
    opt.step()
buffer = opt.state[p]["momentum_buffer"]
print(f"buffer: {buffer.item():.4f}   p: {p.item():.4f}")
# First velocity: the gradient, 2. Second: 0.9 * 2 + 2 = 3.8.
assert torch.isclose(buffer, torch.tensor(3.8))
# p moved by 0.1 * 2 and then by 0.1 * 3.8: to -0.58 in all.
assert torch.isclose(p.detach(), torch.tensor(-0.58))

# %% [markdown]
# **Exercise 2 (break it and explain).** In the heavy-ball loop, delete the
# line `a.grad.zero_()` and run 30 steps with `lr = 0.027` and
# $\beta = 0.8$. What happens to the loss, and why?

# %% tags=["solution"]
a = nn.Parameter(torch.tensor([1.,1]))
velocity = torch.zeros(2)
broken = []
for _ in range(30):
    loss = gd.mse(x@a, y)
    loss.backward()
    with torch.no_grad():
        velocity = 0.8*velocity + a.grad
        a.sub_(0.027*velocity)  # the broken loop: a.grad is never cleared
    broken.append(loss.item())
print(f"loss: first {broken[0]:.1f}, last {broken[-1]:.3g}")
# a.grad never forgets: it is the plain sum of all gradients so far. The
# velocity then adds up those sums with fading weights, so a gradient from
# k steps back is counted 1 + 0.8 + ... + 0.8**k times: towards
# 1 / (1 - 0.8) = 5, and never fading. In the long run that is momentum
# with beta = 1 and a rate 5 times larger, and across the valley
# 5 * 0.027 * L is far above that setting's limit, 2 * (1 + 1) = 4.
weights = velocities([1.] * 30, 0.8)  # the counts of an old gradient
assert abs(weights[-1] - 5) < 0.01 and 5 * 0.027 * curvatures[1] > 4
assert broken[-1] > 1e6 * broken[0]

# %% [markdown]
# **Exercise 3 (practice).** A learning rate of 0.04 is above the limit of
# plain descent for this valley. From the limit $\eta\lambda < 2(1+\beta)$,
# find the largest learning rate for momentum 0.8, and use `factor` to
# predict what fraction of the distance to the answer is left after 100
# steps at 0.04. Check both with `gd.train`: 0.04 and a rate 4% above the
# limit.

# %% tags=["solution"]
edge = 2 * (1 + 0.8) / curvatures[1].item()
kept = slowest(0.04, 0.8) ** 100
with warnings.catch_warnings():
    warnings.simplefilter("ignore", RuntimeWarning)  # we check .diverged
    too_fast = gd.train(x, y, start, lr=1.04 * edge, momentum=0.8,
                        steps=100)
rescued = gd.train(x, y, start, lr=0.04, momentum=0.8, steps=100)
left = ((rescued.params[-1] - best).norm() / (start - best).norm()).item()
print(f"limit for momentum 0.8: {edge:.4f}")
print(f"fraction left at 0.04: predicted {kept:.1e}, measured {left:.1e}")
print(f"at {1.04 * edge:.4f}: loss {too_fast.losses[0]:.0f} -> "
      f"{too_fast.losses[-1]:.1e}")
# Both directions have complex roots at 0.04, so both shrink by
# sqrt(0.8) per step; the constant in front of the powers is near 1 here.
assert 0.04 < edge and kept / 10 < left < 10 * kept
assert too_fast.diverged or too_fast.losses[-1] > too_fast.losses[0]

# %% [markdown]
# **Exercise 4 (practice).** Use `velocities` to check the sum behind the
# velocity: with $\beta = 0.5$ and the gradients 4, 2, 1, the final velocity
# should be $1 + 0.5 \cdot 2 + 0.25 \cdot 4$. Then find how many steps of a
# constant gradient 1 it takes, with $\beta = 0.9$, to reach 90% of the
# settled velocity 10.

# %% tags=["solution"]
final = velocities([4., 2., 1.], 0.5)[-1]
assert final == 1 + 0.5 * 2 + 0.25 * 4
build_up = velocities([1.] * 100, 0.9)
k = next(i for i, v in enumerate(build_up) if v >= 9) + 1
print("velocity", final, "| steps to 90% of 10:", k)
# after k steps the velocity is 10 * (1 - 0.9**k): at least 9 once
# 0.9**k <= 0.1, that is k >= 21.85
assert k == 22 and 0.9 ** 22 <= 0.1 < 0.9 ** 21
