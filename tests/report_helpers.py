"""A small store with hand-counted figures for the reports: a real show run through the on-air service
(after a rehearsal), a past show recorded before runs were kept (metrics out of order, one going down,
one tombstoned), a cancelled show, a tombstoned show, hosts, a co-host, a room controller and a withdrawn shift.

The expected figures are worked out by hand in tests/console/test_reports.py from docs/reports.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from console.domain.enums import Affiliation, BroadcastStatus, OnAirEventKind, Role, ShiftRole, ShiftStatus
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.services.auth import hash_pin
from console.services.onair import OnAirService
from console.storage.db import Database
from console.storage.models import (
    Anchor,
    Broadcast,
    MetricSnapshot,
    OnAirEvent,
    QueueItem,
    Shift,
    User,
)
from tests.onair_helpers import ready_show

S = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)          # show A goes live: 19:00 on 3 December in Shanghai
B_START = S + timedelta(days=1, minutes=5)            # show B, 4 December
HOST_LOGIN, HOST_PIN = "cohost", "2468"


@dataclass(frozen=True)
class Fixture:
    a: UUID            # the real show, run through the on-air service after a rehearsal
    b: UUID            # the past show with run_id null
    cancelled: UUID
    tombstoned: UUID
    host: UUID         # hosts A and B
    cohost: UUID       # co-hosts A only; has a login (HOST_LOGIN)
    controller: UUID   # room controller of B: not an anchor in the reports
    withdrawn: UUID    # a withdrawn host shift on B
    products: tuple[UUID, UUID, UUID]
    room_a: UUID
    room_b: UUID


def _s(seconds: float) -> datetime:
    return S + timedelta(seconds=seconds)


def build(db: Database, store: StoreInfo, actor: Actor) -> Fixture:
    a = ready_show(db, store, actor, items=3, title="锦华冬季专场", room_code="R1", room_name="美妆直播间",
                   start=S, planned_seconds=300)
    onair = OnAirService(db, actor)
    # A rehearsal the day before: none of it may count.
    onair.start(a, rehearsal=True, now=S - timedelta(days=1))
    onair.record_metrics(now=S - timedelta(days=1) + timedelta(seconds=30), viewers=9000, orders=999,
                         gmv_fen=9_999_900)
    onair.sold_out(now=S - timedelta(days=1) + timedelta(seconds=40))
    onair.end(now=S - timedelta(days=1) + timedelta(seconds=60))
    # The show: link 1 for 300 s, link 2 for 300 s (sold out), link 3 for 100 s then skipped, then the outro.
    onair.start(a, now=S)
    onair.record_metrics(now=_s(60), viewers=100, orders=2, gmv_fen=20_000)
    onair.next(now=_s(300))
    onair.record_metrics(now=_s(400), viewers=300, orders=5, gmv_fen=50_000)
    onair.sold_out(now=_s(500))
    onair.record_metrics(now=_s(550), viewers=200, orders=9, gmv_fen=90_000)
    onair.next(now=_s(600))
    onair.skip(now=_s(700))
    onair.record_metrics(now=_s(800), viewers=50, orders=10, gmv_fen=100_000)
    onair.end(now=_s(3600))

    with db.begin() as s:
        room_a = s.get(Broadcast, a).room_id
        items = list(s.query(QueueItem).filter(QueueItem.broadcast_id == a).order_by(QueueItem.position))
        products = tuple(i.product_id for i in items)
        room_b = ready_room(s, store, "R2", "服饰直播间")
        b = Broadcast(store_id=store.id, room_id=room_b, title="往期直播", planned_start=B_START,
                      planned_end=B_START + timedelta(hours=2), actual_start=B_START,
                      actual_end=B_START + timedelta(hours=2), status=BroadcastStatus.ENDED, brand="锦华",
                      category="服饰")
        s.add(b)
        s.flush()
        q1 = QueueItem(store_id=store.id, broadcast_id=b.id, product_id=products[0], position=1, link_number=1,
                       live_price_fen=10_000, planned_seconds=300)
        q2 = QueueItem(store_id=store.id, broadcast_id=b.id, product_id=products[1], position=2, link_number=2,
                       live_price_fen=20_000, planned_seconds=300)
        gone = QueueItem(store_id=store.id, broadcast_id=b.id, product_id=products[2], position=3, link_number=3,
                         live_price_fen=30_000, planned_seconds=300, deleted_at=B_START)
        s.add_all([q1, q2, gone])
        s.flush()
        t = lambda sec: B_START + timedelta(seconds=sec)  # noqa: E731
        K = OnAirEventKind
        for seq, (sec, kind, item, payload) in enumerate([
                (0, K.SHOW_STARTED, None, {}),
                (0, K.PRODUCT_STARTED, q1.id, {"link_number": 1}),
                (600, K.PRODUCT_ENDED, q1.id, {"link_number": 1, "seconds": 600}),
                (600, K.PRODUCT_STARTED, q2.id, {"link_number": 2}),
                (700, K.STOCK_CHANGED, q2.id, {"link_number": 2, "stock": 0}),
                (1100, K.PRODUCT_ENDED, q2.id, {"link_number": 2, "seconds": 500}),
                (7200, K.SHOW_ENDED, None, {})], start=1):
            s.add(OnAirEvent(store_id=store.id, broadcast_id=b.id, run_id=None, queue_item_id=item, kind=kind,
                             at=t(sec), seq=seq, payload=payload))
        # Out of order, one reading going down (28 after 30), one tombstoned.
        for sec, viewers, orders, gmv, deleted in ((300, 1000, 10, 100_000, None), (900, 2000, 30, 500_000, None),
                                                   (800, 500, 25, 400_000, None), (1000, 1500, 28, 450_000, None),
                                                   (950, 99_999, 999, 99_999_900, t(2000))):
            s.add(MetricSnapshot(store_id=store.id, broadcast_id=b.id, at=t(sec), viewers=viewers, orders=orders,
                                 gmv_fen=gmv, deleted_at=deleted))
        # Never counted: a cancelled show and a tombstoned one, both with figures.
        cancelled = _show_with_figures(s, store, room_b, "取消的直播", BroadcastStatus.CANCELLED, None)
        tombstoned = _show_with_figures(s, store, room_b, "删除的直播", BroadcastStatus.ENDED, B_START)

        def anchor(code: str, name: str) -> UUID:
            row = Anchor(store_id=store.id, code=code, name=name, affiliation=Affiliation.STAFF)
            s.add(row)
            s.flush()
            return row.id

        host, cohost = anchor("A01", "王主播"), anchor("A02", "李副播")
        controller, withdrawn = anchor("C01", "赵场控"), anchor("A03", "孙主播")

        def shift(who: UUID, room: UUID, bid: UUID, role: ShiftRole, start: datetime,
                  status: ShiftStatus = ShiftStatus.PUBLISHED) -> None:
            s.add(Shift(store_id=store.id, anchor_id=who, room_id=room, role=role, starts_at=start,
                        ends_at=start + timedelta(hours=2), broadcast_id=bid, status=status))

        shift(host, room_a, a, ShiftRole.HOST, S)
        shift(cohost, room_a, a, ShiftRole.CO_HOST, S)
        shift(host, room_b, b.id, ShiftRole.HOST, B_START)
        shift(controller, room_b, b.id, ShiftRole.ROOM_CONTROLLER, B_START)
        shift(withdrawn, room_b, b.id, ShiftRole.HOST, B_START, ShiftStatus.WITHDRAWN)
        shift(host, room_b, cancelled, ShiftRole.HOST, B_START + timedelta(hours=3))
        s.add(User(store_id=store.id, login=HOST_LOGIN, display_name="李副播", role=Role.ANCHOR,
                   pin_hash=hash_pin(HOST_PIN), anchor_id=cohost))
        return Fixture(a=a, b=b.id, cancelled=cancelled, tombstoned=tombstoned, host=host, cohost=cohost,
                       controller=controller, withdrawn=withdrawn, products=products,  # type: ignore[arg-type]
                       room_a=room_a, room_b=room_b)


def ready_room(s, store: StoreInfo, code: str, name: str) -> UUID:  # type: ignore[no-untyped-def]
    from console.storage.models import LiveRoom

    room = LiveRoom(store_id=store.id, code=code, name=name)
    s.add(room)
    s.flush()
    return room.id


def _show_with_figures(s, store: StoreInfo, room: UUID, title: str, status: BroadcastStatus,  # type: ignore[no-untyped-def]
                       deleted: datetime | None) -> UUID:
    start = B_START + timedelta(hours=3)
    row = Broadcast(store_id=store.id, room_id=room, title=title, planned_start=start,
                    planned_end=start + timedelta(hours=1), actual_start=start, actual_end=start + timedelta(hours=1),
                    status=status, deleted_at=deleted)
    s.add(row)
    s.flush()
    s.add(MetricSnapshot(store_id=store.id, broadcast_id=row.id, at=start + timedelta(minutes=5), viewers=7777,
                         orders=77, gmv_fen=7_700_000))
    return row.id
