"""`ModelConfig`: every architecture choice a student can make, one field per UI control.

Each field's range is declared once, as a `Param` in `FIELDS`: `validate()` checks against it
and the app builds its sliders from it. Which kinds exist is the model registry's business
(`aecore.models.MODELS`): a new family is one module in `aecore/models/`.
"""

from dataclasses import dataclass, replace

from aecore.params import Param, check_fields

UPSAMPLING = ("transpose", "nearest", "pixel_shuffle")

FIELDS = (
    Param("latent_dim", 32, 2, 512, 1, label="Latent size", help="numbers in a dense model's code"),
    Param("depth", 2, 1, 5, 1, label="Depth", help="how many times the encoder halves the image"),
    Param("base_filters", 16, 4, 64, 4, label="Base filters", help="filters of the first block, doubled at every level"),
    Param("batch_norm", True, choices=(True, False), label="Batch normalization"),
    Param("bn_momentum", 0.9, 0.0, 0.999, 0.001, label="BN momentum"),
    Param("skip", True, choices=(True, False), label="Skip connections (U-Net)"),
    Param("upsampling", "transpose", choices=UPSAMPLING, label="Upsampling"),
    Param("residual", False, choices=(True, False), label="Predict a correction (residual)"),
    Param("output_activation", "sigmoid", choices=("sigmoid", "linear", "relu"), label="Output activation"),
)


@dataclass(frozen=True)
class ModelConfig:
    kind: str = "unet"  # a registered model family: "dense" (vedantgoswami seed), "conv" (TF tutorial), "unet" (IMV)
    latent_dim: int = 32  # dense: size of the code between encoder and decoder
    depth: int = 2  # unet: how many times the encoder halves the image
    base_filters: int = 16  # unet: filters of the first block, doubled at every level
    batch_norm: bool = True  # unet: BatchNormalization after every 3x3 conv
    bn_momentum: float = 0.9  # Keras' 0.99 leaves moving statistics unconverged after a brief training
    skip: bool = True  # unet: concatenate encoder features into the decoder (U-Net) or not (plain AE)
    upsampling: str = "transpose"  # "transpose" (Conv2DTranspose), "nearest" (+conv) or "pixel_shuffle"
    residual: bool = False  # predict a correction added to the input (only when input and output match)
    output_activation: str = "sigmoid"  # keeps outputs in [0, 1]

    @property
    def family(self):
        """The registered model family of `kind` (ValueError naming the kinds there are)."""
        from aecore.models import MODELS

        return MODELS.get(self.kind)

    def validate(self) -> "ModelConfig":
        """Raise ValueError naming the bad field; return self so calls can chain."""
        from aecore.models import MODELS  # importing the package registers every family

        if self.kind not in MODELS:
            raise ValueError(f"model kind must be one of {MODELS.names()}, got {self.kind!r}")
        check_fields(self, FIELDS, "model")
        self.family.check(self)  # the family's own words first
        for name, (low, high) in self.family.ranges(self).items():
            if not low <= getattr(self, name) <= high:
                raise ValueError(f"a {self.kind} model's {name} must be between {low} and {high}, "
                                 f"got {getattr(self, name)}")
        return self

    def field_range(self, name: str, image_shape: tuple | None = None) -> tuple:
        """(low, high) of a numeric field for this kind and these other settings: the family's, else the field's;
        for images of `image_shape` (H, W, ...), only values whose halvings still divide the sides evenly
        (28x28 digits allow a U-Net depth of 2: 28 = 4 x 7)."""
        param = next(param for param in FIELDS if param.name == name)
        low, high = self.family.ranges(self).get(name, (param.low, param.high))
        if image_shape is None or isinstance(low, float):
            return low, high

        def fits(value) -> bool:
            return all(side % replace(self, **{name: value}).size_multiple == 0 for side in image_shape[:2])

        fitting = [value for value in range(low, high + 1) if fits(value)]
        return (low, max(fitting)) if fitting and not fits(high) else (low, high)

    @property
    def size_multiple(self) -> int:
        """Input height and width must be multiples of this (each pooling halves them)."""
        return self.family.size_multiple(self)

    def replace(self, **changes) -> "ModelConfig":
        return replace(self, **changes).validate()
