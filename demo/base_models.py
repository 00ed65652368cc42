"""The starting model of each tab, shared read-only by every student.

`make pretrain` writes the weights that `aecore.pretrained` finds, however the project is
installed. When a task has them, its tab opens with a model that already works; when it has
none, the tab opens with an untrained model and says so plainly, with the reason. Students never
change these models: fine-tuning starts from a copy, and their results live in their own session
(session.py).
"""

import threading
from dataclasses import dataclass

from aecore import data, pretrained, saving, tasks
from aecore.runtime import keras
from aecore.tasks import Setup


@dataclass(frozen=True)
class BaseModel:
    model: object  # a Keras model: never trained further, never modified
    setup: Setup  # what it was built and trained for
    pretrained: bool  # False: an untrained stand-in, because no weights were found
    label: str  # one line, e.g. "pretrained model"
    note: str  # what the student should know about it


_models: dict[str, BaseModel] = {}
_lock = threading.Lock()


def base_setup(task: str) -> Setup:
    """The starting model's settings (its JSON; no TensorFlow model is loaded), else the task's defaults."""
    try:
        setup = pretrained.setup(task)
        if data.why_unavailable(setup.dataset) is None:
            return setup
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return tasks.new_setup(task)


def base_model(task: str) -> BaseModel:
    """Load (once per process) the pretrained model, or build a seeded untrained stand-in that says why."""
    with _lock:
        if task not in _models:
            _models[task] = _load(task)
        return _models[task]


def _load(task: str) -> BaseModel:
    try:
        model, setup, info = pretrained.load(task)
        seconds = info.get("train_seconds")
        trained = f", trained for {seconds:.0f} s" if isinstance(seconds, (int, float)) else ""
        return BaseModel(model, setup, True, "pretrained model",
                         f"Pretrained weights `{pretrained.path(task).name}` ({setup.dataset}{trained}).")
    except pretrained.NoPretrainedModel as error:
        reason = str(error)
    except (OSError, ValueError, KeyError, TypeError) as error:
        reason = f"{pretrained.path(task)} could not be loaded ({error})"
    from aecore.train import new_model

    setup = tasks.new_setup(task)
    keras().utils.set_random_seed(0)  # the same untrained stand-in on every run
    return BaseModel(new_model(setup), setup, False, "untrained model (no pretrained weights found)",
                     f"**Untrained model**: {reason}. Its results are poor on purpose: press **Train** to teach it.")


def describe_file(task: str) -> str:
    """For logs and tests: where this tab's weights come from."""
    return str(saving.sidecar(pretrained.path(task)))
