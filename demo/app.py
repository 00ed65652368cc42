"""The teaching app: one tab per registered task, then the lessons.

    python -m demo.app        # or: make demo; honours GRADIO_SERVER_NAME and GRADIO_SERVER_PORT

Nothing trains at start-up: each tab opens with the shared pretrained model
(assets/pretrained/<task>.keras), or an untrained one when there is none, and
fills its results the first time a student opens it. Training is queued one
run at a time for the whole class; a waiting student sees their place in line.
"""

import os

import gradio as gr

from aecore import tasks
from demo import lessons_tab, session as sessions
from demo.lessons_tab import LESSONS_DIR
from demo.pretrained import PRETRAINED_DIR
from demo.task_tab import INFERENCE, build_task_tab

QUEUE_SIZE = 64  # events waiting at once; beyond this a student is told the queue is full

CSS = """
.gradio-container { max-width: 1400px !important; }
#lesson-text { max-width: 60em; }
/* Enlarge small images by whole pixels, so a 28x28 digit shows its pixels rather than a blur. */
.pixelated img { image-rendering: pixelated; width: 100%; height: 100%; object-fit: contain; }
"""

LAUNCH_OPTIONS = dict(css=CSS, allowed_paths=[str(LESSONS_DIR), str(PRETRAINED_DIR.parent)],
                      footer_links=["api", "gradio"])

INTRO = """# Autoencoders by doing
Corrupt images, train an autoencoder for a few seconds, and compare — side by side — the corruption, the
classical baseline, the autoencoder and the metrics that score them. Each tab is one task; the **Lessons** tab
explains the ideas. Your models are your own: classmates training at the same time do not change them."""


def build() -> gr.Blocks:
    with gr.Blocks(title="Autoencoders by doing") as app:
        gr.Markdown(INTRO)
        with gr.Tabs() as tab_set:
            tabs = []
            for name in tasks.names():
                task = tasks.get(name)
                with gr.Tab(task.title, id=name, elem_id=f"tab-{name}") as tab:
                    tabs.append((tab, build_task_tab(task)))
            with gr.Tab("Lessons", id="lessons", elem_id="tab-lessons") as lessons_tab_item:
                lessons = lessons_tab.build()

        for index, (tab, built) in enumerate(tabs):
            for button, stem in built.lesson_buttons:
                button.click(lessons.open(stem), None, [tab_set, lessons.picker, lessons.text, lessons.back],
                             queue=False, api_visibility="private")
            fn, inputs, outputs = built.open_event
            tab.select(fn, inputs, outputs, api_visibility="private", **INFERENCE)
            if index == 0:  # the tab a student sees first
                app.load(fn, inputs, outputs, api_visibility="private", **INFERENCE)
        lessons_tab_item.select(lessons_tab.refresh, lessons.picker, [lessons.picker, lessons.text, lessons.back],
                                queue=False, api_visibility="private")
        lessons.back.click(lessons_tab.tab_of, lessons.picker, tab_set, queue=False, api_visibility="private")
        app.unload(sessions.forget)
    app.queue(max_size=QUEUE_SIZE, default_concurrency_limit=INFERENCE["concurrency_limit"])
    return app


demo = build()

if __name__ == "__main__":
    demo.launch(server_name=os.environ.get("GRADIO_SERVER_NAME"),
                server_port=int(os.environ["GRADIO_SERVER_PORT"]) if os.environ.get("GRADIO_SERVER_PORT") else None,
                **LAUNCH_OPTIONS)
