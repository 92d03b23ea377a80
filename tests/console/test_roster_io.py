"""Roster files: import all-or-nothing through the rules, CSV and iCalendar export, the roster CLI."""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from console.demo import build_demo
from console.domain.enums import Affiliation, AuditVia, Role, ShiftRole, ShiftStatus
from console.domain.errors import PermissionDenied, ValidationError
from console.domain.permissions import Actor
from console.domain.values import ShiftRow, StoreInfo
from console.i18n import Message
from console.services.auth import AuthService
from console.services.roster import RosterService
from console.services.roster_io import (
    ImportRejected,
    RosterFileService,
    decode_csv,
    export_csv,
    export_ics,
    ics_escape,
    ics_fold,
    local_midnight,
)
from console.storage.db import DB_FILENAME, Database, open_database
from console.storage.models import Broadcast

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)      # a Wednesday in Shanghai
DEMO_WEEK = date(2026, 11, 23)                        # its Monday
FUTURE = date(2027, 3, 1)                             # a Monday with nothing planned
HEADER = "anchor,room,start,end,role\n"


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), ZONE).astimezone(UTC)


# --- stores -------------------------------------------------------------------------


@dataclass
class Store:
    folder: Path
    db: Database
    actor: Actor
    roster: RosterService
    files: RosterFileService

    def count(self, table: str) -> int:
        with sqlite3.connect(self.folder / DB_FILENAME) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def counts(self) -> tuple[int, int, int]:
        return self.count("shift"), self.count("outbox"), self.count("audit_log")

    def anchor_id(self, code: str) -> UUID:
        return next(a.id for a in self.roster.anchors(include_inactive=True) if a.code == code)

    def room_id(self, code: str) -> UUID:
        return next(r.id for r in self.roster.rooms() if r.code == code)


@contextmanager
def opened(folder: Path, via: AuditVia = AuditVia.CLI) -> Iterator[Store]:
    db = open_database(folder, create=False)
    try:
        actor = AuthService(db).actor_for_login(None, via=via)
        roster = RosterService(db, actor)
        yield Store(folder, db, actor, roster, RosterFileService(db, actor, roster))
    finally:
        db.close()


def new_store(folder: Path, code: str = "SH01") -> None:
    db = open_database(folder)
    try:
        AuthService(db).create_store(code=code, name=f"测试百货{code}", manager_name="王经理",
                                     manager_login="manager", pin="2468")
    finally:
        db.close()


def add_broadcast(store: Store, *, room: str, title: str, day: date, brand: str = "",
                  broadcast_id: UUID | None = None) -> UUID:
    # Broadcasts have no planning service yet; a session writes the row the way one would.
    with store.db.begin() as s:
        row = Broadcast(store_id=store.actor.store_id, room_id=store.room_id(room), title=title,
                        planned_start=local(day, 10), planned_end=local(day, 12), brand=brand)
        if broadcast_id is not None:
            row.id = broadcast_id
        s.add(row)
        s.flush()
        return row.id


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small store built through the services: three anchors, two rooms, one broadcast."""
    path = tmp_path / "store"
    new_store(path)
    with opened(path, AuditVia.GUI) as store:
        r = store.roster
        r.add_anchor(code="A001", name="王芳", affiliation=Affiliation.STAFF)
        r.add_anchor(code="A002", name="李娜", affiliation=Affiliation.STAFF)
        r.add_anchor(code="A003", name="张伟", affiliation=Affiliation.GUEST,
                     certification_expires=date(2026, 1, 1))
        r.add_room(code="R01", name="1号直播间")
        r.add_room(code="R02", name="2号直播间")
        add_broadcast(store, room="R01", title="周一美妆专场", day=FUTURE)
    return path


@pytest.fixture
def store(folder: Path) -> Iterator[Store]:
    with opened(folder) as opened_store:
        yield opened_store


def write(tmp_path: Path, text: str, name: str = "f.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rejected(store: Store, path: Path) -> tuple[str, ...]:
    """The problems of a refused import, in English."""
    before = store.counts()
    with pytest.raises(ImportRejected) as caught:
        store.files.import_file(path)
    assert store.counts() == before, "a rejected import wrote something"
    assert str(caught.value).startswith(f"Nothing was imported from {path.name}")
    assert all(isinstance(p, Message) for p in caught.value.problems)
    return tuple(str(p) for p in caught.value.problems)


# --- importing ------------------------------------------------------------------------


def test_import_adds_drafts_at_local_times(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "李娜,2号直播间,2027-03-01 10:00,2027-03-01 11:30,co_host\n")

    result = store.files.import_file(path)

    assert str(result.summary()) == "imported 2 shifts (0 with warnings) from f.csv"
    rows = store.roster.shifts_between(local(FUTURE, 0), local(FUTURE, 23))
    assert [(r.anchor_code, r.room_code, r.starts_at, r.ends_at, r.role, r.status) for r in rows] == [
        ("A001", "R01", local(FUTURE, 10), local(FUTURE, 12), ShiftRole.HOST, ShiftStatus.DRAFT),
        ("A002", "R02", local(FUTURE, 10), local(FUTURE, 11, 30), ShiftRole.CO_HOST, ShiftStatus.DRAFT),
    ]
    assert rows[0].starts_at == datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


def test_import_accepts_chinese_headers_roles_and_broadcast_by_title(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "主播,直播间,开始,结束,角色,直播场次,备注\n"
                           "王芳,R01,2027-03-01 10:00,2027-03-01 12:00,主播,周一美妆专场,第一场\n"
                           "A002,R01,2027/3/1 10:00,2027/3/1 12:00,场控,,\n")

    assert store.files.import_file(path).imported == 2

    rows = store.roster.shifts_between(local(FUTURE, 0), local(FUTURE, 23))
    assert {r.role for r in rows} == {ShiftRole.HOST, ShiftRole.ROOM_CONTROLLER}
    show = next(r for r in rows if r.role is ShiftRole.HOST).broadcast_id
    assert show is not None and next(r for r in rows if r.broadcast_id is None).anchor_code == "A002"


def test_one_bad_row_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "A002,R02,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "A002,R02,2027-03-02 10:00,2027-03-02 09:00,host\n"
                                    "A001,R01,2027-03-02 10:00,2027-03-02 12:00,host\n")

    problems = rejected(store, path)

    assert problems == (("f.csv row 4, column end: the shift ends before it starts "
                         "(2027-03-02 09:00 is not after 2027-03-02 10:00)."),)


@pytest.mark.parametrize(("rows", "expected"), [
    pytest.param("A001,R01,2027-03-01 12:00,2027-03-01 10:00,host",
                  "f.csv row 2, column end: the shift ends before it starts", id="end-before-start"),
    pytest.param("A001,R01,2027-03-01 12:00,2027-03-01 12:00,host",
                  "f.csv row 2, column end: the shift ends when it starts", id="end-equals-start"),
    pytest.param("Nobody,R01,2027-03-01 10:00,2027-03-01 12:00,host",
                  "f.csv row 2, column anchor: no anchor with the code or name 'Nobody' in this store",
                  id="unknown-anchor"),
    pytest.param("A001,R99,2027-03-01 10:00,2027-03-01 12:00,host",
                  "f.csv row 2, column room: no room with the code or name 'R99' in this store",
                  id="unknown-room"),
    pytest.param("A001,R01,01/03/2027 10:00,2027-03-01 12:00,host",
                  "f.csv row 2, column start: '01/03/2027 10:00' is not a time; write it as YYYY-MM-DD HH:MM",
                  id="bad-start"),
    pytest.param("A001,R01,2027-03-01 10:00,2027-03-01 25:00,host",
                  "f.csv row 2, column end: '2027-03-01 25:00' is not a time", id="bad-end"),
    pytest.param("A001,R01,2027-03-01 10:00,2027-03-01 12:00,boss",
                  "f.csv row 2, column role: unknown role 'boss'; use host, co_host or room_controller",
                  id="unknown-role"),
    pytest.param("A001,,2027-03-01 10:00,2027-03-01 12:00,host",
                  "f.csv row 2, column room: the cell is empty", id="empty-cell"),
    pytest.param("A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                 "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host",
                  "f.csv row 3: repeats row 2 (same anchor, room, start and end)", id="duplicate"),
])
def test_bad_rows_name_file_row_and_column(store: Store, tmp_path: Path, rows: str, expected: str) -> None:
    problems = rejected(store, write(tmp_path, HEADER + rows + "\n"))

    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_unknown_and_ambiguous_broadcast(store: Store, tmp_path: Path) -> None:
    add_broadcast(store, room="R02", title="周一美妆专场", day=FUTURE)   # now two shows share the title
    path = write(tmp_path, "anchor,room,start,end,role,broadcast\n"
                           "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host,周一美妆专场\n"
                           "A001,R01,2027-03-02 10:00,2027-03-02 12:00,host,01a2129b-acfe-7567-b554-1dc9164514df\n")

    problems = rejected(store, path)

    assert problems == (
        "f.csv row 2, column broadcast: 2 broadcasts are called '周一美妆专场'; use the broadcast's id.",
        ("f.csv row 3, column broadcast: no broadcast with the id 01a2129b-acfe-7567-b554-1dc9164514df "
         "in this store."),
    )


def test_missing_columns_are_named(store: Store, tmp_path: Path) -> None:
    problems = rejected(store, write(tmp_path, "anchor,room,start\nA001,R01,2027-03-01 10:00\n"))

    assert problems == ("f.csv: the column 'end' is missing from the header row (row 1).",
                        "f.csv: the column 'role' is missing from the header row (row 1).")


def test_every_problem_is_listed_in_row_order(store: Store, tmp_path: Path) -> None:
    # A row that does not read and rows the rules refuse: all reported in one go.
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "A001,R02,2027-03-01 11:00,2027-03-01 12:00,co_host\n"
                                    "A002,R01,tomorrow,2027-03-01 12:00,host\n"
                                    "A003,R02,2027-03-02 10:00,2027-03-02 12:00,host\n")

    problems = rejected(store, path)

    assert [p.split(":", 1)[0] for p in problems] == [
        "f.csv row 3", "f.csv row 4, column start", "f.csv row 5"]
    assert "王芳 is already on shift in 1号直播间" in problems[0]
    assert "张伟's certification expired on " in problems[2]


def test_blocked_within_the_file_imports_nothing(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "A002,R02,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "A001,R02,2027-03-01 11:00,2027-03-01 13:00,co_host\n")

    problems = rejected(store, path)

    # The rule's own sentence (and how it writes the day) is the rules' business; the row is ours.
    assert len(problems) == 1
    assert problems[0].startswith("f.csv row 4: 王芳 is already on shift in 1号直播间 from 10:00 to 12:00 on ")


def test_blocked_against_the_saved_roster_imports_nothing(store: Store, tmp_path: Path) -> None:
    store.roster.add_shift(anchor_id=store.anchor_id("A002"), room_id=store.room_id("R02"),
                           role=ShiftRole.HOST, starts_at=local(FUTURE, 10), ends_at=local(FUTURE, 12))
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "A001,R02,2027-03-01 14:00,2027-03-01 15:00,host\n"
                                    "A002,R01,2027-03-01 11:00,2027-03-01 13:00,co_host\n")

    problems = rejected(store, path)

    assert len(problems) == 1
    assert problems[0].startswith("f.csv row 4: 李娜 is already on shift in 2号直播间 from 10:00 to 12:00 on ")


def test_warnings_are_overridden_with_the_file_name_and_listed(store: Store, tmp_path: Path) -> None:
    # Three hours on camera without a break is a warning, not a block.
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 13:00,host\n"
                                    "A002,R02,2027-03-01 10:00,2027-03-01 12:00,host\n", name="周计划.csv")

    result = store.files.import_file(path)

    assert (result.imported, result.with_warnings) == (2, 1)
    assert str(result.summary()) == "imported 2 shifts (1 with warnings) from 周计划.csv"
    assert len(result.warnings) == 1
    assert str(result.warnings[0]).startswith("周计划.csv row 2: 王芳 would be on air 180")
    warned = next(r for r in store.roster.shifts_between(local(FUTURE, 0), local(FUTURE, 23))
                  if r.anchor_code == "A001")
    assert warned.override_reason == "imported from 周计划.csv"


def test_import_is_audited_through_the_actor(store: Store, tmp_path: Path) -> None:
    store.files.import_file(write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"))

    with sqlite3.connect(store.folder / DB_FILENAME) as conn:
        rows = conn.execute("SELECT via, detail FROM audit_log WHERE action = 'roster_imported'").fetchall()
    assert rows == [("cli", '{"count":1}')]


def test_an_anchor_may_not_import(folder: Path, tmp_path: Path) -> None:
    with opened(folder) as store:
        anchor = Actor(store_id=store.actor.store_id, role=Role.ANCHOR, via=AuditVia.GUI)
        files = RosterFileService(store.db, anchor)
        with pytest.raises(PermissionDenied):
            files.import_file(write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"))
        assert store.count("shift") == 0


# --- encodings and Excel ------------------------------------------------------------------


CHINESE_FILE = ("主播,直播间,开始,结束,角色\n"
                "王芳,1号直播间,2027-03-01 10:00,2027-03-01 12:00,主播\n"
                "李娜,1号直播间,2027-03-01 10:00,2027-03-01 12:00,副播\n")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_or_with_a_bom_imports(store: Store, tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, CHINESE_FILE, encoding=encoding)
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    assert store.files.import_file(path).imported == 2

    names = sorted(r.anchor_name for r in store.roster.shifts_between(local(FUTURE, 0), local(FUTURE, 23)))
    assert names == ["李娜", "王芳"]


def test_undecodable_csv_is_refused_with_the_reason(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(HEADER.encode() + b"A001,R01,\x80\xff,2027-03-01 12:00,host\n")

    with pytest.raises(ValidationError, match="f.csv is neither UTF-8 nor GBK/GB18030 text"):
        store.files.import_file(path)
    with pytest.raises(ValidationError, match="UTF-16"):
        decode_csv(CHINESE_FILE.encode("utf-16"), "u.csv")


def test_xlsx_with_datetime_cells_imports(store: Store, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["主播", "直播间", "开始", "结束", "角色", "直播场次"])
    sheet.append(["A001", "R01", datetime(2027, 3, 1, 10, 0), datetime(2027, 3, 1, 12, 0), "host", "周一美妆专场"])
    sheet.append([])                                          # a blank line keeps its row number
    sheet.append(["李娜", "R02", "2027-03-01 10:00", "2027-03-01 11:00", "co_host", None])
    path = tmp_path / "排班.xlsx"
    workbook.save(path)

    result = store.files.import_file(path)

    assert str(result.summary()) == "imported 2 shifts (0 with warnings) from 排班.xlsx"
    rows = store.roster.shifts_between(local(FUTURE, 0), local(FUTURE, 23))
    assert [(r.anchor_code, r.starts_at, r.broadcast_id is not None) for r in rows] == [
        ("A001", local(FUTURE, 10), True), ("A002", local(FUTURE, 10), False)]


def test_xlsx_problems_name_the_row_as_excel_shows_it(store: Store, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["anchor", "room", "start", "end", "role"])
    sheet.append(["A001", "R01", datetime(2027, 3, 1, 10, 0), datetime(2027, 3, 1, 12, 0), "host"])
    sheet.append([None, None, None, None, None])
    sheet.append(["A001", "R01", 46000, datetime(2027, 3, 1, 12, 0), "host"])
    path = tmp_path / "w.xlsx"
    workbook.save(path)

    assert rejected(store, path) == (
        ("w.xlsx row 4, column start: '46000' is not a time; write it as YYYY-MM-DD HH:MM "
         "(for example 2026-11-25 19:30)."),)


def test_unreadable_files_are_refused_in_one_sentence(store: Store, tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(ValidationError, match=r"^fake.xlsx is not a readable Excel workbook \(.xlsx\).$"):
        store.files.import_file(fake)
    with pytest.raises(ValidationError, match="neither a CSV"):
        store.files.import_file(write(tmp_path, "x", name="f.json"))
    with pytest.raises(ValidationError, match="does not exist"):
        store.files.import_file(tmp_path / "missing.csv")
    with pytest.raises(ImportRejected):
        store.files.import_file(write(tmp_path, "", name="empty.csv"))


# --- exporting --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "store"
    build_demo(folder, scale="small", seed=7, now=NOW)
    return folder


def copy_people(source: Store, target_folder: Path, broadcast_ids: set[UUID]) -> None:
    """A store with the source's anchors, rooms and shows (same codes, ids for shows) and no shifts."""
    new_store(target_folder, "JH09")
    with opened(target_folder, AuditVia.GUI) as target:
        for a in source.roster.anchors(include_inactive=True):
            target.roster.add_anchor(
                code=a.code, name=a.name, affiliation=a.affiliation, employer_brand=a.employer_brand,
                trained_brands=a.trained_brands, trained_categories=a.trained_categories,
                certification_expires=a.certification_expires, weekly_hours_cap=a.weekly_hours_cap)
        for r in source.roster.rooms():
            target.roster.add_room(code=r.code, name=r.name, platforms=r.platforms, opens_at=r.opens_at,
                                   closes_at=r.closes_at)
        room_codes = {r.id: r.code for r in source.roster.rooms()}
        with source.db.begin() as s:
            shows = [(b.id, b.room_id, b.title, b.brand, b.category, b.planned_start, b.planned_end)
                     for b in s.query(Broadcast).filter(Broadcast.id.in_(broadcast_ids))]
        with target.db.begin() as s:
            for bid, room_id, title, brand, category, starts, ends in shows:
                s.add(Broadcast(id=bid, store_id=target.actor.store_id, room_id=target.room_id(room_codes[room_id]),
                                title=title, brand=brand, category=category, planned_start=starts,
                                planned_end=ends))


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # In English, whatever the machine's locale (tests/console/test_cli_language.py covers Chinese).
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")} | {"LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "console", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, check=False, env=env)


def test_round_trip_export_import_export_is_byte_identical(demo: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.csv"
    exported = run_cli("roster", "export", "--data-dir", str(demo), "--from", str(DEMO_WEEK),
                       "--format", "csv", "--output", str(first), cwd=tmp_path)
    assert (exported.returncode, exported.stderr) == (0, "")
    rows = list(csv.reader(io.StringIO(first.read_bytes().decode("utf-8-sig"))))
    assert rows[0] == ["anchor", "room", "start", "end", "role", "broadcast"] and len(rows) > 50
    with opened(demo) as source:
        copy_people(source, tmp_path / "second", {UUID(r[5]) for r in rows[1:] if r[5]})

    imported = run_cli("--data-dir", str(tmp_path / "second"), "roster", "import", str(first), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines()[-1].startswith(f"imported {len(rows) - 1} shifts (")
    second = tmp_path / "second.csv"
    again = run_cli("roster", "export", "--from", str(DEMO_WEEK), "--format", "csv", "--output", str(second),
                    "--data-dir", str(tmp_path / "second"), cwd=tmp_path)

    assert again.returncode == 0
    assert second.read_bytes() == first.read_bytes()


def test_export_csv_has_the_import_columns_in_local_time(store: Store, tmp_path: Path) -> None:
    bid = add_broadcast(store, room="R02", title="家电节", day=FUTURE + timedelta(days=1))
    store.roster.add_shift(anchor_id=store.anchor_id("A002"), room_id=store.room_id("R02"), role=ShiftRole.HOST,
                           starts_at=local(FUTURE, 11), ends_at=local(FUTURE, 12), broadcast_id=bid)
    store.roster.add_shift(anchor_id=store.anchor_id("A001"), room_id=store.room_id("R01"),
                           role=ShiftRole.ROOM_CONTROLLER, starts_at=local(FUTURE, 11), ends_at=local(FUTURE, 13))

    text = store.files.export(local_midnight(FUTURE, ZONE), local_midnight(FUTURE + timedelta(days=7), ZONE), "csv")

    assert text == ("anchor,room,start,end,role,broadcast\r\n"
                    "A001,R01,2027-03-01 11:00,2027-03-01 13:00,room_controller,\r\n"
                    f"A002,R02,2027-03-01 11:00,2027-03-01 12:00,host,{bid}\r\n")


def shift_row(**changes: object) -> ShiftRow:
    values: dict[str, object] = {
        "id": UUID("01a2129b-acff-70b4-ba5a-e6d76aae246c"), "anchor_id": UUID(int=1), "anchor_name": "王芳",
        "room_id": UUID(int=2), "room_name": "1号直播间", "role": ShiftRole.HOST, "starts_at": local(FUTURE, 10),
        "ends_at": local(FUTURE, 12), "status": ShiftStatus.PUBLISHED, "broadcast_id": None, "row_version": 3,
        "anchor_code": "A001", "room_code": "R01"}
    values.update(changes)
    return ShiftRow(**values)  # type: ignore[arg-type]


STORE = StoreInfo(id=UUID(int=9), code="JH01", name="锦华百货杭州武林店", group_name="锦华", city="杭州",
                  timezone="Asia/Shanghai")


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_ics_is_rfc5545_shaped() -> None:
    rows = [
        shift_row(),
        shift_row(id=UUID(int=5), role=ShiftRole.CO_HOST, status=ShiftStatus.DRAFT, anchor_name="欧阳" + "雨" * 40,
                  room_name="2号直播间, 美妆; 特卖\\夜场", starts_at=local(FUTURE, 20), ends_at=local(FUTURE, 22)),
    ]

    text = export_ics(rows, STORE, now=NOW)

    raw = text.encode()
    assert raw.count(b"\r\n") == raw.count(b"\n"), "every line ends in CRLF"
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert any(line.startswith(" ") for line in text.split("\r\n")), "the long description is folded"
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2
    assert "UID:01a2129b-acff-70b4-ba5a-e6d76aae246c@anchor-console" in lines
    assert "DTSTART:20270301T020000Z" in lines and "DTEND:20270301T040000Z" in lines
    assert "DTSTAMP:20261125T030000Z" in lines
    for line in lines:
        if line.startswith(("DTSTART", "DTEND", "DTSTAMP")):
            assert re.fullmatch(r"DT(START|END|STAMP):\d{8}T\d{6}Z", line), line
    assert "SUMMARY:王芳 · 主播 · 1号直播间" in lines
    assert "SUMMARY:欧阳" + "雨" * 40 + " · 副播 · 2号直播间\\, 美妆\\; 特卖\\\\夜场" in lines
    description = next(line for line in lines if line.startswith("DESCRIPTION:欧阳"))
    assert description.startswith("DESCRIPTION:欧阳" + "雨" * 40 + "（A001）\\n副播 · ")
    assert "STATUS:TENTATIVE" in lines and "STATUS:CONFIRMED" in lines and "SEQUENCE:3" in lines


def test_ics_export_of_a_store_has_one_event_per_shift(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.ics"
    result = run_cli("roster", "export", "--format", "ics", "--from", str(DEMO_WEEK), "--to",
                     str(DEMO_WEEK + timedelta(days=7)), "--output", str(out), "--data-dir", str(demo), cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")

    with opened(demo) as store:
        expected = store.files.shifts_for_export(local(DEMO_WEEK, 0), local(DEMO_WEEK + timedelta(days=7), 0))
    text = out.read_bytes().decode("utf-8")
    assert not text.startswith("\ufeff")
    assert unfold(text).count("BEGIN:VEVENT") == len(expected) > 0
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@pytest.mark.parametrize("line", ["", "a" * 75, "a" * 76, "主" * 60, "ab" + "主" * 40, "x" + "😀" * 30])
def test_folding_splits_whole_characters_within_75_octets(line: str) -> None:
    folded = ics_fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_text_escaping() -> None:
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_export_csv_sorts_by_start_then_anchor() -> None:
    rows = [shift_row(id=UUID(int=3), anchor_code="A002", starts_at=local(FUTURE, 9)),
            shift_row(id=UUID(int=4), anchor_code="A001", starts_at=local(FUTURE, 11)),
            shift_row(id=UUID(int=5), anchor_code="A001", starts_at=local(FUTURE, 9))]
    lines = export_csv(rows, "Asia/Shanghai").splitlines()
    assert [line.split(",")[:3] for line in lines[1:]] == [
        ["A001", "R01", "2027-03-01 09:00"], ["A002", "R01", "2027-03-01 09:00"], ["A001", "R01", "2027-03-01 11:00"]]


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_cli_import_prints_a_summary(folder: Path, tmp_path: Path, where: str) -> None:
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 13:00,host\n"
                                    "A002,R02,2027-03-01 10:00,2027-03-01 12:00,host\n")
    args = (["--data-dir", str(folder), "roster", "import", str(path)] if where == "before"
            else ["roster", "import", "--data-dir", str(folder), str(path)])

    result = run_cli(*args, cwd=tmp_path)

    assert (result.returncode, result.stderr) == (0, "")
    out = result.stdout.splitlines()
    assert out[-1] == "imported 2 shifts (1 with warnings) from f.csv"
    assert out[0].startswith("warning: f.csv row 2: 王芳 would be on air 180 minutes")


def test_cli_rejected_import_lists_each_problem_on_its_own_line(folder: Path, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "Nobody,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "A002,R01,2027-03-01 10:00,soon,host\n")

    result = run_cli("roster", "import", str(path), "--data-dir", str(folder), cwd=tmp_path)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "anchor-console: f.csv row 3, column anchor: no anchor with the code or name 'Nobody' in this store.",
        ("anchor-console: f.csv row 4, column end: 'soon' is not a time; write it as YYYY-MM-DD HH:MM "
         "(for example 2026-11-25 19:30)."),
        "anchor-console: Nothing was imported from f.csv: 2 problems to fix first.",
    ]
    with opened(folder) as store:
        assert store.count("shift") == 0


def test_cli_errors_are_one_sentence_without_traceback(folder: Path, tmp_path: Path) -> None:
    missing = run_cli("roster", "import", str(tmp_path / "nope.csv"), "--data-dir", str(folder), cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr == f"anchor-console: {tmp_path / 'nope.csv'} does not exist.\n"

    no_store = run_cli("roster", "export", "--format", "csv", "--data-dir", str(tmp_path / "empty"), cwd=tmp_path)
    assert no_store.returncode == 1 and len(no_store.stderr.splitlines()) == 1
    assert "Traceback" not in no_store.stderr

    bad_date = run_cli("roster", "export", "--format", "csv", "--from", "3/1", "--data-dir", str(folder),
                       cwd=tmp_path)
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr

    backwards = run_cli("roster", "export", "--format", "csv", "--from", "2027-03-08", "--to", "2027-03-01",
                        "--data-dir", str(folder), cwd=tmp_path)
    assert (backwards.returncode, backwards.stderr) == (
        1, "anchor-console: --to 2027-03-01 is before --from 2027-03-08.\n")


@pytest.mark.parametrize("where", ["before", "after"])
def test_cli_export_to_stdout_and_to_a_file(folder: Path, tmp_path: Path, where: str) -> None:
    with opened(folder) as store:
        store.roster.add_shift(anchor_id=store.anchor_id("A001"), room_id=store.room_id("R01"), role=ShiftRole.HOST,
                               starts_at=local(FUTURE, 10), ends_at=local(FUTURE, 12))
    export = ["roster", "export", "--from", "2027-03-01", "--format", "csv"]
    data_dir = ["--data-dir", str(folder)]

    stdout = run_cli(*(data_dir + export if where == "before" else export + data_dir), cwd=tmp_path)
    out = tmp_path / "out" / "week.csv"
    out.parent.mkdir()
    to_file = run_cli(*export, "--output", str(out), *data_dir, cwd=tmp_path)

    expected = HEADER.replace("role\n", "role,broadcast\r\n") + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host,\r\n"
    assert (stdout.returncode, stdout.stderr, stdout.stdout) == (0, "", expected.replace("\r\n", "\n"))
    assert (to_file.returncode, to_file.stdout, to_file.stderr) == (0, "", "")
    assert out.read_bytes() == b"\xef\xbb\xbf" + expected.encode()
    assert [p.name for p in out.parent.iterdir()] == ["week.csv"], "no temporary file left behind"


def test_cli_output_failure_leaves_nothing_behind(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "week.ics"

    result = run_cli("roster", "export", "--format", "ics", "--output", str(target), "--data-dir", str(folder),
                     cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr.startswith(f"anchor-console: Cannot write {target}:")
    assert not target.parent.exists()


def test_cli_existing_output_is_replaced_whole(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.csv"
    out.write_text("old content that is longer than the new export " * 20)

    result = run_cli("roster", "export", "--format", "csv", "--output", str(out), "--data-dir", str(folder),
                     cwd=tmp_path)

    assert result.returncode == 0
    assert out.read_bytes() == b"\xef\xbb\xbfanchor,room,start,end,role,broadcast\r\n"


def test_the_default_week_starts_this_monday(folder: Path) -> None:
    from console.services.roster_io import this_monday

    assert this_monday("Asia/Shanghai", NOW) == DEMO_WEEK
    # 23:30 UTC on Sunday is already Monday in Shanghai.
    assert this_monday("Asia/Shanghai", datetime(2026, 11, 29, 23, 30, tzinfo=UTC)) == date(2026, 11, 30)
