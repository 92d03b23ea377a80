"""Roster files as a manager first meets them: other separators, a file with no rows, one day, names in calendars."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from console.cli import main
from console.domain.enums import ShiftRole
from console.services.roster_io import csv_delimiter, export_ics
from tests.console.test_roster_io import (  # noqa: F401  (fixtures)
    FUTURE,
    HEADER,
    STORE,
    Store,
    folder,
    local,
    opened,
    rejected,
    run_cli,
    shift_row,
    store,
    unfold,
    write,
)

ROWS = ("A001{s}R01{s}2027-03-01 10:00{s}2027-03-01 12:00{s}host\n"
        "A002{s}R02{s}2027-03-01 10:00{s}2027-03-01 12:00{s}主播\n")


# --- separators ---------------------------------------------------------------------------
@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_semicolon_or_tab_separated_file_imports(store: Store, tmp_path: Path, separator: str) -> None:
    header = separator.join(("主播", "直播间", "开始时间", "结束时间", "角色")) + "\n"
    path = write(tmp_path, header + ROWS.format(s=separator), encoding="gbk")

    result = store.files.import_file(path)

    assert result.imported == 2
    assert store.count("shift") == 2


def test_a_comma_inside_a_column_name_does_not_fool_the_detection(store: Store, tmp_path: Path) -> None:
    # csv.Sniffer would take the comma in "notes, misc" for the separator.
    path = write(tmp_path, "anchor;room;start;end;role;notes, misc\n"
                           "A001;R01;2027-03-01 10:00;2027-03-01 12:00;host;带货, 美妆\n")

    assert store.files.import_file(path).imported == 1


@pytest.mark.parametrize(("header", "expected"), [
    ("anchor,room,start,end,role", ","), ("anchor;room;start;end;role", ";"), ("anchor\troom\tstart", "\t"),
    ("主播；直播间", ","),   # full-width semicolons are no separator: the header problems say what is missing
    ("", ","), ("anchor", ","),
])
def test_the_separator_is_the_one_that_finds_the_column_names(header: str, expected: str) -> None:
    assert csv_delimiter(header + "\nA001;R01\n") == expected


def test_an_unsplit_header_says_what_separates_columns(store: Store, tmp_path: Path) -> None:
    problems = rejected(store, write(tmp_path, "anchor|room|start|end|role\nA001|R01|x|y|host\n"))

    assert problems[0] == ("f.csv row 1 reads as a single column 'anchor|room|start|end|role': separate the "
                           "column names with commas (semicolons and tabs are read too).")
    assert len(problems) == 6   # then the five missing columns, as before


# --- a file without shifts ------------------------------------------------------------------
@pytest.mark.parametrize("body", ["", "\n\n,,,,\n"])
def test_a_header_only_file_is_refused(store: Store, tmp_path: Path, body: str) -> None:
    problems = rejected(store, write(tmp_path, HEADER + body))

    assert problems == ("f.csv has a header row but no shifts below it; add a row for each shift.",)


def test_cli_header_only_file_exits_1_and_says_so(folder: Path, tmp_path: Path) -> None:  # noqa: F811
    path = write(tmp_path, HEADER)

    result = run_cli("roster", "import", str(path), "--data-dir", str(folder), cwd=tmp_path)

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "anchor-console: f.csv has a header row but no shifts below it; add a row for each shift.",
        "anchor-console: Nothing was imported from f.csv: 1 problem to fix first.",
    ]


# --- one day --------------------------------------------------------------------------------
def test_cli_export_from_and_to_the_same_day_exports_that_day(folder: Path, tmp_path: Path) -> None:  # noqa: F811
    with opened(folder) as s:
        for day in (FUTURE - timedelta(days=1), FUTURE, FUTURE + timedelta(days=1)):
            s.roster.add_shift(anchor_id=s.anchor_id("A001"), room_id=s.room_id("R01"), role=ShiftRole.HOST,
                               starts_at=local(day, 10), ends_at=local(day, 12))

    result = run_cli("roster", "export", "--from", str(FUTURE), "--to", str(FUTURE), "--format", "csv",
                     "--data-dir", str(folder), cwd=tmp_path)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == ["anchor,room,start,end,role,broadcast",
                                          "A001,R01,2027-03-01 10:00,2027-03-01 12:00,host,"]


def test_cli_help_says_what_the_same_day_means(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["roster", "export", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "the same day as --from exports that one day" in help_text


# --- iCalendar --------------------------------------------------------------------------------
def test_ics_events_name_the_anchor_in_the_summary() -> None:
    lines = unfold(export_ics([shift_row(anchor_name="王芳")], STORE))

    summary = next(line for line in lines if line.startswith("SUMMARY:"))
    assert summary == "SUMMARY:王芳 · 主播 · 1号直播间"
