"""Section "Model": the family and its settings, and a live table of per-layer shapes, the parameter
count, the bottleneck and the compression ratio."""

import json
from dataclasses import dataclass

import gradio as gr
import numpy as np
import pandas as pd

from aecore import models
from aecore.shared_cache import shared_cache
from aecore.tasks import Setup
from demo.queues import PRIVATE, QUIET
from demo.task_tab import controls
from demo.task_tab.context import TabContext, handler

TITLE = "Model"
HEADERS = ["layer", "type", "output shape", "parameters"]


@shared_cache(maxsize=64)
def _describe(setup_json: str) -> models.ModelSummary:
    """Build the model (untrained) and read its layers; cached, since sliders fire often."""
    from aecore.train import new_model

    setup = Setup.from_json(json.loads(setup_json))
    model = new_model(setup)
    return models.describe(model, (*setup.image_shape[:2], model.input_shape[-1]))  # (H, W, model's channels)


def architecture(setup: Setup) -> tuple[pd.DataFrame, str]:
    """The per-layer table and a one-paragraph summary: parameters, bottleneck, compression."""
    summary = _describe(json.dumps(setup.to_json(), sort_keys=True))
    table = pd.DataFrame(summary.table(), columns=HEADERS)
    size = int(np.prod(summary.bottleneck_shape))
    inputs = int(np.prod(summary.input_shape))
    where = f" (layer `{summary.bottleneck_layers[0]}`)" if summary.bottleneck_layers else ""
    text = (f"**{summary.total_params:,} parameters.** The input is {' x '.join(map(str, summary.input_shape))} "
            f"= {inputs:,} numbers; the bottleneck{where} is {' x '.join(map(str, summary.bottleneck_shape))} = "
            f"{size:,} numbers: **compression x{summary.compression:.2f}** "
            f"({'the code is smaller than the image' if summary.compression > 1 else 'the code is not smaller than the image'}).")
    if "skip" in setup.model.family.fields and setup.model.skip:
        text += " With skip connections, detail also flows *around* the bottleneck, so it need not hold everything."
    return table, text


def step(task) -> tuple[str, str, str]:
    return ("Design", "choose the architecture: the table shows each layer's shape, the bottleneck and the "
            "compression. *How small can the code get?*", "autoencoders")


@dataclass
class ModelSection:
    text: gr.Markdown
    table: gr.Dataframe


def build(ctx: TabContext) -> ModelSection:
    controls.model_controls(ctx.settings, ctx.default.model, ctx.default.image_shape)
    text = gr.Markdown()
    table = gr.Dataframe(headers=HEADERS, interactive=False, max_height=320, label="Architecture",
                         elem_id=f"{ctx.task.name}-architecture")
    return ModelSection(text, table)


def wire(ctx: TabContext, section: ModelSection) -> None:
    settings = ctx.settings

    sliders = [settings.model[name] for name in controls.MODEL_SLIDERS]

    def changed_by(moved: str):
        def changed(session, *values):
            """A model control moved: the other sliders follow what the family allows, the settings are stored
            and the architecture summary is drawn again."""
            values, ranges, note = controls.fit_model_ranges(settings, list(values), moved,
                                                             settings.image_shape(values, ctx.default))
            try:
                session.wanted = ctx.read(values)
            except ValueError as error:
                gr.Warning(str(error))
                return session, gr.skip(), gr.skip(), *ranges
            table, text = architecture(session.wanted)
            return session, table, f"*{note}*\n\n{text}" if note else text, *ranges
        return changed

    for name, control in settings.model.items():
        ctx.after_settings(control.input(handler(ctx.task, changed_by(name)), ctx.settings_inputs,
                                         [ctx.state, section.table, section.text, *sliders], **QUIET))
    kind = settings.model["kind"]
    kind.input(controls.kind_changed, kind, [settings.model[name] for name in controls.MODEL_CONTROLS],
               queue=False, **PRIVATE)
    ctx.openers.append((handler(ctx.task, lambda session: (session, *architecture(session.wanted))), [ctx.state],
                        [ctx.state, section.table, section.text]))
