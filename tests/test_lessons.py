"""Lessons: every file exists and says something, every link between lessons lands on a real file and
anchor, every task has its lesson and links back to its tab, and the numbers the text teaches agree
with the code (output-size tables, defaults quoted from Keras and from the library)."""

import re
from pathlib import Path

import numpy as np
import pytest

from aecore import ops, tasks
from aecore.corruptions import CORRUPTIONS
from aecore.corruptions.shadows import SHADOW_CAST
from aecore.models.config import ModelConfig
from aecore.runtime import keras

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
OPERATIONS = {  # lesson -> (NumPy file, functions the lesson names)
    "convolution": ("aecore/ops/convolution.py", ("conv2d", "conv_output_size", "conv_steps")),
    "pooling": ("aecore/ops/pooling.py", ("max_pool2d", "avg_pool2d", "max_pool_argmax")),
    "transposed_convolution": ("aecore/ops/transposed_convolution.py",
                               ("conv2d_transpose", "transposed_output_size", "overlap_counts")),
    "batch_normalization": ("aecore/ops/batch_normalization.py", ("batch_norm_forward",)),
}
APPLICATIONS = tuple(sorted({tasks.get(name).lesson for name in tasks.names()}))
ALL_LESSONS = ("README", "autoencoders", *OPERATIONS, *APPLICATIONS)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")  # [text](target)


def text_of(path: Path) -> str:
    """The markdown without fenced code blocks, where brackets and # are not markdown."""
    return re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)


def heading_slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = text_of(path)
    found = set(re.findall(r"""<a\s+(?:id|name)=["']([^"']+)["']""", text))
    counts: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*$", text, flags=re.M):
        slug = heading_slug(heading)
        found.add(slug if slug not in counts else f"{slug}-{counts[slug]}")  # repeats get -1, -2, ...
        counts[slug] = counts.get(slug, 0) + 1
    return found


def lesson(name: str) -> Path:
    return LESSONS / f"{name}.md"


def test_the_slug_rules_match_github():
    assert heading_slug("The output-size formula") == "the-output-size-formula"
    assert heading_slug("Lab or RGB: `predict`") == "lab-or-rgb-predict"


@pytest.mark.parametrize("name", ALL_LESSONS)
def test_every_lesson_exists_and_is_readable_in_a_sitting(name):
    assert lesson(name).is_file(), f"lessons/{name}.md is missing"
    lines = lesson(name).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# "), "a lesson starts with its title"
    assert (30 if name == "README" else 60) <= len(lines) <= 160, f"{len(lines)} lines"
    assert len(re.findall(r"^## ", "\n".join(lines), flags=re.M)) >= 3, "a lesson has sections"
    assert len(re.findall(r'<a id="', "\n".join(lines))) >= 3, "sections carry stable anchors"


@pytest.mark.parametrize("path", sorted(LESSONS.glob("*.md")), ids=lambda p: p.name)
def test_relative_links_land_on_existing_files_and_anchors(path):
    links = [target for target in LINK.findall(text_of(path)) if not re.match(r"[a-z]+:", target)]
    assert links, f"{path.name} links nowhere"
    for target in links:
        file_part, _, fragment = target.partition("#")
        destination = (path.parent / file_part).resolve() if file_part else path
        assert destination.exists(), f"{path.name}: {target} points to a missing file"
        if fragment and destination != ROOT / "README.md":  # the root README's app sections belong to the app
            assert fragment in anchors(destination), f"{path.name}: {target} has no such anchor"


@pytest.mark.parametrize("name", tasks.names())
def test_every_task_has_a_lesson_that_links_back_to_its_tab(name):
    task = tasks.get(name)
    path = lesson(task.lesson)
    assert path.is_file(), f"task {name} names lessons/{task.lesson}.md, which does not exist"
    text = text_of(path)
    from demo import lessons_tab

    owner = tasks.get(lessons_tab.task_of(task.lesson))  # the first tab using the lesson (a toy task borrows one)
    assert f"[Try it: the {owner.title} tab](../README.md#app-tabs)" in text
    relied_on = {target.partition("#")[0] for target in LINK.findall(text)}
    assert relied_on & {f"{op}.md" for op in OPERATIONS}, "an application lesson links to the operations it uses"
    for section in ("the-corruption", "why-an-autoencoder-can-undo-it", "the-baseline", "scores"):
        assert section in anchors(path), f"{path.name} lacks the section {section!r}"
    assert "10·log10(1 / MSE)" in text and "SSIM" in text


def test_every_application_lesson_belongs_to_a_task():
    general = {"README", "autoencoders", *OPERATIONS}
    files = {path.stem for path in LESSONS.glob("*.md")} - general
    assert files == set(APPLICATIONS), "a lesson that is neither general nor a task's is unreachable from the tabs"


def test_the_index_links_every_lesson():
    linked = {target.partition("#")[0] for target in LINK.findall(text_of(lesson("README")))}
    assert {f"{name}.md" for name in ALL_LESSONS if name != "README"} <= linked


@pytest.mark.parametrize("name", OPERATIONS)
def test_operation_lessons_name_the_numpy_code_that_implements_them(name):
    source, functions = OPERATIONS[name]
    text = text_of(lesson(name))
    assert (ROOT / source).is_file() and f"](../{source})" in text
    for function in functions:
        assert callable(getattr(ops, function)) and f"`{function}(" in text


def table_after(name: str, anchor: str) -> list[dict[str, int]]:
    """The markdown table that follows `<a id="anchor">`, as rows of {column header: integer}."""
    lines = text_of(lesson(name)).split(f'<a id="{anchor}"></a>', 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    header, data = table[0], table[2:]  # table[1] is the |---|---| line
    assert data, f"no rows in the table after #{anchor} in {name}.md"
    return [dict(zip(header, map(int, row))) for row in data]


def test_worked_convolution_sizes_agree_with_the_formula_and_the_op():
    for row in table_after("convolution", "output-size-examples"):
        n, k, s, p, size = (row[key] for key in ("input n", "kernel k", "stride s", "padding p", "output size"))
        assert ops.conv_output_size(n, k, s, p) == (n + 2 * p - k) // s + 1 == size, row
        padded = np.zeros((1, n + 2 * p, n + 2 * p, 1))
        assert ops.conv2d(padded, np.ones((k, k, 1, 1)), s).shape[1:3] == (size, size), row


def test_worked_transposed_sizes_agree_with_the_formula_and_keras_rule():
    for row in table_after("transposed_convolution", "output-size-examples"):
        n, k, s, p, extra, size = (row[key] for key in ("input n", "kernel k", "stride s", "padding p",
                                                         "output padding", "output size"))
        assert (n - 1) * s - 2 * p + k + extra == size, row
        assert p in (0, k // 2), "Keras offers p = 0 (valid) or k // 2 (same); keep the examples to those"
        padding = "valid" if p == 0 else "same"
        assert ops.transposed_output_size(n, k, s, padding, extra) == size, row
        out = ops.conv2d_transpose(np.ones((1, n, n, 1)), np.ones((k, k, 1, 1)), s, padding, extra)
        assert out.shape[1:3] == (size, size), row


def test_batch_norm_lesson_quotes_the_real_defaults_and_arithmetic():
    text = text_of(lesson("batch_normalization"))
    layer = keras().layers.BatchNormalization()
    assert layer.momentum == 0.99 and layer.epsilon == 1e-3
    assert "default momentum is\n0.99" in text or "default momentum is 0.99" in text
    assert "ε (Keras' default: 10⁻³)" in text
    assert ModelConfig().bn_momentum == 0.9 and "momentum 0.9 (`ModelConfig.bn_momentum`)" in text
    assert f"0.99<sup>157</sup> ≈ {0.99 ** 157:.2f}" in text
    # One pass over 10,000 images: ceil(10,000 / batch size) steps.
    assert -(-10_000 // 64) == 157 and "| 64 | 157 |" in text
    assert -(-10_000 // 32) == 313 and "| 32 | 313 |" in text


def test_application_lessons_quote_the_corruptions_as_built():
    inpainting, shadows = text_of(lesson("inpainting")), text_of(lesson("shadow_removal"))
    assert tasks.get("inpaint").params["count"] == 10 and "10 of the 28 rows" in inpainting
    blocks = CORRUPTIONS.get("blocks")
    corrupted = blocks(np.ones((1, 28, 28, 1), np.float32), seed=0)
    assert np.all(corrupted.images[corrupted.mask > 0] == 0.5) and "value 0.5" in inpainting
    assert blocks.defaults() == {"size": 8, "count": 3} and "side 8 pixels, 3 per image" in inpainting
    assert tuple(SHADOW_CAST.tolist()) == pytest.approx((1.0, 0.95, 0.85)) and "(1.0, 0.95, 0.85)" in shadows


@pytest.mark.parametrize("name", [*OPERATIONS, "autoencoders"])
def test_operation_lessons_link_back_to_where_they_can_be_tried(name):
    assert "](../README.md#app-tabs)" in text_of(lesson(name)).split("\n## ", 1)[0]


def test_in_the_app_a_lesson_links_back_through_a_button_to_its_tab():
    from demo import lessons_tab

    for name in tasks.names():
        stem = tasks.get(name).lesson
        owner = lessons_tab.task_of(stem)
        assert tasks.get(owner).lesson == stem and tasks.names().index(owner) <= tasks.names().index(name)
        shown = lessons_tab.render(stem)
        assert f"**Try it: the {tasks.get(owner).title} tab**: press the button above" in shown
        assert "README.md#app-tabs" not in shown  # a link that would lead out of the app
    assert lessons_tab.task_of("convolution") == tasks.names()[0]


@pytest.mark.parametrize("path", sorted(LESSONS.glob("*.md")), ids=lambda p: p.name)
def test_a_lesson_speaks_to_students_not_to_developers(path):
    """How the lessons are checked is said in CONTRIBUTING.md. (A lesson's "in the code" list may say which test
    compares its NumPy operation with TensorFlow's: that is for the student who steps through it.)"""
    text = path.read_text(encoding="utf-8")
    assert "test_lessons" not in text and (path.name != "README.md" or "tests/" not in text), path.name
