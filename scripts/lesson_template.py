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
# **1. A first exercise.** State the task; the solution below must check itself.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# slope_only = gd.mse(x @ torch.tensor([3.0, 0.0]), y)
# assert torch.isclose(slope_only, ((3.0 * x[:, 0] - y) ** 2).mean())
# ```
#
# </details>
#
# **2. A second exercise.** Check the result against an independent reference.
#
# <details class="solution"><summary>Solution</summary>
#
# ```python
# assert torch.isclose(gd.mse(x @ torch.tensor([1.0, 1.0]), y),
#                      torch.nn.functional.mse_loss(x @ torch.tensor([1.0, 1.0]), y))
# ```
#
# </details>
