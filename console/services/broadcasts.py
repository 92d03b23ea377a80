"""Broadcasts and their run-of-show queues, and the ready-gate that a queue must pass before the show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.domain.enums import BroadcastStatus, ShiftRole, ShiftStatus
from console.domain.errors import BroadcastNotReady, DomainError, NotFound, ValidationError
from console.domain.permissions import Permission
from console.domain.values import BroadcastRow, QueueRow, ReadyCheck
from console.i18n import Message, msg, msg_n
from console.rules.on_air import has_after_sales_policy, may_go_on_air
from console.rules.ready import ItemFacts, PaperFacts, ShowFacts, judge
from console.services.base import Service, load_store
from console.services.prices import lowest_counter_price_expr
from console.storage.models import (
    Anchor,
    Broadcast,
    LiveRoom,
    Product,
    QualityDocument,
    QueueItem,
    Shift,
    StoreProduct,
)

# Only a broadcast not yet on air can be marked ready (or is checked again after an edit).
_BEFORE_THE_SHOW = (BroadcastStatus.PLANNED, BroadcastStatus.READY)


@dataclass(frozen=True, slots=True)
class _QueueFacts:
    """A queue as read in one query: the gate's facts and the columns the queue list shows."""

    show: ShowFacts
    items: tuple[ItemFacts, ...]
    rows: tuple[QueueRow, ...]        # without the gate's findings yet


class BroadcastService(Service):
    # --- listing ------------------------------------------------------------------

    def upcoming(self, now: datetime | None = None, *, limit: int = 100) -> list[BroadcastRow]:
        now = now or datetime.now(timezone.utc)
        return self._list(Broadcast.planned_end >= now, Broadcast.planned_start.asc(), limit)

    def recent(self, now: datetime | None = None, *, limit: int = 100) -> list[BroadcastRow]:
        now = now or datetime.now(timezone.utc)
        return self._list(Broadcast.planned_end < now, Broadcast.planned_start.desc(), limit)

    def broadcasts(self, start: datetime | None = None, end: datetime | None = None, *,
                   limit: int = 10_000) -> list[BroadcastRow]:
        """Broadcasts planned to start in [start, end), earliest first; either end may be open."""
        condition = Broadcast.id.is_not(None)
        if start is not None:
            condition = condition & (Broadcast.planned_start >= start)
        if end is not None:
            condition = condition & (Broadcast.planned_start < end)
        return self._list(condition, Broadcast.planned_start.asc(), limit)

    def get(self, broadcast_id: UUID) -> BroadcastRow:
        rows = self._list(Broadcast.id == broadcast_id, Broadcast.planned_start.asc(), 1)
        if not rows:
            raise NotFound(msg("broadcasts.no_such_broadcast", "That broadcast does not exist in this store."))
        return rows[0]

    def resolve(self, reference: str) -> BroadcastRow:
        """The broadcast a person names: by its id, or by the start of its title if only one starts so."""
        reference = reference.strip()
        try:
            return self.get(UUID(reference))
        except ValueError:
            pass
        if not reference:
            raise ValidationError(msg("broadcasts.no_reference", "Name a broadcast by its id or its title."))
        matches = [b for b in self._list(Broadcast.id.is_not(None), Broadcast.planned_start.asc(), 10_000)
                   if b.title.casefold().startswith(reference.casefold())]
        exact = [b for b in matches if b.title.casefold() == reference.casefold()]
        if len(exact) == 1:
            return exact[0]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NotFound(msg("broadcasts.no_title_match", "No broadcast's title starts with '{text}'.",
                               text=reference))
        raise ValidationError(msg_n(
            "broadcasts.ambiguous_title",
            "{count} broadcast's title starts with '{text}': {titles}; give more of the title or the id.",
            "{count} broadcasts' titles start with '{text}': {titles}; give more of the title or the id.",
            count=len(matches), text=reference, titles=tuple(f"{b.title} ({b.id})" for b in matches[:5])))

    def _list(self, condition, order, limit: int) -> list[BroadcastRow]:  # type: ignore[no-untyped-def]
        self._actor.require(Permission.VIEW_STORE)
        sid = self._store_scope()
        with self._db.begin() as s:
            queue_len = (
                select(func.count()).where(QueueItem.broadcast_id == Broadcast.id,
                                           QueueItem.deleted_at.is_(None))
                .correlate(Broadcast).scalar_subquery()
            )
            q = (
                select(Broadcast, LiveRoom.name, queue_len)
                .join(LiveRoom, LiveRoom.id == Broadcast.room_id)
                .where(Broadcast.store_id == sid, Broadcast.deleted_at.is_(None), condition)
                .order_by(order).limit(limit)
            )
            found = s.execute(q).all()
            ids = [b.id for b, _, _ in found]
            hosts: dict[UUID, list[str]] = defaultdict(list)
            if ids:
                for bid, name in s.execute(
                    select(Shift.broadcast_id, Anchor.name).join(Anchor, Anchor.id == Shift.anchor_id)
                    .where(Shift.broadcast_id.in_(ids), Shift.deleted_at.is_(None),
                           Shift.status != ShiftStatus.WITHDRAWN,
                           Shift.role.in_([ShiftRole.HOST, ShiftRole.CO_HOST]))
                    .order_by(Shift.role, Anchor.name)
                ):
                    hosts[bid].append(name)
            return [
                BroadcastRow(id=b.id, title=b.title, room_name=room, planned_start=b.planned_start,
                             planned_end=b.planned_end, status=b.status, hosts=tuple(hosts[b.id]),
                             queue_length=n or 0, brand=b.brand, category=b.category)
                for b, room, n in found
            ]

    # --- the queue, with each item's findings ---------------------------------------

    def queue(self, broadcast_id: UUID) -> list[QueueRow]:
        """The run-of-show in order, each row with the ready-gate's findings on it."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            broadcast = self._find(s, broadcast_id)
            if broadcast is None:
                return []
            facts = self._facts(s, broadcast)
        check = judge(facts.show, facts.items)
        return [
            _with_findings(row, found.problems, found.warnings)
            for row, found in zip(facts.rows, check.items, strict=True)
        ]

    # --- the ready-gate ---------------------------------------------------------------

    def ready_check(self, broadcast_id: UUID) -> ReadyCheck:
        """What the gate says of the broadcast now: blocks and warnings, each naming its link."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return self._check(s, self._broadcast(s, broadcast_id))

    def mark_ready(self, broadcast_id: UUID) -> ReadyCheck:
        """Mark the broadcast ready, or refuse naming every block; warnings are returned, not refused."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        with self._db.begin() as s:
            broadcast = self._broadcast(s, broadcast_id)
            if broadcast.status not in _BEFORE_THE_SHOW:
                raise ValidationError(msg(
                    "broadcasts.ready_only_before_show",
                    "{title} is {status}; only a planned broadcast can be marked ready.",
                    title=broadcast.title, status=STATUS_WORDS[broadcast.status]))
            check = self._check(s, broadcast)
            if not check.ready:
                raise BroadcastNotReady(check)
            if broadcast.status is not BroadcastStatus.READY:
                broadcast.status = BroadcastStatus.READY
                self._audit(s, "broadcast_ready", "broadcast", broadcast.id,
                            warnings=[str(w) for w in check.warnings])
            return _with_status(check, BroadcastStatus.READY)

    def unready_if_broken(self, s: Session, broadcast_id: UUID) -> Message | None:
        """After an edit in ``s``: a ready broadcast the edit broke goes back to planned; says why.

        For every service whose edits can break the gate (the queue, store
        prices and stock, the catalog); call it in the edit's own unit of work,
        after the edit, so that the two commit together.
        """
        s.flush()
        broadcast = self._find(s, broadcast_id)
        if broadcast is None or broadcast.status is not BroadcastStatus.READY:
            return None
        check = self._check(s, broadcast)
        if check.ready:
            return None
        broadcast.status = BroadcastStatus.PLANNED
        self._audit(s, "broadcast_unready", "broadcast", broadcast.id, reasons=[str(p) for p in check.problems])
        return msg("broadcasts.back_to_planned", "{title} is no longer ready and is planned again: {problems}",
                   title=broadcast.title, problems=check.problems)

    def unready_holding(self, s: Session, product_id: UUID) -> tuple[Message, ...]:
        """:meth:`unready_if_broken` for each ready broadcast whose queue holds the product."""
        s.flush()
        ready = s.scalars(
            select(Broadcast.id).join(QueueItem, QueueItem.broadcast_id == Broadcast.id)
            .where(Broadcast.store_id == self._store_scope(), Broadcast.status == BroadcastStatus.READY,
                   Broadcast.deleted_at.is_(None), QueueItem.product_id == product_id,
                   QueueItem.deleted_at.is_(None))
            .distinct().order_by(Broadcast.id)
        ).all()
        return tuple(m for bid in ready if (m := self.unready_if_broken(s, bid)) is not None)

    # --- reading the facts ------------------------------------------------------------

    def _find(self, s: Session, broadcast_id: UUID) -> Broadcast | None:
        broadcast = s.get(Broadcast, broadcast_id)
        if broadcast is None or broadcast.is_deleted or broadcast.store_id != self._store_scope():
            return None
        return broadcast

    def _broadcast(self, s: Session, broadcast_id: UUID) -> Broadcast:
        broadcast = self._find(s, broadcast_id)
        if broadcast is None:
            raise NotFound(msg("broadcasts.no_such_broadcast", "That broadcast does not exist in this store."))
        return broadcast

    def _check(self, s: Session, broadcast: Broadcast) -> ReadyCheck:
        facts = self._facts(s, broadcast)
        return _with_status(judge(facts.show, facts.items), broadcast.status)

    def _facts(self, s: Session, broadcast: Broadcast) -> _QueueFacts:
        """Every fact the gate needs of the whole queue, from one query (a row per item and live paper)."""
        sid = self._store_scope()
        show = ShowFacts(broadcast_id=broadcast.id, title=broadcast.title, starts_at=broadcast.planned_start,
                         ends_at=broadcast.planned_end, timezone=load_store(s, sid).timezone)
        q = (
            # Columns, not entities: a hundred items with their papers load in a few milliseconds.
            select(QueueItem.id, QueueItem.position, QueueItem.link_number, QueueItem.product_id,
                   QueueItem.live_price_fen, QueueItem.deal, QueueItem.planned_seconds, QueueItem.status,
                   Product.name, Product.brand, Product.after_sales_policy,
                   Product.deleted_at.label("withdrawn_at"), StoreProduct.counter_price_fen,
                   StoreProduct.counter_price_evidence, StoreProduct.stock,
                   lowest_counter_price_expr(sid, QueueItem.product_id, broadcast.planned_start).label("lowest"),
                   QualityDocument.id.label("paper_id"), QualityDocument.number.label("paper_number"),
                   QualityDocument.valid_until.label("paper_valid_until"))
            .join(Product, Product.id == QueueItem.product_id)
            .outerjoin(StoreProduct, (StoreProduct.product_id == Product.id) & (StoreProduct.store_id == sid)
                       & StoreProduct.deleted_at.is_(None))
            .outerjoin(QualityDocument, (QualityDocument.product_id == Product.id)
                       & QualityDocument.deleted_at.is_(None))
            .where(QueueItem.broadcast_id == broadcast.id, QueueItem.store_id == sid,
                   QueueItem.deleted_at.is_(None))
            .order_by(QueueItem.position, QueueItem.id, QualityDocument.valid_until, QualityDocument.id)
        )
        # One row per item and paper: the item's facts from its first row, its papers from all.
        first: dict[UUID, Any] = {}
        papers: dict[UUID, list[PaperFacts]] = defaultdict(list)
        for r in s.execute(q):
            first.setdefault(r.id, r)
            if r.paper_id is not None:
                papers[r.id].append(PaperFacts(number=r.paper_number, valid_until=r.paper_valid_until))
        items: list[ItemFacts] = []
        rows: list[QueueRow] = []
        for item_id, qi in first.items():
            held = tuple(papers[item_id])
            items.append(ItemFacts(
                queue_item_id=qi.id, link_number=qi.link_number, product_name=qi.name,
                live_price_fen=qi.live_price_fen, planned_seconds=qi.planned_seconds, papers=held,
                after_sales_policy=qi.after_sales_policy, withdrawn=qi.withdrawn_at is not None,
                counter_price_fen=qi.counter_price_fen, counter_price_evidence=qi.counter_price_evidence or "",
                lowest_counter_price_fen=qi.lowest, stock=qi.stock))
            rows.append(QueueRow(
                id=qi.id, position=qi.position, link_number=qi.link_number, product_id=qi.product_id,
                product_name=qi.name, brand=qi.brand, live_price_fen=qi.live_price_fen,
                counter_price_fen=qi.counter_price_fen, deal=qi.deal, planned_seconds=qi.planned_seconds,
                status=qi.status, may_go_on_air=may_go_on_air(
                    quality_papers=len(held), has_policy=has_after_sales_policy(qi.after_sales_policy))))
        return _QueueFacts(show=show, items=tuple(items), rows=tuple(rows))

    # --- on air -----------------------------------------------------------------------

    def live_or_next(self, now: datetime | None = None) -> BroadcastRow | None:
        """The show on air now, else the next one still to come (planned or ready)."""
        now = now or datetime.now(timezone.utc)
        live = self._list(Broadcast.status == BroadcastStatus.LIVE, Broadcast.planned_start.asc(), 1)
        if live:
            return live[0]
        upcoming = self._list(
            (Broadcast.planned_end >= now) & Broadcast.status.in_(_BEFORE_THE_SHOW),
            Broadcast.planned_start.asc(), 1,
        )
        return upcoming[0] if upcoming else None


# A broadcast's status in words, for messages.
STATUS_WORDS: dict[BroadcastStatus, Message] = {
    BroadcastStatus.PLANNED: msg("broadcasts.status_planned", "planned"),
    BroadcastStatus.READY: msg("broadcasts.status_ready", "ready"),
    BroadcastStatus.LIVE: msg("broadcasts.status_live", "live"),
    BroadcastStatus.ENDED: msg("broadcasts.status_ended", "ended"),
    BroadcastStatus.CANCELLED: msg("broadcasts.status_cancelled", "cancelled"),
}


def _with_findings(row: QueueRow, problems: Sequence[Message], warnings: Sequence[Message]) -> QueueRow:
    return replace(row, problems=tuple(problems), warnings=tuple(warnings))


def _with_status(check: ReadyCheck, status: BroadcastStatus) -> ReadyCheck:
    return replace(check, status=status)
