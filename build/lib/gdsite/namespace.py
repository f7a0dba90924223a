"""Exercise solutions start from the state the lesson left (runs inside the kernel).

A lesson's solution cells run one after another in the lesson's kernel. So that
no solution depends on, or is broken by, another one, the build saves the
state before each solution and puts it back afterwards:

- the namespace: names the solution rebound or added are undone, and tensors,
  modules and optimizers are copies, so an in-place change (``a.grad.zero_()``)
  does not leak either. Copies are made in one pass with a shared memo, so
  objects that refer to each other (an optimizer and the model's parameters)
  still do afterwards; gradients are copied too (torch's copy of a Parameter
  leaves its ``.grad`` behind);
- what torch, random, NumPy and matplotlib keep globally: the default dtype,
  whether gradients are recorded, the random generators, the plot settings.
"""

import copy
import dataclasses
import types

from IPython import get_ipython

_saved = None
_settings = None
_ATOMIC = (types.ModuleType, types.FunctionType, type, types.BuiltinFunctionType)


def _copyable(value):
    import torch  # the lessons' kernels have it loaded already

    if isinstance(value, (torch.Tensor, torch.nn.Module, torch.optim.Optimizer)):
        return True
    if isinstance(value, (list, tuple, dict, set)):
        return True
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _copy_namespace(namespace):
    hidden = get_ipython().user_ns_hidden  # IPython's own names (In, Out, exit, ...)
    memo = {}
    copied = {}
    for name, value in namespace.items():
        own = name in hidden or name.startswith("_")
        if own or isinstance(value, _ATOMIC) or not _copyable(value):
            copied[name] = value
            continue
        try:
            copied[name] = copy.deepcopy(value, memo)
        except Exception:  # e.g. a tensor in the middle of a graph: cannot be copied, keep it
            copied[name] = value
        else:
            _copy_gradients(value, copied[name])
    return copied


def _copy_gradients(original, copied):
    """The `.grad` of each Parameter, which torch's deepcopy of a Parameter leaves out."""
    import torch

    if isinstance(original, torch.nn.Module):
        pairs = zip(original.parameters(), copied.parameters(), strict=True)
    elif isinstance(original, torch.Tensor):
        pairs = [(original, copied)]
    else:
        return
    for before, after in pairs:
        if before.grad is not None and after.grad is None:
            after.grad = before.grad.clone()


def save():
    """Remember the current state (called by the build before a solution cell)."""
    global _saved, _settings
    _saved = _copy_namespace(get_ipython().user_ns)
    _settings = _global_settings()


def restore():
    """Put back the remembered state, namespace as fresh copies (called after a solution cell)."""
    namespace = get_ipython().user_ns
    namespace.clear()
    namespace.update(_copy_namespace(_saved))
    _set_global_settings(_settings)


def _global_settings():
    import random

    import matplotlib
    import numpy as np
    import torch

    return {
        "dtype": torch.get_default_dtype(),
        "grad": torch.is_grad_enabled(),
        "torch": torch.get_rng_state(),
        "random": random.getstate(),
        "numpy": np.random.get_state(),
        "rc": matplotlib.rcParams.copy(),
    }


def _set_global_settings(saved):
    import random

    import matplotlib
    import numpy as np
    import torch

    torch.set_default_dtype(saved["dtype"])
    torch.set_grad_enabled(saved["grad"])
    torch.set_rng_state(saved["torch"])
    random.setstate(saved["random"])
    np.random.set_state(saved["numpy"])
    # Only what a solution changed: setting every key again would repeat deprecation warnings.
    changed = {k: v for k, v in saved["rc"].items() if dict.__getitem__(matplotlib.rcParams, k) != v}
    matplotlib.rcParams.update(changed)
