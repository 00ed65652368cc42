"""Smoke check of `make bench-quick`: it runs end to end and its output has the expected form."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_runs_and_reports(tmp_path):
    out, figure = tmp_path / "results.json", tmp_path / "figure.png"
    done = subprocess.run([sys.executable, "-m", "bench.run", "--quick", "--tasks", "denoise", "--applications",
                           "--out", str(out), "--figure", str(figure)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text())
    assert {"machine", "denoise_reference", "tasks", "latency", "app", "training_peak_rss_mb", "throughput",
            "overheads"} <= set(results)
    reference = results["denoise_reference"]
    assert reference["reference"]["psnr"] > reference["noisy_psnr"]  # even one epoch of the seed recipe helps
    assert reference["default"]["runs"][0]["curve"]  # PSNR against seconds, for the figure
    task = results["tasks"]["denoise"]
    assert {"corrupted", "nl_means", "autoencoder"} <= set(task["median"])
    assert results["latency"]["denoise"]["restore_256"]["median_ms"] > 0
    fine_tuned = results["fine_tune"]["denoise"]  # Train pressed on the tab's defaults: before -> after
    assert len(fine_tuned["after"]) == 1 and fine_tuned["kept_median"] >= fine_tuned["before"]
    assert "| task | after 2 s of training" in done.stdout  # README's headline table
    photos = results["real_photos"]["tasks"]["denoise"]  # the denoiser's photo model on two real photographs
    assert photos["photos"] == 2 and photos["median"]["autoencoder"] > photos["median"]["corrupted"]
    assert "| denoise (PSNR) |" in done.stdout
    assert "cold_start_seconds" in results["app"] or "skipped" in results["app"]
    assert figure.stat().st_size > 10_000
    assert "| denoise (digits" in done.stdout and "App cold start" in done.stdout
    assert set(results["throughput"]["tasks"]) == {"denoise"}  # only the tasks asked for
    for section in ("threads", "input", "callback", "tracing", "concatenation"):
        rows = [row for row in results["overheads"][section].values() if isinstance(row, dict)]
        assert rows and all(row.get("images_per_s", 0) > 0 for row in rows), section
    assert "| threads: intra 2, inter 2" in done.stdout
