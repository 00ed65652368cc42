"""Behind the convolution lesson's widgets: output sizes with the formula filled in, a kernel sliding
over a grid cell by cell, classic kernels and the first layer a trained autoencoder learned.

    conv_size_formula(7, 3, 2, "valid")       # (3, "floor((7 + 2*0 - 1*(3 - 1) - 1) / 2) + 1 = 3")
    classic_kernels(image)                    # {"Sobel x": (kernel, feature map), ...}
    learned_kernels(model, image)             # the same for the first layer of a trained autoencoder
"""

import numpy as np

from aecore import ops
from aecore.experiments.common import random_grid, random_kernel, small_gray

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


def conv_frames(n: int, k: int, stride: int = 1, padding: str = "valid", dilation: int = 1, seed: int = 0):
    """(grid, kernel, steps): every output cell of conv_steps on a random grid, for a frame slider."""
    grid, kernel = random_grid(n, seed), random_kernel(k, seed)
    return grid, kernel, list(ops.conv_steps(grid, kernel, stride, padding, dilation))


def classic_kernels(image) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{name: (kernel (3, 3), feature map (H, W))}: every classic kernel convolved ("same") with a gray image."""
    image = small_gray(image)
    kernels = np.stack(list(CLASSIC_KERNELS.values()), axis=-1)[:, :, None, :]  # (3, 3, 1, kernels)
    maps = ops.conv2d(image[None, :, :, None], kernels, padding="same")[0]  # (H, W, kernels): one pass for all
    return {name: (kernel, maps[..., i]) for i, (name, kernel) in enumerate(CLASSIC_KERNELS.items())}


def learned_kernels(model, image, count: int = 8) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{name: (kernel (3, 3), feature map (H, W))}: the first conv layer of a trained model on a gray image.

    The same NumPy conv2d as for the classic kernels, with the weights training found (plus each
    filter's bias, before the ReLU). A model that reads C channels sees a gray image as C equal
    channels, so each filter's C kernels add up to one (3, 3) kernel.
    """
    image = small_gray(image)
    first = next((layer for layer in model.layers if type(layer).__name__ == "Conv2D"), None)
    if first is None:
        raise ValueError(f"{model.name} has no Conv2D layer to show")
    kernel, *bias = first.get_weights()  # (kh, kw, C, filters), (filters,)
    kernel = kernel.sum(axis=2, keepdims=True)[..., :count]  # (kh, kw, 1, count)
    maps = ops.conv2d(image[None, :, :, None], kernel, padding="same")[0]  # (H, W, count)
    if bias:
        maps = maps + bias[0][:count]
    return {f"filter {i + 1}": (kernel[:, :, 0, i], maps[..., i]) for i in range(kernel.shape[-1])}
