"""``python -m console``: the same as the ``anchor-console`` command."""

import sys

from console.cli import main

if __name__ == "__main__":
    sys.exit(main())
