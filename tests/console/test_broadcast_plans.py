"""Planning broadcasts: title, room and window; a room holds one show at a time; cancelling; a moved ready show."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from console.domain.enums import BroadcastStatus, QualityDocumentKind
from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.services.broadcast_plans import BroadcastPlans
from console.services.broadcasts import BroadcastService
from console.services.queue import QueueService
from console.services.roster import RosterService
from console.storage.db import Database
from console.storage.models import AuditLog, Product, QualityDocument, StoreProduct

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
START = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)       # 19:00 in Shanghai


@pytest.fixture
def plans(db: Database, manager_actor: Actor) -> BroadcastPlans:
    return BroadcastPlans(db, manager_actor)


@pytest.fixture
def room(db: Database, manager_actor: Actor) -> UUID:
    return RosterService(db, manager_actor).add_room(code="R1", name="美妆直播间").id


def test_a_planned_broadcast_is_listed_with_its_room_and_window(
        plans: BroadcastPlans, room: UUID, db: Database, manager_actor: Actor) -> None:
    row = plans.plan(title="  锦华  冬季专场 ", room_id=room, starts_at=START, ends_at=START + timedelta(hours=2),
                     brand="锦华", category="服饰", now=NOW)
    assert (row.title, row.room_name, row.status, row.queue_length, row.brand) == (
        "锦华 冬季专场", "美妆直播间", BroadcastStatus.PLANNED, 0, "锦华")
    assert (row.planned_start, row.planned_end) == (START, START + timedelta(hours=2))
    assert [b.id for b in BroadcastService(db, manager_actor).broadcasts()] == [row.id]
    with db.begin() as s:
        assert s.query(AuditLog).filter_by(action="broadcast_planned", entity_id=row.id).count() == 1


@pytest.mark.parametrize("change, refusal", [
    ({"title": "  "}, "broadcast_plans.no_title"),
    ({"title": "长" * 201}, "limits.too_long"),
    ({"ends_at": START}, "broadcast_plans.ends_before_start"),
    ({"ends_at": START + timedelta(hours=13)}, "broadcast_plans.too_long"),
    ({"starts_at": NOW - timedelta(hours=1), "ends_at": NOW + timedelta(hours=1)}, "broadcast_plans.in_the_past"),
])
def test_a_plan_that_cannot_be_is_refused_and_nothing_is_written(
        plans: BroadcastPlans, room: UUID, db: Database, manager_actor: Actor, change: dict[str, object],
        refusal: str) -> None:
    wanted: dict[str, object] = {"title": "锦华专场", "room_id": room, "starts_at": START,
                                 "ends_at": START + timedelta(hours=2), **change}
    with pytest.raises(ValidationError) as refused:
        plans.plan(**wanted, now=NOW)  # type: ignore[arg-type]
    assert refused.value.message.id == refusal
    assert BroadcastService(db, manager_actor).broadcasts() == []


def test_a_room_holds_one_show_at_a_time_and_a_cancelled_one_frees_it(plans: BroadcastPlans, room: UUID) -> None:
    first = plans.plan(title="第一场", room_id=room, starts_at=START, ends_at=START + timedelta(hours=2), now=NOW)
    with pytest.raises(ValidationError) as refused:
        plans.plan(title="第二场", room_id=room, starts_at=START + timedelta(hours=1),
                   ends_at=START + timedelta(hours=3), now=NOW)
    assert refused.value.message.id == "broadcast_plans.room_taken" and "第一场" in str(refused.value)
    # Back to back is fine.
    plans.plan(title="第二场", room_id=room, starts_at=START + timedelta(hours=2),
               ends_at=START + timedelta(hours=4), now=NOW)
    assert plans.cancel(first.id).status is BroadcastStatus.CANCELLED
    plans.plan(title="第三场", room_id=room, starts_at=START, ends_at=START + timedelta(hours=1), now=NOW)
    with pytest.raises(ValidationError) as again:
        plans.cancel(first.id)
    assert again.value.message.id == "broadcast_plans.not_before_show"


def test_an_unknown_or_inactive_room_and_someone_who_may_not_plan(
        plans: BroadcastPlans, room: UUID, db: Database, manager_actor: Actor, anchor_actor: Actor) -> None:
    with pytest.raises(NotFound):
        plans.plan(title="x", room_id=uuid4(), starts_at=START, ends_at=START + timedelta(hours=1), now=NOW)
    with pytest.raises(PermissionDenied):
        BroadcastPlans(db, anchor_actor).plan(title="x", room_id=room, starts_at=START,
                                              ends_at=START + timedelta(hours=1), now=NOW)
    RosterService(db, manager_actor).update_room(room, active=False)
    with pytest.raises(ValidationError) as refused:
        plans.plan(title="x", room_id=room, starts_at=START, ends_at=START + timedelta(hours=1), now=NOW)
    assert refused.value.message.id == "broadcast_plans.room_inactive"


def test_moving_a_ready_show_past_its_papers_plans_it_again(
        plans: BroadcastPlans, room: UUID, db: Database, manager_actor: Actor, store: StoreInfo) -> None:
    with db.begin() as s:
        product = Product(sku="JH-1", name="羊绒大衣", brand="锦华", category="服饰", after_sales_policy="7天无理由退货")
        s.add(product)
        s.flush()
        s.add(QualityDocument(product_id=product.id, kind=QualityDocumentKind.INSPECTION_REPORT, number="R-1",
                              valid_until=date(2026, 12, 10)))
        s.add(StoreProduct(store_id=store.id, product_id=product.id, counter_price_fen=129_900, stock=5,
                           counter_price_evidence="价签照片"))
        product_id = product.id
    show = plans.plan(title="锦华专场", room_id=room, starts_at=START, ends_at=START + timedelta(hours=2), now=NOW)
    QueueService(db, manager_actor).add_products(show.id, [product_id])
    broadcasts = BroadcastService(db, manager_actor)
    assert broadcasts.mark_ready(show.id).ready
    later = START + timedelta(days=14)
    moved = plans.reschedule(show.id, title="锦华专场", room_id=room, starts_at=later,
                             ends_at=later + timedelta(hours=2), now=NOW)
    assert moved.status is BroadcastStatus.PLANNED and moved.planned_start == later
    assert not broadcasts.ready_check(show.id).ready
