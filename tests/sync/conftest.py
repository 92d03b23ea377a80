"""Sync fixtures: a live head-office service (SQLite, or PostgreSQL where cheap) and real consoles.

Consoles are real SQLite data folders with the real client; tokens go to the
0600 file fallback because the keyring backend is the ``fail`` one here.
"""

from __future__ import annotations

import os

os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import keyring
import keyring.backends.fail
import pytest
from sqlalchemy import Engine, select

from console.headoffice import db as ho_db
from console.headoffice.app import Settings, create_app
from console.storage.db import Database, open_database
from console.storage.models import Outbox
from console.sync.client import MODE_CLEAN, SyncClient, SyncReport
from console.sync.tokens import TokenStore
from tests.headoffice.conftest import database_url, postgres_url  # noqa: F401
from tests.headoffice.helpers import LiveService
from tests.sync.faults import ThreadedService, server_database


@pytest.fixture(autouse=True)
def _no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ThreadedService]:
    """The service in this process (restartable on its port) on a new SQLite or PostgreSQL database."""
    with server_database(request.param, tmp_path) as url:
        service = ThreadedService(url)
        try:
            yield service
        finally:
            service.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'headoffice.sqlite3'}"


def _start(url: str) -> tuple[Engine, LiveService]:
    engine = ho_db.make_engine(url)
    ho_db.migrate(engine)
    settings = Settings(database_url=url, rate_per_second=1000, rate_burst=1000)
    return engine, LiveService.start(create_app(settings, engine=engine), engine)


@pytest.fixture
def service(sqlite_url: str) -> Iterator[LiveService]:
    """The head-office service on SQLite, on a loopback port."""
    engine, live = _start(sqlite_url)
    try:
        yield live
    finally:
        live.stop()
        engine.dispose()


@pytest.fixture
def any_service(database_url: str) -> Iterator[LiveService]:  # noqa: F811
    """The service on SQLite and on PostgreSQL (parametrized)."""
    engine, live = _start(database_url)
    try:
        yield live
    finally:
        live.stop()
        engine.dispose()


@dataclass
class Console:
    """A real console: its data folder, database and sync client."""

    data_dir: Path
    db: Database
    client: SyncClient
    clients: list[SyncClient] = field(default_factory=list)

    def sync(self) -> SyncReport:
        return asyncio.run(self.client.sync_once())

    def outbox(self) -> list[Outbox]:
        with self.db.begin() as s:
            return list(s.scalars(select(Outbox).order_by(Outbox.seq)))

    def with_transport(self, transport: httpx.AsyncBaseTransport) -> SyncClient:
        client = SyncClient(self.db, None, TokenStore(self.data_dir), transport)
        self.clients.append(client)
        return client

    def close(self) -> None:
        for client in [self.client, *self.clients]:
            client.close()
        self.db.close()


ConsoleFactory = Callable[..., Console]


@pytest.fixture
def make_console(tmp_path: Path) -> Iterator[ConsoleFactory]:
    """``make_console(service, "SH01")``: a new data folder enrolled to that store and synced once."""
    made: list[Console] = []

    def make(service: LiveService, store_code: str, *, name: str = "", mode: str = MODE_CLEAN,
             data_dir: Path | None = None, **client_args: Any) -> Console:
        folder = data_dir or tmp_path / f"console-{len(made)}"
        db = open_database(folder)
        client = SyncClient(db, service.base_url, TokenStore(folder), **client_args)
        console = Console(folder, db, client)
        made.append(console)
        result = asyncio.run(client.enroll(service.enrollment_code(store_code), mode=mode,
                                           console_name=name or folder.name))
        assert result.report.clean, result.report
        return console

    yield make
    for console in made:
        console.close()


def store_id_of(service: LiveService, code: str) -> UUID:
    from console.headoffice.models import Store

    with service.sessions().begin() as session:
        return session.scalars(select(Store.id).where(Store.code == code)).one()
