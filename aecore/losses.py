"""The losses a restoration task can train with, by name: what the Train section's "Loss" offers.

    LOSSES.get("ssim_l1").function     # a Keras loss: (y_true, y_pred) -> per-image loss

Which loss gives sharper results is a teaching point: MSE punishes big errors most and
averages plausible answers into a blur; L1 is kinder to outliers and keeps edges a little
better; SSIM compares local structure (contrast, correlation) instead of pixels. The mix
0.84 * (1 - SSIM) + 0.16 * L1 is Zhao et al.'s (2017, "Loss Functions for Image Restoration
with Neural Networks"), with single-scale SSIM instead of their multi-scale one.
"""

from dataclasses import dataclass
from typing import Callable

from aecore.registry import Registry
from aecore.runtime import keras, tf


@dataclass(frozen=True)
class Loss:
    name: str  # "mse": the registry key and the value of Setup.loss
    title: str  # "Mean squared error"
    description: str  # one sentence for the app
    function: Callable  # Keras loss (y_true, y_pred) -> (batch,)


LOSSES: Registry[Loss] = Registry("loss")
SSIM_WEIGHT = 0.84  # Zhao et al. 2017


def register(name: str, title: str, description: str):
    def wrap(function):
        LOSSES.add(name, Loss(name, title, description, function))
        return function
    return wrap


@register("mse", "Mean squared error", "The average squared pixel error: big errors count most.")
@keras().saving.register_keras_serializable(package="aecore")
def mse(y_true, y_pred):
    return keras().ops.mean(keras().ops.square(y_pred - y_true), axis=(1, 2, 3))  # (batch,)


@register("l1", "Mean absolute error (L1)", "The average absolute pixel error: every error counts by its size.")
@keras().saving.register_keras_serializable(package="aecore")
def l1(y_true, y_pred):
    return keras().ops.mean(keras().ops.abs(y_pred - y_true), axis=(1, 2, 3))  # (batch,)


@register("ssim_l1", "SSIM + L1", "0.84 x (1 - SSIM) + 0.16 x L1: local structure first, pixels second.")
@keras().saving.register_keras_serializable(package="aecore")
def ssim_l1(y_true, y_pred):
    height, width = y_true.shape[1], y_true.shape[2]
    size = min(11, *(side for side in (height, width) if side is not None)) if height or width else 11
    structure = tf().image.ssim(y_true, y_pred, max_val=1.0, filter_size=size, filter_sigma=1.5)  # (batch,)
    return SSIM_WEIGHT * (1.0 - structure) + (1.0 - SSIM_WEIGHT) * l1(y_true, y_pred)
