"""The app's part of each application: one package per task, demo/tasks/<name>/, mirroring the library's
aecore/tasks/<name>/. Its `__init__.py` gives the tab's `TAB` (its sections in order, and the words of the
shared ones) and `Kept` (what its sections keep for one student: every TaskSession holds one, as
`session.kept`); its other modules are the sections only that tab has (a rate-distortion plot, a latent-space
explorer, a sketch pad), each with `NAME` (how the Tab lists it) and the shape of every section
(`demo.task_tab.context.Section`: `TITLE`, `step(task)`, `build(ctx)`, `wire(ctx, section)`); `PAGE_SCRIPT`, if
one has it, runs once on the page. Everything here is discovered: nothing lists it.
"""

from dataclasses import dataclass

from aecore.registry import discover

# The sections every tab can show, in this order (demo/task_tab/); a tab lists the ones it wants, and may add
# its own after them (a rate-distortion plot, a latent-space explorer).
SHARED_SECTIONS = ("data", "try", "model", "train", "compare", "latent")


@dataclass(frozen=True)
class Tab:
    """What a tab shows and says beyond its task: its sections, and the words of the shared ones. An application
    package gives its own as `TAB`; a task without one (a toy task in a notebook) gets the defaults."""

    sections: tuple[str, ...] = SHARED_SECTIONS  # in order: shared ones and the package's own (their NAME)
    apply_label: str = "Apply the corruption first (untick if your image is already damaged)"
    own_image_hint: str = "upload a photo or use the webcam"  # the walkthrough's suggestion for "Try your own"
    paint_label: str = "Your image: paint where the damage is"  # the image editor's, for a task that takes a mask


TABS: dict = {}  # task name -> its Tab (its package's TAB, or one added with `add_tab`)
VIEWS: dict = {}  # view name -> its module
KEPT: dict = {}  # task name -> the dataclass of what its sections keep for one student (its package's `Kept`)


def tab_of(task) -> Tab:
    """The Tab of task `task` (a Task or its name): its package's, or the defaults."""
    return TABS.get(getattr(task, "name", task), Tab())


def add_tab(name: str, tab: Tab) -> Tab:
    """Give the task `name` its Tab (an application package's `TAB` is added so; a test or notebook may too)."""
    if name in TABS:
        raise ValueError(f"the tab of {name!r} is defined twice")
    TABS[name] = tab
    return tab


def kept_for(task: str):
    """A fresh record of what task `task`'s own sections keep for one student (None: they keep nothing)."""
    return KEPT[task]() if task in KEPT else None


def _discover() -> None:
    from demo.task_tab.context import Section  # here: the shared sections' package imports this one

    for application, found in discover(__name__).items():
        if hasattr(found, "Kept"):
            KEPT[application] = found.Kept
        if hasattr(found, "TAB"):
            add_tab(application, found.TAB)
        for module in discover(found.__name__).values():
            name = getattr(module, "NAME", None)
            if name is None:
                continue
            if name in VIEWS:
                raise ValueError(f"view {name!r} is defined twice ({module.__name__})")
            if not isinstance(module, Section):
                raise TypeError(f"{module.__name__} names a view ({name!r}) but is not a Section: it needs TITLE, "
                                "step, build and wire (demo/task_tab/context.py)")
            VIEWS[name] = module


def page_scripts() -> list[str]:
    """The page scripts the views bring (e.g. the sketch pad's brush in hand), each a JavaScript function."""
    return [module.PAGE_SCRIPT for module in VIEWS.values() if getattr(module, "PAGE_SCRIPT", None)]


_discover()
