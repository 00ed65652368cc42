"""Training a variational autoencoder (keras-io's VAE training step) and scoring it by its ELBO.

    trainer = Variational().trainer(model, setup, config)   # what fit() trains: the app's Train, the CLI
    elbo(model, images)                                      # nats per image, and its two parts

Per image, in nats (information measured with natural logarithms):

    reconstruction_loss = -log p(x | z)          binary cross-entropy summed over every pixel
    kl_loss             = KL(q(z | x) || N(0, I)) = -1/2 * sum(1 + log σ² - μ² - σ²)
    loss                = reconstruction_loss + beta * kl_loss

The ELBO (evidence lower bound on log p(x)) is -(reconstruction_loss + kl_loss): with beta = 1,
training maximizes it. beta = 0 drops the KL term and the sampling too: the same layers
trained as a plain autoencoder, the reference the tab and the benchmark compare against.
"""

import dataclasses
from dataclasses import dataclass

import numpy as np

from aecore.losses import register as register_loss
from aecore.objectives import Objective, adam
from aecore.runtime import keras, tf

EPSILON = 1e-7  # probabilities are clipped to [EPSILON, 1 - EPSILON], as Keras' binary cross-entropy does


@register_loss("bce", "Binary cross-entropy (Bernoulli likelihood)",
               "−log p(x | z) summed over the pixels, in nats: each pixel read as the probability of 'ink'.")
@keras().saving.register_keras_serializable(package="aecore")
def bce(y_true, y_pred):
    """(batch, H, W, C) targets and predicted probabilities -> (batch,) summed binary cross-entropy."""
    ops = keras().ops
    return ops.sum(ops.binary_crossentropy(y_true, y_pred), axis=(1, 2, 3))  # (batch,)


def kl_divergence(z_mean, z_log_var):
    """KL(N(z_mean, exp(z_log_var)) || N(0, I)) per code, in closed form: (batch, latent_dim) -> (batch,)."""
    ops = keras().ops
    return -0.5 * ops.sum(1.0 + z_log_var - ops.square(z_mean) - ops.exp(z_log_var), axis=1)


class VAETrainer(keras().Model):
    """Trains the inference model `vae` (image -> encoder -> z -> decoder) on reconstruction + beta * KL.

    It holds the VAE's own encoder, Sampling layer and decoder, so training updates exactly the
    model that is saved and that `infer()` runs; `fit` drives it, so the project's callbacks apply.
    """

    def __init__(self, vae, beta: float, reconstruction=bce, **kwargs):
        super().__init__(name="vae_trainer", **kwargs)
        self.vae = vae
        self.encoder, self.sampling, self.decoder = (vae.get_layer(name) for name in ("encoder", "z", "decoder"))
        self.beta = float(beta)
        self.reconstruction = reconstruction
        self.trackers = [keras().metrics.Mean(name=name) for name in Variational.terms]

    @property
    def metrics(self):
        return self.trackers  # listed here, so fit resets them every epoch

    def call(self, inputs, training=False):
        return self.vae(inputs, training=training)

    def train_step(self, batch):
        inputs, targets, _ = keras().utils.unpack_x_y_sample_weight(batch)  # (batch, H, W, C) each: the same
        # images, since the corruption is "none"
        with tf().GradientTape() as tape:
            z_mean, z_log_var = self.encoder(inputs, training=True)  # (batch, latent_dim) each
            # The reparameterization trick: z = z_mean + sigma * epsilon. With beta = 0 nothing asks the codes
            # to be a distribution, so none is drawn: a plain autoencoder reads z_mean.
            z = self.sampling([z_mean, z_log_var], training=True) if self.beta > 0 else z_mean
            reconstructions = self.decoder(z, training=True)  # (batch, H, W, C): pixel probabilities
            reconstruction_loss = keras().ops.mean(self.reconstruction(targets, reconstructions))
            kl_loss = keras().ops.mean(kl_divergence(z_mean, z_log_var))
            loss = reconstruction_loss + self.beta * kl_loss
        variables = self.vae.trainable_variables
        gradients = tape.gradient(loss, variables)
        # With beta = 0 the z_log_var layer takes no part: it gets no gradient, and is left as it is.
        self.optimizer.apply_gradients([(g, v) for g, v in zip(gradients, variables) if g is not None])
        for tracker, value in zip(self.trackers, (loss, reconstruction_loss, kl_loss)):
            tracker.update_state(value)
        return {tracker.name: tracker.result() for tracker in self.trackers}


@dataclass(frozen=True)
class Variational(Objective):
    """The VAE objective: reconstruction + beta * KL, beta from the task option "beta"."""

    losses: tuple[str, ...] = ("bce",)  # the reconstruction term: the Bernoulli likelihood keras-io uses
    terms: tuple[str, ...] = ("loss", "reconstruction_loss", "kl_loss")  # reported each step, named as the lesson does

    def trainer(self, model, setup, config, companions: dict):
        from aecore.losses import LOSSES

        trainer = VAETrainer(model, beta=setup.options["beta"], reconstruction=LOSSES.get(setup.loss).function)
        # No XLA: compiling it costs more seconds than a brief training has (see objectives.Reconstruction).
        trainer.compile(optimizer=adam(model, config.learning_rate), jit_compile=False)
        return trainer

    def validation_loss(self, outputs: np.ndarray, targets: np.ndarray, setup) -> float:
        """The reconstruction loss of the held-out images decoded from z_mean (nats per image)."""
        return float(np.mean(bernoulli_nats(targets, outputs)))



def bernoulli_nats(images: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """-log p(images | probabilities) per image, in nats: NumPy's twin of `bce`, (B, H, W, C) -> (B,)."""
    x = np.asarray(images, np.float64)
    p = np.clip(np.asarray(probabilities, np.float64), EPSILON, 1.0 - EPSILON)
    return -(x * np.log(p) + (1.0 - x) * np.log(1.0 - p)).sum(axis=(1, 2, 3))


def kl_nats(z_mean: np.ndarray, z_log_var: np.ndarray) -> np.ndarray:
    """NumPy's twin of `kl_divergence`: (B, latent_dim) each -> (B,) nats."""
    z_mean, z_log_var = np.asarray(z_mean, np.float64), np.asarray(z_log_var, np.float64)
    return -0.5 * (1.0 + z_log_var - z_mean ** 2 - np.exp(z_log_var)).sum(axis=1)


def elbo_terms(images, probabilities, z_mean, z_log_var) -> dict[str, float]:
    """Means over the batch, in nats per image: the ELBO (higher is better) and its two parts (lower is better)."""
    reconstruction = float(np.mean(bernoulli_nats(images, probabilities)))
    kl = float(np.mean(kl_nats(z_mean, z_log_var)))
    return {"elbo": -(reconstruction + kl), "reconstruction_loss": reconstruction, "kl_loss": kl}


def elbo(model, images: np.ndarray, samples: int = 1, seed: int = 0) -> dict[str, float]:
    """The test ELBO of `images` (B, H, W, C) in [0, 1]: reconstruction averaged over `samples` draws of z per
    image (seeded, so the same model always gets the same number), KL in closed form."""
    from aecore.tasks.vae.latent_space import decode, encode

    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    images = np.asarray(images, np.float32)
    z_mean, z_log_var = encode(model, images)  # (B, latent_dim) each
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(samples):
        z = z_mean + np.exp(0.5 * z_log_var) * rng.standard_normal(z_mean.shape).astype(np.float32)  # reparameterized
        draws.append(elbo_terms(images, decode(model, z), z_mean, z_log_var))
    return {key: float(np.mean([draw[key] for draw in draws])) for key in draws[0]}


def held_out_report(model, setup, count: int | None = None) -> dict:
    """One model on the held-out images every score uses: its code size, reconstruction PSNR, and the ELBO
    with its two parts (nats per image): a row of the "extending the latent space" table."""
    from aecore import metrics
    from aecore.evaluate import HELD_OUT_COUNT, held_out_pairs, predict_images

    pairs = held_out_pairs(setup, count or HELD_OUT_COUNT)
    psnr = float(metrics.psnr(pairs.clean, predict_images(model, setup, pairs)).mean())
    return {"latent_size": setup.model.latent_dim, "beta": setup.options["beta"], "psnr": psnr,
            **elbo(model, pairs.inputs)}


def plain_twin(setup):
    """The same setup with beta = 0: a plain autoencoder of the same layers, the VAE's reference."""
    return dataclasses.replace(setup, options={**setup.options, "beta": 0.0})
