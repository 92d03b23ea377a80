"""Fixtures for the head-office service: a fresh database (SQLite file or PostgreSQL), a live server, consoles.

PostgreSQL tests use one database created for the session (dropped at the
end) and a clean ``public`` schema per test. When PostgreSQL cannot be
reached they are skipped, except under CI=true, where that is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from console.headoffice import db
from console.headoffice.app import Settings, create_app
from tests.headoffice.helpers import LiveService, postgres_database


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test session's own, dropped at the end."""
    with postgres_database("anchor_ho_test_") as url:
        yield url


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
