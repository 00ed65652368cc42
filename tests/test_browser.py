"""The app in a real headless Chromium (Playwright), the way a teacher projects it and a class uses it.

Every tab shows its picture row first and every section a click away; every control of every tab, driven to
its minimum and maximum (and every dropdown value), either works or says in words what is wrong; training
draws its curves where they can be watched; painting a mask restores the painted region; a tab's lesson
leads back to it; every link in every lesson opens its lesson, at its anchor, in the Lessons tab.
Screenshots of each tab at 1280x720 (a projector) and 390x844 (a phone) are written to assets/screenshots/. Uses Debian's /usr/bin/chromium;
never downloads a browser.
"""

import os
import re
from pathlib import Path

import pytest

from aecore import tasks
from demo import lessons_tab

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "assets" / "screenshots"
RESULTS_TIMEOUT = 240_000  # ms: a tab's first view computes its comparison and latent map (slow on a busy machine)
TRAIN_SECONDS = "8"
PROJECTOR, PHONE = {"width": 1280, "height": 720}, {"width": 390, "height": 844}
OWN = tasks.BUILTIN  # screenshots only of the project's own tabs (a toy task from a test file has none)
PAINTING = [name for name in tasks.names() if tasks.get(name).paint_hint]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(server):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (make system-deps)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
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


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"))


def track_requests(page) -> set:
    """The page's Gradio requests in flight (the heartbeat stream, always open, left out)."""
    flying = set()
    page.on("request", lambda r: flying.add(r) if "/gradio_api/" in r.url and "/heartbeat/" not in r.url else None)
    page.on("requestfinished", lambda r: flying.discard(r))
    page.on("requestfailed", lambda r: flying.discard(r))
    return flying


def settle(page, flying: set) -> None:
    """Until nothing has been in flight, and no progress shown, for 0.3 s."""
    quiet = 0
    while quiet < 3:
        page.wait_for_timeout(100)
        busy = flying or page.evaluate("() => !!document.querySelector('.wrap.generating, .wrap.pending, .eta-bar')")
        quiet = 0 if busy else quiet + 1


def messages(page) -> list[str]:
    """The text of every toast and error block showing."""
    return page.evaluate("""Array.from(document.querySelectorAll('.toast-body, .error, [data-testid=toast-body]'))
                            .filter(e => e.offsetParent).map(e => e.innerText.trim())""")


def wordless(message: str) -> bool:
    """A message that does not name a problem: nothing but "Error"/"Warning" and a close mark."""
    return len(re.sub(r"\b(error|warning|info)\b|[×✕]", " ", message, flags=re.I).split()) < 3


def visible_controls(page, root: str) -> list[dict]:
    """The enabled inputs showing under `root`: {id (of their block), type, value}."""
    return page.evaluate("""(root) => {
      const found = [];
      document.querySelector(root).querySelectorAll(
          "input[type=number], input[role=combobox], input[type=checkbox], input[type=radio]").forEach(e => {
        const block = e.closest("[id]");
        if (!e.offsetParent || e.disabled || !block || !block.id || block.id.startsWith("range_id")) return;
        found.push({id: block.id, type: e.getAttribute("role") || e.type, value: e.value});
      });
      return found; }""", root)


def drive(page, control: dict):
    """Set one control to each of its extremes (a slider's min and max, a checkbox both ways, a radio option,
    every dropdown value); yield what was set after each."""
    block = page.locator(f"#{control['id']}")
    if control["type"] == "number":
        box = block.locator("input[type=number]").first
        for value in (box.get_attribute("min"), box.get_attribute("max")):
            box.fill(value)
            box.press("Enter")
            yield f"{control['id']} = {value}"
    elif control["type"] == "checkbox":
        for _ in range(2):
            block.locator("input[type=checkbox]").first.click()
            yield f"{control['id']} toggled"
    elif control["type"] == "radio":
        block.locator(f"input[type=radio][value='{control['value']}']").click()
        yield f"{control['id']} = {control['value']}"
    else:
        box = block.locator("input[role=combobox]").first
        box.click()
        options = page.locator("ul[role=listbox] li[role=option]")
        options.first.wait_for()
        labels = options.evaluate_all("items => items.map(item => item.getAttribute('aria-label'))")
        page.keyboard.press("Escape")
        for label in labels:
            box.click()
            box.fill(label)
            box.press("Enter")
            yield f"{control['id']} = {label}"


def bare_errors(page) -> list[str]:
    """Toasts or blocks showing that say "Error" (or "Warning") and nothing more."""
    return [message for message in messages(page) if wordless(message)]


@pytest.mark.parametrize("name", tasks.names())
def test_a_tab_shows_its_picture_first_and_every_section_a_click_away(page, name):
    task = tasks.get(name)
    open_tab(page, task.title)
    hero = page.locator(f"#{name}-hero img")
    hero.first.wait_for(state="visible")
    box = page.locator(f"#{name}-hero").bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"], "the picture row fits the projector's first screen"
    for view in task.views:
        open_section(page, name, view)
        assert page.locator(f"#{name}-section-{view}").is_visible()
    if "compare" in task.views:
        open_section(page, name, "compare")
        wait_for_plot(page, f"{name}-grid")
    if "latent" in task.views:  # the tab's first view is complete: the next tab does not queue behind it
        open_section(page, name, "latent")
        wait_for_plot(page, f"{name}-latent-map")
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
        if name in OWN:
            shoot(page, name)
    finally:
        page.set_viewport_size(PROJECTOR)


@pytest.mark.parametrize("name", tasks.names())
def test_every_control_at_its_extremes_works_or_says_what_is_wrong(browser, server, name):
    task = tasks.get(name)
    page = browser.new_page(viewport=PROJECTOR)  # a student of its own: the other tests keep the defaults
    page.set_default_timeout(RESULTS_TIMEOUT)
    flying = track_requests(page)
    page.goto(server)
    try:
        open_tab(page, task.title)
        page.locator(f"#{name}-hero img").first.wait_for(state="visible")
        problems, driven = [], 0
        for view in task.views:
            open_section(page, name, view)
            settle(page, flying)
            done = set()
            while pending := [control for control in visible_controls(page, f"#{name}-section-{view}")
                              if (control["id"], control["value"] if control["type"] == "radio" else "") not in done]:
                control = pending[0]  # controls come and go (a corruption brings its own sliders): look again each time
                done.add((control["id"], control["value"] if control["type"] == "radio" else ""))
                for action in drive(page, control):
                    driven += 1
                    settle(page, flying)
                    problems += [f"{action}: {message!r}" for message in bare_errors(page)]
                    page.evaluate("document.querySelectorAll('.toast-close, [data-testid=toast-close]')"
                                  ".forEach(button => button.click())")
        assert not problems, "a message that does not say what is wrong:\n" + "\n".join(problems)
        assert driven > 5, "the sweep found the tab's controls"
    finally:
        page.close()


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
    curves = page.locator(f"#{name}-curves")
    covered = curves.locator(".wrap.generating, .eta-bar").count()
    assert covered == 0 and curves.locator("img").first.is_visible(), "no progress overlay hides the curves"
    status.get_by_text("Done").wait_for(state="visible")
    assert re.search(r"waited \d+ s, prepared [\d.]+ s, trained [\d.]+ s, scored [\d.]+ s", status.inner_text())
    page.locator(f"#{name}-model-note").get_by_text("Your model").wait_for(state="visible")  # results refreshed


@pytest.mark.parametrize("name", PAINTING)
def test_painting_tasks_restore_the_painted_region(page, name):
    open_tab(page, tasks.get(name).title)
    open_section(page, name, "try")
    page.locator(f"#{name}-section-try").get_by_role("button", name="Load a test image").click()
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
    page.locator(f"#{name}-scores").get_by_text("painted mask").first.wait_for(state="visible") \
        if page.locator(f"#{name}-scores").get_by_text("painted mask").count() else \
        page.locator(f"#{name}-scores").get_by_text("Autoencoder").first.wait_for(state="visible")


def test_a_tab_opens_its_lesson_and_the_lesson_leads_back(page):
    task = tasks.get(tasks.names()[-1])
    open_tab(page, task.title)
    page.locator(f"#{task.name}-walkthrough").click()  # open the walkthrough
    page.locator(f"#{task.name}-lesson").click()  # its button for the task's own lesson
    text = page.locator("#lesson-text")
    text.get_by_text(f"Try it: the {tasks.get(lessons_tab.task_of(task.lesson)).title} tab").first.wait_for(
        state="visible")
    page.locator("#lesson-back").click()  # "Try it: open the ... tab"
    page.locator(f"#{lessons_tab.task_of(task.lesson)}-hero").wait_for(state="visible")
    assert not text.is_visible()





def test_every_link_in_every_lesson_opens_its_lesson_at_its_anchor(page):
    open_tab(page, "Lessons")
    opened = 0
    for stem in [stem for _, stem in lessons_tab.choices()]:
        show_lesson(page, stem)
        links = page.locator("#lesson-text a[href^='#lesson=']")
        for index in range(links.count()):
            target = links.nth(index).get_attribute("href")[len("#lesson="):]
            other, _, anchor = target.partition("#")
            links.nth(index).click()  # the student's click, through the page's own link script
            heading = lessons_tab.title(lessons_tab.lessons_dir() / f"{other}.md")
            page.wait_for_function("""([heading, anchor]) => {
                const text = document.querySelector("#lesson-text");
                const h1 = text && text.querySelector("h1");
                if (!h1 || h1.innerText.trim() !== heading) return false;
                if (!anchor) return true;
                const place = document.getElementById(anchor);
                if (!place || !text.contains(place)) return false;
                const top = place.getBoundingClientRect().top;
                return top > -2 && top < window.innerHeight; }""", arg=[heading, anchor])  # shown, scrolled to
            opened += 1
            show_lesson(page, stem)
    assert opened > 40  # the lessons link each other (about 70 links)


def show_lesson(page, stem: str) -> None:
    """Open a lesson the way a link to it does."""
    page.evaluate("""(stem) => { window.aecoreLessonTarget = stem; document.querySelector("#lesson-link").click(); }""",
                  stem)
    heading = lessons_tab.title(lessons_tab.lessons_dir() / f"{stem}.md")
    page.wait_for_function("""(heading) => { const h1 = document.querySelector("#lesson-text h1");
                              return h1 && h1.innerText.trim() === heading; }""", arg=heading)
