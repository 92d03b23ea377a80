"""Roster files: shifts imported from CSV or Excel through the rules, exported as CSV, Excel or iCalendar.

An import is all-or-nothing. Every row is read and checked first (columns,
anchors, rooms, times, roles, broadcasts, repeats); the rows that read well
then go to :meth:`RosterService.add_shifts`, which judges them against each
other and the saved roster. Any problem at all and nothing is written, and
every problem is reported with its file, row and (where there is one) column,
so a manager fixes the whole file in one pass. Problems and warnings are
:class:`~console.i18n.Message` values, shown in the reader's language.

:meth:`RosterFileService.preview` reads and judges a file the same way and
writes nothing: every row with what is wrong with it, for the roster screen
to show before the manager imports.

The CSV and Excel exports have exactly the import's columns, so an exported
week imports unchanged into a store with the same anchors and rooms.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from console import __version__
from console.domain.enums import ShiftRole, ShiftStatus
from console.domain.errors import OverrideNeeded, RosterBlocked, ValidationError
from console.domain.permissions import Actor, Permission
from console.domain.values import AnchorRow, RoomRow, ShiftRow, StoreInfo
from console.i18n import Message, msg, msg_n
from console.paths import write_atomically
from console.services.base import Service, load_store, store_info
from console.services.roster import PlannedShift, RosterService, code_key
from console.services.roster.shifts import labelled
from console.storage.db import Database
from console.storage.models import Broadcast

DEFAULT_TIMEZONE = "Asia/Shanghai"

# The file's columns, in export order; the first five are required on import.
COLUMNS: tuple[str, ...] = ("anchor", "room", "start", "end", "role", "broadcast")
REQUIRED_COLUMNS: tuple[str, ...] = COLUMNS[:5]

# Header names as Chinese spreadsheets write them (compared case-insensitively).
HEADER_ALIASES: dict[str, str] = {
    **{name: name for name in COLUMNS},
    "主播": "anchor",
    "直播间": "room",
    "开始": "start", "开始时间": "start",
    "结束": "end", "结束时间": "end",
    "角色": "role",
    "直播场次": "broadcast", "场次": "broadcast",
}

ROLE_VALUES: dict[str, ShiftRole] = {
    **{role.value: role for role in ShiftRole},
    "主播": ShiftRole.HOST,
    "副播": ShiftRole.CO_HOST,
    "场控": ShiftRole.ROOM_CONTROLLER,
}

ROLE_LABELS_ZH: dict[ShiftRole, str] = {
    ShiftRole.HOST: "主播", ShiftRole.CO_HOST: "副播", ShiftRole.ROOM_CONTROLLER: "场控",
}

TIME_FORMAT = "%Y-%m-%d %H:%M"
TIME_FORMAT_WORDS = msg("roster_io.time_format", "YYYY-MM-DD HH:MM (for example 2026-11-25 19:30)")
# Excel re-saves "2026-11-25 19:30" as "2026/11/25 19:30" in a Chinese locale;
# a manager who opened the export and saved it should not be refused for that.
_TIME_FORMATS = (
    TIME_FORMAT, "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M",
)

CSV_SUFFIXES = (".csv", ".txt")
# Separators a CSV may use: Excel writes ';' where the decimal mark is a comma, and
# a table copied out of a spreadsheet or a web page is tab-separated.
CSV_DELIMITERS = (",", ";", "\t")

_T = TypeVar("_T")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# What an export may be written as: the import's columns (csv, xlsx) or a calendar for phones (ics).
EXPORT_FORMATS = ("csv", "xlsx", "ics")


# The column names as the reader's language writes them in a header (both are accepted).
COLUMN_NAMES: dict[str, Message] = {
    "anchor": msg("roster_io.column_anchor", "anchor"),
    "room": msg("roster_io.column_room", "room"),
    "start": msg("roster_io.column_start", "start"),
    "end": msg("roster_io.column_end", "end"),
    "role": msg("roster_io.column_role", "role"),
    "broadcast": msg("roster_io.column_broadcast", "broadcast"),
}


class ImportRejected(ValidationError):
    """A roster file with problems: nothing was imported; ``problems`` lists each one, in row order."""

    def __init__(self, file_name: str, problems: Sequence[Message]) -> None:
        self.file_name = file_name
        self.problems: tuple[Message, ...] = tuple(problems)
        super().__init__(msg_n(
            "roster_io.rejected", "Nothing was imported from {file}: {count} problem to fix first.",
            "Nothing was imported from {file}: {count} problems to fix first.",
            count=len(self.problems), file=file_name))


@dataclass(frozen=True, slots=True)
class ImportResult:
    file_name: str
    imported: int
    with_warnings: int
    # Warnings the import overrode, each labelled with its row ("f.csv row 7: ...").
    warnings: tuple[Message, ...] = ()

    def summary(self) -> Message:
        return msg_n("roster_io.imported", "imported {count} shift ({warned} with warnings) from {file}",
                     "imported {count} shifts ({warned} with warnings) from {file}",
                     count=self.imported, warned=self.with_warnings, file=self.file_name)


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row of a roster file as the file writes it, and what stops it (problems) or needs a reason (warnings)."""

    number: int                  # as the user sees it: the header is row 1
    anchor: str
    room: str
    start: str
    end: str
    role: str
    broadcast: str
    # Each names the file and row (and the column, for a cell that does not read).
    problems: tuple[Message, ...] = ()
    warnings: tuple[Message, ...] = ()


@dataclass(frozen=True, slots=True)
class RosterPreview:
    """What importing a file would do, judged as the import judges it; nothing is written."""

    file_name: str
    rows: tuple[PreviewRow, ...] = ()
    # The file as a whole: it cannot be read, or its header is wrong (then there are no rows).
    file_problems: tuple[Message, ...] = ()

    @property
    def with_problems(self) -> int:
        return sum(1 for row in self.rows if row.problems)

    @property
    def with_warnings(self) -> int:
        return sum(1 for row in self.rows if row.warnings and not row.problems)

    @property
    def ok(self) -> bool:
        """Whether the import would go through (with a reason, when a row warns)."""
        return bool(self.rows) and not self.file_problems and not self.with_problems


class CellProblem(ValueError):
    """What is wrong with one cell's value, said without the file, row and column (the reader adds them)."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


# A problem and the row it is on (0: the file as a whole), so problems sort by row.
_Problem = tuple[int, Message]


@dataclass(frozen=True, slots=True)
class _Row:
    number: int                  # as the user sees it: the header is row 1
    cells: dict[str, str | datetime]


@dataclass(frozen=True, slots=True)
class _Table:
    headers: dict[str, str]      # column -> header as written in the file
    rows: list[_Row]


# --------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------


def read_table(path: Path) -> _Table:
    """The file's rows by column name; raises :class:`ImportRejected` for a bad header."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        raw = _xlsx_rows(path)
    elif suffix in CSV_SUFFIXES:
        raw = _csv_rows(path)
    elif suffix == ".xls":
        raise ValidationError(msg("roster_io.old_xls",
                                  "{file} is an old Excel .xls file; save it as .xlsx or as CSV and import that.",
                                  file=name))
    else:
        raise ValidationError(msg("roster_io.unknown_file_type",
                                  "{file} is neither a CSV (.csv) nor an Excel (.xlsx) file.", file=name))
    rows = iter(raw)
    header = next(rows, None)
    if header is None or not any(_text(cell) for cell in header):
        raise ImportRejected(name, [msg(
            "roster_io.no_header",
            "{file} row 1: no column names; the first row must name the columns {columns} (and optionally {optional}).",
            file=name, columns=msg("roster_io.required_columns", "anchor, room, start, end, role"),
            optional=COLUMN_NAMES["broadcast"])])
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    problems: list[Message] = []
    for i, cell in enumerate(header):
        written = _text(cell)
        column = HEADER_ALIASES.get(written.casefold())
        if column is None:
            continue   # extra columns (notes, names) are the manager's own business
        if column in positions:
            problems.append(msg("roster_io.duplicate_column",
                                "{file} row 1: the columns '{first}' and '{second}' both give the {column}; keep one.",
                                file=name, first=headers[column], second=written, column=COLUMN_NAMES[column]))
            continue
        positions[column], headers[column] = i, written
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            problems.append(msg("roster_io.missing_column",
                                "{file}: the column '{column}' is missing from the header row (row 1).",
                                file=name, column=COLUMN_NAMES[column]))
    named = [_text(cell) for cell in header if _text(cell)]
    if problems and len(named) == 1 and any(sep in named[0] for sep in (*CSV_DELIMITERS, "|")):
        # Five "column missing" lines say nothing about why; the separator is the likely cause.
        problems.insert(0, msg("roster_io.one_column_header",
                               "{file} row 1 reads as a single column '{header}': separate the column names with "
                               "commas (semicolons and tabs are read too).", file=name, header=named[0]))
    if problems:
        raise ImportRejected(name, problems)
    table_rows = []
    for number, cells in enumerate(rows, start=2):
        if not any(_text(cell) for cell in cells):
            continue   # blank lines keep their number but are not shifts
        values = {column: _cell(cells[i]) if i < len(cells) else "" for column, i in positions.items()}
        table_rows.append(_Row(number, values))
    if not table_rows:
        # "imported 0 shifts" would read as success: a file without shifts is a mistake to say.
        raise ImportRejected(name, [msg("roster_io.no_rows",
                                        "{file} has a header row but no shifts below it; add a row for each shift.",
                                        file=name)])
    return _Table(headers, table_rows)


def decode_csv(data: bytes, name: str) -> str:
    """CSV text in UTF-8 (with or without a BOM) or GBK/GB18030, as Excel in China saves it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(msg("roster_io.utf16",
                                  "{file} is saved as UTF-16 ('Unicode text'); save it as 'CSV UTF-8' or 'CSV' "
                                  "and import that.", file=name))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationError(msg("roster_io.unknown_encoding",
                                  "{file} is neither UTF-8 nor GBK/GB18030 text; save it as 'CSV UTF-8' and "
                                  "import that.", file=name)) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(msg("roster_io.file_missing", "{path} does not exist.", path=str(path))) from None
    except IsADirectoryError:
        raise ValidationError(msg("roster_io.file_is_folder", "{path} is a folder, not a file.",
                                  path=str(path))) from None
    except OSError as exc:
        # The reason is the operating system's own words.
        raise ValidationError(msg("roster_io.file_unreadable", "{path} cannot be read: {reason}.",
                                  path=str(path), reason=exc.strerror or str(exc))) from None


def csv_delimiter(text: str) -> str:
    """The separator of a roster CSV: the one that finds the most column names in its header (comma on a tie).

    Not :class:`csv.Sniffer`: on a single line it prefers a comma whenever one
    appears, so "anchor;room;start;end;role;notes, misc" would read as two
    columns. Counting the column names each separator yields cannot be fooled
    by a comma inside a name.
    """
    first_line = text.split("\n", 1)[0]

    def names_found(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return len({HEADER_ALIASES.get(cell.strip().casefold()) for cell in cells} - {None})

    return max(CSV_DELIMITERS, key=names_found)


def _csv_rows(path: Path) -> list[list[str]]:
    text = decode_csv(_read_bytes(path), path.name)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text)))
    except csv.Error as exc:
        raise ValidationError(msg("roster_io.bad_csv", "{file} is not readable as CSV: {reason}.",
                                  file=path.name, reason=str(exc))) from None


def _xlsx_rows(path: Path) -> list[tuple[object, ...]]:
    import openpyxl  # only an Excel import pays for loading it
    from openpyxl.utils.exceptions import InvalidFileException

    _read_bytes(path)  # the same clear message for a missing or unreadable file
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
        raise ValidationError(msg("roster_io.bad_xlsx", "{file} is not a readable Excel workbook (.xlsx).",
                                  file=path.name)) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return []
        return [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        # Excel stores a code typed as 1001 as the number 1001.0.
        return str(int(cell))
    return str(cell).strip()


def _cell(cell: object) -> str | datetime:
    # Real date-time cells stay datetimes; everything else is compared as text.
    return cell if isinstance(cell, datetime) else _text(cell)


# --------------------------------------------------------------------------
# Interpreting rows
# --------------------------------------------------------------------------


def parse_local_time(value: str | datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in the store's zone (text or a naive spreadsheet datetime) as UTC."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC)
        naive = value
    else:
        for fmt in _TIME_FORMATS:
            try:
                naive = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
        else:
            raise CellProblem(msg("roster_io.not_a_time", "'{value}' is not a time; write it as {format}",
                                  value=value, format=TIME_FORMAT_WORDS))
    aware = naive.replace(tzinfo=zone)
    moment = aware.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != naive:
        # The time as the file writes it, so the manager finds the cell.
        raise CellProblem(msg("roster_io.time_skipped",
                              "{time} does not exist in the store's time zone (the clocks skip it)",
                              time=naive.strftime(TIME_FORMAT)))
    return moment


def parse_role(value: str) -> ShiftRole:
    role = ROLE_VALUES.get(value.strip().casefold().replace("-", "_").replace(" ", "_"))
    if role is None:
        raise CellProblem(msg("roster_io.unknown_role",
                              "unknown role '{value}'; use host, co_host or room_controller (主播, 副播, 场控)",
                              value=value))
    return role


class _Lookup:
    """Anchors or rooms by code or by exact name, the active ones first.

    Codes compare as the roster service compares them (:func:`code_key`:
    capitals and full-width forms do not matter), names exactly but for
    surrounding blanks and full-width forms. An active anchor wins over an
    inactive one with the same code or name (an old "a001" beside the
    current "A001"); a code wins over a name. Two active candidates are
    ambiguous, and the message names their codes.
    """

    def __init__(self, what: str, items: Iterable[AnchorRow | RoomRow]) -> None:
        self.what = what      # "anchor" or "room"
        self._by_code: dict[str, list[AnchorRow | RoomRow]] = {}
        self._by_name: dict[str, list[AnchorRow | RoomRow]] = {}
        for item in items:
            self._by_code.setdefault(code_key(item.code), []).append(item)
            self._by_name.setdefault(_name_key(item.name), []).append(item)

    def find(self, value: str) -> AnchorRow | RoomRow:
        by_code = self._by_code.get(code_key(value), [])
        by_name = self._by_name.get(_name_key(value), [])
        for found, ambiguous in ((by_code, self._same_code), (by_name, self._ambiguous)):
            active = [item for item in found if item.active]
            if len(active) > 1:
                raise CellProblem(ambiguous(len(active), value, ", ".join(sorted(item.code for item in active))))
            if active:
                return active[0]
        inactive = by_code or by_name
        if inactive:
            raise CellProblem(self._inactive(inactive[0].code, inactive[0].name))
        raise CellProblem(self._unknown(value))

    def _same_code(self, count: int, value: str, codes: str) -> Message:
        if self.what == "anchor":
            return msg("roster_io.anchor_code_ambiguous",
                       "{count} active anchors have the code '{value}' ({codes}), written in other capitals or "
                       "widths; deactivate the duplicate", count=count, value=value, codes=codes)
        return msg("roster_io.room_code_ambiguous",
                   "{count} active rooms have the code '{value}' ({codes}), written in other capitals or "
                   "widths; deactivate the duplicate", count=count, value=value, codes=codes)

    # One sentence per kind, so that each language words anchors and rooms its own way.
    def _ambiguous(self, count: int, value: str, codes: str) -> Message:
        if self.what == "anchor":
            return msg("roster_io.anchor_ambiguous", "{count} anchors are called '{value}' ({codes}); use the code",
                       count=count, value=value, codes=codes)
        return msg("roster_io.room_ambiguous", "{count} rooms are called '{value}' ({codes}); use the code",
                   count=count, value=value, codes=codes)

    def _unknown(self, value: str) -> Message:
        if self.what == "anchor":
            return msg("roster_io.anchor_unknown", "no anchor with the code or name '{value}' in this store",
                       value=value)
        return msg("roster_io.room_unknown", "no room with the code or name '{value}' in this store", value=value)

    def _inactive(self, code: str, name: str) -> Message:
        if self.what == "anchor":
            return msg("roster_io.anchor_inactive", "anchor {code} {name} is no longer active", code=code, name=name)
        return msg("roster_io.room_inactive", "room {code} {name} is no longer active", code=code, name=name)


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


@dataclass(frozen=True, slots=True)
class _BroadcastIndex:
    ids: frozenset[UUID]
    by_title: dict[str, list[UUID]]

    def find(self, value: str) -> UUID:
        try:
            wanted = UUID(value)
        except ValueError:
            found = self.by_title.get(value, [])
            if len(found) > 1:
                raise CellProblem(msg("roster_io.broadcast_ambiguous",
                                      "{count} broadcasts are called '{value}'; use the broadcast's id",
                                      count=len(found), value=value)) from None
            if not found:
                raise CellProblem(msg("roster_io.broadcast_unknown",
                                      "no broadcast with the id or title '{value}' in this store",
                                      value=value)) from None
            return found[0]
        if wanted not in self.ids:
            raise CellProblem(msg("roster_io.broadcast_unknown_id", "no broadcast with the id {value} in this store",
                                  value=value))
        return wanted


# --------------------------------------------------------------------------
# The service
# --------------------------------------------------------------------------


class RosterFileService(Service):
    """Imports and exports roster files for one store, through :class:`RosterService`."""

    def __init__(self, db: Database, actor: Actor, roster: RosterService | None = None) -> None:
        super().__init__(db, actor)
        self._roster = roster or RosterService(db, actor)

    def store(self) -> StoreInfo:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return store_info(load_store(s, self._store_scope()))

    # --- import -----------------------------------------------------------------

    def import_file(self, path: Path | str, *, override_reason: str | None = None,
                    reason_needed: bool = False) -> ImportResult:
        """Import every shift in the file as drafts, or none.

        The rules' warnings are overridden with ``override_reason``, kept on
        the shifts that warned. Without one, the command line's import
        overrides them as "imported from FILE"; with ``reason_needed`` (the
        window) it raises :class:`OverrideNeeded` instead, for the manager to
        give one. Every warning overridden is listed in the result.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        path = Path(path)
        name = path.name
        table = read_table(path)
        zone = ZoneInfo(self.store().timezone)
        planned, problems = self._plan(table, name, zone)
        # Kept on the shifts that warned, as the manager's reason: data, in the words it was written in.
        imported_from = f"imported from {name}"
        reason = override_reason if override_reason and override_reason.strip() else (
            None if reason_needed else imported_from)
        if problems:
            # Still judge the rows that read well, so the manager sees every
            # problem at once; in a transaction that is never committed.
            try:
                self._roster.add_shifts(planned, override_reason=imported_from, dry_run=True)
            except RosterBlocked as exc:
                problems += [(_row_of(p), p) for p in exc.problems]
            raise ImportRejected(name, _in_row_order(problems))
        try:
            change = self._roster.add_shifts(planned, override_reason=reason, action="roster_imported")
        except RosterBlocked as exc:
            raise ImportRejected(name, _in_row_order([(_row_of(p), p) for p in exc.problems])) from None
        # Each warning carries its row's label; count the rows that have any.
        warned = len({_row_of(w) for w in change.warnings} - {0})
        return ImportResult(file_name=name, imported=len(change.shifts), with_warnings=warned,
                            warnings=tuple(change.warnings))

    def preview(self, path: Path | str) -> RosterPreview:
        """Every row of the file with its problems and warnings, as :meth:`import_file` would find them; no writes.

        A file that cannot be read, or whose header is wrong, is a preview
        with ``file_problems`` and no rows rather than an error: the window
        shows it where it shows the rows.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        path = Path(path)
        name = path.name
        try:
            table = read_table(path)
        except ImportRejected as exc:
            return RosterPreview(name, file_problems=exc.problems)
        except ValidationError as exc:
            return RosterPreview(name, file_problems=(exc.message,))
        zone = ZoneInfo(self.store().timezone)
        planned, problems = self._plan(table, name, zone)
        verdicts = self._roster.preview_shifts(planned, all_or_nothing=True).items
        found: dict[int, tuple[list[Message], list[Message]]] = {row.number: ([], []) for row in table.rows}
        for row, problem in problems:
            found.setdefault(row, ([], []))[0].append(problem)
        for plan, verdict in zip(planned, verdicts, strict=True):
            # The rules' findings as the import words them: after the row's label.
            row = _row_of(plan.label)
            found[row][0].extend(labelled(plan.label, p) for p in verdict.problems)
            found[row][1].extend(labelled(plan.label, w) for w in verdict.warnings)
        file_problems = tuple(message for row, message in problems if row == 0)
        return RosterPreview(name, file_problems=file_problems, rows=tuple(
            _preview_row(row, zone, *found[row.number]) for row in table.rows))

    def _plan(self, table: _Table, name: str, zone: ZoneInfo) -> tuple[list[PlannedShift], list[_Problem]]:
        anchors = _Lookup("anchor", self._roster.anchors(include_inactive=True))
        rooms = _Lookup("room", self._roster.rooms())
        broadcasts = self._broadcast_index(
            {str(r.cells["broadcast"]) for r in table.rows if r.cells.get("broadcast")})
        planned: list[PlannedShift] = []
        problems: list[_Problem] = []
        first_seen: dict[tuple[UUID, UUID, datetime, datetime], int] = {}
        for row in table.rows:
            cells = _RowReader(name, row, table.headers)
            anchor = cells.read("anchor", msg("roster_io.give_anchor", "anchor's code or name"),
                                lambda v: anchors.find(str(v)))
            room = cells.read("room", msg("roster_io.give_room", "live room's code or name"),
                              lambda v: rooms.find(str(v)))
            starts = cells.read("start",
                                msg("roster_io.give_start", "start time as {format}", format=TIME_FORMAT_WORDS),
                                lambda v: parse_local_time(v, zone))
            ends = cells.read("end", msg("roster_io.give_end", "end time as {format}", format=TIME_FORMAT_WORDS),
                              lambda v: parse_local_time(v, zone))
            role = cells.read("role", msg("roster_io.give_role", "role (host, co_host or room_controller)"),
                              lambda v: parse_role(str(v)))
            broadcast = None
            if row.cells.get("broadcast"):
                broadcast = cells.read("broadcast", msg("roster_io.give_broadcast", "broadcast"),
                                       lambda v: broadcasts.find(str(v)))
            if starts is not None and ends is not None and ends <= starts:
                # The times as the file writes them, so the manager finds the cells.
                times = {"end": _local_text(ends, zone), "start": _local_text(starts, zone)}
                if ends == starts:
                    wrong = msg("roster_io.ends_when_starts",
                                "the shift ends when it starts ({end} is not after {start})", **times)
                else:
                    wrong = msg("roster_io.ends_before_starts",
                                "the shift ends before it starts ({end} is not after {start})", **times)
                cells.problem("end", wrong)
            if not cells.problems and anchor is not None and room is not None:
                key = (anchor.id, room.id, starts, ends)
                if key in first_seen:
                    cells.problems.append(msg("roster_io.repeated_row",
                                              "{file} row {row}: repeats row {first} (same anchor, room, start "
                                              "and end).", file=name, row=row.number, first=first_seen[key]))
                else:
                    first_seen[key] = row.number
            if cells.problems:
                problems += [(row.number, p) for p in cells.problems]
                continue
            assert anchor is not None and room is not None and role is not None
            assert starts is not None and ends is not None
            planned.append(PlannedShift(anchor_id=anchor.id, room_id=room.id, role=role, starts_at=starts,
                                        ends_at=ends, broadcast_id=broadcast, label=row_label(name, row.number)))
        return planned, problems

    def _broadcast_index(self, values: set[str]) -> _BroadcastIndex:
        if not values:
            return _BroadcastIndex(frozenset(), {})
        ids = set()
        for value in values:
            try:
                ids.add(UUID(value))
            except ValueError:
                pass
        titles = values - {str(i) for i in ids}
        with self._db.begin() as s:
            rows = s.execute(select(Broadcast.id, Broadcast.title).where(
                Broadcast.store_id == self._store_scope(), Broadcast.deleted_at.is_(None),
                or_(Broadcast.id.in_(ids), Broadcast.title.in_(titles)))).all()
        by_title: dict[str, list[UUID]] = {}
        for bid, title in rows:
            by_title.setdefault(title, []).append(bid)
        return _BroadcastIndex(frozenset(bid for bid, _ in rows), by_title)

    # --- export -----------------------------------------------------------------

    def shifts_for_export(self, start: datetime, end: datetime) -> list[ShiftRow]:
        """Shifts *starting* in [start, end), so consecutive exports never repeat a shift."""
        return [r for r in self._roster.shifts_between(start, end) if start <= r.starts_at < end]

    def export(self, start: datetime, end: datetime, fmt: str, *, now: datetime | None = None) -> str:
        """The shifts starting in [start, end) as CSV or iCalendar text (Excel is bytes: :meth:`export_bytes`)."""
        rows = self.shifts_for_export(start, end)
        store = self.store()
        if fmt == "csv":
            return export_csv(rows, store.timezone)
        if fmt == "ics":
            return export_ics(rows, store, now=now)
        raise _unknown_format(fmt)

    def export_bytes(self, start: datetime, end: datetime, fmt: str, *, bom: bool = True,
                     now: datetime | None = None) -> bytes:
        """The export as a file's bytes, in any of :data:`EXPORT_FORMATS`.

        A CSV file starts with a BOM (``bom``) because Excel in China reads
        one without it as GBK; the import reads either.
        """
        if fmt == "xlsx":
            return export_xlsx(self.shifts_for_export(start, end), self.store().timezone)
        if fmt not in EXPORT_FORMATS:
            raise _unknown_format(fmt)
        text = self.export(start, end, fmt, now=now)
        return text.encode("utf-8-sig" if fmt == "csv" and bom else "utf-8")

    def export_to(self, path: Path | str, start: datetime, end: datetime, fmt: str, *,
                  now: datetime | None = None) -> int:
        """Write the export to ``path`` whole or not at all (a temporary file renamed over); the shifts written."""
        path = Path(path)
        data = self.export_bytes(start, end, fmt, now=now)
        write_atomically(path, data)
        return len(self.shifts_for_export(start, end))


def _unknown_format(fmt: str) -> ValidationError:
    return ValidationError(msg("roster_io.unknown_export_format_xlsx",
                               "Unknown export format '{format}'; use csv, xlsx or ics.", format=fmt))


def row_label(file_name: str, row: int) -> Message:
    """Where a planned shift came from: the roster service puts it before what the rules say of it."""
    return msg("roster_io.row_label", "{file} row {row}", file=file_name, row=row)


def _row_of(message: Message | str) -> int:
    """The row a rule's finding is about, from the label it carries, or a label's own (0 if it names none)."""
    if not isinstance(message, Message):
        return 0
    for value in (message, *message.values.values()):
        if isinstance(value, Message) and value.id == "roster_io.row_label":
            row = value.values.get("row")
            return row if isinstance(row, int) else 0
    return 0


class _RowReader:
    """One row's cells, read column by column; each problem names file, row and column."""

    def __init__(self, file_name: str, row: _Row, headers: dict[str, str]) -> None:
        self._file_name, self._row, self._headers = file_name, row, headers
        self.problems: list[Message] = []

    def problem(self, column: str, problem: Message) -> None:
        self.problems.append(msg("roster_io.cell_problem", "{file} row {row}, column {column}: {problem}.",
                                 file=self._file_name, row=self._row.number, column=self._header(column),
                                 problem=problem))

    def _header(self, column: str) -> str:
        # The header as the file writes it, so the manager finds the column.
        return self._headers.get(column, column)

    def read(self, column: str, what: Message, parse: Callable[[Any], _T]) -> _T | None:
        value = self._row.cells.get(column, "")
        if value == "":
            self.problems.append(msg("roster_io.cell_empty",
                                     "{file} row {row}, column {column}: the cell is empty; give the {what}.",
                                     file=self._file_name, row=self._row.number, column=self._header(column),
                                     what=what))
            return None
        try:
            return parse(value)
        except CellProblem as exc:
            self.problem(column, exc.message)
            return None


def _in_row_order(problems: list[_Problem]) -> list[Message]:
    # File-level problems (row 0) first, then by row; a row's own problems keep their order.
    return [message for _row, message in sorted(problems, key=lambda p: p[0])]


def _preview_row(row: _Row, zone: ZoneInfo, problems: list[Message], warnings: list[Message]) -> PreviewRow:
    def cell(column: str) -> str:
        value = row.cells.get(column, "")
        # A spreadsheet's date-time cell, written as the export writes times.
        return value.strftime(TIME_FORMAT) if isinstance(value, datetime) else value

    return PreviewRow(number=row.number, anchor=cell("anchor"), room=cell("room"), start=cell("start"),
                      end=cell("end"), role=cell("role"), broadcast=cell("broadcast"),
                      problems=tuple(problems), warnings=tuple(warnings))


# --------------------------------------------------------------------------
# Writing files
# --------------------------------------------------------------------------


def _zone(timezone: str | ZoneInfo) -> ZoneInfo:
    return timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)


def _local_text(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime(TIME_FORMAT)


def _export_order(row: ShiftRow) -> tuple[object, ...]:
    return (row.starts_at, row.anchor_code, row.room_code, row.ends_at, row.role.value, str(row.id))


def export_csv(rows: Iterable[ShiftRow], timezone: str | ZoneInfo = DEFAULT_TIMEZONE) -> str:
    """The import's columns: anchor code, room code, local start and end, role, broadcast id."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_export_cells(rows, _zone(timezone)))
    return out.getvalue()


def _export_cells(rows: Iterable[ShiftRow], zone: ZoneInfo) -> Iterator[list[str]]:
    for row in sorted(rows, key=_export_order):
        yield [row.anchor_code, row.room_code, _local_text(row.starts_at, zone), _local_text(row.ends_at, zone),
               row.role.value, str(row.broadcast_id) if row.broadcast_id else ""]


def export_xlsx(rows: Iterable[ShiftRow], timezone: str | ZoneInfo = DEFAULT_TIMEZONE) -> bytes:
    """The CSV export's columns and cells in an Excel workbook; a cell starting with '=' stays text."""
    from console.services.catalog_file import xlsx_bytes  # openpyxl loads only for an Excel export

    return xlsx_bytes(COLUMNS, _export_cells(rows, _zone(timezone)), sheet="roster")


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def ics_fold(line: str, limit: int = 75) -> str:
    """Fold a content line at ``limit`` octets of UTF-8, never inside a character (RFC 5545 3.1)."""
    if len(line.encode()) <= limit:
        return line
    parts, current, size = [], [], 0
    for ch in line:
        width = len(ch.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size = [ch], 1 + width   # a continuation line starts with one space
        else:
            current.append(ch)
            size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _ics_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def export_ics(rows: Iterable[ShiftRow], store: StoreInfo, *, now: datetime | None = None) -> str:
    """An iCalendar file (RFC 5545) with one event per shift, times in UTC, for anchors' phones."""
    stamp = _ics_time(now or datetime.now(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Anchor Console//Roster {__version__}//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(f'{store.name} 排班')}",
    ]
    for row in sorted(rows, key=_export_order):
        role = ROLE_LABELS_ZH[row.role]
        draft = row.status is not ShiftStatus.PUBLISHED
        description = [f"{row.anchor_name}（{row.anchor_code}）", f"{role} · {row.room_name}", store.name]
        if draft:
            description.append("草稿，尚未发布")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{row.id}@anchor-console",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ics_time(row.starts_at)}",
            f"DTEND:{_ics_time(row.ends_at)}",
            # A phone replaces its copy of an event when the sequence grows.
            f"SEQUENCE:{row.row_version}",
            # The calendar shows the summary: the store's roster needs whose shift it is there.
            f"SUMMARY:{ics_escape(f'{row.anchor_name} · {role} · {row.room_name}')}",
            f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
            f"LOCATION:{ics_escape(f'{row.room_name}, {store.name}')}",
            f"STATUS:{'TENTATIVE' if draft else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


def local_midnight(day: date, timezone: str | ZoneInfo) -> datetime:
    """The start of a local day in the store's zone, as UTC."""
    return datetime.combine(day, time(0), _zone(timezone)).astimezone(UTC)


def this_monday(timezone: str | ZoneInfo, now: datetime | None = None) -> date:
    """Monday of the current local week: the default first day of an export."""
    today = (now or datetime.now(UTC)).astimezone(_zone(timezone)).date()
    return today - timedelta(days=today.weekday())
