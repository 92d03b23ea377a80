"""``python -m console``: the command line alone (no window); ``anchor-console`` adds the window."""

import sys

from console.cli import main

if __name__ == "__main__":
    sys.exit(main())
