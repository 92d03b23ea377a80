"""The Products screen as a store manager meets it: search as you type, one product in full, the store's edit, imports.

The real window on a copy of the demo store; the service calls are the real
ones (a search is only slowed down, to show that a stale one never wins).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from qasync import QEventLoop
from sqlalchemy import select

from console.domain.enums import AuditVia, QualityDocumentKind, Role
from console.domain.values import PricePoint, ProductRow, QualityPaper
from console.i18n import text
from console.services.base import write_setting
from console.services.catalog import CatalogService
from console.services.sync import SERVER_URL_SETTING
from console.storage.db import Database
from console.storage.models import Product, QualityDocument
from console.storage.outbox import tombstone
from tests.ui.conftest import in_loop, manager_window, run, wait_until, window_for
from ui.app import Console
from ui.models.base import VALUE_ROLE
from ui.models.tables import (
    FileProblemModel, PlannedUpdateModel, PriceHistoryModel, ProductTableModel, QualityPaperModel, SkuListModel,
)
from ui.views.products import ProductsPage

TODAY = date(2026, 11, 27)


def products_page(console: Console, qloop: QEventLoop, login: str | None = None) -> tuple[Any, ProductsPage]:
    window = window_for(console, qloop, login) if login else manager_window(console, qloop)
    window.show()
    run(qloop, window.show_view("products"))
    page = window.pages["products"]
    assert isinstance(page, ProductsPage)
    return window, page


def shown_skus(page: ProductsPage) -> list[str]:
    return [page.model.value(r).sku for r in range(page.model.rowCount())]


def type_query(qloop: QEventLoop, page: ProductsPage, text: str) -> None:
    in_loop(qloop, lambda: page.search_edit.setText(text))


def show_product(qloop: QEventLoop, page: ProductsPage, sku: str) -> None:
    """Search for ``sku`` and wait until its product is shown in full."""
    type_query(qloop, page, sku)
    wait_until(qloop, lambda: page.detail.detail is not None and page.detail.detail.row.sku == sku
               and not page.refresh_pending)


def first_product(db: Database) -> tuple[UUID, str]:
    with db.begin() as s:
        product = s.scalars(select(Product).where(Product.deleted_at.is_(None)).order_by(Product.sku)).first()
        assert product is not None
        return product.id, product.sku


# --- the models ---------------------------------------------------------------------------------


def _row(papers: int = 1, policy: bool = True, barcode: str = "6901234567892") -> ProductRow:
    return ProductRow(uuid4(), "SKU-1", "兰蔻菁纯面霜 50ml", "兰蔻", "美妆", "50ml", 129900, 12, papers, policy,
                      barcode=barcode)


def _paper(valid_until: date | None, number: str = "CQ-1") -> QualityPaper:
    return QualityPaper(uuid4(), QualityDocumentKind.CCC_CERTIFICATE, number, "中国质量认证中心", valid_until, "")


@pytest.mark.parametrize("model_cls, rows", [
    (ProductTableModel, [_row(), _row(papers=0), _row(policy=False), _row(papers=0, policy=False, barcode="")]),
    (QualityPaperModel, [_paper(TODAY + timedelta(days=400)), _paper(TODAY - timedelta(days=1)), _paper(None)]),
    (PriceHistoryModel, [PricePoint(datetime(2026, 11, 1, 2, 0, tzinfo=UTC), 129900, "专柜价签照片")]),
], ids=["products", "papers", "price-history"])
def test_each_model_of_the_screen_passes_the_model_tester(  # type: ignore[no-untyped-def]
        qtmodeltester, model_cls, rows) -> None:
    model = model_cls()
    qtmodeltester.check(model)
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows)
    assert model.data(model.index(0, 0), VALUE_ROLE) in rows


def test_the_gate_column_gives_the_rules_own_reasons_and_the_barcode_its_column() -> None:
    model = ProductTableModel()
    model.set_rows([_row(), _row(papers=0, policy=False)])
    gate = model.index(1, ProductTableModel.GATE_COLUMN)
    assert model.data(model.index(0, ProductTableModel.GATE_COLUMN)) == "OK"
    assert model.data(gate) == "No quality papers on file · No after-sales policy"
    assert model.data(gate, Qt.ItemDataRole.ToolTipRole) == "No quality papers on file. No after-sales policy."
    assert model.data(model.index(0, 8)) == "6901234567892"
    assert model.headerData(8, Qt.Orientation.Horizontal) == "Barcode"


def test_papers_that_expired_or_expire_soon_are_marked() -> None:
    model = QualityPaperModel()
    model.set_today(TODAY)
    model.set_rows([_paper(TODAY + timedelta(days=400)), _paper(TODAY + timedelta(days=10)),
                    _paper(TODAY - timedelta(days=1)), _paper(None)])
    until = [model.data(model.index(r, QualityPaperModel.VALID_UNTIL_COLUMN)) for r in range(4)]
    assert until == [(TODAY + timedelta(days=400)).isoformat(), f"{TODAY + timedelta(days=10)} (expires soon)",
                     f"{TODAY - timedelta(days=1)} (expired)", "No end date"]
    colours = [model.data(model.index(r, 1), Qt.ItemDataRole.ForegroundRole) for r in range(4)]
    assert colours[0] is None and colours[3] is None
    assert colours[1].color() != colours[2].color() == QColor("#b91c1c")
    assert model.data(model.index(0, 0)) == "3C certificate"


def test_the_history_lists_the_newest_price_first() -> None:
    model = PriceHistoryModel("Asia/Shanghai")
    model.set_rows([PricePoint(datetime(2026, 11, 1, 2, 0, tzinfo=UTC), 139900),
                    PricePoint(datetime(2026, 11, 20, 2, 0, tzinfo=UTC), 129900, "价签")])
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["2026-11-20 10:00", "2026-11-01 10:00"]
    assert model.data(model.index(0, 1)) == "¥1,299.00" and model.data(model.index(1, 2)) == "—"


# --- searching --------------------------------------------------------------------------------


def test_typing_a_query_shows_what_it_finds_and_the_best_match_in_full(console: Console, qloop: QEventLoop) -> None:
    window, page = products_page(console, qloop)
    _product_id, sku = first_product(console.db)
    wait_until(qloop, lambda: page.model.rowCount() > 0)
    type_query(qloop, page, sku)
    wait_until(qloop, lambda: shown_skus(page)[:1] == [sku])
    wait_until(qloop, lambda: page.detail.detail is not None and page.detail.detail.row.sku == sku)
    assert page.detail.values["sku"].text() == sku
    assert page.search_edit.isEnabled()
    window.close()


def test_enter_searches_at_once_as_a_barcode_scanner_ends_its_code(console: Console, qloop: QEventLoop) -> None:
    window, page = products_page(console, qloop)
    wait_until(qloop, lambda: page.model.rowCount() > 1 and not page.ops.busy)
    _product_id, sku = first_product(console.db)
    with console.db.begin() as s:
        barcode = s.scalars(select(Product.barcode).where(Product.sku == sku)).one()

    def scan() -> None:
        page.search_edit.setText(barcode)
        QTest.keyClick(page.search_edit, Qt.Key.Key_Return)

    in_loop(qloop, scan)
    assert not page._debounce.isActive()        # not waiting for a pause in typing
    wait_until(qloop, lambda: shown_skus(page)[:1] == [sku])
    window.close()


def test_a_slow_stale_search_never_overwrites_the_newer_one(console: Console, qloop: QEventLoop) -> None:
    window, page = products_page(console, qloop)
    wait_until(qloop, lambda: page.model.rowCount() > 0 and not page.ops.busy)
    real = page.search_fn
    everything = run(qloop, console.worker.run(real, ""))
    sku = everything[5].sku         # not the whole catalog's first row, so the stale result would show
    slow_started = threading.Event()
    asked: list[str] = []

    def slowed(text: str, **kwargs: Any) -> list[ProductRow]:
        asked.append(text)
        if text == "":
            slow_started.set()
            time.sleep(0.6)      # a slow query (the whole catalog) typed first
        return real(text, **kwargs)

    page.search_fn = slowed
    shown: list[list[str]] = []
    page.model.modelReset.connect(lambda: shown.append(shown_skus(page)))
    type_query(qloop, page, "x")
    type_query(qloop, page, "")            # starts the slow search...
    wait_until(qloop, slow_started.is_set)
    type_query(qloop, page, sku)           # ...and this is typed while it runs
    wait_until(qloop, lambda: shown_skus(page)[:1] == [sku] and not page.ops.busy)
    time.sleep(0.2)
    wait_until(qloop, lambda: not page.ops.busy)
    assert "" in asked and asked[-1] == sku
    assert shown and all(rows[:1] == [sku] for rows in shown), "the stale result was shown"
    assert shown_skus(page)[:1] == [sku]
    window.close()


# --- one product in full -----------------------------------------------------------------------------


def _papers_and_pictures(db: Database, data_dir: Path, today: date) -> tuple[UUID, str]:
    """Give the first product three papers (valid, expiring, expired) and four pictures, one of them real."""
    product_id, sku = first_product(db)
    media = data_dir / "media"
    media.mkdir(exist_ok=True)
    picture = QImage(400, 300, QImage.Format.Format_RGB32)
    picture.fill(QColor("#e4572e"))
    assert picture.save(str(media / "front.png"))
    (media / "back.png").write_text("not a picture at all", encoding="utf-8")
    with db.begin() as s:
        product = s.get_one(Product, product_id)
        product.image_refs = ["front.png", "back.png", "gone.jpg", "../../secrets.png"]
        for paper in s.scalars(select(QualityDocument).where(QualityDocument.product_id == product_id)):
            tombstone(paper)
        for number, until in (("OK-1", today + timedelta(days=400)), ("SOON-1", today + timedelta(days=10)),
                              ("OLD-1", today - timedelta(days=3))):
            s.add(QualityDocument(product_id=product_id, kind=QualityDocumentKind.INSPECTION_REPORT,
                                  number=number, issuer="国家纺织服装产品质量检验检测中心", valid_until=until))
    return product_id, sku


def test_the_detail_shows_papers_marked_by_expiry_and_pictures_with_placeholders(
        console: Console, qloop: QEventLoop, demo_dir: Path) -> None:
    window, page = products_page(console, qloop)
    _product_id, sku = _papers_and_pictures(console.db, demo_dir, page.today())
    run(qloop, page.refresh())
    show_product(qloop, page, sku)
    papers = page.detail.papers_model
    wait_until(qloop, lambda: papers.rowCount() == 3)
    until = {papers.value(r).number: papers.data(papers.index(r, QualityPaperModel.VALID_UNTIL_COLUMN))
             for r in range(3)}
    assert until["SOON-1"].endswith("(expires soon)") and until["OLD-1"].endswith("(expired)")
    assert "(" not in until["OK-1"]
    cards = {card.text().split("</b> · ")[1].split("<br>")[0]: card.text() for card in page.detail.paper_cards}
    assert set(cards) == {"OK-1", "SOON-1", "OLD-1"}
    assert "#b91c1c" in cards["OLD-1"] and "(expired)" in cards["OLD-1"]
    assert "(expires soon)" in cards["SOON-1"] and "color:" in cards["SOON-1"] and "color:" not in cards["OK-1"]
    assert "Inspection report" in cards["OK-1"] and "国家纺织服装产品质量检验检测中心" in cards["OK-1"]

    def pictures() -> list[tuple[str, str]]:
        return [(label.objectName(), label.text()) for label in page.detail.thumbnails]

    wait_until(qloop, lambda: [name for name, _ in pictures()] == ["Thumbnail"] + ["ThumbnailMissing"] * 3)
    assert [text for _name, text in pictures()][1:] == ["No picture"] * 3
    loaded = page.detail.thumbnails[0].pixmap()
    assert max(loaded.width(), loaded.height()) <= 96 and not loaded.isNull()
    assert [label.toolTip() for label in page.detail.thumbnails] == [
        "front.png", "back.png", "gone.jpg", "../../secrets.png"]
    window.close()


def test_saving_the_stores_price_and_stock_and_a_bad_price_refused_in_the_window(
        console: Console, qloop: QEventLoop) -> None:
    window, page = products_page(console, qloop)
    product_id, sku = first_product(console.db)
    show_product(qloop, page, sku)
    detail = page.detail
    assert detail.edit_box.isVisibleTo(page)

    detail.price_edit.setText("￥1,299.50")
    detail.stock_edit.setText("７")
    detail.evidence_edit.setText("专柜价签照片 2026-11-27")
    in_loop(qloop, detail.save_button.click)
    wait_until(qloop, lambda: detail.detail is not None and detail.detail.row.counter_price_fen == 129950
               and detail.history_model.rowCount() > 0)
    row = page.model.value(page.model.row_of(product_id))
    assert (row.counter_price_fen, row.stock) == (129950, 7)
    assert page.model.data(page.model.index(page.model.row_of(product_id), 5)) == "¥1,299.50"
    assert detail.values["evidence"].text() == "专柜价签照片 2026-11-27"
    newest = detail.history_model.value(0)
    assert (newest.counter_price_fen, newest.evidence) == (129950, "专柜价签照片 2026-11-27")
    assert page.problem_label.isHidden()
    stored = run(qloop, console.worker.run(page._services.catalog.product, product_id))
    assert (stored.counter_price_fen, stored.stock) == (129950, 7)

    # Read as an import reads a spreadsheet's cell, and refused in the same words.
    detail.price_edit.setText("-5")
    in_loop(qloop, detail.save_button.click)
    wait_until(qloop, lambda: not page.problem_label.isHidden())
    assert page.problem_label.text() == (
        "Not saved, counter price: the price -5 is not above zero; give the price in yuan, such as 1299.")
    assert detail.save_button.isEnabled()
    detail.price_edit.setText("about 1299")
    in_loop(qloop, detail.save_button.click)
    wait_until(qloop, lambda: "'about 1299' is not a price" in page.problem_label.text())
    detail.price_edit.setText("1299")
    detail.stock_edit.setText("a dozen")
    in_loop(qloop, detail.save_button.click)
    wait_until(qloop, lambda: page.problem_label.text().startswith("Not saved, stock: 'a dozen'"))

    stored = run(qloop, console.worker.run(page._services.catalog.product, product_id))
    assert (stored.counter_price_fen, stored.stock) == (129950, 7)
    window.close()


def test_an_enrolled_console_shows_head_offices_catalog_read_only(console: Console, qloop: QEventLoop) -> None:
    with console.db.begin() as s:
        write_setting(s, SERVER_URL_SETTING, "http://127.0.0.1:9")
    window, page = products_page(console, qloop)
    _product_id, sku = first_product(console.db)
    show_product(qloop, page, sku)
    assert page.access.from_head_office
    assert page.owner_label.isVisibleTo(page) and "comes from head office" in page.owner_label.text()
    assert "Head office's catalog" in page.intro_label.text()
    # The products are head office's, shown, never edited; the store's own stock and counter price stay the
    # store's, here and through an import (which the service then holds to stock and prices).
    assert all(isinstance(value, QLabel) for value in page.detail.values.values())
    assert page.detail.edit_box.isVisibleTo(page)
    assert window.actions["products.import"].isEnabled() and page.import_button.isVisibleTo(page)
    window.close()


def test_an_enrolled_consoles_import_may_set_stock_but_refuses_a_new_product(
        console: Console, qloop: QEventLoop, tmp_path: Path) -> None:
    with console.db.begin() as s:
        write_setting(s, SERVER_URL_SETTING, "http://127.0.0.1:9")
    window, page = products_page(console, qloop)
    _product_id, sku = first_product(console.db)
    wait_until(qloop, lambda: page.model.rowCount() > 0 and not page.ops.busy)
    seen: list[Any] = []
    page.import_file_prompt = lambda: str(_catalog_file(tmp_path, sku))
    page.import_preview_prompt = lambda preview: seen.append(preview) or False
    run(qloop, page.on_import())
    assert len(seen) == 1 and not seen[0].ok
    refused = {p.sku: text(p.message) for p in seen[0].problems}
    assert "NEW-SKU-0001" in refused and "head office" in refused["NEW-SKU-0001"]
    window.close()


def test_someone_who_may_not_change_prices_sees_no_edit_controls(console: Console, qloop: QEventLoop,
                                                                 demo_users) -> None:  # type: ignore[no-untyped-def]
    anchor = next(u for u in demo_users if u.role is Role.ANCHOR)
    window, page = products_page(console, qloop, anchor.login)
    _product_id, sku = first_product(console.db)
    show_product(qloop, page, sku)
    assert not page.detail.edit_box.isVisibleTo(page)
    assert not page.import_button.isVisibleTo(page)
    assert not window.actions["products.import"].isEnabled()
    window.close()


# --- following the stream of changes -----------------------------------------------------------------


def test_a_change_made_elsewhere_reloads_and_keeps_the_selection_the_search_and_the_typing(
        console: Console, qloop: QEventLoop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, page = products_page(console, qloop)
    with console.db.begin() as s:
        brand = s.scalars(select(Product.brand).order_by(Product.sku)).first()
    type_query(qloop, page, brand)
    wait_until(qloop, lambda: page.model.rowCount() > 3 and page.model.value(0).brand == brand
               and not page.ops.busy)
    chosen = page.model.value(2)
    page.view.selectRow(2)
    wait_until(qloop, lambda: page.detail.detail is not None and page.detail.detail.row.id == chosen.id)
    page.detail.evidence_edit.clear()
    qtbot.keyClicks(page.detail.evidence_edit, "tag photo 12")      # halfway through an edit
    actor = run(qloop, console.worker.run(console.auth.actor_for_login, None, via=AuditVia.CLI))
    other = CatalogService(console.db, actor)          # not the screen: as the command line would
    run(qloop, console.worker.run(other.set_store_price, chosen.id, counter_price_fen=88800, stock=3))

    def reloaded() -> bool:
        row = page.model.row_of(chosen.id)
        return row is not None and page.model.value(row).stock == 3 and page.detail.detail is not None \
            and page.detail.detail.row.stock == 3

    wait_until(qloop, reloaded)
    assert page.search_edit.text() == brand
    assert page.selected_id == chosen.id
    assert [i.row() for i in page.view.selectionModel().selectedRows()] == [page.model.row_of(chosen.id)]
    assert page.detail.values["price"].text() == "¥888.00"
    assert page.detail.evidence_edit.text() == "tag photo 12"
    window.close()


# --- importing from the window -------------------------------------------------------------------


def _catalog_file(folder: Path, existing_sku: str, *, bad: bool = False) -> Path:
    """A spreadsheet that updates ``existing_sku``'s stock and adds one product; ``bad``: its price unreadable."""
    price = "一千" if bad else "\"¥1,299.00\""
    path = folder / ("bad.csv" if bad else "catalog.csv")
    path.write_text(
        "sku,name,brand,category,spec,counter_price,stock,barcode,quality_doc,after_sales\n"
        f"{existing_sku},,,,,,4321,,,\n"
        f"NEW-SKU-0001,格力云佳空调 1.5匹,格力,家电,1.5匹,{price},5,6901234567892,CQC2026001,7天无理由退货\n",
        encoding="utf-8")
    return path


def test_an_import_previews_what_it_adds_and_updates_and_imports_on_ok(
        console: Console, qloop: QEventLoop, tmp_path: Path) -> None:
    window, page = products_page(console, qloop)
    product_id, sku = first_product(console.db)
    wait_until(qloop, lambda: page.model.rowCount() > 0 and not page.ops.busy)
    assert page.import_button.isVisibleTo(page) and window.actions["products.import"].isEnabled()
    total = page._total
    path = _catalog_file(tmp_path, sku)
    page.import_file_prompt = lambda: str(path)
    task = qloop.create_task(page.on_import())
    wait_until(qloop, lambda: page.import_prompts.open_dialog is not None)
    dialog = page.import_prompts.open_dialog
    assert dialog.objectName() == "ImportPreviewDialog"
    # Nothing is written while the preview is open.
    assert run(qloop, console.worker.run(page._services.catalog.count)) == total
    assert [dialog.tabs.tabText(n) for n in range(3)] == ["To add (1)", "To update (1)", "Refused (0)"]
    assert dialog.added_model.rows() == ["NEW-SKU-0001"]
    assert dialog.updates_model.data(dialog.updates_model.index(0, 0)) == sku
    assert dialog.updates_model.data(dialog.updates_model.index(0, 1)) == "stock"
    assert "adds 1 products, updates 1" in dialog.summary_label.text()
    assert dialog.import_button.isVisible() and dialog.import_button.isEnabled()
    dialog.import_button.click()
    wait_until(qloop, task.done)
    task.result()

    assert run(qloop, console.worker.run(page._services.catalog.count)) == total + 1
    assert "Imported catalog.csv: 1 added, 1 updated" in page.notice_label.text()
    assert page.notice_label.isVisibleTo(page) and page.problem_label.isHidden()
    stored = run(qloop, console.worker.run(page._services.catalog.product, product_id))
    assert stored.stock == 4321
    show_product(qloop, page, "NEW-SKU-0001")
    assert page.detail.values["price"].text() == "¥1,299.00"
    assert page.detail.papers_model.rowCount() == 1
    window.close()


def test_a_file_with_a_bad_row_shows_every_refusal_and_imports_nothing(
        console: Console, qloop: QEventLoop, tmp_path: Path) -> None:
    window, page = products_page(console, qloop)
    _product_id, sku = first_product(console.db)
    wait_until(qloop, lambda: page.model.rowCount() > 0 and not page.ops.busy)
    total = page._total
    page.import_file_prompt = lambda: str(_catalog_file(tmp_path, sku, bad=True))
    previews: list[Any] = []
    task = qloop.create_task(page.on_import())
    wait_until(qloop, lambda: page.import_prompts.open_dialog is not None)
    dialog = page.import_prompts.open_dialog
    previews.append(dialog.preview)
    assert not dialog.preview.ok and dialog.tabs.currentWidget() is dialog.refused_view
    problems = dialog.refused_model
    assert problems.rowCount() >= 1
    assert problems.data(problems.index(0, 0)) == "3" and problems.data(problems.index(0, 1)) == "NEW-SKU-0001"
    why = problems.data(problems.index(0, FileProblemModel.WHY_COLUMN))
    assert "bad.csv" in why and "row 3" in why and "counter_price" in why
    assert not dialog.import_button.isVisible()
    assert "Nothing can be imported" in dialog.summary_label.text()
    dialog.cancel_button.click()
    wait_until(qloop, task.done)
    task.result()
    assert run(qloop, console.worker.run(page._services.catalog.count)) == total
    assert page.notice_label.isHidden()
    window.close()


def test_the_import_asks_through_its_hooks_and_a_no_writes_nothing(
        console: Console, qloop: QEventLoop, tmp_path: Path) -> None:
    window, page = products_page(console, qloop)
    _product_id, sku = first_product(console.db)
    wait_until(qloop, lambda: page.model.rowCount() > 0 and not page.ops.busy)
    total = page._total
    seen: list[Any] = []
    page.import_file_prompt = lambda: str(_catalog_file(tmp_path, sku))
    page.import_preview_prompt = lambda preview: seen.append(preview) or False
    run(qloop, page.on_import())
    assert len(seen) == 1 and seen[0].dry_run and (seen[0].added, seen[0].updated) == (1, 1)
    assert run(qloop, console.worker.run(page._services.catalog.count)) == total
    page.import_file_prompt = lambda: None      # the file dialog closed without a file
    page.import_preview_prompt = lambda preview: pytest.fail("no file, no preview")
    run(qloop, page.on_import())
    window.close()


def test_the_import_models_pass_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from console.i18n import msg
    from console.services.catalog_file import FileProblem, PlannedUpdate

    for model, rows in (
        (SkuListModel(), ["NEW-1", "NEW-2"]),
        (PlannedUpdateModel(), [PlannedUpdate("SKU-1", ("counter_price", "stock"))]),
        (FileProblemModel(), [FileProblem(0, "", msg("test.file_problem", "{file} has no rows.", file="a.csv")),
                              FileProblem(3, "SKU-9", msg("test.row_problem", "bad {n}", n=1))]),
    ):
        qtmodeltester.check(model)
        model.set_rows(rows)
        qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "File" and model.data(model.index(1, 0)) == "3"


# --- pictures ---------------------------------------------------------------------------------------


def test_a_picture_added_from_the_detail_shows_as_a_thumbnail_and_a_non_picture_is_refused_in_the_window(
        console: Console, qloop: QEventLoop, tmp_path: Path) -> None:
    window, page = products_page(console, qloop)
    product_id, sku = first_product(console.db)
    show_product(qloop, page, sku)
    button = page.detail.add_picture_button
    assert page.access.may_edit_catalog and button.isVisibleTo(page) and button.text() == "Add picture…"
    before = len(page.detail.detail.images)

    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#e4572e"))
    assert image.save(str(tmp_path / "coat.png"))
    page.picture_file_prompt = lambda: _answer(str(tmp_path / "coat.png"))
    in_loop(qloop, button.click)
    wait_until(qloop, lambda: len(page.detail.detail.images) == before + 1 and not page.ops.busy)
    # The strip is rebuilt after the save: it may be empty for a moment (a flake under load, 2 December).
    wait_until(qloop, lambda: bool(page.detail.thumbnails) and page.detail.thumbnails[-1].objectName() == "Thumbnail")
    with console.db.begin() as s:
        assert len(s.get(Product, product_id).image_refs) == before + 1

    (tmp_path / "notes.png").write_text("not a picture", encoding="utf-8")
    page.picture_file_prompt = lambda: _answer(str(tmp_path / "notes.png"))
    in_loop(qloop, button.click)
    wait_until(qloop, lambda: page.problem_label.isVisibleTo(page) and not page.ops.busy)
    assert "notes.png is not a picture" in page.problem_label.text()
    assert len(page.detail.detail.images) == before + 1
    window.close()


def test_an_enrolled_console_offers_no_picture_button(console: Console, qloop: QEventLoop) -> None:
    with console.db.begin() as s:
        write_setting(s, SERVER_URL_SETTING, "http://127.0.0.1:9")
    window, page = products_page(console, qloop)
    _product_id, sku = first_product(console.db)
    show_product(qloop, page, sku)
    assert not page.access.may_edit_catalog and not page.detail.add_picture_button.isVisibleTo(page)
    window.close()


async def _answer(value: str) -> str:
    return value
