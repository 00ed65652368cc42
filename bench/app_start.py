"""App cold start (launch to first HTTP 200 of the page) and the app's resident memory.

The app is launched three times and the median reported; the first launch after an install
is slower (Python compiles the packages' bytecode, the disk cache is cold), so it is reported too.
"""

import os
import statistics
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_kb(pid: int) -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def run(launches: int = 3) -> dict:
    if not (ROOT / "demo" / "app.py").is_file():
        return {"skipped": "demo/app.py does not exist yet"}
    runs = [launch() for _ in range(launches)]
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    return {"cold_start_seconds": statistics.median(r["seconds"] for r in runs),
            "first_launch_seconds": runs[0]["seconds"], "launches": [r["seconds"] for r in runs],
            "rss_mb": runs[-1]["rss_mb"], "peak_rss_mb": runs[-1]["peak_rss_mb"]}


def launch(timeout: float = 120.0) -> dict:
    """Start `python -m demo.app`, wait for the page, read its memory, stop it."""
    port = free_port()
    env = {**os.environ, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port),
           "GRADIO_ANALYTICS_ENABLED": "False"}
    started = time.monotonic()
    app = subprocess.Popen([sys.executable, "-m", "demo.app"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - started < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    if response.status == 200:
                        seconds = time.monotonic() - started
                        break
            except OSError:
                time.sleep(0.1)
        else:
            return {"error": f"no HTTP 200 within {timeout} s"}
        memory = memory_kb(app.pid)
        return {"seconds": round(seconds, 2), "rss_mb": round(memory["VmRSS"] / 1024),
                "peak_rss_mb": round(memory["VmHWM"] / 1024)}
    finally:
        app.terminate()
        app.wait(timeout=20)
