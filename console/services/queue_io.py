"""Queue files (排品表): a broadcast's queue exported as CSV or Excel, and imported back, all or nothing.

Columns ``link_number, sku, live_price, deal, planned_duration`` (Chinese
headers 链接号, 商品编码, 直播价, 优惠, 计划时长 too); only ``sku`` is
required. An empty cell takes the default: the link number follows the order,
the live price is the store's counter price, the duration 3:00. Durations are
``m:ss`` (``h:mm:ss`` too) or whole minutes. Prices, encodings (UTF-8 with or
without a BOM, GBK/GB18030) and the price formats people write are read as
the catalog's files are (:mod:`console.services.catalog_file`).

An import replaces the queue (:meth:`QueueService.replace_queue`) only when
every row reads well; otherwise nothing is written and every problem is
reported with its file, row and column. The CSV export has exactly the
import's columns, so an exported queue imports back unchanged.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from console.domain.errors import ValidationError
from console.domain.permissions import Actor, Permission
from console.domain.values import BroadcastRow, QueueChange, QueueLine
from console.i18n import Message, msg, msg_n
from console.services.base import Service
from console.services.broadcasts import BroadcastService
from console.services.catalog_file import detect_encoding
from console.domain.amounts import (  # noqa: F401  (duration_text, parse_duration re-exported)
    CellProblem,
    duration_text,
    parse_duration,
    parse_price_fen,
    price_text,
)
from console.rules.link_numbers import MAX_LINK_NUMBER
from console.services.queue import QueueService
from console.services.queue_base import DEAL_LENGTH, MAX_QUEUE_ITEMS
from console.services.queue_sources import PlannedLine
from console.storage.db import Database
from console.storage.models import Product

COLUMNS: tuple[str, ...] = ("link_number", "sku", "live_price", "deal", "planned_duration")

# Header names as run-of-show spreadsheets write them; compared after NFKC, case folding and
# without spaces, '_' and '-'.
_ALIASES: dict[str, tuple[str, ...]] = {
    "link_number": ("link_number", "link", "link_no", "链接号", "链接", "链接编号", "链接序号"),
    "sku": ("sku", "商品编码", "货号", "商品货号", "商品编号", "sku编码"),
    "live_price": ("live_price", "直播价", "直播价格", "活动价"),
    "deal": ("deal", "优惠", "优惠方式", "优惠信息", "福利"),
    "planned_duration": ("planned_duration", "duration", "计划时长", "时长", "讲解时长"),
}

COLUMN_WORDS: dict[str, Message] = {
    "link_number": msg("queue_io.column_link_number", "link number"),
    "sku": msg("queue_io.column_sku", "SKU"),
    "live_price": msg("queue_io.column_live_price", "live price"),
    "deal": msg("queue_io.column_deal", "deal"),
    "planned_duration": msg("queue_io.column_planned_duration", "planned duration"),
}

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_DELIMITERS = (",", ";", "\t")
# A title row or two above the header is common ("3月3日 春季专场 排品表").
HEADER_SEARCH_ROWS = 5

_JUNK = re.compile(r"[\s_\-]+")
_LINK = re.compile(r"#?(\d+)号?")


def _key(text: str) -> str:
    return _JUNK.sub("", unicodedata.normalize("NFKC", text).strip().casefold())


HEADER_ALIASES: dict[str, str] = {_key(a): column for column, aliases in _ALIASES.items() for a in aliases}


class QueueFileRejected(ValidationError):
    """A queue file with problems: nothing was written; ``problems`` says each one, in row order."""

    def __init__(self, file_name: str, problems: Sequence[Message]) -> None:
        self.file_name = file_name
        self.problems: tuple[Message, ...] = tuple(problems)
        super().__init__(msg_n("queue_io.rejected", "Nothing was imported from {file}: {count} problem to fix first.",
                               "Nothing was imported from {file}: {count} problems to fix first.",
                               count=len(self.problems), file=file_name))


@dataclass(frozen=True, slots=True)
class QueueImportResult:
    file_name: str
    broadcast: BroadcastRow
    change: QueueChange

    def summary(self) -> Message:
        return msg_n("queue_io.imported", "The queue of {title} is now the {count} product in {file}.",
                     "The queue of {title} is now the {count} products in {file}.",
                     count=len(self.change.rows), title=self.broadcast.title, file=self.file_name)


# --------------------------------------------------------------------------
# Values as people write them
# --------------------------------------------------------------------------


def parse_link_number(value: object) -> int:
    """A link number: a whole number from 1 to 999 (``3``, ``#3``, ``3号``, full-width digits)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        written = unicodedata.normalize("NFKC", str(value)).strip()
        match = _LINK.fullmatch(written)
        if match is None:
            raise CellProblem(_not_a_link(str(value)))
        number = int(match.group(1))
    if not 1 <= number <= MAX_LINK_NUMBER:
        raise CellProblem(_not_a_link(str(value)))
    return number


def _not_a_link(written: str) -> Message:
    return msg("queue_io.not_a_link_number", "'{value}' is not a link number; write a whole number from 1 to {limit}",
               value=written, limit=MAX_LINK_NUMBER)


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        # Excel keeps a SKU typed as 1001 as the number 1001.0.
        return str(int(cell))
    return str(cell).strip()


# --------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    number: int                     # as the spreadsheet shows it: the header's row counts
    cells: dict[str, object]        # column -> the cell as read (text, or a number or time from Excel)


def _open(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise ValidationError(msg("queue_io.file_missing", "{path} does not exist.", path=str(path))) from None
    except IsADirectoryError:
        raise ValidationError(msg("queue_io.file_is_folder", "{path} is a folder, not a file.",
                                  path=str(path))) from None
    except OSError as exc:
        # The reason is the operating system's own words.
        raise ValidationError(msg("queue_io.file_unreadable", "{path} cannot be read: {reason}.",
                                  path=str(path), reason=exc.strerror or str(exc))) from None


def _csv_rows(path: Path) -> Generator[Sequence[object], None, None]:
    with _open(path) as raw:
        encoding = detect_encoding(raw, path.name)
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        try:
            first = list(itertools.islice(stream, HEADER_SEARCH_ROWS))

            def found(delimiter: str) -> int:
                return max((len({HEADER_ALIASES.get(_key(c)) for c in cells} - {None})
                            for cells in csv.reader(first, delimiter=delimiter)), default=0)

            delimiter = max(CSV_DELIMITERS, key=found)
            yield from csv.reader(itertools.chain(first, stream), delimiter=delimiter)
        except UnicodeDecodeError:
            raise ValidationError(msg("queue_io.not_text", "{file} is not readable as text in one encoding; save "
                                                           "it as 'CSV UTF-8' and import that.",
                                      file=path.name)) from None
        except csv.Error as exc:
            raise ValidationError(msg("queue_io.bad_csv", "{file} is not readable as CSV: {reason}.",
                                      file=path.name, reason=str(exc))) from None


def _header_index(rows: Sequence[Sequence[object]]) -> int | None:
    for index, cells in enumerate(rows):
        if any(HEADER_ALIASES.get(_key(_cell_text(c))) == "sku" for c in cells):
            return index
    return None


def _xlsx_rows(path: Path) -> Generator[Sequence[object], None, None]:
    import openpyxl  # only an Excel file pays for loading it
    from openpyxl.utils.exceptions import InvalidFileException

    _open(path).close()   # the same clear message for a missing or unreadable file
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ValidationError(msg("queue_io.bad_xlsx", "{file} is not a readable Excel workbook (.xlsx).",
                                  file=path.name)) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            return
        first = sheets[0]
        first.reset_dimensions()   # some writers record a wrong size; read what is there
        head = [tuple(r) for r in itertools.islice(first.iter_rows(values_only=True), HEADER_SEARCH_ROWS)]
        if _header_index(head) is None:
            for other in sheets[1:]:
                other.reset_dimensions()
                rows = [tuple(r) for r in itertools.islice(other.iter_rows(values_only=True), HEADER_SEARCH_ROWS)]
                if _header_index(rows) is not None:
                    # The first sheet only: importing another sheet unasked would be worse than saying where.
                    raise ValidationError(msg(
                        "queue_io.wrong_sheet",
                        "{file}: the first sheet '{sheet}' has no SKU column (sku or 商品编码); the queue seems to "
                        "be on the sheet '{other}': move that sheet first and import again.",
                        file=path.name, sheet=first.title, other=other.title))
        yield from first.iter_rows(values_only=True)
    finally:
        workbook.close()


def read_queue_file(path: Path) -> tuple[list[_Row], dict[str, str]]:
    """The file's rows by column, and each column's header as written; :class:`QueueFileRejected` for a bad file."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        raw: Generator[Sequence[object], None, None] = _xlsx_rows(path)
    elif suffix in CSV_SUFFIXES:
        raw = _csv_rows(path)
    elif suffix == ".xls":
        raise ValidationError(msg("queue_io.old_xls",
                                  "{file} is an old Excel .xls file; save it as .xlsx or as CSV and import that.",
                                  file=name))
    else:
        raise ValidationError(msg("queue_io.unknown_file_type",
                                  "{file} is neither a CSV (.csv) nor an Excel (.xlsx) file.", file=name))
    try:
        head = list(itertools.islice(raw, HEADER_SEARCH_ROWS))
        if not any(_cell_text(c) for cells in head for c in cells):
            raise QueueFileRejected(name, [msg("queue_io.empty_file",
                                               "{file} is empty; its first row must name the columns ({columns}).",
                                               file=name, columns=", ".join(COLUMNS))])
        at = _header_index(head)
        if at is None:
            raise QueueFileRejected(name, [msg("queue_io.no_sku_column",
                                               "{file}: no column in the header row gives the SKU (sku or 商品编码); "
                                               "the columns are {columns}.", file=name, columns=", ".join(COLUMNS))])
        header = head[at]
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
        problems: list[Message] = []
        for i, cell in enumerate(header):
            written = _cell_text(cell)
            column = HEADER_ALIASES.get(_key(written))
            if column is None:
                continue   # notes, product names: the manager's own columns
            if column in positions:
                problems.append(msg("queue_io.duplicate_column",
                                    "{file} row {row}: the columns '{first}' and '{second}' both give the {column}; "
                                    "keep one.", file=name, row=at + 1, first=headers[column], second=written,
                                    column=COLUMN_WORDS[column]))
                continue
            positions[column], headers[column] = i, written
        if problems:
            raise QueueFileRejected(name, problems)
        rows: list[_Row] = []
        for number, cells in enumerate(itertools.chain(head[at + 1:], raw), start=at + 2):
            if not any(_cell_text(c) for c in cells):
                continue   # blank lines keep their number but are not products
            if len(rows) == MAX_QUEUE_ITEMS:
                # Said, and the rest left unread: a queue file is a few hundred rows, never a catalog.
                raise QueueFileRejected(name, [msg(
                    "queue_io.too_many_rows", "{file} row {row}: a queue holds at most {limit} products; this file "
                                              "has more.", file=name, row=number, limit=MAX_QUEUE_ITEMS)])
            rows.append(_Row(number, {c: cells[i] if i < len(cells) else None for c, i in positions.items()}))
        if not rows:
            raise QueueFileRejected(name, [msg("queue_io.no_rows",
                                               "{file} has a header row but no products below it; add a row for each "
                                               "product.", file=name)])
        return rows, headers
    finally:
        raw.close()   # the file (or workbook) is closed at once, also when a problem stops the reading


# --------------------------------------------------------------------------
# The service
# --------------------------------------------------------------------------


class QueueFileService(Service):
    """Imports and exports queue files for one store's broadcasts, through :class:`QueueService`."""

    def __init__(self, db: Database, actor: Actor, queue: QueueService | None = None,
                 broadcasts: BroadcastService | None = None) -> None:
        super().__init__(db, actor)
        self._broadcasts = broadcasts or BroadcastService(db, actor)
        self._queue = queue or QueueService(db, actor, self._broadcasts)

    def broadcast(self, reference: str) -> BroadcastRow:
        """A broadcast by its id or by the start of its title (unique among the store's)."""
        return self._broadcasts.resolve(reference)

    # --- import -----------------------------------------------------------------------------

    def import_file(self, broadcast_id: UUID, path: Path | str) -> QueueImportResult:
        """Replace the broadcast's queue with the file's, or change nothing and say every problem."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        path = Path(path)
        rows, headers = read_queue_file(path)
        lines = self._plan(path.name, rows, headers)
        broadcast = self._broadcasts.get(broadcast_id)
        change = self._queue.replace_queue(broadcast_id, lines)
        return QueueImportResult(file_name=path.name, broadcast=broadcast, change=change)

    def _plan(self, name: str, rows: list[_Row], headers: dict[str, str]) -> list[PlannedLine]:
        products = self._products({_cell_text(r.cells.get("sku")) for r in rows} - {""})
        problems: list[Message] = []
        lines: list[PlannedLine] = []
        sku_rows: dict[UUID, int] = {}
        link_rows: dict[int, int] = {}

        def problem(row: _Row, column: str, what: Message) -> None:
            problems.append(msg("queue_io.cell_problem", "{file} row {row}, column {column}: {problem}.",
                                file=name, row=row.number, column=headers.get(column, column), problem=what))

        for row in rows:
            before = len(problems)
            sku = _cell_text(row.cells.get("sku"))
            product = None
            if not sku:
                problem(row, "sku", msg("queue_io.sku_empty", "the cell is empty; give the product's SKU"))
            else:
                product = products.get(sku) or products.get(sku.casefold())
                if product is None:
                    problem(row, "sku", msg("queue_io.sku_unknown", "no product with the SKU '{sku}' in the catalog",
                                            sku=sku))
                elif product.deleted_at is not None:
                    problem(row, "sku", msg("queue_io.sku_withdrawn",
                                            "head office has withdrawn {sku} ({product}); it cannot go on a queue",
                                            sku=sku, product=product.name))
                elif product.id in sku_rows:
                    problem(row, "sku", msg("queue_io.sku_twice",
                                            "{sku} is on row {first} already; a product is on a queue once",
                                            sku=sku, first=sku_rows[product.id]))
                else:
                    sku_rows[product.id] = row.number
            link = self._read(row, "link_number", parse_link_number, problem)
            if link is not None:
                if link in link_rows:
                    problem(row, "link_number", msg("queue_io.link_twice",
                                                    "link {link} is on row {first} already; each link number "
                                                    "names one product", link=link, first=link_rows[link]))
                else:
                    link_rows[link] = row.number
            price = self._read(row, "live_price", parse_price_fen, problem)
            seconds = self._read(row, "planned_duration", parse_duration, problem)
            deal = _cell_text(row.cells.get("deal"))
            if len(deal) > DEAL_LENGTH:
                problem(row, "deal", msg("queue_io.deal_too_long",
                                         "the deal has {length} characters; at most {limit} fit",
                                         length=len(deal), limit=DEAL_LENGTH))
            if len(problems) == before and product is not None:
                lines.append(PlannedLine(product_id=product.id, link_number=link, live_price_fen=price,
                                         deal=deal, planned_seconds=seconds))
        if problems:
            raise QueueFileRejected(name, problems)
        return lines

    @staticmethod
    def _read(row: _Row, column: str, parse: Any, problem: Any) -> Any:
        value = row.cells.get(column)
        if value is None or _cell_text(value) == "":
            return None
        try:
            return parse(value)
        except CellProblem as exc:
            problem(row, column, exc.message)
            return None

    def _products(self, skus: set[str]) -> dict[str, Product]:
        """The products by SKU as written, and by SKU case-folded for a file that changed the case."""
        found: dict[str, Product] = {}
        with self._db.begin() as s:
            for part in _chunks(sorted(skus)):
                for p in s.scalars(select(Product).where(Product.sku.in_(part))):
                    found[p.sku] = p
            # Only what the unique index did not find is looked up again without case (a scan).
            missing = sorted({sku.casefold() for sku in skus if sku not in found})
            for part in _chunks(missing):
                for p in s.scalars(select(Product).where(func.lower(Product.sku).in_(part))):
                    found.setdefault(p.sku.casefold(), p)
        return found

    # --- export -----------------------------------------------------------------------------

    def export(self, broadcast_id: UUID, fmt: str) -> bytes:
        """The queue as a CSV (UTF-8, no BOM) or an Excel workbook, in the import's columns."""
        rows = self._queue.lines(broadcast_id)
        if fmt == "csv":
            return export_csv(rows).encode("utf-8")
        if fmt == "xlsx":
            return export_xlsx(rows, self._broadcasts.get(broadcast_id).title)
        raise ValidationError(msg("queue_io.unknown_export_format",
                                  "Unknown export format '{format}'; use csv or xlsx.", format=fmt))


def _chunks(values: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _export_cells(row: QueueLine) -> list[object]:
    return [row.link_number, row.sku, price_text(row.live_price_fen) if row.live_price_fen > 0 else "",
            row.deal, duration_text(row.planned_seconds)]


def export_csv(rows: Sequence[QueueLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_export_cells(row))
    return out.getvalue()


def export_xlsx(rows: Sequence[QueueLine], title: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    # A sheet's title has at most 31 characters and none of []:*?/\ .
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "queue"
    sheet.append(list(COLUMNS))
    for row in rows:
        # Written as text, as the CSV has them: a "3:00" Excel parsed itself would be three o'clock.
        sheet.append(_export_cells(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
