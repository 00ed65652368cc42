"""Every registered task: shapes, ranges, gradients, learning, saving, evaluation and restoring."""

import numpy as np
import pytest

from aecore import data, saving, tasks
from aecore.evaluate import evaluate
from aecore.metrics import PSNR_CAP
from aecore.restore import EVERYWHERE, restore
from aecore.runtime import keras, tf
from aecore.tasks import make_pairs, new_setup
from aecore.train import new_model

TASKS = tasks.names()


def small_pairs(setup, count=8):
    clean = data.to_float(data.load(setup.dataset).x_test[:count])
    return make_pairs(setup, clean, seed=0)


def test_every_task_module_is_discovered_and_complete():
    import pkgutil

    import aecore.tasks

    modules = {info.name for info in pkgutil.iter_modules(aecore.tasks.__path__)} - {"setup", "task"}
    assert len(tasks.BUILTIN) == len(modules) >= 5  # one task per module, none listed by hand
    for name in TASKS:
        task = tasks.get(name)
        assert task.title and task.description and task.lesson and task.baselines
        assert data.why_unavailable(task.dataset) is None  # every default dataset works offline


@pytest.mark.parametrize("name", TASKS)
def test_output_matches_target_and_stays_in_range(name):
    setup = new_setup(name)
    pairs = small_pairs(setup)
    outputs = new_model(setup).predict(pairs.inputs, verbose=0)
    assert outputs.shape == pairs.targets.shape
    assert np.isfinite(outputs).all() and 0.0 <= outputs.min() and outputs.max() <= 1.0
    images = tasks.get(name).to_images(outputs, pairs.inputs, setup.options)
    assert images.shape == pairs.clean.shape


@pytest.mark.parametrize("name", TASKS)
def test_every_weight_gets_a_gradient(name):
    setup = new_setup(name)
    pairs = small_pairs(setup)
    model = new_model(setup)
    with tf().GradientTape() as tape:
        loss = keras().losses.MeanSquaredError()(pairs.targets, model(pairs.inputs, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    missing = [v.path for v, g in zip(model.trainable_variables, gradients) if g is None or not np.any(g.numpy())]
    assert not missing, f"no gradient reaches {missing}"


@pytest.mark.parametrize("name", TASKS)
def test_loss_falls_within_a_few_steps(name):
    setup = new_setup(name)
    pairs = small_pairs(setup, count=16)
    keras().utils.set_random_seed(0)
    model = new_model(setup)
    model.compile(optimizer=keras().optimizers.Adam(2e-3), loss="mse")
    history = model.fit(pairs.inputs, pairs.targets, batch_size=8, epochs=15, verbose=0).history["loss"]
    assert history[-1] < 0.9 * history[0]  # residual models start near the input, so the drop is modest


@pytest.mark.parametrize("name", TASKS)
def test_save_then_load_gives_identical_outputs(name, tmp_path):
    setup = new_setup(name)
    pairs = small_pairs(setup)
    model = new_model(setup)
    path = saving.save(model, setup, tmp_path / f"{name}.keras", note="untrained")
    loaded, loaded_setup, info = saving.load(path)
    assert loaded_setup == setup and info["note"] == "untrained"
    np.testing.assert_array_equal(model.predict(pairs.inputs, verbose=0), loaded.predict(pairs.inputs, verbose=0))


@pytest.mark.parametrize("name", TASKS)
def test_evaluation_scores_every_method_on_the_same_images(name):
    setup = new_setup(name)
    rows = evaluate(new_model(setup), setup, count=16)
    methods = [row["method"] for row in rows]
    assert methods == ["corrupted", *tasks.get(name).baselines, "autoencoder"]
    for row in rows:
        assert row["count"] == 16 and 0 < row["psnr"] <= 100 and -1 <= row["ssim"] <= 1
        assert set(row) == {"method", "count", *tasks.get(name).metrics}


@pytest.mark.parametrize("name", TASKS)
def test_restore_any_photo_size(name):
    setup = new_setup(name)
    photo = (np.random.default_rng(0).random((45, 61, 3)) * 255).astype(np.uint8)  # odd size, uint8 RGB
    result = restore(new_model(setup), setup, photo)
    channels = 3 if tasks.get(name).needs_color or tasks.get(name).by_channel else setup.image_shape[-1]
    assert result.restored.shape == (45, 61, channels)
    kept = set() if result.everywhere is None else {EVERYWHERE}  # tasks that keep the intact pixels show both
    assert set(result.scores) == {"corrupted", *result.baselines, "autoencoder", *kept}


def test_unknown_names_and_bad_parameters_are_clear():
    with pytest.raises(ValueError, match="unknown task"):
        new_setup("dehaze")
    with pytest.raises(ValueError, match="sigma must be between"):
        new_setup("denoise", params={"sigma": 3})
    with pytest.raises(ValueError, match="offers the corruptions"):
        new_setup("denoise", corruption="shadow")
    with pytest.raises(ValueError, match="needs colour images"):
        new_setup("colorize", dataset="digits")
    with pytest.raises(ValueError, match="predict must be one of"):
        new_setup("colorize", options={"predict": "hsv"})


PAINTING = [name for name in TASKS if tasks.get(name).paint is not None]


@pytest.mark.parametrize("name", PAINTING)
def test_a_painted_mask_damages_a_clean_photo_there(name):
    setup = new_setup(name)
    photo = np.full((40, 48, 3), 0.8, np.float32)
    mask = np.zeros((40, 48), bool)
    mask[8:24, 10:30] = True  # painted by the student
    result = restore(new_model(setup), setup, photo, mask=mask)
    assert np.all(result.mask[12:20, 14:26] > 0.5) and np.all(result.mask[30:, 35:] < 0.5)
    assert np.all(result.corrupted[12:20, 14:26] < 0.7)  # holes (inpainting) or a shadow (shadow removal)
    assert np.allclose(result.corrupted[30:, 35:], 0.8, atol=0.01)  # far from the paint: untouched
    assert 0 < result.scores["autoencoder"]["psnr_inside"] <= 100


KEEPING = [name for name in TASKS if tasks.get(name).intact is not None]


@pytest.mark.parametrize("name", KEEPING)
def test_the_pixels_known_to_be_intact_come_back_as_they_were(name):
    setup = new_setup(name)
    photo = np.random.default_rng(1).random((40, 48, 3)).astype(np.float32)
    mask = np.zeros((40, 48), bool)
    mask[8:24, 10:30] = True
    result = restore(new_model(setup), setup, photo, mask=mask)
    intact = result.mask[..., 0] == 0
    assert intact.mean() > 0.3 and np.array_equal(result.restored[intact], result.corrupted[intact])
    assert not np.array_equal(result.everywhere[intact], result.corrupted[intact])  # what the network alone paints
    assert np.array_equal(result.everywhere[~intact], result.restored[~intact])  # the holes: the network's own
    assert result.scores["autoencoder"]["psnr_outside"] > result.scores[EVERYWHERE]["psnr_outside"]


BY_CHANNEL = [name for name in TASKS if tasks.get(name).by_channel]


@pytest.mark.parametrize("name", BY_CHANNEL)
def test_a_gray_model_returns_a_colour_photo_in_colour(name):
    setup = new_setup(name)
    assert setup.image_shape[-1] == 1  # the default model sees gray
    photo = np.zeros((40, 48, 3), np.float32)
    photo[..., 0], photo[:, 24:, 2] = 0.9, 0.7  # red, and a blue half
    result = restore(new_model(setup), setup, photo)
    assert result.restored.shape == (40, 48, 3) and "one colour channel" in result.note
    assert result.restored[..., 0].mean() > result.restored[..., 1].mean() + 0.3  # still red, not gray
    gray = np.repeat(np.linspace(0, 1, 48, dtype=np.float32)[None, :, None], 40, axis=0).repeat(3, axis=-1)
    assert restore(new_model(setup), setup, gray).restored.shape == (40, 48, 1)  # a gray photo in RGB stays gray


def test_a_shadowed_photo_needs_its_shadow_painted():
    setup = new_setup("deshadow")
    photo = np.full((40, 48, 3), 0.6, np.float32)
    with pytest.raises(ValueError, match="paint where the shadow is"):
        restore(new_model(setup), setup, photo, corrupt=False)
    mask = np.zeros((40, 48), bool)
    mask[:, :20] = True
    result = restore(new_model(setup), setup, photo, corrupt=False, mask=mask)
    assert result.scores == {} and result.restored.shape == (40, 48, 3)
    assert np.allclose(result.corrupted, photo)  # the photo's own shadow: nothing is darkened
    assert set(result.baselines) == {"relight", "identity"}


def test_pretrained_weights_are_small_current_and_scored():
    from aecore import pretrained

    sizes = []
    for name in tasks.BUILTIN:  # every task of the project's own has weights; a toy from a test file has none
        path = pretrained.path(name)
        assert path.is_file(), f"{path} is missing: run make pretrain"
        sizes.append(path.stat().st_size)
        model, setup, info = pretrained.load(name)
        assert new_setup(name, dataset=setup.dataset, params=setup.params, options=setup.options,
                         model=setup.model) == setup, f"{path.name} was trained with settings the task no longer has"
        scores = {row["method"]: row["psnr"] for row in info["evaluation"]}
        # A task that reads the clean image (corruption "none") has nothing to undo: its input scores PSNR_CAP,
        # so the autoencoder must beat the task's best classical baseline instead.
        reference = scores["corrupted"] if scores["corrupted"] < PSNR_CAP else max(
            scores[method] for method in tasks.get(name).baselines)
        assert scores["autoencoder"] > reference, f"{path.name}: {scores}"
    assert max(sizes) <= 2 * 2**20 and sum(sizes) <= 15 * 2**20  # each at most 2 MB, all at most 15 MB


@pytest.mark.parametrize("kind", ["gray uint8", "RGBA uint8", "RGB uint16", "RGB float64"])
def test_restore_normalizes_any_channels_and_dtype(kind):
    setup = new_setup("denoise")
    rng = np.random.default_rng(3)
    channels = {"gray": 0, "RGBA": 4, "RGB": 3}[kind.split()[0]]
    shape = (30, 34) if channels == 0 else (30, 34, channels)
    dtype = kind.split()[1]
    photo = rng.random(shape) if dtype == "float64" else rng.integers(0, np.iinfo(dtype).max, shape).astype(dtype)
    result = restore(new_model(setup), setup, photo)
    kept = 1 if channels == 0 else 3  # colour in, colour out (the gray model restores each channel)
    assert result.restored.shape == (30, 34, kept) and result.clean.shape == (30, 34, kept)
    assert 0 <= result.clean.min() and result.clean.max() <= 1 and result.clean.std() > 0.05  # scaled, not clipped


def _origins(entry) -> set[str]:
    """The modules a registry entry's code comes from (the functions a dataclass entry holds, else its class)."""
    import dataclasses
    import inspect

    if dataclasses.is_dataclass(entry):
        return {value.__module__ for value in (getattr(entry, f.name) for f in dataclasses.fields(entry))
                if inspect.isfunction(value)}
    return {type(entry).__module__}


@pytest.mark.parametrize("name", tasks.BUILTIN)
def test_every_part_of_a_task_comes_from_its_own_package_or_the_shared_core(name):
    """An application's pieces live in aecore/tasks/<name>/ and demo/tasks/<name>/, or in what every task shares:
    never in another application's package."""
    from aecore.baselines import BASELINES
    from aecore.corruptions import CORRUPTIONS
    from aecore.metrics import METRICS
    from aecore.models import MODELS
    from demo.task_tab import SHARED
    from demo.tasks import VIEWS, tab_of

    task = tasks.get(name)
    origins = {type(task.objective).__module__}
    for registry, names in ((MODELS, task.model_kinds), (CORRUPTIONS, task.corruptions),
                            (BASELINES, task.baselines), (METRICS, task.metrics)):
        origins |= set().union(*(_origins(registry.get(entry)) for entry in names))
    origins |= {VIEWS[view].__name__ for view in tab_of(task).sections if view not in SHARED}
    others = [other for other in tasks.BUILTIN if other != name]
    foreign = sorted(module for module in origins for other in others
                     if module.startswith((f"aecore.tasks.{other}.", f"demo.tasks.{other}.")) or
                     module in (f"aecore.tasks.{other}", f"demo.tasks.{other}"))
    assert foreign == []
    own_views = [VIEWS[view].__name__ for view in tab_of(task).sections if view not in SHARED]
    assert all(module.startswith(f"demo.tasks.{name}.") for module in own_views), own_views


def test_every_section_keeps_the_contract_and_one_that_does_not_is_told_apart():
    """A section is a module with TITLE, step, build and wire (demo.task_tab.context.Section); the app's discovery
    refuses a view without them, by name, instead of failing later inside Gradio."""
    import types

    from demo.task_tab import SHARED
    from demo.task_tab.context import Section
    from demo.tasks import VIEWS

    assert all(isinstance(module, Section) for module in [*SHARED.values(), *VIEWS.values()])
    half = types.ModuleType("half")
    half.TITLE, half.step, half.build = "Half a section", (lambda task: ()), (lambda ctx: None)
    assert not isinstance(half, Section)  # no wire
