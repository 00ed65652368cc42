"""The starting model of each tab, shared read-only by every student.

`make pretrain` writes assets/pretrained/<task>.keras (+ .json). When it is
there, every tab opens with a model that already works; when it is not, the tab
opens with an untrained model and says so. Students never change these models:
fine-tuning starts from a copy (`copy_model`), and their results live in their
own session (session.py).
"""

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from aecore import data, saving, tasks
from aecore.runtime import keras
from aecore.tasks.task import Setup

PRETRAINED_DIR = Path(__file__).resolve().parents[1] / "assets" / "pretrained"


@dataclass(frozen=True)
class BaseModel:
    model: object  # a Keras model: never trained further, never modified
    setup: Setup  # what it was built and trained for
    pretrained: bool  # False: an untrained stand-in, because no weights were found
    label: str  # one line, e.g. "pretrained model (assets/pretrained/denoise.keras)"
    note: str  # what the student should know about it


_models: dict[str, BaseModel] = {}
_lock = threading.Lock()


def weights_path(task: str) -> Path:
    return PRETRAINED_DIR / f"{task}.keras"


def base_setup(task: str) -> Setup:
    """The starting model's settings, read from its JSON (cheap: no TensorFlow model is loaded)."""
    sidecar = saving.sidecar(weights_path(task))
    try:
        setup = Setup.from_json(json.loads(sidecar.read_text())["setup"])
        if data.why_unavailable(setup.dataset) is None:
            return setup
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return tasks.new_setup(task)


def base_model(task: str) -> BaseModel:
    """Load (once per process) the pretrained model, or build a seeded untrained stand-in."""
    with _lock:
        if task not in _models:
            _models[task] = _load(task)
        return _models[task]


def _load(task: str) -> BaseModel:
    path = weights_path(task)
    if path.is_file():
        try:
            model, setup, info = saving.load(path)
            seconds = info.get("train_seconds")
            trained = f", trained for {seconds:.0f} s" if isinstance(seconds, (int, float)) else ""
            return BaseModel(model, setup, True, "pretrained model",
                             f"Pretrained weights from `assets/pretrained/{task}.keras` ({setup.dataset}{trained}).")
        except (OSError, ValueError, KeyError, TypeError) as error:
            reason = f"`assets/pretrained/{task}.keras` could not be loaded ({error})"
    else:
        reason = f"no pretrained weights yet (`make pretrain` writes `assets/pretrained/{task}.keras`)"
    from aecore.train import new_model

    setup = tasks.new_setup(task)
    keras().utils.set_random_seed(0)  # the same untrained stand-in on every run
    return BaseModel(new_model(setup), setup, False, "untrained model",
                     f"**Untrained model**: {reason}. Its results are poor on purpose: press **Train** to teach it.")


def copy_model(model):
    """A trainable copy with the same weights, so fine-tuning never touches a shared model."""
    copy = keras().models.clone_model(model)
    copy.set_weights(model.get_weights())
    return copy
