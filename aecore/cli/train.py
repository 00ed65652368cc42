"""`aecore train --task denoise --seconds 15 --out model.keras`: train briefly, then evaluate."""

import json
from pathlib import Path

from aecore.cli.command import load_for, parse_values, print_table
from aecore.cli.progress import ProgressBar


def run(args) -> int:
    from aecore import saving
    from aecore.evaluate import evaluate
    from aecore.tasks import new_setup
    from aecore.train import TrainConfig, train

    setup = new_setup(args.task, dataset=args.dataset, corruption=args.corruption, params=parse_values(args.param),
                      options=parse_values(args.option), loss=args.loss)
    config = TrainConfig(seconds=args.seconds, epochs=args.epochs, samples=args.samples, seed=args.seed)
    initial = load_for(args.init, args.task)[0] if args.init else None
    bar = ProgressBar()
    try:
        result = train(setup, config, on_progress=bar, initial_model=initial)
    finally:
        bar.close()
    table = evaluate(result.model, setup, count=args.eval_count)
    summary = {"setup": setup.to_json(), "train_seconds": round(result.seconds, 2), "steps": result.steps,
               "epochs": result.epochs, "stopped": result.stopped, "evaluation": table}
    if args.out:
        saving.save(result.model, setup, args.out, evaluation=table, train_seconds=result.seconds)
        summary["model"] = str(args.out)
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"trained {setup.task} on {setup.dataset} for {result.seconds:.1f} s "
              f"({result.epochs} epochs, {result.steps} steps, stopped by {result.stopped})")
        print_table(table)
        if args.out:
            print(f"saved {args.out} and {Path(args.out).with_suffix('.json').name}")
    return 0


def add_to(commands) -> None:
    from aecore.evaluate import HELD_OUT_COUNT

    parser = commands.add_parser("train", help="train a task's autoencoder briefly, then evaluate it")
    parser.add_argument("--task", required=True)
    parser.add_argument("--dataset", help="default: the task's own")
    parser.add_argument("--corruption", help="default: the task's first")
    parser.add_argument("--param", action="append", metavar="NAME=VALUE", help="a corruption parameter")
    parser.add_argument("--option", action="append", metavar="NAME=VALUE", help="a task option")
    parser.add_argument("--loss", help="default: the task's first (mse for the restoration tasks)")
    parser.add_argument("--seconds", type=float, default=15.0, help="training time budget")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--samples", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--init", help="a .keras model to fine-tune instead of starting fresh")
    parser.add_argument("--eval-count", type=int, default=HELD_OUT_COUNT, help="held-out images to score")
    parser.add_argument("--out", help="save the model here (.keras) with its .json")
    parser.add_argument("--json", action="store_true", help="end with one JSON object on the last line")
    parser.set_defaults(run=run)
