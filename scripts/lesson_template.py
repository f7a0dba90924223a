# %% [markdown]
# # {{title}}
#
# One paragraph: what this lesson teaches and why it matters. Name the two or
# three things the reader will be able to do at the end.

# %%
import torch

import gd

x, y = gd.linear_data(100, seed=42)  # the same data as every other lesson
print(x.shape, y.shape)

# %% [markdown]
# ## The first idea
#
# Explain one idea per Markdown cell, then show it in the code cell after it.
# Every number you state in prose must be printed or asserted by the code below,
# so the page can never disagree with itself. Equations are LaTeX, e.g.
# $L = \frac{1}{n} \sum_i (\hat y_i - y_i)^2$ (so no other dollar signs in prose).
# Link to other pages by their source file: [the loss lesson](02-loss.py),
# [`gd.mse`](../reference.md#gd.mse).

# %%
loss = gd.mse(x @ torch.tensor([1.0, 1.0]), y)
print(f"loss of the line y = x + 1: {loss:.3f}")
assert loss > 0

# %% [markdown]
# ## Summary
#
# - One line per idea the reader should keep.

# %% [markdown]
# ## Exercises
#
# Each exercise is a Markdown cell followed by exactly one code cell tagged
# `solution`. The build runs every solution after the lesson (each one starts
# from the namespace the lesson left, not from another solution's) and shows
# it folded away. Every solution asserts its own result.

# %% [markdown]
# **Exercise 1 (predict, then run).** Ask the reader to predict an output
# before running the code: here, the loss of predictions that are all exactly
# 1 too high.

# %% tags=["solution"]
off_by_one = gd.mse(y + 1, y)
print(off_by_one.item())
# Every error is 1, so every square is 1, and so is their mean.
assert torch.isclose(off_by_one, torch.tensor(1.))

# %% [markdown]
# **Exercise 2 (break it and explain).** Ask the reader to change working
# code, watch it fail, and explain why: here, compare predictions of shape
# `(100, 1)` with targets of shape `(100,)`.

# %% tags=["solution"]
column = (x @ torch.tensor([1., 1.])).unsqueeze(1)  # shape (100, 1)
try:
    gd.mse(column, y)
except ValueError as error:
    message = str(error)
print("ValueError:", message)
# gd.mse refuses: broadcasting would silently compare every prediction with
# every target, a 100 x 100 table, and give a wrong number.
assert "same shape" in message

# %% [markdown]
# **Exercise 3 (practice).** Check a result against an independent reference.

# %% tags=["solution"]
guess = torch.tensor([1., 1.])
reference = torch.nn.functional.mse_loss(x @ guess, y)
assert torch.isclose(gd.mse(x @ guess, y), reference)
