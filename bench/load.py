"""`make load`: a class on one server. Simulated students (one gradio_client session each) restore a photo on
every tab while 3 of them train at once, against the app started as `make demo` starts it.

    python -m bench.load [--students 10 20 30] [--rounds 2] [--pauses 5 0] [--clients-nice 0] [--out bench/load.json]

Reports, per class size and pause: requests and failures, restore latency p50/p95 while training runs, the
trainers' wait in the queue, and the server's peak resident memory. Not a pass/fail test: numbers for README.

Two ways a class clicks: students who look at each result before the next click (a pause drawn between
half and one and a half times `--pauses`, 5 s by default: a class), and students who click again the moment
a result arrives (pause 0: a stress test, where the class's 27 clients and the server share the 2 cores).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from aecore import tasks
from aecore.images import save_image

ROOT = Path(__file__).resolve().parent.parent
TRAINERS = 3
TRAIN_SECONDS = 10
JOIN_TIMEOUT = 60  # seconds between bytes a client waits (httpx's default, 5 s, cuts off a class that joins at once)


def start_app(port: int, cache: str) -> subprocess.Popen:
    import httpx

    env = {**os.environ, "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1", "AECORE_CACHE": cache}
    app = subprocess.Popen([sys.executable, "-m", "demo.app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    for _ in range(240):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                return app
        except httpx.HTTPError:
            time.sleep(1)
    app.kill()
    raise RuntimeError("the app did not start")


def peak_rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def photo(folder: Path) -> Path:
    from skimage import data as skimage_data

    path = folder / "photo.png"
    save_image(path, skimage_data.astronaut()[::2, ::2])  # 256x256 RGB
    return path


def join(url: str, joins: list, failures: list, nice: int = 0):
    """A gradio_client session, as a student's page load: it reads the app's config (1.3 MB, every tab's
    layout and events), the same as a browser does. None if it fails (counted). With `nice` > 0 this
    thread (and the client's threads it starts) yields the cores to the server, as laptops would."""
    from gradio_client import Client

    if nice:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)  # Linux: one thread's priority
    started = time.perf_counter()
    try:
        client = Client(url, verbose=False, httpx_kwargs={"timeout": JOIN_TIMEOUT})
    except Exception as error:  # noqa: BLE001  (counted and reported)
        failures.append(f"join: {type(error).__name__} {str(error)[:120]}")
        return None
    joins.append(time.perf_counter() - started)
    return client


def student(url: str, image: Path, rounds: int, pause: float, latencies: list, failures: list, joins: list,
            nice: int = 0) -> None:
    from gradio_client import handle_file

    client = join(url, joins, failures, nice)
    if client is None:
        return
    looks = random.Random(threading.get_ident())  # each student looks at results for their own times
    for _ in range(rounds):
        for name in tasks.names():
            time.sleep(pause * looks.uniform(0.5, 1.5))  # looking at the last result (or opening the tab)
            started = time.perf_counter()
            try:
                client.predict(handle_file(str(image)), True, api_name=f"/{name}")
                latencies.append((started, time.perf_counter() - started, name))
            except Exception as error:  # noqa: BLE001  (counted and reported)
                failures.append(f"/{name}: {str(error)[:160]}")


def trainer(url: str, waits: list, windows: list, failures: list, joins: list, nice: int = 0) -> None:
    """Train once through the API; its wait is the time its job stays in the queue (as the client sees it)."""
    from gradio_client.utils import Status

    client = join(url, joins, failures, nice)
    if client is None:
        return
    try:
        submitted = time.perf_counter()
        job = client.submit(TRAIN_SECONDS, "from scratch", api_name=f"/{tasks.names()[0]}_train")
        while not job.done() and job.status().code in (Status.STARTING, Status.JOINING_QUEUE, Status.IN_QUEUE):
            time.sleep(0.2)
        waits.append(round(time.perf_counter() - submitted))
        job.result()
        windows.append((submitted, time.perf_counter()))
    except Exception as error:  # noqa: BLE001
        failures.append(f"train: {str(error)[:160]}")


def percentiles(name: str, latencies: list) -> dict:
    ordered = sorted(latencies)
    return {f"{name}_p50_s": round(statistics.median(ordered), 2) if ordered else None,
            f"{name}_p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 2) if ordered else None}


def measure(students: int, rounds: int, image: Path, pause: float, nice: int = 0) -> dict:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as cache:
        app = start_app(port, cache)
        url = f"http://127.0.0.1:{port}/"
        latencies, failures, waits, windows, joins = [], [], [], [], []
        threads = [threading.Thread(target=trainer, args=(url, waits, windows, failures, joins, nice))
                   for _ in range(TRAINERS)]
        threads += [threading.Thread(target=student, args=(url, image, rounds, pause, latencies, failures, joins,
                                                           nice)) for _ in range(students - TRAINERS)]
        started, server_cpu, client_cpu = time.monotonic(), cpu_seconds(app.pid), cpu_seconds(os.getpid())
        clock_zero = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
        server_cpu, client_cpu = cpu_seconds(app.pid) - server_cpu, cpu_seconds(os.getpid()) - client_cpu
        rss = peak_rss_mb(app.pid)
        app.terminate()
        app.wait(timeout=60)
    training = (min(start for start, _ in windows), max(end for _, end in windows)) if windows else (0.0, 0.0)
    during = [seconds for start, seconds, _ in latencies if training[0] <= start <= training[1]]
    slowest = sorted(latencies, key=lambda request: -request[1])[:max(1, len(latencies) // 20)]
    return {"students": students, "pause_s": pause, "clients_nice": nice, "trainers": TRAINERS,
            "requests": len(latencies) + len(failures),
            "failures": len(failures), "failure_examples": failures[:5],
            **percentiles("restore", [seconds for _, seconds, _ in latencies]),
            **percentiles("restore_while_training", during), "while_training_requests": len(during),
            **percentiles("join", joins),
            "training_window_s": round(training[1] - training[0], 1),
            "trainer_wait_s": waits, "server_peak_rss_mb": rss, "seconds": round(seconds, 1),
            "server_cpu_s": round(server_cpu, 1), "clients_cpu_s": round(client_cpu, 1),
            # The slowest 5% (what p95 is made of): seconds after the start, tab, latency; and the training window.
            "slowest": [(round(start - clock_zero, 1), name, round(seconds, 2)) for start, seconds, name in slowest],
            "training_from_to_s": [round(training[0] - clock_zero, 1), round(training[1] - clock_zero, 1)]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="*", default=[10, 20, 30])
    parser.add_argument("--rounds", type=int, default=2, help="times each student restores on every tab")
    parser.add_argument("--pauses", type=float, nargs="*", default=[5.0, 0.0],
                        help="seconds a student looks at a result before the next click (0: a stress test)")
    parser.add_argument("--clients-nice", type=int, default=0,
                        help="run the simulated clients at this nice value (10: the server gets the cores first)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "load.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        image = photo(Path(folder))
        results = [measure(count, args.rounds, image, pause, args.clients_nice)
                   for pause in args.pauses for count in args.students]
    args.out.write_text(json.dumps(results, indent=1))
    print("| students | pause | requests | failures | joining p50 / p95 | restore p50 / p95 | p50 / p95 while 3 train "
          "| trainers' wait | server peak RSS | seconds | CPU seconds: server / the simulated clients |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['students']} | {r['pause_s']:g} s | {r['requests']} | {r['failures']} "
              f"| {r['join_p50_s']} / {r['join_p95_s']} s "
              f"| {r['restore_p50_s']} / {r['restore_p95_s']} s "
              f"| {r['restore_while_training_p50_s']} / {r['restore_while_training_p95_s']} s "
              f"| {', '.join(f'{w} s' for w in r['trainer_wait_s'] if w is not None)} | {r['server_peak_rss_mb']} MB "
              f"| {r['seconds']} | {r['server_cpu_s']} / {r['clients_cpu_s']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
