"""The Shadow removal tab's words: the image editor, where a student paints a shadow to lift (or to cast)."""

from demo.tasks import Tab

TAB = Tab(own_image_hint="paint the shadow yourself in the editor",
          paint_label="Your image: paint where the shadow is (or where to cast one)")
