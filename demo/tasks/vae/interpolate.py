"""Section "Interpolate": two held-out images, their codes, and the images decoded at evenly spaced
points on the straight line between the codes, for the VAE and for the plain autoencoder. The VAE's
path morphs one image into the other; the plain autoencoder's crosses holes on the way."""

from dataclasses import dataclass

import gradio as gr
import numpy as np

from aecore.tasks.vae import latent_space
from demo.display import as_file
from demo.queues import INFERENCE, PRIVATE
from demo.task_tab.context import TabContext, handler
from demo.tasks.vae import common

NAME = "vae_interpolate"
TITLE = "Interpolate"
DEFAULT_PAIR = (0, 1)  # two held-out images of different classes in both labelled datasets


def strip(model: common.Model, first: int, second: int, steps: int) -> np.ndarray:
    """The first image, the decoded path between the two codes (both ends included), the second image."""
    found = common.codes(model)
    path = latent_space.line_between(found.z_mean[first], found.z_mean[second], steps)  # (steps, latent_dim)
    images = np.concatenate([found.clean[first:first + 1], latent_space.decode(model.model, path),
                             found.clean[second:second + 1]])  # (steps + 2, H, W, C)
    return latent_space.tile(images, columns=len(images))


def interpolate(session, first: float = DEFAULT_PAIR[0], second: float = DEFAULT_PAIR[1], steps: float = 8):
    """(session, the VAE's strip, the plain autoencoder's or None, caption)."""
    last = common.CODES_COUNT - 1
    try:
        first, second, steps = int(first), int(second), int(steps)
    except (TypeError, ValueError):
        raise ValueError(f"Pick two held-out images by number, from 0 to {last}.") from None
    if not (0 <= first <= last and 0 <= second <= last):
        raise ValueError(f"Pick two held-out images by number, from 0 to {last}.")
    vae = common.vae(session)
    found = common.codes(vae)
    names = found.class_names
    label = (lambda index: f"#{index}" if found.labels is None else f"#{index} ({names[found.labels[index]]})")
    text = (f"From {label(first)} to {label(second)}: the two originals at the ends, and {steps} images decoded "
            "on the straight line between their codes.")
    twin = common.plain(session)
    plain_strip = None if twin is None else as_file(strip(twin, first, second, steps))
    if twin is None:
        text += " (No plain autoencoder yet: press **Train the plain autoencoder** in *Latent space*.)"
    return session, as_file(strip(vae, first, second, steps)), plain_strip, text


def step(task) -> tuple[str, str, str]:
    return ("Interpolate", "pick two held-out images and press **Interpolate**: the codes between theirs, decoded. "
            "*Which model morphs one into the other through believable images?*", task.lesson)


@dataclass
class InterpolateSection:
    first: gr.Slider
    second: gr.Slider
    steps: gr.Slider
    button: gr.Button
    vae: gr.Image
    plain: gr.Image
    text: gr.Markdown


def build(ctx: TabContext) -> InterpolateSection:
    last = common.CODES_COUNT - 1
    with gr.Row():
        first = gr.Slider(0, last, value=DEFAULT_PAIR[0], step=1, label="From held-out image")
        second = gr.Slider(0, last, value=DEFAULT_PAIR[1], step=1, label="To held-out image")
        steps = gr.Slider(3, 16, value=8, step=1, label="Steps between")
        button = gr.Button("Interpolate", variant="primary", scale=0, min_width=140)
    vae = gr.Image(label="VAE", interactive=False, format="png", elem_classes="pixelated",
                   elem_id=f"{ctx.task.name}-interpolation", height=110)
    plain = gr.Image(label="Plain autoencoder (β = 0)", interactive=False, format="png", elem_classes="pixelated",
                     height=110)
    text = gr.Markdown()
    step = (handler(ctx.task, interpolate), [ctx.state, first, second, steps], [ctx.state, vae, plain, text])
    ctx.follow(common.PLAIN_TRAINED, step)  # its plain half is drawn once a plain autoencoder is trained
    ctx.openers.append(step)
    ctx.refreshers.append(step)
    return InterpolateSection(first, second, steps, button, vae, plain, text)


def wire(ctx: TabContext, section: InterpolateSection) -> None:
    section.button.click(handler(ctx.task, interpolate), [ctx.state, section.first, section.second, section.steps],
                         [ctx.state, section.vae, section.plain, section.text], **PRIVATE, **INFERENCE)
