"""Batch normalization's forward pass from scratch in NumPy, as Keras computes it
(lesson: lessons/batch_normalization.md).

    y, moving_mean, moving_var, steps = batch_norm_forward(x, gamma, beta)                 # training
    y, _, _, _ = batch_norm_forward(x, gamma, beta, training=False,
                                    moving_mean=moving_mean, moving_var=moving_var)        # inference

Each channel is normalized with one mean and one variance, taken over every axis except the
last (batch, height and width for NHWC images):

    y = gamma * (x - mean) / sqrt(variance + epsilon) + beta

Training uses the batch's own statistics and nudges the moving ones towards them;
inference uses only the moving statistics, so one image's output does not depend on the
others in its batch.
"""

import numpy as np


def batch_norm_forward(x: np.ndarray, gamma, beta, epsilon: float = 1e-3, training: bool = True,
                       moving_mean=None, moving_var=None, momentum: float = 0.99):
    """Normalize x (..., C) per channel; return (y, new_moving_mean, new_moving_var, steps).

    gamma, beta, moving_mean and moving_var are (C,). The moving statistics start, as in Keras,
    at mean 0 and variance 1. `steps` holds the intermediate values {"mean", "variance", "x_hat"}.
    Defaults are Keras' own: epsilon 1e-3, momentum 0.99.
    """
    x = np.asarray(x, np.float64)
    if x.ndim < 2:
        raise ValueError(f"batch_norm_forward expects x with a batch axis and a channel axis, got shape {x.shape}")
    channels = x.shape[-1]
    moving_mean = np.zeros(channels) if moving_mean is None else np.asarray(moving_mean, np.float64)
    moving_var = np.ones(channels) if moving_var is None else np.asarray(moving_var, np.float64)
    gamma, beta = np.asarray(gamma, np.float64), np.asarray(beta, np.float64)
    for name, value in (("gamma", gamma), ("beta", beta), ("moving_mean", moving_mean), ("moving_var", moving_var)):
        if value.shape != (channels,):
            raise ValueError(f"{name} must have one value per channel, shape ({channels},), got {value.shape}")
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    if epsilon <= 0:
        raise ValueError(f"epsilon must be positive (it keeps the division away from zero), got {epsilon}")

    axes = tuple(range(x.ndim - 1))  # (0, 1, 2) for (B, H, W, C): everything but the channel axis
    if training:
        mean = x.mean(axis=axes)  # (C,)
        variance = x.var(axis=axes)  # (C,) the biased variance (divide by N), as Keras uses
        # Keras' update: keep `momentum` of the old value, take (1 - momentum) of the batch's.
        new_moving_mean = moving_mean * momentum + mean * (1.0 - momentum)
        new_moving_var = moving_var * momentum + variance * (1.0 - momentum)
    else:
        mean, variance = moving_mean, moving_var
        new_moving_mean, new_moving_var = moving_mean, moving_var  # inference learns nothing
    x_hat = (x - mean) / np.sqrt(variance + epsilon)  # (..., C) mean 0, variance ~1 per channel
    y = gamma * x_hat + beta  # (..., C) the layer may learn to undo the normalization
    return y, new_moving_mean, new_moving_var, {"mean": mean, "variance": variance, "x_hat": x_hat}
