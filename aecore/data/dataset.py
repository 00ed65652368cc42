"""The `Dataset` every loader returns, the dataset registry, and `DatasetUnavailable`."""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from aecore.registry import Registry
from aecore.shared_cache import shared_cache


class DatasetUnavailable(RuntimeError):
    """The data cannot be found here; the message says how to get it."""


@dataclass(frozen=True)
class Dataset:
    name: str
    x_train: np.ndarray  # (N, H, W, C) uint8: compact; call `to_float` per batch
    x_test: np.ndarray  # (M, H, W, C) uint8, never seen in training
    y_train: np.ndarray | None = None  # (N,) int labels, or None for unlabelled sets
    y_test: np.ndarray | None = None
    class_names: tuple[str, ...] = ()  # label index -> readable name
    source: str = ""  # where the data was read from, shown to the user

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return tuple(self.x_train.shape[1:])


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    description: str
    loader: Callable[..., Dataset]  # loader(**options) -> Dataset
    why_unavailable: Callable[[], str | None]  # None when the data is here, else the reason
    image_shape: tuple[int, int, int]  # (H, W, C) with default options
    has_labels: bool
    options: dict = field(default_factory=dict)  # default keyword options for the loader
    install: str = ""  # the command that adds it to a machine that lacks it (empty: nothing to install)


DATASETS: Registry[DatasetSpec] = Registry("dataset")


def register(spec: DatasetSpec) -> DatasetSpec:
    return DATASETS.add(spec.name, spec)


def names() -> list[str]:
    return DATASETS.names()


def spec(name: str) -> DatasetSpec:
    return DATASETS.get(name)


def hidden() -> set[str]:
    """Datasets $AECORE_HIDE_DATASETS (comma-separated) hides, as if not installed: how the tests see a bare machine."""
    return {name.strip() for name in os.environ.get("AECORE_HIDE_DATASETS", "").split(",") if name.strip()}


def why_unavailable(name: str) -> str | None:
    """None if `name` can be loaded offline here, otherwise a sentence saying why not."""
    spec = DATASETS.get(name)
    if name in hidden():
        return f"hidden by AECORE_HIDE_DATASETS{f' (to add it: `{spec.install}`)' if spec.install else ''}"
    return spec.why_unavailable()


def stand_in(name: str) -> str:
    """`name` if it is here, else the first dataset that is here with the same image shape (the generated
    `digits` stand in for Fashion-MNIST), so an app can open on something that works; `name` if none is."""
    if why_unavailable(name) is None:
        return name
    shape = DATASETS.get(name).image_shape
    return next((other.name for other in DATASETS if other.image_shape == shape and why_unavailable(other.name) is None),
                name)


def load(name: str, **options) -> Dataset:
    """Load a dataset by name (cached per process: the second call is free)."""
    spec = DATASETS.get(name)
    if name in hidden():
        raise DatasetUnavailable(f"{name}: {why_unavailable(name)}")
    merged = {**spec.options, **options}
    return _load_cached(name, tuple(sorted(merged.items())))


@shared_cache(maxsize=8)
def _load_cached(name: str, options: tuple) -> Dataset:
    return DATASETS.get(name).loader(**dict(options))


def to_float(images: np.ndarray) -> np.ndarray:
    """uint8 (or float) images -> float32 in [0, 1]."""
    if images.dtype == np.uint8:
        floats = images.astype(np.float32)
        floats /= 255.0  # in place: one float32 copy of a large training set, not two
        return floats
    return np.clip(images.astype(np.float32), 0.0, 1.0)


def cache_dir() -> Path:
    """Where rendered datasets are cached: $AECORE_CACHE, else $XDG_CACHE_HOME/aecore, else ~/.cache/aecore."""
    root = os.environ.get("AECORE_CACHE") or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "aecore"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path
