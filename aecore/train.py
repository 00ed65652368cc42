"""Brief training: a task's model, trained under a budget of epochs, seconds and samples.

    result = train(new_setup("denoise"), TrainConfig(seconds=15), on_progress=print)

The task's objective builds what `fit` trains (aecore/objectives.py); one callback enforces
the time budget, guards against NaN, and reports progress every few batches and after each
epoch (each loss term, the validation loss, PSNR/SSIM on the held-out images every score
uses, reconstructions of fixed probe images for a filmstrip). A NaN or infinite loss stops
training with `TrainingDiverged`, which carries the model with its last good weights.
"""

import contextlib
import gc
import math
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from aecore import data, metrics
from aecore.evaluate import HELD_OUT_COUNT, held_out_pairs, predict_images
from aecore.models import build, infer
from aecore.params import Param, check_fields
from aecore.runtime import keras
from aecore.tasks import TASKS, Pairs, Setup, make_pairs

FIELDS = (
    Param("seconds", 20.0, 0.1, 3600, 1, label="Time budget (seconds)", help="training stops at the first batch past it"),
    Param("epochs", 20, 1, 1000, 1),
    Param("samples", 10000, 1, 1_000_000, 1),
    Param("megabytes", 100, 1, 100_000, 1),
    Param("batch_size", 32, 1, 1024, 1),
    Param("learning_rate", 2e-3, 1e-6, 1.0),
    Param("validation_samples", HELD_OUT_COUNT, 1, 10000, 1),
    Param("probes", 6, 1, 16, 1),
    Param("steps_per_execution", 8, 1, 256, 1),
)


@dataclass(frozen=True)
class TrainConfig:
    seconds: float = 20.0  # training-time budget (what the app's Train button uses); stops at the first batch past it
    epochs: int = 20  # at most this many passes over the samples
    samples: int = 10000  # training images drawn from the dataset's train split
    # ... at most this many MB of them as float32: a large image gets fewer (64x64 RGB: 2,133; 32x32 RGB: all 8,000).
    # Every copy of the training images (clean, corrupted, inputs, targets, and Keras' own) grows with it
    # (bench/README.md, "One student for 40 minutes").
    megabytes: int = 100
    # Batch 32, 8 batches per call into TensorFlow: the Python round trip per batch, not the arithmetic, limited
    # the old batch 16, one per call (bench/throughput.py; bench/README.md, "Why the defaults").
    batch_size: int = 32
    learning_rate: float = 2e-3  # Adam (measured: a rate decaying to zero over the budget did no better)
    seed: int = 0  # same seed, same samples, noise and initial weights
    validation_samples: int = HELD_OUT_COUNT  # the held-out images every score uses, scored after every epoch
    probes: int = 6  # held-out images reconstructed after every epoch, for the filmstrip
    report_every: int = 20  # batches between progress reports (loss only)
    validate_every: int = 200  # batches between validation scores mid-epoch (0: at epoch ends only)
    steps_per_execution: int = 8  # batches per call into TensorFlow (see batch_size); reports come per call

    def validate(self) -> "TrainConfig":
        check_fields(self, FIELDS, "training")
        return self


# A fine-tune starts from weights trained far longer than any brief run: at the brief run's full rate, its first steps
# undo them (bench/fine_tune.py measures each tab's default Train before and after, for a few fractions).
FINE_TUNE_RATE = 0.25


def fine_tuning(config: TrainConfig, rate: float = FINE_TUNE_RATE) -> TrainConfig:
    """`config` for fine-tuning a trained model: its learning rate times `rate`."""
    return replace(config, learning_rate=config.learning_rate * rate)


@dataclass(frozen=True)
class Progress:
    kind: str  # "batch" (loss only), "check" (mid-epoch validation) or "epoch"
    epoch: int  # 1-based
    step: int  # batches done so far
    seconds: float  # training seconds so far (scoring excluded)
    fraction: float  # of the budget used, 0..1, for a progress bar
    loss: float
    terms: dict = field(default_factory=dict)  # every named term the objective reports, e.g. {"kl_loss": ...}
    val_loss: float | None = None  # "check" and "epoch" reports only
    val_psnr: float | None = None
    val_ssim: float | None = None
    probes: np.ndarray | None = None  # (probes, H, W, C) reconstructions, "check" and "epoch" reports


@dataclass
class TrainResult:
    model: object  # the trained keras.Model (what inference runs)
    setup: Setup
    config: TrainConfig
    seconds: float  # training time, without the time spent scoring validation images
    steps: int
    epochs: int
    stopped: str  # "budget", "epochs", "cancelled", "diverged" or "objective" (its own callback stopped it)
    history: list[Progress] = field(default_factory=list)  # every "check" and "epoch" report
    note: str = ""  # what the objective's callbacks want the student to know (e.g. "the discriminator collapsed")
    companions: dict = field(default_factory=dict)  # what the objective trained beside the model (a GAN's discriminator)


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite. `.result.model` holds the last good weights."""

    def __init__(self, message: str, result: TrainResult):
        super().__init__(message)
        self.result = result


class BriefTraining(keras().callbacks.Callback):
    """Enforces the time budget, guards against NaN, stops when cancelled, and reports progress.

    Scoring the validation images is not training, so its time is left off the
    clock: `seconds` and the budget count training steps only.
    """

    def __init__(self, inference_model, setup: Setup, config: TrainConfig, validation: Pairs, probes: Pairs,
                 steps_per_epoch: int, on_progress: Callable[[Progress], None] | None, start: float,
                 cancel: threading.Event | None = None):
        super().__init__()
        self.start = start  # time.monotonic() when training began (compiling the model counts as training)
        self.inference_model, self.setup, self.config = inference_model, setup, config
        self.validation, self.probe_pairs = validation, probes
        self.steps_per_epoch = steps_per_epoch
        self.total_steps = steps_per_epoch * config.epochs
        self.on_progress = on_progress or (lambda progress: None)
        self.cancel = cancel or threading.Event()
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
        # `batch` is the last batch of this call within the epoch (several with steps_per_execution > 1)
        before = self.step
        self.step = (self.epoch - 1) * self.steps_per_epoch + min(batch + 1, self.steps_per_epoch)
        crossed = lambda every: every and self.step // every > before // every  # noqa: E731
        terms = {name: float(value) for name, value in (logs or {}).items()}
        if not all(math.isfinite(value) for value in terms.values()):
            self.model.set_weights(self.good_weights)
            self.diverged, self.stopped, self.model.stop_training = True, "diverged", True
            return
        if crossed(self.config.report_every):
            self.keep_if_finite()
            self.on_progress(Progress("batch", self.epoch, self.step, self.elapsed(), self.fraction(),
                                      terms["loss"], terms))
        at_epoch_end = self.step % self.steps_per_epoch == 0  # on_epoch_end reports then anyway
        if crossed(self.config.validate_every) and not at_epoch_end:
            self.report("check", terms)
        if self.cancel.is_set():
            self.stopped, self.model.stop_training = "cancelled", True
        elif self.elapsed() >= self.config.seconds:
            self.stopped, self.model.stop_training = "budget", True

    def on_epoch_end(self, epoch, logs=None):
        if not self.diverged:
            self.keep_if_finite()
            self.report("epoch", {name: float(value) for name, value in (logs or {}).items()})

    def keep_if_finite(self) -> None:
        """Remember the weights as the last good ones, unless the latest update already broke them."""
        weights = self.model.get_weights()
        if all(np.isfinite(w).all() for w in weights):
            self.good_weights = weights

    def report(self, kind: str, terms: dict) -> None:
        """Score the validation images and reconstruct the probes (off the clock), then report."""
        started = time.monotonic()
        task = TASKS.get(self.setup.task)
        raw = infer(self.inference_model, self.validation.inputs)  # what the loss compares with the targets
        images = task.finish(raw, self.validation.inputs, self.validation.corrupted, self.setup.options)
        val_loss = task.objective.validation_loss(raw, self.validation.targets, self.setup)
        probes = predict_images(self.inference_model, self.setup, self.probe_pairs)
        psnr = float(metrics.psnr(self.validation.clean, images).mean())
        ssim = float(metrics.ssim(self.validation.clean, images).mean())
        self.scoring_seconds += time.monotonic() - started
        progress = Progress(kind, self.epoch, self.step, self.elapsed(), self.fraction(), terms.get("loss", math.nan),
                            terms, val_loss=val_loss, val_psnr=psnr, val_ssim=ssim, probes=probes)
        self.history.append(progress)
        self.on_progress(progress)


def training_pairs(setup: Setup, config: TrainConfig) -> tuple[Pairs, Pairs]:
    """(train, validation) pairs: a seeded subset of the train split, and the held-out images every score uses."""
    dataset = data.load(setup.dataset)
    rng = np.random.default_rng(config.seed)
    count = sample_count(setup, config)
    chosen = np.sort(rng.choice(len(dataset.x_train), size=count, replace=False))
    train = make_pairs(setup, data.to_float(dataset.x_train[chosen]), seed=config.seed)
    return train, held_out_pairs(setup, config.validation_samples)


def sample_count(setup: Setup, config: TrainConfig) -> int:
    """How many training images: `config.samples`, as many as the train split has, and as fit in
    `config.megabytes` as float32."""
    fit = max(1, config.megabytes * 2**20 // (4 * math.prod(setup.image_shape)))
    return min(config.samples, len(data.load(setup.dataset).x_train), fit)


def probe_pairs(setup: Setup, config: TrainConfig = TrainConfig()) -> Pairs:
    """The filmstrip's probe images: the first few held-out images, corrupted as every score's are."""
    return held_out_pairs(setup, config.probes)


def model_channels(setup: Setup) -> tuple[int, int]:
    """(input, output) channels of `setup`'s model: with its ModelConfig, what the shapes of its weights depend on."""
    task = TASKS.get(setup.task)
    height, width, channels = setup.image_shape
    in_channels = task.to_inputs(make_pairs(setup, np.zeros((1, height, width, channels), np.float32)).corrupted,
                                 setup.options).shape[-1]
    return in_channels, task.output_channels(channels, setup.options)


def new_model(setup: Setup):
    """An untrained model for `setup`: any image size, except a fixed-size family (its training size)."""
    height, width, _ = setup.image_shape
    size = (height, width) if setup.model.family.fixed_size else (None, None)
    in_channels, out_channels = model_channels(setup)
    return build(setup.model, (*size, in_channels), out_channels)


def copy_model(model):
    """A trainable copy with the same weights, so fine-tuning never touches a shared model."""
    copy = keras().models.clone_model(model)
    copy.set_weights(model.get_weights())
    return copy


def starting_model(setup: Setup, fine_tune_from: tuple | None = None, seed: int = 0):
    """(model, how, note): a copy of `fine_tune_from` = (model, its setup, its label) when it has the same
    architecture and channels as `setup` (options that change neither, such as a loss weight, may differ);
    otherwise a fresh seeded model (and a note why)."""
    if fine_tune_from is not None:
        model, current, label = fine_tune_from
        if (current.model, model_channels(current)) == (setup.model, model_channels(setup)):
            return copy_model(model), f"fine-tuned from {'' if label.startswith('your ') else 'the '}{label}", ""
        note = ("Fine-tuning needs the same model settings and image channels as the model in use; "
                "training from scratch instead.")
    else:
        note = ""
    keras().utils.set_random_seed(seed)
    return new_model(setup), "from scratch", note


def batches_per_call(objective, config: TrainConfig) -> int:
    """How many batches `fit` runs per call into TensorFlow: the config's, unless the objective needs one."""
    return objective.steps_per_execution or config.steps_per_execution


def describe(setup: Setup, config: TrainConfig) -> str:
    """How brief training runs, for the app's status line: "10,000 training images, batch 32, 8 batches per call,
    float32"."""
    calls = batches_per_call(TASKS.get(setup.task).objective, config)
    return (f"{sample_count(setup, config):,} training images, batch {config.batch_size}, {calls} "
            f"batch{'es' if calls > 1 else ''} per call, float32")


def as_tensor(array: np.ndarray):
    """A TensorFlow tensor with `array`'s numbers (a copy; the caller drops the array)."""
    from aecore.runtime import tf

    return tf().convert_to_tensor(array)


@contextlib.contextmanager
def custom_gradients_dropped():
    """Unregister, at the end, the gradients TensorFlow registered while tracing a training step.

    Keras' optimizer sums the gradients through tf.distribute's all-reduce, which registers a custom gradient in
    TensorFlow's global registry each time a training step is traced, and nothing ever unregisters it: it kept
    every training's whole step graph alive, so a server running a class's trainings kept growing (bench/README.md,
    "One student for 40 minutes"). Once fit has returned, the step is
    traced and nothing needs them. (A private registry: where it is missing, this does nothing.)
    """
    from tensorflow.python.framework import ops

    registered = getattr(getattr(ops, "gradient_registry", None), "_registry", None)
    before = set(registered) if isinstance(registered, dict) else None
    try:
        yield
    finally:
        if before is not None:
            for name in [name for name in registered if name not in before and name.startswith("CustomGradient-")]:
                registered.pop(name, None)


def train(setup: Setup, config: TrainConfig = TrainConfig(), on_progress: Callable[[Progress], None] | None = None,
          initial_model=None, cancel: threading.Event | None = None, companions: dict | None = None) -> TrainResult:
    """Train a fresh model (or fine-tune `initial_model`, beside the `companions` it was trained with: a GAN's
    discriminator) under the budget in `config`; `cancel` stops it early."""
    config.validate()
    # Free the models and graphs of earlier runs now, before the clock starts: Python's cycle collector
    # would otherwise find them mid-training and stall for seconds finalizing TensorFlow graphs.
    gc.collect()
    keras().utils.set_random_seed(config.seed)
    train_pairs, validation = training_pairs(setup, config)
    # fit needs only the inputs and targets, and copies arrays into tensors: the clean and corrupted images go, then
    # each array becomes a tensor before the next, so a training set is never held twice (bench/README.md, memory)
    inputs, targets = train_pairs.inputs, train_pairs.targets
    del train_pairs
    inputs = as_tensor(inputs)
    targets = as_tensor(targets)
    model = initial_model if initial_model is not None else new_model(setup)
    objective = TASKS.get(setup.task).objective
    start = time.monotonic()  # the budget's clock: compiling and tracing the training step count as training
    trainer = objective.trainer(model, setup, config, companions or {})
    # Read by fit when it builds the training function; an objective whose callbacks watch every batch
    # (a GAN's discriminator) asks for one batch per call.
    trainer.steps_per_execution = batches_per_call(objective, config)
    steps_per_epoch = math.ceil(len(inputs) / config.batch_size)
    callback = BriefTraining(model, setup, config, validation, probe_pairs(setup, config), steps_per_epoch,
                             on_progress, start, cancel)
    # An objective may watch its own training (a GAN's collapsing discriminator) with callbacks of its own;
    # one that stops training sets `trainer.stopped_because` to a sentence for the student.
    extra = objective.callbacks(model, setup, config)
    # No validation_data: the callback scores the validation images itself, off the clock.
    with custom_gradients_dropped():
        trainer.fit(inputs, targets, batch_size=config.batch_size, epochs=config.epochs,
                    callbacks=[callback, *extra], verbose=0)
    because = getattr(trainer, "stopped_because", "")
    result = TrainResult(model=model, setup=setup, config=config, seconds=callback.elapsed(),
                         steps=callback.step, epochs=callback.epoch,
                         stopped="objective" if because and callback.stopped == "epochs" else callback.stopped,
                         history=callback.history, note=because, companions=objective.companions(trainer))
    if callback.diverged:
        raise TrainingDiverged(f"training diverged at step {callback.step} (the loss became NaN or infinite); "
                               "the last good weights were kept. Try a smaller learning rate.", result)
    return result
