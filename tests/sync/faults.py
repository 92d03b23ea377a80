"""Tools for the reliability tests: a fault-injecting transport, restartable services, fleets of consoles,
and the invariants every sync run must end in.

The faulty transport sits between a real :class:`~console.sync.client.SyncClient` and a real head-office
service on loopback. Per request it does one of :class:`Fault`, chosen by a seeded ``random.Random``
(``rates``) or by the test (``script``, consumed first):

``pass``
    forward and answer.
``drop_request``
    the request never reaches the server; the client sees ``httpx.ConnectError``.
``drop_response``
    forwarded (the server commits), then the answer is lost: ``httpx.ReadError``.
``duplicate``
    forwarded twice in a row; the client gets the second answer (a proxy that retried).
``race``
    forwarded twice *at the same time* (the second copy to ``mirror``, another service process, if
    set); the client gets one of the answers (two proxies racing).
``reorder``
    what reordering can honestly mean for one console: its requests are strictly sequential (each
    awaits the previous answer), so two of them can never overtake each other on the way in. What
    the network *can* do is deliver a request late: the request is held, the client gives up on it
    (``httpx.ConnectTimeout``) and goes on, and the held copy reaches the server only after the
    console's *next* request has been answered. For a push that means an old batch arriving after a
    newer one (or after its own retry); for a pull, an old acknowledgement arriving after a newer
    one. Reordering *between* consoles is real concurrency and is exercised by syncing several
    consoles at once (``asyncio.gather``), with ``delay`` shuffling their interleaving.
``delay``
    wait a few milliseconds, then forward.
``error_5xx``
    answer 503 without forwarding (a proxy with no upstream).
``error_5xx_after_commit``
    forward (the server commits), then answer 502 (a proxy that lost the upstream's answer).
``restart``
    forward and read the answer (the server committed), then restart the server (``restart``
    callback: the in-process service is stopped and started again on the same port and database,
    a service process is killed with SIGKILL and started again), then ``httpx.ReadError``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from console.headoffice import admin
from console.headoffice import db as ho_db
from console.headoffice.app import Settings, create_app
from console.headoffice.models import (
    CATALOG_SCOPE,
    AppliedMutation,
    ScopeCounter,
    SyncedRow,
    store_scope,
)
from console.services.base import STORE_ID_SETTING, read_setting
from console.storage.db import Database, open_database
from console.storage.models import Outbox
from console.storage.outbox import to_wire
from console.sync import local
from console.sync.client import MODE_CLEAN, SyncClient, SyncReport
from console.sync.tokens import TokenStore
from tests.headoffice.helpers import postgres_database


class Fault(StrEnum):
    PASS = "pass"
    DROP_REQUEST = "drop_request"
    DROP_RESPONSE = "drop_response"
    DUPLICATE = "duplicate"
    RACE = "race"
    REORDER = "reorder"
    DELAY = "delay"
    ERROR_5XX = "error_5xx"
    ERROR_5XX_AFTER_COMMIT = "error_5xx_after_commit"
    RESTART = "restart"


SYNC_PATHS = ("/v1/push", "/v1/pull", "/v1/snapshot", "/v1/conflicts")


def _copy(request: httpx.Request) -> httpx.Request:
    return httpx.Request(request.method, request.url, headers=request.headers, content=request.content)


@functools.cache
def _loopback_tls() -> ssl.SSLContext:
    # Plain HTTP on loopback; made once, since loading the CA bundle per transport costs 20 ms.
    return ssl.create_default_context()


class FaultyTransport(httpx.AsyncBaseTransport):
    """Wraps a real transport to a real server and misbehaves per request (see the module text).

    ``rates`` maps faults to probabilities (the rest passes); ``pick`` (a function of the request)
    and then ``script`` (faults for the next requests) are consulted first; ``enabled`` False lets everything pass (held requests are still
    delivered). Only ``paths`` are disturbed (enrollment is not). Every decision is logged.
    """

    def __init__(self, *, seed: int = 0, rates: dict[Fault, float] | None = None,
                 script: Sequence[Fault] = (), restart: Callable[[], Awaitable[None]] | None = None,
                 paths: Sequence[str] = SYNC_PATHS, max_delay: float = 0.03) -> None:
        self.rng = random.Random(seed)
        self.rates = dict(rates or {})
        if restart is None:
            self.rates.pop(Fault.RESTART, None)
        self.script = list(script)
        self.restart = restart
        self.paths = tuple(paths)
        self.max_delay = max_delay
        self.mirror: str | None = None      # race: send the second copy to this base URL instead
        # The test's own choice for a request (None: the script, then the dice, decide).
        self.pick: Callable[[httpx.Request], Fault | None] | None = None
        self.enabled = True
        self.log: list[tuple[str, str, Fault]] = []
        self.held: list[httpx.Request] = []
        self.late_answers: list[int] = []
        # Called with each request just before it is forwarded (tests: edits during a sync).
        self.before_forward: Callable[[httpx.Request], None] | None = None
        # Called with each answer the client gets (tests: what each pull brought).
        self.on_answer: Callable[[httpx.Request, httpx.Response], None] | None = None
        self._inner: httpx.AsyncHTTPTransport | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def counts(self) -> Counter[Fault]:
        return Counter(fault for _, _, fault in self.log)

    def _transport(self) -> httpx.AsyncHTTPTransport:
        loop = asyncio.get_running_loop()
        if self._inner is None or self._loop is not loop:
            # Connections belong to one event loop; each asyncio.run gets its own pool.
            self._inner = httpx.AsyncHTTPTransport(verify=_loopback_tls())
            self._loop = loop
        return self._inner

    async def _forward(self, request: httpx.Request) -> httpx.Response:
        if self.before_forward is not None:
            self.before_forward(request)
        response = await self._transport().handle_async_request(_copy(request))
        await response.aread()
        await response.aclose()
        return httpx.Response(response.status_code, headers=response.headers, content=response.content,
                              request=request)

    def _choose(self, request: httpx.Request) -> Fault:
        if not self.enabled or request.url.path not in self.paths:
            return Fault.PASS
        if self.pick is not None:
            chosen = self.pick(request)
            if chosen is not None:
                return chosen
        if self.script:
            return self.script.pop(0)
        roll = self.rng.random()
        for fault, rate in self.rates.items():
            if roll < rate:
                return fault
            roll -= rate
        return Fault.PASS

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        fault = self._choose(request)
        self.log.append((request.method, request.url.path, fault))
        try:
            response = await self._handle(request, fault)
            if self.on_answer is not None:
                self.on_answer(request, response)
            return response
        finally:
            if fault is not Fault.REORDER:
                await self.deliver_held()

    async def deliver_held(self) -> None:
        """Send the requests held back by ``reorder``, now that a later one went through."""
        while self.held:
            late = self.held.pop(0)
            with contextlib.suppress(httpx.TransportError):
                self.late_answers.append((await self._forward(late)).status_code)

    async def _handle(self, request: httpx.Request, fault: Fault) -> httpx.Response:
        if fault is Fault.PASS:
            return await self._forward(request)
        if fault is Fault.DROP_REQUEST:
            raise httpx.ConnectError("injected: the request never arrived", request=request)
        if fault is Fault.DELAY:
            await asyncio.sleep(self.rng.uniform(0, self.max_delay))
            return await self._forward(request)
        if fault is Fault.ERROR_5XX:
            return httpx.Response(503, json={"error": "bad_gateway", "message": "injected: no upstream"},
                                  request=request)
        if fault is Fault.REORDER:
            self.held.append(_copy(request))
            raise httpx.ConnectTimeout("injected: the request is late", request=request)
        if fault is Fault.RACE:
            twin = _copy(request)
            if self.mirror is not None:   # the other copy goes to another service process
                twin.url = twin.url.copy_with(port=httpx.URL(self.mirror).port)
            first, second = await asyncio.gather(self._forward(request), self._forward(twin),
                                                 return_exceptions=True)
            for answer in (second, first):
                if isinstance(answer, httpx.Response):
                    return answer
            raise first if isinstance(first, BaseException) else httpx.ReadError("race", request=request)
        await self._forward(request)           # the server has answered (and committed)
        if fault is Fault.DROP_RESPONSE:
            raise httpx.ReadError("injected: connection reset after the server answered", request=request)
        if fault is Fault.DUPLICATE:
            return await self._forward(request)
        if fault is Fault.ERROR_5XX_AFTER_COMMIT:
            return httpx.Response(502, json={"error": "bad_gateway", "message": "injected: answer lost"},
                                  request=request)
        if fault is Fault.RESTART:
            assert self.restart is not None
            await self.restart()
            raise httpx.ReadError("injected: the server restarted before answering", request=request)
        raise AssertionError(fault)

    async def aclose(self) -> None:
        # The client closes its transport after every sync; the pool is made again on next use.
        if self._inner is not None:
            with contextlib.suppress(RuntimeError):
                await self._inner.aclose()
        self._inner = None
        self._loop = None


ALL_FAULTS = {
    Fault.DROP_REQUEST: 0.05, Fault.DROP_RESPONSE: 0.06, Fault.DUPLICATE: 0.05, Fault.RACE: 0.04,
    Fault.REORDER: 0.04, Fault.DELAY: 0.08, Fault.ERROR_5XX: 0.03, Fault.ERROR_5XX_AFTER_COMMIT: 0.04,
    Fault.RESTART: 0.015,
}


# --- services -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(base_url: str, deadline: float, alive: Callable[[], bool] = lambda: True) -> None:
    while time.monotonic() < deadline and alive():
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the service at {base_url} did not become ready")


class ThreadedService:
    """The service in a thread of this process, restartable on the same port and database."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.engine = ho_db.make_engine(database_url)
        ho_db.migrate(self.engine)
        self.sessions: sessionmaker[Session] = ho_db.session_factory(self.engine)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.restarts = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.start()

    def start(self) -> None:
        settings = Settings(database_url=self.database_url, rate_per_second=10_000, rate_burst=10_000)
        app = create_app(settings, engine=self.engine)
        for _ in range(50):  # the port may linger for a moment after a stop
            server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None,
                                                   access_log=False, lifespan="off",
                                                   timeout_graceful_shutdown=2))
            thread = threading.Thread(target=server.run, daemon=True)
            thread.start()
            deadline = time.monotonic() + 10
            while not server.started and thread.is_alive() and time.monotonic() < deadline:
                time.sleep(0.005)
            if server.started:
                self._server, self._thread = server, thread
                return
            server.should_exit = True
            thread.join(timeout=5)
            time.sleep(0.05)
        raise RuntimeError("the test service did not start")

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None

    def restart_now(self) -> None:
        with self._lock:
            self.restarts += 1
            self.stop()
            self.start()

    async def restart(self) -> None:
        await asyncio.to_thread(self.restart_now)

    def close(self) -> None:
        self.stop()
        self.engine.dispose()


def headoffice_command() -> list[str]:
    script = Path(sys.executable).with_name("anchor-headoffice")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from console.headoffice.cli import main; sys.exit(main())"]


class ServiceProcess:
    """``anchor-headoffice serve`` in a process of its own; ``kill`` is SIGKILL, ``restart`` reuses the port."""

    def __init__(self, database_url: str, log_dir: Path, port: int | None = None) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_dir = log_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.start()

    def start(self) -> None:
        self.starts += 1
        log = open(self.log_dir / f"serve-{self.port}-{self.starts}.log", "wb")  # noqa: SIM115
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [*headoffice_command(), "serve", "--database-url", self.database_url, "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            stdout=log, stderr=subprocess.STDOUT, env=env)
        log.close()
        process = self.process
        _wait_healthy(self.base_url, time.monotonic() + 30, alive=lambda: process.poll() is None)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def restart_now(self) -> None:
        self.kill()
        self.start()

    async def restart(self) -> None:
        await asyncio.to_thread(self.restart_now)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


# --- databases ------------------------------------------------------------------


@contextlib.contextmanager
def server_database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'headoffice.sqlite3'}"
    else:
        with postgres_database("anchor_rel_") as url:
            yield url


# --- consoles -------------------------------------------------------------------


@dataclass
class FleetConsole:
    """A real console (data folder, database, client) with a faulty transport of its own."""

    name: str
    store_code: str
    store_id: UUID
    data_dir: Path
    db: Database
    transport: FaultyTransport
    client: SyncClient
    created: dict[UUID, tuple[str, UUID]] = field(default_factory=dict)   # every outbox entry ever seen

    def record_outbox(self) -> None:
        """Remember every mutation this console has queued (called after each local edit)."""
        with self.db.begin() as s:
            for mutation_id, table, row_id in s.execute(select(Outbox.mutation_id, Outbox.table_name,
                                                               Outbox.row_id)):
                self.created.setdefault(mutation_id, (table, row_id))

    def sync(self) -> SyncReport:
        self.record_outbox()
        return asyncio.run(self.client.sync_once())

    def close(self) -> None:
        self.client.close()
        self.db.close()

    def reopen(self, **client_args: Any) -> FleetConsole:
        """The same data folder opened afresh (after another process used it), faults off."""
        db = open_database(self.data_dir, create=False)
        transport = FaultyTransport()
        transport.enabled = False
        client = SyncClient(db, None, TokenStore(self.data_dir), transport, **client_args)
        return FleetConsole(name=self.name, store_code=self.store_code, store_id=self.store_id,
                            data_dir=self.data_dir, db=db, transport=transport, client=client,
                            created=dict(self.created))


def issue_code(sessions: sessionmaker[Session], store_code: str) -> str:
    with sessions.begin() as session:
        return admin.issue_enrollment_code(session, store_code).code


def add_store(sessions: sessionmaker[Session], code: str) -> UUID:
    with sessions.begin() as session:
        return admin.add_store(session, code, f"Store {code}").id


def enroll(sessions: sessionmaker[Session], base_url: str, store_code: str, data_dir: Path, name: str,
           transport: FaultyTransport | None = None, **client_args: Any) -> FleetConsole:
    """A fresh data folder enrolled (start clean, no faults) to ``store_code`` and synced once."""
    db = open_database(data_dir)
    transport = transport or FaultyTransport()
    transport.enabled = False
    client = SyncClient(db, base_url, TokenStore(data_dir), transport, **client_args)
    result = asyncio.run(client.enroll(issue_code(sessions, store_code), mode=MODE_CLEAN, console_name=name))
    assert result.report.clean, result.report
    # From now on the client follows the enrolled address (a restarted service keeps its port).
    synced = SyncClient(db, None, TokenStore(data_dir), transport, **client_args)
    client.close()
    transport.enabled = True
    return FleetConsole(name=name, store_code=store_code, store_id=result.store_id, data_dir=data_dir, db=db,
                        transport=transport, client=synced)


def quiesce(consoles: Sequence[FleetConsole], *, max_rounds: int = 8) -> list[list[SyncReport]]:
    """Faults off; every console syncs, round after round, until a round moves nothing (bounded)."""
    rounds: list[list[SyncReport]] = []
    for console in consoles:
        console.transport.enabled = False
    for _ in range(max_rounds):
        reports = [console.sync() for console in consoles]
        rounds.append(reports)
        if all(r.clean and r.pushed == 0 and r.pulled == 0 for r in reports):
            return rounds
    raise AssertionError(f"no quiescence after {max_rounds} rounds: {rounds[-1]}")


# --- invariants -----------------------------------------------------------------


def _local_rows(db: Database, tables: Sequence[str]) -> dict[tuple[str, UUID], dict[str, Any]]:
    rows: dict[tuple[str, UUID], dict[str, Any]] = {}
    with db.begin() as s:
        for table in tables:
            codec = local.CODECS[table]
            for row in s.execute(select(codec.table)).mappings():
                rows[(table, row["id"])] = {name: to_wire(row[name]) for name in codec.decoders}
    return rows


def _server_rows(sessions: sessionmaker[Session], scope_key: str) -> dict[tuple[str, UUID], SyncedRow]:
    with sessions.begin() as session:
        found = session.scalars(select(SyncedRow).where(SyncedRow.scope_key == scope_key)).all()
        session.expunge_all()
    return {(r.table_name, r.row_id): r for r in found}


def _compare(where: str, server: dict[tuple[str, UUID], SyncedRow],
             mine: dict[tuple[str, UUID], dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    for key, row in server.items():
        have = mine.get(key)
        if have is None:
            if not row.deleted:
                problems.append(f"{where}: lacks {key[0]} {key[1]} (server row version {row.row_version})")
            # A tombstone of a row the console never had (a snapshot skips deleted rows) is fine.
            continue
        if (have["row_version"], have["deleted_at"] is not None) != (row.row_version, row.deleted):
            problems.append(f"{where}: {key[0]} {key[1]} is (v{have['row_version']}, deleted="
                            f"{have['deleted_at'] is not None}), server (v{row.row_version}, deleted={row.deleted})")
        elif not row.deleted:
            differs = sorted(k for k in row.data if row.data[k] != have.get(k))
            if differs:
                problems.append(f"{where}: {key[0]} {key[1]} differs in {differs}: "
                                f"{[(row.data[k], have.get(k)) for k in differs]}")
    for key, have in mine.items():
        if key not in server and have["deleted_at"] is None:
            problems.append(f"{where}: holds live {key[0]} {key[1]} the server does not have")
    return problems


def check_invariants(sessions: sessionmaker[Session], consoles: Sequence[FleetConsole]) -> dict[str, int]:
    """After quiescence: every mutation on the server exactly once, every console equal to the server for
    its scopes, no console with another store's rows, every outbox empty. Returns the mutation statuses."""
    problems: list[str] = []
    catalog = _server_rows(sessions, CATALOG_SCOPE)
    by_store = {c.store_id: _server_rows(sessions, store_scope(c.store_id)) for c in consoles}
    for console in consoles:
        console.record_outbox()
        with console.db.begin() as s:
            pending = s.scalar(select(func.count()).select_from(Outbox))
            in_flight = read_setting(s, local.BATCH_SETTING)
            assert read_setting(s, STORE_ID_SETTING) == str(console.store_id)
        if pending or in_flight:
            problems.append(f"{console.name}: {pending} outbox entries left, batch in flight {in_flight}")
        store_rows = _local_rows(console.db, local.STORE_TABLES)
        foreign = [k for k, v in store_rows.items() if v.get("store_id") not in (str(console.store_id), None)]
        if foreign:
            problems.append(f"{console.name}: holds {len(foreign)} rows of another store, e.g. {foreign[0]}")
        problems += _compare(console.name, by_store[console.store_id], store_rows)
        problems += _compare(f"{console.name} (catalog)", catalog, _local_rows(console.db, local.HEAD_OFFICE_TABLES))

    # Every mutation ever queued was answered exactly once, by the console that made it.
    created = {mid: (c, table, row) for c in consoles for mid, (table, row) in c.created.items()}
    console_ids = {local.enrollment(c.db).console_id: c for c in consoles}
    with sessions.begin() as session:
        applied = session.execute(select(AppliedMutation.mutation_id, AppliedMutation.console_id,
                                         AppliedMutation.status)
                                  .where(AppliedMutation.console_id.in_(list(console_ids)))).all()
    seen = Counter(mid for mid, _, _ in applied)
    twice = [mid for mid, n in seen.items() if n > 1]
    if twice:
        problems.append(f"mutations applied more than once: {twice[:3]}")
    missing = set(created) - set(seen)
    if missing:
        mid = next(iter(missing))
        problems.append(f"{len(missing)} mutations never reached the server, e.g. {mid} {created[mid][1:]}"
                        f" of {created[mid][0].name}")
    unknown = set(seen) - set(created)
    if unknown:
        problems.append(f"{len(unknown)} mutations on the server that no console recorded")
    for mid, console_id, _ in applied:
        if mid in created and console_ids.get(console_id) is not created[mid][0]:
            problems.append(f"mutation {mid} recorded for another console")

    # Versions are unique per scope and no higher than the scope's counter.
    with sessions.begin() as session:
        counters = {c.scope_key: c.version for c in session.scalars(select(ScopeCounter))}
        for scope_key, rows in [(CATALOG_SCOPE, catalog), *((store_scope(k), v) for k, v in by_store.items())]:
            versions = [r.version for r in rows.values()]
            if len(set(versions)) != len(versions) or (versions and max(versions) > counters[scope_key]):
                problems.append(f"scope {scope_key}: versions not unique or beyond the counter")
    assert not problems, "\n".join(problems[:20])
    return dict(Counter(status for _, _, status in applied))


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
