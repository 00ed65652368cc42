"""`make pretrain`: train every task's default model on its default (offline) dataset, save to assets/.

The app loads these for instant results and as a starting point for fine-tuning.
Weights go to the checkout's `assets/pretrained/` (aecore/resources.py), with a JSON beside
each recording the settings and the held-out evaluation.

    python -m aecore.pretrain [--epochs 3] [--tasks denoise inpaint]
"""

import argparse
import json

from aecore import resources, saving, tasks
from aecore.cli.progress import ProgressBar
from aecore.evaluate import evaluate
from aecore.train import TrainConfig, train


def pretrain(task: str, epochs: int, seed: int = 0) -> dict:
    """A budget in epochs, not seconds, so the same weights come out on a fast or a busy machine."""
    setup = tasks.new_setup(task)
    bar = ProgressBar()
    try:
        result = train(setup, TrainConfig(seconds=3600, epochs=epochs, seed=seed), on_progress=bar)
    finally:
        bar.close()
    table = evaluate(result.model, setup)
    target = resources.checkout_folder("pretrained") / f"{task}.keras"
    saving.save(result.model, setup, target, evaluation=table, train_seconds=round(result.seconds, 1),
                steps=result.steps, seed=seed)
    return {"task": task, "seconds": round(result.seconds, 1), "evaluation": table,
            "kilobytes": round(target.stat().st_size / 1024)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="passes over 10,000 training images per task")
    parser.add_argument("--tasks", nargs="*", default=tasks.names())
    args = parser.parse_args(argv)
    for task in args.tasks:
        summary = pretrain(task, args.epochs)
        rows = {row["method"]: round(row["psnr"], 2) for row in summary["evaluation"]}
        print(json.dumps({"task": task, "seconds": summary["seconds"], "kB": summary["kilobytes"], "psnr": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
