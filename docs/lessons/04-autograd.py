# %% [markdown]
# # Autograd and gradient accumulation
#
# Gradient descent needs the **gradient**: how much the loss changes when each
# number in the parameters is nudged. PyTorch's *autograd* computes it for us.
# In this lesson you will see how a loss remembers the operations that made it
# (`grad_fn`), call `loss.backward()` and read the result from `.grad`, discover
# that gradients **add up** across calls (and why you must clear them), see why
# the parameter update has to run inside `torch.no_grad()`, and derive the MSE
# gradient by hand to confirm that autograd gets it right.

# %% [markdown]
# ## Setup
#
# The same data and first guess as before, with the guess wrapped in
# `nn.Parameter` so that autograd tracks it (see the previous lesson).

# %%
import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42)
a = nn.Parameter(torch.tensor([1.,1]))
print("gradient before backward:", a.grad)
assert a.grad is None

# %% [markdown]
# ## The loss remembers how it was made
#
# So far we printed losses with `.item()`, as plain numbers. Here is the loss
# of our guess printed as the tensor it is:

# %%
loss = gd.mse(x@a, y)
loss

# %% [markdown]
# Next to the value, the tensor carries `grad_fn=<MeanBackward0>`. Because `a`
# is tracked, autograd wrote down every operation that involved it while the
# loss was computed. `grad_fn` is the record of the *last* of them, the one
# that produced this tensor: here the mean that `gd.mse` takes at the end.

# %%
print(type(loss.grad_fn).__name__)
assert type(loss.grad_fn).__name__ == "MeanBackward0"

# %% [markdown]
# Each record also points to the records of its inputs, in
# `next_functions`. Following those pointers from `loss.grad_fn` walks back
# through the whole computation, one operation at a time. (Untracked inputs,
# such as `y`, have no record and show up as `None`; we skip them.)

# %%
node = loss.grad_fn
names = []
while node is not None:
    names.append(type(node).__name__)
    inputs = [n for n, _ in node.next_functions if n is not None]
    last = node
    node = inputs[0] if inputs else None
print(" <- ".join(names))
assert names == ["MeanBackward0", "PowBackward0", "SubBackward0",
                 "MvBackward0", "AccumulateGrad"]
assert last.variable is a  # the walk ends at our parameter

# %% [markdown]
# Read from the right, that is our formula `((x@a - y) ** 2).mean()` built
# up step by step: a matrix–vector product (`Mv`), a subtraction (`Sub`), a
# square (`Pow`) and the mean (`Mean`). The chain ends at an `AccumulateGrad`
# node attached to `a`: the place where a gradient for `a` will be stored.
# These linked records form the computation's **graph**, and `loss.grad_fn` is
# its entry point.

# %% [markdown]
# ## backward() fills .grad
#
# `loss.backward()` starts at `loss.grad_fn` and walks the graph back to `a`,
# combining the slopes of the steps it passes (the *chain rule*, which we meet
# properly at the end of this lesson), and stores the gradient of the loss in
# the `.grad` attribute of `a`.

# %%
loss.backward()
print("a.grad:", a.grad)
assert a.grad.shape == a.shape

# %% [markdown]
# `a` is one Parameter holding two numbers, and `a.grad` has one entry per
# number in `a`: the first says how fast the loss changes as the slope `a[0]`
# grows, the second as the intercept `a[1]` grows. Both entries are negative,
# so increasing either the slope or the intercept would *lower* the loss. That
# matches the plot in lesson 2, where the first guess ran too low and too flat.

# %%
assert (a.grad < 0).all()

# %% [markdown]
# A gradient entry is a **slope** in the everyday sense. Keep the slope of the
# line fixed at 1 and vary only the intercept: the loss traces a curve (a
# parabola, since the loss is a sum of squares). At our guess, intercept 1, the
# straight line that just touches the curve has exactly the slope `a.grad[1]`.
# A numerical check: nudge the intercept a tiny bit each way and divide the
# change in loss by the change in intercept.


# %%
def loss_at(intercept):
    return gd.mse(x @ torch.tensor([1., intercept]), y).item()


h = 1e-2
numerical = (loss_at(1 + h) - loss_at(1 - h)) / (2 * h)
print(f"numerical slope: {numerical:.4f}   autograd: {a.grad[1].item():.4f}")
assert abs(numerical - a.grad[1].item()) < 1e-3

# %%
import matplotlib.pyplot as plt

intercepts = torch.linspace(-1, 5, 61)
curve = torch.tensor([loss_at(b) for b in intercepts.tolist()])
touch = torch.tensor([0., 2.])  # the tangent, drawn from intercept 0 to 2
tangent = loss.item() + a.grad[1].item() * (touch - 1)

fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")
ax.plot(intercepts, curve, label="loss (slope fixed at 1)")
ax.plot(touch, tangent, "--", label="slope = a.grad[1]")
ax.plot([1.], [loss.item()], "o", label="our guess")
ax.set_title("Loss as the intercept changes")
ax.set_xlabel("intercept a[1]")
ax.set_ylabel("loss")
ax.legend()
# the bottom of the curve lies to the right of our guess
assert intercepts[curve.argmin()] > 1

# %% [markdown]
# The tangent slopes down to the right, so moving the intercept to the right
# (increasing it) lowers the loss, and the curve's lowest point is indeed
# further right.

# %% [markdown]
# ## Leaves: where gradients are stored
#
# Which tensors get a `.grad`? Only **leaf** tensors that have
# `requires_grad=True`. A leaf is a tensor you created directly, rather than
# one computed from other tracked tensors: it has no `grad_fn`, so the walk
# back through the graph ends there. `a` is a leaf; `loss` was computed, so it
# is not. `x` is a leaf but nobody asked to track it, so its `.grad` stays
# empty.

# %%
print("a is a leaf:", a.is_leaf, "| loss is a leaf:", loss.is_leaf)
print("x.grad:", x.grad)
assert a.is_leaf and a.grad_fn is None
assert not loss.is_leaf and x.grad is None

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
a.grad.zero_()

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
# The rule is about leaves. While autograd is recording (its *grad mode*, on
# by default), every operation on a tracked tensor is recorded, in-place ones
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
# ## Two facts about slopes
#
# Working the gradient out by hand takes two facts about slopes. First, the
# slope of $u^2$ at a point $u$ is $2u$: the square grows faster the further
# $u$ is from 0. A numerical check at $u = 3$, nudging $u$ a little each way:

# %%
def square(u):
    return u ** 2


h = 1e-3
slope = (square(3 + h) - square(3 - h)) / (2 * h)
print(f"slope of u**2 at u = 3: {slope:.4f}")
assert abs(slope - 2 * 3) < 1e-6

# %% [markdown]
# Second, the **chain rule**: when one quantity feeds another, their slopes
# multiply. If $v = 5u$ (slope 5) and $L = v^2$ (slope $2v$), then $L$ changes
# with $u$ at the rate $2v \times 5$. Autograd applies exactly this rule at
# every node of the graph. At $u = 3$, so $v = 15$, the rate is
# $2 \cdot 15 \cdot 5 = 150$:

# %%
u = torch.tensor(3., requires_grad=True)
v = 5 * u
L = v ** 2
L.backward()
print("autograd:", u.grad.item(), "| chain rule:", 2 * v.item() * 5)
assert u.grad.item() == 2 * v.item() * 5 == 150

# %% [markdown]
# ## The gradient by hand
#
# Autograd is not magic: for the MSE of a line we can work out the gradient
# with pen and paper, and we should get the same numbers. Write $x_i$ for row $i$
# of the table `x`, so the prediction for point $i$ is $x_i \cdot a$. The loss is
#
# $$L(a) = \frac{1}{n} \sum_{i=1}^{n} (x_i \cdot a - y_i)^2$$
#
# Take the derivative with respect to one number $a_j$ of $a$ (written
# $\partial L / \partial a_j$: the slope of the loss when only $a_j$ changes).
# By the chain rule,
# the square contributes a factor $2(x_i \cdot a - y_i)$, and the inside,
# $x_i \cdot a = x_{i0} a_0 + x_{i1} a_1$, contributes $x_{ij}$:
#
# $$\frac{\partial L}{\partial a_j} = \frac{2}{n} \sum_{i=1}^{n} (x_i \cdot a - y_i) \, x_{ij}$$
#
# Doing this for both $j$ at once is a matrix product with the transposed table
# $X^\top$ (the table with rows and columns swapped: `x.T` has 2 rows of 100
# numbers), where $X$ is `x` and $Xa$ is the vector of all predictions:
#
# $$\frac{\partial L}{\partial a} = \frac{2}{n} X^\top (Xa - y)$$
#
# In words: each gradient entry is twice the average of *error × input*. For the
# intercept the input is always 1, so its gradient is simply twice the average
# error: a line that sits too low on average gets a negative gradient, telling us
# to raise it.

# %% [markdown]
# Now we check the formula against autograd, at the current value of `a`.
# `x.T` is the transpose and `len(y)` is $n$.

# %%
print("x:", tuple(x.shape), "| x.T:", tuple(x.T.shape))
assert x.T.shape == (2, 100) and torch.equal(x.T[0], x[:, 0])
by_hand = 2 / len(y) * x.T @ (x @ a.detach() - y)

loss = gd.mse(x@a, y)
loss.backward()
print("by hand: ", by_hand)
print("autograd:", a.grad)
assert torch.allclose(by_hand, a.grad)
a.grad.zero_()
print("gradient cleared:", a.grad)

# %% [markdown]
# They agree. From here on we let autograd do this work, which matters because
# for a neural network with millions of parameters nobody derives gradients by
# hand.

# %% [markdown]
# ## Summary
#
# - A tensor computed from a tracked one carries `grad_fn`, the record of the
#   operation that produced it; the records link back to the Parameters and
#   form the graph that `backward()` walks.
# - `loss.backward()` computes the gradient of the loss and stores it in
#   `.grad` of every leaf tensor with `requires_grad=True`: one entry per
#   number in the Parameter.
# - `backward()` **adds** to `.grad`: two calls give twice the gradient. Clear
#   it with `a.grad.zero_()` after each update. Gradients of pieces add up, but
#   mean losses must be weighted by each piece's share of the points.
# - An in-place change of a leaf that requires grad is refused while grad mode
#   is on (it would give the leaf a history). Update inside `torch.no_grad()`
#   with `a.sub_(lr*a.grad)`, or equivalently `a -= lr*a.grad`.
# - For the MSE of a line,
#   $\partial L / \partial a = \frac{2}{n} X^\top (Xa - y)$, and autograd
#   gives exactly that.
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
# really use? Check both runs against steps computed with the formula
# $\frac{2}{n} X^\top (Xa - y)$.

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
# **Exercise 3 (practice).** Compute the MSE gradient at $a = (3, 2)$ with the
# formula and with autograd, using `torch.nn.functional.mse_loss` for the
# loss. Why is the intercept's entry clearly negative even though this is the
# line the data came from?

# %% tags=["solution"]
import torch.nn.functional as F

true_a = torch.tensor([3.,2])
c = nn.Parameter(true_a.clone())
F.mse_loss(x@c, y).backward()
formula = 2 / len(y) * x.T @ (x@true_a - y)
print(c.grad, formula)
assert torch.allclose(c.grad, formula, atol=1e-6)
# The intercept's entry is twice the average error, and the noise lifts every
# point by about 0.5 on average, so the true line sits too low: about -2 * 0.5.
average_error = (x@true_a - y).mean().item()
assert abs(c.grad[1].item() - 2 * average_error) < 1e-5

# %% [markdown]
# **Exercise 4 (practice).** Split the 100 points into three pieces of
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
