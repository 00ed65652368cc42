"""`ModelConfig`: every architecture choice a student can make, one field per UI control."""

from dataclasses import dataclass, replace

KINDS = ("dense", "conv", "unet")
UPSAMPLING = ("transpose", "nearest", "pixel_shuffle")


@dataclass(frozen=True)
class ModelConfig:
    kind: str = "unet"  # "dense" (vedantgoswami seed), "conv" (TF tutorial seed) or "unet" (IMV seed)
    latent_dim: int = 32  # dense: size of the code between encoder and decoder
    depth: int = 2  # unet: how many times the encoder halves the image
    base_filters: int = 16  # unet: filters of the first block, doubled at every level
    batch_norm: bool = True  # unet: BatchNormalization after every 3x3 conv
    bn_momentum: float = 0.9  # Keras' 0.99 leaves moving statistics unconverged after a brief training
    skip: bool = True  # unet: concatenate encoder features into the decoder (U-Net) or not (plain AE)
    upsampling: str = "transpose"  # "transpose" (Conv2DTranspose), "nearest" (+conv) or "pixel_shuffle"
    residual: bool = False  # predict a correction added to the input (only when input and output match)
    output_activation: str = "sigmoid"  # keeps outputs in [0, 1]

    def validate(self) -> "ModelConfig":
        """Raise ValueError naming the bad field; return self so calls can chain."""
        if self.kind not in KINDS:
            raise ValueError(f"model kind must be one of {KINDS}, got {self.kind!r}")
        if self.upsampling not in UPSAMPLING:
            raise ValueError(f"upsampling must be one of {UPSAMPLING}, got {self.upsampling!r}")
        if not 2 <= self.latent_dim <= 4096:
            raise ValueError(f"latent_dim must be between 2 and 4096, got {self.latent_dim}")
        if not 1 <= self.depth <= 5:
            raise ValueError(f"depth must be between 1 and 5, got {self.depth}")
        if not 4 <= self.base_filters <= 128:
            raise ValueError(f"base_filters must be between 4 and 128, got {self.base_filters}")
        if not 0.0 <= self.bn_momentum < 1.0:
            raise ValueError(f"bn_momentum must be in [0, 1), got {self.bn_momentum}")
        if self.output_activation not in ("sigmoid", "linear", "relu"):
            raise ValueError(f"output_activation must be sigmoid, linear or relu, got {self.output_activation!r}")
        return self

    @property
    def size_multiple(self) -> int:
        """Input height and width must be multiples of this (each pooling halves them)."""
        return {"dense": 1, "conv": 4, "unet": 2 ** self.depth}[self.kind]

    def replace(self, **changes) -> "ModelConfig":
        return replace(self, **changes).validate()
