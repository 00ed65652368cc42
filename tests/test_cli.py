"""The `aecore` command, run as a real subprocess: train, evaluate and restore with --json."""

import json
import subprocess
import sys

import numpy as np

from aecore.images import load_image, save_image


def aecore(*args, check=True):
    done = subprocess.run([sys.executable, "-m", "aecore.cli", *args], capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def test_train_evaluate_restore_round_trip(tmp_path):
    model = tmp_path / "denoise.keras"
    done = aecore("train", "--task", "denoise", "--seconds", "30", "--epochs", "1", "--samples", "256",
                  "--eval-count", "32", "--out", str(model), "--json")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["setup"]["task"] == "denoise" and summary["train_seconds"] > 0
    methods = {row["method"]: row for row in summary["evaluation"]}
    assert set(methods) == {"corrupted", "nl_means", "gaussian_blur", "median", "autoencoder"}
    assert "[" in done.stderr and "epoch 1" in done.stderr  # the progress bar, on stderr
    assert model.is_file() and model.with_suffix(".json").is_file()

    evaluated = json.loads(aecore("evaluate", "--task", "denoise", "--model", str(model), "--count", "32",
                                  "--json").stdout)
    again = {row["method"]: row for row in evaluated["evaluation"]}
    assert again["autoencoder"]["psnr"] == methods["autoencoder"]["psnr"]  # same model, same held-out images

    photo = tmp_path / "in.png"
    save_image(photo, np.random.default_rng(0).random((30, 50, 3)))
    out = tmp_path / "out.png"
    restored = json.loads(aecore("restore", "--task", "denoise", "--model", str(model), str(photo), str(out),
                                 "--json").stdout)
    assert load_image(out).shape == (30, 50, 3) and restored["scores"]["autoencoder"]["psnr"] > 0  # colour stays
    assert restored["dataset"] == "digits" and "your model" in restored["note"]  # the model asked for, not the photo one


def test_bad_input_is_one_clear_line():
    done = aecore("train", "--task", "denoise", "--param", "sigma=5", check=False)
    assert done.returncode == 2 and "sigma must be between" in done.stderr and "Traceback" not in done.stderr
    done = aecore("evaluate", "--model", "missing.keras", check=False)
    assert done.returncode == 2 and "no model file" in done.stderr


def test_restore_without_a_model_uses_the_pretrained_one_and_its_photo_model(tmp_path):
    photo, out = tmp_path / "photo.png", tmp_path / "out.png"
    rows, columns = np.mgrid[0:48, 0:64] / 64.0
    save_image(photo, np.stack([rows, columns, 0.5 + 0 * rows], axis=-1))  # (48, 64, 3): a colour picture
    restored = json.loads(aecore("restore", "--task", "denoise", str(photo), str(out), "--json").stdout)
    assert restored["dataset"].startswith("photos") and "photo model" in restored["note"]
    kept = json.loads(aecore("restore", "--task", "denoise", "--no-photo-model", str(photo), str(out),
                             "--json").stdout)
    assert kept["dataset"] == "digits" and load_image(out).shape == (48, 64, 3)
