"""Cold start to a painted main window on the large demo store, against a bare PySide6 window.

Both are started the same way, as fresh processes, alternately, several
times in the same run; the figure is the ratio of the medians.
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


def time_to_paint(args: list[str]) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench._startup_child", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
                            cwd=Path(__file__).parent.parent)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == "PAINTED":
            elapsed = time.perf_counter() - started
            # Shutting down is not part of starting up.
            proc.kill()
            proc.wait()
            return elapsed
    proc.wait()
    raise RuntimeError(f"{args} exited ({proc.returncode}) without painting")


def main() -> None:
    store = large_store()
    time_to_paint(["bare"])                  # warm the file cache for both, once
    time_to_paint(["console", str(store)])
    bare, console = [], []
    for _ in range(ROUNDS):
        bare.append(time_to_paint(["bare"]))
        console.append(time_to_paint(["console", str(store)]))
    b, c = statistics.median(bare), statistics.median(console)
    print(f"BENCH startup_bare_window {b * 1000:.0f} ms")
    print(f"BENCH startup_console_large {c * 1000:.0f} ms")
    print(f"BENCH startup_ratio {c / b:.2f} x")


if __name__ == "__main__":
    main()
