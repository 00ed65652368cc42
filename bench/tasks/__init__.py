"""Benchmarks that belong to one application (a codec's rate-distortion curve, a VAE's ELBO, a GAN's
sharpness): one module each, named after its task, discovered by bench/run.py. Each has

    run(quick: bool, seeds: int) -> dict      # measured, JSON-ready; stored under results["applications"][name]
    markdown(result: dict) -> list[str]       # the lines README shows
    figure(result: dict, path) -> None        # optional: writes its own figure (assets/bench_<name>.png)
"""

from aecore.registry import discover


def modules() -> dict:
    return discover(__name__)
