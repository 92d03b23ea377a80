"""Head office's catalog from a spreadsheet: the stores' reader, all or nothing, reaching every console on its
next sync; a withdrawn product leaving the stores' search; ``anchor-headoffice catalog ...`` as its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from console.domain.enums import AuditVia, QualityDocumentKind
from console.domain.search import search_key
from console.headoffice import catalog
from console.headoffice import db as ho_db
from console.headoffice.models import CATALOG_SCOPE, SyncedRow, store_scope
from console.services.auth import AuthService
from console.services.catalog import CatalogService
from console.services.catalog_file import CatalogRejected
from console.services.catalog_io import CatalogFileService
from console.storage.db import Database, open_database
from console.storage.models import Product, QualityDocument
from console.sync.client import MODE_UPLOAD
from tests.headoffice.helpers import LiveService
from tests.sync.conftest import ConsoleFactory, _no_keyring, make_console  # noqa: F401 (fixtures)

HEADER = "商品编码,商品名称,品牌,类目,规格,条码,质检报告,售后政策\n"
COAT = "JH-001,羊绒大衣,锦华,服装,M,6901234567892,JC2026-0001,七天无理由退货\n"
SCARF = "JH-002,真丝围巾,锦华,配饰,,,2020010701234567,七天无理由退货\n"


def write(tmp_path: Path, text: str, name: str = "catalog.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def catalog_rows(engine: Engine, table: str = "product") -> dict[str, dict[str, Any]]:
    """The catalog scope's rows of ``table``, by SKU (products) or number (papers)."""
    key = "sku" if table == "product" else "number"
    with ho_db.session_factory(engine).begin() as session:
        found = session.execute(select(SyncedRow.data, SyncedRow.version).where(
            SyncedRow.table_name == table, SyncedRow.scope_key == CATALOG_SCOPE)).all()
    return {data[key]: {**data, "_version": version} for data, version in found}


def run(engine: Engine, work: Any) -> Any:
    with ho_db.session_factory(engine).begin() as session:
        return work(session)


def test_head_office_imports_products_and_their_papers(engine: Engine, tmp_path: Path) -> None:
    result = run(engine, lambda s: catalog.import_file(s, write(tmp_path, HEADER + COAT + SCARF, encoding="gbk")))

    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    products = catalog_rows(engine)
    coat = products["JH-001"]
    assert (coat["name"], coat["brand"], coat["category"], coat["spec"], coat["barcode"],
            coat["after_sales_policy"], coat["row_version"], coat["deleted_at"]) == (
        "羊绒大衣", "锦华", "服装", "M", "6901234567892", "七天无理由退货", 1, None)
    assert coat["search_key"] == search_key("羊绒大衣", "锦华")
    papers = catalog_rows(engine, "quality_document")
    assert {n: (p["product_id"], p["kind"]) for n, p in papers.items()} == {
        "JC2026-0001": (coat["id"], QualityDocumentKind.INSPECTION_REPORT.value),
        "2020010701234567": (products["JH-002"]["id"], QualityDocumentKind.CCC_CERTIFICATE.value)}
    # Papers come after their products in the scope's versions: a console applies parents first.
    assert min(p["_version"] for p in papers.values()) > max(p["_version"] for p in products.values())


def test_a_second_import_updates_what_changed_and_leaves_the_rest(engine: Engine, tmp_path: Path) -> None:
    run(engine, lambda s: catalog.import_file(s, write(tmp_path, HEADER + COAT + SCARF)))
    before = catalog_rows(engine)
    result = run(engine, lambda s: catalog.import_file(s, write(tmp_path, "sku,name,spec,quality_doc,price,stock\n"
                                                                          "JH-001,羊绒大衣（新款）,,JC-2,1299,5\n"
                                                                          "JH-002,真丝围巾,,,,\n")))

    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    assert [(u.sku, u.fields) for u in result.updates] == [("JH-001", ("name", "quality_doc"))]
    # A store's price and stock are the store's: head office does not read them.
    assert result.ignored_columns == ("price", "stock")
    after = catalog_rows(engine)
    assert after["JH-001"]["name"] == "羊绒大衣（新款）" and after["JH-001"]["row_version"] == 2
    assert after["JH-001"]["spec"] == "M"                           # an empty cell keeps what it had
    assert after["JH-001"]["search_key"] == search_key("羊绒大衣（新款）", "锦华")
    assert after["JH-002"] == before["JH-002"]                      # not written again
    assert set(catalog_rows(engine, "quality_document")) == {"JC2026-0001", "2020010701234567", "JC-2"}


def test_a_bad_file_writes_nothing_and_a_dry_run_neither(engine: Engine, tmp_path: Path) -> None:
    run(engine, lambda s: catalog.import_file(s, write(tmp_path, HEADER + COAT)))
    before = catalog_rows(engine), catalog_rows(engine, "quality_document")
    bad = write(tmp_path, "sku,name,barcode\nJH-001,改名,\nJH-003,,\nJH-001,又改,\n")

    with pytest.raises(CatalogRejected) as caught:
        run(engine, lambda s: catalog.import_file(s, bad))
    assert [str(p) for p in caught.value.problems] == [
        "catalog.csv row 3, column name: SKU JH-003 is new to the catalog, so it needs a name.",
        "catalog.csv row 4, column sku: the SKU JH-001 is on row 2 already; give each product one row."]
    plan = run(engine, lambda s: catalog.import_file(s, write(tmp_path, HEADER + COAT.replace("M", "L") + SCARF),
                                                     dry_run=True))
    assert (plan.added, plan.updated, plan.unchanged) == (1, 1, 0) and plan.ok
    assert (catalog_rows(engine), catalog_rows(engine, "quality_document")) == before


def test_export_then_import_changes_nothing_and_exports_the_same_bytes(engine: Engine, tmp_path: Path) -> None:
    run(engine, lambda s: catalog.import_file(s, write(tmp_path, HEADER + SCARF + COAT)))
    for fmt in ("csv", "xlsx"):
        exported = run(engine, lambda s, fmt=fmt: catalog.export(s, fmt))
        path = tmp_path / f"exported.{fmt}"
        path.write_bytes(exported)
        result = run(engine, lambda s, path=path: catalog.import_file(s, path))
        assert (result.added, result.updated, result.unchanged) == (0, 0, 2)
        assert run(engine, lambda s, fmt=fmt: catalog.export(s, fmt)) == exported
    text = run(engine, lambda s: catalog.export(s, "csv", bom=False)).decode()
    assert text.splitlines() == [
        "sku,name,brand,category,spec,barcode,quality_doc,after_sales",
        "JH-001,羊绒大衣,锦华,服装,M,6901234567892,JC2026-0001,七天无理由退货",
        "JH-002,真丝围巾,锦华,配饰,,,2020010701234567,七天无理由退货",
    ]


def test_a_file_of_skus_and_names_alone_is_enough_to_add_products(engine: Engine, tmp_path: Path) -> None:
    result = run(engine, lambda s: catalog.import_file(s, write(tmp_path, "货号,品名\nA1,大衣\n")))
    assert result.added == 1
    added = catalog_rows(engine)["A1"]
    assert (added["name"], added["brand"], added["category"], added["unit"], added["image_refs"]) == (
        "大衣", "", "", "件", [])


def test_withdrawing_an_unknown_sku_withdraws_nothing(engine: Engine, tmp_path: Path) -> None:
    run(engine, lambda s: catalog.import_file(s, write(tmp_path, HEADER + COAT)))
    from console.headoffice.errors import AdminError

    with pytest.raises(AdminError, match="No product in the catalog has the SKU NOPE"):
        run(engine, lambda s: catalog.withdraw(s, ["JH-001", "NOPE"]))
    assert catalog_rows(engine)["JH-001"]["deleted_at"] is None


# --- reaching the stores -----------------------------------------------------------------


def headoffice(service: LiveService, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    url = service.engine.url.render_as_string(hide_password=False)
    return subprocess.run([sys.executable, "-m", "console.headoffice.cli", *args, "--database-url", url,
                           "--lang", "en"],
                          capture_output=True, text=True, cwd=cwd, timeout=120, check=False, env=dict(os.environ))


def search(db: Database, text: str) -> list[str]:
    actor = AuthService(db).actor_for_login(None, via=AuditVia.CLI)
    return [row.sku for row in CatalogService(db, actor).search(text)]


def test_an_imported_catalog_reaches_an_enrolled_console_and_a_withdrawn_product_leaves_its_search(
        service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    service.add_store("SH01")
    console = make_console(service, "SH01")
    path = write(tmp_path, HEADER + COAT + SCARF, encoding="gbk")

    dry = headoffice(service, "catalog", "import", str(path), "--dry-run", cwd=tmp_path)
    assert (dry.returncode, dry.stderr) == (0, "")
    assert console.sync().clean and search(console.db, "羊绒") == []

    done = headoffice(service, "catalog", "import", str(path), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert done.stdout.splitlines()[0] == "Imported catalog.csv: 2 added, 0 updated, 0 unchanged."
    assert console.sync().clean

    assert search(console.db, "羊绒") == ["JH-001"]
    with console.db.begin() as s:
        coat = s.scalars(select(Product).where(Product.sku == "JH-001")).one()
        assert (coat.name, coat.after_sales_policy, coat.search_key) == ("羊绒大衣", "七天无理由退货",
                                                                         search_key("羊绒大衣", "锦华"))
        assert s.scalars(select(QualityDocument.number).where(QualityDocument.product_id == coat.id)).all() == [
            "JC2026-0001"]

    withdrawn = headoffice(service, "catalog", "withdraw", "JH-001", cwd=tmp_path)
    assert (withdrawn.returncode, withdrawn.stderr) == (0, "")
    assert console.sync().clean
    assert search(console.db, "羊绒") == [] and search(console.db, "锦华") == ["JH-002"]
    with console.db.begin() as s:
        assert s.scalars(select(Product).where(Product.sku == "JH-001")).one().is_deleted

    # The export no longer lists it; importing it again brings it back to the stores.
    exported = headoffice(service, "catalog", "export", cwd=tmp_path)
    assert [line.split(",")[0] for line in exported.stdout.splitlines()] == ["sku", "JH-002"]
    again = headoffice(service, "catalog", "import", str(path), cwd=tmp_path)
    assert again.stdout.splitlines()[0] == "Imported catalog.csv: 1 added, 0 updated, 1 unchanged."
    assert console.sync().clean and search(console.db, "羊绒") == ["JH-001"]


def test_a_console_that_priced_its_own_catalog_uploads_its_prices_when_it_enrolls(
        service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    service.add_store("SH01")
    run(service.engine, lambda s: catalog.import_file(s, write(tmp_path, HEADER + COAT + SCARF)))
    folder = tmp_path / "own"
    own = open_database(folder)
    auth = AuthService(own)
    auth.create_store(code="SH01", name="测试百货", manager_name="王经理", manager_login="manager", pin="2468")
    CatalogFileService(own, auth.actor_for_login(None, via=AuditVia.CLI)).import_file(
        write(tmp_path, "sku,name,brand,category,counter_price,stock\nJH-001,羊绒大衣,锦华,服装,1299,5\n",
              name="prices.csv"))
    own.close()

    console = make_console(service, "SH01", mode=MODE_UPLOAD, data_dir=folder)

    assert console.sync().clean
    with service.sessions().begin() as session:
        from tests.sync.conftest import store_id_of

        scope = store_scope(store_id_of(service, "SH01"))
        uploaded = {table: session.scalar(select(func.count()).where(SyncedRow.scope_key == scope,
                                                                     SyncedRow.table_name == table))
                    for table in ("store_product", "price_history")}
        price = session.scalars(select(SyncedRow.data).where(SyncedRow.scope_key == scope,
                                                             SyncedRow.table_name == "store_product")).one()
    assert uploaded == {"store_product": 1, "price_history": 1}
    assert (price["counter_price_fen"], price["stock"]) == (129_900, 5)
    # Pointing at head office's product, matched by SKU.
    assert price["product_id"] == catalog_rows(service.engine)["JH-001"]["id"]


def test_cli_rejects_a_bad_file_listing_each_problem(service: LiveService, tmp_path: Path) -> None:
    bad = write(tmp_path, "sku,name\nA1,\nA1,大衣\n")

    result = headoffice(service, "catalog", "import", str(bad), cwd=tmp_path)

    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "anchor-headoffice: catalog.csv row 2, column name: SKU A1 is new to the catalog, so it needs a name.",
        "anchor-headoffice: catalog.csv row 3, column sku: the SKU A1 is on row 2 already; give each product one "
        "row.",
        "anchor-headoffice: Nothing was imported from catalog.csv: 2 problems to fix first.",
    ]
    missing = headoffice(service, "catalog", "import", str(tmp_path / "nope.csv"), cwd=tmp_path)
    assert (missing.returncode, missing.stderr) == (1, f"anchor-headoffice: {tmp_path / 'nope.csv'} does not "
                                                       "exist.\n")
    assert catalog_rows(service.engine) == {}


# --- the command line in process: round trips and bad files ---------------------------------


def ho_main(engine: Engine, *args: str) -> int:
    from console.headoffice.cli import main

    return main([*args, "--database-url", engine.url.render_as_string(hide_password=False), "--lang", "en"])


def test_what_the_export_writes_the_import_reads_back_byte_for_byte(engine: Engine, tmp_path: Path) -> None:
    import csv as csv_module
    import io

    tricky = io.StringIO()
    writer = csv_module.writer(tricky)
    writer.writerow(["sku", "name", "brand", "category", "spec", "barcode", "quality_doc", "after_sales"])
    # A SKU with a leading zero, quotes and a comma, two papers, a policy over two lines, text that Excel
    # would take for a formula.
    writer.writerow(["00123", '大衣, "限量"', "锦华", "服装", "M/L", "0690123456789", "JC-1; JC-2",
                     "7天无理由\n退货"])
    writer.writerow(["=A1", "=SUM(1)", "-20%特惠", "+86", "", "", "JC-9", "退"])
    source = write(tmp_path, tricky.getvalue(), name="tricky.csv", encoding="gb18030")
    assert ho_main(engine, "catalog", "import", str(source)) == 0
    before = catalog_rows(engine)

    for fmt in ("csv", "xlsx"):
        first, second = tmp_path / f"first.{fmt}", tmp_path / f"second.{fmt}"
        assert ho_main(engine, "catalog", "export", "--format", fmt, "--output", str(first)) == 0
        assert ho_main(engine, "catalog", "import", str(first)) == 0
        assert ho_main(engine, "catalog", "export", "--format", fmt, "--output", str(second)) == 0
        assert first.read_bytes() == second.read_bytes(), fmt
        assert catalog_rows(engine) == before, fmt
    assert before["=A1"]["name"] == "=SUM(1)" and before["00123"]["after_sales_policy"] == "7天无理由\n退货"
    assert sorted(p["number"] for p in catalog_rows(engine, "quality_document").values()) == ["JC-1", "JC-2", "JC-9"]


def test_a_bad_row_in_a_dry_run_or_a_workbook_is_named_and_nothing_is_written(
        engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    assert ho_main(engine, "catalog", "import", str(write(tmp_path, HEADER + COAT, encoding="gbk"))) == 0
    before = catalog_rows(engine), catalog_rows(engine, "quality_document")
    capsys.readouterr()

    bad = write(tmp_path, "商品编码,商品名称,品牌\nJH-001,羊绒大衣（新）,锦华\nJH-009,,锦华\n", name="坏.csv",
                encoding="gbk")
    assert ho_main(engine, "catalog", "import", str(bad), "--dry-run") == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == ["坏.csv would add 0, update 1 and leave 0 unchanged; nothing was written (dry run)."]
    assert err.splitlines() == [
        "anchor-headoffice: 坏.csv row 3, column 商品名称: SKU JH-009 is new to the catalog, so it needs a name.",
        "anchor-headoffice: Nothing would be imported from 坏.csv: 1 problem to fix first."]

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["sku", "name", "brand"])
    sheet.append(["JH-001", "羊绒大衣（新）", "锦华"])
    sheet.append(["JH-001", "又一行", "锦华"])
    workbook.save(tmp_path / "bad.xlsx")
    assert ho_main(engine, "catalog", "import", str(tmp_path / "bad.xlsx")) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines() == [
        "anchor-headoffice: bad.xlsx row 3, column sku: the SKU JH-001 is on row 2 already; give each product one "
        "row.",
        "anchor-headoffice: Nothing was imported from bad.xlsx: 1 problem to fix first."]
    assert (catalog_rows(engine), catalog_rows(engine, "quality_document")) == before
