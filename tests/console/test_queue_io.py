"""Queue files: the export imports back unchanged, Chinese spreadsheets are read, and a bad file writes nothing.

The store is a real SQLite file; the command line is run as a real process
(``python -m console``) for the paths a manager types.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from uuid import UUID

import openpyxl
import pytest
from sqlalchemy import func, select

from console.domain.enums import BroadcastStatus, QualityDocumentKind
from console.domain.errors import ValidationError
from console.domain.permissions import Actor
from console.services.catalog_file import CellProblem
from console.services.queue import QueueService, planned_lines
from console.services.queue_io import (
    QueueFileRejected,
    QueueFileService,
    duration_text,
    parse_duration,
    parse_link_number,
)
from console.services.roster import RosterService
from console.storage.db import Database
from console.storage.models import Broadcast, Outbox, Product, QualityDocument, StoreProduct

START = datetime(2031, 3, 3, 11, 0, tzinfo=UTC)
HEADER = "link_number,sku,live_price,deal,planned_duration\r\n"


@pytest.fixture
def products(db: Database, manager_actor: Actor) -> dict[str, UUID]:
    ids = {}
    with db.begin() as s:
        for n in range(1, 7):
            sku = f"SKU-{n:02d}"
            product = Product(sku=sku, barcode=f"690000000000{n}", name=f"商品{n}", brand="锦华",
                              category="服装", after_sales_policy="7天无理由退货")
            s.add(product)
            s.flush()
            s.add(QualityDocument(product_id=product.id, kind=QualityDocumentKind.INSPECTION_REPORT,
                                  number=f"QR{n}"))
            s.add(StoreProduct(store_id=manager_actor.store_id, product_id=product.id,
                               counter_price_fen=100_000 + n * 100, stock=5 * n))
            ids[sku] = product.id
    return ids


@pytest.fixture
def show(db: Database, manager_actor: Actor) -> UUID:
    room = RosterService(db, manager_actor).add_room(code="R1", name="一号直播间")
    with db.begin() as s:
        broadcast = Broadcast(store_id=manager_actor.store_id, room_id=room.id, title="春季专场",
                              planned_start=START, planned_end=START + timedelta(hours=2))
        s.add(broadcast)
        s.flush()
        return broadcast.id


@pytest.fixture
def files(db: Database, manager_actor: Actor) -> QueueFileService:
    return QueueFileService(db, manager_actor)


@pytest.fixture
def queue(db: Database, manager_actor: Actor) -> QueueService:
    return QueueService(db, manager_actor)


def planned_queue(queue: QueueService, show: UUID, products: dict[str, UUID]) -> None:
    """Four items with every kind of term, and one pinned link number."""
    change = queue.add_products(show, [products[f"SKU-0{n}"] for n in (3, 1, 4, 2)])
    rows = change.rows
    queue.set_live_price(show, rows[0].id, 99_900)
    queue.set_deal(show, rows[1].id, "满1000减100券, 限前50名")
    queue.set_planned_duration(show, rows[2].id, 75 * 60 + 5)
    queue.pin_link(show, rows[3].id, 8)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def problems_of(files: QueueFileService, show: UUID, path: Path) -> list[str]:
    with pytest.raises(QueueFileRejected) as rejected:
        files.import_file(show, path)
    return [str(p) for p in rejected.value.problems]


def outbox_size(db: Database) -> int:
    with db.begin() as s:
        return s.scalar(select(func.count()).select_from(Outbox)) or 0


# --- values --------------------------------------------------------------------------------


@pytest.mark.parametrize("written, seconds", [
    ("3:00", 180), ("0:45", 45), ("12:30", 750), ("1:05:00", 3900), ("3", 180), ("3分钟", 180),
    ("３：３０", 210), (5, 300), (5.0, 300), (time(3, 0), 180), (time(0, 3, 30), 210), (timedelta(minutes=4), 240),
])
def test_durations_as_people_write_them(written: object, seconds: int) -> None:
    assert parse_duration(written) == seconds


@pytest.mark.parametrize("written", ["", "abc", "3:60", "2.5", "0", "0:00", "241", "-3", "1:60:00", 2.5])
def test_durations_that_are_not(written: object) -> None:
    with pytest.raises(CellProblem):
        parse_duration(written)


def test_link_numbers_as_people_write_them() -> None:
    assert [parse_link_number(v) for v in ("3", "#3", "3号", "３", 7, 7.0)] == [3, 3, 3, 3, 7, 7]
    for bad in ("0", "1000", "3.5", "三", 3.5, "-1"):
        with pytest.raises(CellProblem):
            parse_link_number(bad)
    assert duration_text(4505) == "75:05" and duration_text(59) == "0:59"


# --- round trips ---------------------------------------------------------------------------


def test_the_csv_export_imports_back_unchanged(
        db: Database, files: QueueFileService, queue: QueueService, show: UUID, products: dict[str, UUID],
        tmp_path: Path) -> None:
    planned_queue(queue, show, products)
    exported = files.export(show, "csv").decode()
    assert exported == HEADER + (
        "1,SKU-03,999.00,,3:00\r\n"
        '2,SKU-01,1001.00,"满1000减100券, 限前50名",3:00\r\n'
        "3,SKU-04,1004.00,,75:05\r\n"
        "8,SKU-02,1002.00,,3:00\r\n")
    before = queue.lines(show)
    result = files.import_file(show, write(tmp_path / "queue.csv", exported))
    assert result.change.rows == before
    assert str(result.summary()) == "The queue of 春季专场 is now the 4 products in queue.csv."
    assert files.export(show, "csv").decode() == exported


def test_the_xlsx_export_imports_back_unchanged(
        files: QueueFileService, queue: QueueService, show: UUID, products: dict[str, UUID], tmp_path: Path) -> None:
    planned_queue(queue, show, products)
    before = queue.lines(show)
    path = tmp_path / "queue.xlsx"
    path.write_bytes(files.export(show, "xlsx"))
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["link_number", "sku", "live_price", "deal", "planned_duration"]
    assert [c.value for c in sheet[4]] == [3, "SKU-04", "1004.00", None, "75:05"]
    files.import_file(show, path)
    assert queue.lines(show) == before


def test_an_import_replaces_the_queue_keeping_the_rows_of_products_that_stay(
        db: Database, files: QueueFileService, queue: QueueService, show: UUID, products: dict[str, UUID],
        tmp_path: Path) -> None:
    planned_queue(queue, show, products)
    before = queue.lines(show)
    kept = {r.sku: r.id for r in before}
    path = write(tmp_path / "new.csv", "sku,planned_duration\r\nSKU-05,2\r\nSKU-01,\r\nSKU-06,1:30\r\n")
    change = files.import_file(show, path).change
    assert [(r.sku, r.link_number, r.planned_seconds, r.live_price_fen) for r in change.rows] == [
        ("SKU-05", 1, 120, 100_500), ("SKU-01", 2, 180, 100_100), ("SKU-06", 3, 90, 100_600)]
    assert change.rows[1].id == kept["SKU-01"]
    assert {r.item_id for r in change.removed} == {kept[s] for s in ("SKU-03", "SKU-04", "SKU-02")}
    # Undone by replacing it with the queue as it was: the very same rows come back.
    assert queue.replace_queue(show, planned_lines(before)).rows == before


def test_link_numbers_in_a_file_pin_only_what_the_order_would_not_give(
        files: QueueFileService, show: UUID, products: dict[str, UUID], tmp_path: Path) -> None:
    path = write(tmp_path / "links.csv", HEADER + "1,SKU-01,,,\r\n2,SKU-02,,,\r\n,SKU-03,,,\r\n9,SKU-04,,,\r\n"
                                                  "3,SKU-05,,,\r\n")
    rows = files.import_file(show, path).change.rows
    # The row without a number takes the first one free; the two out of order are pinned.
    assert [(r.sku, r.link_number, r.link_pinned) for r in rows] == [
        ("SKU-01", 1, False), ("SKU-02", 2, False), ("SKU-03", 4, False), ("SKU-04", 9, True),
        ("SKU-05", 3, True)]


# --- what Chinese stores' files look like ---------------------------------------------------------


CHINESE = "链接号,商品编码,直播价,优惠,计划时长\r\n1,SKU-02,￥1,299,赠品：围巾,3分钟\r\n2,SKU-01,￥88.50,限时秒杀,2:30\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_headers_in_every_encoding(
        files: QueueFileService, show: UUID, products: dict[str, UUID], tmp_path: Path, encoding: str) -> None:
    # The price with a thousands comma is quoted, as a spreadsheet writes it.
    text = CHINESE.replace("￥1,299", '"￥1,299"')
    rows = files.import_file(show, write(tmp_path / "排品表.csv", text, encoding)).change.rows
    assert [(r.sku, r.live_price_fen, r.deal, r.planned_seconds) for r in rows] == [
        ("SKU-02", 129_900, "赠品：围巾", 180), ("SKU-01", 8_850, "限时秒杀", 150)]


def test_an_excel_file_with_a_title_row_typed_times_and_numbers(
        files: QueueFileService, show: UUID, products: dict[str, UUID], tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["3月3日 春季专场 排品表"])
    sheet.append(["链接号", "商品编码", "商品名称", "直播价", "计划时长"])
    sheet.append([1, "SKU-03", "商品3", 199, time(3, 0)])      # Excel reads a typed 3:00 as 03:00
    sheet.append([2.0, "sku-04", "商品4", 99.9, 4])
    path = tmp_path / "排品表.xlsx"
    workbook.save(path)
    rows = files.import_file(show, path).change.rows
    assert [(r.sku, r.live_price_fen, r.planned_seconds) for r in rows] == [
        ("SKU-03", 19_900, 180), ("SKU-04", 9_990, 240)]


# --- bad files: every problem named, nothing written -----------------------------------------------


def test_every_bad_row_is_named_and_nothing_is_written(
        db: Database, files: QueueFileService, queue: QueueService, show: UUID, products: dict[str, UUID],
        tmp_path: Path) -> None:
    planned_queue(queue, show, products)
    with db.begin() as s:
        s.get_one(Product, products["SKU-06"]).deleted_at = START
    before, written = queue.lines(show), outbox_size(db)
    path = write(tmp_path / "bad.csv", HEADER
                 + "1,NOPE-1,100,,3:00\r\n"            # row 2: not in the catalog
                 + "1,SKU-01,100,,3:00\r\n"            # row 3: link 1 twice
                 + "2,SKU-01,100,,3:00\r\n"            # row 4: SKU twice
                 + "3,SKU-02,0,,3:00\r\n"              # row 5: price zero
                 + "4,SKU-03,abc,,3:00\r\n"            # row 6: not a price
                 + "5,SKU-04,100,,3:75\r\n"            # row 7: not a duration
                 + "x,SKU-05,100,,3:00\r\n"            # row 8: not a link number
                 + "\r\n"                              # row 9: blank, skipped
                 + "7,SKU-06,100,,3:00\r\n"            # row 10: withdrawn
                 + "8,,100,,3:00\r\n")                 # row 11: no SKU
    assert problems_of(files, show, path) == [
        "bad.csv row 2, column sku: no product with the SKU 'NOPE-1' in the catalog.",
        "bad.csv row 3, column link_number: link 1 is on row 2 already; each link number names one product.",
        "bad.csv row 4, column sku: SKU-01 is on row 3 already; a product is on a queue once.",
        "bad.csv row 5, column live_price: the price 0 is not above zero; give the price in yuan, such as 1299.",
        "bad.csv row 6, column live_price: 'abc' is not a price; write it in yuan, such as 1299 or 1,299.00.",
        "bad.csv row 7, column planned_duration: '3:75' is not a duration; write minutes and seconds such as "
        "3:30, or whole minutes such as 5.",
        "bad.csv row 8, column link_number: 'x' is not a link number; write a whole number from 1 to 999.",
        "bad.csv row 10, column sku: head office has withdrawn SKU-06 (商品6); it cannot go on a queue.",
        "bad.csv row 11, column sku: the cell is empty; give the product's SKU.",
    ]
    assert queue.lines(show) == before and outbox_size(db) == written


def test_the_columns_are_named_as_the_file_names_them(
        files: QueueFileService, show: UUID, products: dict[str, UUID], tmp_path: Path) -> None:
    path = write(tmp_path / "中文.csv", "商品编码,直播价\r\nSKU-01,免费\r\n")
    assert problems_of(files, show, path) == [
        "中文.csv row 2, column 直播价: '免费' is not a price; write it in yuan, such as 1299 or 1,299.00."]


@pytest.mark.parametrize("content, problem", [
    ("", "empty.csv is empty; its first row must name the columns (link_number, sku, live_price, deal, "
         "planned_duration)."),
    ("\r\n\r\n", "empty.csv is empty; its first row must name the columns (link_number, sku, live_price, deal, "
                 "planned_duration)."),
    (HEADER, "empty.csv has a header row but no products below it; add a row for each product."),
    ("name,price\r\n大衣,100\r\n", "empty.csv: no column in the header row gives the SKU (sku or 商品编码); the "
                                   "columns are link_number, sku, live_price, deal, planned_duration."),
    ("sku,货号\r\nSKU-01,SKU-01\r\n", "empty.csv row 1: the columns 'sku' and '货号' both give the SKU; keep one."),
])
def test_a_file_without_products(files: QueueFileService, show: UUID, products: dict[str, UUID], tmp_path: Path,
                                 content: str, problem: str) -> None:
    assert problems_of(files, show, write(tmp_path / "empty.csv", content)) == [problem]


def test_a_queue_on_the_wrong_sheet_is_pointed_to(
        files: QueueFileService, show: UUID, products: dict[str, UUID], tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.active.append(["这张表是排品说明"])
    workbook.create_sheet("排品").append(["sku"])
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    with pytest.raises(ValidationError) as wrong:
        files.import_file(show, path)
    assert str(wrong.value) == ("two.xlsx: the first sheet '说明' has no SKU column (sku or 商品编码); the queue seems "
                                "to be on the sheet '排品': move that sheet first and import again.")


def test_files_that_are_not_queue_files(files: QueueFileService, show: UUID, tmp_path: Path) -> None:
    for path, words in ((tmp_path / "q.xls", "old Excel .xls"), (tmp_path / "q.pdf", "neither a CSV"),
                        (tmp_path / "missing.csv", "does not exist")):
        if "missing" not in path.name:
            path.write_bytes(b"\xd0\xcf\x11\xe0")
        with pytest.raises(ValidationError) as refused:
            files.import_file(show, path)
        assert words in str(refused.value)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ValidationError) as refused:
        files.import_file(show, broken)
    assert "not a readable Excel workbook" in str(refused.value)


def test_a_file_longer_than_any_queue_stops_early(
        files: QueueFileService, show: UUID, products: dict[str, UUID], tmp_path: Path) -> None:
    path = write(tmp_path / "long.csv", "sku\r\n" + "SKU-01\r\n" * 5000)
    assert problems_of(files, show, path) == [
        "long.csv row 1,001: a queue holds at most 999 products; this file has more."]


def test_an_ended_broadcast_refuses_an_import(
        db: Database, files: QueueFileService, show: UUID, products: dict[str, UUID], tmp_path: Path) -> None:
    with db.begin() as s:
        s.get_one(Broadcast, show).status = BroadcastStatus.ENDED
    with pytest.raises(ValidationError) as refused:
        files.import_file(show, write(tmp_path / "q.csv", "sku\r\nSKU-01\r\n"))
    assert "has ended" in str(refused.value)


# --- the command line -----------------------------------------------------------------------------


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "console", *args, "--data-dir", str(data_dir), "--lang", "en"],
                          capture_output=True, timeout=120, check=False)


def test_the_command_line_exports_and_imports(
        db: Database, data_dir: Path, queue: QueueService, show: UUID, products: dict[str, UUID],
        tmp_path: Path) -> None:
    planned_queue(queue, show, products)
    before = queue.lines(show)
    shown = cli(data_dir, "queue", "export", "春季")
    assert shown.returncode == 0, shown.stderr.decode()
    assert shown.stdout.decode().startswith(HEADER + "1,SKU-03,999.00,,3:00\r\n")

    out = tmp_path / "out.csv"
    assert cli(data_dir, "queue", "export", str(show), "--output", str(out)).returncode == 0
    assert out.read_bytes() == b"\xef\xbb\xbf" + shown.stdout
    xlsx = tmp_path / "out.xlsx"
    assert cli(data_dir, "queue", "export", "春季专场", "--format", "xlsx", "--output", str(xlsx)).returncode == 0
    assert openpyxl.load_workbook(xlsx).active["B2"].value == "SKU-03"

    imported = cli(data_dir, "queue", "import", "春季", str(out))
    assert imported.returncode == 0, imported.stderr.decode()
    assert imported.stdout.decode().strip() == "The queue of 春季专场 is now the 4 products in out.csv."
    assert queue.lines(show) == before

    bad = write(tmp_path / "bad.csv", "sku,live_price\r\nSKU-01,100\r\nSKU-01,100\r\n")
    refused = cli(data_dir, "queue", "import", "春季", str(bad))
    assert refused.returncode == 1 and refused.stdout == b""
    assert refused.stderr.decode().splitlines() == [
        "anchor-console: bad.csv row 3, column sku: SKU-01 is on row 2 already; a product is on a queue once.",
        "anchor-console: Nothing was imported from bad.csv: 1 problem to fix first.",
    ]
    assert queue.lines(show) == before

    unknown = cli(data_dir, "queue", "export", "秋季")
    assert unknown.returncode == 1
    assert unknown.stderr.decode().strip() == "anchor-console: No broadcast's title starts with '秋季'."
