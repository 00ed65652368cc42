"""The variational autoencoder against keras-io's recipe, and its latent space against a plain autoencoder's.

- **Recipe** (keras-io's "Variational AutoEncoder"): its convolutional layers (`vae_conv`, 32 and 64 filters),
  latent 2, Adam at Keras' default 1e-3, batch 128, 30 epochs over all 60,000 Fashion-MNIST training
  images (keras-io uses MNIST; here the tab's own data): its final test ELBO and seconds.
- **Default** (this project's tab): the task's default VAE for 30 s, once per seed (median reported), and
  one longer run for the seconds it takes to reach the recipe's final ELBO.
- **After 30 s** on Fashion-MNIST and on digits: samples from N(0, I) for the figure, and the k-nearest-
  neighbour (k = 5) class accuracy of held-out codes, for the VAE and for the plain autoencoder (beta = 0,
  the same layers, the same 30 s).
- **Decode latency** of one latent point, as the tab's sliders ask for it (target: at most 20 ms).

ELBOs are nats per image on the first ELBO_COUNT test images (higher is better). The sample grids go from
`run` to `figure` in memory: results.json keeps numbers only.
"""

import statistics
import time

import numpy as np

from aecore import data, metrics
from aecore.evaluate import held_out_pairs, predict_images
from aecore.models import ModelConfig
from aecore.tasks import new_setup
from aecore.tasks.vae import latent_space
from aecore.tasks.vae.variational import elbo, plain_twin
from aecore.train import TrainConfig, new_model, train
from bench.curves import seconds_to_reach

BUDGET = 30.0  # seconds: the "after 30 s"
REACH_LIMIT = 300.0  # seconds the default may take to reach the recipe's ELBO before we stop looking
ELBO_COUNT, KNN_COUNT = 2000, 1000  # test images behind each ELBO and each kNN accuracy
SNAPSHOT_EVERY = 5.0  # seconds between weight snapshots of the long run (its ELBO curve)
DATASETS = ("fashion_mnist", "digits")
_samples: dict = {}  # dataset -> {"vae": picture, "plain": picture}: what `figure` draws


def test_images(setup, count: int) -> np.ndarray:
    return held_out_pairs(setup, count).clean


def tracked_run(setup, config: TrainConfig, every: float | None) -> tuple:
    """Train, keeping the weights every `every` seconds (None: at each epoch); (result, [(seconds, weights)])."""
    snapshots, holder = [], {}

    def keep(progress):
        if progress.kind == "batch" or "model" not in holder:
            return
        last = snapshots[-1][0] if snapshots else -np.inf
        if every is None or progress.seconds - last >= every:
            snapshots.append((progress.seconds, holder["model"].get_weights()))

    model = new_model(setup)
    holder["model"] = model
    result = train(setup, config, on_progress=keep, initial_model=model)
    return result, snapshots


def elbo_curve(result, snapshots, images) -> list[list[float]]:
    """[[seconds, test ELBO], ...] from the snapshots (the model ends with its final weights)."""
    final = result.model.get_weights()
    curve = []
    for seconds, weights in snapshots:
        result.model.set_weights(weights)
        curve.append([round(seconds, 2), round(elbo(result.model, images)["elbo"], 2)])
    result.model.set_weights(final)
    return curve


def recipe(quick: bool, count: int) -> dict:
    setup = new_setup("vae", dataset="fashion_mnist", model=ModelConfig(kind="vae_conv", latent_dim=2, base_filters=32))
    config = TrainConfig(seconds=3600, epochs=1 if quick else 30, samples=5000 if quick else 60000, batch_size=128,
                         learning_rate=1e-3, validate_every=0)
    result, snapshots = tracked_run(setup, config, every=None)
    images = test_images(setup, count)
    final = elbo(result.model, images)
    return {"elbo": round(final["elbo"], 2), "kl": round(final["kl_loss"], 2), "seconds": round(result.seconds, 1),
            "steps": result.steps, "epochs": result.epochs, "curve": elbo_curve(result, snapshots, images),
            "decode_ms": decode_latency(result.model, 50 if quick else 200)}


def thirty_seconds(dataset: str, seed: int, budget: float, count: int, knn_count: int) -> dict:
    """The default VAE and its plain twin, each `budget` s: ELBO, PSNR, kNN, and (seed 0) the samples."""
    setup = new_setup("vae", dataset=dataset)
    out = {}
    for name, this in (("vae", setup), ("plain", plain_twin(setup))):
        result = train(this, TrainConfig(seconds=budget, seed=seed, validate_every=0))
        pairs = held_out_pairs(this, knn_count)
        codes, _ = latent_space.encode(result.model, pairs.inputs)
        labels = data.load(dataset).y_test[:knn_count]
        psnr = float(metrics.psnr(pairs.clean, predict_images(result.model, this, pairs)).mean())
        out[name] = {"knn": round(latent_space.knn_accuracy(codes, labels, k=5), 4), "psnr": round(psnr, 2),
                     "seconds": round(result.seconds, 1), "steps": result.steps}
        if name == "vae":
            terms = elbo(result.model, test_images(this, count))
            out[name].update(elbo=round(terms["elbo"], 2), kl=round(terms["kl_loss"], 2))
            out["decode_ms"] = decode_latency(result.model, 200)
        if seed == 0:
            codes = latent_space.standard_normal(64, this.model.latent_dim, seed=0)  # the same codes for both
            _samples.setdefault(dataset, {})[name] = latent_space.tile(latent_space.decode(result.model, codes))
    return out


def decode_latency(model, repeats: int) -> dict:
    point = np.zeros((1, latent_space.latent_size(model)), np.float32)
    latent_space.decode(model, point)  # the first call traces the graph
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        latent_space.decode(model, point)
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(float(np.median(times)), 2), "p95_ms": round(float(np.percentile(times, 95)), 2)}


def run(quick: bool, seeds: int) -> dict:
    count, knn_count = (256, 256) if quick else (ELBO_COUNT, KNN_COUNT)
    budget = 3.0 if quick else BUDGET
    reference = recipe(quick, count)
    setup = new_setup("vae")
    reach_limit = 5.0 if quick else min(REACH_LIMIT, reference["seconds"])
    result, snapshots = tracked_run(setup, TrainConfig(seconds=reach_limit, epochs=1000,
                                                       validate_every=50 if quick else 200),
                                    every=1.0 if quick else SNAPSHOT_EVERY)
    curve = elbo_curve(result, snapshots, test_images(setup, count))
    runs = {dataset: [thirty_seconds(dataset, seed, budget, count, knn_count) for seed in range(seeds)]
            for dataset in DATASETS}
    median = lambda values: round(statistics.median(values), 4)  # noqa: E731
    after = {dataset: {f"{model}_{key}": median([r[model][key] for r in found])
                       for model in ("vae", "plain") for key in ("knn", "psnr", "seconds")} |
             {"vae_elbo": median([r["vae"]["elbo"] for r in found]), "vae_kl": median([r["vae"]["kl"] for r in found])}
             for dataset, found in runs.items()}
    return {"recipe": reference, "default": {"kind": setup.model.kind, "latent": setup.model.latent_dim,
                                             "elbo_after_budget": after["fashion_mnist"]["vae_elbo"],
                                             "curve": curve, "reach_limit": reach_limit,
                                             "seconds_to_recipe": seconds_to_reach(curve, reference["elbo"])},
            "budget": budget, "after_budget": after, "runs": runs, "seeds": seeds,
            "decode_ms": runs["fashion_mnist"][0]["decode_ms"], "elbo_count": count, "knn_count": knn_count}


def markdown(result: dict) -> list[str]:
    r, d, budget = result["recipe"], result["default"], result["budget"]
    reach = (f"{d['seconds_to_recipe']:.0f} s" if d["seconds_to_recipe"] is not None
             else f"not reached within {d['reach_limit']:.0f} s (ELBO then: {d['curve'][-1][1]:.1f})")
    lines = [f"| VAE on Fashion-MNIST, latent 2 | test ELBO (nats per image) | training seconds |", "|---|---|---|",
             f"| keras-io recipe (conv, {r['epochs']} epochs, batch 128, {r['steps']} steps) | {r['elbo']:.1f} "
             f"| {r['seconds']:.0f} |",
             f"| this project's default ({d['kind']}, median of {result['seeds']}) | {d['elbo_after_budget']:.1f} "
             f"| {budget:.0f} |", "",
             f"Seconds for the default to reach the recipe's final ELBO: {reach}. ELBOs on {result['elbo_count']} "
             f"test images.", "",
             f"| after {budget:.0f} s, latent 2 | kNN (k = 5) VAE | kNN plain AE (β = 0) | ELBO VAE | PSNR VAE "
             "| PSNR plain AE |", "|---|---|---|---|---|---|"]
    for dataset, a in result["after_budget"].items():
        lines.append(f"| {dataset} | {a['vae_knn']:.1%} | {a['plain_knn']:.1%} | {a['vae_elbo']:.1f} | "
                     f"{a['vae_psnr']:.2f} dB | {a['plain_psnr']:.2f} dB |")
    lines += ["", f"Decoding one latent point (the tab's sliders): median {result['decode_ms']['median_ms']} ms, "
              f"p95 {result['decode_ms']['p95_ms']} ms (keras-io's conv decoder: {r['decode_ms']['median_ms']} ms); "
              "target at most 20 ms. Samples from N(0, I) after "
              f"{budget:.0f} s, VAE beside the plain autoencoder fed the same codes: assets/bench_vae.png."]
    return lines


def figure(result: dict, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(13, 8.6))
    for row, dataset in enumerate(DATASETS):
        for column, name in enumerate(("vae", "plain")):
            axis = axes[row, column]
            picture = _samples.get(dataset, {}).get(name)
            if picture is not None:
                axis.imshow(picture[..., 0], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            title = "VAE" if name == "vae" else "plain autoencoder (β = 0), the same codes"
            axis.set_title(f"{dataset}: {title}\nsamples from N(0, I) after {result['budget']:.0f} s", fontsize=9)
            axis.axis("off")
    curve_axis, knn_axis = axes[0, 2], axes[1, 2]
    recipe_curve, default_curve = result["recipe"]["curve"], result["default"]["curve"]
    if recipe_curve:
        curve_axis.plot(*zip(*recipe_curve), "o-", color="gray", label="keras-io recipe (conv, batch 128)")
    if default_curve:
        curve_axis.plot(*zip(*default_curve), color="C0", label=f"default ({result['default']['kind']})")
    curve_axis.axhline(result["recipe"]["elbo"], color="gray", linestyle="--")
    curve_axis.set(xscale="log", xlabel="training seconds", ylabel="test ELBO (nats per image)",
                   title="Fashion-MNIST, latent 2 (higher is better)")
    curve_axis.legend(fontsize=8)
    curve_axis.grid(alpha=0.3)
    after = result["after_budget"]
    positions = np.arange(len(after))
    knn_axis.bar(positions - 0.2, [a["vae_knn"] for a in after.values()], 0.4, label="VAE")
    knn_axis.bar(positions + 0.2, [a["plain_knn"] for a in after.values()], 0.4, label="plain autoencoder")
    knn_axis.set_xticks(positions, list(after))
    knn_axis.set(ylim=(0, 1), ylabel="kNN (k = 5) class accuracy", title="How organized the 2-D codes are")
    knn_axis.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
