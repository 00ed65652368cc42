"""Inference latency through the app's own helper (`aecore.restore`): one 256x256 RGB photo, and a batch of 64.

    python -m bench.latency     # this section of `make bench` alone, written into bench/results.json
"""

import argparse
import time
from pathlib import Path

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


def markdown(results: dict) -> list[str]:
    lines = ["| task | restore 256x256 median / p95 | network alone 256x256 | batch of 64 small "
             "| restore + baselines + scores 256x256 |", "|---|---|---|---|---|"]
    for name, lat in results.items():
        lines.append(f"| {name} | {lat['restore_256']['median_ms']} / {lat['restore_256']['p95_ms']} ms | "
                     f"{lat['model_256']['median_ms']} ms | {lat['batch_64']['median_ms']} ms | "
                     f"{lat['compare_256']['median_ms']} ms |")
    return lines


def main(argv=None) -> int:
    from aecore import tasks
    from bench.run import ROOT, write_section

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json",
                        help="the benchmark's results file: this section is written into it")
    args = parser.parse_args(argv)
    results = run(tasks.names(), args.repeats)
    write_section(args.out, "latency", results)
    print("\n".join(markdown(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
