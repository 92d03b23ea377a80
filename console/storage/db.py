"""Opening the local store safely: checks, backup, migrations, engine set-up.

Every way a database can be unusable (missing, locked, read-only, corrupt,
written by a newer version, a folder that cannot be created) ends in a
:class:`StorageError` with one sentence for the user, before anything is
written. Migrations run only after a consistent copy of the file has been
put aside in ``backups/``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from console import __version__
from console.domain.changes import ChangeStream
from console.domain.errors import NewerSchemaError, StorageError
from console.i18n import msg
from console.paths import LOG_DIRNAME
from console.storage import outbox
from console.storage.changes import ChangeRecorder, Watcher, new_writer_id

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

DB_FILENAME = "anchor-console.sqlite3"
BACKUP_DIRNAME = "backups"
_SQLITE_HEADER = b"SQLite format 3\x00"
_MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def head_revision() -> str:
    return _revisions()[0]


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+)['\"]?\s*$", re.M)


def _revisions() -> tuple[str, frozenset[str]]:
    """The head revision and every known one, read from the migration files.

    Importing Alembic costs a quarter of a second, most of the console's
    start-up; it is imported only when a migration has to run. A test checks
    that this reading agrees with Alembic's own.
    """
    known: set[str] = set()
    parents: set[str] = set()
    for script in (_MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if "revision" in found:
            known.add(found["revision"])
            if found.get("down_revision", "None") != "None":
                parents.add(found["down_revision"])
    heads = known - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop(), frozenset(known)


def _json_dumps(value: Any) -> str:
    # Keep Chinese readable in the file, so that SQL on JSON text matches it.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(path: Path, *, busy_timeout_ms: int = 5000) -> Engine:
    engine = create_engine(f"sqlite:///{path}", json_serializer=_json_dumps)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin,
        # so SAVEPOINTs and BEGIN behave (SQLAlchemy's pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        # FULL: a commit the user was told about survives a power cut, which
        # the brief demands for on-air events.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


@dataclass
class Database:
    """An open local store: the engine, the session factory with the outbox hook, the stream of changes.

    ``changes`` publishes what every commit through ``sessions`` wrote;
    :meth:`watch_other_processes` adds what other processes commit to the same file.
    """

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    changes: ChangeStream = field(default_factory=ChangeStream)
    writer: str = field(default_factory=new_writer_id)
    _watcher: Watcher | None = None

    def __post_init__(self) -> None:
        ChangeRecorder(self.changes, self.writer).install(self.sessions)

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        with self.sessions.begin() as session:
            yield session

    def watch_other_processes(self, *, interval: float | None = None) -> None:
        """Publish, within a second, what the CLI or another console commits to this file."""
        if self._watcher is None:
            self._watcher = Watcher(self.path, self.writer, self.changes,
                                    **({} if interval is None else {"interval": interval}))
            self._watcher.start()

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        self.engine.dispose()


def _session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False)
    outbox.install(factory)
    return factory


def open_database(data_dir: Path, *, create: bool = True) -> Database:
    """Open (creating on first use) and migrate the store in ``data_dir``."""
    data_dir = Path(data_dir)
    _ensure_folder(data_dir, create=create)
    path = data_dir / DB_FILENAME
    if not path.exists():
        others = [p.name for p in data_dir.iterdir() if not p.name.startswith(".") and p.name != LOG_DIRNAME]
        if others:
            raise StorageError(msg(
                "storage.file_missing",
                "The database file {path} is missing, but the data folder is not empty; "
                "restore the file from {backups} or choose an empty folder.",
                path=str(path), backups=str(data_dir / BACKUP_DIRNAME)))
        if not create:
            raise StorageError(msg(
                "storage.no_database_yet",
                "The data folder {folder} holds no Anchor Console database yet; "
                "run the console once, or `anchor-console demo`, to create one.", folder=str(data_dir)))
    else:
        _check_file(path)
    _check_directory_writable(data_dir, path)

    engine = make_engine(path)
    try:
        _check_lock(engine, path)
        _migrate(engine, path)
        _trim_change_log(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(path=path, engine=engine, sessions=_session_factory(engine))


def _trim_change_log(engine: Engine) -> None:
    """The change log is a notice board for running processes: what is older than a watcher's lag goes."""
    from sqlalchemy import delete

    from console.storage.changes import KEEP_FOR
    from console.storage.models import ChangeLog
    from console.storage.types import utcnow

    with engine.begin() as conn:
        conn.execute(delete(ChangeLog).where(ChangeLog.at < utcnow() - KEEP_FOR))


def _ensure_folder(data_dir: Path, *, create: bool) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise StorageError(msg("storage.folder_is_file",
                               "The data folder {folder} is a file, not a folder; choose another.",
                               folder=str(data_dir)))
    if not create and not data_dir.exists():
        # Only opening an existing store: a mistyped path must not leave a new folder behind.
        raise StorageError(msg("storage.folder_missing", "The data folder {folder} does not exist; check the path.",
                               folder=str(data_dir)))
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(msg("storage.folder_not_created", "The data folder {folder} cannot be created: {reason}.",
                               folder=str(data_dir), reason=str(exc.strerror or exc))) from exc


def _check_file(path: Path) -> None:
    if not os.access(path, os.R_OK):
        raise StorageError(msg("storage.file_unreadable", "The database file {path} cannot be read; check its "
                               "permissions.", path=str(path)))
    if not os.access(path, os.W_OK):
        raise StorageError(msg("storage.file_read_only_copy", "The database file {path} is read-only; make it "
                               "writable or copy it to a folder you own.", path=str(path)))
    with path.open("rb") as fh:
        header = fh.read(len(_SQLITE_HEADER))
    if header and header != _SQLITE_HEADER:
        raise StorageError(msg("storage.file_not_ours", "The database file {path} is damaged or is not an "
                               "Anchor Console database; restore it from the {backups} folder.",
                               path=str(path), backups=BACKUP_DIRNAME))


def _check_directory_writable(data_dir: Path, path: Path) -> None:
    # SQLite's WAL needs to create files next to the database.
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise StorageError(msg("storage.folder_read_only", "The data folder {folder} is read-only, so {file} "
                               "cannot be opened for writing.", folder=str(data_dir), file=path.name))


def _translate(exc: Exception, path: Path) -> StorageError:
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StorageError(msg("storage.file_in_use", "The database file {path} is in use by another program; "
                                "close the other Anchor Console and try again.", path=str(path)))
    if "readonly" in text or "read-only" in text:
        return StorageError(msg("storage.file_read_only", "The database file {path} is read-only; make it "
                                "writable.", path=str(path)))
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StorageError(msg("storage.file_damaged", "The database file {path} is damaged; restore it from "
                                "the {backups} folder.", path=str(path), backups=BACKUP_DIRNAME))
    return StorageError(msg("storage.file_not_opened", "The database file {path} cannot be opened: {reason}.",
                            path=str(path), reason=str(exc)))


def _check_lock(engine: Engine, path: Path) -> None:
    """Fail fast, with words, if another process holds the write lock."""
    raw = sqlite3.connect(path, timeout=1.0, isolation_level=None)
    try:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("ROLLBACK")
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise _translate(exc, path) from exc
    finally:
        raw.close()


def _migrate(engine: Engine, path: Path) -> None:
    head, known = _revisions()
    # Read the schema state on a plain connection: the engine's connect hook
    # switches the file to WAL, which rewrites the header of a database we
    # may be about to refuse (someone else's file, or a newer schema).
    raw = sqlite3.connect(path, timeout=1.0, isolation_level=None)
    try:
        has_version_table = raw.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).fetchone()
        versions = (
            [r[0] for r in raw.execute("SELECT version_num FROM alembic_version")]
            if has_version_table else []
        )
        current = versions[0] if versions else None
        has_tables = bool(
            raw.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version' LIMIT 1"
            ).fetchone()
        )
    except sqlite3.Error as exc:
        raise _translate(exc, path) from exc
    finally:
        raw.close()

    if current is None and has_tables:
        raise StorageError(msg("storage.file_foreign", "The database file {path} was not made by Anchor Console; "
                               "it was left unchanged.", path=str(path)))
    if current is not None and current not in known:
        raise NewerSchemaError(msg(
            "storage.newer_schema",
            "The database file {path} was written by a newer version of Anchor Console (schema {schema}); "
            "this is version {version}. Install the newer version; the file was not changed.",
            path=str(path), schema=current, version=__version__))
    if current == head:
        return
    if current is not None:
        backup_copy(path)
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("database %s migrated from %s to %s", path, current, head)


def backup_copy(path: Path) -> Path:
    """A consistent copy of the live database (SQLite's backup API, WAL included)."""
    folder = path.parent / BACKUP_DIRNAME
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{path.stem}-{stamp}.sqlite3"
    source = sqlite3.connect(path)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return target
