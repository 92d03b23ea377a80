"""Catalog files: every encoding and price format, each bad input, all or nothing, dry runs, who owns what,
the export-import round trip, and ``anchor-console catalog import|export`` as its own process."""

from __future__ import annotations

import codecs
import csv
import io
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import openpyxl
import pytest
from sqlalchemy import select

from console.domain.enums import AuditVia, BroadcastStatus, QualityDocumentKind, Role
from console.domain.errors import PermissionDenied, ValidationError
from console.domain.permissions import Actor
from console.domain.search import search_key
from console.domain.values import StoreInfo
from console.services.base import write_setting
from console.services.broadcasts import BroadcastService
from console.services.catalog_file import LISTED_PROBLEMS, CatalogReader, CatalogRejected
from console.services.catalog_values import CellProblem, paper_kind, parse_price_fen, parse_stock
from console.services.catalog_io import CatalogFileService
from console.services.roster import RosterService
from console.services.sync import SERVER_URL_SETTING
from console.storage.db import DB_FILENAME, Database
from console.storage.models import (
    Broadcast,
    Outbox,
    PriceHistory,
    Product,
    QualityDocument,
    QueueItem,
    StoreProduct,
)
from console.storage.outbox import row_payload

CHINESE_HEADER = "商品编码,商品名称,品牌,类目,规格,专柜价,库存,条码,质检报告,售后政策\n"
ENGLISH_HEADER = "sku,name,brand,category,spec,counter_price,stock,barcode,quality_doc,after_sales\n"
COAT = "JH-001,羊绒大衣,锦华,服装,M,\"1,299.00\",5,6901234567892,JC2026-0001,七天无理由退货\n"
SCARF = "JH-002,真丝围巾,锦华,配饰,,899,12,,,七天无理由退货\n"
TABLES = ("product", "store_product", "quality_document", "price_history", "outbox", "audit_log")


@pytest.fixture
def files(db: Database, manager_actor: Actor) -> CatalogFileService:
    return CatalogFileService(db, manager_actor)


def write(tmp_path: Path, text: str, name: str = "catalog.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, sheets: dict[str, list[list[object]]], name: str = "catalog.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def counts(db: Database) -> dict[str, int]:
    with sqlite3.connect(db.path) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608


def products(db: Database) -> dict[str, tuple[object, ...]]:
    """SKU -> (name, brand, category, spec, barcode, after-sales, counter price, stock, papers)."""
    with db.begin() as s:
        found = {}
        for p in s.scalars(select(Product).where(Product.deleted_at.is_(None))):
            sp = s.scalars(select(StoreProduct).where(StoreProduct.product_id == p.id)).one_or_none()
            papers = sorted(s.scalars(select(QualityDocument.number).where(QualityDocument.product_id == p.id)))
            found[p.sku] = (p.name, p.brand, p.category, p.spec, p.barcode, p.after_sales_policy,
                            sp.counter_price_fen if sp else None, sp.stock if sp else None, tuple(papers))
        return found


def rejected(files: CatalogFileService, path: Path) -> list[str]:
    """The problems of a refused import, in English."""
    with pytest.raises(CatalogRejected) as caught:
        files.import_file(path)
    return [str(p) for p in caught.value.problems]


def enroll(db: Database) -> None:
    """Mark the console enrolled, as the sync client does after enrolling."""
    with db.begin() as s:
        write_setting(s, SERVER_URL_SETTING, "https://headoffice.example")


# --- reading ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_a_chinese_file_imports_in_every_encoding_a_store_saves(files: CatalogFileService, db: Database,
                                                                 tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, CHINESE_HEADER + COAT + SCARF, encoding=encoding)

    result = files.import_file(path)

    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    assert str(result.summary()) == "Imported catalog.csv: 2 added, 0 updated, 0 unchanged."
    assert products(db) == {
        "JH-001": ("羊绒大衣", "锦华", "服装", "M", "6901234567892", "七天无理由退货", 129_900, 5, ("JC2026-0001",)),
        "JH-002": ("真丝围巾", "锦华", "配饰", "", "", "七天无理由退货", 89_900, 12, ()),
    }


def test_characters_only_gb18030_has_are_read(files: CatalogFileService, db: Database, tmp_path: Path) -> None:
    name = "䶮牌羊绒大衣"          # U+4DAE: in GB18030, not in GBK
    with pytest.raises(UnicodeEncodeError):
        name.encode("gbk")
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT.replace("羊绒大衣", name), encoding="gb18030"))
    assert products(db)["JH-001"][0] == name


def test_chinese_far_into_a_gbk_file_still_decides_its_encoding(files: CatalogFileService, db: Database,
                                                               tmp_path: Path) -> None:
    # Nearly half a megabyte of plain ASCII first: the encoding is judged where the Chinese is.
    ascii_rows = "".join(f"SKU{n:06d},Item {n},Brand,Misc,,10,1,,,7 days\n" for n in range(9000))
    path = write(tmp_path, ENGLISH_HEADER + ascii_rows + COAT, encoding="gbk")
    assert path.stat().st_size > 400_000
    assert files.import_file(path).added == 9001
    assert products(db)["JH-001"][0] == "羊绒大衣"


def test_english_headers_and_the_usual_variants_are_understood(files: CatalogFileService, db: Database,
                                                                tmp_path: Path) -> None:
    text = ("Title row of the store's own,,,\n"
            "SKU, Product Name ,货号备注,Counter Price,库存（件）\n"
            "A1,羊绒大衣,ignored,1299,3\n")
    result = files.import_file(write(tmp_path, text))
    assert result.added == 1 and result.ignored_columns == ("货号备注",)
    assert str(result.ignored_note()) == "catalog.csv: the column 货号备注 was not read."
    assert products(db)["A1"][6:8] == (129_900, 3)


def test_alternative_chinese_headers_and_a_semicolon_file(files: CatalogFileService, db: Database,
                                                          tmp_path: Path) -> None:
    files.import_file(write(tmp_path, "货号;品名;售价(元);资质编号\nA1;大衣;1299;SC12345678901234\n"))
    assert products(db)["A1"][0] == "大衣" and products(db)["A1"][6] == 129_900


def test_price_is_the_counter_price_unless_the_file_has_one(files: CatalogFileService, db: Database,
                                                            tmp_path: Path) -> None:
    files.import_file(write(tmp_path, "sku,name,price\nA1,大衣,1299\n"))
    assert products(db)["A1"][6] == 129_900
    result = files.import_file(write(tmp_path, "sku,name,售价,专柜价\nA1,大衣,999,1399\n"))
    assert products(db)["A1"][6] == 139_900
    assert result.ignored_columns == ("售价",)


@pytest.mark.parametrize(("written", "fen"), [
    ("1299", 129_900), ("1,299.00", 129_900), ("¥1299", 129_900), ("￥1,299", 129_900), ("１２９９", 129_900),
    ("１，２９９．５０", 129_950), ("1299元", 129_900), ("¥ 1,299.5", 129_950), ("0.01", 1), ("12,999.99", 1_299_999),
    (1299, 129_900), (1299.5, 129_950), (19.99, 1_999),
])
def test_prices_as_people_write_them(written: object, fen: int) -> None:
    assert parse_price_fen(written) == fen


@pytest.mark.parametrize(("written", "why"), [
    ("0", "is not above zero"), ("0.00", "is not above zero"), ("-5", "is not above zero"),
    ("−5", "is not above zero"), (-5, "is not above zero"), ("abc", "is not a price"), ("12,99", "is not a price"),
    ("1.234", "more than two decimals"), ("1e5", "is not a price"), ("200000000", "more than a hundred million"),
])
def test_prices_that_are_refused(written: object, why: str) -> None:
    with pytest.raises(CellProblem) as caught:
        parse_price_fen(written)
    assert why in str(caught.value)


@pytest.mark.parametrize(("written", "count"), [("35", 35), ("0", 0), ("1,200", 1200), ("35件", 35), ("３５", 35),
                                                 (12, 12), (12.0, 12), ("12.0", 12)])
def test_stock_as_people_write_it(written: object, count: int) -> None:
    assert parse_stock(written) == count


@pytest.mark.parametrize(("written", "why"), [("abc", "is not a stock count"), ("3.5", "is not a stock count"),
                                              ("-3", "below zero"), (3.5, "is not a stock count")])
def test_stock_that_is_refused(written: object, why: str) -> None:
    with pytest.raises(CellProblem) as caught:
        parse_stock(written)
    assert why in str(caught.value)


def test_an_excel_workbook_with_number_cells(files: CatalogFileService, db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"商品": [["商品编码", "商品名称", "专柜价", "库存", "条码"],
                                         [1001, "羊绒大衣", 1299.5, 5.0, 6901234567892], [None] * 5]})
    assert files.import_file(path).added == 1
    assert products(db)["1001"][4] == "6901234567892"
    assert products(db)["1001"][6:8] == (129_950, 5)


def test_quality_document_numbers_become_papers_of_their_kind(files: CatalogFileService, db: Database,
                                                              tmp_path: Path) -> None:
    files.import_file(write(tmp_path, "sku,name,quality_doc\nA1,面霜,国妆特字G20190001；SC12345678901234; "
                                      "2020010701234567、JC-1\n"))
    with db.begin() as s:
        kinds = dict(s.execute(select(QualityDocument.number, QualityDocument.kind)).all())
    assert kinds == {"国妆特字G20190001": QualityDocumentKind.COSMETICS_FILING,
                     "SC12345678901234": QualityDocumentKind.FOOD_LICENSE,
                     "2020010701234567": QualityDocumentKind.CCC_CERTIFICATE,
                     "JC-1": QualityDocumentKind.INSPECTION_REPORT}
    assert paper_kind("JY11234567890123") is QualityDocumentKind.FOOD_LICENSE


def test_imported_products_carry_their_pinyin_search_key(files: CatalogFileService, db: Database,
                                                         tmp_path: Path) -> None:
    files.import_file(write(tmp_path, "sku,name,brand\nG1,格力空调 KFR-35,格力\n"))
    with db.begin() as s:
        assert s.scalars(select(Product.search_key)).one() == search_key("格力空调 KFR-35", "格力")


def test_the_reader_streams_rows_one_at_a_time(tmp_path: Path) -> None:
    path = write(tmp_path, CHINESE_HEADER + COAT + SCARF)
    with CatalogReader(path) as reader:
        assert reader.columns >= {"sku", "name", "counter_price", "quality_doc"}
        rows = reader.rows()
        first = next(rows)
        assert (first.row, first.sku, first.counter_price_fen, first.quality_docs) == (2, "JH-001", 129_900,
                                                                                       ("JC2026-0001",))
        assert [r.sku for r in rows] == ["JH-002"]
        assert not reader.problems


def test_the_imports_memory_does_not_grow_with_the_file(files: CatalogFileService, db: Database, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A file four times longer peaks no higher: rows, checks and writes go a chunk at a time (the 200 MB
    file of the issue is bench/catalog.py's; here small chunks make a few thousand rows many chunks)."""
    import tracemalloc

    from console.services import catalog_file, catalog_io

    monkeypatch.setattr(catalog_io, "CHUNK", 100)
    monkeypatch.setattr(catalog_file, "_WINDOW", 100)

    def peak_of_import(prefix: str, rows: int) -> int:
        lines = "".join(f"{prefix}{n:06d},羊绒大衣 M{n % 7},锦华,服装,M,\"1,299.00\",{n % 50},69{n:011d},"
                        f"JC2026-{n:06d},七天无理由退货\n" for n in range(rows))
        path = write(tmp_path, CHINESE_HEADER + lines, name=f"{prefix}.csv")
        tracemalloc.start()
        try:
            assert files.import_file(path).added == rows
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak_of_import("W-", 200)                   # compiled statements, caches: what any first import pays
    short, long = peak_of_import("S-", 1000), peak_of_import("L-", 4000)
    # Holding every row (parsed, planned or as an outbox entry) would add well over 1 kB for each of the 3000.
    assert long < short + 1_000_000, (short, long)
    assert counts(db)["product"] == 5200


# --- bad input -------------------------------------------------------------------


def test_every_bad_row_is_listed_with_its_column_and_nothing_is_written(files: CatalogFileService, db: Database,
                                                                      tmp_path: Path) -> None:
    before = counts(db)
    path = write(tmp_path, "sku,name,counter_price,stock\n"
                           "A1,大衣,1299,5\n"
                           "A2,围巾,0,3\n"
                           "A3,手套,-5,3\n"
                           "A4,帽子,99,lots\n"
                           "A1,大衣二,1299,5\n"
                           ",无编码,10,1\n"
                           "A6,鞋,12.345,1\n")

    assert rejected(files, path) == [
        "catalog.csv row 3, column counter_price: the price 0 is not above zero; give the price in yuan, "
        "such as 1299.",
        "catalog.csv row 4, column counter_price: the price -5 is not above zero; give the price in yuan, "
        "such as 1299.",
        "catalog.csv row 5, column stock: 'lots' is not a stock count; write a whole number, such as 35.",
        "catalog.csv row 6, column sku: the SKU A1 is on row 2 already; give each product one row.",
        "catalog.csv row 7, column sku: the cell is empty; give the product's SKU.",
        "catalog.csv row 8, column counter_price: the price 12.345 has more than two decimals; prices are in "
        "yuan and fen.",
    ]
    assert counts(db) == before


def test_the_rejection_counts_the_problems_and_names_the_file(files: CatalogFileService, tmp_path: Path) -> None:
    with pytest.raises(CatalogRejected) as caught:
        files.import_file(write(tmp_path, "sku,name,counter_price\nA1,大衣,0\nA2,围巾,free\n"))
    assert str(caught.value) == "Nothing was imported from catalog.csv: 2 problems to fix first."
    assert [(p.row, p.sku) for p in caught.value.listed] == [(2, "A1"), (3, "A2")]
    assert caught.value.result.refused == 2


def test_a_duplicate_sku_far_apart_names_both_rows(files: CatalogFileService, tmp_path: Path) -> None:
    rows = "".join(f"S{n},品{n},10\n" for n in range(2500))
    problems = rejected(files, write(tmp_path, "sku,name,price\n" + rows + "S7,又一个,10\n"))
    assert problems == ["catalog.csv row 2502, column sku: the SKU S7 is on row 9 already; give each product "
                        "one row."]


@pytest.mark.parametrize(("text", "problem"), [
    ("", "catalog.csv is empty: it has neither column names nor products."),
    ("\n\n", "catalog.csv is empty: it has neither column names nor products."),
    (CHINESE_HEADER, "catalog.csv has a header row but no products below it; add a row for each product."),
    (CHINESE_HEADER + ",,,\n\n", "catalog.csv has a header row but no products below it; add a row for each "
                                 "product."),
    ("name,price\n大衣,1299\n", "catalog.csv: no column gives the SKU; the header row (row 1) must name one of "
                               "sku, 商品编码 or 货号."),
    ("sku,备注\nA1,x\n", "catalog.csv: besides the SKU, the header row (row 1) names no column the import reads "
                        "(name, brand, category, spec, price, counter_price, stock, barcode, quality_doc, "
                        "after_sales)."),
    ("sku,货号,name\nA1,A1,x\n", "catalog.csv row 1: the columns 'sku' and '货号' both give the SKU; keep one."),
], ids=["0 bytes", "blank lines", "header only", "header and blank rows", "no sku column", "only sku",
        "two sku columns"])
def test_files_without_products_or_a_usable_header(files: CatalogFileService, db: Database, tmp_path: Path,
                                                   text: str, problem: str) -> None:
    before = counts(db)
    assert rejected(files, write(tmp_path, text)) == [problem]
    assert counts(db) == before


def test_a_new_product_needs_a_name(files: CatalogFileService, tmp_path: Path) -> None:
    assert rejected(files, write(tmp_path, "sku,name,price\nA1,,10\n")) == [
        "catalog.csv row 2, column name: SKU A1 is new to the catalog, so it needs a name."]
    assert rejected(files, write(tmp_path, "sku,price\nA1,10\n")) == [
        "catalog.csv row 2: SKU A1 is new to the catalog, and the file has no name column (name or 商品名称) to add "
        "it with."]


def test_stock_without_a_price_for_a_product_the_store_has_not_priced(files: CatalogFileService,
                                                                     tmp_path: Path) -> None:
    assert rejected(files, write(tmp_path, "sku,name,stock\nA1,大衣,3\n")) == [
        "catalog.csv row 2: the store has no counter price for SKU A1 yet, so its stock cannot be set alone; give "
        "its counter price too."]


def test_texts_that_do_not_fit_or_cannot_be_stored(files: CatalogFileService, tmp_path: Path) -> None:
    problems = rejected(files, write(tmp_path, f"sku,name,brand,barcode\nA1,{'长' * 301},a\x00b,6.90123E+12\n"))
    assert problems == [
        "catalog.csv row 2, column name: the text has 301 characters; at most 300 fit.",
        "catalog.csv row 2, column brand: the cell holds a character that cannot be stored (a NUL or a broken "
        "character).",
        "catalog.csv row 2, column barcode: '6.90123E+12' is a number Excel shortened; format the column as text, "
        "type the codes again and save.",
    ]


def test_a_workbook_whose_first_sheet_is_not_the_catalog_names_both_sheets(files: CatalogFileService,
                                                                         tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"说明": [["本表为秋季目录"], ["请勿修改"]],
                                 "商品": [["商品编码", "商品名称"], ["A1", "大衣"]]})
    with pytest.raises(ValidationError) as caught:
        files.import_file(path)
    assert str(caught.value) == (
        "catalog.xlsx: the first sheet '说明' has no SKU column (sku, 商品编码 or 货号); the catalog seems to be on "
        "the sheet '商品': move that sheet first and import again.")


def test_a_workbook_without_the_catalog_anywhere(files: CatalogFileService, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, {"Sheet1": [["名称", "价格"], ["大衣", 1]]})
    assert rejected(files, path) == [
        "catalog.xlsx: no column gives the SKU; the header row (row 1) must name one of sku, 商品编码 or 货号."]


@pytest.mark.parametrize(("name", "data", "problem"), [
    ("old.xls", b"\xd0\xcf\x11\xe0", "old.xls is an old Excel .xls file; save it as .xlsx or as CSV and import "
                                     "that."),
    ("catalog.pdf", b"%PDF", "catalog.pdf is neither a CSV (.csv) nor an Excel (.xlsx) file."),
    ("broken.xlsx", b"not a zip", "broken.xlsx is not a readable Excel workbook (.xlsx)."),
    ("utf16.csv", "sku,name\n".encode("utf-16"), "utf16.csv is saved as UTF-16 ('Unicode text'); save it as "
                                                 "'CSV UTF-8' or 'CSV' and import that."),
    ("japanese.csv", "sku,name\nA1,東京の商品です、とても良いです\n".encode("shift_jis"),
     "japanese.csv looks like cp932 text, which the import does not read; save it as 'CSV UTF-8' and import "
     "that."),
])
def test_files_that_are_not_catalog_spreadsheets(files: CatalogFileService, tmp_path: Path, name: str,
                                                data: bytes, problem: str) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(ValidationError) as caught:
        files.import_file(tmp_path / name)
    assert str(caught.value) == problem


def test_a_missing_file_and_a_folder(files: CatalogFileService, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        files.import_file(tmp_path / "nope.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ValidationError, match="is a folder, not a file"):
        files.import_file(tmp_path / "folder.csv")


def test_text_that_stops_being_utf8_halfway(files: CatalogFileService, db: Database, tmp_path: Path) -> None:
    # Two files pasted together: the first 5,000 rows (the part judged) in UTF-8, then one in GBK.
    rows = "".join(f"S{n},羊绒大衣第{n}号,锦华,服装,,10,1,,,七天无理由退货\n" for n in range(5000))
    path = tmp_path / "mixed.csv"
    path.write_bytes((ENGLISH_HEADER + rows).encode() + "JH-9,围巾,锦华,配饰,,899,1,,,\n".encode("gbk"))
    not_text = ("the cell is not text in the encoding of the rest of the file (part of it was saved another "
                "way); save the whole file as 'CSV UTF-8'.")
    assert rejected(files, path) == [f"mixed.csv row 5002, column {column}: {not_text}"
                                     for column in ("name", "brand", "category")]
    assert counts(db)["product"] == 0
    (tmp_path / "short.csv").write_bytes((ENGLISH_HEADER + COAT).encode() + "JH-9,围巾,锦华,配饰,,899,1,,,\n"
                                         .encode("gbk"))
    with pytest.raises(ValidationError, match="is neither UTF-8 nor GBK/GB18030 text"):
        files.import_file(tmp_path / "short.csv")


def test_a_very_bad_file_lists_the_first_problems_and_counts_the_rest(files: CatalogFileService,
                                                                     tmp_path: Path) -> None:
    rows = "".join(f"S{n},品,0\n" for n in range(LISTED_PROBLEMS + 250))
    problems = rejected(files, write(tmp_path, "sku,name,price\n" + rows))
    assert len(problems) == LISTED_PROBLEMS + 1
    assert problems[-1] == "catalog.csv: and 250 more problems not listed here."


# --- all or nothing, updates, dry runs -----------------------------------------------


def test_a_known_sku_updates_its_product_and_an_empty_cell_keeps_what_it_had(files: CatalogFileService,
                                                                           db: Database, tmp_path: Path) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT + SCARF))
    result = files.import_file(write(tmp_path, "商品编码,商品名称,规格,专柜价,库存,质检报告\n"
                                               "JH-001,羊绒大衣（新款）,,1399,5,JC2026-0002\n"
                                               "JH-002,,,899,12,\n"
                                               "JH-003,羊毛帽,,199,8,\n"))

    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    assert [(u.sku, u.fields) for u in result.updates] == [("JH-001", ("name", "quality_doc", "counter_price"))]
    assert result.added_skus == ("JH-003",)
    coat = products(db)["JH-001"]
    assert coat == ("羊绒大衣（新款）", "锦华", "服装", "M", "6901234567892", "七天无理由退货", 139_900, 5,
                    ("JC2026-0001", "JC2026-0002"))
    with db.begin() as s:
        history = s.execute(select(PriceHistory.counter_price_fen).join(Product, Product.id == PriceHistory.product_id)
                            .where(Product.sku == "JH-001").order_by(PriceHistory.at)).scalars().all()
        renamed = s.scalars(select(Product).where(Product.sku == "JH-001")).one()
        assert renamed.search_key == search_key("羊绒大衣（新款）", "锦华")
        assert renamed.row_version == 2
    # Every counter price the store asked, kept with its time: the first, then the change.
    assert history == [129_900, 139_900]


def test_one_bad_row_and_nothing_is_imported(files: CatalogFileService, db: Database, tmp_path: Path) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT))
    before, catalog = counts(db), products(db)
    rows = "".join(f"N{n},新品{n},10,1\n" for n in range(5000))
    with pytest.raises(CatalogRejected):
        files.import_file(write(tmp_path, "sku,name,price,stock\nJH-001,改名,1,1\n" + rows + "N9999,坏,0,1\n"))
    assert counts(db) == before and products(db) == catalog


def test_a_dry_run_plans_and_writes_nothing(files: CatalogFileService, db: Database, tmp_path: Path) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT))
    before, catalog = counts(db), products(db)
    path = write(tmp_path, ENGLISH_HEADER + COAT.replace("5,", "7,", 1) + SCARF + "JH-003,帽,x,y,,0,1,,,\n")

    plan = files.import_file(path, dry_run=True)

    assert counts(db) == before and products(db) == catalog
    assert (plan.added, plan.updated, plan.unchanged, plan.refused) == (1, 1, 0, 1)
    assert plan.added_skus == ("JH-002",)
    assert [(u.sku, u.fields) for u in plan.updates] == [("JH-001", ("stock",))]
    assert plan.refused_skus == ("JH-003",) and not plan.ok
    assert [str(m) for m in plan.problem_messages] == [
        "catalog.csv row 4, column counter_price: the price 0 is not above zero; give the price in yuan, such as "
        "1299."]
    assert str(plan.summary()) == ("catalog.csv would add 1, update 1 and leave 0 unchanged; nothing was written "
                                   "(dry run).")
    good = files.import_file(write(tmp_path, ENGLISH_HEADER + SCARF), dry_run=True)
    assert good.ok and good.added == 1 and counts(db) == before


def test_a_withdrawn_product_comes_back_when_its_sku_is_imported(files: CatalogFileService, db: Database,
                                                                 tmp_path: Path) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT))
    with db.begin() as s:
        s.scalars(select(Product)).one().deleted_at = datetime.now(UTC)
    assert products(db) == {}
    result = files.import_file(write(tmp_path, CHINESE_HEADER + COAT))
    assert result.added == 1 and list(products(db)) == ["JH-001"]


# --- who owns what -------------------------------------------------------------------


def test_a_console_not_enrolled_keeps_no_outbox_for_its_import(files: CatalogFileService, db: Database,
                                                               tmp_path: Path) -> None:
    # Enrolling makes the outbox anew from the tables, or empties it (see catalog_io's docstring).
    before = counts(db)["outbox"]
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT + SCARF))
    assert counts(db)["outbox"] == before + 1        # the audit entry alone


def test_an_enrolled_console_sets_only_its_stock_and_prices(files: CatalogFileService, db: Database,
                                                            tmp_path: Path) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT + SCARF))
    enroll(db)
    before, catalog = counts(db), products(db)

    problems = rejected(files, write(tmp_path, "sku,name,price,stock,quality_doc\n"
                                               "JH-001,羊绒大衣,1399,4,\n"
                                               "JH-002,改了名字,899,12,\n"
                                               "JH-003,新品,10,1,\n"
                                               "JH-001x,,10,1,\n"
                                               "JH-002,,,,NEW-1\n"))
    owned = ("This console is enrolled with head office, so the catalog comes from head office; a store can "
             "change only its own stock and prices.")
    assert problems == [
        f"catalog.csv row 3: this row would change the product name of SKU JH-002. {owned}",
        f"catalog.csv row 4: SKU JH-003 is not in the catalog, so this row would add a product. {owned}",
        f"catalog.csv row 5: SKU JH-001x is not in the catalog, so this row would add a product. {owned}",
        "catalog.csv row 6, column sku: the SKU JH-002 is on row 3 already; give each product one row.",
    ]
    assert counts(db) == before and products(db) == catalog

    result = files.import_file(write(tmp_path, "商品编码,商品名称,专柜价,库存\nJH-001,羊绒大衣,1399,4\nJH-002,,,11\n"))

    assert (result.added, result.updated, result.unchanged) == (0, 2, 0)
    assert products(db)["JH-001"][6:8] == (139_900, 4) and products(db)["JH-002"][6:8] == (89_900, 11)


def test_an_enrolled_consoles_changes_go_up_as_the_outbox_hook_would_send_them(files: CatalogFileService,
                                                                              db: Database, tmp_path: Path) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT + "JH-002,真丝围巾,锦华,配饰,,,,,,\n"))
    enroll(db)
    with db.begin() as s:
        first = s.scalar(select(Outbox.seq).order_by(Outbox.seq.desc()).limit(1))
    files.import_file(write(tmp_path, "sku,counter_price,stock\nJH-001,1399,4\nJH-002,899,\n"))

    with db.begin() as s:
        entries = s.scalars(select(Outbox).where(Outbox.seq > first, Outbox.table_name != "audit_log")
                            .order_by(Outbox.seq)).all()
        coat, scarf = (s.scalars(select(StoreProduct).join(Product, Product.id == StoreProduct.product_id)
                                 .where(Product.sku == sku)).one() for sku in ("JH-001", "JH-002"))
        prices = {p.product_id: p for p in s.scalars(select(PriceHistory).where(PriceHistory.at > coat.created_at))}
        assert [(e.table_name, e.op.value, e.base_version, e.row_version) for e in entries] == [
            ("store_product", "update", 1, 2), ("price_history", "insert", 0, 1),
            ("store_product", "insert", 0, 1), ("price_history", "insert", 0, 1),
        ]
        # Each entry: the whole row as it is stored, what changed, as console.storage.outbox writes them.
        coat_price, scarf_price = prices[coat.product_id], prices[scarf.product_id]
        expected = [(coat, ["counter_price_fen", "stock"]), (coat_price, sorted(row_payload(coat_price))),
                    (scarf, sorted(row_payload(scarf))), (scarf_price, sorted(row_payload(scarf_price)))]
        for entry, (row, changed) in zip(entries, expected, strict=True):
            assert (entry.row_id, entry.payload, entry.changed_fields) == (row.id, row_payload(row), changed)


def test_whoever_may_not_edit_the_catalog_may_still_set_prices_and_stock(db: Database, store: StoreInfo,
                                                                        files: CatalogFileService,
                                                                        tmp_path: Path) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT))
    controller = Actor(store_id=store.id, role=Role.ROOM_CONTROLLER, via=AuditVia.GUI)
    result = CatalogFileService(db, controller).import_file(write(tmp_path, "sku,stock\nJH-001,2\n"))
    assert result.updated == 1
    problems = rejected(CatalogFileService(db, controller), write(tmp_path, "sku,name\nJH-009,新品\n"))
    assert problems == ["catalog.csv row 2: SKU JH-009 is not in the catalog, so this row would add a product. "
                        "A room controller may not edit the catalog; sign in as a store manager to do this."]
    with pytest.raises(PermissionDenied):
        CatalogFileService(db, Actor(store_id=store.id, role=Role.ANCHOR, via=AuditVia.GUI)).import_file(
            write(tmp_path, "sku,stock\nJH-001,2\n"))


def test_a_price_the_import_lowers_below_a_ready_queues_live_price_plans_it_again(
        files: CatalogFileService, db: Database, store: StoreInfo, manager_actor: Actor, tmp_path: Path) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT))
    room = RosterService(db, manager_actor).add_room(code="R1", name="美妆直播间").id
    start = datetime.now(UTC) + timedelta(days=3)
    with db.begin() as s:
        product = s.scalars(select(Product)).one()
        s.get_one(StoreProduct, s.scalars(select(StoreProduct.id)).one()).counter_price_evidence = "价签照片"
        show = Broadcast(store_id=store.id, room_id=room, title="锦华专场", planned_start=start,
                         planned_end=start + timedelta(hours=2))
        s.add(show)
        s.flush()
        s.add(QueueItem(store_id=store.id, broadcast_id=show.id, product_id=product.id, position=1, link_number=1,
                        live_price_fen=99_900, planned_seconds=600))
        show_id: UUID = show.id
    broadcasts = BroadcastService(db, manager_actor)
    assert broadcasts.mark_ready(show_id).status is BroadcastStatus.READY

    result = files.import_file(write(tmp_path, "sku,counter_price\nJH-001,899\n"))

    with db.begin() as s:
        assert s.get_one(Broadcast, show_id).status is BroadcastStatus.PLANNED
    assert [str(n) for n in result.notices] == [
        "锦华专场 is no longer ready and is planned again: "
        "Link 1 (羊绒大衣): The live price ¥999.00 is above the counter price ¥899.00."]


# --- export ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing_and_exports_the_same_bytes(files: CatalogFileService, db: Database,
                                                                       tmp_path: Path, fmt: str) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + COAT + SCARF + "JH-003,\"帽子, 羊毛\",,,,\"1,000\",0,,"
                                                                      "\"A-1; B-2\",\"多行\n政策\"\n"))
    files.import_file(write(tmp_path, "sku,name\nJH-004,还没有价格\n"))
    exported = files.export(fmt)
    path = tmp_path / f"exported.{fmt}"
    path.write_bytes(exported)
    before = counts(db)

    result = files.import_file(path)

    assert (result.added, result.updated, result.unchanged) == (0, 0, 4)
    assert counts(db)["product"] == before["product"] and counts(db)["price_history"] == before["price_history"]
    assert files.export(fmt) == exported


def test_the_csv_export_has_english_headers_and_yuan_with_two_decimals(files: CatalogFileService,
                                                                       tmp_path: Path) -> None:
    files.import_file(write(tmp_path, CHINESE_HEADER + SCARF + COAT))
    exported = files.export("csv")
    assert exported.startswith(codecs.BOM_UTF8)
    assert not files.export("csv", bom=False).startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows == [
        ["sku", "name", "brand", "category", "spec", "counter_price", "stock", "barcode", "quality_doc",
         "after_sales"],
        ["JH-001", "羊绒大衣", "锦华", "服装", "M", "1299.00", "5", "6901234567892", "JC2026-0001", "七天无理由退货"],
        ["JH-002", "真丝围巾", "锦华", "配饰", "", "899.00", "12", "", "", "七天无理由退货"],
    ]
    assert exported.endswith(b"\r\n")


def test_the_xlsx_export_keeps_codes_as_text_and_prices_as_numbers(files: CatalogFileService,
                                                                   tmp_path: Path) -> None:
    files.import_file(write(tmp_path, "sku,name,price,barcode\n0012,大衣,1299.5,0690123\n"))
    path = tmp_path / "out.xlsx"
    path.write_bytes(files.export("xlsx"))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:8] == ("0012", "大衣", None, None, None, 1299.5, 0, "0690123")
    assert sheet.cell(2, 6).number_format == "0.00"


def test_an_unknown_export_format(files: CatalogFileService) -> None:
    with pytest.raises(ValidationError, match="Unknown export format 'pdf'"):
        files.export("pdf")


# --- the command line ----------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")} | {"LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "console", *args], capture_output=True, cwd=cwd, timeout=120,
                          check=False, env=env)


def test_cli_import_dry_run_and_export(db: Database, store: StoreInfo, data_dir: Path, tmp_path: Path) -> None:
    db.close()       # the command line opens the folder itself
    path = write(tmp_path, CHINESE_HEADER + COAT + SCARF, encoding="gbk")

    dry = run_cli("catalog", "import", str(path), "--dry-run", "--data-dir", str(data_dir), cwd=tmp_path)
    assert (dry.returncode, dry.stderr) == (0, b"")
    assert dry.stdout.decode() == ("catalog.csv would add 2, update 0 and leave 0 unchanged; nothing was written "
                                   "(dry run).\n")

    done = run_cli("catalog", "import", "--data-dir", str(data_dir), str(path), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.decode() == "Imported catalog.csv: 2 added, 0 updated, 0 unchanged.\n"

    out = run_cli("catalog", "export", "--format", "csv", "--data-dir", str(data_dir), cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.decode().splitlines()[1] == ("JH-001,羊绒大衣,锦华,服装,M,1299.00,5,6901234567892,JC2026-0001,"
                                                   "七天无理由退货")
    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"catalog-out.{fmt}"
        saved = run_cli("catalog", "export", "--format", fmt, "--output", str(target), "--data-dir", str(data_dir),
                        cwd=tmp_path)
        assert (saved.returncode, saved.stdout, saved.stderr) == (0, b"", b"")
        again = run_cli("catalog", "import", str(target), "--data-dir", str(data_dir), cwd=tmp_path)
        assert again.stdout.decode() == f"Imported catalog-out.{fmt}: 0 added, 0 updated, 2 unchanged.\n"
    assert (tmp_path / "catalog-out.csv").read_bytes() == codecs.BOM_UTF8 + out.stdout


def test_cli_rejected_import_lists_each_problem_then_exits_1(db: Database, store: StoreInfo, data_dir: Path,
                                                             tmp_path: Path) -> None:
    db.close()
    path = write(tmp_path, "sku,name,price,stock\nA1,大衣,0,1\nA2,围巾,10,many\n")
    before = sqlite3.connect(data_dir / DB_FILENAME).execute("SELECT count(*) FROM product").fetchone()

    for extra in ((), ("--dry-run",)):
        result = run_cli("catalog", "import", str(path), *extra, "--data-dir", str(data_dir), cwd=tmp_path)
        assert result.returncode == 1
        lines = result.stderr.decode().splitlines()
        assert lines[:2] == [
            "anchor-console: catalog.csv row 2, column price: the price 0 is not above zero; give the price in "
            "yuan, such as 1299.",
            "anchor-console: catalog.csv row 3, column stock: 'many' is not a stock count; write a whole number, "
            "such as 35.",
        ]
        assert "Traceback" not in result.stderr.decode()
    assert lines[2:] == []          # the dry run's summary went to stdout
    assert sqlite3.connect(data_dir / DB_FILENAME).execute("SELECT count(*) FROM product").fetchone() == before


def test_cli_errors_are_one_sentence_in_any_language(db: Database, store: StoreInfo, data_dir: Path, tmp_path: Path) -> None:
    db.close()
    result = run_cli("catalog", "import", str(tmp_path / "nope.csv"), "--lang", "zh_CN", "--data-dir",
                     str(data_dir), cwd=tmp_path)
    assert result.returncode == 1 and len(result.stderr.decode().splitlines()) == 1
    assert "Traceback" not in result.stderr.decode()
