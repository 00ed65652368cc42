"""The Lessons tab's interactive widgets: one accordion per operation, below the lesson text.

Every number is computed live by aecore.experiments (nothing is pre-rendered); this file
only lays out controls and turns results into figures (demo/lessons_tab/widget_figures.py).
A widget computes when its accordion is opened and whenever one of its controls changes.
The two buttons that train models share the task tabs' one-at-a-time training queue.
"""

import gradio as gr
import numpy as np

from aecore import experiments, ops, tasks
from aecore.train import TrainingDiverged
from demo import base_models, waiting_line
from demo.figures import Plot
from demo.lessons_tab import widget_figures as figures
from demo.queues import INFERENCE, TRAIN

LIVE = dict(api_visibility="private", show_progress="hidden", trigger_mode="always_last", **INFERENCE)
TRAINING = dict(api_visibility="private", **TRAIN)


def _image_or_digit(image) -> np.ndarray:
    """The student's upload as a small gray image, else a held-out digit."""
    return experiments.small_gray(image) if image is not None else experiments.digit(0)


# Convolution ------------------------------------------------------------------------------------

def conv_view(n, k, stride, padding, dilation, frame):
    """(size note, frame slider, frame figure, arithmetic) for the current controls."""
    n, k, stride, dilation, frame = int(n), int(k), int(stride), int(dilation), int(frame)
    try:
        size, formula = experiments.conv_size_formula(n, k, stride, padding, dilation)
        grid, kernel, steps = experiments.conv_frames(n, k, stride, padding, dilation)
    except ValueError as error:
        return f"**{error}**", gr.update(), None, ""
    if size < 1 or not steps:
        return f"Output size: {formula} — the kernel does not fit; pick 'same' or a smaller kernel.", gr.update(), None, ""
    frame = min(frame, len(steps) - 1)
    output = np.array([step.total for step in steps]).reshape(size, size)
    note = f"**Output: {size} x {size}**  \n`{formula}`"
    step = steps[frame]
    # A 1x1 output has one frame: the slider keeps a range (a slider's minimum must stay below its maximum), greyed.
    slider = gr.update(maximum=max(len(steps) - 1, 1), value=frame, interactive=len(steps) > 1)
    return (note, slider, figures.conv_frame(grid, kernel, step, output),
            f"Cell ({step.row}, {step.col}): `{step.arithmetic()}`")


def kernels_view(image):
    """Classic kernels, then the first layer of the first tab's starting model, on the same image."""
    image = _image_or_digit(image)
    base = base_models.base_model(tasks.names()[0])
    learned = figures.kernel_maps(image, experiments.learned_kernels(base.model, image),
                                  title=f"What the {base.label} of the {tasks.get(base.setup.task).title} tab "
                                        "learned: its first layer's 3x3 kernels (+ bias) on the same image")
    return figures.kernel_maps(image, experiments.classic_kernels(image)), learned


def convolution_widget():
    with gr.Accordion("Try it: convolution", open=False) as accordion:
        with gr.Row():
            n = gr.Slider(3, 12, value=6, step=1, label="Input size")
            k = gr.Slider(1, 5, value=3, step=1, label="Kernel size")
            stride = gr.Slider(1, 3, value=1, step=1, label="Stride")
            dilation = gr.Slider(1, 3, value=1, step=1, label="Dilation")
            padding = gr.Radio(["valid", "same"], value="valid", label="Padding")
        size_note = gr.Markdown()
        frame = gr.Slider(0, 15, value=0, step=1, label="Frame: which output cell the kernel computes")
        frame_plot = Plot(label="The kernel sliding over the input, one output cell at a time",
                          format="png", show_label=False)
        arithmetic = gr.Markdown()
        gr.Markdown("**Classic kernels**, and the kernels an autoencoder **learned**, on a digit or on an image of "
                    "your own:")
        with gr.Row():
            image = gr.Image(sources=["upload", "clipboard"], type="numpy", label="Your image (optional)", scale=1)
            with gr.Column(scale=4):
                maps = Plot(label="Classic kernels on the image", format="png", show_label=False)
                learned = Plot(label="Kernels a trained model learned, on the image", format="png", show_label=False,
                               elem_id="learned-kernels")
    controls = [n, k, stride, padding, dilation, frame]
    gr.on([accordion.expand, *(c.change for c in controls)], conv_view, controls,
          [size_note, frame, frame_plot, arithmetic], **LIVE)
    gr.on([accordion.expand, image.change], kernels_view, image, [maps, learned], **LIVE)


# Pooling ----------------------------------------------------------------------------------------

def pooling_view(n, size, seed, image):
    grid = experiments.random_grid(int(n), int(seed), high=9)
    picture = _image_or_digit(image)
    size = int(size)
    return (figures.pooling_grid(experiments.pool_and_upsample(grid, size)),
            figures.pooling_image(experiments.pool_and_upsample(picture, size), size))


def pooling_widget():
    with gr.Accordion("Try it: pooling", open=False) as accordion:
        with gr.Row():
            n = gr.Slider(4, 10, value=6, step=1, label="Grid size")
            size = gr.Slider(2, 4, value=2, step=1, label="Pool size (= stride)")
            seed = gr.Number(0, precision=0, label="Random grid seed")
        grid_plot = Plot(label="Pooling then upsampling a grid", format="png", show_label=False)
        with gr.Row():
            image = gr.Image(sources=["upload", "clipboard"], type="numpy", label="Your image (optional)", scale=1)
            image_plot = Plot(label="Pooling then upsampling the image", format="png", show_label=False, scale=4)
    controls = [n, size, seed, image]
    gr.on([accordion.expand, *(c.change for c in controls)], pooling_view, controls, [grid_plot, image_plot], **LIVE)


# Transposed convolution -------------------------------------------------------------------------

def transposed_view(n, k, stride, padding, frame):
    """(size note, overlap map, frame slider, frame figure, arithmetic) for the current controls."""
    n, k, stride, frame = int(n), int(k), int(stride), int(frame)
    valid = ops.transposed_output_size(n, k, stride, "valid")
    same = ops.transposed_output_size(n, k, stride, "same")
    size = valid if padding == "valid" else same
    note = (f"**Output: {size} x {size}** (with 'valid': `(n - 1)*s + k = ({n} - 1)*{stride} + {k} = {(n - 1) * stride + k}`"
            f"{', at least n*s' if k < stride else ''}; with 'same': `n*s = {n}*{stride} = {same}`, "
            f"the 'valid' output cropped by {max((n - 1) * stride + k - same, 0)}).")
    grid, kernel, stamps = experiments.transposed_frames(n, k, stride, padding)
    frame = min(frame, len(stamps) - 1)
    stamp = stamps[frame]
    return (note, figures.overlap_map(ops.overlap_counts(n, k, stride), k, stride),
            gr.update(maximum=len(stamps) - 1, value=frame), figures.transposed_frame(grid, kernel, stamp),
            f"Stamp {frame + 1} of {len(stamps)}: `{stamp.arithmetic()}`")


def compare_decoders(seconds, progress=gr.Progress()):
    """Train the three decoders one after the other, reporting progress across all three."""
    order = {name: i for i, name in enumerate(("transpose", "nearest", "pixel_shuffle"))}

    def report(label, update):
        progress((order[label] + update.fraction) / 3, desc=f"{label}: step {update.step}")

    try:
        with waiting_line.LINE.place(3 * float(seconds)):  # in the class's line of trainings, as Train is
            runs = experiments.compare_upsampling(float(seconds), on_progress=report)
    except TrainingDiverged as error:
        raise gr.Error(str(error))
    note = " · ".join(f"**{run.upsampling}** loss {run.final_loss:.4f}" for run in runs)
    return figures.decoders(runs, experiments.high_pass), note


def transposed_widget():
    with gr.Accordion("Try it: transposed convolution", open=False) as accordion:
        with gr.Row():
            n = gr.Slider(2, 8, value=4, step=1, label="Input size")
            k = gr.Slider(1, 5, value=3, step=1, label="Kernel size")
            stride = gr.Slider(1, 3, value=2, step=1, label="Stride")
            padding = gr.Radio(["valid", "same"], value="valid", label="Padding")
        size_note = gr.Markdown()
        frame = gr.Slider(0, 15, value=0, step=1, label="Frame: which input cell stamps its kernel onto the output")
        frame_plot = Plot(label="One input cell stamping its kernel onto the output", format="png", show_label=False)
        arithmetic = gr.Markdown()
        overlap = Plot(label="How many stamps overlap on each output cell", format="png", show_label=False)
        gr.Markdown("**Compare decoders**: three denoising U-Nets, identical except for how they upsample, "
                    "trained for the same seconds on the same data. The high-pass view shows checkerboards.")
        with gr.Row():
            seconds = gr.Slider(4, 30, value=12, step=1, label="Seconds per model (the first ~4 s build the training graph)")
            button = gr.Button("Compare decoders", variant="primary")
        result_note = gr.Markdown()
        result = Plot(label="Three decoders: their outputs, high-passed, and loss curves",
                      format="png", show_label=False)
    controls = [n, k, stride, padding, frame]
    gr.on([accordion.expand, *(c.change for c in controls)], transposed_view, controls,
          [size_note, overlap, frame, frame_plot, arithmetic], **LIVE)
    button.click(compare_decoders, seconds, [result, result_note], **TRAINING)


# Batch normalization ----------------------------------------------------------------------------

def bn_table(values: str, gamma, beta):
    try:
        numbers = [float(v) for v in values.replace(",", " ").split()]
    except ValueError:
        raise gr.Error("Type the batch as numbers separated by commas, e.g. 1, 2, 3, 6")
    if len(numbers) < 2:
        raise gr.Error("A batch needs at least two numbers to have a variance.")
    return experiments.batch_norm_table(numbers, float(gamma), float(beta))


def bn_on_off(seconds, progress=gr.Progress()):
    order = {"with batch norm": 0, "without batch norm": 1}

    def report(label, update):
        progress((order[label] + update.fraction) / 2, desc=f"{label}: step {update.step}")

    try:
        with waiting_line.LINE.place(2 * float(seconds)):
            return figures.loss_curves(experiments.batch_norm_on_off(float(seconds), on_progress=report))
    except TrainingDiverged as error:
        raise gr.Error(str(error))


def bn_histograms(count):
    from aecore import data

    images = data.to_float(data.load("digits").x_test[:int(count)])  # (count, 28, 28, 1)
    return figures.histograms(*experiments.bn_histograms(images))


def pitfall_view(steps):
    results = [experiments.moving_stats_pitfall(momentum, int(steps)) for momentum in (0.99, 0.9)]
    lines = [f"- momentum **{r.momentum}**: moving mean {r.moving_mean[-1]:.2f} (true {r.true_mean:g}), "
             f"moving variance {r.moving_var[-1]:.2f} (true {r.true_var:g}); training vs inference outputs "
             f"differ by {np.abs(r.train_output - r.inference_output).mean():.2f} on average" for r in results]
    return figures.moving_stats(results), f"After {int(steps)} updates:\n" + "\n".join(lines)


def batch_norm_widget():
    with gr.Accordion("Try it: batch normalization", open=False) as accordion:
        gr.Markdown("**The formula, step by step** on a one-channel batch (epsilon = 0.001):")
        with gr.Row():
            values = gr.Textbox("1, 2, 3, 6", label="Batch values")
            gamma = gr.Number(1.0, label="gamma")
            beta = gr.Number(0.0, label="beta")
        table = gr.Dataframe(headers=experiments.BN_COLUMNS, interactive=False)
        gr.Markdown("**The moving-statistics pitfall**: batches drawn with mean 3, variance 4; Keras' moving "
                    "statistics start at 0 and 1 and move (1 - momentum) of the way per update.")
        steps = gr.Slider(1, 500, value=100, step=1, label="Training updates")
        pitfall_note = gr.Markdown()
        pitfall_plot = Plot(label="Moving mean and variance per update, against the true statistics",
                            format="png", show_label=False)
        with gr.Row():
            count = gr.Slider(4, 64, value=32, step=4, label="Images in the batch")
            histogram_button = gr.Button("Histograms before / after a BatchNormalization layer")
        histogram_plot = Plot(label="Activations before and after batch normalization", format="png", show_label=False)
        with gr.Row():
            seconds = gr.Slider(4, 30, value=12, step=1, label="Seconds per run (the first ~4 s build the training graph)")
            train_button = gr.Button("Train with and without batch norm", variant="primary")
        curves = Plot(label="Loss curves with and without batch normalization", format="png", show_label=False)
    gr.on([accordion.expand, values.submit, gamma.change, beta.change], bn_table, [values, gamma, beta], table, **LIVE)
    gr.on([accordion.expand, steps.change], pitfall_view, steps, [pitfall_plot, pitfall_note], **LIVE)
    histogram_button.click(bn_histograms, count, histogram_plot, api_visibility="private", **INFERENCE)
    train_button.click(bn_on_off, seconds, curves, **TRAINING)


# Shapes through the network ---------------------------------------------------------------------

def shapes_view(kind, depth, base_filters, size):
    try:
        summary = experiments.network_shapes(kind, int(depth), int(base_filters), int(size))
    except ValueError as error:
        raise gr.Error(str(error))
    return figures.network_diagram(summary), summary.table()


def shapes_widget():
    with gr.Accordion("Try it: shapes through the network", open=False) as accordion:
        with gr.Row():
            kind = gr.Radio(["unet", "conv", "dense"], value="unet", label="Kind")
            depth = gr.Slider(1, 5, value=2, step=1, label="Depth (unet)")
            base_filters = gr.Slider(4, 64, value=16, step=4, label="Base filters (unet)")
            size = gr.Slider(8, 128, value=28, step=1, label="Input size (rounded up to what the model accepts)")
        diagram = Plot(label="The model's layers and their shapes", format="png", show_label=False)
        table = gr.Dataframe(headers=["layer", "type", "output shape", "parameters"], interactive=False)
    controls = [kind, depth, base_filters, size]
    gr.on([accordion.expand, *(c.change for c in controls)], shapes_view, controls, [diagram, table], **LIVE)


def build() -> None:
    """All the widgets, in lesson order (call inside the Lessons tab)."""
    gr.Markdown("### Try it yourself")
    convolution_widget()
    pooling_widget()
    transposed_widget()
    batch_norm_widget()
    shapes_widget()
