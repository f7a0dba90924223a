# %% [markdown]
# # Python side notes
#
# The animation lesson used a small piece of Python that puzzles many people:
# a lonely comma, as in `line, = plt.plot(...)` and `return line,`. This short
# lesson explains it. You will see why `plt.plot` returns a list, how the comma
# unpacks a one-element list, and the rule behind it all: in Python it is the
# **comma** that makes a tuple, not the parentheses.

# %% [markdown]
# ## plt.plot returns a list
#
# One call to `plt.plot` can draw several lines at once, so it always returns a
# **list** of lines, even when there is only one. (We close each figure in this
# lesson right away: we only want to look at the objects, not the pictures.)

# %%
import matplotlib.pyplot as plt

lines = plt.plot([0, 1], [0, 1])
print(type(lines).__name__, "of length", len(lines))
assert isinstance(lines, list) and len(lines) == 1

two = plt.plot([0, 1], [0, 1], [0, 1], [1, 0])  # two lines from one call
print(type(two).__name__, "of length", len(two))
assert len(two) == 2
plt.close()

# %% [markdown]
# ## The trailing comma unpacks
#
# To change the line later (as the animation did), we want the line object
# itself, not a list holding it. Writing a comma after the name does that:

# %%
(line,) = plt.plot([0, 1], [0, 1])
plt.close()
print(type(line).__name__)
assert type(line).__name__ == "Line2D"

# %% [markdown]
# This is **unpacking**, the same mechanism as `a, b = [1, 2]`, just with one name
# on the left instead of two. Python takes the list on the right apart and
# assigns its elements to the names on the left, in order.
#
# Unpacking also checks the count. If `plot` had drawn two lines, `line, = ...`
# would fail instead of silently keeping the first one:

# %%
try:
    (line,) = plt.plot([0, 1], [0, 1], [0, 1], [1, 0])
except ValueError as error:
    print("ValueError:", error)
plt.close()

# %% [markdown]
# Two other spellings mean the same thing and some people find them clearer:
# `[line] = plt.plot(...)` and `line = plt.plot(...)[0]` (the second one does not
# check the count).

# %% [markdown]
# ## The comma makes the tuple
#
# On the left of `=` the comma unpacks; elsewhere it **builds a tuple**. A single
# value followed by a comma is a tuple of length one:

# %%
t = (1,)
print(type(t).__name__, len(t), t)
assert t == (1,) and len(t) == 1

# %% [markdown]
# Parentheses alone do *not* make a tuple: around an expression they only group
# it, as in `(1 + 2) * 3`. So `(1)` is just the number 1, and it takes the comma,
# `(1,)`, to get a tuple:

# %%
print(int.__name__, type((1,)).__name__)
assert (1) == 1 and isinstance((1), int)
assert isinstance((1,), tuple) and len((1,)) == 1

# %% [markdown]
# We usually *write* the parentheses anyway, `(1,)`, because a bare trailing comma
# is easy to miss. The one exception to the rule is the empty tuple, `()`, which
# has no comma at all.
#
# An accidental trailing comma is a classic bug: the value silently becomes a
# tuple, and the error only shows up later, somewhere else.

# %%
n = (100,)  # meant to be the number 100
print(type(n).__name__, n)
try:
    n + 1
except TypeError as error:
    print("TypeError:", error)

# %% [markdown]
# ## return line,
#
# `return line,` returns a tuple with one element, by the same rule. `FuncAnimation`
# expects a frame function to return a sequence of the things it changed, and a
# one-element tuple is the shortest way to write that.


# %%
def animate(i):
    return (line,)


result = animate(0)
print(type(result).__name__, len(result))
assert isinstance(result, tuple) and len(result) == 1 and result[0] is line

# %% [markdown]
# ## Unpacking works on any sequence, tensors included
#
# The animation's frame function started with
# `slope, intercept = history.params[i]`. That is unpacking again, this time of
# a tensor with two elements. Each element comes out as a 0-dimensional tensor.

# %%
import torch

slope, intercept = torch.tensor([3.0, 2.0])
print(slope, intercept)
assert slope.ndim == 0 and slope.item() == 3.0 and intercept.item() == 2.0

# %% [markdown]
# ## Summary
#
# - `plt.plot` returns a list of lines; `line, = plt.plot(...)` unpacks its single
#   element, and fails loudly if there is more than one.
# - A comma makes a tuple: `t = 1,` is a tuple, `(1)` is an int, `(1,)` is a tuple.
# - `return line,` returns a one-element tuple.
# - Unpacking works on lists, tuples and tensors alike.
#
# That is the end of the lessons. Go back to the [list of lessons](../index.md) to
# revisit any of them, or try the exercises below.

# %% [markdown]
# ## Exercises
#
# **1. Tuple or not?** Predict the type of each of these, then check:
# `(1, 2)`, `1, 2`, `("a")`, `("a",)`, `[1],` and `()`.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# values = [(1, 2), (1, 2), ("a"), ("a",), ([1],), ()]  # `1, 2` in a list needs parentheses
# kinds = [type(v).__name__ for v in values]
# print(kinds)
# assert kinds == ["tuple", "tuple", "str", "tuple", "tuple", "tuple"]
# t = 1, 2  # on its own line, no parentheses needed
# assert t == (1, 2)
# ```
#
# </details>
#
# **2. Swapping.** `a, b = b, a` swaps two variables without a temporary one. Explain
# it with what you learned (where is the tuple?) and check it.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# a, b = "first", "second"
# a, b = b, a  # the right side builds the tuple ("second", "first"), the left unpacks it
# assert (a, b) == ("second", "first")
# packed = b, a  # the tuple on its own
# assert isinstance(packed, tuple) and packed == ("first", "second")
# ```
#
# </details>
#
# **3. Starred unpacking.** A name with a star collects "the rest" into a list.
# Split `[10, 20, 30, 40]` into its first element and the rest, then into everything
# but the last element and the last one.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# first, *rest = [10, 20, 30, 40]
# *init, last = [10, 20, 30, 40]
# print(first, rest, init, last)
# assert first == 10 and rest == [20, 30, 40]
# assert init == [10, 20, 30] and last == 40
# ```
#
# </details>
