"""Reading a VAE's latent space: encode images to codes, decode any point, sample, interpolate, map, score.

    z_mean, z_log_var = encode(model, images)    # (N, latent_dim) each
    images = decode(model, points)               # (N, H, W, C) for any latent points (a click on the map)
    plane = LatentPlane.fit(z_mean)              # the code itself when it has 2 numbers, else its 2 principal axes
    picture = manifold(model, plane, spans)      # keras-io's plot_latent_space: images decoded over a 2-D grid
    knn_accuracy(codes, labels, k=5)             # how organized the space is: do near codes share a class?
    PCA.fit(train_images).reconstruct(images, 2)  # the best linear code of the same size, for reference

Every function takes the VAE's inference model (aecore/tasks/vae/model.py), whose "encoder" and "decoder"
sub-models it runs through the project's compiled inference graphs, so one point decodes in about
a millisecond: fast enough to follow a slider or a mouse.
"""

from dataclasses import dataclass

import numpy as np

from aecore.models.infer import infer, inference_graph


def encoder_and_decoder(model) -> tuple:
    """(encoder, decoder): the sub-models of a VAE-family model, or a ValueError saying what is missing."""
    names = {layer.name for layer in model.layers}
    if not {"encoder", "decoder"} <= names:
        raise ValueError(f"{model.name} has no 'encoder' and 'decoder' sub-models: only a VAE-family model "
                         "(vae_conv, vae_dense) has a latent space to walk")
    return model.get_layer("encoder"), model.get_layer("decoder")


def latent_size(model) -> int:
    return int(encoder_and_decoder(model)[1].input_shape[-1])


def encode(model, images: np.ndarray, batch_size: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """(N, H, W, C) images -> (z_mean, z_log_var), each (N, latent_dim): where each image's Gaussian sits, and
    how wide it is."""
    run = inference_graph(encoder_and_decoder(model)[0])
    images = np.asarray(images, np.float32)
    parts = [[tensor.numpy() for tensor in run(images[start:start + batch_size])]
             for start in range(0, len(images), batch_size)]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def decode(model, points) -> np.ndarray:
    """(N, latent_dim) or (latent_dim,) latent points -> (N, H, W, C) images in [0, 1]."""
    size = latent_size(model)
    points = np.asarray(points, np.float32)
    points = points[None] if points.ndim == 1 else points
    if points.ndim != 2 or points.shape[1] != size:
        raise ValueError(f"this model's code has {size} numbers; got a point shaped {tuple(points.shape)}")
    if not np.all(np.isfinite(points)):
        raise ValueError("a latent point must be finite numbers (no NaN or infinity)")
    return np.clip(infer(encoder_and_decoder(model)[1], points), 0.0, 1.0)


def standard_normal(count: int, size: int, seed: int = 0) -> np.ndarray:
    """(count, size) draws from N(0, I), the prior every VAE code is pulled towards."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    return np.random.default_rng(seed).standard_normal((count, size)).astype(np.float32)


def line_between(start: np.ndarray, end: np.ndarray, steps: int) -> np.ndarray:
    """`steps` evenly spaced points from `start` to `end` (both included): (steps, latent_dim)."""
    if steps < 2:
        raise ValueError(f"an interpolation needs at least 2 steps, got {steps}")
    share = np.linspace(0.0, 1.0, steps, dtype=np.float32)[:, None]  # (steps, 1)
    return (1.0 - share) * np.asarray(start, np.float32) + share * np.asarray(end, np.float32)


@dataclass(frozen=True)
class LatentPlane:
    """A 2-D view of the latent space: the code itself when it has 2 numbers, else the plane of its two
    principal axes through the codes' mean (other directions held at the mean)."""

    mean: np.ndarray  # (latent_dim,) the plane's origin
    axes: np.ndarray  # (2, latent_dim) orthonormal directions
    share: tuple[float, float]  # share of the codes' variance along each axis (1, 0 ... for a 2-number code)

    @classmethod
    def fit(cls, codes: np.ndarray) -> "LatentPlane":
        codes = np.asarray(codes, np.float64)  # (N, latent_dim)
        size = codes.shape[1]
        if size == 2:  # nothing to project: z1 and z2 are the code
            variance = codes.var(axis=0)
            share = variance / variance.sum() if variance.sum() > 0 else np.zeros(2)
            return cls(np.zeros(2), np.eye(2), (float(share[0]), float(share[1])))
        mean = codes.mean(axis=0)
        _, singular, directions = np.linalg.svd(codes - mean, full_matrices=False)  # rows: principal directions
        variance = singular ** 2
        share = variance / variance.sum() if variance.sum() > 0 else np.zeros_like(variance)
        return cls(mean, directions[:2], (float(share[0]), float(share[1])))

    @property
    def names(self) -> tuple[str, str]:
        return ("z1", "z2") if self.axes.shape[1] == 2 and np.allclose(self.axes, np.eye(2)) else ("PC 1", "PC 2")

    def to_plane(self, codes: np.ndarray) -> np.ndarray:
        """(N, latent_dim) -> (N, 2) coordinates on the plane."""
        return (np.asarray(codes, np.float64) - self.mean) @ self.axes.T

    def to_latent(self, points: np.ndarray) -> np.ndarray:
        """(N, 2) or (2,) plane coordinates -> (N, latent_dim) latent points."""
        points = np.atleast_2d(np.asarray(points, np.float64))
        return (self.mean + points @ self.axes).astype(np.float32)


def spans(points: np.ndarray, widths: float = 2.0) -> tuple[tuple[float, float], tuple[float, float]]:
    """Per plane axis, mean ± `widths` standard deviations of the points: for a VAE's codes about ±2,
    for a plain autoencoder's wherever its codes happen to lie."""
    points = np.asarray(points, np.float64)
    centre, spread = points.mean(axis=0), np.maximum(points.std(axis=0), 1e-6)
    return tuple((float(c - widths * s), float(c + widths * s)) for c, s in zip(centre, spread))


def manifold(model, plane: LatentPlane, extent, count: int = 15) -> np.ndarray:
    """keras-io's plot_latent_space: a count x count grid of images decoded over `extent` ((x0, x1), (y0, y1)),
    z1 growing to the right and z2 upwards; returns (count * H, count * W, C)."""
    (x0, x1), (y0, y1) = extent
    xs, ys = np.linspace(x0, x1, count), np.linspace(y1, y0, count)  # rows from the top: z2 decreasing
    grid = np.array([[x, y] for y in ys for x in xs])  # (count * count, 2), row by row
    images = decode(model, plane.to_latent(grid))  # (count * count, H, W, C)
    height, width, channels = images.shape[1:]
    return images.reshape(count, count, height, width, channels).transpose(0, 2, 1, 3, 4).reshape(
        count * height, count * width, channels)


def tile(images: np.ndarray, columns: int | None = None) -> np.ndarray:
    """(N, H, W, C) -> one (rows * H, columns * W, C) picture, row by row; empty cells stay black."""
    images = np.asarray(images)
    count, height, width, channels = images.shape
    columns = columns or int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    canvas = np.zeros((rows * columns, height, width, channels), images.dtype)
    canvas[:count] = images
    return canvas.reshape(rows, columns, height, width, channels).transpose(0, 2, 1, 3, 4).reshape(
        rows * height, columns * width, channels)


def knn_accuracy(codes: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    """Share of codes whose class is the majority class of their k nearest other codes (leave one out).

    A tie goes to the tied class whose members are nearest. 1.0: every class forms its own
    neighbourhood; 1 / classes: the space says nothing about the class.
    """
    codes = np.asarray(codes, np.float64).reshape(len(codes), -1)  # (N, D)
    labels = np.asarray(labels)
    if len(codes) != len(labels):
        raise ValueError(f"got {len(codes)} codes but {len(labels)} labels")
    if not 1 <= k < len(codes):
        raise ValueError(f"k must be between 1 and {len(codes) - 1} (the other codes), got {k}")
    squared = (codes ** 2).sum(axis=1)
    distances = squared[:, None] + squared[None, :] - 2.0 * codes @ codes.T  # (N, N)
    np.fill_diagonal(distances, np.inf)  # a code is not its own neighbour
    nearest = np.argsort(distances, axis=1, kind="stable")[:, :k]  # (N, k), nearest first
    correct = 0
    for index, neighbours in enumerate(nearest):
        votes: dict = {}
        for rank, neighbour in enumerate(neighbours):  # (count, -first rank) decides: more votes, then nearer
            count, first = votes.get(labels[neighbour], (0, rank))
            votes[labels[neighbour]] = (count + 1, first)
        winner = max(votes, key=lambda label: (votes[label][0], -votes[label][1]))
        correct += winner == labels[index]
    return correct / len(codes)


@dataclass(frozen=True)
class PCA:
    """The best *linear* codes: principal directions of a set of images (a linear autoencoder learns the same
    subspace). The reference a non-linear code of the same size should beat."""

    mean: np.ndarray  # (H*W*C,)
    directions: np.ndarray  # (components, H*W*C), the most variance first

    @classmethod
    def fit(cls, images: np.ndarray, components: int = 64) -> "PCA":
        flat = np.asarray(images, np.float64).reshape(len(images), -1)  # (N, H*W*C)
        mean = flat.mean(axis=0)
        centred = flat - mean
        # The eigenvectors of the (H*W*C)^2 covariance: the same directions as an SVD of the images, found faster.
        variances, vectors = np.linalg.eigh(centred.T @ centred)  # ascending
        return cls(mean, vectors[:, ::-1][:, :components].T.copy())

    def reconstruct(self, images: np.ndarray, components: int) -> np.ndarray:
        """`images` coded with `components` numbers each and decoded back, clipped to [0, 1]."""
        if not 1 <= components <= len(self.directions):
            raise ValueError(f"components must be between 1 and {len(self.directions)}, got {components}")
        basis = self.directions[:components]  # (components, H*W*C)
        flat = np.asarray(images, np.float64).reshape(len(images), -1) - self.mean
        restored = (flat @ basis.T) @ basis + self.mean
        return np.clip(restored.reshape(np.shape(images)), 0.0, 1.0).astype(np.float32)
