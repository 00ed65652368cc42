"""aecore.ops: each from-scratch NumPy operation gives what TensorFlow's own op gives, and the
output-size formulas agree with the shapes of real Keras layers."""

import itertools

import numpy as np
import pytest

from aecore.ops import (avg_pool2d, batch_norm_forward, conv2d, conv2d_transpose, conv_output_size, conv_steps,
                        max_pool2d, max_pool_argmax, overlap_counts, transposed_output_size)
from aecore.runtime import keras, tf

# (height, width) pairs covering odd and even sizes 5..9, not square, so rows and columns can't be mixed up.
SIZES = [(5, 7), (6, 6), (7, 5), (8, 9), (9, 8)]
KERNELS, STRIDES, PADDINGS = (1, 2, 3, 5), (1, 2, 3), ("valid", "same")


def random(shape, seed=0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32)


# Convolution

@pytest.mark.parametrize("dilation", (1, 2))
@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("k", KERNELS)
def test_conv2d_matches_tensorflow(k, stride, padding, dilation):
    kernel = random((k, k, 2, 3), seed=1)  # (kh, kw, C_in, C_out)
    for height, width in SIZES:
        x = random((2, height, width, 2))
        if padding == "valid" and (k - 1) * dilation + 1 > min(height, width):
            with pytest.raises(ValueError, match="does not fit"):
                conv2d(x, kernel, stride, padding, dilation)
            continue
        expected = tf().nn.conv2d(x, kernel, strides=stride, padding=padding.upper(), dilations=dilation).numpy()
        np.testing.assert_allclose(conv2d(x, kernel, stride, padding, dilation), expected, atol=1e-5,
                                   err_msg=f"input {height}x{width}")


@pytest.mark.parametrize("stride, padding, dilation", [(1, "valid", 1), (2, "same", 1), (1, "same", 2)])
def test_conv_steps_show_the_arithmetic_of_every_output_cell(stride, padding, dilation):
    grid, kernel = random((6, 7)).astype(np.float64), random((3, 3), seed=1).astype(np.float64)
    steps = list(conv_steps(grid, kernel, stride, padding, dilation))
    expected = conv2d(grid[None, :, :, None], kernel[:, :, None, None], stride, padding, dilation)[0, :, :, 0]
    assert len(steps) == expected.size
    assert [(step.row, step.col) for step in steps] == list(itertools.product(*map(range, expected.shape)))
    for step in steps:
        assert step.total == pytest.approx(expected[step.row, step.col])
        np.testing.assert_allclose(step.products, step.window * kernel)
        real_rows = (step.window_rows >= 0) & (step.window_rows < 6)  # False for padded rows
        real_cols = (step.window_cols >= 0) & (step.window_cols < 7)
        inside = np.outer(real_rows, real_cols)  # (kh, kw)
        reads = grid[np.ix_(step.window_rows.clip(0, 5), step.window_cols.clip(0, 6))]
        np.testing.assert_array_equal(step.window[inside], reads[inside])  # real cells: the grid's values
        assert np.all(step.window[~inside] == 0)  # padded cells read 0
        assert step.arithmetic().endswith(f"= {step.total:g}")
    reads_padding = any(step.window_rows.min() < 0 or step.window_rows.max() >= 6 for step in steps)
    assert reads_padding == (padding == "same")  # so the padded-cell checks above were exercised


def test_conv_steps_start_at_the_top_left_window():
    first = next(conv_steps(np.arange(16).reshape(4, 4), np.ones((2, 2))))
    assert (first.row, first.col, first.total) == (0, 0, 0 + 1 + 4 + 5)
    assert list(first.window_rows) == [0, 1] and list(first.window_cols) == [0, 1]
    assert first.arithmetic() == "0*1 + 1*1 + 4*1 + 5*1 = 10"
    lesson_example = next(conv_steps([[1, 2, 0], [0, 1, 3], [2, 1, 0]], [[1, 0], [0, -1]]))  # lessons/convolution.md
    assert lesson_example.arithmetic() == "1*1 + 2*0 + 0*0 + 1*(-1) = 0"


def test_convolution_rejects_bad_arguments_with_a_helpful_message():
    x, kernel = np.zeros((1, 5, 5, 2)), np.zeros((3, 3, 2, 4))
    with pytest.raises(ValueError, match="channels"):
        conv2d(x, np.zeros((3, 3, 1, 4)))
    with pytest.raises(ValueError, match="padding"):
        conv2d(x, kernel, padding="full")
    with pytest.raises(ValueError, match="stride"):
        conv2d(x, kernel, stride=0)
    with pytest.raises(ValueError, match="padding p"):
        conv_output_size(5, 3, 1, -1)


# Pooling

@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("stride", (None,) + STRIDES)
@pytest.mark.parametrize("size", KERNELS)
def test_pooling_matches_tensorflow(size, stride, padding):
    for height, width in SIZES:
        x = random((2, height, width, 3))
        strides = size if stride is None else stride  # Keras' and our default: windows side by side
        for ours, theirs in ((max_pool2d, tf().nn.max_pool2d), (avg_pool2d, tf().nn.avg_pool2d)):
            expected = theirs(x, ksize=size, strides=strides, padding=padding.upper()).numpy()
            np.testing.assert_allclose(ours(x, size, stride, padding), expected, atol=1e-6,
                                       err_msg=f"{ours.__name__} on {height}x{width}")


@pytest.mark.parametrize("size, stride", [(2, None), (3, 2), (2, 1), (3, 3)])
def test_max_pool_argmax_marks_the_cells_tensorflow_picks(size, stride):
    grid = random((7, 8))
    kept = max_pool_argmax(grid, size, stride)
    _, indices = tf().nn.max_pool_with_argmax(grid[None, :, :, None], size, stride or size, "VALID")
    expected = np.zeros(grid.size, bool)
    expected[indices.numpy().ravel()] = True  # flat index y * width + x (one channel)
    np.testing.assert_array_equal(kept, expected.reshape(grid.shape))
    assert set(grid[kept]) == set(max_pool2d(grid[None, :, :, None], size, stride).ravel().astype(np.float32))


def test_max_pool_keeps_one_cell_in_four():
    kept = max_pool_argmax(np.arange(16.0).reshape(4, 4), 2)
    assert kept.sum() == 4 and kept[1, 1] and kept[3, 3]  # the bottom-right of each 2x2 block is largest


# Transposed convolution

def output_paddings(stride):
    return (None,) + tuple(sorted({0, stride - 1}))


TRANSPOSED_CASES = [(k, s, padding, op) for k in KERNELS for s in STRIDES for padding in PADDINGS
                    for op in output_paddings(s)]


@pytest.mark.parametrize("k, stride, padding, output_padding", TRANSPOSED_CASES)
def test_conv2d_transpose_matches_tensorflow(k, stride, padding, output_padding):
    kernel = random((k, k, 3, 2), seed=1)  # (kh, kw, C_out, C_in), as tf.nn.conv2d_transpose expects
    if padding == "same" and k % 2 == 0 and output_padding == 0:
        with pytest.raises(ValueError, match="output_padding >= 1"):
            conv2d_transpose(random((1, 5, 5, 2)), kernel, stride, padding, output_padding)
        return
    for height, width in SIZES:
        x = random((2, height, width, 2))
        ours = conv2d_transpose(x, kernel, stride, padding, output_padding)
        shape = [2, transposed_output_size(height, k, stride, padding, output_padding),
                 transposed_output_size(width, k, stride, padding, output_padding), 3]
        expected = tf().nn.conv2d_transpose(x, kernel, shape, strides=stride, padding=padding.upper()).numpy()
        np.testing.assert_allclose(ours, expected, atol=1e-5, err_msg=f"input {height}x{width}")


@pytest.mark.parametrize("k, stride", [(3, 2), (2, 2), (5, 3)])
def test_transposed_convolution_is_the_transpose_of_convolution(k, stride):
    # <conv(z), y> == <z, conv_transpose(y)> for every z and y: the two are each other's matrix transpose.
    kernel = random((k, k, 2, 3), seed=1)  # conv: 2 -> 3 channels; transposed with the same array: 3 -> 2
    y = random((1, 4, 4, 3), seed=2)
    size = transposed_output_size(4, k, stride, "valid")
    z = random((1, size, size, 2), seed=3)
    assert conv_output_size(size, k, stride) == 4
    forward = np.sum(conv2d(z, kernel, stride) * y)
    assert forward == pytest.approx(np.sum(z * conv2d_transpose(y, kernel, stride)), rel=1e-5)


def test_overlap_counts_show_the_checkerboard():
    uneven = overlap_counts(4, 3, 2)  # 3 is not divisible by 2
    assert uneven.shape == (9, 9)
    assert list(uneven[3, 2:7]) == [2, 1, 2, 1, 2]  # interior alternates: the checkerboard
    assert list(uneven[4, 2:7]) == [4, 2, 4, 2, 4]  # (1-D counts 1, 1, 2, 1, 2, 1, 2, 1, 1, row times column)
    even = overlap_counts(4, 4, 2)  # 4 is divisible by 2
    assert np.all(even[2:-2, 2:-2] == 4)  # interior is uniform
    assert np.all(overlap_counts(4, 2, 2) == 1)  # stamps tile exactly
    assert overlap_counts(5, 3, 2).sum() == 5 * 5 * 3 * 3  # every input pixel stamps k * k cells


# Batch normalization

@pytest.mark.parametrize("shape", [(4, 5, 6, 3), (16, 2)])
@pytest.mark.parametrize("momentum, epsilon", [(0.99, 1e-3), (0.9, 1e-3), (0.9, 1e-5)])
def test_batch_norm_matches_keras(shape, momentum, epsilon):
    channels = shape[-1]
    layer = keras().layers.BatchNormalization(momentum=momentum, epsilon=epsilon)
    layer.build((None,) + shape[1:])
    rng = np.random.default_rng(0)
    gamma, beta = rng.uniform(0.5, 2, channels), rng.uniform(-1, 1, channels)
    moving_mean, moving_var = rng.uniform(-1, 1, channels), rng.uniform(0.5, 2, channels)
    layer.set_weights([w.astype(np.float32) for w in (gamma, beta, moving_mean, moving_var)])
    x = (random(shape) * 3 + 1).astype(np.float32)

    y, new_mean, new_var, steps = batch_norm_forward(x, gamma, beta, epsilon, True, moving_mean, moving_var, momentum)
    np.testing.assert_allclose(y, layer(x, training=True).numpy(), atol=1e-4)
    np.testing.assert_allclose(new_mean, layer.moving_mean.numpy(), atol=1e-5)
    np.testing.assert_allclose(new_var, layer.moving_variance.numpy(), atol=1e-5)
    np.testing.assert_allclose(steps["x_hat"].mean(axis=tuple(range(len(shape) - 1))), 0, atol=1e-6)

    other = random(shape, seed=5)
    y_inference, same_mean, _, _ = batch_norm_forward(other, gamma, beta, epsilon, False, new_mean, new_var, momentum)
    np.testing.assert_allclose(y_inference, layer(other, training=False).numpy(), atol=1e-4)
    np.testing.assert_array_equal(same_mean, new_mean)  # inference leaves the moving statistics alone


def test_batch_norm_training_output_has_mean_beta_and_std_gamma():
    x = random((8, 4, 4, 2)) * 5 + 3
    y, *_ = batch_norm_forward(x, gamma=[2.0, 0.5], beta=[1.0, -1.0], epsilon=1e-8)
    np.testing.assert_allclose(y.mean(axis=(0, 1, 2)), [1.0, -1.0], atol=1e-6)
    np.testing.assert_allclose(y.std(axis=(0, 1, 2)), [2.0, 0.5], atol=1e-6)
    with pytest.raises(ValueError, match="one value per channel"):
        batch_norm_forward(x, gamma=[1.0], beta=[0.0, 0.0])


# Output sizes against real Keras layers

def layer_shape(layer, height, width) -> tuple:
    return tuple(layer(np.zeros((1, height, width, 1), np.float32)).shape[1:3])


@pytest.mark.parametrize("padding", PADDINGS)
def test_conv_output_size_matches_keras_conv2d(padding):
    layers = keras().layers
    for k, stride, (height, width) in itertools.product(KERNELS, STRIDES, SIZES):
        layer = layers.Conv2D(1, k, strides=stride, padding=padding)
        expected = (conv_output_size(height, k, stride, padding), conv_output_size(width, k, stride, padding))
        assert layer_shape(layer, height, width) == expected, (k, stride, height, width)
        if padding == "valid":  # the textbook formula with p = 0 says the same
            assert expected[0] == (height + 2 * 0 - k) // stride + 1
    for k, (height, width) in itertools.product(KERNELS, SIZES):  # Keras allows dilation only with stride 1
        layer = layers.Conv2D(1, k, dilation_rate=2, padding=padding)
        if padding == "valid" and 2 * (k - 1) + 1 > min(height, width):
            continue
        assert layer_shape(layer, height, width) == (conv_output_size(height, k, 1, padding, 2),
                                                     conv_output_size(width, k, 1, padding, 2))


@pytest.mark.parametrize("padding", PADDINGS)
def test_pool_output_size_matches_keras_max_pooling(padding):
    for size, stride, (height, width) in itertools.product(KERNELS, (None,) + STRIDES, SIZES):
        layer = keras().layers.MaxPooling2D(size, strides=stride, padding=padding)
        expected = max_pool2d(np.zeros((1, height, width, 1)), size, stride, padding).shape[1:3]
        assert layer_shape(layer, height, width) == expected
        assert expected == (conv_output_size(height, size, stride or size, padding),
                            conv_output_size(width, size, stride or size, padding))


@pytest.mark.parametrize("padding", PADDINGS)
def test_transposed_output_size_matches_keras_conv2d_transpose(padding):
    for k, stride, (height, width) in itertools.product(KERNELS, STRIDES, SIZES[:3]):
        for output_padding in output_paddings(stride):
            if padding == "same" and k % 2 == 0 and output_padding == 0:
                continue  # TensorFlow cannot build this shape; ours raises (tested above)
            layer = keras().layers.Conv2DTranspose(1, k, strides=stride, padding=padding,
                                                   output_padding=output_padding)
            expected = (transposed_output_size(height, k, stride, padding, output_padding),
                        transposed_output_size(width, k, stride, padding, output_padding))
            assert layer_shape(layer, height, width) == expected, (k, stride, output_padding, height, width)
            if output_padding is not None:  # the textbook formula (n - 1)s - 2p + k + output padding
                pad = 0 if padding == "valid" else k // 2
                assert expected[0] == (height - 1) * stride - 2 * pad + k + output_padding
