# %% [markdown]
# # The problem and the data
#
# Gradient descent is a way of finding good numbers by making a guess and
# improving it step by step. To watch it work we need a problem whose answer we
# already know, so in this lesson we build one: a cloud of noisy points scattered
# around a straight line that we choose ourselves. Along the way you will meet
# PyTorch tensors, see how to slice them, learn why a matrix–vector product can
# compute a whole line at once, and draw the points with matplotlib.

# %% [markdown]
# ## The goal
#
# Imagine someone hands you a set of points that roughly follow a straight line,
# and asks: *which line?* A line is described by two numbers, its **slope** and
# its **intercept**:
#
# $$y = a_0 x + a_1$$
#
# Our job over the next lessons is to find $a_0$ and $a_1$ from the points alone.
# To be able to check the answer, we first make the points ourselves from the
# line $y = 3x + 2$, then add some random noise so they do not sit exactly on it.

# %% [markdown]
# ## A table of inputs
#
# PyTorch stores numbers in **tensors**: grids of numbers with a shape, much like
# NumPy arrays. We start with a table of `n = 100` rows and 2 columns, all ones.
# The first column will hold the x values; the second will stay at 1 for a
# reason we will see shortly.

# %%
import torch

n = 100
x = torch.ones(n, 2)
x.shape

# %% [markdown]
# ## Slicing: picking rows and columns
#
# Square brackets select parts of a tensor. Slices use Python's usual rule:
# `start:stop` includes `start` and **excludes** `stop`. A small tensor of the
# numbers 0 to 7 makes this easy to see.

# %%
t = torch.arange(8)
print("t      ", t)
print("t[:5]  ", t[:5])  # from the start up to, not including, index 5
print("t[2:]  ", t[2:])  # from index 2 to the end

# %% [markdown]
# So `t[:5]` is the first five elements (indices 0 to 4), and `t[2:]` drops the
# first two. With a 2-D tensor the same rules apply to each dimension, separated
# by a comma. A lone `:` means "everything along this dimension", so `x[:,0]`
# is every row of column 0: the whole first column. (A space after the comma,
# `x[:, 0]`, makes no difference; you will see both spellings.)

# %%
print(x[:5].shape)  # the first five rows, both columns
print(x[2:].shape)  # every row from index 2 on
print(x[:,0].shape)  # column 0 of every row
assert x[:5].shape == (5, 2) and x[2:].shape == (n - 2, 2)
assert x[:,0].shape == (n,) and torch.equal(x[:,0], x[:, 0])

# %% [markdown]
# ## Filling the first column with random x values
#
# Now we replace the ones in column 0 with random numbers between −1 and 1.
# Two details matter here:
#
# - `x[:,0]` is a **view** into `x`, not a copy: writing into it writes into `x`.
# - Methods whose name ends in an underscore, such as `uniform_`, work
#   **in place**: they overwrite the tensor instead of returning a new one.
#
# We seed PyTorch's random number generator first, so every run (and every
# build of this site) draws the same numbers.

# %%
torch.manual_seed(42)
x[:,0].uniform_(-1.,1)
x[:5]

# %% [markdown]
# The first column now holds random values and the second is still all ones.
#
# Why is it written `-1.` with a dot? The dot makes it a **float literal**
# (`-1.` is the same as `-1.0`) rather than the integer `-1`. Here `x` is already a
# float tensor (`torch.ones` makes floats unless told otherwise), so the dot is
# partly a habit. But it is a good habit: wherever a literal *creates* a tensor,
# its type decides the tensor's type, and PyTorch will not silently mix integer
# and float tensors in a matrix product.

# %%
print(torch.tensor([3,2]).dtype)  # integers in, integer tensor out
print(torch.tensor([3.,2]).dtype)  # one float makes the whole tensor float
try:
    x@torch.tensor([3,2])
except RuntimeError as error:
    print("RuntimeError:", error)  # terse, but it says the dtypes differ

# %% [markdown]
# ## The true line, as a tensor
#
# The two numbers of our line go into a tensor `a`: slope 3, intercept 2. The dot
# in `3.` keeps it a float tensor, so it can be multiplied with `x`. (The
# fast.ai notebook these lessons start from, named on the
# [home page](../index.md), writes this as `tensor(3.,2)`: fastai's `tensor`
# helper accepts the numbers as separate arguments, while plain PyTorch wants
# a list.)

# %%
a = torch.tensor([3.,2])
a

# %% [markdown]
# ## All the y values in one product
#
# `x@a` is a **matrix–vector product**. For each row of `x` it multiplies the
# row element by element with `a` and adds up the results. A row of `x` is
# $(x_i, 1)$, so row $i$ gives
#
# $$a_0 \cdot x_i + a_1 \cdot 1 = 3 x_i + 2$$
#
# which is exactly the point on our line above $x_i$. The column of ones is the
# trick that adds the intercept: it makes $a_1$ get multiplied by 1 in every row.
# One product computes all 100 line values at once, with no Python loop.

# %%
line_values = x@a
print(line_values.shape)
print(line_values[:3])
print(3 * x[:3, 0] + 2)  # the same numbers, written out for three rows
assert torch.allclose(line_values, a[0] * x[:,0] + a[1])

# %% [markdown]
# ## Adding noise
#
# Real measurements never sit exactly on a line. We add noise with
# `torch.rand(n)`, which draws `n` numbers uniformly from $[0, 1)$: every value
# is at least 0 and below 1. So the noise is **never negative** (0 itself can
# come up, though it is very unlikely), and it averages about 0.5.

# %%
noise = torch.rand(n)
print(f"smallest {noise.min():.4f}, largest {noise.max():.4f}")
print(f"mean {noise.mean():.4f}")
assert noise.min() >= 0 and noise.max() < 1

# %% [markdown]
# Zero really is among the possible values. `torch.rand` returns whole
# multiples of $2^{-24}$, so each draw is exactly 0 with a chance of $2^{-24}$,
# about 1 in 17 million. Rare, but not impossible: a million draws from a
# generator seeded with 12 contain one.

# %%
draws = torch.rand(10**6, generator=torch.Generator().manual_seed(12))
steps_of = draws * 2**24  # each draw counted in steps of 2**-24
assert torch.equal(steps_of, steps_of.round())  # whole numbers of steps
print("exact zeros among a million draws:", int((draws == 0).sum()))
assert (draws == 0).sum() == 1 and draws.min() == 0

# %% [markdown]
# Because the noise never pushes a point *down*, the cloud sits on average about
# half a unit above the line $y = 3x + 2$. Keep that in mind: the line that fits
# the points best will have an intercept a little above 2. We come back to this in
# the gradient-descent lesson.

# %%
y = x@a + noise
y[:5]

# %% [markdown]
# ## Looking at the data
#
# `plt.scatter` draws one dot per point: column 0 of `x` across, `y` up (`s=12`
# sets the size of the dots). `plt.figure` sets the size in inches, and
# `layout="constrained"` makes matplotlib leave room for the axis labels.
#
# Two notebook habits are at work in this cell. At the end of a cell, the
# notebook shows every figure that pyplot drew in it. It *also* shows the value
# of the cell's last line, and here that would be the object `plt.scatter`
# returns, printed as a line of text like
# `<matplotlib.collections.PathCollection object at 0x7f…>` above the
# picture. The trailing `;` tells the notebook not to show that value.
# (Exercise 2 below lets you see the line for yourself.)

# %%
import matplotlib.pyplot as plt

plt.figure(figsize=(5.5, 3.6), layout="constrained")
plt.xlabel("x")
plt.ylabel("y")
plt.scatter(x[:,0], y, s=12);

# %% [markdown]
# The points clearly follow a rising line, with some scatter around it. That
# scatter is the noise; the rising trend is the slope 3.

# %% [markdown]
# ## The same recipe in one call
#
# The lessons that follow need this data again and again, so the `gd` package
# has a function for it: [`gd.linear_data`](../reference.md#gd.linear_data). Its
# body is the recipe above, step for step (this is the real code, included from
# the file when the page was built):
#
# --8<-- "gd/data.py:recipe"
#
# Two spellings differ from ours: `-1.0` is the same float as `-1.`, and
# `generator=` hands each random call a random number generator of its own, so
# calling `gd.linear_data` never disturbs `torch.manual_seed` elsewhere. Given
# the same seed it draws the same random numbers in the same order, so it
# returns *identical* tensors.

# %%
import gd

x2, y2 = gd.linear_data(n, seed=42)
assert torch.equal(x2, x) and torch.equal(y2, y)
assert -1. == -1.0  # two spellings of one float
print("gd.linear_data gives exactly the x and y we built by hand")

# %% [markdown]
# From now on every lesson starts with `gd.linear_data(100, seed=42)`, so all
# lessons work on these same 100 points and their numbers agree. `gd.plot_data`
# draws the same scatter plot as above.

# %%
x, y = gd.linear_data(100, seed=42)
gd.plot_data(x, y)

# %% [markdown]
# ## Summary
#
# - The task: find the slope and intercept of a line from noisy points.
# - `torch.ones(n, 2)` makes a table; `x[:,0].uniform_(-1.,1)` fills its first
#   column in place with random values. Float literals like `-1.` and `3.` keep
#   tensors in floating point.
# - Slices include the start and exclude the stop: `x[:5]` is rows 0 to 4.
# - `x@a` computes $a_0 x_i + a_1$ for every row at once; the column of ones is
#   what adds the intercept.
# - `torch.rand(n)` noise is uniform in $[0, 1)$: it never lowers a point, and
#   on average it lifts the points by about one half.
# - `gd.linear_data(100, seed=42)` builds the same data in one call.
#
# Next: how do we put a number on how wrong a candidate line is? Continue with the
# [next lesson](02-loss.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`, so they double as
# tests of what the lesson claims.

# %% [markdown]
# **Exercise 1 (predict, then run).** `t` is `torch.arange(8)`, the numbers 0
# to 7. Before running anything, write down what `t[2:5]` and `t[-3:]` hold,
# and the shape of `x[2:5]`. Then run the code and compare.

# %% tags=["solution"]
print(t[2:5], t[-3:], tuple(x[2:5].shape))
# 2:5 starts at index 2 and stops *before* index 5: three elements.
assert t[2:5].tolist() == [2, 3, 4]
# A negative start counts from the end: -3 is the third element from last.
assert t[-3:].tolist() == [5, 6, 7]
# On x the slice picks rows 2, 3 and 4, with both columns.
assert x[2:5].shape == (3, 2)

# %% [markdown]
# **Exercise 2 (practice).** Delete the `;` at the end of the scatter-plot
# cell and run the cell again. What appears above the figure, and where does
# it come from?

# %% tags=["solution"]
plt.figure(figsize=(5.5, 3.6), layout="constrained")
returned = plt.scatter(x[:,0], y, s=12)  # the value of the cell's last line
plt.close()  # we only want the object here, not a second picture
# Without the `;` the notebook prints this object's text, a line like
# <matplotlib.collections.PathCollection object at 0x7f...> above the
# figure (the end is a memory address, different on every run).
print(repr(returned).split(" at ")[0])
assert type(returned).__name__ == "PathCollection"
assert len(returned.get_offsets()) == n  # one dot per point

# %% [markdown]
# **Exercise 3 (practice).** Compute the first five values of `x@a` with a
# plain Python loop over rows (multiply and add the two elements yourself), and
# check that they match the matrix product.

# %% tags=["solution"]
by_hand = []
for row in x[:5].tolist():  # plain Python lists of two floats
    by_hand.append(row[0] * 3. + row[1] * 2.)
assert torch.allclose(torch.tensor(by_hand), (x@a)[:5])
print([round(value, 4) for value in by_hand])

# %% [markdown]
# **Exercise 4 (practice).** Using `x` and `y` from `gd.linear_data(100,
# seed=42)`, compute the noise that was added to each point. Check that it lies
# in $[0, 1)$ and that its mean is within 0.1 of one half.

# %% tags=["solution"]
x_check, y_check = gd.linear_data(100, seed=42)
recovered = y_check - (3 * x_check[:, 0] + 2)  # subtract the true line
print(f"min {recovered.min():.4f}, max {recovered.max():.4f}")
print(f"mean {recovered.mean():.4f}")
# Allow for float rounding at both ends of the interval.
assert recovered.min() >= -1e-6 and recovered.max() < 1 + 1e-6
assert abs(recovered.mean().item() - 0.5) < 0.1

# %% [markdown]
# **Exercise 5 (break it and explain).** In the cell that filled the first
# column, write `x[0]` where it says `x[:,0]`, on a fresh table of ones. Which
# numbers change now, and what happens to the trick that adds the intercept?

# %% tags=["solution"]
broken = torch.ones(n, 2)
broken[0].uniform_(-1.,1)  # x[0] is row 0, not column 0
print(broken[:3])
# Only the first ROW got random numbers: x[0] selects row 0 (two numbers),
# x[:,0] selects column 0 (one number per row). Every other x stays 1, and
# row 0's second number is no longer 1, so x@a adds a wrong intercept there.
assert not torch.equal(broken[0], torch.ones(2))
assert torch.equal(broken[1:], torch.ones(n - 1, 2))
assert broken[0, 1] != 1
