"""Mean squared error: the number gradient descent tries to make small."""

from gd.checks import require_finite, require_tensor


def mse(y_hat, y):
    """Mean of the squared differences between predictions and targets (a 0-d tensor).

    Both arguments must have the same shape. We check instead of letting torch
    broadcast: an ``(n, 1)`` prediction against an ``(n,)`` target would
    otherwise silently become an ``(n, n)`` table and a wrong loss.
    """
    require_tensor("y_hat", y_hat)
    require_tensor("y", y)
    if y_hat.shape != y.shape:
        raise ValueError(
            f"y_hat and y must have the same shape; got y_hat {tuple(y_hat.shape)} and y {tuple(y.shape)}"
        )
    if y.numel() == 0:
        raise ValueError("y_hat and y must not be empty: the mean of no errors is undefined")
    require_finite("y", y)  # the targets; a prediction may overflow, and its loss then says so
    # --8<-- [start:formula]
    return ((y_hat - y) ** 2).mean()
    # --8<-- [end:formula]
