"""``python -m bench``: run every benchmark script in this folder, one after another."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str]) -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if not p.name.startswith("_"))
    wanted = set(argv)
    status = 0
    for script in scripts:
        if wanted and script.stem not in wanted:
            continue
        print(f"# {script.stem}", flush=True)
        status |= subprocess.call([sys.executable, "-m", f"bench.{script.stem}"], cwd=HERE.parent)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
