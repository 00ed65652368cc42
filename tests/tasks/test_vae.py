"""The variational autoencoder: its Sampling layer, KL and ELBO, training, its latent space, the `sample`
command and the app's /vae_decode and /vae endpoints."""

import json
import math
import re

import numpy as np
import pytest

from aecore import saving
from aecore.runtime import keras
from aecore.tasks import new_setup
from aecore.tasks.vae import latent_space
from aecore.tasks.vae.model import Sampling
from aecore.train import TrainConfig, new_model, train
from aecore.tasks.vae.variational import (VAETrainer, bce, bernoulli_nats, elbo, elbo_terms, kl_divergence, kl_nats,
                                plain_twin)

LN2 = math.log(2.0)


def digits_setup(**changes):
    return new_setup("vae", dataset="digits", **changes)


def test_sampling_draws_from_the_gaussian_while_training_and_gives_its_mean_otherwise():
    keras().utils.set_random_seed(0)
    mean = np.tile(np.array([[1.5, -2.0]], np.float32), (20000, 1))
    log_var = np.tile(np.array([[0.0, np.log(0.25)]], np.float32), (20000, 1))  # sigma 1 and 0.5
    layer = Sampling()
    z = np.asarray(layer([mean, log_var], training=True))
    np.testing.assert_allclose(z.mean(axis=0), [1.5, -2.0], atol=0.03)
    np.testing.assert_allclose(z.std(axis=0), [1.0, 0.5], atol=0.02)
    assert abs(np.corrcoef(z.T)[0, 1]) < 0.03  # independent coordinates
    np.testing.assert_array_equal(np.asarray(layer([mean, log_var], training=False)), mean)


def test_kl_matches_the_closed_form_for_gaussians():
    z_mean = np.array([[0.0, 0.0], [1.0, -2.0], [0.5, 0.0]], np.float32)
    z_log_var = np.array([[0.0, 0.0], [0.0, 0.0], [np.log(4.0), np.log(0.25)]], np.float32)
    sigma = np.exp(0.5 * z_log_var.astype(np.float64))
    # KL(N(mu, sigma^2) || N(0, 1)) = log(1 / sigma) + (sigma^2 + mu^2) / 2 - 1/2, summed over the coordinates
    expected = (np.log(1 / sigma) + (sigma ** 2 + z_mean ** 2) / 2 - 0.5).sum(axis=1)
    np.testing.assert_allclose(np.asarray(kl_divergence(z_mean, z_log_var)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(kl_nats(z_mean, z_log_var), expected, rtol=1e-6, atol=1e-7)
    assert expected[0] == 0 and expected[1] == pytest.approx(2.5)  # the prior itself costs nothing


def test_elbo_on_a_known_case():
    images = np.zeros((2, 28, 28, 1), np.float32)
    images[1] = 1.0
    terms = elbo_terms(images, np.full_like(images, 0.5), np.zeros((2, 3)), np.zeros((2, 3)))
    # A decoder that says "0.5" everywhere: every pixel costs ln 2 nats; a code equal to the prior costs 0.
    assert terms["reconstruction_loss"] == pytest.approx(784 * LN2) and terms["kl_loss"] == 0
    assert terms["elbo"] == pytest.approx(-784 * LN2)
    probabilities = np.random.default_rng(0).uniform(0.01, 0.99, images.shape).astype(np.float32)
    np.testing.assert_allclose(np.asarray(bce(images, probabilities)), bernoulli_nats(images, probabilities),
                               rtol=1e-4)  # the training loss and the scoring function agree


def test_knn_accuracy_on_known_cases():
    separated = np.array([[0.0, 0], [0.1, 0], [0, 0.1], [0.1, 0.1], [0.05, 0.05], [0.02, 0.08],
                          [5, 5], [5.1, 5], [5, 5.1], [5.1, 5.1], [5.05, 5.05], [5.02, 5.08]])
    labels = np.array([0] * 6 + [1] * 6)
    assert latent_space.knn_accuracy(separated, labels, k=5) == 1.0
    line = np.arange(8.0)[:, None]  # points 0..7 on a line, classes alternating
    assert latent_space.knn_accuracy(line, np.arange(8) % 2, k=1) == 0.0  # the nearest is always the other class
    # k = 2 ties one vote each: the nearer one decides (point 0's neighbours are 1, then 2: class 1 wins).
    assert latent_space.knn_accuracy(line, np.arange(8) % 2, k=2) == 0.0
    with pytest.raises(ValueError, match="k must be between"):
        latent_space.knn_accuracy(line, np.arange(8) % 2, k=8)


def test_training_lowers_the_reconstruction_loss_and_reports_the_kl_term():
    reports = []
    result = train(digits_setup(), TrainConfig(seconds=60, epochs=3, samples=512, validation_samples=32,
                                               report_every=4, validate_every=0), on_progress=reports.append)
    batches = [r for r in reports if r.kind == "batch"]
    assert {"loss", "reconstruction_loss", "kl_loss"} <= set(batches[0].terms)
    first, last = batches[0].terms, batches[-1].terms
    assert last["reconstruction_loss"] < 0.8 * first["reconstruction_loss"]
    assert all(np.isfinite(r.terms["kl_loss"]) and r.terms["kl_loss"] >= 0 for r in batches)
    assert last["loss"] == pytest.approx(last["reconstruction_loss"] + last["kl_loss"], rel=1e-4)  # beta = 1
    assert result.history[-1].val_loss < 0.8 * 784 * LN2  # held-out reconstruction beats "0.5 everywhere"


def test_beta_zero_gives_the_kl_term_no_weight():
    setup = digits_setup(options={"beta": 0.0})
    assert plain_twin(digits_setup()) == setup
    keras().utils.set_random_seed(1)
    model = new_model(setup)
    trainer = VAETrainer(model, beta=0.0)
    trainer.compile(optimizer=keras().optimizers.Adam(1e-3), jit_compile=False)
    images = np.random.default_rng(1).random((8, 28, 28, 1)).astype(np.float32)
    logs = trainer.train_on_batch(images, images, return_dict=True)
    assert logs["loss"] == pytest.approx(logs["reconstruction_loss"]) and logs["kl_loss"] > 0  # reported, not paid


def test_decoding_a_latent_point():
    model = new_model(digits_setup())
    image = latent_space.decode(model, [0.5, -1.0])
    assert image.shape == (1, 28, 28, 1) and 0 <= image.min() and image.max() <= 1
    grid = latent_space.manifold(model, latent_space.LatentPlane.fit(np.random.default_rng(0).normal(size=(9, 2))),
                                 ((-2, 2), (-2, 2)), count=3)
    assert grid.shape == (84, 84, 1)
    with pytest.raises(ValueError, match="code has 2 numbers"):
        latent_space.decode(model, [0.5, -1.0, 2.0])
    with pytest.raises(ValueError, match="no 'encoder' and 'decoder'"):
        latent_space.decode(new_model(new_setup("denoise")), [0.0, 0.0])


def test_a_plane_of_a_larger_code_maps_back_onto_its_principal_axes():
    codes = np.random.default_rng(2).normal(size=(200, 8)) * np.array([5, 3, 1, 1, 1, 1, 1, 1])
    plane = latent_space.LatentPlane.fit(codes)
    assert plane.names == ("PC 1", "PC 2") and plane.share[0] > plane.share[1] > 0.05
    points = plane.to_plane(codes[:5])
    np.testing.assert_allclose(plane.to_plane(plane.to_latent(points)), points, atol=1e-4)
    assert latent_space.LatentPlane.fit(codes[:, :2]).names == ("z1", "z2")  # a 2-number code is its own plane
    ends = latent_space.line_between(codes[0], codes[1], 5)
    np.testing.assert_allclose(ends[[0, -1]], codes[:2], atol=1e-5)


def test_save_and_load_keep_the_encoder_and_decoder(tmp_path):
    setup = digits_setup(model=digits_setup().model.replace(kind="vae_dense", latent_dim=4))
    model = new_model(setup)
    loaded, again, _ = saving.load(saving.save(model, setup, tmp_path / "vae.keras"))
    assert again == setup and latent_space.latent_size(loaded) == 4
    point = np.array([[0.3, -0.2, 1.0, 0.0]], np.float32)
    np.testing.assert_allclose(latent_space.decode(loaded, point), latent_space.decode(model, point), atol=1e-6)
    images = np.random.default_rng(3).random((4, 28, 28, 1)).astype(np.float32)
    for mine, theirs in zip(latent_space.encode(model, images), latent_space.encode(loaded, images)):
        np.testing.assert_allclose(mine, theirs, atol=1e-5)
    assert elbo(loaded, images) == pytest.approx(elbo(model, images))  # seeded: the same number every time


def test_pca_with_every_component_gives_the_images_back():
    images = np.random.default_rng(4).random((20, 4, 4, 1))  # 16 numbers each: 16 components say everything
    pca = latent_space.PCA.fit(images, components=16)
    np.testing.assert_allclose(pca.reconstruct(images, 16), images, atol=1e-5)
    assert np.abs(pca.reconstruct(images, 1) - images).mean() > 0.05


def test_cli_sample_writes_a_grid_of_new_images(tmp_path, capsys):
    from aecore.cli import main
    from aecore.images import load_image

    setup = digits_setup()
    path = saving.save(new_model(setup), setup, tmp_path / "vae.keras")
    out = tmp_path / "samples.png"
    assert main(["sample", "--model", str(path), "--count", "16", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["count"] == 16 and summary["latent_size"] == 2 and load_image(out).shape == (112, 112, 1)
    assert main(["sample", "--model", str(path), "--count", "0", str(out)]) == 2
    assert "--count must be between" in capsys.readouterr().err


def test_the_app_decodes_a_latent_vector_and_codes_an_image(server, tmp_path):
    gradio_client = pytest.importorskip("gradio_client")
    from aecore.images import load_image, save_image

    client = gradio_client.Client(server, verbose=False)
    decoded = load_image(client.predict("0.5, -1", api_name="/vae_decode"))
    assert decoded.shape == (28, 28, 1) and 0 <= decoded.min() and decoded.max() <= 1 and decoded.std() > 0
    with pytest.raises(Exception, match="code has 2 numbers"):
        client.predict("1, 2, 3", api_name="/vae_decode")
    image = tmp_path / "shirt.png"
    save_image(image, np.pad(np.ones((16, 12)), 6) * 0.8)
    _, report = client.predict(gradio_client.handle_file(str(image)), True, api_name="/vae")
    assert len(report["code"]) == 2 and len(report["code_sigma"]) == 2 and all(s > 0 for s in report["code_sigma"])
    assert {"corrupted", "flat", "autoencoder"} <= set(report["scores"])


def test_the_plain_twin_trains_in_the_class_line_for_the_seconds_the_vae_trained(monkeypatch):
    """"Train the plain autoencoder" streams its progress through the same helper as Train, and keeps the twin in
    the student's declared state, where every view with a plain half finds it."""
    from demo import waiting_line
    from demo.session import OwnModel, TaskSession
    from demo.tasks.vae import common, space

    monkeypatch.setattr(waiting_line, "LINE", waiting_line.WaitingLine())  # a line of its own: no other test's turn

    session = TaskSession("vae")
    vae = common.vae(session)
    trained = train(vae.setup, TrainConfig(seconds=1.0), initial_model=vae.model)
    session.own = OwnModel(trained.model, vae.setup, "your model (trained 1 s from scratch)", trained.history)
    said = [text for _, text in space.train_plain(session)]
    assert re.match(r"Trained the plain autoencoder \(β = 0, trained \d s from scratch", said[-1]), said[-1]
    assert any("Training the plain autoencoder (β = 0) from scratch" in text for text in said[:-1])
    twin = common.plain(session)
    assert twin is not None and twin.setup.options["beta"] == 0 and session.kept.plain
    assert "already trained" in list(space.train_plain(session))[-1][1]
