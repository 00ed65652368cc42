"""The app, tested the way gradio tests its demos: launch it in-process and talk to it over HTTP.

Every task's restore endpoint answers with a restored image of the right size and
its metrics; training streams progress and improves on the untrained model; two
students (two clients) keep separate models.
"""

import re

import numpy as np
import pytest

from aecore import tasks
from aecore.images import load_image, save_image

gradio_client = pytest.importorskip("gradio_client")
httpx = pytest.importorskip("httpx")

TRAIN_SECONDS = 6  # about 1.5 s of it is TensorFlow tracing the training step


def client(url):
    return gradio_client.Client(url, verbose=False, download_files=True)


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    """A 40x56 colour test picture (smooth gradients and a disc): not a multiple of any pooling size."""
    rows, columns = np.mgrid[0:40, 0:56] / np.array([40.0, 56.0])[:, None, None]
    disc = ((rows - 0.5) ** 2 + (columns - 0.4) ** 2 < 0.08).astype(np.float32)
    image = np.stack([rows, columns, 0.3 + 0.6 * disc], axis=-1).astype(np.float32)  # (40, 56, 3)
    path = tmp_path_factory.mktemp("images") / "photo.png"
    save_image(path, image)
    return path


def test_page_answers(server):
    response = httpx.get(server, timeout=30)
    assert response.status_code == 200
    assert "gradio" in response.text.lower()


def test_the_config_is_kept_compressed_and_still_names_each_address(server):
    config = server + "config"
    first = httpx.get(config, timeout=30, headers={"accept-encoding": "identity"})
    again = httpx.get(config, timeout=30)  # httpx asks for gzip and unpacks it
    assert first.status_code == again.status_code == 200
    assert "content-encoding" not in first.headers and again.headers["content-encoding"] == "gzip"
    assert int(again.headers["content-length"]) < len(first.content) / 5  # what crosses the network
    assert again.content == first.content
    # The public address Gradio writes into the config is part of the key: a proxy's answer is its own.
    proxied = httpx.get(config, timeout=30, headers={"x-forwarded-host": "class.example.org"}).json()
    assert proxied["root"].startswith("http://class.example.org") and first.json()["root"].startswith(server[:-1])


def test_api_lists_restore_and_train_per_task(server):
    api = client(server).view_api(print_info=False, return_format="dict")
    assert set(api["named_endpoints"]) >= {f"/{name}{action}" for name in tasks.names() for action in ("", "_train")}


@pytest.mark.parametrize("task", tasks.names())
def test_restore_endpoint_returns_image_and_metrics(server, photo, task):
    restored_path, report = client(server).predict(gradio_client.handle_file(str(photo)), True, api_name=f"/{task}")
    restored = load_image(restored_path)
    assert restored.shape[:2] == (40, 56)
    assert report["task"] == task
    assert report["image_shape"][:2] == [40, 56]
    scores = report["scores"]
    assert "autoencoder" in scores
    assert "corrupted" in scores or tasks.get(task).corruptions == ("none",)  # a codec reads the image as it is
    for method in tasks.get(task).baselines:
        assert method in scores or method == "telea"
    assert 0 < scores["autoencoder"]["psnr"] <= 100
    assert -1 <= scores["autoencoder"]["ssim"] <= 1


@pytest.mark.parametrize("task", [name for name in tasks.names() if tasks.get(name).photo_model])
def test_a_colour_photo_is_restored_by_the_photo_model_unless_asked_not_to(server, photo, task):
    mask = () if tasks.get(task).paint is None else (None,)  # no painted mask: the tab's own corruption
    _, report = client(server).predict(gradio_client.handle_file(str(photo)), True, *mask, api_name=f"/{task}")
    assert report["model"].startswith("pretrained photo model") and report["dataset"].startswith("photos")
    assert "restored with the photo model" in report["note"] and report["image_shape"] == [40, 56, 3]
    _, kept = client(server).predict(gradio_client.handle_file(str(photo)), True, *mask, False, api_name=f"/{task}")
    assert kept["dataset"] == "digits" and "photo model" in kept["note"]


def test_a_phone_sized_photo_put_in_the_paint_editor_is_shrunk_to_the_working_size():
    import cv2
    import gradio as gr

    from aecore.data.photos import real_photographs
    from demo.task_tab.try_image import fit_editor

    photo = next(iter(real_photographs().values()))  # (H, W, 3) uint8
    phone = cv2.resize(photo, (1600, 1200), interpolation=cv2.INTER_CUBIC)
    update, size = fit_editor({"background": phone, "layers": [], "composite": phone}, None)
    fitted = update["value"]
    shrunk = load_image(fitted["background"])
    assert shrunk.shape == (768, 1024, 3) and fitted["composite"] == fitted["background"] and fitted["layers"] == []
    assert np.abs(shrunk - cv2.resize(photo, (1024, 768), interpolation=cv2.INTER_AREA) / 255).mean() < 0.02
    small = phone[:300, :400]
    # The brush is sized to the picture, a hole about 1/20 of it wide (Gradio's fixed 25 covers a whole 28x28 digit)
    assert update["brush"].default_size == size == 19
    kept, size = fit_editor({"background": small, "layers": [], "composite": small}, 19)
    assert "value" not in kept and kept["brush"].default_size == size == 8  # left as it is, the brush fitted to it
    # The editor reports every update as a new arrival: once its brush fits, nothing more is sent (no endless loop)
    assert fit_editor({"background": small, "layers": [], "composite": small}, 8) == (gr.skip(), gr.skip())


def test_already_damaged_image_has_no_reference(server, photo):
    restored_path, report = client(server).predict(gradio_client.handle_file(str(photo)), False, api_name="/colorize")
    assert load_image(restored_path).shape == (40, 56, 3)  # a gray photo, coloured
    assert report["scores"] == {} and "No clean reference" in report["note"]


def test_the_colour_dial_rescores_what_this_client_colorized(server, photo):
    student = client(server)
    _, report = student.predict(gradio_client.handle_file(str(photo)), True, api_name="/colorize")
    items, _, note = student.predict(0.5, api_name="/colorize_colour_dial")
    assert len(items) == 3 and "At **x0.5**" in note and "the gray image" in note
    assert load_image(items[2]["image"]).shape == (40, 56, 3)  # this client's photo, not the first example
    gray = report["scores"]["gray"]["psnr"]
    assert f"({gray:.2f} dB)" in note
    with pytest.raises(Exception, match="greater than maximum value 1.5"):  # Gradio checks the slider's range
        student.predict(3, api_name="/colorize_colour_dial")


@pytest.mark.parametrize("task", [name for name in tasks.names() if tasks.get(name).paint is not None])
def test_painting_tasks_take_a_mask(server, photo, tmp_path, task):
    mask = np.zeros((40, 56), np.float32)
    mask[10:20, 5:30] = 1.0
    save_image(tmp_path / "mask.png", mask)
    _, report = client(server).predict(gradio_client.handle_file(str(photo)), True,
                                       gradio_client.handle_file(str(tmp_path / "mask.png")), api_name=f"/{task}")
    assert report["corruption_applied"] == {"name": "painted mask"}
    assert report["scores"]["autoencoder"]["psnr_inside"] is not None


def test_bad_image_gives_a_clear_error(server, tmp_path):
    save_image(tmp_path / "tiny.png", np.zeros((4, 4), np.float32))
    with pytest.raises(Exception, match="4x4 pixels; each side must be at least 8"):
        client(server).predict(gradio_client.handle_file(str(tmp_path / "tiny.png")), True, api_name="/denoise")


def test_training_streams_improves_and_stays_private(server, photo):
    student, classmate = client(server), client(server)
    image = gradio_client.handle_file(str(photo))
    _, before = classmate.predict(image, True, False, api_name="/denoise")

    job = student.submit(TRAIN_SECONDS, "from scratch", api_name="/denoise_train")
    updates = [update for update in job]  # streamed as training goes
    status, curves, _, files = job.result()
    assert len(updates) >= 3  # before training, after each epoch, done
    assert curves is not None
    found = re.search(r"([\d.]+) dB before → ([\d.]+) dB after", status)
    assert found, status
    assert float(found.group(2)) > float(found.group(1))  # better than the untrained model
    paths = files["value"] if isinstance(files, dict) else files  # the client returns the gr.update
    assert any(str(path).endswith(".keras") for path in paths)

    _, mine = student.predict(image, True, False, api_name="/denoise")  # without the photo model: their own
    assert mine["model"].startswith("your model")
    _, photo = student.predict(image, True, api_name="/denoise")  # a colour photo still goes to the photo model
    assert photo["model"].startswith("pretrained photo model") and "not your model" in photo["note"]
    _, theirs = classmate.predict(image, True, False, api_name="/denoise")
    assert not theirs["model"].startswith("your model")
    assert theirs["scores"] == before["scores"]  # the classmate's model did not change


def test_a_fine_tune_that_ends_worse_keeps_the_model_in_use_and_offers_the_new_one(server, photo, monkeypatch):
    from aecore.train import fine_tuning
    from demo.task_tab import train as train_section

    # Ten times the brief run's rate (0.02) wrecks what the pretrained denoiser knows within seconds.
    monkeypatch.setattr(train_section, "fine_tuning", lambda config: fine_tuning(config, 10.0))
    student, image = client(server), gradio_client.handle_file(str(photo))
    _, before = student.predict(image, True, False, api_name="/denoise")
    status, _, _, files = student.predict(TRAIN_SECONDS, api_name="/denoise_train")
    found = re.search(r"made the model worse on the held-out images \(([\d.]+) → ([\d.]+) dB\)", status)
    assert found and float(found.group(2)) < float(found.group(1)), status
    _, after = student.predict(image, True, False, api_name="/denoise")
    assert after["model"] == before["model"] and after["scores"] == before["scores"]  # still the pretrained model
    paths = files["value"] if isinstance(files, dict) else files
    assert any(str(path).endswith(".keras") for path in paths)  # the worse one, to take home all the same


def test_a_session_made_before_the_page_said_who_it_is_finds_its_student_later(tmp_path, monkeypatch):
    from demo import session as sessions, student_store

    monkeypatch.setattr(student_store, "root", lambda: tmp_path)
    early = sessions.TaskSession("denoise", None, browser="page-1")  # a section's event came first
    assert early.student is None
    key = sessions.identify("", type("Request", (), {"session_hash": "page-1"})())  # the load event, later
    assert early.student == key  # found once the page has said it
    sessions.forget(type("Request", (), {"session_hash": "page-1"})())


@pytest.mark.parametrize("name", tasks.names())
def test_the_corruption_sliders_fit_every_dataset(name):
    import gradio as gr

    from aecore import data
    from demo.task_tab import controls, data as data_section

    settings = controls.Settings(tasks.get(name))
    with gr.Blocks():
        controls.data_controls(settings, tasks.new_setup(name))
    for dataset in data.names():  # every value of the dataset dropdown, every corruption's sliders and radios
        values = [dataset if component is settings.dataset else component.value for component in settings.components]
        updates, fitted, _ = data_section.slider_limits(settings, values)
        assert len(updates) == len(settings.params) and len(fitted) == len(values)


def test_the_waiting_line_counts_down_and_goes_in_order(monkeypatch):
    import threading
    import time

    from demo import waiting_line

    monkeypatch.setattr(waiting_line, "TICK_SECONDS", 0.2)
    line = waiting_line.WaitingLine()
    first, _, _ = line.join(3)
    assert list(line.turn(first)) == []  # nobody ahead: it starts at once
    second, ahead, wait = line.join(3)
    assert ahead == 1 and 6 <= wait <= 7  # the first one's budget and overhead
    said, started = [], threading.Event()

    def wait_for_turn():
        for place in line.turn(second):
            said.append(place)
        started.set()

    threading.Thread(target=wait_for_turn, daemon=True).start()
    time.sleep(1.0)
    assert not started.is_set() and len(said) >= 3
    assert said[-1][0] == 1 and said[-1][1] < said[0][1]  # still 2nd in line, and the estimate counts down
    line.leave(first)
    assert started.wait(2) and line.waited(second) >= 1.0


def test_a_student_can_fine_tune_the_photo_model_and_a_photo_then_goes_to_theirs(server, photo):
    from demo.task_tab.train import PHOTO_MODE

    student = client(server)
    status, *_ = student.predict(3, PHOTO_MODE, api_name="/denoise_train")
    _, report = student.predict(gradio_client.handle_file(str(photo)), True, api_name="/denoise")
    if "made the model worse" in status:  # kept the pretrained photo model: still the one a photo goes to
        assert report["model"].startswith("pretrained photo model"), report
    else:
        assert "Done" in status and "fine-tuned from the photo model" in report["model"], report
        assert report["model"].startswith("your model") and report["dataset"].startswith("photos"), report
