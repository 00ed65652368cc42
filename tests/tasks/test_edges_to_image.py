"""Edges → image: the Canny corruption, the PatchGAN, one adversarial step, the watchdog that stops a
collapsed or diverging GAN, the sharpness metric, the pretrained models, the tab's own views (side by side,
the discriminator's patch map, the sketch pad) and the scripting endpoint."""

import base64
import dataclasses

import cv2
import numpy as np
import pytest

from aecore import corruptions, data, metrics, pretrained, tasks
from aecore.evaluate import evaluate, held_out
from aecore.images import load_image
from aecore.tasks import make_pairs, new_setup
from aecore.tasks.edges_to_image import adversarial
from aecore.tasks.edges_to_image.adversarial import Adversarial, Pix2Pix, WatchTheDiscriminator
from aecore.tasks.edges_to_image.edges import as_edge_map
from aecore.tasks.edges_to_image.patchgan import build_patchgan, receptive_field
from aecore.tasks.edges_to_image.sharpness import sharpness_ratio
from aecore.train import TrainConfig, copy_model, new_model, train

TASK = "edges_to_image"


def garments(count=16):
    return data.to_float(data.load("fashion_mnist").x_test[:count])  # (count, 28, 28, 1)


def square(side=32, channels=1):
    image = np.zeros((1, side, side, channels), np.float32)
    image[:, 8:24, 8:24] = 0.9  # a bright square on black
    return image


@pytest.mark.parametrize("channels", [1, 3])
def test_edges_are_white_outlines_on_black_with_the_image_channels(channels):
    out = corruptions.apply("edges", square(channels=channels), seed=0, jitter=0.0)
    assert out.images.shape == (1, 32, 32, channels) and set(np.unique(out.images)) == {0.0, 1.0}
    lines = out.images[0, ..., 0] > 0
    assert lines[7:25, 7:25].sum() == lines.sum() > 40  # on the square's border ...
    assert not lines[11:21, 11:21].any() and not lines[:5].any()  # ... not inside it, not on the flat background


def test_thresholds_and_blur_control_how_many_edges_survive():
    images = garments()
    share = {name: corruptions.apply("edges", images, seed=0, jitter=0.0, **params).images.mean()
             for name, params in {"default": {}, "strict": dict(low=150, high=250), "blurred": dict(blur=2.0)}.items()}
    assert share["strict"] < share["default"] and share["blurred"] < share["default"]
    with pytest.raises(ValueError, match="high must be between"):
        corruptions.apply("edges", images, high=300)


def test_a_pencil_sketch_and_an_edge_map_read_the_same():
    edges = corruptions.apply("edges", square(), seed=0).images  # white on black
    np.testing.assert_array_equal(as_edge_map(1.0 - edges), edges)  # dark lines on paper are inverted
    np.testing.assert_array_equal(as_edge_map(edges), edges)


@pytest.mark.parametrize("side, patches", [(28, 7), (64, 16)])
def test_the_discriminator_gives_one_verdict_per_patch(side, patches):
    discriminator = build_patchgan(1, 3)
    edges = np.zeros((2, side, side, 1), np.float32)
    images = np.random.default_rng(0).random((2, side, side, 3), dtype=np.float32)
    before = discriminator([edges, images]).numpy()
    assert before.shape == (2, patches, patches, 1)
    images[:, :4, :4] = 1.0 - images[:, :4, :4]  # change the top-left corner only
    after = discriminator([edges, images]).numpy()
    changed = np.abs(after - before)[0, ..., 0] > 1e-6
    reach = -(-(receptive_field() // 2 + 4) // 4)  # patches whose 22x22 field can see the corner
    assert changed[0, 0] and not changed[reach:, :].any() and not changed[:, reach:].any()


def test_one_step_moves_both_players_and_reports_every_term():
    setup = new_setup(TASK)
    pairs = make_pairs(setup, garments(), seed=0)
    generator = new_model(setup)
    trainer = Adversarial().trainer(generator, setup, TrainConfig(), {})
    assert isinstance(trainer, Pix2Pix) and Adversarial().companions(trainer) == {"discriminator": trainer.discriminator}
    generator_before = [w.copy() for w in generator.get_weights()]
    discriminator_before = [w.copy() for w in trainer.discriminator.get_weights()]
    logs = trainer.train_on_batch(pairs.inputs, pairs.targets, return_dict=True)
    assert set(logs) == set(adversarial.TERMS)
    weight = setup.options["l1_weight"]
    assert logs["loss"] == pytest.approx(logs["generator_loss"] + weight * logs["l1_loss"], rel=1e-4)
    for before, model in ((generator_before, generator), (discriminator_before, trainer.discriminator)):
        assert all(not np.array_equal(b, a) for b, a in zip(before, model.get_weights()) if b.ndim > 1)


def test_without_the_discriminator_it_is_the_plain_l1_autoencoder():
    setup = new_setup(TASK, options={"adversarial": False})
    pairs = make_pairs(setup, garments(), seed=0)
    model = new_model(setup)
    trainer = Adversarial().trainer(model, setup, TrainConfig(), {})
    assert trainer.discriminator is None and not Adversarial().callbacks(model, setup, None)
    before = [w.copy() for w in model.get_weights()]
    logs = trainer.train_on_batch(pairs.inputs, pairs.targets, return_dict=True)
    assert set(logs) == {"loss", "l1_loss"} and logs["loss"] == logs["l1_loss"]
    assert not np.array_equal(before[0], model.get_weights()[0])


def test_fine_tuning_resumes_the_game_with_the_discriminator_it_was_trained_against():
    generator, setup, _ = pretrained.load(TASK)
    saved = pretrained.companions(TASK)["discriminator"]  # saved beside the pretrained generator
    first = Adversarial().trainer(copy_model(generator), setup, TrainConfig(), {"discriminator": saved})
    assert first.discriminator is not saved  # a copy: the pretrained one's patch map stays as it was
    for resumed, expected in zip(first.discriminator.get_weights(), saved.get_weights(), strict=True):
        np.testing.assert_array_equal(resumed, expected)
    # The training result carries it, and fine-tuning that model again resumes with it
    result = train(setup, TrainConfig(seconds=600, epochs=1, samples=64, validation_samples=16),
                   initial_model=copy_model(generator), companions={"discriminator": saved})
    trained = result.companions["discriminator"]
    assert not np.array_equal(trained.get_weights()[0], saved.get_weights()[0])  # it went on learning
    second = Adversarial().trainer(copy_model(result.model), setup, TrainConfig(), result.companions)
    np.testing.assert_array_equal(second.discriminator.get_weights()[0], trained.get_weights()[0])
    fresh = Adversarial().trainer(new_model(setup), setup, TrainConfig(), {})  # from scratch: a new discriminator
    assert not np.array_equal(fresh.discriminator.get_weights()[0], saved.get_weights()[0])
    other = build_patchgan(1, 4 - setup.image_shape[-1])  # it judges other images (colour, not gray): a new one
    judge = Adversarial().trainer(new_model(setup), setup, TrainConfig(), {"discriminator": other}).discriminator
    assert judge.input_shape[1][-1] == setup.image_shape[-1]


class FakeTrainer:
    """What the watchdog reads from a trainer: the latest batch's losses; it writes stop_training and why."""

    def __init__(self):
        self.latest, self.stop_training, self.stopped_because = None, False, ""


class Latest:
    def __init__(self, value):
        self.value = value

    def numpy(self):
        return np.array([self.value, 1.0])


def test_the_watchdog_keeps_the_generator_from_before_a_collapse():
    generator = new_model(new_setup(TASK))
    watch = WatchTheDiscriminator(generator, collapse_below=0.01, diverge_above=2.5, patience=5, every=10)
    trainer = FakeTrainer()
    watch.set_model(trainer)
    watch.on_train_begin()
    nudge = lambda: generator.set_weights([w + 0.01 for w in generator.get_weights()])  # noqa: E731
    for step in range(1, 21):  # healthy: the snapshot at step 20 is the last good generator
        trainer.latest = Latest(0.6)
        nudge()
        watch.on_train_batch_end(step)
    good = [w.copy() for w in generator.get_weights()]
    for step in range(5):  # the discriminator wins: 5 steps below 0.01
        trainer.latest = Latest(0.001)
        nudge()
        watch.on_train_batch_end(step)
    assert trainer.stop_training and "discriminator won" in trainer.stopped_because
    assert "step 20" in trainer.stopped_because
    for kept, expected in zip(generator.get_weights(), good):
        np.testing.assert_array_equal(kept, expected)


@pytest.mark.parametrize("forced, words", [(dict(collapse_below=10.0), "discriminator won"),
                                            (dict(collapse_below=-1.0, diverge_above=-1.0), "lost its footing")])
def test_a_forced_collapse_stops_training_and_says_why(monkeypatch, forced, words):
    task = tasks.get(TASK)
    objective = dataclasses.replace(task.objective, patience=5, **forced)
    monkeypatch.setitem(tasks.TASKS._items, TASK, dataclasses.replace(task, objective=objective))
    setup = new_setup(TASK)
    model = new_model(setup)
    start = [w.copy() for w in model.get_weights()]
    result = train(setup, TrainConfig(seconds=600, epochs=1, samples=256, validation_samples=16), initial_model=model)
    assert result.stopped == "objective" and result.steps == 5
    assert words in result.note and "Try a larger λ" in result.note
    for kept, before in zip(result.model.get_weights(), start):  # it began at once: the untrained generator
        np.testing.assert_array_equal(kept, before)


def test_sharpness_is_one_for_the_real_image_below_for_blur_above_for_noise():
    images = garments()
    blurred = np.stack([cv2.GaussianBlur(image, (0, 0), 1.0).reshape(image.shape) for image in images])
    noisy = np.clip(images + np.random.default_rng(0).normal(0, 0.1, images.shape), 0, 1).astype(np.float32)
    assert np.allclose(sharpness_ratio(images, images), 1.0)
    assert np.all(sharpness_ratio(images, blurred) < 0.6) and np.all(sharpness_ratio(images, noisy) > 1.0)
    assert np.isnan(sharpness_ratio(np.zeros((1, 8, 8, 1)), np.ones((1, 8, 8, 1)))[0])  # a flat image: undefined
    assert metrics.score(images, blurred, names=("sharpness",))["sharpness"] < 0.6
    assert "sharpness" in tasks.get(TASK).metrics


def test_pretrained_models_are_small_current_and_the_gan_is_sharper():
    task = tasks.get(TASK)
    for variant in ("", *task.pretrained_variants, "discriminator"):
        path = pretrained.path(TASK, variant)
        assert path.is_file() and path.stat().st_size <= 2 * 2**20, f"{path.name}: run make pretrain"
    for variant, overrides in task.pretrained_variants.items():
        _, setup, _ = pretrained.load(TASK, variant)
        assert setup == new_setup(TASK, **overrides, model=task.model), f"{variant} was trained with old settings"
    model, setup, _ = pretrained.load(TASK)
    rows = {row["method"]: row for row in evaluate(model, setup, count=64)}
    assert rows["autoencoder"]["psnr"] > rows["corrupted"]["psnr"] + 5  # far better than the edges themselves
    assert abs(1 - rows["autoencoder"]["sharpness"]) < abs(1 - rows["l1_autoencoder"]["sharpness"])


def test_the_endpoint_answers_with_the_generated_image_the_l1_baseline_and_scores(server, tmp_path):
    gradio_client = pytest.importorskip("gradio_client")
    from aecore.images import save_image

    client = gradio_client.Client(server, verbose=False)
    photo = tmp_path / "garment.png"
    save_image(photo, garments(1)[0])
    generated, report = client.predict(gradio_client.handle_file(str(photo)), True, api_name=f"/{TASK}")
    assert load_image(generated).shape[:2] == (28, 28)
    assert {"corrupted", "l1_autoencoder", "autoencoder"} <= set(report["scores"])
    assert 0 < report["scores"]["autoencoder"]["sharpness"] < 5
    l1 = cv2.imdecode(np.frombuffer(base64.b64decode(report["l1_autoencoder_png"].split(",", 1)[1]), np.uint8),
                      cv2.IMREAD_UNCHANGED)
    assert l1.shape[:2] == (28, 28)

    sketch = tmp_path / "draw.png"  # dark lines on white paper, given as they are
    paper = np.ones((56, 56), np.float32)
    cv2.rectangle(paper, (14, 10), (42, 48), 0.0, 2)
    save_image(sketch, paper)
    generated, report = client.predict(gradio_client.handle_file(str(sketch)), False, api_name=f"/{TASK}")
    assert load_image(generated).shape[:2] == (56, 56) and report["scores"] == {}
    assert report["l1_autoencoder_png"].startswith("data:image/png;base64,")


def test_the_pretrained_discriminator_calls_real_garments_more_real_than_the_l1_blur():
    from demo.tasks.edges_to_image.common import pretrained_discriminator, realness

    _, setup, _ = pretrained.load(TASK)
    discriminator, _ = pretrained_discriminator()
    pairs, reference, _ = held_out(setup)
    real = realness(discriminator, pairs.inputs, pairs.clean)  # (B, 7, 7): P(real) of every patch
    blurry = realness(discriminator, pairs.inputs, reference["l1_autoencoder"])
    assert real.shape == (len(pairs.clean), 7, 7) and ((0 <= real) & (real <= 1)).all()
    assert real.mean() > blurry.mean() + 0.02
    assert (real.mean(axis=(1, 2)) > blurry.mean(axis=(1, 2))).mean() > 0.9  # on nearly every garment


def test_the_tab_views_answer_for_the_pretrained_models():
    from demo.session import TaskSession
    from demo.tasks.edges_to_image import compare, discriminator

    session = TaskSession(TASK)
    _, grid, means, text = compare.compare(session)
    assert list(means["method"]) == ["Edges (the input)", "L1-only autoencoder", "GAN (the model in use)"]
    gan, l1 = means.iloc[2], means.iloc[1]
    assert abs(1 - gan["sharpness (1 = real)"]) < abs(1 - l1["sharpness (1 = real)"]) and "sharpness" in text
    assert len(grid.axes) == compare.GRID_COUNT * len(compare.COLUMNS)
    _, patch_map, text = discriminator.discriminator_view(session, 3)
    assert len(patch_map.axes) == 4 and "discriminator trained beside the pretrained model" in text
    with pytest.raises(ValueError, match="whole number"):
        discriminator.discriminator_view(session, "third")


def test_a_drawing_is_read_as_edges_at_the_model_size_and_both_models_answer():
    from demo.session import TaskSession
    from demo.tasks.edges_to_image import draw

    paper = np.full((draw.CANVAS, draw.CANVAS, 3), 255, np.uint8)
    cv2.rectangle(paper, (60, 40), (220, 250), (0, 0, 0), 6)  # a 6-px pencil line: about one model pixel
    edges = draw.drawing_to_edges(paper, (28, 28))[..., 0]
    assert edges.shape == (28, 28) and edges[4, 6:22].all() and edges[4:25, 6].all()  # the line, where drawn ...
    assert not edges[8:22, 9:19].any() and not edges[:3].any()  # ... and nowhere else
    session = TaskSession(TASK)
    _, shown, generated, l1, text = draw.generate(session, {"composite": paper})
    pictures = [load_image(path) for path in (shown, generated, l1)]
    assert all(picture.shape[:2] == pictures[0].shape[:2] for picture in pictures) and "L1-only" in text
    assert not np.array_equal(pictures[1], pictures[2])  # the GAN and the L1 model draw different garments
    empty = np.full_like(paper, 255)
    assert draw.generate(session, {"composite": empty})[1:4] == (None, None, None)
    _, pad = draw.test_garment(session)
    assert load_image(pad["composite"]).shape[:2] == (draw.CANVAS, draw.CANVAS)
