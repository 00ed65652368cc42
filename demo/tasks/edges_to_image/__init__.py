"""The Edges -> image tab's own sections: the sketch pad, the GAN against L1 side by side, and what the
discriminator sees; the library side is aecore/tasks/edges_to_image/."""
