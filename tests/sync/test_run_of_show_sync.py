"""Issue 12 over sync: a store's run-of-show reaches head office and its other console, never another store's;
head office's catalog comes down, and a product it withdraws leaves the search and fails the ready-gate.

Real consoles (SQLite data folders, the real client) against the real service
on loopback, on SQLite and on PostgreSQL. Head office's catalog is written as
``anchor-headoffice catalog import`` / ``withdraw`` write it (in process).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from alembic import command
from sqlalchemy import func, select, text

from console.domain.enums import AuditVia, BroadcastStatus
from console.domain.errors import BroadcastNotReady
from console.domain.permissions import Actor
from console.headoffice import catalog as ho_catalog
from console.headoffice import db as ho_db
from console.headoffice.models import SyncedRow, store_scope
from console.services.auth import AuthService
from console.services.broadcasts import BroadcastService
from console.services.catalog import CatalogService
from console.services.catalog_detail import CatalogDetailService
from console.services.catalog_file import CatalogRejected
from console.services.catalog_io import CatalogFileService
from console.services.prices import PriceService
from console.services.product_sets import ProductSets
from console.services.queue import QueueService
from console.services.roster import RosterService
from console.storage.db import open_database
from console.storage.models import (
    Broadcast,
    PriceHistory,
    Product,
    ProductSet,
    QueueItem,
    StoreProduct,
)
from console.sync.client import MODE_UPLOAD
from tests.headoffice.helpers import LiveService
from tests.sync.conftest import Console, ConsoleFactory, store_id_of

HEADER = "商品编码,商品名称,品牌,类目,规格,条码,质检报告,售后政策\n"
COAT = "JH-001,羊绒大衣,锦华,服装,M,6901234567892,JC2026-0001,七天无理由退货\n"
SCARF = "JH-002,真丝围巾,锦华,配饰,,,2020010701234567,七天无理由退货（吊牌完好）\n"
START = datetime(2031, 3, 3, 11, 0, tzinfo=UTC)
RUN_OF_SHOW = ("store_product", "price_history", "broadcast", "queue_item", "product_set")


def actor(console: Console) -> Actor:
    return AuthService(console.db).actor_for_login(None, via=AuditVia.CLI)


def head_office_imports(service: LiveService, tmp_path: Path, text_: str, name: str = "catalog.csv") -> None:
    path = tmp_path / name
    path.write_bytes(text_.encode("gbk"))
    with service.sessions().begin() as session:
        ho_catalog.import_file(session, path)


def products_by_sku(console: Console) -> dict[str, UUID]:
    with console.db.begin() as s:
        return {sku: pid for sku, pid in s.execute(select(Product.sku, Product.id))}


def server_rows(service: LiveService, store_id: UUID, table: str) -> list[dict[str, Any]]:
    with service.sessions().begin() as session:
        return [r.data for r in session.scalars(select(SyncedRow).where(
            SyncedRow.scope_key == store_scope(store_id), SyncedRow.table_name == table,
            SyncedRow.deleted.is_(False)))]


def local_count(console: Console, model: Any) -> int:
    with console.db.begin() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def search(console: Console, text_: str) -> list[str]:
    return [row.sku for row in CatalogService(console.db, actor(console)).search(text_)]


def plan_a_show(console: Console, skus: dict[str, UUID], title: str = "冬季大衣专场") -> UUID:
    """Store prices with their history, a room, a broadcast and its queue, the way the screens make them."""
    who = actor(console)
    prices = CatalogService(console.db, who)
    prices.set_store_price(skus["JH-001"], counter_price_fen=139_900, stock=6, evidence="价签照片 2031-02")
    prices.set_store_price(skus["JH-001"], counter_price_fen=129_900, stock=5)
    prices.set_store_price(skus["JH-002"], counter_price_fen=39_900, stock=12, evidence="POS 记录")
    room = RosterService(console.db, who).add_room(code="R1", name="一号直播间").id
    with console.db.begin() as s:
        show = Broadcast(store_id=who.store_id, room_id=room, title=title, planned_start=START,
                         planned_end=START + timedelta(hours=1))
        s.add(show)
        s.flush()
        show_id = show.id
    queue = QueueService(console.db, who)
    change = queue.add_products(show_id, [skus["JH-001"], skus["JH-002"]])
    coat, scarf = (r.id for r in change.rows)
    queue.set_live_price(show_id, coat, 99_900)
    queue.set_deal(show_id, coat, "满1000减100")
    queue.set_planned_duration(show_id, coat, 5 * 60 + 30)
    queue.set_stock_at_start(show_id, coat, 3)
    queue.pin_link(show_id, scarf, 8)
    return show_id


def queue_lines(console: Console, show: UUID) -> list[tuple[Any, ...]]:
    return [(r.sku, r.index, r.link_number, r.link_pinned, r.live_price_fen, r.deal, r.planned_seconds,
             r.stock_allocated, r.counter_price_fen, r.store_stock)
            for r in QueueService(console.db, actor(console)).lines(show)]


def test_a_stores_run_of_show_reaches_head_office_and_its_other_console_and_no_other_store(
        any_service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    any_service.add_store("SH01")
    any_service.add_store("BJ02")
    head_office_imports(any_service, tmp_path, HEADER + COAT + SCARF)
    a, b = make_console(any_service, "SH01"), make_console(any_service, "SH01")
    other = make_console(any_service, "BJ02")
    skus = products_by_sku(a)
    store_id = store_id_of(any_service, "SH01")

    show = plan_a_show(a, skus)
    sets = ProductSets(a.db, actor(a))
    winter = sets.create_set("冬季大衣", [skus["JH-002"], skus["JH-001"]])
    assert BroadcastService(a.db, actor(a)).mark_ready(show).ready

    assert a.sync().clean and b.sync().clean and other.sync().clean

    # Head office holds each of them, as the console wrote it.
    (up_show,) = server_rows(any_service, store_id, "broadcast")
    assert (up_show["id"], up_show["title"], up_show["status"]) == (str(show), "冬季大衣专场", "ready")
    up_queue = sorted(server_rows(any_service, store_id, "queue_item"), key=lambda r: r["position"])
    assert [(r["product_id"], r["link_number"], r["link_pinned"], r["live_price_fen"], r["deal"],
             r["planned_seconds"], r["stock_allocated"]) for r in up_queue] == [
        (str(skus["JH-001"]), 1, False, 99_900, "满1000减100", 330, 3),
        (str(skus["JH-002"]), 8, True, 39_900, "", 180, 12)]
    assert {r["product_id"]: (r["counter_price_fen"], r["stock"], r["counter_price_evidence"])
            for r in server_rows(any_service, store_id, "store_product")} == {
        str(skus["JH-001"]): (129_900, 5, "价签照片 2031-02"), str(skus["JH-002"]): (39_900, 12, "POS 记录")}
    assert sorted((r["product_id"], r["counter_price_fen"])
                  for r in server_rows(any_service, store_id, "price_history")) == sorted([
        (str(skus["JH-001"]), 139_900), (str(skus["JH-001"]), 129_900), (str(skus["JH-002"]), 39_900)])
    assert [(r["name"], r["product_ids"]) for r in server_rows(any_service, store_id, "product_set")] == [
        ("冬季大衣", [str(skus["JH-002"]), str(skus["JH-001"])])]

    # The store's other console reads the same run-of-show, gate and all, and owes head office nothing.
    assert queue_lines(b, show) == queue_lines(a, show) == [
        ("JH-001", 0, 1, False, 99_900, "满1000减100", 330, 3, 129_900, 5),
        ("JH-002", 1, 8, True, 39_900, "", 180, 12, 39_900, 12)]
    on_b = BroadcastService(b.db, actor(b))
    assert on_b.get(show).status is BroadcastStatus.READY and on_b.ready_check(show).ready
    assert ProductSets(b.db, actor(b)).product_sets() == sets.product_sets() == [winter]
    assert PriceService(b.db, actor(b)).price_history(skus["JH-001"]) == PriceService(
        a.db, actor(a)).price_history(skus["JH-001"])
    assert b.outbox() == []

    # Another store's console has none of it, and head office keeps none of it in that store's scope.
    for model in (StoreProduct, PriceHistory, Broadcast, QueueItem, ProductSet):
        assert local_count(other, model) == 0, model.__tablename__
    assert BroadcastService(other.db, actor(other)).broadcasts() == []
    other_store = store_id_of(any_service, "BJ02")
    assert all(server_rows(any_service, other_store, t) == [] for t in RUN_OF_SHOW)
    # Its search sees the catalog, priced by nobody: the prices were the other store's.
    assert [(r.sku, r.counter_price_fen, r.stock) for r in CatalogService(other.db, actor(other)).search("锦华")] == [
        ("JH-001", None, None), ("JH-002", None, None)]

    # And back the other way: the second console's edits reach the first.
    QueueService(b.db, actor(b)).move(show, [queue_lines_ids(b, show)[1]], 0)
    CatalogService(b.db, actor(b)).set_store_price(skus["JH-002"], counter_price_fen=35_900, stock=10)
    ProductSets(b.db, actor(b)).rename_set(winter.id, "冬季大衣（二）")
    assert b.sync().clean and a.sync().clean
    assert queue_lines(a, show) == queue_lines(b, show)
    assert [r[0] for r in queue_lines(a, show)] == ["JH-002", "JH-001"]
    assert [(p.counter_price_fen, p.stock) for p in [CatalogService(a.db, actor(a)).product(skus["JH-002"])]] == [
        (35_900, 10)]
    assert [p.counter_price_fen for p in PriceService(a.db, actor(a)).price_history(skus["JH-002"])] == [
        39_900, 35_900]
    assert [s.name for s in ProductSets(a.db, actor(a)).product_sets()] == ["冬季大衣（二）"]
    assert other.sync().clean and local_count(other, QueueItem) == 0 and local_count(other, PriceHistory) == 0


def queue_lines_ids(console: Console, show: UUID) -> list[UUID]:
    return [r.id for r in QueueService(console.db, actor(console)).lines(show)]


def test_head_offices_catalog_comes_down_and_a_withdrawn_product_fails_the_ready_gate(
        any_service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    any_service.add_store("SH01")
    a, b = make_console(any_service, "SH01"), make_console(any_service, "SH01")
    assert search(a, "锦华") == []

    head_office_imports(any_service, tmp_path, HEADER + COAT + SCARF)
    assert a.sync().clean

    # On the console's next sync: the products, their papers and after-sales policy, searchable.
    assert search(a, "羊绒") == ["JH-001"] and search(a, "yrdy") == ["JH-001"] and search(a, "锦华") == [
        "JH-001", "JH-002"]
    skus = products_by_sku(a)
    detail = CatalogDetailService(a.db, actor(a)).product_detail(skus["JH-002"])
    assert (detail.after_sales_policy, [p.number for p in detail.papers], detail.barcode) == (
        "七天无理由退货（吊牌完好）", ["2020010701234567"], "")
    assert detail.row.name == "真丝围巾" and not detail.withdrawn
    assert CatalogDetailService(a.db, actor(a)).access().from_head_office

    show = plan_a_show(a, skus)
    assert BroadcastService(a.db, actor(a)).mark_ready(show).ready
    assert a.sync().clean and b.sync().clean

    with any_service.sessions().begin() as session:
        assert ho_catalog.withdraw(session, ["JH-001"]) == ["JH-001"]
    assert a.sync().clean and b.sync().clean

    for console in (a, b):
        assert search(console, "羊绒") == [] and search(console, "锦华") == ["JH-002"]
        broadcasts = BroadcastService(console.db, actor(console))
        check = broadcasts.ready_check(show)
        assert not check.ready
        assert [(i.link_number, [p.values["finding"].id for p in i.problems]) for i in check.items] == [
            (1, ["ready.withdrawn"]), (8, [])]
        with pytest.raises(BroadcastNotReady):
            broadcasts.mark_ready(show)
        # Head office's withdrawal took the show's "ready" back, as its own edit of the status alone.
        assert broadcasts.ready_check(show).status is BroadcastStatus.PLANNED
        assert [(r.sku, r.withdrawn, r.may_go_on_air) for r in QueueService(console.db, actor(console)).lines(show)
                ] == [("JH-001", True, False), ("JH-002", False, True)]

    # Importing it again brings it back to the stores' search, and the queue passes the gate again.
    head_office_imports(any_service, tmp_path, HEADER + COAT, name="again.csv")
    assert a.sync().clean
    assert search(a, "羊绒") == ["JH-001"] and BroadcastService(a.db, actor(a)).ready_check(show).ready
    # Marked ready again by the store, it goes up without a conflict: head office changed the status only.
    assert BroadcastService(a.db, actor(a)).mark_ready(show).ready
    report = a.sync()
    assert report.clean and (report.conflicts, report.rejected) == (0, 0)
    assert b.sync().clean
    assert BroadcastService(b.db, actor(b)).ready_check(show).status is BroadcastStatus.READY


def test_an_enrolled_console_keeps_head_offices_catalog_but_sets_its_own_stock_and_prices(
        service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    service.add_store("SH01")
    head_office_imports(service, tmp_path, HEADER + COAT + SCARF)
    a, b = make_console(service, "SH01"), make_console(service, "SH01")
    files = CatalogFileService(a.db, actor(a))
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("sku,name,brand,price,stock\nJH-001,羊绒大衣（改）,锦华,1299,5\nJH-002,,别的品牌,399,12\n",
                       encoding="utf-8")

    with pytest.raises(CatalogRejected) as caught:
        files.import_file(renamed)
    assert [p.id for p in caught.value.problems] == ["catalog_io.would_change_product"] * 2
    assert a.outbox() == []

    priced = tmp_path / "priced.csv"
    priced.write_text("sku,name,counter_price,stock\nJH-001,羊绒大衣,1299,5\nJH-002,,399,12\n", encoding="utf-8")
    assert files.import_file(priced).updated == 2
    skus = products_by_sku(a)
    assert a.sync().clean and b.sync().clean
    assert [(r.sku, r.name, r.brand, r.counter_price_fen, r.stock) for r in
            CatalogService(b.db, actor(b)).search("锦华")] == [
        ("JH-001", "羊绒大衣", "锦华", 129_900, 5), ("JH-002", "真丝围巾", "锦华", 39_900, 12)]
    assert len(PriceService(b.db, actor(b)).price_history(skus["JH-001"])) == 1

    # A catalog field changed behind the services' back is refused by head office and put back here.
    with a.db.begin() as s:
        s.get_one(Product, skus["JH-001"]).name = "偷偷改名"
    report = a.sync()
    assert report.rejected == 1 and a.outbox() == []
    with a.db.begin() as s:
        assert s.get_one(Product, skus["JH-001"]).name == "羊绒大衣"
    assert b.sync().clean and search(b, "偷偷") == []


def test_a_console_enrolling_with_its_own_sets_uploads_them_pointing_at_head_offices_products(
        service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    service.add_store("SH01")
    head_office_imports(service, tmp_path, HEADER + COAT + SCARF)
    folder = tmp_path / "own"
    own = open_database(folder)
    auth = AuthService(own)
    auth.create_store(code="SH01", name="测试百货", manager_name="王经理", manager_login="manager", pin="2468")
    cli = auth.actor_for_login(None, via=AuditVia.CLI)
    prices = tmp_path / "own.csv"
    prices.write_text("sku,name,brand,category,counter_price,stock\nJH-001,羊绒大衣,锦华,服装,1299,5\n"
                      "JH-002,真丝围巾,锦华,配饰,399,12\n", encoding="utf-8")
    CatalogFileService(own, cli).import_file(prices)
    with own.begin() as s:
        local = {sku: pid for sku, pid in s.execute(select(Product.sku, Product.id))}
    ProductSets(own, cli).create_set("围巾和大衣", [local["JH-002"], local["JH-001"]])
    own.close()

    console = make_console(service, "SH01", mode=MODE_UPLOAD, data_dir=folder)
    assert console.sync().clean
    other = make_console(service, "SH01")

    head_office = products_by_sku(console)
    assert head_office != local    # head office's products, matched by SKU
    wanted = [str(head_office["JH-002"]), str(head_office["JH-001"])]
    (uploaded,) = server_rows(service, store_id_of(service, "SH01"), "product_set")
    assert uploaded["product_ids"] == wanted
    for pc in (console, other):
        (row,) = ProductSets(pc.db, actor(pc)).product_sets()
        assert [str(p) for p in row.product_ids] == wanted


def test_rows_head_office_held_before_issue_12_gain_its_columns_and_reach_a_new_console(
        any_service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    any_service.add_store("SH01")
    head_office_imports(any_service, tmp_path, HEADER + COAT + SCARF)
    a = make_console(any_service, "SH01")
    skus = products_by_sku(a)
    plan_a_show(a, skus)
    assert a.sync().clean
    # As a head office at schema 0002 holds them: written by consoles and importers before issue 12.
    engine = any_service.engine
    strip = {"postgresql": "UPDATE synced_row SET data = data - :field WHERE table_name = :table",
             "sqlite": "UPDATE synced_row SET data = json_remove(data, '$.' || :field) WHERE table_name = :table"}
    with engine.begin() as conn:
        for table, field in (("product", "image_refs"), ("queue_item", "link_pinned")):
            conn.execute(text(strip[engine.dialect.name]), {"field": field, "table": table})
        config = ho_db.alembic_config()
        config.attributes["connection"] = conn
        command.stamp(config, "0002")
        # The data migrations since (0003, 0004) run again; the later ones change the schema, which
        # already has their columns: stamped over, not run twice.
        command.upgrade(config, "0004")
        command.stamp(config, "head")

    assert ho_db.migrate(engine) == ho_db.head_revision()

    with any_service.sessions().begin() as session:
        held = {table: [r.data for r in session.scalars(select(SyncedRow).where(SyncedRow.table_name == table))]
                for table in ("product", "queue_item")}
    # The values the console's own migration gave its rows (nothing was pinned before issue 12).
    assert [d["image_refs"] for d in held["product"]] == [[], []]
    assert [d["link_pinned"] for d in held["queue_item"]] == [False, False]
    b = make_console(any_service, "SH01")
    assert b.sync().clean and search(b, "锦华") == ["JH-001", "JH-002"]
    with b.db.begin() as s:
        assert s.scalars(select(QueueItem.link_pinned)).all() == [False, False]
        assert s.scalars(select(Product.image_refs)).all() == [[], []]
