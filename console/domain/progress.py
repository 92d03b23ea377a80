"""How far a long sync step has come: rows done, rows per second, time left (for the enrolment dialog).

Plain values and a meter over a monotonic clock; no Qt. The rate counts only the
rows of this run, so a load resumed at 60,000 rows does not claim the first
60,000 were fetched in its first second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# What is moving: head office's catalog or the store's data coming down, this console's data going up,
# or the staged pages being written into the tables (one transaction, no count).
LOAD_CATALOG, LOAD_STORE, UPLOAD, APPLY = "catalog", "store", "upload", "apply"


@dataclass(frozen=True)
class LoadProgress:
    phase: str
    done: int
    total: int | None               # None when unknown (an older head office)
    rows_per_second: float | None   # None until a moment has passed
    seconds_left: float | None      # None while the rate or the total is unknown

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


ProgressSink = Callable[[LoadProgress], None]

MIN_ELAPSED = 0.2   # seconds before a rate means anything


class ProgressMeter:
    """Turns (done, total) of one phase into a :class:`LoadProgress` and hands it on."""

    def __init__(self, phase: str, sink: ProgressSink | None, *, done: int = 0, total: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.phase = phase
        self._sink = sink
        self._clock = clock
        self._started = clock()
        self._start_done = done
        self.total = total
        self.report(done, total)

    def report(self, done: int, total: int | None = None) -> LoadProgress:
        if total is not None:
            self.total = total
        elapsed = self._clock() - self._started
        moved = done - self._start_done
        rate = moved / elapsed if elapsed >= MIN_ELAPSED and moved > 0 else None
        left = None
        if rate and self.total is not None:
            left = max(0.0, (self.total - done) / rate)
        progress = LoadProgress(self.phase, done, self.total, rate, left)
        if self._sink is not None:
            self._sink(progress)
        return progress
