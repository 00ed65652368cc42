"""What brief training spends besides the arithmetic, each overhead measured against its alternative.

    python -m bench.overheads [--quick]    (also a section of `make bench`)

On the default denoiser (Fashion-MNIST, sigma 0.2, batch 32, 8 batches per call), in steady state
(the training function traced and warmed up first, then a fixed number of batches timed):

- thread settings: TensorFlow's intra-op / inter-op thread counts, each in a fresh process (they are
  fixed at TensorFlow's start; `AECORE_THREADS=intra,inter` sets them);
- input pipeline: NumPy arrays handed to `fit` (what `train` does) against a `tf.data` pipeline
  (shuffle, batch, prefetch) and the same pipeline cached;
- the callback: the time `BriefTraining` adds per call and per validation check;
- tracing: the seconds before the first batch, eagerly traced (what `train` does) and with XLA;
- the U-Net's concatenations: `Concatenate` then a 3x3 conv, against the same function computed as
  two convs added (one on the upsampled features, one on the skip), which never copies the channels.

Only ratios within one run count: the same machine gives different absolute figures from hour to hour.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from aecore import tasks
from aecore.objectives import adam
from aecore.runtime import keras, tf
from aecore.train import BriefTraining, TrainConfig, new_model, probe_pairs, training_pairs

ROOT = Path(__file__).resolve().parent.parent
THREADS = ((2, 2), (2, 1), (1, 2), (1, 1), (4, 2))  # (intra, inter); (2, 2) is aecore.runtime's on 2 cores
REPEATS = 5  # timed stretches per variant; the median is reported
TRACING_BATCHES = 64  # batches per timed stretch of the tracing rows in the full run (the quick run's 8 otherwise)


def reference_setup():
    return tasks.new_setup("denoise", dataset="fashion_mnist")  # the README's reference denoiser


def compiled(model, config: TrainConfig, jit: bool = False):
    """Compiled as the reconstruction objective compiles it (its Adam, built eagerly; mean squared error)."""
    model.compile(optimizer=adam(model, config.learning_rate), loss="mse", jit_compile=jit,
                  steps_per_execution=config.steps_per_execution)
    return model


def timed_fit(model, inputs, targets, config: TrainConfig, batches: int, callbacks=(), dataset=None,
              off_clock=lambda: 0.0) -> float:
    """Images/s of `fit` over `batches` batches, after one warm-up call (the trace is not timed);
    `off_clock()`: seconds so far that training does not count (a callback's scoring)."""
    def fit(count):
        if dataset is not None:
            model.fit(dataset, steps_per_epoch=count, epochs=1, callbacks=list(callbacks), verbose=0, shuffle=False)
        else:
            model.fit(inputs[: count * config.batch_size], targets[: count * config.batch_size],
                      batch_size=config.batch_size, epochs=1, callbacks=list(callbacks), verbose=0, shuffle=True)

    fit(config.steps_per_execution * 2)  # trace and warm up
    rates = []
    for _ in range(REPEATS):
        started, scoring = time.perf_counter(), off_clock()
        fit(batches)
        rates.append(batches * config.batch_size / (time.perf_counter() - started - (off_clock() - scoring)))
    return round(statistics.median(rates))


def threads_child(batches: int) -> dict:
    """In a fresh process whose TensorFlow uses AECORE_THREADS: steady images/s of the default denoiser."""
    setup, config = reference_setup(), TrainConfig()
    train, _ = training_pairs(setup, config)
    keras().utils.set_random_seed(0)
    model = compiled(new_model(setup), config)
    return {"images_per_s": timed_fit(model, train.inputs, train.targets, config, batches)}


def thread_settings(batches: int, settings=THREADS) -> dict:
    results = {}
    for intra, inter in settings:
        env = {**os.environ, "AECORE_THREADS": f"{intra},{inter}"}
        done = subprocess.run([sys.executable, "-m", "bench.overheads", "--threads-child", str(batches)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        label = f"intra {intra}, inter {inter}" + (" (aecore's on 2 cores)" if (intra, inter) == (2, 2) else "")
        results[label] = (json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else
                          {"error": done.stderr.strip().splitlines()[-1][:200]})
    return results


def input_pipelines(train, config: TrainConfig, batches: int, rows: int | None = None) -> dict:
    module = tf()
    setup = reference_setup()

    def pipeline(cache: bool):
        data = module.data.Dataset.from_tensor_slices((train.inputs, train.targets))
        data = data.cache() if cache else data
        return (data.shuffle(len(train.inputs), seed=0).repeat().batch(config.batch_size, drop_remainder=True)
                .prefetch(module.data.AUTOTUNE))

    results = {}
    for label, dataset in (("NumPy arrays to fit (what train does)", None),
                           ("tf.data: shuffle, batch, prefetch", pipeline(False)),
                           ("tf.data: cache, shuffle, batch, prefetch", pipeline(True)))[:rows]:
        keras().utils.set_random_seed(0)
        model = compiled(new_model(setup), config)
        results[label] = {"images_per_s": timed_fit(model, train.inputs, train.targets, config, batches,
                                                    dataset=dataset)}
    return results


def callback_cost(train, validation, config: TrainConfig, batches: int) -> dict:
    """Images/s with and without BriefTraining, and what one validation check costs (off the clock)."""
    setup = reference_setup()
    keras().utils.set_random_seed(0)
    model = compiled(new_model(setup), config)
    bare = timed_fit(model, train.inputs, train.targets, config, batches)
    steps_per_epoch = -(-len(train.inputs) // config.batch_size)
    endless = TrainConfig(seconds=3600)  # the budget never stops these fits
    watch = BriefTraining(model, setup, endless, validation, probe_pairs(setup, config), steps_per_epoch,
                          None, time.monotonic())
    quiet = BriefTraining(model, setup, TrainConfig(seconds=3600, validate_every=0, report_every=10 ** 9),
                          validation, probe_pairs(setup, config), steps_per_epoch, None, time.monotonic())
    # Each timed fit is one (short) epoch, so both also score once at its end, off the clock as in train.
    with_reports = timed_fit(model, train.inputs, train.targets, config, batches, callbacks=[watch],
                             off_clock=lambda: watch.scoring_seconds)
    without_checks = timed_fit(model, train.inputs, train.targets, config, batches, callbacks=[quiet],
                               off_clock=lambda: quiet.scoring_seconds)
    started = time.perf_counter()
    for _ in range(REPEATS):
        watch.report("check", {"loss": 0.0})
    check_ms = (time.perf_counter() - started) / REPEATS * 1e3
    images_per_call = config.steps_per_execution * config.batch_size
    return {"no callback": {"images_per_s": bare},
            "BriefTraining, budget and NaN checks only": {"images_per_s": without_checks},
            "BriefTraining as train runs it (reports, a check every 200 batches)": {"images_per_s": with_reports},
            "one validation check (off the clock), ms": round(check_ms, 1),
            "per call, ms (as train runs it, minus no callback)":
                round((images_per_call / with_reports - images_per_call / bare) * 1e3, 2)}


def tracing(train, config: TrainConfig, xla: bool = True, batches: int = TRACING_BATCHES) -> dict:
    """Seconds from compile to the end of the first call (tracing the step is most of it), without and with XLA;
    then images/s over `batches` batches."""
    setup = reference_setup()
    results = {}
    for label, jit in (("traced, no XLA (what train does)", False), ("XLA (jit_compile)", True))[: 2 if xla else 1]:
        keras().utils.set_random_seed(0)
        model = new_model(setup)
        started = time.perf_counter()
        compiled(model, config, jit)
        count = config.steps_per_execution * config.batch_size
        model.fit(train.inputs[:count], train.targets[:count], batch_size=config.batch_size, epochs=1, verbose=0)
        first = time.perf_counter() - started
        rate = timed_fit(model, train.inputs, train.targets, config, batches)
        results[label] = {"seconds_to_first_call": round(first, 2), "images_per_s": rate}
    return results


def split_skip_unet(input_channels: int, depth: int = 2, base: int = 8):
    """The default denoiser's U-Net, with each decoder's Concatenate + 3x3 conv computed as two 3x3 convs
    added: conv([up, skip]) = conv_a(up) + conv_b(skip), the same function without copying channels."""
    k, layers = keras(), keras().layers
    inputs = k.Input((None, None, input_channels))

    def block(x, filters, first=None):
        x = first if first is not None else layers.Conv2D(filters, 3, padding="same")(x)
        x = layers.ReLU()(x)
        return layers.ReLU()(layers.Conv2D(filters, 3, padding="same")(x))

    x, skips = inputs, []
    for level in range(depth):
        x = block(x, base * 2 ** level)
        skips.append(x)
        x = layers.MaxPooling2D(2)(x)
    x = block(x, base * 2 ** depth)
    for level in reversed(range(depth)):
        filters = base * 2 ** level
        up = layers.Conv2DTranspose(filters, 2, strides=2, padding="same")(x)
        summed = layers.Add()([layers.Conv2D(filters, 3, padding="same")(up),
                               layers.Conv2D(filters, 3, padding="same", use_bias=False)(skips[level])])
        x = block(None, filters, first=summed)
    correction = layers.Conv2D(input_channels, 1)(x)
    outputs = layers.ReLU(max_value=1.0)(layers.Add()([inputs, correction]))
    return k.Model(inputs, outputs)


def concatenation_layout(train, config: TrainConfig, batches: int, rows: int | None = None) -> dict:
    setup = reference_setup()
    results = {}
    for label, build in (("Concatenate, then one conv (the U-Net's)", lambda: new_model(setup)),
                         ("two convs added (no concatenation)", lambda: split_skip_unet(train.inputs.shape[-1])))[:rows]:
        keras().utils.set_random_seed(0)
        model = compiled(build(), config)
        results[label] = {"images_per_s": timed_fit(model, train.inputs, train.targets, config, batches),
                          "parameters": model.count_params()}
    return results


def with_ratios(section: dict) -> dict:
    """Each row's images/s as a ratio of the section's first row (the current setting)."""
    rows = {label: row for label, row in section.items() if isinstance(row, dict) and "images_per_s" in row}
    base = next(iter(rows.values()))["images_per_s"]
    for row in rows.values():
        row["ratio"] = round(row["images_per_s"] / base, 2)
    return section


def run(quick: bool = False) -> dict:
    config = TrainConfig()
    batches = 8 if quick else 256  # per timed stretch: 256 batches of 32 are ~3-8 s on 2 cores
    rows = 1 if quick else None  # quick (make test runs it): the current setting of each comparison; else every row
    setup = reference_setup()
    train, validation = training_pairs(setup, config)
    return {"batches_timed": batches, "repeats": REPEATS,
            # quick: aecore's own setting, in this process (a fresh one per setting is what the full run compares)
            "threads": with_ratios({"intra 2, inter 2 (aecore's on 2 cores)": threads_child(batches)} if quick else
                                   thread_settings(batches, THREADS)),
            "input": with_ratios(input_pipelines(train, config, batches, rows)),
            "callback": with_ratios(callback_cost(train, validation, config, batches)),
            # The quick run's 8 batches a stretch here too: 64 x 5 were 27 s of its 145 s in the test (2026-12-04)
            "tracing": with_ratios(tracing(train, config, xla=not quick,
                                           batches=batches if quick else TRACING_BATCHES)),
            "concatenation": with_ratios(concatenation_layout(train, config, batches, rows))}


def markdown(results: dict) -> list[str]:
    lines = [f"| overhead (default denoiser, steady state, {results['batches_timed']} batches × "
             f"{results['repeats']}, medians) | images/s | vs the current |", "|---|---|---|"]
    for section in ("threads", "input", "callback", "tracing", "concatenation"):
        for label, row in results[section].items():
            if not isinstance(row, dict):
                lines.append(f"| {section}: {label} | {row} | |")
            elif "error" in row:
                lines.append(f"| {section}: {label} | fails: {row['error']} | |")
            else:
                extra = f" (first call after {row['seconds_to_first_call']} s)" if "seconds_to_first_call" in row else ""
                lines.append(f"| {section}: {label}{extra} | {row['images_per_s']} | ×{row['ratio']} |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads-child", type=int, help=argparse.SUPPRESS)  # one thread setting, in its own process
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json",
                        help="the benchmark's results file: this section is written into it")
    args = parser.parse_args(argv)
    if args.threads_child:
        print(json.dumps(threads_child(args.threads_child)))
        return 0
    from bench.run import write_section

    results = run(args.quick)
    write_section(args.out, "overheads", results)
    print("\n".join(markdown(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
