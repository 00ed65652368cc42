"""Small live experiments behind the lessons' interactive widgets (the app's Lessons tab draws them).

    conv_size_formula(7, 3, 2, "valid")       # (3, "floor((7 + 2*0 - 1*(3 - 1) - 1) / 2) + 1 = 3")
    classic_kernels(image)                    # {"Sobel x": (kernel, feature map), ...}
    learned_kernels(model, image)             # the same for the first layer of a trained autoencoder
    pool_and_upsample(image, 2)               # what max / average pooling keep, blown back up
    compare_upsampling(seconds=8)             # three U-Net decoders trained briefly on the same data
    batch_norm_on_off(seconds=8)              # the same model's loss curve with and without batch norm
    moving_stats_pitfall(momentum=0.99)       # how slowly Keras' moving statistics catch up

Each function computes from scratch when called (nothing is pre-rendered) and returns NumPy
arrays or small dataclasses, so a notebook can use them as well as the app.
"""

from dataclasses import dataclass
from typing import Callable

import cv2
import numpy as np

from aecore import ops

# Convolution ------------------------------------------------------------------------------------

CLASSIC_KERNELS = {
    "Sobel x (vertical edges)": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float64),
    "Sobel y (horizontal edges)": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], np.float64),
    "Edges (Laplacian)": np.array([[0, -1, 0], [-1, 4, -1], [0, -1, 0]], np.float64),
    "Blur (3x3 box)": np.full((3, 3), 1 / 9),
    "Sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], np.float64),
}


def conv_size_formula(n: int, k: int, stride: int = 1, padding: str = "valid", dilation: int = 1) -> tuple[int, str]:
    """The output size of a convolution and the formula with the numbers filled in."""
    if padding == "same":
        top, bottom = ops.same_padding(n, k, stride, dilation)
        size = ops.conv_output_size(n, k, stride, "same", dilation)
        return size, (f"'same': ceil(n / s) = ceil({n} / {stride}) = {size} "
                      f"(TensorFlow pads {top} before and {bottom} after)")
    size = ops.conv_output_size(n, k, stride, 0, dilation)
    return size, f"floor(({n} + 2*0 - {dilation}*({k} - 1) - 1) / {stride}) + 1 = {size}"


def random_grid(size: int, seed: int = 0, high: int = 4) -> np.ndarray:
    """A (size, size) grid of small integers 0..high, easy to add up by hand."""
    return np.random.default_rng(seed).integers(0, high + 1, (size, size)).astype(np.float64)


def random_kernel(k: int, seed: int = 0) -> np.ndarray:
    """A (k, k) kernel of -1, 0 and 1."""
    return np.random.default_rng(seed + 1).integers(-1, 2, (k, k)).astype(np.float64)


def conv_frames(n: int, k: int, stride: int = 1, padding: str = "valid", dilation: int = 1, seed: int = 0):
    """(grid, kernel, steps): every output cell of conv_steps on a random grid, for a frame slider."""
    grid, kernel = random_grid(n, seed), random_kernel(k, seed)
    return grid, kernel, list(ops.conv_steps(grid, kernel, stride, padding, dilation))


def to_gray(image, max_size: int = 128) -> np.ndarray:
    """Any image (H, W), (H, W, 1|3|4), uint8 or float -> (h, w) float in [0, 1], at most max_size a side."""
    image = np.asarray(image)
    if image.dtype == np.uint8:
        image = image.astype(np.float64) / 255.0
    image = np.asarray(image, np.float64)
    if image.ndim == 3:
        image = image[..., :3].mean(axis=-1) if image.shape[-1] >= 3 else image[..., 0]
    if image.ndim != 2:
        raise ValueError(f"expected an image (H, W) or (H, W, C), got shape {image.shape}")
    scale = max_size / max(image.shape)
    if scale < 1:  # the NumPy ops are for reading, not speed: keep the image small
        size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    return np.clip(image, 0.0, 1.0)


def digit(index: int = 0) -> np.ndarray:
    """A held-out image of the digits dataset, (28, 28) float in [0, 1]."""
    from aecore import data

    return data.to_float(data.load("digits").x_test[index])[..., 0]


def classic_kernels(image) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{name: (kernel (3, 3), feature map (H, W))}: every classic kernel convolved ("same") with a gray image."""
    image = to_gray(image)
    kernels = np.stack(list(CLASSIC_KERNELS.values()), axis=-1)[:, :, None, :]  # (3, 3, 1, kernels)
    maps = ops.conv2d(image[None, :, :, None], kernels, padding="same")[0]  # (H, W, kernels): one pass for all
    return {name: (kernel, maps[..., i]) for i, (name, kernel) in enumerate(CLASSIC_KERNELS.items())}


def learned_kernels(model, image, count: int = 8) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{name: (kernel (3, 3), feature map (H, W))}: the first conv layer of a trained model on a gray image.

    The same NumPy conv2d as for the classic kernels, with the weights training found (plus each
    filter's bias, before the ReLU). A model that reads C channels sees a gray image as C equal
    channels, so each filter's C kernels add up to one (3, 3) kernel.
    """
    image = to_gray(image)
    first = next((layer for layer in model.layers if type(layer).__name__ == "Conv2D"), None)
    if first is None:
        raise ValueError(f"{model.name} has no Conv2D layer to show")
    kernel, *bias = first.get_weights()  # (kh, kw, C, filters), (filters,)
    kernel = kernel.sum(axis=2, keepdims=True)[..., :count]  # (kh, kw, 1, count)
    maps = ops.conv2d(image[None, :, :, None], kernel, padding="same")[0]  # (H, W, count)
    if bias:
        maps = maps + bias[0][:count]
    return {f"filter {i + 1}": (kernel[:, :, 0, i], maps[..., i]) for i in range(kernel.shape[-1])}


# Pooling ----------------------------------------------------------------------------------------

def nearest_upsample(image: np.ndarray, factor: int, shape: tuple | None = None) -> np.ndarray:
    """Repeat each pixel factor x factor times (cropped or zero-padded to `shape` if given)."""
    big = np.repeat(np.repeat(np.asarray(image), factor, axis=0), factor, axis=1)
    if shape is None:
        return big
    out = np.zeros(shape[:2] + big.shape[2:], big.dtype)
    rows, cols = min(shape[0], big.shape[0]), min(shape[1], big.shape[1])
    out[:rows, :cols] = big[:rows, :cols]
    return out


@dataclass(frozen=True)
class Pooled:
    image: np.ndarray  # (H, W) the input
    max_pooled: np.ndarray  # (H/size, W/size)
    avg_pooled: np.ndarray
    kept: np.ndarray  # (H, W) bool: where max pooling's winners sit
    max_restored: np.ndarray  # (H, W) max-pooled, blown back up by nearest neighbour
    avg_restored: np.ndarray


def pool_and_upsample(image, size: int = 2) -> Pooled:
    """Max and average pooling of a 2-D grid or image, which cells max keeps, and both blown back up."""
    image = np.asarray(image, np.float64)
    if image.ndim != 2:
        raise ValueError(f"pool_and_upsample expects a 2-D grid (H, W), got shape {image.shape}")
    batch = image[None, :, :, None]  # (1, H, W, 1)
    max_pooled = ops.max_pool2d(batch, size)[0, :, :, 0]  # (H/size, W/size)
    avg_pooled = ops.avg_pool2d(batch, size)[0, :, :, 0]
    return Pooled(image, max_pooled, avg_pooled, ops.max_pool_argmax(image, size),
                  nearest_upsample(max_pooled, size, image.shape), nearest_upsample(avg_pooled, size, image.shape))


# Transposed convolution: decoders compared --------------------------------------------------------

@dataclass(frozen=True)
class Stamp:
    """One input cell of a transposed convolution scattering its scaled kernel onto the output."""

    row: int  # input cell
    col: int
    value: float  # the input value, which scales the kernel
    region: np.ndarray  # (N, N) bool: the output cells this stamp adds to (after 'same' cropping)
    output: np.ndarray  # (N, N) the output once this and every earlier stamp have been added

    def arithmetic(self, kernel: np.ndarray) -> str:
        rows, cols = np.nonzero(self.region)
        where = (f"output rows {rows.min()}-{rows.max()}, columns {cols.min()}-{cols.max()}" if rows.size
                 else "nowhere (cropped away)")
        return f"input ({self.row}, {self.col}) = {self.value:g}: adds {self.value:g} x kernel to {where}"


def transposed_frames(n: int, k: int, stride: int = 2, padding: str = "valid", seed: int = 0):
    """(grid, kernel, stamps): the stamps of conv2d_transpose on a random grid, one per input cell, in order."""
    grid, kernel = random_grid(n, seed, high=3), random_kernel(k, seed)
    kernel4 = kernel[:, :, None, None]  # (k, k, C_out=1, C_in=1)
    stamps, so_far = [], np.zeros_like(grid)
    for (row, col), value in np.ndenumerate(grid):
        so_far[row, col] = value
        one = np.zeros((1, n, n, 1))
        one[0, row, col, 0] = 1.0
        region = ops.conv2d_transpose(one, np.ones_like(kernel4), stride, padding)[0, :, :, 0] > 0
        output = ops.conv2d_transpose(so_far[None, :, :, None], kernel4, stride, padding)[0, :, :, 0]
        stamps.append(Stamp(row, col, float(value), region, output))
    return grid, kernel, stamps


def high_pass(image, sigma: float = 1.0, gain: float = 4.0) -> np.ndarray:
    """(image - Gaussian blur) * gain: only fine detail (and checkerboard artifacts) is left; a flat image gives 0."""
    image = np.asarray(image, np.float64)
    blurred = cv2.GaussianBlur(image, (0, 0), sigma)  # reflects at the border, so a constant stays constant
    return (image - blurred.reshape(image.shape)) * gain


@dataclass(frozen=True)
class DecoderRun:
    upsampling: str  # "transpose", "nearest" or "pixel_shuffle"
    losses: list  # [(step, training loss)] from the progress reports
    final_loss: float  # the last reported training loss
    val_psnr: float | None  # at the last validation report, if any
    corrupted: np.ndarray  # (H, W, C) the probe image as the model reads it
    output: np.ndarray  # (H, W, C) its reconstruction
    clean: np.ndarray  # (H, W, C) the target


def _train_collecting(setup, seconds: float, seed: int, on_progress: Callable | None, label: str):
    """Train `setup` briefly; return (result, [(step, loss)] of every batch report)."""
    from aecore.train import TrainConfig, train

    losses = []

    def collect(progress):
        if progress.kind == "batch" or not losses or losses[-1][0] < progress.step:  # epoch ends too, once
            losses.append((progress.step, progress.loss))
        if on_progress is not None:
            on_progress(label, progress)

    # Fewer samples than the tabs use: a few seconds never finish 10,000, and corrupting them takes time.
    config = TrainConfig(seconds=seconds, seed=seed, samples=4000, report_every=5, validate_every=0,
                         validation_samples=64)
    return train(setup, config, on_progress=collect), losses


def compare_upsampling(seconds: float = 8.0, seed: int = 0, probe: int = 0,
                       on_progress: Callable | None = None) -> list[DecoderRun]:
    """Train three denoising U-Nets that differ only in how the decoder upsamples; run each on one held-out image."""
    from aecore import data, tasks
    from aecore.models import UPSAMPLING, infer

    runs = []
    for upsampling in UPSAMPLING:
        setup = tasks.new_setup("denoise", model=tasks.get("denoise").model.replace(upsampling=upsampling))
        result, losses = _train_collecting(setup, seconds, seed, on_progress, upsampling)
        clean = data.to_float(data.load(setup.dataset).x_test[probe:probe + 1])  # (1, H, W, C)
        pairs = tasks.make_pairs(setup, clean, seed=10_000 + seed)
        output = infer(result.model, pairs.inputs)
        final = losses[-1][1] if losses else (result.history[-1].loss if result.history else float("nan"))
        psnr = result.history[-1].val_psnr if result.history else None
        runs.append(DecoderRun(upsampling, losses, float(final), psnr, pairs.inputs[0], output[0], clean[0]))
    return runs


# Batch normalization ----------------------------------------------------------------------------

BN_COLUMNS = ["sample", "x", "batch mean", "batch variance", "x_hat = (x - mean) / sqrt(var + eps)",
              "y = gamma * x_hat + beta"]


def batch_norm_table(values, gamma: float = 1.0, beta: float = 0.0, epsilon: float = 1e-3) -> list[list]:
    """One row per sample of a one-channel batch: the formula of batch_norm_forward step by step."""
    x = np.asarray(values, np.float64).reshape(-1, 1)  # (batch, 1 channel)
    y, _, _, steps = ops.batch_norm_forward(x, [gamma], [beta], epsilon=epsilon)
    mean, variance = float(steps["mean"][0]), float(steps["variance"][0])
    return [[i + 1, round(float(x[i, 0]), 4), round(mean, 4), round(variance, 4),
             round(float(steps["x_hat"][i, 0]), 4), round(float(y[i, 0]), 4)] for i in range(len(x))]


def batch_norm_on_off(seconds: float = 8.0, seed: int = 0, on_progress: Callable | None = None) -> dict:
    """{"with batch norm": [(step, loss)], "without batch norm": [...]}: the denoising U-Net trained twice."""
    from aecore import tasks

    curves = {}
    for label, batch_norm in (("with batch norm", True), ("without batch norm", False)):
        model = tasks.get("denoise").model.replace(batch_norm=batch_norm)
        _, losses = _train_collecting(tasks.new_setup("denoise", model=model), seconds, seed, on_progress, label)
        curves[label] = losses
    return curves


def bn_histograms(images: np.ndarray, filters: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(conv outputs, batch-norm outputs), each (values, filters): a fresh Conv2D -> BatchNormalization in training mode."""
    from aecore.runtime import keras

    layers = keras().layers
    keras().utils.set_random_seed(seed)
    images = np.asarray(images, np.float32)
    inputs = keras().Input(shape=images.shape[1:])  # (batch, H, W, C)
    conv = layers.Conv2D(filters, 3, padding="same", name="conv")(inputs)  # (batch, H, W, filters)
    normalized = layers.BatchNormalization(name="bn")(conv)  # same shape, each channel mean 0, variance ~1
    model = keras().Model(inputs, [conv, normalized])
    before, after = model(images, training=True)  # training=True: the batch's own statistics
    return np.asarray(before).reshape(-1, filters), np.asarray(after).reshape(-1, filters)


@dataclass(frozen=True)
class MovingStats:
    momentum: float
    true_mean: float  # of the distribution every batch is drawn from
    true_var: float
    moving_mean: np.ndarray  # (steps + 1,) after each update; starts at Keras' 0
    moving_var: np.ndarray  # (steps + 1,) starts at 1
    train_output: np.ndarray  # (batch,) a last batch normalized with its own statistics
    inference_output: np.ndarray  # (batch,) the same batch normalized with the moving statistics


def moving_stats_pitfall(momentum: float = 0.99, steps: int = 100, true_mean: float = 3.0, true_std: float = 2.0,
                         batch_size: int = 32, seed: int = 0) -> MovingStats:
    """Run batch_norm_forward's moving-average update for `steps` batches and compare both modes' outputs."""
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    rng = np.random.default_rng(seed)
    mean, var = np.zeros(1), np.ones(1)  # Keras' starting moving statistics
    means, variances = [mean[0]], [var[0]]
    one, zero = np.ones(1), np.zeros(1)
    for _ in range(steps):
        batch = rng.normal(true_mean, true_std, (batch_size, 1))
        _, mean, var, _ = ops.batch_norm_forward(batch, one, zero, moving_mean=mean, moving_var=var, momentum=momentum)
        means.append(mean[0])
        variances.append(var[0])
    last = rng.normal(true_mean, true_std, (batch_size, 1))
    trained, _, _, _ = ops.batch_norm_forward(last, one, zero)
    inferred, _, _, _ = ops.batch_norm_forward(last, one, zero, training=False, moving_mean=mean, moving_var=var)
    return MovingStats(momentum, true_mean, true_std ** 2, np.array(means), np.array(variances),
                       trained[:, 0], inferred[:, 0])


# Shapes through the network ---------------------------------------------------------------------

def network_shapes(kind: str = "unet", depth: int = 2, base_filters: int = 16, size: int = 28, channels: int = 1):
    """describe() of a freshly built model for a size x size input (rounded up to what the model accepts)."""
    from aecore.models import ModelConfig, build, describe

    config = ModelConfig(kind=kind, depth=depth, base_filters=base_filters).validate()
    multiple = config.size_multiple
    size = -(-int(size) // multiple) * multiple  # each pooling halves the size, so it must divide evenly
    spatial = (size, size) if kind == "dense" else (None, None)
    model = build(config, (*spatial, channels), channels)
    return describe(model, (size, size, channels))
