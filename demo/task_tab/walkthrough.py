"""The classroom walkthrough at the top of each tab: one step per section, numbered as the sections are.

Each section module says what its step asks of the class (`step(task)`: a verb, a sentence, the
lesson behind it), so a tab with other sections gets a walkthrough that matches them, and
"step 3" always means section "3 · ...". The tab shows one button per lesson that opens it on
the Lessons tab.
"""

from aecore.tasks import Task


def numbered(titles: list[str]) -> list[str]:
    """["Data and corruption", ...] -> ["1 · Data and corruption", ...]: the sections' headings."""
    return [f"{index} · {title}" for index, title in enumerate(titles, start=1)]


def lesson_title(stem: str) -> str:
    return stem.replace("_", " ").capitalize()


def step_lessons(steps: list[tuple[str, str, str]]) -> dict[str, list[int]]:
    """Lesson stem -> the step numbers it explains, in step order."""
    grouped: dict[str, list[int]] = {}
    for number, (_, _, stem) in enumerate(steps, start=1):
        grouped.setdefault(stem, []).append(number)
    return grouped


def walkthrough(task: Task, headings: list[str], steps: list[tuple[str, str, str]]) -> str:
    """The markdown of the steps: (verb, what to do, lesson) per section, under the section's heading."""
    lines = [f"Follow the numbered sections below; each step names its lesson, and the buttons below open it on "
             f"the *Lessons* tab (this tab's own lesson is `lessons/{task.lesson}.md`).", ""]
    for number, (heading, (verb, text, stem)) in enumerate(zip(headings, steps), start=1):
        lines.append(f"{number}. **{verb}** — in *{heading}*, {text} *(lesson: {lesson_title(stem)})*")
    return "\n".join(lines) + "\n"
