# %% [markdown]
# # Autograd: where gradients come from
#
# Gradient descent needs the **gradient**: how much the loss changes when each
# number in the parameters is nudged. PyTorch's *autograd* computes it for us.
# In this lesson you will see how a loss remembers the operations that made it
# (`grad_fn`), call `loss.backward()` and read the result from `.grad`, see
# which tensors receive a gradient, learn the two facts about slopes that
# autograd applies at every step, and derive the MSE gradient by hand to
# confirm that autograd gets it right. What to do with a gradient once you
# have it is the next lesson's subject.

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
# Now we check the formula against autograd. `a` is still our first guess,
# $(1, 1)$: nothing in this lesson changed it. So `a.grad` still holds the
# gradient that `loss.backward()` stored at the start. `x.T` is the transpose
# and `len(y)` is $n$.

# %%
print("x:", tuple(x.shape), "| x.T:", tuple(x.T.shape))
assert x.T.shape == (2, 100) and torch.equal(x.T[0], x[:, 0])
assert torch.equal(a.detach(), torch.tensor([1.,1]))
by_hand = 2 / len(y) * x.T @ (x @ a.detach() - y)
print("by hand: ", by_hand)
print("autograd:", a.grad)
assert torch.allclose(by_hand, a.grad)

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
#   number in the Parameter. A leaf is a tensor you created, not one computed
#   from tracked tensors.
# - Each gradient entry is a slope: the rate at which the loss changes when
#   that one number is nudged. Autograd finds it with the chain rule, slopes
#   multiplied along the graph.
# - For the MSE of a line,
#   $\partial L / \partial a = \frac{2}{n} X^\top (Xa - y)$, and autograd
#   gives exactly that.
#
# Next: what `backward()` does when it is called again, and how to change a
# Parameter with its gradient. Continue with the
# [next lesson](05-accumulation-and-update.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** Start from
# `w = torch.tensor(2., requires_grad=True)` and compute `v = 3 * w + 1`.
# Predict whether `v` is a leaf, the class name of `v.grad_fn`, and `w.grad`
# after `(v ** 2).backward()`.

# %% tags=["solution"]
w = torch.tensor(2., requires_grad=True)
v = 3 * w + 1
(v ** 2).backward()
print("leaf:", v.is_leaf, "| grad_fn:", type(v.grad_fn).__name__,
      "| w.grad:", w.grad.item())
# v was computed from the tracked w, so it is not a leaf; its record is the
# last operation that made it, the "+ 1".
assert not v.is_leaf and type(v.grad_fn).__name__ == "AddBackward0"
# The chain rule: the square contributes 2v = 2 * 7, and 3w + 1 contributes
# its slope 3, so w.grad = 14 * 3.
assert w.grad.item() == 2 * 7 * 3 == 42

# %% [markdown]
# **Exercise 2 (break it and explain).** Make the first guess a plain tensor,
# `torch.tensor([1.,1])` as at the start of lesson 3, instead of a Parameter,
# and call `backward()` on its loss. What happens, and why?

# %% tags=["solution"]
plain = torch.tensor([1.,1])
plain_loss = gd.mse(x@plain, y)
print("grad_fn:", plain_loss.grad_fn)
message = None
try:
    plain_loss.backward()
except RuntimeError as error:
    message = str(error)
print("RuntimeError:", message)
# Nothing the loss was computed from is tracked, so autograd recorded no
# graph: the loss has no grad_fn, and backward() has nothing to walk back.
assert plain_loss.grad_fn is None and not plain_loss.requires_grad
assert message is not None and "does not require grad" in message

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
# **Exercise 4 (practice).** Check the slope's entry of the gradient at our
# first guess numerically, as we checked the intercept's: keep the intercept
# at 1, nudge the slope a little each way, and compare with autograd's entry
# for the slope.

# %% tags=["solution"]
def loss_at_slope(slope):
    return gd.mse(x @ torch.tensor([slope, 1.]), y).item()


h = 1e-2
numerical = (loss_at_slope(1 + h) - loss_at_slope(1 - h)) / (2 * h)
guess = nn.Parameter(torch.tensor([1.,1]))
gd.mse(x@guess, y).backward()
print(f"numerical: {numerical:.4f}   autograd: {guess.grad[0].item():.4f}")
# The same central difference as for the intercept: the loss is a parabola
# in the slope too, so the two agree up to float rounding.
assert abs(numerical - guess.grad[0].item()) < 1e-3
