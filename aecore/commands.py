"""The CLI's task commands: `aecore train`, `aecore evaluate`, `aecore restore`.

Each prints a progress bar on stderr (so stdout stays clean for `--json`).
"""

import json
import sys
import time
from pathlib import Path


class ProgressBar:
    """A one-line terminal progress bar: [#####.....] 52%  epoch 3  loss 0.0123  val 24.1 dB."""

    def __init__(self, stream=sys.stderr, width: int = 30):
        self.stream, self.width = stream, width

    def __call__(self, progress) -> None:
        filled = int(progress.fraction * self.width)
        text = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {progress.fraction:4.0%}  epoch {progress.epoch}" \
               f"  step {progress.step}  loss {progress.loss:.4f}"
        if progress.val_psnr is not None:
            text += f"  val {progress.val_psnr:.2f} dB / SSIM {progress.val_ssim:.3f}"
        self.stream.write(text.ljust(100))
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")


def _print_table(rows: list[dict]) -> None:
    keys = [k for k in ("psnr", "ssim", "psnr_inside", "psnr_outside") if k in rows[0]]
    print(f"{'method':<16}" + "".join(f"{k:>14}" for k in keys))
    for row in rows:
        print(f"{row['method']:<16}" + "".join(f"{row[k]:>14.3f}" for k in keys))


def _parse_params(pairs: list[str]) -> dict:
    params = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--param takes name=value, got {pair!r}")
        try:
            params[name] = float(value) if "." in value else int(value)
        except ValueError:
            params[name] = value
    return params


def cmd_train(args) -> int:
    from aecore import saving
    from aecore.evaluate import evaluate
    from aecore.tasks import new_setup
    from aecore.train import TrainConfig, train

    setup = new_setup(args.task, dataset=args.dataset, corruption=args.corruption,
                      params=_parse_params(args.param), options=_parse_params(args.option))
    config = TrainConfig(seconds=args.seconds, epochs=args.epochs, samples=args.samples, seed=args.seed)
    bar = ProgressBar()
    initial = saving.load(args.init)[0] if args.init else None
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
        _print_table(table)
        if args.out:
            print(f"saved {args.out} and {Path(args.out).with_suffix('.json').name}")
    return 0


def cmd_evaluate(args) -> int:
    from aecore import saving
    from aecore.evaluate import evaluate

    model, setup, _ = saving.load(args.model)
    if args.task and args.task != setup.task:
        raise ValueError(f"{args.model} was trained for {setup.task!r}, not {args.task!r}")
    started = time.monotonic()
    table = evaluate(model, setup, count=args.count)
    if args.json:
        print(json.dumps({"setup": setup.to_json(), "evaluation": table,
                          "seconds": round(time.monotonic() - started, 2)}))
    else:
        _print_table(table)
    return 0


def cmd_restore(args) -> int:
    from aecore import saving
    from aecore.images import load_image, save_image
    from aecore.restore import restore

    model, setup, _ = saving.load(args.model)
    if args.task and args.task != setup.task:
        raise ValueError(f"{args.model} was trained for {setup.task!r}, not {args.task!r}")
    result = restore(model, setup, load_image(args.input), corrupt=not args.no_corrupt, seed=args.seed)
    save_image(args.output, result.restored)
    if args.json:
        print(json.dumps({"output": str(args.output), "shape": list(result.restored.shape), "scores": result.scores}))
    else:
        print(f"wrote {args.output} ({result.restored.shape[1]}x{result.restored.shape[0]})")
        for method, score in result.scores.items():
            print(f"  {method:<14} PSNR {score['psnr']:6.2f} dB   SSIM {score['ssim']:.3f}")
    return 0


def add_to(commands) -> None:
    train = commands.add_parser("train", help="train a task's autoencoder briefly, then evaluate it")
    train.add_argument("--task", required=True)
    train.add_argument("--dataset", help="default: the task's own")
    train.add_argument("--corruption", help="default: the task's first")
    train.add_argument("--param", action="append", metavar="NAME=VALUE", help="a corruption parameter")
    train.add_argument("--option", action="append", metavar="NAME=VALUE", help="a task option")
    train.add_argument("--seconds", type=float, default=15.0, help="training time budget")
    train.add_argument("--epochs", type=int, default=20)
    train.add_argument("--samples", type=int, default=10000)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--init", help="a .keras model to fine-tune instead of starting fresh")
    train.add_argument("--eval-count", type=int, default=500, help="held-out images to score")
    train.add_argument("--out", help="save the model here (.keras) with its .json")
    train.add_argument("--json", action="store_true", help="end with one JSON object on the last line")
    train.set_defaults(run=cmd_train)

    evaluate = commands.add_parser("evaluate", help="score a saved model against the baselines")
    evaluate.add_argument("--task")
    evaluate.add_argument("--model", required=True)
    evaluate.add_argument("--count", type=int, default=500)
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(run=cmd_evaluate)

    restore = commands.add_parser("restore", help="restore one image file with a saved model")
    restore.add_argument("--task")
    restore.add_argument("--model", required=True)
    restore.add_argument("--no-corrupt", action="store_true", help="the image is already damaged")
    restore.add_argument("--seed", type=int, default=0)
    restore.add_argument("--json", action="store_true")
    restore.add_argument("input")
    restore.add_argument("output")
    restore.set_defaults(run=cmd_restore)
