"""What the variational autoencoder's views share (a helper, not a view: it has no NAME).

- the plain autoencoder (beta = 0) each view shows beside the VAE: the pretrained one beside the
  pretrained VAE, or one the student trains for the same seconds as their own VAE;
- each model's held-out codes and the 2-D plane the maps and sliders use, computed once per model;
- the latent maps, drawn as pictures whose pixels map back to latent coordinates, so a click on
  a map is a point in the latent space.
"""

import threading
import weakref
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.offsetbox import AnnotationBbox, OffsetImage  # noqa: E402

from aecore import data, evaluate, pretrained  # noqa: E402
from aecore.images import match_channels  # noqa: E402
from aecore.tasks.vae import latent_space  # noqa: E402
from aecore.tasks.vae.variational import plain_twin  # noqa: E402
from demo import base_models  # noqa: E402
from demo.figures import class_scatter  # noqa: E402

PLAIN_TRAINED = "plain twin trained"  # the section event (space.py) after which the plain halves are drawn
CODES_COUNT = evaluate.HELD_OUT_COUNT  # held-out images on the maps: the ones every score uses
THUMBNAILS = 12  # images pinned onto a map


@dataclass(frozen=True)
class Model:
    """One of the two models a view compares."""

    model: object
    setup: object
    label: str  # "the VAE (β = 1)", "the plain autoencoder (β = 0)"


@dataclass(frozen=True)
class Codes:
    z_mean: np.ndarray  # (N, latent_dim) of the held-out images
    plane: latent_space.LatentPlane
    points: np.ndarray  # (N, 2) the codes on the plane
    labels: np.ndarray | None  # (N,) classes, when the dataset has them
    class_names: tuple
    clean: np.ndarray  # (N, H, W, C) the held-out images


_codes: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # keras model -> Codes
_lock = threading.Lock()
_shared_plain: dict = {}  # the pretrained plain autoencoder, loaded once for the class


def key_of(model: Model) -> str:
    return f"{model.label}|{sorted(model.setup.to_json().items())}"


def vae(session) -> Model:
    current = session.in_use()
    latent_space.encoder_and_decoder(current.model)  # a clear error if the model in use has no latent space
    return Model(current.model, current.setup, f"the VAE (β = {current.setup.options['beta']:g}, {current.label})")


def pretrained_plain() -> Model | None:
    """The plain autoencoder `make pretrain` trained beside the pretrained VAE (same epochs), if there is one."""
    with _lock:
        if "plain" not in _shared_plain:
            try:
                model, setup, info = pretrained.load("vae", "plain")
                setup = base_models.on_data_here(setup)
                _shared_plain["plain"] = Model(model, setup, f"the plain autoencoder (β = 0, pretrained for "
                                                             f"{info.get('steps', '?')} steps like the VAE)")
            except (OSError, ValueError, KeyError, TypeError):
                _shared_plain["plain"] = None
        return _shared_plain["plain"]


def plain(session) -> Model | None:
    """The plain autoencoder to show beside the VAE in use, or None when there is none yet: one the student
    trained for it, else (beside the pretrained VAE) the pretrained plain autoencoder."""
    current = vae(session)
    trained = session.kept.plain.get(key_of(current))
    if trained is not None or session.own is not None:
        return trained
    twin = pretrained_plain()
    return twin if twin is not None and twin.setup == plain_twin(current.setup) else None


def codes(model: Model) -> Codes:
    """The held-out images' codes (z_mean) and their 2-D plane, computed once per model."""
    with _lock:
        found = _codes.get(model.model)
    if found is not None:
        return found
    pairs = evaluate.held_out_pairs(model.setup, CODES_COUNT)
    z_mean, _ = latent_space.encode(model.model, pairs.inputs)  # (N, latent_dim)
    plane = latent_space.LatentPlane.fit(z_mean)
    dataset = data.load(model.setup.dataset)
    labels = None if dataset.y_test is None else np.asarray(dataset.y_test[:CODES_COUNT])
    found = Codes(z_mean, plane, plane.to_plane(z_mean), labels, dataset.class_names, pairs.clean)
    with _lock:
        _codes[model.model] = found
    return found


@dataclass(frozen=True)
class MapPixels:
    """Where a map's axes sit in its picture, to turn a click (pixel x, y) into plane coordinates."""

    left: float
    right: float
    top: float
    bottom: float
    xlim: tuple
    ylim: tuple

    def to_plane(self, x: float, y: float) -> tuple[float, float]:
        u = (x - self.left) / (self.right - self.left)
        v = (self.bottom - y) / (self.bottom - self.top)  # picture rows grow downwards, z2 upwards
        return (self.xlim[0] + u * (self.xlim[1] - self.xlim[0]), self.ylim[0] + v * (self.ylim[1] - self.ylim[0]))


def draw_map(found: Codes, title: str, accuracy: float | None) -> tuple[np.ndarray, MapPixels]:
    """The codes on their plane, coloured by class, with a few images pinned on: (picture, its pixel map)."""
    figure = Figure(figsize=(5.6, 4.8), dpi=100)
    canvas = FigureCanvasAgg(figure)
    axis = figure.add_axes((0.12, 0.11, 0.62, 0.78))  # fixed, so the legend sits outside on the right
    points = found.points
    if class_scatter(axis, points, found.labels, found.class_names, size=10, alpha=0.75):
        axis.legend(fontsize=7, markerscale=1.5, loc="upper left", bbox_to_anchor=(1.02, 1.0), title="class",
                    title_fontsize=7)
    for index in np.linspace(0, len(points) - 1, THUMBNAILS + 1).astype(int)[1:]:
        image = match_channels(np.clip(found.clean[index], 0, 1), 3)
        axis.add_artist(AnnotationBbox(OffsetImage(image, zoom=0.8), points[index], frameon=True, pad=0.05))
    first, second = found.plane.names
    share = "" if first == "z1" else f" ({found.plane.share[0]:.0%})"
    axis.set_xlabel(f"{first}{share}", fontsize=8)
    axis.set_ylabel(f"{second}{'' if first == 'z1' else f' ({found.plane.share[1]:.0%})'}", fontsize=8)
    axis.tick_params(labelsize=7)
    axis.grid(alpha=0.3)
    knn = "" if accuracy is None else f"\nkNN (k = 5) class accuracy {accuracy:.0%}"
    axis.set_title(f"{title}{knn}", fontsize=9)
    canvas.draw()
    picture = np.asarray(canvas.buffer_rgba())[..., :3].copy()  # (H, W, 3)
    box = axis.get_window_extent()  # display pixels, origin at the bottom left
    height = picture.shape[0]
    return picture, MapPixels(box.x0, box.x1, height - box.y1, height - box.y0, axis.get_xlim(), axis.get_ylim())


def accuracy(found: Codes) -> float | None:
    if found.labels is None or len(np.unique(found.labels)) < 2:
        return None
    return latent_space.knn_accuracy(found.z_mean, found.labels, k=5)
