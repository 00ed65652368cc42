"""A student's work survives a page reload and a server restart during a lesson.

The app runs as a server process of its own (as `make demo` starts it) with a private cache folder;
a real browser trains a model, the server is stopped and started again, the page is reloaded, and
the model is still the student's. A second browser (another student) never sees it.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import free_port, skip_missing
from test_browser import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_MISSING, open_section

sync_api = pytest.importorskip("playwright.sync_api")
httpx = pytest.importorskip("httpx")
ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def start(port: int, cache: Path, **settings: str) -> subprocess.Popen:
    """`make demo`'s server on `port` with a private cache folder (and any more environment `settings`)."""
    env = {**os.environ, "AECORE_CACHE": str(cache), "AECORE_OFFLINE": "1", "GRADIO_SERVER_NAME": "127.0.0.1",
           "GRADIO_TEMP_DIR": tempfile.mkdtemp(prefix="aecore-tests-gradio-"),  # its uploads its own (conftest.py)
           "GRADIO_SERVER_PORT": str(port), **settings}
    server = subprocess.Popen([sys.executable, "-m", "demo.app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(1)
    server.kill()
    raise AssertionError("the app did not start within 180 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=60)


def reopen(page, url: str) -> None:
    """Load the page again after a restart (the old page, reconnecting on its own, may abort the first try)."""
    for attempt in range(3):
        try:
            page.goto(url, wait_until="commit")
            return
        except sync_api.Error:
            if attempt == 2:
                raise
            time.sleep(2)


def test_a_trained_model_survives_a_reload_and_a_restart(tmp_path):
    if not CHROMIUM.exists():
        skip_missing(CHROMIUM_MISSING)
    port, url = free_port(), None
    url = f"http://127.0.0.1:{port}/"
    server = start(port, tmp_path / "cache")
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            student = browser.new_context().new_page()
            student.set_default_timeout(150_000)
            student.goto(url)
            student.locator("#denoise-hero img").first.wait_for(state="visible")
            open_section(student, "denoise", "train")
            budget = student.locator("#denoise-budget input[type=number]")
            budget.fill("3")
            budget.press("Enter")
            student.locator("#denoise-train").click()
            student.locator("#denoise-status").get_by_text("Done").wait_for(state="visible")
            note = student.locator("#denoise-model-note")
            note.get_by_text("Your model").wait_for(state="visible")

            student.reload(wait_until="commit")  # a reload: the page forgets everything, the server does not
            note.get_by_text("Your model").wait_for(state="visible")

            stop(server)
            server = start(port, tmp_path / "cache")  # a restart during the lesson
            reopen(student, url)
            note.get_by_text("Your model").wait_for(state="visible")
            assert "restored" in note.inner_text()

            classmate = browser.new_context().new_page()  # another browser: another student
            classmate.set_default_timeout(150_000)
            classmate.goto(url)
            classmate.locator("#denoise-model-note").get_by_text("Pretrained weights").wait_for(state="visible")
            assert "Your model" not in classmate.locator("#denoise-model-note").inner_text()
            browser.close()
    finally:
        stop(server)
