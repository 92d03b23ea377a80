"""On air, in the core: going live, every key, the clocks from the events, the metrics, the refusals."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest
from sqlalchemy import func, select

from console.domain.enums import BroadcastStatus, OnAirEventKind, QueueItemStatus
from console.domain.errors import BroadcastNotReady, NotFound, ValidationError
from console.domain.onair import ClockLevel, ClockThresholds, ItemState, ShowState
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.services.onair import NotOnAir, OnAirService
from console.storage.db import Database
from console.storage.models import Broadcast, MetricSnapshot, OnAirEvent, Outbox, QualityDocument, QueueItem, ShowRun
from tests.onair_helpers import START, ready_show

T0 = START + timedelta(minutes=2)


def at(seconds: float):  # type: ignore[no-untyped-def]
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def show(db: Database, store: StoreInfo, manager_actor: Actor) -> UUID:
    return ready_show(db, store, manager_actor)


@pytest.fixture
def onair(db: Database, manager_actor: Actor) -> OnAirService:
    return OnAirService(db, manager_actor)


def events(db: Database) -> list[tuple[int, str, int | None]]:
    with db.begin() as s:
        rows = s.execute(select(OnAirEvent.seq, OnAirEvent.kind, OnAirEvent.payload).order_by(OnAirEvent.seq))
        return [(seq, str(kind), (payload or {}).get("link_number")) for seq, kind, payload in rows]


def test_going_live_puts_the_first_product_on_air_and_the_broadcast_live(
        onair: OnAirService, show: UUID, db: Database) -> None:
    now = onair.start(show, now=T0)
    assert (now.state, now.current.link_number, now.rehearsal) == (ShowState.LIVE, 1, False)
    assert [i.state for i in now.items] == [ItemState.ON_AIR] + [ItemState.WAITING] * 4
    assert now.current.facts.papers == (("inspection_report", "JC-0001"),)
    assert now.up_next.link_number == 2
    with db.begin() as s:
        b = s.get(Broadcast, show)
        assert (b.status, b.actual_start) == (BroadcastStatus.LIVE, T0)
    assert events(db) == [(1, "show_started", None), (2, "product_started", 1)]


def test_a_whole_show_by_its_keys_and_the_clocks_come_from_the_events(
        onair: OnAirService, show: UUID, db: Database, manager_actor: Actor) -> None:
    onair.start(show, now=T0)
    onair.next(now=at(100))                        # 1 done after 100 s, 2 on air
    onair.pause(now=at(130))
    paused = onair.state(now=at(400))              # the clocks stand still while paused
    assert paused.state is ShowState.PAUSED
    assert (paused.show_elapsed_seconds, paused.item_elapsed_seconds) == (130, 30)
    onair.resume(now=at(430))
    onair.jump(4, now=at(450))                     # 2 done after 50 s on air
    onair.sold_out(now=at(460))
    onair.previous(now=at(470))                    # back to 3
    onair.skip(now=at(475))                        # 3 skipped, 5 (the next waiting) on air
    onair.set_stock(7, now=at(480))
    onair.note("主播口误，已更正", now=at(485))
    now = onair.state(now=at(500))
    assert now.current.link_number == 5
    assert [i.state for i in now.items] == [ItemState.DONE, ItemState.DONE, ItemState.SKIPPED,
                                            ItemState.SOLD_OUT, ItemState.ON_AIR]
    assert [round(i.actual_seconds) for i in now.items] == [100, 50, 5, 20, 25]
    assert now.current.stock == 7 and now.current.notes == ("主播口误，已更正",)
    assert now.show_elapsed_seconds == 500 - 300

    # A second service (another process: the CLI) reads the same show from the events alone.
    again = OnAirService(db, manager_actor).state(now=at(500))
    assert again == now

    ended = onair.end(now=at(600))
    assert ended.state is ShowState.ENDED and ended.current is None
    with db.begin() as s:
        b = s.get(Broadcast, show)
        assert (b.status, b.actual_end) == (BroadcastStatus.ENDED, at(600))
        statuses = [q.status for q in s.scalars(select(QueueItem).order_by(QueueItem.position))]
        assert statuses == [QueueItemStatus.DONE, QueueItemStatus.DONE, QueueItemStatus.SKIPPED,
                            QueueItemStatus.DONE, QueueItemStatus.DONE]
        assert s.scalar(select(ShowRun.ended_at)) == at(600)
    seqs = [e[0] for e in events(db)]
    assert seqs == list(range(1, len(seqs) + 1))
    with pytest.raises(NotOnAir) as refused:
        onair.next()
    assert refused.value.message.id == "onair.nothing_on_air"
    summary = onair.summary(show)
    assert [round(i.actual_seconds) for i in summary.show.items] == [100, 50, 5, 20, 125]


def test_every_event_is_in_the_outbox_for_head_office(onair: OnAirService, show: UUID, db: Database) -> None:
    onair.start(show, now=T0)
    onair.next(now=at(10))
    with db.begin() as s:
        tables = s.scalars(select(Outbox.table_name)).all()
    assert tables.count("onair_event") == 4 and "show_run" in tables


@pytest.mark.parametrize("action, refusal", [
    (lambda o: o.jump(42), "onair.no_such_link"),
    (lambda o: o.jump(1), "onair.already_on_air"),
    (lambda o: o.set_stock(-1), "onair.stock_negative"),
    (lambda o: o.previous(), "onair.no_previous"),
    (lambda o: o.resume(), "onair.not_paused"),
    (lambda o: o.note("   "), "onair.note_empty"),
    (lambda o: o.note("长" * 501), "onair.note_too_long"),
    (lambda o: o.record_metrics(views=-5), "onair.metric_negative"),
    (lambda o: o.record_metrics(), "onair.metrics_none"),
])
def test_a_refused_key_records_nothing_and_the_show_goes_on(
        onair: OnAirService, show: UUID, db: Database, action, refusal: str) -> None:  # type: ignore[no-untyped-def]
    onair.start(show, now=T0)
    before = events(db)
    with pytest.raises((ValidationError, NotFound)) as refused:
        action(onair)
    assert refused.value.message.id == refusal
    assert events(db) == before
    assert onair.next(now=at(5)).current.link_number == 2


def test_the_last_product_has_no_next_and_ending_twice_is_refused(onair: OnAirService, db: Database,
                                                                   store: StoreInfo, manager_actor: Actor) -> None:
    show = ready_show(db, store, manager_actor, items=2)
    onair.start(show, now=T0)
    onair.next(now=at(1))
    with pytest.raises(ValidationError) as refused:
        onair.next(now=at(2))
    assert refused.value.message.id == "onair.no_next"
    run = onair.state().run_id
    onair.end(now=at(3))
    with pytest.raises(NotOnAir) as twice:
        onair.end(run, now=at(4))
    assert twice.value.message.id == "onair.ended_already"


def test_only_a_ready_broadcast_goes_live_and_a_room_holds_one_show(
        onair: OnAirService, db: Database, store: StoreInfo, manager_actor: Actor, show: UUID) -> None:
    with db.begin() as s:
        room = s.get(Broadcast, show).room_id
    other = ready_show(db, store, manager_actor, title="第二场", room_id=room, start=START + timedelta(hours=3))
    with db.begin() as s:
        s.get(Broadcast, other).status = BroadcastStatus.PLANNED
    with pytest.raises(ValidationError) as planned:
        onair.start(other, now=T0)
    assert planned.value.message.id == "onair.mark_ready_first"
    onair.start(show, now=T0)
    with pytest.raises(ValidationError) as again:
        onair.start(show, now=T0)
    assert again.value.message.id == "onair.on_air_already"
    with db.begin() as s:
        s.get(Broadcast, other).status = BroadcastStatus.READY
    with pytest.raises(ValidationError) as busy:
        onair.start(other, now=T0)
    assert busy.value.message.id == "onair.room_busy" and "锦华冬季专场" in str(busy.value)
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(ShowRun)) == 1


def test_going_live_checks_the_gate_again(onair: OnAirService, show: UUID, db: Database) -> None:
    with db.begin() as s:   # link 2's only paper runs out before the show
        paper = s.scalars(select(QualityDocument).where(QualityDocument.number == "JC-0002")).one()
        paper.valid_until = date(2026, 11, 30)
    with pytest.raises(BroadcastNotReady):
        onair.start(show, now=T0)
    with db.begin() as s:
        assert s.get(Broadcast, show).status is BroadcastStatus.READY
        assert s.scalar(select(func.count()).select_from(OnAirEvent)) == 0


def test_a_rehearsal_runs_the_same_show_and_leaves_the_broadcast_as_it_was(
        onair: OnAirService, show: UUID, db: Database) -> None:
    now = onair.start(show, rehearsal=True, now=T0)
    assert now.rehearsal
    onair.next(now=at(30))
    onair.record_metrics(viewers=10, now=at(31))
    onair.end(now=at(60))
    with db.begin() as s:
        b = s.get(Broadcast, show)
        assert (b.status, b.actual_start) == (BroadcastStatus.READY, None)
    real = onair.start(show, now=at(120))
    assert (real.rehearsal, real.current.link_number, real.show_elapsed_seconds) == (False, 1, 0)
    assert [i.state for i in real.items][1] is ItemState.WAITING
    assert onair.metrics() == []
    onair.end(now=at(200))
    assert onair.summary(show).show.rehearsal is False


def test_metrics_totals_never_go_backwards_viewers_may(onair: OnAirService, show: UUID, db: Database) -> None:
    onair.start(show, now=T0)
    onair.record_metrics(views=1000, viewers=300, likes=50, orders=3, gmv_fen=59_700, now=at(60))
    point = onair.record_metrics(viewers=120, orders=5, now=at(120))
    assert (point.views, point.viewers, point.orders, point.gmv_fen) == (1000, 120, 5, 59_700)
    with pytest.raises(ValidationError) as refused:
        onair.record_metrics(gmv_fen=100, now=at(180))
    assert refused.value.message.id == "onair.metric_backwards"
    assert "¥597.00" in str(refused.value)
    assert len(onair.metrics()) == 2
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(MetricSnapshot)) == 2


def test_an_anchor_runs_the_show_a_reader_cannot(db: Database, anchor_actor: Actor, show: UUID) -> None:
    onair = OnAirService(db, anchor_actor)
    assert onair.start(show, now=T0).current.link_number == 1


def test_the_product_clock_turns_warning_then_danger() -> None:
    clock = ClockThresholds(warning_seconds=30, danger_seconds=10)
    assert [clock.level(e, 180) for e in (0, 149, 150, 189, 190)] == [
        ClockLevel.OK, ClockLevel.OK, ClockLevel.WARNING, ClockLevel.WARNING, ClockLevel.DANGER]


def test_the_demo_shows_events_recorded_before_runs_fold_into_a_summary(db: Database, manager_actor: Actor,
                                                                         show: UUID, store: StoreInfo) -> None:
    with db.begin() as s:
        items = s.scalars(select(QueueItem).order_by(QueueItem.position)).all()
        for seq, (kind, item, sec) in enumerate([(OnAirEventKind.SHOW_STARTED, None, 0),
                                                  (OnAirEventKind.PRODUCT_STARTED, items[0].id, 5),
                                                  (OnAirEventKind.PRODUCT_ENDED, items[0].id, 65),
                                                  (OnAirEventKind.SHOW_ENDED, None, 90)], start=1):
            s.add(OnAirEvent(store_id=store.id, broadcast_id=show, queue_item_id=item, kind=kind, at=at(sec),
                             seq=seq, payload={}))
    summary = OnAirService(db, manager_actor).summary(show)
    assert summary.show.items[0].actual_seconds == 60 and summary.show.state is ShowState.ENDED


def test_the_show_as_plain_data_has_the_overlays_fields(onair: OnAirService, show: UUID) -> None:
    from console.domain.onair import state_fields

    onair.start(show, now=T0)
    fields = state_fields(onair.next(now=at(40)), items=True)
    assert {k: fields[k] for k in ("status", "current_link_number", "current_product", "live_price_fen",
                                   "show_elapsed_seconds", "item_elapsed_seconds", "next_link_number")} == {
        "status": "live", "current_link_number": 2, "current_product": "真丝睡衣", "live_price_fen": 20_100,
        "show_elapsed_seconds": 40, "item_elapsed_seconds": 0, "next_link_number": 3}
    assert fields["items"][0] == {"link_number": 1, "product": "羊绒围巾", "state": "done", "planned_seconds": 300,
                                  "actual_seconds": 40, "live_price_fen": 20_000, "stock": 50, "sold_out_at": None}
    assert state_fields(None)["status"] == "off_air"


def test_a_rehearsals_figures_stay_out_of_the_reports(onair: OnAirService, show: UUID, db: Database,
                                                      manager_actor: Actor) -> None:
    from console.services.reports import ReportService

    onair.start(show, rehearsal=True, now=T0)
    onair.record_metrics(viewers=9_999, orders=500, gmv_fen=9_999_900, now=at(10))
    onair.end(now=at(20))
    onair.start(show, now=at(60))
    onair.record_metrics(viewers=120, orders=4, gmv_fen=79_600, now=at(70))
    onair.end(now=at(80))
    [report] = ReportService(db, manager_actor).recent_broadcasts(now=START + timedelta(days=1))
    assert (report.peak_viewers, report.orders, report.gmv_fen) == (120, 4, 79_600)
