# %% [markdown]
# # Python side notes
#
# The animation lesson used a small piece of Python that puzzles many people:
# a lonely comma, as in `line, = ax.plot(...)` and `return line,`. This short
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
# The animation lesson called `ax.plot`, the same method on a figure's axes
# (`plt.plot` calls it on the current axes). It returns a list too:

# %%
fig, ax = plt.subplots()
on_axes = ax.plot([0, 1], [0, 1])
print(type(on_axes).__name__, "of length", len(on_axes))
assert isinstance(on_axes, list) and len(on_axes) == 1
plt.close(fig)

# %% [markdown]
# ## The trailing comma unpacks
#
# To change the line later (as the animation did), we want the line object
# itself, not a list holding it. Writing a comma after the name does that:

# %%
line, = plt.plot([0, 1], [0, 1])
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
    line, = plt.plot([0, 1], [0, 1], [0, 1], [1, 0])
except ValueError as error:
    message = str(error)
plt.close()
print("ValueError:", message)
assert message == "too many values to unpack (expected 1)"

# %% [markdown]
# Two other spellings mean the same thing and some people find them clearer:
# `[line] = plt.plot(...)` and `line = plt.plot(...)[0]` (the second one does
# not check the count).

# %% [markdown]
# ## The comma makes the tuple
#
# On the left of `=` the comma unpacks. In an expression that stands on its
# own, such as the right side of `=` or the value after `return`, the comma
# **builds a tuple**. A single value followed by a comma is a tuple of
# length one:

# %%
t = 1,
print(type(t).__name__, len(t), t)
assert t == (1,) and len(t) == 1

# %% [markdown]
# Inside brackets the comma usually has another job: it separates. In a call
# such as `print(1, 2)` it separates the arguments (the function receives two
# numbers, not one tuple), in `def f(a, b)` the parameters, and in `[1, 2]`
# or `{1, 2}` the items of a list or a set; there even a trailing comma makes
# no tuple, so `[1,]` is a list of one number. The exception is indexing:
# the commas in `x[:,0]` do build a tuple, and that tuple is what the tensor
# receives. A class whose `__getitem__` (the method behind `[...]`) hands
# back whatever it was given shows it:

# %%
def count(*args):  # *args collects all the arguments into a tuple
    return len(args)


class Echo:
    def __getitem__(self, key):
        return key


print("count(1, 2):", count(1, 2), "| [1,]:", [1,])
print("Echo()[:,0]:", Echo()[:,0])
assert count(1, 2) == 2 and count((1, 2)) == 1  # two arguments vs a tuple
assert type([1,]) is list and len([1,]) == 1
assert Echo()[:,0] == (slice(None), 0)

# %% [markdown]
# Parentheses alone do *not* make a tuple: around an expression they only group
# it, as in `(1 + 2) * 3`. So `(1)` is just the number 1, and it takes the comma,
# `(1,)`, to get a tuple:

# %%
print("type((1)): ", type((1)))
print("type((1,)):", type((1,)))
assert isinstance((1), int) and (1) == 1
assert isinstance((1,), tuple) and len((1,)) == 1

# %% [markdown]
# We usually *write* the parentheses anyway, `(1,)`, because a bare trailing comma
# is easy to miss. The one exception to the rule is the empty tuple, `()`, which
# has no comma at all.
#
# An accidental trailing comma is a classic bug. Here is the typo, a comma
# after a number, easy to miss at the end of a line: the value silently
# becomes a tuple, and the error only shows up later, somewhere else.

# %%
n = 100,
print(type(n).__name__, n)
try:
    n + 1
except TypeError as error:
    problem = str(error)
print("TypeError:", problem)
assert n == (100,)

# %% [markdown]
# ## return line,
#
# `return line,` returns a tuple with one element, by the same rule.

# %%
def animate(i):
    return line,


result = animate(0)
print(type(result).__name__, len(result))
assert isinstance(result, tuple) and len(result) == 1 and result[0] is line

# %% [markdown]
# Why return anything at all? `FuncAnimation` uses the return value only in
# its faster drawing mode, `blit=True`, which redraws just the things the
# frame function says it changed; then the function *must* return a sequence
# of them. With the default, `blit=False`, the whole figure is redrawn for
# every frame and the return value is ignored. A frame function that changes
# the line but returns nothing shows the difference: rendering two frames
# works without blitting, and blitting refuses it.

# %%
from matplotlib.animation import FuncAnimation


def returns_nothing(i):
    line.set_ydata([i, i])  # changes the line, returns None


fig, ax = plt.subplots()
line, = ax.plot([0, 1], [0, 0])
unblitted = FuncAnimation(fig, returns_nothing, frames=2)  # blit=False
unblitted.to_jshtml()  # renders both frames: the None is ignored
try:
    FuncAnimation(fig, returns_nothing, frames=2, blit=True)
except RuntimeError as error:
    refusal = str(error)
plt.close(fig)
print("RuntimeError:", refusal)
assert "must return a sequence of Artist objects" in refusal

# %% [markdown]
# ## Unpacking works on any sequence, tensors included
#
# The animation's frame function started with
# `slope, intercept = history.params[i]`. That is unpacking again, this time of
# a tensor with two elements. Each element comes out as a 0-dimensional tensor.

# %%
import torch

slope, intercept = torch.tensor([3.,2])
print(slope, intercept)
assert slope.ndim == 0 and slope.item() == 3.0 and intercept.item() == 2.0

# %% [markdown]
# ## Summary
#
# - `plt.plot` returns a list of lines; `line, = plt.plot(...)` unpacks its
#   single element, and fails loudly if there is more than one.
# - A comma in an expression of its own makes a tuple: `t = 1,` is a tuple,
#   `(1)` is an int, `(1,)` is a tuple. A stray comma, as in `n = 100,`,
#   silently makes a tuple. In calls, definitions, lists and sets commas only
#   separate; in indexing, `x[:,0]`, they build a tuple again.
# - `return line,` returns a one-element tuple. `FuncAnimation` needs it only
#   with `blit=True`; with the default `blit=False` the return value is
#   ignored.
# - Unpacking works on lists, tuples and tensors alike.
#
# That is the end of part 1: one loop, written by hand. Part 2 starts with the
# mistakes that break it. Continue with the
# [next lesson](10-when-the-loop-goes-wrong.py), or try the exercises below.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** Predict the type of each of these, then
# check: `(1, 2)`, `1, 2`, `("a")`, `("a",)`, `[1],` and `()`.

# %% tags=["solution"]
# `1, 2` inside a list needs parentheses, so it is written (1, 2) here.
values = [(1, 2), (1, 2), ("a"), ("a",), ([1],), ()]
kinds = [type(v).__name__ for v in values]
print(kinds)
# The comma makes a tuple; parentheses alone only group ("a" stays a str);
# the empty tuple () is the one tuple without a comma.
assert kinds == ["tuple", "tuple", "str", "tuple", "tuple", "tuple"]
t = 1, 2  # on its own line, no parentheses needed
assert t == (1, 2)

# %% [markdown]
# **Exercise 2 (break it and explain).** Drop the comma from the unpacking:
# write `line = plt.plot([0, 1], [0, 1])` and then call
# `line.set_ydata([1, 0])`, as an animation's frame function would. What
# happens, and why?

# %% tags=["solution"]
line = plt.plot([0, 1], [0, 1])  # the comma is missing
plt.close()
try:
    line.set_ydata([1, 0])
except AttributeError as error:
    failure = str(error)
print("AttributeError:", failure)
# Without the comma nothing is unpacked: `line` is the whole list, and a
# list has no set_ydata method. The line is inside it, at line[0].
assert type(line) is list and failure.endswith("'set_ydata'")

# %% [markdown]
# **Exercise 3 (practice).** `a, b = b, a` swaps two variables without a
# temporary one. Explain it with what you learned (where is the tuple?) and
# check it.

# %% tags=["solution"]
first, second = "first", "second"
# the right side builds the tuple ("second", "first"), the left unpacks it
first, second = second, first
assert (first, second) == ("second", "first")
packed = second, first  # the tuple on its own
assert isinstance(packed, tuple) and packed == ("first", "second")

# %% [markdown]
# **Exercise 4 (practice).** A name with a star collects "the rest" into a
# list. Split `[10, 20, 30, 40]` into its first element and the rest, then
# into everything but the last element and the last one.

# %% tags=["solution"]
head, *rest = [10, 20, 30, 40]
*init, last = [10, 20, 30, 40]
print(head, rest, init, last)
assert head == 10 and rest == [20, 30, 40]
assert init == [10, 20, 30] and last == 40
