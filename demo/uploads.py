"""Upload components that read every file through `aecore.images`, so a bad file gets a sentence.

Gradio's own gr.Image decodes an upload with Pillow before any handler runs, and a text file named
.png, a truncated PNG or a decompression bomb then fails with a generic error. These subclasses
check the file first (what it really is, its size from the header alone) and decode it the way
the CLI does, then hand the handler a float image.
"""

import gradio as gr

from aecore.images import file_bytes, inspect_file, read_image, to_float_image


def _refuse(error: Exception) -> gr.Error:
    return gr.Error(f"This upload cannot be used: {error}.")


class PhotoUpload(gr.Image):
    """gr.Image whose value reaches handlers as an (H, W, 1 or 3) float32 image in [0, 1]."""

    def preprocess(self, payload):
        if payload is None:
            return None
        try:
            if payload.path is None or (payload.url or "").startswith("data:"):  # the webcam: base64 pixels
                return to_float_image(super().preprocess(payload))
            return read_image(payload.path)
        except (ValueError, OSError) as error:
            raise _refuse(error) from None

    @classmethod
    def get_block_name(cls) -> str:
        return "image"  # the browser shows it as the ordinary image component


class PhotoEditor(gr.ImageEditor):
    """gr.ImageEditor whose background file is checked (what it is, how many pixels) before it is decoded."""

    def preprocess(self, payload):
        background = getattr(payload, "background", None) if payload is not None else None
        path = getattr(background, "path", None)
        try:
            if path:
                inspect_file(file_bytes(path))
            return super().preprocess(payload)
        except (ValueError, OSError) as error:
            raise _refuse(error) from None

    @classmethod
    def get_block_name(cls) -> str:
        return "imageeditor"


def check_on_arrival(payload):
    """An `.upload` handler with `preprocess=False`: the raw upload (an image's file, or an editor's background)
    is checked before anything decodes it. A bad file is taken out again, with its sentence as a warning: no
    broken picture, and no failed event to mark the component with a bare "Error"."""
    def field(value, name):  # the payload comes as a dict, or as Gradio's data model
        return value.get(name) if isinstance(value, dict) else getattr(value, name, None)

    background = field(payload, "background") or payload
    path, url = field(background, "path"), field(background, "url") or ""
    if not path or url.startswith("data:"):  # the webcam's pixels, or nothing to read
        return gr.skip()
    try:
        inspect_file(file_bytes(path))
    except (ValueError, OSError) as error:
        gr.Warning(str(_refuse(error).message))
        return None
    return gr.skip()
