"""Behind the batch-normalization lesson's widgets: the formula step by step, the same model trained
with and without batch norm, activation histograms, and the moving-statistics pitfall.

    batch_norm_on_off(seconds=8)              # the same model's loss curve with and without batch norm
    moving_stats_pitfall(momentum=0.99)       # how slowly Keras' moving statistics catch up
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

from aecore import ops
from aecore.experiments.common import train_collecting


BN_COLUMNS = ["sample", "x", "batch mean", "batch variance", "x_hat = (x - mean) / sqrt(var + eps)",
              "y = gamma * x_hat + beta"]


def batch_norm_table(values, gamma: float = 1.0, beta: float = 0.0, epsilon: float = 1e-3) -> list[list]:
    """One row per sample of a one-channel batch: the formula of batch_norm_forward step by step."""
    x = np.asarray(values, np.float64).reshape(-1, 1)  # (batch, 1 channel)
    y, _, _, steps = ops.batch_norm_forward(x, [gamma], [beta], epsilon=epsilon)
    mean, variance = float(steps["mean"][0]), float(steps["variance"][0])
    return [[i + 1, round(float(x[i, 0]), 4), round(mean, 4), round(variance, 4),
             round(float(steps["x_hat"][i, 0]), 4), round(float(y[i, 0]), 4)] for i in range(len(x))]


def batch_norm_on_off(seconds: float = 8.0, seed: int = 0, on_progress: Callable | None = None) -> dict:
    """{"with batch norm": [(step, loss)], "without batch norm": [...]}: the denoising U-Net trained twice."""
    from aecore import tasks

    curves = {}
    for label, batch_norm in (("with batch norm", True), ("without batch norm", False)):
        model = tasks.get("denoise").model.replace(batch_norm=batch_norm)
        _, losses = train_collecting(tasks.new_setup("denoise", model=model), seconds, seed, on_progress, label)
        curves[label] = losses
    return curves


def bn_histograms(images: np.ndarray, filters: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(conv outputs, batch-norm outputs), each (values, filters): a fresh Conv2D -> BatchNormalization in training mode."""
    from aecore.runtime import keras

    layers = keras().layers
    keras().utils.set_random_seed(seed)
    images = np.asarray(images, np.float32)
    inputs = keras().Input(shape=images.shape[1:])  # (batch, H, W, C)
    conv = layers.Conv2D(filters, 3, padding="same", name="conv")(inputs)  # (batch, H, W, filters)
    normalized = layers.BatchNormalization(name="bn")(conv)  # same shape, each channel mean 0, variance ~1
    model = keras().Model(inputs, [conv, normalized])
    before, after = model(images, training=True)  # training=True: the batch's own statistics
    return np.asarray(before).reshape(-1, filters), np.asarray(after).reshape(-1, filters)


@dataclass(frozen=True)
class MovingStats:
    momentum: float
    true_mean: float  # of the distribution every batch is drawn from
    true_var: float
    moving_mean: np.ndarray  # (steps + 1,) after each update; starts at Keras' 0
    moving_var: np.ndarray  # (steps + 1,) starts at 1
    train_output: np.ndarray  # (batch,) a last batch normalized with its own statistics
    inference_output: np.ndarray  # (batch,) the same batch normalized with the moving statistics


def moving_stats_pitfall(momentum: float = 0.99, steps: int = 100, true_mean: float = 3.0, true_std: float = 2.0,
                         batch_size: int = 32, seed: int = 0) -> MovingStats:
    """Run batch_norm_forward's moving-average update for `steps` batches and compare both modes' outputs."""
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    rng = np.random.default_rng(seed)
    mean, var = np.zeros(1), np.ones(1)  # Keras' starting moving statistics
    means, variances = [mean[0]], [var[0]]
    one, zero = np.ones(1), np.zeros(1)
    for _ in range(steps):
        batch = rng.normal(true_mean, true_std, (batch_size, 1))
        _, mean, var, _ = ops.batch_norm_forward(batch, one, zero, moving_mean=mean, moving_var=var, momentum=momentum)
        means.append(mean[0])
        variances.append(var[0])
    last = rng.normal(true_mean, true_std, (batch_size, 1))
    trained, _, _, _ = ops.batch_norm_forward(last, one, zero)
    inferred, _, _, _ = ops.batch_norm_forward(last, one, zero, training=False, moving_mean=mean, moving_var=var)
    return MovingStats(momentum, true_mean, true_std ** 2, np.array(means), np.array(variances),
                       trained[:, 0], inferred[:, 0])
