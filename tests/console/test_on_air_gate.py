"""The on-air gate has one home, and every product carries its pinyin search key whoever wrote it.

The rule (``console.rules.on_air``) decides; the services' SQL form of it
(``console.services.gate``) must agree with it on every awkward policy; the
catalog, the queue and the store summary all follow it. The search key is set
by the ORM on create and rename, by head office on every product it writes,
and on pulled rows that lack one.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import select

from console.domain.enums import QualityDocumentKind
from console.domain.permissions import Actor
from console.domain.search import search_key
from console.domain.values import StoreInfo
from console.headoffice import db as ho_db
from console.headoffice.models import SyncedRow as ServerRow
from console.headoffice.sync import write_rows
from console.i18n import load_catalog
from console.rules.on_air import (
    BLANK,
    NO_AFTER_SALES_POLICY,
    NO_QUALITY_PAPERS,
    has_after_sales_policy,
    may_go_on_air,
    on_air_problems,
)
from console.services import gate
from console.services.broadcasts import BroadcastService
from console.services.catalog import CatalogService
from console.services.roster import RosterService
from console.services.store import StoreService
from console.storage.db import Database
from console.storage.models import Broadcast, Outbox, Product, QualityDocument, QueueItem
from console.sync import local
from console.sync.protocol import Scope
from console.sync.protocol import SyncedRow as WireRow
from tests.headoffice.helpers import full_row

BLANK_POLICIES = ["", "  ", "\u3000", "\n", " \t\r\n\u3000", "\u200b", "\ufeff\u3000"]
REAL_POLICIES = [" 7天无理由 ", "7天无理由退货", "\u3000七天无理由\n", "x"]
START = datetime(2031, 3, 3, 2, 0, tzinfo=UTC)


# --- the rule -------------------------------------------------------------------


@pytest.mark.parametrize("policy", BLANK_POLICIES, ids=repr)
def test_a_blank_policy_is_no_policy(policy: str) -> None:
    assert not has_after_sales_policy(policy)
    assert on_air_problems(quality_papers=2, has_policy=has_after_sales_policy(policy)) == (NO_AFTER_SALES_POLICY,)


@pytest.mark.parametrize("policy", REAL_POLICIES, ids=repr)
def test_a_policy_with_words_counts(policy: str) -> None:
    assert has_after_sales_policy(policy)
    assert may_go_on_air(quality_papers=1, has_policy=True)


def test_the_gate_names_everything_missing_in_the_order_to_fix_it() -> None:
    assert on_air_problems(quality_papers=0, has_policy=False) == (NO_QUALITY_PAPERS, NO_AFTER_SALES_POLICY)
    assert on_air_problems(quality_papers=0, has_policy=True) == (NO_QUALITY_PAPERS,)
    assert on_air_problems(quality_papers=1, has_policy=True) == ()
    assert not may_go_on_air(quality_papers=0, has_policy=True)
    assert str(NO_QUALITY_PAPERS) == "No quality papers on file."
    assert NO_AFTER_SALES_POLICY.render(load_catalog("zh_CN")) == "没有售后政策。"


def test_blank_holds_every_character_python_calls_whitespace() -> None:
    missing = [hex(c) for c in range(sys.maxunicode + 1) if chr(c).isspace() and chr(c) not in BLANK]
    assert missing == []


# --- the SQL form agrees --------------------------------------------------------


def _add_product(db: Database, sku: str, policy: str, papers: int, *, deleted_papers: int = 0) -> UUID:
    with db.begin() as s:
        product = Product(sku=sku, name=f"商品{sku}", brand="锦华", category="服装", after_sales_policy=policy)
        s.add(product)
        s.flush()
        for n in range(papers + deleted_papers):
            s.add(QualityDocument(product_id=product.id, kind=QualityDocumentKind.INSPECTION_REPORT,
                                  number=f"{sku}-{n}", deleted_at=START if n >= papers else None))
        return product.id


@pytest.fixture
def catalog(db: Database, store: StoreInfo) -> dict[UUID, tuple[str, int]]:
    """Products with every awkward policy, with and without papers (one only with a withdrawn paper)."""
    made: dict[UUID, tuple[str, int]] = {}
    for n, policy in enumerate(BLANK_POLICIES + REAL_POLICIES):
        for papers in (0, 1, 2):
            made[_add_product(db, f"P{n}-{papers}", policy, papers, deleted_papers=1 if papers == 0 else 0)] = (
                policy, papers)
    return made


def test_sql_and_the_rule_agree_on_every_policy(db: Database, catalog: dict[UUID, tuple[str, int]]) -> None:
    with db.begin() as s:
        found = s.execute(select(Product.id, gate.has_after_sales_policy(), gate.has_quality_papers(),
                                 gate.quality_papers_count(), gate.may_go_on_air())).all()
    assert len(found) == len(catalog)
    for product_id, sql_policy, sql_papers, count, sql_ok in found:
        policy, papers = catalog[product_id]
        assert (bool(sql_policy), bool(sql_papers), count) == (has_after_sales_policy(policy), papers > 0, papers), \
            repr(policy)
        assert bool(sql_ok) == may_go_on_air(quality_papers=papers, has_policy=has_after_sales_policy(policy))


def test_catalog_queue_and_summary_follow_the_rule(db: Database, manager_actor: Actor,
                                                   catalog: dict[UUID, tuple[str, int]]) -> None:
    expected = {pid: may_go_on_air(quality_papers=papers, has_policy=has_after_sales_policy(policy))
                for pid, (policy, papers) in catalog.items()}
    rows = CatalogService(db, manager_actor).search()
    assert {r.id: r.may_go_on_air for r in rows} == expected
    whitespace = next(r for r in rows if catalog[r.id] == ("\u3000", 1))
    assert whitespace.on_air_problems == (NO_AFTER_SALES_POLICY,)

    summary = StoreService(db, manager_actor).summary()
    assert summary.products_blocked == sum(not ok for ok in expected.values())

    room = RosterService(db, manager_actor).add_room(code="R1", name="直播间")
    with db.begin() as s:
        show = Broadcast(store_id=manager_actor.store_id, room_id=room.id, title="专场", planned_start=START,
                         planned_end=START + timedelta(hours=2))
        s.add(show)
        s.flush()
        show_id = show.id
        for n, product_id in enumerate(catalog, start=1):
            s.add(QueueItem(store_id=manager_actor.store_id, broadcast_id=show_id, product_id=product_id,
                            position=n, link_number=n, live_price_fen=9900))
    queue = BroadcastService(db, manager_actor).queue(show_id)
    assert {q.product_id: q.may_go_on_air for q in queue} == expected


# --- the pinyin search key ------------------------------------------------------


def test_the_key_is_full_pinyin_then_initials_with_the_brand_in_front() -> None:
    assert search_key("雅诗兰黛小棕瓶") == "yashilandaixiaozongping ysldxzp"
    assert search_key("小棕瓶 50ml", "雅诗兰黛") == "yashilandaixiaozongping50ml ysldxzp50ml"
    assert search_key("雅诗兰黛小棕瓶", "雅诗兰黛") == search_key("雅诗兰黛小棕瓶")   # not twice
    assert search_key("Dior 口红\u3000999") == "diorkouhong999 diorkh999"


def test_creating_and_renaming_a_product_sets_its_key_and_sends_it(db: Database, store: StoreInfo,
                                                                    manager_actor: Actor) -> None:
    with db.begin() as s:
        product = Product(sku="P1", name="羊绒大衣", brand="锦华", category="服装")
        s.add(product)
    with db.begin() as s:
        assert s.get_one(Product, product.id).search_key == search_key("羊绒大衣", "锦华")
    catalog = CatalogService(db, manager_actor)
    assert [r.sku for r in catalog.search("jhyrdy")] == ["P1"]       # the initials
    assert [r.sku for r in catalog.search("yangrong")] == ["P1"]     # full pinyin

    with db.begin() as s:
        s.get_one(Product, product.id).name = "真丝围巾"
    assert catalog.search("yrdy") == []
    assert [r.sku for r in catalog.search("zswj")] == ["P1"]
    with db.begin() as s:
        s.get_one(Product, product.id).brand = "上海滩"
        renamed = s.scalars(select(Outbox).where(Outbox.row_id == product.id).order_by(Outbox.seq)).all()
    assert [r.sku for r in catalog.search("shtzswj")] == ["P1"]
    # Each change went up with the key that goes with it.
    assert [e.payload["search_key"] for e in renamed] == [
        search_key("羊绒大衣", "锦华"), search_key("真丝围巾", "锦华"), search_key("真丝围巾", "上海滩")]
    assert "search_key" in renamed[-1].changed_fields


def test_head_office_sets_the_key_on_every_product_it_writes(tmp_path: Path) -> None:
    engine = ho_db.make_engine(f"sqlite:///{tmp_path / 'headoffice.sqlite3'}")
    try:
        ho_db.migrate(engine)
        sessions = ho_db.session_factory(engine)
        sent = [full_row("product", {"sku": "P1", "name": "羊绒大衣", "brand": "锦华", "category": "服装"}),
                full_row("product", {"sku": "P2", "name": "真丝围巾", "brand": "锦华", "category": "服装",
                                     "search_key": "whatever the sender thought"})]
        with sessions.begin() as session:
            write_rows(session, "product", sent)
        with sessions.begin() as session:
            keys = {r.data["sku"]: r.data["search_key"] for r in session.scalars(select(ServerRow))}
    finally:
        engine.dispose()
    assert keys == {"P1": search_key("羊绒大衣", "锦华"), "P2": search_key("真丝围巾", "锦华")}
    assert sent[0]["search_key"] == ""    # the caller's rows are left as they were


def test_a_pulled_product_without_a_key_gets_one(db: Database, store: StoreInfo, manager_actor: Actor) -> None:
    row = full_row("product", {"sku": "P9", "name": "真丝围巾", "brand": "上海滩", "category": "配饰",
                               "after_sales_policy": "七天无理由"})
    assert row["search_key"] == ""
    wire = WireRow(table="product", row_id=UUID(row["id"]), scope=Scope.CATALOG, version=1, row_version=1,
                   deleted=False, data=row)
    local.apply_page(db, Scope.CATALOG, [wire], 1)
    assert [r.sku for r in CatalogService(db, manager_actor).search("shtzswj")] == ["P9"]
