"""aecore.experiments: the numbers behind the Lessons tab's widgets."""

import math

import numpy as np
import pytest

from aecore import experiments


def test_conv_size_formula_fills_in_the_numbers():
    size, formula = experiments.conv_size_formula(7, 3, 2, "valid")
    assert size == 3 and formula.endswith("= 3") and "(7 + 2*0" in formula
    assert experiments.conv_size_formula(7, 3, 2, "same")[0] == 4
    assert experiments.conv_size_formula(12, 3, 1, "valid", dilation=3)[0] == 6  # spans 7 cells


def test_conv_frames_one_step_per_output_cell():
    grid, kernel, steps = experiments.conv_frames(6, 3, stride=2, padding="same")
    assert grid.shape == (6, 6) and kernel.shape == (3, 3) and len(steps) == 9
    assert steps[4].arithmetic().endswith(f"= {steps[4].total:g}")


def test_classic_kernels_respond_to_a_vertical_edge():
    step = np.zeros((16, 16))
    step[:, 8:] = 1.0  # dark left half, bright right half
    maps = experiments.classic_kernels(step)
    sobel_x = maps["Sobel x (vertical edges)"][1]
    assert sobel_x.shape == (16, 16)
    assert sobel_x[8, 7:9].min() == pytest.approx(4.0)  # the full Sobel response at the edge
    assert np.abs(sobel_x[8, 1:6]).max() == 0 and np.abs(sobel_x[8, 10:15]).max() == 0  # flat areas: nothing
    assert np.abs(maps["Sobel y (horizontal edges)"][1][1:-1]).max() == 0  # no horizontal edge anywhere inside
    blur = maps["Blur (3x3 box)"][1]
    assert blur[8, 2] == pytest.approx(0.0) and blur[8, 12] == pytest.approx(1.0)


def test_learned_kernels_are_the_first_layer_of_the_model():
    from aecore.runtime import keras
    from aecore.tasks import new_setup
    from aecore.train import new_model

    model = new_model(new_setup("denoise"))  # U-Net: the first layer is a 3x3 Conv2D, 8 filters
    image = np.random.default_rng(0).random((20, 24))
    maps = experiments.learned_kernels(model, image)
    assert len(maps) == 8 and all(kernel.shape == (3, 3) for kernel, _ in maps.values())
    first = next(layer for layer in model.layers if type(layer).__name__ == "Conv2D")
    keras_maps = keras().Model(model.input, first.output)(image[None, :, :, None].astype(np.float32))[0].numpy()
    for i, (_, feature) in enumerate(maps.values()):  # the NumPy conv2d agrees with Keras' own layer
        np.testing.assert_allclose(feature, keras_maps[..., i], atol=1e-5)


def test_to_gray_shrinks_big_colour_images():
    image = np.full((300, 150, 3), 255, np.uint8)
    gray = experiments.small_gray(image, max_size=100)
    assert gray.shape == (100, 50) and gray.max() == pytest.approx(1.0)


def test_pooling_keeps_one_cell_per_window_and_upsamples_back():
    grid = np.arange(16, dtype=float).reshape(4, 4)
    pooled = experiments.pool_and_upsample(grid, 2)
    assert pooled.max_pooled.tolist() == [[5, 7], [13, 15]]
    assert pooled.avg_pooled.tolist() == [[2.5, 4.5], [10.5, 12.5]]
    assert pooled.kept.sum() == 4 and pooled.kept[1, 1] and pooled.kept[3, 3]
    assert pooled.max_restored.shape == (4, 4) and pooled.max_restored[0, 0] == 5


def test_high_pass_of_a_constant_is_zero_and_of_a_checkerboard_is_not():
    assert np.abs(experiments.high_pass(np.full((12, 12), 0.7))).max() < 1e-9
    checkerboard = (np.indices((12, 12)).sum(axis=0) % 2).astype(float)
    assert np.abs(experiments.high_pass(checkerboard)).mean() > 0.5


def test_batch_norm_table_follows_the_formula():
    rows = experiments.batch_norm_table([1, 2, 3, 6])
    assert len(rows) == 4 and len(rows[0]) == len(experiments.BN_COLUMNS)
    assert rows[0][2] == 3.0 and rows[0][3] == 3.5  # mean and biased variance
    assert rows[3][4] == pytest.approx(3 / math.sqrt(3.5 + 1e-3), abs=1e-4)
    shifted = experiments.batch_norm_table([1, 2, 3, 6], gamma=2.0, beta=1.0)
    assert shifted[3][5] == pytest.approx(2 * rows[3][4] + 1, abs=1e-3)


def test_moving_stats_with_momentum_09_catch_up_sooner():
    slow = experiments.moving_stats_pitfall(0.99, steps=100)
    fast = experiments.moving_stats_pitfall(0.9, steps=100)
    assert slow.moving_mean.shape == (101,) and slow.moving_mean[0] == 0 and slow.moving_var[0] == 1
    assert abs(fast.moving_mean[-1] - 3.0) < abs(slow.moving_mean[-1] - 3.0)
    assert abs(fast.moving_var[-1] - 4.0) < abs(slow.moving_var[-1] - 4.0)
    gap = lambda r: np.abs(r.train_output - r.inference_output).mean()  # noqa: E731
    assert gap(fast) < gap(slow)


def test_bn_histograms_normalize_each_channel():
    images = np.random.default_rng(0).random((8, 12, 12, 1))
    before, after = experiments.bn_histograms(images, filters=4)
    assert before.shape == after.shape == (8 * 12 * 12, 4)
    assert np.allclose(after.mean(axis=0), 0, atol=1e-3)
    spread = after.std(axis=0)  # just under 1: epsilon (1e-3) is added to the small conv variances
    assert np.all((spread > 0.8) & (spread <= 1.0)) and not np.allclose(before.std(axis=0), spread, atol=0.1)


@pytest.mark.parametrize("kind, size, bottleneck", [("unet", 30, (8, 8, 64)), ("conv", 28, None), ("dense", 28, (32,))])
def test_network_shapes_rounds_the_size_up(kind, size, bottleneck):
    summary = experiments.network_shapes(kind, depth=2, base_filters=16, size=size)
    assert summary.input_shape[0] % {"unet": 4, "conv": 4, "dense": 1}[kind] == 0
    assert summary.rows[-1].output_shape == summary.input_shape
    if bottleneck:
        assert summary.bottleneck_shape == bottleneck


def test_compare_upsampling_trains_three_decoders():
    runs = experiments.compare_upsampling(seconds=1)
    assert [run.upsampling for run in runs] == ["transpose", "nearest", "pixel_shuffle"]
    for run in runs:
        assert math.isfinite(run.final_loss) and run.losses
        assert run.output.shape == run.clean.shape == (28, 28, 1)


def test_batch_norm_on_off_gives_two_finite_curves():
    curves = experiments.batch_norm_on_off(seconds=1)
    assert list(curves) == ["with batch norm", "without batch norm"]
    for points in curves.values():
        assert points and all(math.isfinite(loss) for _, loss in points)


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_transposed_frames_add_up_to_the_transposed_convolution(padding):
    from aecore import ops

    grid, kernel, stamps = experiments.transposed_frames(3, 3, stride=2, padding=padding)
    assert len(stamps) == 9 and [(s.row, s.col) for s in stamps][:2] == [(0, 0), (0, 1)]
    whole = ops.conv2d_transpose(grid[None, :, :, None], kernel[:, :, None, None], 2, padding)[0, :, :, 0]
    np.testing.assert_allclose(stamps[-1].output, whole)  # every stamp added: the whole output
    assert stamps[-1].region.sum() == (9 if padding == "valid" else 4)  # "same" crops the last row and column
    assert "adds" in stamps[4].arithmetic()


def test_the_convolution_widget_answers_every_setting_its_sliders_allow(monkeypatch):
    """Every reachable combination of the lesson widget's sliders gets the formula's output size, and a frame
    slider whose minimum stays below its maximum (input 6, kernel 5, stride 2 'valid' is one 1x1 output)."""
    import itertools
    import re

    from demo.lessons_tab import widgets

    monkeypatch.setattr(widgets.figures, "conv_frame", lambda *args: None)  # the numbers, not 900 pictures
    for n, k, stride, dilation, padding in itertools.product(range(3, 13), range(1, 6), range(1, 4), range(1, 4),
                                                             ("valid", "same")):
        note, slider, _, _ = widgets.conv_view(n, k, stride, padding, dilation, 10_000)
        span = dilation * (k - 1) + 1
        expected = -(-n // stride) if padding == "same" else (n - span) // stride + 1
        if expected < 1:
            assert "does not fit" in note
            continue
        assert f"Output: {expected} x {expected}" in note, (n, k, stride, dilation, padding, note)
        assert slider["maximum"] >= 1 and slider["value"] == expected * expected - 1
        assert slider["interactive"] == (expected > 1)
        assert re.search(rf"= {expected}\b", note)


def test_every_number_on_a_widget_grid_reads_with_wcag_aa_contrast():
    """Numbers on the convolution, pooling and transposed-convolution grids: black or white, whichever reads on the
    cell's colour, at WCAG AA (4.5:1) — never black on dark navy or dark red on dark green."""
    from matplotlib.colors import to_rgb

    from aecore import ops
    from demo.lessons_tab import widget_figures as figures

    grid, kernel, steps = experiments.conv_frames(6, 3, 1, "same")
    output = np.array([step.total for step in steps]).reshape(6, 6)
    small, stamp_kernel, stamps = experiments.transposed_frames(3, 3, 2, "valid")
    drawn = [figures.conv_frame(grid, kernel, steps[20], output),
             figures.pooling_grid(experiments.pool_and_upsample(experiments.random_grid(6, 0, high=9), 2)),
             figures.transposed_frame(small, stamp_kernel, stamps[-1]),
             figures.overlap_map(ops.overlap_counts(4, 3, 2), 3, 2)]
    checked = 0
    for figure in drawn:
        for axis in figure.axes:
            if not axis.images:
                continue
            image = axis.images[0]
            values = image.get_array()
            for text in axis.texts:
                col, row = (round(v) for v in text.get_position())
                if not (0 <= row < values.shape[0] and 0 <= col < values.shape[1]):
                    continue
                cell = image.cmap(image.norm(values[row, col]))
                assert figures.contrast(cell, to_rgb(text.get_color())) >= 4.5, (axis.get_title(), text.get_text())
                checked += 1
    assert checked > 50
