"""`aecore evaluate --model model.keras`: score a saved model against the corrupted input and the baselines."""

import json
import time

from aecore.cli.command import load_for, print_table


def run(args) -> int:
    from aecore.evaluate import evaluate

    model, setup, _ = load_for(args.model, args.task)
    started = time.monotonic()
    table = evaluate(model, setup, count=args.count)
    if args.json:
        print(json.dumps({"setup": setup.to_json(), "evaluation": table,
                          "seconds": round(time.monotonic() - started, 2)}))
    else:
        print_table(table)
    return 0


def add_to(commands) -> None:
    from aecore.evaluate import HELD_OUT_COUNT

    parser = commands.add_parser("evaluate", help="score a saved model against the baselines")
    parser.add_argument("--task")
    parser.add_argument("--model", required=True)
    parser.add_argument("--count", type=int, default=HELD_OUT_COUNT)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run)
