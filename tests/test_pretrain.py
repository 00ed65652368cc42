"""`make pretrain`'s recipes: a second stage goes on training the first stage's model, and a variant that
says "from_task_model" starts from the task's own weights, so it is trained after them."""

import dataclasses
import json

import numpy as np

from aecore import pretrain, pretrained, tasks
from aecore.train import new_model


def test_the_task_model_comes_after_its_variants_and_before_the_ones_fine_tuned_from_it():
    for name in tasks.names():
        order = pretrain.training_order(name)
        variants = tasks.get(name).pretrained_variants
        assert sorted(order) == sorted(["", *variants]), name
        for variant in variants:
            after = order.index(variant) > order.index("")
            assert after == bool(variants[variant].get("from_task_model")), (name, variant)
    assert pretrain.training_order("compress") == ["", "higher_rate", "lower_rate"]  # both fine-tuned from it


def test_a_two_stage_recipe_and_a_variant_fine_tuned_from_the_task_model(tmp_path, monkeypatch):
    # The toy task of test_toy_task.py, with a recipe of two stages and a variant that fine-tunes its model.
    toy = dataclasses.replace(tasks.get("toy_specks"),
                              pretrain={"samples": 64, "then": {"samples": 32, "learning_rate": 1e-4}},
                              pretrained_variants={"finer": {"from_task_model": True, "pretrain": {"samples": 48}}})
    monkeypatch.setattr(pretrain.tasks, "get", lambda name: toy if name == "toy_specks" else tasks.TASKS.get(name))
    monkeypatch.setattr(pretrain.resources, "checkout_folder", lambda name: tmp_path)
    monkeypatch.setattr(pretrained, "path",
                        lambda task, variant="": tmp_path / (f"{task}_{variant}.keras" if variant else f"{task}.keras"))

    first = pretrain.pretrain("toy_specks", epochs=1)
    info = json.loads((tmp_path / "toy_specks.json").read_text())
    assert info["steps"] == 64 // 16 + 32 // 16  # both stages (batch 16), one epoch each
    assert first["seconds"] == info["train_seconds"] > 0

    model = pretrained.load("toy_specks")[0]
    pretrain.pretrain("toy_specks", epochs=1, variant="finer")
    finer, _, finer_info = pretrained.load("toy_specks", "finer")
    assert finer_info["fine_tuned_from"] == "toy_specks.keras" and finer_info["steps"] == 48 // 16
    # Three steps from the task's model: close to its weights, nothing like a fresh start's.
    moved = [np.abs(a - b).max() for a, b in zip(model.get_weights(), finer.get_weights())]
    untrained = new_model(tasks.new_setup("toy_specks"))
    fresh = [np.abs(a - b).max() for a, b in zip(model.get_weights(), untrained.get_weights())]
    assert max(moved) < 0.1 < max(fresh)
