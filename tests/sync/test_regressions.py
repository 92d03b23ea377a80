"""Regressions found with the reliability tests (tests/sync/test_reliability.py), each as a plain scenario.

* A row deleted and another created with the same natural key (a queue item's link number): once
  another console's edit of the deleted row is merged on the server, the tombstone's version moves
  *after* the re-created row's. A console that still held the old row live received the new row
  first, and with the tombstone on a later page that page could never be applied: its pull stalled
  for good (console/sync/client.py, SyncClient._pull).
* A snapshot wrote its rows before tombstoning the local rows the server no longer has, so a new row
  reusing a gone row's unique key failed the whole snapshot, every time (local.replace_scope).
* An edit saved while its row's tombstone was being pulled: the page skips the pending row, the next
  page acknowledges past the tombstone, head office purges it, and the edit is then rejected ("no
  such row"); the console kept the row live forever (local.acknowledge).
* Two consoles creating the same anchor code offline: see test_natural_keys.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select

from console.domain.enums import AuditVia
from console.headoffice.models import SyncedRow, store_scope
from console.services.auth import AuthService
from console.services.roster import RosterService
from console.storage.models import Broadcast, QueueItem
from console.storage.outbox import tombstone
from console.sync import local
from console.sync.protocol import Scope
from console.sync.protocol import SyncedRow as WireRow
from tests.headoffice.helpers import full_row
from tests.sync.faults import (
    FleetConsole,
    ThreadedService,
    add_store,
    check_invariants,
    enroll,
    quiesce,
)

START = datetime(2031, 3, 3, 2, 0, tzinfo=UTC)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[ThreadedService]:
    live = ThreadedService(f"sqlite:///{tmp_path / 'headoffice.sqlite3'}")
    try:
        yield live
    finally:
        live.close()


def _show_with_items(console: FleetConsole, product_id: UUID) -> UUID:
    actor = AuthService(console.db).actor_for_login(None, via=AuditVia.CLI)
    room = RosterService(console.db, actor).add_room(code="R1", name="直播间")
    with console.db.begin() as s:
        show = Broadcast(store_id=console.store_id, room_id=room.id, title="show", planned_start=START,
                         planned_end=START + timedelta(hours=2))
        s.add(show)
        s.flush()
        for link in (1, 2, 3):
            s.add(QueueItem(store_id=console.store_id, broadcast_id=show.id, product_id=product_id,
                            position=link, link_number=link, live_price_fen=10_000))
        return show.id


def _item(console: FleetConsole, show_id: UUID, link: int) -> QueueItem:
    with console.db.begin() as s:
        item = s.scalars(select(QueueItem).where(QueueItem.broadcast_id == show_id, QueueItem.link_number == link,
                                                 QueueItem.deleted_at.is_(None))).one()
        s.expunge(item)
        return item


def test_a_recreated_natural_key_whose_tombstone_comes_on_a_later_page(service: ThreadedService,
                                                                       tmp_path: Path) -> None:
    product = full_row("product", {"sku": "P1", "name": "大衣", "brand": "锦华", "category": "服装"})
    from console.headoffice.sync import write_rows

    with service.sessions.begin() as session:
        write_rows(session, "product", [product])
    add_store(service.sessions, "SH01")
    a, b, c = (enroll(service.sessions, service.base_url, "SH01", tmp_path / n, n, page_size=1) for n in "abc")
    try:
        show = _show_with_items(a, UUID(product["id"]))
        quiesce([a, b, c])
        old = _item(a, show, 2)
        # a: link 2 now names another product entry; b meanwhile changes the old entry's price.
        with a.db.begin() as s:
            tombstone(s.get(QueueItem, old.id))
            s.flush()
            s.add(QueueItem(store_id=a.store_id, broadcast_id=show, product_id=UUID(product["id"]),
                            position=2, link_number=2, live_price_fen=8_800))
        with b.db.begin() as s:
            s.get(QueueItem, old.id).live_price_fen = 7_700
        assert a.sync().clean
        assert b.sync().clean          # merged: the old entry stays deleted, under a newer version
        with service.sessions.begin() as session:
            tomb = session.get(SyncedRow, ("queue_item", old.id))
            assert tomb.deleted
            newer = session.scalars(select(SyncedRow.version).where(
                SyncedRow.scope_key == store_scope(a.store_id), SyncedRow.table_name == "queue_item",
                SyncedRow.deleted.is_(False), SyncedRow.version > 0)).all()
            assert tomb.version > max(newer)   # the tombstone now comes after the re-created entry

        report = c.sync()                   # pages of one row: the new entry arrives before the tombstone

        assert report.clean, report
        assert _item(c, show, 2).live_price_fen == 8_800
        quiesce([a, b, c])
        check_invariants(service.sessions, [a, b, c])
    finally:
        for console in (a, b, c):
            console.close()


def test_a_snapshot_replaces_a_row_whose_natural_key_was_reused(service: ThreadedService, tmp_path: Path) -> None:
    product = full_row("product", {"sku": "P1", "name": "大衣", "brand": "锦华", "category": "服装"})
    from console.headoffice.sync import write_rows

    with service.sessions.begin() as session:
        write_rows(session, "product", [product])
    add_store(service.sessions, "SH01")
    a = enroll(service.sessions, service.base_url, "SH01", tmp_path / "a", "a")
    b = enroll(service.sessions, service.base_url, "SH01", tmp_path / "b", "b")
    try:
        show = _show_with_items(a, UUID(product["id"]))
        quiesce([a, b])
        old = _item(a, show, 2)
        with a.db.begin() as s:
            tombstone(s.get(QueueItem, old.id))
            s.flush()
            s.add(QueueItem(store_id=a.store_id, broadcast_id=show, product_id=UUID(product["id"]),
                            position=2, link_number=2, live_price_fen=8_800))
        assert a.sync().clean
        # b reloads its store scope from a snapshot (as after reset_required): the server's live rows
        # hold the new link-2 entry, not the old one b still holds live.
        with service.sessions.begin() as session:
            live = session.scalars(select(SyncedRow).where(SyncedRow.scope_key == store_scope(b.store_id),
                                                           SyncedRow.deleted.is_(False))
                                   .order_by(SyncedRow.version)).all()
            rows = [WireRow(table=r.table_name, row_id=r.row_id, scope=Scope.STORE, version=r.version,
                            row_version=r.row_version, deleted=False, data=r.data) for r in live]
            watermark = max(r.version for r in live)

        local.replace_scope(b.db, Scope.STORE, rows, watermark)

        assert _item(b, show, 2).live_price_fen == 8_800
        with b.db.begin() as s:
            assert s.get(QueueItem, old.id).deleted_at is not None
        assert b.sync().clean
    finally:
        a.close()
        b.close()


def test_an_edit_saved_while_its_tombstone_was_being_pulled_does_not_outlive_the_purge(
        service: ThreadedService, tmp_path: Path) -> None:
    """b's pull skips the tombstone of a row b has just edited (its edit goes up first); its next page
    acknowledges past the tombstone, so head office may purge it before b pushes the edit. The edit
    is then refused ("no such row") and b must not keep the row live forever."""
    product = full_row("product", {"sku": "P1", "name": "大衣", "brand": "锦华", "category": "服装"})
    from console.headoffice.sync import write_rows

    with service.sessions.begin() as session:
        write_rows(session, "product", [product])
    add_store(service.sessions, "SH01")
    a = enroll(service.sessions, service.base_url, "SH01", tmp_path / "a", "a")
    b = enroll(service.sessions, service.base_url, "SH01", tmp_path / "b", "b", page_size=1)
    try:
        show = _show_with_items(a, UUID(product["id"]))
        quiesce([a, b])
        doomed = _item(a, show, 2)
        with a.db.begin() as s:
            tombstone(s.get(QueueItem, doomed.id))
            s.get(QueueItem, _item(a, show, 3).id).live_price_fen = 12_000   # one more page after it
        assert a.sync().clean

        def edit_now(request) -> None:  # type: ignore[no-untyped-def]
            if request.url.path == "/v1/pull" and "scope=store" in str(request.url) and not b.created:
                with b.db.begin() as s:
                    s.get(QueueItem, doomed.id).live_price_fen = 6_600    # saved while b pulls
                b.record_outbox()

        b.transport.before_forward = edit_now
        during = b.sync()
        b.transport.before_forward = None
        assert not during.errors and during.pending_after == 1
        assert a.sync().clean and a.sync().clean    # everyone has passed the tombstone: it is purged
        with service.sessions.begin() as session:
            assert session.get(SyncedRow, ("queue_item", doomed.id)) is None

        report = b.sync()

        assert report.rejected == 1 and not report.errors
        with b.db.begin() as s:
            assert s.get(QueueItem, doomed.id).deleted_at is not None
        quiesce([a, b])
        check_invariants(service.sessions, [a, b])
    finally:
        a.close()
        b.close()
