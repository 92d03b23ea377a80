"""Two service processes on one PostgreSQL database, consoles spread over both, pushing and pulling at once.

Writers of two stores add rows (and edit shared ones) and sync concurrently through one service or
the other, with delays and lost answers between them; an observer console per store only pulls,
all the time. Midway one service is killed with SIGKILL and started again. Versions are handed out
per scope in commit order, so no cursor may ever skip a row: every page a console received is in
strictly increasing version order and starts above its cursor, and after quiescence every console,
the observers included, equals the database (rows that never change keep their first version, so a
skipped one would be missing for good).
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from console.domain.enums import Affiliation
from console.headoffice import db as ho_db
from console.headoffice.models import SyncedRow, store_scope
from console.storage.models import Anchor
from tests.sync.faults import (
    Fault,
    FaultyTransport,
    FleetConsole,
    ServiceProcess,
    add_store,
    check_invariants,
    enroll,
    postgres_database,
    quiesce,
)

ROUNDS = 12


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_database("anchor_rel_") as url:
        yield url


class Pulls:
    """Every pull answer a console got: (since, [versions], next_cursor, reset)."""

    def __init__(self) -> None:
        self.pages: dict[str, list[tuple[int, list[int], int, bool]]] = {"store": [], "catalog": []}
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request, response: httpx.Response) -> None:
        if request.url.path != "/v1/pull" or response.status_code != 200:
            return
        body = response.json()
        with self._lock:
            self.pages[body["scope"]].append((int(request.url.params["since"]), [r["version"] for r in body["rows"]],
                                              body["next_cursor"], body["reset_required"]))

    def check(self, name: str) -> None:
        for scope, pages in self.pages.items():
            for since, versions, next_cursor, reset in pages:
                if reset:
                    continue
                assert versions == sorted(set(versions)), f"{name} {scope}: a page out of order: {versions}"
                assert all(v > since for v in versions), f"{name} {scope}: a row at or below the cursor {since}"
                assert next_cursor == (versions[-1] if versions else since)


@pytest.mark.slow
def test_two_services_on_one_database_never_skip_or_double_a_row(pg_url: str, tmp_path: Path) -> None:
    services = [ServiceProcess(pg_url, tmp_path), ServiceProcess(pg_url, tmp_path)]
    engine = ho_db.make_engine(pg_url)
    sessions = ho_db.session_factory(engine)
    consoles: list[FleetConsole] = []
    pulls: dict[str, Pulls] = {}
    rng = random.Random(20261125)
    try:
        for code in ("SH01", "BJ02"):
            add_store(sessions, code)
        plan = [("w0", "SH01", 0), ("w1", "SH01", 1), ("w2", "SH01", 0), ("w3", "BJ02", 1), ("w4", "BJ02", 0),
                ("o1", "SH01", 1), ("o2", "BJ02", 0)]
        for name, store, which in plan:
            service = services[which]
            transport = FaultyTransport(seed=rng.randrange(2**32), restart=service.restart, rates={
                Fault.DELAY: 0.3, Fault.DROP_RESPONSE: 0.04, Fault.RACE: 0.04, Fault.DUPLICATE: 0.03})
            transport.max_delay = 0.02
            transport.mirror = services[1 - which].base_url     # a raced copy goes through the other service
            pulls[name] = transport.on_answer = Pulls()
            consoles.append(enroll(sessions, service.base_url, store, tmp_path / name, name, transport,
                                   batch_size=7, page_size=6))
        writers = [c for c in consoles if c.name.startswith("w")]
        observers = [c for c in consoles if c.name.startswith("o")]
        # One shared row per store that every writer of the store keeps editing (merges and conflicts).
        for store in ("SH01", "BJ02"):
            first = next(c for c in writers if c.store_code == store)
            with first.db.begin() as s:
                s.add(Anchor(store_id=first.store_id, code=f"SHARED-{store}", name="共用", affiliation=Affiliation.STAFF))
        quiesce(consoles)
        for console in consoles:
            console.transport.enabled = True

        def edit(console: FleetConsole, round_no: int) -> None:
            with console.db.begin() as s:
                s.add_all([Anchor(store_id=console.store_id, code=f"{console.name}-{round_no}-{k}",
                                  name=f"主播{k}", affiliation=Affiliation.STAFF) for k in range(3)])
                shared = s.scalars(select(Anchor).where(Anchor.code.like("SHARED-%"))).one()
                if round_no % 3 == 0:
                    shared.name = f"{console.name} 改 {round_no}"
                else:
                    shared.weekly_hours_cap = 30 + round_no
            console.record_outbox()

        stop = asyncio.Event()

        async def write(console: FleetConsole) -> None:
            for round_no in range(ROUNDS):
                await asyncio.to_thread(edit, console, round_no)
                console.record_outbox()
                await console.client.sync_once()

        async def observe(console: FleetConsole) -> None:
            while not stop.is_set():
                await console.client.sync_once()
                await asyncio.sleep(0.005)

        async def kill_one_midway() -> None:
            await asyncio.sleep(1.0)
            await services[1].restart()        # SIGKILL, whatever it was doing, and start again

        async def run() -> None:
            watchers = [asyncio.ensure_future(observe(o)) for o in observers]
            await asyncio.gather(kill_one_midway(), *(write(w) for w in writers))
            stop.set()
            await asyncio.gather(*watchers)

        asyncio.run(run())

        assert services[1].starts == 2
        assert sum(len(p.pages["store"]) for p in pulls.values()) > 50
        quiesce(consoles)
        statuses = check_invariants(sessions, consoles)
        assert statuses.get("applied", 0) >= len(writers) * ROUNDS * 3
        for name, recorded in pulls.items():
            recorded.check(name)
        # Every row inserted once and never changed since still has its first version, so each console
        # received exactly that version: a cursor that skipped it would have lost the row for good.
        with sessions.begin() as session:
            for store in ("SH01", "BJ02"):
                scope = store_scope(next(c.store_id for c in consoles if c.store_code == store))
                versions = session.scalars(select(SyncedRow.version).where(SyncedRow.scope_key == scope)).all()
                assert len(versions) == len(set(versions))
        received = {name: {v for _, vs, _, _ in p.pages["store"] for v in vs} for name, p in pulls.items()}
        with sessions.begin() as session:
            for console in observers:
                unchanged = session.scalars(select(SyncedRow.version).where(
                    SyncedRow.scope_key == store_scope(console.store_id), SyncedRow.row_version == 1,
                    SyncedRow.table_name == "anchor")).all()
                assert set(unchanged) <= received[console.name], "an observer's cursor skipped a row"
    finally:
        for console in consoles:
            console.close()
        for service in services:
            service.close()
        engine.dispose()
