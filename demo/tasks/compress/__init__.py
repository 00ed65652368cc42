"""The Compression tab's own sections: the rate–distortion curve, equal bytes against JPEG and WebP, the
quantized code, and a real file to download and decode (the codec itself is aecore/tasks/compress/)."""

from dataclasses import dataclass, field

from demo.tasks import Tab

TAB = Tab(sections=("data", "model", "train", "rate_distortion", "equal_bytes", "codes", "codec_file"),
          apply_label="", own_image_hint="upload a photo in **Compress your image** and download its file")


@dataclass
class Kept:
    """What the Compression tab's sections keep for one student."""

    points: list = field(default_factory=list)  # a rate-distortion point per model the student had in use
    equal_bytes_shown: bool = False  # "equal bytes" has opened once (on its first lively example)
    file: str | None = None  # the path of the student's last .aec file, for the download
