"""How much memory one brief training adds at its peak, per task: the part of the server's peak a Train press makes.

    python -m bench.training_memory [--tasks denoise colorize ...]

Each task runs in a fresh process: its data loaded and one tiny training done first (TensorFlow's runtime, the
model's code), then the peak resident memory is reset (/proc/self/clear_refs) and a training with the tab's
defaults runs for a few seconds. Making the training images is most of the peak, so a short budget shows it.
Reported: the resident memory before and the peak above it, in MB. Also a section of `make memory`.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

from aecore import tasks

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 3


def child(name: str) -> dict:
    """In this process: the peak one default training of `name` adds."""
    import gc
    import os

    from aecore import data
    from bench.memory import rss_mb  # (here: bench.memory imports this module)
    from aecore.train import TrainConfig, sample_count, train

    setup = tasks.new_setup(name)
    data.load(setup.dataset)
    train(setup, TrainConfig(seconds=0.5, samples=64))  # the runtime and the model's code, before the count
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
    before, _ = rss_mb(os.getpid())
    train(setup, TrainConfig(seconds=SECONDS))
    _, peak = rss_mb(os.getpid())
    return {"before_mb": before, "peak_added_mb": peak - before, "images": sample_count(setup, TrainConfig())}


def run(names: list[str]) -> dict:
    results = {}
    for name in names:
        done = subprocess.run([sys.executable, "-m", "bench.training_memory", "--child", name], cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
        results[name] = (json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else
                         {"error": (done.stderr.strip().splitlines() or ["no output"])[-1][:200]})
    return results


def markdown(results: dict) -> list[str]:
    lines = [f"| task (defaults, {SECONDS} s) | training images | process before | one training's peak above it |",
             "|---|---|---|---|"]
    for name, row in results.items():
        lines.append(f"| {name} | fails: {row['error']} | | |" if "error" in row else
                     f"| {name} | {row['images']:,} | {row['before_mb']} MB | +{row['peak_added_mb']} MB |")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="*", default=list(tasks.BUILTIN))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    print("\n".join(markdown(run(args.tasks))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
