"""The walk through the latent space, under the latent maps (part of space.py's section, not a section
of its own: it has no NAME). Pick a point (two sliders, a click on a map, or a typed code) and see what
each decoder makes of it, live; and keras-io's manifold grid (plot_latent_space), images decoded over
the whole 2-D plane, for the VAE and the plain autoencoder.

`/vae_decode` is the scripting endpoint: a latent vector in ("0.5, -1.2"), the decoded image out.
"""

import re
from dataclasses import dataclass

import gradio as gr
import numpy as np

from aecore.tasks.vae import latent_space
from demo import session as sessions
from demo.display import as_file
from demo.queues import INFERENCE, PRIVATE, QUIET
from demo.task_tab.context import TabContext, handler
from demo.tasks.vae import common

SLIDER_LIMIT = 4.0  # the sliders' starting range: a VAE's codes stay within about ±3
GRID_COUNT = 15  # images per side of a manifold grid
GRID_WIDTHS = 2.0  # each grid spans the model's codes' mean ± 2 standard deviations on each axis


def point(found: common.Codes, z1: float, z2: float) -> np.ndarray:
    return found.plane.to_latent([float(z1), float(z2)])  # (1, latent_dim)


def describe_point(vector: np.ndarray) -> str:
    shown = ", ".join(f"{value:.2f}" for value in vector[:8])
    return f"({shown}{', …' if len(vector) > 8 else ''})"


def walk(session, z1: float = 0.0, z2: float = 0.0):
    """(session, VAE's image, plain autoencoder's image, caption) for the point (z1, z2) of each model's plane."""
    vae = common.vae(session)
    found = common.codes(vae)
    vector = point(found, z1, z2)
    image = as_file(latent_space.decode(vae.model, vector)[0])
    twin = common.plain(session)
    names = found.plane.names
    text = (f"**{names[0]} = {float(z1):.2f}, {names[1]} = {float(z2):.2f}**: the VAE decodes "
            f"z = {describe_point(vector[0])}.")
    if twin is None:
        return session, image, None, text + " (No plain autoencoder yet: train one above.)"
    plain_vector = point(common.codes(twin), z1, z2)
    text += (f" The plain autoencoder decodes the same point of its own plane, z = {describe_point(plain_vector[0])}"
             ": does it look like one of the images, or like a blend of nothing?")
    return session, image, as_file(latent_space.decode(twin.model, plain_vector)[0]), text


def picked(task, which: str):
    """A click on a latent map -> the sliders move to that point (then `walk` decodes it). Written out, not
    through `handler()`: Gradio finds the click's SelectData by this function's own annotation."""
    def on_click(session, evt: gr.SelectData, request: gr.Request):
        session = sessions.ensure(session, task.name, request)
        pixels = session.kept.maps.get(which)
        if pixels is None or evt is None or not evt.index:
            return session, gr.skip(), gr.skip()
        z1, z2 = pixels.to_plane(*evt.index[:2])
        return session, round(float(z1), 2), round(float(z2), 2)
    return on_click


def decode_code(session, code: str):
    """The scripting endpoint: a latent vector as text ("0.5, -1.2") -> (session, decoded image)."""
    vae = common.vae(session)
    size = latent_space.latent_size(vae.model)
    try:
        values = [float(part) for part in re.split(r"[\s,;]+", (code or "").strip().strip("[]()")) if part]
    except ValueError:
        raise ValueError(f"A code is {size} numbers separated by commas, e.g. "
                         f"{', '.join(['0.5', '-1.2', '0'][:size] + ['0'] * max(0, size - 3))}; got {code!r}") from None
    if len(values) != size:
        raise ValueError(f"This model's code has {size} numbers; you gave {len(values)}.")
    return session, as_file(latent_space.decode(vae.model, np.array(values, np.float32))[0])


def grids(session):
    """(session, VAE's manifold grid, plain autoencoder's or None, caption, slider ranges x2)."""
    vae = common.vae(session)
    found = common.codes(vae)
    extent = latent_space.spans(found.points, GRID_WIDTHS)
    pictures = [as_file(latent_space.manifold(vae.model, found.plane, extent, GRID_COUNT))]
    lines = [f"VAE: {found.plane.names[0]} from {extent[0][0]:.1f} to {extent[0][1]:.1f} (left to right), "
             f"{found.plane.names[1]} from {extent[1][0]:.1f} to {extent[1][1]:.1f} (bottom to top)."]
    low, high = -SLIDER_LIMIT, SLIDER_LIMIT
    twin = common.plain(session)
    if twin is None:
        pictures.append(None)
    else:
        plain_found = common.codes(twin)
        plain_extent = latent_space.spans(plain_found.points, GRID_WIDTHS)
        pictures.append(as_file(latent_space.manifold(twin.model, plain_found.plane, plain_extent, GRID_COUNT)))
        lines.append(f"Plain autoencoder: from {plain_extent[0][0]:.1f} to {plain_extent[0][1]:.1f} and from "
                     f"{plain_extent[1][0]:.1f} to {plain_extent[1][1]:.1f}: its codes have no agreed scale.")
        low = min(low, *(side[0] for side in plain_extent))
        high = max(high, *(side[1] for side in plain_extent))
    ranges = gr.update(minimum=np.floor(low), maximum=np.ceil(high))
    return (session, *pictures, " ".join(lines) + f" Each grid is {GRID_COUNT} x {GRID_COUNT} decoded points, "
            f"over its own codes' mean ± {GRID_WIDTHS:g} standard deviations.", ranges, ranges)


@dataclass
class WalkSection:
    z1: gr.Slider
    z2: gr.Slider
    vae: gr.Image
    plain: gr.Image
    text: gr.Markdown
    code: gr.Textbox
    decode: gr.Button
    decoded: gr.Image
    vae_grid: gr.Image
    plain_grid: gr.Image
    grid_text: gr.Markdown


def build(ctx: TabContext) -> WalkSection:
    name = ctx.task.name
    gr.Markdown("### Walk the space\nMove **z1** and **z2**, or click a point on a map: both decoders draw it.")
    with gr.Row():
        with gr.Column(scale=1, min_width=240):
            z1 = gr.Slider(-SLIDER_LIMIT, SLIDER_LIMIT, value=0.0, step=0.05, label="z1", elem_id=f"{name}-z1")
            z2 = gr.Slider(-SLIDER_LIMIT, SLIDER_LIMIT, value=0.0, step=0.05, label="z2", elem_id=f"{name}-z2")
            text = gr.Markdown()
        vae = gr.Image(label="VAE decodes the point", interactive=False, format="png", height=200, scale=1,
                       elem_classes="pixelated", elem_id=f"{name}-walk")
        plain = gr.Image(label="Plain autoencoder decodes the point", interactive=False, format="png", height=200,
                         scale=1, elem_classes="pixelated")
        with gr.Column(scale=1, min_width=240):
            code = gr.Textbox("0, 0", label="Or type a whole code (the API's /vae_decode)", max_lines=1)
            decode = gr.Button("Decode", size="sm")
            decoded = gr.Image(label="Decoded code", interactive=False, format="png", height=120,
                               elem_classes="pixelated")
    gr.Markdown("### The manifold grid\nImages decoded over the whole plane, as keras-io's `plot_latent_space` draws "
                "them.")
    with gr.Row():
        vae_grid = gr.Image(label="VAE: the manifold grid", interactive=False, format="png", elem_classes="pixelated",
                            elem_id=f"{name}-manifold")
        plain_grid = gr.Image(label="Plain autoencoder: the manifold grid", interactive=False, format="png",
                              elem_classes="pixelated")
    grid_text = gr.Markdown()
    section = WalkSection(z1, z2, vae, plain, text, code, decode, decoded, vae_grid, plain_grid, grid_text)
    grid_step = (handler(ctx.task, grids), [ctx.state], [ctx.state, vae_grid, plain_grid, grid_text, z1, z2])
    walk_step = (handler(ctx.task, walk), [ctx.state, z1, z2], [ctx.state, vae, plain, text])
    ctx.follow(common.PLAIN_TRAINED, grid_step, walk_step)  # their plain halves too
    ctx.openers += [grid_step, walk_step]
    ctx.refreshers += [grid_step, walk_step]
    return section


def wire(ctx: TabContext, section: WalkSection, maps: dict) -> None:
    """`maps`: {"vae": image, "plain": image}, the latent maps whose clicks pick a point."""
    task = ctx.task
    run = handler(task, walk)
    io = ([ctx.state, section.z1, section.z2], [ctx.state, section.vae, section.plain, section.text])
    for slider in (section.z1, section.z2):
        slider.input(run, *io, **QUIET)  # `input`: only the student's moves, never a programmatic update
    for which, image in maps.items():
        image.select(picked(task, which), [ctx.state], [ctx.state, section.z1, section.z2],
                     **PRIVATE, **INFERENCE).then(run, *io, **PRIVATE, **INFERENCE)
    section.decode.click(handler(task, decode_code), [ctx.state, section.code], [ctx.state, section.decoded],
                         api_name=f"{task.name}_decode", **INFERENCE)
    section.code.submit(handler(task, decode_code), [ctx.state, section.code], [ctx.state, section.decoded],
                        **PRIVATE, **INFERENCE)
