"""``anchor-console show ...``: a show run from the command line, every refusal, and the summary it exports."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from uuid import UUID
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import func, select

from console.cli import EXIT_ERROR, EXIT_OK, main
from console.domain.enums import BroadcastStatus
from console.domain.onair import ItemState, ShowState, state_fields
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.services.broadcasts import BroadcastService
from console.services.onair import OnAirService
from console.services.onair_summary import PRODUCT_COLUMNS, summary_rows, write_summary
from console.storage.db import Database
from console.storage.models import AuditLog, Broadcast, MetricSnapshot, OnAirEvent, ShowRun
from tests.onair_helpers import START, ready_show

# The show's day in Shanghai, as the summary writes its times.
DAY = START.astimezone(ZoneInfo("Asia/Shanghai")).date().isoformat()

T0 = START + timedelta(minutes=1)


@pytest.fixture
def show(db: Database, store: StoreInfo, manager_actor: Actor) -> UUID:
    return ready_show(db, store, manager_actor)


@pytest.fixture
def onair(db: Database, manager_actor: Actor) -> OnAirService:
    return OnAirService(db, manager_actor)


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["show", *args, "--data-dir", str(data_dir), "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def recorded(db: Database) -> tuple[int, int, int, int]:
    """What an action can leave behind: runs, events, metric snapshots, audit entries."""
    with db.begin() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0  # type: ignore[return-value]
                     for m in (ShowRun, OnAirEvent, MetricSnapshot, AuditLog))


def test_a_show_run_from_the_command_line_records_what_the_screen_would(
        db: Database, data_dir: Path, show: UUID, onair: OnAirService, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(data_dir, capsys, "start", "锦华冬季")
    assert (code, err) == (EXIT_OK, "")
    lines = out.splitlines()
    assert lines[:2] == ["锦华冬季专场 is on air in 美妆直播间.", "On air: link 1 羊绒围巾, ¥200.00."]
    assert lines[2].startswith("Show 0:00:0") and lines[2].endswith("this product 0:00:00 of 0:05:00.")
    assert lines[3] == "Next: link 2 真丝睡衣."

    assert run(data_dir, capsys, "next")[1].splitlines()[0] == "On air: link 2 真丝睡衣, ¥201.00."
    assert run(data_dir, capsys, "jump", "4")[1].splitlines()[0] == "On air: link 4 羽绒服, ¥203.00."
    assert run(data_dir, capsys, "prev")[1].splitlines()[0] == "On air: link 3 保温杯, ¥202.00."
    assert run(data_dir, capsys, "stock", "7")[0] == EXIT_OK
    assert run(data_dir, capsys, "note", "嗓子哑了")[0] == EXIT_OK
    assert run(data_dir, capsys, "soldout")[0] == EXIT_OK
    assert run(data_dir, capsys, "skip")[1].splitlines()[0] == "On air: link 5 护手霜, ¥204.00."
    code, out, _ = run(data_dir, capsys, "metrics", "--views", "1,200", "--viewers", "80", "--likes", "30",
                       "--orders", "4", "--gmv", "¥1,299.50")
    assert code == EXIT_OK and out.strip().endswith("views 1,200, watching 80, likes 30, orders 4, GMV ¥1,299.50.")
    paused = run(data_dir, capsys, "pause")[1].splitlines()
    assert paused[1].startswith("Paused. Show ")
    assert run(data_dir, capsys, "resume")[0] == EXIT_OK

    now = onair.state()
    assert (now.current.link_number, now.state) == (5, ShowState.LIVE)
    by_link = {i.link_number: i for i in now.items}
    assert (by_link[3].state, by_link[3].stock, by_link[3].notes) == (ItemState.SOLD_OUT, 0, ("嗓子哑了",))
    assert onair.metrics()[-1].gmv_fen == 129_950
    with db.begin() as s:
        # Audited as the command line's store manager, as the queue and broadcast commands are.
        assert s.scalars(select(AuditLog.via).where(AuditLog.action == "show_started")).one() == "cli"

    code, out, _ = run(data_dir, capsys, "end")
    assert code == EXIT_OK and out.strip().startswith("锦华冬季专场 has ended after 0:00:")
    with db.begin() as s:
        assert s.get(Broadcast, show).status is BroadcastStatus.ENDED


def test_status_prints_the_overlays_state_fields_with_every_item(
        data_dir: Path, show: UUID, onair: OnAirService, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(data_dir, capsys, "status", "--json")
    assert code == EXIT_OK and json.loads(out) == state_fields(None, items=True)
    assert json.loads(out)["status"] == "off_air"
    assert run(data_dir, capsys, "status")[1] == "No show is on air in this store.\n"

    onair.start(show)
    onair.jump(3)
    code, out, _ = run(data_dir, capsys, "status", "--json")
    shown = json.loads(out)
    expected = state_fields(onair.state(), items=True)
    clocks = ("show_elapsed_seconds", "show_remaining_seconds", "item_elapsed_seconds")
    assert {k: v for k, v in shown.items() if k not in clocks + ("items",)} == {
        k: v for k, v in expected.items() if k not in clocks + ("items",)}
    assert [(i["link_number"], i["state"], i["planned_seconds"]) for i in shown["items"]] == [
        (1, "done", 300), (2, "waiting", 300), (3, "on_air", 300), (4, "waiting", 300), (5, "waiting", 300)]
    assert (shown["current_link_number"], shown["current_product"], shown["live_price_fen"]) == (3, "保温杯", 20_200)

    human = run(data_dir, capsys, "status")[1].splitlines()
    assert human[0] == "On air: link 3 保温杯, ¥202.00."
    assert human[3] == "  1  羊绒围巾  done  0:00:00 / 0:05:00"
    assert human[5] == "  3  保温杯  on air  0:00:00 / 0:05:00"


ACTIONS = [("next",), ("prev",), ("jump", "2"), ("skip",), ("soldout",), ("stock", "3"), ("note", "x"),
           ("metrics", "--views", "1"), ("pause",), ("resume",), ("end",), ("status", "--broadcast", "锦华")]


@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_every_action_with_no_show_on_air_is_refused_and_records_nothing(
        db: Database, data_dir: Path, show: UUID, capsys: pytest.CaptureFixture[str], action: tuple[str, ...]) -> None:
    before = recorded(db)
    code, out, err = run(data_dir, capsys, *action)
    assert (code, out) == (EXIT_ERROR, "")
    assert err in ("anchor-console: No show is on air in this store.\n",
                   "anchor-console: 锦华冬季专场 is not on air.\n")
    assert recorded(db) == before


def refused(db: Database, data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    before = recorded(db)
    code, out, err = run(data_dir, capsys, *args)
    assert (code, out) == (EXIT_ERROR, ""), err
    assert recorded(db) == before
    (line,) = err.splitlines()
    return line.removeprefix("anchor-console: ")


def test_each_refusal_is_one_sentence_and_records_nothing(
        db: Database, data_dir: Path, show: UUID, onair: OnAirService, capsys: pytest.CaptureFixture[str]) -> None:
    onair.start(show)
    onair.record_metrics(views=500, gmv_fen=10_000)
    assert refused(db, data_dir, capsys, "jump", "9") == "There is no link 9 in this show; the links are 1 to 5."
    assert refused(db, data_dir, capsys, "jump", "1") == "Link 1 is on air already."
    assert refused(db, data_dir, capsys, "jump", "two") == "N: 'two' is not a whole number, such as 1200."
    assert refused(db, data_dir, capsys, "stock", "-1") == "Stock cannot be below zero (got -1)."
    assert refused(db, data_dir, capsys, "note", "  ") == "The note is empty; type what happened."
    assert refused(db, data_dir, capsys, "metrics", "--views", "400") == (
        "Views cannot go down during a show: the last figure recorded was 500, this one is 400.")
    assert refused(db, data_dir, capsys, "metrics", "--gmv", "99") == (
        "GMV cannot go down during a show: the last figure recorded was ¥100.00, this one is ¥99.00.")
    assert refused(db, data_dir, capsys, "metrics", "--gmv", "12.345") == (
        "--gmv: the price 12.345 has more than two decimals; prices are in yuan and fen")
    assert refused(db, data_dir, capsys, "metrics", "--gmv", "lots") == (
        "--gmv: 'lots' is not a price; write it in yuan, such as 1299 or 1,299.00")
    assert refused(db, data_dir, capsys, "metrics", "--likes", "many") == (
        "--likes: 'many' is not a whole number, such as 1200.")
    assert refused(db, data_dir, capsys, "metrics") == (
        "Give at least one figure: views, viewers, likes, orders or GMV.")
    assert refused(db, data_dir, capsys, "resume") == "The show is not paused."
    assert refused(db, data_dir, capsys, "start", "锦华") == "锦华冬季专场 is on air already."

    assert run(data_dir, capsys, "end")[0] == EXIT_OK
    assert refused(db, data_dir, capsys, "end") == "No show is on air in this store."
    assert refused(db, data_dir, capsys, "start", "锦华") == "锦华冬季专场 is ended; it cannot go on air."


def test_a_gmv_of_nought_is_a_figure_not_a_refusal(
        data_dir: Path, show: UUID, onair: OnAirService, capsys: pytest.CaptureFixture[str]) -> None:
    onair.start(show)
    assert run(data_dir, capsys, "metrics", "--gmv", "0", "--views", "３")[0] == EXIT_OK
    assert (onair.metrics()[-1].gmv_fen, onair.metrics()[-1].views) == (0, 3)


def test_starting_a_show_that_is_not_ready_or_in_a_busy_room_is_refused(
        db: Database, data_dir: Path, store: StoreInfo, manager_actor: Actor, show: UUID,
        capsys: pytest.CaptureFixture[str]) -> None:
    with db.begin() as s:
        room = s.get(Broadcast, show).room_id
    second = ready_show(db, store, manager_actor, title="晚场专场", room_id=room, start=START + timedelta(hours=3))
    with db.begin() as s:
        s.get(Broadcast, second).status = BroadcastStatus.PLANNED
    assert refused(db, data_dir, capsys, "start", "晚场") == (
        "晚场专场 is planned, not ready: mark it ready before going live.")
    BroadcastService(db, manager_actor).mark_ready(second)
    assert run(data_dir, capsys, "start", "锦华")[0] == EXIT_OK
    assert refused(db, data_dir, capsys, "start", "晚场") == (
        "美妆直播间 is on air with 锦华冬季专场; end that show before starting another there.")
    assert refused(db, data_dir, capsys, "start", "秋季") == "No broadcast's title starts with '秋季'."


def test_several_rooms_on_air_the_broadcast_option_says_which(
        db: Database, data_dir: Path, store: StoreInfo, manager_actor: Actor, show: UUID,
        capsys: pytest.CaptureFixture[str]) -> None:
    other = ready_show(db, store, manager_actor, title="珠宝专场", room_code="R2", room_name="珠宝直播间")
    assert run(data_dir, capsys, "start", "锦华")[0] == EXIT_OK
    assert run(data_dir, capsys, "start", "珠宝", "--rehearsal")[1].startswith("Rehearsing 珠宝专场 in 珠宝直播间.")
    assert refused(db, data_dir, capsys, "next") == (
        "Several shows are on air (珠宝专场 锦华冬季专场); say which one.")
    assert run(data_dir, capsys, "next", "--broadcast", "珠宝")[1].startswith("On air: link 2 真丝睡衣")
    onair = OnAirService(db, manager_actor)
    assert onair.state(onair.run_of(other)).current.link_number == 2
    assert onair.state(onair.run_of(show)).current.link_number == 1


# --- the summary -------------------------------------------------------------------------------


def a_whole_show(onair: OnAirService, show: UUID) -> None:
    def at(seconds: int):  # type: ignore[no-untyped-def]
        return T0 + timedelta(seconds=seconds)

    onair.start(show, now=at(0))
    onair.record_metrics(views=100, viewers=40, likes=5, orders=0, gmv_fen=0, now=at(30))
    onair.note("=SUM(A1:A3) 不是公式", now=at(60))
    onair.next(now=at(320))                     # link 1: 320 s of 300
    onair.set_stock(12, now=at(400))
    onair.sold_out(now=at(500))
    onair.note("补货中", now=at(510))
    onair.jump(4, now=at(600))                  # link 2: 280 s, sold out at 500
    onair.record_metrics(views=900, viewers=120, likes=60, orders=18, gmv_fen=3_456_789, now=at(700))
    onair.end(now=at(750))                      # link 4: 150 s; 3 and 5 never on air


def test_the_summary_rows_hold_planned_against_actual_notes_and_sold_out_times(
        show: UUID, onair: OnAirService) -> None:
    a_whole_show(onair, show)
    rows = summary_rows(onair.summary(show), "Asia/Shanghai")
    assert rows == [
        [1, "羊绒围巾", "done", 300, 320, 20, "200.00", 50, "", "=SUM(A1:A3) 不是公式"],
        [2, "真丝睡衣", "sold_out", 300, 280, -20, "201.00", 0, f"{DAY}T19:09:20+08:00", "补货中"],
        [3, "保温杯", "waiting", 300, 0, -300, "202.00", 50, "", ""],
        [4, "羽绒服", "done", 300, 150, -150, "203.00", 50, "", ""],
        [5, "护手霜", "waiting", 300, 0, -300, "204.00", 50, "", ""],
    ]


def test_the_summary_as_csv_and_xlsx_reads_back_as_the_show(
        data_dir: Path, show: UUID, onair: OnAirService, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_whole_show(onair, show)
    summary = onair.summary(show)
    expected = [[str(v) for v in row] for row in summary_rows(summary, "Asia/Shanghai")]

    code, out, err = run(data_dir, capsys, "summary", "锦华")
    assert (code, err) == (EXIT_OK, "")
    assert list(csv.reader(io.StringIO(out))) == [list(PRODUCT_COLUMNS), *expected]

    target = tmp_path / "summary.csv"
    code, out, _ = run(data_dir, capsys, "summary", "锦华", "--output", str(target))
    assert code == EXIT_OK and out == f"The summary of 锦华冬季专场 is in {target}.\n"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")       # Excel in China reads a CSV without a BOM as GBK
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig")))) == [list(PRODUCT_COLUMNS), *expected]

    book_path = tmp_path / "summary.xlsx"
    assert run(data_dir, capsys, "summary", str(show), "--format", "xlsx", "--output", str(book_path))[0] == EXIT_OK
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["products", "metrics", "notes"]
    products = [list(r) for r in book["products"].iter_rows(values_only=True)]
    assert products[0] == list(PRODUCT_COLUMNS)
    assert products[1][:9] == [1, "羊绒围巾", "done", 300, 320, 20, 200, 50, None]
    assert products[1][9] == "=SUM(A1:A3) 不是公式"           # text, not a formula
    assert book["products"]["G2"].number_format == "0.00"
    assert products[2][8] == f"{DAY}T19:09:20+08:00"
    assert [list(r) for r in book["metrics"].iter_rows(values_only=True)] == [
        ["at", "views", "viewers", "likes", "orders", "gmv"],
        [f"{DAY}T19:01:30+08:00", 100, 40, 5, 0, 0],
        [f"{DAY}T19:12:40+08:00", 900, 120, 60, 18, 34567.89]]
    assert [list(r) for r in book["notes"].iter_rows(values_only=True)] == [
        ["at", "link_number", "note"],
        [f"{DAY}T19:02:00+08:00", 1, "=SUM(A1:A3) 不是公式"],
        [f"{DAY}T19:09:30+08:00", 2, "补货中"]]


def test_the_summary_refuses_xlsx_without_a_file_and_a_show_never_on_air(
        db: Database, data_dir: Path, show: UUID, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(db, data_dir, capsys, "summary", "锦华", "--format", "xlsx") == (
        "An Excel summary needs a file to go to; give --output FILE.")
    assert refused(db, data_dir, capsys, "summary", "锦华") == "锦华冬季专场 has not been on air."
    assert not list(tmp_path.glob("*.xlsx"))


def test_write_summary_is_atomic_and_says_why_it_cannot_write(
        show: UUID, onair: OnAirService, tmp_path: Path) -> None:
    from console.domain.errors import ValidationError

    a_whole_show(onair, show)
    summary = onair.summary(show)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "done.xlsx"
    target.write_bytes(b"the old file")
    write_summary(summary, target, "xlsx")
    assert openpyxl.load_workbook(target).sheetnames == ["products", "metrics", "notes"]
    assert [p.name for p in folder.iterdir()] == ["done.xlsx"]     # no temporary file left beside it

    with pytest.raises(ValidationError) as missing:
        write_summary(summary, folder / "no such folder" / "s.csv", "csv")
    assert str(missing.value).startswith(f"Cannot write {folder / 'no such folder' / 's.csv'}: ")
    with pytest.raises(ValidationError) as unknown:
        write_summary(summary, folder / "s.pdf", "pdf")
    assert str(unknown.value) == "Unknown summary format 'pdf'; use csv or xlsx."
    assert [p.name for p in folder.iterdir()] == ["done.xlsx"]


def test_the_real_entry_point_runs_a_show_and_refuses_on_stderr(data_dir: Path, show: UUID) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "console", "show", *args, "--data-dir", str(data_dir),
                               "--lang", "en"], capture_output=True, text=True, timeout=120, check=False)

    started = cli("start", "锦华")
    assert started.returncode == 0 and started.stdout.splitlines()[1] == "On air: link 1 羊绒围巾, ¥200.00."
    wrong = cli("jump", "0")
    assert (wrong.returncode, wrong.stdout) == (1, "")
    assert wrong.stderr == "anchor-console: There is no link 0 in this show; the links are 1 to 5.\n"
    assert json.loads(cli("status", "--json").stdout)["current_link_number"] == 1
