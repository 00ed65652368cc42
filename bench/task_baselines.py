"""Every task against its classical baseline after the default brief training (the app's Train button)."""

import statistics

from aecore import tasks
from aecore.evaluate import best_baseline
from aecore.tasks import new_setup
from aecore.train import TrainConfig
from bench import QUICK_SECONDS
from bench.curves import train_and_score


def medians(runs: list[dict]) -> dict:
    """{method: {metric: median over the runs}}."""
    methods = runs[0]["evaluation"].keys()
    return {method: {metric: round(statistics.median(r["evaluation"][method][metric] for r in runs), 3)
                     for metric in runs[0]["evaluation"][method] if metric != "count"}
            for method in methods}


def run_task(name: str, quick: bool, seeds: int, loss: str | None = None) -> dict:
    """The task's default setup (or another loss) trained for the app's budget, once per seed, and scored."""
    setup = new_setup(name, loss=loss)
    config = TrainConfig(seconds=QUICK_SECONDS if quick else TrainConfig().seconds, validate_every=100)
    runs = [train_and_score(setup, TrainConfig(**{**config.__dict__, "seed": seed})) for seed in range(seeds)]
    median = medians(runs)
    best = best_baseline(setup, median)
    key = tasks.get(name).headline
    margin = None if best is None else round(median["autoencoder"][key] - median[best][key], 2)
    return {"dataset": setup.dataset, "corruption": setup.corruption, "params": setup.params, "loss": setup.loss,
            "budget_seconds": config.seconds, "median": median, "best_baseline": best,
            "margin_db": margin, "margin_metric": key, "runs": runs}


def run(task_names: list[str], quick: bool, seeds: int) -> dict:
    return {name: run_task(name, quick, seeds) for name in task_names}
