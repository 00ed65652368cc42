"""The codec: real bytes, an exact round trip, a header that parses, clear errors for bad files, rates that
fall as the knobs shrink, the CLI, and the app's /compress endpoint."""

import json

import numpy as np
import pytest

from aecore import data, saving, tasks
from aecore.images import load_image, save_image
from aecore.models import infer
from aecore.models.config import ModelConfig
from aecore.runtime import keras
from aecore.tasks.compress import classic_codecs, codec, entropy, scoring
from aecore.tasks.compress.model import split_at_code, quantizer
from aecore.train import TrainConfig, new_model, train

KINDS = ("codec_conv", "codec_dense")


def codec_model(kind="codec_conv", latent=4, bits=4, dataset="fashion_mnist", seed=0):
    setup = tasks.new_setup("compress", dataset=dataset, model=ModelConfig(kind=kind, latent_dim=latent),
                            options={"bits": bits})
    keras().utils.set_random_seed(seed)
    model = new_model(setup)
    quantizer(model).levels.assign(2.0 ** bits)
    return model, setup


def fashion(count=8):
    return data.to_float(data.load("fashion_mnist").x_test[:count])


@pytest.mark.parametrize("kind", KINDS)
def test_decode_of_encode_is_the_decoder_on_the_quantized_code_bit_for_bit(kind):
    model, _ = codec_model(kind)
    encoder, decoder = split_at_code(model)
    for image in fashion(4):
        file = codec.encode(model, image)
        code = infer(encoder, image[None])  # the Quantizer's output: whole numbers / (L-1)
        expected = np.clip(infer(decoder, code), 0.0, 1.0)[0]
        np.testing.assert_array_equal(codec.decode(model, file), expected)
        np.testing.assert_array_equal(codec.unpack(model, file).symbols.ravel(), np.rint(code * 15).ravel())


def test_any_photo_size_round_trips_at_its_own_size():
    model, _ = codec_model(dataset="photos")
    photo = (np.random.default_rng(0).random((30, 45, 3)) * 255).astype(np.uint8)  # not a multiple of 4
    file = codec.encode(model, photo)
    back = codec.decode(model, file)
    assert back.shape == (30, 45, 3) and 0 <= back.min() and back.max() <= 1
    header = codec.Header.parse(file)[0]
    assert (header.height, header.width, header.channels, header.latent_shape) == (30, 45, 3, (8, 12, 4))
    deeper = new_model(tasks.new_setup("compress", model=ModelConfig(kind="codec_conv", latent_dim=4, depth=3)))
    file = codec.encode(deeper, photo)  # a code per 8x8 pixels: padded to 32x48
    assert codec.Header.parse(file)[0].latent_shape == (4, 6, 4) and codec.decode(deeper, file).shape == (30, 45, 3)


def test_bytes_counted_are_the_real_file_length():
    model, _ = codec_model()
    images = fashion(16)
    files = codec.encode_batch(model, images)
    assert files == [codec.encode(model, image) for image in images]
    point = scoring.autoencoder_point(model, images)
    assert point["bytes"] == pytest.approx(np.mean([len(file) for file in files]))
    assert point["bpp"] == pytest.approx(8 * point["bytes"] / 784)
    assert codec.bits_per_pixel(files[0], (28, 28)) == 8 * len(files[0]) / 784


def test_the_header_parses_and_says_everything_but_the_model():
    header = codec.Header(height=256, width=300, channels=3, bits=5, latent_shape=(64, 75, 8))
    raw = header.to_bytes()
    assert raw[0] == 0xAE and raw[1] >> 4 == codec.VERSION
    assert codec.Header.parse(raw + b"rest") == (header, len(raw))
    assert len(codec.Header(28, 28, 1, 4, (7, 7, 4)).to_bytes()) == 7  # one byte per number below 128
    assert [codec.read_varint(codec.varint(n), 0)[0] for n in (0, 127, 128, 300, 70000)] == [0, 127, 128, 300, 70000]


def test_bad_files_give_clear_value_errors():
    model, _ = codec_model()
    file = codec.encode(model, fashion(1)[0])
    cases = {b"": "not an aecore", b"\x89PNG\r\n": "not an aecore", bytes([0xAE, 0x24]): "format version",
             file[:4]: "ends inside its header", file[:-1]: "32-bit words"}
    for bad, message in cases.items():
        with pytest.raises(ValueError, match=message):
            codec.decode(model, bad)
    other, _ = codec_model(latent=6)
    with pytest.raises(ValueError, match="model that made it"):
        codec.decode(other, file)
    fewer_bits, _ = codec_model(bits=3)
    with pytest.raises(ValueError, match="4-bit symbols"):
        codec.decode(fewer_bits, file)
    wrong_size = codec.Header(28, 28, 1, 4, (9, 7, 4)).to_bytes() + file[7:]
    with pytest.raises(ValueError, match="header is damaged"):
        codec.decode(model, wrong_size)


def test_entropy_coder_round_trips_and_peaked_symbols_cost_less():
    rng = np.random.default_rng(0)
    peaked = np.array([[0.85, 0.05, 0.05, 0.05]] * 2)
    symbols = np.stack([rng.choice(4, size=(20, 20), p=peaked[0]) for _ in range(2)], axis=-1)  # (20, 20, 2)
    payload = entropy.encode_symbols(symbols, peaked)
    np.testing.assert_array_equal(entropy.decode_symbols(payload, symbols.shape, peaked), symbols)
    assert len(payload) <= entropy.ideal_bits(symbols, peaked) / 8 + 8  # within two 32-bit words of ideal
    uniform = np.full((2, 4), 0.25)
    assert len(payload) < 0.6 * len(entropy.encode_symbols(symbols, uniform))  # 2 bits each uncoded


@pytest.mark.parametrize("kind", KINDS)
def test_rates_fall_as_latent_size_and_bits_shrink(kind):
    image = fashion(1)[0]
    sizes = {(latent, bits): len(codec.encode(codec_model(kind, latent, bits)[0], image))
             for latent, bits in ((8, 6), (4, 6), (8, 3))}
    assert sizes[(4, 6)] < sizes[(8, 6)] and sizes[(8, 3)] < sizes[(8, 6)]


def test_training_counts_the_table_and_lambda_buys_smaller_files():
    images = fashion(64)
    rates = {}
    for weight in (0.0, 0.05):
        setup = tasks.new_setup("compress", dataset="fashion_mnist", model=ModelConfig(kind="codec_conv", latent_dim=4,
                                base_filters=8), options={"bits": 5, "rate_weight": weight})
        result = train(setup, TrainConfig(seconds=60, epochs=2, samples=512, validation_samples=16, probes=2,
                                          batch_size=16, steps_per_execution=1))  # 64 steps: enough for λ to tell
        table = codec.probabilities(result.model)
        assert table.shape == (4, 32) and np.ptp(table) > 0.01  # counted: no longer uniform
        assert {"loss", "distortion", "rate"} <= set(result.history[-1].terms)
        rates[weight] = scoring.autoencoder_point(result.model, images)["bpp"]
    assert rates[0.05] < rates[0.0]


def test_jpeg_payload_is_most_of_nothing_on_a_tiny_image():
    found = classic_codecs.compress_with("jpeg", fashion(1)[0], 5)
    assert 250 < found.header < 400 and 0 < found.payload < 120
    small, fits = classic_codecs.at_most("jpeg", fashion(1)[0], 60)
    assert not fits and small.quality == 1  # no JPEG of a 28x28 image is 60 bytes
    best, fits = classic_codecs.at_most("jpeg", fashion(1)[0], 60, payload_only=True)
    assert fits and best.payload <= 60


def test_the_photo_codec_draws_its_pixels_from_half_size():
    # The decoder's last stage is a conv to 4 x 3 channels and a pixel shuffle: no 48 feature maps at full size,
    # half of encode + decode's arithmetic (README). "transpose" keeps them, as the Fashion-MNIST codec does.
    from aecore.models import build

    config = tasks.get("compress").model
    for upsampling, keeps_full_size_features in (("pixel_shuffle", False), ("transpose", True)):
        model = build(config.replace(upsampling=upsampling), (64, 64, 3), output_channels=3)
        wide = [layer.name for layer in model.layers[1:] if layer.output.shape[1] == 64 and layer.output.shape[-1] > 3]
        assert bool(wide) == keeps_full_size_features, (upsampling, wide)


@pytest.mark.parametrize("photo", ["coffee", "grace_hopper"])
def test_the_pretrained_codec_beats_jpegs_smallest_file_on_a_whole_photograph(photo):
    # A whole held-out photograph, not the patches it trained on: a codec that only ever saw 32x32 patches (every
    # code cell near an edge) scored 15 dB here, below JPEG's quality 1 (README, 2026-12-06).
    from aecore import metrics, pretrained
    from aecore.data.photos import source_photos
    from bench.real_photos import centre_square

    image = centre_square(source_photos()[photo])  # (256, 256, 3): the whole scene, as a student uploads it
    model = pretrained.load("compress")[0]
    file = codec.encode(model, image)
    smallest = classic_codecs.compress_with("jpeg", image, 1)
    assert len(file) < len(smallest.data)  # a smaller file than JPEG can make...
    assert metrics.psnr(image, codec.decode(model, file))[0] > metrics.psnr(image, smallest.image)[0]  # ...and closer


def test_cli_compress_then_decompress(tmp_path, capsys):
    from aecore.cli import main

    model, setup = codec_model()
    path = saving.save(model, setup, tmp_path / "codec.keras")
    save_image(tmp_path / "in.png", fashion(1)[0])
    assert main(["compress", "--model", str(path), str(tmp_path / "in.png"), str(tmp_path / "out.aec"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["bytes"] == (tmp_path / "out.aec").stat().st_size and report["bpp"] == pytest.approx(
        8 * report["bytes"] / 784, abs=1e-3)
    assert {"autoencoder", "jpeg", "jpeg_payload", "webp"} <= set(report["scores"])
    assert main(["decompress", "--model", str(path), str(tmp_path / "out.aec"), str(tmp_path / "back.png")]) == 0
    assert load_image(tmp_path / "back.png").shape[:2] == (28, 28) and "bpp" in capsys.readouterr().out
    (tmp_path / "bad.aec").write_bytes(b"hello")
    assert main(["decompress", "--model", str(path), str(tmp_path / "bad.aec"), str(tmp_path / "x.png")]) == 2
    assert "not an aecore compressed file" in capsys.readouterr().err


def test_app_compresses_and_decompresses_over_http(server, tmp_path):
    gradio_client = pytest.importorskip("gradio_client")
    photo = (np.random.default_rng(1).random((40, 56, 3))).astype(np.float32)
    save_image(tmp_path / "photo.png", photo)
    client = gradio_client.Client(server, verbose=False, download_files=True)
    decoded, report = client.predict(gradio_client.handle_file(str(tmp_path / "photo.png")), True, api_name="/compress")
    assert load_image(decoded).shape[:2] == (40, 56)
    assert report["bytes"] > report["header_bytes"] > 0 and report["bpp"] == pytest.approx(
        8 * report["bytes"] / (40 * 56), abs=1e-3)
    for method in ("autoencoder", "jpeg", "jpeg_payload", "webp"):
        assert 0 < report["scores"][method]["psnr"] <= 100
    model = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert "/decompress" in model


def test_a_model_gets_one_rate_distortion_point_when_two_events_ask_at_once():
    # Opening the section and pressing Plot both ask for the points; the table once listed the model twice.
    import threading

    from demo.session import TaskSession
    from demo.tasks.compress.common import session_points

    session = TaskSession("compress")
    start = threading.Barrier(2)
    threads = [threading.Thread(target=lambda: (start.wait(), session_points(session))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    points = session_points(session)
    assert [point["number"] for point in points] == [1] and points[0]["bpp"] > 0


def test_side_by_side_at_equal_bytes_opens_on_an_example_with_something_to_see():
    from demo.session import TaskSession
    from demo.task_tab import hero
    from demo.tasks.compress.equal_bytes import equal_bytes

    session = TaskSession("compress")
    images = scoring.held_out_images(session.evaluation_setup()[0].dataset)
    assert images[0].std() < hero.MIN_CONTRAST  # patch 0 of the photos is nearly black
    _, shown, items, _ = equal_bytes(session, 0)  # the section's first view: the slider still says 0
    assert shown > 0 and images[shown].std() >= hero.MIN_CONTRAST and len(items) == 5
    assert equal_bytes(session, 0)[1] == 0  # afterwards the slider decides


def test_compress_your_image_reads_as_a_table_of_codecs():
    from aecore.data.photos import real_photographs
    from demo.session import TaskSession
    from demo.tasks.compress import codec_file

    photo = real_photographs()["coffee"][100:196, 200:328]  # (96, 128, 3): a crop of a photo no model trained on
    _, _, report = codec_file.compress(tasks.get("compress"), TaskSession("compress"), photo)
    table = codec_file.report_table(report)
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| file")]
    assert len(rows) == 4 and f"**{report['bytes']} bytes**" in table and "96x128" not in table, table
    assert "of your 128x96 image" in table
    starred = [row for row in rows if "★ best" in row]
    assert len(starred) <= 1 and not [row for row in starred if "is larger" in row], table
    assert codec_file.report_table(None) == ""


def test_a_big_photo_is_compressed_at_the_size_every_tab_works_at():
    import cv2

    from aecore.data.photos import real_photographs
    from demo.session import TaskSession
    from demo.tasks.compress import codec_file

    photo = cv2.resize(real_photographs()["coffee"], (4000, 3000), interpolation=cv2.INTER_CUBIC)  # a phone's photo
    _, decoded, report = codec_file.compress(tasks.get("compress"), TaskSession("compress"), photo)
    assert report["image_shape"][:2] == [768, 1024]
    assert abs(load_image(decoded).mean() - photo.mean() / 255) < 0.02  # the picture, not a black one
    assert "Worked at 1024x768; your image is 4000x3000" in codec_file.report_table(report)
