# %% [markdown]
# # Tensors and Parameters
#
# To improve our line, PyTorch must know which numbers we intend to change. In
# this lesson you will meet `nn.Parameter`, a tensor that is marked as
# "learnable", and `nn.Module`, the container that PyTorch models are built from.
# You will see that a Parameter is still an ordinary tensor, that it switches on
# gradient tracking, and that a Module automatically collects the Parameters
# assigned to it but deliberately ignores plain tensors. You will also see why
# it is built that way.

# %% [markdown]
# ## A plain tensor is just numbers
#
# Our first guess from the previous lesson was a plain tensor. PyTorch does not
# track how anything computed from it depends on its values: its
# `requires_grad` flag is off.

# %%
import torch
from torch import nn

import gd

x, y = gd.linear_data(100, seed=42)
a = torch.tensor([1.,1])
print("requires_grad:", a.requires_grad)
assert not a.requires_grad

# %% [markdown]
# Tracking is what will let PyTorch compute, in the next lesson, how the loss
# changes when `a` changes. Switching it on for everything would waste time and
# memory (our data `x` and `y` will never be changed), so it is opt-in.

# %% [markdown]
# ## nn.Parameter: a tensor marked as learnable
#
# Wrapping a tensor in `nn.Parameter` gives a tensor whose `requires_grad` is
# switched on. Its printed form says so.

# %%
p = nn.Parameter(torch.tensor([1.,1]))
p

# %% [markdown]
# A Parameter is not a new kind of object that *contains* a tensor: it **is** a
# tensor. `nn.Parameter` is a subclass of `torch.Tensor`, so everything that works
# on a tensor works on a Parameter. Its class hierarchy shows this: Parameter
# first, then Tensor.

# %%
print(type(p).__mro__[:2])  # the class, then the class it inherits from
assert isinstance(p, torch.Tensor)
assert isinstance(p, nn.Parameter)
assert p.requires_grad

# %% [markdown]
# It takes part in arithmetic like any tensor. The result is an ordinary tensor
# (not a Parameter) that remembers it was computed from something tracked:

# %%
y_hat = x@p
print(type(y_hat).__name__, tuple(y_hat.shape))
print("requires_grad:", y_hat.requires_grad)
assert torch.equal(y_hat, x@a)  # the same numbers as with the plain tensor
assert y_hat.requires_grad and not isinstance(y_hat, nn.Parameter)

# %% [markdown]
# You could get the same tracking from `torch.tensor([1., 1.], requires_grad=True)`.
# So what does the Parameter class add? The answer shows up inside a Module.

# %% [markdown]
# ## Modules collect their Parameters
#
# In PyTorch a model is an `nn.Module`: a class that holds the model's numbers as
# attributes and computes predictions in a method called `forward`. Here is the
# smallest useful one: our line. Besides the parameter `a` it keeps a second
# tensor, `last_prediction`, a record of the most recent output, which is the
# kind of bookkeeping real models do too.


# %%
class Line(nn.Module):
    def __init__(self):
        super().__init__()  # sets up the machinery that registers parameters
        self.a = nn.Parameter(torch.tensor([1.,1]))  # learnable
        self.last_prediction = torch.zeros(0)  # a plain tensor: just a record

    def forward(self, x):
        prediction = x @ self.a
        # detach(): the same values, without tracking
        self.last_prediction = prediction.detach()
        return prediction


model = Line()
print(type(model).__name__, "is an nn.Module:", isinstance(model, nn.Module))

# %% [markdown]
# Calling `model(x)` runs `forward`. It gives the same predictions, and the same
# loss, as the first guess in the last lesson:

# %%
loss = gd.mse(model(x), y)
print(f"loss: {loss.item():.4f}")
assert torch.allclose(loss, gd.mse(x@a, y))

# %% [markdown]
# Now the important part. When you assign a Parameter as an attribute of a
# Module, the Module **registers** it. `model.parameters()` lists every
# registered parameter; `named_parameters()` also gives their names. Only `a`
# appears: the plain tensor `last_prediction` does not.

# %%
for name, param in model.named_parameters():
    print(name, tuple(param.shape))
params = list(model.parameters())
assert len(params) == 1 and params[0] is model.a
assert all(param is not model.last_prediction for param in params)

# %% [markdown]
# The type decides, not the flag. A plain tensor that has `requires_grad`
# switched on is still not registered:

# %%
model.tracked_but_plain = torch.ones(2, requires_grad=True)
print("parameters:", [name for name, _ in model.named_parameters()])
assert len(list(model.parameters())) == 1
del model.tracked_but_plain

# %% [markdown]
# ## Why not register every tensor?
#
# `model.parameters()` is what you hand to the code that trains the model (an
# *optimizer*, or the update loop we will write in lesson 6). Every tensor in
# that list gets nudged at each training step. So the list must contain the
# numbers to be learned and **nothing else**.
#
# Modules often hold other tensors that must not be trained. A record like
# `last_prediction` is one. A more serious example is a recurrent neural network
# (RNN): a model that reads a sequence (the words of a text, say) one piece at
# a time. After each piece it updates a tensor that sums up what it has read
# so far, its **hidden state**, and carries it on to the next piece. The model
# may keep that tensor as an attribute, so that a text fed in several chunks
# continues where the last chunk stopped. The hidden state is computed from
# the data, not learned; training it like a weight would be wrong.
#
# PyTorch therefore asks you to opt in explicitly: wrap a tensor in
# `nn.Parameter` and it is trained; leave it a plain tensor and it is not.

# %% [markdown]
# ## Summary
#
# - `nn.Parameter` is a subclass of `torch.Tensor` with `requires_grad=True`: it
#   behaves like any tensor, and whatever is computed from it is tracked (the
#   record that the next lesson's autograd reads).
# - A Parameter assigned as an attribute of an `nn.Module` is registered and
#   shows up in `.parameters()`. A plain tensor attribute does not, even with
#   `requires_grad=True`.
# - That opt-in keeps helper tensors, such as an RNN's hidden state, out of
#   training.
#
# Next: how PyTorch computes the gradient of the loss with respect to a Parameter.
# Continue with the [next lesson](04-autograd.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** `p` is the Parameter from this lesson.
# Predict, for `p * 2` and for `p.detach()`: is it tracked (`requires_grad`),
# and is it a Parameter?

# %% tags=["solution"]
doubled, detached = p * 2, p.detach()
print(doubled.requires_grad, isinstance(doubled, nn.Parameter))
print(detached.requires_grad, isinstance(detached, nn.Parameter))
# Computed from a tracked tensor, so tracked; but arithmetic makes a plain
# tensor, never a Parameter.
assert doubled.requires_grad and not isinstance(doubled, nn.Parameter)
# detach() gives the same numbers with tracking switched off.
assert not detached.requires_grad and not isinstance(detached, nn.Parameter)
assert torch.equal(detached, p)

# %% [markdown]
# **Exercise 2 (break it and explain).** In `Line`, store the slope and
# intercept as a plain tracked tensor, `torch.tensor([1.,1],
# requires_grad=True)`, instead of an `nn.Parameter`. What does
# `model.parameters()` hold now? Try to build PyTorch's optimizer
# `torch.optim.SGD(model.parameters(), lr=0.1)` for it.

# %% tags=["solution"]
class PlainLine(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.tensor([1.,1], requires_grad=True)  # not registered

    def forward(self, x):
        return x @ self.a


plain = PlainLine()
print("parameters:", list(plain.parameters()))
assert list(plain.parameters()) == []
# The optimizer is told to train "nothing" and refuses: a plain tensor
# attribute is invisible to the module, however it is flagged.
caught = None
try:
    torch.optim.SGD(plain.parameters(), lr=0.1)
except ValueError as error:
    caught = error
print("ValueError:", caught)
assert str(caught) == "optimizer got an empty parameter list"

# %% [markdown]
# **Exercise 3 (practice).** Write a module `SplitLine` that stores the slope
# and the intercept as two separate Parameters, each holding one number. Check
# that it has two parameters holding two numbers in total, and that for slope 1
# and intercept 1 it predicts the same values as `x@a`.

# %% tags=["solution"]
class SplitLine(nn.Module):
    def __init__(self):
        super().__init__()
        self.slope = nn.Parameter(torch.tensor(1.))
        self.intercept = nn.Parameter(torch.tensor(1.))

    def forward(self, x):
        return self.slope * x[:, 0] + self.intercept


split = SplitLine()
names = [name for name, _ in split.named_parameters()]
print(names)
assert names == ["slope", "intercept"]
assert sum(param.numel() for param in split.parameters()) == 1 + 1
assert torch.allclose(split(x), x@a)

# %% [markdown]
# **Exercise 4 (practice).** Some tensors that are not learned *should* be
# saved with the model, for example a count of how many predictions it has
# made. `self.register_buffer("name", tensor)` stores such a tensor. Give a
# line module a buffer that counts its calls, and check that the buffer
# appears in `state_dict()` (what gets saved) and in `.buffers()`, but not in
# `.parameters()`.

# %% tags=["solution"]
class LineWithCounter(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.tensor([1.,1]))
        self.register_buffer("calls", torch.zeros(()))

    def forward(self, x):
        self.calls += 1  # counted, saved, never trained
        return x@self.a


m = LineWithCounter()
m(x)
m(x)
print(list(m.state_dict()), "calls:", m.calls.item())
assert m.calls.item() == 2
assert set(m.state_dict()) == {"a", "calls"}
assert len(list(m.buffers())) == 1 and not m.calls.requires_grad
assert [name for name, _ in m.named_parameters()] == ["a"]

# %% [markdown]
# **Exercise 5 (practice).** A module that holds other modules as attributes
# also collects *their* parameters. Build a module with two `Line`s and check
# the parameter names and count.

# %% tags=["solution"]
class TwoLines(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = Line()
        self.second = Line()


both = TwoLines()
names = [name for name, _ in both.named_parameters()]
print(names)
assert names == ["first.a", "second.a"]
assert len(list(both.parameters())) == 2
