"""The app in a real headless Chromium (Playwright): every tab renders, Train draws its curves.

Screenshots of each tab are written to assets/screenshots/<task>.png (and lessons.png)
for the README. Uses Debian's /usr/bin/chromium; never downloads a browser.
"""

import os
from pathlib import Path

import pytest

from aecore import tasks

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "assets" / "screenshots"
RESULTS_TIMEOUT = 90_000  # ms: a tab's first view computes its comparison and latent map
TRAIN_SECONDS = "8"  # about 1.5 s of it is TensorFlow tracing the training step

PAINTING = [name for name in tasks.names() if tasks.get(name).paint_hint]
CAPTURED_LATER = {tasks.names()[0], *PAINTING}  # screenshots taken after training / painting, below

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(server):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (make system-deps)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(RESULTS_TIMEOUT)
        page.goto(server)
        yield page
        browser.close()


def open_tab(page, title: str) -> None:
    page.get_by_role("tab", name=title, exact=True).click()


def wait_for_plot(page, element_id: str) -> None:
    page.locator(f"#{element_id} img").first.wait_for(state="visible")


def screenshot(page, name: str) -> None:
    """Scroll through the page (images load lazily), then save it whole."""
    height = page.evaluate("document.body.scrollHeight")
    for top in range(0, height, 800):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(100)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("name", tasks.names())
def test_tab_renders_its_controls_and_results(page, name):
    task = tasks.get(name)
    open_tab(page, task.title)
    for control in ("dataset", "corruption", "kind", "budget", "train", "restore", "preview", "architecture"):
        assert page.locator(f"#{name}-{control}").first.is_visible(), f"{name}: no visible #{name}-{control}"
    wait_for_plot(page, f"{name}-grid")  # the side-by-side grid of the model in use
    wait_for_plot(page, f"{name}-latent-map")
    assert page.locator(f"#{name}-table").get_by_text("Autoencoder").first.is_visible()
    if name not in CAPTURED_LATER:
        screenshot(page, name)


def test_train_draws_the_loss_plot(page):
    name = tasks.names()[0]
    open_tab(page, tasks.get(name).title)
    budget = page.locator(f"#{name}-budget input[type=number]")
    budget.fill(TRAIN_SECONDS)
    budget.press("Enter")
    page.locator(f"#{name}-train").click()
    wait_for_plot(page, f"{name}-curves")
    page.locator(f"#{name}-status").get_by_text("Done").wait_for(state="visible")
    assert "dB after" in page.locator(f"#{name}-status").inner_text()
    page.locator(f"#{name}-model-note").get_by_text("Your model").wait_for(state="visible")  # results refreshed
    screenshot(page, name)


@pytest.mark.parametrize("name", PAINTING)
def test_painting_tasks_restore_the_painted_region(page, name):
    open_tab(page, tasks.get(name).title)
    page.locator(f"#tab-{name}").get_by_role("button", name="Load a test image").click()
    canvas = page.locator(f"#{name}-editor canvas").first
    canvas.wait_for(state="visible")
    page.wait_for_timeout(1500)  # the editor draws the loaded image
    box = canvas.bounding_box()
    left, middle = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5
    page.mouse.move(left, middle)
    page.mouse.down()
    for step in range(1, 11):  # a horizontal stroke across the middle of the image
        page.mouse.move(left + step * box["width"] * 0.04, middle, steps=2)
    page.mouse.up()
    page.locator(f"#{name}-restore").click()
    page.locator(f"#{name}-restored img").wait_for(state="visible")
    page.locator(f"#tab-{name}").get_by_text("painted mask").first.wait_for(state="visible")
    screenshot(page, name)


def test_lessons_tab_renders(page):
    open_tab(page, "Lessons")
    text = page.locator("#lesson-text")
    text.wait_for(state="visible")
    assert text.inner_text().strip()
    screenshot(page, "lessons")



def test_a_tab_opens_its_lesson_and_the_lesson_leads_back(page):
    task = tasks.get(tasks.names()[-1])
    open_tab(page, task.title)
    page.locator(f"#{task.name}-lesson").click()  # the walkthrough's button for the task's own lesson
    text = page.locator("#lesson-text")
    text.get_by_text(f"Try it: the {task.title} tab").first.wait_for(state="visible")
    page.locator("#lesson-back").click()  # "Try it: open the ... tab"
    page.locator(f"#{task.name}-restore").wait_for(state="visible")
    assert not text.is_visible()
