"""Score the corrupted input, each classical baseline and the autoencoder on the same held-out images."""

import numpy as np

from aecore import data, metrics
from aecore.baselines import BASELINES
from aecore.images import match_channels
from aecore.models import infer
from aecore.tasks.task import TASKS, Pairs, Setup, make_pairs


def predict_images(model, setup: Setup, pairs: Pairs, batch_size: int = 256) -> np.ndarray:
    """The autoencoder's restored images for `pairs`, (B, H, W, C) in [0, 1]."""
    task = TASKS.get(setup.task)
    outputs = infer(model, pairs.inputs, batch_size)
    return np.clip(task.to_images(outputs, pairs.inputs, setup.options), 0.0, 1.0)


def candidates(model, setup: Setup, pairs: Pairs, baselines: bool = True) -> dict[str, np.ndarray]:
    """Method name -> restored images: "corrupted", each baseline, then "autoencoder" when a model is given."""
    task = TASKS.get(setup.task)
    channels = pairs.clean.shape[-1]
    results = {"corrupted": match_channels(pairs.corrupted.images, channels)}
    for name in task.baselines if baselines else ():
        results[name] = match_channels(BASELINES.get(name).function(pairs.corrupted, setup.params), channels)
    if model is not None:
        results["autoencoder"] = predict_images(model, setup, pairs)
    return results


def held_out_pairs(setup: Setup, count: int = 500, seed: int = 1) -> Pairs:
    """The first `count` test images, corrupted with a fixed seed: the same for every method and run."""
    dataset = data.load(setup.dataset)
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    return make_pairs(setup, data.to_float(dataset.x_test[:count]), seed=100_000 + seed)


def evaluate(model, setup: Setup, count: int = 500, seed: int = 1, baselines: bool = True) -> list[dict]:
    """A table, one row per method: mean PSNR/SSIM (and PSNR inside/outside the mask) over `count` images."""
    pairs = held_out_pairs(setup, count, seed)
    mask = pairs.corrupted.mask if TASKS.get(setup.task).masked else None
    rows = []
    for method, images in candidates(model, setup, pairs, baselines).items():
        rows.append({"method": method, **metrics.score(pairs.clean, images, mask), "count": len(images)})
    return rows
