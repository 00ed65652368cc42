"""The `aecore` command line: everything the app does, from a terminal.

    aecore datasets [--json]
    aecore train    --task denoise --dataset fashion_mnist --seconds 15 --out model.keras [--json]
    aecore evaluate --task denoise --model model.keras [--json]
    aecore restore  --task denoise --model model.keras in.png out.png

Bad input ends with one clear line on stderr and exit code 2, never a traceback.
"""

import argparse
import json
import sys

from aecore import data


def cmd_datasets(args) -> int:
    rows = []
    for spec in data.DATASETS:
        reason = spec.why_unavailable()
        rows.append({"name": spec.name, "available": reason is None, "reason": reason,
                     "image_shape": list(spec.image_shape), "labels": spec.has_labels,
                     "description": spec.description})
    if args.json:
        print(json.dumps(rows))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        status = "available" if r["available"] else "unavailable"
        shape = "x".join(map(str, r["image_shape"]))
        print(f"{r['name']:<{width}}  {status:<11}  {shape:<8}  {r['description']}")
        if r["reason"]:
            print(f"{'':<{width}}  -> {r['reason']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aecore", description="Learn image autoencoders by doing.")
    commands = parser.add_subparsers(dest="command", required=True)

    datasets = commands.add_parser("datasets", help="list datasets and whether they are available here")
    datasets.add_argument("--json", action="store_true", help="one JSON list on stdout, for scripts")
    datasets.set_defaults(run=cmd_datasets)

    from aecore import commands as task_commands  # train / evaluate / restore

    task_commands.add_to(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except Exception as error:
        if not isinstance(error, user_errors()):
            raise  # a bug: keep the traceback
        print(f"aecore {args.command}: {error}", file=sys.stderr)
        return 2


def user_errors() -> tuple[type, ...]:
    """Errors caused by the input, reported in one line; TrainingDiverged only once training was imported."""
    errors = [ValueError, FileNotFoundError, data.DatasetUnavailable]
    train = sys.modules.get("aecore.train")
    if train is not None:
        errors.append(train.TrainingDiverged)
    return tuple(errors)


if __name__ == "__main__":
    sys.exit(main())
