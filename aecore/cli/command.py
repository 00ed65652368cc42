"""What the CLI's commands share: the errors a user causes, parsing name=value pairs, loading a model,
printing a score table, and the registry where a task adds a command of its own."""

import sys

from aecore import data

COMMANDS: list = []  # add(subparsers) functions that tasks register: `aecore compress`, `aecore sample`


def register(add):
    """Decorator for a task's `add(subparsers)`: the CLI calls it when it builds its parser."""
    COMMANDS.append(add)
    return add


def user_errors() -> tuple[type, ...]:
    """Errors caused by the input, reported in one line; TrainingDiverged only once training was imported."""
    errors = [ValueError, FileNotFoundError, data.DatasetUnavailable]
    train = sys.modules.get("aecore.train")
    if train is not None:
        errors.append(train.TrainingDiverged)
    return tuple(errors)


def parse_values(pairs: list[str] | None) -> dict:
    """["sigma=0.3", "predict=rgb"] -> {"sigma": 0.3, "predict": "rgb"}; true/false become booleans."""
    values = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"expected name=value, got {pair!r}")
        if value.lower() in ("true", "false"):
            values[name] = value.lower() == "true"
            continue
        try:
            values[name] = float(value) if "." in value else int(value)
        except ValueError:
            values[name] = value
    return values


def load_for(path, task: str | None):
    """(model, setup, info) from a saved model, checking it was trained for `task` when one is named."""
    from aecore import saving

    model, setup, info = saving.load(path)
    if task and task != setup.task:
        raise ValueError(f"{path} was trained for {setup.task!r}, not {task!r}")
    return model, setup, info


def print_table(rows: list[dict]) -> None:
    keys = [key for key in rows[0] if key not in ("method", "count")]
    print(f"{'method':<16}" + "".join(f"{key:>14}" for key in keys))
    for row in rows:
        print(f"{row['method']:<16}" + "".join(f"{row[key]:>14.3f}" for key in keys))
