"""Section "Data and corruption": the dataset and the corruption with its sliders, and a live preview
of clean held-out images above their corrupted copies."""

from dataclasses import dataclass

import gradio as gr
import numpy as np

from aecore import corruptions, data
from aecore.images import match_channels
from aecore.tasks import Setup, make_pairs
from demo.display import as_file, for_display, status_html
from demo.queues import PRIVATE, QUIET
from demo.task_tab import controls
from demo.task_tab.context import TabContext, handler

TITLE = "Data and corruption"
PREVIEW_COUNT = 6  # held-out images in the preview row


def preview(setup: Setup) -> list[tuple[np.ndarray, str]]:
    """Gallery items: a row of clean held-out images above the same images corrupted."""
    clean = data.to_float(data.load(setup.dataset).x_test[:PREVIEW_COUNT])  # (6, H, W, C)
    corrupted = make_pairs(setup, clean, seed=0).corrupted.images  # (6, H, W, C or 1)
    channels = clean.shape[-1]
    top = [(as_file(for_display(image)), "clean") for image in clean]
    bottom = [(as_file(for_display(match_channels(image, channels))), f"{setup.corruption.replace('_', ' ')}")
              for image in corrupted]
    return top + bottom


def step(task) -> tuple[str, str, str]:
    from aecore import corruptions

    corruption = corruptions.get(task.corruptions[0])
    knobs = [("choose" if p.choices else "move", p.title) for p in (*corruption.params, *task.options)]
    knob = f"{knobs[0][0]} **{knobs[0][1]}**" if knobs else "look"
    return ("Corrupt", f"pick a **Dataset**, {knob} and watch the preview: clean images on top, corrupted below. "
            "*Which settings make the task hard?*", task.lesson)


@dataclass
class DataSection:
    preview: gr.Gallery


def build(ctx: TabContext) -> DataSection:
    controls.data_controls(ctx.settings, ctx.default)
    gallery = gr.Gallery(label="Preview: clean held-out images above, the same images corrupted below",
                         columns=PREVIEW_COUNT, format="png", height="auto", object_fit="contain",
                         allow_preview=False, elem_id=f"{ctx.task.name}-preview")
    return DataSection(gallery)


def slider_limits(settings, values: list) -> tuple[list, list, str]:
    """The corruption sliders' ranges for the chosen dataset's image size (stripes: fewer than its rows),
    values clamped into them: (control updates, clamped values, a note saying what was lowered)."""
    named = dict(zip(settings.components, values))
    shape = data.spec(named.get(settings.dataset, settings.task.dataset)).image_shape
    updates, notes = [], []
    for (owner, name), control in settings.params.items():
        param = next(p for p in corruptions.get(owner).params if p.name == name)
        if param.choices:  # radio buttons (a downscale factor of 2, 3 or 4): no range to fit
            updates.append(gr.skip())
            continue
        high = min(param.high, corruptions.get(owner).highest(shape).get(name, param.high))
        value = named[control]
        if value is not None and value > high:
            notes.append(f"{param.title} lowered to {high}: {shape[1]}x{shape[0]} images allow no more")
            named[control] = high
        updates.append(gr.update(maximum=high, value=named[control]))
    return updates, [named[c] for c in settings.components], "; ".join(notes)


def wire(ctx: TabContext, section: DataSection) -> None:
    settings = ctx.settings
    sliders = list(settings.params.values())
    model_sliders = [settings.model[name] for name in controls.MODEL_SLIDERS if name in settings.model]
    train = ctx.sections.get("train")  # its status line says what moved, and why, where a toast would vanish
    status = [train.status] if train is not None else []

    def changed(session, *values):
        """A data or corruption control moved: fit the sliders (the corruption's and the model's) to the data, store
        the settings, redraw the preview."""
        updates, values, note = slider_limits(settings, list(values))
        model_updates = [gr.skip()] * len(model_sliders)
        if model_sliders:
            values, model_updates, model_note = controls.fit_model_ranges(settings, values, None,
                                                                          settings.image_shape(values, ctx.default))
            note = "; ".join(part for part in (note, model_note) if part)
        said = [status_html(note) if note else gr.skip()] * len(status)
        try:
            session.wanted = ctx.read(values)
        except ValueError as error:
            gr.Warning(str(error))
            return session, gr.skip(), gr.update(value=session.wanted.dataset), *updates, *model_updates, *said
        return session, preview(session.wanted), gr.skip(), *updates, *model_updates, *said

    for control in settings.data_components:
        ctx.after_settings(control.input(handler(ctx.task, changed), ctx.settings_inputs,
                                         [ctx.state, section.preview, settings.dataset, *sliders, *model_sliders,
                                          *status], **QUIET))
    settings.corruption.input(lambda name: controls.corruption_changed(settings, name), settings.corruption,
                              [settings.corruption, *settings.params.values()], queue=False, **PRIVATE)
    ctx.openers.append((handler(ctx.task, lambda session: (session, preview(session.wanted))), [ctx.state],
                        [ctx.state, section.preview]))
