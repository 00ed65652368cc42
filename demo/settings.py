"""Handlers of the "Data and corruption" and "Model" sections: preview, architecture, settings.

Every control change stores the student's validated settings in their session,
so the actions (Train, Compare, Restore) and their API endpoints read them from
there. Bad settings give a warning and leave the previous ones in place.
"""

import functools
import json

import gradio as gr
import numpy as np
import pandas as pd

from aecore import data, models
from aecore.images import match_channels
from aecore.tasks.task import Setup, Task, make_pairs
from demo import pretrained, session as sessions
from demo.controls import DataControls, ModelControls, read_setup
from demo.display import for_display

PREVIEW_COUNT = 6  # held-out images in the preview row


def preview(setup: Setup) -> list[tuple[np.ndarray, str]]:
    """Gallery items: a row of clean held-out images above the same images corrupted."""
    clean = data.to_float(data.load(setup.dataset).x_test[:PREVIEW_COUNT])  # (6, H, W, C)
    corrupted = make_pairs(setup, clean, seed=0).corrupted.images  # (6, H, W, C or 1)
    channels = clean.shape[-1]
    top = [(for_display(image), "clean") for image in clean]
    bottom = [(for_display(match_channels(image, channels)), f"{setup.corruption.replace('_', ' ')}")
              for image in corrupted]
    return top + bottom


@functools.lru_cache(maxsize=64)
def _describe(setup_json: str) -> models.ModelSummary:
    """Build the model (untrained) and read its layers; cached, since sliders fire often."""
    from aecore.train import new_model

    setup = Setup.from_json(json.loads(setup_json))
    model = new_model(setup)
    return models.describe(model, (*setup.image_shape[:2], model.input_shape[-1]))  # (H, W, model's channels)


def architecture(setup: Setup) -> tuple[pd.DataFrame, str]:
    """The per-layer table and a one-paragraph summary: parameters, bottleneck, compression."""
    summary = _describe(json.dumps(setup.to_json(), sort_keys=True))
    table = pd.DataFrame(summary.table(), columns=["layer", "type", "output shape", "parameters"])
    size = int(np.prod(summary.bottleneck_shape))
    inputs = int(np.prod(summary.input_shape))
    text = (f"**{summary.total_params:,} parameters.** The input is {' x '.join(map(str, summary.input_shape))} "
            f"= {inputs:,} numbers; the bottleneck is {' x '.join(map(str, summary.bottleneck_shape))} = {size:,} "
            f"numbers: **compression x{summary.compression:.2f}** "
            f"({'the code is smaller than the image' if summary.compression > 1 else 'the code is not smaller than the image'}).")
    if setup.model.kind == "unet" and setup.model.skip:
        text += " With skip connections, detail also flows *around* the bottleneck, so it need not hold everything."
    return table, text


class SettingsHandlers:
    """The handlers of one tab's settings sections."""

    def __init__(self, task: Task, data_controls: DataControls, model_controls: ModelControls):
        self.task, self.data_controls, self.model_controls = task, data_controls, model_controls
        self.default_model = pretrained.base_setup(task.name).model

    def read(self, values) -> Setup:
        return read_setup(self.task, self.data_controls, self.model_controls, list(values), self.default_model)

    def data_changed(self, session, request: gr.Request, *values):
        """A data or corruption control moved: store the settings and redraw the preview."""
        session = sessions.ensure(session, self.task.name, request)
        try:
            session.wanted = self.read(values)
        except ValueError as error:
            gr.Warning(str(error))
            return session, gr.skip(), gr.update(value=session.wanted.dataset)
        return session, preview(session.wanted), gr.skip()

    def model_changed(self, session, request: gr.Request, *values):
        """A model control moved: store the settings and redraw the architecture summary."""
        session = sessions.ensure(session, self.task.name, request)
        try:
            session.wanted = self.read(values)
        except ValueError as error:
            gr.Warning(str(error))
            return session, gr.skip(), gr.skip()
        return session, *architecture(session.wanted)

    def store(self, session, request: gr.Request, *values):
        """Before an action: the settings must be valid, or the action does not start."""
        session = sessions.ensure(session, self.task.name, request)
        try:
            session.wanted = self.read(values)
        except ValueError as error:
            raise gr.Error(str(error)) from None
        return session

    def first_view(self, session, request: gr.Request):
        """The tab opened: fill the preview, architecture and model status (once per student)."""
        session = sessions.ensure(session, self.task.name, request)
        setup = session.wanted
        try:
            table, text = architecture(setup)
            return session, preview(setup), table, text, session.in_use().note
        except ValueError as error:  # e.g. a dataset that vanished since start-up
            gr.Warning(str(error))
            return session, gr.skip(), gr.skip(), gr.skip(), session.in_use().note
