"""Benchmark data: the large demo store, built once and kept under bench/.data/."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from console import __version__
from console.demo import build_demo
from console.storage.db import head_revision

DATA = Path(__file__).parent / ".data"


def large_store(seed: int = 20261125) -> Path:
    """The large demo store for this schema, building it (minutes) only the first time."""
    folder = DATA / f"large-{head_revision()}-{seed}"
    done = folder / ".complete"
    if done.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    print(f"# building the large demo store in {folder} (once) ...", flush=True)
    build_demo(folder, scale="large", seed=seed)
    done.write_text(f"{__version__}\n")
    print(f"# built in {time.perf_counter() - started:.0f} s", flush=True)
    return folder
