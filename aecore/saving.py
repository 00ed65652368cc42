"""Save and load a trained task model: `name.keras` plus `name.json` (its Setup, metrics, training facts)."""

import json
from pathlib import Path

from aecore.runtime import keras
from aecore.tasks.setup import Setup


def sidecar(path: str | Path) -> Path:
    return Path(path).with_suffix(".json")


def save(model, setup: Setup, path: str | Path, **info) -> Path:
    """Write the model and its JSON; `info` (e.g. metrics, seconds) is stored alongside the setup."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"a model file must end in .keras, got {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    sidecar(path).write_text(json.dumps({"setup": setup.to_json(), **info}, indent=2, default=float))
    return path


def load(path: str | Path):
    """(model, setup, info). safe_mode stays on: our models contain no Lambda layers.

    The model comes back uncompiled: training compiles it with the task's objective anyway.
    """
    import aecore.losses  # noqa: F401  (registers the project's losses, named in the saved training config)
    import aecore.models  # noqa: F401  (registers PixelShuffle and every family's layers for deserialization)

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {path}")
    if not sidecar(path).is_file():
        raise FileNotFoundError(f"{path.name} has no settings file beside it ({sidecar(path).name})")
    info = json.loads(sidecar(path).read_text())
    setup = Setup.from_json(info.pop("setup"))
    return keras().models.load_model(path, safe_mode=True, compile=False), setup, info
