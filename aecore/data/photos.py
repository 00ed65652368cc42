"""`photos`: RGB patches cut from the photographs that installed packages ship.

Sources (read at run time, never copied into this repository):
- scikit-image's data photographs: astronaut, chelsea, coffee, rocket,
  the stereo motorcycle pair, the Hubble deep field;
- matplotlib's sample photograph of Grace Hopper;
- scikit-learn's sample images (china, flower), when scikit-learn is installed;
- the twelve nature photographs of Debian's `mate-backgrounds` package (GPL-2+), in
  /usr/share/backgrounds/mate/nature/, when it is installed (`make demo` installs it).
  They are wallpapers of 1-4 megapixels, read at most 1024x768 (the app's working size, the
  scale a student's phone photo is restored at);

Held out from everything, for the "real photographs" benchmark (`real_photographs`): the two
test photographs, and fourteen photographs of Debian's `lomiri-wallpapers-16.04` package
(CC-BY-SA 4.0 / CC-BY 4.0, in /usr/share/backgrounds/; its one render left out): scenes a
student might photograph, none of them seen by any model in training.

Train and test are split **by source photograph**: no test patch comes from a
photograph seen in training, so test scores measure generalization, not memory.
Each photograph is also used at 1/2 and 1/4 size, so a 32x32 patch can hold a
whole object rather than a square of texture. Training patches are flipped at
random (augmentation); labels are the index of the source photograph.
"""

from pathlib import Path

import cv2
import numpy as np

from aecore.data.dataset import Dataset, DatasetSpec, DatasetUnavailable, register
from aecore.images import WORKING_PIXELS, shrink_to, working_size  # a wallpaper is read at most the app's working size
from aecore.shared_cache import shared_cache

TEST_SOURCES = ("coffee", "grace_hopper")  # held out whole
SCALES = (1.0, 0.5, 0.25)
MATE_NATURE = Path("/usr/share/backgrounds/mate/nature")  # Debian: mate-backgrounds
LOMIRI = Path("/usr/share/backgrounds")  # Debian: lomiri-wallpapers-16.04
LOMIRI_PHOTOS = ("Bridge_by_Sander_Klootwijk", "Dragonfly_by_Bolly", "Picture_0B_by_freespace",
                 "Picture_1A_by_freespace", "Wine_by_Jakkub_Mede", "aitzgorri_by_Aitzol_Berasategi",
                 "analogpattern_by_Peter_Nerlich", "free_by_Peter_Nerlich", "friends_by_Aitzol_Berasategi",
                 "greentock_by_Peter_Nerlich", "life_by_Aitzol_Berasategi", "picosdeeuropa_by_Aitzol_Berasategi",
                 "seeding_by_Clements_Engelhardt", "sunset_by_Aitzol_Berasategi")  # not umang_...: a render


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


def read_photo(path: Path, pixels: int = WORKING_PIXELS) -> np.ndarray:
    """(H, W, 3) uint8 RGB of a JPEG, shrunk (area-averaged) to at most `pixels`."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise OSError(f"{path} is not a readable image")
    return cv2.cvtColor(shrink_to(image, working_size(*image.shape[:2], pixels=pixels)), cv2.COLOR_BGR2RGB)


def _mate_photos() -> dict[str, np.ndarray]:
    return {f"mate_{path.stem.lower()}": read_photo(path) for path in sorted(MATE_NATURE.glob("*.jpg"))}


@shared_cache(maxsize=1)
def source_photos() -> dict[str, np.ndarray]:
    """Every training and test photograph found, name -> (H, W, 3) uint8 RGB (read once per process)."""
    photos = {}
    for reader in (_skimage_photos, _matplotlib_photos, _sklearn_photos, _mate_photos):
        try:
            photos.update(reader())
        except Exception:  # a package without its data files: use the others
            continue
    return {name: image[..., :3] for name, image in photos.items() if image.ndim == 3}


@shared_cache(maxsize=1)
def real_photographs() -> dict[str, np.ndarray]:
    """The photographs no model trained on, name -> (H, W, 3) uint8 RGB, each at most 1024x768: the test
    photographs and, when Debian's lomiri-wallpapers-16.04 is installed, its photographs."""
    found = source_photos()
    photos = {name: found[name] for name in TEST_SOURCES if name in found}
    for stem in LOMIRI_PHOTOS:
        path = LOMIRI / f"{stem}.jpg"
        if path.is_file():
            photos[stem.split("_by_")[0].lower()] = read_photo(path)
    return photos


def real_photographs_reason() -> str | None:
    """Why the real-photographs collection is only the two test photographs, or None."""
    if not (LOMIRI / f"{LOMIRI_PHOTOS[0]}.jpg").is_file():
        return ("Debian's lomiri-wallpapers-16.04 is not installed (`make demo` installs it): "
                "only the two test photographs are held out")
    return None


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


register(DatasetSpec("photos", "RGB patches of the photographs scikit-image, matplotlib and Debian's mate-backgrounds "
                     "ship, split by photo",
                     load_photos, photos_reason, (32, 32, 3), has_labels=True))
# The same photographs in 64x64 patches: more context per image (a whole face, a whole cup), 4x the work per step.
register(DatasetSpec("photos64", "64x64 RGB patches of the same photographs, split by photo",
                     load_photos, photos_reason, (64, 64, 3), has_labels=True,
                     options={"patch_size": 64, "name": "photos64"}))
