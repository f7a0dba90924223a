# %% [markdown]
# # A first neural network
#
# The [previous lesson](18-beyond-the-straight-line.py) drew two small
# losses that are not bowls, with valleys, bumps and a saddle. This lesson
# trains a model whose loss is of that kind and too large to draw: a
# small neural network, with 49 parameters, that learns a wave from noisy
# points. It is trained with the loop of the PyTorch lessons and nothing new.
#
# What is new is how to check it. A network has no exact answer to compare
# with, so you will learn what to check instead: the loss on points the
# training never saw, what the network does beyond the range of its data,
# and the gradient itself. At the end we see why its loss is not a bowl,
# and why that is the reason its parameters must not all start equal.

# %% [markdown]
# ## The data
#
# 200 points along the wave $y = \sin x$ for $x$ from $-3$ to $3$, with noise
# of standard deviation 0.1 added (`torch.randn` draws numbers with standard
# deviation 1). Each input is a row of its own, so $x$ has shape `(200, 1)`,
# the shape `nn.Linear` expects.
#
# We also set 50 of the points aside, picked at random, as a **held-out set**:
# the network is never trained on them. Its loss on points it has never seen
# will tell us whether it learned the wave or only memorised the 150
# **training** points, noise included.

# %%
import matplotlib.pyplot as plt
import torch
from torch import nn

import gd

torch.manual_seed(0)
x_all = torch.linspace(-3, 3, 200).unsqueeze(1)
y_all = torch.sin(x_all) + 0.1 * torch.randn(200, 1)
order = torch.randperm(200)
x_train, y_train = x_all[order[:150]], y_all[order[:150]]
x_held, y_held = x_all[order[150:]], y_all[order[150:]]
print("training:", tuple(x_train.shape), " held out:", tuple(x_held.shape))

# %% [markdown]
# ## A network with one hidden layer
#
# The network has one **hidden layer**, the part between input and output:
#
# - `nn.Linear(1, 16)` turns each input $x$ into 16 numbers, each its own
#   line $a_i x + b_i$;
# - `nn.Tanh()` bends each of them with $\tanh$, a smooth step from $-1$ to
#   $1$;
# - `nn.Linear(16, 1)` adds the 16 bent lines up, each times a weight of its
#   own, plus one intercept.
#
# Each of the 16 lines with its weight is called a **unit**. A sum of 16
# smooth steps, each placed, stretched and scaled by its own parameters, can
# follow a wave. `nn.Sequential` chains the three into one model. `nn.Linear`
# gives its parameters random values; we set the seed first, so that this
# page is the same at every build.

# %%
torch.manual_seed(1)
model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
count = sum(p.numel() for p in model.parameters())
print(model)
print("parameters:", count)
assert count == 16 + 16 + 16 + 1  # slopes, intercepts, weights, intercept
squashed = torch.tanh(torch.tensor([-100., -1., 0., 1., 100.]))
print("tanh of -100, -1, 0, 1, 100:", [round(v, 3) for v in squashed.tolist()])
assert squashed.abs().max() <= 1

# %% [markdown]
# ## Where the parameters start
#
# How random? `nn.Linear` draws each weight and each intercept uniformly
# between $-1/\sqrt{k}$ and $1/\sqrt{k}$, where $k$ is the number of inputs of
# the layer, its `in_features`. The first layer has one input, so its 32
# parameters lie anywhere between $-1$ and $1$: they are not small. The second
# has 16 inputs, so its 17 parameters lie between $-0.25$ and $0.25$. Our
# network's parameters are within these bounds, and two wide layers, with
# 10,000 outputs each, draw enough values to reach their edges:

# %%
for layer in (model[0], model[2]):
    bound = 1 / layer.in_features**0.5
    print(f"{layer.in_features:2} input(s): bound {bound:.2f}")
    for name, p in layer.named_parameters():
        low, high = p.min().item(), p.max().item()
        print(f"    {name:6} from {low:+.3f} to {high:+.3f}")
        assert p.abs().max() <= bound
for n in (1, 16):
    wide = nn.Linear(n, 10_000)
    low, high = wide.weight.min().item(), wide.weight.max().item()
    print(f"nn.Linear({n}, 10000): weights from {low:+.4f} to {high:+.4f}")
    assert -1 / n**0.5 <= low < -0.999 / n**0.5
    assert 0.999 / n**0.5 < high <= 1 / n**0.5

# %% [markdown]
# ## Why least squares cannot answer this
#
# For the line, the predictions were $X a$: a fixed table of numbers times the
# parameters. Double the parameters and every prediction doubles. Least
# squares solves exactly this kind of problem, where the predictions are
# *linear* in the parameters. The network's are not: its parameters pass
# through $\tanh$, and one layer's weights multiply the next one's. Double
# every parameter and the predictions do not double. (`copy.deepcopy` makes
# a complete, separate copy of the network, so that we can change the copy's
# parameters and keep the original's.)

# %%
import copy

x, y = gd.linear_data(100, seed=42)
a = torch.tensor([3., 2.])
assert torch.allclose(x @ (2 * a), 2 * (x @ a))  # the line: linear in a

doubled = copy.deepcopy(model)  # a separate network, same parameters
with torch.no_grad():
    for p in doubled.parameters():
        p.mul_(2)
    before, after = model(x_train[:3]), doubled(x_train[:3])
print("predictions:          ", before.squeeze(1).round(decimals=3))
print("after doubling params:", after.squeeze(1).round(decimals=3))
assert not torch.allclose(after, 2 * before, atol=0.01)

# %% [markdown]
# So there is no formula to solve, and no exact answer to compare with.
# Gradient descent does not mind: it needs only the gradient, and autograd
# computes it through `tanh` and both layers just as it did for the line.

# %% [markdown]
# ## Training it
#
# The loop is the one from the PyTorch lessons, with `torch.optim.Adam` from
# the [lesson on RMSProp and Adam](15-rmsprop-and-adam.py), `lr = 0.03`, on
# all 150 training points at every step. At every step we also measure the
# held-out loss, inside `torch.no_grad()` since it is only a measurement, and
# every 10 steps we record the network's curve on a grid of 61 inputs for
# the animation.

# %%
opt = torch.optim.Adam(model.parameters(), lr=0.03)
grid = torch.linspace(-3, 3, 61).unsqueeze(1)
train_losses, held_losses, curves = [], [], []
for step in range(200):
    with torch.no_grad():  # measurements only, before the step
        held_losses.append(gd.mse(model(x_held), y_held).item())
        if step % 10 == 0:
            curves.append(model(grid).squeeze(1))
    opt.zero_grad()
    loss = gd.mse(model(x_train), y_train)
    loss.backward()
    opt.step()
    train_losses.append(loss.item())
with torch.no_grad():
    curves.append(model(grid).squeeze(1))  # and the curve after step 200
print(f"training loss: {train_losses[0]:.4f} -> {train_losses[-1]:.4f}")
print(f"held-out loss: {held_losses[0]:.4f} -> {held_losses[-1]:.4f}")
print("frames recorded:", len(curves))
spread = (curves[0].max() - curves[0].min()).item()
print(f"heights of the first curve span {spread:.2f}")
assert train_losses[-1] < train_losses[0] / 10
assert held_losses[-1] < held_losses[0] / 10

# %% [markdown]
# Both losses fell more than tenfold. Here is the network's curve every 10
# steps, on the training points:

# %%
from matplotlib import rc
from matplotlib.animation import FuncAnimation

rc('animation', html='jshtml')  # a notebook shows `anim` as a player
fig, ax = plt.subplots(figsize=(4.4, 3))
ax.scatter(x_train, y_train, s=8, color="C0")
curve, = ax.plot([], [], color="C1", linewidth=2.5)
ax.set(xlabel="x", ylabel="y", ylim=(-1.6, 1.6), title="step 0")
fig.tight_layout()


def animate(i):
    curve.set_data(grid.squeeze(1), curves[i])
    ax.set_title(f"step {10 * i}")
    return curve,


anim = FuncAnimation(fig, animate, frames=len(curves), interval=150)
plt.close()
gd.describe(fig, "Animation: over 200 steps the network's curve bends from"
            " nearly flat into the wave traced by the noisy points.")
anim

# %% [markdown]
# With this seed the curve starts nearly flat: its heights span only 0.15
# (printed above), against the wave's 2. Then it bends into the wave. The
# loss curves, on a logarithmic axis:

# %%
fig = plt.figure(figsize=(4.4, 3), layout="constrained")
ax = fig.add_subplot(xlabel="step", ylabel="loss (log scale)", yscale="log")
ax.set_yticks([0.01, 0.03, 0.1, 0.3], ["0.01", "0.03", "0.1", "0.3"])
ax.plot(train_losses, label="training")
ax.plot(held_losses, label="held out")
ax.legend()
gd.describe(fig, "Training and held-out loss, falling together from about"
            f" {train_losses[0]:.1f} to {train_losses[-1]:.3f} and"
            f" {held_losses[-1]:.3f}.");

# %% [markdown]
# ## Check 1: the held-out loss
#
# Without an exact answer, we check three things: the loss on the held-out
# points, what the network does beyond its data, and the gradients it was
# trained with.
#
# A network that memorised its training points, noise and all, would have a
# much lower loss on them than on the held-out points. Ours has nearly the
# same loss on both. We can also say how low a loss can go: even the true
# curve, $\sin x$, misses every point by its noise, so its loss is about the
# noise's variance, $0.1^2 = 0.01$. Ours is close to that on the held-out
# points, which it never saw:

# %%
train_loss = gd.mse(model(x_train), y_train).item()
held_loss = gd.mse(model(x_held), y_held).item()
true_loss = gd.mse(torch.sin(x_held), y_held).item()
print(f"training loss:                {train_loss:.4f}")
print(f"held-out loss:                {held_loss:.4f}")
print(f"held-out loss of sin(x) itself: {true_loss:.4f}")
assert held_loss < 1.5 * train_loss  # no sign of memorising
assert held_loss < 1.5 * true_loss  # close to the best possible

# %% [markdown]
# ## Check 2: beyond the data
#
# The held-out points were picked from the same stretch as the training
# points, $-3$ to $3$, so nearly all of them lie between two training points:

# %%
inside = (x_held > x_train.min()) & (x_held < x_train.max())
print(f"held-out points between two training points: {int(inside.sum())}"
      f" of {len(x_held)}")
print("the others:", x_held[~inside].tolist(), " training points from",
      round(x_train.min().item(), 2), "to", round(x_train.max().item(), 2))
assert inside.sum() >= 49

# %% [markdown]
# A low held-out loss shows that the network **interpolates** well: it fills
# the gaps between points it saw. It says nothing about **extrapolating**,
# going beyond them. Ask the network about 30 points from 3.1 to 6, past the
# end of its data, and measure its loss against $\sin x$ itself, without
# noise (so the noise does not count against it). Also ask about
# $x = 2\pi \approx 6.28$, one full wave on from 0, where $\sin x$ is 0:

# %%
x_far = torch.linspace(3.1, 6, 30).unsqueeze(1)
x_farther = torch.linspace(6, 20, 141).unsqueeze(1)
with torch.no_grad():
    far_loss = gd.mse(model(x_far), torch.sin(x_far)).item()
    at_2pi = model(torch.tensor([[2 * torch.pi]])).item()
    farther = model(x_farther)
print(f"at x = 2 pi: {at_2pi:+.3f}, where sin x is 0")
print(f"loss against sin x from 3.1 to 6: {far_loss:.3f}"
      f"  ({far_loss / held_loss:.0f} times the held-out loss)")
print(f"from x = 6 to 20 the network stays between {farther.min():+.2f}"
      f" and {farther.max():+.2f}")
assert abs(at_2pi) > 0.5 and far_loss > 5 * held_loss
assert farther.max() - farther.min() < 0.5  # sin x swings from -1 to 1

# %% [markdown]
# Past the data, every $\tanh$ in the network is pushed towards $-1$ or $1$,
# so the network's curve levels off, while the wave goes on. Drawn from
# $-3$ to $7$, with the end of the training points marked:

# %%
x_wide = torch.linspace(-3, 7, 201).unsqueeze(1)
with torch.no_grad():
    wide_curve = model(x_wide).squeeze(1)
fig = plt.figure(figsize=(4.4, 3), layout="constrained")
ax = fig.add_subplot(xlabel="x", ylabel="y")
ax.scatter(x_train, y_train, s=8, color="C0", label="training")
ax.plot(x_wide, torch.sin(x_wide), color="C2", linestyle="--", label="sin x")
ax.plot(x_wide, wide_curve, color="C1", linewidth=2.5, label="network")
ax.axvline(3, color="C0", linestyle=":", linewidth=1)
ax.legend(loc="upper left")
gd.describe(fig, "The trained network's curve follows sin x on the training"
            " range from -3 to 3, then levels off near"
            f" {wide_curve[-1]:.1f} while sin x rises again.");

# %% [markdown]
# Is that bad luck with one seed? Here is the same network trained from
# seven seeds, with the loop above written as a function (without the
# measurements). For each, the loss beyond the data is divided by the
# held-out loss:

# %%
def train_net(net, steps=200):
    opt = torch.optim.Adam(net.parameters(), lr=0.03)
    for _ in range(steps):
        opt.zero_grad()
        gd.mse(net(x_train), y_train).backward()
        opt.step()
    return net


ratios = []
for seed in range(1, 8):
    torch.manual_seed(seed)
    net = train_net(nn.Sequential(nn.Linear(1, 16), nn.Tanh(),
                                  nn.Linear(16, 1)))
    with torch.no_grad():
        far = gd.mse(net(x_far), torch.sin(x_far)).item()
        ratios.append(far / gd.mse(net(x_held), y_held).item())
ratios = torch.tensor(ratios)
print(f"seeds 1 to 7, far loss / held-out loss: min {ratios.min():.1f},"
      f" median {ratios.median():.1f}, max {ratios.max():.1f}")
assert ratios.min() > 5

# %% [markdown]
# From every seed, the loss beyond the data is more than 5 times the
# held-out loss. A network learns its data's range; a held-out set drawn from
# that range cannot tell you how it behaves outside it. To check that, you
# need data from outside.

# %% [markdown]
# ## Check 3: the gradient
#
# A slope can always be measured without autograd: nudge one parameter by a
# tiny $h$ up and down, and divide the change in the loss by the distance
# moved, $2h$. This **central difference**,
#
# $$\frac{L(\theta + h) - L(\theta - h)}{2h}$$
#
# (with $\theta$, theta, for the one parameter), approaches the slope as $h$
# shrinks. We do it in `float64`: in 32-bit numbers the loss is rounded to
# about 7 digits, and dividing that rounding error by a tiny $2h$ would swamp
# the answer. `.double()` turns the parameters of a copy of the network into
# `float64`. Here is one weight of the first layer, by hand:

# %%
check = copy.deepcopy(model).double()
x64, y64 = x_train.double(), y_train.double()
gd.mse(check(x64), y64).backward()  # autograd's gradient, into .grad
weight = check[0].weight  # shape (16, 1): the first layer's slopes
h = 1e-6
with torch.no_grad():
    kept = weight[3, 0].item()
    weight[3, 0] = kept + h
    up = gd.mse(check(x64), y64).item()
    weight[3, 0] = kept - h
    down = gd.mse(check(x64), y64).item()
    weight[3, 0] = kept
print(f"central difference: {(up - down) / (2 * h):.10f}")
print(f"autograd:           {weight.grad[3, 0].item():.10f}")
assert abs((up - down) / (2 * h) - weight.grad[3, 0].item()) < 1e-8

# %% [markdown]
# [`gd.finite_difference_grad`](../reference.md#gd.finite_difference_grad)
# does the same for every entry of a parameter, putting each back exactly.
# All 49 parameters, against autograd:

# %%
worst = 0.
for name, param in check.named_parameters():
    estimate = gd.finite_difference_grad(
        lambda: gd.mse(check(x64), y64), param)
    gap = (estimate - param.grad).abs().max().item()
    print(f"{name:8} {tuple(param.shape)!s:8} largest difference {gap:.1e}")
    worst = max(worst, gap)
assert worst < 1e-8

# %% [markdown]
# Autograd and the central differences agree to at least 8 decimal places
# for every parameter. For a network written with PyTorch's own layers this
# is expected; the check earns its keep when you write a layer, a loss or a
# backward pass of your own, where a missing factor or a wrong sign would
# show at once.

# %% [markdown]
# ## Many valleys with the same bottom
#
# The network's loss is not a bowl. Here is a quick way to see it. Swap two
# of the 16 hidden units, say units 0 and 1: exchange their rows in the first
# layer and their weights in the second. The network computes the same sum in
# a different order, so its predictions do not change, but its parameters do.
# Two different points with the same, low loss. On a bowl, the point halfway
# between two such points would be at least as low. Here it is not:

# %%
swapped = copy.deepcopy(model)
halfway = copy.deepcopy(model)
swap = [1, 0, *range(2, 16)]
with torch.no_grad():
    swapped[0].weight.copy_(model[0].weight[swap])
    swapped[0].bias.copy_(model[0].bias[swap])
    swapped[2].weight.copy_(model[2].weight[:, swap])
    pairs = zip(model.parameters(), swapped.parameters(), strict=True)
    for mid, (p, q) in zip(halfway.parameters(), pairs, strict=True):
        mid.copy_((p + q) / 2)
    losses = [gd.mse(net(x_train), y_train).item()
              for net in (model, swapped, halfway)]
print("trained: {:.4f}   swapped: {:.4f}   halfway: {:.4f}".format(*losses))
assert abs(losses[0] - losses[1]) < 1e-6
assert losses[2] > 2 * losses[0]

# %% [markdown]
# Every way of reordering the 16 units gives another point with the same
# loss, and, as the halfway point shows, the loss rises between two of them.
# So this loss has many separate valleys with the same bottom: it is not a
# bowl. The same swap can be made in any network with a hidden layer of two
# or more units.

# %% [markdown]
# ## Why the start is random
#
# Look again at the halfway network: its units 0 and 1 are equal, each the
# average of the two. Swapping them changes nothing, not even the parameters.
# The loss does not change under the swap either, so at such a point its
# slope with respect to unit 0's parameters equals its slope with respect to
# unit 1's:

# %%
halfway.zero_grad()
gd.mse(halfway(x_train), y_train).backward()
for name, param in halfway.named_parameters():
    if name == "2.bias":
        continue  # the output intercept belongs to no unit
    grad = param.grad.flatten()  # one entry per unit
    print(f"{name:8} unit 0: {grad[0]:+.6f}   unit 1: {grad[1]:+.6f}")
    assert grad[0] == grad[1]

# %% [markdown]
# So a step changes both units by the same amount, and they stay equal:
# gradient descent cannot pull equal units apart. Start all 16 units equal,
# here with every first-layer slope 0.5, every first-layer intercept 0.1 and
# every output weight 0.1, and train as before:

# %%
twins = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
with torch.no_grad():
    twins[0].weight.fill_(0.5)
    twins[0].bias.fill_(0.1)
    twins[2].weight.fill_(0.1)
    twins[2].bias.fill_(0.)
train_net(twins)
twins_loss = gd.mse(twins(x_train), y_train).item()
slopes, weights = twins[0].weight[:, 0], twins[2].weight[0]
print("first-layer slopes after training:",
      [round(s, 4) for s in slopes[:3].tolist()], "...")
print(f"training loss {twins_loss:.4f}, against {train_loss:.4f} from a"
      " random start")
for p in (slopes, twins[0].bias, weights):
    assert (p == p[0]).all()  # all 16 units still exactly equal
assert twins_loss > 4 * train_loss

# %% [markdown]
# After 200 steps all 16 units are still exactly equal: the network computes
# one bent line 16 times over, and its training loss is more than 4 times
# that of the random start. A start with every parameter zero is the extreme
# case: every $\tanh$ gives $\tanh(0) = 0$ and every output weight is 0, so
# the slopes for both layers' weights and the first layer's intercepts are
# exactly zero. Only the output intercept moves, towards the mean of the
# training $y$, and the network stays a flat line:

# %%
zero = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
with torch.no_grad():
    for p in zero.parameters():
        p.zero_()
train_net(zero)
moved = [name for name, p in zero.named_parameters() if p.abs().max() > 0]
print("parameters that moved:", moved)
print(f"output intercept {zero[2].bias.item():.4f},"
      f" mean of the training y {y_train.mean().item():.4f}")
assert moved == ["2.bias"]
assert abs(zero[2].bias.item() - y_train.mean().item()) < 1e-4

# %% [markdown]
# This is why `nn.Linear` starts from random values: random units differ from
# the first step on, so the gradient can push each of them its own way.

# %% [markdown]
# ## Summary
#
# - A network with one hidden layer of 16 `tanh` units, trained with Adam,
#   learns $\sin x$ from noisy points. Its predictions are not linear in its
#   parameters, so least squares has no answer to check against.
# - `nn.Linear` starts each weight and intercept uniformly between
#   $-1/\sqrt{k}$ and $1/\sqrt{k}$, for $k$ inputs: between $-1$ and $1$ in our
#   first layer, between $-0.25$ and $0.25$ in the second.
# - Check instead: the loss on a **held-out set** (close to the training loss
#   and to the noise floor), what the network does **beyond its data** (it
#   levels off where the wave goes on: a held-out set from the same range
#   tests interpolation only), and autograd's gradient against **central
#   differences** in `float64` (`gd.finite_difference_grad`).
# - Swapping two hidden units leaves the predictions unchanged and moves the
#   parameters, and the loss rises between the two points: the loss has many
#   valleys with the same bottom. Units that start equal stay equal, so the
#   start must be random.
#
# This is the end of Part 3. You started with a hundred noisy points and
# a line, measured how wrong a line is, let autograd find the slope of that
# error, and walked downhill by hand. You saw why a step can be too large,
# trained with PyTorch's own optimizers, on mini-batches, with momentum,
# adaptive steps and schedules, learned how to pick a learning rate, and met
# losses with more than one valley. Here the same loop, with nothing new in
# it, trained a neural network, and the checks of this lesson work the same
# way on larger ones. Part 4 trains for real: continue with the
# [next lesson](20-weight-decay.py), weight decay, or go back to the
# [list of lessons](../index.md).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** Far beyond the data, at $x = 10^4$, each
# $\tanh(a_i x + b_i)$ is $1$ or $-1$, depending only on the sign of the
# slope $a_i$. Predict, from the trained `model`'s parameters, what it outputs
# at $x = 10^4$ and at $x = -10^4$, then run it.

# %% tags=["solution"]
slope_signs = torch.sign(model[0].weight[:, 0])
out_weights, intercept = model[2].weight[0], model[2].bias[0]
with torch.no_grad():
    right = (out_weights * slope_signs).sum() + intercept
    left = (out_weights * -slope_signs).sum() + intercept
    ran = model(torch.tensor([[1e4], [-1e4]])).squeeze(1)
print(f"predicted {right.item():+.4f} and {left.item():+.4f},"
      f" the network gives {ran[0].item():+.4f} and {ran[1].item():+.4f}")
# Every |a_i x| is huge, so tanh is +1 where a_i x > 0 and -1 where it is
# negative: the output is the output weights summed with those signs, plus
# the intercept. Two constants, one for each far side, whatever x is.
assert torch.allclose(ran, torch.stack([right, left]), atol=1e-5)

# %% [markdown]
# **Exercise 2 (break it and explain).** Remove `nn.Tanh()` from the network
# and train it the same way (Adam, `lr = 0.03`; 100 steps are enough here).
# How low does the training loss get? Compare it with the loss of the
# least-squares line through the training points, and explain.

# %% tags=["solution"]
torch.manual_seed(1)
flat = train_net(nn.Sequential(nn.Linear(1, 16), nn.Linear(16, 1)),
                 steps=100)
flat_loss = gd.mse(flat(x_train), y_train).item()
# Two linear layers in a row are one line: w2 (w1 x + b1) + b2 is again
# slope * x + intercept. So the network can do no better than least squares.
X = torch.cat([x_train, torch.ones_like(x_train)], dim=1)
best = torch.linalg.lstsq(X, y_train).solution
line_loss = gd.mse(X @ best, y_train).item()
print(f"without tanh: {flat_loss:.4f}   least-squares line: {line_loss:.4f}")
assert abs(flat_loss - line_loss) < 1e-3 and flat_loss > 10 * train_loss

# %% [markdown]
# **Exercise 3 (break it and explain).** Run the gradient check in
# `float32`: use `copy.deepcopy(model)` without `.double()`, and the training
# data as it is. Do the central differences still agree with autograd to 8
# decimal places? Explain.

# %% tags=["solution"]
single = copy.deepcopy(model)  # float32, as trained
gd.mse(single(x_train), y_train).backward()
estimate = gd.finite_difference_grad(
    lambda: gd.mse(single(x_train), y_train), single[0].weight)
grad = single[0].weight.grad
gap = (estimate - grad).abs().max().item()
print(f"largest gradient entry:        {grad.abs().max():.1e}")
print(f"largest difference in float32: {gap:.1e}")
# float32 keeps about 7 significant digits: a loss near 0.01 is rounded in
# steps of about 1e-9. Near a minimum the gradient is small, so a nudge of
# 2h = 2e-6 changes the loss by only a few such steps: up - down is mostly
# rounding, and dividing it by 2h turns that into differences about as
# large as the gradient itself. The check then tells us nothing.
assert gap > grad.abs().max() / 10

# %% [markdown]
# **Exercise 4 (practice).** How many hidden units does the wave need? Train
# networks with 1, 4 and 16 hidden units, each from seeds 1 to 5, with
# `train_net`, and print the median held-out loss for each width.

# %% tags=["solution"]
medians = {}
for width in (1, 4, 16):
    held = []
    for seed in range(1, 6):
        torch.manual_seed(seed)
        net = train_net(nn.Sequential(nn.Linear(1, width), nn.Tanh(),
                                      nn.Linear(width, 1)))
        held.append(gd.mse(net(x_held), y_held).item())
    medians[width] = torch.tensor(held).median().item()
    units = "unit " if width == 1 else "units"
    print(f"{width:2} {units}: median held-out loss {medians[width]:.4f}")
# One unit is one smooth step: it cannot turn back, as the wave does at
# -pi/2 and pi/2. Four can, roughly, and sixteen come close to the noise
# floor of 0.01. In between, the seed matters: look at the five losses.
assert medians[1] > medians[4] > medians[16]
assert medians[16] < 1.5 * true_loss
