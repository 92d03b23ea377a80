"""On air: going live, every key an anchor presses during a show, the metrics, the end.

Every action is one unit of work that records its events (``onair_event``)
and commits before it returns: what the screen shows next is already on
disk (``synchronous = FULL``), so a console killed at any moment comes back
to the same show, the same product and the same clocks, recomputed from the
events by :class:`console.domain.onair.ShowLog`. An action takes the
database's write lock before it reads the show, so the screen, the command
line and the overlay's buttons, in one process or several, never record two
events with one number or act on a show another process has just changed.

The service keeps each open run's fold in memory and catches it up with the
events recorded since (by another process) at the start of every action;
an action whose commit fails forgets its fold, which the next one reads again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from console.domain.enums import BroadcastStatus, OnAirEventKind, QueueItemStatus, ScriptKind
from console.domain.errors import BroadcastNotReady, DomainError, NotFound, ValidationError
from console.domain.onair import Event, ItemState, LineFacts, ShowLog, ShowNow
from console.domain.permissions import Permission
from console.i18n import Message, Money, msg
from console.services.base import Service
from console.services.broadcasts import STATUS_WORDS, BroadcastService
from console.storage.models import (
    Broadcast,
    LiveRoom,
    MetricSnapshot,
    OnAirEvent,
    Product,
    QualityDocument,
    QueueItem,
    Script,
    ScriptVersion,
    ShowRun,
    StoreProduct,
)
from console.storage.types import utcnow

K = OnAirEventKind
NOTE_LIMIT = 500
# Figures the platform counts up: they never go down during a show. Viewers ("watching now") may.
CUMULATIVE = ("views", "likes", "orders", "gmv_fen")
METRIC_FIELDS = ("views", "viewers", "likes", "orders", "gmv_fen")


class NotOnAir(DomainError):
    """An on-air action with no show on air, or on a show that has ended."""


@dataclass(frozen=True, slots=True)
class MetricPoint:
    at: datetime
    views: int
    viewers: int
    likes: int
    orders: int
    gmv_fen: int


@dataclass(frozen=True, slots=True)
class ShowSummary:
    """After the show: planned against actual per product, the notes, the metrics recorded."""

    show: ShowNow
    metrics: tuple[MetricPoint, ...]

    @property
    def last(self) -> MetricPoint | None:
        return self.metrics[-1] if self.metrics else None

    @property
    def peak_viewers(self) -> int:
        return max((m.viewers for m in self.metrics), default=0)


@dataclass(frozen=True, slots=True)
class _New:
    kind: OnAirEventKind
    queue_item_id: UUID | None = None
    payload: dict[str, Any] | None = None


_LOCK = text("UPDATE show_run SET id = id WHERE 0")   # takes SQLite's write lock, changes nothing


class OnAirService(Service):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._logs: dict[UUID, ShowLog] = {}

    # --- reading ------------------------------------------------------------------------
    def overlay_token(self) -> str:
        """The token a streaming deck's buttons send to the overlay (made once, in the data folder)."""
        from console.overlay.token import overlay_token

        return overlay_token(self._db.path.parent)

    def active(self, now: datetime | None = None) -> ShowNow | None:
        """The show on air in this store now (the latest started, if several rooms are live), or None."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            run = s.scalars(self._open_runs().order_by(ShowRun.started_at.desc()).limit(1)).first()
            if run is None:
                return None
            return self._log(s, run).now(now or utcnow())

    def state(self, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        """The open show ``run_id`` (or the store's only one) as it stands now."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return self._log(s, self._open_run(s, run_id)).now(now or utcnow())

    def run_of(self, broadcast_id: UUID) -> UUID:
        """The open run of ``broadcast_id``: which show an action means when several rooms are live."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            run_id = s.scalar(self._open_runs().with_only_columns(ShowRun.id)
                              .where(ShowRun.broadcast_id == broadcast_id).limit(1))
            if run_id is None:
                broadcast = BroadcastService(self._db, self._actor)._broadcast(s, broadcast_id)
                raise NotOnAir(msg("onair.broadcast_not_on_air", "{title} is not on air.", title=broadcast.title))
            return run_id

    def summary(self, broadcast_id: UUID, now: datetime | None = None) -> ShowSummary:
        """The broadcast's show (its latest real run; else its latest rehearsal) with its metrics."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            broadcast = BroadcastService(self._db, self._actor)._broadcast(s, broadcast_id)
            run = s.scalars(
                select(ShowRun).where(ShowRun.broadcast_id == broadcast.id, ShowRun.deleted_at.is_(None))
                .order_by(ShowRun.rehearsal, ShowRun.started_at.desc()).limit(1)).first()
            if run is not None:
                log = self._fold(s, run)
                metric_filter = _metrics_of_run(run)
            else:
                # Recorded before runs were kept: every event of the broadcast is its one real show.
                if not s.scalar(select(func.count()).select_from(OnAirEvent)
                                .where(OnAirEvent.broadcast_id == broadcast.id)):
                    raise NotOnAir(msg("onair.never_on_air", "{title} has not been on air.",
                                       title=broadcast.title))
                log = self._new_log(s, broadcast, run_id=broadcast.id, rehearsal=False)
                self._catch_up(s, log, OnAirEvent.broadcast_id == broadcast.id, OnAirEvent.run_id.is_(None))
                metric_filter = (MetricSnapshot.broadcast_id == broadcast.id) & MetricSnapshot.run_id.is_(None)
            points = tuple(self._metric_points(s, metric_filter))
            return ShowSummary(show=log.now(now or utcnow()), metrics=points)

    def metrics(self, run_id: UUID | None = None) -> list[MetricPoint]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            run = self._open_run(s, run_id)
            return self._metric_points(s, _metrics_of_run(run))

    # --- going live and ending --------------------------------------------------------------
    def start(self, broadcast_id: UUID, *, rehearsal: bool = False, now: datetime | None = None) -> ShowNow:
        """Go live on a ready broadcast (or rehearse a planned or ready one): its first product on air."""
        self._actor.require(Permission.RUN_SHOW)
        with self._db.begin() as s:
            s.execute(_LOCK)
            broadcasts = BroadcastService(self._db, self._actor)
            broadcast = broadcasts._broadcast(s, broadcast_id)
            self._check_startable(s, broadcasts, broadcast, rehearsal=rehearsal)
            at = now or utcnow()
            run = ShowRun(store_id=self._store_scope(), broadcast_id=broadcast.id, room_id=broadcast.room_id,
                          rehearsal=rehearsal, started_at=at, started_by=self._actor.user_id)
            s.add(run)
            s.flush()
            log = self._new_log(s, broadcast, run_id=run.id, rehearsal=rehearsal)
            first = log.now(at).items
            if not first:
                raise ValidationError(msg("onair.empty_queue",
                                          "{title} has no products on its queue; add some first.",
                                          title=broadcast.title))
            if not rehearsal:
                broadcast.status, broadcast.actual_start = BroadcastStatus.LIVE, at
            self._audit(s, "show_rehearsal_started" if rehearsal else "show_started", "broadcast", broadcast.id,
                        run_id=run.id)
            seq = (s.scalar(select(func.max(OnAirEvent.seq)).where(OnAirEvent.broadcast_id == broadcast.id))
                   or 0)
            log.last_seq = seq
            events = self._write(s, run, log, at, [
                _New(K.SHOW_STARTED, payload={"rehearsal": rehearsal}),
                _started(first[0].facts),
            ])
        return self._commit_fold(log, events, at)

    def end(self, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        """End the show: the product on air is done; the broadcast is ended (a rehearsal leaves it as it was)."""

        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            events = [_ended(show)] if show.current else []
            at = show.at
            run.ended_at = at
            if not run.rehearsal:
                broadcast = s.get(Broadcast, run.broadcast_id)
                assert broadcast is not None
                broadcast.status, broadcast.actual_end = BroadcastStatus.ENDED, at
                for item in show.items:
                    qi = s.get(QueueItem, item.queue_item_id)
                    if qi is None:
                        continue
                    final = (QueueItemStatus.DONE if item.state in (ItemState.ON_AIR, ItemState.DONE)
                             or (item.state is ItemState.SOLD_OUT and item.actual_seconds > 0)
                             else QueueItemStatus.SKIPPED)
                    if qi.status is not final:
                        qi.status = final
            self._audit(s, "show_ended", "broadcast", run.broadcast_id, run_id=run.id)
            return [*events, _New(K.SHOW_ENDED)]

        return self._act(run_id, build, now)

    # --- the keys -------------------------------------------------------------------------
    def next(self, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        """The next waiting product on air; the one on air is done."""

        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            target = show.up_next
            if target is None:
                raise ValidationError(msg(
                    "onair.no_next", "Every product has been on air; jump to a link number, or end the show."))
            return [*_leave(show), _started(target.facts)]

        return self._act(run_id, build, now)

    def previous(self, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        """Back to the product before the one on air, in queue order."""

        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            items = show.items
            if show.current is None:
                explained = [i for i in items if i.state is not ItemState.WAITING]
                target = explained[-1] if explained else None
            else:
                index = items.index(show.current)
                target = items[index - 1] if index > 0 else None
            if target is None:
                raise ValidationError(msg("onair.no_previous", "This is the first product; there is none before it."))
            return [*_leave(show), _started(target.facts)]

        return self._act(run_id, build, now)

    def jump(self, link_number: int, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        """Put link ``link_number`` on air, whatever its state."""

        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            target = show.item(link_number)
            if target is None:
                raise NotFound(msg("onair.no_such_link", "There is no link {link} in this show; the links are "
                                   "{first} to {last}.", link=str(link_number),
                                   first=str(min(i.link_number for i in show.items)),
                                   last=str(max(i.link_number for i in show.items))))
            if show.current is not None and target.queue_item_id == show.current.queue_item_id:
                raise ValidationError(msg("onair.already_on_air", "Link {link} is on air already.",
                                          link=str(link_number)))
            return [*_leave(show), _started(target.facts)]

        return self._act(run_id, build, now)

    def skip(self, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        """Leave the product on air out (skipped) and put the next waiting one on."""

        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            current = _require_current(show)
            events = [_ended(show), _New(K.PRODUCT_SKIPPED, current.queue_item_id,
                                         {"link_number": current.link_number})]
            target = show.up_next
            return [*events, _started(target.facts)] if target is not None else events

        return self._act(run_id, build, now)

    def sold_out(self, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        """The product on air is sold out: its stock is nought, it stays on air until the next key."""

        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            current = _require_current(show)
            if current.sold_out_at is not None:
                raise ValidationError(msg("onair.sold_out_already", "Link {link} is sold out already.",
                                          link=str(current.link_number)))
            return [_New(K.SOLD_OUT, current.queue_item_id, {"link_number": current.link_number})]

        return self._act(run_id, build, now)

    def set_stock(self, stock: int, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        """The stock left of the product on air, as the platform shows it (0 is sold out)."""
        if stock < 0:
            raise ValidationError(msg("onair.stock_negative", "Stock cannot be below zero (got {stock}).",
                                      stock=str(stock)))
        if stock > 10_000_000:
            raise ValidationError(msg("onair.stock_too_large", "Stock of {stock} is not believable; check the "
                                      "figure.", stock=str(stock)))

        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            current = _require_current(show)
            return [_New(K.STOCK_CHANGED, current.queue_item_id,
                         {"link_number": current.link_number, "stock": stock})]

        return self._act(run_id, build, now)

    def note(self, note: str, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        """A note on the product on air (or on the show, between products)."""
        note = note.strip()
        if not note:
            raise ValidationError(msg("onair.note_empty", "The note is empty; type what happened."))
        if len(note) > NOTE_LIMIT:
            raise ValidationError(msg("onair.note_too_long", "A note is at most {limit} characters; this one has "
                                      "{length}.", limit=NOTE_LIMIT, length=len(note)))

        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            current = show.current
            payload: dict[str, Any] = {"text": note}
            if current is not None:
                payload["link_number"] = current.link_number
            return [_New(K.NOTE, current.queue_item_id if current else None, payload)]

        return self._act(run_id, build, now)

    def pause(self, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            if show.paused:
                raise ValidationError(msg("onair.paused_already", "The show is paused already."))
            return [_New(K.PAUSED)]

        return self._act(run_id, build, now)

    def resume(self, run_id: UUID | None = None, now: datetime | None = None) -> ShowNow:
        def build(log: ShowLog, show: ShowNow, s: Session, run: ShowRun) -> list[_New]:
            if not show.paused:
                raise ValidationError(msg("onair.not_paused", "The show is not paused."))
            return [_New(K.RESUMED)]

        return self._act(run_id, build, now)

    # --- metrics ---------------------------------------------------------------------------
    def record_metrics(self, run_id: UUID | None = None, now: datetime | None = None, *,
                       views: int | None = None, viewers: int | None = None, likes: int | None = None,
                       orders: int | None = None, gmv_fen: int | None = None) -> MetricPoint:
        """The platform's figures now; a figure left out keeps its last value. Totals never go down."""
        self._actor.require(Permission.RUN_SHOW)
        given = {"views": views, "viewers": viewers, "likes": likes, "orders": orders, "gmv_fen": gmv_fen}
        if all(v is None for v in given.values()):
            raise ValidationError(msg("onair.metrics_none", "Give at least one figure: views, viewers, likes, "
                                      "orders or GMV."))
        for name, value in given.items():
            if value is not None and value < 0:
                raise ValidationError(msg("onair.metric_negative", "{figure} cannot be below zero.",
                                          figure=METRIC_WORDS[name]))
        with self._db.begin() as s:
            s.execute(_LOCK)
            run = self._open_run(s, run_id)
            last = s.scalars(select(MetricSnapshot).where(_metrics_of_run(run))
                             .order_by(MetricSnapshot.at.desc()).limit(1)).first()
            values: dict[str, int] = {}
            for name in METRIC_FIELDS:
                before = getattr(last, name) if last is not None else 0
                value = given[name]
                if value is None:
                    values[name] = before
                    continue
                if name in CUMULATIVE and value < before:
                    raise ValidationError(msg(
                        "onair.metric_backwards", "{figure} cannot go down during a show: the last figure "
                        "recorded was {before}, this one is {value}.", figure=METRIC_WORDS[name],
                        before=_figure(name, before), value=_figure(name, value)))
                values[name] = value
            at = now or utcnow()
            if last is not None and at <= last.at:
                at = last.at + _EPSILON   # one figure per moment, in the order they were typed
            s.add(MetricSnapshot(store_id=self._store_scope(), broadcast_id=run.broadcast_id, run_id=run.id,
                                 at=at, **values))
        return MetricPoint(at=at, **values)

    # --- the machinery -----------------------------------------------------------------------
    def _act(self, run_id: UUID | None, build: Callable[[ShowLog, ShowNow, Session, ShowRun], list[_New]],
             now: datetime | None) -> ShowNow:
        self._actor.require(Permission.RUN_SHOW)
        with self._db.begin() as s:
            s.execute(_LOCK)
            run = self._open_run(s, run_id)
            log = self._log(s, run)
            at = now or utcnow()
            if log.latest_at is not None and at < log.latest_at:
                at = log.latest_at   # a clock set back never puts an event before the one it follows
            show = log.now(at)
            events = self._write(s, run, log, at, build(log, show, s, run))
        return self._commit_fold(log, events, at)

    def _write(self, s: Session, run: ShowRun, log: ShowLog, at: datetime, new: Sequence[_New]) -> list[Event]:
        events = []
        for offset, spec in enumerate(new, start=1):
            seq = log.last_seq + offset
            s.add(OnAirEvent(store_id=self._store_scope(), broadcast_id=run.broadcast_id, run_id=run.id,
                             queue_item_id=spec.queue_item_id, kind=spec.kind, at=at, seq=seq,
                             user_id=self._actor.user_id, payload=spec.payload or {}))
            events.append(Event(seq=seq, kind=spec.kind, at=at, queue_item_id=spec.queue_item_id,
                                payload=spec.payload or {}))
        # Committed by the caller's unit of work; folded only once that commit has succeeded.
        return events

    def _commit_fold(self, log: ShowLog, events: list[Event], at: datetime) -> ShowNow:
        for event in events:
            log.apply(event)
        self._logs[log.run_id] = log
        if log.ended_at is not None:
            self._logs.pop(log.run_id, None)
        return log.now(at)

    def _open_runs(self) -> Any:
        return select(ShowRun).where(ShowRun.store_id == self._store_scope(), ShowRun.ended_at.is_(None),
                                     ShowRun.deleted_at.is_(None))

    def _open_run(self, s: Session, run_id: UUID | None) -> ShowRun:
        if run_id is not None:
            run = s.get(ShowRun, run_id)
            if run is None or run.store_id != self._store_scope() or run.is_deleted:
                raise NotOnAir(msg("onair.no_such_run", "That show is not on air in this store."))
            if run.ended_at is not None:
                raise NotOnAir(msg("onair.ended_already", "The show has ended; nothing more can be recorded."))
            return run
        runs = s.scalars(self._open_runs().order_by(ShowRun.started_at)).all()
        if not runs:
            raise NotOnAir(msg("onair.nothing_on_air", "No show is on air in this store."))
        if len(runs) > 1:
            titles = s.scalars(select(Broadcast.title).where(Broadcast.id.in_([r.broadcast_id for r in runs]))
                               .order_by(Broadcast.title)).all()
            raise ValidationError(msg("onair.several_on_air", "Several shows are on air ({titles}); say which one.",
                                      titles=tuple(titles)))
        return runs[0]

    def _check_startable(self, s: Session, broadcasts: BroadcastService, broadcast: Broadcast, *,
                         rehearsal: bool) -> None:
        open_here = s.scalars(self._open_runs().where(ShowRun.room_id == broadcast.room_id)).first()
        if open_here is not None:
            other = s.get(Broadcast, open_here.broadcast_id)
            room = s.get(LiveRoom, broadcast.room_id)
            if other is not None and other.id == broadcast.id:
                raise ValidationError(msg("onair.on_air_already", "{title} is on air already.",
                                          title=broadcast.title))
            raise ValidationError(msg(
                "onair.room_busy", "{room} is on air with {other}; end that show before starting another there.",
                room=room.name if room else "", other=other.title if other else ""))
        allowed = ((BroadcastStatus.PLANNED, BroadcastStatus.READY) if rehearsal else (BroadcastStatus.READY,))
        if broadcast.status not in allowed:
            if broadcast.status is BroadcastStatus.PLANNED:
                check = broadcasts._check(s, broadcast)
                if not check.ready:
                    raise BroadcastNotReady(check)
                raise ValidationError(msg(
                    "onair.mark_ready_first", "{title} is planned, not ready: mark it ready before going live.",
                    title=broadcast.title))
            raise ValidationError(msg("onair.not_startable", "{title} is {status}; it cannot go on air.",
                                      title=broadcast.title, status=STATUS_WORDS[broadcast.status]))
        if not rehearsal:
            # The gate again at the moment of going live: a paper may have run out since it was marked ready.
            check = broadcasts._check(s, broadcast)
            if not check.ready:
                raise BroadcastNotReady(check)

    def _log(self, s: Session, run: ShowRun) -> ShowLog:
        log = self._logs.get(run.id)
        if log is None:
            log = self._fold(s, run)
            if log.ended_at is None:
                self._logs[run.id] = log
        else:
            self._catch_up(s, log, *_of_run(run))
        return log

    def _fold(self, s: Session, run: ShowRun) -> ShowLog:
        broadcast = s.get(Broadcast, run.broadcast_id)
        assert broadcast is not None
        log = self._new_log(s, broadcast, run_id=run.id, rehearsal=run.rehearsal)
        self._catch_up(s, log, *_of_run(run))
        return log

    @staticmethod
    def _catch_up(s: Session, log: ShowLog, *conditions: Any) -> None:
        rows = s.execute(
            select(OnAirEvent.seq, OnAirEvent.kind, OnAirEvent.at, OnAirEvent.queue_item_id, OnAirEvent.payload)
            .where(*conditions, OnAirEvent.seq > log.last_seq).order_by(OnAirEvent.seq)).all()
        for seq, kind, at, item, payload in rows:
            log.apply(Event(seq=seq, kind=kind, at=at, queue_item_id=item, payload=payload or {}))

    def _new_log(self, s: Session, broadcast: Broadcast, *, run_id: UUID, rehearsal: bool) -> ShowLog:
        room = s.get(LiveRoom, broadcast.room_id)
        return ShowLog(run_id=run_id, broadcast_id=broadcast.id, title=broadcast.title,
                       room_name=room.name if room else "", rehearsal=rehearsal,
                       planned_seconds=int((broadcast.planned_end - broadcast.planned_start).total_seconds()),
                       lines=self._lines(s, broadcast.id))

    def _lines(self, s: Session, broadcast_id: UUID) -> list[LineFacts]:
        sid = self._store_scope()
        rows = s.execute(
            select(QueueItem.id, QueueItem.position, QueueItem.link_number, QueueItem.product_id,
                   QueueItem.live_price_fen, QueueItem.deal, QueueItem.planned_seconds, QueueItem.stock_allocated,
                   Product.name, Product.brand, Product.spec, Product.origin, Product.unit,
                   Product.after_sales_policy, StoreProduct.counter_price_fen)
            .join(Product, Product.id == QueueItem.product_id)
            .outerjoin(StoreProduct, (StoreProduct.product_id == Product.id) & (StoreProduct.store_id == sid)
                       & StoreProduct.deleted_at.is_(None))
            .where(QueueItem.broadcast_id == broadcast_id, QueueItem.deleted_at.is_(None))
            .order_by(QueueItem.position, QueueItem.link_number)).all()
        product_ids = [r.product_id for r in rows]
        papers: dict[UUID, list[tuple[str, str]]] = defaultdict(list)
        for pid, kind, number in s.execute(
                select(QualityDocument.product_id, QualityDocument.kind, QualityDocument.number)
                .where(QualityDocument.product_id.in_(product_ids), QualityDocument.deleted_at.is_(None))
                .order_by(QualityDocument.product_id, QualityDocument.kind, QualityDocument.number)):
            papers[pid].append((str(kind), number))
        scripts = dict(s.execute(
            select(Script.product_id, ScriptVersion.body)
            .join(ScriptVersion, ScriptVersion.id == Script.approved_version_id)
            .where(Script.store_id == sid, Script.kind == ScriptKind.PRODUCT, Script.deleted_at.is_(None),
                   Script.product_id.in_(product_ids))).all())
        return [
            LineFacts(queue_item_id=r.id, position=r.position, link_number=r.link_number, product_id=r.product_id,
                      product_name=r.name, brand=r.brand, live_price_fen=r.live_price_fen,
                      counter_price_fen=r.counter_price_fen, deal=r.deal, planned_seconds=r.planned_seconds,
                      stock=r.stock_allocated, spec=r.spec, origin=r.origin, unit=r.unit,
                      after_sales_policy=r.after_sales_policy, papers=tuple(papers[r.product_id]),
                      script=scripts.get(r.product_id, "") or "")
            for r in rows
        ]

    @staticmethod
    def _metric_points(s: Session, condition: Any) -> list[MetricPoint]:
        return [
            MetricPoint(at=m.at, views=m.views, viewers=m.viewers, likes=m.likes, orders=m.orders,
                        gmv_fen=m.gmv_fen)
            for m in s.scalars(select(MetricSnapshot).where(condition).order_by(MetricSnapshot.at))
        ]


def _of_run(run: ShowRun) -> tuple[Any, ...]:
    # The broadcast too, so that the read is a range of the (broadcast_id, seq) index, not a scan of
    # every event the store has recorded: every action catches up this way.
    return OnAirEvent.broadcast_id == run.broadcast_id, OnAirEvent.run_id == run.id


def _metrics_of_run(run: ShowRun) -> Any:
    # Likewise a range of the (broadcast_id, at) index.
    return (MetricSnapshot.broadcast_id == run.broadcast_id) & (MetricSnapshot.run_id == run.id)


def _started(facts: LineFacts) -> _New:
    return _New(K.PRODUCT_STARTED, facts.queue_item_id,
                {"link_number": facts.link_number, "live_price_fen": facts.live_price_fen})


def _ended(show: ShowNow) -> _New:
    current = show.current
    assert current is not None
    return _New(K.PRODUCT_ENDED, current.queue_item_id,
                {"link_number": current.link_number, "seconds": round(current.actual_seconds)})


def _leave(show: ShowNow) -> list[_New]:
    return [_ended(show)] if show.current is not None else []


def _require_current(show: ShowNow) -> Any:
    if show.current is None:
        raise ValidationError(msg("onair.nothing_current", "No product is on air; press Next or jump to a link."))
    return show.current


def _figure(name: str, value: int) -> Any:
    return Money(value) if name == "gmv_fen" else value


_EPSILON = timedelta(microseconds=1)

METRIC_WORDS: dict[str, Message] = {
    "views": msg("onair.metric_views", "Views"),
    "viewers": msg("onair.metric_viewers", "Viewers"),
    "likes": msg("onair.metric_likes", "Likes"),
    "orders": msg("onair.metric_orders", "Orders"),
    "gmv_fen": msg("onair.metric_gmv", "GMV"),
}
