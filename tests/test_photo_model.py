"""Every task with a model for small gray images also has one for photographs, and a photo goes to it."""

import numpy as np
import pytest

from aecore import photo_model, pretrained, tasks
from aecore.data.photos import real_photographs
from aecore.restore import restore
from bench.real_photos import centre_square

PHOTO_TASKS = [name for name in tasks.names() if tasks.get(name).photo_model]


def test_the_tasks_with_a_digits_model_have_a_photo_model():
    assert {"denoise", "inpaint"} <= set(PHOTO_TASKS)
    for name in PHOTO_TASKS:
        task = tasks.get(name)
        assert task.photo_model in task.pretrained_variants, name


@pytest.mark.parametrize("name", PHOTO_TASKS)
def test_a_photo_goes_to_the_photo_model_and_it_restores_better(name):
    model, setup, _ = pretrained.load(name)
    photo = centre_square(real_photographs()["coffee"])  # (256, 256, 3), never trained on
    chosen, chosen_setup, note = photo_model.choose(name, model, setup, photo)
    assert chosen is not model and chosen_setup.image_shape[-1] == 3 and chosen_setup.dataset.startswith("photos")
    assert "the photo model (trained on photos)" in note and ".keras" not in note  # words, not a file name
    # The photo model, on a photograph, beats the digits model restoring it one colour channel at a time.
    headline = tasks.get(name).headline
    by_photo_model = restore(chosen, chosen_setup, photo, seed=0).scores["autoencoder"][headline]
    by_digits_model = restore(model, setup, photo, seed=0).scores["autoencoder"][headline]
    assert by_photo_model > by_digits_model + 1.0, (by_photo_model, by_digits_model)

    kept, kept_setup, offer = photo_model.choose(name, model, setup, photo, use_photo_model=False)
    assert kept is model and "photo model" in offer  # kept as asked, and the other one is named
    mine, _, advice = photo_model.choose(name, model, setup, photo, own=True)  # a student's model, trained on digits
    assert mine is chosen and "not your model for 28x28 gray" in advice  # the photo still goes to the photo model
    mine, _, advice = photo_model.choose(name, model, setup, photo, use_photo_model=False, own=True)
    assert mine is model and advice.startswith("restored with your model")  # unless they ask for theirs


@pytest.mark.parametrize("name", PHOTO_TASKS)
def test_a_small_gray_image_stays_with_the_tabs_model(name):
    model, setup, _ = pretrained.load(name)
    digit = np.random.default_rng(0).random((28, 28, 1)).astype(np.float32)
    assert photo_model.choose(name, model, setup, digit) == (model, setup, "")
    gray_photo = np.repeat(digit, 8, axis=0).repeat(8, axis=1)  # (224, 224, 1): a photo, though gray
    assert photo_model.choose(name, model, setup, gray_photo)[1].dataset.startswith("photos")


def test_colour_strength_turns_a_photo_from_gray_to_gaudy():
    from aecore.corruptions import to_gray
    from aecore.tasks.colorize import colour_strength
    from aecore.tasks.colorize.colourfulness import colourfulness

    photo = centre_square(real_photographs()["coffee"], 64)[None]  # (1, 64, 64, 3)
    assert np.abs(colour_strength(photo, 1.0) - photo).max() < 2e-3  # strength 1: the photo itself
    gray = colour_strength(photo, 0.0)
    assert np.abs(gray - gray.mean(axis=-1, keepdims=True)).max() < 2e-2  # strength 0: no colour left
    assert np.abs(gray - to_gray(photo)).mean() < 0.03  # and about the gray image's lightness
    colours = [colourfulness(colour_strength(photo, strength))[0] for strength in (0.0, 0.5, 1.0, 1.5)]
    assert colours == sorted(colours) and colours[0] < 2 < colours[1]


def test_the_colour_dial_on_real_photographs_trades_psnr_for_colour():
    from bench.real_photos import colour_strength_sweep

    model, setup, _ = pretrained.load("colorize")
    photos = [centre_square(real_photographs()[name]) for name in ("coffee", "grace_hopper")]
    results = [restore(model, setup, photo, seed=0) for photo in photos]
    rows = {row["strength"]: row for row in colour_strength_sweep(results, strengths=(0.25, 1.0, 1.5))}
    shown = np.median([result.scores["autoencoder"]["psnr"] for result in results])
    assert abs(rows[1.0]["psnr"] - shown) < 0.05  # strength 1 is what the tab shows
    assert rows[0.25]["colourfulness"] < rows[1.0]["colourfulness"] < rows[1.5]["colourfulness"]
    gray = np.median([result.scores["gray"]["psnr"] for result in results])
    assert all(abs(row["gray"] - gray) < 0.01 and 0 <= row["wins"] <= 2 for row in rows.values())


def test_the_colour_dial_scores_the_last_colorized_photo_at_any_strength():
    from demo.session import TaskSession
    from demo.task_tab import try_image
    from demo.tasks.colorize import colour_dial

    session = TaskSession("colorize")
    session, items, plot, note = colour_dial.colour_dial(session, 1.0)  # nothing colorized yet: a held-out photo
    assert len(items) == 3 and "Grace Hopper" in note and plot is not None
    as_painted = session.restoration.scores["autoencoder"]["psnr"]
    assert f"{as_painted:.2f} dB" in note  # strength 1 is what "Try your own image" scored
    _, items, _, gray_note = colour_dial.colour_dial(session, 0.0)
    gray = session.restoration.scores["gray"]["psnr"]
    assert abs(float(items[2][1].split(": ")[1].split(" dB")[0]) - gray) < 0.3  # strength 0: about the gray image
    assert "PSNR peaks at x0." in gray_note  # on Grace Hopper, as on most photographs, timid colour scores higher
    bold = colour_dial.colour_dial(session, 1.5)[3]
    assert "x1.5" in bold and "Grace Hopper" not in bold  # the first photo is introduced once
    for wrong in (-0.1, 2, "strong"):
        with pytest.raises(ValueError, match="colour strength"):
            colour_dial.colour_dial(session, wrong)
    # A photo colorized as given (already gray: no real colours) gets a sentence, not a score.
    try_image.restore(tasks.get("colorize"), session, centre_square(real_photographs()["grace_hopper"]), False)
    assert colour_dial.colour_dial(session, 1.0)[1:] == ([], None, colour_dial.EMPTY)


def test_the_model_note_speaks_in_words_not_file_names():
    from demo import base_models

    for name in tasks.BUILTIN:
        note = base_models.base_model(name).note
        assert ".keras" not in note and note.startswith("Pretrained weights (trained on "), note
