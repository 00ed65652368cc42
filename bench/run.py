"""Run the benchmark: `python -m bench.run [--quick] [--tasks ...] [--out results.json] [--figure fig.png]`."""

import argparse
import datetime
import json
import platform
import resource
import time
from pathlib import Path

from aecore import tasks
from aecore.runtime import usable_cpus
from aecore.metrics import METRICS, PSNR_CAP
from bench import (app_start, tasks as applications, denoise_reference, figure, fine_tune, latency, losses, overheads,
                   real_photos, task_baselines, throughput)

ROOT = Path(__file__).resolve().parent.parent


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    return {"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": usable_cpus(),
            "python": platform.python_version()}


def write_section(out: Path, name: str, results: dict) -> None:
    """Write one section (with today's machine) into the results file `out`, keeping the others."""
    everything = json.loads(out.read_text()) if out.exists() else {}
    everything[name] = {"machine": machine(), **results}
    out.write_text(json.dumps(everything, indent=1))


def peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def table(results: dict) -> str:
    """The README table, in markdown."""
    d = results["denoise_reference"]
    lines = ["| Denoising Fashion-MNIST, sigma 0.2 | test PSNR | SSIM | training seconds |", "|---|---|---|---|",
             f"| noisy input | {d['noisy_psnr']:.2f} dB | | |",
             f"| OpenCV non-local means | {d['nl_means_psnr']:.2f} dB | | |",
             f"| seed recipe (conv AE, {d['reference']['steps']} steps) | {d['reference']['psnr']:.2f} dB "
             f"| {d['reference']['ssim']:.3f} | {d['reference']['seconds']:.0f} |",
             f"| this project's default (median of {len(d['default']['runs'])}) | {d['default']['psnr']:.2f} dB "
             f"| {d['default']['ssim']:.3f} | {d['default']['seconds']:.0f} |",
             "", f"Default denoiser at 15 s: {d['default']['psnr_at_15s']} dB (validation curve); seconds to reach the "
             f"seed recipe's final PSNR: {d['default']['seconds_to_reference']} (seed recipe: "
             f"{d['reference']['seconds']:.0f}; speed-up x{d['speedup_to_reference']}).", "",
             "| task (dataset) | corrupted | best baseline | autoencoder | margin |", "|---|---|---|---|---|"]
    for name, t in results["tasks"].items():
        key = t["margin_metric"]
        label = METRICS.get(key).title.replace(" (dB)", "")
        m = t["median"]
        best = f"{t['best_baseline']} {m[t['best_baseline']][key]:.2f}" if t["best_baseline"] else "none"
        margin = f"{t['margin_db']:+.2f} dB ({label})" if t["margin_db"] is not None else f"({label})"
        corrupted = "none (the clean image)" if m["corrupted"][key] >= PSNR_CAP else f"{m['corrupted'][key]:.2f}"
        lines.append(f"| {name} ({t['dataset']}, {t['budget_seconds']:.0f} s) | {corrupted} | "
                     f"{best} | {m['autoencoder'][key]:.2f} | {margin} |")
    if "losses" in results:
        names = list(dict.fromkeys(loss for row in results["losses"].values() for loss in row["autoencoder"]))
        lines += ["", "| task (same seconds, median of seeds) | " + " | ".join(names) + " | best |",
                  "|---|" + "---|" * (len(names) + 1)]
        for name, row in results["losses"].items():
            lines.append(f"| {name} ({METRICS.get(row['metric']).title.replace(' (dB)', '')}) | " + " | ".join(
                f"{row['autoencoder'][loss]['headline']:.2f}" if loss in row["autoencoder"] else "" for loss in names)
                + f" | {row['best']} |")
    if results.get("fine_tune"):
        lines += ["", *fine_tune.markdown(results["fine_tune"])]
    if results.get("real_photos", {}).get("tasks"):
        lines += ["", *real_photos.markdown(results["real_photos"])]
    lines += ["", *latency.markdown({name: lat for name, lat in results["latency"].items() if name != "machine"})]
    for name, module in applications.modules().items():
        if name in results.get("applications", {}):
            lines += ["", *module.markdown(results["applications"][name])]
    app = results["app"]
    lines += ["", f"App cold start: {app.get('cold_start_seconds', app)} s (median of {len(app.get('launches', []))} "
              f"launches; the first, right after install: {app.get('first_launch_seconds')} s); "
              f"app RSS {app.get('rss_mb')} MB. "
              f"Peak RSS of the training benchmark process: {results['training_peak_rss_mb']} MB."]
    if "throughput" in results:
        lines += ["", *throughput.markdown(results["throughput"])]
    if "overheads" in results:
        lines += ["", *overheads.markdown(results["overheads"])]
    return "\n".join(lines)


def headline(results: dict) -> str:
    """README's one summary table: per task, the brief training's margin over its best classical baseline,
    the shipped model's on real photographs, and a 256x256 restore's time."""
    photos = results.get("real_photos", {}).get("tasks", {})
    budget = "/".join(sorted({f"{t['budget_seconds']:g}" for t in results["tasks"].values()}))
    lines = [f"| task | after {budget} s of training: autoencoder vs best baseline (held-out) | shipped model on real "
             "photographs: margin, photos won | restore 256×256 (median) |", "|---|---|---|---|"]
    for name, t in results["tasks"].items():
        key, m = t["margin_metric"], t["median"]
        trained = (f"{m['autoencoder'][key]:.2f} vs {t['best_baseline']} {m[t['best_baseline']][key]:.2f} dB "
                   f"({t['margin_db']:+.2f})" if t["best_baseline"] else f"{m['autoencoder'][key]:.2f} dB")
        row = photos.get(name)
        real = (f"{row['median']['autoencoder'] - row['median'][row['best_baseline']]:+.2f} dB, {row['wins']} of "
                f"{row['photos']}" if row else "—")
        restore = results.get("latency", {}).get(name, {}).get("restore_256", {}).get("median_ms", "—")
        lines.append(f"| {name} | {trained} | {real} | {restore} ms |")
    app = results["app"]
    lines += ["", f"App cold start {app.get('cold_start_seconds')} s; {results['machine']['date']}, "
              f"{results['machine']['cpu']}, {results['machine']['cores']} cores."]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a reduced run (about 10 minutes)")
    parser.add_argument("--tasks", nargs="*", default=tasks.names())
    parser.add_argument("--applications", nargs="*", default=list(applications.modules()),
                        help="the application benchmarks to run (bench/tasks/; none with an empty list)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--figure", type=Path)
    args = parser.parse_args(argv)
    out = args.out or ROOT / "bench" / ("results-quick.json" if args.quick else "results.json")
    figure_path = args.figure or ROOT / "assets" / ("bench-quick.png" if args.quick else "bench_psnr_vs_seconds.png")
    seeds = 1 if args.quick else 3
    started = time.monotonic()
    results = {"machine": machine(), "quick": args.quick}
    clock = {}  # seconds per section, to keep `make bench-quick` (and the test that runs it) short

    def timed(section, make):
        begun = time.monotonic()
        results[section] = make()
        clock[section] = round(time.monotonic() - begun, 1)

    timed("denoise_reference", lambda: denoise_reference.run(args.quick, seeds))
    timed("tasks", lambda: task_baselines.run(args.tasks, args.quick, seeds))
    timed("losses", lambda: losses.run(args.tasks, args.quick, seeds, results["tasks"]))
    timed("fine_tune", lambda: fine_tune.run([name for name in args.tasks if name in tasks.BUILTIN], args.quick,
                                             seeds))
    results["applications"] = {}
    for name, module in applications.modules().items():
        if name not in args.applications:
            continue
        results["applications"][name] = module.run(args.quick, seeds)
        if hasattr(module, "figure"):
            module.figure(results["applications"][name], ROOT / "assets" / f"bench{'-quick' if args.quick else ''}_{name}.png")
    results["training_peak_rss_mb"] = peak_rss_mb()
    timed("latency", lambda: latency.run(args.tasks, repeats=5 if args.quick else 30))
    timed("real_photos", lambda: real_photos.run(args.quick, args.tasks))
    real_photos.figure(results["real_photos"], args.quick)
    timed("app", lambda: app_start.run(launches=1 if args.quick else 3))
    timed("throughput", lambda: {"machine": results["machine"], **throughput.run(args.quick, seeds, args.tasks)})
    timed("overheads", lambda: {"machine": results["machine"], **overheads.run(args.quick)})
    results["section_seconds"] = clock
    results["total_seconds"] = round(time.monotonic() - started, 1)
    out.write_text(json.dumps(results, indent=1))
    figure.draw(results, figure_path)
    print(headline(results), "", table(results), sep="\n")
    print(f"\n{results['machine']['date']}, {results['machine']['cpu']}, {results['machine']['cores']} cores; "
          f"{results['total_seconds']} s. Wrote {out} and {figure_path}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
