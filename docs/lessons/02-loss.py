# %% [markdown]
# # Measuring how wrong a line is
#
# Before we can improve a guess we need a way to score it: one number that is
# large when the line misses the points badly and small when it fits them well.
# In this lesson you will build that number, the **mean squared error** (MSE),
# first by hand and then with `gd.mse`. You will score a first guess, draw it over
# the data, and see why the shapes of the predictions and the targets must match
# exactly.

# %% [markdown]
# ## The data and a first guess
#
# We load the same 100 points as in the previous lesson and make a deliberately
# poor first guess for the line: slope 1 and intercept 1, so $a = (1, 1)$.

# %%
import torch

import gd

x, y = gd.linear_data(100, seed=42)
a = torch.tensor([1.,1])

# %% [markdown]
# As in the first lesson, `x@a` gives the guessed line's value above every
# point. We call these values the **predictions** and write them `y_hat`
# (in maths, $\hat{y}$, "y hat").

# %%
y_hat = x@a
print("predictions:", y_hat[:5])
print("targets:    ", y[:5])

# %% [markdown]
# ## One error per point
#
# For each point, the error is the prediction minus the target. A negative error
# means the line passes below the point; a positive one, above it.

# %%
errors = y_hat - y
errors[:5]

# %% [markdown]
# We want to boil these 100 errors down to a single score. Simply averaging them
# does not work: errors above and below the line cancel out. Here is a flat
# line at the average height of the points. It ignores the obvious slope, yet its
# errors average to (almost exactly) zero.

# %%
flat = torch.tensor([0., y.mean().item()])  # slope 0, intercept = mean of y
flat_errors = x@flat - y
# zero, up to rounding:
print(f"average error of the flat line: {flat_errors.mean():.1e}")
assert abs(flat_errors.mean()) < 1e-5

# %% [markdown]
# ## Square, then average
#
# The fix is to square each error before averaging. That gives the
# **mean squared error**:
#
# $$L = \frac{1}{n} \sum_{i=1}^{n} (\hat{y}_i - y_i)^2$$
#
# Why squares?
#
# - A square is never negative, so errors above and below the line can no
#   longer cancel.
# - Big misses count much more than small ones: an error of 2 costs 4, an error of
#   0.1 costs only 0.01. The loss cares most about the worst-fitted points.
# - A square is a smooth curve with a simple slope. In lesson 4 that slope is
#   exactly what gradient descent needs.
#
# And why the *mean* rather than the sum? So the score does not grow just because
# we have more points: 100 points or 10 000 with the same errors, the mean is the
# same, while the sum grows a hundredfold. Both claims in numbers:

# %%
print("squares:", 2 ** 2, "and", round(0.1 ** 2, 4))
few = torch.tensor([0.5, -1.0, 2.0, -0.1])  # four errors
many = few.repeat(100)  # the same errors, 100 times as many points
print("mean:", (few ** 2).mean().item(), "->", (many ** 2).mean().item())
print("sum: ", (few ** 2).sum().item(), "->", (many ** 2).sum().item())
assert torch.isclose((many ** 2).mean(), (few ** 2).mean())
assert torch.isclose((many ** 2).sum(), 100 * (few ** 2).sum())

# %% [markdown]
# In code, the formula is one line:

# %%
loss = ((y_hat - y) ** 2).mean()
loss

# %% [markdown]
# That is a **0-dimensional tensor**: a tensor holding a single number.
# `.item()` turns it into a plain Python float when we want one.
#
# The `gd` package has this function ready as [`gd.mse`](../reference.md#gd.mse).
# After checking the shapes, it computes exactly our one-liner:
#
# --8<-- "gd/loss.py:formula"
#
# We check it against our one-liner and against PyTorch's own
# `torch.nn.functional.mse_loss`.

# %%
import torch.nn.functional as F

print(f"first guess a = (1, 1): loss {gd.mse(y_hat, y).item():.4f}")
assert torch.allclose(gd.mse(y_hat, y), loss)
assert torch.allclose(gd.mse(y_hat, y), F.mse_loss(y_hat, y))

# %% [markdown]
# The flat line from before, whose errors averaged to zero, now gets a loss well
# above zero, as it should:

# %%
print(f"flat line: loss {gd.mse(x @ flat, y).item():.4f}")
assert gd.mse(x @ flat, y) > 1

# %% [markdown]
# ## Seeing the first guess
#
# [`gd.plot_fit`](../reference.md#gd.plot_fit) draws the data with a line over it. Our first
# guess is too shallow and too low: it passes below most of the points, which is
# why its loss (printed above) is so large.

# %%
gd.plot_fit(x, y, a, label="first guess, a = (1, 1)")

# %% [markdown]
# For comparison, the line we used to *make* the data, $a = (3, 2)$, scores much
# better. Its loss is not zero, though: the noise moves every point off the line,
# and no straight line can follow that.

# %%
true_a = torch.tensor([3.0, 2.0])
loss_true = gd.mse(x @ true_a, y)
print(f"true line a = (3, 2): loss {loss_true.item():.4f}")
assert 0 < loss_true < loss

# %% [markdown]
# Gradient descent will be a way of getting from the first score to a score at
# least as good as the second, without knowing the true line.

# %% [markdown]
# ## Shapes must match
#
# The predictions and the targets must have *exactly* the same shape, and this
# is worth a careful look because getting it wrong can give a silently wrong number.
#
# Suppose the parameters had been stored as a column, shape `(2, 1)`, instead of
# a flat vector of shape `(2,)`. The product `x@a` is then a column too,
# shape `(100, 1)`, while `y` has shape `(100,)`.

# %%
column_a = a.reshape(2, 1)
y_hat_column = x @ column_a
print("y_hat:", tuple(y_hat_column.shape), " y:", tuple(y.shape))

# %% [markdown]
# PyTorch **broadcasts** tensors of different shapes. It lines the shapes up
# from the right; where one tensor has fewer dimensions, the missing ones in
# front count as size 1, so `y`, shape `(100,)`, acts as `(1, 100)`. Then every
# dimension of size 1 is stretched to match the other tensor: `(100, 1)` and
# `(1, 100)` both become `(100, 100)`. Here that turns the subtraction into a
# full 100 × 100 table comparing *every* prediction with *every* target. The
# formula still returns one number, but it is not our loss:

# %%
difference = y_hat_column - y
print("shape of the difference:", tuple(difference.shape))
wrong = (difference**2).mean()
print(f"broadcast 'loss': {wrong.item():.4f}   real loss: {loss.item():.4f}")
assert difference.shape == (100, 100) and not torch.allclose(wrong, loss)

# %% [markdown]
# No error, no warning, just a wrong number. That is why `gd.mse` checks the
# shapes itself and stops with a message that says what went wrong:

# %%
try:
    gd.mse(y_hat_column, y)
except ValueError as error:
    print("ValueError:", error)

# %% [markdown]
# The fix is to give the predictions the same shape as the targets, for example
# by keeping `a` as a flat vector, or by flattening the column:

# %%
assert torch.allclose(gd.mse(y_hat_column.flatten(), y), loss)

# %% [markdown]
# ## Summary
#
# - The **loss** is one number that scores a candidate line; smaller is better.
# - Plain averaged errors cancel out; squared errors cannot, and they punish big
#   misses more.
# - MSE is `((y_hat - y) ** 2).mean()`, available as `gd.mse(y_hat, y)`.
# - The first guess $a = (1, 1)$ has a large loss; even the true line has a
#   loss above zero because of the noise.
# - Predictions and targets must have the same shape; otherwise broadcasting can
#   compute a wrong loss without any error.
#
# Next we prepare the parameters so that PyTorch can tell us how to change them.
# Continue with the [next lesson](03-parameters.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** Predict two losses before running
# anything: `gd.mse(y, y)` (predictions equal to the targets) and
# `gd.mse(y + 2, y)` (every prediction exactly 2 too high).

# %% tags=["solution"]
perfect = gd.mse(y, y)
off_by_two = gd.mse(y + 2, y)
print(perfect.item(), off_by_two.item())
# Every error of the perfect predictions is 0, so the loss is 0.
assert perfect == 0
# Every error is 2, every square is 4, so the mean of the squares is 4.
assert torch.isclose(off_by_two, torch.tensor(4.))

# %% [markdown]
# **Exercise 2 (break it and explain).** Remove the square from the loss and
# score lines with the plain average error, `(x@a - y).mean()`. Score the
# first guess, the flat line and the true line $a = (3, 2)$. If smaller meant
# better, which would win? Why is that wrong?

# %% tags=["solution"]
def no_square(guess):
    return (x@guess - y).mean().item()


guesses = {"first guess": a, "flat": flat, "true": torch.tensor([3.,2])}
scores = {name: no_square(guess) for name, guess in guesses.items()}
# (The flat line's -0.0 is a tiny negative number, rounded.)
print({name: round(score, 3) for name, score in scores.items()})
# The first guess runs below almost every point, so its errors are negative,
# and a negative average "wins". The worst line comes first:
assert min(scores, key=scores.get) == "first guess"
assert gd.mse(x@a, y) > gd.mse(x@flat, y) > gd.mse(x@guesses["true"], y)

# %% [markdown]
# **Exercise 3 (practice).** Compute the loss of the first guess with a plain
# Python `for` loop over the points (no tensor arithmetic inside the loop), and
# check it against `torch.nn.functional.mse_loss`.

# %% tags=["solution"]
total = 0.
for xi, yi in zip(x[:, 0].tolist(), y.tolist(), strict=True):
    prediction = 1. * xi + 1.  # the first guess, slope 1 and intercept 1
    total += (prediction - yi) ** 2
loop_loss = total / len(y)
print(f"loop: {loop_loss:.6f}")
assert abs(loop_loss - F.mse_loss(x@a, y).item()) < 1e-5

# %% [markdown]
# **Exercise 4 (practice).** Score the lines $a = (2, 2)$, $a = (3, 1)$ and
# $a = (3, 2.5)$ with `gd.mse`. Which one is best? Check each score against
# `F.mse_loss`.

# %% tags=["solution"]
candidates = [(2., 2.), (3., 1.), (3., 2.5)]
losses = {}
for guess in candidates:
    prediction = x @ torch.tensor(guess)
    losses[guess] = gd.mse(prediction, y).item()
    assert abs(losses[guess] - F.mse_loss(prediction, y).item()) < 1e-6
    print(guess, f"{losses[guess]:.4f}")
best = min(losses, key=losses.get)
print("best:", best)
# The intercept 2.5 absorbs the average noise of about 0.5.
assert best == (3., 2.5)

# %% [markdown]
# **Exercise 5 (practice).** Another common score averages the *absolute*
# errors instead of the squares. Compute it for the first guess and check it
# against `F.l1_loss`. Which of the two scores grows faster when one error
# doubles?

# %% tags=["solution"]
mae = (x@a - y).abs().mean()
assert torch.allclose(mae, F.l1_loss(x@a, y))
print(f"mean absolute error: {mae.item():.4f}")
# Doubling an error doubles its absolute value but quadruples its square.
e = torch.tensor(0.7)
assert torch.isclose((2 * e).abs(), 2 * e.abs())
assert torch.isclose((2 * e) ** 2, 4 * e ** 2)
