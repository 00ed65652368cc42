"""The app in a real headless Chromium (Playwright), the way a teacher projects it and a class uses it.

Every tab shows its picture row first and every section a click away; training draws its curves where
they can be watched; painting a mask restores the painted region. Every control at its extremes:
test_browser_controls.py; the lessons in the app: test_browser_lessons.py (each file has its own server
and browser, so the two test workers can run them side by side).
Screenshots of each tab at 1280x720 (a projector) and 390x844 (a phone) are written to assets/screenshots/. Uses Debian's /usr/bin/chromium;
never downloads a browser.
"""

import re
from pathlib import Path

import pytest

from aecore import data, tasks
from conftest import skip_missing
from demo.task_tab.try_image import brush_for
from demo.tasks import tab_of

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = f"{CHROMIUM}: Debian's chromium (apt-get install chromium)"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "assets" / "screenshots"
RESULTS_TIMEOUT = 240_000  # ms: a tab's first view computes its comparison and latent map (slow on a busy machine)
TRAIN_SECONDS = "8"
PROJECTOR, PHONE = {"width": 1280, "height": 720}, {"width": 390, "height": 844}
OWN = tasks.BUILTIN  # screenshots only of the project's own tabs (a toy task from a test file has none)
PAINTING = [name for name in tasks.names() if tasks.get(name).paint is not None]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(server):
    if not CHROMIUM.exists():
        skip_missing(CHROMIUM_MISSING)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser, server, viewport=PROJECTOR):
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(RESULTS_TIMEOUT)
    page.goto(server)
    return page


@pytest.fixture(scope="module")
def page(browser, server):
    page = new_page(browser, server)
    yield page
    page.close()


def open_tab(page, title: str) -> None:
    page.get_by_role("tab", name=title, exact=True).first.click()


def open_section(page, name: str, view: str) -> None:
    page.locator(f"#{name}-section-{view}-button").click()


def wait_for_plot(page, element_id: str) -> None:
    page.locator(f"#{element_id} img").first.wait_for(state="visible")


def broken_images(page) -> list[str]:
    """The src of every <img> on the page that finished loading without pixels."""
    return page.evaluate("""Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0 &&
                            i.getAttribute('src')).map(i => i.getAttribute('src'))""")


def wordless_pictures(page) -> list[str]:
    """The id of the component around every picture showing whose alt text says nothing (empty, or Gradio's
    "undefined plot ..."): a screen reader has only that to say what it shows."""
    return page.evaluate("""Array.from(document.images).filter(i => i.offsetParent && i.getAttribute('src'))
        .filter(i => !(i.getAttribute('alt') || '').trim() || i.getAttribute('alt').includes('undefined'))
        .map(i => (i.closest('[id]') || {id: '?'}).id)""")


def unclear_captions(page, gallery: str) -> list[str]:
    """What is wrong with the captions of the gallery `gallery` (a CSS selector) as drawn: under 16 px, over its
    picture, or out of sight behind an inner scroll bar."""
    return page.evaluate("""(selector) => {
      const gallery = document.querySelector(selector), problems = [];
      const wrap = gallery.querySelector('.grid-wrap');
      if (wrap && wrap.scrollHeight > wrap.clientHeight + 1) problems.push('an inner scroll bar');
      gallery.querySelectorAll('.caption-label').forEach(caption => {
        const picture = caption.parentElement.querySelector('img').getBoundingClientRect();
        const box = caption.getBoundingClientRect();
        if (parseFloat(getComputedStyle(caption).fontSize) < 16) problems.push(caption.innerText + ': under 16 px');
        if (box.top < picture.bottom - 1) problems.push(caption.innerText + ': over its picture');
        if (box.bottom > gallery.getBoundingClientRect().bottom + 1) problems.push(caption.innerText + ': cut off');
      });
      return problems; }""", gallery)


def shoot(page, name: str) -> None:
    """A screenshot of the tab as `make demo` shows it: a task registered by a test file has no tab there."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    foreign = [tasks.get(other).title for other in tasks.names() if other not in OWN]
    hide = """titles => document.querySelectorAll('[role=tab]').forEach(tab => {
                  if (titles.includes(tab.innerText.trim())) tab.style.display = '%s'; })"""
    page.evaluate(hide % "none", foreign)
    page.wait_for_function("() => !document.querySelector('.generating, .pending')", timeout=60_000)  # all drawn
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"))
    page.evaluate(hide % "", foreign)


def messages(page) -> list[str]:
    """The text of every toast and error block showing."""
    return page.evaluate("""Array.from(document.querySelectorAll('.toast-body, .error, [data-testid=toast-body]'))
                            .filter(e => e.offsetParent).map(e => e.innerText.trim())""")


def wordless(message: str) -> bool:
    """A message that does not name a problem: nothing but "Error"/"Warning" and a close mark."""
    return len(re.sub(r"\b(error|warning|info)\b|[×✕]", " ", message, flags=re.I).split()) < 3


def bare_errors(page) -> list[str]:
    """Toasts or blocks showing that say "Error" (or "Warning") and nothing more."""
    return [message for message in messages(page) if wordless(message)]


def check_tab(page, name: str) -> None:
    """The tab of task `name`, opened on `page` (at the projector's size): its picture row first, every section a
    click away with its pictures drawn, a screenshot at both sizes, and every tab in the row on a phone. The
    project's own tabs are checked so by test_browser_controls.py before it sweeps their controls (one first
    view per tab, not two); a task registered by a test file is checked here."""
    task = tasks.get(name)
    open_tab(page, task.title)
    hero = page.locator(f"#{name}-hero img")
    hero.first.wait_for(state="visible")
    box = page.locator(f"#{name}-hero").bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"], "the picture row fits the projector's first screen"
    assert unclear_captions(page, f"#{name}-hero") == []
    example = page.locator(f"#{name}-hero-example input")
    page.wait_for_function("input => input.value !== ''", arg=example.element_handle())
    assert f"Held-out example {example.input_value()} of" in page.locator(f"#{name}-hero-summary").inner_text()
    for view in tab_of(task).sections:
        open_section(page, name, view)
        assert page.locator(f"#{name}-section-{view}").is_visible()
    if "compare" in tab_of(task).sections:
        open_section(page, name, "compare")
        wait_for_plot(page, f"{name}-grid")
    if "latent" in tab_of(task).sections:  # the tab's first view is complete: the next tab does not queue behind it
        open_section(page, name, "latent")
        wait_for_plot(page, f"{name}-latent-map")
    assert wordless_pictures(page) == []
    if name in OWN:
        shoot(page, name)
    page.set_viewport_size(PHONE)  # the same page on a phone: every tab in the row (none behind a "..." menu)
    try:
        page.get_by_role("tab", name=task.title, exact=True).first.wait_for(state="visible")
        titles = [tasks.get(other).title for other in tasks.names()] + ["Lessons"]
        assert not [title for title in titles if not page.get_by_role("tab", name=title, exact=True).first.is_visible()]
        page.wait_for_function(f"""() => Array.from(document.querySelectorAll('#{name}-hero img'))
                                    .every(img => img.complete && img.naturalWidth > 0)""")
        assert broken_images(page) == [] and bare_errors(page) == []
        assert unclear_captions(page, f"#{name}-hero") == []
        if name in OWN:
            shoot(page, name)
    finally:
        page.set_viewport_size(PROJECTOR)


@pytest.mark.parametrize("name", [name for name in tasks.names() if name not in OWN])
def test_a_tab_shows_its_picture_first_and_every_section_a_click_away(page, name):
    check_tab(page, name)


def test_training_curves_can_be_watched_while_it_trains(page):
    name = tasks.names()[0]
    open_tab(page, tasks.get(name).title)
    open_section(page, name, "train")
    budget = page.locator(f"#{name}-budget input[type=number]")
    budget.fill(TRAIN_SECONDS)
    budget.press("Enter")
    page.get_by_text("from scratch", exact=True).first.click()
    page.locator(f"#{name}-train").click()
    status = page.locator(f"#{name}-status")
    status.get_by_text("Training from scratch").wait_for(state="visible")
    page.wait_for_function(f"""() => {{ const img = document.querySelector('#{name}-curves img');
        return img && img.naturalWidth > 0; }}""")  # a curve drawn while training runs
    assert "Done" not in status.inner_text(), "the curve appeared before training ended"
    # A second click while it trains is answered in the status line (no bare "Error" badge), which the training's
    # next report soon overwrites: every text the status line shows is recorded.
    page.evaluate(f"""() => {{ const line = document.querySelector('#{name}-status'); window.statusSeen = [];
        new MutationObserver(() => window.statusSeen.push(line.innerText))
            .observe(line, {{subtree: true, childList: true, characterData: true}}); }}""")
    page.locator(f"#{name}-train").click()
    page.wait_for_function("() => window.statusSeen.some(text => text.includes('Already training'))")
    assert bare_errors(page) == []
    curves = page.locator(f"#{name}-curves")
    covered = curves.locator(".wrap.generating, .eta-bar").count()
    assert covered == 0 and curves.locator("img").first.is_visible(), "no progress overlay hides the curves"
    status.get_by_text("Done").wait_for(state="visible")
    assert re.search(r"waited \d+ s, prepared [\d.]+ s, trained [\d.]+ s "
                     r"\([\d,]+ training images, batch \d+, \d+ batch(es)? per call, float32\), scored [\d.]+ s", status.inner_text())
    page.locator(f"#{name}-model-note").get_by_text("Your model").wait_for(state="visible")  # results refreshed
    # On a phone the curves keep a readable size (scrolled sideways from their left edge) and no label covers them
    page.set_viewport_size(PHONE)
    try:
        drawn = page.evaluate(f"""() => {{ const box = document.querySelector('#{name}-curves');
            const img = box.querySelector('img'); const label = box.querySelector('[data-testid=block-label]');
            return {{img: img.getBoundingClientRect().width, natural: img.naturalWidth,
                     label: !!(label && label.offsetParent),
                     cut: img.getBoundingClientRect().left < box.getBoundingClientRect().left - 1}}; }}""")
        assert drawn["img"] >= 0.75 * drawn["natural"] and not drawn["label"] and not drawn["cut"], drawn
    finally:
        page.set_viewport_size(PROJECTOR)


def test_the_sketch_pad_draws_at_once_and_both_models_redraw_the_lines(page):
    """No tool to pick first (the page picks the brush: demo/tasks/edges_to_image/draw.py): a stroke on the pad is a line, and
    the GAN and the L1 model draw what it outlines."""
    name = "edges_to_image"
    open_tab(page, tasks.get(name).title)
    open_section(page, name, "draw")
    canvas = page.locator(f"#{name}-sketchpad canvas").first
    canvas.wait_for(state="visible")
    page.locator(f"#{name}-sketchpad button[aria-label=Brush].highlight").wait_for()  # the brush in hand, unasked
    canvas.scroll_into_view_if_needed()  # the mouse draws only where the page shows the pad
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    for x, y in ((0.7, 0.2), (0.7, 0.8), (0.3, 0.8), (0.3, 0.2)):  # a box outline
        page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] * y, steps=8)
    page.mouse.up()
    for picture in ("sketch-edges", "sketch-generated", "sketch-l1"):
        page.locator(f"#{name}-{picture} img").first.wait_for(state="visible")
    assert bare_errors(page) == []


@pytest.mark.parametrize("name", PAINTING)
def test_painting_tasks_restore_the_painted_region(page, name):
    # A test image: a photo uploaded into the editor takes headless Chromium 30-70 s (the editor's hundreds of
    # uploads); the shrinking of a phone-sized photo on arrival is test_app.py's test of fit_editor.
    open_tab(page, tasks.get(name).title)
    open_section(page, name, "try")
    page.locator(f"#{name}-section-try").get_by_role("button", name="Load a test image").click()
    canvas = page.locator(f"#{name}-editor canvas").first
    canvas.wait_for(state="visible")
    # The brush is sized to the picture (demo/task_tab/try_image.py brush_for), once the editor has it
    task = tasks.get(name)
    height, width = data.load(task.dataset).x_test.shape[1:3]
    page.locator(f"#{name}-editor button[aria-label='Brush Size']").click()
    size = page.locator(f"#{name}-editor input[type=range]")
    page.wait_for_function("([input, wanted]) => input.value === wanted",
                           arg=[size.element_handle(), str(brush_for(height, width).default_size)])
    page.locator(f"#{name}-editor button[aria-label='Brush Size']").click()
    page.wait_for_function(f"() => !document.querySelector('#{name}-editor .progress-text')")  # drawn, not busy
    page.locator(f"#{name}-section-try").get_by_label(tab_of(task).apply_label).uncheck()  # no random damage: the painted stroke is the only mask
    box = canvas.bounding_box()
    left, middle = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5
    page.mouse.move(left, middle)
    page.mouse.down()
    for step in range(1, 11):  # a horizontal stroke across the middle of the image
        page.mouse.move(left + step * box["width"] * 0.04, middle, steps=2)
    page.mouse.up()
    page.locator(f"#{name}-restore").click()
    page.locator(f"#{name}-restored img").wait_for(state="visible")  # without the stroke: "Paint where ..."
    assert bare_errors(page) == [] and not [text for text in messages(page) if "Paint where" in text]
    page.locator(f"#{name}-section-try .methods img").first.wait_for(state="visible")
    page.wait_for_function(f"""() => Array.from(document.querySelectorAll('#{name}-section-try .methods img'))
                                .every(img => img.complete && img.naturalWidth > 0)""")
    assert unclear_captions(page, f"#{name}-section-try .methods") == []  # every method on the image, captions clear


def test_a_bad_upload_is_refused_on_arrival(page, tmp_path):
    """A text file named .png gets its sentence as soon as it arrives, and no broken picture stays behind."""
    name = tasks.names()[0]
    open_tab(page, tasks.get(name).title)
    open_section(page, name, "try")
    (tmp_path / "notes.png").write_text("not a picture, only words")
    page.locator(f"#{name}-image input[type=file]").first.set_input_files(str(tmp_path / "notes.png"))
    page.get_by_text("This upload cannot be used: this file is not an image").first.wait_for(state="visible",
                                                                                             timeout=30_000)
    page.wait_for_function(f"""() => !document.querySelector('#{name}-image img')""", timeout=30_000)  # taken out
    assert broken_images(page) == [] and bare_errors(page) == []


def start_training(page, name: str, seconds: str) -> None:
    open_tab(page, tasks.get(name).title)
    open_section(page, name, "train")
    budget = page.locator(f"#{name}-budget input[type=number]")
    budget.fill(seconds)
    budget.press("Enter")
    page.locator(f"#{name}-train").click()


def record_status(page, name: str) -> None:
    """Keep every text the status line shows in window.statusSeen (a training's reports overwrite it quickly)."""
    page.locator(f"#{name}-status").wait_for(state="attached")  # a section's contents come a moment after its click
    page.evaluate(f"""() => {{ const line = document.querySelector('#{name}-status'); window.statusSeen = [];
        new MutationObserver(() => window.statusSeen.push(line.innerText))
            .observe(line, {{subtree: true, childList: true, characterData: true}}); }}""")


def test_a_waiting_student_sees_the_line_count_down(browser, server):
    name = tasks.names()[0]
    first, second = new_page(browser, server), new_page(browser, server)  # two students
    try:
        open_tab(second, tasks.get(name).title)
        open_section(second, name, "train")
        record_status(second, name)
        start_training(first, name, "60")  # long enough to be still training however slow the machine
        first.locator(f"#{name}-status").get_by_text("Training").first.wait_for(state="visible")
        start_training(second, name, "2")
        # The estimate counts down while waiting: two different values said, the later one smaller.
        second.wait_for_function("""() => new Set(window.statusSeen.map(t => (t.match(/2nd in line — about (\\d+) s/)
                                                                             || [])[1]).filter(Boolean)).size >= 2""")
        seconds = [int(found) for found in re.findall(r"2nd in line — about (\d+) s",
                                                      " ".join(second.evaluate("window.statusSeen")))]
        assert seconds[-1] < seconds[0], seconds
        first.reload()  # the first student leaves: their training stops and the line moves on
        second.locator(f"#{name}-status").get_by_text("Done").wait_for(state="visible")
        assert "waited" in second.locator(f"#{name}-status").inner_text()
    finally:
        first.close()
        second.close()


def test_a_reload_mid_training_says_the_training_stopped_and_keeps_the_model(browser, server):
    name = tasks.names()[0]
    page = new_page(browser, server)
    try:
        start_training(page, name, "30")
        status = page.locator(f"#{name}-status")
        status.get_by_text(re.compile(r"Training .* s of 30 s")).first.wait_for(state="visible")
        page.reload()
        open_tab(page, tasks.get(name).title)
        open_section(page, name, "train")
        status.get_by_text("stopped when its page was reloaded").wait_for(state="visible", timeout=30_000)
        assert "your model" not in page.locator(f"#{name}-model-note").inner_text().lower()
        start_training(page, name, "2")  # the stopped training left the line: a new one runs at once
        status.get_by_text("Done").wait_for(state="visible")
    finally:
        page.close()


def test_a_setting_changed_mid_training_leaves_one_model_named_everywhere(browser, server):
    name = "denoise"
    page = new_page(browser, server)
    try:
        open_tab(page, tasks.get(name).title)
        open_section(page, name, "train")
        page.locator(f"#{name}-section-train input[type=radio][value='from scratch']").click()
        start_training(page, name, "10")
        status = page.locator(f"#{name}-status")
        status.get_by_text("Training from scratch").first.wait_for(state="visible")
        open_section(page, name, "data")
        sigma = page.locator(f"#{name}-gaussian_noise-sigma input[type=number]")
        sigma.fill("0.3")
        sigma.press("Enter")
        status.get_by_text("Done").wait_for(state="attached")
        # The line under the title and the picture row's summary both name the model just trained.
        page.locator(f"#{name}-model-note").get_by_text("Your model (trained").wait_for(state="visible")
        page.locator(f"#{name}-hero-summary").get_by_text("your model (trained").wait_for(state="visible")
    finally:
        page.close()
