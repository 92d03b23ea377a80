"""``anchor-console report KIND`` in every format, over the hand-counted store of tests/report_helpers.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from console.cli import main
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.storage.db import Database
from tests.report_helpers import Fixture, build

RANGE = ("--from", "2026-12-03", "--to", "2026-12-04")


@pytest.fixture
def fx(db: Database, store: StoreInfo, manager_actor: Actor) -> Fixture:
    return build(db, store, manager_actor)


def run(data_dir: Path, capsys: pytest.CaptureFixture[bytes], *args: str, lang: str = "en") -> tuple[int, str, str]:
    code = main(["report", *args, "--data-dir", str(data_dir), "--lang", lang])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_has_the_stable_headers_and_yuan(fx: Fixture, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(data_dir, capsys, "broadcasts", *RANGE, "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:10] == ["broadcast_id", "title", "room_code", "room", "platforms", "hosts", "brand",
                                  "category", "start", "broadcasts"]
    assert {"planned_seconds", "actual_seconds", "products_explained", "peak_viewers", "orders", "gmv"} <= set(rows[0])
    a, b = rows
    assert (a["broadcast_id"], a["gmv"], a["gmv_per_hour"], a["orders"]) == (str(fx.a), "1000.00", "1000.00", "10")
    assert (b["broadcast_id"], b["gmv"], b["actual_seconds"], b["avg_viewers"]) == (str(fx.b), "5000.00", "7200",
                                                                                    "1250")


def test_json_keeps_money_in_fen(fx: Fixture, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(data_dir, capsys, "anchors", *RANGE, "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["kind"], data["from"], data["to"], data["timezone"]) == (
        "anchors", "2026-12-03", "2026-12-04", "Asia/Shanghai")
    assert [(r["anchor_code"], r["gmv"], r["gmv_per_hour"], r["orders"]) for r in data["rows"]] == [
        ("A01", 600_000, 200_000, 40), ("A02", 100_000, 100_000, 10)]


def test_xlsx_to_a_file(fx: Fixture, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "products.xlsx"
    code, out, _ = run(data_dir, capsys, "products", *RANGE, "--format", "xlsx", "--output", str(out_file))
    assert (code, out) == (0, "")
    sheet = load_workbook(out_file)["products"]
    header = [c.value for c in sheet[1]]
    gmv = header.index("gmv")
    assert [row[gmv].value for row in sheet.iter_rows(min_row=2)] == [4700, 1200, 0]
    assert sheet.cell(row=2, column=gmv + 1).number_format == "0.00"
    code, _, err = run(data_dir, capsys, "products", *RANGE, "--format", "xlsx")
    assert code == 2 and "give --output FILE" in err


def test_table_for_a_terminal(fx: Fixture, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(data_dir, capsys, "rooms", *RANGE)
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["room_code", "room", "broadcasts"]
    assert [line.split()[0] for line in lines[1:]] == ["R2", "R1"]
    assert "5000.00" in lines[1]


def test_an_empty_range_is_an_empty_report(fx: Fixture, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(data_dir, capsys, "stores", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv")
    assert code == 0 and out.splitlines() == [
        "store_id,store_code,store,broadcasts,planned_seconds,actual_seconds,over_under_seconds,products_planned,"
        "products_explained,peak_viewers,avg_viewers,orders,gmv,gmv_per_hour,sold_out_times"]
    code, out, _ = run(data_dir, capsys, "stores", "--from", "2026-01-01", "--to", "2026-01-31")
    assert (code, out) == (0, "No broadcasts counted from 2026-01-01 to 2026-01-31.\n")


@pytest.mark.parametrize(("args", "said"), [
    (("--from", "2026-12-04", "--to", "2026-12-01"), "The report's range ends (2026-12-01) before it starts "
                                                    "(2026-12-04); swap the dates."),
    (("--from", "2016-01-01", "--to", "2025-12-31"), "A report covers at most 1,096 days (three years)"),
    (("--room", "R7",), "There is no live room 'R7' in this store; its rooms are R1, R2."),
    (("--platform", "myspace",), "There is no platform 'myspace'"),
])
def test_bad_input_exits_2_with_one_sentence(fx: Fixture, data_dir: Path, capsys: pytest.CaptureFixture[str],
                                             args: tuple[str, ...], said: str) -> None:
    code, out, err = run(data_dir, capsys, "broadcasts", *args)
    assert (code, out) == (2, "")
    assert err.startswith("anchor-console: " + said)
    assert len(err.strip().splitlines()) == 1


def test_a_date_that_is_not_one(fx: Fixture, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(data_dir, capsys, "broadcasts", "--from", "2026-13-01")
    assert exit_.value.code == 2
    assert "'2026-13-01' is not a date" in capsys.readouterr().err


def test_the_range_message_in_chinese(fx: Fixture, data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(data_dir, capsys, "broadcasts", "--from", "2026-12-04", "--to", "2026-12-01", lang="zh_CN")
    assert code == 2 and "2026-12-01" in err and err.startswith("anchor-console")
