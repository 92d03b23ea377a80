"""Where a console keeps its head-office token: the OS keyring, else a 0600 file in the data folder.

The keyring entry is service ``anchor-console``, user name the data folder's
absolute path, so two data folders on one PC (a demo and the real store) keep
separate tokens. Where no keyring works (a headless server, a CI runner, the
``fail`` or ``null`` backend) the token goes to ``.sync-token`` beside the
database, readable by its owner only.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

KEYRING_SERVICE = "anchor-console"
TOKEN_FILENAME = ".sync-token"


class TokenStore:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.username = str(self.data_dir.resolve())
        self.file = self.data_dir / TOKEN_FILENAME

    def save(self, token: str) -> str:
        """Keep ``token``; returns where: "keyring" or "file"."""
        if self._keyring_set(token):
            self.file.unlink(missing_ok=True)
            return "keyring"
        self._write_file(token)
        return "file"

    def load(self) -> str | None:
        token = self._keyring_get()
        if token:
            return token
        try:
            return self.file.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def clear(self) -> None:
        try:
            import keyring
            import keyring.errors

            keyring.delete_password(KEYRING_SERVICE, self.username)
        except Exception:  # noqa: BLE001 - no keyring, or no entry: nothing to clear there
            pass
        self.file.unlink(missing_ok=True)

    # --- keyring, tolerating every way it can be absent ---------------------------
    def _keyring_set(self, token: str) -> bool:
        try:
            import keyring

            keyring.set_password(KEYRING_SERVICE, self.username, token)
            # The null backend accepts and forgets: only a read-back proves it kept the token.
            return keyring.get_password(KEYRING_SERVICE, self.username) == token
        except Exception as exc:  # noqa: BLE001 - NoKeyringError, a locked or broken backend ...
            log.info("no usable keyring (%s); the token goes to %s", exc, self.file)
            return False

    def _keyring_get(self) -> str | None:
        try:
            import keyring

            return keyring.get_password(KEYRING_SERVICE, self.username)
        except Exception:  # noqa: BLE001
            return None

    def _write_file(self, token: str) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        temp = self.file.with_name(self.file.name + ".tmp")
        temp.unlink(missing_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(token)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, self.file)
