"""Where the console keeps its data: --data-dir, ANCHOR_CONSOLE_HOME, or the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_ENV = "ANCHOR_CONSOLE_HOME"
# In the data folder, beside the database: the console's log files (written before the store opens).
LOG_DIRNAME = "logs"


def default_data_dir() -> Path:
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("anchor-console", appauthor=False))


def resolve_data_dir(arg: str | os.PathLike[str] | None) -> Path:
    return Path(arg).expanduser() if arg else default_data_dir()
