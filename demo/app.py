"""The teaching app: one tab per registered task, then the lessons.

    python -m demo.app        # or: make demo, or (a Space) python demo/app.py
                              # honours GRADIO_SERVER_NAME, and GRADIO_SERVER_PORT or PORT

Nothing trains or downloads at start-up: each tab opens with the shared pretrained model
(aecore.pretrained), or an untrained one that says so when there is none, and fills its
results the first time a student opens it. Training is queued one run at a time for the
whole class; a waiting student sees their place in line.
"""

import os
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file (`python demo/app.py`, as Spaces do): import `demo` as a package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from demo import memory  # noqa: E402

memory.fewer_arenas()  # first, before TensorFlow and Gradio start their threads

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from aecore import images, resources, tasks  # noqa: E402
from aecore.data import cache_dir  # noqa: E402
from demo import base_models, config_cache, lessons_tab, session as sessions, student_store  # noqa: E402
from demo.queues import INFERENCE, QUEUE_SIZE  # noqa: E402
from demo.task_tab import build_task_tab  # noqa: E402
from demo.tasks import page_scripts  # noqa: E402

CSS = """
.gradio-container { max-width: 1400px !important; }
#lesson-text { max-width: 60em; }
/* Enlarge small images by whole pixels, so a 28x28 digit shows its pixels rather than a blur. */
.pixelated img { image-rendering: pixelated; width: 100%; height: 100%; object-fit: contain; }
.train-status { font-size: 1.05em; padding: 0.4em 0; }
.train-bar { height: 10px; background: var(--neutral-200); border-radius: 5px; margin-top: 0.4em; overflow: hidden; }
.train-bar > div { height: 100%; background: var(--color-accent); transition: width 0.5s; }
.tab-title h2 { margin: 0 0 0.2em 0; }
.offscreen { position: absolute !important; left: -10000px !important; width: 1px; height: 1px; overflow: hidden; }
/* The picture row keeps four columns when a task shows three pictures (no "corrupted" for a codec or a VAE),
   so each stays square within the row's height instead of being cropped; a phone wraps it to two columns. */
.hero .grid-container { grid-template-columns: repeat(4, minmax(0, 1fr)) !important; }
/* A picture's caption is its method and its scores: under the picture (never over it), readable from the back of
   a classroom (16 px), wrapped onto two lines rather than cut. */
.hero .thumbnail-item, .methods .thumbnail-item { display: flex !important; flex-direction: column !important;
  aspect-ratio: auto !important; height: 100% !important; background: none !important; }
.hero .thumbnail-item img, .methods .thumbnail-item img { flex: 1 1 0; min-height: 0; width: 100%; object-fit: contain; }
.hero .grid-container { height: 100%; grid-template-rows: minmax(0, 1fr); padding-top: 0 !important; }
.hero .gallery-item { height: 100% !important; }
/* "Every method on your image": as tall as its pictures and captions need, never an inner scroll bar */
.methods, .methods .grid-wrap { height: auto !important; max-height: none !important; overflow: visible !important; }
.methods .gallery-item { height: auto !important; aspect-ratio: 5 / 6; }
.hero .caption-label, .methods .caption-label { position: static !important; font-size: 16px !important;
  line-height: 1.25; min-height: 2.5em; white-space: normal !important; max-width: none !important; overflow: visible !important;
  background: none !important; border: none !important; padding: 2px 0 0 0 !important; text-align: center;
  color: var(--body-text-color) !important; }
/* Score tables wrap between words, never inside one ("Autoen-coder"); too wide for a phone, they scroll. */
.scores { overflow-x: auto; }
.scores th, .scores td { word-break: normal !important; overflow-wrap: normal !important; hyphens: none; }
@media (max-width: 720px) {
  .methods .grid-container { grid-template-columns: repeat(2, minmax(0, 1fr)) !important; }
  .tab-header { flex-direction: column !important; }  /* a phone: the title above the model note, never cut */
  .hero .grid-container { grid-template-columns: repeat(2, minmax(0, 1fr)) !important; grid-template-rows: none; }
  .hero .gallery-item { height: auto !important; aspect-ratio: 4 / 5; }
  .hero, .hero .grid-wrap { height: auto !important; }
  /* Training curves: a phone scrolls sideways along them, drawn at a width whose numbers it can read */
  .curves { overflow-x: auto !important; }
  .curves .matplotlib { display: block !important; }  /* from its left edge, not centred and cut */
  .curves img { min-width: 760px !important; max-width: none !important; width: 760px !important; height: auto !important; }
}
"""


# Run once when the page loads: lesson links open their lesson; sketch pads start with the brush in hand.
PAGE_SCRIPT = "() => { " + " ".join(f"({script.strip()})();"
                                  for script in [lessons_tab.LINK_SCRIPT, *page_scripts()]) + " }"


def served_folders() -> list[str]:
    """Folders whose files the page may load: the lessons and what they link (figures beside the weights)."""
    folders = []
    for name in ("lessons", "pretrained"):
        try:
            folders.append(str(resources.folder(name).parent if name == "pretrained" else resources.folder(name)))
        except resources.ResourceMissing:
            continue
    return folders


def browser_secret() -> str:
    """The key that encrypts what a student's browser keeps (their model key): stable across restarts."""
    import secrets

    path = cache_dir() / "browser-secret"
    if not path.is_file():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


# show_error: what Gradio itself refuses before a handler runs (a slider sent a word by a script) reaches the
# caller as its own sentence too, never as "The upstream Gradio app has raised an exception".
# The config cache: a page load costs the server a dictionary lookup, not 0.15 s of CPU (demo/config_cache.py).
LAUNCH_OPTIONS = dict(css=CSS, js=PAGE_SCRIPT, allowed_paths=served_folders(), footer_links=["api", "gradio"],
                      max_file_size=f"{images.MAX_FILE_MEGABYTES}mb", show_error=True,
                      app_kwargs={"middleware": [Middleware(config_cache.ConfigCache)]})

INTRO = """# Autoencoders by doing
Corrupt images, train an autoencoder for seconds, compare it with the classical method. One tab per task; the
**Lessons** tab explains the ideas. Your models are your own."""


def build() -> gr.Blocks:
    student_store.clean_up()
    # Gradio's own cache of served files: checked hourly, files older than two hours deleted.
    with gr.Blocks(title="Autoencoders by doing", delete_cache=(3600, 7200)) as app:
        student = gr.BrowserState("", storage_key="aecore-student", secret=browser_secret())
        gr.Markdown(INTRO)
        with gr.Tabs(overflow_behavior="wrap") as tab_set:  # every tab in sight, never behind a "..." menu
            tabs = []
            for name in tasks.names():
                task = tasks.get(name)
                with gr.Tab(task.title, id=name, elem_id=f"tab-{name}") as tab:
                    tabs.append((tab, build_task_tab(task)))
            with gr.Tab("Lessons", id="lessons", elem_id="tab-lessons") as lessons_tab_item:
                lessons = lessons_tab.build()

        for index, (tab, built) in enumerate(tabs):
            tab.select(lambda name=built.task.name: name, None, lessons.came_from, queue=False, api_visibility="private")
            for button, stem in built.lesson_buttons:
                button.click(lessons.open(stem), lessons.came_from, [tab_set, lessons.picker, lessons.text,
                                                                     lessons.back], queue=False, api_visibility="private")
            fn, inputs, outputs = built.open_event
            tab.select(fn, inputs, outputs, api_visibility="private", **INFERENCE)
            if index == 0:  # the tab a student sees first, once the server knows which student this is
                app.load(sessions.identify, student, student, queue=False, api_visibility="private") \
                    .then(fn, inputs, outputs, api_visibility="private", **INFERENCE)
        lessons_tab_item.select(lessons_tab.refresh, [lessons.picker, lessons.came_from],
                                [lessons.picker, lessons.text, lessons.back], queue=False, api_visibility="private")
        lessons.back.click(lessons_tab.tab_of, [lessons.picker, lessons.came_from], tab_set, queue=False,
                           api_visibility="private")
        app.unload(sessions.forget)
    app.queue(max_size=QUEUE_SIZE, default_concurrency_limit=INFERENCE["concurrency_limit"])
    return app


def server_port() -> int | None:
    """GRADIO_SERVER_PORT, else PORT (what some hosts set), else Gradio's default (7860)."""
    port = os.environ.get("GRADIO_SERVER_PORT") or os.environ.get("PORT")
    return int(port) if port else None


demo = build()

if __name__ == "__main__":
    demo.launch(server_name=os.environ.get("GRADIO_SERVER_NAME"), server_port=server_port(), prevent_thread_lock=True,
                **LAUNCH_OPTIONS)
    base_models.warm_up(tasks.names())  # once the page answers, so starting up is no slower
    demo.block_thread()
