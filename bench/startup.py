"""Cold start on the large demo store, against a bare PySide6 window started the same way.

Every figure is a fresh process, started alternately with the others, several
times in the same run; ratios are of the medians. Three console figures:

* ``startup_first_window``: the sign-in window painted (the store still opening);
* ``startup_sign_in_ready``: the sign-in window painted with its users listed;
* ``startup_main_window``: the main window painted with the Live screen's data,
  signed in without a PIN, straight from the start;
* ``startup_pin_to_main_window``: in the sign-in flow, from the PIN accepted (a
  person's typing time after the users are listed) to the main window painted
  with the Live screen's data (issue 16's bar: under 150 ms, aim 80 ms).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench._data import large_store

ROUNDS = 7


def times_to(args: list[str], markers: tuple[str, ...]) -> dict[str, float]:
    """Seconds from starting the process to each marker line it prints."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench._startup_child", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                            cwd=Path(__file__).parent.parent)
    assert proc.stdout is not None
    seen: dict[str, float] = {}
    try:
        for line in proc.stdout:
            marker = line.strip()
            if marker in markers:
                seen[marker] = time.perf_counter() - started
                if len(seen) == len(markers):
                    return seen
    finally:
        # Shutting down is not part of starting up.
        proc.kill()
        proc.wait()
    raise RuntimeError(f"{args} exited without printing {markers}; saw {seen}")


def main() -> None:
    store = str(large_store())
    runs = {
        "bare": (["bare"], ("PAINTED",)),
        "signin": (["signin", store], ("FIRST", "READY")),
        "main": (["main", store], ("PAINTED",)),
        "pin": (["pin", store], ("ACCEPTED", "PAINTED")),
    }
    for args, markers in runs.values():  # warm the file cache once for each
        times_to(args, markers)
    samples: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        for name, (args, markers) in runs.items():
            for marker, seconds in times_to(args, markers).items():
                samples.setdefault(f"{name}:{marker}", []).append(seconds)
    median = {key: statistics.median(values) for key, values in samples.items()}
    bare = median["bare:PAINTED"]
    figures = (
        ("startup_first_window", median["signin:FIRST"]),
        ("startup_sign_in_ready", median["signin:READY"]),
        ("startup_main_window", median["main:PAINTED"]),
    )
    print(f"BENCH startup_bare_window {bare * 1000:.0f} ms")
    for name, seconds in figures:
        print(f"BENCH {name} {seconds * 1000:.0f} ms")
        print(f"BENCH {name}_ratio {seconds / bare:.2f} x")
    # The brief's bar: cold start to the painted main window, at most 3x.
    print(f"BENCH startup_ratio {median['main:PAINTED'] / bare:.2f} x")
    pin = statistics.median(p - a for p, a in zip(samples["pin:PAINTED"], samples["pin:ACCEPTED"], strict=True))
    print(f"BENCH startup_pin_to_main_window {pin * 1000:.0f} ms")


if __name__ == "__main__":
    main()
