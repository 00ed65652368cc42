"""What a codec's training minimizes: distortion + λ · rate (the compression task's objective).

    loss = mean squared error + λ x bits per pixel

The rate is the number of bits the range coder would spend on the noisy code under a factorized
entropy model: one learned probability table per latent channel (entropy.py's `rate_bits`).
The table itself is always fitted to the codes (it learns whatever λ is); λ decides how hard the
encoder is pushed towards codes that table finds cheap. With λ = 0 the rate is set by the
architecture alone: how many latent values (latent size) and how many levels each (bits).

After training, `CountSymbols` counts the symbols of the training images' codes per channel and stores
those frequencies in the model: the table the real range coder uses, shared with every receiver.
"""

from dataclasses import dataclass

import numpy as np

from aecore.objectives import Objective, adam
from aecore.runtime import keras, tf

COUNT_IMAGES = 2000  # training images whose codes give the coder's frequency table


def _trainer_class():
    Model = keras().Model
    ops = keras().ops

    class CodecTrainer(Model):
        """Wraps the codec (what is saved and run) and owns the entropy model's logits (what is not)."""

        def __init__(self, codec, levels: int, rate_weight: float, **kwargs):
            super().__init__(**kwargs)
            from aecore.tasks.compress.model import quantizer

            self.codec, self.levels, self.rate_weight = codec, levels, rate_weight
            layer = quantizer(codec)
            self.view = Model(codec.inputs, [layer.output, codec.outputs[0]])  # the same weights, two outputs
            self.logits = self.add_weight(name="entropy_logits", shape=(layer.output.shape[-1], levels),
                                          initializer="zeros")  # (C, L): a uniform table to start
            self.trackers = {name: keras().metrics.Mean(name=name) for name in ("loss", "distortion", "rate")}

        @property
        def metrics(self):
            return list(self.trackers.values())

        def call(self, inputs, training=False):
            return self.codec(inputs, training=training)

        def train_step(self, data):
            from aecore.tasks.compress.entropy import rate_bits

            images, targets = data
            pixels = ops.cast(ops.shape(images)[1] * ops.shape(images)[2], "float32")
            with tf().GradientTape() as tape:
                code, outputs = self.view(images, training=True)  # code: noisy symbols / (L-1)
                symbols = ops.cast(code, "float32") * (self.levels - 1.0)  # (batch, ..., C) in [-0.5, L-0.5]
                probabilities = ops.softmax(self.logits, axis=-1)  # (C, L)
                distortion = ops.mean(ops.square(outputs - targets))
                # The encoder pays λ for bits under the current table; the table learns to fit the codes.
                rate = ops.mean(rate_bits(symbols, ops.stop_gradient(probabilities))) / pixels  # bpp
                fit = ops.mean(rate_bits(ops.stop_gradient(symbols), probabilities)) / pixels
                loss = distortion + self.rate_weight * rate
                total = loss + fit
            gradients = tape.gradient(total, self.trainable_variables)
            self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
            for name, value in (("loss", loss), ("distortion", distortion), ("rate", rate)):
                self.trackers[name].update_state(value)
            return {name: tracker.result() for name, tracker in self.trackers.items()}

    return CodecTrainer


class CountSymbols(keras().callbacks.Callback):
    """When training ends: count the quantized symbols of training codes into the model's frequency table."""

    def __init__(self, codec, setup):
        super().__init__()
        self.codec, self.setup = codec, setup

    def on_train_end(self, logs=None):
        count_frequencies(self.codec, self.setup)


def count_frequencies(codec, setup, count: int = COUNT_IMAGES) -> np.ndarray:
    """Set (and return) the codec's (C, MAX_LEVELS) frequency table from `count` training images."""
    from aecore import data
    from aecore.models import infer
    from aecore.tasks.compress import entropy
    from aecore.tasks.compress.codec import symbols_of
    from aecore.tasks.compress.model import MAX_LEVELS, quantizer, split_at_code

    images = data.to_float(data.load(setup.dataset).x_train[:count])  # (N, H, W, C)
    layer = quantizer(codec)
    levels = int(round(float(layer.levels.numpy())))
    code = infer(split_at_code(codec)[0], images)  # (N, h, w, c) or (N, latent_dim)
    symbols = symbols_of(code, levels)
    frequencies = entropy.count(symbols, levels, MAX_LEVELS)
    layer.frequencies.assign(frequencies.astype(np.float32))
    return frequencies


@dataclass(frozen=True)
class RateDistortion(Objective):
    """Minimize MSE + λ x bpp, with the bits and λ of the task's options."""

    losses: tuple[str, ...] = ("mse",)  # PSNR is what codecs are compared by, and PSNR is MSE in decibels
    terms: tuple[str, ...] = ("loss", "distortion", "rate")
    # Adam's step is this many times TrainConfig's. Measured at equal steps (1250, Fashion-MNIST, latent 8, 5 bits,
    # λ 0.01): 2e-3 gave 0.93 bpp at 20.6 dB, 5e-3 0.64 bpp at 22.4 dB: the encoder must spread its values
    # over the levels before the noise stops drowning them, and a larger step gets there sooner. 1e-2 did better
    # still at λ 0.02 (0.42 bpp at 21.3 dB against 0.57 at 21.1) but 5e-2 collapsed: 2.5x keeps a margin.
    learning_rate_scale: float = 2.5

    def trainer(self, model, setup, config, companions: dict):
        from aecore.tasks.compress.model import quantizer

        levels = 2 ** int(setup.options["bits"])
        quantizer(model).levels.assign(float(levels))  # the saved model now codes with 2^bits levels
        trainer = _trainer_class()(model, levels, float(setup.options["rate_weight"]))
        trainer.compile(optimizer=adam(trainer, config.learning_rate * self.learning_rate_scale), jit_compile=False)
        return trainer

    def callbacks(self, model, setup, config) -> list:
        return [CountSymbols(model, setup)]

    def validation_loss(self, outputs: np.ndarray, targets: np.ndarray, setup) -> float:
        """The distortion term on held-out images (the rate needs the code, which `outputs` do not show)."""
        return float(np.mean(np.square(outputs - targets)))
