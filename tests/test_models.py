"""Models: every kind and upsampling builds, keeps shapes, exposes its bottleneck, and saves safely."""

import numpy as np
import pytest

from aecore import tasks

from aecore.models import MODELS, ModelConfig, PixelShuffle, build, code_as_image, describe, encoder
from aecore.runtime import tf

VARIANTS = [ModelConfig(kind=kind, latent_dim=16) for kind in MODELS.names()] + [
    ModelConfig(kind="unet", upsampling=up, batch_norm=bn, skip=skip)
    for up in ("transpose", "nearest", "pixel_shuffle") for bn, skip in ((True, True), (False, False))] + [
    ModelConfig(kind="codec_conv", latent_dim=16, upsampling=up) for up in ("nearest", "pixel_shuffle")]


@pytest.mark.parametrize("config", VARIANTS, ids=lambda c: f"{c.kind}-{c.upsampling}-bn{c.batch_norm}-skip{c.skip}")
def test_shapes_bottleneck_and_summary(config):
    size = (28, 28) if config.family.fixed_size else (None, None)
    model = build(config, (*size, 1), output_channels=2)
    images = np.random.default_rng(0).random((3, 28, 28, 1), dtype=np.float32)
    outputs = model.predict(images, verbose=0)
    assert outputs.shape == (3, 28, 28, 2)
    assert 0.0 <= outputs.min() and outputs.max() <= 1.0
    summary = describe(model, (28, 28, 1))
    assert summary.total_params == model.count_params() > 0
    assert summary.rows[-1].output_shape == (28, 28, 2)
    codes = encoder(model).predict(images, verbose=0)
    assert codes.shape[1:] == summary.bottleneck_shape
    assert summary.compression == pytest.approx(28 * 28 / np.prod(summary.bottleneck_shape))


@pytest.mark.parametrize("config", VARIANTS, ids=lambda c: f"{c.kind}-{c.upsampling}-bn{c.batch_norm}-skip{c.skip}")
def test_every_variant_saves_and_loads_safely(config, tmp_path):
    from aecore import saving, tasks
    from aecore.tasks import new_setup
    from aecore.train import new_model

    # The first tab that offers this kind (a VAE family is the vae task's), on that task's own data.
    task = next((name for name in tasks.names() if config.kind in tasks.get(name).model_kinds), None)
    assert task is not None, f"no task offers the model kind {config.kind!r}"
    setup = new_setup(task, model=config)
    model = new_model(setup)
    images = np.random.default_rng(2).random((2, *setup.image_shape[:2], model.input_shape[-1]), dtype=np.float32)
    loaded, again, _ = saving.load(saving.save(model, setup, tmp_path / "model.keras"))  # safe_mode=True
    assert again == setup
    np.testing.assert_allclose(loaded.predict(images, verbose=0), model.predict(images, verbose=0), atol=1e-6)


def test_fully_convolutional_models_take_any_multiple_of_their_size():
    model = build(ModelConfig(depth=3), (None, None, 3), output_channels=3)
    assert ModelConfig(depth=3).size_multiple == 8
    assert model.predict(np.zeros((1, 40, 64, 3), np.float32), verbose=0).shape == (1, 40, 64, 3)


def test_skip_connections_and_batch_norm_change_the_graph():
    with_all = build(ModelConfig(), (None, None, 1), 1)
    without = build(ModelConfig(skip=False, batch_norm=False), (None, None, 1), 1)
    kinds = lambda m: [type(layer).__name__ for layer in m.layers]  # noqa: E731
    assert "Concatenate" in kinds(with_all) and "BatchNormalization" in kinds(with_all)
    assert "Concatenate" not in kinds(without) and "BatchNormalization" not in kinds(without)
    assert with_all.get_layer("down0_bn1").momentum == pytest.approx(0.9)


def test_pixel_shuffle_matches_tensorflows_depth_to_space():
    values = np.random.default_rng(1).random((2, 5, 7, 12), dtype=np.float32)
    ours = np.asarray(PixelShuffle(2)(values))
    np.testing.assert_allclose(ours, tf().nn.depth_to_space(values, 2).numpy())
    assert ours.shape == (2, 10, 14, 3)


def test_residual_output_is_clipped_to_unit_range():
    model = build(ModelConfig(residual=True), (None, None, 1), 1)
    assert model.get_layer("input_plus_correction") is not None
    outputs = model.predict(np.ones((1, 16, 16, 1), np.float32), verbose=0)
    assert outputs.max() <= 1.0


@pytest.mark.parametrize("bad", [dict(kind="no_such_family"), dict(upsampling="bilinear"), dict(depth=0),
                                 dict(latent_dim=1), dict(base_filters=1000), dict(bn_momentum=1.0)])
def test_bad_settings_raise_value_error(bad):
    with pytest.raises(ValueError, match=list(bad)[0].split("_")[0]):
        ModelConfig(**bad).validate()


def test_dense_code_becomes_a_square_image():
    image = code_as_image(np.arange(10, dtype=np.float32))
    assert image.shape == (4, 4) and image.max() == 1.0 and image[-1, -1] == 0.0


def test_dense_needs_a_fixed_size():
    with pytest.raises(ValueError, match="fixed image size"):
        build(ModelConfig(kind="dense"), (None, None, 1), 1)


def test_a_unet_too_wide_for_a_shared_server_is_refused_naming_what_fits():
    from aecore.models.unet import MAX_WIDTH

    with pytest.raises(ValueError, match="at depth 5 use at most 16 base filters"):
        ModelConfig(depth=5, base_filters=64).validate()
    for depth in range(1, 6):  # the widest allowed at every depth builds, at a size a shared server can hold
        widest = ModelConfig(depth=depth, base_filters=min(64, MAX_WIDTH // 2 ** depth)).validate()
        assert build(widest, (None, None, 3), 3).count_params() < 20_000_000


def test_a_family_narrows_a_field_and_validation_and_the_sliders_follow():
    import gradio as gr

    from demo.task_tab import controls

    with pytest.raises(ValueError, match="latent_dim must be between 2 and 32"):
        ModelConfig(kind="vae_dense", latent_dim=64).validate()
    assert ModelConfig(kind="vae_dense").field_range("latent_dim") == (2, 32)
    assert ModelConfig(kind="dense").field_range("latent_dim") == (2, 512)  # the field's own range
    settings = controls.Settings(tasks.get("denoise"))
    with gr.Blocks():
        controls.model_controls(settings, ModelConfig(depth=2, base_filters=64), (32, 32, 3))
    values = [{"kind": "unet", "depth": 5, "base_filters": 64}.get(name, getattr(ModelConfig(), name))
              for name in settings.model]
    fitted, updates, note = controls.fit_model_ranges(settings, values, "depth", (32, 32, 3))  # depth 2 -> 5, 64 filters
    sliders = dict(zip(controls.MODEL_SLIDERS, updates))
    assert dict(zip(settings.model, fitted))["base_filters"] == 16 == sliders["base_filters"]["value"]
    assert sliders["base_filters"]["maximum"] == 16 and sliders["latent_dim"]["maximum"] == 512
    assert "Base filters is now 16" in note
    ModelConfig(depth=5, base_filters=16).validate()  # what the sliders now say builds


def test_the_depth_slider_offers_only_what_the_images_divide_by():
    import gradio as gr

    from demo.task_tab import controls

    assert ModelConfig().field_range("depth", (28, 28, 1)) == (1, 2)  # 28 = 4 x 7: two halvings at most
    assert ModelConfig().field_range("depth", (32, 32, 3)) == (1, 5)
    assert ModelConfig().field_range("depth", (64, 64, 3)) == (1, 5)
    settings = controls.Settings(tasks.get("denoise"))
    with gr.Blocks():
        controls.model_controls(settings, ModelConfig(depth=2), (28, 28, 1))
    assert settings.model["depth"].maximum == 2
    values = [{"kind": "unet", "depth": 4}.get(name, getattr(ModelConfig(), name)) for name in settings.model]
    fitted, updates, note = controls.fit_model_ranges(settings, values, None, (28, 28, 1))  # the data changed
    assert dict(zip(settings.model, fitted))["depth"] == 2 and "Depth is now 2" in note and "28x28" in note
