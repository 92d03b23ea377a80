"""Each report's figures against ones counted by hand (tests/report_helpers.py), from docs/reports.md."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from console.domain.enums import AuditVia
from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.permissions import Actor
from console.domain.reports import KINDS, ReportFilters, report_range
from console.domain.values import StoreInfo
from console.services.auth import AuthService
from console.services.onair import OnAirService
from console.services.reports import ReportService
from console.storage.db import Database
from console.storage.models import MetricSnapshot
from tests.report_helpers import B_START, HOST_LOGIN, HOST_PIN, S, Fixture, build

DEC3, DEC4 = date(2026, 12, 3), date(2026, 12, 4)
TODAY = date(2026, 12, 10)


@pytest.fixture
def fx(db: Database, store: StoreInfo, manager_actor: Actor) -> Fixture:
    return build(db, store, manager_actor)


@pytest.fixture
def reports(db: Database, manager_actor: Actor) -> ReportService:
    return ReportService(db, manager_actor)


def figures(report, key: str = ""):  # type: ignore[no-untyped-def]
    rows = list(report.dicts())
    return {row[key]: row for row in rows} if key else rows


# Show A (hand-counted): planned 2 h, live 3,600 s; readings 100/300/200/50 viewers; orders 10, GMV ¥1,000.00.
A = dict(broadcasts=1, planned_seconds=7200, actual_seconds=3600, over_under_seconds=-3600, products_planned=3,
         products_explained=3, peak_viewers=300, avg_viewers=162, orders=10, gmv=100_000, gmv_per_hour=100_000,
         sold_out_times=1)
# Show B: readings 1000/2000/500/1500 (a tombstoned one left out); the largest orders reading is 30.
B = dict(broadcasts=1, planned_seconds=7200, actual_seconds=7200, over_under_seconds=0, products_planned=2,
         products_explained=2, peak_viewers=2000, avg_viewers=1250, orders=30, gmv=500_000, gmv_per_hour=250_000,
         sold_out_times=1)
BOTH = dict(broadcasts=2, planned_seconds=14400, actual_seconds=10800, over_under_seconds=-3600,
            products_planned=5, products_explained=5, peak_viewers=2000, avg_viewers=706, orders=40, gmv=600_000,
            gmv_per_hour=200_000, sold_out_times=2)


def subset(row: dict, wanted: dict) -> dict:  # type: ignore[type-arg]
    return {k: row[k] for k in wanted}


def test_broadcasts_leave_out_rehearsals_cancelled_and_tombstoned_shows(fx: Fixture, reports: ReportService) -> None:
    report = reports.report("broadcasts", DEC3, DEC4, today=TODAY)
    rows = figures(report, "broadcast_id")
    assert list(rows) == [str(fx.a), str(fx.b)]          # in start order; cancelled and tombstoned left out
    a, b = rows[str(fx.a)], rows[str(fx.b)]
    assert subset(a, A) == A
    assert subset(b, B) == B
    assert (a["title"], a["room_code"], a["hosts"], a["start"]) == (
        "锦华冬季专场", "R1", "李副播、王主播", "2026-12-03T19:00:00+08:00")
    assert (b["hosts"], b["brand"], b["category"]) == ("王主播", "锦华", "服饰")  # no controller, no withdrawn


def test_a_range_is_the_stores_local_dates_both_ends_included(fx: Fixture, reports: ReportService) -> None:
    assert figures(reports.report("broadcasts", DEC3, DEC3, today=TODAY), "broadcast_id").keys() == {str(fx.a)}
    assert figures(reports.report("broadcasts", DEC4, DEC4, today=TODAY), "broadcast_id").keys() == {str(fx.b)}
    empty = reports.report("broadcasts", date(2026, 1, 1), date(2026, 1, 31), today=TODAY)
    assert empty.rows == () and empty.columns[:3] == ("broadcast_id", "title", "room_code")
    # Without dates: the 30 days up to today.
    assert report_range(None, None, TODAY).start == TODAY - timedelta(days=29)


def test_a_bad_range_is_refused_in_the_users_words(fx: Fixture, reports: ReportService) -> None:
    with pytest.raises(ValidationError, match="ends .2026-12-01. before it starts .2026-12-04."):
        reports.report("broadcasts", DEC4, date(2026, 12, 1), today=TODAY)
    with pytest.raises(ValidationError, match="at most 1,096 days"):
        reports.report("rooms", date(2016, 1, 1), date(2025, 12, 31), today=TODAY)
    with pytest.raises(ValidationError, match="no 'shows' report"):
        reports.report("shows", DEC3, DEC4, today=TODAY)


def test_anchors_rooms_and_the_store(fx: Fixture, reports: ReportService) -> None:
    anchors = figures(reports.report("anchors", DEC3, DEC4, today=TODAY), "anchor_code")
    assert list(anchors) == ["A01", "A02"]               # by GMV; no room controller, no withdrawn shift
    assert subset(anchors["A01"], BOTH) == BOTH
    assert subset(anchors["A02"], A) == A
    rooms = figures(reports.report("rooms", DEC3, DEC4, today=TODAY), "room_code")
    assert list(rooms) == ["R2", "R1"]
    assert subset(rooms["R1"], A) == A and subset(rooms["R2"], B) == B
    (only,) = figures(reports.report("stores", DEC3, DEC4, today=TODAY))
    assert only["store_code"] == "SH01" and subset(only, BOTH) == BOTH


def test_products_are_credited_with_what_sold_while_they_were_on_air(fx: Fixture, reports: ReportService) -> None:
    rows = figures(reports.report("products", DEC3, DEC4, today=TODAY), "product_id")
    p1, p2, p3 = (rows[str(p)] for p in fx.products)
    assert list(rows) == [str(fx.products[1]), str(fx.products[0]), str(fx.products[2])]
    assert {k: p1[k] for k in ("broadcasts", "planned_seconds", "actual_seconds", "products_planned",
                               "products_explained", "peak_viewers", "avg_viewers", "orders", "gmv",
                               "gmv_per_hour", "sold_out_times")} == dict(
        broadcasts=2, planned_seconds=600, actual_seconds=900, products_planned=2, products_explained=2,
        peak_viewers=1000, avg_viewers=550, orders=12, gmv=120_000, gmv_per_hour=480_000, sold_out_times=0)
    # Link 2 of A (2 readings) and link 2 of B: 15 + 5 and nothing for the reading that went down.
    assert subset(p2, dict(orders=0, gmv=0, peak_viewers=0, avg_viewers=0, actual_seconds=0,
                           sold_out_times=0)) == dict(orders=27, gmv=470_000, peak_viewers=2000, avg_viewers=900,
                                                      actual_seconds=800, sold_out_times=2)
    assert subset(p3, dict(orders=0, gmv=0, actual_seconds=0, gmv_per_hour=0, products_explained=0)) == dict(
        orders=0, gmv=0, actual_seconds=100, gmv_per_hour=0, products_explained=1)


def test_a_broadcasts_products_and_timeline(fx: Fixture, reports: ReportService) -> None:
    items = figures(reports.broadcast_products(fx.b))
    assert [(i["link_number"], i["actual_seconds"], i["orders"], i["gmv"], i["peak_viewers"], i["avg_viewers"],
             i["sold_out_times"]) for i in items] == [(1, 600, 10, 100_000, 1000, 1000, 0),
                                                      (2, 500, 20, 400_000, 2000, 1333, 1)]
    timeline = reports.timeline(fx.b)
    assert [(r.viewers, r.orders) for r in timeline.readings] == [(1000, 10), (500, 25), (2000, 30), (1500, 28)]
    assert [(g.start - B_START, g.end - B_START, g.link_number) for g in timeline.segments] == [
        (timedelta(0), timedelta(seconds=600), 1), (timedelta(seconds=600), timedelta(seconds=1100), 2)]
    a_line = reports.timeline(fx.a)
    assert [r.viewers for r in a_line.readings] == [100, 300, 200, 50]      # not the rehearsal's 9,000
    assert [g.link_number for g in a_line.segments] == [1, 2, 3]
    with pytest.raises(NotFound):
        reports.timeline(fx.cancelled)
    with pytest.raises(NotFound):
        reports.broadcast_products(fx.tombstoned)


def test_filters(fx: Fixture, reports: ReportService) -> None:
    def ids(kind: str, **f: object) -> list[str]:
        return [r.values[0] for r in reports.report(kind, DEC3, DEC4, ReportFilters(**f), today=TODAY).rows]

    assert ids("broadcasts", room_id=fx.room_b) == [str(fx.b)]
    assert ids("broadcasts", brand="锦华") == [str(fx.b)]
    assert ids("broadcasts", category="服饰") == [str(fx.b)]
    assert ids("broadcasts", platform="douyin") == []      # neither show names a platform account
    assert len(ids("products", brand="锦华")) == 3          # products filter by the product's brand
    assert ids("products", brand="别的品牌") == []


def test_an_anchor_sees_only_the_shows_they_hosted(db: Database, fx: Fixture, auth: AuthService) -> None:
    user = next(u for u in auth.list_users() if u.login == HOST_LOGIN)
    mine = ReportService(db, auth.sign_in(user.id, HOST_PIN, via=AuditVia.GUI))
    assert [r["broadcast_id"] for r in mine.report("broadcasts", DEC3, DEC4, today=TODAY).dicts()] == [str(fx.a)]
    assert [r["anchor_code"] for r in mine.report("anchors", DEC3, DEC4, today=TODAY).dicts()] == ["A02"]
    assert subset(next(mine.report("stores", DEC3, DEC4, today=TODAY).dicts()), A) == A
    with pytest.raises(NotFound):
        mine.timeline(fx.b)


def test_an_anchor_without_a_roster_entry_is_refused(db: Database, fx: Fixture, anchor_actor: Actor) -> None:
    with pytest.raises(PermissionDenied, match="shows they hosted"):
        ReportService(db, anchor_actor).report("broadcasts", DEC3, DEC4, today=TODAY)


def test_figures_follow_new_facts_at_once(db: Database, store: StoreInfo, fx: Fixture, reports: ReportService) -> None:
    """A reading that arrives late (a sync pull) is counted by the next report: the rollups are never behind."""
    before = next(reports.report("stores", DEC3, DEC4, today=TODAY).dicts())
    with db.begin() as s:
        s.add(MetricSnapshot(store_id=store.id, broadcast_id=fx.b, at=B_START + timedelta(seconds=1050),
                             viewers=2500, orders=41, gmv_fen=800_000))
    after = next(reports.report("stores", DEC3, DEC4, today=TODAY).dicts())
    assert (before["orders"], after["orders"]) == (40, 51)
    assert (before["peak_viewers"], after["peak_viewers"]) == (2000, 2500)
    items = figures(reports.broadcast_products(fx.b))
    assert items[1]["orders"] == 31      # 1,050 s is inside link 2's stretch: 41 − 30 more


def test_every_kind_has_its_stable_columns(fx: Fixture, reports: ReportService) -> None:
    for kind in KINDS:
        report = reports.report(kind, DEC3, DEC4, today=TODAY)
        assert report.columns[-12:] == ("broadcasts", "planned_seconds", "actual_seconds", "over_under_seconds",
                                        "products_planned", "products_explained", "peak_viewers", "avg_viewers",
                                        "orders", "gmv", "gmv_per_hour", "sold_out_times")
    assert reports.report("broadcasts", DEC3, DEC4, today=TODAY).columns[:9] == (
        "broadcast_id", "title", "room_code", "room", "platforms", "hosts", "brand", "category", "start")


def test_a_live_show_joins_the_reports_when_it_ends(db: Database, store: StoreInfo, manager_actor: Actor,
                                                    fx: Fixture, reports: ReportService) -> None:
    from tests.onair_helpers import ready_show

    c = ready_show(db, store, manager_actor, items=2, title="晚场", room_code="R9", room_name="九号间",
                   start=S + timedelta(hours=3))
    onair = OnAirService(db, manager_actor)
    onair.start(c, now=S + timedelta(hours=3))
    onair.record_metrics(now=S + timedelta(hours=3, minutes=1), viewers=10, orders=1, gmv_fen=100)
    assert str(c) not in figures(reports.report("broadcasts", DEC3, DEC4, today=TODAY), "broadcast_id")
    onair.end(now=S + timedelta(hours=4))
    row = figures(reports.report("broadcasts", DEC3, DEC4, today=TODAY), "broadcast_id")[str(c)]
    assert (row["orders"], row["gmv"], row["actual_seconds"], row["products_explained"]) == (1, 100, 3600, 1)
