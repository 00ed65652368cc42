"""Every task against its classical baseline after the default brief training (the app's Train button)."""

import statistics

from aecore import tasks
from aecore.tasks import new_setup
from aecore.train import TrainConfig
from bench.curves import train_and_score


def run(task_names: list[str], quick: bool, seeds: int) -> dict:
    results = {}
    for name in task_names:
        setup = new_setup(name)
        config = TrainConfig(seconds=5 if quick else TrainConfig().seconds, validate_every=100)
        runs = [train_and_score(setup, TrainConfig(**{**config.__dict__, "seed": seed}), 500)
                for seed in range(seeds)]
        methods = runs[0]["evaluation"].keys()
        medians = {method: {metric: round(statistics.median(r["evaluation"][method][metric] for r in runs), 3)
                            for metric in runs[0]["evaluation"][method] if metric != "count"}
                   for method in methods}
        best_baseline = max(tasks.get(name).baselines, key=lambda b: medians[b]["psnr"])
        key = "psnr_inside" if tasks.get(name).masked else "psnr"
        results[name] = {
            "dataset": setup.dataset, "corruption": setup.corruption, "params": setup.params,
            "budget_seconds": config.seconds, "median": medians, "best_baseline": best_baseline,
            "margin_db": round(medians["autoencoder"][key] - medians[best_baseline][key], 2), "margin_metric": key,
            "runs": runs,
        }
    return results
