"""Fixtures for the head-office service: a fresh database (SQLite file or PostgreSQL), a live server, consoles.

PostgreSQL tests use one database created for the session (dropped at the
end) and a clean ``public`` schema per test. When PostgreSQL cannot be
reached they are skipped, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from console.headoffice import db
from console.headoffice.app import Settings, create_app
from tests.headoffice.helpers import LiveService

PG_ADMIN_URL = os.environ.get("ANCHOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test session's own, dropped at the end."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"anchor_ho_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        reason = f"PostgreSQL at {make_url(PG_ADMIN_URL).render_as_string()} is unreachable: {exc.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _emptied(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database for one test: a new SQLite file, or the session's PostgreSQL database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'headoffice.sqlite3'}"
    return _emptied(request.getfixturevalue("postgres_url"))


@pytest.fixture
def postgres_only_url(postgres_url: str) -> str:
    """For what only PostgreSQL can show (SQLite lets one writer in at a time anyway)."""
    return _emptied(postgres_url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The migrated head-office database."""
    engine = db.make_engine(database_url)
    db.migrate(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, rate_per_second=1000, rate_burst=1000, max_body_bytes=4 * 2**20)


@pytest.fixture
def service(engine: Engine, settings: Settings) -> Iterator[LiveService]:
    """The service on a free loopback port, served by uvicorn in a thread."""
    live = LiveService.start(create_app(settings, engine=engine), engine)
    try:
        yield live
    finally:
        live.stop()
