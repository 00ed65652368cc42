"""Brief training against the machine's limit: images per second, achieved GFLOP/s, and the float32 and
bfloat16 matmul peaks TensorFlow reaches on the same cores in the same run.

    python -m bench.throughput [--quick]    (also a section of `make bench`)

A training step costs about 3x the forward pass (forward, then the gradients with respect to the
activations and to the weights), so achieved GFLOP/s = images/s x 3 x forward FLOPs per image, the
forward FLOPs counted by TensorFlow's profiler on the model's graph at the training image size.
A GAN's step also runs its discriminator, which the count leaves out: its figure is a lower bound.

The denoiser's default is then run side by side with its alternatives (bfloat16 where the CPU has
it, larger batches) at the same seconds: only ratios measured in one run count, because the same
machine gives different absolute figures from one hour to the next.
"""

import argparse
import contextlib
import statistics
import time
from pathlib import Path


from aecore import evaluate, tasks
from aecore.runtime import keras, tf
from aecore.train import TrainConfig, model_channels, new_model, train

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ("avx2", "avx512f", "avx512_bf16", "avx512_vnni", "amx_tile", "amx_bf16")  # what float32/bfloat16 speed needs
MATMUL_SIZE = 1024  # big enough for the matmul kernels' peak, small enough to measure in a second


def cpu_flags() -> list[str]:
    """The relevant instruction-set flags this CPU reports (/proc/cpuinfo)."""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            present = set(line.split(":", 1)[1].split())
            return [flag for flag in FLAGS if flag in present]
    return []


def has_bfloat16() -> bool:
    """Whether this CPU computes in bfloat16 natively (AVX-512 BF16 or AMX), detected at run time."""
    return bool({"avx512_bf16", "amx_bf16"} & set(cpu_flags()))


def matmul_peak(dtype: str, repeats: int = 7, size: int = MATMUL_SIZE) -> float:
    """Median GFLOP/s of a size x size matmul in `dtype`, 8 chained per call."""
    module = tf()
    a = module.random.normal((size, size), dtype="float32")
    a = module.cast(a, dtype)

    @module.function
    def chain(x):
        for _ in range(8):
            x = module.matmul(x, a) * 0.01
        return x

    chain(a).numpy()  # trace and warm up
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        chain(a).numpy()
        rates.append(8 * 2 * size ** 3 / (time.perf_counter() - started) / 1e9)
    return round(statistics.median(rates), 1)


def forward_flops(setup) -> int:
    """Forward FLOPs for one image of `setup`'s training size, counted by TensorFlow's profiler."""
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    module = tf()
    model = new_model(setup)
    height, width, _ = setup.image_shape
    spec = module.TensorSpec((1, height, width, model_channels(setup)[0]), "float32")
    frozen = convert_variables_to_constants_v2(module.function(lambda x: model(x, training=False))
                                               .get_concrete_function(spec))
    options = module.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    info = module.compat.v1.profiler.profile(graph=frozen.graph, run_meta=module.compat.v1.RunMetadata(),
                                             cmd="op", options=options)
    return int(info.total_float_ops)


@contextlib.contextmanager
def precision(policy: str):
    """Models built inside use Keras' dtype `policy` ("float32" or "mixed_bfloat16")."""
    k = keras()
    before = k.config.dtype_policy().name
    k.config.set_dtype_policy(policy)
    try:
        yield
    finally:
        k.config.set_dtype_policy(before)


def model_in(setup, policy: str):
    """A fresh model for `setup` in `policy`; with bfloat16 its output is cast back to float32 (loss, scores)."""
    k = keras()
    with precision(policy):
        model = new_model(setup)
    if policy == "float32":
        return model
    output = k.layers.Activation("linear", dtype="float32", name="to_float32")(model.outputs[0])
    return k.Model(model.inputs, output, name=model.name)


def rates(result, reports: list) -> dict:
    """Images/s over the whole budget (tracing included) and in steady state (between the first and last report)."""
    batch = result.config.batch_size
    overall = result.steps * batch / result.seconds
    first, last = (reports[0], reports[-1]) if reports else (None, None)
    steady = ((last.step - first.step) * batch / (last.seconds - first.seconds)
              if len(reports) > 1 and last.seconds > first.seconds else overall)
    return {"images_per_s": round(overall), "steady_images_per_s": round(steady),
            "seconds_to_first_report": None if first is None else round(first.seconds, 2)}  # mostly tracing


def brief_run(setup, seconds: float, policy: str = "float32", seed: int = 0, **config) -> dict:
    """One brief training of a fresh model in `policy`; `config`: TrainConfig fields (batch_size, ...)."""
    config = TrainConfig(seconds=seconds, seed=seed, **config)
    keras().utils.set_random_seed(seed)
    reports = []
    result = train(setup, config, initial_model=model_in(setup, policy),
                   on_progress=lambda p: reports.append(p) if p.kind == "batch" else None)
    scores = evaluate.scores(result.model, setup, baselines=False)["autoencoder"]
    return {**rates(result, reports), "steps": result.steps, "psnr": round(float(scores["psnr"]), 2)}


def per_task(seconds: float, peak: float, names: list[str]) -> dict:
    """Each task's default brief training: images/s and achieved GFLOP/s against the float32 peak."""
    results = {}
    for name in names:
        setup = tasks.new_setup(name)
        flops = forward_flops(setup)
        run = brief_run(setup, seconds)
        achieved = run["steady_images_per_s"] * 3 * flops / 1e9
        results[name] = {**run, "model": setup.model.kind, "image_shape": list(setup.image_shape),
                         "forward_mflop_per_image": round(flops / 1e6, 2), "gflops": round(achieved, 1),
                         "of_float32_peak": round(achieved / peak, 3)}
        if has_bfloat16():  # the same training in mixed bfloat16: adopted only where faster *and* no worse
            try:
                half = brief_run(setup, seconds, "mixed_bfloat16")
            except Exception as error:  # noqa: BLE001  (a layer that cannot run in bfloat16: reported)
                results[name]["bfloat16"] = {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:100]}"}
                continue
            results[name]["bfloat16"] = {**half, "speedup": round(half["steady_images_per_s"] /
                                                                   run["steady_images_per_s"], 2),
                                         "psnr_gain_db": round(half["psnr"] - run["psnr"], 2)}
    return results


TODAY = dict(batch_size=16, steps_per_execution=1, policy="float32")  # the setting of 2026-12-01, the baseline
VARIANTS = {  # the denoiser's settings, run side by side at the same seconds
    "float32, batch 16, 1 batch per call (2026-12-01)": TODAY,
    "float32, batch 16, 16 per call": dict(batch_size=16, steps_per_execution=16, policy="float32"),
    "float32, batch 32, 8 per call (the default since 2026-12-02)": (DEFAULT := dict(
        batch_size=32, steps_per_execution=8, policy="float32")),
    "float32, batch 64, 4 per call": dict(batch_size=64, steps_per_execution=4, policy="float32"),
    "float32, batch 64, 4 per call, lr 4e-3": dict(batch_size=64, steps_per_execution=4, learning_rate=4e-3,
                                                   policy="float32"),
    "mixed bfloat16, batch 16, 16 per call": dict(batch_size=16, steps_per_execution=16, policy="mixed_bfloat16"),
    "mixed bfloat16, batch 64, 4 per call": dict(batch_size=64, steps_per_execution=4, policy="mixed_bfloat16"),
}


def denoiser_variants(seconds: float, seeds: int, quick: bool = False) -> dict:
    """Every variant once per seed, in turn (so a busy minute of the machine hits them all alike); medians.
    A quick run compares only the setting of 2026-12-01 with today's default."""
    setup = tasks.new_setup("denoise", dataset="fashion_mnist")  # the README's reference: Fashion-MNIST, sigma 0.2
    wanted = [TODAY, DEFAULT] if quick else list(VARIANTS.values())
    runnable = {label: variant for label, variant in VARIANTS.items()
                if ("bfloat16" not in variant["policy"] or has_bfloat16()) and variant in wanted}
    runs = {label: [] for label in runnable}
    for seed in range(seeds):
        for label, variant in runnable.items():
            runs[label].append(brief_run(setup, seconds, seed=seed, **variant))
    results = {label: {"skipped": "this CPU has no native bfloat16 (AVX-512 BF16 or AMX)"} for label, variant
               in VARIANTS.items() if variant in wanted}
    for label, found in runs.items():
        results[label] = {key: statistics.median(run[key] for run in found)
                          for key in ("images_per_s", "steady_images_per_s", "psnr")}
        results[label]["runs"] = found
    base = next(results[label] for label, variant in VARIANTS.items() if variant is TODAY)
    for row in results.values():
        if "skipped" not in row:
            row["speedup"] = round(row["steady_images_per_s"] / base["steady_images_per_s"], 2)
            row["psnr_gain_db"] = round(row["psnr"] - base["psnr"], 2)
    return results


def run(quick: bool = False, seeds: int = 3, names: list[str] | None = None) -> dict:
    """`names`: the tasks whose default training is measured (all of them unless given)."""
    peaks = {"float32": matmul_peak("float32")}
    if has_bfloat16():
        peaks["bfloat16"] = matmul_peak("bfloat16")
    seconds = 1.0 if quick else 15.0  # quick: enough to run every row (make test runs it), not to measure
    results = {"flags": cpu_flags(), "matmul_size": MATMUL_SIZE, "matmul_gflops": peaks,
               "tasks": per_task(1.0 if quick else 8.0, peaks["float32"], names or tasks.names()),
               "denoiser_seconds": seconds, "denoiser": denoiser_variants(seconds, 1 if quick else seeds, quick)}
    peaks["float32_after"] = matmul_peak("float32")  # the peak again, after the trainings: how steady the machine was
    return results


def markdown(results: dict) -> list[str]:
    peaks = results["matmul_gflops"]
    bf16 = f", bfloat16 {peaks['bfloat16']}" if "bfloat16" in peaks else " (no native bfloat16)"
    lines = [f"Matmul peak on these cores ({results['matmul_size']}², TensorFlow): float32 {peaks['float32']} GFLOP/s "
             f"({peaks.get('float32_after')} after the trainings){bf16}; CPU flags: {', '.join(results['flags'])}.", "",
             "| task (model, image) | forward MFLOP/image | images/s (whole budget) | images/s (steady) "
             "| GFLOP/s | of float32 peak | held-out PSNR | mixed bfloat16: speed-up, PSNR |",
             "|---|---|---|---|---|---|---|---|"]
    for name, row in results["tasks"].items():
        shape = "×".join(str(side) for side in row["image_shape"])
        half = row.get("bfloat16")
        half = ("no native bfloat16" if half is None else f"fails: {half['error']}" if "error" in half else
                f"×{half['speedup']}, {half['psnr_gain_db']:+.2f} dB")
        lines.append(f"| {name} ({row['model']}, {shape}) | {row['forward_mflop_per_image']} | {row['images_per_s']} "
                     f"| {row['steady_images_per_s']} | {row['gflops']} | {row['of_float32_peak']:.0%} "
                     f"| {row['psnr']:.2f} dB | {half} |")
    lines += ["", f"| denoiser, {results['denoiser_seconds']:.0f} s (median of seeds) | images/s (steady) | speed-up "
              "| held-out PSNR | vs default |", "|---|---|---|---|---|"]
    for label, row in results["denoiser"].items():
        if "skipped" in row:
            lines.append(f"| {label} | {row['skipped']} | | | |")
        else:
            lines.append(f"| {label} | {row['steady_images_per_s']:.0f} | ×{row['speedup']} | {row['psnr']:.2f} dB "
                         f"| {row['psnr_gain_db']:+.2f} dB |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json",
                        help="the benchmark's results file: this section is written into it")
    args = parser.parse_args(argv)
    from bench.run import write_section

    results = run(args.quick, seeds=1 if args.quick else 3)
    write_section(args.out, "throughput", results)
    print("\n".join(markdown(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
