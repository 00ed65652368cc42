"""Synthetic cast shadows for the shadow-removal task.

There is no offline shadow dataset (real ones such as ISTD or SRD are large downloads with their own
licences), so shadows are drawn: each image gets random polygons, their edges are blurred the way a
penumbra is soft, and the light inside drops by `strength`. Shadows are lit by blue skylight rather
than the sun, so red drops most and blue least.
"""

import cv2
import numpy as np

from aecore.corruptions.base import Corrupted, Param, register

SHADOW_CAST = np.array([1.0, 0.95, 0.85], dtype=np.float32)  # share of `strength` lost by R, G, B
MAX_VERTICES = 6


def _random_polygons(rng: np.random.Generator, batch: int, count: int, height: int, width: int) -> tuple:
    """Random star-shaped polygons in pixels: (batch, count, 6, 2) points and (batch, count) vertex counts."""
    shape = (batch, count)
    vertex_counts = rng.integers(3, MAX_VERTICES + 1, size=shape)  # (batch, count)
    slots = np.arange(MAX_VERTICES)
    # Evenly spaced angles with some jitter (gaps stay below pi, so the polygon surrounds its centre).
    jitter = rng.uniform(-0.2, 0.2, size=shape + (MAX_VERTICES,))
    angles = 2 * np.pi * (slots + jitter) / vertex_counts[..., None] + rng.uniform(0, 2 * np.pi, size=shape + (1,))
    radii = rng.uniform(0.6, 1.0, size=shape + (MAX_VERTICES,))
    # Unused slots repeat the last real vertex: a repeated point adds nothing to the shoelace area below.
    last = np.minimum(slots, vertex_counts[..., None] - 1)  # (batch, count, 6)
    angles, radii = np.take_along_axis(angles, last, -1), np.take_along_axis(radii, last, -1)
    # Shoelace area of the polygon in units where the image is 1 x 1, then scale to the target area.
    next_angles, next_radii = np.roll(angles, -1, axis=-1), np.roll(radii, -1, axis=-1)
    area = 0.5 * np.abs(np.sum(radii * next_radii * np.sin(next_angles - angles), axis=-1))  # (batch, count)
    target_area = rng.uniform(0.10, 0.40, size=shape)  # share of the image each polygon covers (before clipping)
    radii = radii * np.sqrt(target_area / area)[..., None]
    centres = rng.uniform(0.2, 0.8, size=shape + (2,))  # (batch, count, 2) as (x, y)
    points = centres[..., None, :] + radii[..., None] * np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    points = np.rint(points * [width, height]).astype(np.int32)  # (batch, count, 6, 2) pixel (x, y)
    return points, vertex_counts


@register(
    "shadow",
    "Cast soft-edged random polygon shadows: the light drops inside, red most (skylight is blue).",
    Param("count", 1, 1, 4, 1, help="how many shadow polygons per image"),
    Param("strength", 0.5, 0.1, 0.9, 0.05, help="how much of the light is lost inside the shadow"),
    Param("softness", 2.0, 0.0, 8.0, 0.5, help="blur of the shadow edge (Gaussian sigma, in pixels)"),
)
def shadow(images: np.ndarray, rng: np.random.Generator, count: int, strength: float, softness: float) -> Corrupted:
    batch, height, width, channels = images.shape
    points, vertex_counts = _random_polygons(rng, batch, count, height, width)
    mask = np.zeros((batch, height, width), dtype=np.float32)  # (batch, H, W)
    for index in range(batch):
        for polygon in range(count):
            cv2.fillPoly(mask[index], [points[index, polygon, : vertex_counts[index, polygon]]], 1.0)
    return cast_shadow(images, mask, strength, softness)


def cast_shadow(images: np.ndarray, mask: np.ndarray, strength: float, softness: float) -> Corrupted:
    """Darken (B, H, W, C) images where the (B, H, W) or (H, W) mask is 1, with a soft edge and a blue cast."""
    batch, height, width, channels = images.shape
    mask = np.array(np.broadcast_to(np.reshape(mask, (-1, height, width)), (batch, height, width)), dtype=np.float32)
    if softness > 0:
        for index in range(batch):
            cv2.GaussianBlur(mask[index], (0, 0), softness, dst=mask[index])  # soft penumbra
    mask = np.clip(mask, 0.0, 1.0)[..., None]  # (batch, H, W, 1)
    cast = SHADOW_CAST if channels == 3 else np.ones(1, dtype=np.float32)  # (C,)
    # In place, one (batch, H, W, C) array: a training set's worth of temporaries would be several copies of it
    shadowed = np.float32(strength) * mask * cast  # (batch, H, W, C): the share of light lost
    np.subtract(np.float32(1.0), shadowed, out=shadowed)
    shadowed *= images
    return Corrupted(images=np.clip(shadowed, 0.0, 1.0, out=shadowed), mask=mask)
