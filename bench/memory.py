"""The app's memory over a long session: one student in Chromium goes round every tab for `--minutes` (40 by
default, the length of the class test that found the app at 4 GB), and the server's resident memory is read
every few seconds.

    python -m bench.memory [--minutes 40] [--out bench/memory.json] [--keep-as-before "before the fixes"]

Each round, on every tab: open the tab, open each section (its figures are drawn), train for 2 s (from the
pretrained model, or from scratch every other round), upload a real photograph and restore it. The app runs
as `make demo` starts it. Writes the samples to --out and draws assets/bench_memory.png (RSS over time, the
rounds marked). First, what one training adds at its peak, per task (bench/training_memory.py). Not a pass/fail
test: numbers for README (target: at most 2.5 GB).
"""

import argparse
import json
import socket
import tempfile
import time
from pathlib import Path

from aecore import tasks
from aecore.data.photos import real_photographs
from aecore.images import save_image
from bench import training_memory
from bench.load import start_app
from demo.task_tab.train import MODES
from demo.tasks import tab_of

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
TIMEOUT = 240_000  # ms: a first view on a busy machine
FINAL = r"/Done|worse|could not|cannot|stopped/i"  # a training's last status line


def rss_mb(pid: int) -> tuple[int, int]:
    """(resident now, peak) of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def idle(page) -> None:
    """Until the page shows nothing in progress."""
    page.wait_for_function("() => !document.querySelector('.wrap.generating, .wrap.pending, .eta-bar')")


def one_tab(page, name: str, photo: Path, scratch: bool, sample) -> None:
    task = tasks.get(name)
    page.get_by_role("tab", name=task.title, exact=True).first.click()
    page.locator(f"#{name}-hero img").first.wait_for(state="visible")
    for view in tab_of(task).sections:
        page.locator(f"#{name}-section-{view}-button").click()
        idle(page)
        if view == "train":
            budget = page.locator(f"#{name}-budget input[type=number]")
            budget.fill("2")
            budget.press("Enter")
            start = MODES[1] if scratch else MODES[0]
            page.locator(f"#{name}-section-train input[type=radio][value='{start}']").click()
            page.locator(f"#{name}-train").click()
            page.wait_for_function(f"""() => {FINAL}.test(document.querySelector('#{name}-status').innerText)""")
        elif view == "try" and task.paint is None and page.locator(f"#{name}-image input[type=file]").count():
            page.locator(f"#{name}-image input[type=file]").first.set_input_files(str(photo))
            idle(page)
            page.locator(f"#{name}-restore").click()
            page.locator(f"#{name}-restored img").first.wait_for(state="visible")
            idle(page)
        sample(f"{name} {view}")


def measure(minutes: float, photo: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    samples, rounds, errors = [], [], []
    with tempfile.TemporaryDirectory() as cache, sync_playwright() as playwright:
        app = start_app(port, cache)
        started = time.monotonic()

        def sample(label: str = ""):
            samples.append((round(time.monotonic() - started, 1), *rss_mb(app.pid), label))

        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.set_default_timeout(TIMEOUT)
        page.goto(f"http://127.0.0.1:{port}/")
        sample()
        try:
            while time.monotonic() - started < minutes * 60:
                for name in tasks.BUILTIN:
                    try:
                        one_tab(page, name, photo, len(rounds) % 2 == 1, sample)
                    except Exception as error:  # noqa: BLE001  (counted and reported; the session goes on)
                        errors.append(f"round {len(rounds) + 1}, {name}: {str(error).splitlines()[0][:160]}")
                        page.reload()
                rounds.append(round(time.monotonic() - started, 1))
        finally:
            browser.close()
            app.terminate()
            app.wait(timeout=60)
    return {"minutes": minutes, "rounds": rounds, "errors": errors, "samples": samples,
            "start_mb": samples[0][1], "end_mb": samples[-1][1], "peak_mb": max(peak for _, _, peak, _ in samples)}


def figure(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    seconds, rss, *_ = zip(*result["samples"])
    fig, axis = plt.subplots(figsize=(7, 3.2), dpi=120)
    if result.get("before"):  # an earlier run kept for comparison (`--keep-as-before`)
        then, then_rss, *_ = zip(*result["before"]["samples"])
        axis.plot([s / 60 for s in then], then_rss, color="#aaaaaa", label=result["before"]["label"])
    axis.plot([s / 60 for s in seconds], rss, color="#1f5fa8", label="server RSS")
    for end in result["rounds"]:
        axis.axvline(end / 60, color="#bbbbbb", linewidth=0.8)
    axis.axhline(2500, color="#c0392b", linestyle="--", label="target: 2.5 GB")
    axis.set(xlabel="minutes (grey lines: a round of all eight tabs done)", ylabel="MB", ylim=(0, None),
             title="One student, every tab, trained and restored again and again")
    axis.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=40)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "memory.json")
    parser.add_argument("--figure", type=Path, default=ROOT / "assets" / "bench_memory.png")
    parser.add_argument("--keep-as-before", metavar="LABEL",
                        help="keep the run now in --out, drawn in grey under this label, beside the new one")
    args = parser.parse_args(argv)
    before = None
    if args.keep_as_before and args.out.exists():
        before = {"label": args.keep_as_before, **json.loads(args.out.read_text())}
        before.pop("before", None)
    peaks = training_memory.run(list(tasks.BUILTIN))  # first, on a quiet machine: what one Train press adds
    print("\n".join(training_memory.markdown(peaks)))
    with tempfile.TemporaryDirectory() as folder:
        photo = Path(folder) / "photo.png"
        save_image(photo, next(iter(real_photographs().values())))
        result = measure(args.minutes, photo)
    result["training_peaks"] = peaks
    if before:
        result["before"] = before
    args.out.write_text(json.dumps(result, indent=1))
    figure(result, args.figure)
    print(f"{len(result['rounds'])} rounds of every tab in {args.minutes:g} min; server RSS {result['start_mb']} MB "
          f"at the start, {result['end_mb']} MB at the end, peak {result['peak_mb']} MB; "
          f"{len(result['errors'])} errors" + "".join(f"\n  {e}" for e in result["errors"][:10]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
