"""The starting model of each tab, shared read-only by every student.

`make pretrain` writes the weights that `aecore.pretrained` finds, however the project is
installed. When a task has them, its tab opens with a model that already works; when it has
none, the tab opens with an untrained model and says so plainly, with the reason. Students never
change these models: fine-tuning starts from a copy, and their results live in their own session
(session.py).
"""

import dataclasses
import threading
from dataclasses import dataclass, field

from aecore import data, photo_model, pretrained, tasks
from aecore.runtime import keras
from aecore.tasks import Setup


@dataclass(frozen=True)
class BaseModel:
    model: object  # a Keras model: never trained further, never modified
    setup: Setup  # what it was built and trained for
    pretrained: bool  # False: an untrained stand-in, because no weights were found
    label: str  # one line, e.g. "pretrained model"
    note: str  # what the student should know about it
    companions: dict = field(default_factory=dict)  # what its objective trained beside it (a GAN's discriminator)


_models: dict[str, BaseModel] = {}
_locks: dict[str, threading.Lock] = {}  # one per task: loading one tab's model never holds up another's
_lock = threading.Lock()  # guards _locks


def on_data_here(setup: Setup) -> Setup:
    """`setup` on data this server has: a missing dataset is replaced by one of the same shape (data.stand_in)."""
    here = data.stand_in(setup.dataset)
    return setup if here == setup.dataset else dataclasses.replace(setup, dataset=here)


def missing_data_note(setup: Setup) -> str:
    """One sentence when the tab's own data is missing here and another stands in for it; else ""."""
    wanted = tasks.get(setup.task).dataset
    here = data.stand_in(wanted)
    if here == wanted:
        return ""
    install = data.spec(wanted).install
    how = f"`{install}` (or `make demo`) adds it" if install else data.why_unavailable(wanted)
    return f" This tab's own data, {wanted}, is not on this server, so it uses {here} instead: {how}."


def base_setup(task: str) -> Setup:
    """The starting model's settings (its JSON; no TensorFlow model is loaded), else the task's defaults;
    on data this server has."""
    try:
        return on_data_here(pretrained.setup(task))
    except (OSError, ValueError, KeyError, TypeError):
        return tasks.new_setup(task, dataset=data.stand_in(tasks.get(task).dataset))


def base_model(task: str) -> BaseModel:
    """Load (once per process) the pretrained model, or build a seeded untrained stand-in that says why."""
    with _lock:
        lock = _locks.setdefault(task, threading.Lock())
    with lock:
        if task not in _models:
            _models[task] = _load(task)
        return _models[task]


def warm_up(names: list[str]) -> threading.Thread:
    """In the background, load every tab's model and restore one made-up 256x256 picture with it.

    A restore's first call builds the model's inference graph (about a second). Without this, the
    first students of a lesson, all clicking at once, wait for each tab's model to load and trace
    (measured with `make load`: the slowest 5% of a class's restores were all its first ones, 6-8 s).
    """
    def work():
        import numpy as np

        from aecore.restore import restore

        rows, columns = np.mgrid[0:256, 0:256] / 255.0  # (256, 256): smooth ramps, some colour
        picture = np.stack([rows, columns, (rows + columns) / 2], axis=-1)  # (256, 256, 3)
        for name in names:
            try:
                base = base_model(name)
                restore(base.model, base.setup, picture)
                model, setup, _ = photo_model.choose(name, base.model, base.setup, picture)
                if model is not base.model:  # the task's model for photographs: the first colour upload's
                    restore(model, setup, picture)
            except Exception:  # noqa: BLE001  (a tab that fails here says why when a student opens it)
                continue

    thread = threading.Thread(target=work, name="warm-up", daemon=True)
    thread.start()
    return thread


def _load(task: str) -> BaseModel:
    try:
        model, setup, info = pretrained.load(task)
        seconds = info.get("train_seconds")
        trained = f", trained for {seconds:.0f} s" if isinstance(seconds, (int, float)) else ""
        variant = tasks.get(task).photo_model
        photos = " A photo goes to its photo model, made for photographs." if variant else ""
        note = f"Pretrained weights (trained on {setup.dataset}{trained}).{photos}"
        setup = on_data_here(setup)
        return BaseModel(model, setup, True, "pretrained model", note + missing_data_note(setup),
                         pretrained.companions(task))
    except pretrained.NoPretrainedModel as error:
        reason = str(error)
    except (OSError, ValueError, KeyError, TypeError) as error:
        reason = f"{pretrained.path(task)} could not be loaded ({error})"
    from aecore.train import new_model

    setup = base_setup(task)
    keras().utils.set_random_seed(0)  # the same untrained stand-in on every run
    return BaseModel(new_model(setup), setup, False, "untrained model (no pretrained weights found)",
                     f"**Untrained model**: {reason}. Its results are poor on purpose: press **Train** to teach it."
                     + missing_data_note(setup))
