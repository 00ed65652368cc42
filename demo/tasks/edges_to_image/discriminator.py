"""Section "What the discriminator sees": the PatchGAN's verdict on every patch, as a heatmap over a real
image, the GAN's picture and the L1-only autoencoder's, for the same edges ("where D thinks it is fake").

The discriminator never sees a whole image at once: each of its outputs judges one patch of the
(edges, image) pair. Red marks the patches it leans to call fake, blue real; the mean over patches is its verdict.
"""

from dataclasses import dataclass

import cv2
import gradio as gr
import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure

from aecore import evaluate
from aecore.tasks.edges_to_image.patchgan import receptive_field
from demo import figures
from demo.queues import QUIET
from demo.task_tab.context import TabContext, handler
from demo.tasks.edges_to_image.common import discriminator_for, generator_title, realness, show

NAME = "discriminator"
TITLE = "What the discriminator sees"
EXAMPLES = evaluate.HELD_OUT_COUNT  # the held-out images every score uses


def overlay(image: np.ndarray, real: np.ndarray, spread: float) -> np.ndarray:
    """(H, W, C) image and (h, w) P(real) -> (H, W, 3): the image in gray under the verdicts, coloured red where
    the discriminator leans "fake" and blue where it leans "real", full colour at 0.5 -/+ `spread`."""
    height, width = image.shape[:2]
    leaning = np.clip(0.5 + (real - 0.5) / (2 * spread), 0.0, 1.0).astype(np.float32)  # 0 fake .. 1 real
    leaning = cv2.resize(leaning, (width, height), interpolation=cv2.INTER_NEAREST)  # (H, W): one block per patch
    colours = colormaps["RdBu"](leaning)[..., :3]  # (H, W, 3)
    gray = np.repeat(image.mean(axis=-1, keepdims=True), 3, axis=-1)  # (H, W, 3)
    return 0.45 * gray + 0.55 * colours


def judged(discriminator, edges: np.ndarray, pictures: dict) -> Figure:
    """Edges, then each picture under the discriminator's patch verdicts, captioned with its mean P(real)."""
    verdicts = {title: realness(discriminator, edges, image[None])[0] for title, image in pictures.items()}  # (h, w)
    # A well-trained GAN leaves its discriminator near chance (0.5) everywhere: stretch the colours to show leanings.
    spread = max(0.02, max(float(np.abs(real - 0.5).max()) for real in verdicts.values()))
    figure = Figure(figsize=(2.4 * (len(pictures) + 1), 3.1), layout="constrained")
    axes = figure.subplots(1, len(pictures) + 1)
    show(axes[0], edges[0], "the edges it is given", 9)
    for axis, (title, image) in zip(axes[1:], pictures.items()):
        real = verdicts[title]
        show(axis, overlay(image, real, spread), f"{title}\nP(real) = {real.mean():.3f}", 9)
    rows, columns = next(iter(verdicts.values())).shape
    patch = receptive_field()
    figure.suptitle(f"{rows}x{columns} verdicts, each on a {patch}x{patch} patch: red leans fake, blue leans real "
                    f"(full colour at P(real) = {0.5 - spread:.2f} and {0.5 + spread:.2f})", fontsize=9)
    return figure


def discriminator_view(session, example=0):
    """(session, figure, text) for one held-out example."""
    current = session.in_use()
    setup, _ = session.evaluation_setup()
    try:
        example = int(np.clip(int(float(example)), 0, EXAMPLES - 1))
    except (TypeError, ValueError):
        raise ValueError(f"The example number must be a whole number from 0 to {EXAMPLES - 1}") from None
    discriminator, source = discriminator_for(current)
    if discriminator is None:
        return session, None, f"No discriminator to show: {source}."
    pairs, reference, _ = evaluate.held_out(setup)
    edges = pairs.inputs[example:example + 1]  # (1, H, W, 1)
    generated = evaluate.predict_images(current.model, setup, pairs)[example]  # (H, W, C)
    pictures = {"Real image": pairs.clean[example], generator_title(setup): generated,
                "L1-only autoencoder": reference["l1_autoencoder"][example]}
    figure = judged(discriminator, edges, pictures)
    text = (f"Judged by **{source}**. It was trained to call real pairs real and the GAN's pictures fake, and "
            "the GAN to fool it: when training goes well the two meet near P(real) = 0.5, so the colours show "
            "where it *leans*. The L1-only autoencoder's pictures it never saw in training. *Which patches give "
            "a picture away, and does it call the real garment real everywhere?*")
    return session, figure, text


def step(task) -> tuple[str, str, str]:
    return ("Judge", "pick an **Example**: the discriminator's verdict on every patch of the real garment, the GAN's "
            "and the L1 model's. *Which patches give the blur away?*", task.lesson)


@dataclass
class DiscriminatorSection:
    example: gr.Slider
    figure: gr.Plot
    text: gr.Markdown


def build(ctx: TabContext) -> DiscriminatorSection:
    name = ctx.task.name
    example = gr.Slider(0, EXAMPLES - 1, value=0, step=1, label="Example (held-out image number)",
                        elem_id=f"{name}-judge-example")
    text = gr.Markdown()
    figure = figures.Plot(label="The discriminator's patch map", format="png", elem_id=f"{name}-patch-map")
    step = (handler(ctx.task, discriminator_view), [ctx.state, example], [ctx.state, figure, text])
    ctx.refreshers.append(step)
    ctx.openers.append(step)
    return DiscriminatorSection(example, figure, text)


def wire(ctx: TabContext, section: DiscriminatorSection) -> None:
    run = handler(ctx.task, discriminator_view)
    section.example.input(run, [ctx.state, section.example], [ctx.state, section.figure, section.text], **QUIET)
