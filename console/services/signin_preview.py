"""Who may sign in, read straight from the database file before the store is opened.

Opening the store (SQLAlchemy, the models, the migrations check) takes most
of a cold start; the sign-in window needs only the store's name and its users.
This reads them with the standard library's ``sqlite3``, read-only, so the
window lists its users at once while the store opens properly on the worker.
It is a preview: anything unusual (no file, a damaged or foreign one, a
schema it does not know) gives None, and the window waits for the store as
before. Signing in itself always goes through :class:`~console.services.auth.AuthService`
on the opened store.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from uuid import UUID

from console.domain.enums import Role
from console.domain.values import StoreInfo, UserChoice

# As console.storage.db.DB_FILENAME and console.services.base.STORE_ID_SETTING: not imported, as
# those modules load SQLAlchemy (a test checks they agree).
DB_FILENAME = "anchor-console.sqlite3"
STORE_ID_SETTING = "store_id"


def peek_sign_in(data_dir: Path) -> tuple[StoreInfo, list[UserChoice]] | None:
    """The store and the users the sign-in window lists (as AuthService.list_users orders them), or None."""
    path = (Path(data_dir) / DB_FILENAME).absolute()
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    try:
        found = conn.execute("SELECT value FROM local_setting WHERE key = ?", (STORE_ID_SETTING,)).fetchone()
        if found is None:
            return None
        store_id = UUID(found[0])
        store = conn.execute("SELECT code, name, group_name, city, timezone FROM store "
                             "WHERE id = ? AND deleted_at IS NULL", (store_id.hex,)).fetchone()
        if store is None:
            return None
        rows = conn.execute(
            "SELECT id, login, display_name, role FROM user_account "
            "WHERE store_id = ? AND active AND deleted_at IS NULL ORDER BY role, display_name",
            (store_id.hex,)).fetchall()
        users = [UserChoice(UUID(row_id), login, name, Role(role)) for row_id, login, name, role in rows]
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()
    code, name, group_name, city, timezone = store
    return StoreInfo(id=store_id, code=code, name=name, group_name=group_name, city=city, timezone=timezone), users
