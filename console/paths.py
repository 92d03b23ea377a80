"""Where the console keeps its data (--data-dir, ANCHOR_CONSOLE_HOME, or the user's data folder), and how it writes a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

from console.domain.errors import ValidationError
from console.i18n import Message, msg

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


def write_atomically(path: Path, data: bytes) -> None:
    """Write a temporary file beside ``path`` and rename it over: never a half-written file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ValidationError(cannot_write(path, exc)) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); give it the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ValidationError(cannot_write(path, exc)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def cannot_write(path: Path, exc: OSError) -> Message:
    # The reason is the operating system's own words (English from the C library).
    return msg("cli.cannot_write", "Cannot write {path}: {reason}.", path=str(path), reason=exc.strerror or str(exc))
