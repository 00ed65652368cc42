"""Brief training: a task's model, trained under a budget of epochs, seconds and samples.

    result = train(new_setup("denoise"), TrainConfig(seconds=15), on_progress=print)

Progress is reported through a callback every few batches and after each epoch
(loss, validation loss, PSNR/SSIM, reconstructions of fixed probe images for a
filmstrip). A NaN or infinite loss stops training with `TrainingDiverged`,
which carries the model with its last good weights.
"""

import gc
import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from aecore import data, metrics
from aecore.models import build, infer
from aecore.runtime import keras
from aecore.tasks.task import TASKS, Pairs, Setup, make_pairs


@dataclass(frozen=True)
class TrainConfig:
    seconds: float = 20.0  # training-time budget (what the app's Train button uses); stops at the first batch past it
    epochs: int = 20  # at most this many passes over the samples
    samples: int = 10000  # training images drawn from the dataset's train split
    batch_size: int = 16  # small batches: more steps in a brief budget (measured: 22.5 dB vs 22.2 with 32)
    learning_rate: float = 2e-3  # Adam (measured: a rate decaying to zero over the budget did no better)
    seed: int = 0  # same seed, same samples, noise and initial weights
    validation_samples: int = 256  # held-out images scored after every epoch
    probes: int = 6  # held-out images reconstructed after every epoch, for the filmstrip
    report_every: int = 20  # batches between progress reports (loss only)
    validate_every: int = 200  # batches between validation scores mid-epoch (0: at epoch ends only)

    def validate(self) -> "TrainConfig":
        checks = [(0 < self.seconds <= 3600, "seconds must be in (0, 3600]"),
                  (1 <= self.epochs <= 1000, "epochs must be between 1 and 1000"),
                  (1 <= self.samples <= 1_000_000, "samples must be between 1 and 1,000,000"),
                  (1 <= self.batch_size <= 1024, "batch_size must be between 1 and 1024"),
                  (0 < self.learning_rate <= 1, "learning_rate must be in (0, 1]"),
                  (1 <= self.validation_samples <= 10000, "validation_samples must be between 1 and 10000")]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"{message}; got {self}")
        return self


@dataclass(frozen=True)
class Progress:
    kind: str  # "batch" (loss only), "check" (mid-epoch validation) or "epoch"
    epoch: int  # 1-based
    step: int  # batches done so far
    seconds: float  # training seconds so far (scoring excluded)
    fraction: float  # of the budget used, 0..1, for a progress bar
    loss: float
    val_loss: float | None = None  # "check" and "epoch" reports only
    val_psnr: float | None = None
    val_ssim: float | None = None
    probes: np.ndarray | None = None  # (probes, H, W, C) reconstructions, "check" and "epoch" reports


@dataclass
class TrainResult:
    model: keras().Model
    setup: Setup
    config: TrainConfig
    seconds: float  # training time, without the time spent scoring validation images
    steps: int
    epochs: int
    stopped: str  # "budget", "epochs" or "diverged"
    history: list[Progress] = field(default_factory=list)  # every "check" and "epoch" report


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite. `.result.model` holds the last good weights."""

    def __init__(self, message: str, result: TrainResult):
        super().__init__(message)
        self.result = result


class BriefTraining(keras().callbacks.Callback):
    """Enforces the time budget, guards against NaN, and reports progress.

    Scoring the validation images is not training, so its time is left off the
    clock: `seconds` and the budget count training steps only.
    """

    def __init__(self, setup: Setup, config: TrainConfig, validation: Pairs, probes: Pairs,
                 steps_per_epoch: int, on_progress: Callable[[Progress], None] | None, start: float):
        super().__init__()
        self.start = start  # time.monotonic() when training began (compiling the model counts as training)
        self.setup, self.config = setup, config
        self.validation, self.probe_pairs = validation, probes
        self.steps_per_epoch = steps_per_epoch
        self.total_steps = steps_per_epoch * config.epochs
        self.on_progress = on_progress or (lambda progress: None)
        self.history: list[Progress] = []
        self.step, self.epoch, self.diverged = 0, 0, False
        self.stopped = "epochs"
        self.scoring_seconds = 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self.start - self.scoring_seconds

    def fraction(self) -> float:
        return min(1.0, max(self.step / self.total_steps, self.elapsed() / self.config.seconds))

    def on_train_begin(self, logs=None):
        self.good_weights = self.model.get_weights()

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch + 1

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        loss = float(logs["loss"])
        if not math.isfinite(loss):
            self.model.set_weights(self.good_weights)
            self.diverged, self.stopped, self.model.stop_training = True, "diverged", True
            return
        if self.step % self.config.report_every == 0:
            self.keep_if_finite()
            self.on_progress(Progress("batch", self.epoch, self.step, self.elapsed(), self.fraction(), loss))
        at_epoch_end = self.step % self.steps_per_epoch == 0  # on_epoch_end reports then anyway
        if self.config.validate_every and self.step % self.config.validate_every == 0 and not at_epoch_end:
            self.report("check", loss)
        if self.elapsed() >= self.config.seconds:
            self.stopped, self.model.stop_training = "budget", True

    def on_epoch_end(self, epoch, logs=None):
        if not self.diverged:
            self.keep_if_finite()
            self.report("epoch", float(logs["loss"]))

    def keep_if_finite(self) -> None:
        """Remember the weights as the last good ones, unless the latest update already broke them."""
        weights = self.model.get_weights()
        if all(np.isfinite(w).all() for w in weights):
            self.good_weights = weights

    def report(self, kind: str, loss: float) -> None:
        """Score the validation images and reconstruct the probes (off the clock), then report."""
        started = time.monotonic()
        task = TASKS.get(self.setup.task)
        outputs = infer(self.model, self.validation.inputs)
        val_loss = float(np.mean((outputs - self.validation.targets) ** 2))
        images = task.to_images(outputs, self.validation.inputs, self.setup.options)
        probes = task.to_images(infer(self.model, self.probe_pairs.inputs),
                                self.probe_pairs.inputs, self.setup.options)
        psnr = float(metrics.psnr(self.validation.clean, images).mean())
        ssim = float(metrics.ssim(self.validation.clean, images).mean())
        self.scoring_seconds += time.monotonic() - started
        progress = Progress(kind, self.epoch, self.step, self.elapsed(), self.fraction(), loss,
                            val_loss=val_loss, val_psnr=psnr, val_ssim=ssim, probes=probes)
        self.history.append(progress)
        self.on_progress(progress)


def training_pairs(setup: Setup, config: TrainConfig) -> tuple[Pairs, Pairs]:
    """(train, validation) pairs: a seeded subset of the train split, the first held-out images."""
    dataset = data.load(setup.dataset)
    rng = np.random.default_rng(config.seed)
    count = min(config.samples, len(dataset.x_train))
    chosen = np.sort(rng.choice(len(dataset.x_train), size=count, replace=False))
    train = make_pairs(setup, data.to_float(dataset.x_train[chosen]), seed=config.seed)
    validation = make_pairs(setup, data.to_float(dataset.x_test[:config.validation_samples]),
                            seed=10_000 + config.seed)
    return train, validation


def new_model(setup: Setup):
    """An untrained model for `setup`: any image size, except the dense kind (its training size)."""
    task = TASKS.get(setup.task)
    height, width, channels = setup.image_shape
    in_channels = task.to_inputs(make_pairs(setup, np.zeros((1, height, width, channels), np.float32)).corrupted,
                                 setup.options).shape[-1]
    size = (height, width) if setup.model.kind == "dense" else (None, None)
    return build(setup.model, (*size, in_channels), task.output_channels(channels, setup.options))


def train(setup: Setup, config: TrainConfig = TrainConfig(), on_progress: Callable[[Progress], None] | None = None,
          initial_model=None) -> TrainResult:
    """Train a fresh model (or fine-tune `initial_model`) under the budget in `config`."""
    config.validate()
    # Free the models and graphs of earlier runs now, before the clock starts: Python's cycle collector
    # would otherwise find them mid-training and stall for seconds finalizing TensorFlow graphs.
    gc.collect()
    keras().utils.set_random_seed(config.seed)
    train_pairs, validation = training_pairs(setup, config)
    model = initial_model if initial_model is not None else new_model(setup)
    start = time.monotonic()  # the budget's clock: compiling and tracing the training step count as training
    # XLA (Keras' default on CPU) costs ~20 s of compiling before the first step: far too slow for a brief run.
    model.compile(optimizer=keras().optimizers.Adam(config.learning_rate), loss="mse", jit_compile=False)
    # Create Adam's moment variables now, eagerly: created inside fit's first trace they cost ~2 s more.
    model.optimizer.build(model.trainable_variables)
    steps_per_epoch = math.ceil(len(train_pairs.inputs) / config.batch_size)
    probes = make_pairs(setup, validation.clean[:config.probes], seed=10_000 + config.seed)
    callback = BriefTraining(setup, config, validation, probes, steps_per_epoch, on_progress, start)
    # No validation_data: the callback scores the validation images itself, off the clock.
    model.fit(train_pairs.inputs, train_pairs.targets, batch_size=config.batch_size, epochs=config.epochs,
              callbacks=[callback], verbose=0)
    result = TrainResult(model=model, setup=setup, config=config, seconds=callback.elapsed(),
                         steps=callback.step, epochs=callback.epoch, stopped=callback.stopped,
                         history=callback.history)
    if callback.diverged:
        raise TrainingDiverged(f"training diverged at step {callback.step} (the loss became NaN or infinite); "
                               "the last good weights were kept. Try a smaller learning rate.", result)
    return result
