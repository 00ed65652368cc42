"""What a tab shows of its scores: the picture row, the score tables, the latent map and the dataset note, each
computed the way the app computes them (in-process, no server).

One picture per distinct method, the best one marked, a capped PSNR read as "identical"; the latent map computed
once per model; each dataset reason said once.
"""

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from aecore import tasks


def test_the_first_picture_of_a_tab_has_something_to_see():
    from demo.session import TaskSession
    from demo.task_tab import hero

    dark = np.full((3, 8, 8, 1), 0.05, np.float32)
    dark[2, ::2] = 0.9  # only the third image has contrast
    assert hero.first_with_contrast(dark) == 2
    assert hero.first_with_contrast(dark[:2]) in (0, 1)  # none lively: the liveliest, never an error
    session = TaskSession("superres")  # a model trained on photos: a whole photograph, not a 32x32 patch
    _, items, summary, index = hero.pictures(session)
    assert "photographs no model trained on" in summary and f"example {index} of" in summary
    assert min(np.asarray(Image.open(items[0][0])).shape[:2]) >= 250
    # clean, bicubic, autoencoder: the corrupted input is the bicubic upscale itself, shown once; the best marked
    assert [caption.split(':')[0] for _, caption in items] == ["Clean original", "Bicubic upscale", "Autoencoder"]
    assert sum("★ best" in caption for _, caption in items) == 1
    # The photograph shown first is, of the first few, the one the autoencoder improves most over the bicubic
    setup, photos = session.evaluation_setup()[0], hero.photographs()
    margins = [(lambda row: row[-1][2]["psnr"] - row[1][2]["psnr"])(hero.photo_row(session.in_use().model, setup,
                                                                                     photo))
               for _, photo in photos[:hero.CHOSEN_AMONG]]
    assert margins[index] == max(margins)
    assert hero.pictures(session, 0)[3] == 0  # afterwards the box decides
    # A model setting takes effect only after Train: the same pictures are not drawn again, the summary says why
    session.wanted = replace(session.wanted, model=session.wanted.model.replace(base_filters=12))
    _, same, summary, _ = hero.pictures(session, 0)
    assert not isinstance(same, list) and "differ from the model in use" in summary
    session.wanted = replace(session.wanted, params={**session.wanted.params, "factor": 3})  # the data: drawn again
    assert len(hero.pictures(session, 0)[1]) == 3


def test_a_model_of_small_images_shows_its_first_lively_held_out_image():
    from aecore import evaluate
    from demo.session import TaskSession
    from demo.task_tab import hero

    session = TaskSession("edges_to_image")  # a model of 28x28 gray clothes: its own held-out images
    _, items, summary, index = hero.pictures(session)
    clean = evaluate.held_out(session.evaluation_setup()[0])[0].clean
    assert clean[index].std() >= hero.MIN_CONTRAST and f"Held-out example {index} of fashion_mnist" in summary


def test_the_latent_map_is_computed_once_per_model_and_a_new_example_moves_only_its_mark():
    from aecore import evaluate, models
    from demo.session import TaskSession
    from demo.task_tab import latent

    session = TaskSession("superres")
    session, maps, scatter = latent.latent(session, 3)
    drawn = session.latent_map
    setup = session.evaluation_setup()[0]
    pairs = evaluate.held_out(setup, latent.LATENT_COUNT)[0]
    codes = models.infer(models.encoder(session.in_use().model), pairs.inputs)
    flat = codes.reshape(len(codes), -1).astype(np.float64)
    centred = flat - flat.mean(axis=0)
    singular = np.linalg.svd(centred, compute_uv=False)
    assert np.allclose(drawn[3], (singular[:2] ** 2 / (singular ** 2).sum()), atol=1e-6)  # the variance shares
    axes = np.linalg.svd(centred, full_matrices=False)[2][:2]
    assert np.allclose(np.abs(drawn[2]), np.abs(centred @ axes.T), atol=1e-3 * np.abs(drawn[2]).max())
    assert maps is not None and scatter is not None
    latent.latent(session, 200)
    assert session.latent_map is drawn  # another example: the same map, its mark moved
    session.wanted = replace(session.wanted, params={**session.wanted.params, "factor": 3})
    latent.latent(session, 200)
    assert session.latent_map is not drawn  # other data: a new map


def test_the_dataset_note_says_each_reason_once_after_the_datasets_it_holds_for():
    from demo.task_tab import controls

    note = controls.unusable_note({"mnist": "not installed on this server",
                                   "fashion_mnist": "grayscale; colorization needs colour images",
                                   "digits": "grayscale; colorization needs colour images"})
    assert note == ("Not usable here: mnist (not installed on this server); fashion_mnist, digits (grayscale; "
                    "colorization needs colour images).")
    _, reasons = controls.dataset_choices(tasks.get("colorize"))
    assert controls.unusable_note(reasons).count("grayscale") == 1


@pytest.mark.parametrize("name", tasks.BUILTIN)
def test_no_two_pictures_of_a_tabs_picture_row_are_the_same(name):
    """The picture row never spends a slot on a picture another slot already shows (colorization's gray input is
    its "Gray image" baseline; super-resolution's input is the bicubic upscale)."""
    from PIL import Image

    from demo.session import TaskSession
    from demo.task_tab import hero

    _, items, _, _ = hero.pictures(TaskSession(name))
    pictures = [np.asarray(Image.open(path)) for path, _ in items]
    assert not [(a, b) for a in range(len(pictures)) for b in range(a) if pictures[a].shape == pictures[b].shape
                and np.array_equal(pictures[a], pictures[b])], [caption for _, caption in items]
    scored = sum(" dB" in caption and "smallest" not in caption for _, caption in items)
    assert sum("★ best" in caption for _, caption in items) == (1 if scored > 1 else 0)


def test_the_vae_opens_on_its_latent_map_and_new_images():
    from demo.session import TaskSession
    from demo.task_tab import hero

    _, items, _, _ = hero.pictures(TaskSession("vae"))
    assert [caption.split(":")[0] for _, caption in items] == ["Latent map", "16 new images from random codes",
                                                                "Clean original", "VAE"]


def test_the_edges_row_names_its_input_and_scores_sharpness_beside_psnr():
    from demo.session import TaskSession
    from demo.task_tab import hero

    captions = [caption for _, caption in hero.pictures(TaskSession("edges_to_image"))[1]]
    assert captions[1].startswith("Edges (the input):") and captions[-1].startswith("GAN:"), captions
    assert all(" dB / SSIM " in caption and "/ sharpness " in caption for caption in captions[1:]), captions


def test_a_score_table_shows_each_picture_once_and_marks_the_best(tmp_path):
    """Super-resolution's input is the bicubic upscale: one row for it, named as the input; the best method marked;
    a capped PSNR reads "identical", never 100.00."""
    from aecore.data.photos import real_photographs
    from demo.session import TaskSession
    from demo.task_tab import try_image

    photo = next(iter(real_photographs().values()))[:96, :96]
    _, _, report = try_image.restore(tasks.get("superres"), TaskSession("superres"), photo)
    assert report["same_as_input"] == ["bicubic"], report
    table = try_image.score_table(report)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "method" not in line]
    assert not [row for row in rows if row.startswith("| Corrupted input")], table
    assert sum("(the input)" in row for row in rows) == 1 and sum("★ best" in row for row in rows) == 1, table
    capped = try_image.score_table({"task": "inpaint", "scores": {"autoencoder": {"psnr_outside": 100.0},
                                                                   "telea": {"psnr_outside": 31.0}}})
    assert "identical" in capped and "100.00" not in capped


def test_classes_on_a_latent_map_differ_in_shape_as_well_as_colour():
    from demo import figures

    rng = np.random.default_rng(0)
    points, labels = rng.normal(size=(30, 2)), np.arange(30) % 3
    figure = figures.latent_map(points, labels, ("a", "b", "c"), rng.uniform(size=(30, 8, 8, 1)), (0.5, 0.2), 0)
    classes = [collection for collection in figure.axes[0].collections if collection.get_label() in "abc"][:3]
    shapes = {collection.get_paths()[0].vertices.round(3).tobytes() for collection in classes}
    assert len(classes) == 3 and len(shapes) == 3  # a reader who cannot tell the colours apart tells the shapes


def test_every_picture_of_the_app_says_in_words_what_it_shows():
    """A screen reader reads a picture's alt text: every figure, image and gallery has a label, and a figure's alt
    text is its label and its titles (Gradio's own reads "undefined plot visualising provided data")."""
    import gradio as gr
    from matplotlib.figure import Figure

    from demo import figures
    from demo.app import demo

    pictures = [block for block in demo.blocks.values() if isinstance(block, (gr.Plot, gr.Image, gr.Gallery))]
    assert len(pictures) > 40
    assert not [block for block in pictures if not (block.label or "").strip()]
    assert not [block for block in pictures if isinstance(block, gr.Plot) and not isinstance(block, figures.Plot)]
    figure = Figure()
    figure.suptitle("Loss and PSNR")
    figure.add_subplot(1, 2, 1).set_title("loss\n(log scale)")
    figure.add_subplot(1, 2, 2).set_title("Loss and PSNR")
    plot = figures.Plot(label="Training curves")
    assert plot.postprocess(figure).chart == "Training curves — Loss and PSNR; loss"
