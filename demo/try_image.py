"""Handlers of the "Try your own image" section, and the tab's scripting endpoint.

`restore` is the API endpoint named after the task (`/denoise`, `/colorize`, ...):
image in, restored image and a metrics dict out, using the caller's own model
and settings. On the tabs whose task lets the student paint the damage (inpainting:
the holes; shadow removal: the shadow) an image editor takes the image, and
`restore_painted` turns the painted layer into the mask.
"""

import gradio as gr
import numpy as np

from aecore import data, restore as restoring
from aecore.images import match_channels
from demo import session as sessions
from demo.display import as_output_image, caption, finite, for_display


def painted_mask(layers: list) -> np.ndarray | None:
    """The editor's painted layers -> (H, W) bool, True where the student painted; None if nothing was."""
    painted = None
    for layer in layers or []:
        layer = np.asarray(layer)
        strokes = layer[..., 3] > 0 if layer.ndim == 3 and layer.shape[-1] == 4 else np.asarray(layer).any(axis=-1)
        painted = strokes if painted is None else painted | strokes
    return painted if painted is not None and painted.any() else None


def as_mask(mask, image_shape: tuple) -> np.ndarray | None:
    """A mask image (white = damaged) -> (H, W) bool matching the image, or a clear error."""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.ndim == 3:
        mask = mask.max(axis=-1)  # any channel
    if mask.shape != tuple(image_shape[:2]):
        raise gr.Error(f"The mask is {mask.shape[1]}x{mask.shape[0]} pixels but the image is "
                       f"{image_shape[1]}x{image_shape[0]}; they must be the same size.")
    damaged = mask > (127 if mask.dtype == np.uint8 else 0.5)
    return damaged if damaged.any() else None


class TryImageHandlers:
    def __init__(self, task):
        self.task = task

    def restore(self, session, request: gr.Request, image, apply_corruption: bool = True, mask=None):
        """Restore one image with the caller's model: returns (session, restored image, metrics)."""
        session = sessions.ensure(session, self.task.name, request)
        if image is None:
            raise gr.Error("Give an image first: upload one, use the webcam, or press 'Load a test image'.")
        current = session.in_use()
        setup, _ = session.evaluation_setup()
        mask = as_mask(mask, np.asarray(image).shape)
        try:
            result = restoring.restore(current.model, setup, image, corrupt=bool(apply_corruption), seed=0, mask=mask)
        except ValueError as error:
            raise gr.Error(f"This image cannot be restored: {error}") from None
        session.restoration = result
        corruption = ({"name": "painted mask"} if mask is not None else
                      {"name": setup.corruption, "params": setup.params}) if apply_corruption else None
        report = {"task": self.task.name, "model": current.label, "dataset": setup.dataset,
                  "corruption_applied": corruption, "image_shape": list(result.restored.shape),
                  "scores": finite(result.scores),
                  "note": "" if result.scores else "No clean reference (the image was given already damaged): "
                                                   "nothing to score against."}
        return session, as_output_image(result.restored), report

    def restore_painted(self, session, request: gr.Request, editor: dict | None, apply_corruption: bool = True):
        """The image editor: background = the image, painted layer = the mask (where the damage is, or goes)."""
        if not editor or editor.get("background") is None:
            raise gr.Error("Upload an image into the editor (or press 'Load a test image'), then paint on it.")
        mask = painted_mask(editor.get("layers"))
        background = np.asarray(editor["background"])
        if background.ndim == 3 and background.shape[-1] == 4:
            background = background[..., :3]
        if mask is None and not apply_corruption:
            raise gr.Error("Paint where the image is damaged, or tick 'Apply the corruption first' to damage it "
                           f"with random {session.wanted.corruption if session else 'damage'}.")
        if mask is not None and mask.shape != background.shape[:2]:
            raise gr.Error("The painted layer and the image differ in size; reload the image and paint again.")
        return self.restore(session, request, background, apply_corruption,
                            None if mask is None else mask.astype(np.uint8) * 255)

    def details(self, session):
        """Gallery of the last restoration: reference, what the model was given, baselines, autoencoder."""
        result = getattr(session, "restoration", None)
        if result is None:
            return gr.skip()
        def scored(method):
            found = result.scores.get(method, {})
            return caption(method, found.get("psnr"), found.get("ssim"))

        items = []
        if result.clean is not None:
            items.append((for_display(result.clean), scored("clean")))
        items.append((for_display(result.corrupted), scored("corrupted") if result.scores else "what the model was given"))
        if result.mask is not None:
            items.append((for_display(result.mask), "mask (white = damaged)"))
        for name, image in result.baselines.items():
            items.append((for_display(image), scored(name)))
        items.append((for_display(result.restored), scored("autoencoder")))
        return gr.update(value=items, visible=True)

    def test_image_for_editor(self, session, request: gr.Request):
        return self.test_image(session, request, for_editor=True)

    def test_image(self, session, request: gr.Request, for_editor: bool = False):
        """A random held-out image of the chosen dataset, at its own size."""
        session = sessions.ensure(session, self.task.name, request)
        images = data.load(session.wanted.dataset).x_test
        image = images[np.random.default_rng().integers(len(images))]  # (H, W, C) uint8
        image = image[..., 0] if image.shape[-1] == 1 else image
        if for_editor:
            rgb = match_channels(image[..., None] if image.ndim == 2 else image, 3)
            return session, {"background": rgb, "layers": [], "composite": rgb}
        return session, image
