"""The Inpainting tab's words: the image editor, where a student paints the holes to fill."""

from demo.tasks import Tab

TAB = Tab(own_image_hint="paint the damage yourself in the editor",
          paint_label="Your image: paint over the holes to fill in")
