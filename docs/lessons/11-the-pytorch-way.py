# %% [markdown]
# # The PyTorch way: nn.Module, nn.Linear and torch.optim
#
# So far we have written every part of the loop ourselves: the parameters as
# one tensor `a`, the prediction `x@a`, the update `a.sub_(lr*a.grad)` and
# the `a.grad.zero_()` after it. Real PyTorch code is built from ready-made
# parts instead: a **model** from `torch.nn` that holds its own parameters,
# an **optimizer** from `torch.optim` that does the update, and three calls
# in every step: `optimizer.zero_grad()`, `loss.backward()`,
# `optimizer.step()`. In this lesson you rebuild our fit from these parts,
# and check that it walks exactly the path of the hand-written loop, step by
# step. On the way you will see where lesson 3's parameter registration pays
# off, what `zero_grad` does today, and what `grad_fn` records for a model.

# %% [markdown]
# ## nn.Linear: a line as a module
#
# `nn.Linear(in_features, out_features)` is a module (an `nn.Module`, see
# [lesson 3](03-parameters.py)) that computes a straight line, in as many
# dimensions as asked: each example comes in as `in_features` numbers and
# goes out as `out_features` numbers. Our line takes one number, $x$, and
# gives one, $\hat y$, so we want `nn.Linear(1, 1)`. It holds two
# Parameters: `weight`, a $1 \times 1$ matrix holding the slope, and `bias`,
# holding the intercept.
#
# PyTorch starts them at random numbers (for one input, drawn between $-1$
# and $1$), so we seed its random generator to get the same ones every time.

# %%
import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42)
torch.manual_seed(0)
model = nn.Linear(1, 1)
print(model)
for name, param in model.named_parameters():
    print(f"{name}: shape {tuple(param.shape)}, value {param.detach()}")

# %% [markdown]
# Both are `nn.Parameter`s assigned inside a Module, so the Module has
# registered them. This is what lesson 3 was preparing: `model.parameters()`
# finds every number the model can learn, without our naming them.

# %%
names = [name for name, _ in model.named_parameters()]
assert names == ["weight", "bias"]
assert all(isinstance(p, nn.Parameter) for p in model.parameters())
assert all(-1 <= p.item() <= 1 for p in model.parameters())

# %% [markdown]
# ## Our table and the model's input
#
# Our `x` is a table of shape `(100, 2)`: column 0 holds the inputs and
# column 1 is all ones, there only so that `x@a` adds the intercept. A
# `Linear` module adds its `bias` by itself, so it wants the inputs alone,
# one row per example and one column per input: shape `(100, 1)`. The whole
# table has one column too many, and the model says so:

# %%
try:
    model(x)
except RuntimeError as error:
    refusal = str(error)
print("RuntimeError:", refusal)
assert refusal == "mat1 and mat2 shapes cannot be multiplied (100x2 and 1x1)"

# %% [markdown]
# The slice `x[:, :1]` takes column 0 and keeps it a column. (`x[:, 0]`
# would give a flat row of 100 numbers, which the model would read as one
# example with 100 inputs.)

# %%
inputs = x[:, :1]
print("x[:, 0]:", tuple(x[:, 0].shape), "  x[:, :1]:", tuple(inputs.shape))
print("model(inputs):", tuple(model(inputs).shape))
assert inputs.shape == (100, 1) and model(inputs).shape == (100, 1)

# %% [markdown]
# What does the model compute? For each row, input times weight plus bias:
# `inputs @ weight.T + bias`, where `.T` turns the weight matrix over (it has
# one row per output). With our table and the two numbers side by side as
# `a = (weight, bias)`, that is exactly `x@a`: the bias does the job of the
# column of ones.

# %%
w, b = model.weight, model.bias
assert torch.allclose(model(inputs), inputs @ w.T + b)
a = torch.cat([w.detach().flatten(), b.detach()])  # (slope, intercept)
print("a =", a)
assert torch.allclose(model(inputs).squeeze(1), x@a)

# %% [markdown]
# ## Starting from our guess
#
# To compare with the hand-written loop, the model must start where that
# loop starts: slope 1 and intercept 1. We copy the numbers in with the
# in-place `fill_`. The weight and bias are leaf tensors that require grad,
# so, exactly as for the update in
# [lesson 5](05-accumulation-and-update.py), the change has to happen inside
# `torch.no_grad()`:

# %%
start = torch.tensor([1.,1])  # slope, intercept
with torch.no_grad():
    model.weight.fill_(start[0])
    model.bias.fill_(start[1])
print(model.weight.detach(), model.bias.detach())
assert torch.equal(model(inputs).squeeze(1), x@start)

# %% [markdown]
# ## The output is a column
#
# `model(inputs)` has shape `(100, 1)`: one row per example, one column per
# output. Our targets `y` have shape `(100,)`. This is the shape mistake of
# [the last lesson](10-when-the-loop-goes-wrong.py) waiting to happen: the
# difference would broadcast to a $100 \times 100$ table and the fit would
# go flat. [`gd.mse`](../reference.md#gd.mse) refuses the pair:

# %%
try:
    gd.mse(model(inputs), y)
except ValueError as error:
    refusal = str(error)
print("ValueError:", refusal)
assert "same shape" in refusal

# %% [markdown]
# `squeeze(1)` removes the column dimension (of size 1), leaving shape
# `(100,)`. With it, the loss is the familiar loss of our first guess:

# %%
loss = gd.mse(model(inputs).squeeze(1), y)
print(loss)
assert torch.isclose(loss, gd.mse(x@start, y))

# %% [markdown]
# ## What grad_fn records
#
# The loss prints with its `grad_fn`, the last operation autograd recorded.
# Lesson 4 walked the chain of records back from a loss to `a`. Here the
# chain splits, because the model has two Parameters. The function below
# prints each record indented under the one that used it, and names the
# Parameter at each `AccumulateGrad` (the place where a gradient is stored):


# %%
def show(node, depth=0):
    """The records behind `node`, one line each, indented under their user."""
    label = type(node).__name__
    if hasattr(node, "variable"):  # AccumulateGrad: a Parameter's store
        label += " -> " + next(name for name, p in model.named_parameters()
                               if p is node.variable)
    lines = ["    " * depth + label]
    for child, _ in node.next_functions:
        if child is not None:
            lines += show(child, depth + 1)
    return lines


lines = show(loss.grad_fn)
print("\n".join(lines))
assert [line.strip() for line in lines] == [
    "MeanBackward0", "PowBackward0", "SubBackward0", "SqueezeBackward1",
    "AddmmBackward0", "AccumulateGrad -> bias", "TBackward0",
    "AccumulateGrad -> weight"]

# %% [markdown]
# Read from the bottom up. `TBackward0` turned the weight over (`.T`);
# `AddmmBackward0` ("add, matrix multiply") is the model: `bias` plus
# `inputs` times the turned weight, in one operation. Then our `squeeze(1)`,
# and the three steps of the mean squared error that lesson 4 showed: the
# subtraction, the square (`Pow`), the mean. `backward()` walks this record
# from the top and ends at both Parameters, so one call fills both `.grad`s.

# %% [markdown]
# ## torch.optim.SGD: the update, written once
#
# An optimizer does the update step for us. `torch.optim.SGD` (for
# *stochastic gradient descent*; the "stochastic" part, working on random
# pieces of the data, comes in the next lesson) does plain gradient descent:
# for each Parameter `p` it was given, `p -= lr * p.grad`. We give it
# `model.parameters()`, the registered Parameters, and a learning rate. It
# keeps the Parameter objects themselves, not copies, so when it changes
# them the model changes.

# %%
opt = torch.optim.SGD(model.parameters(), lr=0.1)
group = opt.param_groups[0]  # the parameters and their settings
print("lr:", group["lr"], "| parameters:", len(group["params"]))
assert group["params"][0] is model.weight
assert group["params"][1] is model.bias

# %% [markdown]
# Registration pays off more as models grow. A **neural network** is a
# model built from *layers*, modules such as `nn.Linear` with Parameters of
# their own, applied one after another, each to the output of the one
# before. Between two layers sits a simple function without Parameters that
# bends the result, so that the network can follow curves, not only lines
# ([lesson 19](19-a-first-network.py) trains one on a wave).
# `nn.ReLU` is the most common: it keeps every positive number and turns
# every negative one into 0. `nn.Sequential(first, second, ...)` is a module
# that holds other modules, in order, and calls them one after another:

# %%
network = nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 1))
relu = network[1]  # Sequential numbers its modules from 0
print("ReLU of -2, 0, 3:", relu(torch.tensor([-2., 0., 3.])))
assert torch.equal(relu(torch.tensor([-2., 0., 3.])),
                   torch.tensor([0., 0., 3.]))
assert list(relu.parameters()) == []  # nothing to learn in ReLU
assert torch.equal(network(inputs), network[2](relu(network[0](inputs))))

# %% [markdown]
# This small network, two `Linear` layers with a `ReLU` between them, has
# four Parameters holding 25 numbers, and `nn.Sequential` has registered all
# of them, so the very same line hands them to the optimizer:

# %%
for name, param in network.named_parameters():
    print(name, tuple(param.shape))
numbers = sum(p.numel() for p in network.parameters())
print("numbers to learn:", numbers)
assert numbers == 8 + 8 + 8 + 1
assert len(torch.optim.SGD(network.parameters(), lr=0.1)
           .param_groups[0]["params"]) == 4

# %% [markdown]
# ## One step: zero_grad, backward, step
#
# Every training step in PyTorch is the same three calls around the loss:
#
# 1. `opt.zero_grad()` clears the gradients left by the last step (the line
#    whose absence made the loss swing in the last lesson),
# 2. `loss.backward()` fills each Parameter's `.grad`,
# 3. `opt.step()` moves each Parameter: `p -= lr * p.grad`.
#
# One step, checked against lesson 4's gradient formula
# $\frac{2}{n} X^\top (Xa - y)$ and against one step of
# [`gd.fit`](../reference.md#gd.fit):

# %%
opt.zero_grad()
loss = gd.mse(model(inputs).squeeze(1), y)
loss.backward()
grad = torch.cat([model.weight.grad.flatten(), model.bias.grad])
print("gradient (weight, bias):", grad)
assert torch.allclose(grad, 2 / len(y) * x.T @ (x@start - y))

opt.step()
after = torch.cat([model.weight.detach().flatten(), model.bias.detach()])
print("after one step:         ", after)
assert torch.allclose(after, start - 0.1 * grad)
assert torch.allclose(after, gd.fit(x, y, start, lr=0.1, steps=1).params[-1])

# %% [markdown]
# `step()` changed the Parameters in place without being recorded: `weight`
# is still a leaf, with no `grad_fn`. The optimizer runs its update with
# recording switched off, as our `torch.no_grad()` block did.

# %%
print("leaf:", model.weight.is_leaf, "| grad_fn:", model.weight.grad_fn)
assert model.weight.is_leaf and model.weight.grad_fn is None

# %% [markdown]
# ## What zero_grad does today: None
#
# Our hand-written loop cleared the gradient by writing zeros into it. Call
# `opt.zero_grad()` now and look at `.grad`: there are no zeros, there is
# nothing at all.

# %%
opt.zero_grad()
print(model.weight.grad, model.bias.grad)
assert model.weight.grad is None and model.bias.grad is None

# %% [markdown]
# `zero_grad()` sets each gradient to `None` by default: its argument
# `set_to_none` defaults to `True` (PyTorch versions before 2.0 wrote zeros
# instead).

# %%
import inspect

default = inspect.signature(opt.zero_grad).parameters["set_to_none"].default
print("set_to_none defaults to", default)
assert default is True

# %% [markdown]
# `None` means "no gradient yet", so the next `backward()` stores its
# gradient as a fresh tensor instead of adding it to zeros: nothing has to be
# written in between, nor kept in memory while the gradient is not needed.
# Passing `set_to_none=False` gives the old behaviour, zeros, like our
# `zero_()`. For a Parameter that the next `backward()` reaches, both lead to
# the same gradient:

# %%
gd.mse(model(inputs).squeeze(1), y).backward()  # a gradient to clear
opt.zero_grad(set_to_none=False)
print(model.weight.grad, model.bias.grad)
assert torch.equal(model.weight.grad, torch.zeros(1, 1))
gd.mse(model(inputs).squeeze(1), y).backward()
onto_zeros = model.weight.grad.clone()
opt.zero_grad()  # to None
gd.mse(model(inputs).squeeze(1), y).backward()
assert torch.equal(model.weight.grad, onto_zeros)

# %% [markdown]
# They differ for a Parameter that the next `backward()` does *not* reach,
# because the loss did not use it (a part of a model that is switched off,
# or trained separately): its `.grad` stays `None`, or stays zeros. An
# optimizer's `step()` skips a Parameter whose `.grad` is `None`, but
# updates one whose gradient is zeros. For plain SGD that changes nothing,
# as a zero gradient moves nothing. Two common settings of `torch.optim.SGD`
# make it matter. With **momentum** (`momentum=0.9`) each step also adds 0.9
# times the previous step, so a Parameter keeps moving for a while after its
# gradient is gone; [lesson 14](14-momentum.py) takes it apart. With
# **weight decay** (`weight_decay=0.1` here) each step also pulls every
# Parameter towards 0 by a small fraction of its value. The function below
# takes three ordinary steps, then one whose loss uses only the weight, and
# reports whether that last step moved the bias:


# %%
def last_step_moves_bias(set_to_none, **settings):
    """Does a step whose loss ignores the bias move it anyway?"""
    with torch.no_grad():
        model.weight.fill_(start[0])
        model.bias.fill_(start[1])
    opt = torch.optim.SGD(model.parameters(), lr=0.1, **settings)
    for _ in range(3):  # ordinary steps: both Parameters get a gradient
        opt.zero_grad(set_to_none=set_to_none)
        gd.mse(model(inputs).squeeze(1), y).backward()
        opt.step()
    opt.zero_grad(set_to_none=set_to_none)
    (model.weight**2).sum().backward()  # a loss without the bias
    before = model.bias.item()
    opt.step()
    return model.bias.item() != before


print("settings              to None  to zeros")
for settings in ({}, {"momentum": 0.9}, {"weight_decay": 0.1}):
    moved = [last_step_moves_bias(to_none, **settings)
             for to_none in (True, False)]
    print(f"{str(settings or 'plain SGD'):<20}", *(
        f"{'moves' if m else 'stays':>8}" for m in moved))
    assert moved == [False, bool(settings)]  # zeros move it, None does not

# %% [markdown]
# One consequence: straight after `zero_grad()`, code that reads `.grad`
# finds `None`, and using it as a tensor fails. Read gradients after
# `backward()`.

# %%
opt.zero_grad()
try:
    model.weight.grad.abs()
except AttributeError as error:
    complaint = str(error)
print("AttributeError:", complaint)
assert complaint == "'NoneType' object has no attribute 'abs'"

# %% [markdown]
# ## The whole loop, side by side with ours
#
# Now the full fit: back to the start, a fresh optimizer, and 100 steps of
# the three calls. We record the slope and intercept after every step, to
# compare them with [`gd.fit`](../reference.md#gd.fit), which is the loop
# we wrote by hand in lesson 6.


# %%
def slope_intercept(model):
    return torch.cat([model.weight.detach().flatten(), model.bias.detach()])


with torch.no_grad():
    model.weight.fill_(start[0])
    model.bias.fill_(start[1])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
losses, path = [], [slope_intercept(model)]
for step in range(100):
    opt.zero_grad()
    loss = gd.mse(model(inputs).squeeze(1), y)
    loss.backward()
    opt.step()
    losses.append(loss.item())
    path.append(slope_intercept(model))
    if step % 20 == 0:
        print(f"step {step:3d}  loss {loss.item():.4f}")
path = torch.stack(path)

# %% [markdown]
# The check, at every one of the 101 points (the start and each step):

# %%
by_hand = gd.fit(x, y, start, lr=0.1, steps=100)
difference = (path - by_hand.params).abs()
same = int((difference == 0).all(dim=1).sum())
print(f"largest difference over all steps: {difference.max():.1e}")
print(f"identical to the last bit at {same} of {len(path)} points")
assert torch.allclose(path, by_hand.params, atol=1e-6)
assert torch.allclose(torch.tensor(losses), torch.tensor(by_hand.losses))
assert same > len(path) // 2

# %% [markdown]
# The two paths agree to about $10^{-7}$, the last digit a 32-bit float
# holds, and most points are identical to the last bit. They are not all
# identical because the two loops reach the same sums by different routines
# (matrix products for the model, a matrix–vector product for `x@a`), which
# add the numbers up in a different order, and floating-point rounding
# depends on that order. On the loss landscape of
# [lesson 6](06-gradient-descent.py) the two paths cannot be told apart: the
# descent path is the `nn.Linear` run, and the circles mark every fourth
# point of the hand-written loop.

# %%
pytorch_way = gd.History(losses, path, overflowed=False, lr=0.1)
fig = gd.plot_landscape(x, y, pytorch_way)
ax = fig.axes[0]
ax.plot(by_hand.params[::4, 0], by_hand.params[::4, 1], "o", color="C2",
        markerfacecolor="none", markersize=8)
ax.set_title("circles: the hand-written loop")
gd.describe(fig, gd.alt_text(fig) + " Circles mark every fourth point of "
            "the hand-written loop; each sits on the nn.Linear path.")

# %% [markdown]
# ## One loop for every model
#
# [`gd.train`](../reference.md#gd.train), which later lessons use to compare
# many runs, is this loop: `zero_grad`, `backward`, `step` with any
# `torch.optim` optimizer, on a Parameter of two numbers. It walks the same
# path as our `nn.Linear` model:

# %%
trained = gd.train(x, y, start, optimizer=torch.optim.SGD, lr=0.1, steps=100)
assert torch.allclose(trained.params, path, atol=1e-6)
print("gd.train ends at", trained.params[-1])

# %% [markdown]
# From here on, changing the model or the optimizer changes one line each.
# The model can be the network above instead of a line; the optimizer can be
# SGD with momentum, or Adam (both come later in the course). The three calls
# in the loop stay the same.

# %% [markdown]
# ## Summary
#
# - `nn.Linear(1, 1)` is our line as a module: `weight` (shape `(1, 1)`) is
#   the slope and `bias` the intercept. It wants inputs of shape `(n, 1)`,
#   column 0 of our table (`x[:, :1]`); the bias replaces the column of ones.
# - It predicts a column, shape `(n, 1)`: squeeze it to `(n,)` before
#   comparing with `y`, or the loss broadcasts and the fit goes flat.
# - `torch.optim.SGD(model.parameters(), lr=0.1)` receives the Parameters
#   that the module registered (lesson 3), however many there are.
# - Each step: `opt.zero_grad()`, `loss.backward()`, `opt.step()`.
#   `zero_grad()` sets gradients to `None`; `step()` does
#   `p -= lr * p.grad` without being recorded, and skips a Parameter whose
#   gradient is `None`. With momentum or weight decay that differs from a
#   gradient of zeros, which still moves the Parameter.
# - The loss's `grad_fn` records the model's `Addmm` and the weight's
#   transpose, and leads back to both Parameters.
# - This loop and the hand-written one agree at all 101 points of a
#   100-step fit, to the last digit a float holds.
#
# Continue with the [next lesson](12-mini-batches.py): mini-batches.

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** For `nn.Linear(3, 2)`, predict the
# shapes of `weight` and `bias`, how many numbers it learns in total, and the
# shape of its output for an input of shape `(100, 3)`.

# %% tags=["solution"]
layer = nn.Linear(3, 2)
out = layer(torch.zeros(100, 3))
total = sum(p.numel() for p in layer.parameters())
print(tuple(layer.weight.shape), tuple(layer.bias.shape), total,
      tuple(out.shape))
# One row of weights per output and one column per input; one bias per
# output: 2 x 3 + 2 = 8 numbers. Each of the 100 rows gives 2 outputs.
assert layer.weight.shape == (2, 3) and layer.bias.shape == (2,)
assert total == 8 and out.shape == (100, 2)

# %% [markdown]
# **Exercise 2 (break it and explain).** Move `opt.zero_grad()` from the
# start of the step to between `loss.backward()` and `opt.step()`. Run 10
# steps from our start. Where does the line end up, and why?

# %% tags=["solution"]
with torch.no_grad():
    model.weight.fill_(start[0])
    model.bias.fill_(start[1])
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(10):
    loss = gd.mse(model(inputs).squeeze(1), y)
    loss.backward()
    opt.zero_grad()  # the broken line: the gradients are gone...
    opt.step()  # ...so step() finds None and skips both Parameters
print(slope_intercept(model))
# zero_grad() set both gradients to None; SGD skips a Parameter whose .grad
# is None, so nothing ever moves: the line is still the start.
assert torch.equal(slope_intercept(model), start)

# %% [markdown]
# **Exercise 3 (break it and explain).** Give the optimizer only the weight:
# `torch.optim.SGD([model.weight], lr=0.1)`. Train 300 steps from our start.
# What happens to the intercept, and which line do you get? Check it against
# the best line whose intercept is fixed at 1, found by least squares.

# %% tags=["solution"]
with torch.no_grad():
    model.weight.fill_(start[0])
    model.bias.fill_(start[1])
opt = torch.optim.SGD([model.weight], lr=0.1)  # the broken line
for _ in range(300):
    opt.zero_grad()
    gd.mse(model(inputs).squeeze(1), y).backward()
    opt.step()
print(slope_intercept(model))
# The optimizer moves only what it was given: the bias still gets a gradient
# from backward(), but nobody applies it, so the intercept stays at 1 and the
# slope makes the best of it.
assert model.bias.item() == 1.
fixed = torch.linalg.lstsq(inputs, (y - 1).unsqueeze(1)).solution
assert torch.allclose(model.weight.detach(), fixed, atol=1e-3)
assert gd.mse(model(inputs).squeeze(1), y) > gd.mse(x @ path[-1], y)

# %% [markdown]
# **Exercise 4 (practice).** Write your own optimizer class, `PlainSGD`, with
# the two methods the loop calls: `zero_grad()` (set each gradient to
# `None`) and `step()` (`p -= lr * p.grad` without recording, skipping
# Parameters without a gradient). Check that it walks the same path as
# `torch.optim.SGD` for 100 steps.

# %% tags=["solution"]
class PlainSGD:
    def __init__(self, params, lr):
        self.params, self.lr = list(params), lr

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self):
        with torch.no_grad():
            for p in self.params:
                if p.grad is not None:
                    p.sub_(self.lr * p.grad)


with torch.no_grad():
    model.weight.fill_(start[0])
    model.bias.fill_(start[1])
opt = PlainSGD(model.parameters(), lr=0.1)
mine = [slope_intercept(model)]
for _ in range(100):
    opt.zero_grad()
    gd.mse(model(inputs).squeeze(1), y).backward()
    opt.step()
    mine.append(slope_intercept(model))
print(mine[-1], path[-1])
assert torch.allclose(torch.stack(mine), path, atol=1e-6)

# %% [markdown]
# **Exercise 5 (practice).** `nn.Linear(2, 1, bias=False)` takes our whole
# table, column of ones included: its weight, of shape `(1, 2)`, is our `a`
# as a row. Train it with `torch.optim.SGD` and PyTorch's own loss module,
# `nn.MSELoss()`, comparing with `y` turned into a column
# (`y.unsqueeze(1)`), and check that it follows `gd.fit` too.

# %% tags=["solution"]
table_model = nn.Linear(2, 1, bias=False)
with torch.no_grad():
    table_model.weight.copy_(start.unsqueeze(0))  # a as a row: (1, 2)
opt = torch.optim.SGD(table_model.parameters(), lr=0.1)
mse_loss = nn.MSELoss()
rows = [table_model.weight.detach().flatten().clone()]
for _ in range(100):
    opt.zero_grad()
    mse_loss(table_model(x), y.unsqueeze(1)).backward()  # (100, 1) both
    opt.step()
    rows.append(table_model.weight.detach().flatten().clone())
print(rows[-1])
assert torch.allclose(torch.stack(rows), by_hand.params, atol=1e-6)
