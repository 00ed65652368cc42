"""`make pretrain`: train every task's default model on its default (offline) dataset, save to assets/.

The app loads these for instant results and as a starting point for fine-tuning.
Weights go to the checkout's `assets/pretrained/` (aecore/resources.py), with a JSON beside
each recording the settings and the held-out evaluation.

    python -m aecore.pretrain [--epochs 3] [--tasks denoise inpaint]
"""

import argparse
import dataclasses
import json

from aecore import pretrained, resources, saving, tasks
from aecore.cli.progress import ProgressBar
from aecore.evaluate import evaluate
from aecore.train import TrainConfig, train


def pretrain(task: str, epochs: int, seed: int = 0, variant: str = "") -> dict:
    """A budget in epochs, not seconds, so the same weights come out on a fast or a busy machine.

    `variant` (one of the task's `pretrained_variants`) trains that model instead, scored without the
    baselines (it may be one of them) unless it is the task's photo model; a variant with "from_task_model"
    starts from the task's own pretrained weights (train those first). A recipe's "then" is a second stage:
    TrainConfig changes (a smaller learning rate, say) to go on training the first stage's model with.
    Parts the objective trained beside the model (a GAN's discriminator, `TrainResult.companions`) are saved
    next to it as <name>_<part>.keras, and a second stage goes on training them.
    """
    definition = tasks.get(task)
    overrides = dict(definition.pretrained_variants[variant]) if variant else {}
    changes = dict(overrides.pop("pretrain", definition.pretrain))  # a variant may train longer than the task's model
    from_task_model = overrides.pop("from_task_model", False)
    start_from = pretrained.load(task)[0] if from_task_model else None
    beside = pretrained.companions(task) if from_task_model else {}  # e.g. the discriminator it trained against
    setup = tasks.new_setup(task, **overrides)
    stages = [changes, changes.pop("then")] if "then" in changes else [changes]
    # Batch 16, one per call: the setting the shipped weights were trained with (an epoch budget's steps
    # depend on the batch), so `make pretrain` reproduces them.
    config = TrainConfig(seconds=3600, epochs=epochs, seed=seed, batch_size=16, steps_per_execution=1,
                         megabytes=100_000)  # every sample: the shipped models trained so, offline
    seconds, steps, result = 0.0, 0, None
    for stage in stages:
        config = dataclasses.replace(config, **stage)  # a task (or variant) that needs more says so
        bar = ProgressBar()
        try:
            result = train(setup, config, on_progress=bar, initial_model=result.model if result else start_from,
                           companions=result.companions if result else beside)
        finally:
            bar.close()
        seconds, steps = seconds + result.seconds, steps + result.steps
    # A learned baseline (a variant) is not scored against itself; a photo model is scored like the task's own.
    table = evaluate(result.model, setup, baselines=not variant or variant == definition.photo_model)
    name = f"{task}_{variant}" if variant else task
    target = resources.checkout_folder("pretrained") / f"{name}.keras"
    saving.save(result.model, setup, target, evaluation=table, train_seconds=round(seconds, 1), steps=steps,
                seed=seed, **({"fine_tuned_from": f"{task}.keras"} if start_from is not None else {}))
    for part, companion in result.companions.items():
        saving.save(companion, setup, target.with_name(f"{name}_{part}.keras"), part_of=target.name, seed=seed)
    return {"task": name, "seconds": round(seconds, 1), "evaluation": table,
            "kilobytes": round(target.stat().st_size / 1024)}


def training_order(task: str) -> list[str]:
    """The task's variants, its own model ("") after them (its evaluation may score them: a learned
    baseline), and last the variants fine-tuned from it."""
    variants = tasks.get(task).pretrained_variants
    later = [name for name, overrides in variants.items() if overrides.get("from_task_model")]
    return [name for name in variants if name not in later] + [""] + later


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="passes over 10,000 training images per task")
    parser.add_argument("--tasks", nargs="*", default=tasks.names())
    args = parser.parse_args(argv)
    for task in args.tasks:
        for variant in training_order(task):
            summary = pretrain(task, args.epochs, variant=variant)
            rows = {row["method"]: round(row["psnr"], 2) for row in summary["evaluation"]}
            print(json.dumps({"task": summary["task"], "seconds": summary["seconds"], "kB": summary["kilobytes"],
                              "psnr": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
