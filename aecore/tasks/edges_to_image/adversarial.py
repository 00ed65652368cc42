"""A conditional GAN as a training objective (pix2pix, Isola et al. 2017): the generator is the task's
autoencoder, a PatchGAN discriminator judges (input, image) pairs, and the two take turns.

    objective = Adversarial()               # a task's `objective`; the task offers OPTIONS (λ, on/off)
    trainer = objective.trainer(generator, setup, config)   # Pix2Pix, trained by the usual `fit`

Each step follows keras-io's GAN examples: first the discriminator learns to call real pairs real
and generated pairs fake, then the generator learns to fool it while staying close to the target:

    discriminator_loss = ½ [BCE(D(x, y), 1) + BCE(D(x, G(x)), 0)]
    loss (the generator's) = generator_loss + λ · l1_loss,  generator_loss = BCE(D(x, G(x)), 1), l1_loss = |y - G(x)|

With the option `adversarial` off, the generator trains on L1 alone: the plain autoencoder. The trained
discriminator is kept, as keras-io's GAN keeps `self.discriminator`: `companions(trainer)` returns it, the
training result carries it, `make pretrain` saves it beside the generator, and fine-tuning a GAN is given it
back to resume its game (against a fresh one, the pretrained GAN's fine-tuning drifted back towards L1's blur). GANs fail in ways worth seeing:
`WatchTheDiscriminator` stops a run whose discriminator collapsed (its loss near zero: it wins outright)
or diverged (its loss stays high: it is confidently wrong), says so in words, and puts back the last
good generator.
"""

from dataclasses import dataclass

import numpy as np

from aecore.objectives import Objective, adam
from aecore.params import Param
from aecore.runtime import keras, tf
from aecore.tasks.edges_to_image.patchgan import build_patchgan

OPTIONS = (
    Param("l1_weight", 10.0, 0.0, 200.0, 1.0, label="λ (weight of L1 against the discriminator)",
          help="loss = adversarial + λ·L1: a large λ stays close to the target (and blurs), a small one is freer"),
    Param("adversarial", True, choices=(True, False), label="Train against a discriminator (GAN)",
          help="off: the generator learns from L1 alone, the plain autoencoder this tab compares with"),
)
TERMS = ("loss", "generator_loss", "discriminator_loss", "l1_loss")
BETA_1 = 0.5  # Adam's β1, pix2pix's choice: a shorter memory suits two players that keep moving


class Pix2Pix(keras().Model):
    """Trains `generator` against `discriminator`; calling it runs the generator. Without a discriminator
    (None) the step is the generator's L1 alone: the plain autoencoder, trained by the same code."""

    def __init__(self, generator, discriminator, l1_weight: float):
        super().__init__(name="pix2pix" if discriminator is not None else "l1_only")
        self.generator, self.discriminator = generator, discriminator
        self.l1_weight = float(l1_weight)
        self.bce = keras().losses.BinaryCrossentropy(from_logits=True)  # D outputs logits, one per patch
        names = TERMS if discriminator is not None else ("loss", "l1_loss")
        self.trackers = {name: keras().metrics.Mean(name=name) for name in names}  # epoch means, for the curves
        # The latest batch's (discriminator_loss, generator_loss): the watchdog needs these, not epoch means.
        self.latest = keras().Variable([np.log(2.0), np.log(2.0)], trainable=False, name="latest_losses")

    def compile(self, generator_optimizer, discriminator_optimizer=None):
        # XLA would spend ~20 s compiling before the first step: far too slow for a brief run.
        super().compile(optimizer=generator_optimizer, jit_compile=False)
        self.discriminator_optimizer = discriminator_optimizer

    @property
    def metrics(self):
        return list(self.trackers.values())  # listed here, so fit resets them every epoch

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def discriminator_step(self, edges, images, generated):
        """Real pairs are real (1), generated pairs fake (0): one update of the discriminator alone."""
        with tf().GradientTape() as tape:
            real = self.discriminator([edges, images], training=True)  # (B, H/4, W/4, 1) logits, one per patch
            fake = self.discriminator([edges, generated], training=True)
            loss = 0.5 * (self.bce(tf().ones_like(real), real) + self.bce(tf().zeros_like(fake), fake))
        variables = self.discriminator.trainable_variables
        self.discriminator_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    def train_step(self, batch):
        edges, images, _ = keras().utils.unpack_x_y_sample_weight(batch)  # (B, H, W, 1) edges, (B, H, W, C) real
        if self.discriminator is None:
            return self.l1_step(edges, images)
        with tf().GradientTape() as tape:
            generated = self.generator(edges, training=True)  # (B, H, W, C), computed once for both moves
            # 1. The discriminator's move. The generator's tape is paused: nothing here trains the generator.
            with tape.stop_recording():
                discriminator_loss = self.discriminator_step(edges, images, generated)
            # 2. The generator's move: make the (just updated) discriminator call its patches real, and stay
            #    close to the target.
            fake = self.discriminator([edges, generated], training=True)
            generator_loss = self.bce(tf().ones_like(fake), fake)  # the non-saturating loss: -log D(x, G(x))
            l1_loss = tf().reduce_mean(tf().abs(images - generated))
            loss = generator_loss + self.l1_weight * l1_loss
        variables = self.generator.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))

        self.latest.assign(tf().stack([discriminator_loss, generator_loss]))
        for name, value in zip(TERMS, (loss, generator_loss, discriminator_loss, l1_loss)):
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def l1_step(self, edges, images):
        """The plain autoencoder's step: L1 alone. (Keras' built-in step does the same, measured ~1.5x slower.)"""
        with tf().GradientTape() as tape:
            l1_loss = tf().reduce_mean(tf().abs(images - self.generator(edges, training=True)))
        variables = self.generator.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(l1_loss, variables), variables))
        for tracker in self.trackers.values():
            tracker.update_state(l1_loss)  # `loss` is l1_loss itself
        return {name: tracker.result() for name, tracker in self.trackers.items()}


class WatchTheDiscriminator(keras().callbacks.Callback):
    """Stops a GAN whose discriminator collapsed or diverged for `patience` steps in a row, and puts back
    the generator as it was just before (snapshots are taken every `every` healthy steps)."""

    def __init__(self, generator, collapse_below: float, diverge_above: float, patience: int, every: int = 10):
        super().__init__()
        self.generator = generator
        self.collapse_below, self.diverge_above = collapse_below, diverge_above
        self.patience, self.every = patience, every

    def on_train_begin(self, logs=None):
        self.step, self.streak, self.good_step = 0, 0, 0
        self.good_weights = self.generator.get_weights()

    def verdict(self, discriminator_loss: float) -> str | None:
        if discriminator_loss < self.collapse_below:
            return "collapsed"
        if discriminator_loss > self.diverge_above:
            return "diverged"
        return None

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        discriminator_loss = float(self.model.latest.numpy()[0])
        state = self.verdict(discriminator_loss)
        if state is None:
            self.streak = 0
            if self.step % self.every == 0:
                self.good_weights, self.good_step = self.generator.get_weights(), self.step
            return
        self.streak += 1
        if self.streak >= self.patience:
            self.generator.set_weights(self.good_weights)
            self.model.stop_training = True
            self.model.stopped_because = self.explain(state, discriminator_loss)

    def explain(self, state: str, discriminator_loss: float) -> str:
        kept = (f"The generator from step {self.good_step}, before this began, was kept." if self.good_step else
                "It started this way, so the generator was put back as it was before training.")
        if state == "collapsed":
            what = (f"the discriminator won: its loss stayed below {self.collapse_below:g} for {self.patience} steps "
                    f"(now {discriminator_loss:.3f}), so it tells every generated patch from a real one and its "
                    "verdicts no longer teach the generator anything")
            advice = ("Try a larger λ, so the generator leans on the target while the discriminator is ahead, or "
                      "fine-tune the pretrained model instead of starting from scratch.")
        else:
            what = (f"the discriminator lost its footing: its loss stayed above {self.diverge_above:g} for "
                    f"{self.patience} steps (now {discriminator_loss:.2f}), so it calls real patches fake and "
                    "generated ones real, and the generator follows a signal that points the wrong way")
            advice = "Try a larger λ, or fine-tune the pretrained model instead of starting from scratch."
        return f"Training stopped at step {self.step}: {what}. {kept} {advice}"


@dataclass(frozen=True)
class Adversarial(Objective):
    """λ·L1 + adversarial against a PatchGAN (the task's options `l1_weight` and `adversarial`, see OPTIONS)."""

    losses: tuple[str, ...] = ("l1",)  # the reconstruction part; the adversarial part is the option `adversarial`
    terms: tuple[str, ...] = TERMS
    discriminator_filters: int = 32  # the PatchGAN's first layer, doubled at the next (measured: 16 barely beat L1)
    collapse_below: float = 0.01  # discriminator loss under this: it wins outright (chance is ln 2 = 0.69) ...
    diverge_above: float = 2.5  # ... above this: it is confidently wrong ...
    patience: int = 150  # ... for this many steps in a row stops training
    steps_per_execution: int = 1  # WatchTheDiscriminator reads the discriminator's loss after every batch

    def trainer(self, model, setup, config, companions: dict):
        if not setup.options["adversarial"]:  # the plain autoencoder: the same step without the discriminator
            trainer = Pix2Pix(model, None, setup.options["l1_weight"])
            trainer.compile(adam(model, config.learning_rate, BETA_1))
            return trainer
        # Fine-tuning resumes the game with the discriminator these generator weights were trained against.
        discriminator = resumed(companions.get("discriminator"), model)
        if discriminator is None:
            discriminator = build_patchgan(model.input_shape[-1], model.output_shape[-1], self.discriminator_filters)
        trainer = Pix2Pix(model, discriminator, setup.options["l1_weight"])
        trainer.compile(adam(model, config.learning_rate, BETA_1), adam(discriminator, config.learning_rate, BETA_1))
        return trainer

    def callbacks(self, model, setup, config) -> list:
        if not setup.options["adversarial"]:
            return []
        return [WatchTheDiscriminator(model, self.collapse_below, self.diverge_above, self.patience)]

    def validation_loss(self, outputs: np.ndarray, targets: np.ndarray, setup) -> float:
        """The L1 part of the training loss on held-out images (λ-weighted for a GAN, as its `loss` is)."""
        l1 = float(np.mean(np.abs(np.asarray(outputs) - targets)))
        return l1 * setup.options["l1_weight"] if setup.options["adversarial"] else l1

    def companions(self, trainer) -> dict:
        """{"discriminator": the PatchGAN it trained}, when it had one."""
        return {} if trainer.discriminator is None else {"discriminator": trainer.discriminator}


def resumed(discriminator, generator):
    """A copy of `discriminator` to go on training beside `generator` (the source keeps its weights: its patch map
    stays as it was), or None when there is none or it judges other images (other channels)."""
    if discriminator is None:
        return None
    wanted = [(None, None, None, generator.input_shape[-1]), (None, None, None, generator.output_shape[-1])]
    if [tuple(shape) for shape in discriminator.input_shape] != wanted:
        return None
    copy = keras().models.clone_model(discriminator)
    copy.set_weights(discriminator.get_weights())
    return copy
