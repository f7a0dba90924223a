# %% [markdown]
# # Mini-batch SGD
#
# Every step so far used all 100 examples to compute the gradient. That is
# cheap for 100 examples, but real data sets hold millions, and then a single
# step would cost millions of predictions. **Mini-batch stochastic gradient
# descent** (SGD; *stochastic* means random) takes each step from a small
# random group of examples instead. In this lesson you will cut the data into
# shuffled batches, first by hand with `torch.randperm` and then with
# PyTorch's `DataLoader`, and check that both give the same batches. You will
# measure how good a batch's gradient is as a stand-in for the full one, and
# see what the batch size does to the path, and to the cost, of training.

# %% [markdown]
# ## Batches, epochs and shuffling
#
# A **batch** is the group of examples that one step uses, and the **batch
# size** is how many it holds. Going through all the data once, batch after
# batch, is an **epoch**: with 100 examples in batches of 10, an epoch is 10
# steps. Before every epoch we **shuffle**, that is, put the examples in a new
# random order, so that each epoch groups them into different batches.
#
# `torch.randperm(100)` returns the numbers 0 to 99 in a random order (a
# random *permutation*). As `gd.linear_data` does, we give it a random number
# generator of our own, seeded, so that the order is the same every time this
# page is built. `split(10)` then cuts the order into pieces of 10.

# %%
import torch

import gd

x, y = gd.linear_data(100, seed=42)
generator = torch.Generator().manual_seed(0)
order = torch.randperm(100, generator=generator)
print("the order starts:", order[:12].tolist())
batches = order.split(10)
print(len(batches), "batches of sizes", [len(b) for b in batches])
# every row number appears exactly once in the epoch
assert torch.equal(torch.cat(batches).sort().values, torch.arange(100))

# %% [markdown]
# A batch is a tensor of row numbers. Indexing `x` and `y` with it picks those
# rows, in that order, from both at once, so every input stays with its
# target:

# %%
rows = batches[0]
print("rows:", rows.tolist())
print(x[rows].shape, y[rows].shape)
assert torch.equal(x[rows][3], x[rows[3]]) and y[rows][3] == y[rows[3]]

# %% [markdown]
# For the next epoch we draw again from the same generator. Every draw moves a
# generator along its stream of random numbers, so the second order differs
# from the first; a generator seeded afresh replays the same orders from the
# start.

# %%
second = torch.randperm(100, generator=generator)
print("the next order starts:", second[:12].tolist())
assert not torch.equal(second, order)
replay = torch.Generator().manual_seed(0)
assert torch.equal(torch.randperm(100, generator=replay), order)
assert torch.equal(torch.randperm(100, generator=replay), second)

# %% [markdown]
# ## Mini-batch SGD by hand
#
# The training loop is the one from the [previous lesson](11-the-pytorch-way.py)
# (`zero_grad`,
# `backward` and `step`, with `torch.optim.SGD`), on our own Parameter `a`:
# the optimizer gets the list `[a]` where a model would give
# `model.parameters()`. There are two changes: an outer loop over epochs that
# shuffles, and the loss of each step measured on one batch instead of all
# the data. Three epochs of batches of 10 make 30 steps.
# After each epoch we print the loss on all the data (inside
# `torch.no_grad()`: a measurement, not part of training).

# %%
a = torch.nn.Parameter(torch.tensor([1.,1]))
opt = torch.optim.SGD([a], lr=0.1)
generator = torch.Generator().manual_seed(0)
for epoch in range(3):
    order = torch.randperm(100, generator=generator)  # shuffle
    for rows in order.split(10):  # one step per batch
        opt.zero_grad()
        loss = gd.mse(x[rows]@a, y[rows])  # this batch's loss only
        loss.backward()
        opt.step()
    with torch.no_grad():
        print(f"after epoch {epoch + 1}: loss {gd.mse(x@a, y).item():.4f}")

# %% [markdown]
# [`gd.train`](../reference.md#gd.train) runs this loop with any `torch.optim`
# optimizer. With `batch_size=10` it cuts every epoch into batches of 10, and
# with `seed=0` it seeds its generator as we did, so it takes the same 30
# steps. Like `gd.fit` it returns a `History`; its `losses` are measured on
# *all* the data before each step, not on the batch, so that runs with
# different batch sizes can be compared.

# %%
history = gd.train(x, y, torch.tensor([1.,1]), lr=0.1, steps=30,
                   batch_size=10, seed=0)
print("by hand: ", a.detach())
print("gd.train:", history.params[-1])
assert torch.allclose(history.params[-1], a.detach(), atol=1e-6)

# %% [markdown]
# ## The same batches from a DataLoader
#
# PyTorch packages this bookkeeping in two classes. A `TensorDataset(x, y)`
# pairs row `i` of `x` with `y[i]`. A `DataLoader` walks through a dataset in
# batches; with `shuffle=True` it shuffles before every epoch, with the
# generator we give it. Each batch arrives as a pair: the rows of `x` and
# their `y` values.

# %%
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(x, y)


def seeded_loader(seed):
    return DataLoader(dataset, batch_size=10, shuffle=True,
                      generator=torch.Generator().manual_seed(seed))


xb, yb = next(iter(seeded_loader(0)))
print(len(seeded_loader(0)), "batches per epoch; the first:",
      tuple(xb.shape), tuple(yb.shape))

# %% [markdown]
# The rule to remember: a seed makes a `DataLoader` repeat *its own*
# batches, but it does not give the batches of a `randperm` loop seeded
# alike, because the loader draws more from its generator than the
# permutation. So when you compare runs, give them their batches the same
# way, with the same seed. The function below goes through a loader once per
# epoch and compares every batch with the rows that an order picks:


# %%
def same_batches(loader, orders):
    """Does each epoch of `loader` hold the rows of `orders`, 10 at a time?"""
    for order in orders:  # one epoch of the loader per order
        for (xb, yb), rows in zip(loader, order.split(10), strict=True):
            if not (torch.equal(xb, x[rows]) and torch.equal(yb, y[rows])):
                return False
    return True


generator = torch.Generator().manual_seed(0)
by_hand = [torch.randperm(100, generator=generator)]
print("same batches as by hand:", same_batches(seeded_loader(0), by_hand))
assert not same_batches(seeded_loader(0), by_hand)
first, again = seeded_loader(0), seeded_loader(0)
assert all(torch.equal(yb, yb_again)  # the loader repeats itself
           for (_, yb), (_, yb_again) in zip(first, again, strict=True))

# %% [markdown]
# Where do the extra draws go? PyTorch's source shows three per epoch: a
# random whole number when the epoch starts (a seed for *worker* processes
# that can prepare batches in parallel, drawn even when there are none), the
# epoch's permutation, and a second permutation that its *sampler* draws and
# does not use. Replaying the three by hand gives the loader's batches,
# epoch after epoch:


# %%
def loader_orders(seed, epochs):
    """The orders that seeded_loader(seed) uses, replayed by hand."""
    generator = torch.Generator().manual_seed(seed)
    orders = []
    for _ in range(epochs):
        torch.empty((), dtype=torch.int64).random_(generator=generator)  # 1.
        orders.append(torch.randperm(100, generator=generator))  # 2.
        torch.randperm(100, generator=generator)  # 3. drawn, never used
    return orders


print("3 epochs, same batches:",
      same_batches(seeded_loader(0), loader_orders(0, 3)))
assert same_batches(seeded_loader(0), loader_orders(0, 3))

# %% [markdown]
# Both ways give what training needs: a new order every epoch, every example
# once per epoch, and the same orders whenever the seed is the same.
# (`gd.train` draws the plain stream of our own loop.)

# %% [markdown]
# ## A batch's gradient is right on average
#
# A batch's gradient is not the full gradient: it sees only a few examples.
# How good a stand-in is it? Start with single examples. Write $x_i$ for row
# $i$ of `x` and $x_i \cdot a$ for its prediction (row $i$ of `x@a`). The loss
# of example $i$ alone is its squared error, $(x_i \cdot a - y_i)^2$, and its
# gradient is $2 (x_i \cdot a - y_i)\, x_i$: lesson 4's formula with
# $n = 1$. The loss on all the data is the mean of the 100 examples' losses,
# so the full gradient is the mean of their 100 gradients, and a batch's
# gradient is the mean over its rows only.
#
# Below, `each` holds all 100 gradients at the usual start $a = (1, 1)$, one
# per row (`unsqueeze(1)` turns the 100 errors into a column, so that each
# multiplies its own row of `x`). Their mean matches autograd's full gradient:

# %%
a = torch.tensor([1.,1])
each = 2 * (x@a - y).unsqueeze(1) * x  # row i: example i's gradient
print("each:", tuple(each.shape))

p = torch.nn.Parameter(a.clone())
gd.mse(x@p, y).backward()
full = p.grad
print("full gradient:", full)
assert torch.allclose(each.mean(0), full, atol=1e-5)

# %% [markdown]
# A single example is an unreliable guide. Take a small step (0.01 times the
# gradient) against each example's own gradient, and measure the loss on all
# the data after it. [`gd.line_loss`](../reference.md#gd.line_loss) computes
# the loss of many lines at once, one per row, so all 100 steps are measured
# in one call. For some examples, the step *raises* the loss:

# %%
def uphill_steps(x, y):
    """How many single-example steps from (1, 1) raise the full loss."""
    grads = 2 * (x@a - y).unsqueeze(1) * x  # one gradient per example
    after = gd.line_loss(x, y)(a - 0.01 * grads)  # one small step each
    return int((after > gd.mse(x@a, y)).sum())


uphill = uphill_steps(x, y)
print(f"our data: {uphill} of 100 single-example steps go uphill")
assert uphill > 0

# %% [markdown]
# That count belongs to our 100 points. Other data sets drawn by the same
# recipe give other counts, but every one of them has uphill steps:

# %%
others = [uphill_steps(*gd.linear_data(100, seed=seed)) for seed in range(5)]
print("data seeds 0 to 4: uphill steps", others)
assert min(others) > 0

# %% [markdown]
# Averages repair this. We shuffle 1000 times and take the first batch of
# each shuffle: 1000 random batches. Indexing `each` with a table of row
# numbers, `orders[:, :size]`, gives a table of gradients, and `mean(1)`
# averages each batch's rows. The batches' gradients scatter around the full
# gradient, and their average lands close to it. Every example is equally
# likely to be in a random batch, so on average none has more say than in the
# full mean: on average a batch's gradient *is* the full gradient.
# Statisticians call such an estimate **unbiased**.
#
# The scatter around the full gradient is the **noise**. We measure it as the
# typical distance of a batch's gradient from the full gradient (the square
# root of the mean squared distance).

# %%
generator = torch.Generator().manual_seed(1)
orders = torch.stack([torch.randperm(100, generator=generator)
                      for _ in range(1000)])  # one shuffle per row


def batch_gradients(size):
    """The gradient of the first batch of every shuffle: (1000, 2)."""
    return each[orders[:, :size]].mean(1)


def noise(size):
    """Typical distance of a batch's gradient from the full gradient."""
    distances = (batch_gradients(size) - full).norm(dim=1)
    return distances.pow(2).mean().sqrt().item()


for size in (1, 10, 50):
    average = batch_gradients(size).mean(0)
    print(f"batch {size:2d}: average {average}, noise {noise(size):.3f}")
    # as close as an average of 1000 noisy draws can be expected to get
    assert (average - full).norm() < 4 * noise(size) / 1000 ** 0.5

# %% [markdown]
# Over one whole epoch the average is not just close but exact: every example
# is in exactly one batch, all batches have the same size, so the mean of the
# 10 batch means is the mean of all 100 gradients.

# %%
one_epoch = each[orders[0]].reshape(10, 10, 2).mean(1)  # 10 batch gradients
print("average over one epoch:", one_epoch.mean(0))
assert torch.allclose(one_epoch.mean(0), full, atol=1e-6)

# %% [markdown]
# Here are 100 of the batch gradients for each size, around the full
# gradient. We draw them with pyplot; `gd.describe` attaches a sentence saying
# what the figure shows, for readers who cannot see it. (pyplot shows a
# figure by itself when the cell ends; the trailing `;` hides the value
# `gd.describe` returns, as in lesson 1.)

# %%
import matplotlib.pyplot as plt

fig, ax = plt.subplots(layout="constrained")
for size in (1, 10, 50):
    g = batch_gradients(size)[:100]
    ax.scatter(g[:, 0], g[:, 1], s=6, label=f"batch {size}")
ax.plot(*full.tolist(), "*", color="C3", markersize=13, label="full")
ax.set(xlabel="gradient for the slope", ylabel="gradient for the intercept")
ax.legend(loc="lower right")
gd.describe(fig, "Batch gradients at a = (1, 1) as points: 100 each for "
            "batch sizes 1, 10 and 50. The clouds share one centre, the full "
            f"gradient ({full[0]:.2f}, {full[1]:.2f}); batch 1 scatters "
            "widely, batch 50 tightly.");

# %% [markdown]
# ## How the noise shrinks with batch size
#
# Averaging more examples cancels more of their disagreement. When $b$
# examples are drawn independently, the noise of their average falls like
# $1/\sqrt{b}$: four times the batch, half the noise. Our batches are not quite
# independent draws. They are drawn without repeats from only $n = 100$
# examples, and a batch of all 100 is the full data, with no noise at all.
# For batches drawn this way the factor is
#
# $$\sqrt{\frac{n - b}{(n - 1)\, b}}$$
#
# (statisticians call the change the *finite-population correction*). It is
# close to $1/\sqrt{b}$ while $b$ is small next to $n$. The table compares the
# measured noise, relative to that of batch size 1, with both:

# %%
n = 100
print("  b  noise  ratio  1/sqrt(b)  corrected")
for size in (1, 2, 5, 10, 20, 50, 100):
    relative = noise(size) / noise(1)  # the ratio to batch size 1
    corrected = ((n - size) / ((n - 1) * size)) ** 0.5
    print(f"{size:3d}  {noise(size):5.3f}  {relative:5.3f}"
          f"  {size ** -0.5:9.3f}  {corrected:9.3f}")
    assert abs(relative - corrected) < 0.1 * corrected + 1e-5
    if size <= 10:  # small batches: 1/sqrt(b) is close enough
        assert abs(relative - size ** -0.5) < 0.1 * size ** -0.5
assert 0.25 < noise(10) / noise(1) < 0.4  # batch 10: about a third

# %% [markdown]
# For these 1000 shuffles every measured value is within 10% of the
# corrected factor (the asserts check it), and for batches of up to 10 also
# within 10% of $1/\sqrt{b}$. A batch of 10 already cuts the noise to about
# a third of a single example's.

# %% [markdown]
# ## Paths for batch sizes 100, 10 and 1
#
# Now we train. From the usual start, we run 100 steps for every combination
# of five batch sizes and four learning rates at once, with
# [`gd.sweep`](../reference.md#gd.sweep) (the explorer at the end of the
# lesson shows all 20 runs). Here we pick three runs with the learning rate
# 0.1: batch size 100, the full data, which is plain gradient descent; 10;
# and 1.

# %%
start = torch.tensor([1.,1])
runs = gd.sweep(
    lambda batch_size, lr: gd.train(x, y, start, lr=lr, steps=100,
                                    batch_size=batch_size, seed=0),
    gd.line_loss(x, y), x=x, y=y,
    batch_size=[100, 20, 10, 5, 1], lr=[0.1, 0.3, 0.6, 0.9])
full_batch = runs.history(batch_size=100, lr=0.1)
tens = runs.history(batch_size=10, lr=0.1)
ones = runs.history(batch_size=1, lr=0.1)
# batch size 100 is all the data every step: the plain descent of gd.fit
plain = gd.fit(x, y, start, lr=0.1, steps=100)
assert torch.allclose(full_batch.params, plain.params, atol=1e-5)

# %% [markdown]
# [`gd.plot_paths`](../reference.md#gd.plot_paths) draws several paths on one
# loss landscape, with the same scale across and up, and marks the
# least-squares answer with a star.

# %%
gd.plot_paths(x, y, full_batch, tens, ones,
              labels=["batch 100", "batch 10", "batch 1"])

# %% [markdown]
# All three head for the star. The full batch follows the smooth curve of the
# earlier lessons; batch 10 wobbles around it; batch 1 staggers, since every
# step follows a single example. And near the bottom the small batches never
# settle: the learning rate stays the same, so every step still moves by a
# noisy amount, and the line keeps jumping around the best one. In these
# three runs, the typical distance from the answer over the last 20 steps
# grows as the batch shrinks:

# %%
best = torch.linalg.lstsq(x, y).solution


def last_20_distance(params):
    """Mean distance from the answer over steps 81 to 100."""
    return (params[81:101] - best).norm(dim=1).mean().item()


distances = [last_20_distance(h.params) for h in (full_batch, tens, ones)]
for size, distance in zip((100, 10, 1), distances, strict=True):
    print(f"batch {size:3d}: {distance:.4f} from the answer")
assert distances[0] < distances[1] < distances[2]

# %% [markdown]
# Those are single runs, each with the batches that seed 0 shuffles. Is the
# order a property of the batch size or luck of the draw? The full batch
# involves no chance, but batches of 10 and 1 do, so we rerun both with ten
# seeds, 0 to 9, and give the smallest, the median and the largest of the
# ten results (batch 1 runs for 300 steps, which the next section needs;
# its first 100 are the same as in a 100-step run).

# %%
import statistics

SEEDS = range(10)


def spread(values):
    """The smallest, the median and the largest of some numbers."""
    return min(values), statistics.median(values), max(values)


seeded = {  # batch size -> one run per seed
    10: [gd.train(x, y, start, lr=0.1, steps=100, batch_size=10, seed=seed)
         for seed in SEEDS],
    1: [gd.train(x, y, start, lr=0.1, steps=300, batch_size=1, seed=seed)
        for seed in SEEDS],
}
assert torch.equal(seeded[1][0].params[:101], ones.params)  # seed 0 again
spreads = {size: spread([last_20_distance(h.params) for h in histories])
           for size, histories in seeded.items()}
print("distance from the answer, last 20 of 100 steps, 10 seeds")
print("batch      min   median      max")
print(f"  100   {distances[0]:.4f}   (the same for every seed)")
for size, (low, middle, high) in spreads.items():
    print(f"{size:5d}   {low:.4f}   {middle:.4f}   {high:.4f}")
assert distances[0] < spreads[10][0]  # every batch-10 run strays farther
assert spreads[10][2] < spreads[1][0]  # and every batch-1 run farther still

# %% [markdown]
# ## Steps or examples: what a batch costs
#
# Which batch size is best? That depends on what we count. Per **step**, the
# three loss curves fall almost together, the full batch's smoothly and the
# others with a jitter:

# %%
gd.plot_losses(full_batch, tens, ones,
               labels=["batch 100", "batch 10", "batch 1"])

# %% [markdown]
# In these runs, after the 100 steps the full batch and batch 10 are both on
# the floor (the least-squares loss) to four digits, the full batch a hair
# lower; batch 1 is still above it, jittering:

# %%
floor = gd.mse(x@best, y).item()
ends = [gd.mse(x @ h.params[-1], y).item() for h in (full_batch, tens, ones)]
for size, end in zip((100, 10, 1), ends, strict=True):
    print(f"batch {size:3d}: loss {end:.4f} after 100 steps")
print(f"the floor: {floor:.4f}")
assert ends[0] < ends[1] < floor + 5e-5 < ends[2]

# %% [markdown]
# Where a noisy run stands after its last step is itself a draw: wherever
# the last few kicks happened to put it. Over the ten seeds, the loss after
# 100 steps minus the floor:

# %%
above_floor = {size: spread([gd.mse(x @ h.params[100], y).item() - floor
                             for h in histories])
               for size, histories in seeded.items()}
print("loss after 100 steps minus the floor, 10 seeds")
print("batch       min    median       max")
print(f"  100  {ends[0] - floor:8.1e}  (the same for every seed)")
for size, (low, middle, high) in above_floor.items():
    print(f"{size:5d}  {low:8.1e}  {middle:8.1e}  {high:8.1e}")
assert ends[0] - floor < above_floor[10][1] < above_floor[1][1] / 10
assert above_floor[10][2] > above_floor[1][0]  # single runs overlap

# %% [markdown]
# In the median, batch 1 ends more than ten times farther above the floor
# than batch 10, and batch 10 farther than the full batch. Single runs
# overlap, though: the unluckiest batch-10 run ends above the luckiest
# batch-1 run. One run of a noisy method shows one draw, not the rule.

# %% [markdown]
# But a step on 100 examples costs 100 predictions and 100 gradients: ten
# times the work of a step on 10, and a hundred times a step on 1. Count the
# work in **examples seen** (steps times batch size), or in epochs (examples
# seen divided by 100), and the picture turns around. Below, each batch size
# gets the same budget of 3 epochs: 3 steps of 100, 30 of 10, 300 of 1. The
# first steps of our 100-step runs serve for the larger batches; batch 1 needs
# a longer run. `gd.line_loss` gives the loss at every row of `params`, the
# last one included.

# %%
ones_long = gd.train(x, y, start, lr=0.1, steps=300, batch_size=1, seed=0)
budget = {}  # the losses of each batch size, over 3 epochs
fig, ax = plt.subplots(layout="constrained")
for h, size in [(full_batch, 100), (tens, 10), (ones_long, 1)]:
    steps = 300 // size
    budget[size] = gd.line_loss(x, y)(h.params[:steps + 1])
    epochs = torch.arange(steps + 1) * size / 100
    ax.plot(epochs, budget[size], label=f"batch {size}")
ax.set(xlabel="epochs (examples seen / 100)", ylabel="loss (log scale)",
       yscale="log")
ax.yaxis.set_major_formatter("{x:g}")  # ticks as 0.1 and 1, not powers
ax.legend()
gd.describe(fig, "Loss against epochs for batch sizes 100, 10 and 1, over "
            f"3 epochs. After 3 epochs: {budget[100][-1]:.3f} for batch "
            f"100, {budget[10][-1]:.3f} for batch 10, "
            f"{budget[1][-1]:.3f} for batch 1.");

# %% [markdown]
# After one epoch, the same 100 examples' worth of work, this batch-1 run
# is already within 5% of the floor, and the full batch, with a single step
# taken, is far from it:

# %%
for size in (100, 10, 1):
    print(f"batch {size:3d}: loss {budget[size][100 // size]:.4f} "
          "after one epoch")
print(f"the floor: {floor:.4f}")
assert budget[1][100] < budget[10][10] < budget[100][1]
assert budget[1][100] < 1.05 * floor  # within 5% of it

# %% [markdown]
# Over the ten seeds the order holds in every run: each batch-1 run ends
# its epoch lower than any batch-10 run, and each batch-10 run lower than
# the full batch. How close batch 1 gets varies more: the median run is
# within 10% of the floor, the worst is not.

# %%
after_epoch = {size: spread([gd.mse(x @ h.params[100 // size], y).item()
                             for h in histories])
               for size, histories in seeded.items()}
print("loss after one epoch, 10 seeds")
print("batch     min  median     max")
print(f"  100  {budget[100][1]:.4f}  (the same for every seed)")
for size, (low, middle, high) in after_epoch.items():
    print(f"{size:5d}  {low:.4f}  {middle:.4f}  {high:.4f}")
assert after_epoch[1][2] < after_epoch[10][0]  # every batch 1 below
assert after_epoch[10][2] < budget[100][1]  # every batch 10 below
assert after_epoch[1][1] < 1.1 * floor < after_epoch[1][2]

# %% [markdown]
# Small batches buy many rough steps for the price of one careful one. Early
# in training many rough steps win; near the bottom, their noise keeps them
# from settling, as the distances above showed. Choosing a batch size means
# trading the one against the other.

# %% [markdown]
# ## Steps, examples and seconds
#
# Counting examples seen assumes that every example costs the same, alone or
# in a batch. On a computer it does not. `x[rows]@a` for 100 rows is one
# call into compiled code that runs through the rows in a tight loop. The
# rest of a step (`zero_grad`, recording, `backward`, `step`, all called
# from Python) costs about the same whatever the batch size, and for batches
# this small it is most of the time. Computing a whole batch in one call,
# instead of one call per example, is called **vectorisation**.
#
# The cell below times one epoch of steps in batches of 100 and of 1, taking
# the fastest of 20 repeats (the slower ones are the moments when the
# machine was busy with something else). Timings change from machine to
# machine and from run to run, so this page prints no seconds: only two
# comparisons, which the asserts checked when the page was built.

# %%
import time


def epoch_seconds(size, repeats=20):
    """The fastest of `repeats` timings of one epoch in batches of `size`."""
    a = torch.nn.Parameter(torch.tensor([1.,1]))
    opt = torch.optim.SGD([a], lr=0.01)
    order = torch.randperm(100, generator=torch.Generator().manual_seed(0))
    times = []
    for _ in range(repeats):
        begin = time.perf_counter()
        for rows in order.split(size):
            opt.zero_grad()
            gd.mse(x[rows]@a, y[rows]).backward()
            opt.step()
        times.append(time.perf_counter() - begin)
    return min(times)


whole, single = epoch_seconds(100), epoch_seconds(1)
assert whole < 3 * single / 100  # one step: 100 examples vs 1 example
assert single > 20 * whole  # one epoch: 100 steps vs 1 step
print("one step on 100 examples took less than 3 times as long as one"
      " step on 1 example")
print("one epoch in batches of 1 took more than 20 times as long as one"
      " epoch in a single batch of 100")

# %% [markdown]
# So, on this machine, a step on all 100 examples costs about as much as a
# step on one, and in the time batch 1 needs for one epoch the full batch
# takes more than 20 steps. Counted in seconds, the comparison of the last
# section comes out differently again. The general rule: as long as the
# fixed cost of a step outweighs the work per example, a larger batch comes
# almost free, up to the size the machine handles in one go. That is why
# mini-batches, not single examples, are the usual choice, and why "examples
# seen" is half of the story: the other half is your hardware.

# %% [markdown]
# ## Try it yourself
#
# Below are all 20 runs of the sweep, computed when this page was built: 100
# steps each, so batch 1 saw one epoch and batch 100 saw a hundred. Move the
# *batch size* and *learning rate* sliders to pick a run, and the *step*
# slider (or *Play*) to follow it. Watch the path roughen as the batch
# shrinks. Then try batch 1 with the learning rate 0.9, which the full batch
# handles easily: it blows up.
#
# Why? Lesson 7's rule says the learning rate must stay below 2 divided by
# the curvature. The loss of one example bends more sharply than the average
# over all of them. Along its own row $x_i$ its curvature is twice the
# squared length of the row, $2 (\text{input}^2 + 1)$, up to almost 4 for our
# data (across the row it is flat), so for the sharpest example the limit is
# close to 0.5. Autograd's curvature matrix of the sharpest example agrees:

# %%
curvatures = 2 * (x**2).sum(1)  # twice each row's squared length
i = int(curvatures.argmax())
print(f"single examples: curvature up to {curvatures[i]:.2f}, "
      f"limit {2 / curvatures[i]:.2f}")
assert 3.9 < curvatures[i] < 4 and 0.5 < 2 / curvatures[i] < 0.52
H_i = torch.autograd.functional.hessian(
    lambda a: (x[i]@a - y[i])**2, torch.tensor([1.,1]))
assert torch.allclose(torch.linalg.eigvalsh(H_i),
                      torch.tensor([0., curvatures[i]]), atol=1e-5)
for size in (100, 1):
    h = runs.history(batch_size=size, lr=0.9)
    print(f"batch {size:3d}, lr 0.9: loss {h.losses[0]:.2f} "
          f"-> {h.losses[-1]:.3g}")
assert runs.history(batch_size=100, lr=0.9).losses[-1] < 0.1
wild = runs.history(batch_size=1, lr=0.9)
assert wild.losses[-1] > 1e6 * wild.losses[0]

# %% [markdown]
# Careful with what that 0.5 means. Below it, no single-example step can
# overshoot: every step leaves the line closer to that example's own best.
# Above it, the steps on the sharpest examples overshoot, but each step uses
# one example, and the others still pull the line back. Whether a run blows
# up depends on which wins, so 0.5 is a safe bound, not the point where
# batch 1 blows up. The explorer shows it: batch 1 with 0.6 jitters widely
# but does not blow up. The table counts, for a few rates, the examples
# whose steps overshoot (curvature above 2 / rate), and gives the loss after
# 100 steps of batch 1 over ten seeds:

# %%
print(" rate  overshoot   loss after 100 steps, 10 seeds")
print("                      min    median       max")
after_100 = {}
for lr in (0.5, 0.6, 0.7, 0.8, 0.9):
    overshoot = int((curvatures > 2 / lr).sum())
    after_100[lr] = spread([
        gd.line_loss(x, y)(gd.train(x, y, start, lr=lr, steps=100,
                                    batch_size=1, seed=seed).params[-1:])
        .item() for seed in SEEDS])
    low, middle, high = after_100[lr]
    print(f"{lr:5}  {overshoot:5d}     {low:8.3g}  {middle:8.3g}"
          f"  {high:8.3g}")
start_loss = gd.mse(x@start, y).item()
assert after_100[0.6][2] < start_loss  # 0.6: every run below the start
assert after_100[0.8][0] > 100 * start_loss  # 0.8: every run blows up

# %% [markdown]
# At 0.6, the explorer's rate, every run ends below where it started, if far
# above the floor; from 0.8 on, every run blows up. So for batch 1 on our
# data the rate at which runs blow up lies between the limit of the sharpest
# single example, about 0.5, and the limit of the whole data set, about 1.

# %%
runs

# %% [markdown]
# ## Summary
#
# - A **batch** is the group of examples one step uses; an **epoch** is one
#   pass through all the data; **shuffling** gives every epoch a new order.
#   By hand: `torch.randperm(n, generator=...)` and `split(batch_size)`.
# - `DataLoader(TensorDataset(x, y), batch_size=..., shuffle=True,
#   generator=...)` shuffles the same way, but draws more from the generator
#   (a worker seed and an unused permutation per epoch), so its batches match
#   a by-hand replay of those draws, not a plain `randperm` loop.
# - A batch's gradient is an **unbiased** estimate of the full gradient: its
#   average over many batches is the full gradient (exactly so over an epoch).
#   Its **noise** falls like $1/\sqrt{b}$ for small batches, and to zero for a
#   batch of all the data.
# - Per step, larger batches descend more steadily; per example seen, small
#   batches get further early on, but with a fixed learning rate they keep
#   jittering around the answer (over ten seeds, in every run). Per second,
#   large batches are cheap: vectorised code does a step on 100 examples in
#   about the time of a step on one.
# - Claims about noisy runs need several seeds: single runs of different
#   batch sizes can overlap even when their medians are far apart.
# - Single examples bend more sharply than the average. Below 2 over the
#   sharpest example's curvature no step can overshoot; for our data, batch-1
#   runs blow up only at a somewhat larger rate, still below the full-data
#   limit.
# - With `drop_last=True` a loader drops the short last batch; without
#   shuffling it drops the same rows every epoch, and they are never seen.
#
# Next: what the shape of the data does to the landscape, and how rescaling
# the inputs makes descent fast. Continue with the
# [next lesson](13-conditioning.py).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A `DataLoader` over our 100 examples
# with `batch_size=30`: how many batches does one epoch have, and what are
# their sizes? What changes with `drop_last=True`, and which rows does a
# model then see over 5 epochs if the loader does not shuffle?

# %% tags=["solution"]
loader30 = DataLoader(dataset, batch_size=30, shuffle=True,
                      generator=torch.Generator().manual_seed(0))
sizes = [len(yb) for xb, yb in loader30]
print(len(loader30), "batches of sizes", sizes)
# 100 = 3 x 30 + 10: three full batches, then one with the 10 left over,
# exactly the pieces that split(30) cuts.
assert sizes == [len(piece) for piece in torch.arange(100).split(30)]
assert len(loader30) == 4 and sizes == [30, 30, 30, 10]
# drop_last=True throws the short last batch away: 3 batches, 10 rows unseen
# in each epoch.
dropped = DataLoader(dataset, batch_size=30, drop_last=True)
assert [len(yb) for _, yb in dropped] == [30, 30, 30]


# Which 10? A loader over the row numbers themselves shows it.
def rows_seen(epochs, **options):
    loader = DataLoader(torch.arange(100), batch_size=30, drop_last=True,
                        **options)
    return {int(row) for _ in range(epochs) for batch in loader
            for row in batch}


never = sorted(set(range(100)) - rows_seen(5))
print("never seen in 5 epochs without shuffling:", never)
# Without shuffling the order never changes, so the same last rows, 90 to
# 99, are dropped in every epoch: the model never sees them at all.
assert never == list(range(90, 100))
shuffled = rows_seen(5, shuffle=True,
                     generator=torch.Generator().manual_seed(0))
print("with shuffling (seed 0):", 100 - len(shuffled), "rows never seen")
# Shuffled, each epoch drops a different 10; in this run every row was
# seen within the 5 epochs.
assert len(shuffled) == 100

# %% [markdown]
# **Exercise 2 (break it and explain).** In the loop of "Mini-batch SGD by
# hand", use batches of 50 and measure each batch's loss as the *sum* of the
# squared errors instead of their mean: `((x[rows]@a - y[rows])**2).sum()`.
# Keep `lr = 0.1` and run 3 epochs. What happens to the loss on all the data,
# and why?

# %% tags=["solution"]
a = torch.nn.Parameter(torch.tensor([1.,1]))
opt = torch.optim.SGD([a], lr=0.1)
generator = torch.Generator().manual_seed(0)
losses = []
for _ in range(3):  # 3 epochs
    for rows in torch.randperm(100, generator=generator).split(50):
        opt.zero_grad()
        loss = ((x[rows]@a - y[rows])**2).sum()  # the broken line
        loss.backward()
        opt.step()
        losses.append(gd.mse(x@a, y).item())
print([f"{v:.3g}" for v in losses])
# The sum over 50 examples is 50 times their mean, and so is its gradient:
# every step is 50 times longer, as if lr were 0.1 x 50 = 5, far above the
# limit of about 1 from lesson 7. Each step overshoots more than the last.
limit = 2 / torch.linalg.eigvalsh(2 / 100 * x.T @ x).max()
assert 0.9 < limit < 1
assert all(b > a for a, b in zip(losses[:-1], losses[1:], strict=True))
assert losses[-1] > 1e6 * losses[0]
# With the mean, the same lr works whatever the batch size.

# %% [markdown]
# **Exercise 3 (practice).** With batches of 30 an epoch has batches of
# unequal sizes. Compute the 4 batch gradients of one shuffled epoch at
# $a = (1, 1)$ (use `each`). Is their plain average the full gradient? Find
# the average that is.

# %% tags=["solution"]
order = torch.randperm(100, generator=torch.Generator().manual_seed(5))
pieces = order.split(30)
grads = torch.stack([each[rows].mean(0) for rows in pieces])
sizes = torch.tensor([len(rows) for rows in pieces], dtype=torch.float32)
plain_average = grads.mean(0)
# weight every batch by its size: the total over all 100 examples, / 100
# (the weighting of lesson 5's pieces, there done with backward())
weighted = (sizes.unsqueeze(1) * grads).sum(0) / sizes.sum()
print("plain:", plain_average, " weighted:", weighted, " full:", full)
# The plain average gives the 10 examples of the short batch as much say as
# the 30 of each other batch, so it misses; weighting by size does not.
assert not torch.allclose(plain_average, full, atol=0.01)
assert torch.allclose(weighted, full, atol=1e-5)

# %% [markdown]
# **Exercise 4 (practice).** Train for 3 epochs with `lr = 0.1` from
# $(1, 1)$, taking the batches from `seeded_loader(0)` (`for xb, yb in
# loader:` inside the epoch loop). Check the result against the loop by
# hand, driven by the orders that `loader_orders(0, 3)` replays.

# %% tags=["solution"]
def sgd(batches_of_epochs):
    """Mini-batch SGD from (1, 1) with lr 0.1 over the given batches."""
    a = torch.nn.Parameter(torch.tensor([1.,1]))
    opt = torch.optim.SGD([a], lr=0.1)
    for batches in batches_of_epochs:
        for xb, yb in batches:
            opt.zero_grad()
            gd.mse(xb@a, yb).backward()
            opt.step()
    return a.detach()


loader = seeded_loader(0)
from_loader = sgd(loader for _ in range(3))  # the loader, 3 epochs
by_hand = sgd([(x[rows], y[rows]) for rows in order.split(10)]
              for order in loader_orders(0, 3))
print(from_loader, by_hand)
assert torch.allclose(from_loader, by_hand, atol=1e-6)
