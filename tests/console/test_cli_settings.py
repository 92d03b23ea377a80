"""``anchor-console settings``: the store's roster rule limits, shown and changed from the command line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main
from tests.console.test_cli import english, make_store  # noqa: F401


def test_settings_show_the_defaults_then_change_only_what_is_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_store(tmp_path, "SH01")
    assert main(["settings", "--data-dir", str(tmp_path)]) == EXIT_OK
    assert capsys.readouterr().out.splitlines() == [
        "minimum rest between shifts: 11 h", "most on-air minutes in a day: 240 min",
        "most on-air minutes in a row: 120 min", "shortest break that rests a voice: 15 min",
        "most days in a row: 6"]

    assert main(["settings", "--data-dir", str(tmp_path), "--min-rest-hours", "10.5",
                 "--max-days-in-a-row", "5"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "minimum rest between shifts: 10.5 h" and out[-1] == "most days in a row: 5"
    assert out[1:4] == ["most on-air minutes in a day: 240 min", "most on-air minutes in a row: 120 min",
                        "shortest break that rests a voice: 15 min"]
    with sqlite3.connect(tmp_path / "anchor-console.sqlite3") as conn:
        assert conn.execute("SELECT min_rest_minutes, max_days_in_a_row FROM store_rules").fetchall() == [(630, 5)]
        assert conn.execute("SELECT via FROM audit_log WHERE action = 'roster_settings_changed'").fetchall() == [
            ("cli",)]


def test_a_refused_limit_changes_nothing_and_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_store(tmp_path, "SH01")
    assert main(["settings", "--data-dir", str(tmp_path), "--max-on-air-minutes-in-a-row", "300"]) == EXIT_ERROR
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("anchor-console: The on-air minutes in a row cannot be more than the on-air minutes "
                   "in a day.\n")
    with sqlite3.connect(tmp_path / "anchor-console.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM store_rules").fetchone() == (0,)
    with pytest.raises(SystemExit) as usage:
        main(["settings", "--data-dir", str(tmp_path), "--max-days-in-a-row", "many"])
    assert usage.value.code == EXIT_USAGE
    assert "--max-days-in-a-row" in capsys.readouterr().err
