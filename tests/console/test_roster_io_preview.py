"""Roster files before the import: the preview's rows and problems, a reason asked for, the Excel export."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from console.domain.enums import Affiliation, ShiftRole
from console.domain.errors import OverrideNeeded
from console.services.roster_io import ImportRejected
from tests.console.test_roster_io import (  # noqa: F401  (the fixtures)
    FUTURE,
    HEADER,
    Store,
    folder,
    local,
    opened,
    run_cli,
    store,
    write,
)


def test_the_preview_lists_every_row_with_the_imports_own_problems_and_writes_nothing(
        store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host\n"
                                    "A001,R02,2027-03-01 11:00,2027-03-01 12:00,co_host\n"
                                    "\n"
                                    "A002,R01,tomorrow,2027-03-01 12:00,host\n"
                                    "A003,R02,2027-03-02 10:00,2027-03-02 12:00,主播\n")
    before = store.counts()

    preview = store.files.preview(path)

    assert store.counts() == before
    assert [(r.number, r.anchor, r.room, r.start, r.role) for r in preview.rows] == [
        (2, "A001", "R01", "2027-03-01 10:00", "host"),
        (3, "A001", "R02", "2027-03-01 11:00", "co_host"),
        (5, "A002", "R01", "tomorrow", "host"),
        (6, "A003", "R02", "2027-03-02 10:00", "主播"),
    ]
    assert (preview.with_problems, preview.ok, preview.file_problems) == (3, False, ())
    assert preview.rows[0].problems == ()
    # Word for word what the import refuses the file with, each on its row.
    with pytest.raises(ImportRejected) as caught:
        store.files.import_file(path)
    assert [p for r in preview.rows for p in r.problems] == list(caught.value.problems)
    assert str(preview.rows[2].problems[0]).startswith("f.csv row 5, column start: 'tomorrow' is not a time")
    assert store.counts() == before


def test_a_good_files_preview_shows_its_warnings_and_the_window_is_asked_for_a_reason(
        store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "A001,R01,2027-03-01 10:00,2027-03-01 13:00,host\n"
                                    "A002,R02,2027-03-01 10:00,2027-03-01 12:00,host\n", name="周计划.csv")

    preview = store.files.preview(path)

    assert (preview.ok, preview.with_problems, preview.with_warnings) == (True, 0, 1)
    assert str(preview.rows[0].warnings[0]).startswith("周计划.csv row 2: 王芳 would be on air 180")
    before = store.counts()
    with pytest.raises(OverrideNeeded) as asked:
        store.files.import_file(path, reason_needed=True)
    assert list(asked.value.warnings) == list(preview.rows[0].warnings)
    assert store.counts() == before

    result = store.files.import_file(path, reason_needed=True, override_reason="a long launch show")

    assert (result.imported, result.with_warnings) == (2, 1)
    warned = next(r for r in store.roster.shifts_between(local(FUTURE, 0), local(FUTURE, 23))
                  if r.anchor_code == "A001")
    assert warned.override_reason == "a long launch show"


@pytest.mark.parametrize(("name", "content", "expected"), [
    pytest.param("week.xlsx", b"not a zip at all", "week.xlsx is not a readable Excel workbook (.xlsx).",
                 id="garbage-xlsx"),
    pytest.param("week.pdf", b"%PDF-1.4", "week.pdf is neither a CSV (.csv) nor an Excel (.xlsx) file.",
                 id="not-a-roster"),
    pytest.param("week.csv", "名字,电话\n王芳,123\n".encode(),
                 "week.csv: the column 'anchor' is missing from the header row (row 1).", id="wrong-header"),
])
def test_a_file_that_cannot_be_read_is_a_preview_with_its_problem_and_no_rows(
        store: Store, tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    preview = store.files.preview(path)

    assert preview.rows == () and not preview.ok
    assert str(preview.file_problems[0]) == expected


def test_the_excel_export_has_the_csv_exports_cells_and_imports_back(store: Store, tmp_path: Path) -> None:
    for day, code in ((0, "A001"), (1, "A002")):
        store.roster.add_shift(anchor_id=store.anchor_id(code), room_id=store.room_id("R01"), role=ShiftRole.HOST,
                               starts_at=local(FUTURE + timedelta(days=day), 10),
                               ends_at=local(FUTURE + timedelta(days=day), 12))
    start, end = local(FUTURE, 0), local(FUTURE + timedelta(days=7), 0)

    data = store.files.export_bytes(start, end, "xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    csv_rows = [line.split(",") for line in store.files.export(start, end, "csv").splitlines()]
    assert rows == csv_rows and len(rows) == 3
    assert store.files.export_bytes(start, end, "xlsx") == data, "the same shifts, the same bytes"
    out = tmp_path / "week.xlsx"
    assert store.files.export_to(out, start, end, "xlsx") == 2
    assert out.read_bytes() == data
    # Into a fresh week: every row reads, and only the rules (the same shifts already there) refuse.
    assert all(not r.problems or "already" in str(r.problems[0]) for r in store.files.preview(out).rows)


def test_a_cell_starting_with_an_equals_sign_stays_text_in_excel(store: Store) -> None:
    from console.services.roster_io import export_xlsx

    store.roster.add_anchor(code="=SUM(A1)", name="公式", affiliation=Affiliation.STAFF)
    store.roster.add_shift(anchor_id=store.anchor_id("=SUM(A1)"), room_id=store.room_id("R01"), role=ShiftRole.HOST,
                           starts_at=local(FUTURE, 10), ends_at=local(FUTURE, 12))
    rows = store.roster.shifts_between(local(FUTURE, 0), local(FUTURE, 23))

    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(rows))).worksheets[0]

    assert sheet["A2"].value == "=SUM(A1)" and sheet["A2"].data_type == "s"


def test_cli_exports_excel_to_a_file_and_refuses_it_without_one(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.xlsx"
    data_dir = ["--data-dir", str(folder)]

    to_file = run_cli("roster", "export", "--from", "2027-03-01", "--format", "xlsx", "--output", str(out),
                      *data_dir, cwd=tmp_path)
    to_stdout = run_cli("roster", "export", "--format", "xlsx", *data_dir, cwd=tmp_path)

    assert (to_file.returncode, to_file.stderr) == (0, "")
    assert next(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True)) == (
        "anchor", "room", "start", "end", "role", "broadcast")
    assert (to_stdout.returncode, to_stdout.stdout) == (1, "")
    assert to_stdout.stderr == "anchor-console: An Excel file needs a file to go to; name one with --output.\n"
