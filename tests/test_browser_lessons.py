"""The lessons in the app, in a real browser: a tab's lesson leads back to the tab, and every link in every
lesson opens its lesson in the Lessons tab, scrolled to its anchor."""

import pytest

from aecore import tasks
from demo import lessons_tab
from test_browser import browser, open_tab, page  # noqa: F401  (this file's own server and browser)

pytestmark = pytest.mark.browser


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


SHOWN_AT = """([heading, anchor]) => {
    const text = document.querySelector("#lesson-text");
    const h1 = text && text.querySelector("h1");
    if (!h1 || h1.innerText.trim() !== heading) return false;
    if (!anchor) return true;
    const place = document.getElementById(anchor);
    if (!place || !text.contains(place)) return false;
    const top = place.getBoundingClientRect().top;
    return top > -2 && top < window.innerHeight; }"""  # the lesson shown, scrolled to its anchor


def heading(stem: str) -> str:
    return lessons_tab.title(lessons_tab.lessons_dir() / f"{stem}.md")


def test_every_link_in_every_lesson_opens_its_lesson_at_its_anchor(page):
    open_tab(page, "Lessons")
    targets = {}  # "stem#anchor" -> the lesson that links to it first
    for stem in [stem for _, stem in lessons_tab.choices()]:
        show_lesson(page, stem)
        links = page.locator("#lesson-text a[href^='#lesson=']")
        hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
        for href in hrefs:
            targets.setdefault(href[len("#lesson="):], stem)
        if hrefs:  # the student's click, through the page's own link script
            other, _, anchor = hrefs[-1][len("#lesson="):].partition("#")
            links.last.click()
            page.wait_for_function(SHOWN_AT, arg=[heading(other), anchor])
    assert len(targets) > 30  # the lessons link each other (about 70 links to 50 places)
    for target, source in targets.items():  # every place linked, opened the way a click opens it
        other, _, anchor = target.partition("#")
        show_lesson(page, target)
        try:
            page.wait_for_function(SHOWN_AT, arg=[heading(other), anchor], timeout=30_000)
        except Exception:  # noqa: BLE001  (say which link)
            pytest.fail(f"{source}.md links to {target}, which the Lessons tab does not show")


def show_lesson(page, target: str) -> None:
    """Open a lesson ("stem" or "stem#anchor") the way a click on a link to it does."""
    page.evaluate("""(target) => { window.aecoreLessonTarget = target; document.querySelector("#lesson-link").click(); }""",
                  target)
    page.wait_for_function(SHOWN_AT, arg=[heading(target.partition("#")[0]), ""])
