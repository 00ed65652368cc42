"""One way to score: every method (the corrupted input, each classical baseline, the autoencoder) on the
same held-out images with the task's own metrics.

    evaluate(model, setup)            # table rows, one per method, over HELD_OUT_COUNT images
    scores(model, setup)              # {method: {metric: mean}}: what the app's table and status line show

The CLI, `restore` (for one image), the app's side by side, the training status line and curve,
and the benchmark all go through `candidates` and `score_methods`, on the held-out images
`held_out_pairs` draws with one named seed and count, so the same model gets the same numbers
everywhere.
"""

import json

import numpy as np

from aecore import data, metrics
from aecore.baselines import BASELINES
from aecore.corruptions import Corrupted
from aecore.images import match_channels
from aecore.models import infer
from aecore.shared_cache import shared_cache
from aecore.tasks import TASKS, Pairs, Setup, make_pairs

HELD_OUT_COUNT = 256  # test images behind every score: enough for means within ~0.1 dB, scored in about a second
HELD_OUT_SEED = 100_001  # the corruption's seed for them (training draws its own from TrainConfig.seed)


def held_out_pairs(setup: Setup, count: int = HELD_OUT_COUNT) -> Pairs:
    """The first `count` test images, corrupted with HELD_OUT_SEED: the same for every method and run."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    dataset = data.load(setup.dataset)
    return make_pairs(setup, data.to_float(dataset.x_test[:count]), seed=HELD_OUT_SEED)


def predict_images(model, setup: Setup, pairs: Pairs, batch_size: int = 256) -> np.ndarray:
    """The autoencoder's restored images for `pairs`, (B, H, W, C) in [0, 1]."""
    task = TASKS.get(setup.task)
    outputs = infer(model, pairs.inputs, batch_size)
    return task.finish(outputs, pairs.inputs, pairs.corrupted, setup.options)


def candidates(setup: Setup, corrupted: Corrupted, channels: int, restored: np.ndarray | None = None,
               baselines: bool = True) -> dict[str, np.ndarray]:
    """Method -> images with `channels` channels: "corrupted", each baseline that can run, then "autoencoder"."""
    task = TASKS.get(setup.task)
    found = {"corrupted": match_channels(corrupted.images, channels)}
    for name in task.baselines if baselines else ():
        baseline = BASELINES.get(name)
        if baseline.needs_mask and corrupted.mask is None:
            continue  # nobody said which pixels are damaged (an already-damaged photo, no mask painted)
        found[name] = match_channels(baseline.function(corrupted, setup.params), channels)
    if restored is not None:
        found["autoencoder"] = restored
    return found


def score_methods(setup: Setup, clean: np.ndarray, found: dict, mask: np.ndarray | None) -> dict[str, dict]:
    """{method: {metric: mean over the batch}} with the task's metrics."""
    task = TASKS.get(setup.task)
    mask = mask if task.scores_mask else None
    return {method: metrics.score(clean, images, mask, task.metrics) for method, images in found.items()}


def held_out(setup: Setup, count: int = HELD_OUT_COUNT, baselines: bool = True) -> tuple[Pairs, dict, dict]:
    """(pairs, {method: images}, {method: scores}) for the corrupted input and every baseline (unless not wanted).

    None of it depends on a model, so it is computed once per settings and shared (read-only)
    by every student and every call: the baselines (non-local means above all) are the slow part.
    """
    return _held_out(json.dumps(setup.to_json(), sort_keys=True), count, baselines)


@shared_cache(maxsize=8)
def _held_out(setup_json: str, count: int, baselines: bool = True):
    setup = Setup.from_json(json.loads(setup_json))
    pairs = held_out_pairs(setup, count)
    found = candidates(setup, pairs.corrupted, pairs.clean.shape[-1], baselines=baselines)
    return pairs, found, score_methods(setup, pairs.clean, found, pairs.corrupted.mask)


def scores(model, setup: Setup, count: int = HELD_OUT_COUNT, baselines: bool = True) -> dict[str, dict]:
    """Every method's mean scores on the held-out images (the autoencoder's only when a model is given)."""
    pairs, _, reference = held_out(setup, count, baselines)  # without baselines, none is run (one may be learned)
    found = dict(reference)
    if model is not None:
        restored = predict_images(model, setup, pairs)
        found.update(score_methods(setup, pairs.clean, {"autoencoder": restored}, pairs.corrupted.mask))
    return found


def copies_of_the_input(found: dict[str, np.ndarray]) -> set[str]:
    """The methods whose images are the corrupted input itself (colorization's gray image, the bicubic upscale that
    super-resolution reads): a table or a picture row shows such a method once, not the same picture twice."""
    given = found.get("corrupted")
    return {name for name, images in found.items() if name != "corrupted" and given is not None
            and np.shape(images) == np.shape(given) and np.allclose(images, given, atol=1e-6)}


def best_baseline(setup: Setup, found_scores: dict[str, dict]) -> str | None:
    """The classical baseline with the best headline metric, or None when the task has none that ran."""
    task = TASKS.get(setup.task)
    ran = [name for name in task.baselines if name in found_scores]
    return max(ran, key=lambda name: found_scores[name][task.headline], default=None)


def evaluate(model, setup: Setup, count: int = HELD_OUT_COUNT, baselines: bool = True) -> list[dict]:
    """A table, one row per method: its mean of each of the task's metrics over `count` held-out images."""
    return [{"method": method, **values, "count": count}
            for method, values in scores(model, setup, count, baselines).items()]
