"""The pretrained models `make pretrain` writes, one per task, that the app and notebooks start from.

    from aecore import pretrained
    model, setup, info = pretrained.load("denoise")     # works after `pip install` too
    pretrained.path("denoise")                          # .../pretrained/denoise.keras

Each file is small (tens of thousands of weights); the JSON beside it records the settings, the
seconds, and the held-out evaluation, so the numbers the app shows can be checked. A missing
file is an error that says so: it is never silently replaced by an untrained model.
"""

import json
from pathlib import Path

from aecore import resources, saving
from aecore.tasks import TASKS, Setup


class NoPretrainedModel(FileNotFoundError):
    """This task has no pretrained weights where the installed package or the checkout keeps them."""


def path(task: str, variant: str = "") -> Path:
    """Where the task's pretrained weights are (or would be); `variant` names another of its models
    (one of `Task.pretrained_variants`, or a part saved beside the model, such as a GAN's "discriminator")."""
    TASKS.get(task)  # an unknown task is a ValueError naming the known ones
    name = f"{task}_{variant}.keras" if variant else f"{task}.keras"
    try:
        return resources.folder("pretrained") / name
    except resources.ResourceMissing:
        return resources.checkout_folder("pretrained") / name


def available(task: str) -> bool:
    return path(task).is_file()


def setup(task: str) -> Setup:
    """The pretrained model's settings, read from its JSON (cheap: no TensorFlow model is loaded)."""
    sidecar = saving.sidecar(path(task))
    if not sidecar.is_file():
        raise NoPretrainedModel(_missing(task))
    return Setup.from_json(json.loads(sidecar.read_text())["setup"])


def load(task: str, variant: str = ""):
    """(model, setup, info) of the task's pretrained model (or `variant`); NoPretrainedModel if it has none here."""
    if not path(task, variant).is_file():
        raise NoPretrainedModel(_missing(task, variant))
    return saving.load(path(task, variant))


def companions(task: str) -> dict:
    """{part: model} that the task's objective trained beside its pretrained model (a GAN's "discriminator"),
    saved next to it by `make pretrain` (each one's sidecar says `part_of`); {} when there are none."""
    main = path(task)
    found = {}
    for file in sorted(main.parent.glob(f"{task}_*.keras")):
        sidecar = saving.sidecar(file)
        if sidecar.is_file() and json.loads(sidecar.read_text()).get("part_of") == main.name:
            found[file.stem[len(task) + 1:]] = saving.load(file)[0]
    return found


def _missing(task: str, variant: str = "") -> str:
    return (f"no pretrained weights for {task!r}{f' ({variant})' if variant else ''} at {path(task, variant)} "
            f"(`make pretrain --tasks {task}` writes them; training in the app starts from scratch meanwhile)")
