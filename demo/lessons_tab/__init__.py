"""The Lessons tab: renders lessons/*.md, one chosen from a dropdown.

Lessons are read from disk each time one is shown, so an edited lesson appears
without restarting the app. Images a lesson links relatively (e.g.
`../assets/figures/x.png`) are served through Gradio's file route. Below the lesson,
interactive widgets (demo/lessons_tab/widgets.py) compute each operation live.

Lessons link back to the tab where their idea can be tried. On GitHub that link points at
the README; in the app it becomes the button above the lesson, which opens the tab.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from aecore import resources, tasks
from demo.lessons_tab import widgets



def lessons_dir() -> Path:
    """The lessons' folder, in the installed package or the checkout (aecore/resources.py)."""
    return resources.folder("lessons")


IMAGE_LINK = re.compile(r"(!\[[^\]]*\]\()([^)\s]+)(\))")
LESSON_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(((?:[\w-]+\.md)?(?:#[\w-]+)?)\)")  # [text](other.md#anchor), [text](#anchor)
OUTSIDE_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\((\.\./[^)\s]+)\)")  # [text](../README.md#x): outside the lessons
# Clicking a lesson link keeps its "stem#anchor" and presses the hidden #lesson-link button, whose event reads
# it (the event's `js` returns it as the handler's input) and opens that lesson.
LINK_SCRIPT = """
() => {
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href^='#lesson=']");
    if (!link) return;
    event.preventDefault();
    window.aecoreLessonTarget = decodeURIComponent(link.getAttribute("href").slice("#lesson=".length));
    const button = document.querySelector("#lesson-link");
    if (button) button.click();
  }, true);
}
"""
READ_TARGET = "(target) => window.aecoreLessonTarget || ''"
SCROLL_SCRIPT = """(target) => { const anchor = (target || "").split("#")[1];
  setTimeout(() => { const place = anchor && document.getElementById(anchor);
    (place || document.getElementById("lesson-text")).scrollIntoView({ behavior: "smooth" }); }, 400); }"""
TAB_LINK = re.compile(r"\[(Try it[^\]]*)\]\(\.\./README\.md#app-tabs\)")  # a lesson's link back to its tab


def lesson_files() -> list[Path]:
    try:
        return sorted(lessons_dir().glob("*.md"))
    except resources.ResourceMissing:
        return []


def title(path: Path) -> str:
    """The lesson's first '# ' heading, else its file name."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("_", " ").capitalize()


def choices() -> list[tuple[str, str]]:
    return [(title(path), path.stem) for path in lesson_files()]


def _serve_images(text: str, folder: Path) -> str:
    """Point relative image links at Gradio's file route (the folders are in launch's allowed_paths)."""
    def replace(match):
        target = match.group(2)
        if re.match(r"^[a-z]+:|^/", target):
            return match.group(0)  # absolute or remote: leave as is
        path = (folder / target).resolve()
        return f"{match.group(1)}/gradio_api/file={path}{match.group(3)}" if path.is_file() else match.group(0)
    return IMAGE_LINK.sub(replace, text)


def render(stem: str | None) -> str:
    """The lesson's markdown, or a note saying why there is none."""
    if not lesson_files():
        try:
            where = lessons_dir()
        except resources.ResourceMissing as error:
            return f"*The lessons are missing from this installation:* {error}"
        return f"*No lessons in `{where}`.* Each task tab still works on its own."
    path = lessons_dir() / f"{stem}.md"
    if not stem or not path.is_file():
        return f"*The lesson `lessons/{stem}.md` is not written yet.* Choose another lesson above."
    text = TAB_LINK.sub(r"**\1**: press the button above this lesson.", path.read_text(encoding="utf-8"))
    return _in_app_links(_serve_images(text, path.parent), stem)


def _in_app_links(text: str, stem: str) -> str:
    """Links to another lesson (or a section of this one) open it here; links out of lessons/ become text."""
    def to_lesson(match):
        target = match.group(2)
        other, _, anchor = target.partition("#")
        other = other[:-3] if other else stem
        return f"[{match.group(1)}](#lesson={other}{'#' + anchor if anchor else ''})"

    text = OUTSIDE_LINK.sub(lambda match: f"{match.group(1)} (in the project's `{match.group(2)[3:]}`)", text)
    return LESSON_LINK.sub(to_lesson, text)


def task_of(stem: str | None, came_from: str | None = None) -> str:
    """The tab where a lesson's idea can be tried: its task's; for a general lesson (convolution, pooling...)
    the tab the student came from, else the first tab (every tab's Model section uses them all)."""
    owners = [name for name in tasks.names() if tasks.get(name).lesson == stem]
    if owners:
        return owners[0]
    return came_from if came_from in tasks.names() else tasks.names()[0]


def back_label(stem: str | None, came_from: str | None = None) -> str:
    return f"Try it: open the {tasks.get(task_of(stem, came_from)).title} tab"


def back_button(stem: str | None, came_from: str | None = None):
    return gr.update(value=back_label(stem, came_from))


def tab_of(stem: str | None, came_from: str | None = None):
    """Handler of the button above the lesson: select the lesson's tab."""
    return gr.Tabs(selected=task_of(stem, came_from))


def open_link(target: str | None, came_from: str | None = None):
    """A lesson link was clicked: "stem#anchor" -> (picker, text, back button) showing that lesson."""
    stem = (target or "").partition("#")[0]
    stems = [value for _, value in choices()]
    if stem not in stems:
        return gr.skip(), f"*The lesson `{stem}.md` does not exist.* Choose another lesson above.", gr.skip()
    return gr.update(value=stem), render(stem), back_button(stem, came_from)


@dataclass
class LessonsTab:
    picker: gr.Dropdown
    text: gr.Markdown
    back: gr.Button  # opens the tab where the shown lesson's idea can be tried
    link: gr.Button  # hidden: a clicked lesson link presses it
    came_from: gr.State  # the task tab the student was on last

    def open(self, stem: str):
        """Handler factory for a task tab's lesson buttons: switch to this tab and show the lesson."""
        def handler(came_from=None):
            return (gr.Tabs(selected="lessons"), gr.update(choices=choices(), value=stem), render(stem),
                    back_button(stem, came_from))
        return handler


def build() -> LessonsTab:
    """The tab's contents (call inside `with gr.Tab(...)`)."""
    found = choices()
    first = found[0][1] if found else None
    with gr.Row():
        picker = gr.Dropdown(found, value=first, label="Lesson", elem_id="lesson-picker", scale=3,
                             info="Each task tab links to its lessons; each lesson links back to the tab to play with.")
        with gr.Column(scale=1, min_width=260):
            back = gr.Button(back_label(first), elem_id="lesson-back", size="sm")
    text = gr.Markdown(render(first), header_links=True, elem_id="lesson-text")
    link = gr.Button("open the linked lesson", elem_id="lesson-link", elem_classes="offscreen")
    target = gr.Textbox(elem_classes="offscreen", show_label=False, container=False)  # "stem#anchor" of the link
    came_from = gr.State(None)
    picker.input(lambda stem, came: (render(stem), back_button(stem, came)), [picker, came_from], [text, back],
                 api_visibility="private", queue=False)
    # always_last: a link clicked while the last one is still opening is opened after it, never dropped
    # (Gradio's default for a click ignores clicks while its event runs; a busy server made that visible).
    link.click(lambda clicked: (clicked, *open_link(clicked)[:2]), target, [target, picker, text], js=READ_TARGET,
               api_visibility="private", queue=False, trigger_mode="always_last") \
        .then(back_button, [picker, came_from], back, api_visibility="private", queue=False) \
        .then(None, target, None, js=SCROLL_SCRIPT)
    widgets.build()
    return LessonsTab(picker, text, back, link, came_from)


def refresh(stem: str | None, came_from: str | None = None):
    """When the tab is opened: pick up lesson files added since start-up."""
    found = choices()
    stems = [value for _, value in found]
    stem = stem if stem in stems else (stems[0] if stems else None)
    return gr.update(choices=found, value=stem), render(stem), back_button(stem, came_from)
