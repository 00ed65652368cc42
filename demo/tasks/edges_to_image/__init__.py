"""The Edges -> image tab's own sections: the sketch pad, the GAN against L1 side by side, and what the
discriminator sees; the library side is aecore/tasks/edges_to_image/."""

from demo.tasks import Tab

TAB = Tab(sections=("data", "try", "draw", "model", "train", "gan_compare", "discriminator", "latent"),
          apply_label="Find the edges first (untick if your image is already an edge map or a sketch)",
          own_image_hint="draw your own outlines on the sketch pad, or upload a photo and see its edges")
