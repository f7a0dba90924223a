"""Bad input to every public function of gd gets an error that names the argument and says what was expected.

One table: each public name, each kind of bad input, the error and its whole message, so that
this file shows every message a learner can meet. A public name without a row fails
`test_every_public_name_has_cases`. Each error comes before the first step of a run.
"""

import math

import matplotlib.pyplot as plt
import pytest
import torch

import gd

X, Y = gd.linear_data(20, seed=1)
START = [1.0, 1.0]
NAN = math.nan


def nan_at(t, index):
    t = t.clone()
    t.view(-1)[index] = NAN
    return t


# Good arguments, made when a case runs: a table that only collects fails no case by itself.
def history():
    return gd.fit(X, Y, START, steps=3)


def range_test():
    return gd.lr_range_test(X, Y, START, lr_end=0.1, steps=5)


def a_sweep():
    return gd.lr_sweep(X, Y, [0.1, 0.2], steps=3)


def three_parameters():
    return gd.descend(lambda a: (a**2).sum(), [1.0, 2.0, 3.0], lr=0.1, steps=2)


LEAF = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
MISTAKES = "('none', 'no zero_()', 'column prediction', 'no no_grad()')"
OPTIMIZER = (
    "optimizer must be an optimizer class, torch.optim's (torch.optim.SGD, ...) or gd's (gd.Momentum, "
    "gd.RMSProp, gd.Adam, gd.AdamW), its settings given as keywords (lr=0.1, ...); got "
)

CASES = [
    (
        "fit: NaN in x",
        lambda: gd.fit(nan_at(X, 3), Y, START),
        ValueError,
        "x must hold finite numbers; 1 of its 40 values are NaN or infinite",
    ),
    (
        "fit: inf in y",
        lambda: gd.fit(X, Y.clone().fill_(math.inf), START),
        ValueError,
        "y must hold finite numbers; 20 of its 20 values are NaN or infinite",
    ),
    (
        "fit: NaN start",
        lambda: gd.fit(X, Y, [NAN, 1.0]),
        ValueError,
        "start must hold finite numbers; 1 of its 2 values are NaN or infinite",
    ),
    (
        "fit: empty data",
        lambda: gd.fit(X[:0], Y[:0], START),
        ValueError,
        "x must have at least one row and one column; got shape (0, 2)",
    ),
    (
        "fit: a start of 3 numbers",
        lambda: gd.fit(X, Y, [1.0, 2.0, 3.0]),
        ValueError,
        "start must hold one value per column of x (2 columns); got 3",
    ),
    (
        "fit: a start that is text",
        lambda: gd.fit(X, Y, "1, 1"),
        TypeError,
        "start must be a torch.Tensor or a list of numbers; got str",
    ),
    (
        "fit: x 1-D",
        lambda: gd.fit(X[:, 0], Y, START),
        ValueError,
        "x must be a 2-D tensor; got 1-D with shape (20,)",
    ),
    (
        "fit: y a column",
        lambda: gd.fit(X, Y[:, None], START),
        ValueError,
        "y must be a 1-D tensor; got 2-D with shape (20, 1)",
    ),
    (
        "fit: y shorter than x",
        lambda: gd.fit(X, Y[:5], START),
        ValueError,
        "y must have one value per row of x (20 rows); got 5",
    ),
    (
        "fit: y in another dtype",
        lambda: gd.fit(X, Y.double(), START),
        ValueError,
        "y must have x's dtype and device (torch.float32 on cpu); got torch.float64 on cpu",
    ),
    (
        "fit: x of integers",
        lambda: gd.fit(X.long(), Y, START),
        TypeError,
        "x must hold floating-point numbers; got dtype torch.int64",
    ),
    ("fit: x a list", lambda: gd.fit(X.tolist(), Y, START), TypeError, "x must be a torch.Tensor; got list"),
    ("fit: lr 0", lambda: gd.fit(X, Y, START, lr=0), ValueError, "lr must be a finite number > 0; got 0"),
    (
        "fit: lr nan",
        lambda: gd.fit(X, Y, START, lr=NAN),
        ValueError,
        "lr must be a finite number > 0; got nan",
    ),
    ("fit: lr text", lambda: gd.fit(X, Y, START, lr="0.1"), TypeError, "lr must be a number; got str"),
    ("fit: steps -1", lambda: gd.fit(X, Y, START, steps=-1), ValueError, "steps must be >= 0; got -1"),
    ("fit: steps 2.0", lambda: gd.fit(X, Y, START, steps=2.0), TypeError, "steps must be an int; got float"),
    (
        "broken_fit: no zero_grad",
        lambda: gd.broken_fit(X, Y, START, mistake="no zero_grad"),
        ValueError,
        f"mistake must be one of {MISTAKES}; got 'no zero_grad' "
        "(this loop clears the gradient with a.grad.zero_(): did you mean 'no zero_()'?)",
    ),
    (
        "broken_fit: a misspelt mistake",
        lambda: gd.broken_fit(X, Y, START, mistake="column"),
        ValueError,
        f"mistake must be one of {MISTAKES}; got 'column' (did you mean 'column prediction'?)",
    ),
    (
        "broken_fit: a mistake that is not text",
        lambda: gd.broken_fit(X, Y, START, mistake=1),
        TypeError,
        f"mistake must be a string, one of {MISTAKES}; got int",
    ),
    (
        "broken_fit: NaN in x",
        lambda: gd.broken_fit(nan_at(X, 0), Y, START, mistake="none"),
        ValueError,
        "x must hold finite numbers; 1 of its 40 values are NaN or infinite",
    ),
    (
        "broken_fit: empty data",
        lambda: gd.broken_fit(X[:0], Y[:0], START, mistake="none"),
        ValueError,
        "x must have at least one row and one column; got shape (0, 2)",
    ),
    (
        "broken_fit: a start of 3 numbers",
        lambda: gd.broken_fit(X, Y, [1, 2, 3], mistake="none"),
        ValueError,
        "start must hold one value per column of x (2 columns); got 3",
    ),
    (
        "broken_fit: lr nan",
        lambda: gd.broken_fit(X, Y, START, mistake="none", lr=NAN),
        ValueError,
        "lr must be a finite number > 0; got nan",
    ),
    (
        "train: lr nan",
        lambda: gd.train(X, Y, START, lr=NAN),
        ValueError,
        "lr must be a finite number > 0; got nan",
    ),
    (
        "train: lr a tensor",
        lambda: gd.train(X, Y, START, lr=torch.tensor(0.1)),
        TypeError,
        "lr must be a number; got Tensor",
    ),
    (
        "train: momentum 1.5",
        lambda: gd.train(X, Y, START, lr=0.1, momentum=1.5),
        ValueError,
        "momentum must be between 0 and 1; got 1.5",
    ),
    (
        "train: dampening without momentum",
        lambda: gd.train(X, Y, START, lr=0.1, dampening=0.5),
        ValueError,
        "dampening needs momentum > 0 (it scales what joins the velocity); got momentum=0",
    ),
    (
        "train: nesterov with dampening",
        lambda: gd.train(X, Y, START, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        ValueError,
        "nesterov needs momentum > 0 and dampening=0; got momentum=0.9, dampening=0.1",
    ),
    (
        "train: weight_decay -0.1",
        lambda: gd.train(X, Y, START, lr=0.1, weight_decay=-0.1),
        ValueError,
        "weight_decay must be a finite number >= 0; got -0.1",
    ),
    (
        "train: betas with 1",
        lambda: gd.train(X, Y, START, optimizer=torch.optim.Adam, betas=(0.9, 1.0)),
        ValueError,
        "betas[1] must be between 0 and 1 (1 excluded); got 1.0",
    ),
    (
        "train: eps -1",
        lambda: gd.train(X, Y, START, optimizer=torch.optim.Adam, eps=-1.0),
        ValueError,
        "eps must be a finite number >= 0; got -1.0",
    ),
    (
        "train: alpha 1",
        lambda: gd.train(X, Y, START, optimizer=torch.optim.RMSprop, alpha=1.0),
        ValueError,
        "alpha must be between 0 and 1 (1 excluded); got 1.0",
    ),
    (
        "train: a setting the optimizer lacks",
        lambda: gd.train(X, Y, START, lr=0.1, betas=(0.9, 0.99)),
        TypeError,
        "SGD.__init__() got an unexpected keyword argument 'betas'",
    ),
    (
        "train: an optimizer object",
        lambda: gd.train(X, Y, START, optimizer=gd.Adam(), lr=0.1),
        TypeError,
        OPTIMIZER + "an instance of Adam",
    ),
    (
        "train: an optimizer by name",
        lambda: gd.train(X, Y, START, optimizer="SGD", lr=0.1),
        TypeError,
        OPTIMIZER + "an instance of str",
    ),
    (
        "train: a schedule with gd's optimizer",
        lambda: gd.train(X, Y, START, optimizer=gd.Adam, schedule=lambda o: None),
        TypeError,
        "schedule needs a torch.optim optimizer; gd's optimizers keep the lr they were made with",
    ),
    (
        "train: a schedule that is not a function",
        lambda: gd.train(X, Y, START, lr=0.1, schedule=0.5),
        TypeError,
        "schedule must be a function optimizer -> torch.optim.lr_scheduler; got float",
    ),
    (
        "train: a schedule that returns no scheduler",
        lambda: gd.train(X, Y, START, lr=0.1, schedule=lambda o: 0.5),
        TypeError,
        "schedule must return a torch.optim.lr_scheduler; got float",
    ),
    (
        "train: batch_size 0",
        lambda: gd.train(X, Y, START, lr=0.1, batch_size=0),
        ValueError,
        "batch_size must be >= 1; got 0",
    ),
    (
        "train: batch_size above n",
        lambda: gd.train(X, Y, START, lr=0.1, batch_size=21),
        ValueError,
        "batch_size must be at most the number of examples (20); got 21",
    ),
    (
        "train: seed -1",
        lambda: gd.train(X, Y, START, lr=0.1, seed=-1),
        ValueError,
        "seed must be >= 0; got -1",
    ),
    (
        "train: empty data",
        lambda: gd.train(X[:0], Y[:0], START, lr=0.1),
        ValueError,
        "x must have at least one row and one column; got shape (0, 2)",
    ),
    (
        "train: inf in y",
        lambda: gd.train(X, nan_at(Y, 2) * 0 + math.inf, START, lr=0.1),
        ValueError,
        "y must hold finite numbers; 20 of its 20 values are NaN or infinite",
    ),
    (
        "train: a start of 3 numbers",
        lambda: gd.train(X, Y, [1, 2, 3], lr=0.1),
        ValueError,
        "start must hold one value per column of x (2 columns); got 3",
    ),
    (
        "descend: a loss that is not a function",
        lambda: gd.descend("w**2", START, lr=0.1),
        TypeError,
        "loss must be a function of the parameters; got str",
    ),
    (
        "descend: NaN start",
        lambda: gd.descend(lambda a: (a**2).sum(), [NAN], lr=0.1),
        ValueError,
        "start must hold finite numbers; 1 of its 1 values are NaN or infinite",
    ),
    (
        "descend: empty start",
        lambda: gd.descend(lambda a: (a**2).sum(), [], lr=0.1),
        ValueError,
        "start must be a 1-D tensor of numbers, not empty; got shape (0,)",
    ),
    (
        "descend: a 2-D start",
        lambda: gd.descend(lambda a: (a**2).sum(), [[1.0]], lr=0.1),
        ValueError,
        "start must be a 1-D tensor of numbers, not empty; got shape (1, 1)",
    ),
    (
        "descend: a number as start",
        lambda: gd.descend(lambda a: (a**2).sum(), 1.0, lr=0.1),
        TypeError,
        "start must be a torch.Tensor or a list of numbers; got float",
    ),
    (
        "descend: a loss that returns a float",
        lambda: gd.descend(lambda a: 3.0, START, lr=0.1),
        TypeError,
        "loss must return its loss as a tensor; got float",
    ),
    (
        "descend: a loss that returns a vector",
        lambda: gd.descend(lambda a: a**2, START, lr=0.1),
        ValueError,
        "loss must return one number; got a tensor of shape (2,)",
    ),
    (
        "descend: a loss not computed from a",
        lambda: gd.descend(lambda a: torch.tensor(1.0), START, lr=0.1),
        ValueError,
        "loss must compute its value from its argument with torch operations (autograd found none)",
    ),
    (
        "descend: steps -1",
        lambda: gd.descend(lambda a: (a**2).sum(), START, lr=0.1, steps=-1),
        ValueError,
        "steps must be >= 0; got -1",
    ),
    (
        "descend: lr nan",
        lambda: gd.descend(lambda a: (a**2).sum(), START, lr=NAN),
        ValueError,
        "lr must be a finite number > 0; got nan",
    ),
    (
        "descend: gd.Adam with eps -1",
        lambda: gd.descend(lambda a: (a**2).sum(), START, optimizer=gd.Adam, eps=-1.0),
        ValueError,
        "eps must be a finite number >= 0; got -1.0",
    ),
    (
        "descend: gd.Momentum without momentum",
        lambda: gd.descend(lambda a: (a**2).sum(), START, optimizer=gd.Momentum, lr=0.1),
        TypeError,
        "Momentum.__init__() missing 1 required keyword-only argument: 'momentum'",
    ),
    (
        "newton_step: a loss that is not a function",
        lambda: gd.newton_step("w**2", START),
        TypeError,
        "loss must be a function of the parameters; got str",
    ),
    (
        "newton_step: NaN start",
        lambda: gd.newton_step(lambda a: (a**2).sum(), [1.0, NAN]),
        ValueError,
        "start must hold finite numbers; 1 of its 2 values are NaN or infinite",
    ),
    (
        "newton_step: a number as start",
        lambda: gd.newton_step(lambda a: (a**2).sum(), 1.0),
        TypeError,
        "start must be a torch.Tensor or a list of numbers; got float",
    ),
    (
        "newton_step: a loss that returns a vector",
        lambda: gd.newton_step(lambda a: a**2, START),
        ValueError,
        "loss must return one number; got a tensor of shape (2,)",
    ),
    (
        "newton_step: a loss not computed from a",
        lambda: gd.newton_step(lambda a: torch.tensor(1.0), START),
        ValueError,
        "loss must compute its value from its argument with torch operations (autograd found none)",
    ),
    (
        "newton_step: a loss that is infinite at start",
        lambda: gd.newton_step(lambda a: a.log().sum(), [0.0, 1.0]),
        ValueError,
        "loss must be finite at start; got -inf",
    ),
    (
        "newton_step: a loss with a curvature that is not finite",
        lambda: gd.newton_step(lambda a: (a.abs() ** 1.5).sum(), [0.0, 1.0]),
        ValueError,
        "loss must have a finite curvature matrix at start; autograd found NaN or infinity",
    ),
    (
        "newton_step: a straight loss (no curvature)",
        lambda: gd.newton_step(lambda a: (3 * a).sum(), START),
        ValueError,
        "the curvature matrix of loss at start is singular (some direction has no curvature): "
        "Newton's step is not defined there",
    ),
    (
        "digits: seed -1",
        lambda: gd.digits(seed=-1),
        ValueError,
        "seed must be >= 0; got -1",
    ),
    (
        "digits: a fraction as validation",
        lambda: gd.digits(validation=0.2),
        TypeError,
        "validation must be an int; got float",
    ),
    (
        "digits: test -5",
        lambda: gd.digits(test=-5),
        ValueError,
        "test must be >= 0; got -5",
    ),
    (
        "digits: no image left to train on",
        lambda: gd.digits(validation=1000, test=797),
        ValueError,
        "validation + test must leave at least one training image (at most 1796 of 1797); "
        "got 1000 + 797 = 1797",
    ),
    (
        "lr_range_test: empty data",
        lambda: gd.lr_range_test(X[:0], Y[:0], START),
        ValueError,
        "x must have at least one row and one column; got shape (0, 2)",
    ),
    (
        "lr_range_test: NaN in y",
        lambda: gd.lr_range_test(X, nan_at(Y, 4), START),
        ValueError,
        "y must hold finite numbers; 1 of its 20 values are NaN or infinite",
    ),
    (
        "lr_range_test: NaN start",
        lambda: gd.lr_range_test(X, Y, [1.0, NAN]),
        ValueError,
        "start must hold finite numbers; 1 of its 2 values are NaN or infinite",
    ),
    (
        "lr_range_test: lr_start 0",
        lambda: gd.lr_range_test(X, Y, START, lr_start=0.0),
        ValueError,
        "lr_start must be a finite number > 0; got 0.0",
    ),
    (
        "lr_range_test: lr_end below lr_start",
        lambda: gd.lr_range_test(X, Y, START, lr_end=1e-5),
        ValueError,
        "lr_end must be larger than lr_start (0.0001); got 1e-05",
    ),
    (
        "lr_range_test: steps 1",
        lambda: gd.lr_range_test(X, Y, START, steps=1),
        ValueError,
        "steps must be >= 2; got 1",
    ),
    (
        "lr_range_test: blow_up 1",
        lambda: gd.lr_range_test(X, Y, START, blow_up=1.0),
        ValueError,
        "blow_up must be > 1 (a factor above the lowest loss); got 1.0",
    ),
    (
        "lr_range_test: batch_size above n",
        lambda: gd.lr_range_test(X, Y, START, batch_size=50),
        ValueError,
        "batch_size must be at most the number of examples (20); got 50",
    ),
    (
        "RangeTest: lengths that disagree",
        lambda: gd.RangeTest([0.1], [], torch.zeros(1, 2), blew_up=False),
        ValueError,
        "lrs and losses must have one entry per step, params one row more; got 1, 0 and 1",
    ),
    (
        "plot_range_test: no tests",
        lambda: gd.plot_range_test(),
        ValueError,
        "tests must hold at least one RangeTest; got none",
    ),
    (
        "plot_range_test: a list of rates",
        lambda: gd.plot_range_test([0.1, 0.2]),
        TypeError,
        "tests must be RangeTests from gd.lr_range_test; got list",
    ),
    (
        "plot_range_test: a test with no steps",
        lambda: gd.plot_range_test(gd.RangeTest([], [], torch.zeros(1, 2), blew_up=True)),
        ValueError,
        "tests must each have taken steps; test 1 took none: nothing to plot",
    ),
    (
        "plot_range_test: two tests, no labels",
        lambda: gd.plot_range_test(range_test(), range_test()),
        ValueError,
        "labels must name each of the 2 tests differently; "
        "got ['loss after the step', 'loss after the step']",
    ),
    (
        "History: losses and params that disagree",
        lambda: gd.History([1.0], torch.zeros(1, 2), overflowed=False, lr=0.1),
        ValueError,
        "params must have one row more than losses (1); got 1",
    ),
    (
        "History: lr None",
        lambda: gd.History([], torch.zeros(1, 2), overflowed=False, lr=None),
        TypeError,
        "lr must be a number; got NoneType",
    ),
    (
        "History: overflowed that is not a bool",
        lambda: gd.History([], torch.zeros(1, 2), overflowed="no", lr=0.1),
        TypeError,
        "overflowed must be True or False; got 'no'",
    ),
    (
        "History: params that are a list",
        lambda: gd.History([], [[1.0, 1.0]], overflowed=False, lr=0.1),
        TypeError,
        "params must be a 2-D tensor, one row per point; got [[1.0, 1.0]]",
    ),
    (
        "sweep: run that is not a function",
        lambda: gd.sweep(None, gd.line_loss(X, Y), lr=[0.1]),
        TypeError,
        "run must be a function of the settings that returns a gd.History; got NoneType",
    ),
    (
        "sweep: loss that is not a function",
        lambda: gd.sweep(lambda lr: history(), None, lr=[0.1]),
        TypeError,
        "loss must be a function of a batch of parameter vectors, e.g. gd.line_loss(x, y); got NoneType",
    ),
    (
        "sweep: three settings",
        lambda: gd.sweep(lambda a, b, c: history(), gd.line_loss(X, Y), a=[1], b=[1], c=[1]),
        ValueError,
        "a sweep varies one or two settings; got 3: ['a', 'b', 'c']",
    ),
    (
        "sweep: a setting that is not a list",
        lambda: gd.sweep(lambda lr: history(), gd.line_loss(X, Y), lr=0.1),
        TypeError,
        "lr must be a non-empty list of values; got 0.1",
    ),
    (
        "sweep: run that returns no History",
        lambda: gd.sweep(lambda lr: lr, gd.line_loss(X, Y), lr=[0.1]),
        TypeError,
        "run must return a gd.History; got float",
    ),
    (
        "sweep: x without y",
        lambda: gd.sweep(lambda lr: history(), gd.line_loss(X, Y), x=X, lr=[0.1]),
        ValueError,
        "x and y must be given together (the data of a line) or not at all",
    ),
    (
        "Sweep: a setting it does not have",
        lambda: a_sweep().history(momentum=0.9),
        ValueError,
        "name a value for each of ['lr']; got ['momentum']",
    ),
    (
        "Sweep: a value it did not run",
        lambda: a_sweep().history(lr=0.3),
        ValueError,
        "{'lr': 0.3} is not in this sweep's grid {'lr': (0.1, 0.2)}",
    ),
    (
        "Sweep: too few histories",
        lambda: gd.Sweep({"lr": (0.1, 0.2)}, (history(),), gd.line_loss(X, Y)),
        ValueError,
        "histories must hold one gd.History per combination of settings (2)",
    ),
    (
        "lr_sweep: a number for lrs",
        lambda: gd.lr_sweep(X, Y, 0.1),
        TypeError,
        "lrs must be a list of learning rates, e.g. [0.01, 0.1, 1.0]; got 0.1",
    ),
    (
        "lr_sweep: no lrs",
        lambda: gd.lr_sweep(X, Y, []),
        ValueError,
        "lrs must hold at least one learning rate",
    ),
    (
        "lr_sweep: a NaN among lrs",
        lambda: gd.lr_sweep(X, Y, [0.1, NAN]),
        ValueError,
        "lrs[1] must be a finite number > 0; got nan",
    ),
    (
        "lr_sweep: x a list",
        lambda: gd.lr_sweep(X.tolist(), Y, [0.1]),
        TypeError,
        "x must be a torch.Tensor; got list",
    ),
    (
        "lr_sweep: a start of 3 numbers",
        lambda: gd.lr_sweep(X, Y, [0.1], start=(1, 2, 3)),
        ValueError,
        "start must hold one value per column of x (2 columns); got 3",
    ),
    (
        "line_loss: NaN in y",
        lambda: gd.line_loss(X, nan_at(Y, 0)),
        ValueError,
        "y must hold finite numbers; 1 of its 20 values are NaN or infinite",
    ),
    (
        "line_loss: empty data",
        lambda: gd.line_loss(X[:0], Y[:0]),
        ValueError,
        "x must have at least one row and one column; got shape (0, 2)",
    ),
    ("linear_data: n 0", lambda: gd.linear_data(0), ValueError, "n must be >= 1; got 0"),
    (
        "linear_data: float seed",
        lambda: gd.linear_data(10, seed=1.5),
        TypeError,
        "seed must be an int; got float",
    ),
    (
        "linear_data: NaN a",
        lambda: gd.linear_data(10, a=(NAN, 1.0)),
        ValueError,
        "a must hold finite numbers; 1 of its 2 values are NaN or infinite",
    ),
    (
        "linear_data: a of 3 numbers",
        lambda: gd.linear_data(10, a=(1.0, 2.0, 3.0)),
        ValueError,
        "a must hold 2 numbers; got 3",
    ),
    (
        "linear_data: x_range backwards",
        lambda: gd.linear_data(10, x_range=(1, 0)),
        ValueError,
        "x_range must be two finite numbers with low < high; got (1, 0)",
    ),
    (
        "mse: empty",
        lambda: gd.mse(torch.zeros(0), torch.zeros(0)),
        ValueError,
        "y_hat and y must not be empty: the mean of no errors is undefined",
    ),
    (
        "mse: a column against a row",
        lambda: gd.mse(torch.zeros(3, 1), torch.zeros(3)),
        ValueError,
        "y_hat and y must have the same shape; got y_hat (3, 1) and y (3,)",
    ),
    (
        "mse: NaN in y",
        lambda: gd.mse(torch.zeros(3), nan_at(torch.zeros(3), 1)),
        ValueError,
        "y must hold finite numbers; 1 of its 3 values are NaN or infinite",
    ),
    (
        "mse: a list",
        lambda: gd.mse([1.0], torch.zeros(1)),
        TypeError,
        "y_hat must be a torch.Tensor; got list",
    ),
    (
        "condition_number: empty",
        lambda: gd.condition_number(torch.zeros(0, 2)),
        ValueError,
        "x must have at least one row and one column; got shape (0, 2)",
    ),
    (
        "condition_number: no columns",
        lambda: gd.condition_number(torch.zeros(3, 0)),
        ValueError,
        "x must have at least one row and one column; got shape (3, 0)",
    ),
    (
        "condition_number: NaN",
        lambda: gd.condition_number(nan_at(X, 5)),
        ValueError,
        "x must hold finite numbers; 1 of its 40 values are NaN or infinite",
    ),
    (
        "condition_number: 1-D",
        lambda: gd.condition_number(X[:, 0]),
        ValueError,
        "x must be a 2-D tensor; got 1-D with shape (20,)",
    ),
    (
        "standardize: empty",
        lambda: gd.standardize(torch.zeros(0, 2)),
        ValueError,
        "x must have at least one row and one column; got shape (0, 2)",
    ),
    (
        "standardize: inf",
        lambda: gd.standardize(X * math.inf),
        ValueError,
        "x must hold finite numbers; 40 of its 40 values are NaN or infinite",
    ),
    (
        "standardize: a list",
        lambda: gd.standardize(X.tolist()),
        TypeError,
        "x must be a torch.Tensor; got list",
    ),
    (
        "finite_difference_grad: a loss that is not a function",
        lambda: gd.finite_difference_grad(1.0, LEAF),
        TypeError,
        "loss must be a function of no arguments; got float",
    ),
    (
        "finite_difference_grad: an empty param",
        lambda: gd.finite_difference_grad(lambda: LEAF.sum(), torch.zeros(0)),
        ValueError,
        "param must hold at least one number; got an empty tensor",
    ),
    (
        "finite_difference_grad: NaN in param",
        lambda: gd.finite_difference_grad(lambda: LEAF.sum(), torch.tensor([NAN])),
        ValueError,
        "param must hold finite numbers; 1 of its 1 values are NaN or infinite",
    ),
    (
        "finite_difference_grad: a param that is a result",
        lambda: gd.finite_difference_grad(lambda: LEAF.sum(), LEAF * 2),
        ValueError,
        "param must be a tensor the loss reads (a leaf, e.g. a model's weight), not a result",
    ),
    (
        "finite_difference_grad: a loss that returns NaN",
        lambda: gd.finite_difference_grad(lambda: LEAF.sum().log() * NAN, LEAF),
        ValueError,
        "loss must return a finite number; got nan with param[0] + h",
    ),
    (
        "finite_difference_grad: a loss that returns a vector",
        lambda: gd.finite_difference_grad(lambda: LEAF * 2, LEAF),
        ValueError,
        "loss must return one number; got a tensor of shape (2,)",
    ),
    (
        "finite_difference_grad: h 0",
        lambda: gd.finite_difference_grad(lambda: LEAF.sum(), LEAF, h=0),
        ValueError,
        "h must be a finite number > 0; got 0",
    ),
    (
        "Momentum: momentum 1.5",
        lambda: gd.Momentum(lr=0.1, momentum=1.5),
        ValueError,
        "momentum must be between 0 and 1; got 1.5",
    ),
    (
        "Momentum: no momentum",
        lambda: gd.Momentum(lr=0.1),
        TypeError,
        "Momentum.__init__() missing 1 required keyword-only argument: 'momentum'",
    ),
    (
        "Momentum: dampening without momentum",
        lambda: gd.Momentum(lr=0.1, momentum=0, dampening=0.5),
        ValueError,
        "dampening needs momentum > 0 (it scales what joins the velocity); got momentum=0",
    ),
    (
        "Momentum: nesterov without momentum",
        lambda: gd.Momentum(lr=0.1, momentum=0, nesterov=True),
        ValueError,
        "nesterov needs momentum > 0 and dampening=0; got momentum=0, dampening=0.0",
    ),
    (
        "Momentum: nesterov that is not a bool",
        lambda: gd.Momentum(lr=0.1, momentum=0.9, nesterov=1),
        TypeError,
        "nesterov must be True or False; got 1",
    ),
    (
        "Momentum: weight_decay -1",
        lambda: gd.Momentum(lr=0.1, momentum=0.9, weight_decay=-1.0),
        ValueError,
        "weight_decay must be a finite number >= 0; got -1.0",
    ),
    (
        "Momentum: a (3, 1) gradient for 3 parameters",
        lambda: gd.Momentum(lr=0.1, momentum=0.9).step(torch.zeros(3), torch.zeros(3, 1)),
        ValueError,
        "grad must have a's shape and dtype ((3,), torch.float32); got (3, 1), torch.float32",
    ),
    (
        "Momentum: a float64 gradient for float32 parameters",
        lambda: gd.Momentum(lr=0.1, momentum=0.9).step(torch.zeros(3), torch.zeros(3, dtype=torch.float64)),
        ValueError,
        "grad must have a's shape and dtype ((3,), torch.float32); got (3,), torch.float64",
    ),
    (
        "Momentum: a list as parameters",
        lambda: gd.Momentum(lr=0.1, momentum=0.9).step([0.0], torch.zeros(1)),
        TypeError,
        "a must be a torch.Tensor; got list",
    ),
    (
        "RMSProp: alpha 1",
        lambda: gd.RMSProp(alpha=1.0),
        ValueError,
        "alpha must be between 0 and 1 (1 excluded); got 1.0",
    ),
    (
        "RMSProp: eps -1e-8",
        lambda: gd.RMSProp(eps=-1e-8),
        ValueError,
        "eps must be a finite number >= 0; got -1e-08",
    ),
    (
        "RMSProp: weight_decay nan",
        lambda: gd.RMSProp(weight_decay=NAN),
        ValueError,
        "weight_decay must be a finite number >= 0; got nan",
    ),
    (
        "Adam: betas a number",
        lambda: gd.Adam(betas=0.9),
        TypeError,
        "betas must be a pair of numbers (beta1, beta2); got 0.9",
    ),
    (
        "Adam: betas[1] 1",
        lambda: gd.Adam(betas=(0.9, 1.0)),
        ValueError,
        "betas[1] must be between 0 and 1 (1 excluded); got 1.0",
    ),
    ("Adam: lr 0", lambda: gd.Adam(lr=0), ValueError, "lr must be a finite number > 0; got 0"),
    ("Adam: eps inf", lambda: gd.Adam(eps=math.inf), ValueError, "eps must be a finite number >= 0; got inf"),
    (
        "Adam: bias_correction text",
        lambda: gd.Adam(bias_correction="no"),
        TypeError,
        "bias_correction must be True or False; got 'no'",
    ),
    (
        "AdamW: weight_decay -0.01",
        lambda: gd.AdamW(weight_decay=-0.01),
        ValueError,
        "weight_decay must be a finite number >= 0; got -0.01",
    ),
    (
        "AdamW: betas[0] -0.1",
        lambda: gd.AdamW(betas=(-0.1, 0.999)),
        ValueError,
        "betas[0] must be between 0 and 1 (1 excluded); got -0.1",
    ),
    (
        "step_decay: step -1",
        lambda: gd.step_decay(-1, lr=0.1, every=2),
        ValueError,
        "step must be >= 0; got -1",
    ),
    (
        "step_decay: step 1.5",
        lambda: gd.step_decay(1.5, lr=0.1, every=2),
        TypeError,
        "step must be an int; got float",
    ),
    (
        "step_decay: lr 0",
        lambda: gd.step_decay(1, lr=0, every=2),
        ValueError,
        "lr must be a finite number > 0; got 0",
    ),
    (
        "step_decay: every 0",
        lambda: gd.step_decay(1, lr=0.1, every=0),
        ValueError,
        "every must be >= 1; got 0",
    ),
    (
        "step_decay: gamma 1.5",
        lambda: gd.step_decay(1, lr=0.1, every=2, gamma=1.5),
        ValueError,
        "gamma must be > 0 and <= 1 (a decay, block after block); got 1.5",
    ),
    (
        "step_decay: gamma -0.5",
        lambda: gd.step_decay(1, lr=0.1, every=2, gamma=-0.5),
        ValueError,
        "gamma must be > 0 and <= 1 (a decay, block after block); got -0.5",
    ),
    ("cosine: total 0", lambda: gd.cosine(1, lr=0.1, total=0), ValueError, "total must be >= 1; got 0"),
    (
        "cosine: lr_min above lr",
        lambda: gd.cosine(1, lr=0.1, total=5, lr_min=0.2),
        ValueError,
        "lr_min must be between 0 and lr (0.1); got 0.2",
    ),
    (
        "cosine: lr_min text",
        lambda: gd.cosine(1, lr=0.1, total=5, lr_min="0"),
        TypeError,
        "lr_min must be a number; got str",
    ),
    (
        "cosine: lr nan",
        lambda: gd.cosine(1, lr=NAN, total=5),
        ValueError,
        "lr must be a finite number > 0; got nan",
    ),
    (
        "linear_warmup: start_factor 0",
        lambda: gd.linear_warmup(1, lr=0.1, warmup=5, start_factor=0),
        ValueError,
        "start_factor must be > 0 and <= 1; got 0",
    ),
    (
        "linear_warmup: start_factor None",
        lambda: gd.linear_warmup(1, lr=0.1, warmup=5, start_factor=None),
        TypeError,
        "start_factor must be a number; got NoneType",
    ),
    (
        "linear_warmup: warmup 2.0",
        lambda: gd.linear_warmup(1, lr=0.1, warmup=2.0),
        TypeError,
        "warmup must be an int; got float",
    ),
    (
        "warmup_cosine: total not past warmup",
        lambda: gd.warmup_cosine(1, lr=0.1, warmup=5, total=5),
        ValueError,
        "total must be >= 6; got 5",
    ),
    (
        "warmup_cosine: start_factor 5, at a step after warm-up",
        lambda: gd.warmup_cosine(8, lr=0.1, warmup=5, total=10, start_factor=5),
        ValueError,
        "start_factor must be > 0 and <= 1; got 5",
    ),
    (
        "warmup_cosine: lr_min -1, at a step in warm-up",
        lambda: gd.warmup_cosine(1, lr=0.1, warmup=5, total=10, lr_min=-1),
        ValueError,
        "lr_min must be between 0 and lr (0.1); got -1",
    ),
    (
        "one_cycle: step at total",
        lambda: gd.one_cycle(100, lr=0.1, total=100),
        ValueError,
        "step must be below total (100): the cycle's updates are 0 to 99; got 100",
    ),
    (
        "one_cycle: step -1",
        lambda: gd.one_cycle(-1, lr=0.1, total=100),
        ValueError,
        "step must be >= 0; got -1",
    ),
    (
        "one_cycle: lr 0",
        lambda: gd.one_cycle(1, lr=0, total=100),
        ValueError,
        "lr must be a finite number > 0; got 0",
    ),
    ("one_cycle: total 1", lambda: gd.one_cycle(0, lr=0.1, total=1), ValueError, "total must be >= 2; got 1"),
    (
        "one_cycle: pct_start 1.0",
        lambda: gd.one_cycle(1, lr=0.1, total=100, pct_start=1.0),
        ValueError,
        "pct_start must be between 0 and 1 (both excluded); got 1.0",
    ),
    (
        "one_cycle: pct_start text",
        lambda: gd.one_cycle(1, lr=0.1, total=100, pct_start="0.3"),
        TypeError,
        "pct_start must be a number; got str",
    ),
    (
        "one_cycle: a climb of one update",
        lambda: gd.one_cycle(1, lr=0.1, total=10, pct_start=0.1),
        ValueError,
        "pct_start * total must be > 1, so that the rate climbs for more than one update; got 0.1 * 10",
    ),
    (
        "one_cycle: div_factor 0.5",
        lambda: gd.one_cycle(1, lr=0.1, total=100, div_factor=0.5),
        ValueError,
        "div_factor must be >= 1 (it divides the rate); got 0.5",
    ),
    (
        "one_cycle: final_div_factor inf, at the last update",
        lambda: gd.one_cycle(99, lr=0.1, total=100, final_div_factor=math.inf),
        ValueError,
        "final_div_factor must be a finite number > 0; got inf",
    ),
    (
        "one_cycle: max_momentum 1.5",
        lambda: gd.one_cycle(1, lr=0.1, total=100, max_momentum=1.5),
        ValueError,
        "max_momentum must be between 0 and 1; got 1.5",
    ),
    (
        "one_cycle: momentum the wrong way round",
        lambda: gd.one_cycle(1, lr=0.1, total=100, base_momentum=0.95, max_momentum=0.85),
        ValueError,
        "base_momentum must be at most max_momentum (0.85): the momentum is lowest at the peak rate; "
        "got 0.95",
    ),
    (
        "steps_1d: curvature 0",
        lambda: gd.steps_1d(0, 0.1),
        ValueError,
        "curvature must be a finite number > 0; got 0",
    ),
    (
        "steps_1d: lr nan",
        lambda: gd.steps_1d(1.0, NAN),
        ValueError,
        "lr must be a finite number > 0; got nan",
    ),
    (
        "steps_1d: NaN start",
        lambda: gd.steps_1d(1.0, 0.1, start=NAN),
        ValueError,
        "start must be a finite number; got nan",
    ),
    ("steps_1d: steps -1", lambda: gd.steps_1d(1.0, 0.1, steps=-1), ValueError, "steps must be >= 0; got -1"),
    (
        "plot_steps_1d: curvature -1",
        lambda: gd.plot_steps_1d(-1.0, 0.1),
        ValueError,
        "curvature must be a finite number > 0; got -1.0",
    ),
    (
        "plot_steps_1d: so many steps that w overflows",
        lambda: gd.plot_steps_1d(1.0, 3.0, steps=200),
        ValueError,
        "steps=200 is too many: w grows past what a float can hold",
    ),
    (
        "plot_data: empty",
        lambda: gd.plot_data(X[:0], Y[:0]),
        ValueError,
        "x must have at least one row and one column; got shape (0, 2)",
    ),
    (
        "plot_data: y shorter than x",
        lambda: gd.plot_data(X, Y[:5]),
        ValueError,
        "y must have one value per row of x (20 rows); got 5",
    ),
    (
        "plot_fit: a of 3 numbers",
        lambda: gd.plot_fit(X, Y, [1.0, 2.0, 3.0]),
        ValueError,
        "a must hold one value per column of x (2 columns); got 3",
    ),
    (
        "plot_fit: x with 3 columns",
        lambda: gd.plot_fit(torch.ones(20, 3), Y, [1.0, 2.0]),
        ValueError,
        "x must have 2 columns (the input and a column of ones); got 3",
    ),
    (
        "plot_losses: no histories",
        lambda: gd.plot_losses(),
        ValueError,
        "histories must hold at least one gd.History; got none",
    ),
    (
        "plot_losses: a list of losses",
        lambda: gd.plot_losses([1.0, 0.5]),
        TypeError,
        "histories must each be a gd.History, e.g. from gd.fit; got list",
    ),
    (
        "plot_losses: labels of another length",
        lambda: gd.plot_losses(history(), labels=["a", "b"]),
        ValueError,
        "labels must have one entry per history (1); got ['a', 'b']",
    ),
    (
        "plot_landscape: y shorter than x",
        lambda: gd.plot_landscape(X, Y[:5]),
        ValueError,
        "y must have one value per row of x (20 rows); got 5",
    ),
    (
        "plot_landscape: a history of 3 parameters",
        lambda: gd.plot_landscape(X, Y, three_parameters()),
        ValueError,
        "history must hold 2 parameters per point (a slope and an intercept); got 3",
    ),
    (
        "plot_landscape: resolution 1",
        lambda: gd.plot_landscape(X, Y, resolution=1),
        ValueError,
        "resolution must be >= 2; got 1",
    ),
    (
        "plot_paths: labels of another length",
        lambda: gd.plot_paths(X, Y, history(), history(), labels=["one"]),
        ValueError,
        "labels must have one entry per history (2); got ['one']",
    ),
    (
        "plot_paths: params instead of a History",
        lambda: gd.plot_paths(X, Y, history().params),
        TypeError,
        "histories must each be a gd.History, e.g. from gd.fit; got Tensor",
    ),
    (
        "plot_paths: ax that is a Figure",
        lambda: gd.plot_paths(X, Y, history(), ax=plt.figure()),
        TypeError,
        "ax must be a matplotlib Axes, e.g. from fig.subplots(); got Figure",
    ),
    (
        "animate_fit: params instead of a History",
        lambda: gd.animate_fit(X, Y, history().params),
        TypeError,
        "history must be a gd.History, e.g. from gd.fit; got Tensor",
    ),
    (
        "animate_fit: interval 0",
        lambda: gd.animate_fit(X, Y, history(), interval=0),
        ValueError,
        "interval must be a finite number > 0; got 0",
    ),
    (
        "describe: an Axes instead of a Figure",
        lambda: gd.describe(plt.figure().add_subplot(), "text"),
        TypeError,
        "fig must be a matplotlib Figure (e.g. from plt.subplots()); got Axes",
    ),
    (
        "describe: no text",
        lambda: gd.describe(plt.figure(), ""),
        TypeError,
        "text must be a sentence saying what the figure shows; got ''",
    ),
    (
        "alt_text: an Axes instead of a Figure",
        lambda: gd.alt_text(plt.figure().add_subplot()),
        TypeError,
        "fig must be a matplotlib Figure (e.g. from plt.subplots()); got Axes",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error) as caught:
        call()
    assert str(caught.value) == message


def test_every_public_name_has_cases():
    assert {case.partition(":")[0] for case, *_ in CASES} == set(gd.__all__)
