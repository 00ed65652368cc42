"""How the app's events share two CPU cores among a class.

- training: one run at a time for the whole class, in the order the students pressed Train; the waiting
  line (demo/waiting_line.py) decides whose turn it is, so every waiting student's handler runs and counts
  down (concurrency id "train", as many at once as the queue holds);
- everything else (previews, restoring, comparing): a few at a time (concurrency id "inference").
Every task tab and the Lessons tab's widgets use these, so the limits hold across tabs.
"""

QUEUE_SIZE = 64  # events waiting at once; beyond this a student is told the queue is full
TRAIN = dict(concurrency_limit=QUEUE_SIZE, concurrency_id="train")
INFERENCE = dict(concurrency_limit=4, concurrency_id="inference")
PRIVATE = dict(api_visibility="private")
# Live views that follow a slider: not in the API, no progress overlay, only the latest value computed.
QUIET = dict(api_visibility="private", show_progress="hidden", trigger_mode="always_last", **INFERENCE)
