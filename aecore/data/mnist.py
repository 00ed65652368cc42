"""MNIST and Fashion-MNIST: 28x28 grayscale, 60,000 train / 10,000 test, 10 classes.

Looked for, in order:
1. Keras' cache (`~/.keras/datasets`, or `$KERAS_HOME/datasets`), where
   `keras.datasets.*.load_data()` leaves them;
2. for Fashion-MNIST, Debian's `dataset-fashion-mnist` package
   (`/usr/share/datasets/fashion-mnist`, idx .gz files);
3. a download through Keras, unless `AECORE_OFFLINE=1`.
"""

import gzip
import os
from pathlib import Path

import numpy as np

from aecore.data.dataset import Dataset, DatasetSpec, DatasetUnavailable, register

DEBIAN_FASHION = Path("/usr/share/datasets/fashion-mnist")
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
DIGIT_CLASSES = tuple(str(d) for d in range(10))


def keras_cache() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"


def read_idx(path: Path) -> np.ndarray:
    """Read one idx file (the MNIST format): magic, dimensions, then raw uint8 data."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]  # bytes 0-1 are zero, byte 2 is the dtype (0x08 = uint8), byte 3 the rank
    dims = np.frombuffer(raw, dtype=">u4", count=ndim, offset=4)
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def _idx_folder(candidates: list[Path]) -> Path | None:
    for folder in candidates:
        if all((folder / name).is_file() for name in IDX_FILES.values()):
            return folder
    return None


def _fashion_folders() -> list[Path]:
    return [keras_cache() / "fashion-mnist", DEBIAN_FASHION]


def _mnist_file() -> Path:
    return keras_cache() / "mnist.npz"


def _download(keras_name: str):
    if os.environ.get("AECORE_OFFLINE") == "1":
        raise DatasetUnavailable(f"{keras_name} is not on this machine and AECORE_OFFLINE=1 forbids a download")
    from aecore.runtime import keras

    try:
        return getattr(keras().datasets, keras_name).load_data()
    except Exception as error:  # no network, proxy, truncated file...
        raise DatasetUnavailable(f"{keras_name} is not on this machine and the download failed ({error}). "
                                 + _how_to_get(keras_name)) from error


def _how_to_get(keras_name: str) -> str:
    hint = f"Run `python -c 'import keras; keras.datasets.{keras_name}.load_data()'` once while online"
    if keras_name == "fashion_mnist":
        hint += ", or install Debian's package: `apt-get install dataset-fashion-mnist`"
    return hint + "; the `digits` dataset works offline everywhere."


def _dataset(name, train, test, classes, source) -> Dataset:
    (x_train, y_train), (x_test, y_test) = train, test
    return Dataset(name=name,
                   x_train=np.asarray(x_train, np.uint8)[..., None],  # (60000, 28, 28, 1)
                   x_test=np.asarray(x_test, np.uint8)[..., None],  # (10000, 28, 28, 1)
                   y_train=np.asarray(y_train, np.int64), y_test=np.asarray(y_test, np.int64),
                   class_names=classes, source=source)


def load_fashion_mnist() -> Dataset:
    folder = _idx_folder(_fashion_folders())
    if folder is not None:
        arrays = {key: read_idx(folder / name) for key, name in IDX_FILES.items()}
        return _dataset("fashion_mnist", (arrays["x_train"], arrays["y_train"]),
                        (arrays["x_test"], arrays["y_test"]), FASHION_CLASSES, str(folder))
    train, test = _download("fashion_mnist")
    return _dataset("fashion_mnist", train, test, FASHION_CLASSES, "downloaded by Keras")


def load_mnist() -> Dataset:
    path = _mnist_file()
    if path.is_file():
        with np.load(path) as f:
            return _dataset("mnist", (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"]),
                            DIGIT_CLASSES, str(path))
    train, test = _download("mnist")
    return _dataset("mnist", train, test, DIGIT_CLASSES, "downloaded by Keras")


def fashion_reason() -> str | None:
    if _idx_folder(_fashion_folders()):
        return None
    return f"not in {keras_cache() / 'fashion-mnist'} nor {DEBIAN_FASHION}. " + _how_to_get("fashion_mnist")


def mnist_reason() -> str | None:
    if _mnist_file().is_file():
        return None
    return f"not in {_mnist_file()}. " + _how_to_get("mnist")


register(DatasetSpec("fashion_mnist", "Zalando's Fashion-MNIST: clothing, 28x28 gray, 10 classes",
                     load_fashion_mnist, fashion_reason, (28, 28, 1), has_labels=True,
                     install="sudo apt-get install dataset-fashion-mnist"))
register(DatasetSpec("mnist", "Handwritten digits (LeCun et al.), 28x28 gray, 10 classes",
                     load_mnist, mnist_reason, (28, 28, 1), has_labels=True))
