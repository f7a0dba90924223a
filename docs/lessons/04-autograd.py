# %% [markdown]
# # Autograd and gradient accumulation
#
# Gradient descent needs the **gradient**: how much the loss changes when each
# parameter is nudged. PyTorch's *autograd* computes it for us. In this lesson
# you will call `loss.backward()` and read the result from `.grad`, discover that
# gradients **add up** across calls (and why you must clear them), see why the
# parameter update has to run inside `torch.no_grad()`, and derive the MSE
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
a = nn.Parameter(torch.tensor([1.0, 1.0]))
print("gradient before backward:", a.grad)
assert a.grad is None

# %% [markdown]
# ## backward() fills .grad
#
# While we compute the loss, autograd quietly records each operation that
# involves a tracked tensor: a product with `x`, a subtraction, a square, a mean.
# `loss.backward()` then walks that record backwards, applying the chain rule at
# each step, and stores the gradient of the loss in the `.grad` attribute.

# %%
loss = gd.mse(x @ a, y)
loss.backward()
print(f"loss: {loss.item():.4f}")
print("a.grad:", a.grad)

# %% [markdown]
# `a.grad` has one entry per parameter: how fast the loss changes as that number
# grows. Both entries are negative, so increasing either the slope or the
# intercept would *lower* the loss. That matches the plot in lesson 2, where the
# first guess ran too low and too flat.

# %%
assert (a.grad < 0).all()

# %% [markdown]
# A gradient entry is a **slope** in the everyday sense. Keep the slope of the
# line fixed at 1 and vary only the intercept: the loss traces a curve (a
# parabola, since the loss is a sum of squares). At our guess, intercept 1, the
# straight line that just touches the curve has exactly the slope `a.grad[1]`.
# A numerical check: nudge the intercept a tiny bit each way and divide the change
# in loss by the change in intercept.


# %%
def loss_at(intercept):
    return gd.mse(x @ torch.tensor([1.0, intercept]), y).item()


h = 1e-2
numerical = (loss_at(1 + h) - loss_at(1 - h)) / (2 * h)
print(f"numerical slope: {numerical:.4f}   autograd: {a.grad[1].item():.4f}")
assert abs(numerical - a.grad[1].item()) < 1e-3

# %%
import matplotlib.pyplot as plt

intercepts = torch.linspace(-1, 5, 61)
fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")  # room for the labels
curve = torch.tensor([loss_at(b) for b in intercepts.tolist()])
ax.plot(intercepts, curve, label="loss (slope fixed at 1)")
touch = torch.tensor([0.0, 2.0])  # the tangent, drawn from intercept 0 to 2
ax.plot(touch, loss.item() + a.grad[1].item() * (touch - 1), "--", label="slope = a.grad[1]")
ax.plot([1.0], [loss.item()], "o", color="tab:red", label="our guess")
ax.set_title("Loss as the intercept changes")
ax.set_xlabel("intercept a[1]")
ax.set_ylabel("loss")
ax.legend()
assert intercepts[curve.argmin()] > 1  # the bottom of the curve lies to the right of our guess

# %% [markdown]
# The tangent slopes down to the right, so moving the intercept to the right
# (increasing it) lowers the loss, and the curve's lowest point is indeed further right.

# %% [markdown]
# Which tensors get a `.grad`? Only **leaf** tensors that have
# `requires_grad=True`. A leaf is a tensor you created directly, rather than one
# computed from other tracked tensors. `a` is a leaf; `loss` was computed, so it
# is not. `x` is a leaf but nobody asked to track it, so its `.grad` stays empty.

# %%
print("a is a leaf:", a.is_leaf, "| loss is a leaf:", loss.is_leaf)
print("x.grad:", x.grad)
assert a.is_leaf and not loss.is_leaf and x.grad is None

# %% [markdown]
# ## Gradients accumulate
#
# Here is a surprise for most newcomers. Compute the loss again, exactly as
# before, and call `backward()` a second time. `backward()` does not *replace*
# `.grad`; it **adds** the new gradient to what is already there. The same
# gradient added twice gives double:

# %%
first = a.grad.clone()  # a copy: a.grad itself is about to change
loss = gd.mse(x @ a, y)  # a fresh loss, from the same unchanged a
loss.backward()
print("after one backward:  ", first)
print("after two backwards: ", a.grad)
assert torch.allclose(a.grad, 2 * first)

# %% [markdown]
# Why *add*? Because it is useful: sometimes a parameter feeds into several
# losses, or a batch of data is too big for memory and is processed in pieces.
# Adding up the gradients of the pieces gives the gradient of the whole. The
# price is that in an ordinary training loop you must clear `.grad` yourself
# after each update. The in-place method `zero_()` does that:

# %%
a.grad.zero_()
print("after zero_():", a.grad)
assert (a.grad == 0).all()

# %% [markdown]
# Why did we compute a *fresh* loss above instead of calling `backward()` twice on
# the same one? To save memory, `backward()` throws away the intermediate values
# it recorded as soon as it has used them, so a second call on the same loss fails:

# %%
loss = gd.mse(x @ a, y)
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
# With a gradient in hand we will want to move `a` a little downhill, changing
# it in place. Try that directly and PyTorch refuses:

# %%
loss = gd.mse(x @ a, y)
loss.backward()
try:
    a -= 0.1 * a.grad
except RuntimeError as error:
    print("RuntimeError:", error)

# %% [markdown]
# There are two reasons behind the refusal.
#
# - Autograd records every operation on a tracked tensor so it can compute
#   gradients later. The update is not part of the model (it is *how we train*
#   the model), so it must not be recorded.
# - `a` is a leaf that the recorded computation refers to. Overwriting it in
#   place behind autograd's back would make the record inconsistent, so PyTorch
#   forbids it outright.
#
# Inside a `with torch.no_grad():` block, autograd records nothing, and the
# in-place update is allowed. Afterwards `a` is still the same Parameter, still
# tracked, and its loss went down:

# %%
before = loss.item()
with torch.no_grad():
    a -= 0.1 * a.grad
    a.grad.zero_()
after = gd.mse(x @ a, y).item()
print(f"loss before the step: {before:.4f}, after: {after:.4f}")
assert isinstance(a, nn.Parameter) and a.requires_grad
assert after < before

# %% [markdown]
# (A tempting alternative, `a = a - 0.1 * a.grad` without `no_grad`, does run,
# but it creates a *new*, computed tensor: no longer a leaf, no longer a
# Parameter, and it never gets a `.grad` of its own. The in-place update under
# `no_grad` keeps the same object.)

# %% [markdown]
# ## The gradient by hand
#
# Autograd is not magic: for the MSE of a line we can work out the gradient
# with pen and paper, and we should get the same numbers. Write $x_i$ for row $i$
# of the table `x`, so the prediction for point $i$ is $x_i \cdot a$. The loss is
#
# $$L(a) = \frac{1}{n} \sum_{i=1}^{n} (x_i \cdot a - y_i)^2$$
#
# Take the derivative with respect to one parameter $a_j$. By the chain rule,
# the square contributes a factor $2(x_i \cdot a - y_i)$, and the inside,
# $x_i \cdot a = x_{i0} a_0 + x_{i1} a_1$, contributes $x_{ij}$:
#
# $$\frac{\partial L}{\partial a_j} = \frac{2}{n} \sum_{i=1}^{n} (x_i \cdot a - y_i) \, x_{ij}$$
#
# Doing this for both $j$ at once is a matrix product with the transposed table
# $X^\top$, where $X$ is `x` and $Xa$ is the vector of all predictions:
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
by_hand = 2 / len(y) * x.T @ (x @ a.detach() - y)

loss = gd.mse(x @ a, y)
loss.backward()
print("by hand: ", by_hand)
print("autograd:", a.grad)
assert torch.allclose(by_hand, a.grad)
a.grad.zero_()
print("gradient cleared:", a.grad)

# %% [markdown]
# They agree. From here on we let autograd do this work, which matters because
# for a neural network with millions of parameters nobody derives gradients by hand.

# %% [markdown]
# ## Summary
#
# - `loss.backward()` computes the gradient of the loss and stores it in `.grad`
#   of every leaf tensor with `requires_grad=True`.
# - `backward()` **adds** to `.grad`: two calls give twice the gradient. Clear it
#   with `a.grad.zero_()` after each update.
# - Update parameters inside `torch.no_grad()`: the update is not part of the
#   model, and an in-place change to a tracked leaf is refused otherwise.
# - For the MSE of a line, $\partial L / \partial a = \frac{2}{n} X^\top (Xa - y)$,
#   and autograd gives exactly that.
#
# Next we put these pieces into a loop: gradient descent. Continue with the
# [next lesson](05-gradient-descent.py).

# %% [markdown]
# ## Exercises
#
# **1. A gradient you know.** For $f(w) = w^2$ the derivative is $2w$. Use
# autograd to compute it at $w = 3$ and check the result.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# w = torch.tensor(3., requires_grad=True)
# f = w ** 2
# f.backward()
# print(w.grad)
# assert w.grad.item() == 2 * 3.0
# ```
#
# </details>
#
# **2. Three backward calls.** Starting from a fresh Parameter at $(1, 1)$, compute a
# fresh loss and call `backward()` three times in a row. Check that `.grad` is
# three times the hand-derived gradient.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# b = nn.Parameter(torch.tensor([1., 1.]))
# for _ in range(3):
#     gd.mse(x @ b, y).backward()  # a fresh loss each time
# single = 2 / len(y) * x.T @ (x @ torch.tensor([1., 1.]) - y)
# print(b.grad, 3 * single)
# assert torch.allclose(b.grad, 3 * single)
# ```
#
# </details>
#
# **3. The gradient at the true line.** Compute the MSE gradient at $a = (3, 2)$
# with the formula and with autograd, using `torch.nn.functional.mse_loss` for the
# loss. Why is the intercept's entry clearly negative even though this is the line
# the data came from?
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# import torch.nn.functional as F
#
# c = nn.Parameter(torch.tensor([3., 2.]))
# F.mse_loss(x @ c, y).backward()
# formula = 2 / len(y) * x.T @ (x @ torch.tensor([3., 2.]) - y)
# print(c.grad, formula)
# assert torch.allclose(c.grad, formula, atol=1e-6)
# # The intercept's entry is twice the average error, and the noise lifts every
# # point by about 0.5 on average, so the true line sits too low: about -2 * 0.5.
# assert abs(c.grad[1].item() - (-2 * (y - x @ torch.tensor([3., 2.])).mean().item())) < 1e-5
# ```
#
# </details>
