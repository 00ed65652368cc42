"""The Lessons tab: renders lessons/*.md, one chosen from a dropdown.

Lessons are read from disk each time one is shown, so an edited lesson appears
without restarting the app. Images a lesson links relatively (e.g.
`../assets/figures/x.png`) are served through Gradio's file route. Below the lesson,
interactive widgets (demo/lesson_widgets.py) compute each operation live.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from demo import lesson_widgets

LESSONS_DIR = Path(__file__).resolve().parents[1] / "lessons"
IMAGE_LINK = re.compile(r"(!\[[^\]]*\]\()([^)\s]+)(\))")


def lesson_files() -> list[Path]:
    return sorted(LESSONS_DIR.glob("*.md")) if LESSONS_DIR.is_dir() else []


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
        return ("*No lessons yet: the `lessons/` folder is empty.* Each task tab still works on its own; "
                "lessons will appear here as `lessons/*.md` files are written.")
    path = LESSONS_DIR / f"{stem}.md"
    if not stem or not path.is_file():
        return f"*The lesson `lessons/{stem}.md` is not written yet.* Choose another lesson above."
    return _serve_images(path.read_text(encoding="utf-8"), path.parent)


@dataclass
class LessonsTab:
    picker: gr.Dropdown
    text: gr.Markdown

    def open(self, stem: str):
        """Handler factory for a task tab's "Open the lesson" button: switch tab and show the lesson."""
        def handler():
            return gr.Tabs(selected="lessons"), gr.update(choices=choices(), value=stem), render(stem)
        return handler


def build() -> LessonsTab:
    """The tab's contents (call inside `with gr.Tab(...)`)."""
    found = choices()
    first = found[0][1] if found else None
    picker = gr.Dropdown(found, value=first, label="Lesson", elem_id="lesson-picker",
                         info="Each task tab links to its lesson; each lesson links back to the tab to play with.")
    text = gr.Markdown(render(first), header_links=True, elem_id="lesson-text")
    picker.input(render, picker, text, api_visibility="private", queue=False)
    lesson_widgets.build()
    return LessonsTab(picker, text)


def refresh(stem: str | None):
    """When the tab is opened: pick up lesson files added since start-up."""
    found = choices()
    stems = [value for _, value in found]
    stem = stem if stem in stems else (stems[0] if stems else None)
    return gr.update(choices=found, value=stem), render(stem)
