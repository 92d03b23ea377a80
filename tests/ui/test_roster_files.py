"""Roster files from the roster screen: a preview of every row, an all-or-nothing import, exports read back.

The real roster page on a demo copy; the file choosers are the page's hooks
(no native file dialog), the dialogs are driven through their widgets.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from console.domain.values import ShiftRow
from tests.ui.conftest import in_loop, run, wait_until
from tests.ui.test_roster_view import page, switch_language  # noqa: F401  (the fixture)
from ui.views.roster import RosterPage
from ui.views.roster_files import PROBLEM_BACKGROUND, RosterExportDialog, RosterImportDialog

HEADER = "anchor,room,start,end,role\n"
AHEAD = timedelta(weeks=10)      # a week the demo leaves empty


def later_rows(page: RosterPage, count: int) -> list[str]:
    """CSV rows for ``count`` of the shown week's shifts, each ten weeks later (the rules allow them now)."""
    rows, anchors = [], set()
    for s in sorted(page.model.all_shifts(), key=lambda s: s.starts_at):
        if s.anchor_id in anchors:
            continue
        anchors.add(s.anchor_id)
        starts, ends = (s.starts_at + AHEAD).astimezone(page.zone), (s.ends_at + AHEAD).astimezone(page.zone)
        rows.append(f"{s.anchor_code},{s.room_code},{starts:%Y-%m-%d %H:%M},{ends:%Y-%m-%d %H:%M},{s.role.value}")
        if len(rows) == count:
            return rows
    pytest.fail("the demo week has too few anchors on shift")


def go_ahead(qloop, page: RosterPage) -> None:  # type: ignore[no-untyped-def]
    run(qloop, page._go_to(page.week_start + AHEAD, None))


def shifts_ahead(qloop, page: RosterPage) -> list[ShiftRow]:  # type: ignore[no-untyped-def]
    """The shifts of the week shown, as the database has them."""
    start = page.week_start
    return run(qloop, page.call(page.roster.shifts_between, start, start + timedelta(days=7)))


def open_import(qloop, page: RosterPage, path: Path) -> RosterImportDialog:  # type: ignore[no-untyped-def]
    page.files.import_file_prompt = lambda: str(path)
    in_loop(qloop, page.window_.actions["roster.import"].trigger)
    wait_until(qloop, lambda: isinstance(page.files.open_dialog, RosterImportDialog))
    dialog = page.files.open_dialog
    assert isinstance(dialog, RosterImportDialog)
    return dialog


def close(qloop, page: RosterPage, button: Any) -> None:  # type: ignore[no-untyped-def]
    button.click()
    wait_until(qloop, lambda: page.files.open_dialog is None and not page.ops.busy)


def test_a_refused_row_is_listed_and_nothing_imported_then_a_good_file_imports_onto_the_board(
        page: RosterPage, qloop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = later_rows(page, 2)
    page.reason_prompt = lambda found: "planned ahead"   # should the rules warn
    go_ahead(qloop, page)
    assert shifts_ahead(qloop, page) == []
    first, second = good[0].split(","), good[1]
    backwards = ",".join([*first[:2], first[3], first[2], first[4]])   # ends before it starts
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + second + "\n" + backwards + "\n", encoding="utf-8")

    dialog = open_import(qloop, page, bad)

    assert dialog.table.rowCount() == 2
    assert [dialog.table.item(r, 0).text() for r in range(2)] == ["2", "3"]
    problems = dialog.table.item(1, RosterImportDialog.COLUMNS - 1).text()
    assert problems.startswith("bad.csv row 3, column end: the shift ends before it starts"), problems
    assert dialog.table.item(1, 1).background().color() == PROBLEM_BACKGROUND
    assert not dialog.table.item(0, RosterImportDialog.COLUMNS - 1).text().startswith("bad.csv")
    assert dialog.summary_label.text().startswith("2 rows, 1 with problems.")
    assert not dialog.import_button.isEnabled()
    dialog.on_import()       # even if reached some other way: nothing happens
    close(qloop, page, dialog.cancel_button)
    assert shifts_ahead(qloop, page) == []

    fixed = tmp_path / "week.csv"
    fixed.write_text(HEADER + "\n".join(good) + "\n", encoding="utf-8")
    dialog = open_import(qloop, page, fixed)
    assert dialog.summary_label.text().startswith("2 rows, 0 with problems.")
    assert dialog.import_button.isEnabled()
    close(qloop, page, dialog.import_button)

    saved = shifts_ahead(qloop, page)
    assert sorted(f"{s.anchor_code},{s.room_code}" for s in saved) == sorted(",".join(r.split(",")[:2]) for r in good)
    # The board follows the stream of changes: the imported shifts are on it.
    wait_until(qloop, lambda: {s.id for s in page.model.all_shifts()} == {s.id for s in saved})
    assert "imported 2 shifts" in page.window_.statusBar().currentMessage()


def test_a_file_that_is_not_a_roster_is_named_in_the_dialog_in_the_readers_language(
        console, page: RosterPage, qloop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    garbage = tmp_path / "周计划.xlsx"
    garbage.write_bytes(b"\x00\x01 not a workbook")
    dialog = open_import(qloop, page, garbage)

    assert dialog.problem_label.text() == "• 周计划.xlsx is not a readable Excel workbook (.xlsx)."
    assert dialog.problem_label.isVisibleTo(dialog) and not dialog.table.isVisibleTo(dialog)
    assert dialog.summary_label.text() == "Nothing can be imported from 周计划.xlsx:"
    assert not dialog.import_button.isEnabled()
    close(qloop, page, dialog.cancel_button)

    switch_language(console, qloop, page, "zh_CN")
    dialog = open_import(qloop, page, garbage)
    assert "周计划.xlsx" in dialog.problem_label.text() and "Excel" in dialog.problem_label.text()
    assert "readable" not in dialog.problem_label.text()
    close(qloop, page, dialog.cancel_button)


def test_an_import_the_roster_refuses_after_its_preview_stays_in_the_dialog_and_writes_nothing(
        page: RosterPage, qloop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = later_rows(page, 2)
    go_ahead(qloop, page)
    path = tmp_path / "week.csv"
    path.write_text(HEADER + "\n".join(good) + "\n", encoding="utf-8")
    dialog = open_import(qloop, page, path)
    assert dialog.import_button.isEnabled()
    # Meanwhile someone books the second row's anchor at that very time.
    anchor, room, starts, ends, role = good[1].split(",")
    zone = page.zone
    anchors = {a.code: a.id for a in page.model.anchors}
    rooms = {r.code: r.id for r in page.model.rooms}
    from console.domain.enums import ShiftRole

    run(qloop, page.call(page.roster.add_shift, anchor_id=anchors[anchor], room_id=rooms[room],
                         role=ShiftRole(role),
                         starts_at=datetime.strptime(starts, "%Y-%m-%d %H:%M").replace(tzinfo=zone),
                         ends_at=datetime.strptime(ends, "%Y-%m-%d %H:%M").replace(tzinfo=zone)))
    page.reason_prompt = lambda found: "planned ahead"

    dialog.import_button.click()
    wait_until(qloop, lambda: dialog.problem_label.isVisibleTo(dialog) and not dialog.ops.busy)

    # The anchor is on shift then; when the row hosts, the room is booked too (the demo's rows follow its day).
    shown = dialog.problem_label.text()
    assert re.match(r"Nothing was imported from week\.csv: (1 problem|2 problems) to fix first\.", shown), shown
    assert all(line.startswith("• week.csv row 3:") for line in shown.splitlines()[1:]), shown
    assert "week.csv row 3:" in shown
    assert page.files.open_dialog is dialog
    assert len(shifts_ahead(qloop, page)) == 1          # only the one booked meanwhile
    close(qloop, page, dialog.cancel_button)


def open_export(qloop, page: RosterPage) -> RosterExportDialog:  # type: ignore[no-untyped-def]
    in_loop(qloop, page.window_.actions["roster.export"].trigger)
    wait_until(qloop, lambda: isinstance(page.files.open_dialog, RosterExportDialog))
    dialog = page.files.open_dialog
    assert isinstance(dialog, RosterExportDialog)
    return dialog


def unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_the_shown_week_exports_as_csv_excel_and_icalendar_and_each_reads_back(
        page: RosterPage, qloop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first_day = page.week_start.astimezone(page.zone).date()
    week = [s for s in page.model.all_shifts()
            if page.week_start <= s.starts_at < page.week_start + timedelta(days=7)]
    assert len(week) > 5
    expected = sorted([s.anchor_code, s.room_code, f"{s.starts_at.astimezone(page.zone):%Y-%m-%d %H:%M}",
                       f"{s.ends_at.astimezone(page.zone):%Y-%m-%d %H:%M}", s.role.value,
                       str(s.broadcast_id) if s.broadcast_id else ""] for s in week)
    dialog = open_export(qloop, page)
    assert dialog.week_radio.isChecked() and dialog.days() == (first_day, first_day + timedelta(days=6))
    assert not dialog.export_button.isEnabled()          # no file yet
    written: dict[str, bytes] = {}
    for fmt in ("csv", "xlsx", "ics"):
        dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
        dialog.path_edit.setText(str(tmp_path / f"week.{fmt}"))
        dialog.export_button.click()
        wait_until(qloop, lambda: dialog.result_label.isVisibleTo(dialog) and not dialog.ops.busy)
        assert dialog.written == len(week)
        assert str(tmp_path / f"week.{fmt}") in dialog.result_label.text()
        written[fmt] = (tmp_path / f"week.{fmt}").read_bytes()
        dialog.result_label.hide()
    close(qloop, page, dialog.close_button)

    rows = list(csv.reader(io.StringIO(written["csv"].decode("utf-8-sig"))))
    assert rows[0] == ["anchor", "room", "start", "end", "role", "broadcast"]
    assert sorted(rows[1:]) == expected
    sheet = openpyxl.load_workbook(io.BytesIO(written["xlsx"])).worksheets[0]
    cells = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == rows[0] and sorted(cells[1:]) == expected
    lines = unfold(written["ics"])
    assert lines[0] == "BEGIN:VCALENDAR" and lines.count("BEGIN:VEVENT") == len(week)
    assert {line.removeprefix("UID:").removesuffix("@anchor-console") for line in lines
            if line.startswith("UID:")} == {str(s.id) for s in week}
    starts = sorted(line.removeprefix("DTSTART:") for line in lines if line.startswith("DTSTART:"))
    assert starts == sorted(s.starts_at.strftime("%Y%m%dT%H%M%SZ") for s in week)


def test_chosen_days_export_and_a_file_that_cannot_be_written_is_said_in_the_dialog(
        page: RosterPage, qloop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first_day = page.week_start.astimezone(page.zone).date()
    dialog = open_export(qloop, page)
    page.files.export_file_prompt = lambda suggested: str(tmp_path / suggested)
    dialog.days_radio.setChecked(True)
    dialog.from_edit.setDate(dialog.from_edit.date().addDays(1))
    dialog.to_edit.setDate(dialog.from_edit.date())
    in_loop(qloop, dialog.choose_button.click)
    wait_until(qloop, lambda: bool(dialog.path_edit.text()))
    day = first_day + timedelta(days=1)
    assert dialog.path_edit.text() == str(tmp_path / f"roster-{day}-{day}.csv")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("ics"))
    assert dialog.path_edit.text().endswith(".ics")
    dialog.export_button.click()
    wait_until(qloop, lambda: dialog.written is not None and not dialog.ops.busy)
    midnight = datetime.combine(day, time(), page.zone)
    assert dialog.written == len([s for s in page.model.all_shifts()
                                  if midnight <= s.starts_at < midnight + timedelta(days=1)])

    dialog.to_edit.setDate(dialog.from_edit.date().addDays(-1))
    assert not dialog.export_button.isEnabled() and dialog.export_button.toolTip() == \
        "The last day is before the first."
    dialog.to_edit.setDate(dialog.from_edit.date())
    target = tmp_path / "no-such-folder" / "week.ics"
    dialog.path_edit.setText(str(target))
    dialog.export_button.click()
    wait_until(qloop, lambda: dialog.problem_label.isVisibleTo(dialog) and not dialog.ops.busy)
    assert dialog.problem_label.text().startswith(f"Cannot write {target}:")
    assert not target.parent.exists()
    close(qloop, page, dialog.close_button)
