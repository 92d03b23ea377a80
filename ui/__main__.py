"""``anchor-console`` and ``python -m ui``: the command line, with the console's window when no command is named.

The commands live in the Qt-free :mod:`console.cli`; this launcher hands it
the way to open the window, so the core never imports the ui (an
import-linter contract holds it to that). Qt is loaded only for the window:
``anchor-console sync`` starts as fast as the core alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from console.cli import main as cli_main


def _window(data_dir: Path, args: argparse.Namespace) -> int:
    from ui.app import run

    return run(data_dir, args)


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, gui=_window)


if __name__ == "__main__":
    sys.exit(main())
