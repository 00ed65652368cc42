"""Every control of every tab, driven in a real browser to its minimum and maximum (a checkbox its other way,
every radio option, every dropdown value): each setting either works or says in words what is wrong —
no element shows a bare "Error" (Gradio's badge when a handler fails), no message is only "Warning".
Before the sweep, the same page checks the tab's first view (test_browser.check_tab: picture row, sections,
screenshots, the phone's row of tabs), so each tab's first view is computed once in the suite.
A slider or checkbox of the model, training and latent sections (the same code on every tab) is driven on the
first tab of a test worker that shows it with that range, and a dataset the server lacks is chosen once (its
message is the same on every tab); the other tabs drive the controls of their own. That
every setting those sliders reach trains on every task: test_train.py, test_every_setting_the_controls_reach_trains.
"""

import time

import pytest

from aecore import tasks
from demo.tasks import tab_of
from test_browser import PROJECTOR, RESULTS_TIMEOUT, bare_errors, browser, check_tab, open_section  # noqa: F401

pytestmark = pytest.mark.browser

SHARED_VIEWS = ("model", "train", "latent")  # sections every tab builds from the same code (demo/task_tab)
_driven_shared: set = set()  # (section, control, range), and unavailable dataset choices, driven by this worker


def track_requests(page) -> set:
    """The page's Gradio requests in flight (the heartbeat stream, always open, left out)."""
    flying = set()
    page.on("request", lambda r: flying.add(r) if "/gradio_api/" in r.url and "/heartbeat/" not in r.url else None)
    page.on("requestfinished", lambda r: flying.discard(r))
    page.on("requestfailed", lambda r: flying.discard(r))
    return flying


SETTLE_SECONDS = 180  # a control's results, on a busy machine; longer is an event that never ends (a bug)


def settle(page, flying: set) -> None:
    """Until nothing has been in flight, and no progress shown, for 0.2 s; fails, naming what still waits, when
    that takes over SETTLE_SECONDS."""
    quiet, deadline = 0, time.monotonic() + SETTLE_SECONDS
    while quiet < 2:
        page.wait_for_timeout(100)
        busy = flying or page.evaluate("() => !!document.querySelector('.wrap.generating, .wrap.pending, .eta-bar')")
        quiet = 0 if busy else quiet + 1
        if busy and time.monotonic() > deadline:
            waiting = page.evaluate("""() => Array.from(document.querySelectorAll('.wrap.generating, .wrap.pending,
                .eta-bar')).map(e => (e.closest('[id]') || {}).id)""")
            pytest.fail(f"still busy after {SETTLE_SECONDS} s: requests {sorted(r.url for r in flying)}, "
                        f"progress shown in {waiting}")


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


def shared_key(page, name: str, view: str, control: dict) -> tuple | None:
    """What makes a slider or checkbox of a shared section the same on every tab: its name without the tab's, and
    a slider's range. None for a control of the tab's own (and for dropdowns and radios, whose choices differ)."""
    if view not in SHARED_VIEWS or control["type"] not in ("number", "checkbox"):
        return None
    box = page.locator(f"#{control['id']} input[type={control['type']}]").first
    return view, control["id"].removeprefix(f"{name}-"), box.get_attribute("min"), box.get_attribute("max")


def drive(page, control: dict):
    """Set one control to each of its extremes (a slider's min and max, a checkbox's other value, a radio
    option, every dropdown value); yield what was set after each."""
    block = page.locator(f"#{control['id']}")
    if control["type"] == "number":
        box = block.locator("input[type=number]").first
        for value in (box.get_attribute("min"), box.get_attribute("max")):
            box.fill(value)
            box.press("Enter")
            yield f"{control['id']} = {value}"
    elif control["type"] == "checkbox":  # its other value (and it stays so for the controls after it)
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
            if "(unavailable" in label:  # the same message on every tab: chosen once per test worker
                if label in _driven_shared:
                    continue
                _driven_shared.add(label)
            box.click()
            box.fill(label)
            box.press("Enter")
            yield f"{control['id']} = {label}"


# The longest sweep of the suite (30-70 s a tab): its tabs go in two groups, one per test worker (make test:
# --dist loadgroup; every other file is one group), so the two workers share them.
@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.xdist_group(f"browser sweep {index % 2}"))
                                  for index, name in enumerate(tasks.BUILTIN)])  # a toy task's: test_toy_task.py
def test_the_tab_and_every_control_at_its_extremes_work_or_say_what_is_wrong(browser, server, name):
    sweep(browser, server, name)


def sweep(browser, server, name):
    """Check the tab of task `name` (test_browser.check_tab), then drive every control to its extremes, and fail
    on any message that says nothing."""
    task = tasks.get(name)
    page = browser.new_page(viewport=PROJECTOR)  # a student of its own: the other tests keep the defaults
    page.set_default_timeout(RESULTS_TIMEOUT)
    flying = track_requests(page)
    page.goto(server)
    try:
        check_tab(page, name)
        problems, driven = [], 0
        for view in tab_of(task).sections:
            open_section(page, name, view)
            settle(page, flying)
            done = set()
            while pending := [control for control in visible_controls(page, f"#{name}-section-{view}")
                              if (control["id"], control["value"] if control["type"] == "radio" else "") not in done]:
                control = pending[0]  # controls come and go (a corruption brings its own sliders): look again each time
                done.add((control["id"], control["value"] if control["type"] == "radio" else ""))
                if (key := shared_key(page, name, view, control)) in _driven_shared:
                    continue  # driven on an earlier tab: the same code, the same range
                if key:
                    _driven_shared.add(key)
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
