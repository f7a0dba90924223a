# %% [markdown]
# # A real data set, end to end
#
# Every data set in this course so far was made up: points near a line we
# chose, a wave with noise we added. This lesson trains on data that nobody
# here made: 1,797 handwritten digits, 8 by 8 pixels each. The task is new
# too. Instead of a number, the model must pick one of ten answers, the
# digit, so it needs a new loss, the **cross-entropy**, which we build from
# probabilities first.
#
# Then we go through a training run as practice does it: a straight model
# first (logistic regression), then a small network, with the checks and
# cures of real training along the way: overfit one small batch before
# anything else, watch a validation set, see overfitting and curb it with
# early stopping and weight decay, pick the learning rate with the range
# test and train with one-cycle. At the end the model meets a test set it
# has never been judged on, and we look at the digits it gets wrong.
# Everything is trained on a CPU while this page is built, in a few
# seconds, so the models are small and the runs short.

# %% [markdown]
# ## The digits
#
# The images come from "Optical Recognition of Handwritten Digits" by
# E. Alpaydin and C. Kaynak (1998), in the
# [UCI Machine Learning Repository](https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits)
# ([doi:10.24432/C50P49](https://doi.org/10.24432/C50P49)), licensed
# [CC BY 4.0](https://creativecommons.org/licenses/by/4.0/). Each digit was
# written by hand on a form, scanned at 32 by 32 black-and-white pixels,
# and cut into 8 by 8 blocks of 4 by 4; each of our pixels counts the inked
# dots of its block, 0 to 16. gd ships the 1,797 images of UCI's test part
# (the ones scikit-learn's `load_digits` gives), unchanged.
#
# [`gd.digits`](../reference.md#gd.digits) shuffles them with a seed and
# splits them three ways, each with its own job:
#
# - a **training set** of 1,077 images, the only ones gradient descent sees;
# - a **validation set** of 360, to compare settings and decide when to
#   stop;
# - a **test set** of 360, used once, at the very end. Every choice made by
#   looking at validation results tunes the model a little to those 360
#   images, so only images that influenced no choice give an honest final
#   score.
#
# Each image is a row of 64 numbers (the pixel counts divided by 16, so
# between 0 and 1), each label a whole number from 0 to 9:

# %%
import copy
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim import lr_scheduler

import gd

x_train, y_train, x_val, y_val, x_test, y_test = gd.digits(seed=0)
print("training:  ", tuple(x_train.shape), tuple(y_train.shape), y_train.dtype)
print("validation:", tuple(x_val.shape), " test:", tuple(x_test.shape))
print(f"pixels from {x_train.min():.0f} to {x_train.max():.0f};"
      f" first labels: {y_train[:10].tolist()}")
counts = [torch.bincount(labels).tolist()
          for labels in (y_train, y_val, y_test)]
print("images of each digit")
print("digit  training  validation  test")
for d in range(10):
    print(f"{d:5} {counts[0][d]:9} {counts[1][d]:11} {counts[2][d]:5}")
assert len(x_train) + len(x_val) + len(x_test) == 1797

# %% [markdown]
# The shuffle spreads every digit over all three sets. To look at the
# images we draw each in a small plot of its own, in a grid
# (`plt.subplots`): `view(8, 8)` turns a row of 64 numbers back into 8 rows
# of 8, `imshow` draws them as grey levels from white (0) to black (1), and
# the caption is the plot's title. Here is the first training image of each
# digit:

# %%
def show_digits(images, captions, columns=10):
    """The images in a grid, `columns` to a row, each under its caption."""
    rows = math.ceil(len(images) / columns)
    side = 4.4 / columns  # inches per image
    fig, axes = plt.subplots(rows, columns, squeeze=False,
                             figsize=(4.4, rows * (side + 0.35)),
                             layout="compressed")  # images close together
    for ax in axes.flat:
        ax.axis("off")  # no frame or ticks, also where no image goes
    for k, (image, caption) in enumerate(zip(images, captions, strict=True)):
        ax = axes.flat[k]
        ax.imshow(image.view(8, 8), cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(caption, fontsize=11)
    return fig


firsts = [(y_train == d).nonzero()[0].item() for d in range(10)]
print("rows of the first image of each digit:", firsts)
fig = show_digits(x_train[firsts], [str(d) for d in range(10)], columns=5)
gd.describe(fig, "The first training image of each digit from 0 to 9,"
            " 8 by 8 pixels each, dark ink on a light background.");

# %% [markdown]
# ## Ten scores and a prediction
#
# A model that picks one of ten digits gives ten numbers for each image,
# one **score** per digit, and its prediction is the digit with the
# highest score (`argmax`). The simplest such model is `nn.Linear(64, 10)`:
# ten straight-line models side by side, each with 64 weights, one per
# pixel, and an intercept, so 650 parameters. Its **accuracy** is the
# fraction of images whose prediction is right. Before training it guesses,
# and a guess is right about one time in ten:

# %%
def accuracy(model, x, y):
    """The fraction of images in x whose highest score is their label."""
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


torch.manual_seed(0)
linear = nn.Linear(64, 10)
scores = linear(x_train)
print("scores of the first image:",
      [round(v, 2) for v in scores[0].tolist()])
print("prediction:", scores[0].argmax().item(), " label:", y_train[0].item())
print(f"accuracy before training: {accuracy(linear, x_train, y_train):.3f}")
assert sum(p.numel() for p in linear.parameters()) == 650

# %% [markdown]
# Accuracy is what we care about, but gradient descent cannot use it. A
# small change of the parameters moves the scores a little and changes no
# prediction at all, so the accuracy stays the same: its slope is zero
# almost everywhere, and the gradient gives no direction. Nudging every
# parameter by a random amount of about 0.0001:

# %%
nudged = copy.deepcopy(linear)
noise = torch.Generator().manual_seed(1)
with torch.no_grad():
    for p in nudged.parameters():
        p.add_(1e-4 * torch.randn(p.shape, generator=noise))
before = accuracy(linear, x_train, y_train)
after = accuracy(nudged, x_train, y_train)
print(f"accuracy: {before:.4f} before, {after:.4f} after the nudge")
assert before == after

# %% [markdown]
# We need a loss that changes smoothly with the scores. The way there is to
# turn the scores into probabilities.

# %% [markdown]
# ## Softmax: from scores to probabilities
#
# **Softmax** turns $K$ scores $z_1, \dots, z_K$ into $K$ probabilities:
#
# $$p_k = \frac{e^{z_k}}{e^{z_1} + e^{z_2} + \dots + e^{z_K}}$$
#
# Every $e^{z}$ is positive, and dividing by their sum makes the $p_k$ add
# up to 1. A higher score gets a higher probability, and a score far above
# the others takes almost all of it.
#
# First with one number, as always: two classes with scores $z$ and 0.
# Then $p_1 = e^z / (e^z + 1) = 1 / (1 + e^{-z})$, the **logistic**
# function (`torch.sigmoid`), an S-shaped curve from 0 to 1. This is where
# the name **logistic regression** for our straight model comes from:

# %%
print("   z  softmax p_1  1 / (1 + e^-z)")
for z in (-4., 0., 2.):
    two = torch.tensor([z, 0.])
    p = two.exp() / two.exp().sum()
    print(f"{z:+4.0f} {p[0]:10.4f} {torch.sigmoid(torch.tensor(z)):15.4f}")
    assert torch.isclose(p[0], torch.sigmoid(torch.tensor(z)))

# %% [markdown]
# With ten scores, written out and checked against `torch.softmax`. Adding
# the same number to every score multiplies every $e^{z_k}$ by the same
# factor, which the division cancels: the probabilities depend only on the
# differences between the scores.

# %%
def softmax(z):
    """Softmax along the last dimension, written out."""
    return z.exp() / z.exp().sum(dim=-1, keepdim=True)


z = scores[0].detach()
p = softmax(z)
print("probabilities:", [round(v, 3) for v in p.tolist()])
print(f"they add up to {p.sum():.6f}")
assert torch.allclose(p, torch.softmax(z, dim=0))
assert torch.allclose(softmax(z + 5), p)

# %% [markdown]
# ## Cross-entropy: the loss of a probability
#
# A good model gives the right digit a probability close to 1. The loss of
# one image is $-\log p_{\text{label}}$, minus the natural logarithm of the
# probability the model gives to the right answer: 0 when that probability
# is 1, and larger the smaller it is, without limit. The loss of a set of
# images is the mean, the **cross-entropy**:

# %%
print("probability of     loss")
print("the right digit")
for prob in (1., 0.9, 0.5, 0.1, 0.01):
    print(f"{prob:<15} {0 - math.log(prob):8.3f}")

# %% [markdown]
# A model that knows nothing gives every digit $1/10$, so its loss is
# $-\log(1/10) = \log 10 \approx 2.303$ on every image. An untrained model
# should start close to that: a much higher first loss means that the
# scores start large and confidently wrong, worth fixing before training.
#
# PyTorch's `F.cross_entropy(scores, labels)` takes the *scores*, not the
# probabilities: it computes the softmax itself, in a way that cannot
# overflow (exercise 4). By hand and with torch, on all training images:

# %%
p = softmax(scores)
by_hand = -p[torch.arange(len(y_train)), y_train].log().mean()
by_torch = F.cross_entropy(scores, y_train)
print(f"by hand {by_hand:.6f}, F.cross_entropy {by_torch:.6f},"
      f" log 10 = {math.log(10):.6f}")
assert torch.isclose(by_hand, by_torch)
assert abs(by_torch.item() - math.log(10)) < 0.2

# %% [markdown]
# `p[torch.arange(n), y_train]` picks from row $i$ the entry in column
# `y_train[i]`: each image's probability of its own label.
#
# Because the loss falls smoothly as the right score rises, nudging the
# parameters does change it, and its gradient points somewhere useful:

# %%
loss_before = F.cross_entropy(linear(x_train), y_train).item()
loss_after = F.cross_entropy(nudged(x_train), y_train).item()
print(f"cross-entropy: {loss_before:.6f} before, {loss_after:.6f} after"
      " the nudge")
assert loss_before != loss_after

# %% [markdown]
# ## Logistic regression
#
# Now train it: the loop of the [PyTorch lessons](11-the-pytorch-way.py),
# with `torch.optim.Adam` and `lr = 0.05`, on all 1,077 training images at
# every step, for 200 steps. We report the loss and the accuracy on the
# training and on the validation images.

# %%
def report(model):
    """Loss and accuracy on the training and on the validation images."""
    with torch.no_grad():
        parts = [f"{name:>10} loss {F.cross_entropy(model(x), y):.3f},"
                 f" accuracy {accuracy(model, x, y):.3f}"
                 for name, x, y in (("training", x_train, y_train),
                                    ("validation", x_val, y_val))]
    return "\n".join(parts)


opt = torch.optim.Adam(linear.parameters(), lr=0.05)
for _ in range(200):
    opt.zero_grad()
    F.cross_entropy(linear(x_train), y_train).backward()
    opt.step()
print(report(linear))
assert accuracy(linear, x_val, y_val) > 0.95

# %% [markdown]
# A straight model in the 64 pixels already gets more than 95% of the
# validation images right (the exact figure is printed above). Digits this
# small and this centred are an easy problem; it is a good one to learn the
# routine on.

# %% [markdown]
# ## A small network, and the first check
#
# The network has one hidden layer, of 64 units, like the one in
# [the first-network lesson](19-a-first-network.py) but with another bend
# in place of $\tanh$: `nn.ReLU()`, the **rectified linear unit**,
# $\max(0, z)$, which keeps positive numbers and turns negative ones into 0.
#
# Before training a new model on everything, practice starts with a cheap
# check: can it learn 32 images by heart? A network with thousands of
# parameters should drive the loss on so few images to almost 0 within a
# few hundred steps. If it cannot, something is broken (the labels do not
# belong to the images, the loss gets the wrong input, a step is missing),
# and a long run would only hide it (A. Karpathy,
# "[A Recipe for Training Neural Networks](https://karpathy.github.io/2019/04/25/recipe/)",
# 2019). Exercise 2 shows a bug that this check catches.

# %%
def network(seed):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))


print("ReLU of -2, -0.5, 0, 1.5:", nn.ReLU()(torch.tensor([-2, -.5, 0, 1.5])))
model = network(0)
print("parameters:", sum(p.numel() for p in model.parameters()))
x_few, y_few = x_train[:32], y_train[:32]
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for _ in range(150):
    opt.zero_grad()
    loss = F.cross_entropy(model(x_few), y_few)
    loss.backward()
    opt.step()
print(f"after 150 steps on 32 images: loss {loss.item():.4f},"
      f" {accuracy(model, x_few, y_few) * 32:.0f} of 32 right")
assert loss.item() < 0.01 and accuracy(model, x_few, y_few) == 1

# %% [markdown]
# ## Training on mini-batches
#
# Now the whole training set, in mini-batches of 64 images in a new shuffled
# order every epoch, as in the [mini-batch lesson](12-mini-batches.py):
# 17 steps per epoch (the last batch holds the 53 images left over). After
# every epoch we measure the loss on all training images and on the
# validation images.

# %%
def train(model, opt, epochs, seed, schedule=None, batch_size=64):
    """Mini-batch training; the losses after each epoch (training, val)."""
    order_of = torch.Generator().manual_seed(seed)
    history = []
    for _ in range(epochs):
        order = torch.randperm(len(y_train), generator=order_of)
        for first in range(0, len(y_train), batch_size):
            rows = order[first:first + batch_size]
            opt.zero_grad()
            F.cross_entropy(model(x_train[rows]), y_train[rows]).backward()
            opt.step()
            if schedule is not None:
                schedule.step()
        with torch.no_grad():
            history.append((F.cross_entropy(model(x_train), y_train).item(),
                            F.cross_entropy(model(x_val), y_val).item()))
    return history


model = network(0)
history = train(model, torch.optim.Adam(model.parameters(), lr=0.01),
                epochs=20, seed=0)
train_losses, val_losses = zip(*history, strict=True)
best_epoch = min(range(20), key=val_losses.__getitem__)
print("network:", report(model), "straight model:", report(linear),
      sep="\n")
print(f"lowest validation loss {min(val_losses):.3f}, after epoch"
      f" {best_epoch + 1}")
assert val_losses[-1] < F.cross_entropy(linear(x_val), y_val).item()
assert accuracy(model, x_val, y_val) <= accuracy(linear, x_val, y_val)
assert val_losses[-1] > 3 * train_losses[-1] and best_epoch < 19

# %%
fig = plt.figure(figsize=(4.4, 3), layout="constrained")
ax = fig.add_subplot(xlabel="epoch", ylabel="loss (log scale)", yscale="log")
ax.set_yticks([0.03, 0.1, 0.3, 1], ["0.03", "0.1", "0.3", "1"])
ax.minorticks_off()
epochs = range(1, 21)
ax.plot(epochs, train_losses, label="training")
ax.plot(epochs, val_losses, label="validation")
ax.legend()
gd.describe(fig, "Cross-entropy after each of 20 epochs: the training loss"
            f" falls to {train_losses[-1]:.3f}, the validation loss levels"
            f" off near {min(val_losses):.2f}.");

# %% [markdown]
# In this run the network's validation loss is lower than the straight
# model's, but it gets no more validation images right: on a data set this
# small and this easy, the straight model is a strong **baseline**, which
# is why practice trains one first. A network has to beat it to earn its
# keep.
#
# Look at the two curves. The training loss keeps falling and ends more
# than 3 times below the validation loss, which stopped improving after
# epoch 15. The network fits its 1,077 training images better than it fits
# digits in general. That gap is **overfitting**; here it is mild.

# %% [markdown]
# ## Overfitting, seen clearly
#
# Overfitting is strongest when the data are few. Train the same network on
# only the first 100 training images, all of them at every step, with AdamW
# (`lr = 0.02`) for 150 steps, and measure the validation loss and accuracy
# every 10 steps:

# %%
x_small, y_small = x_train[:100], y_train[:100]


def train_small(seed, weight_decay=0.):
    """150 steps on 100 images; validation every 10 steps, the best kept."""
    model = network(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=0.02,
                            weight_decay=weight_decay)
    log, best = [], None
    for step in range(151):
        if step % 10 == 0:
            with torch.no_grad():
                loss = F.cross_entropy(model(x_val), y_val).item()
            log.append((step, loss, accuracy(model, x_val, y_val)))
            if best is None or loss < best[0]:
                best = (loss, copy.deepcopy(model.state_dict()))
        if step == 150:
            break
        opt.zero_grad()
        training_loss = F.cross_entropy(model(x_small), y_small)
        training_loss.backward()
        opt.step()
    return model, log, best, training_loss.item()


model, log, best, training_loss = train_small(0)
steps, losses, accuracies = zip(*log, strict=True)
low = losses.index(min(losses))
print(f"training loss after 150 steps: {training_loss:.4f}")
print(f"validation: lowest loss {losses[low]:.3f} at step {steps[low]}"
      f" (accuracy {accuracies[low]:.3f}), at step 150 {losses[-1]:.3f}"
      f" (accuracy {accuracies[-1]:.3f})")
assert steps[low] < 50 and losses[-1] > 1.2 * losses[low]
assert accuracies[-1] >= accuracies[low]

# %%
fig = plt.figure(figsize=(4.4, 3), layout="constrained")
ax = fig.add_subplot(xlabel="step", ylabel="validation loss")
ax.plot(steps, losses, color="C1")
ax.axvline(steps[low], color="C0", linestyle="--", linewidth=1,
           label=f"lowest, step {steps[low]}")
ax.legend()
gd.describe(fig, "Validation loss of the network trained on 100 images:"
            f" it falls to {losses[low]:.2f} at step {steps[low]}, then"
            f" rises to {losses[-1]:.2f} at step 150.");

# %% [markdown]
# The training loss went almost to 0, while the validation loss reached its
# lowest point early and then rose. Yet the validation accuracy did not
# fall. What grew is the *confidence*: the network keeps raising the right
# score of its 100 images, its weights grow, and every score, right or
# wrong, becomes more extreme. Cross-entropy punishes a confident mistake
# hard. On the validation images it gets wrong, the mean probability it
# gives its (wrong) answer, with the parameters at the lowest validation
# loss and at the end:

# %%
def confidence_when_wrong(model):
    with torch.no_grad():
        p = torch.softmax(model(x_val), dim=1)
    wrong = p.argmax(dim=1) != y_val
    return p.max(dim=1).values[wrong].mean().item()


at_lowest = network(0)
at_lowest.load_state_dict(best[1])
early, late = confidence_when_wrong(at_lowest), confidence_when_wrong(model)
print(f"mean confidence on wrong answers: {early:.3f} at the lowest"
      f" validation loss, {late:.3f} at step 150")
assert late > early

# %% [markdown]
# ## Two cures: early stopping and weight decay
#
# **Early stopping** keeps a copy of the parameters whenever the validation
# loss reaches a new low, and uses that copy at the end: `train_small`
# above already kept it (`best`, with `copy.deepcopy` of the model's
# `state_dict()`, the dictionary of its parameters). Its cost is a
# validation pass now and then; its risk is that the validation set, which
# chose the moment, is no longer a neutral judge (the test set is).
#
# **Weight decay** works on the cause, the growing weights: every step
# also shrinks every weight a little towards 0, so a weight can only stay
# large where the data keep pushing it. We use `AdamW`'s decoupled decay
# of the [weight-decay lesson](20-weight-decay.py), which shrinks every
# weight by the same fraction $\eta \lambda$ per step whatever its
# gradient (Adam's own `weight_decay` would divide that pull by the
# gradient's size, as that lesson showed). `train_small` already passes
# `weight_decay` to `AdamW`; with $\lambda = 1$ and `lr = 0.02` each step
# keeps 98% of every weight before Adam's step.
#
# One seed proves little, so here are five, for the three choices: the
# parameters at step 150 without a cure, the early-stopped ones, and those
# at step 150 with weight decay 1.

# %%
def spread(values):
    """min, median and max, in three columns."""
    values = torch.tensor(values)
    return (f"{values.min():6.3f} {values.median():6.3f}"
            f" {values.max():6.3f}")


plain, stopped, decayed = [], [], []
for seed in range(5):
    model, log, best, _ = train_small(seed)
    plain.append(log[-1][1])
    stopped.append(best[0])
    decayed.append(train_small(seed, weight_decay=1.)[1][-1][1])
print("validation loss over 5 seeds")
print(f"{'':18}{'min':>6} {'median':>6} {'max':>6}")
print(f"{'no cure, step 150':18}{spread(plain)}")
print(f"{'early stopping':18}{spread(stopped)}")
print(f"{'decay 1, step 150':18}{spread(decayed)}")
assert all(s < p for s, p in zip(stopped, plain, strict=True))
assert max(decayed) < min(plain)
assert torch.tensor(decayed).median() < torch.tensor(stopped).median()
assert 3 * min(val_losses) < min(plain + stopped + decayed)  # 1,077 images

# %% [markdown]
# Both cures beat the uncured network in every seed, and here weight decay
# did better than stopping early (compare the medians). Early stopping's
# number flatters it a little: the validation set chose its moment, so it
# is the lowest of 16 measurements on the very images it is judged on. The
# best cure of all is more data:
# with 1,077 training images, a few sections up, the validation loss was
# several times lower than anything trained on 100.

# %% [markdown]
# ## Choosing the learning rate: the range test
#
# Back to all the training images. To choose the learning rate we run the
# range test of the [lesson on finding a learning rate](17-finding-a-learning-rate.py)
# with the optimizer we will train with, AdamW with weight decay 0.01, on
# mini-batches of 64: one run whose rate grows by the same factor at every
# step, from $10^{-5}$ to 10 over 100 steps, recording each batch's loss,
# smoothed by a bias-corrected running average ($\beta = 0.98$), and
# stopping when it passes 4 times its lowest value. A tenth of the rate at
# the lowest smoothed loss becomes our peak rate.

# %%
def range_test(seed, lr_start=1e-5, lr_end=10., steps=100):
    model = network(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr_start,
                            weight_decay=0.01)
    growth = (lr_end / lr_start) ** (1 / (steps - 1))
    order_of = torch.Generator().manual_seed(seed)
    average, lrs, smoothed = 0., [], []
    for k in range(steps):
        if k % 17 == 0:  # a new epoch: a new order
            order = torch.randperm(len(y_train), generator=order_of)
        rows = order[64 * (k % 17):64 * (k % 17 + 1)]
        opt.param_groups[0]["lr"] = lr_start * growth**k
        opt.zero_grad()
        loss = F.cross_entropy(model(x_train[rows]), y_train[rows])
        loss.backward()
        opt.step()
        average = 0.98 * average + 0.02 * loss.item()
        lrs.append(lr_start * growth**k)
        smoothed.append(average / (1 - 0.98 ** (k + 1)))
        if smoothed[-1] > 4 * min(smoothed):
            break
    return lrs, smoothed


lrs, smoothed = range_test(0)
lowest = min(range(len(lrs)), key=smoothed.__getitem__)
peak = lrs[lowest] / 10
print(f"{len(lrs)} steps; lowest smoothed loss {smoothed[lowest]:.3f}"
      f" at rate {lrs[lowest]:.3f}; peak rate {peak:.4f}")

# %%
fig = plt.figure(figsize=(4.4, 3), layout="constrained")
ax = fig.add_subplot(xlabel="learning rate (log scale)",
                     ylabel="smoothed batch loss", xscale="log")
ticks = [1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]
ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
ax.minorticks_off()
ax.plot(lrs, smoothed)
ax.axvline(lrs[lowest], color="C1", linestyle="--", linewidth=1.5,
           label=f"lowest: {lrs[lowest]:.3g}")
ax.axvline(peak, color="C2", linestyle="--", linewidth=1.5,
           label=f"a tenth: {peak:.3g}")
ax.legend(loc="lower left")
gd.describe(fig, "Range test with AdamW on the digits: the smoothed batch"
            f" loss starts at {smoothed[0]:.2f}, is lowest,"
            f" {smoothed[lowest]:.2f}, at rate {lrs[lowest]:.3g}, and rises"
            f" to {smoothed[-1]:.2f} by rate {lrs[-1]:.3g}. Dashed lines"
            f" mark the lowest point and a tenth of its rate, {peak:.3g}.");

# %% [markdown]
# ## One-cycle
#
# With the peak rate we train for 10 epochs with `OneCycleLR`, the schedule
# of the [one-cycle lesson](22-one-cycle.py): the rate climbs from a 25th of
# the peak to the peak over the first 30% of the steps and falls far below
# its start by the end, while Adam's momentum, $\beta_1$, moves the other
# way (that lesson's exercise 4). With `epochs` and `steps_per_epoch` in
# place of `total_steps`, the cycle is as long as the whole run, 170 steps
# here. Read off an AdamW optimizer with peak 0.1, and checked against
# [`gd.one_cycle`](../reference.md#gd.one_cycle), the one-cycle lesson's
# two formulas:

# %%
probe = torch.optim.AdamW(network(0).parameters(), lr=0.1)
cycle = lr_scheduler.OneCycleLR(probe, max_lr=0.1, epochs=10,
                                steps_per_epoch=17)
seen = []
for _ in range(170):
    seen.append((probe.param_groups[0]["lr"],
                 probe.param_groups[0]["betas"][0]))
    probe.step()  # no gradients: only the schedule moves
    cycle.step()
rates, beta1s = zip(*seen, strict=True)
top = rates.index(max(rates))
print(f"rate: {rates[0]:.4f} at first, {rates[top]:.2f} at step {top},"
      f" {rates[-1]:.1e} at the end")
print(f"beta1: {beta1s[0]:.2f}, {beta1s[top]:.2f}, {beta1s[-1]:.2f}")
assert seen == [gd.one_cycle(t, lr=0.1, total=170) for t in range(170)]
assert math.isclose(rates[0], 0.1 / 25) and rates[-1] < rates[0] / 1000
assert abs(top - 0.3 * 170) <= 1
assert (beta1s[0], beta1s[top], beta1s[-1]) == (0.95, 0.85, 0.95)

# %% [markdown]
# Against one-cycle, the same 10 epochs at the peak rate held constant.
# Each of five seeds runs its own range test, so each has its own peak.

# %%
def one_run(seed, peak, cycle, epochs=10):
    model = network(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=peak, weight_decay=0.01)
    schedule = (lr_scheduler.OneCycleLR(opt, max_lr=peak, epochs=epochs,
                                        steps_per_epoch=17)
                if cycle else None)
    history = train(model, opt, epochs, seed, schedule)
    return model, history[-1][1], accuracy(model, x_val, y_val)


cycled, constant = [], []
for seed in range(5):
    lrs, smoothed = range_test(seed)
    peak = lrs[min(range(len(lrs)), key=smoothed.__getitem__)] / 10
    cycled.append(one_run(seed, peak, cycle=True))
    constant.append(one_run(seed, peak, cycle=False))
print(f"over 5 seeds{'':8}{'min':>6} {'median':>6} {'max':>6}")
for column, what in ((1, "loss"), (2, "accuracy")):
    for name, runs in (("one-cycle", cycled), ("constant", constant)):
        print(f"{name + ', ' + what:20}{spread([r[column] for r in runs])}")
assert all(c[1] < k[1] for c, k in zip(cycled, constant, strict=True))

# %% [markdown]
# (Loss and accuracy on the validation images.) One-cycle ended
# with a lower validation loss than the constant rate in every seed: the
# high middle covers ground, the low end settles. We tried only this
# setting (batches of 64, 10 epochs); with others the margin can shrink or
# vanish, so it is worth this check on your own problem. The validation set
# has now chosen the model, the learning rate and the schedule.

# %% [markdown]
# ## The test set, once
#
# Time for the images that chose nothing. We take the one-cycle network of
# seed 0 and measure it on the test set, once:

# %%
final = cycled[0][0]
with torch.no_grad():
    test_scores = final(x_test)
test_accuracy = accuracy(final, x_test, y_test)
print(f"test accuracy: {test_accuracy:.3f}"
      f" ({round(test_accuracy * 360)} of 360 right);"
      f" validation accuracy: {cycled[0][2]:.3f}")
assert test_accuracy > 0.95 and abs(test_accuracy - cycled[0][2]) < 0.02

# %% [markdown]
# Close to the validation figure: here, the little that our choices fitted
# the validation set did not show. Had the two been far apart, the test
# figure would be the one to believe.

# %% [markdown]
# ## The digits it gets wrong
#
# Accuracy is one number; the mistakes themselves say more. Here is every
# test image the network got wrong, captioned with the right digit and,
# after the arrow, the network's answer:

# %%
predicted = test_scores.argmax(dim=1)
wrong = (predicted != y_test).nonzero().flatten()
pairs = [f"{y_test[i].item()} → {predicted[i].item()}" for i in wrong]
print(len(wrong), "mistakes:", ", ".join(pairs))
fig = show_digits(x_test[wrong], pairs, columns=6)
gd.describe(fig, f"The {len(wrong)} test images the network got wrong,"
            " each captioned with the right digit, an arrow and the"
            " network's answer: " + ", ".join(pairs) + ".");

# %% [markdown]
# Which of them would you have read correctly, at 8 by 8 pixels? Looking
# at the mistakes is how practice finds what to try next: more data of a
# kind, a different model, or labels that are wrong.

# %% [markdown]
# ## Summary
#
# - A classifier gives one **score** per class; **softmax** turns scores
#   into probabilities, $p_k = e^{z_k} / \sum_j e^{z_j}$; with two classes
#   it is the logistic function. The **cross-entropy** is the mean of
#   $-\log p_{\text{label}}$; a model that knows nothing scores $\log 10$
#   on ten classes. `F.cross_entropy` takes the scores.
# - Accuracy cannot be descended (its slope is zero almost everywhere); the
#   cross-entropy can.
# - Split the data three ways: training (gradient descent), validation
#   (every choice), test (once, at the end).
# - Before a long run, **overfit one small batch**: a model that cannot
#   learn 32 images by heart has a bug.
# - **Overfitting** shows as a validation loss that stops falling while the
#   training loss goes on; on 100 images it rose after step 20, through
#   confident mistakes, with the accuracy unharmed. **Early stopping** and
#   **weight decay** (AdamW) both curbed it in every seed; more data did
#   more.
# - The **range test**, run with the optimizer we train with, gave the peak
#   of **one-cycle**, which beat the same peak held constant in every seed.
#   The network got more than 95% of the test images right.
#
# This is the end of the course. To revisit any step, go back to the
# [list of lessons](../index.md).

# %% [markdown]
# ## Exercises
#
# Each exercise has a worked solution below it, folded away. Try it yourself
# first: the solutions check their own results with `assert`.

# %% [markdown]
# **Exercise 1 (predict, then run).** A model gives every image the score 0
# for every one of the ten digits. Predict its cross-entropy on the
# training images, then compute it with `F.cross_entropy`. What if every
# score were 7 instead?

# %% tags=["solution"]
zeros = torch.zeros(len(y_train), 10)
sevens = torch.full((len(y_train), 10), 7.)
print(f"zeros: {F.cross_entropy(zeros, y_train):.6f},"
      f" sevens: {F.cross_entropy(sevens, y_train):.6f},"
      f" log 10: {math.log(10):.6f}")
# Equal scores give every digit probability 1/10, so every image costs
# -log(1/10) = log 10. Adding 7 to every score changes no probability.
assert math.isclose(F.cross_entropy(zeros, y_train).item(), math.log(10),
                    rel_tol=1e-6)
assert math.isclose(F.cross_entropy(sevens, y_train).item(), math.log(10),
                    rel_tol=1e-6)

# %% [markdown]
# **Exercise 2 (break it and explain).** A common bug: the model ends with
# `nn.Softmax(dim=1)`, so it gives probabilities, and they go into
# `F.cross_entropy`. Run the check "overfit 32 images" with that model
# (150 steps, Adam, `lr = 0.01`). Does it pass? Explain the loss it ends
# with.

# %% tags=["solution"]
torch.manual_seed(0)
buggy = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10),
                      nn.Softmax(dim=1))
opt = torch.optim.Adam(buggy.parameters(), lr=0.01)
for _ in range(150):
    opt.zero_grad()
    loss = F.cross_entropy(buggy(x_few), y_few)
    loss.backward()
    opt.step()
floor = math.log(1 + 9 / math.e)
print(f"loss {loss.item():.3f}, {accuracy(buggy, x_few, y_few) * 32:.0f}"
      f" of 32 right; lowest possible {floor:.3f}")
# F.cross_entropy applies softmax again. Probabilities lie between 0 and 1,
# so the best it can see is scores 1 for the label and 0 for the others:
# probability e / (e + 9), loss log(1 + 9/e) = 1.46. The loss cannot get
# near 0, whatever the predictions: the check fails, and flags the bug.
assert loss.item() > floor > 1

# %% [markdown]
# **Exercise 3 (practice).** Which digit does the final network recognise
# least often on the test set? Count, for every pair (right digit, answer),
# how often it happens: `torch.bincount(10 * y_test + predicted,
# minlength=100)` counts all pairs at once, a 10 by 10 table after
# `.view(10, 10)`, with one row per right digit. Divide its diagonal by the
# row sums, and check the result against a direct count for each digit.

# %% tags=["solution"]
table = torch.bincount(10 * y_test + predicted, minlength=100).view(10, 10)
print("right   the network's answer")
print("digit ", *(f"{k:2}" for k in range(10)))
for d in range(10):
    print(f"{d:5} ", *(f"{v:2}" for v in table[d].tolist()))
per_digit = table.diagonal() / table.sum(dim=1)
weakest = per_digit.argmin().item()
print(f"least often right: {weakest}, {table[weakest, weakest]} of"
      f" {table[weakest].sum()} ({per_digit[weakest]:.3f})")
# Row d holds the test images of digit d, column k the answer k: the
# diagonal counts the right answers, and each row adds up to the number of
# test images of that digit.
for d in range(10):
    mine = y_test == d
    direct = (predicted[mine] == d).float().mean()
    assert torch.isclose(per_digit[d], direct)
assert table.diagonal().sum() == round(test_accuracy * 360)

# %% [markdown]
# **Exercise 4 (practice).** Compute the softmax of the scores
# $(1000, 999, 0)$ with the `softmax` function of this lesson, and explain
# what goes wrong. Fix it by subtracting the largest score first (allowed,
# as the lesson showed), and check the result against `torch.softmax`.

# %% tags=["solution"]
big = torch.tensor([1000., 999., 0.])
print("written out:", softmax(big))
# e^1000 is far beyond the largest float32 (about 3.4e38): it becomes inf,
# and inf / inf is NaN. Subtracting the largest score makes every power at
# most e^0 = 1, and changes no probability.
fixed = softmax(big - big.max())
print("shifted:    ", fixed)
assert torch.isnan(softmax(big)).any()
assert torch.allclose(fixed, torch.softmax(big, dim=0))
