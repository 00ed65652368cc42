"""The Variational autoencoder tab's own sections: its latent space (walk it), samples, interpolation and latent
sizes; the library side is aecore/tasks/vae/."""

from dataclasses import dataclass, field

from demo.tasks import Tab

TAB = Tab(sections=("data", "try", "model", "train", "compare", "vae_space", "vae_sample", "vae_interpolate",
                    "vae_sizes"),
          apply_label="Score the reconstruction against your image (untick: reconstruct only)",
          own_image_hint="upload a photo or use the webcam: it is read in gray at the model's size, and the report "
                         "under it gives its code")


@dataclass
class Kept:
    """What the VAE tab's sections keep for one student: their plain autoencoders, and what the views remember
    between events."""

    plain: dict = field(default_factory=dict)  # key of a VAE (its setup and label) -> its plain twin Model
    maps: dict = field(default_factory=dict)  # "vae" / "plain" -> MapPixels of the map last drawn
    rows: list = field(default_factory=list)  # the "extending the latent space" table, one dict per model
    keys: set = field(default_factory=set)  # models already in the table
