"""The sign-in window's users read straight from the file agree with the opened store's, or are None."""

from __future__ import annotations

from pathlib import Path

from console.services import signin_preview
from console.services.auth import AuthService
from console.services.base import STORE_ID_SETTING
from console.services.signin_preview import peek_sign_in
from console.storage.db import DB_FILENAME, open_database


def test_the_preview_lists_what_the_store_lists(tmp_path: Path) -> None:
    assert (signin_preview.DB_FILENAME, signin_preview.STORE_ID_SETTING) == (DB_FILENAME, STORE_ID_SETTING)
    db = open_database(tmp_path)
    try:
        auth = AuthService(db)
        assert peek_sign_in(tmp_path) is None          # no store yet: the first-run window, as before
        auth.create_store(code="SH01", name="上海店", manager_name="王经理", manager_login="wang", pin="1234")
        store, users = peek_sign_in(tmp_path)         # type: ignore[misc]
        assert store == auth.local_store()
        assert users == auth.list_users()
    finally:
        db.close()


def test_no_preview_from_a_missing_or_foreign_file(tmp_path: Path) -> None:
    assert peek_sign_in(tmp_path / "nowhere") is None
    (tmp_path / DB_FILENAME).write_bytes(b"not a database at all")
    assert peek_sign_in(tmp_path) is None
