"""What training minimizes, per task: the objective builds the Keras model that `fit` trains.

    objective.trainer(model, setup, config)   # a compiled keras.Model whose fit() trains `model`

`Reconstruction` is a plain `fit` on (input, target) with one loss from aecore/losses.py, the
student's choice. A task whose training is more than that (a VAE's KL term, a GAN's
discriminator) brings its own objective: its `trainer` returns a `keras.Model` subclass with
its own `train_step` (keras-io's VAE and GAN examples), which still goes through `fit`, so
the time budget, progress reports, filmstrip, NaN guard and cancellation apply unchanged.
Every objective reports a "loss" and may name more terms (the NaN guard watches them all). An
objective may also return `callbacks(model, setup, config)`: Keras callbacks that watch its own
training; one that stops it sets `trainer.stopped_because` to a sentence, which reaches the student
as `TrainResult.note`. `Objective` is the contract, in code: every task's objective derives from it.
"""

from dataclasses import dataclass

import numpy as np


def adam(model, learning_rate: float, beta_1: float = 0.9):
    """Adam with its moment variables created now, eagerly: created inside fit's first trace they cost ~2 s."""
    from aecore.runtime import keras

    optimizer = keras().optimizers.Adam(learning_rate, beta_1=beta_1)
    optimizer.build(model.trainable_variables)
    return optimizer


@dataclass(frozen=True)
class Objective:
    """What `aecore.train.train` asks of an objective: a trainer to `fit`, and what it trained beside the model."""

    losses: tuple[str, ...] = ("mse",)  # offered in the Train section; the first is the default
    terms: tuple[str, ...] = ("loss",)  # what the trainer reports each step, for the curves
    steps_per_execution: int | None = None  # batches per call into TensorFlow (None: the TrainConfig's)

    def trainer(self, model, setup, config, companions: dict):
        """A compiled keras.Model whose `fit` trains `model`; `companions` are the models trained beside it before
        (fine-tuning a GAN resumes with its own discriminator), by name, or {}."""
        raise NotImplementedError

    def callbacks(self, model, setup, config) -> list:
        """Keras callbacks that watch this objective's own training (none by default)."""
        return []

    def validation_loss(self, outputs: np.ndarray, targets: np.ndarray, setup) -> float:
        """The training loss on held-out outputs: the same number the training curve shows."""
        raise NotImplementedError

    def companions(self, trainer) -> dict:
        """The models the trainer trained beside the task's model, by name (a GAN's discriminator): returned in
        `TrainResult.companions`, saved beside pretrained weights, given back when fine-tuning."""
        return {}


@dataclass(frozen=True)
class Reconstruction(Objective):
    """Minimize a reconstruction loss between the model's output and the target."""

    losses: tuple[str, ...] = ("mse", "l1", "ssim_l1")  # offered in the Train section; the first is the default

    def trainer(self, model, setup, config, companions: dict):
        from aecore.losses import LOSSES

        # XLA (Keras' default on CPU) costs ~20 s of compiling before the first step: far too slow for a brief run.
        model.compile(optimizer=adam(model, config.learning_rate), loss=LOSSES.get(setup.loss).function,
                      jit_compile=False)
        return model

    def validation_loss(self, outputs: np.ndarray, targets: np.ndarray, setup) -> float:
        from aecore.losses import LOSSES

        return float(np.mean(LOSSES.get(setup.loss).function(targets, outputs)))
