# %% [markdown]
# # Gradient accumulation and the update
#
# The [previous lesson](04-autograd.py) computed the gradient with
# `loss.backward()` and read it from `.grad`. This lesson is about what
# happens to it next. You will discover that gradients **add up** across
# `backward()` calls (why that is useful, and why you must clear them), see
# why the parameter update has to run inside `torch.no_grad()`, and meet the
# two spellings of the update, `a.sub_(lr*a.grad)` and `a -= lr*a.grad`.

# %% [markdown]
# ## Setup
#
# The same data and first guess as before, and the gradient at the guess,
# computed as in the last lesson:

# %%
import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42)
a = nn.Parameter(torch.tensor([1.,1]))
loss = gd.mse(x@a, y)
loss.backward()
print("a.grad:", a.grad)

# %% [markdown]
# ## Gradients accumulate
#
# Here is a surprise for most newcomers. Compute the loss again, exactly as
# before, and call `backward()` a second time. `backward()` does not *replace*
# `.grad`; it **adds** the new gradient to what is already there. The same
# gradient added twice gives double:

# %%
first = a.grad.clone()  # a copy: a.grad itself is about to change
loss = gd.mse(x@a, y)  # a fresh loss, from the same unchanged a
loss.backward()
print("after one backward:  ", first)
print("after two backwards: ", a.grad)
assert torch.allclose(a.grad, 2 * first)

# %% [markdown]
# Why *add*? Because it is useful: sometimes a parameter feeds into several
# losses, or a batch of data is too big for memory and is processed in pieces,
# one `backward()` per piece; `.grad` then collects the total (there is a catch
# with averages, shown in the next section). The price is that in an ordinary
# training loop you must clear `.grad` yourself after each update. The in-place
# method `zero_()` does that:

# %%
a.grad.zero_()
print("after zero_():", a.grad)
assert (a.grad == 0).all()

# %% [markdown]
# ## Adding up the pieces
#
# Split the 100 points into 4 pieces of 25 and call `backward()` on each
# piece's loss. Each piece's loss is a *mean* over its own 25 points, so each
# piece's gradient is already on the scale of a whole gradient, and their sum
# is **four times** the gradient of the loss over all 100 points.

# %%
gd.mse(x@a, y).backward()
full = a.grad.clone()  # the gradient of the loss over all 100 points
a.grad.zero_()
for piece in range(4):
    rows = slice(25 * piece, 25 * (piece + 1))
    gd.mse(x[rows]@a, y[rows]).backward()
print("full gradient:      ", full)
print("sum of the 4 pieces:", a.grad)
assert torch.allclose(a.grad, 4 * full)

# %% [markdown]
# Why four? The full loss divides the sum of all 100 squared errors by 100,
# while each piece divides its 25 squared errors by only 25: each piece counts
# four times too much. To get the full gradient, weight each piece's loss by
# its share of the points, 25/100, before calling `backward()`:

# %%
a.grad.zero_()
for piece in range(4):
    rows = slice(25 * piece, 25 * (piece + 1))
    (25 / 100 * gd.mse(x[rows]@a, y[rows])).backward()
print("weighted pieces:    ", a.grad)
assert torch.allclose(a.grad, full)
a.grad.zero_();  # cleared for what follows (the ; hides its value)

# %% [markdown]
# Why did we always compute a *fresh* loss above instead of calling
# `backward()` twice on the same one? To save memory, `backward()` throws away
# the intermediate values it recorded as soon as it has used them, so a second
# call on the same loss fails:

# %%
loss = gd.mse(x@a, y)
loss.backward()
try:
    loss.backward()
except RuntimeError as error:
    print("RuntimeError:", str(error).split(". ")[0] + ".")
a.grad.zero_()
print("gradient cleared:", a.grad)

# %% [markdown]
# ## Changing a parameter: torch.no_grad()
#
# With a gradient in hand we want to move `a` a little way downhill:
# subtract the learning rate `lr` (a small number; lesson 6 says more) times
# the gradient. The natural way is to change `a` in place with
# `a.sub_(lr*a.grad)`: `sub_` subtracts, and, like `uniform_` in lesson 1, the
# trailing underscore means "in place". Try it directly and PyTorch refuses:

# %%
lr = 0.1
loss = gd.mse(x@a, y)
loss.backward()
try:
    a.sub_(lr*a.grad)
except RuntimeError as error:
    refusal = str(error)
print("RuntimeError:", refusal)

# %% [markdown]
# The refusal has nothing to do with the loss we just computed. A brand-new
# tracked tensor, used in no computation at all, is refused in the same words:

# %%
fresh = torch.ones(2, requires_grad=True)
try:
    fresh.add_(1)
except RuntimeError as error:
    same = str(error)
print("RuntimeError:", same)
assert same == refusal

# %% [markdown]
# The rule is about leaves, the tensors you created, where `backward()`
# stores gradients (see the last lesson). While autograd is recording (its
# *grad mode*, on by default), every operation on a tracked tensor is
# recorded, in-place ones
# included, and a recorded operation becomes the tensor's `grad_fn`: its
# history. On a computed tensor that is fine; watch its `grad_fn` change:

# %%
computed = a * 1  # not a leaf: it was computed from a
print(type(computed.grad_fn).__name__, end=" -> ")
computed.add_(1)  # allowed, and recorded
print(type(computed.grad_fn).__name__)
assert type(computed.grad_fn).__name__ == "AddBackward0"

# %% [markdown]
# Recording `a.sub_(...)` would give `a` a history too: it would stop being a
# leaf, and a leaf is exactly where `backward()` stores gradients. Rather than
# silently turn your parameter into an intermediate result, PyTorch refuses
# an in-place change of a leaf that requires grad while grad mode is on.
#
# We do not want the update recorded anyway: it is not part of the model, it
# is *how we train* the model. A `with torch.no_grad():` block switches grad
# mode off. Inside it nothing is recorded and the in-place update is allowed.
# Afterwards `a` is still the same Parameter, still a leaf, still tracked, and
# its loss went down:

# %%
before = loss.item()
print("grad mode:", torch.is_grad_enabled(), end=" -> ")
with torch.no_grad():
    print(torch.is_grad_enabled())
    a.sub_(lr*a.grad)
    a.grad.zero_()
after = gd.mse(x@a, y).item()
print(f"loss before the step: {before:.4f}, after: {after:.4f}")
assert isinstance(a, nn.Parameter) and a.is_leaf and a.requires_grad
assert after < before

# %% [markdown]
# ## a -= lr*a.grad is the same operation
#
# You will often see the update written `a -= lr*a.grad`. For a tensor,
# Python's `-=` calls the same in-place subtraction as `a.sub_(...)`: the
# numbers change inside the existing object, and no new tensor is made. Two
# equal Parameters, one updated each way, end up with equal values and keep
# their identities (`id` is Python's number for an object):

# %%
b = nn.Parameter(torch.tensor([1.,1]))
c = nn.Parameter(torch.tensor([1.,1]))
ids = (id(b), id(c))
step = torch.tensor([0.5, -0.25])
with torch.no_grad():
    b.sub_(step)
    c -= step
print(b.detach(), c.detach())
assert torch.equal(b, c) and (id(b), id(c)) == ids

# %% [markdown]
# And outside `no_grad`, `-=` is refused with the same message:

# %%
try:
    c -= step
except RuntimeError as error:
    also = str(error)
print("RuntimeError:", also)
assert also == refusal

# %% [markdown]
# A tempting alternative, `a = a - lr*a.grad` without `no_grad`, does run,
# but it is not an update of `a`: it builds a *new*, computed tensor (with a
# `grad_fn`, so not a leaf, and no longer a Parameter) and rebinds the name
# `a` to it. Trained that way, the Parameter a model holds would never change.

# %%
d = nn.Parameter(torch.tensor([1.,1]))
gd.mse(x@d, y).backward()
d_new = d - lr*d.grad
print(type(d_new).__name__, "| leaf:", d_new.is_leaf,
      "| grad_fn:", type(d_new.grad_fn).__name__)
assert not isinstance(d_new, nn.Parameter) and not d_new.is_leaf
assert d_new is not d and torch.equal(d, torch.tensor([1.,1]))


# %% [markdown]
# ## Summary
#
# - `backward()` **adds** to `.grad`: two calls give twice the gradient. Clear
#   it with `a.grad.zero_()` after each update. Gradients of pieces add up, but
#   mean losses must be weighted by each piece's share of the points.
# - `backward()` frees what it recorded: call it on a fresh loss each time.
# - An in-place change of a leaf that requires grad is refused while grad mode
#   is on (it would give the leaf a history). Update inside `torch.no_grad()`
#   with `a.sub_(lr*a.grad)`, or equivalently `a -= lr*a.grad`;
#   `a = a - lr*a.grad` makes a new tensor instead of updating `a`.
#
# Next we put these pieces into a loop: gradient descent. Continue with the
# [next lesson](06-gradient-descent.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** For $f(w) = w^2$ the derivative is
# $2w$. Start from `w = torch.tensor(3., requires_grad=True)`, compute
# `(w ** 2).backward()` and print `w.grad`; then compute a fresh `w ** 2` and
# call `backward()` on it again. Predict both printed values first.

# %% tags=["solution"]
w = torch.tensor(3., requires_grad=True)
(w ** 2).backward()
print(w.grad)
assert w.grad.item() == 6.  # the derivative 2w at w = 3
(w ** 2).backward()
print(w.grad)
# backward() adds: the second gradient, 6 again, lands on top of the first.
assert w.grad.item() == 12.

# %% [markdown]
# **Exercise 2 (break it and explain).** Take three gradient steps with
# `lr = 0.1` from a fresh Parameter at $(1, 1)$, once with `grad.zero_()` after
# each update and once without it. Without it, which gradient does each step
# really use? Check both runs against steps computed with the last lesson's
# formula, $\frac{2}{n} X^\top (Xa - y)$.

# %% tags=["solution"]
def three_steps(clear):
    w = nn.Parameter(torch.tensor([1.,1]))
    for _ in range(3):
        gd.mse(x@w, y).backward()
        with torch.no_grad():
            w.sub_(lr*w.grad)
            if clear:
                w.grad.zero_()
    return w.detach()


right, pile = torch.tensor([1.,1]), torch.tensor([1.,1])
total = torch.zeros(2)  # what an uncleared .grad holds
for _ in range(3):
    right = right - lr * 2 / len(y) * x.T @ (x@right - y)
    total = total + 2 / len(y) * x.T @ (x@pile - y)
    pile = pile - lr * total
print("cleared:  ", three_steps(True))
print("uncleared:", three_steps(False))
assert torch.allclose(three_steps(True), right)
# Without zero_(), each step uses the sum of *all* gradients so far, so the
# steps are too long and point partly where the line used to be.
assert torch.allclose(three_steps(False), pile)
assert not torch.allclose(three_steps(False), right)

# %% [markdown]
# **Exercise 3 (practice).** Split the 100 points into three pieces of
# unequal size: 10, 30 and 60 points. Weight each piece's mean loss so that
# the three `backward()` calls together give exactly the full gradient.

# %% tags=["solution"]
e = nn.Parameter(torch.tensor([1.,1]))
gd.mse(x@e, y).backward()
whole = e.grad.clone()
e.grad.zero_()
for rows in (slice(0, 10), slice(10, 40), slice(40, 100)):
    share = len(y[rows]) / len(y)  # 10/100, 30/100, 60/100
    (share * gd.mse(x[rows]@e, y[rows])).backward()
print(e.grad, whole)
assert torch.allclose(e.grad, whole)
