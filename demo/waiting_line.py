"""Who is waiting to train: the class shares one training queue, and a waiting student should see
"You are 2nd in line — about 40 s" where they are looking, not a small grey counter.

Gradio's queue runs one training at a time; this line only counts, so the message can say how
many trainings are ahead and roughly how long they take (each its budget plus the measured
overhead of preparing and scoring).
"""

import threading
import time
from dataclasses import dataclass, field

OVERHEAD_SECONDS = 4.0  # preparing data + model and scoring after training, on 2 cores (measured: 2-5 s)
FORGET_AFTER = 900.0  # seconds: a place left by a closed page is dropped after this


@dataclass
class Place:
    budget: float
    joined: float = field(default_factory=time.monotonic)
    started: float | None = None  # when its training began


class WaitingLine:
    def __init__(self):
        self._places: dict[int, Place] = {}
        self._lock = threading.Lock()
        self._next = 0

    def join(self, budget: float) -> tuple[int, int, float]:
        """(ticket, trainings ahead, estimated seconds until this one starts)."""
        with self._lock:
            self._forget_old()
            ahead = list(self._places.values())
            ticket, self._next = self._next, self._next + 1
            self._places[ticket] = Place(float(budget))
        now = time.monotonic()
        wait = sum(max(0.0, p.budget + OVERHEAD_SECONDS - ((now - p.started) if p.started else 0.0)) for p in ahead)
        return ticket, len(ahead), wait

    def start(self, ticket: int | None) -> float | None:
        """The ticket's training starts now; returns how long it waited (None without a place in the line: a
        training through the API waits in Gradio's queue before its handler can see it)."""
        with self._lock:
            place = self._places.get(ticket)
            if place is None:
                return None
            place.started = time.monotonic()
            return place.started - place.joined

    def leave(self, ticket: int | None) -> None:
        with self._lock:
            self._places.pop(ticket, None)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for ticket in [t for t, p in self._places.items() if now - p.joined > FORGET_AFTER]:
            del self._places[ticket]


LINE = WaitingLine()  # one line for the whole server: training is one at a time across every tab


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def waiting_message(ahead: int, wait: float) -> str:
    if ahead == 0:
        return "Starting your training…"
    return (f"You are {ordinal(ahead + 1)} in line — about {wait:.0f} s until your training starts "
            f"({ahead} training{'s' if ahead > 1 else ''} ahead of you; the class shares 2 CPU cores).")
