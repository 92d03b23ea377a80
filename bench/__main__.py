"""``python -m bench``: run every benchmark script in this folder, one after another."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
# Parts kept in private modules (their names start with "_"), run by their own name or with everything.
NAMED_PARTS = {"dashboard": "_dashboard"}


def main(argv: list[str]) -> int:
    parts = {p.stem: p.stem for p in HERE.glob("*.py") if not p.name.startswith("_")} | NAMED_PARTS
    wanted = set(argv)
    status = 0
    for name, module in sorted(parts.items()):
        if wanted and name not in wanted:
            continue
        print(f"# {name}", flush=True)
        status |= subprocess.call([sys.executable, "-m", f"bench.{module}"], cwd=HERE.parent)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
