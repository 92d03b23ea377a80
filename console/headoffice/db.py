"""The head-office database: where it is, engines for SQLite and PostgreSQL, migrations, readiness.

The service uses SQLAlchemy's synchronous engine; FastAPI runs each sync
endpoint in its threadpool. A push is a handful of short statements inside
one transaction that holds the scope's counter lock, so an async driver
would buy little over a pooled connection per thread, while the sync path
keeps one well-trodden code base for SQLite and psycopg alike.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from console.headoffice.errors import Refusal
from console.i18n import msg

log = logging.getLogger(__name__)

DATABASE_URL_ENV = "ANCHOR_HEADOFFICE_DATABASE_URL"
VERSION_TABLE = "headoffice_alembic_version"
_MIGRATIONS = Path(__file__).with_name("migrations")
# Any constant: serializes migrations of several processes starting at once on PostgreSQL.
_MIGRATION_LOCK_KEY = 0x414E4348


class DatabaseError(Refusal):
    """The head-office database cannot be used; the message says why in one sentence."""


def default_database_url() -> str:
    folder = Path(platformdirs.user_data_dir("anchor-headoffice", appauthor=False))
    return f"sqlite:///{folder / 'headoffice.sqlite3'}"


def resolve_database_url(arg: str | None) -> str:
    return arg or os.environ.get(DATABASE_URL_ENV) or default_database_url()


def json_dumps(value: Any) -> str:
    """JSON documents as the service stores them: compact, UTF-8 left as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(msg("headoffice_db.bad_url", "The database URL '{url}' is not valid: {reason}.",
                                url=url, reason=str(exc))) from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed.render_as_string(hide_password=False))
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # A connection for each of the threadpool's 40 threads (FastAPI runs sync endpoints there), so
        # no request queues for a connection while another holds one idle; pre-ping keeps a restarted
        # server from failing the first request on each stale connection.
        return create_engine(parsed, json_serializer=json_dumps, pool_size=40, max_overflow=10,
                             pool_pre_ping=True, pool_recycle=1800)
    raise DatabaseError(msg("headoffice_db.unknown_backend",
                            "The database URL '{url}' is neither SQLite nor PostgreSQL.",
                            url=parsed.render_as_string()))


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(msg("headoffice_db.no_folder",
                                    "The folder of the database file {file} cannot be created: {reason}.",
                                    file=database, reason=str(exc.strerror or exc))) from None
    engine = create_engine(url, json_serializer=json_dumps,
                           connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front: SQLite has no SELECT ... FOR
        # UPDATE, and a deferred transaction that reads the scope counter and
        # then writes could fail instead of waiting its turn.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


@contextmanager
def _migration_lock(conn: Connection) -> Iterator[None]:
    if conn.dialect.name != "postgresql":
        yield  # SQLite's BEGIN IMMEDIATE already lets one migrator in at a time
        return
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
    yield


def migrate(engine: Engine) -> str:
    """Bring the schema to head; safe when several service processes start together."""
    script = ScriptDirectory.from_config(alembic_config())
    try:
        with engine.begin() as conn, _migration_lock(conn):
            current = current_revision(conn)
            if current is not None and current not in {r.revision for r in script.walk_revisions()}:
                raise DatabaseError(msg("headoffice_db.newer_schema",
                                        "The database is at schema {schema}, newer than this service knows; "
                                        "upgrade anchor-headoffice.", schema=current))
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            head = current_revision(conn)
    except SQLAlchemyError as exc:
        raise DatabaseError(msg("headoffice_db.cannot_migrate", "The database cannot be migrated: {reason}.",
                                reason=_reason(exc))) from None
    if head != current:
        log.info("head-office database migrated", extra={"from_revision": current, "to_revision": head})
    assert head is not None
    return head


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0].rstrip(".") if str(original).strip() else type(exc).__name__


def readiness(engine: Engine) -> str | None:
    """None when the database answers and is at the head revision, else why not."""
    try:
        with engine.connect() as conn:
            current = current_revision(conn)
    except SQLAlchemyError as exc:
        return f"The database is unreachable: {_reason(exc)}."
    head = head_revision()
    if current != head:
        return f"The database is at schema {current or 'none'}, not {head}; run anchor-headoffice migrate."
    return None
