"""A machine without the Debian datasets: the tabs whose own data is missing open, train and answer on a stand-in.

The app runs as its own server process with Fashion-MNIST hidden (AECORE_HIDE_DATASETS, as if
`dataset-fashion-mnist` were not installed): the two tabs whose own data it is open on the generated
digits instead, say so in one sentence that names the command that adds it, and their Train button (its API
endpoint) trains.
"""

import re

import numpy as np
import pytest

from aecore import data, tasks
from aecore.images import save_image
from test_restart import start, stop
from conftest import free_port

gradio_client = pytest.importorskip("gradio_client")
httpx = pytest.importorskip("httpx")

pytestmark = pytest.mark.slow
HIDDEN = "fashion_mnist"
LACKING = [name for name in tasks.BUILTIN if tasks.get(name).dataset == HIDDEN]  # vae, edges_to_image


def test_stand_in_picks_data_of_the_same_shape(monkeypatch):
    monkeypatch.setenv("AECORE_HIDE_DATASETS", HIDDEN)
    assert data.why_unavailable(HIDDEN).startswith("hidden")
    assert data.stand_in(HIDDEN) == "digits"
    assert data.stand_in("photos") == "photos"
    with pytest.raises(data.DatasetUnavailable, match="apt-get install dataset-fashion-mnist"):
        data.load(HIDDEN)


@pytest.fixture(scope="module")
def hidden_server(tmp_path_factory):
    port = free_port()
    server = start(port, tmp_path_factory.mktemp("cache"), AECORE_HIDE_DATASETS=HIDDEN)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop(server)


def test_the_tabs_say_which_data_stands_in_and_how_to_add_the_real_one(hidden_server):
    assert LACKING, "some task's own data is Fashion-MNIST"
    config = httpx.get(hidden_server + "config", timeout=60).text
    sentence = f"This tab's own data, {HIDDEN}, is not on this server, so it uses digits instead"
    assert config.count(sentence) >= len(LACKING), config[:2000]
    assert "sudo apt-get install dataset-fashion-mnist" in config
    api = gradio_client.Client(hidden_server, verbose=False).view_api(print_info=False, return_format="dict")
    for name in LACKING:
        parameters = {p["parameter_name"]: p for p in api["named_endpoints"][f"/{name}_train"]["parameters"]}
        assert parameters["dataset"]["parameter_default"] == "digits"


# The tabs whose data stands in; every tab trains on its own data at both ends of every control in
# tests/test_train.py (test_every_setting_the_controls_reach_trains).
@pytest.mark.parametrize("name", LACKING)
def test_the_tabs_on_stand_in_data_train_from_their_train_button(hidden_server, name):
    client = gradio_client.Client(hidden_server, verbose=False, download_files=False)
    status, *_ = client.predict(2, api_name=f"/{name}_train")  # the smallest budget, the tab's own defaults
    assert "held-out PSNR" in status and "dB after training" in status, status
    found = re.search(r"([\d.]+) dB after", status)
    assert found and float(found.group(1)) > 5, status


def test_a_restore_answers_with_the_stand_in(hidden_server, tmp_path):
    digit = data.to_float(data.load("digits").x_test[:1])[0]  # (28, 28, 1)
    save_image(tmp_path / "digit.png", np.repeat(digit, 2, axis=0).repeat(2, axis=1))
    client = gradio_client.Client(hidden_server, verbose=False)
    for name in LACKING:
        _, report = client.predict(gradio_client.handle_file(str(tmp_path / "digit.png")), True, api_name=f"/{name}")
        assert report["scores"], report
