"""A task registered from a test file, reusing existing pieces: with no other change it gets a tab that
renders, CLI `train`/`evaluate`, a scripting endpoint, scores from the shared path, and a place in every
registry-parametrized test (conftest.py imports this module before the others are collected).

This is the recipe of aecore/tasks/README.md, followed by someone outside the package.
"""

import json

import numpy as np
import pytest

from aecore import evaluate, tasks
from aecore.models.config import ModelConfig
from aecore.tasks import Task, register
from demo.tasks import Tab, add_tab

TOY = register(Task(
    name="toy_specks",
    title="Toy: specks",
    description="A task defined in a test file: remove salt-and-pepper specks with a small conv autoencoder.",
    dataset="digits",
    corruptions=("salt_pepper",),
    params={"rate": 0.1},
    model=ModelConfig(kind="conv"),
    model_kinds=("conv", "dense"),
    baselines=("median",),
    lesson="denoising",
    order=1000,  # the last tab
))
# Its tab (the app's side): a subset of the shared sections; without this line it would get them all.
add_tab("toy_specks", Tab(sections=("data", "try", "model", "train", "compare")))


def test_the_toy_task_is_registered_like_the_others():
    assert "toy_specks" in tasks.names() and tasks.names()[-1] == "toy_specks"
    assert "toy_specks" not in tasks.BUILTIN  # the project's own tasks are the ones in aecore/tasks/


def test_scores_come_from_the_shared_path():
    setup = tasks.new_setup("toy_specks")
    rows = evaluate.evaluate(None, setup, count=32)
    assert [row["method"] for row in rows] == ["corrupted", "median"]
    assert rows[1]["psnr"] > rows[0]["psnr"]  # the median filter removes specks


def test_cli_trains_and_evaluates_the_toy_task(tmp_path, capsys):
    from aecore.cli import main

    model = tmp_path / "toy.keras"
    assert main(["train", "--task", "toy_specks", "--seconds", "3", "--samples", "256", "--eval-count", "32",
                 "--out", str(model), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["setup"]["task"] == "toy_specks" and model.is_file()
    assert main(["evaluate", "--task", "toy_specks", "--model", str(model), "--count", "32", "--json"]) == 0
    rows = {row["method"]: row for row in json.loads(capsys.readouterr().out)["evaluation"]}
    assert set(rows) == {"corrupted", "median", "autoencoder"}
    assert rows["autoencoder"]["psnr"] == pytest.approx(summary["evaluation"][-1]["psnr"])


def test_the_app_gives_the_toy_task_a_tab_and_an_endpoint(server, tmp_path):
    gradio_client = pytest.importorskip("gradio_client")
    httpx = pytest.importorskip("httpx")
    from aecore.images import save_image

    config = httpx.get(f"{server}config", timeout=30).json()
    labels = [c.get("props", {}).get("label") for c in config["components"]]
    assert "Toy: specks" in labels  # the tab
    image = tmp_path / "digit.png"
    save_image(image, np.pad(np.ones((10, 4)), 9))
    _, report = gradio_client.Client(server, verbose=False).predict(gradio_client.handle_file(str(image)), True,
                                                                    api_name="/toy_specks")
    assert report["task"] == "toy_specks" and {"corrupted", "median", "autoencoder"} <= set(report["scores"])
    assert "untrained" in report["model"]  # no pretrained weights: the report says so
