# %% [markdown]
# # When the loop goes wrong
#
# The gradient-descent loop of [lesson 6](06-gradient-descent.py) is only six
# lines, and almost every one of them can be got wrong. Some mistakes stop the
# program with an error. The worse ones run to the end, print losses that look
# reasonable, and leave a wrong answer. In this lesson you will make four
# classic mistakes on purpose and run each one for real: forgetting to clear
# the gradient, forgetting `torch.no_grad()`, a prediction of the wrong shape,
# and a learning rate past the limit. For each you will see what it does to
# the loss and why, so that you can recognise it when it happens in your own
# code. At the end, an explorer puts all the runs side by side.

# %% [markdown]
# ## The loop that works
#
# First the reference: the correct loop from lesson 6, as
# [`gd.fit`](../reference.md#gd.fit), with the same data, start and learning
# rate. Its loss falls to the **floor**, the loss of the exact least-squares
# line, which no line can beat.

# %%
import warnings

import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42)
start, lr = torch.tensor([1.,1]), 0.1
correct = gd.fit(x, y, start, lr=lr, steps=100)

best = torch.linalg.lstsq(x, y.unsqueeze(1)).solution.squeeze(1)
floor = gd.mse(x@best, y).item()
print(f"loss: first {correct.losses[0]:.4f}, last {correct.losses[-1]:.4f}")
print(f"floor (least squares): {floor:.4f}")
assert correct.losses[-1] < 1.001 * floor

# %% [markdown]
# To compare a broken loop with this one, it must leave the same record: a
# `History` with the parameters after every step.
# [`gd.broken_fit`](../reference.md#gd.broken_fit) is `gd.fit`'s loop with
# one named mistake written into it. With `mistake="none"` it is `gd.fit`,
# number for number. The losses it records are always the true mean squared
# error of the line before each step, so runs can be compared even when the
# broken loop itself watches a different number (you will meet one below).
#
# One word on counting steps, used the same way in every print, figure and
# explorer of this lesson: the loss *at step k* is `losses[k]`, the loss of
# `params[k]`, the line after k updates; step 0 is the start. A run of 100
# steps therefore records the losses of steps 0 to 99, and its last line,
# `params[100]`, is the line *after 100 steps*.

# %%
print(gd.mistakes.MISTAKES)
same = gd.broken_fit(x, y, start, mistake="none", lr=lr)
assert torch.equal(same.params, correct.params)
assert same.losses == correct.losses

# %% [markdown]
# ## Mistake 1: forgetting a.grad.zero_()
#
# Lesson 5 showed that `backward()` does not replace `.grad`, it **adds** to
# it. Here is the loop with the line that clears it left out. It runs without
# a complaint; watch the loss.

# %%
a = nn.Parameter(start.clone())
losses = []
for step in range(100):
    loss = gd.mse(x@a, y)
    loss.backward()
    with torch.no_grad():
        a.sub_(lr*a.grad)  # no a.grad.zero_() after this
    losses.append(loss.item())
    if step % 10 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}")

# %% [markdown]
# The loss goes down, then up, then down again: it swings. `gd.broken_fit`
# with `mistake="no zero_()"` is this loop; the check below makes sure of it,
# and then we draw both runs.

# %%
no_zero = gd.broken_fit(x, y, start, mistake="no zero_()", lr=lr)
assert torch.allclose(torch.tensor(no_zero.losses), torch.tensor(losses))
assert torch.allclose(no_zero.params[-1], a.detach())
fig = gd.plot_losses(correct, no_zero, labels=["correct", "no zero_()"])
# the legend above the plot, where it hides no curve
fig.axes[0].legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncol=2)
gd.describe(fig, "Loss curves on a log scale. The correct loop falls "
            f"from {correct.losses[0]:.2f} at step 0 to the floor, "
            f"{floor:.3f}. Without zero_() the loss swings up and down "
            f"between about {min(no_zero.losses):.1f} and "
            f"{max(no_zero.losses):.1f} from step 0 to step 99 and never "
            "settles.")

# %% [markdown]
# ### What each step really uses: a running sum
#
# Without `zero_()`, `a.grad` after step $k$ holds the gradient of step $k$
# *plus* all the gradients before it. Write $g_j$ for the gradient at step
# $j$. Each step then moves by
#
# $$a \leftarrow a - \eta \, (g_0 + g_1 + \dots + g_k)$$
#
# a **running sum** of every gradient so far, not just the newest one. We can
# check this without autograd: compute each step's gradient with lesson 4's
# formula $\frac{2}{n} X^\top (Xa - y)$ at the parameters the run visited,
# add them up with `cumsum` (the running sum of a list: first item, first
# two, first three, ...) and compare with the moves the run made.


# %%
def gradient(a):
    return 2 / len(y) * x.T @ (x@a - y)


grads = torch.stack([gradient(p) for p in no_zero.params[:-1]])
moves = no_zero.params[1:] - no_zero.params[:-1]
print("a.grad after 100 steps:  ", a.grad)
print("sum of all 100 gradients:", grads.sum(0))
assert torch.allclose(a.grad, grads.sum(0), atol=1e-4)
assert torch.allclose(moves, -lr * grads.cumsum(0), atol=1e-4)

# %% [markdown]
# ### Why the loss swings
#
# Picture the line on its way to the best point. While it is on one side, all
# the gradients point the same way and the sum grows: the steps get longer.
# When it passes the best point, the new gradients point back, but the sum
# still holds all the old ones pointing forward, so the line keeps going, up
# the far side of the bowl, until enough new gradients have piled up to turn
# it round. Then the same happens the other way. It is a marble in a bowl
# without friction: it rolls through the bottom, up the other side and back,
# forever.
#
# The numbers agree. The first steps get longer and longer, as the sum
# grows. Over the last 50 steps the loss still swings between a low point
# and a high one far above the floor, and in its last 20 steps the line still
# strays farther from the best line than it was at the start:

# %%
lengths = moves.norm(dim=1)  # how far each step went
print("first 4 step lengths:", lengths[:4])
assert (lengths[:4].diff() > 0).all()
late = no_zero.losses[50:]
print(f"last 50 steps: loss from {min(late):.2f} to {max(late):.2f}"
      f" (floor {floor:.4f})")
distance = (no_zero.params - best).norm(dim=1)
print(f"distance to the best line: at the start {distance[0]:.2f},"
      f" largest in the last 20 steps {distance[-20:].max():.2f}")
assert min(late) > 2 * floor and max(late) > 0.9 * no_zero.losses[0]
assert distance[-20:].max() > distance[0]

# %% [markdown]
# ### A running sum on purpose: momentum
#
# A running sum of gradients is not always a bug. A later lesson, on
# **momentum**, keeps one on purpose, but lets old gradients fade: before
# adding the new gradient it multiplies the sum by a number below 1, such as
# 0.9. PyTorch's own optimizer for gradient descent, `torch.optim.SGD`, has
# this setting, called `momentum`. With `momentum=1.0` nothing fades, and it
# reproduces our bug step for step; with 0.9 the old gradients fade and the
# loss settles on the floor. [`gd.train`](../reference.md#gd.train) runs the
# loop with a PyTorch optimizer; the next lesson opens it up.

# %%
bug = gd.train(x, y, start, lr=lr, momentum=1.0)
fading = gd.train(x, y, start, lr=lr, momentum=0.9)
print(f"momentum 1.0: loss at step 99 {bug.losses[-1]:.4f}")
print(f"momentum 0.9: loss at step 99 {fading.losses[-1]:.4f}")
assert torch.allclose(bug.params, no_zero.params, atol=1e-5)
assert fading.losses[-1] < 1.01 * floor

# %% [markdown]
# ## Mistake 2: forgetting torch.no_grad()
#
# Now keep `zero_()` but leave out `with torch.no_grad():` around the
# update. This mistake is loud: the first update fails. We catch the error to
# print its exact message.

# %%
a = nn.Parameter(start.clone())
try:
    for step in range(100):
        loss = gd.mse(x@a, y)
        if step % 10 == 0:
            print(f"step {step:3d}  loss {loss.item():.4f}")
        loss.backward()
        a.sub_(lr*a.grad)  # no torch.no_grad() around the update
        a.grad.zero_()
except RuntimeError as error:
    message = str(error)
print(f"step {step}: RuntimeError: {message}")
assert step == 0 and "leaf Variable that requires grad" in message
assert a.grad is not None  # backward() had worked
assert torch.equal(a.detach(), start)  # a never moved

# %% [markdown]
# `backward()` worked; the update is what PyTorch refused. As
# [lesson 5](05-accumulation-and-update.py) explained, autograd records
# every operation on a tracked tensor while its recording (grad mode) is on.
# Recording `a.sub_(...)` would give `a` a history of its own, and `a` would
# stop being a **leaf**, the kind of tensor where `backward()` stores
# gradients. So PyTorch refuses in-place changes to a leaf that requires grad
# while it records. `gd.broken_fit` with `mistake="no no_grad()"` fails the same way:

# %%
try:
    gd.broken_fit(x, y, start, mistake="no no_grad()")
except RuntimeError as error:
    same_refusal = str(error)
print("RuntimeError:", same_refusal)
assert same_refusal == message

# %% [markdown]
# ### The tempting fix: a = a - lr*a.grad
#
# Writing the update without the in-place `sub_` makes the error go away, for
# one step. `a - lr*a.grad` is a new tensor computed from `a`, so the name `a`
# now points at a computed tensor, not a leaf, and `backward()` fills no
# `.grad` for it. At the second step `a.grad` is `None` (PyTorch warns), and
# multiplying `None` by a number fails:

# %%
a = nn.Parameter(start.clone())
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        for step in range(100):
            loss = gd.mse(x@a, y)
            if step % 10 == 0:
                print(f"step {step:3d}  loss {loss.item():.4f}")
            loss.backward()
            a = a - lr*a.grad  # a new tensor, recorded
    except TypeError as error:
        message = str(error)
print(f"step {step}: TypeError: {message}")
print("warning:", str(caught[0].message).split(". ")[0] + ".")
assert step == 1 and "NoneType" in message
assert issubclass(caught[0].category, UserWarning)
assert not a.is_leaf and a.grad_fn is not None

# %% [markdown]
# ### Why the update must stay out of the record
#
# What if we pushed on? `a.retain_grad()` asks autograd to fill `.grad` for a
# computed tensor too, and with it the recorded loop runs. It even computes
# the right numbers. But every update is now part of the record: the loss of
# step $k$ remembers all $k$ updates before it, back to the original
# Parameter. To see it, count the records autograd keeps behind each loss
# (the nodes of lesson 4's graph), following the `next_functions` links until
# they run out:


# %%
def count_records(tensor):
    """How many records autograd keeps behind `tensor`."""
    seen, todo = set(), [tensor.grad_fn]
    while todo:
        node = todo.pop()
        if node is not None and node not in seen:
            seen.add(node)
            todo.extend(n for n, _ in node.next_functions)
    return len(seen)


a, b = nn.Parameter(start.clone()), nn.Parameter(start.clone())
recorded, clean, path = [], [], [start]
for _ in range(40):
    loss = gd.mse(x@a, y)
    recorded.append(count_records(loss))
    loss.backward()
    a = a - lr*a.grad  # the update, recorded
    a.retain_grad()  # so that a.grad is filled at the next step
    path.append(a.detach())
    loss = gd.mse(x@b, y)  # the correct loop, alongside
    clean.append(count_records(loss))
    loss.backward()
    with torch.no_grad():
        b.sub_(lr*b.grad)
        b.grad.zero_()
print("recorded update:", recorded[:4], "...", recorded[-1])
print("correct loop:   ", clean[:4], "...", clean[-1])
assert torch.allclose(torch.stack(path), correct.params[:41])
assert clean == [5] * 40 and recorded == list(range(5, 45))

# %%
import matplotlib.pyplot as plt

fig = plt.figure(layout="constrained")
ax = fig.add_subplot(xlabel="step", ylabel="records behind the loss")
ax.plot(recorded, label="update recorded")
ax.plot(clean, label="correct loop")
ax.legend()
gd.describe(fig, "Number of records autograd keeps behind the loss at "
            "each step. In the correct loop it stays at 5. With the update "
            "recorded it grows by one per step, from 5 at step 0 to 44 at "
            "step 39.");

# %% [markdown]
# The correct loop keeps the same 5 records at every step (lesson 4 named
# them: the mean, the square, the subtraction, the matrix–vector product, and
# the gradient store at `a`). With the update recorded, the graph grows by
# one record per step, without end, and every `backward()` walks back
# through all the old updates.
#
# What grows is the records, not the tensors. The record of a subtraction
# needs no copy of what it subtracted, so each old version of `a` can be
# freed once no name refers to it any more. A *weak reference*
# (`weakref.ref(obj)`, called later as `ref()`) lets us ask whether an
# object still exists without keeping it alive. We take one to each of the
# 41 versions of `a` in a fresh run of the recorded loop, then ask Python to
# free what it can (`gc.collect()`):

# %%
import gc
import weakref

a = nn.Parameter(start.clone())
versions = [weakref.ref(a)]  # a weak reference to each version of a
for _ in range(40):
    gd.mse(x@a, y).backward()
    a = a - lr*a.grad  # the update, recorded
    a.retain_grad()
    versions.append(weakref.ref(a))
gc.collect()
alive = [k for k, version in enumerate(versions) if version() is not None]
print(f"versions of a still in memory: {len(alive)} of {len(versions)}"
      f" (numbers {alive})")
print("records behind the next loss:", count_records(gd.mse(x@a, y)))
assert alive == [0, 40]
node = a.grad_fn
while not hasattr(node, "variable"):  # back along the record to its end
    node = next(n for n, _ in node.next_functions if n is not None)
assert node.variable is versions[0]()  # the gradient store: the Parameter

# %% [markdown]
# Two of the 41 are left: the current `a`, which our name refers to, and
# the first, the Parameter itself, which the gradient store at the far end
# of the record still refers to. So recording the update costs a record that
# grows by one entry per step and a `backward()` that has more to walk every
# time, not 40 copies of `a`. Either way, the update is how we *train* the
# model, not part of the model, and `torch.no_grad()` is how we say so.

# %% [markdown]
# ## Mistake 3: a prediction with the wrong shape
#
# Maths books write vectors as columns, so suppose we store our two numbers
# as a column: a Parameter of shape `(2, 1)` instead of `(2,)`. (The next
# lesson's `nn.Linear` also predicts a column.) Then `x@a` is a column too,
# of shape `(100, 1)`, while the targets `y` have shape `(100,)`.
# [`gd.mse`](../reference.md#gd.mse) checks shapes and refuses. PyTorch's own
# loss function `torch.nn.functional.mse_loss` warns, but carries on.

# %%
import torch.nn.functional as F

a = nn.Parameter(torch.tensor([[1.], [1.]]))
y_hat = x@a
print("y_hat:", tuple(y_hat.shape), " y:", tuple(y.shape))
try:
    gd.mse(y_hat, y)
except ValueError as error:
    refusal = str(error)
print("gd.mse, ValueError:", refusal)
assert "same shape" in refusal
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    F.mse_loss(y_hat, y)
print("F.mse_loss, warning:", str(caught[0].message).split(". ")[0] + ".")
assert issubclass(caught[0].category, UserWarning)

# %% [markdown]
# And the formula written out by hand, `((y_hat - y)**2).mean()`, says
# nothing at all. What does it compute? When two shapes differ, PyTorch
# **broadcasts**: it stretches every dimension of size 1 to match the other
# tensor, and lines up missing dimensions on the left. A column of 100
# against a row of 100 becomes a table of $100 \times 100$, in which entry
# `[i, j]` is prediction `i` minus target `j`. The mean is taken over all
# 10,000 entries: every prediction is compared with *every* target.

# %%
table = y_hat - y
print("y_hat - y:", tuple(table.shape), "=", table.numel(), "entries")
assert table.shape == (100, 100)
assert table[3, 7] == y_hat[3, 0] - y[7]

# %% [markdown]
# Train with it: the loop runs to the end, and the loss it prints falls
# smoothly and settles, exactly like a healthy run.

# %%
printed = []
for step in range(100):
    loss = ((x@a - y)**2).mean()  # (100, 1) against (100,)
    loss.backward()
    with torch.no_grad():
        a.sub_(lr*a.grad)
        a.grad.zero_()
    printed.append(loss.item())
    if step % 10 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}")
print("final a:", a.detach().flatten())
assert abs(a[0].item()) < 0.01  # the slope
# it never rises (beyond the rounding of the last float digit)
assert (torch.tensor(printed).diff() < 1e-6).all()

# %% [markdown]
# But look at the final slope: almost 0. The loop found a flat line. Drawn on
# the data:

# %%
column = gd.broken_fit(x, y, start, mistake="column prediction", lr=lr)
assert torch.allclose(column.params[-1], a.detach().flatten())
gd.plot_fit(x, y, column.params[-1], label="column prediction")

# %% [markdown]
# ### Why a flat line
#
# Each prediction is scored against all 100 targets at once, so the best it
# can do is to sit at their average, $\bar y$ (read "y bar"). Worked out, the
# mean of the table splits into two parts:
#
# $$\frac{1}{n^2} \sum_{i,j} (\hat y_i - y_j)^2
#   = \frac{1}{n} \sum_i (\hat y_i - \bar y)^2
#   + \frac{1}{n} \sum_j (y_j - \bar y)^2$$
#
# The second part is the variance of the targets, a constant that no line
# can change. So the loop really fits every prediction to the single number
# $\bar y$: the same as the correct loop with every target replaced by their
# average. A line through a cloud of equal targets is flat, at their height.
# The checks: the split holds at our start, and the broken run is `gd.fit`
# on targets that all equal $\bar y$.

# %%
guess = x@start
split = (((guess - y.mean())**2).mean() + y.var(correction=0))
print(f"table mean {((guess[:, None] - y)**2).mean():.4f},"
      f" split {split:.4f}")
assert torch.isclose(((guess[:, None] - y)**2).mean(), split)
averages = torch.full_like(y, y.mean().item())
flat = gd.fit(x, averages, start, lr=lr, steps=100)
assert torch.allclose(column.params, flat.params, atol=1e-5)
print(f"average target {y.mean():.4f}, final intercept"
      f" {column.params[-1, 1]:.4f}")

# %% [markdown]
# Plotted, the difference between what the loop printed and what actually
# happened is plain. The printed loss falls at every step and settles on the
# variance of the targets: it looks like success. The true loss of the line,
# recorded by `gd.broken_fit`, falls with it only for a few steps. From its
# lowest point on it *rises* at every step, while the printed loss keeps
# falling, and at step 99 it is more than 40 times the floor that the
# correct loop reaches.

# %%
watched = gd.History(printed, column.params, overflowed=False, lr=lr)
true = column.losses
low = min(range(len(true)), key=true.__getitem__)  # the step of the lowest
print(f"printed loss: {printed[0]:.2f} at step 0, {printed[-1]:.4f} at"
      f" step 99 (variance of y {y.var(correction=0):.4f})")
print(f"true loss:    {true[0]:.2f} at step 0, lowest {true[low]:.2f} at"
      f" step {low}, {true[-1]:.2f} at step 99"
      f" = {true[-1] / floor:.0f} x the floor")
assert abs(printed[-1] - y.var(correction=0)) < 0.01
assert (torch.tensor(printed).diff() < 1e-6).all()  # printed: never rises
assert 0 < low < 10 and (torch.tensor(true[low:]).diff() > 0).all()
assert true[-1] > 40 * floor
fig = gd.plot_losses(correct, watched, column,
                     labels=["correct", "column: printed loss",
                             "column: true loss"])
gd.describe(fig, "Loss curves on a log scale. The correct loop falls from "
            f"{correct.losses[0]:.2f} at step 0 to the floor, {floor:.3f}. "
            "With the column prediction the printed loss falls at every "
            f"step and settles at {printed[-1]:.2f}, the variance of the "
            f"targets; the true loss of the line falls to {true[low]:.2f} "
            f"at step {low}, then rises at every step, to {true[-1]:.2f} "
            "at step 99.")

# %% [markdown]
# This is the worst kind of mistake: no error, a loss that falls, a wrong
# answer. It is why `gd.mse` checks shapes, and why it pays to print
# `y_hat.shape` next to `y.shape` once, whenever you write a new loop.

# %% [markdown]
# ## Mistake 4: a learning rate past the limit
#
# The last mistake is not in the code but in a number. [Lesson
# 7](07-learning-rate.py) found that the learning rate must stay below
# $2 / \lambda_{max}$, where $\lambda_{max}$ is the largest curvature of the
# loss, and that for our data this limit is just under 1. Take `lr = 1.1`,
# a little past it:

# %%
curvature = torch.linalg.eigvalsh(2 / len(y) * x.T @ x).max().item()
print(f"limit 2 / curvature = {2 / curvature:.4f}")
too_large = gd.broken_fit(x, y, start, mistake="none", lr=1.1)
for k in range(0, 100, 20):
    print(f"loss at step {k:2d}: {too_large.losses[k]:.3g}")
print("grew:", too_large.grew, "| overflowed:", too_large.overflowed)
assert 1.1 > 2 / curvature
assert too_large.grew and too_large.losses[-1] > 1e15
assert not too_large.overflowed

# %% [markdown]
# On the log axis the rise is a straight line: the loss is multiplied by
# about the same factor at every step. Lesson 7 predicts it: along the
# steepest direction every step multiplies the distance from the best line by
# $1 - \eta\lambda_{max}$, and the loss, which grows with the square of that
# distance, by $(1 - \eta\lambda_{max})^2$.

# %%
rise = (too_large.losses[-1] - floor) / (too_large.losses[-2] - floor)
print(f"loss multiplied per step: {rise:.4f};"
      f" predicted: {(1 - 1.1 * curvature) ** 2:.4f}")
assert abs(rise - (1 - 1.1 * curvature) ** 2) < 1e-3
fig = gd.plot_losses(correct, too_large, labels=["lr = 0.1", "lr = 1.1"])
gd.describe(fig, "Loss curves on a log scale. With lr = 0.1 the loss falls "
            f"from {correct.losses[0]:.2f} at step 0 to "
            f"{correct.losses[-1]:.3f} at step 99. With lr = 1.1 it rises "
            f"along a straight line, to {too_large.losses[-1]:.1e} at step "
            "99.")

# %% [markdown]
# After 100 steps the line and its loss are still finite numbers: the
# History says the loss `grew` (it ended more than 10 times higher than it
# started) but has not `overflowed`. Run longer and the numbers overflow;
# `gd.fit` and `gd.broken_fit` then stop and warn, as lesson 7 showed:

# %%
assert torch.isfinite(gd.mse(x @ too_large.params[100], y))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    longer = gd.broken_fit(x, y, start, mistake="none", lr=1.1, steps=400)
print("warning:", caught[0].message)
assert longer.overflowed and issubclass(caught[0].category, RuntimeWarning)

# %% [markdown]
# ## Reading the symptoms
#
# Each mistake leaves its own mark:
#
# - **no `zero_()`**: the loss swings up and down and never settles. No error.
# - **no `torch.no_grad()`**: a RuntimeError at the first update, naming a
#   "leaf Variable"; the tempting fix fails one step later with a TypeError.
# - **a column prediction**: no error and a loss that falls and settles, on
#   the wrong thing. Only the shapes, or the final line, give it away.
# - **a learning rate past the limit**: the loss rises along a straight line
#   on a log axis, until the numbers overflow.

# %% [markdown]
# ## Compare them yourself
#
# Below, four runs were made from the same start for 100 steps when this
# page was built: the correct loop, the two broken loops that run to the end
# (no `zero_()` and the column prediction), and the correct loop with
# `lr = 1.1`. Move the *mistake* slider to switch runs, and the *step*
# slider (or press *Play*) to follow one. The path on the loss landscape
# shows what the loss curve cannot: the swinging run circles the best point
# without ever reaching it, and the column run heads for a different point
# altogether.

# %%
runs = {  # what the slider shows: (the mistake, the learning rate)
    "none": ("none", lr),
    "no zero_()": ("no zero_()", lr),
    "column prediction": ("column prediction", lr),
    "lr = 1.1": ("none", 1.1),
}


def run(mistake):
    code, rate = runs[mistake]
    return gd.broken_fit(x, y, start, mistake=code, lr=rate)


gd.sweep(run, gd.line_loss(x, y), x=x, y=y, mistake=list(runs))

# %% [markdown]
# ## Summary
#
# - `backward()` adds to `.grad`. Without `a.grad.zero_()` every step uses the
#   running sum of all gradients so far; the line overshoots and swings
#   forever, like a marble in a bowl without friction. It is exactly
#   `torch.optim.SGD` with `momentum=1.0`; momentum proper lets old gradients
#   fade.
# - Without `torch.no_grad()` the in-place update of a leaf is refused with a
#   RuntimeError. Rewriting it as `a = a - lr*a.grad` fails at the next step,
#   and forcing it to run makes the graph grow by one record per step.
# - A `(n, 1)` prediction against `(n,)` targets broadcasts to an `(n, n)`
#   table. The loop runs, its loss falls, and it fits a flat line at the
#   average target. Check shapes.
# - A learning rate past $2 / \lambda_{max}$ multiplies the loss by about
#   $(1 - \eta\lambda_{max})^2$ per step: a straight rising line on a log axis.
#
# Next we let PyTorch write the loop for us, with a model and an optimizer.
# Continue with the [next lesson](11-the-pytorch-way.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** `y_hat` has shape `(100, 1)` and `y`
# has shape `(100,)`. Predict the shapes of `y_hat - y`,
# `y_hat.squeeze(1) - y` and `y_hat - y.unsqueeze(1)` before printing them.

# %% tags=["solution"]
y_hat = torch.zeros(100, 1)
shapes = [tuple((y_hat - y).shape), tuple((y_hat.squeeze(1) - y).shape),
          tuple((y_hat - y.unsqueeze(1)).shape)]
print(shapes)
# A column against a row broadcasts to a table; squeezing the column away,
# or turning y into a column too, makes the shapes match, element by element.
assert shapes == [(100, 100), (100,), (100, 1)]

# %% [markdown]
# **Exercise 2 (break it and explain).** In the correct loop, write the loss
# as `((x@a - y)**2).sum()` instead of `.mean()`, keep `lr = 0.1`, and run 5
# steps. What happens to the parameters? Explain it with the learning rate,
# and check your explanation against `gd.fit`.

# %% tags=["solution"]
a = nn.Parameter(start.clone())
for _ in range(5):
    ((x@a - y)**2).sum().backward()  # the broken line: sum, not mean
    with torch.no_grad():
        a.sub_(lr*a.grad)
        a.grad.zero_()
print(a.detach())
# The sum is 100 times the mean, so its gradient is 100 times larger: the
# same as the mean with lr = 0.1 x 100 = 10, ten times past the limit.
as_if = gd.fit(x, y, start, lr=lr * len(y), steps=5)
assert torch.allclose(a.detach(), as_if.params[-1], rtol=1e-4)
assert a.detach().abs().max() > 1e5

# %% [markdown]
# **Exercise 3 (break it and explain).** Someone read that updates belong in
# `torch.no_grad()` and put the *whole* loop body inside it: prediction,
# loss, `backward()` and update. Run it. What error do you get, and why?

# %% tags=["solution"]
a = nn.Parameter(start.clone())
try:
    with torch.no_grad():
        loss = gd.mse(x@a, y)
        loss.backward()
except RuntimeError as error:
    refusal = str(error)
print("RuntimeError:", refusal)
# With recording off, nothing about the loss was recorded: it has no grad_fn,
# so backward() has no record to walk back through.
assert loss.grad_fn is None and not loss.requires_grad
assert refusal.startswith("element 0 of tensors does not require grad")

# %% [markdown]
# **Exercise 4 (practice).** Fix the column mistake in two ways: squeeze the
# prediction back to shape `(100,)`, or turn the targets into a column with
# `y.unsqueeze(1)`. Check that both loops follow the correct run, `correct`,
# and reach the least-squares line.

# %% tags=["solution"]
def column_loop(fix):
    a = nn.Parameter(torch.tensor([[1.], [1.]]))
    path = [a.detach().flatten().clone()]
    for _ in range(100):
        if fix == "squeeze":
            loss = gd.mse((x@a).squeeze(1), y)
        else:
            loss = gd.mse(x@a, y.unsqueeze(1))
        loss.backward()
        with torch.no_grad():
            a.sub_(lr*a.grad)
            a.grad.zero_()
        path.append(a.detach().flatten().clone())
    return torch.stack(path)


for fix in ("squeeze", "unsqueeze"):
    path = column_loop(fix)
    print(fix, path[-1])
    assert torch.allclose(path, correct.params, atol=1e-5)
    assert torch.allclose(path[-1], best, atol=0.01)
