"""An optimizer's settings, checked by what they mean, before the first step.

torch.optim refuses a negative learning rate but runs ``lr=nan`` or
``momentum=1.5`` until the numbers overflow, and the warning that follows
would blame the learning rate. The names and meanings are torch.optim's;
this is the one place that says what each may be, for gd's own optimizers
and for torch.optim's when `train` or `descend` runs them.
"""

from gd.checks import require_fraction, require_nonnegative_finite, require_positive_finite

SWITCHES = ("nesterov", "decoupled_weight_decay", "bias_correction", "amsgrad", "maximize")


def check_settings(**settings):
    """Fail unless each setting gd knows means what it should, by torch.optim's meaning of its name.

    lr > 0; momentum and dampening in [0, 1]; alpha and each of betas in [0, 1);
    eps and weight_decay >= 0; the switches True or False. nesterov needs
    momentum > 0 and no dampening, and dampening needs momentum > 0, as torch
    requires (or, for dampening, silently ignores). Other names are left to the
    optimizer, which refuses those it does not have.
    """
    for name, value in settings.items():
        if name == "lr":
            require_positive_finite(name, value)
        elif name in ("momentum", "dampening"):
            require_fraction(name, value, one_allowed=True)
        elif name == "alpha":
            require_fraction(name, value)
        elif name in ("eps", "weight_decay"):
            require_nonnegative_finite(name, value)
        elif name == "betas":
            if not (isinstance(value, (tuple, list)) and len(value) == 2):
                raise TypeError(f"betas must be a pair of numbers (beta1, beta2); got {value!r}")
            require_fraction("betas[0]", value[0])
            require_fraction("betas[1]", value[1])
        elif name in SWITCHES and not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False; got {value!r}")
    momentum, dampening = settings.get("momentum", 0), settings.get("dampening", 0)
    if settings.get("nesterov") and (momentum == 0 or dampening != 0):
        raise ValueError(
            f"nesterov needs momentum > 0 and dampening=0; got momentum={momentum}, dampening={dampening}"
        )
    if dampening != 0 and momentum == 0:
        raise ValueError(
            f"dampening needs momentum > 0 (it scales what joins the velocity); got momentum={momentum}"
        )
