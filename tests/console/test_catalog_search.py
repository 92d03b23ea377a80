"""Catalog search: pinyin, barcode, ranking, withdrawn products, the trigram index kept in step, the CLI."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.cli_language import columns
from console.domain.enums import QualityDocumentKind
from console.domain.permissions import Actor
from console.domain.search import search_key
from console.domain.values import ProductRow, StoreInfo
from console.services.catalog import SEARCH_LIMIT, CatalogService
from console.storage import search_index
from console.storage.db import Database
from console.storage.models import Product, QualityDocument, StoreProduct


def add(db: Database, sku: str, name: str, brand: str = "", barcode: str = "") -> UUID:
    with db.begin() as s:
        product = Product(sku=sku, name=name, brand=brand, category="家电", barcode=barcode)
        s.add(product)
    return product.id


def skus(rows: list[ProductRow]) -> list[str]:
    return [r.sku for r in rows]


Search = Callable[[str], list[str]]


@pytest.fixture
def catalog(db: Database, manager_actor: Actor) -> CatalogService:
    return CatalogService(db, manager_actor)


@pytest.fixture(params=["indexed", "not yet indexed"])
def search(request: pytest.FixtureRequest, db: Database, catalog: CatalogService) -> Search:
    """The SKUs found, by the trigram index or, before it catches up, by matching what it lacks."""
    def run(typed: str) -> list[str]:
        if request.param == "indexed":
            catalog.catch_up_search_index()
            return skus(catalog.search(typed))
        with db.begin() as s:
            ids = search_index.find(s, typed, SEARCH_LIMIT, pending_limit=None).product_ids
            sku_of = {pid.hex: sku for pid, sku in s.execute(select(Product.id, Product.sku))}
        return [sku_of[i] for i in ids]
    return run


@pytest.fixture
def appliances(db: Database) -> dict[str, UUID]:
    return {
        "GR-1": add(db, "GR-1", "格力空调 KFR-35", "格力", "6901234567892"),
        "MD-1": add(db, "MD-1", "美的冰箱", "美的", "6909876543210"),
        "HR-1": add(db, "HR-1", "海尔洗衣机", "海尔", "6905555555555"),
    }


# --- what finds what --------------------------------------------------------------


@pytest.mark.parametrize("typed", ["gl", "GL", "glkt", "geli", "gelikongtiao", "gelikongtiaokfr-35"])
def test_pinyin_full_and_initials_find_the_product(search: Search, appliances: dict[str, UUID],
                                                   typed: str) -> None:
    assert search(typed) == ["GR-1"]


@pytest.mark.parametrize("typed", ["格", "格力", "力", "空调", "格力空调", "力空调 kfr"])
def test_chinese_of_one_to_four_characters_and_more(search: Search, appliances: dict[str, UUID],
                                                    typed: str) -> None:
    assert search(typed) == ["GR-1"]


def test_the_brand_and_its_pinyin_find_its_products(search: Search, appliances: dict[str, UUID]) -> None:
    assert search("美的") == ["MD-1"]
    assert search("haier") == ["HR-1"]


def test_a_scanned_barcode_finds_its_product(search: Search, catalog: CatalogService,
                                             appliances: dict[str, UUID]) -> None:
    assert search("6909876543210") == ["MD-1"]
    assert catalog.search("6909876543210")[0].barcode == "6909876543210"


def test_a_sku_is_found_whatever_its_case_and_full_width_digits(search: Search,
                                                                 appliances: dict[str, UUID]) -> None:
    assert search("hr-1") == ["HR-1"]
    assert search("ＨＲ－１") == ["HR-1"]  # as a Chinese IME in full-width mode types it


def test_a_lone_letter_matches_by_prefix_only(search: Search, appliances: dict[str, UUID]) -> None:
    # "k" is inside 格力空调's pinyin (gelikongtiao) but starts nothing: anywhere, one letter matches everything.
    assert search("k") == []
    assert search("h") == ["HR-1"]  # HR-1, 海尔 haier


def test_words_apart_must_each_match(search: Search, appliances: dict[str, UUID]) -> None:
    assert search("格力 35") == ["GR-1"]
    assert search("格力 冰箱") == []


@pytest.mark.parametrize("typed", ['"', 'a"b', "*", "{sku}:x", "AND", "NOT 格力", "(", "%", "_", "\\", "^gl"])
def test_query_syntax_in_the_text_is_only_text(search: Search, appliances: dict[str, UUID],
                                               typed: str) -> None:
    assert search(typed) == []


def test_control_characters_are_dropped(search: Search, catalog: CatalogService,
                                        appliances: dict[str, UUID]) -> None:
    # The index's own field marks among them: typed, they must not reach into its layout.
    assert search("\x1e格力\x1f") == ["GR-1"]
    assert skus(catalog.search("\x1f\x1f")) == ["GR-1", "HR-1", "MD-1"]  # nothing left: the whole list


def test_nothing_typed_lists_the_catalog_by_sku(catalog: CatalogService, appliances: dict[str, UUID]) -> None:
    assert skus(catalog.search("")) == ["GR-1", "HR-1", "MD-1"]
    assert skus(catalog.search("   ")) == ["GR-1", "HR-1", "MD-1"]


# --- ranking ---------------------------------------------------------------------


def test_exact_sku_first_then_prefixes_then_the_rest(db: Database, search: Search) -> None:
    # Added worst first, so that the order can only come from the ranking.
    add(db, "ZZ-9", "配件 AB-100 适用", "杂牌")          # the text inside the name
    add(db, "AB-1001", "电饭煲", "苏泊尔")              # a longer SKU it begins
    add(db, "CD-7", "AB-100 配件", "杂牌")              # a name it begins
    add(db, "AB-100", "电压力锅", "苏泊尔")             # the SKU itself
    assert search("AB-100") == ["AB-100", "AB-1001", "CD-7", "ZZ-9"]


def test_an_exact_barcode_comes_before_prefixes(db: Database, search: Search) -> None:
    add(db, "P-2", "插座 123456", "公牛", barcode="1234567")
    add(db, "P-1", "插座", "公牛", barcode="123456")
    assert search("123456") == ["P-1", "P-2"]


def test_pinyin_initials_prefix_before_pinyin_inside(db: Database, search: Search) -> None:
    add(db, "X-2", "小熊格力款", "小熊")   # ...geli... inside its pinyin
    add(db, "X-1", "格力风扇", "格力")     # gelifengshan: starts with it
    assert search("geli") == ["X-1", "X-2"]


# --- limit and withdrawn ------------------------------------------------------------


def test_limit_caps_the_rows_and_keeps_the_best(db: Database, catalog: CatalogService) -> None:
    for n in range(12):
        add(db, f"TV-{n:02d}", f"电视机 {n}", "创维")
    add(db, "TV", "电视支架", "创维")
    rows = catalog.search("tv", limit=5)
    assert skus(rows)[0] == "TV" and len(rows) == 5
    assert len(catalog.search("tv")) == 13
    assert catalog.search("tv", limit=0) == []


def test_withdrawn_products_never_appear(db: Database, catalog: CatalogService,
                                         appliances: dict[str, UUID]) -> None:
    assert skus(catalog.search("海尔")) == ["HR-1"]  # indexed now
    with db.begin() as s:
        s.get_one(Product, appliances["HR-1"]).deleted_at = datetime.now(UTC)
    for typed in ("海尔", "hr-1", "6905555555555", "haier", "", "h"):
        assert "HR-1" not in skus(catalog.search(typed)), typed
    with db.begin() as s:
        s.get_one(Product, appliances["HR-1"]).deleted_at = None
    assert skus(catalog.search("海尔")) == ["HR-1"]  # head office may issue it again


def test_rows_carry_price_stock_and_the_gate(db: Database, catalog: CatalogService, store: StoreInfo,
                                            appliances: dict[str, UUID]) -> None:
    with db.begin() as s:
        s.add(StoreProduct(store_id=store.id, product_id=appliances["GR-1"], counter_price_fen=329900, stock=7))
        s.add(QualityDocument(product_id=appliances["GR-1"], kind=QualityDocumentKind.CCC_CERTIFICATE,
                              number="2020010701234567"))
    with db.begin() as s:
        s.get_one(Product, appliances["GR-1"]).after_sales_policy = "7天无理由退货"
    (row,) = catalog.search("格力")
    assert (row.counter_price_fen, row.stock, row.quality_document_count, row.may_go_on_air) == (329900, 7, 1, True)
    (other,) = catalog.search("美的")
    assert (other.counter_price_fen, other.stock, other.may_go_on_air) == (None, None, False)


# --- the index kept in step -----------------------------------------------------------


def test_a_renamed_product_is_found_by_its_new_name_only(db: Database, catalog: CatalogService,
                                                         appliances: dict[str, UUID]) -> None:
    assert skus(catalog.search("冰箱")) == ["MD-1"]
    with db.begin() as s:
        s.get_one(Product, appliances["MD-1"]).name = "美的微波炉"
    assert skus(catalog.search("冰箱")) == []
    assert skus(catalog.search("微波炉")) == ["MD-1"]
    assert skus(catalog.search("mdwbl")) == ["MD-1"]


def test_core_inserts_and_upserts_are_indexed_too(db: Database, catalog: CatalogService) -> None:
    # As the sync and the importer write: Core statements, no ORM object, no listener.
    now = datetime.now(UTC)
    row = {"id": uuid4(), "sku": "BULK-1", "barcode": "", "name": "苏泊尔电饭煲", "brand": "苏泊尔",
           "category": "厨电", "spec": "", "origin": "", "unit": "件", "after_sales_policy": "",
           "image_refs": [], "search_key": search_key("苏泊尔电饭煲", "苏泊尔"),
           "created_at": now, "updated_at": now, "row_version": 1}
    with db.begin() as s:
        s.execute(insert(Product), [row])
    assert skus(catalog.search("spedfb")) == ["BULK-1"]
    with db.begin() as s:
        s.execute(update(Product).where(Product.sku == "BULK-1").values(
            name="苏泊尔电压力锅", search_key=search_key("苏泊尔电压力锅", "苏泊尔")))
    assert skus(catalog.search("电饭煲")) == []
    assert skus(catalog.search("电压力锅")) == ["BULK-1"]


def test_a_withdrawal_coming_down_from_head_office_hides_the_product(db: Database, catalog: CatalogService,
                                                                     appliances: dict[str, UUID]) -> None:
    # The sync writes head office's rows with INSERT ... ON CONFLICT DO UPDATE, every column set.
    assert skus(catalog.search("冰箱")) == ["MD-1"]
    with db.begin() as s:
        current = s.execute(select(Product.__table__).where(Product.sku == "MD-1")).mappings().one()
        upsert = sqlite_insert(Product.__table__)
        upsert = upsert.on_conflict_do_update(index_elements=["id"], set_={
            c: upsert.excluded[c] for c in current if c != "id"})
        s.execute(upsert, [{**current, "deleted_at": datetime.now(UTC), "row_version": current["row_version"] + 1}])
    assert skus(catalog.search("冰箱")) == []
    assert skus(catalog.search("mdbx")) == []


def test_rows_the_index_lacks_are_still_found_and_then_indexed(db: Database, catalog: CatalogService,
                                                                appliances: dict[str, UUID]) -> None:
    catalog.search("x")  # brings the index level
    # Another process, bypassing this one entirely.
    other = sqlite3.connect(db.path)
    try:
        other.execute("UPDATE product SET name = '美的对开门冰箱' WHERE sku = 'MD-1'")
        other.execute("UPDATE product SET deleted_at = '2026-12-01 00:00:00.000000' WHERE sku = 'HR-1'")
        other.commit()
    finally:
        other.close()
    with db.begin() as s:
        found = search_index.find(s, "对开门", 10)
        assert (found.product_ids, found.index_behind) == ([appliances["MD-1"].hex], True)
        assert search_index.find(s, "海尔", 10).product_ids == []
    assert skus(catalog.search("对开门")) == ["MD-1"]  # and this search caught the index up
    with db.begin() as s:
        found = search_index.find(s, "对开门", 10)
        assert (found.product_ids, found.index_behind) == ([appliances["MD-1"].hex], False)


def bulk_products(count: int, name: str, brand: str) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [{"id": uuid4(), "sku": f"BULK-{n:05d}", "barcode": "", "name": f"{name} {n}", "brand": brand,
             "category": "厨电", "spec": "", "origin": "", "unit": "件", "after_sales_policy": "",
             "image_refs": [], "search_key": search_key(f"{name} {n}", brand),
             "created_at": now, "updated_at": now, "row_version": 1} for n in range(count)]


def test_after_a_large_import_the_first_search_feeds_the_index_first(db: Database, catalog: CatalogService,
                                                                     appliances: dict[str, UUID]) -> None:
    catalog.search("x")
    with db.begin() as s:
        s.execute(insert(Product), bulk_products(search_index.PENDING_LIMIT + 1, "九阳豆浆机", "九阳"))
        assert not search_index.find(s, "豆浆机", 10).complete  # too many to match one by one
        assert search_index.find(s, "豆浆机", 10, pending_limit=None).product_ids  # but they would be found
    rows = catalog.search("jydjj", limit=3)
    assert skus(rows) == ["BULK-00000", "BULK-00001", "BULK-00002"]
    with db.begin() as s:
        found = search_index.find(s, "豆浆机", 10)
        assert found.complete and not found.index_behind


def test_a_product_row_number_used_again_is_noticed(db: Database, catalog: CatalogService,
                                                    appliances: dict[str, UUID]) -> None:
    # New products are those after the last row the index saw; delete that row and the next
    # insert takes its number. The index notices the row is no longer the one it saw.
    catalog.search("x")
    with db.begin() as s:  # rows are never deleted, but a file may have been edited by hand
        s.execute(delete(Product).where(Product.id == appliances["HR-1"]))  # the newest
    add(db, "NEW-1", "九阳豆浆机", "九阳")
    with db.begin() as s:
        assert s.scalar(text("SELECT seen_rowid FROM product_search_state")) == s.scalar(
            text("SELECT rowid FROM product WHERE sku = 'NEW-1'"))
    assert skus(catalog.search("豆浆机")) == ["NEW-1"]
    assert skus(catalog.search("海尔")) == []
    with db.begin() as s:
        assert not search_index.find(s, "豆浆机", 10).index_behind
    assert skus(catalog.search("jy")) == ["NEW-1"]


def test_a_search_does_not_wait_for_another_writer(db: Database, catalog: CatalogService,
                                                   appliances: dict[str, UUID]) -> None:
    catalog.search("x")
    add(db, "NEW-1", "九阳豆浆机", "九阳")
    other = sqlite3.connect(db.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # an import holding the write lock
        started = datetime.now(UTC)
        assert skus(catalog.search("豆浆机")) == ["NEW-1"]
        assert (datetime.now(UTC) - started).total_seconds() < 2
        other.execute("ROLLBACK")
    finally:
        other.close()
    with db.begin() as s:
        assert search_index.find(s, "豆浆机", 10).index_behind
    catalog.search("豆浆机")
    with db.begin() as s:
        assert not search_index.find(s, "豆浆机", 10).index_behind


def test_the_triggers_that_keep_the_index_are_there(db: Database) -> None:
    # A migration that rebuilds the product table drops them with the old table: it must add them again.
    conn = sqlite3.connect(db.path)
    try:
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    assert set(search_index.TRIGGERS) <= triggers
    assert {t for t in tables if t.startswith("product_search")} == set(search_index.TABLES)


# --- the command line ----------------------------------------------------------------


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "console", "catalog", "search", *args,
                           "--data-dir", str(data_dir), "--lang", "en"],
                          capture_output=True, text=True, check=False, timeout=60)


def test_cli_prints_a_table(db: Database, data_dir: Path, store: StoreInfo, appliances: dict[str, UUID]) -> None:
    with db.begin() as s:
        s.add(StoreProduct(store_id=store.id, product_id=appliances["GR-1"], counter_price_fen=329900, stock=7))
    done = cli(data_dir, "gl")
    assert (done.returncode, done.stderr) == (0, "")
    header, line = done.stdout.splitlines()
    assert header.split() == ["SKU", "Name", "Brand", "Counter", "price", "Stock", "On", "air"]
    assert line.split()[:6] == ["GR-1", "格力空调", "KFR-35", "格力", "¥3,299.00", "7"]
    # Chinese characters take two columns: the brand lines up under its header all the same.
    assert columns(line[:line.index("格力", line.index("KFR"))]) == header.index("Brand")


def test_cli_json_lists_the_products(db: Database, data_dir: Path, store: StoreInfo,
                                     appliances: dict[str, UUID]) -> None:
    with db.begin() as s:
        s.add(StoreProduct(store_id=store.id, product_id=appliances["MD-1"], counter_price_fen=199950, stock=0))
    done = cli(data_dir, "--json", "6", "--limit", "2")
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert [p["sku"] for p in listed] == ["GR-1", "MD-1"]  # barcode prefix 690..., two of three
    by_sku = {p["sku"]: p for p in listed}
    assert {k: by_sku["MD-1"][k] for k in ("name", "brand", "counter_price", "stock", "may_go_on_air")} == {
        "name": "美的冰箱", "brand": "美的", "counter_price": "1999.50", "stock": 0, "may_go_on_air": False}
    assert by_sku["GR-1"]["counter_price"] is None and by_sku["GR-1"]["stock"] is None
    assert by_sku["MD-1"]["on_air_problems"]


def test_cli_says_when_nothing_matches_and_refuses_a_bad_limit(db: Database, data_dir: Path, store: StoreInfo,
                                                               appliances: dict[str, UUID]) -> None:
    done = cli(data_dir, "微波炉")
    assert (done.returncode, done.stdout.strip()) == (0, "No product matches “微波炉”.")
    assert json.loads(cli(data_dir, "微波炉", "--json").stdout) == []
    refused = cli(data_dir, "x", "--limit", "0")
    assert refused.returncode == 2 and "'0' is not a number of products" in refused.stderr
