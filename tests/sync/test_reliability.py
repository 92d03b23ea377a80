"""Reliability: real consoles and a real service, with the network between them misbehaving.

First every fault of :class:`tests.sync.faults.Fault` once, on a push and on a pull, deterministically.
Then a hypothesis state machine: three consoles in store A and one in store B edit, delete and
re-create rows through the console's real services (anchors, shifts moved, removed and restored
under the same id, queue items deleted and re-created under the same link number) while syncing at
random through faulty transports (alone, or several at once), head office edits the catalog, and a
few rules play out the interleavings that matter (two consoles editing one row; a delete here and an
edit there; an edit saved while its row's tombstone is being pulled and then purged). After
quiescence (faults off, every console syncs until a round moves nothing) the invariants of
:func:`tests.sync.faults.check_invariants` must hold. It runs against a SQLite and a PostgreSQL
head-office database.

The default budget is fixed (derandomized, 15 examples of 30 steps per database). To explore:
``ANCHOR_RELIABILITY_EXAMPLES=N`` (random examples), ``ANCHOR_RELIABILITY_NO_SHRINK=1`` (report the
first failure as found; shrinking these slow examples can take minutes), ``ANCHOR_RELIABILITY_VERBOSE=1``
(print each example's mutation statuses, with ``-s``).
"""

from __future__ import annotations

import asyncio
import itertools
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from console.domain.enums import Affiliation, AuditVia, BroadcastStatus, ShiftRole
from console.domain.errors import DomainError
from console.headoffice.models import SyncedRow, store_scope
from console.headoffice.sync import write_rows
from console.services.auth import AuthService
from console.services.roster import RosterService
from console.storage.models import Anchor, Broadcast, LiveRoom, QueueItem, Shift
from console.storage.outbox import tombstone
from tests.headoffice.helpers import full_row
from tests.sync.faults import (
    ALL_FAULTS,
    Fault,
    FaultyTransport,
    FleetConsole,
    ThreadedService,
    add_store,
    check_invariants,
    enroll,
    quiesce,
    server_database,
)

DAY0 = datetime(2031, 3, 3, 2, 0, tzinfo=UTC)   # 10:00 in Shanghai, a Monday


def _product(service: ThreadedService) -> dict[str, Any]:
    product = full_row("product", {"sku": "REL-1", "name": "羊绒大衣", "brand": "锦华", "category": "服装",
                                   "after_sales_policy": "7 天无理由"})
    with service.sessions.begin() as session:
        write_rows(session, "product", [product])
    return product


def _roster(console: FleetConsole) -> RosterService:
    return RosterService(console.db, AuthService(console.db).actor_for_login(None, via=AuditVia.CLI))


def _seed_store(console: FleetConsole, anchors: int) -> None:
    roster = _roster(console)
    for n in range(anchors):
        roster.add_anchor(code=f"{console.name}-{n}", name=f"主播{n}", affiliation=Affiliation.STAFF)


def _seed_show(console: FleetConsole, product_id: UUID) -> None:
    """A room and a show of the console's own, the show with three queue items (links 1 to 3)."""
    room_id = _roster(console).add_room(code=f"R-{console.name}", name=f"直播间 {console.name}").id
    with console.db.begin() as s:
        show = Broadcast(store_id=console.store_id, room_id=room_id, title=f"show of {console.name}",
                         planned_start=DAY0, planned_end=DAY0 + timedelta(hours=2),
                         status=BroadcastStatus.PLANNED, notes=console.name)
        s.add(show)
        s.flush()
        for link in (1, 2, 3):
            s.add(QueueItem(store_id=console.store_id, broadcast_id=show.id, product_id=product_id,
                            position=link, link_number=link, live_price_fen=10_000))


# --- every fault, once, deterministically -----------------------------------------

SCRIPTED = [f for f in Fault if f is not Fault.PASS]


@pytest.mark.parametrize("fault", SCRIPTED)
@pytest.mark.parametrize("where", ["push", "pull"])
def test_each_fault_once_leaves_nothing_lost_or_doubled(fault: Fault, where: str, tmp_path: Path) -> None:
    with server_database("sqlite", tmp_path) as url:
        service = ThreadedService(url)
        consoles: list[FleetConsole] = []
        try:
            product = _product(service)
            add_store(service.sessions, "SH01")
            for n in range(2):
                transport = FaultyTransport(restart=service.restart)
                consoles.append(enroll(service.sessions, service.base_url, "SH01", tmp_path / f"c{n}", f"c{n}",
                                       transport, batch_size=2, page_size=2))
            a, b = consoles
            _seed_store(a, anchors=3)
            _seed_show(a, UUID(product["id"]))
            target = a if where == "push" else b
            if where == "pull":
                assert a.sync().clean
            # Push: the second of several batches; pull: the second page of the store scope.
            path = "/v1/push" if where == "push" else "/v1/pull"
            hits = {"n": 0}

            def second_one(request: Any) -> Fault | None:
                if request.url.path == path and (where == "push" or "scope=store" in str(request.url)):
                    hits["n"] += 1
                    if hits["n"] == 2:
                        return fault
                return None

            target.transport.pick = second_one
            first = target.sync()
            if fault in (Fault.PASS, Fault.DELAY, Fault.DUPLICATE, Fault.RACE):
                assert first.clean, first
            else:
                assert first.errors, (fault, first)
                problem = str(first.errors[0])
                assert "nothing is lost" in problem or "cannot be reached" in problem \
                    or "did not answer in time" in problem, first.errors
            assert target.transport.counts[fault] == 1
            quiesce(consoles)
            check_invariants(service.sessions, consoles)
            if fault is Fault.REORDER:
                assert target.transport.late_answers == [200]   # the late copy arrived, was answered, did no harm
        finally:
            for console in consoles:
                console.close()
            service.close()


# --- the state machine ------------------------------------------------------------

EXAMPLES = int(os.environ.get("ANCHOR_RELIABILITY_EXAMPLES", "0"))
_example = itertools.count()


def machine_for(service: ThreadedService, base: Path, product: dict[str, Any]) -> type[RuleBasedStateMachine]:
    product_id = UUID(product["id"])

    class ConsolesAtWork(RuleBasedStateMachine):
        """Store A: consoles 0, 1, 2; store B: console 3. Each has a show of its own."""

        def __init__(self) -> None:
            super().__init__()
            self.consoles: list[FleetConsole] = []
            self.product_version = product["row_version"]

        @initialize(seed=st.integers(0, 2**32 - 1))
        def enroll_fleet(self, seed: int) -> None:
            n = next(_example)
            codes = (f"A{n}", f"B{n}")
            for code in codes:
                add_store(service.sessions, code)
            for i, code in enumerate((codes[0], codes[0], codes[0], codes[1])):
                transport = FaultyTransport(seed=seed + i, rates=ALL_FAULTS, restart=service.restart)
                self.consoles.append(enroll(service.sessions, service.base_url, code, base / f"ex{n}-c{i}",
                                            f"c{i}", transport, batch_size=4, page_size=5))
            _seed_store(self.consoles[0], anchors=3)
            _seed_store(self.consoles[3], anchors=2)
            for console in self.consoles:
                _seed_show(console, product_id)
            quiesce(self.consoles)
            for console in self.consoles:
                console.transport.enabled = True

        # --- helpers ---
        def _live(self, console: FleetConsole, model: type, *, deleted: bool = False) -> list[Any]:
            with console.db.begin() as s:
                query = select(model).where(model.store_id == console.store_id)
                query = query.where(model.deleted_at.is_not(None) if deleted else model.deleted_at.is_(None))
                rows = list(s.scalars(query.order_by(model.created_at, model.id)))
                s.expunge_all()
            return rows

        def _do(self, console: FleetConsole, work: Any) -> None:
            try:
                work()
            except DomainError:
                pass   # the store's own rules refused the edit: nothing was written
            console.record_outbox()

        # --- edits through the real services ---
        @rule(c=st.integers(0, 3), pick=st.integers(0, 20), what=st.sampled_from(["name", "cap", "brands", "active"]),
              value=st.integers(0, 3))
        def edit_anchor(self, c: int, pick: int, what: str, value: int) -> None:
            console = self.consoles[c]
            anchors = self._live(console, Anchor)
            if not anchors:
                return
            anchor = anchors[pick % len(anchors)]
            change: dict[str, Any] = {
                "name": {"name": f"主播{value}号"}, "cap": {"weekly_hours_cap": 40 + value},
                "brands": {"trained_brands": [f"品牌{value}"]}, "active": {"active": value != 0},
            }[what]
            self._do(console, lambda: _roster(console).update_anchor(anchor.id, **change))

        @rule(c=st.integers(0, 3))
        def add_anchor(self, c: int) -> None:
            console = self.consoles[c]
            code = f"{console.name}-{len(self._live(console, Anchor)) + len(self._live(console, Anchor, deleted=True))}x"
            self._do(console, lambda: _roster(console).add_anchor(code=code, name="新主播",
                                                                  affiliation=Affiliation.BRAND))

        @rule(c=st.integers(0, 3), pick=st.integers(0, 20), day=st.integers(0, 20), hour=st.integers(0, 10),
              length=st.integers(1, 3))
        def add_shift(self, c: int, pick: int, day: int, hour: int, length: int) -> None:
            console = self.consoles[c]
            anchors, rooms = self._live(console, Anchor), self._live(console, LiveRoom)
            if not anchors or not rooms:
                return
            start = DAY0 + timedelta(days=day, hours=hour)
            self._do(console, lambda: _roster(console).add_shift(
                anchor_id=anchors[pick % len(anchors)].id, room_id=rooms[pick % len(rooms)].id,
                role=ShiftRole.HOST, starts_at=start, ends_at=start + timedelta(hours=length),
                override_reason="reliability test"))

        @rule(c=st.integers(0, 3), pick=st.integers(0, 20), day=st.integers(0, 20), hour=st.integers(0, 10))
        def move_shift(self, c: int, pick: int, day: int, hour: int) -> None:
            console = self.consoles[c]
            shifts = self._live(console, Shift)
            if not shifts:
                return
            shift = shifts[pick % len(shifts)]
            start = DAY0 + timedelta(days=day, hours=hour)
            self._do(console, lambda: _roster(console).move_shift(
                shift.id, starts_at=start, ends_at=start + (shift.ends_at - shift.starts_at),
                override_reason="reliability test"))

        @rule(c=st.integers(0, 3), pick=st.integers(0, 20))
        def remove_shift(self, c: int, pick: int) -> None:
            console = self.consoles[c]
            shifts = self._live(console, Shift)
            if shifts:
                self._do(console, lambda: _roster(console).remove_shift(shifts[pick % len(shifts)].id))

        @rule(c=st.integers(0, 3), pick=st.integers(0, 20))
        def restore_shift(self, c: int, pick: int) -> None:
            """Redo of an undone creation: the same shift id comes back (a tombstone revived)."""
            console = self.consoles[c]
            gone = self._live(console, Shift, deleted=True)
            if not gone:
                return
            shift = gone[pick % len(gone)]
            self._do(console, lambda: _roster(console).add_shift(
                anchor_id=shift.anchor_id, room_id=shift.room_id, role=shift.role, starts_at=shift.starts_at,
                ends_at=shift.ends_at, override_reason="reliability test", shift_id=shift.id))

        @rule(c=st.integers(0, 3), link=st.integers(1, 3), one_transaction=st.booleans())
        def recreate_queue_item(self, c: int, link: int, one_transaction: bool) -> None:
            """Delete a queue item and add a new one with the same link number (its natural key)."""
            console = self.consoles[c]
            with console.db.begin() as s:
                show = s.scalars(select(Broadcast).where(Broadcast.notes == console.name,
                                                         Broadcast.store_id == console.store_id)).one()
                old = s.scalars(select(QueueItem).where(QueueItem.broadcast_id == show.id,
                                                        QueueItem.link_number == link,
                                                        QueueItem.deleted_at.is_(None))).first()
                if old is not None:
                    tombstone(old)
                    s.flush()
                fresh = QueueItem(store_id=console.store_id, broadcast_id=show.id, product_id=product_id,
                                  position=link, link_number=link, live_price_fen=9_900 + link)
                if one_transaction:
                    s.add(fresh)
            if not one_transaction:
                with console.db.begin() as s:
                    s.add(fresh)
            console.record_outbox()

        @rule(c=st.integers(0, 3), pick=st.integers(0, 20), price=st.integers(1, 4))
        def edit_queue_price(self, c: int, pick: int, price: int) -> None:
            console = self.consoles[c]
            items = self._live(console, QueueItem)
            if not items:
                return
            with console.db.begin() as s:
                s.get(QueueItem, items[pick % len(items)].id).live_price_fen = price * 1000
            console.record_outbox()

        @rule(value=st.integers(0, 3))
        def head_office_edits_the_product(self, value: int) -> None:
            self.product_version += 1
            row = {**product, "name": f"羊绒大衣 {value}", "row_version": self.product_version}
            with service.sessions.begin() as session:
                write_rows(session, "product", [row])

        # --- syncing ---
        @rule(c=st.integers(0, 3))
        def sync(self, c: int) -> None:
            self.consoles[c].sync()

        @rule(which=st.sets(st.integers(0, 3), min_size=2, max_size=4))
        def sync_at_once(self, which: set[int]) -> None:
            chosen = [self.consoles[c] for c in sorted(which)]
            for console in chosen:
                console.record_outbox()

            async def together() -> None:
                await asyncio.gather(*(console.client.sync_once() for console in chosen))

            asyncio.run(together())

        @rule(c=st.integers(0, 3), pick=st.integers(0, 20), value=st.integers(0, 3),
              kind=st.sampled_from(["anchor", "queue_item", "shift"]))
        def edit_while_pulling(self, c: int, pick: int, value: int, kind: str) -> None:
            """A user saves an edit while the console pulls (its push is done): the row is pending
            while its newer version, maybe a tombstone, comes down."""
            console = self.consoles[c]
            rows = self._live(console, {"anchor": Anchor, "queue_item": QueueItem, "shift": Shift}[kind])
            if not rows:
                return
            row = rows[pick % len(rows)]

            def edit() -> None:
                if kind == "anchor":
                    _roster(console).update_anchor(row.id, weekly_hours_cap=50 + value)
                elif kind == "shift":
                    _roster(console).move_shift(row.id, starts_at=row.starts_at + timedelta(minutes=15),
                                                ends_at=row.ends_at + timedelta(minutes=15),
                                                override_reason="reliability test")
                else:
                    with console.db.begin() as s:
                        item = s.get(QueueItem, row.id)
                        if item.deleted_at is None:
                            item.live_price_fen = 5_000 + value

            done = {"edited": False}

            def edit_once(request: Any) -> None:
                if request.url.path == "/v1/pull" and "scope=store" in str(request.url) and not done["edited"]:
                    done["edited"] = True
                    self._do(console, edit)

            console.transport.before_forward = edit_once
            try:
                console.sync()
            finally:
                console.transport.before_forward = None

        @rule(owner=st.integers(0, 3), other=st.integers(0, 3), link=st.integers(1, 3), value=st.integers(0, 3))
        def edit_while_its_tombstone_comes_down(self, owner: int, other: int, link: int, value: int) -> None:
            """One console re-creates a queue item and syncs; another, still holding the old item,
            saves an edit of it while the delete is being pulled (pages of one, so later pages
            acknowledge past the tombstone); the store's consoles go on syncing, so head office may
            purge the tombstone before the edit goes up."""
            first, second = self.consoles[owner], self.consoles[other]
            if first is second or first.store_id != second.store_id:
                return
            self.recreate_queue_item(owner, link, one_transaction=True)
            first.sync()
            with service.sessions.begin() as session:
                deleted = set(session.scalars(select(SyncedRow.row_id).where(
                    SyncedRow.scope_key == store_scope(second.store_id), SyncedRow.deleted.is_(True),
                    SyncedRow.table_name == "queue_item")))
            doomed = [row for row in self._live(second, QueueItem) if row.id in deleted]
            if not doomed:
                return
            row = doomed[value % len(doomed)]

            def edit() -> None:
                with second.db.begin() as s:
                    s.get(QueueItem, row.id).live_price_fen = 5_500 + value

            done = {"edited": False}

            def edit_once(request: Any) -> None:
                if request.url.path == "/v1/pull" and "scope=store" in str(request.url) and not done["edited"]:
                    done["edited"] = True
                    self._do(second, edit)

            # This one pull runs without faults: a fault would end it before it passes the tombstone.
            second.transport.before_forward, second.transport.enabled = edit_once, False
            second.client.page_size = 1
            try:
                second.sync()
            finally:
                second.transport.before_forward, second.transport.enabled = None, True
                second.client.page_size = 5
            for console in self.consoles:
                if console is not second and console.store_id == second.store_id:
                    # Two successful syncs each (a few tries, through the faults): the second one's
                    # pull acknowledges past the tombstone.
                    clean = 0
                    for _ in range(6):
                        clean += console.sync().clean
                        if clean == 2:
                            break

        @rule(c1=st.integers(0, 2), c2=st.integers(0, 2), pick=st.integers(0, 20),
              what=st.sampled_from(["name", "cap", "brands", "active"]), value=st.integers(0, 3),
              same_field=st.booleans())
        def two_consoles_edit_one_anchor(self, c1: int, c2: int, pick: int, what: str, value: int,
                                         same_field: bool) -> None:
            """Two consoles of store A edit the same anchor before either syncs: a merge or a conflict."""
            if c1 == c2:
                return
            codes = sorted(a.code for a in self._live(self.consoles[c1], Anchor))
            if not codes:
                return
            code = codes[pick % len(codes)]
            fields = ["name", "cap", "brands", "active"]
            other = what if same_field else fields[(fields.index(what) + 1) % len(fields)]
            for c, field, v in ((c1, what, value), (c2, other, value + 1)):
                theirs = [a.code for a in self._live(self.consoles[c], Anchor)]
                if code in theirs:
                    self.edit_anchor(c, pick=theirs.index(code), what=field, value=v % 4)

        @rule(c1=st.integers(0, 2), c2=st.integers(0, 2), pick=st.integers(0, 20), hours=st.integers(1, 30))
        def one_removes_a_shift_another_moves(self, c1: int, c2: int, pick: int, hours: int) -> None:
            if c1 == c2:
                return
            shifts = self._live(self.consoles[c1], Shift)
            if not shifts:
                return
            shift = shifts[pick % len(shifts)]
            self._do(self.consoles[c1], lambda: _roster(self.consoles[c1]).remove_shift(shift.id))
            there = [s for s in self._live(self.consoles[c2], Shift) if s.id == shift.id]
            if there:
                moved = there[0]
                self._do(self.consoles[c2], lambda: _roster(self.consoles[c2]).move_shift(
                    moved.id, starts_at=moved.starts_at + timedelta(hours=hours),
                    ends_at=moved.ends_at + timedelta(hours=hours), override_reason="reliability test"))

        def teardown(self) -> None:
            try:
                if len(self.consoles) == 4:
                    quiesce(self.consoles)
                    statuses = check_invariants(service.sessions, self.consoles)
                    if os.environ.get("ANCHOR_RELIABILITY_VERBOSE"):
                        print("mutation statuses:", statuses)
            finally:
                for console in self.consoles:
                    console.close()

    return ConsolesAtWork


@pytest.mark.slow
def test_consoles_editing_and_syncing_through_faults_converge(live: ThreadedService, tmp_path: Path) -> None:
    product = _product(live)
    machine = machine_for(live, tmp_path, product)
    budget = settings(
        max_examples=EXAMPLES or 15, stateful_step_count=30, deadline=None, derandomize=not EXAMPLES,
        database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        print_blob=True,
        # Exploring: shrinking examples this slow can take many minutes; skip it if asked.
        phases=[Phase.explicit, Phase.reuse, Phase.generate] if os.environ.get("ANCHOR_RELIABILITY_NO_SHRINK")
        else settings.default.phases,
    )
    run_state_machine_as_test(machine, settings=budget)
