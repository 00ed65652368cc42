"""The classroom walkthrough at the top of each tab: five steps a teacher can follow live.

Each step names the section and the control to use, so a class can follow along
on a projector, and the lesson with the theory behind it (`step_lessons`); the tab
shows one button per lesson that opens it on the Lessons tab.
"""

from aecore import corruptions
from aecore.baselines import BASELINES
from aecore.tasks.task import Task

SECTIONS = ("1 · Data and corruption", "2 · Try your own image", "3 · Model", "4 · Train briefly",
            "5 · Side by side", "6 · Latent codes")


def lesson_path(task: Task) -> str:
    return f"lessons/{task.lesson}.md"


def step_lessons(task: Task) -> dict[str, list[int]]:
    """Lesson stem -> the walkthrough steps it explains, in step order."""
    lessons = {1: task.lesson, 2: task.lesson, 3: "autoencoders", 4: task.lesson, 5: "convolution"}
    grouped: dict[str, list[int]] = {}
    for step, stem in lessons.items():
        grouped.setdefault(stem, []).append(step)
    return grouped


def lesson_title(stem: str) -> str:
    return stem.replace("_", " ").capitalize()


def walkthrough(task: Task) -> str:
    corruption = corruptions.get(task.corruptions[0])
    knobs = [("choose" if p.choices else "move", p.name.replace("_", " "))
             for p in (*corruption.params, *task.options)]
    knob = f"{knobs[0][0]} **{knobs[0][1]}**" if knobs else "look"
    baselines = ", ".join(BASELINES.get(name).title.lower() for name in task.baselines)
    own = ("untick **Apply the corruption** to colorize a photo that is already gray"
           if task.needs_color else "paint the damage yourself in the editor" if task.paint_hint
           else "upload a photo or use the webcam")
    about = {step: f" *(lesson: {lesson_title(stem)})*" for stem, steps in step_lessons(task).items() for step in steps}
    return f"""Follow the numbered sections below. Each step names its lesson: the buttons below the steps open it
on the *Lessons* tab (the task's own lesson is `{lesson_path(task)}`).

1. **Corrupt** — in *{SECTIONS[0]}*, pick a **Dataset**, {knob} and watch the preview: clean images on top,
   corrupted below. *Which settings make the task hard?*{about[1]}
2. **Predict** — in *{SECTIONS[1]}*, press **Load a test image** then **Restore**: the model in use
   (pretrained when available) repairs it, and each method is scored against the clean original. Then {own}.{about[2]}
3. **Train** — in *{SECTIONS[2]}* choose the architecture (the table shows the bottleneck and the compression),
   then in *{SECTIONS[3]}* set the **Time budget**, pick **Start** (from scratch or fine-tune) and press
   **Train**. Watch the loss fall and the validation PSNR rise past the dashed reference lines.{about[3]}
4. **Compare** — in *{SECTIONS[4]}*, press **Compare**: the corrupted input, the classical baseline
   ({baselines}) and the autoencoder on the same held-out images, each captioned with PSNR / SSIM.
   *Where does learning beat the classical method, and where not?*{about[4]}
5. **Look inside** — in *{SECTIONS[5]}*, pick an **Example** to see its bottleneck feature maps, and find it
   on the map of latent codes: *do images of the same class land together?*{about[5]}
"""
