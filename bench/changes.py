"""The stream of changes: what it costs a commit, and how soon another process hears of it.

Figures (medians, milliseconds, unless named p50/p99):

- ``changes_commit_bare``: baseline, one unit of work (20 rows updated and a
  row added) on a session factory with only the outbox hook, as before the
  stream;
- ``changes_commit_recorded``: the same unit on a ``Database``'s own sessions,
  which note every row, write the ``change_log`` entries in the same
  transaction and publish after commit;
- ``changes_other_process_p50`` / ``_p99``: from another connection's commit
  (the command line, a second console) to this process's subscriber being
  called by the watcher (polling every 250 ms: the bar is 1 s).

Run: ``python -m bench changes``.
"""

from __future__ import annotations

import itertools
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from console.domain.changes import ChangeSet, Origin
from console.storage import outbox
from console.storage.db import open_database
from console.storage.models import LocalSetting

_fresh = itertools.count()
ROUNDS = 200
LATENCY_ROUNDS = 40
ROWS = 20


def _unit(factory: sessionmaker, n: int) -> None:  # type: ignore[type-arg]
    with factory.begin() as s:
        for key in range(ROWS):
            s.get(LocalSetting, f"k{key}").value = str(n)   # type: ignore[union-attr]
        s.add(LocalSetting(key=f"new{next(_fresh)}", value="1"))


def _timed(factory: sessionmaker) -> float:  # type: ignore[type-arg]
    times = []
    for n in range(ROUNDS):
        start = time.perf_counter()
        _unit(factory, n)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "store")
        with db.begin() as s:
            s.add_all(LocalSetting(key=f"k{key}", value="0") for key in range(ROWS))
        bare = sessionmaker(db.engine, expire_on_commit=False)
        outbox.install(bare)
        _timed(bare), _timed(db.sessions)   # warm both
        print(f"BENCH changes_commit_bare {_timed(bare):.2f} ms")
        print(f"BENCH changes_commit_recorded {_timed(db.sessions):.2f} ms")

        heard = threading.Event()

        def listen(changes: ChangeSet) -> None:
            if changes.origin is Origin.OTHER_PROCESS:
                heard.set()

        db.changes.subscribe(listen)
        db.watch_other_processes()
        other = open_database(Path(folder) / "store")
        latencies = []
        pause = random.Random(7)
        for n in range(LATENCY_ROUNDS):
            time.sleep(pause.uniform(0, 0.25))   # not in step with the watcher's polls
            heard.clear()
            start = time.perf_counter()
            with other.begin() as s:
                s.get(LocalSetting, "k0").value = f"other{n}"   # type: ignore[union-attr]
            if not heard.wait(5):
                raise SystemExit("the watcher did not hear another connection's commit within 5 s")
            latencies.append((time.perf_counter() - start) * 1000)
        latencies.sort()
        print(f"BENCH changes_other_process_p50 {statistics.median(latencies):.0f} ms")
        print(f"BENCH changes_other_process_p99 {latencies[int(len(latencies) * 0.99) - 1]:.0f} ms")
        other.close()
        db.close()


if __name__ == "__main__":
    main()
