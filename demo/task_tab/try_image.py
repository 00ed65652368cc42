"""Section "Try your own image", and the tab's scripting endpoint.

`restore` is the API endpoint named after the task (`/denoise`, `/colorize`, ...): image in,
restored image and a metrics dict out, using the caller's own model and settings. On the tabs
whose task lets the student paint the damage (inpainting: the holes; shadow removal: the
shadow) an image editor takes the image, and the painted layer becomes the mask.
"""

from dataclasses import dataclass

import gradio as gr
import numpy as np

from aecore import data, evaluate, metrics, photo_model, tasks, restore as restoring
from aecore.metrics import METRICS
from aecore.images import match_channels, shrink_to, to_float_image, working_size
from demo.display import as_file, caption, finite, for_display, method_title
from demo.queues import INFERENCE, PRIVATE
from demo.uploads import PhotoEditor, PhotoUpload, check_on_arrival
from demo.task_tab.context import TabContext, handler

TITLE = "Try your own image"
PICTURE_HEIGHT = 320  # px: small images are shown enlarged (pixelated), never resized for computation
PHOTO_LABEL = "Use the photo model for a photo (the tab's model is for small gray images)"


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
        raise ValueError(f"The mask is {mask.shape[1]}x{mask.shape[0]} pixels but the image is "
                         f"{image_shape[1]}x{image_shape[0]}; they must be the same size.")
    damaged = mask > (127 if mask.dtype == np.uint8 else 0.5)
    return damaged if damaged.any() else None


def restore(task, session, image, apply_corruption: bool = True, mask=None, use_photo_model: bool = True):
    """Restore one image with the caller's model (or, for a photo, the task's photo model unless
    `use_photo_model` is False): returns (session, restored image, metrics)."""
    from demo.tasks import tab_of  # here: the application packages import this module

    if image is None:
        raise ValueError("Give an image first: upload one, use the webcam, or press 'Load a test image'.")
    current = session.in_use()
    setup, _ = session.evaluation_setup()
    mask = as_mask(mask, np.asarray(image).shape)
    try:
        model, setup, chosen = photo_model.choose(task.name, current.model, setup, to_float_image(image),
                                                  bool(use_photo_model), own=session.own is not None)
        result = restoring.restore(model, setup, image, corrupt=bool(apply_corruption), seed=0, mask=mask)
    except ValueError as error:
        raise ValueError(f"This image cannot be restored: {error}") from None
    session.restoration = result
    corruption = ({"name": "painted mask"} if mask is not None else
                  {"name": setup.corruption, "params": setup.params}) if apply_corruption else None
    unchanged = bool(result.scores) and apply_corruption and mask is None and \
        result.scores["corrupted"]["psnr"] >= metrics.PSNR_CAP and task.corruptions != ("none",)
    notes = [chosen[:1].upper() + chosen[1:] + "." if chosen else "",
             result.note.capitalize() + "." if result.note else "",
             "" if result.scores else "No clean reference (the image was given already damaged): nothing to score "
                                      "against.",
             f"The corruption left your image unchanged (is it already {'gray' if task.needs_color else 'damaged'}?): "
             f"untick \"{tab_of(task).apply_label}\" to restore it as it is." if unchanged else ""]
    label = current.label if model is current.model else f"pretrained photo model ({task.photo_model})"
    report = {"task": task.name, "model": label, "dataset": setup.dataset,
              "corruption_applied": corruption, "image_shape": list(result.restored.shape),
              "scores": finite(result.scores), "note": " ".join(part for part in notes if part),
              # baselines whose picture is the input itself (the table shows that picture once)
              "same_as_input": sorted(evaluate.copies_of_the_input({"corrupted": result.corrupted,
                                                                     **result.baselines}))}
    if task.report is not None:  # what the task adds, e.g. the image's latent code
        report.update(finite(task.report(model, setup, result)))
    return session, as_file(result.restored), report


def score_table(report: dict) -> str:
    """The report's scores as a small markdown table (the API returns the report itself): one row per distinct
    picture (the corrupted input only where no baseline is the input itself), the best method marked, and
    "identical" where a PSNR is capped (nothing differs: e.g. outside a mask the model kept)."""
    report = report or {}
    scores = dict(report.get("scores") or {})
    lines = [report.get("note") or ""]
    copies = report.get("same_as_input") or []
    if copies:
        scores.pop("corrupted", None)
    if scores:
        names = list(next(iter(scores.values())))
        task = tasks.get(report["task"]) if report.get("task") in tasks.names() else None
        headline = task.headline if task else names[0]
        rated = {method: values.get(headline) for method, values in scores.items()
                 if method != "clean" and values.get(headline) is not None}
        winner = max(rated, key=rated.get) if len(rated) > 1 else None

        def cell(values, name):
            value = values.get(name)
            if value is None:
                return "–"
            if "psnr" in name and value >= metrics.PSNR_CAP:
                return "identical"
            return f"{value:.{METRICS.get(name).digits if name in METRICS else 2}f}"

        lines += ["", "| method | " + " | ".join(METRICS.get(n).title if n in METRICS else n for n in names) + " |",
                  "|---|" + "---|" * len(names)]
        for method, values in scores.items():
            title = method_title(method, task) + (" (the input)" if method in copies else "")
            title = f"**{title} ★ best**" if method == winner else title
            lines.append(f"| {title} | " + " | ".join(cell(values, n) for n in names) + " |")
    return "\n".join(lines)


def restore_painted(task, session, editor: dict | None, apply_corruption: bool = True, use_photo_model: bool = True):
    """The image editor: background = the image, painted layer = the mask (where the damage is, or goes)."""
    if not editor or editor.get("background") is None:
        raise ValueError("Upload an image into the editor (or press 'Load a test image'), then paint on it.")
    mask = painted_mask(editor.get("layers"))
    background = np.asarray(editor["background"])
    if background.ndim == 3 and background.shape[-1] == 4:
        background = background[..., :3]
    if mask is None and not apply_corruption:
        raise ValueError("Paint where the image is damaged, or tick the box above to damage it with random "
                         f"{session.wanted.corruption.replace('_', ' ')}.")
    if mask is not None and mask.shape != background.shape[:2]:
        raise ValueError("The painted layer and the image differ in size; reload the image and paint again.")
    return restore(task, session, background, apply_corruption, None if mask is None else mask.astype(np.uint8) * 255,
                   use_photo_model)


def details(session):
    """Gallery of the last restoration: reference, what the model was given, baselines, autoencoder."""
    result = getattr(session, "restoration", None)
    if result is None:
        return gr.skip()

    def scored(method):
        found = result.scores.get(method, {})
        return caption(method, found.get("psnr"), found.get("ssim"), tasks.get(session.task))

    items = []
    if result.clean is not None:
        items.append((as_file(for_display(result.clean)), scored("clean")))
    copies = evaluate.copies_of_the_input({"corrupted": result.corrupted, **result.baselines})
    if not copies:  # else the baseline that is the input shows it
        items.append((as_file(for_display(result.corrupted)),
                       scored("corrupted") if result.scores else "what the model was given"))
    if result.mask is not None:
        items.append((as_file(for_display(result.mask)), "mask (white = damaged)"))
    for name, image in result.baselines.items():
        items.append((as_file(for_display(image)), scored(name) + (" (the input)" if name in copies else "")))
    items.append((as_file(for_display(result.restored)), scored("autoencoder")))
    if result.everywhere is not None:  # the lesson of keeping what is known: the network repaints intact pixels too
        items.append((as_file(for_display(result.everywhere)), scored(restoring.EVERYWHERE)))
    return gr.update(value=items, visible=True)


PAINT_SIZE = working_size(3000, 4000)  # a 4:3 photo as the editor shows it: the brush before a picture arrives


def brush_for(height: int, width: int) -> gr.Brush:
    """A brush sized to the picture in the editor (its size is in the picture's pixels, so Gradio's fixed 25 paints
    over a whole 28x28 digit in one stroke and is a thin line on a photo): a hole about 1/20 of the picture wide.
    The editor's Brush Size button changes it."""
    return gr.Brush(default_size=max(2, round(min(height, width) / 40)), colors=["#ff00ff"], color_mode="fixed")


def test_image(session, for_editor: bool = False):
    """A random held-out image of the chosen dataset, at its own size."""
    images = data.load(session.wanted.dataset).x_test
    image = images[np.random.default_rng().integers(len(images))]  # (H, W, C) uint8
    image = image[..., 0] if image.shape[-1] == 1 else image
    if for_editor:
        rgb = as_file(match_channels(image[..., None] if image.ndim == 2 else image, 3))
        return session, {"background": rgb, "layers": [], "composite": rgb}
    return session, as_file(image)


def fit_editor(editor: dict | None, brush_size: int | None):
    """A photo bigger than the working size is shrunk to it as soon as it is put in the editor, and the brush is
    sized to the picture; returns the editor's update and the brush size it now has.

    The app restores at most `images.WORKING_PIXELS` anyway, and a 12-megapixel canvas makes the browser
    slow to paint on and to send (each stroke layer is as big as the photo). The editor reports every update as
    a new arrival, so nothing is sent when nothing changes (else this would answer itself forever)."""
    background = None if not editor else editor.get("background")
    if background is None:
        return gr.skip(), gr.skip()
    height, width = np.asarray(background).shape[:2]
    size = working_size(height, width)
    wanted = brush_for(*size)
    if size == (height, width):
        return (gr.skip(), gr.skip()) if wanted.default_size == brush_size else \
            (gr.update(brush=wanted), wanted.default_size)
    image = to_float_image(np.asarray(background)[..., :3] if np.asarray(background).ndim == 3 else background)
    shrunk = as_file(match_channels(shrink_to(image, size), 3))
    gr.Info(f"Your photo is {width}x{height}; it is shown at {size[1]}x{size[0]}, the size the app restores at, "
            "so painting on it stays quick.")
    return gr.update(value={"background": shrunk, "layers": [], "composite": shrunk}, brush=wanted), wanted.default_size


def step(task) -> tuple[str, str, str]:
    from demo.tasks import tab_of  # here: the application packages import this module

    return ("Predict", "press **Load a test image** then **Restore**: the model in use (pretrained when available) "
            f"repairs it, and each method is scored against the clean original. Then {tab_of(task).own_image_hint}.",
            task.lesson)


@dataclass
class TrySection:
    picture: object  # gr.Image, or gr.ImageEditor where the task lets students paint
    apply: gr.Checkbox
    photo: gr.Checkbox  # use the task's photo model for a photo (shown when the task has one)
    load_test: gr.Button
    restore_button: gr.Button
    restored: gr.Image
    details: gr.Gallery
    report: gr.JSON
    table: gr.Markdown


def build(ctx: TabContext) -> TrySection:
    from demo.tasks import tab_of  # here: the application packages import this module

    task = ctx.task
    with gr.Row():
        if task.paint is not None:
            picture = PhotoEditor(type="numpy", label=tab_of(task).paint_label, scale=2,
                                     brush=brush_for(*PAINT_SIZE),
                                     layers=False, transforms=(), format="png", height=PICTURE_HEIGHT,
                                     elem_id=f"{task.name}-editor")
        else:
            picture = PhotoUpload(sources=["upload", "webcam", "clipboard"], type="numpy", format="png", scale=2,
                               label="Your image", height=PICTURE_HEIGHT, elem_id=f"{task.name}-image",
                               elem_classes="pixelated")
        with gr.Column(min_width=220, scale=1):
            apply = gr.Checkbox(True, label=tab_of(task).apply_label)
            photo = gr.Checkbox(True, label=PHOTO_LABEL, visible=bool(task.photo_model), elem_id=f"{task.name}-photo")
            load_test = gr.Button("Load a test image")
            restore_button = gr.Button("Restore", variant="primary", elem_id=f"{task.name}-restore")
        restored = gr.Image(label="Restored (actual pixels, shown enlarged)", format="png", interactive=False,
                            scale=2, height=PICTURE_HEIGHT, elem_id=f"{task.name}-restored", elem_classes="pixelated")
    with gr.Row():
        gallery = gr.Gallery(label="Every method on your image", format="png", columns=3, height="auto",
                             object_fit="contain", visible=False, scale=3, elem_classes="methods")
        with gr.Column(scale=2):
            table = gr.Markdown(elem_id=f"{task.name}-scores", elem_classes="scores")
            with gr.Accordion("What the API returns for this image", open=False):
                report = gr.JSON(label="report", open=True, max_height=360)
    return TrySection(picture, apply, photo, load_test, restore_button, restored, gallery, report, table)


def wire(ctx: TabContext, section: TrySection) -> None:
    task = ctx.task
    load = handler(task, lambda session: test_image(session, for_editor=task.paint is not None))
    section.load_test.click(load, [ctx.state], [ctx.state, section.picture], **PRIVATE, **INFERENCE)
    outputs = [ctx.state, section.restored, section.report]
    stored = ctx.wire_store(section.restore_button.click, **INFERENCE)
    def restore_image(session, image, apply_corruption: bool = True, use_photo_model: bool = True):
        return restore(task, session, image, apply_corruption, None, use_photo_model)

    def restore_masked(session, image, apply_corruption: bool = True, mask=None, use_photo_model: bool = True):
        return restore(task, session, image, apply_corruption, mask, use_photo_model)

    def restore_editor(session, editor, apply_corruption: bool = True, use_photo_model: bool = True):
        return restore_painted(task, session, editor, apply_corruption, use_photo_model)

    # Every upload is checked on arrival: a bad file (a text file named .png, a truncated PNG, a bomb) is refused
    # with its sentence and taken out again, never left as a broken picture.
    # No progress overlay: it would hide the editor's canvas, and a stroke made while it shows is lost.
    arrived = section.picture.upload(check_on_arrival, [section.picture], [section.picture], preprocess=False,
                                     show_progress="hidden", **PRIVATE, **INFERENCE)
    if task.paint is not None:
        brush_size = gr.State(None)  # the editor's brush size, as fit_editor last set it (this browser's)
        arrived.then(fit_editor, [section.picture, brush_size], [section.picture, brush_size],
                     show_progress="hidden", **PRIVATE, **INFERENCE)
        painted = handler(task, restore_editor)
        restoring = stored.success(painted, [ctx.state, section.picture, section.apply, section.photo], outputs,
                                   **PRIVATE, **INFERENCE)
        # The scripting twin: the same action with a plain image and a mask image (white = damaged).
        api_image = PhotoUpload(type="numpy", visible=False, label="image")
        api_mask = PhotoUpload(type="numpy", visible=False, label="mask (white = damaged)")
        gr.Button(visible=False).click(handler(task, restore_masked),
                                       [ctx.state, api_image, section.apply, api_mask, section.photo], outputs,
                                       api_name=task.name, **INFERENCE)
    else:
        restoring = stored.success(handler(task, restore_image),
                                   [ctx.state, section.picture, section.apply, section.photo], outputs,
                                   api_name=task.name, **INFERENCE)
    restoring.success(details, [ctx.state], [section.details], **PRIVATE) \
        .then(score_table, [section.report], [section.table], queue=False, **PRIVATE)
