"""What the window needs from below the services: opening the store, and the background sync.

The ui reaches the core only through the services (an import-linter
contract); these two are the storage and sync layers' doors for it. Both
import their layer when called, so the sign-in window paints before
SQLAlchemy and the sync client load.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.services.worker import DbWorker
    from console.storage.db import Database
    from console.sync.client import SyncLoop

__all__ = ["Database", "SyncLoop", "background_sync", "load_services", "open_store"]


def open_store(data_dir: Path) -> Database:
    """Open (creating on first use) and migrate the store in ``data_dir``; StorageError says why not."""
    from console.storage.db import open_database

    return open_database(data_dir)


def load_services() -> None:
    """Import every service and configure SQLAlchemy's mappers (once): what a signed-in window needs.

    Called on a thread while the sign-in window waits for a PIN, so none of it is on the path from
    the PIN accepted to the main window.
    """
    import console.services.registry  # noqa: F401
    from console.storage.models import Base

    Base.registry.configure()


def enrolled_server(db: Database) -> str:
    """Head office's address, or "" when this console works on its own or its enrolment has not finished.

    An enrolment that stopped half-way is finished from the Sync screen's dialog, which shows
    its progress; the background loop leaves it alone meanwhile.
    """
    from console.sync import local

    enrollment = local.enrollment(db)
    if enrollment.mode and not enrollment.adopted:
        return ""
    return enrollment.server_url or ""


def background_sync(db: Database, worker: DbWorker, on_report: Callable[[Any], None]) -> SyncLoop:
    """The sync loop of an enrolled console (not started), talking to head office with its stored token."""
    from console.sync.client import SyncClient, SyncLoop
    from console.sync.tokens import TokenStore

    client = SyncClient(db, None, TokenStore(db.path.parent), worker=worker)
    return SyncLoop(client, on_report=on_report)
