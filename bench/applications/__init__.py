"""Benchmarks that belong to one application (a codec's rate-distortion curve, a VAE's ELBO, a GAN's
sharpness): one module each, discovered by bench/run.py. Each has

    run(quick: bool, seeds: int) -> dict      # measured, JSON-ready; stored under results["applications"][name]
    markdown(result: dict) -> list[str]       # the lines README shows
    figure(result: dict, path) -> None        # optional: writes its own figure (assets/bench_<name>.png)
"""

import importlib
import pkgutil


def modules() -> dict:
    return {info.name: importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)}
