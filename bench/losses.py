"""Which loss gives the better model in the same seconds: MSE vs L1 vs SSIM + L1, per task.

The MSE runs are the task benchmark's own (bench/task_baselines.py); the other losses are
trained the same way (same budget, same seeds) and scored on the same held-out images.
"""

from aecore import tasks
from bench.task_baselines import run_task


def run(task_names: list[str], quick: bool, seeds: int, default_runs: dict) -> dict:
    results = {}
    for name in task_names:
        task = tasks.get(name)
        if len(task.objective.losses) < 2:  # one objective, nothing to choose (a codec's rate term, a VAE's ELBO)
            continue
        by_loss = {default_runs[name]["loss"]: default_runs[name]}
        for loss in task.objective.losses[:2] if quick else task.objective.losses:  # quick: the default and one more
            if loss not in by_loss:
                by_loss[loss] = run_task(name, quick, seeds, loss=loss)
        key = task.headline
        results[name] = {
            "metric": key,
            "default": task.objective.losses[0],
            "autoencoder": {loss: {"headline": r["median"]["autoencoder"][key], "psnr": r["median"]["autoencoder"]["psnr"],
                                   "ssim": r["median"]["autoencoder"]["ssim"]} for loss, r in by_loss.items()},
            "best": max(by_loss, key=lambda loss: by_loss[loss]["median"]["autoencoder"][key]),
        }
    return results
