"""Section "The code": what the file stores for one held-out image. The quantized code as an image (one
tile per latent channel, or a dense code laid out as a small square), its histogram beside the model's
probability table, and where the bytes go: header, coded symbols, and what they would cost uncoded."""

from dataclasses import dataclass

import gradio as gr
import numpy as np
from matplotlib.figure import Figure

from aecore.evaluate import HELD_OUT_COUNT
from aecore.models import code_as_image
from aecore.tasks.compress import codec, entropy, scoring
from demo import figures
from demo.queues import QUIET
from demo.task_tab.context import TabContext, handler
from demo.tasks.compress.common import model_in_use
from demo.tasks.compress.equal_bytes import example_number

NAME = "codes"
TITLE = "The code: what the file stores"
MAX_TILES = 8  # latent channels drawn (the histogram counts them all)


def code_figure(image: np.ndarray, symbols: np.ndarray, table: np.ndarray) -> Figure:
    """The image, its code's channels as gray tiles (black = 0, white = L-1), and the symbol histogram."""
    levels = table.shape[1]
    height, width, channels = symbols.shape
    tiles = [code_as_image(symbols.ravel().astype(np.float32) / (levels - 1))] if height == width == 1 else \
        [symbols[..., c] / (levels - 1) for c in range(min(channels, MAX_TILES))]
    plot = Figure(figsize=(11, 2.8), layout="constrained")
    grid = plot.add_gridspec(1, len(tiles) + 4)
    axis = plot.add_subplot(grid[0, 0])
    axis.imshow(np.clip(image[..., 0] if image.shape[-1] == 1 else image, 0, 1), cmap="gray", vmin=0, vmax=1,
                interpolation="nearest")
    axis.set_title("image", fontsize=9)
    for index, tile in enumerate(tiles):
        axis = plot.add_subplot(grid[0, 1 + index])
        axis.imshow(tile, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        axis.set_title("dense code" if height == width == 1 else f"channel {index}", fontsize=9)
    for axis in plot.axes:
        axis.set_xticks([])
        axis.set_yticks([])
    histogram = plot.add_subplot(grid[0, len(tiles) + 1:])
    counts = np.bincount(symbols.ravel(), minlength=levels)
    histogram.bar(np.arange(levels), counts, color="tab:red", alpha=0.7, label="this image's symbols")
    histogram.plot(np.arange(levels), table.mean(axis=0) * symbols.size, "k.-", label="model's table (expected)")
    histogram.set_xlabel("symbol (whole number the quantizer kept)")
    histogram.set_ylabel("count")
    histogram.legend(fontsize=8)
    return plot


def codes(session, example=0):
    """(session, figure, note) for held-out image number `example`."""
    model, setup, _, note = model_in_use(session)
    image = scoring.held_out_images(setup.dataset)[example_number(example)]  # (H, W, C)
    data = codec.encode(model, image)
    unpacked = codec.unpack(model, data)
    table = codec.probabilities(model)
    symbols = unpacked.symbols  # (h, w, c)
    levels = table.shape[1]
    ideal = entropy.ideal_bits(symbols, table)
    raw_bytes = symbols.size * np.log2(levels) / 8
    header = unpacked.header
    text = (f"**{len(data)} bytes** = {unpacked.header_bytes} bytes of header (image {header.width}x{header.height}, "
            f"code {'x'.join(map(str, header.latent_shape))}, {header.bits} bits) + {len(data) - unpacked.header_bytes} "
            f"bytes of range-coded symbols. Stored plainly, {symbols.size} symbols of {header.bits} bits would take "
            f"{raw_bytes:.0f} bytes; under the model's table they are worth {ideal:.0f} bits = {ideal / 8:.1f} bytes "
            f"(the coder rounds up to whole 32-bit words). A peaked histogram is cheap: a symbol of probability p "
            f"costs -log2 p bits. {note}")
    return session, code_figure(image, symbols, table), text


def step(task) -> tuple[str, str, str]:
    return ("Look inside", "pick an **Example** and see the code the file stores and its histogram. *Why do "
            "peaked histograms cost fewer bytes?*", task.lesson)


@dataclass
class CodesSection:
    example: gr.Slider
    plot: gr.Plot
    note: gr.Markdown


def build(ctx: TabContext) -> CodesSection:
    name = ctx.task.name
    example = gr.Slider(0, HELD_OUT_COUNT - 1, value=0, step=1, label="Example (held-out image number)",
                        elem_id=f"{name}-code-example")
    plot = figures.Plot(label="The quantized code and its histogram", format="png", elem_id=f"{name}-code")
    note = gr.Markdown()
    step = (handler(ctx.task, codes), [ctx.state, example], [ctx.state, plot, note])
    ctx.refreshers.append(step)
    ctx.openers.append(step)
    return CodesSection(example, plot, note)


def wire(ctx: TabContext, section: CodesSection) -> None:
    run = handler(ctx.task, codes)
    section.example.input(run, [ctx.state, section.example], [ctx.state, section.plot, section.note], **QUIET)
