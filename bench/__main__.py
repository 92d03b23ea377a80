"""``python -m bench``: run every benchmark script in this folder, one after another."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
# Benchmarks kept in a private module, by the name they are run under.
ENTRIES = {"reports_headoffice": "_reports_headoffice", "dashboard": "_dashboard"}


def main(argv: list[str]) -> int:
    scripts = {p.stem: p.stem for p in HERE.glob("*.py") if not p.name.startswith("_")}
    scripts.update(ENTRIES)
    wanted = set(argv)
    status = 0
    for name, module in sorted(scripts.items()):
        if wanted and name not in wanted:
            continue
        print(f"# {name}", flush=True)
        status |= subprocess.call([sys.executable, "-m", f"bench.{module}"], cwd=HERE.parent)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
