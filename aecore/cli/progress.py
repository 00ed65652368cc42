"""A one-line terminal progress bar for training: [#####.....] 52%  epoch 3  loss 0.0123  val 24.1 dB."""

import sys


class ProgressBar:
    def __init__(self, stream=sys.stderr, width: int = 30):
        self.stream, self.width = stream, width

    def __call__(self, progress) -> None:
        filled = int(progress.fraction * self.width)
        text = f"\r[{'#' * filled}{'.' * (self.width - filled)}] {progress.fraction:4.0%}  epoch {progress.epoch}" \
               f"  step {progress.step}  loss {progress.loss:.4f}"
        if progress.val_psnr is not None:
            text += f"  val {progress.val_psnr:.2f} dB / SSIM {progress.val_ssim:.3f}"
        self.stream.write(text.ljust(100))
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
