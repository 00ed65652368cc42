"""Training curves: held-out PSNR against training seconds, and the time a curve needs to reach a PSNR."""

import numpy as np

from aecore.evaluate import HELD_OUT_COUNT, evaluate
from aecore.train import TrainConfig, train


def curve(result) -> list[list[float]]:
    """[[training seconds, validation PSNR], ...] from every check and epoch report."""
    return [[round(p.seconds, 2), round(p.val_psnr, 3)] for p in result.history]


def seconds_to_reach(points: list[list[float]], target: float) -> float | None:
    """First training second at which the curve reaches `target` dB (linear between checks), or None."""
    previous = [0.0, -np.inf]
    for seconds, psnr in points:
        if psnr >= target:
            if not np.isfinite(previous[1]):
                return seconds
            share = (target - previous[1]) / (psnr - previous[1])
            return round(previous[0] + share * (seconds - previous[0]), 2)
        previous = [seconds, psnr]
    return None


def psnr_at(points: list[list[float]], seconds: float) -> float | None:
    """The validation PSNR of the last check at or before `seconds`."""
    before = [psnr for at, psnr in points if at <= seconds]
    return before[-1] if before else None


def train_and_score(setup, config: TrainConfig, count: int = HELD_OUT_COUNT) -> dict:
    """One brief training run, scored on `count` held-out images against the corrupted input and baselines."""
    result = train(setup, config)
    rows = evaluate(result.model, setup, count=count)
    return {"seconds": round(result.seconds, 2), "steps": result.steps, "curve": curve(result),
            "evaluation": {row.pop("method"): row for row in rows}}
