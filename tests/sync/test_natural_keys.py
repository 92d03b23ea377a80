"""Natural keys across consoles: two consoles of a store claim the same unique value offline.

Each console keeps its own unique keys, but two consoles cannot see each other
offline. Head office settles the later claim (console.headoffice.keys): a code
gets a suffix, a link number the next free one, a second stock row for the same
product is refused. Every console then converges on head office's rows, and the
console whose row was changed or refused lists it for review.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select

from console.domain.enums import Affiliation, AuditVia
from console.headoffice.models import SyncConflict, SyncedRow
from console.headoffice.sync import write_rows
from console.services.auth import AuthService
from console.services.product_sets import ProductSets
from console.services.roster import RosterService
from console.storage.models import Anchor, Broadcast, ProductSet, QueueItem, StoreProduct
from console.sync import local
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
def pair(live: ThreadedService, tmp_path: Path,
         request: pytest.FixtureRequest) -> Iterator[tuple[FleetConsole, FleetConsole]]:
    """Two consoles of store SH01; the second pulls one row a page when the test is marked so."""
    add_store(live.sessions, "SH01")
    page_size = getattr(request, "param", 500)
    a = enroll(live.sessions, live.base_url, "SH01", tmp_path / "a", "a")
    b = enroll(live.sessions, live.base_url, "SH01", tmp_path / "b", "b", page_size=page_size)
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _roster(console: FleetConsole) -> RosterService:
    return RosterService(console.db, AuthService(console.db).actor_for_login(None, via=AuditVia.CLI))


def _anchors(console: FleetConsole) -> dict[str, str]:
    with console.db.begin() as s:
        return {a.code: a.name for a in s.scalars(select(Anchor).where(Anchor.deleted_at.is_(None)))}


@pytest.mark.parametrize("pair", [500, 1], indirect=True, ids=["one-page", "a-row-a-page"])
def test_the_same_anchor_code_created_offline_on_two_consoles_is_renamed_once(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    _roster(a).add_anchor(code="A007", name="王雨桐", affiliation=Affiliation.STAFF)
    _roster(b).add_anchor(code="A007", name="汪雨桐", affiliation=Affiliation.STAFF)

    first = a.sync()
    second = b.sync()

    assert first.clean and second.clean, (first, second)
    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    # The first to reach head office keeps the code; the other anchor is renamed, on both consoles.
    assert _anchors(a) == _anchors(b) == {"A007": "王雨桐", "A007-2": "汪雨桐"}
    conflicts, _rejected = local.review_items(b.db)
    assert [(c["table"], c["fields"], c["attempted"], c["kept"]) for c in conflicts] == [
        ("anchor", ["code"], {"code": "A007"}, {"code": "A007-2"})]


def test_a_code_renamed_to_one_another_console_took_gets_a_suffix(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    roster = _roster(b)
    moved = roster.add_anchor(code="B001", name="李青", affiliation=Affiliation.STAFF)
    quiesce([a, b])
    _roster(a).add_anchor(code="A010", name="周宁", affiliation=Affiliation.STAFF)
    with b.db.begin() as s:
        s.get(Anchor, moved.id).code = "A010"     # offline, the same code a has just taken
    assert a.sync().clean and b.sync().clean

    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    assert _anchors(a) == _anchors(b) == {"A010": "周宁", "A010-2": "李青"}


def test_a_long_code_keeps_within_its_length_when_renamed(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    code = "X" * 32
    _roster(a).add_anchor(code=code, name="甲", affiliation=Affiliation.STAFF)
    _roster(b).add_anchor(code=code, name="乙", affiliation=Affiliation.STAFF)
    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    assert _anchors(b) == {code: "甲", "X" * 30 + "-2": "乙"}


def _product(live: ThreadedService) -> UUID:
    product = full_row("product", {"sku": "P1", "name": "大衣", "brand": "锦华", "category": "服装"})
    with live.sessions.begin() as session:
        write_rows(session, "product", [product])
    return UUID(product["id"])


def test_the_same_link_number_added_offline_on_two_consoles_is_renumbered(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    product_id = _product(live)
    quiesce([a, b])
    room = _roster(a).add_room(code="R1", name="直播间")
    with a.db.begin() as s:
        show = Broadcast(store_id=a.store_id, room_id=room.id, title="show", planned_start=START,
                         planned_end=START + timedelta(hours=2))
        s.add(show)
        s.flush()
        show_id = show.id
        s.add(QueueItem(store_id=a.store_id, broadcast_id=show_id, product_id=product_id, position=1,
                        link_number=1, live_price_fen=10_000))
    quiesce([a, b])
    for console, price in ((a, 20_000), (b, 30_000)):
        with console.db.begin() as s:
            s.add(QueueItem(store_id=console.store_id, broadcast_id=show_id, product_id=product_id, position=2,
                            link_number=2, live_price_fen=price))

    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    for console in (a, b):
        with console.db.begin() as s:
            links = {i.link_number: i.live_price_fen for i in s.scalars(select(QueueItem))}
        assert links == {1: 10_000, 2: 20_000, 3: 30_000}


def test_a_second_stock_row_for_one_product_is_refused_and_dropped_where_it_was_made(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    a, b = pair
    product_id = _product(live)
    quiesce([a, b])
    rows = {}
    for console, price in ((a, 59_900), (b, 61_900)):
        with console.db.begin() as s:
            row = StoreProduct(store_id=console.store_id, product_id=product_id, counter_price_fen=price, stock=3)
            s.add(row)
            s.flush()
            rows[console.name] = row.id
    assert a.sync().clean
    report = b.sync()

    assert report.conflicts == 1 and not report.errors, report
    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    for console in (a, b):
        with console.db.begin() as s:
            assert [(r.id, r.counter_price_fen) for r in s.scalars(select(StoreProduct))] == [(rows["a"], 59_900)]
    with live.sessions.begin() as session:
        refused = session.scalars(select(SyncConflict).where(SyncConflict.row_id == rows["b"])).one()
        assert refused.fields == ["product_id"] and refused.kept["held_by"] == str(rows["a"])
    conflicts, _rejected = local.review_items(b.db)
    assert [c["row_id"] for c in conflicts] == [str(rows["b"])]


def _sets(console: FleetConsole) -> ProductSets:
    return ProductSets(console.db, AuthService(console.db).actor_for_login(None, via=AuditVia.CLI))


def test_a_name_freed_by_a_purged_tombstone_can_be_taken_again_on_another_console(
        live: ThreadedService, pair: tuple[FleetConsole, FleetConsole]) -> None:
    """A deleted set keeps its name on every console as a tombstone; once head office has purged the
    tombstone, a new set of that name made on one console must still reach the other, which holds the
    tombstone locally under the same name."""
    a, b = pair
    product_id = _product(live)
    quiesce([a, b])
    old = _sets(a).create_set("冬季大衣", [product_id])
    quiesce([a, b])
    _sets(a).delete_set(old.id)
    quiesce([a, b])
    with live.sessions.begin() as session:
        # Both consoles acknowledged past the delete: head office has purged the tombstone.
        assert session.get(SyncedRow, ("product_set", old.id)) is None
    with b.db.begin() as s:
        assert s.get(ProductSet, old.id).deleted_at is not None   # b still holds it, under its name

    new = _sets(a).create_set("冬季大衣", [product_id])
    assert a.sync().clean
    report = b.sync()

    assert report.clean, report
    assert [(r.id, r.name) for r in _sets(b).product_sets()] == [(new.id, "冬季大衣")]
    quiesce([a, b])
    check_invariants(live.sessions, [a, b])
    # The tombstone stays on b (what refers to it keeps its row), its name moved aside, untouched upstream.
    with b.db.begin() as s:
        kept = s.get(ProductSet, old.id)
        assert kept.deleted_at is not None and kept.name != "冬季大衣"
