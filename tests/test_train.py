"""Brief training: progress reports, budgets, seeds, fine-tuning, divergence, losses, cancelling, and an
objective with its own training step under the same loop."""

import dataclasses
import threading

import numpy as np
import pytest

from aecore import tasks
from aecore import train as training
from aecore.evaluate import evaluate, held_out_pairs
from aecore.losses import LOSSES
from aecore.models import infer
from aecore.objectives import Reconstruction, adam
from aecore.runtime import keras, tf
from aecore.tasks import new_setup
from aecore.train import (TrainConfig, TrainingDiverged, new_model, sample_count, starting_model, train,
                          training_pairs)

SMALL = TrainConfig(seconds=60, epochs=2, samples=512, validation_samples=64, probes=3, report_every=4,
                    steps_per_execution=1)  # a report every 4 batches needs calls of fewer batches


def held_out_loss(model, setup) -> float:
    """The task objective's validation loss (the setup's loss) on 64 held-out images."""
    pairs = held_out_pairs(setup, count=64)
    return tasks.get(setup.task).objective.validation_loss(infer(model, pairs.inputs), pairs.targets, setup)


def autoencoder_psnr(model, setup):
    return next(r["psnr"] for r in evaluate(model, setup, count=64) if r["method"] == "autoencoder")


def test_training_reports_progress_and_beats_the_untrained_model():
    setup = new_setup("denoise")
    reports = []
    result = train(setup, SMALL, on_progress=reports.append)
    epochs = [r for r in reports if r.kind == "epoch"]
    batches = [r for r in reports if r.kind == "batch"]
    steps_per_epoch = SMALL.samples // SMALL.batch_size
    assert len(epochs) == 2 and len(batches) == 2 * steps_per_epoch // SMALL.report_every
    assert epochs[-1].probes.shape == (3, 28, 28, 1)
    assert all(0 <= r.fraction <= 1 for r in reports) and epochs[-1].fraction == pytest.approx(1.0)
    assert epochs[-1].val_psnr > epochs[0].val_psnr - 0.5 and np.isfinite(epochs[-1].val_ssim)
    assert result.stopped == "epochs" and result.steps == 2 * steps_per_epoch and len(result.history) == 2
    assert autoencoder_psnr(result.model, setup) > autoencoder_psnr(new_model(setup), setup) + 3


def test_the_time_budget_stops_training():
    result = train(new_setup("denoise"), TrainConfig(seconds=0.5, epochs=50, samples=2048, validation_samples=32))
    assert result.stopped == "budget" and result.epochs < 50


def test_same_seed_same_model():
    config = TrainConfig(epochs=1, samples=128, validation_samples=16)
    first = train(new_setup("inpaint"), config).model.get_weights()
    again = train(new_setup("inpaint"), config).model.get_weights()
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)


def test_fine_tuning_starts_from_the_given_weights():
    setup = new_setup("denoise")
    first = train(setup, SMALL)
    brief = TrainConfig(epochs=1, samples=64, validation_samples=64)
    scratch = train(setup, brief)
    tuned = train(setup, brief, initial_model=first.model)
    assert tuned.history[0].val_psnr > scratch.history[0].val_psnr + 3  # continues, does not start over


def test_a_nan_loss_stops_with_the_last_good_weights(monkeypatch):
    original = training.training_pairs

    def poisoned(setup, config):  # real data, with NaN from the 20th image on: the loss turns NaN mid-epoch
        train_pairs, validation = original(setup, config)
        train_pairs.inputs[20 * config.batch_size:] = np.nan
        return train_pairs, validation

    monkeypatch.setattr(training, "training_pairs", poisoned)
    with pytest.raises(TrainingDiverged, match="NaN or infinite") as caught:
        train(new_setup("denoise"), TrainConfig(epochs=1, samples=1024, validation_samples=16, report_every=5))
    result = caught.value.result
    assert result.stopped == "diverged"
    assert all(np.isfinite(w).all() for w in result.model.get_weights())


@pytest.mark.parametrize("bad", [dict(seconds=0), dict(batch_size=0), dict(learning_rate=-1), dict(epochs=0)])
def test_bad_budgets_raise_value_error(bad):
    with pytest.raises(ValueError):
        train(new_setup("denoise"), TrainConfig(**bad))


def a_task_offering(loss: str) -> str:
    """The first task whose objective offers `loss` (a task may register a loss of its own, e.g. the VAE's BCE)."""
    from aecore import tasks

    return next(name for name in tasks.names() if loss in tasks.get(name).objective.losses)


@pytest.mark.parametrize("loss", LOSSES.names())
def test_every_loss_trains_the_model(loss):
    setup = new_setup(a_task_offering(loss), loss=loss)
    result = train(setup, TrainConfig(epochs=1, samples=512, validation_samples=32))
    assert result.setup.loss == loss and np.isfinite(result.history[-1].loss)
    # What the loss itself measures, on held-out images: PSNR is no judge here, since 16 steps of colorizing
    # with chroma_mse paint colour that PSNR punishes (below the gray image, which an untrained model is near).
    assert held_out_loss(result.model, setup) < 0.9 * held_out_loss(new_model(setup), setup)


def test_cancelling_stops_training_at_the_next_batch():
    cancel = threading.Event()
    stop_after_first_report = lambda progress: cancel.set()  # noqa: E731
    result = train(new_setup("denoise"), TrainConfig(epochs=5, samples=2048, validation_samples=16, report_every=5,
                                                     steps_per_execution=1),
                   on_progress=stop_after_first_report, cancel=cancel)
    assert result.stopped == "cancelled" and result.steps == 5


def test_several_batches_per_call_count_every_batch_and_report_once_per_call():
    reports = []
    config = TrainConfig(epochs=2, samples=512, batch_size=32, steps_per_execution=8, report_every=4,
                         validation_samples=16)  # 16 batches an epoch, in 2 calls
    result = train(new_setup("denoise"), config, on_progress=reports.append)
    assert [r.step for r in reports if r.kind == "batch"] == [8, 16, 24, 32]
    assert [r.step for r in reports if r.kind == "epoch"] == [16, 32] and result.steps == 32


class TwoTermTrainer(keras().Model):
    """A training step of its own, as a VAE or a GAN brings (keras-io's house style): two named loss terms."""

    def __init__(self, model):
        super().__init__()
        self.model_to_train = model
        self.trackers = [keras().metrics.Mean(name=name) for name in ("loss", "reconstruction_loss", "smooth_loss")]

    @property
    def metrics(self):
        return self.trackers

    def train_step(self, batch):
        inputs, targets = batch
        with tf().GradientTape() as tape:
            outputs = self.model_to_train(inputs, training=True)
            reconstruction = tf().reduce_mean(tf().square(outputs - targets))
            smooth = tf().reduce_mean(tf().abs(outputs[:, 1:] - outputs[:, :-1]))
            loss = reconstruction + 0.01 * smooth
        variables = self.model_to_train.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        for tracker, value in zip(self.trackers, (loss, reconstruction, smooth)):
            tracker.update_state(value)
        return {tracker.name: tracker.result() for tracker in self.trackers}


@dataclasses.dataclass(frozen=True)
class TwoTermObjective(Reconstruction):
    losses: tuple = ("mse",)
    terms: tuple = ("loss", "reconstruction_loss", "smooth_loss")

    def trainer(self, model, setup, config, companions):
        trainer = TwoTermTrainer(model)
        trainer.compile(optimizer=adam(model, config.learning_rate), jit_compile=False)
        return trainer


def test_an_objective_with_its_own_training_step_runs_under_the_same_loop(monkeypatch):
    from aecore.tasks import TASKS

    denoise = TASKS.get("denoise")
    monkeypatch.setitem(TASKS._items, "denoise", dataclasses.replace(denoise, objective=TwoTermObjective()))
    reports = []
    result = train(new_setup("denoise"), TrainConfig(seconds=3, epochs=50, samples=2048, validation_samples=32,
                                                     report_every=10), on_progress=reports.append)
    assert result.stopped == "budget"  # the time budget applies to the custom step too
    assert {"loss", "reconstruction_loss", "smooth_loss"} <= set(reports[0].terms)  # every named term reported
    assert result.history and result.history[-1].probes is not None  # validation and filmstrip as usual
    assert autoencoder_psnr(result.model, new_setup("denoise")) > autoencoder_psnr(new_model(new_setup("denoise")),
                                                                                     new_setup("denoise")) + 2


def test_fine_tuning_needs_the_same_architecture():
    setup = new_setup("denoise")
    model = new_model(setup)
    copy, how, note = starting_model(setup, (model, setup, "pretrained model"))
    assert how == "fine-tuned from the pretrained model" and not note and copy is not model
    other = new_setup("denoise", model=setup.model.replace(base_filters=16))
    fresh, how, note = starting_model(other, (model, setup, "pretrained model"))
    assert how == "from scratch" and "same model settings" in note


def test_large_images_train_on_fewer_samples_so_memory_stays_bounded():
    small, large = new_setup("denoise"), new_setup("compress")  # 28x28 gray digits; 64x64 RGB photo patches
    config = TrainConfig()
    assert sample_count(small, config) == config.samples  # 10,000 digits are 30 MB as float32
    assert sample_count(large, config) * 4 * 64 * 64 * 3 <= config.megabytes * 2**20 < \
        (sample_count(large, config) + 1) * 4 * 64 * 64 * 3
    train_pairs, _ = training_pairs(large, config)
    assert train_pairs.inputs.nbytes <= config.megabytes * 2**20


def test_a_training_leaves_nothing_registered_in_tensorflow():
    """Each traced training step used to stay alive in TensorFlow's gradient registry (a server's memory grew
    with every training); train() unregisters what it registered."""
    from tensorflow.python.framework import ops

    setup, config = new_setup("denoise"), dataclasses.replace(SMALL, seconds=1, epochs=1, samples=64)
    train(setup, config)
    registered = len(ops.gradient_registry._registry)
    train(setup, config)
    assert len(ops.gradient_registry._registry) == registered


def reachable_setup(name: str, end: str):
    """The settings a tab's controls reach with every number at its `end` ("low" or "high"), as the controls offer
    them (the browser sweep, tests/test_browser_controls.py, drives them there): at the high end the last dataset
    and corruption the tab offers; every corruption setting and task option at that end (a choice: the first or
    last), and every model number at the end of its range, each range following the data and the settings before
    it, as the model section's sliders do."""
    from aecore import data
    from aecore.corruptions import CORRUPTIONS
    from demo.task_tab.controls import dataset_choices

    task = tasks.get(name)
    choices, unusable = dataset_choices(task)
    dataset = [value for _, value in choices if value not in unusable][-1] if end == "high" else task.dataset
    corruption = task.corruptions[-1 if end == "high" else 0]
    def at_end(param):  # a number's low or high; a dropdown's or radio's first or last choice
        return (param.choices[0 if end == "low" else -1] if param.choices else getattr(param, end))

    params = {param.name: at_end(param) for param in CORRUPTIONS.get(corruption).params}
    options = {param.name: at_end(param) for param in task.options}
    shape, model = data.spec(dataset).image_shape, task.model
    for field in ("latent_dim", "depth", "base_filters"):  # the order of the model section's sliders
        model = dataclasses.replace(model, **{field: model.field_range(field, shape)[0 if end == "low" else 1]})
    return new_setup(name, dataset=dataset, corruption=corruption, params=params, options=options, model=model)


# Every value a control offers trains: Train pressed with every setting at one end of what the tab offers.
@pytest.mark.parametrize("end", ["low", "high"])
@pytest.mark.parametrize("name", tasks.BUILTIN)
def test_every_setting_the_controls_reach_trains(name, end):
    setup = reachable_setup(name, end)
    result = train(setup, TrainConfig(seconds=1, samples=64, validation_samples=8, probes=2))
    assert result.steps >= 1 and result.history, (setup, result.stopped)
    assert np.isfinite(result.history[-1].loss) and np.isfinite(result.history[-1].val_psnr), result.history[-1]
