"""Exercise solutions start from the namespace the lesson left (runs inside the kernel).

A lesson's solution cells run one after another in the lesson's kernel. So that
no solution depends on, or is broken by, another one, the build saves the
namespace before each solution and puts it back afterwards: names the solution
rebound or added are undone, and tensors, modules and optimizers are copies, so
an in-place change (``a.grad.zero_()``) does not leak either. Copies are made in
one pass with a shared memo, so objects that refer to each other (an optimizer
and the model's parameters) still do afterwards.
"""

import copy
import dataclasses
import types

from IPython import get_ipython

_saved = None
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
    return copied


def save():
    """Remember the current namespace (called by the build before a solution cell)."""
    global _saved
    _saved = _copy_namespace(get_ipython().user_ns)


def restore():
    """Put back the remembered namespace, as fresh copies (called after a solution cell)."""
    namespace = get_ipython().user_ns
    namespace.clear()
    namespace.update(_copy_namespace(_saved))
