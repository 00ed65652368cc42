"""`digits`: an MNIST-like set drawn here, so it works on any machine, offline.

Each digit 0-9 is written with one of OpenCV's Hershey fonts at a random stroke
width, pushed through a random affine transform (rotation, shear, scale), then
placed the way MNIST was made: fitted into a 20x20 box and centred by its centre
of mass in a 28x28 frame, slightly blurred, with a little sensor noise.

Deterministic for a seed; rendered once and cached as .npz in `cache_dir()`.
"""

import cv2
import numpy as np

from aecore.data.dataset import Dataset, DatasetSpec, cache_dir, register

FONTS = (cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
         cv2.FONT_HERSHEY_TRIPLEX, cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, cv2.FONT_HERSHEY_SCRIPT_COMPLEX)
CANVAS = 64  # draw large, then shrink: strokes come out anti-aliased like MNIST's
VERSION = 1  # bump when the drawing changes, so stale caches are not reused
TEST_STREAM = 1_000_003  # added to the seed for the test split: a different random stream, no shared images


def draw_digit(digit: int, rng: np.random.Generator) -> np.ndarray:
    """One 28x28 uint8 image of `digit`, white on black."""
    canvas = np.zeros((CANVAS, CANVAS), np.uint8)
    font = FONTS[rng.integers(len(FONTS))] | (cv2.FONT_ITALIC if rng.random() < 0.25 else 0)
    thickness = int(rng.integers(3, 8))
    (width, height), _ = cv2.getTextSize(str(digit), font, 1.0, thickness)
    scale = 36.0 / height
    origin = (int((CANVAS - width * scale) / 2), int((CANVAS + 36) / 2))
    cv2.putText(canvas, str(digit), origin, font, scale, 255, thickness, cv2.LINE_AA)

    # Random affine: rotation, shear and scale about the canvas centre.
    angle = np.deg2rad(rng.uniform(-15, 15))
    shear = rng.uniform(-0.3, 0.3)
    zoom = rng.uniform(0.85, 1.15)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    linear = zoom * rotation @ np.array([[1.0, shear], [0.0, 1.0]])
    centre = np.array([CANVAS / 2, CANVAS / 2])
    matrix = np.hstack([linear, (centre - linear @ centre)[:, None]])
    canvas = cv2.warpAffine(canvas, matrix, (CANVAS, CANVAS), flags=cv2.INTER_LINEAR)
    return _mnist_frame(canvas, rng)


def _mnist_frame(canvas: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Fit the ink into 20x20 keeping its aspect, centre its mass in 28x28, blur, add noise."""
    ys, xs = np.nonzero(canvas > 30)
    crop = canvas[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    fit = 20.0 / max(crop.shape)
    crop = cv2.resize(crop, (max(1, round(crop.shape[1] * fit)), max(1, round(crop.shape[0] * fit))),
                      interpolation=cv2.INTER_AREA)
    frame = np.zeros((28, 28), np.float32)
    weights = crop.astype(np.float32) / max(1.0, float(crop.sum()))
    cy = (weights.sum(axis=1) * np.arange(crop.shape[0])).sum()
    cx = (weights.sum(axis=0) * np.arange(crop.shape[1])).sum()
    top = int(np.clip(round(14 - cy), 0, 28 - crop.shape[0]))
    left = int(np.clip(round(14 - cx), 0, 28 - crop.shape[1]))
    frame[top:top + crop.shape[0], left:left + crop.shape[1]] = crop
    frame = cv2.GaussianBlur(frame, (3, 3), rng.uniform(0.3, 0.8))
    frame += rng.normal(0, 4, frame.shape)
    return np.clip(frame, 0, 255).astype(np.uint8)


def render(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` digits with balanced labels: images (count, 28, 28) uint8, labels (count,)."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(count) % 10)
    images = np.stack([draw_digit(int(d), rng) for d in labels])
    return images, labels.astype(np.int64)


def load_digits(n_train: int = 20000, n_test: int = 2000, seed: int = 0) -> Dataset:
    if n_train < 1 or n_test < 1:
        raise ValueError(f"digits needs at least one train and one test image, got n_train={n_train}, n_test={n_test}")
    path = cache_dir() / f"digits-v{VERSION}-{n_train}-{n_test}-{seed}.npz"
    if path.is_file():
        with np.load(path) as f:
            arrays = {key: f[key] for key in f.files}
    else:
        x_train, y_train = render(n_train, seed)
        x_test, y_test = render(n_test, seed + TEST_STREAM)
        arrays = dict(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
        np.savez(path, **arrays)  # 17 MB; compressing it took longer than rendering a tenth of it
    return Dataset(name="digits", x_train=arrays["x_train"][..., None], x_test=arrays["x_test"][..., None],
                   y_train=arrays["y_train"], y_test=arrays["y_test"],
                   class_names=tuple(str(d) for d in range(10)), source=f"drawn with OpenCV fonts (seed {seed})")


register(DatasetSpec("digits", "MNIST-like digits drawn with OpenCV fonts: 28x28 gray, 10 classes, always offline",
                     load_digits, lambda: None, (28, 28, 1), has_labels=True))
