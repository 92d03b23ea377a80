"""The remote-control token: a random secret in the data folder, created once, readable by its owner only.

A button that drives the show must prove it was set up by someone who can read
the console's data folder; any page open in a browser on the same computer
cannot.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TOKEN_FILENAME = "overlay-token"


def overlay_token(data_dir: Path) -> str:
    """The folder's token, made (mode 0600) the first time it is asked for."""
    path = Path(data_dir) / TOKEN_FILENAME
    try:
        found = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        found = ""
    if found:
        return found
    token = secrets.token_urlsafe(32)
    # O_EXCL: two consoles starting at once agree on the one that was written first.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(token + "\n")
    return token
