"""Catalog spreadsheets read one row at a time: CSV (UTF-8, GBK or GB18030) or Excel, English or Chinese headers.

Nothing here touches a database, so the console's import
(:mod:`console.services.catalog_io`) and head office's
(:mod:`console.headoffice.catalog`) read a file the same way. A
:class:`CatalogReader` checks the header when it opens the file, then yields
each row that reads well as a :class:`CatalogRow` and keeps a
:class:`FileProblem` (file, row, column, why) for each one that does not; the
caller imports nothing while any problem stands.

Rows are streamed: CSV through a decoding stream, Excel through openpyxl's
read-only mode, so memory does not grow with the file. To notice a SKU given
twice, the SKUs seen so far go to a private temporary SQLite file: a dict of
two million SKUs would hold 280 MB.

Cells are read by :mod:`console.services.catalog_values`. An empty cell says
nothing: a product already in the catalog keeps what it has (an import never
blanks a field), and a new one gets an empty text. ``price`` (售价) is the
counter price when the file has no ``counter_price`` (专柜价) column, and is
not read when it has one.

The export's writers are here too (:func:`csv_bytes`, :func:`xlsx_bytes`):
what they write, the reader reads back unchanged.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import sqlite3
import unicodedata
import zipfile
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO

from console.domain.errors import ValidationError
from console.i18n import Message, msg, msg_n
from console.services.catalog_values import READERS, CellProblem, cell_text

# Every column the import reads, and what the export writes (the same, less ``price``).
COLUMNS: tuple[str, ...] = ("sku", "name", "brand", "category", "spec", "price", "counter_price", "stock",
                            "barcode", "quality_doc", "after_sales")
EXPORT_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c != "price")
# The product's own texts, by column; a store's counter price and stock are the store's.
PRODUCT_TEXT_COLUMNS: tuple[str, ...] = ("name", "brand", "category", "spec", "barcode", "after_sales")

# Header names as stores' spreadsheets write them. Compared after NFKC, case folding, and without
# spaces, '_', '-' and a trailing unit in brackets: "Counter Price", "专柜价（元）" are found too.
_ALIASES: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "商品编码", "货号", "商品货号", "商品编号", "sku编码"),
    "name": ("name", "product_name", "商品名称", "名称", "品名", "商品名"),
    "brand": ("brand", "品牌"),
    "category": ("category", "类目", "分类", "品类", "商品类目"),
    "spec": ("spec", "specification", "规格", "规格型号"),
    "price": ("price", "售价", "价格", "销售价"),
    "counter_price": ("counter_price", "专柜价", "专柜价格"),
    "stock": ("stock", "库存", "库存数量"),
    "barcode": ("barcode", "条码", "条形码", "商品条码"),
    "quality_doc": ("quality_doc", "资质编号", "质检报告", "质检报告编号", "资质"),
    "after_sales": ("after_sales", "售后政策", "售后", "售后服务"),
}

# The column as the reader's language calls it, for messages about a column the file lacks.
COLUMN_WORDS: dict[str, Message] = {
    "sku": msg("catalog_file.column_sku", "SKU"),
    "name": msg("catalog_file.column_name", "product name"),
    "brand": msg("catalog_file.column_brand", "brand"),
    "category": msg("catalog_file.column_category", "category"),
    "spec": msg("catalog_file.column_spec", "specification"),
    "price": msg("catalog_file.column_price", "price"),
    "counter_price": msg("catalog_file.column_counter_price", "counter price"),
    "stock": msg("catalog_file.column_stock", "stock"),
    "barcode": msg("catalog_file.column_barcode", "barcode"),
    "quality_doc": msg("catalog_file.column_quality_doc", "quality document number"),
    "after_sales": msg("catalog_file.column_after_sales", "after-sales policy"),
}

# Problems listed one by one; past this many a file is only counted (a whole bad column of a
# million-row file would be a million lines no one reads).
LISTED_PROBLEMS = 1000
# SKUs named one by one in an import's preview; its counts are always whole.
PREVIEW_LIMIT = 1000
# A title row or two above the header is common ("锦华百货 2026 秋季商品目录").
HEADER_SEARCH_ROWS = 5
# Rows checked together for SKUs given twice (one query of the SKUs seen so far).
_WINDOW = 1000
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_DELIMITERS = (",", ";", "\t")
# Read to tell the encoding: this much of the lines that are not plain ASCII.
_SAMPLE_BYTES = 64 * 1024
_GB_ENCODINGS = frozenset({"gb18030", "gbk", "gb2312", "hz"})

_BRACKETED_UNIT = re.compile(r"\([^()]*\)$")
_HEADER_JUNK = re.compile(r"[\s_\-]+")


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().casefold()
    return _HEADER_JUNK.sub("", _BRACKETED_UNIT.sub("", text))


HEADER_ALIASES: dict[str, str] = {_header_key(alias): column
                                  for column, aliases in _ALIASES.items() for alias in aliases}


# --------------------------------------------------------------------------
# What a reader gives
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogRow:
    """One row that read well. ``None`` (or no papers): the file says nothing about that field."""

    row: int                      # as the spreadsheet shows it: the header's row counts
    sku: str
    name: str | None = None
    brand: str | None = None
    category: str | None = None
    spec: str | None = None
    barcode: str | None = None
    after_sales: str | None = None
    quality_docs: tuple[str, ...] = ()
    counter_price_fen: int | None = None
    stock: int | None = None

    def text(self, column: str) -> str | None:
        """The value of one of :data:`PRODUCT_TEXT_COLUMNS`."""
        return getattr(self, column)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class FileProblem:
    """Why a row (0: the file as a whole) cannot be imported; ``sku`` when the row gave one."""

    row: int
    sku: str
    message: Message


class Problems:
    """Every problem of one import: the first :data:`LISTED_PROBLEMS` kept, the rest counted."""

    def __init__(self, limit: int = LISTED_PROBLEMS) -> None:
        self._limit = limit
        self._listed: list[FileProblem] = []
        self.count = 0
        self.rows = 0                 # rows refused (a row with three problems counts once)

    def __bool__(self) -> bool:
        return self.count > 0

    def add(self, row: int, sku: str, message: Message) -> None:
        self.count += 1
        if len(self._listed) < self._limit:
            self._listed.append(FileProblem(row, sku, message))

    def refuse_row(self, row: int, sku: str, messages: Sequence[Message]) -> None:
        self.rows += 1
        for message in messages:
            self.add(row, sku, message)

    @property
    def listed(self) -> tuple[FileProblem, ...]:
        """The kept problems, the file's own first, then by row (a row's keep their order)."""
        return tuple(sorted(self._listed, key=lambda p: p.row))

    def messages(self, file_name: str) -> tuple[Message, ...]:
        said = [p.message for p in self.listed]
        unlisted = self.count - len(said)
        if unlisted:
            said.append(msg_n("catalog_file.more_problems", "{file}: and {count} more problem not listed here.",
                              "{file}: and {count} more problems not listed here.", count=unlisted,
                              file=file_name))
        return tuple(said)


@dataclass(frozen=True, slots=True)
class PlannedUpdate:
    """A product the import changes: its SKU and the columns that change (``counter_price``, ``stock`` ...)."""

    sku: str
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CatalogImportResult:
    """What an import did, or (``dry_run``) would do; a preview lists the first SKUs of each kind."""

    file_name: str
    dry_run: bool
    added: int
    updated: int
    unchanged: int
    added_skus: tuple[str, ...] = ()
    updates: tuple[PlannedUpdate, ...] = ()
    # Each problem, in row order (a very bad file's first LISTED_PROBLEMS; ``problem_count`` counts them all).
    problems: tuple[FileProblem, ...] = ()
    problem_count: int = 0
    refused: int = 0                  # rows refused
    ignored_columns: tuple[str, ...] = ()
    # Ready broadcasts the new prices or stock broke, planned again, each with why.
    notices: tuple[Message, ...] = ()
    problem_messages: tuple[Message, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def refused_skus(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.sku for p in self.problems if p.sku))

    def summary(self) -> Message:
        if self.dry_run:
            return msg("catalog_file.would_import",
                       "{file} would add {added}, update {updated} and leave {unchanged} unchanged; nothing was "
                       "written (dry run).", file=self.file_name, added=self.added, updated=self.updated,
                       unchanged=self.unchanged)
        return msg("catalog_file.imported", "Imported {file}: {added} added, {updated} updated, {unchanged} unchanged.",
                   file=self.file_name, added=self.added, updated=self.updated, unchanged=self.unchanged)

    def ignored_note(self) -> Message | None:
        if not self.ignored_columns:
            return None
        return msg_n("catalog_file.ignored_columns", "{file}: the column {columns} was not read.",
                     "{file}: the columns {columns} were not read.", count=len(self.ignored_columns),
                     file=self.file_name, columns=", ".join(self.ignored_columns))


class CatalogRejected(ValidationError):
    """A catalog file with problems: nothing was imported; ``problems`` says each one, in row order."""

    def __init__(self, file_name: str, problems: Problems, result: CatalogImportResult | None = None) -> None:
        self.file_name = file_name
        self.problems: tuple[Message, ...] = problems.messages(file_name)
        self.listed: tuple[FileProblem, ...] = problems.listed
        # What the import would have done, for a screen that shows it beside the problems.
        self.result = result
        super().__init__(msg_n(
            "catalog_file.rejected", "Nothing was imported from {file}: {count} problem to fix first.",
            "Nothing was imported from {file}: {count} problems to fix first.", count=problems.count,
            file=file_name))


# --------------------------------------------------------------------------
# Opening files
# --------------------------------------------------------------------------


def _open_binary(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise ValidationError(msg("catalog_file.file_missing", "{path} does not exist.", path=str(path))) from None
    except IsADirectoryError:
        raise ValidationError(msg("catalog_file.file_is_folder", "{path} is a folder, not a file.",
                                  path=str(path))) from None
    except OSError as exc:
        # The reason is the operating system's own words.
        raise ValidationError(msg("catalog_file.file_unreadable", "{path} cannot be read: {reason}.",
                                  path=str(path), reason=exc.strerror or str(exc))) from None


def detect_encoding(raw: BinaryIO, name: str) -> str:
    """The text encoding of a CSV file: UTF-8 (a BOM or not) or GB18030 (which reads GBK too).

    UTF-8 is decided by decoding, which never mistakes Chinese GBK text for it;
    otherwise charset-normalizer judges the first lines that are not ASCII.
    Leaves ``raw`` at its start.
    """
    head = raw.read(_SAMPLE_BYTES)
    try:
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise ValidationError(msg("catalog_file.utf16",
                                      "{file} is saved as UTF-16 ('Unicode text'); save it as 'CSV UTF-8' or "
                                      "'CSV' and import that.", file=name))
        sample = _lines_not_ascii(raw, head)
        if not sample:
            return "utf-8"
        try:
            sample.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError:
            pass
        from charset_normalizer import from_bytes  # only a file that is not UTF-8 pays for loading it

        best = from_bytes(sample).best()
        if best is not None and best.encoding in _GB_ENCODINGS:
            return "gb18030"
        if best is not None:
            raise ValidationError(msg("catalog_file.foreign_encoding",
                                      "{file} looks like {encoding} text, which the import does not read; save "
                                      "it as 'CSV UTF-8' and import that.", file=name, encoding=best.encoding))
        raise ValidationError(msg("catalog_file.unknown_encoding",
                                  "{file} is neither UTF-8 nor GBK/GB18030 text; save it as 'CSV UTF-8' and "
                                  "import that.", file=name))
    finally:
        raw.seek(0)


def _lines_not_ascii(raw: BinaryIO, head: bytes) -> bytes:
    """The file's first lines that are not plain ASCII, about :data:`_SAMPLE_BYTES` of them.

    Only those tell one encoding from another; judged among thousands of ASCII
    lines, a few Chinese names read as a Latin code page.
    """
    picked: list[bytes] = []
    size, carry, chunk = 0, b"", head
    while chunk and size < _SAMPLE_BYTES:
        lines = (carry + chunk).split(b"\n")
        carry = lines.pop()            # a line the next chunk ends
        for line in lines:
            if not line.isascii():
                picked.append(line)
                size += len(line)
        chunk = raw.read(_SAMPLE_BYTES)
    if not chunk and not carry.isascii():
        picked.append(carry)
    return b"\n".join(picked)


@dataclass
class _Table:
    """A file's rows as cells, from the header on: (row number, cells) pairs."""

    rows: Iterator[tuple[int, Sequence[Any]]]
    sheet: str | None = None      # the Excel sheet read
    close: Any = None


def _csv_table(path: Path, name: str, problems: Problems) -> _Table:
    raw = _open_binary(path)
    try:
        encoding = detect_encoding(raw, name)
        # A byte that is not text in the encoding stays as an escape, so that the cell it is in, not
        # the whole file, is refused (a file of two files pasted together, saved two ways).
        stream = io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="")
        first = list(itertools.islice(stream, HEADER_SEARCH_ROWS))
    except BaseException:
        raw.close()
        raise
    delimiter = _csv_delimiter(first)
    lines = itertools.chain(first, stream)

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        number = 0
        try:
            for number, cells in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
                yield number, cells
        except csv.Error as exc:
            problems.add(number + 1, "", msg("catalog_file.bad_csv", "{file} row {row} is not readable as CSV: "
                                                                     "{reason}.",
                                             file=name, row=str(number + 1), reason=str(exc)))

    return _Table(rows(), close=stream.close)


def _csv_delimiter(lines: Sequence[str]) -> str:
    """The separator that finds the most column names in the first lines (comma on a tie)."""
    def names_found(delimiter: str) -> int:
        found = 0
        for cells in csv.reader(lines, delimiter=delimiter):
            found = max(found, len({HEADER_ALIASES.get(_header_key(c)) for c in cells} - {None}))
        return found

    try:
        return max(CSV_DELIMITERS, key=names_found)
    except csv.Error:
        return ","


def _xlsx_table(path: Path, name: str) -> _Table:
    import openpyxl  # only an Excel import pays for loading it
    from openpyxl.utils.exceptions import InvalidFileException

    _open_binary(path).close()   # the same clear message for a missing or unreadable file
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ValidationError(msg("catalog_file.bad_xlsx", "{file} is not a readable Excel workbook (.xlsx).",
                                  file=name)) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ValidationError(msg("catalog_file.no_sheet", "{file} has no worksheet.", file=name))
        first = sheets[0]
        if _header_position(_first_rows(first)) is None:
            # The header is looked for on the first sheet only: a workbook's other sheets are often notes,
            # old prices or a copy, and importing one unasked would be worse than saying where it is.
            elsewhere = next((s.title for s in sheets[1:] if _header_position(_first_rows(s)) is not None), None)
            if elsewhere is not None:
                raise ValidationError(msg(
                    "catalog_file.wrong_sheet",
                    "{file}: the first sheet '{sheet}' has no SKU column (sku, 商品编码 or 货号); the catalog "
                    "seems to be on the sheet '{other}': move that sheet first and import again.",
                    file=name, sheet=first.title, other=elsewhere))
    except BaseException:
        workbook.close()
        raise

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        first.reset_dimensions()   # some writers record a wrong size; read what is there
        for number, cells in enumerate(first.iter_rows(values_only=True), start=1):
            yield number, cells

    return _Table(rows(), sheet=first.title, close=workbook.close)


def _first_rows(sheet: Any) -> list[tuple[Any, ...]]:
    sheet.reset_dimensions()
    return [tuple(row) for row in itertools.islice(sheet.iter_rows(values_only=True), HEADER_SEARCH_ROWS)]


def _header_position(rows: Sequence[Sequence[Any]]) -> int | None:
    """Index of the first of ``rows`` that names the SKU column."""
    for index, cells in enumerate(rows):
        if any(HEADER_ALIASES.get(_header_key(cell_text(c))) == "sku" for c in cells):
            return index
    return None


# --------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------


class CatalogReader:
    """A catalog file opened for reading: its header checked, then its rows one at a time.

    Raises :class:`ValidationError` for a file it cannot read at all and
    :class:`CatalogRejected` for a header it cannot use. Problems of rows go
    to ``problems`` (give one to share it with the caller's own problems).
    """

    def __init__(self, path: Path | str, problems: Problems | None = None, *,
                 only: Collection[str] = COLUMNS) -> None:
        self.path = Path(path)
        self.file_name = self.path.name
        self.problems = problems if problems is not None else Problems()
        # Columns outside ``only`` are not read (head office leaves the stores' prices alone).
        self._only = frozenset(only) | {"sku"}
        self.rows_read = 0                       # rows with anything in them, good or bad
        self.ignored_headers: tuple[str, ...] = ()
        self._table = self._open()
        try:
            self.header_row, self.headers, self._positions = self._read_header()
        except BaseException:
            self.close()
            raise

    # --- opening ------------------------------------------------------------------

    def _open(self) -> _Table:
        suffix = self.path.suffix.lower()
        if suffix in XLSX_SUFFIXES:
            return _xlsx_table(self.path, self.file_name)
        if suffix in CSV_SUFFIXES:
            return _csv_table(self.path, self.file_name, self.problems)
        if suffix == ".xls":
            raise ValidationError(msg("catalog_file.old_xls", "{file} is an old Excel .xls file; save it as .xlsx "
                                                              "or as CSV and import that.", file=self.file_name))
        raise ValidationError(msg("catalog_file.unknown_file_type",
                                  "{file} is neither a CSV (.csv) nor an Excel (.xlsx) file.", file=self.file_name))

    def _read_header(self) -> tuple[int, dict[str, str], dict[str, int]]:
        name = self.file_name
        leading = list(itertools.islice(self._table.rows, HEADER_SEARCH_ROWS))
        filled = [(number, cells) for number, cells in leading if any(cell_text(c) for c in cells)]
        if not filled:
            problems = Problems()
            problems.add(0, "", msg("catalog_file.empty", "{file} is empty: it has neither column names nor "
                                                          "products.", file=name))
            raise CatalogRejected(name, problems)
        found = _header_position([cells for _number, cells in filled])
        number, header = filled[found or 0]
        # Rows after the header that the search read ahead go back in front of the rest.
        after = [(n, cells) for n, cells in leading if n > number]
        self._table.rows = itertools.chain(after, self._table.rows)
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
        ignored: list[str] = []
        problems = Problems()
        for index, cell in enumerate(header):
            written = cell_text(cell)
            column = HEADER_ALIASES.get(_header_key(written))
            if column not in self._only:
                if written:
                    ignored.append(written)
                continue
            if column in positions:
                problems.add(0, "", msg("catalog_file.duplicate_column",
                                        "{file} row {row}: the columns '{first}' and '{second}' both give the "
                                        "{column}; keep one.", file=name, row=str(number), first=headers[column],
                                        second=written, column=COLUMN_WORDS[column]))
                continue
            positions[column], headers[column] = index, written
        if "sku" not in positions:
            problems.add(0, "", msg("catalog_file.no_sku_column",
                                    "{file}: no column gives the SKU; the header row (row {row}) must name one of "
                                    "sku, 商品编码 or 货号.", file=name, row=str(number)))
        elif len(positions) == 1:
            problems.add(0, "", msg("catalog_file.only_sku_column",
                                    "{file}: besides the SKU, the header row (row {row}) names no column the "
                                    "import reads ({columns}).", file=name, row=str(number),
                                    columns=", ".join(c for c in COLUMNS if c in self._only and c != "sku")))
        if problems:
            raise CatalogRejected(name, problems)
        if "counter_price" in positions and "price" in positions:
            # The counter price is the one the store asks; a selling price beside it is not read.
            ignored.append(headers.pop("price"))
            del positions["price"]
        self.ignored_headers = tuple(ignored)
        self._readers = [(column, index, READERS[column]) for column, index in positions.items()]
        return number, headers, positions

    @property
    def columns(self) -> frozenset[str]:
        """The columns this file gives (``price`` is reported as ``counter_price``)."""
        return frozenset("counter_price" if c == "price" else c for c in self._positions)

    @property
    def sheet(self) -> str | None:
        return self._table.sheet

    def column_header(self, column: str) -> str:
        """The header as the file writes it (``counter_price`` for a file that gives ``price``)."""
        if column == "counter_price" and column not in self.headers:
            column = "price"
        return self.headers.get(column, column)

    def close(self) -> None:
        if self._table.close is not None:
            self._table.close()
            self._table.close = None

    def __enter__(self) -> CatalogReader:
        return self

    def __exit__(self, _type: type[BaseException] | None, _value: BaseException | None,
                 _traceback: TracebackType | None) -> None:
        self.close()

    # --- rows -----------------------------------------------------------------------

    def rows(self) -> Iterator[CatalogRow]:
        """Each row that reads well; the others' problems go to ``problems``. Ends with the file."""
        window: list[_Read] = []
        with _SeenSkus() as seen:
            for number, cells in self._table.rows:
                read = self._read(number, cells)
                if read is None:
                    continue
                window.append(read)
                if len(window) >= _WINDOW:
                    yield from self._settle(window, seen)
                    window = []
            yield from self._settle(window, seen)
        if self.rows_read == 0:
            self.problems.add(0, "", msg("catalog_file.header_only",
                                         "{file} has a header row but no products below it; add a row for each "
                                         "product.", file=self.file_name))

    def _settle(self, window: list[_Read], seen: _SeenSkus) -> Iterator[CatalogRow]:
        """The window's rows in order, each SKU given before (here or earlier in the file) refused."""
        earlier = seen.first_rows([r.sku for r in window if r.sku])
        for read in window:
            first = earlier.setdefault(read.sku, read.number) if read.sku else read.number
            if first != read.number:
                read.problems.append(self._cell_problem(read.number, "sku", msg(
                    "catalog_file.repeated_sku", "the SKU {sku} is on row {first} already; give each product one row",
                    sku=read.sku, first=str(first))))
            if read.problems:
                self.problems.refuse_row(read.number, read.sku, read.problems)
            else:
                assert read.row is not None
                yield read.row
        seen.add((r.sku, r.number) for r in window if r.sku and earlier.get(r.sku) == r.number)

    def _cell_problem(self, number: int, column: str, what: Message) -> Message:
        return msg("catalog_file.cell_problem", "{file} row {row}, column {column}: {problem}.",
                   file=self.file_name, row=str(number), column=self.headers[column], problem=what)

    def _read(self, number: int, cells: Sequence[Any]) -> _Read | None:
        """One row's cells read, or None for a blank row."""
        width = len(cells)
        problems: list[Message] = []
        fields: dict[str, Any] = {}
        for column, index, read in self._readers:
            if index >= width:
                continue
            cell = cells[index]
            if cell is None or cell == "":
                continue
            try:
                value = read(cell)
            except CellProblem as exc:
                problems.append(self._cell_problem(number, column, exc.message))
                continue
            if value is not None:
                fields[column] = value
        if not problems and not fields:
            return None                  # a blank line (or one of spaces) keeps its number but is no product
        self.rows_read += 1
        sku = fields.pop("sku", "")
        if not sku and not any(_about(p, self.headers["sku"]) for p in problems):
            problems.append(self._cell_problem(number, "sku", msg("catalog_file.no_sku",
                                                                  "the cell is empty; give the product's SKU")))
        if problems:
            return _Read(number, sku, None, problems)
        get = fields.get
        return _Read(number, sku, CatalogRow(
            number, sku, get("name"), get("brand"), get("category"), get("spec"), get("barcode"),
            get("after_sales"), get("quality_doc", ()), get("counter_price", get("price")), get("stock")), problems)


@dataclass(slots=True)
class _Read:
    """A row read: its product if every cell read well, else its problems."""

    number: int
    sku: str
    row: CatalogRow | None
    problems: list[Message]


class _SeenSkus:
    """Each SKU of the file with the row that gave it first, in a private temporary SQLite file.

    Exact, and a file of millions of SKUs costs the disk, not memory (a dict
    would hold 140 bytes for each). Nothing of the console's storage: SQLite
    deletes the file when the connection closes.
    """

    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        self._db.execute("CREATE TABLE seen (sku TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID")

    def first_rows(self, skus: Sequence[str]) -> dict[str, int]:
        """The rows that gave any of ``skus`` before."""
        if not skus:
            return {}
        return dict(self._db.execute(f"SELECT sku, row FROM seen WHERE sku IN ({', '.join('?' * len(skus))})",
                                     skus))

    def add(self, firsts: Iterable[tuple[str, int]]) -> None:
        self._db.executemany("INSERT INTO seen (sku, row) VALUES (?, ?)", firsts)

    def __enter__(self) -> _SeenSkus:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._db.close()


def name_missing(reader: CatalogReader, row: CatalogRow) -> Message:
    """Why a row that would add a product without a name is refused (both importers add products)."""
    if "name" in reader.columns:
        return msg("catalog_file.cell_problem", "{file} row {row}, column {column}: {problem}.",
                   file=reader.file_name, row=str(row.row), column=reader.column_header("name"),
                   problem=msg("catalog_file.new_needs_name", "SKU {sku} is new to the catalog, so it needs a name",
                               sku=row.sku))
    return msg("catalog_file.new_needs_name_column",
               "{file} row {row}: SKU {sku} is new to the catalog, and the file has no name column (name or "
               "商品名称) to add it with.", file=reader.file_name, row=str(row.row), sku=row.sku)


def _about(problem: Message, header: str) -> bool:
    return problem.values.get("column") == header


# --------------------------------------------------------------------------
# Writing files
# --------------------------------------------------------------------------

# Written into every exported workbook, so that the same catalog gives the same bytes.
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_TIME = datetime(*_FIXED_ZIP_TIME)
PRICE_COLUMNS = frozenset({"price", "counter_price"})


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[object]], *, bom: bool = True) -> bytes:
    """A CSV file the reader reads back: UTF-8 (a BOM for Excel in China, which reads GBK without one), CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(columns: Sequence[str], rows: Iterable[Sequence[object]], *, sheet: str = "catalog") -> bytes:
    """An Excel workbook of one sheet; prices are numbers shown with two decimals.

    Byte for byte the same for the same rows: the workbook's dates are left
    out and every zip entry carries one fixed time.
    """
    return workbook_bytes([(sheet, columns, rows)], money=PRICE_COLUMNS)


def workbook_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]], *,
                   money: frozenset[str]) -> bytes:
    """An Excel workbook of ``(sheet name, columns, rows)`` sheets; the ``money`` columns' yuan shown as 0.00.

    Text that starts with "=" stays text; the same rows give the same bytes.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.writer.excel import ExcelWriter

    workbook = Workbook(write_only=True)
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    workbook.properties.creator = "Anchor Console"
    for sheet, columns, rows in sheets:
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(list(columns))
        prices = [c in money for c in columns]
        for row in rows:
            cells: list[object] = []
            for value, is_price in zip(row, prices, strict=True):
                if is_price and value not in (None, ""):
                    cell = WriteOnlyCell(worksheet, value=Decimal(str(value)))
                    cell.number_format = "0.00"
                    cells.append(cell)
                elif isinstance(value, str) and value.startswith("="):
                    # openpyxl would write it as a formula, which reads back empty: keep it the text it is.
                    cell = WriteOnlyCell(worksheet, value=value)
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(None if value == "" else value)
            worksheet.append(cells)
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        # Not openpyxl's save_workbook, which stamps the time of saving into the workbook.
        ExcelWriter(workbook, archive).save()
    return _with_fixed_times(made.getvalue())


def _with_fixed_times(data: bytes) -> bytes:
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()
