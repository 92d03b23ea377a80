"""The queue editor's core: link numbers that follow the order unless pinned, and every edit undone by its inverse.

Each test works on a real store file: a room, a planned broadcast of one
hour and a small catalog with store prices and papers. Undo is checked the
way the editor does it: the change an edit returns is all its inverse call
needs, and after the inverse the queue reads exactly as before.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import func, select

from console.domain.enums import BroadcastStatus, QualityDocumentKind
from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.permissions import Actor
from console.domain.values import LinkPin, QueueChange, QueueLine, QueueTerms
from console.services.queue import (
    MAX_QUEUE_ITEMS,
    QueueService,
    fewest_pins,
    link_numbers,
)
from console.services.registry import Services
from console.services.roster import RosterService
from console.storage.db import Database
from console.storage.models import Broadcast, Outbox, Product, QualityDocument, QueueItem, StoreProduct

START = datetime(2031, 3, 3, 11, 0, tzinfo=UTC)
SKUS = [f"SKU-{n:02d}" for n in range(1, 9)]


def barcode(n: int) -> str:
    return f"69012345678{n:02d}"


@pytest.fixture
def products(db: Database, manager_actor: Actor) -> dict[str, UUID]:
    """Eight products with papers, a policy, a store price of ¥100 + n and stock 10 n."""
    ids = {}
    with db.begin() as s:
        for n, sku in enumerate(SKUS, start=1):
            product = Product(sku=sku, barcode=barcode(n), name=f"商品{n}", brand="锦华", category="服装",
                              after_sales_policy="7天无理由退货")
            s.add(product)
            s.flush()
            s.add(QualityDocument(product_id=product.id, kind=QualityDocumentKind.INSPECTION_REPORT,
                                  number=f"QR{n}"))
            s.add(StoreProduct(store_id=manager_actor.store_id, product_id=product.id,
                               counter_price_fen=10_000 + n * 100, stock=10 * n, counter_price_evidence="tag"))
            ids[sku] = product.id
    return ids


@pytest.fixture
def room_id(db: Database, manager_actor: Actor) -> UUID:
    return RosterService(db, manager_actor).add_room(code="R1", name="一号直播间").id


def make_broadcast(db: Database, actor: Actor, room: UUID, title: str = "春季专场", *,
                   start: datetime = START, hours: float = 1,
                   status: BroadcastStatus = BroadcastStatus.PLANNED) -> UUID:
    with db.begin() as s:
        show = Broadcast(store_id=actor.store_id, room_id=room, title=title, planned_start=start,
                         planned_end=start + timedelta(hours=hours), status=status)
        s.add(show)
        s.flush()
        return show.id


@pytest.fixture
def show(db: Database, manager_actor: Actor, room_id: UUID) -> UUID:
    return make_broadcast(db, manager_actor, room_id)


@pytest.fixture
def queue(db: Database, manager_actor: Actor) -> QueueService:
    return QueueService(db, manager_actor)


def skus(change: QueueChange) -> list[str]:
    return [r.sku for r in change.rows]


def links(change: QueueChange) -> list[tuple[str, int]]:
    return [(r.sku, r.link_number) for r in change.rows]


def filled(queue: QueueService, show: UUID, products: dict[str, UUID], count: int = 5) -> QueueChange:
    return queue.add_products(show, [products[s] for s in SKUS[:count]])


def by_sku(change: QueueChange, sku: str) -> QueueLine:
    return next(r for r in change.rows if r.sku == sku)


def set_status(db: Database, broadcast: UUID, status: BroadcastStatus) -> None:
    with db.begin() as s:
        s.get_one(Broadcast, broadcast).status = status


# --- link numbers, the pure rule ---------------------------------------------------------


def test_link_numbers_follow_the_order_stepping_over_pins() -> None:
    assert link_numbers([None, None, None]) == [1, 2, 3]
    assert link_numbers([None, 1, None]) == [2, 1, 3]
    assert link_numbers([None, None, 2, None]) == [1, 3, 2, 4]
    assert link_numbers([7, None, None]) == [7, 1, 2]
    assert link_numbers([]) == []


def test_fewest_pins_pins_only_what_the_order_would_not_give() -> None:
    assert fewest_pins([1, 2, 3]) == [None, None, None]
    assert fewest_pins([2, 3, 1]) == [None, None, 1]
    assert fewest_pins([None, 5, None]) == [None, 5, None]
    wanted = [4, None, 1, 2, None, 9]
    assert [n for n, w in zip(link_numbers(fewest_pins(wanted)), wanted) if w is not None] == [4, 1, 2, 9]


# --- adding ------------------------------------------------------------------------------


def test_added_products_take_the_next_numbers_and_the_stores_terms(
        queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 3)
    assert links(change) == [("SKU-01", 1), ("SKU-02", 2), ("SKU-03", 3)]
    assert [r.index for r in change.rows] == [0, 1, 2]
    first = change.rows[0]
    assert (first.live_price_fen, first.stock_allocated, first.planned_seconds) == (10_100, 10, 180)
    assert first.may_go_on_air and not first.link_pinned
    assert set(change.added_ids) == set(change.changed_ids) == {r.id for r in change.rows}
    assert change.status is BroadcastStatus.PLANNED and change.unready is None

    inserted = queue.add_products(show, products["SKU-04"], at=1)
    assert links(inserted) == [("SKU-01", 1), ("SKU-04", 2), ("SKU-02", 3), ("SKU-03", 4)]
    # The new row and the two that were renumbered; the first row was not written.
    assert set(inserted.changed_ids) == {by_sku(inserted, s).id for s in ("SKU-04", "SKU-02", "SKU-03")}


def test_a_product_is_on_a_queue_once(queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    filled(queue, show, products, 2)
    with pytest.raises(ValidationError) as refused:
        queue.add_products(show, products["SKU-02"])
    assert str(refused.value) == "商品2 is already on this queue as link 2."
    change = queue.add_products(show, [products["SKU-01"], products["SKU-03"]])
    assert skus(change) == ["SKU-01", "SKU-02", "SKU-03"]
    assert [str(n) for n in change.notices] == ["Left out 商品1: already on this queue."]


def test_the_barcode_scanner_adds_by_barcode_or_sku(
        db: Database, queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    assert skus(queue.add_by_code(show, barcode(3) + "\n")) == ["SKU-03"]
    assert skus(queue.add_by_code(show, "SKU-05")) == ["SKU-03", "SKU-05"]
    assert skus(queue.add_by_code(show, "sku-01")) == ["SKU-03", "SKU-05", "SKU-01"]
    # A scanner behind a Chinese input method types full-width digits.
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in barcode(7))
    assert skus(queue.add_by_code(show, full_width))[-1] == "SKU-07"

    with pytest.raises(NotFound) as unknown:
        queue.add_by_code(show, "4006381333931")
    assert str(unknown.value) == "No product in the catalog has the barcode or SKU '4006381333931'."
    with pytest.raises(ValidationError) as twice:
        queue.add_by_code(show, barcode(3))
    assert str(twice.value) == "商品3 is already on this queue as link 1."
    with pytest.raises(ValidationError):
        queue.add_by_code(show, "  ")

    with db.begin() as s:
        s.get_one(Product, products["SKU-08"]).deleted_at = START
    with pytest.raises(ValidationError) as withdrawn:
        queue.add_by_code(show, barcode(8))
    assert str(withdrawn.value) == f"Head office has withdrawn 商品8 ({barcode(8)}); it cannot go on a queue."
    with pytest.raises(ValidationError):
        queue.add_products(show, products["SKU-08"])
    assert len(queue.lines(show)) == 4


def test_a_barcode_two_products_share_asks_for_the_sku(
        db: Database, queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    with db.begin() as s:
        s.get_one(Product, products["SKU-02"]).barcode = barcode(1)
    with pytest.raises(ValidationError) as ambiguous:
        queue.add_by_code(show, barcode(1))
    assert "2 products share the barcode" in str(ambiguous.value)
    assert skus(queue.add_by_code(show, "SKU-02")) == ["SKU-02"]


def test_undo_and_redo_of_an_add(queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    filled(queue, show, products, 2)
    before = queue.lines(show)
    added = queue.add_products(show, [products["SKU-05"], products["SKU-06"]], at=1)
    undone = queue.remove(show, added.added_ids)
    assert undone.rows == before
    redone = queue.restore(show, undone.removed)
    assert redone.rows == added.rows
    assert set(redone.added_ids) == set(added.added_ids)


# --- removing and restoring ------------------------------------------------------------------


def test_removing_closes_the_numbers_and_restoring_puts_everything_back(
        queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 5)
    queue.pin_link(show, by_sku(change, "SKU-04").id, 9)
    queue.set_deal(show, by_sku(change, "SKU-02").id, "满300减50券")
    before = queue.lines(show)
    assert [(r.sku, r.link_number) for r in before] == [
        ("SKU-01", 1), ("SKU-02", 2), ("SKU-03", 3), ("SKU-04", 9), ("SKU-05", 4)]

    removed = queue.remove(show, [by_sku(change, "SKU-02").id, by_sku(change, "SKU-04").id])
    assert links(removed) == [("SKU-01", 1), ("SKU-03", 2), ("SKU-05", 3)]
    assert [(r.index, r.pinned_number) for r in removed.removed] == [(1, None), (3, 9)]

    restored = queue.restore(show, removed.removed)
    assert restored.rows == before
    # Redo of the removal, then its undo again.
    again = queue.remove(show, removed.removed_ids)
    assert again.rows == removed.rows
    assert queue.restore(show, again.removed).rows == before


def test_restore_refuses_what_is_already_back(queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 2)
    removed = queue.remove(show, change.rows[0].id)
    queue.restore(show, removed.removed)
    with pytest.raises(ValidationError):
        queue.restore(show, removed.removed)
    # Removed, then the same product added anew: the old row cannot come back beside it.
    removed = queue.remove(show, change.rows[0].id)
    queue.add_products(show, change.rows[0].product_id)
    with pytest.raises(ValidationError) as twice:
        queue.restore(show, removed.removed)
    assert "already on this queue" in str(twice.value)


def test_a_pin_taken_meanwhile_is_dropped_on_restore(
        queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 3)
    queue.pin_link(show, change.rows[0].id, 5)
    removed = queue.remove(show, change.rows[0].id)
    queue.pin_link(show, change.rows[1].id, 5)
    restored = queue.restore(show, removed.removed)
    assert not by_sku(restored, "SKU-01").link_pinned
    assert [str(n) for n in restored.notices] == [
        "商品1 now follow the order: their pinned link numbers are taken."]


# --- order and pins ----------------------------------------------------------------------


def test_moving_renumbers_and_a_pinned_number_stays(
        queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 5)
    pinned = queue.pin_link(show, by_sku(change, "SKU-02").id)
    assert by_sku(pinned, "SKU-02").link_pinned and by_sku(pinned, "SKU-02").link_number == 2

    moved = queue.move(show, by_sku(change, "SKU-05").id, 0)
    assert links(moved) == [("SKU-05", 1), ("SKU-01", 3), ("SKU-02", 2), ("SKU-03", 4), ("SKU-04", 5)]
    moved = queue.move(show, by_sku(change, "SKU-02").id, 4)
    assert links(moved) == [("SKU-05", 1), ("SKU-01", 3), ("SKU-03", 4), ("SKU-04", 5), ("SKU-02", 2)]
    assert len({r.link_number for r in moved.rows}) == 5


def test_several_items_move_together_and_undo_restores_the_numbers(
        queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 6)
    queue.pin_link(show, by_sku(change, "SKU-06").id, 1)
    before = queue.lines(show)
    assert links(queue.current(show))[:2] == [("SKU-01", 2), ("SKU-02", 3)]

    moved = queue.move(show, [by_sku(change, "SKU-04").id, by_sku(change, "SKU-02").id], 0)
    assert skus(moved) == ["SKU-02", "SKU-04", "SKU-01", "SKU-03", "SKU-05", "SKU-06"]
    assert [r.link_number for r in moved.rows] == [2, 3, 4, 5, 6, 1]
    assert moved.order_before == tuple(r.id for r in before)

    undone = queue.reorder(show, moved.order_before)
    assert undone.rows == before
    redone = queue.reorder(show, moved.order)
    assert redone.rows == moved.rows


def test_moving_up_and_down_by_one(queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 3)
    third = by_sku(change, "SKU-03")
    up = queue.move(show, third.id, third.index - 1)
    assert skus(up) == ["SKU-01", "SKU-03", "SKU-02"]
    down = queue.move(show, third.id, by_sku(up, "SKU-03").index + 1)
    assert skus(down) == ["SKU-01", "SKU-02", "SKU-03"]
    # Past the end is the end; a move that changes nothing writes nothing and has nothing to undo.
    still = queue.move(show, third.id, 99)
    assert skus(still) == ["SKU-01", "SKU-02", "SKU-03"] and still.order_before == () and still.changed_ids == ()


def test_a_stale_order_is_refused(queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 3)
    with pytest.raises(ValidationError):
        queue.reorder(show, change.order[:2])
    with pytest.raises(ValidationError):
        queue.reorder(show, (*change.order[:2], change.order[0]))


def test_pinning_a_taken_number_moves_the_others_and_unpinning_undoes_it(
        queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 4)
    before = change.rows
    pinned = queue.pin_link(show, by_sku(change, "SKU-04").id, 1)
    assert links(pinned) == [("SKU-01", 2), ("SKU-02", 3), ("SKU-03", 4), ("SKU-04", 1)]
    assert pinned.pins_before == (LinkPin(by_sku(change, "SKU-04").id, None),)
    assert queue.set_pins(show, pinned.pins_before).rows == before

    queue.pin_link(show, by_sku(change, "SKU-04").id, 1)
    with pytest.raises(ValidationError) as clash:
        queue.pin_link(show, by_sku(change, "SKU-02").id, 1)
    assert str(clash.value) == "Link 1 is already pinned to 商品4; unpin it first."
    with pytest.raises(ValidationError):
        queue.pin_link(show, by_sku(change, "SKU-02").id, 0)
    with pytest.raises(ValidationError):
        queue.pin_link(show, by_sku(change, "SKU-02").id, 1000)
    # Two pins trading their numbers in one call is fine.
    queue.pin_link(show, by_sku(change, "SKU-01").id, 7)
    traded = queue.set_pins(show, [LinkPin(by_sku(change, "SKU-04").id, 7), LinkPin(by_sku(change, "SKU-01").id, 1)])
    assert (by_sku(traded, "SKU-01").link_number, by_sku(traded, "SKU-04").link_number) == (1, 7)
    unpinned = queue.unpin_link(show, by_sku(change, "SKU-04").id)
    assert links(unpinned) == [("SKU-01", 1), ("SKU-02", 2), ("SKU-03", 3), ("SKU-04", 4)]


def test_a_renumbering_writes_each_row_once_with_its_final_number(
        db: Database, queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 3)
    with db.begin() as s:
        last = s.scalar(select(func.max(Outbox.seq)))
    queue.move(show, change.rows[2].id, 0)      # 3 1 2: every number changes
    with db.begin() as s:
        entries = s.scalars(select(Outbox).where(Outbox.table_name == "queue_item", Outbox.seq > last)).all()
        assert sorted(e.payload["link_number"] for e in entries) == [1, 2, 3]
        assert len({e.row_id for e in entries}) == 3
        assert s.scalar(select(func.min(QueueItem.link_number))) > 0


# --- terms -------------------------------------------------------------------------------


def test_terms_are_set_and_undone(queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 3)
    item = change.rows[0].id
    before = queue.lines(show)
    priced = queue.set_live_price(show, item, 8_800)
    assert priced.rows[0].live_price_fen == 8_800 and priced.changed_ids == (item,)
    assert priced.terms_before == (before[0].terms,)
    dealt = queue.set_deal(show, item, "  限时秒杀 赠围巾 ")
    assert dealt.rows[0].deal == "限时秒杀 赠围巾"
    timed = queue.set_planned_duration(show, [r.id for r in change.rows], 300)
    assert [r.planned_seconds for r in timed.rows] == [300, 300, 300]
    stocked = queue.set_stock_at_start(show, item, 0)
    assert stocked.rows[0].stock_allocated == 0

    # Undo in reverse order, each by set_terms with what the edit kept.
    for edit in (stocked, timed, dealt, priced):
        queue.set_terms(show, edit.terms_before)
    assert queue.lines(show) == before
    redone = queue.set_terms(show, [QueueTerms(item, 8_800, "限时秒杀", 240, 3)])
    assert redone.rows[0].terms == QueueTerms(item, 8_800, "限时秒杀", 240, 3)


def test_bad_terms_are_refused(queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    item = filled(queue, show, products, 1).rows[0].id
    for call in (lambda: queue.set_live_price(show, item, 0),
                 lambda: queue.set_live_price(show, item, -100),
                 lambda: queue.set_planned_duration(show, item, 0),
                 lambda: queue.set_planned_duration(show, item, 5 * 3600),
                 lambda: queue.set_stock_at_start(show, item, -1),
                 lambda: queue.set_deal(show, item, "券" * 301),
                 lambda: queue.set_terms(show, [QueueTerms(item, 0, "", 180, 0)])):
        with pytest.raises(ValidationError):
            call()
    with pytest.raises(ValidationError) as zero:
        queue.set_live_price(show, item, 0)
    assert str(zero.value) == "The live price must be more than ¥0.00."


# --- the running total ------------------------------------------------------------------------


def test_the_planned_total_against_the_window(queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 5)
    assert change.timing.planned_seconds == 5 * 180 and change.timing.window_seconds == 3600
    assert change.timing.fits and change.timing.spare_seconds == 3600 - 900
    longer = queue.set_planned_duration(show, change.order, 15 * 60)
    assert longer.timing.planned_seconds == 75 * 60
    assert not longer.timing.fits and longer.timing.over_seconds == 15 * 60
    assert queue.timing(show) == longer.timing


# --- sets ---------------------------------------------------------------------------------


def test_product_sets_are_made_renamed_deleted_and_restored(
        queue: QueueService, products: dict[str, UUID]) -> None:
    made = queue.create_set("  冬季  大衣 ", [products["SKU-03"], products["SKU-01"], products["SKU-03"]])
    assert made.name == "冬季 大衣" and made.product_ids == (products["SKU-03"], products["SKU-01"])
    with pytest.raises(ValidationError):
        queue.create_set("冬季 大衣", [products["SKU-02"]])
    renamed = queue.rename_set(made.id, "冬装")
    assert queue.product_sets() == [renamed]
    changed = queue.set_products(made.id, [products["SKU-02"]])
    assert changed.product_ids == (products["SKU-02"],)
    assert queue.set_products(made.id, made.product_ids).product_ids == made.product_ids

    deleted = queue.delete_set(made.id)
    assert queue.product_sets() == []
    # The name is free again; the deleted set steps aside and comes back under it when that is free.
    other = queue.create_set("冬装", [products["SKU-04"]])
    with pytest.raises(ValidationError):
        queue.restore_set(deleted.id)
    queue.rename_set(other.id, "春装")
    assert queue.restore_set(deleted.id).name == "冬装"
    assert [s.name for s in queue.product_sets()] == ["冬装", "春装"]


def test_a_set_holds_up_to_a_hundred_products(
        db: Database, queue: QueueService, products: dict[str, UUID]) -> None:
    with db.begin() as s:
        many = [Product(sku=f"BULK-{n:03d}", name=f"批量{n}", brand="锦华", category="服装") for n in range(101)]
        s.add_all(many)
        s.flush()
        ids = [p.id for p in many]
    assert queue.create_set("一百件", ids[:100]).size == 100
    with pytest.raises(ValidationError) as too_many:
        queue.create_set("一百零一件", ids)
    assert str(too_many.value) == "A set holds at most 100 products; this one would have 101."
    with pytest.raises(ValidationError):
        queue.create_set("空", [])
    with pytest.raises(ValidationError):
        queue.create_set("", ids[:1])


def test_a_queue_saved_as_a_set_fills_another_queue(
        db: Database, manager_actor: Actor, room_id: UUID, queue: QueueService, show: UUID,
        products: dict[str, UUID]) -> None:
    filled(queue, show, products, 4)
    saved = queue.save_queue_as_set(show, "春季四件")
    assert saved.product_ids == tuple(products[s] for s in SKUS[:4])

    other = make_broadcast(db, manager_actor, room_id, "周末专场", start=START + timedelta(days=2))
    queue.add_products(other, products["SKU-03"])
    with db.begin() as s:
        s.get_one(Product, products["SKU-02"]).deleted_at = START
    change = queue.add_set(other, saved.id, at=0)
    assert skus(change) == ["SKU-01", "SKU-04", "SKU-03"]
    assert [str(n) for n in change.notices] == ["Left out 商品2: head office has withdrawn them.",
                                                "Left out 商品3: already on this queue."]
    undone = queue.remove(other, change.added_ids)
    assert skus(undone) == ["SKU-03"]


def test_copying_a_past_queue(db: Database, manager_actor: Actor, room_id: UUID, queue: QueueService,
                              products: dict[str, UUID]) -> None:
    past = make_broadcast(db, manager_actor, room_id, "上周专场", start=START - timedelta(days=7))
    change = filled(queue, past, products, 4)
    queue.set_live_price(past, change.rows[0].id, 9_900)
    queue.set_deal(past, change.rows[1].id, "赠品：围巾")
    queue.set_planned_duration(past, change.rows[2].id, 420)
    queue.pin_link(past, change.rows[3].id, 20)
    queue.set_stock_at_start(past, change.rows[0].id, 1)
    set_status(db, past, BroadcastStatus.ENDED)
    with db.begin() as s:
        s.get_one(Product, products["SKU-03"]).deleted_at = START

    target = make_broadcast(db, manager_actor, room_id, "本周专场")
    copied = queue.copy_queue(target, past)
    assert [(r.sku, r.link_number, r.link_pinned) for r in copied.rows] == [
        ("SKU-01", 1, False), ("SKU-02", 2, False), ("SKU-04", 20, True)]
    first, second = copied.rows[0], copied.rows[1]
    assert (first.live_price_fen, first.stock_allocated) == (9_900, 10)   # today's stock, not that show's
    assert second.deal == "赠品：围巾"
    assert [str(n) for n in copied.notices] == ["Left out 商品3: head office has withdrawn them."]
    assert queue.remove(target, copied.added_ids).rows == ()
    queue.copy_queue(target, past)

    with pytest.raises(ValidationError):
        queue.copy_queue(target, target)
    with pytest.raises(ValidationError) as nothing_new:
        queue.copy_queue(target, past)      # everything it could take is here already
    assert str(nothing_new.value) == "All 3 products are already on this queue."
    empty = make_broadcast(db, manager_actor, room_id, "空专场")
    with pytest.raises(ValidationError) as nothing:
        queue.copy_queue(target, empty)
    assert str(nothing.value) == "The broadcast '空专场' has no queue to copy."


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("status, words", [
    (BroadcastStatus.LIVE, "is on air"),
    (BroadcastStatus.ENDED, "has ended"),
    (BroadcastStatus.CANCELLED, "was cancelled"),
])
def test_a_queue_past_planning_refuses_every_edit(
        db: Database, queue: QueueService, show: UUID, products: dict[str, UUID],
        status: BroadcastStatus, words: str) -> None:
    change = filled(queue, show, products, 2)
    set_status(db, show, status)
    item = change.rows[0].id
    edits = [
        lambda: queue.add_products(show, products["SKU-05"]),
        lambda: queue.add_by_code(show, "SKU-05"),
        lambda: queue.remove(show, item),
        lambda: queue.move(show, item, 1),
        lambda: queue.reorder(show, change.order[::-1]),
        lambda: queue.set_live_price(show, item, 100),
        lambda: queue.pin_link(show, item, 3),
        lambda: queue.set_terms(show, change.rows[0].terms),
    ]
    for edit in edits:
        with pytest.raises(ValidationError) as refused:
            edit()
        assert words in str(refused.value)
    assert queue.lines(show) == change.rows
    # Reading and saving as a set still work on a past show.
    assert queue.save_queue_as_set(show, "留存").size == 2


def test_a_ready_broadcast_that_an_edit_breaks_is_planned_again(
        db: Database, queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    change = filled(queue, show, products, 2)
    set_status(db, show, BroadcastStatus.READY)
    fine = queue.set_deal(show, change.rows[0].id, "满减")
    assert fine.status is BroadcastStatus.READY and fine.unready is None
    broken = queue.set_live_price(show, change.rows[0].id, 99_999_00)     # above the counter price
    assert broken.status is BroadcastStatus.PLANNED
    assert broken.unready is not None and "no longer ready" in str(broken.unready)
    assert broken.readiness is not None and not broken.readiness.ready


def test_only_a_planner_edits_and_anyone_may_look(
        db: Database, anchor_actor: Actor, queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    filled(queue, show, products, 1)
    theirs = QueueService(db, anchor_actor)
    assert len(theirs.lines(show)) == 1
    with pytest.raises(PermissionDenied):
        theirs.add_products(show, products["SKU-02"])
    with pytest.raises(PermissionDenied):
        theirs.create_set("x", [products["SKU-02"]])


def test_another_stores_broadcast_is_not_found(queue: QueueService, products: dict[str, UUID]) -> None:
    with pytest.raises(NotFound):
        queue.add_products(UUID(int=1), products["SKU-01"])
    with pytest.raises(NotFound):
        queue.current(UUID(int=1))


def test_a_queue_has_a_limit(db: Database, queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    with db.begin() as s:
        many = [Product(sku=f"BULK-{n:04d}", name=f"批量{n}", brand="锦华", category="服装")
                for n in range(MAX_QUEUE_ITEMS + 1)]
        s.add_all(many)
        s.flush()
        ids = [p.id for p in many]
    with pytest.raises(ValidationError) as too_long:
        queue.add_products(show, ids)
    assert "at most 999 products" in str(too_long.value)
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(QueueItem)) == 0


def test_the_registry_builds_the_queue_service(db: Database, manager_actor: Actor) -> None:
    assert isinstance(Services.for_actor(db, manager_actor).queue, QueueService)


def test_an_unpriced_product_comes_with_a_zero_live_price(
        db: Database, queue: QueueService, show: UUID) -> None:
    with db.begin() as s:
        product = Product(sku="NEW-1", name="新品", brand="锦华", category="服装")
        s.add(product)
        s.flush()
        pid = product.id
    line = queue.add_products(show, pid).rows[0]
    assert (line.live_price_fen, line.counter_price_fen, line.stock_allocated) == (0, None, 0)
    assert not line.may_go_on_air
