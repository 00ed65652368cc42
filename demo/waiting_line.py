"""Who is waiting to train: the class shares one line of trainings, and a waiting student should see
"You are 2nd in line — about 40 s" where they are looking, counting down, not a small grey counter.

The line decides who trains: a training joins it (`join`), waits for its turn (`turn` yields the
place and the estimate once a second, so the status line counts down) and leaves when done. Trainings
start in the order they joined, as many at once as the line has slots (one on a 2-core server). The
estimate is each training ahead's budget plus the measured overhead of preparing and scoring, less what
it has already run.
"""

import contextlib
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator

OVERHEAD_SECONDS = 4.0  # preparing data + model and scoring after training, on 2 cores (measured: 2-5 s)
FORGET_AFTER = 3600.0  # seconds: a place its page never left (a crashed handler) is dropped after this
TICK_SECONDS = 1.0  # how often a waiting student's place and estimate are said again


@dataclass
class Place:
    budget: float
    joined: float = field(default_factory=time.monotonic)
    started: float | None = None  # when its training began


class WaitingLine:
    def __init__(self, slots: int = 1):
        self.slots = slots  # trainings that run at once
        self._places: dict[int, Place] = {}
        self._changed = threading.Condition()
        self._next = 0

    def join(self, budget: float) -> tuple[int, int, float]:
        """(ticket, trainings ahead, estimated seconds until this one starts)."""
        with self._changed:
            self._forget_old()
            ticket, self._next = self._next, self._next + 1
            self._places[ticket] = Place(float(budget))
            return (ticket, *self._where(ticket))

    def turn(self, ticket: int) -> Iterator[tuple[int, float]]:
        """Wait for `ticket`'s turn, yielding (trainings ahead, estimated seconds) about once a second; when it
        returns, the ticket's training has started."""
        while True:
            with self._changed:
                place = self._places.get(ticket)
                if place is None:  # forgotten (its page closed long ago): join again at the end
                    ticket = self.join(FORGET_AFTER)[0]
                    continue
                ahead, wait = self._where(ticket)
                running = sum(p.started is not None for p in self._places.values())
                if not any(p.started is None for t, p in self._places.items() if t < ticket) and running < self.slots:
                    place.started = time.monotonic()
                    return
            yield ahead, wait
            with self._changed:
                self._changed.wait(TICK_SECONDS)

    def waited(self, ticket: int) -> float | None:
        """Seconds the ticket waited before its training started (None if it has not started)."""
        with self._changed:
            place = self._places.get(ticket)
            return None if place is None or place.started is None else place.started - place.joined

    def leave(self, ticket: int | None) -> None:
        with self._changed:
            self._places.pop(ticket, None)
            self._changed.notify_all()

    @contextlib.contextmanager
    def place(self, budget: float):
        """Hold a place for a training that shows no countdown of its own (a lesson's widget)."""
        ticket = self.join(budget)[0]
        try:
            for _ in self.turn(ticket):
                pass
            yield
        finally:
            self.leave(ticket)

    def _where(self, ticket: int) -> tuple[int, float]:
        """(trainings ahead of `ticket`, estimated seconds until it starts); the caller holds the lock."""
        now = time.monotonic()
        ahead = [p for t, p in self._places.items() if t < ticket]
        remaining = sorted(max(0.0, p.budget + OVERHEAD_SECONDS - ((now - p.started) if p.started else 0.0))
                           for p in ahead)
        return len(ahead), sum(remaining) / self.slots

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
