"""Inference latency through the app's own helper (`aecore.restore`): one 256x256 RGB photo, and a batch of 64."""

import time

import cv2
import numpy as np

from aecore import data, pretrained
from aecore.restore import restore, run_model
from aecore.tasks import make_pairs, new_setup
from aecore.train import new_model


def photo_256() -> np.ndarray:
    from skimage import data as skimage_data

    return cv2.resize(skimage_data.astronaut(), (256, 256), interpolation=cv2.INTER_AREA)  # (256, 256, 3) uint8


def timings(function, repeats: int) -> dict:
    function()  # warm-up: the first call builds the graph
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(float(np.median(samples)), 1), "p95_ms": round(float(np.percentile(samples, 95)), 1)}


def run(task_names: list[str], repeats: int) -> dict:
    photo = photo_256()
    results = {}
    for name in task_names:
        if pretrained.available(name):
            model, setup, _ = pretrained.load(name)
        else:
            setup = new_setup(name)
            model = new_model(setup)
        small = make_pairs(setup, data.to_float(data.load(setup.dataset).x_test[:64]))
        big = make_pairs(setup, photo[None].astype(np.float32) / 255 if setup.image_shape[-1] == 3
                         else photo[None, ..., :1].astype(np.float32) / 255)
        results[name] = {
            "restore_256": timings(lambda: restore(model, setup, photo, compare=False), repeats),  # corrupt + model
            "compare_256": timings(lambda: restore(model, setup, photo), repeats),  # ... + every baseline + scores
            "model_256": timings(lambda: run_model(model, setup, big.inputs), repeats),  # the network alone
            "batch_64": timings(lambda: run_model(model, setup, small.inputs), repeats),
            "small_shape": list(setup.image_shape),
        }
    return results
