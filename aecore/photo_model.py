"""Which model restores a student's picture: the tab's own, or the task's model for photographs.

    model, setup, note = choose("denoise", model, setup, picture)   # the photo model for a photo

Denoising and inpainting open with models for 28x28 gray digits. Such a model, applied to a
phone photo, mostly teaches that it is worse than the classical method beside it. So these tasks
have a second pretrained model, trained on patches of real photographs (`Task.photo_model`, one
of their `pretrained_variants`), and a photo goes to it: the app, the API and the CLI all call
`choose`, and the note it returns says which model was used and how to use the other one.
A model that was itself trained on colour images is always kept. A model the student trained on digits
(`own=True`) is swapped too while they ask for the photo model: the note says so, and unticking the choice
shows what their own model does to a photo.
"""

import threading

import numpy as np

from aecore.images import is_colour
from aecore.tasks import TASKS, Setup

_loaded: dict[str, tuple] = {}  # task -> (model, setup) of its photo model, read once per process
_lock = threading.Lock()


def is_photo(picture: np.ndarray, setup: Setup) -> bool:
    """A colour picture, or one over 4 times the model's training images on its short side (a gray photo
    for a 28x28-digits model): not the kind of image a small gray model was trained on."""
    trained_side = min(setup.image_shape[:2])
    return is_colour(picture) or min(picture.shape[:2]) > 4 * trained_side


def suits_photos(setup: Setup) -> bool:
    """The model was trained on colour images (photographs): it is the right model for a photo."""
    return setup.image_shape[-1] == 3


def photo_model(task: str):
    """(model, setup) of the task's pretrained photo model, loaded once; None if the task has none.

    NoPretrainedModel (a FileNotFoundError) when the task has one but its weights are not here."""
    variant = TASKS.get(task).photo_model
    if not variant:
        return None
    from aecore import pretrained

    with _lock:
        if task not in _loaded:
            model, setup, _ = pretrained.load(task, variant)
            _loaded[task] = (model, setup)
        return _loaded[task]


def choose(task: str, model, setup: Setup, picture: np.ndarray, use_photo_model: bool = True, own: bool = False):
    """(model, setup, note): the photo model for a photo when the given model is for small gray images.

    `picture` is (H, W, C) in [0, 1]. `use_photo_model=False` keeps the given model, and the note offers
    the other one. `own=True` says the given model is the caller's own (a student's): only the note's words
    change. The note is "" when the given model was used and suits the picture."""
    variant = TASKS.get(task).photo_model
    if not variant or suits_photos(setup) or not is_photo(picture, setup):
        return model, setup, ""
    trained_on = f"{setup.image_shape[1]}x{setup.image_shape[0]} gray {setup.dataset}"
    whose = "your model" if own else "the tab's model"
    if not use_photo_model:
        return model, setup, (f"restored with {'your model, trained on' if own else 'the model for'} {trained_on}, "
                              f"as asked; the {task} photo model (trained on photographs) is the one made for a "
                              f"photo like yours")
    from aecore import pretrained

    try:
        found_model, found_setup = photo_model(task)
    except pretrained.NoPretrainedModel as error:
        return model, setup, f"your photo went through the model for {trained_on}: {error}"
    return found_model, found_setup, (f"your image is a photo, so it was restored with the photo model "
                                      f"(trained on {found_setup.dataset}), not {whose} for {trained_on}"
                                      + (" (untick the photo model to see what yours does)" if own else ""))
