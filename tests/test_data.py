"""Datasets: shapes, dtypes, ranges, labels, determinism and honest train/test splits."""

import json

import numpy as np
import pytest

from aecore import cli, data
from aecore.data import digits, mnist, photos
from tests.conftest import skip_missing


def test_registry_lists_the_four_datasets():
    assert {"mnist", "fashion_mnist", "digits", "photos", "photos64"} <= set(data.names())
    with pytest.raises(ValueError, match="unknown dataset 'cifar'.*digits"):
        data.load("cifar")


@pytest.mark.parametrize("name", ["digits", "photos", "photos64"])
def test_offline_datasets_have_the_promised_form(name):
    ds = data.load(name)
    spec = data.spec(name)
    assert data.why_unavailable(name) is None
    for images, labels in ((ds.x_train, ds.y_train), (ds.x_test, ds.y_test)):
        assert images.dtype == np.uint8 and images.ndim == 4
        assert images.shape[1:] == spec.image_shape
        assert labels.shape == (len(images),)
        assert 0 <= labels.min() and labels.max() < len(ds.class_names)
        assert images.std() > 10  # real content, not a blank array
    as_float = data.to_float(ds.x_test[:8])
    assert as_float.dtype == np.float32 and 0.0 <= as_float.min() and as_float.max() <= 1.0


def test_digits_are_deterministic_balanced_and_distinct_per_seed():
    first, labels = digits.render(50, seed=3)
    again, labels_again = digits.render(50, seed=3)
    other, _ = digits.render(50, seed=4)
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(labels, labels_again)
    assert not np.array_equal(first, other)
    assert np.bincount(labels, minlength=10).tolist() == [5] * 10
    # MNIST framing: the ink's centre of mass sits near the middle of the 28x28 frame.
    weights = first.astype(float).sum(axis=0)
    cy, cx = np.argwhere(weights > 0).mean(axis=0)
    assert abs(cy - 13.5) < 3 and abs(cx - 13.5) < 3


def test_digits_cache_file_is_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("AECORE_CACHE", str(tmp_path))
    fresh = digits.load_digits(n_train=30, n_test=10, seed=7)
    assert len(list(tmp_path.glob("digits-*.npz"))) == 1
    cached = digits.load_digits(n_train=30, n_test=10, seed=7)
    np.testing.assert_array_equal(fresh.x_train, cached.x_train)


def test_photos_never_share_a_photograph_between_splits():
    ds = data.load("photos")
    train_sources = {ds.class_names[i] for i in np.unique(ds.y_train)}
    test_sources = {ds.class_names[i] for i in np.unique(ds.y_test)}
    assert train_sources and test_sources and not train_sources & test_sources
    assert set(photos.TEST_SOURCES) == test_sources
    # No test patch equals any training patch either.
    train_keys = {patch.tobytes() for patch in ds.x_train}
    assert not any(patch.tobytes() in train_keys for patch in ds.x_test)


def test_real_photographs_were_never_trained_on():
    found = photos.real_photographs()
    assert {"coffee", "grace_hopper"} <= set(found)
    assert all(photo.shape[0] * photo.shape[1] <= photos.WORKING_PIXELS and photo.shape[-1] == 3
               for photo in found.values())
    train_sources = set(data.load("photos").class_names) - set(photos.TEST_SOURCES)
    assert not train_sources & set(found)
    if photos.real_photographs_reason() is None:  # Debian's lomiri-wallpapers-16.04 is installed
        assert len(found) == 2 + len(photos.LOMIRI_PHOTOS)
    if photos.MATE_NATURE.is_dir():  # Debian's mate-backgrounds: more training photographs
        assert sum(name.startswith("mate_") for name in train_sources) == 12


def test_photos_patch_size_is_configurable_and_checked():
    big = data.load("photos", patch_size=64, n_train=40, n_test=10)
    assert big.x_train.shape == (40, 64, 64, 3)
    with pytest.raises(ValueError, match="patch_size"):
        data.load("photos", patch_size=4)


def test_fashion_mnist_reads_debians_package():
    if not mnist.DEBIAN_FASHION.is_dir():
        skip_missing("Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)")
    images = mnist.read_idx(mnist.DEBIAN_FASHION / mnist.IDX_FILES["x_test"])
    labels = mnist.read_idx(mnist.DEBIAN_FASHION / mnist.IDX_FILES["y_test"])
    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)
    ds = data.load("fashion_mnist")
    assert ds.x_train.shape == (60000, 28, 28, 1) and ds.x_test.shape == (10000, 28, 28, 1)
    assert sorted(np.unique(ds.y_train)) == list(range(10)) and len(ds.class_names) == 10


def test_missing_mnist_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # an empty Keras cache
    reason = data.why_unavailable("mnist")
    assert "load_data()" in reason and "digits" in reason
    with pytest.raises(data.DatasetUnavailable, match="AECORE_OFFLINE"):
        mnist.load_mnist()


def test_cli_lists_datasets_as_json(capsys):
    assert cli.main(["datasets", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["digits"]["available"] and rows["photos"]["available"]
    assert rows["digits"]["image_shape"] == [28, 28, 1]
    for row in rows.values():
        assert row["available"] == (row["reason"] is None)


def test_a_value_asked_for_by_several_threads_at_once_is_computed_once():
    """The app's handlers ask for the same dataset or held-out scores at the same moment (every section of a tab
    opens at once); the first computes, the others wait for its answer."""
    import threading
    import time

    from aecore.shared_cache import shared_cache

    calls = []

    @shared_cache(maxsize=2)
    def slow(name, size=1):
        calls.append(name)
        time.sleep(0.3)
        return [name] * size

    answers = []
    threads = [threading.Thread(target=lambda: answers.append(slow("digits", size=2))) for _ in range(4)]
    threads.append(threading.Thread(target=lambda: answers.append(slow("photos"))))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(calls) == ["digits", "photos"] and answers.count(["digits", "digits"]) == 4
    shared = [answer for answer in answers if answer[0] == "digits"]
    assert all(answer is slow("digits", size=2) for answer in shared)  # one answer, shared
