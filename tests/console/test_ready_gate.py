"""The ready-gate: each block and warning, the 7-day reference price from the price history, marking ready,
an edit that breaks a ready broadcast, and ``anchor-console broadcast list|ready``.

The rules are judged on plain facts first (no database); then the services read
the same facts from a real SQLite store, and the command line runs as its own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import event, select

from console.domain.enums import AuditVia, BroadcastStatus, QualityDocumentKind
from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.i18n import Message
from console.rules.on_air import NO_AFTER_SALES_POLICY, NO_QUALITY_PAPERS
from console.rules.ready import ItemFacts, PaperFacts, ShowFacts, judge, judge_item
from console.services.broadcasts import BroadcastNotReady, BroadcastService
from console.services.registry import Services
from console.services.roster import RosterService
from console.storage.db import Database
from console.storage.models import AuditLog, Broadcast, PriceHistory, Product, QualityDocument, QueueItem, StoreProduct
from console.storage.outbox import tombstone

# 10:00 to 12:00 in Shanghai.
START = datetime(2031, 3, 3, 2, 0, tzinfo=UTC)
END = START + timedelta(hours=2)
SHOW_DAY = date(2031, 3, 3)
ZONE = "Asia/Shanghai"


# --------------------------------------------------------------------------
# The rules, on plain facts
# --------------------------------------------------------------------------


def _show(**changes: object) -> ShowFacts:
    return replace(ShowFacts(broadcast_id=uuid4(), title="锦华专场", starts_at=START, ends_at=END, timezone=ZONE),
                   **changes)


def _item(link: int = 7, **changes: object) -> ItemFacts:
    """An item that passes every check; each test breaks one thing."""
    good = ItemFacts(queue_item_id=uuid4(), link_number=link, product_name="羊绒大衣", live_price_fen=99_900,
                     planned_seconds=600, papers=(PaperFacts("R-2031-1", date(2031, 12, 31)),),
                     after_sales_policy="7天无理由退货", withdrawn=False, counter_price_fen=129_900,
                     counter_price_evidence="price tag photo 2031-02-20", lowest_counter_price_fen=129_900,
                     stock=12)
    return replace(good, **changes)


def _findings(messages: tuple[Message, ...]) -> list[str]:
    """The ids of the findings inside their "Link n (product): ..." wrappers."""
    assert all(m.id == "ready.at_link" for m in messages), messages
    return [m.values["finding"].id for m in messages]


def test_an_item_with_everything_in_order_passes() -> None:
    found = judge_item(_show(), _item())
    assert (found.problems, found.warnings) == ((), ())
    assert judge(_show(), [_item(1), _item(2)]).ready


def test_each_finding_names_the_link_and_the_product() -> None:
    found = judge_item(_show(), _item(7, papers=()))
    assert str(found.problems[0]) == "Link 7 (羊绒大衣): No quality papers on file."
    assert found.link_number == 7


@pytest.mark.parametrize(("change", "finding"), [
    ({"papers": ()}, NO_QUALITY_PAPERS.id),
    ({"papers": (PaperFacts("R-1", date(2031, 3, 2)),)}, "ready.paper_expires"),
    ({"after_sales_policy": "\u3000 "}, NO_AFTER_SALES_POLICY.id),
    ({"live_price_fen": 129_901}, "ready.live_price_above_counter"),
    ({"withdrawn": True}, "ready.withdrawn"),
], ids=["no papers", "paper expired", "no policy", "live above counter", "withdrawn"])
def test_each_block(change: dict[str, object], finding: str) -> None:
    found = judge_item(_show(), _item(**change))
    assert _findings(found.problems) == [finding]
    assert found.warnings == ()
    assert not judge(_show(), [_item(1), _item(2, **change)]).ready


@pytest.mark.parametrize(("change", "finding"), [
    ({"counter_price_evidence": " \u200b"}, "ready.counter_price_without_evidence"),
    ({"lowest_counter_price_fen": 109_900}, "ready.counter_price_above_recent_lowest"),
    ({"stock": 0}, "ready.no_stock"),
    ({"stock": None}, "ready.no_stock"),
    ({"counter_price_fen": None, "lowest_counter_price_fen": None}, "ready.no_counter_price"),
], ids=["no evidence", "above the week's lowest", "stock zero", "no stock row", "no counter price"])
def test_each_warning_and_it_does_not_stop_ready(change: dict[str, object], finding: str) -> None:
    found = judge_item(_show(), _item(**change))
    assert _findings(found.warnings) == [finding]
    assert found.problems == ()
    assert judge(_show(), [_item(1), _item(2, **change)]).ready


def test_prices_at_the_limit_pass() -> None:
    assert judge_item(_show(), _item(live_price_fen=129_900)).problems == ()
    assert judge_item(_show(), _item(lowest_counter_price_fen=129_900)).warnings == ()
    # No price history in the window: nothing to compare with.
    assert judge_item(_show(), _item(lowest_counter_price_fen=None)).warnings == ()


def test_a_paper_is_good_through_its_last_day_in_the_stores_time() -> None:
    on_the_day = PaperFacts("R-1", SHOW_DAY)
    assert judge_item(_show(), _item(papers=(on_the_day,))).problems == ()
    # The show runs past local midnight: the paper lapses during it.
    late = _show(starts_at=datetime(2031, 3, 3, 15, 0, tzinfo=UTC), ends_at=datetime(2031, 3, 3, 16, 30, tzinfo=UTC))
    assert _findings(judge_item(late, _item(papers=(on_the_day,))).problems) == ["ready.paper_expires"]
    # Ending exactly at midnight is still within the paper's last day.
    at_midnight = replace(late, ends_at=datetime(2031, 3, 3, 16, 0, tzinfo=UTC))
    assert judge_item(at_midnight, _item(papers=(on_the_day,))).problems == ()
    # No expiry date on file: never lapses.
    assert judge_item(_show(), _item(papers=(PaperFacts("F-1", None),))).problems == ()


def test_each_lapsing_paper_is_named_even_beside_a_valid_one() -> None:
    papers = (PaperFacts("R-OLD", date(2031, 1, 1)), PaperFacts("R-NEW", date(2032, 1, 1)))
    found = judge_item(_show(), _item(papers=papers))
    assert _findings(found.problems) == ["ready.paper_expires"]
    assert "R-OLD" in str(found.problems[0]) and "R-NEW" not in str(found.problems[0])


def test_several_findings_in_the_order_to_fix_them() -> None:
    found = judge_item(_show(), _item(withdrawn=True, papers=(), after_sales_policy="", stock=0,
                                      counter_price_evidence=""))
    assert _findings(found.problems) == ["ready.withdrawn", NO_QUALITY_PAPERS.id, NO_AFTER_SALES_POLICY.id]
    assert _findings(found.warnings) == ["ready.counter_price_without_evidence", "ready.no_stock"]


def test_a_queue_planned_longer_than_the_window_warns() -> None:
    exact = [_item(1, planned_seconds=3600), _item(2, planned_seconds=3600)]
    assert judge(_show(), exact).warnings == ()
    over = judge(_show(), [*exact, _item(3, planned_seconds=1)])
    assert [m.id for m in over.show_warnings] == ["ready.queue_longer_than_window"]
    assert over.ready
    assert str(over.warnings[0]) == "The queue is planned for 2:00:01, longer than the broadcast's 2:00:00."


def test_an_empty_queue_is_not_ready() -> None:
    check = judge(_show(), [])
    assert [m.id for m in check.problems] == ["ready.empty_queue"]


def test_blocks_are_listed_by_link_number() -> None:
    check = judge(_show(), [_item(3, papers=()), _item(1, withdrawn=True), _item(2)])
    assert [m.values["link"] for m in check.problems] == [1, 3]


# --------------------------------------------------------------------------
# The services, on a real store
# --------------------------------------------------------------------------


def _room(db: Database, actor: Actor) -> UUID:
    return RosterService(db, actor).add_room(code="R1", name="美妆直播间").id


def _product(db: Database, sku: str, *, name: str = "", papers: tuple[date | None, ...] = (date(2032, 1, 1),),
             policy: str = "7天无理由退货") -> UUID:
    with db.begin() as s:
        product = Product(sku=sku, name=name or f"商品{sku}", brand="锦华", category="服装",
                          after_sales_policy=policy)
        s.add(product)
        s.flush()
        for n, until in enumerate(papers):
            s.add(QualityDocument(product_id=product.id, kind=QualityDocumentKind.INSPECTION_REPORT,
                                  number=f"{sku}-{n}", valid_until=until))
        return product.id


def _price(db: Database, store: StoreInfo, product_id: UUID, fen: int, *, stock: int = 10,
           evidence: str = "price tag photo", history: tuple[tuple[timedelta, int], ...] = ()) -> None:
    """The store's price and stock now, with its history as (how long before the show, price)."""
    with db.begin() as s:
        s.add(StoreProduct(store_id=store.id, product_id=product_id, counter_price_fen=fen, stock=stock,
                           counter_price_evidence=evidence))
        for before, old in history:
            s.add(PriceHistory(store_id=store.id, product_id=product_id, counter_price_fen=old,
                               evidence=evidence, at=START - before))


def _broadcast(db: Database, store: StoreInfo, room_id: UUID, items: list[tuple[UUID, int]], *,
               title: str = "锦华专场", start: datetime = START, seconds: int = 600) -> UUID:
    with db.begin() as s:
        show = Broadcast(store_id=store.id, room_id=room_id, title=title, planned_start=start,
                         planned_end=start + timedelta(hours=2))
        s.add(show)
        s.flush()
        for link, (product_id, live) in enumerate(items, start=1):
            s.add(QueueItem(store_id=store.id, broadcast_id=show.id, product_id=product_id, position=link,
                            link_number=link, live_price_fen=live, planned_seconds=seconds))
        return show.id


def _status(db: Database, broadcast_id: UUID) -> BroadcastStatus:
    with db.begin() as s:
        return s.get(Broadcast, broadcast_id).status


@pytest.fixture
def services(db: Database, manager_actor: Actor) -> Services:
    return Services.for_actor(db, manager_actor)


@pytest.fixture
def room(db: Database, manager_actor: Actor) -> UUID:
    return _room(db, manager_actor)


def _good(db: Database, store: StoreInfo, sku: str, fen: int = 129_900) -> UUID:
    product = _product(db, sku)
    _price(db, store, product, fen)
    return product


# --- price history ------------------------------------------------------------


def test_every_change_of_the_counter_price_is_kept_with_its_time(db: Database, store: StoreInfo,
                                                                  services: Services) -> None:
    product = _product(db, "P1")
    before = datetime.now(UTC)
    services.catalog.set_store_price(product, counter_price_fen=129_900, stock=5, evidence="tag photo")
    services.catalog.set_store_price(product, counter_price_fen=129_900, stock=4)        # stock only
    services.catalog.set_store_price(product, counter_price_fen=109_900, stock=4)
    services.catalog.set_store_price(product, counter_price_fen=109_900, stock=4, evidence="POS record 88")

    history = services.prices.price_history(product)

    assert [(p.counter_price_fen, p.evidence) for p in history] == [
        (129_900, "tag photo"), (109_900, "tag photo"), (109_900, "POS record 88")]
    assert all(before <= p.at <= datetime.now(UTC) for p in history)
    assert [p.at for p in history] == sorted(p.at for p in history)
    with pytest.raises(NotFound):
        services.prices.price_history(uuid4())


@pytest.mark.parametrize(("history", "lowest", "warns"), [
    (((timedelta(days=30), 129_900), (timedelta(days=6), 99_900), (timedelta(days=5), 129_900)), 99_900, True),
    (((timedelta(days=30), 129_900), (timedelta(days=8), 99_900), (timedelta(days=7, hours=12), 129_900)),
     129_900, False),
    # Set 8 days before and still asked 3 days before: it was offered inside the window.
    (((timedelta(days=8), 99_900), (timedelta(days=3), 129_900)), 99_900, True),
    # Lowered only after the show started: not "before" it.
    (((timedelta(days=30), 129_900), (timedelta(minutes=-5), 99_900)), 129_900, False),
], ids=["lower 6 days before warns", "lower 8 days before does not", "still asked in the window",
        "lowered after the start"])
def test_the_reference_price_is_the_lowest_of_the_7_days_before_the_show(
        db: Database, store: StoreInfo, services: Services, room: UUID,
        history: tuple[tuple[timedelta, int], ...], lowest: int, warns: bool) -> None:
    product = _product(db, "P1")
    _price(db, store, product, 129_900, history=history)
    show = _broadcast(db, store, room, [(product, 99_900)])

    assert services.prices.lowest_counter_price(product, START) == lowest
    check = services.broadcasts.ready_check(show)
    assert ("ready.counter_price_above_recent_lowest" in _findings(check.warnings)) is warns
    assert check.ready


def test_the_lowest_price_without_history_is_none(db: Database, services: Services) -> None:
    product = _product(db, "P1")
    assert services.prices.lowest_counter_price(product, START) is None
    with pytest.raises(ValidationError):
        services.prices.lowest_counter_price(product, START.replace(tzinfo=None))


# --- checking and marking ready -------------------------------------------------


def test_the_services_find_each_block_and_warning(db: Database, store: StoreInfo, services: Services,
                                                  room: UUID) -> None:
    ok = _good(db, store, "OK")
    no_papers = _product(db, "NP", papers=())
    _price(db, store, no_papers, 10_000)
    lapsing = _product(db, "EX", papers=(SHOW_DAY - timedelta(days=1),))
    _price(db, store, lapsing, 10_000)
    no_policy = _product(db, "NS", policy="")
    _price(db, store, no_policy, 10_000)
    dear = _good(db, store, "DE", fen=5_000)
    withdrawn = _good(db, store, "WD")
    with db.begin() as s:
        tombstone(s.get(Product, withdrawn))
    no_evidence = _product(db, "NE")
    _price(db, store, no_evidence, 10_000, evidence="")
    no_stock = _product(db, "NK")
    _price(db, store, no_stock, 10_000, stock=0)
    show = _broadcast(db, store, room, [(ok, 9_900), (no_papers, 9_900), (lapsing, 9_900), (no_policy, 9_900),
                                        (dear, 9_900), (withdrawn, 9_900), (no_evidence, 9_900),
                                        (no_stock, 9_900)], seconds=1000)

    check = services.broadcasts.ready_check(show)

    by_link = {i.link_number: (_findings(i.problems), _findings(i.warnings)) for i in check.items}
    assert by_link == {
        1: ([], []),
        2: ([NO_QUALITY_PAPERS.id], []),
        3: (["ready.paper_expires"], []),
        4: ([NO_AFTER_SALES_POLICY.id], []),
        5: (["ready.live_price_above_counter"], []),
        6: (["ready.withdrawn"], []),
        7: ([], ["ready.counter_price_without_evidence"]),
        8: ([], ["ready.no_stock"]),
    }
    assert [m.id for m in check.show_warnings] == ["ready.queue_longer_than_window"]   # 8 x 1000 s > 2 h
    assert not check.ready and check.status is BroadcastStatus.PLANNED

    # The queue editor's rows carry the same findings.
    rows = services.broadcasts.queue(show)
    assert [(r.link_number, r.problems, r.warnings) for r in rows] == [
        (i.link_number, i.problems, i.warnings) for i in check.items]
    assert [r.blocked for r in rows] == [False, True, True, True, True, True, False, False]


def test_the_facts_come_from_one_query_however_long_the_queue(db: Database, store: StoreInfo, services: Services,
                                                              room: UUID) -> None:
    short = _broadcast(db, store, room, [(_good(db, store, f"S{n}"), 9_900) for n in range(2)], title="短")
    long = _broadcast(db, store, room, [(_good(db, store, f"L{n}"), 9_900) for n in range(40)], title="长")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        services.broadcasts.ready_check(short)
        few = len(statements)
        statements.clear()
        services.broadcasts.ready_check(long)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == few
    assert sum("FROM queue_item" in s for s in statements) == 1


def test_marking_ready_is_refused_naming_each_block_by_link(db: Database, store: StoreInfo, services: Services,
                                                            room: UUID) -> None:
    no_papers = _product(db, "NP", papers=())
    _price(db, store, no_papers, 10_000)
    show = _broadcast(db, store, room, [(_good(db, store, "OK"), 9_900), (no_papers, 12_000)])

    with pytest.raises(BroadcastNotReady) as refused:
        services.broadcasts.mark_ready(show)

    assert [str(p) for p in refused.value.problems] == [
        "Link 2 (商品NP): No quality papers on file.",
        "Link 2 (商品NP): The live price ¥120.00 is above the counter price ¥100.00."]
    assert str(refused.value) == "锦华专场 cannot be marked ready: 2 problems must be fixed first."
    assert _status(db, show) is BroadcastStatus.PLANNED


def test_warnings_do_not_stop_ready_and_the_change_is_audited(db: Database, store: StoreInfo, services: Services,
                                                              room: UUID) -> None:
    no_stock = _product(db, "NK")
    _price(db, store, no_stock, 10_000, stock=0)
    show = _broadcast(db, store, room, [(_good(db, store, "OK"), 9_900), (no_stock, 9_900)])

    check = services.broadcasts.mark_ready(show)

    assert check.ready and check.status is BroadcastStatus.READY
    assert _findings(check.warnings) == ["ready.no_stock"]
    assert _status(db, show) is BroadcastStatus.READY
    assert services.broadcasts.get(show).status is BroadcastStatus.READY
    with db.begin() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "broadcast_ready")).one()
        assert audit.entity_id == show and "no stock" in audit.detail["warnings"][0]
    # Marking it again changes nothing.
    assert services.broadcasts.mark_ready(show).status is BroadcastStatus.READY


def test_only_a_broadcast_before_its_show_can_be_marked_ready(db: Database, store: StoreInfo,
                                                              services: Services, room: UUID) -> None:
    show = _broadcast(db, store, room, [(_good(db, store, "OK"), 9_900)])
    with db.begin() as s:
        s.get(Broadcast, show).status = BroadcastStatus.ENDED
    with pytest.raises(ValidationError, match="is ended; only a planned broadcast"):
        services.broadcasts.mark_ready(show)
    with pytest.raises(NotFound):
        services.broadcasts.ready_check(uuid4())


def test_an_anchor_may_check_but_not_mark_ready(db: Database, store: StoreInfo, services: Services,
                                                anchor_actor: Actor, room: UUID) -> None:
    show = _broadcast(db, store, room, [(_good(db, store, "OK"), 9_900)])
    anchor = BroadcastService(db, anchor_actor)
    assert anchor.ready_check(show).ready
    with pytest.raises(PermissionDenied):
        anchor.mark_ready(show)


# --- an edit after ready ----------------------------------------------------------


def test_a_price_change_that_breaks_the_gate_returns_the_broadcast_to_planned(
        db: Database, store: StoreInfo, services: Services, room: UUID) -> None:
    product = _good(db, store, "OK")
    other = _broadcast(db, store, room, [(product, 99_900)], title="另一场")
    show = _broadcast(db, store, room, [(product, 99_900)])
    services.broadcasts.mark_ready(show)

    # Still above the live price: stays ready, says nothing.
    row = services.catalog.set_store_price(product, counter_price_fen=109_900, stock=3)
    assert row.notices == () and _status(db, show) is BroadcastStatus.READY

    row = services.catalog.set_store_price(product, counter_price_fen=89_900, stock=3)

    assert _status(db, show) is BroadcastStatus.PLANNED
    assert _status(db, other) is BroadcastStatus.PLANNED        # never ready: untouched
    assert [str(n) for n in row.notices] == [
        "锦华专场 is no longer ready and is planned again: "
        "Link 1 (商品OK): The live price ¥999.00 is above the counter price ¥899.00."]
    with db.begin() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.action == "broadcast_unready")).one()
        assert audit.entity_id == show and "¥899.00" in audit.detail["reasons"][0]


def test_a_queue_edit_that_breaks_the_gate_returns_the_broadcast_to_planned(
        db: Database, store: StoreInfo, services: Services, room: UUID) -> None:
    good, bare = _good(db, store, "OK"), _product(db, "NP", papers=())
    show = _broadcast(db, store, room, [(good, 99_900)])
    services.broadcasts.mark_ready(show)

    # An edit that keeps the gate: still ready, nothing to say.
    with db.begin() as s:
        s.scalars(select(QueueItem).where(QueueItem.broadcast_id == show)).one().live_price_fen = 89_900
        assert services.broadcasts.unready_if_broken(s, show) is None
    assert _status(db, show) is BroadcastStatus.READY

    # The queue service's way: the edit and the check in one unit of work.
    with db.begin() as s:
        s.add(QueueItem(store_id=store.id, broadcast_id=show, product_id=bare, position=2, link_number=2,
                        live_price_fen=9_900))
        why = services.broadcasts.unready_if_broken(s, show)

    assert why is not None and why.id == "broadcasts.back_to_planned"
    assert "Link 2 (商品NP): No quality papers on file." in str(why)
    assert _status(db, show) is BroadcastStatus.PLANNED
    # Planned broadcasts are left alone.
    with db.begin() as s:
        assert services.broadcasts.unready_if_broken(s, show) is None


def test_an_edit_rolled_back_leaves_the_broadcast_ready(db: Database, store: StoreInfo, services: Services,
                                                        room: UUID) -> None:
    show = _broadcast(db, store, room, [(_good(db, store, "OK"), 99_900)])
    services.broadcasts.mark_ready(show)
    with pytest.raises(RuntimeError), db.begin() as s:
        s.scalars(select(QueueItem).where(QueueItem.broadcast_id == show)).one().live_price_fen = 999_900
        assert services.broadcasts.unready_if_broken(s, show) is not None
        raise RuntimeError("the edit failed later")
    assert _status(db, show) is BroadcastStatus.READY


# --- listing and naming broadcasts --------------------------------------------------


def test_broadcasts_in_a_range_and_by_name(db: Database, store: StoreInfo, services: Services, room: UUID) -> None:
    early = _broadcast(db, store, room, [], title="兰蔻美妆专场", start=START - timedelta(days=1))
    mid = _broadcast(db, store, room, [(_good(db, store, "OK"), 9_900)], title="兰蔻香水专场")
    late = _broadcast(db, store, room, [], title="锦华专场", start=START + timedelta(days=1))

    assert [b.id for b in services.broadcasts.broadcasts(START, START + timedelta(days=1))] == [mid]
    assert [b.id for b in services.broadcasts.broadcasts(START)] == [mid, late]
    assert [b.id for b in services.broadcasts.broadcasts()] == [early, mid, late]

    assert services.broadcasts.resolve(str(mid)).id == mid
    assert services.broadcasts.resolve("锦华").id == late
    assert services.broadcasts.resolve(" 兰蔻香").id == mid
    with pytest.raises(ValidationError, match="2 broadcasts' titles start with '兰蔻'"):
        services.broadcasts.resolve("兰蔻")
    with pytest.raises(NotFound):
        services.broadcasts.resolve("雅诗")


def test_the_next_show_may_be_a_ready_one(db: Database, store: StoreInfo, services: Services, room: UUID) -> None:
    show = _broadcast(db, store, room, [(_good(db, store, "OK"), 9_900)])
    services.broadcasts.mark_ready(show)
    assert services.broadcasts.live_or_next(START - timedelta(hours=1)).id == show


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "console", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, check=False, env=env, timeout=120)


def test_cli_lists_broadcasts_as_json_and_text(db: Database, data_dir: Path, store: StoreInfo, room: UUID) -> None:
    show = _broadcast(db, store, room, [(_good(db, store, "OK"), 9_900)])
    _broadcast(db, store, room, [], title="下周专场", start=START + timedelta(days=7))

    listed = _cli(data_dir, "broadcast", "list", "--from", "2031-03-03", "--to", "2031-03-03", "--json")

    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [{
        "id": str(show), "title": "锦华专场", "room": "美妆直播间", "start": "2031-03-03T10:00:00+08:00",
        "end": "2031-03-03T12:00:00+08:00", "status": "planned", "queue_length": 1, "hosts": []}]

    text = _cli(data_dir, "broadcast", "list", "--from", "2031-03-01")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert len(lines) == 2 and "锦华专场" in lines[0] and "1 product)" in lines[0] and "下周专场" in lines[1]

    backwards = _cli(data_dir, "broadcast", "list", "--from", "2031-03-03", "--to", "2031-03-01")
    assert backwards.returncode == 1 and "--to 2031-03-01 is before --from 2031-03-03" in backwards.stderr


def test_cli_ready_refuses_with_each_problem_by_link_then_accepts(db: Database, data_dir: Path, store: StoreInfo,
                                                                  room: UUID) -> None:
    bare = _product(db, "NP", papers=())
    _price(db, store, bare, 10_000, stock=0)
    show = _broadcast(db, store, room, [(_good(db, store, "OK"), 9_900), (bare, 9_900)])

    checked = _cli(data_dir, "broadcast", "ready", "锦华", "--check")
    assert checked.returncode == 1
    assert "Link 2 (商品NP): No quality papers on file." in checked.stderr
    assert "warning: Link 2 (商品NP): The store has no stock of it." in checked.stdout
    assert _status(db, show) is BroadcastStatus.PLANNED

    refused = _cli(data_dir, "broadcast", "ready", "锦华")
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "anchor-console: Link 2 (商品NP): No quality papers on file.",
        "anchor-console: 锦华专场 cannot be marked ready: 1 problem must be fixed first."]
    assert "Traceback" not in refused.stderr
    assert _status(db, show) is BroadcastStatus.PLANNED

    with db.begin() as s:
        s.add(QualityDocument(product_id=bare, kind=QualityDocumentKind.INSPECTION_REPORT, number="NP-1"))
    passing = _cli(data_dir, "broadcast", "ready", str(show), "--check")
    assert passing.returncode == 0, passing.stderr
    assert "锦华专场 would pass the ready-gate (1 warning)." in passing.stdout
    assert _status(db, show) is BroadcastStatus.PLANNED

    accepted = _cli(data_dir, "broadcast", "ready", "锦华")
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.splitlines()[-1] == "锦华专场 is ready."
    assert _status(db, show) is BroadcastStatus.READY
    with db.begin() as s:
        assert s.scalars(select(AuditLog.via).where(AuditLog.action == "broadcast_ready")).one() is AuditVia.CLI


def test_cli_ready_names_an_unknown_or_ambiguous_broadcast(db: Database, data_dir: Path, store: StoreInfo,
                                                           room: UUID) -> None:
    _broadcast(db, store, room, [], title="兰蔻美妆专场")
    _broadcast(db, store, room, [], title="兰蔻香水专场")
    unknown = _cli(data_dir, "broadcast", "ready", "雅诗")
    assert unknown.returncode == 1 and "No broadcast's title starts with '雅诗'." in unknown.stderr
    ambiguous = _cli(data_dir, "broadcast", "ready", "兰蔻", "--check")
    assert ambiguous.returncode == 1 and "2 broadcasts' titles start with '兰蔻'" in ambiguous.stderr
