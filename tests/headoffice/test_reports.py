"""Head office's reports: hand-counted figures on a small fixture, the HTTP API with its scope refusals, and
the command line in every format. (Equality with a console's own figures: tests/sync/test_reports_at_head_office.py.)

The fixture is written as synced rows of two stores: in BJ01 an ended show with a rehearsal run, readings
out of order, a tombstoned reading and an updated title; a cancelled show; in SH01 one show.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import openpyxl
import pytest
from sqlalchemy import select

from console.headoffice import admin, cli, reports
from console.headoffice.sync import write_rows
from console.storage.ids import new_id
from tests.headoffice.helpers import LiveService, full_row

PASSWORD = "correct horse battery"
T0 = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)        # 19:00 on 20 November in Shanghai
DAY = date(2026, 11, 20)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def _show(session: Any, store_id: UUID, title: str, *, status: str = "ended", start: datetime = T0,
          seconds: int = 3600) -> dict[str, Any]:
    room = full_row("live_room", {"store_id": store_id, "code": "R1", "name": "一号直播间"})
    write_rows(session, "live_room", [room], store_id=store_id)
    row = full_row("broadcast", {"store_id": store_id, "room_id": room["id"], "title": title, "planned_start": start,
                                 "planned_end": start + timedelta(hours=1), "actual_start": start,
                                 "actual_end": start + timedelta(seconds=seconds), "status": status})
    write_rows(session, "broadcast", [row], store_id=store_id)
    return row


def _product(session: Any, sku: str) -> str:
    row = full_row("product", {"sku": sku, "name": f"商品 {sku}", "brand": "锦华", "category": "服饰",
                               "after_sales_policy": "七天无理由退货"})
    write_rows(session, "product", [row])
    return str(row["id"])


def _facts(session: Any, store_id: UUID, show: dict[str, Any], product_id: str,
           readings: list[tuple[float, int, int, int]], *, run_id: str | None = None) -> str:
    item = full_row("queue_item", {"store_id": store_id, "broadcast_id": show["id"], "product_id": product_id,
                                   "position": 1, "link_number": 1, "live_price_fen": 9900, "planned_seconds": 300})
    write_rows(session, "queue_item", [item], store_id=store_id)
    events = [full_row("onair_event", {"store_id": store_id, "broadcast_id": show["id"], "run_id": run_id,
                                       "queue_item_id": item["id"], "kind": kind, "at": at(sec), "seq": seq,
                                       "payload": payload})
              for seq, (sec, kind, payload) in enumerate([(0, "product_started", {}),
                                                          (600, "product_ended", {"seconds": 600})], start=1)]
    write_rows(session, "onair_event", events, store_id=store_id)
    write_rows(session, "metric_snapshot", [
        full_row("metric_snapshot", {"store_id": store_id, "broadcast_id": show["id"], "run_id": run_id, "at": at(sec),
                                     "viewers": v, "orders": o, "gmv_fen": g}) for sec, v, o, g in readings],
        store_id=store_id)
    return str(item["id"])


def fill(service_sessions: Any) -> dict[str, Any]:
    """Two stores; returns their ids and the rows the tests change."""
    with service_sessions.begin() as session:
        bj = admin.add_store(session, "BJ01", "北京店")
        sh = admin.add_store(session, "SH01", "上海店")
        coat = _product(session, "JH-001")
        show = _show(session, bj.id, "冬装专场")
        # Readings out of order (50 s arrives after 100 s); orders and GMV are running totals.
        _facts(session, bj.id, show, coat, [(100, 10, 1, 1_000), (300, 20, 3, 5_000), (50, 30, 0, 0)])
        # A rehearsal run with big figures, and a tombstoned reading: neither counts.
        run = full_row("show_run", {"store_id": bj.id, "broadcast_id": show["id"], "room_id": show["room_id"],
                                    "rehearsal": True, "started_at": at(-86400)})
        write_rows(session, "show_run", [run], store_id=bj.id)
        write_rows(session, "metric_snapshot", [full_row("metric_snapshot", {
            "store_id": bj.id, "broadcast_id": show["id"], "run_id": run["id"], "at": at(-86000), "viewers": 9999,
            "orders": 999, "gmv_fen": 9_999_900})], store_id=bj.id)
        gone = full_row("metric_snapshot", {"store_id": bj.id, "broadcast_id": show["id"], "at": at(200),
                                            "viewers": 88_888, "orders": 777, "gmv_fen": 7_777_700})
        write_rows(session, "metric_snapshot", [gone], store_id=bj.id)
        write_rows(session, "metric_snapshot", [{**gone, "deleted_at": at(400).isoformat(), "row_version": 2}],
                   store_id=bj.id)
        # An update of the show's title reaches the report; a cancelled show never counts.
        write_rows(session, "broadcast", [{**show, "title": "冬装专场（改）", "row_version": 2}], store_id=bj.id)
        cancelled = _show(session, bj.id, "取消的直播", status="cancelled")
        _facts(session, bj.id, cancelled, coat, [(100, 500, 50, 500_000)])
        other = _show(session, sh.id, "上海专场", seconds=1800)
        _facts(session, sh.id, other, coat, [(100, 40, 2, 2_000)])
    return {"bj": bj.id, "sh": sh.id, "show": show["id"], "other": other["id"], "coat": coat}


# BJ01's show, counted by hand: readings 10/20/30 viewers; orders 3, GMV ¥50.00 over 3,600 s live.
BJ = dict(broadcasts=1, planned_seconds=3600, actual_seconds=3600, over_under_seconds=0, products_planned=1,
          products_explained=1, peak_viewers=30, avg_viewers=20, orders=3, gmv=5_000, gmv_per_hour=5_000,
          sold_out_times=0)
# SH01's: one reading of 40 viewers, 2 orders, ¥20.00 over 1,800 s: ¥40.00 an hour.
SH = dict(broadcasts=1, planned_seconds=3600, actual_seconds=1800, over_under_seconds=-1800, products_planned=1,
          products_explained=1, peak_viewers=40, avg_viewers=40, orders=2, gmv=2_000, gmv_per_hour=4_000,
          sold_out_times=0)


def subset(row: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in wanted}


def _report(service: LiveService, kind: str, codes: list[str] | None = None, start: date = DAY,
            end: date = DAY) -> list[dict[str, Any]]:
    with service.sessions().begin() as session:
        stores = reports.choose_stores(session, None, codes or [])
        return list(reports.report(session, kind, stores, start, end).dicts())


def test_figures_across_stores_against_hand_counted_ones(service: LiveService) -> None:
    ids = fill(service.sessions())

    shows = _report(service, "broadcasts")
    assert [(r["title"], r["store_code"]) for r in shows] == [("冬装专场（改）", "BJ01"), ("上海专场", "SH01")]
    assert subset(shows[0], BJ) == BJ and subset(shows[1], SH) == SH
    assert shows[0]["room_code"] == "R1" and shows[0]["start"] == "2026-11-20T19:00:00+08:00"

    stores = {r["store_code"]: r for r in _report(service, "stores")}
    assert list(stores) == ["BJ01", "SH01"]                       # by GMV, highest first
    assert subset(stores["BJ01"], BJ) == BJ and subset(stores["SH01"], SH) == SH

    (coat,) = _report(service, "products")
    assert (coat["product_id"], coat["sku"], coat["broadcasts"], coat["orders"], coat["gmv"]) == (
        ids["coat"], "JH-001", 2, 5, 7_000)
    # On air 600 s in each show (its product_ended seconds): ¥70.00 over 1,200 s is ¥210.00 an hour.
    assert (coat["actual_seconds"], coat["gmv_per_hour"], coat["peak_viewers"], coat["avg_viewers"]) == (
        1200, 21_000, 40, 25)

    rooms = _report(service, "rooms")
    assert [(r["room_code"], r["store_code"], r["gmv"]) for r in rooms] == [("R1", "BJ01", 5_000),
                                                                            ("R1", "SH01", 2_000)]
    ranked = [(r["ranking"], r["rank"], r["store_code"], r["gmv_per_hour"]) for r in _report(service, "rankings")]
    assert ranked == [("products", 1, "", 21_000), ("rooms", 1, "BJ01", 5_000), ("rooms", 2, "SH01", 4_000)]

    assert _report(service, "stores", ["SH01"]) == [stores["SH01"]]
    assert _report(service, "broadcasts", start=date(2026, 1, 1), end=date(2026, 1, 31)) == []


def test_a_tombstoned_show_leaves_every_report(service: LiveService) -> None:
    ids = fill(service.sessions())
    with service.sessions().begin() as session:
        from console.headoffice.models import SyncedRow

        row = session.get_one(SyncedRow, ("broadcast", UUID(ids["other"])))
        write_rows(session, "broadcast", [{**row.data, "deleted_at": at(9000).isoformat(), "row_version": 3}],
                   store_id=ids["sh"])
    assert [r["store_code"] for r in _report(service, "stores")] == ["BJ01"]
    (coat,) = _report(service, "products")
    assert (coat["broadcasts"], coat["gmv"]) == (1, 5_000)


@pytest.mark.parametrize("tombstoned", [0, 1])
def test_a_product_queued_twice_in_one_show_counts_that_show_once(service: LiveService, tombstoned: int) -> None:
    from console.headoffice.models import SyncedRow

    ids = fill(service.sessions())
    with service.sessions().begin() as session:
        again = _facts(session, ids["bj"], {"id": ids["show"]}, ids["coat"], [])
    (coat,) = _report(service, "products")
    assert (coat["broadcasts"], coat["products_planned"]) == (2, 3)
    (ranked,) = _report(service, "rankings")[:1]
    assert (ranked["ranking"], ranked["broadcasts"]) == ("products", 2)

    # Either of its two items (by id) tombstoned, the other still counts the show, once.
    with service.sessions().begin() as session:
        items = sorted((r for r in session.scalars(select(SyncedRow).where(SyncedRow.table_name == "queue_item"))
                        if r.data.get("broadcast_id") == str(ids["show"])), key=lambda r: str(r.row_id))
        assert len(items) == 2 and str(again) in {str(r.row_id) for r in items}
        doomed = items[tombstoned]
        write_rows(session, "queue_item", [{**doomed.data, "deleted_at": at(9000).isoformat(), "row_version": 3}],
                   store_id=ids["bj"])
    (coat,) = _report(service, "products")
    assert (coat["broadcasts"], coat["products_planned"]) == (2, 2)


def test_the_migrations_compute_the_figures_of_rows_held_before_them(service: LiveService) -> None:
    from alembic import command

    from console.headoffice import db

    ids = fill(service.sessions())
    with service.sessions().begin() as session:
        _facts(session, ids["bj"], {"id": ids["show"]}, ids["coat"], [])      # queued twice in one show
    kinds = ("stores", "products", "rankings", "anchors", "rooms", "broadcasts")
    before = {kind: _report(service, kind) for kind in kinds}
    assert before["products"][0]["broadcasts"] == 2
    # Back to before the products' show count (rollups held, no first_in_show), and to before the
    # projections (synced rows only): each way up gives the same figures.
    for revision in ("0006", "0005"):
        with service.engine.begin() as conn:
            cfg = db.alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
        db.migrate(service.engine)
        assert {kind: _report(service, kind) for kind in kinds} == before, revision


# --- over HTTP ------------------------------------------------------------------------------------


def _client(service: LiveService, login: str, role: str = "analyst", stores: tuple[str, ...] = ()) -> Any:
    with service.sessions().begin() as session:
        admin.add_user(session, login, f"User {login}", role, PASSWORD, stores=list(stores))
    answer = service.client().post("/v1/staff/sign-in", json={"login": login, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return service.client(Authorization=f"Bearer {answer.json()['token']}")


def test_the_http_reports_in_each_format_and_a_scoped_accounts_refusals(service: LiveService) -> None:
    ids = fill(service.sessions())
    north = _client(service, "region.north", stores=("BJ01",))
    window = {"from": "2026-11-20", "to": "2026-11-20"}

    answer = north.get("/v1/staff/reports/stores", params=window)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["kind"], body["from"], body["to"], body["timezone"]) == ("stores", "2026-11-20", "2026-11-20",
                                                                         "Asia/Shanghai")
    assert [r["store_code"] for r in body["rows"]] == ["BJ01"] and subset(body["rows"][0], BJ) == BJ
    for kind in ("broadcasts", "anchors", "rooms", "products", "rankings"):
        answer = north.get(f"/v1/staff/reports/{kind}", params=window)
        assert answer.status_code == 200, answer.text
        assert "SH01" not in answer.text and "上海" not in answer.text and str(ids["sh"]) not in answer.text, kind

    refused = north.get("/v1/staff/reports/stores", params={**window, "store": "SH01"})
    assert refused.status_code == 403 and refused.json()["error"] == "store_forbidden"
    assert "上海" not in refused.text and str(ids["sh"]) not in refused.text and "2000" not in refused.text
    chinese = north.get("/v1/staff/reports/stores", params={**window, "store": ["BJ01", "SH01"]},
                        headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert chinese.status_code == 403

    csv_answer = north.get("/v1/staff/reports/broadcasts", params={**window, "format": "csv"})
    assert csv_answer.status_code == 200 and csv_answer.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(csv_answer.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["broadcast_id", "title", "room_code", "room"] and lines[0][-1] == "store_code"
    assert lines[1][lines[0].index("gmv")] == "50.00"                # yuan in CSV
    xlsx = north.get("/v1/staff/reports/stores", params={**window, "format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("store_code") + 1).value == "BJ01"

    group = _client(service, "group.analyst")
    both = group.get("/v1/staff/reports/stores", params=window).json()
    assert [r["store_code"] for r in both["rows"]] == ["BJ01", "SH01"]


@pytest.mark.parametrize(("params", "status", "error", "words"), [
    ({"from": "2026-11-20", "to": "2026-11-01"}, 422, "invalid_request", "before it starts"),
    ({"from": "2016-01-01", "to": "2025-12-31"}, 422, "invalid_request", "at most 1,096 days"),
    ({"store": "XX99"}, 404, "not_found", "no store XX99"),
    ({"from": "2026-13-01"}, 422, "invalid_request", "from"),
    ({"store": "BJ01", "room": "R9"}, 404, "not_found", "no live room 'R9'"),
])
def test_bad_report_requests_are_clear_refusals(service: LiveService, params: dict[str, str], status: int,
                                                error: str, words: str) -> None:
    fill(service.sessions())
    client = _client(service, "wang.li")
    answer = client.get("/v1/staff/reports/broadcasts", params=params)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error and words in answer.json()["message"]


def test_reports_need_a_staff_token_and_an_empty_range_is_an_empty_report(service: LiveService) -> None:
    fill(service.sessions())
    assert service.client().get("/v1/staff/reports/stores").status_code == 401
    empty = _client(service, "wang.li").get("/v1/staff/reports/products",
                                            params={"from": "2020-01-01", "to": "2020-01-31"})
    assert empty.status_code == 200 and empty.json()["rows"] == [] and "gmv" in empty.json()["columns"]


# --- the command line -------------------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["report", *argv, "--database-url", url, "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_report_command_in_every_format(service: LiveService, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    fill(service.sessions())
    url = service.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    window = ("--from", "2026-11-20", "--to", "2026-11-20")

    code, out, _ = _cli(capsys, url, "stores", *window)
    assert code == 0 and out.splitlines()[0].split()[:2] == ["store_code", "store"] and "50.00" in out
    code, out, _ = _cli(capsys, url, "broadcasts", "--store", "SH01", *window, "--format", "csv")
    assert code == 0 and "上海专场" in out and "冬装" not in out and out.splitlines()[0].endswith("store_code")
    code, out, _ = _cli(capsys, url, "products", "--all", *window, "--format", "json")
    body = json.loads(out)
    assert code == 0 and body["rows"][0]["gmv"] == 7_000 and body["rows"][0]["sku"] == "JH-001"
    target = tmp_path / "rooms.xlsx"
    code, _, _ = _cli(capsys, url, "rooms", *window, "--format", "xlsx", "--output", str(target))
    assert code == 0 and openpyxl.load_workbook(target).active.cell(2, 2).value == "R1"
    code, out, _ = _cli(capsys, url, "anchors", "--from", "2020-01-01", "--to", "2020-01-02")
    assert code == 0 and "No broadcasts counted from 2020-01-01 to 2020-01-02" in out


@pytest.mark.parametrize(("argv", "words"), [
    (("stores", "--from", "2026-11-20", "--to", "2026-11-01"), "before it starts"),
    (("stores", "--from", "2010-01-01", "--to", "2020-01-01"), "at most 1,096 days"),
    (("stores", "--store", "NOPE"), "There is no store NOPE"),
    (("stores", "--store", "BJ01", "--all"), "not both"),
    (("stores", "--format", "xlsx"), "--output FILE"),
])
def test_the_report_command_refuses_bad_input_with_status_2(service: LiveService, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...],
                                                           words: str) -> None:
    fill(service.sessions())
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setattr(sys, "stdout", sys.stdout)
    code, out, err = _cli(capsys, service.engine.url.render_as_string(hide_password=False), *argv)
    assert code == 2 and out == "" and words in err and err.startswith("anchor-headoffice: ")


# --- the platform filter and the drill-down to one broadcast's products ----------------------------------


def _on_platforms(service: LiveService, ids: dict[str, Any]) -> None:
    """BJ01's show on its Douyin account; SH01's on its Taobao one; SH01's Douyin account on no show."""
    from console.headoffice.models import SyncedRow

    with service.sessions().begin() as session:
        for store, show, listed, unlisted in ((ids["bj"], ids["show"], "douyin", None),
                                              (ids["sh"], ids["other"], "taobao", "douyin")):
            account = full_row("platform_account", {"store_id": store, "platform": listed, "handle": f"h-{listed}",
                                                    "display_name": listed})
            write_rows(session, "platform_account", [account], store_id=store)
            if unlisted:
                write_rows(session, "platform_account", [full_row("platform_account", {
                    "store_id": store, "platform": unlisted, "handle": "h-spare", "display_name": "spare"})],
                    store_id=store)
            row = session.get_one(SyncedRow, ("broadcast", UUID(show)))
            write_rows(session, "broadcast", [{**row.data, "platform_account_ids": [account["id"]],
                                               "row_version": row.data["row_version"] + 1}], store_id=store)


def _filtered(service: LiveService, kind: str, **filters: str) -> list[dict[str, Any]]:
    with service.sessions().begin() as session:
        stores = reports.choose_stores(session, None, [])
        return list(reports.report(session, kind, stores, DAY, DAY, reports.Filters(**filters)).dicts())


def test_the_platform_filter_keeps_the_broadcasts_on_a_store_account_on_it(service: LiveService) -> None:
    ids = fill(service.sessions())
    _on_platforms(service, ids)

    shows = _filtered(service, "broadcasts", platform="douyin")
    assert [(r["title"], r["platforms"], r["store_code"]) for r in shows] == [("冬装专场（改）", "douyin", "BJ01")]
    assert subset(shows[0], BJ) == BJ
    # SH01 has a Douyin account too, but its show is on Taobao only: not counted under Douyin.
    assert [r["store_code"] for r in _filtered(service, "stores", platform="douyin")] == ["BJ01"]
    (sh,) = _filtered(service, "stores", platform="taobao")
    assert sh["store_code"] == "SH01" and subset(sh, SH) == SH
    (coat,) = _filtered(service, "products", platform="taobao")
    assert (coat["broadcasts"], coat["orders"], coat["gmv"], coat["actual_seconds"]) == (1, 2, 2_000, 600)
    assert _filtered(service, "broadcasts", platform="kuaishou") == []
    assert _filtered(service, "rankings", platform="kuaishou") == []
    assert [r["room_code"] for r in _filtered(service, "rooms", platform="douyin", room="R1")] == ["R1"]
    with pytest.raises(reports.ValidationError, match="no platform 'myspace'"):
        _filtered(service, "broadcasts", platform="myspace")

    north = _client(service, "region.south", stores=("SH01",))
    answer = north.get("/v1/staff/reports/broadcasts", params={"from": "2026-11-20", "to": "2026-11-20",
                                                                "platform": "douyin"})
    assert answer.status_code == 200 and answer.json()["rows"] == []
    answer = north.get("/v1/staff/reports/stores", params={"from": "2026-11-20", "to": "2026-11-20",
                                                            "platform": "taobao"})
    assert [r["store_code"] for r in answer.json()["rows"]] == ["SH01"]


def _second_item(service: LiveService, ids: dict[str, Any]) -> str:
    """A product queued before the coat on BJ01's show (position 0, link 2), never on air."""
    with service.sessions().begin() as session:
        scarf = _product(session, "JH-002")
        item = full_row("queue_item", {"store_id": ids["bj"], "broadcast_id": ids["show"], "product_id": scarf,
                                       "position": 0, "link_number": 2, "live_price_fen": 4900,
                                       "planned_seconds": 120})
        write_rows(session, "queue_item", [item], store_id=ids["bj"])
    return scarf


# The coat on BJ01's show, by hand: on air 600 s (its product_ended seconds), readings 10/20/30 viewers,
# 3 orders and ¥50.00: ¥300.00 an hour.
COAT_ON_BJ = dict(link_number=1, sku="JH-001", planned_seconds=300, actual_seconds=600, explained=1,
                  peak_viewers=30, avg_viewers=20, orders=3, gmv=5_000, gmv_per_hour=30_000, sold_out_times=0)
SCARF_ON_BJ = dict(link_number=2, sku="JH-002", planned_seconds=120, actual_seconds=0, explained=0,
                   peak_viewers=0, avg_viewers=0, orders=0, gmv=0, gmv_per_hour=None, sold_out_times=0)


def test_the_drill_down_from_a_broadcast_to_its_products(service: LiveService, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ids = fill(service.sessions())
    scarf = _second_item(service, ids)
    with service.sessions().begin() as session:
        stores = reports.choose_stores(session, None, [])
        found = reports.drill(session, "products", stores, None, ids["show"])
    assert (found.kind, found.title, found.range, found.columns[:3]) == (
        "broadcast_products", "冬装专场（改）", None, ("link_number", "product_id", "sku"))
    rows = list(found.dicts())
    assert [r["product_id"] for r in rows] == [scarf, ids["coat"]]            # queue order: position 0, then 1
    assert subset(rows[0], SCARF_ON_BJ) == SCARF_ON_BJ and subset(rows[1], COAT_ON_BJ) == COAT_ON_BJ
    assert rows[1]["product"] == "商品 JH-001" and rows[1]["brand"] == "锦华"

    window = {"from": "2026-11-20", "to": "2026-11-20"}
    group = _client(service, "group.analyst")
    answer = group.get("/v1/staff/reports/products", params={"broadcast": ids["show"]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["kind"], body["title"], body["from"], body["to"]) == ("broadcast_products", "冬装专场（改）", None,
                                                                       None)
    assert [subset(r, COAT_ON_BJ) for r in body["rows"][1:]] == [COAT_ON_BJ]
    exported = group.get("/v1/staff/reports/products", params={"broadcast": ids["show"], "format": "csv"})
    assert exported.status_code == 200 and f'broadcast_products-{ids["show"]}.csv' in \
        exported.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert lines[0][0] == "link_number" and lines[2][lines[0].index("gmv")] == "50.00"

    # A scoped account: the other store's broadcast is a 403 that says nothing about it.
    south = _client(service, "region.south", stores=("SH01",))
    refused = south.get("/v1/staff/reports/products", params={**window, "broadcast": ids["show"]})
    assert refused.status_code == 403 and refused.json()["error"] == "store_forbidden"
    assert "冬装" not in refused.text and "BJ01" not in refused.text and "JH-00" not in refused.text
    assert "5000" not in refused.text and "50.00" not in refused.text
    own = south.get("/v1/staff/reports/products", params={"broadcast": ids["other"]})
    assert own.status_code == 200 and [r["gmv"] for r in own.json()["rows"]] == [2_000]
    # A visible broadcast outside the stores named is not found in them; the cancelled show is not counted.
    assert group.get("/v1/staff/reports/products", params={"broadcast": ids["show"], "store": "SH01"}) \
        .status_code == 404

    url = service.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code, out, _ = _cli(capsys, url, "products", "--broadcast", ids["show"])
    lines = out.splitlines()
    assert code == 0 and lines[0] == "冬装专场（改）" and lines[1].split()[:2] == ["link_number", "sku"]
    assert lines[3].split()[:2] == ["1", "JH-001"] and "50.00" in lines[3] and "300.00" in lines[3]
    code, out, _ = _cli(capsys, url, "products", "--broadcast", ids["show"], "--format", "json")
    assert code == 0 and [r["sku"] for r in json.loads(out)["rows"]] == ["JH-002", "JH-001"]


@pytest.mark.parametrize(("kind", "params", "status", "error", "words"), [
    ("broadcasts", {"platform": "myspace"}, 422, "invalid_request", "no platform 'myspace'"),
    ("products", {"broadcast": "not-an-id"}, 422, "invalid_request", "is not a broadcast's id"),
    ("stores", {"broadcast": "0190b6a0-0000-7000-8000-000000000000"}, 422, "invalid_request", "Only the products"),
    ("products", {"broadcast": "0190b6a0-0000-7000-8000-000000000000"}, 404, "not_found", "not in the reports"),
])
def test_bad_platform_and_drill_requests_are_clear_refusals(service: LiveService, kind: str, params: dict[str, str],
                                                            status: int, error: str, words: str) -> None:
    fill(service.sessions())
    client = _client(service, "wang.li")
    answer = client.get(f"/v1/staff/reports/{kind}", params=params)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error and words in answer.json()["message"]
    chinese = client.get(f"/v1/staff/reports/{kind}", params=params, headers={"Accept-Language": "zh-CN"})
    assert chinese.status_code == status and chinese.json()["error"] == error


def test_the_drill_of_a_cancelled_show_is_not_found(service: LiveService) -> None:
    fill(service.sessions())
    with service.sessions().begin() as session:
        from console.headoffice.models import ReportBroadcast

        cancelled = session.scalars(select(ReportBroadcast.id).where(ReportBroadcast.status == "cancelled")).one()
        stores = reports.choose_stores(session, None, [])
        with pytest.raises(reports.NotFound):
            reports.broadcast_products(session, stores, None, cancelled)


@pytest.mark.parametrize(("argv", "words"), [
    (("broadcasts", "--platform", "myspace"), "There is no platform 'myspace'; choose one of douyin"),
    (("stores", "--broadcast", "0190b6a0-0000-7000-8000-000000000000"), "Only the products report"),
    (("products", "--broadcast", "nope"), "'nope' is not a broadcast's id"),
    (("products", "--broadcast", "0190b6a0-0000-7000-8000-000000000000"), "is not in the reports"),
])
def test_the_report_command_refuses_a_bad_platform_or_broadcast(service: LiveService,
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch,
                                                                argv: tuple[str, ...], words: str) -> None:
    fill(service.sessions())
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code, out, err = _cli(capsys, service.engine.url.render_as_string(hide_password=False), *argv)
    assert code == 2 and out == "" and words in err and err.startswith("anchor-headoffice: ")
