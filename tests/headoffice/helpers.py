"""Test doubles for the head-office tests: a live uvicorn server and a minimal console with an outbox.

``FakeConsole`` keeps rows and an outbox the way ``console.storage.outbox``
writes them (insert on base 0, each change on top of the row's version, the
whole row as payload), so the service sees what a real console sends.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from console.headoffice import admin, db
from console.storage.ids import new_id
from console.storage.models import MODEL_BY_TABLE
from console.storage.outbox import to_wire
from console.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

PG_ADMIN_URL = os.environ.get("ANCHOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A PostgreSQL database of our own (named ``prefix`` + a random tail), dropped afterwards.

    PostgreSQL unreachable: a skip, but a failure under CI=true.
    """
    admin_engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}{os.getpid()}_{secrets.token_hex(4)}"
    try:
        with admin_engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin_engine.dispose()
        reason = f"PostgreSQL at {make_url(PG_ADMIN_URL).render_as_string()} is unreachable: {exc.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()



PROTOCOL = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}


def now_wire() -> str:
    return datetime.now(UTC).isoformat()


def full_row(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """A whole row of ``table`` as the outbox sends it: given values, else the console's defaults."""
    stamp = now_wire()
    row: dict[str, Any] = {"id": str(new_id()), "created_at": stamp, "updated_at": stamp,
                           "row_version": 1, "deleted_at": None}
    for column in MODEL_BY_TABLE[table].__table__.columns:
        if column.key in values:
            row[column.key] = to_wire(values[column.key])
        elif column.key in row:
            continue
        elif column.default is not None and column.default.is_scalar:
            row[column.key] = to_wire(column.default.arg)
        elif column.default is not None and column.default.is_callable:
            row[column.key] = to_wire(column.default.arg({}))
        elif column.nullable:
            row[column.key] = None
        else:
            raise TypeError(f"{table}.{column.key} needs a value")
    return row


@dataclass
class FakeConsole:
    http: httpx.Client
    console_id: UUID
    store_id: UUID
    store_code: str
    token: str
    rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    cursors: dict[str, int] = field(default_factory=lambda: {"store": 0, "catalog": 0})

    # -- local edits, each with its outbox entry --

    def insert(self, table: str, **values: Any) -> str:
        if "store_id" in MODEL_BY_TABLE[table].__table__.columns and "store_id" not in values:
            values["store_id"] = self.store_id
        row = full_row(table, values)
        self.rows[(table, row["id"])] = row
        self.outbox.append(self._mutation("insert", table, row, 0, sorted(row)))
        return str(row["id"])

    def update(self, table: str, row_id: str, **changes: Any) -> dict[str, Any]:
        row = self.rows[(table, row_id)]
        base = row["row_version"]
        row.update({k: to_wire(v) for k, v in changes.items()}, row_version=base + 1, updated_at=now_wire())
        op = "delete" if changes.get("deleted_at") is not None else "update"
        entry = self._mutation(op, table, row, base, sorted(changes))
        self.outbox.append(entry)
        return entry

    def delete(self, table: str, row_id: str) -> dict[str, Any]:
        return self.update(table, row_id, deleted_at=datetime.now(UTC))

    def _mutation(self, op: str, table: str, row: dict[str, Any], base: int, changed: list[str]) -> dict[str, Any]:
        return {"mutation_id": str(new_id()), "table": table, "row_id": row["id"], "op": op,
                "base_version": base, "row_version": row["row_version"], "changed_fields": changed,
                "payload": dict(row)}

    # -- talking to the service --

    def push_body(self, body: Any, **kwargs: Any) -> httpx.Response:
        return self.http.post("/v1/push", json=body, **kwargs)

    def push(self) -> dict[str, Any]:
        """Push the whole outbox as one batch; on success the outbox is empty."""
        response = self.push_body({"batch_id": str(uuid.uuid4()), "mutations": self.outbox})
        assert response.status_code == 200, response.text
        self.outbox.clear()
        return response.json()  # type: ignore[no-any-return]

    def pull(self, scope: str = "store", limit: int = 500) -> list[dict[str, Any]]:
        """Pull every page after the cursor and apply it; returns the rows received."""
        received: list[dict[str, Any]] = []
        while True:
            response = self.http.get("/v1/pull", params={"scope": scope, "since": self.cursors[scope],
                                                          "limit": limit})
            assert response.status_code == 200, response.text
            page = response.json()
            assert not page["reset_required"], page
            for row in page["rows"]:
                self.rows[(row["table"], str(row["row_id"]))] = dict(row["data"])
            received += page["rows"]
            self.cursors[scope] = page["next_cursor"]
            if not page["has_more"]:
                return received


@dataclass
class LiveService:
    """The service on a free loopback port, in a thread of this process."""

    base_url: str
    engine: Engine
    server: uvicorn.Server
    thread: threading.Thread
    app: FastAPI
    clients: list[httpx.Client] = field(default_factory=list)

    @classmethod
    def start(cls, app: FastAPI, engine: Engine) -> LiveService:
        # uvicorn binds the port itself: handed a pre-bound socket, its replies stall on
        # delayed ACKs (about 40 ms each). Another process may take the free port first: retry.
        for _ in range(3):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                                   access_log=False, lifespan="off"))
            thread = threading.Thread(target=server.run, daemon=True)
            thread.start()
            deadline = time.monotonic() + 10
            while not server.started and thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.01)
            if server.started:
                return cls(base_url=f"http://127.0.0.1:{port}", engine=engine, server=server, thread=thread,
                           app=app)
            server.should_exit = True
            thread.join(timeout=10)
        raise RuntimeError("the test server did not start")

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def client(self, **headers: str) -> httpx.Client:
        client = httpx.Client(base_url=self.base_url, headers={**PROTOCOL, **headers}, timeout=30)
        self.clients.append(client)
        return client

    def sessions(self) -> Any:
        return db.session_factory(self.engine)

    def add_store(self, code: str) -> admin.StoreInfo:
        with self.sessions().begin() as session:
            return admin.add_store(session, code, f"Store {code}")

    def enrollment_code(self, code: str) -> str:
        with self.sessions().begin() as session:
            return admin.issue_enrollment_code(session, code).code

    def enroll(self, store_code: str, name: str = "test console") -> FakeConsole:
        response = self.client().post("/v1/enroll", json={"code": self.enrollment_code(store_code),
                                                       "console_name": name})
        assert response.status_code == 200, response.text
        body = response.json()
        http = self.client(Authorization=f"Bearer {body['token']}")
        return FakeConsole(http=http, console_id=UUID(body["console_id"]), store_id=UUID(body["store_id"]),
                           store_code=body["store_code"], token=body["token"])
