"""Fine-tuning with the tab's defaults: each tab's pretrained model, its default settings and budget, Train pressed.

    python -m bench.fine_tune [--rates 1 0.25 0.1] [--seeds 3]   # this section of `make bench` alone

What the app's Train button does when a student presses it without changing anything: a copy of the pretrained
model is trained further for the default budget, at the brief training's learning rate times the fine-tune
factor (`aecore.train.FINE_TUNE_RATE`, chosen with `--rates`). The held-out score (the task's headline metric,
on the shared held-out images) before and after, per seed; "kept" is what the app then uses: the better of the
two, since it never replaces a model with a worse one.
"""

import argparse
import statistics
from dataclasses import replace
from pathlib import Path

from aecore import evaluate, pretrained, tasks
from aecore.train import FINE_TUNE_RATE, TrainConfig, fine_tuning, starting_model, train
from bench import QUICK_SECONDS


def score(model, setup) -> float:
    headline = tasks.get(setup.task).headline
    return round(evaluate.scores(model, setup, baselines=False)["autoencoder"][headline], 3)


def run_task(name: str, quick: bool, seeds: int, rate: float = FINE_TUNE_RATE) -> dict:
    model, setup, _ = pretrained.load(name)
    before = score(model, setup)
    config = fine_tuning(TrainConfig(seconds=QUICK_SECONDS if quick else TrainConfig().seconds), rate)
    after = []
    for seed in range(seeds):
        start, _, _ = starting_model(setup, (model, setup, "pretrained model"))
        result = train(setup, replace(config, seed=seed), initial_model=start)
        after.append(score(result.model, setup))
    median = statistics.median(after)
    return {"metric": tasks.get(name).headline, "rate": rate, "learning_rate": config.learning_rate,
            "budget_seconds": config.seconds, "before": before, "after": after, "after_median": median,
            "change_median": round(median - before, 3), "kept_median": round(max(median, before), 3),
            "worse_runs": sum(value < before for value in after)}


def run(task_names: list[str], quick: bool, seeds: int, rates: tuple = (FINE_TUNE_RATE,)) -> dict:
    return {f"{name}@{rate:g}" if len(rates) > 1 else name: run_task(name, quick, seeds, rate)
            for name in task_names for rate in rates}


def markdown(results: dict) -> list[str]:
    lines = ["| task (default settings and budget, fine-tuned from the pretrained model) | learning rate | held-out "
             "before | after (per run) | median change | runs worse |", "|---|---|---|---|---|---|"]
    for name, row in results.items():
        lines.append(f"| {name} ({row['metric']}) | {row['learning_rate']:g} | {row['before']:.2f} | "
                     f"{', '.join(f'{value:.2f}' for value in row['after'])} | {row['change_median']:+.2f} dB | "
                     f"{row['worse_runs']} of {len(row['after'])} |")
    return lines


def main(argv=None) -> int:
    from bench.run import ROOT, write_section

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="*", default=tasks.BUILTIN)
    parser.add_argument("--rates", nargs="*", type=float, default=[FINE_TUNE_RATE])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    results = run(args.tasks, args.quick, args.seeds, tuple(args.rates))
    print("\n".join(markdown(results)))
    if args.rates == [FINE_TUNE_RATE]:
        write_section(args.out, "fine_tune", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
