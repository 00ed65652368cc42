"""The `aecore` command line: everything the app does, from a terminal. One module per command:

    aecore datasets [--json]
    aecore train    --task denoise --dataset fashion_mnist --seconds 15 --out model.keras [--json]
    aecore evaluate --task denoise --model model.keras [--json]
    aecore restore  --task denoise --model model.keras in.png out.png

Every registered task works with `train`, `evaluate` and `restore`; a task may add commands of its
own by registering them in COMMANDS. Bad input ends with one clear line on stderr and exit code 2,
never a traceback.
"""

import argparse
import sys

from aecore.cli import datasets, evaluate, restore, train
from aecore.cli.command import COMMANDS, user_errors  # noqa: F401


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aecore", description="Learn image autoencoders by doing.")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (datasets, train, evaluate, restore):
        module.add_to(commands)
    for add in COMMANDS:  # commands that tasks register (e.g. compress, sample)
        add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    import aecore.tasks  # noqa: F401  (tasks register their own commands on import)

    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except Exception as error:
        if not isinstance(error, user_errors()):
            raise  # a bug: keep the traceback
        print(f"aecore {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
