"""`photos`: RGB patches cut from the photographs that installed packages ship.

Sources (read at run time, never copied into this repository):
- scikit-image's data photographs: astronaut, chelsea, coffee, rocket,
  the stereo motorcycle pair, the Hubble deep field;
- matplotlib's sample photograph of Grace Hopper;
- scikit-learn's sample images (china, flower), when scikit-learn is installed.

Train and test are split **by source photograph**: no test patch comes from a
photograph seen in training, so test scores measure generalization, not memory.
Each photograph is also used at 1/2 and 1/4 size, so a 32x32 patch can hold a
whole object rather than a square of texture. Training patches are flipped at
random (augmentation); labels are the index of the source photograph.
"""

import cv2
import numpy as np

from aecore.data.dataset import Dataset, DatasetSpec, DatasetUnavailable, register

TEST_SOURCES = ("coffee", "grace_hopper")  # held out whole
SCALES = (1.0, 0.5, 0.25)


def _skimage_photos() -> dict[str, np.ndarray]:
    from skimage import data

    left, right, _ = data.stereo_motorcycle()
    # The two motorcycle views show one scene, so they count as one source.
    return {"astronaut": data.astronaut(), "chelsea": data.chelsea(), "coffee": data.coffee(),
            "rocket": data.rocket(), "motorcycle": np.concatenate([left, right], axis=1),
            "hubble": data.hubble_deep_field()}


def _matplotlib_photos() -> dict[str, np.ndarray]:
    from matplotlib import cbook

    path = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    return {"grace_hopper": cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)}


def _sklearn_photos() -> dict[str, np.ndarray]:
    try:
        from sklearn.datasets import load_sample_image
    except ImportError:
        return {}
    return {name: load_sample_image(f"{name}.jpg") for name in ("china", "flower")}


def source_photos() -> dict[str, np.ndarray]:
    """Every photograph found, name -> (H, W, 3) uint8 RGB."""
    photos = {}
    for reader in (_skimage_photos, _matplotlib_photos, _sklearn_photos):
        try:
            photos.update(reader())
        except Exception:  # a package without its data files: use the others
            continue
    return {name: image[..., :3] for name, image in photos.items() if image.ndim == 3}


def _pyramid(photo: np.ndarray, patch_size: int) -> list[np.ndarray]:
    levels = []
    for scale in SCALES:
        size = (round(photo.shape[1] * scale), round(photo.shape[0] * scale))
        if min(size) >= patch_size:
            levels.append(cv2.resize(photo, size, interpolation=cv2.INTER_AREA) if scale != 1 else photo)
    return levels


def cut_patches(photos: list[np.ndarray], count: int, patch_size: int, rng: np.random.Generator,
                flip: bool) -> tuple[np.ndarray, np.ndarray]:
    """`count` random patches, each photograph (and scale) drawn in proportion to its area."""
    levels = [(index, level) for index, photo in enumerate(photos) for level in _pyramid(photo, patch_size)]
    areas = np.array([level.shape[0] * level.shape[1] for _, level in levels], np.float64)
    picks = rng.choice(len(levels), size=count, p=areas / areas.sum())
    patches = np.empty((count, patch_size, patch_size, 3), np.uint8)
    for i, pick in enumerate(picks):
        level = levels[pick][1]
        top = rng.integers(level.shape[0] - patch_size + 1)
        left = rng.integers(level.shape[1] - patch_size + 1)
        patch = level[top:top + patch_size, left:left + patch_size]
        if flip and rng.random() < 0.5:
            patch = patch[:, ::-1]
        patches[i] = patch
    return patches, np.array([levels[pick][0] for pick in picks], np.int64)


def load_photos(patch_size: int = 32, n_train: int = 8000, n_test: int = 1000, seed: int = 0,
                name: str = "photos") -> Dataset:
    if patch_size < 8 or patch_size > 128:
        raise ValueError(f"photos patch_size must be between 8 and 128 pixels, got {patch_size}")
    found = source_photos()
    names = sorted(found)
    train_names = [n for n in names if n not in TEST_SOURCES]
    test_names = [n for n in names if n in TEST_SOURCES]
    if not train_names or not test_names:
        raise DatasetUnavailable(f"photos needs scikit-image and matplotlib with their sample data; found only {names}")
    rng = np.random.default_rng(seed)
    x_train, train_source = cut_patches([found[n] for n in train_names], n_train, patch_size, rng, flip=True)
    x_test, test_source = cut_patches([found[n] for n in test_names], n_test, patch_size, rng, flip=False)
    class_names = tuple(train_names + test_names)  # label = index of the source photograph
    return Dataset(name=name, x_train=x_train, x_test=x_test,
                   y_train=train_source, y_test=test_source + len(train_names),
                   class_names=class_names,
                   source=f"train: {', '.join(train_names)}; test: {', '.join(test_names)}")


def photos_reason() -> str | None:
    try:
        import matplotlib  # noqa: F401
        import skimage  # noqa: F401
    except ImportError as error:
        return f"needs scikit-image and matplotlib ({error})"
    return None


register(DatasetSpec("photos", "RGB patches of the photographs shipped by scikit-image and matplotlib, split by photo",
                     load_photos, photos_reason, (32, 32, 3), has_labels=True))
# The same photographs in 64x64 patches: more context per image (a whole face, a whole cup), 4x the work per step.
register(DatasetSpec("photos64", "64x64 RGB patches of the same photographs, split by photo",
                     load_photos, photos_reason, (64, 64, 3), has_labels=True,
                     options={"patch_size": 64, "name": "photos64"}))
