"""Brief training: progress reports, budgets, seeds, fine-tuning and divergence."""

import numpy as np
import pytest

from aecore import train as training
from aecore.evaluate import evaluate
from aecore.tasks import new_setup
from aecore.train import TrainConfig, TrainingDiverged, new_model, train

SMALL = TrainConfig(seconds=60, epochs=2, samples=512, validation_samples=64, probes=3, report_every=4)


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
