"""Section "Sample": draw codes from N(0, I) and decode them, a grid of new images; the plain
autoencoder's decoder, fed the very same codes, shows why a plain autoencoder is not a generative model:
nothing asked its codes to look like N(0, I), so random codes land in its holes."""

from dataclasses import dataclass

import gradio as gr

from aecore.tasks.vae import latent_space
from demo.display import as_file
from demo.queues import INFERENCE, PRIVATE
from demo.task_tab import hero
from demo.task_tab.context import TabContext, handler
from demo.tasks.vae import common

NAME = "vae_sample"
TITLE = "Sample"
COUNTS = (16, 36, 64)  # square grids


def sample(session, seed: float = 0, count: float = COUNTS[0]):
    """(session, the VAE's samples, the plain autoencoder's decodes of the same codes or None, caption)."""
    seed, count = int(seed), int(count)
    if count not in COUNTS:
        raise ValueError(f"Draw one of {list(COUNTS)} samples, not {count}.")
    vae = common.vae(session)
    size = latent_space.latent_size(vae.model)
    codes = latent_space.standard_normal(count, size, seed)  # (count, latent_dim)
    picture = as_file(latent_space.tile(latent_space.decode(vae.model, codes)))
    twin = common.plain(session)
    text = f"{count} codes drawn from N(0, I) with seed {seed}, each {size} numbers"
    if twin is None:
        return session, picture, None, (text + ". (No plain autoencoder yet: press **Train the plain autoencoder** "
                                        "in *Latent space*.)")
    if latent_space.latent_size(twin.model) != size:
        return session, picture, None, text + ". The plain autoencoder's code has another size."
    plain_picture = as_file(latent_space.tile(latent_space.decode(twin.model, codes)))
    return session, picture, plain_picture, text + ", decoded by both: *which grid holds new images?*"


def picture_row(session, shown: list[tuple], example: int) -> list[tuple]:
    """The tab's first screen shows its idea (hero.IDEA_ROWS): the map of held-out codes, images decoded from
    random codes (seed: the example number), then the held-out example and its reconstruction."""
    vae = common.vae(session)
    found = common.codes(vae)
    picture, _ = common.draw_map(found, "codes of held-out images", common.accuracy(found))
    size = latent_space.latent_size(vae.model)
    samples = latent_space.tile(latent_space.decode(vae.model, latent_space.standard_normal(16, size, example)))
    return [("map", picture, {"caption": f"Latent map: {len(found.points)} held-out codes"}),
            ("samples", samples, {"caption": "16 new images from random codes"})] + \
        [entry for entry in shown if entry[0] in ("clean", "autoencoder")]


hero.IDEA_ROWS[NAME] = picture_row


def step(task) -> tuple[str, str, str]:
    return ("Sample", "press **Draw**: random codes from N(0, I), decoded by the VAE and by the plain autoencoder. "
            "*Which one invents garments, and which one draws noise or blends?*", task.lesson)


@dataclass
class SampleSection:
    seed: gr.Number
    count: gr.Radio
    button: gr.Button
    vae: gr.Image
    plain: gr.Image
    text: gr.Markdown


def build(ctx: TabContext) -> SampleSection:
    name = ctx.task.name
    with gr.Row():
        seed = gr.Number(0, label="Seed", precision=0, minimum=0, maximum=2**31 - 1, scale=0, min_width=120)
        count = gr.Radio(list(COUNTS), value=COUNTS[0], label="How many", scale=0, min_width=200)
        button = gr.Button("Draw", variant="primary", scale=0, min_width=120, elem_id=f"{name}-sample")
        text = gr.Markdown()
    with gr.Row():
        vae = gr.Image(label="VAE: decoded samples", interactive=False, format="png", elem_classes="pixelated",
                       elem_id=f"{name}-samples")
        plain = gr.Image(label="Plain autoencoder: the same codes", interactive=False, format="png",
                         elem_classes="pixelated")
    step = (handler(ctx.task, sample), [ctx.state, seed, count], [ctx.state, vae, plain, text])
    ctx.follow(common.PLAIN_TRAINED, step)  # its plain half is drawn once a plain autoencoder is trained
    ctx.openers.append(step)
    ctx.refreshers.append(step)
    return SampleSection(seed, count, button, vae, plain, text)


def wire(ctx: TabContext, section: SampleSection) -> None:

    def draw_again(session, seed: float = 0, count: float = COUNTS[0]):
        seed = int(seed) + 1  # every press draws new codes; the box shows the seed they came from
        return (*sample(session, seed, count), seed)

    outputs = [ctx.state, section.vae, section.plain, section.text]
    section.button.click(handler(ctx.task, draw_again), [ctx.state, section.seed, section.count],
                         [*outputs, section.seed], **PRIVATE, **INFERENCE)
    section.count.input(handler(ctx.task, sample), [ctx.state, section.seed, section.count], outputs,
                        **PRIVATE, **INFERENCE)
