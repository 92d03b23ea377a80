"""A show on air as a fold over its events: what is on now, each product's state, the clocks.

Nothing here is stored but the events (``onair_event``): the product on air,
each item's state and time on air, the stock, the pauses and both clocks are
computed from them, so a console killed mid-show and started again comes back
to exactly where the show was (:meth:`ShowLog.apply` over the recorded
events). :class:`ShowLog` is the one place that knows what an event means;
the on-air service (``console.services.onair``) decides which events an action
records, and refuses what the show does not allow.

Pure: no database, no Qt, no clock of its own (every reading takes ``now``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from console.domain.enums import OnAirEventKind, StrEnum

K = OnAirEventKind


class ItemState(StrEnum):
    """A queue item's state on air, as the live screen, ``/state`` and ``show status`` name it."""

    WAITING = "waiting"
    ON_AIR = "on_air"
    DONE = "done"
    SKIPPED = "skipped"
    SOLD_OUT = "sold_out"


class ShowState(StrEnum):
    LIVE = "live"
    PAUSED = "paused"
    ENDED = "ended"


class ClockLevel(enum.Enum):
    """How the product clock stands against the plan: fine, nearly over, over."""

    OK = "ok"
    WARNING = "warning"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class ClockThresholds:
    """When the product clock turns: ``warning_seconds`` before its planned time is up, and
    ``danger_seconds`` after (0: as soon as it overruns). Configurable in the console's settings."""

    warning_seconds: int = 30
    danger_seconds: int = 0

    def level(self, elapsed: float, planned: float) -> ClockLevel:
        if elapsed >= planned + self.danger_seconds:
            return ClockLevel.DANGER
        if elapsed >= planned - self.warning_seconds:
            return ClockLevel.WARNING
        return ClockLevel.OK


@dataclass(frozen=True, slots=True)
class LineFacts:
    """What the show knows of one queue item when it starts: the product and its terms."""

    queue_item_id: UUID
    position: int
    link_number: int
    product_id: UUID
    product_name: str
    brand: str
    live_price_fen: int
    counter_price_fen: int | None
    deal: str
    planned_seconds: int
    stock: int                                # allocated to the show
    # The key selling points the catalog holds: what it is, where from, what the buyer is promised.
    spec: str = ""
    origin: str = ""
    unit: str = ""
    after_sales_policy: str = ""
    papers: tuple[tuple[str, str], ...] = ()  # the quality papers, as (kind, number)
    script: str = ""                          # the approved script's text; "" when there is none


@dataclass(frozen=True, slots=True)
class Event:
    """One recorded on-air event, as the fold reads it."""

    seq: int
    kind: OnAirEventKind
    at: datetime
    queue_item_id: UUID | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ItemNow:
    """One item of the queue as it stands on air."""

    facts: LineFacts
    state: ItemState
    stock: int
    live_price_fen: int
    actual_seconds: float                    # time on air so far, pauses left out
    sold_out_at: datetime | None
    notes: tuple[str, ...]

    @property
    def queue_item_id(self) -> UUID:
        return self.facts.queue_item_id

    @property
    def link_number(self) -> int:
        return self.facts.link_number


@dataclass(frozen=True, slots=True)
class NoteNow:
    at: datetime
    text: str
    link_number: int | None


@dataclass(frozen=True, slots=True)
class ShowNow:
    """A show as it stands at ``at``: what every screen, the overlay and ``show status`` show."""

    run_id: UUID
    broadcast_id: UUID
    title: str
    room_name: str
    rehearsal: bool
    state: ShowState
    at: datetime
    started_at: datetime
    ended_at: datetime | None
    planned_seconds: int                      # the broadcast's planned length
    show_elapsed_seconds: float
    item_elapsed_seconds: float               # the current item's time on air, 0 when none
    current: ItemNow | None
    items: tuple[ItemNow, ...]
    notes: tuple[NoteNow, ...]
    last_seq: int

    @property
    def live(self) -> bool:
        return self.state is not ShowState.ENDED

    @property
    def paused(self) -> bool:
        return self.state is ShowState.PAUSED

    @property
    def show_remaining_seconds(self) -> float:
        return self.planned_seconds - self.show_elapsed_seconds

    @property
    def up_next(self) -> ItemNow | None:
        """What ``next`` would put on air."""
        return next_waiting(self.items, self.current)

    def item(self, link_number: int) -> ItemNow | None:
        return next((i for i in self.items if i.link_number == link_number), None)


def next_waiting(items: tuple[ItemNow, ...], current: ItemNow | None) -> ItemNow | None:
    """The first waiting item after the current one in queue order, else the first waiting before it."""
    start = items.index(current) + 1 if current is not None else 0
    for item in (*items[start:], *items[:start]):
        if item.state is ItemState.WAITING:
            return item
    return None


@dataclass(slots=True)
class _Line:
    facts: LineFacts
    stock: int
    live_price_fen: int
    explained: bool = False
    skipped: bool = False
    sold_out_at: datetime | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


class ShowLog:
    """The fold: apply the run's events in ``seq`` order, read the show as of any moment.

    Events of another run of the same broadcast are the caller's to leave out.
    Events the fold does not know (a newer console's) are ignored, not refused.
    """

    def __init__(self, *, run_id: UUID, broadcast_id: UUID, title: str, room_name: str, rehearsal: bool,
                 planned_seconds: int, lines: Iterable[LineFacts]) -> None:
        self.run_id = run_id
        self.broadcast_id = broadcast_id
        self.title = title
        self.room_name = room_name
        self.rehearsal = rehearsal
        self.planned_seconds = planned_seconds
        self._lines = [_Line(f, stock=f.stock, live_price_fen=f.live_price_fen)
                       for f in sorted(lines, key=lambda f: (f.position, f.link_number))]
        self._by_id = {line.facts.queue_item_id: line for line in self._lines}
        self.last_seq = 0
        self.latest_at: datetime | None = None
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.current: _Line | None = None
        self._since: datetime | None = None           # when the current item's running interval began
        self.paused_at: datetime | None = None
        self._paused_total = 0.0
        self._notes: list[NoteNow] = []

    # --- folding ------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        if event.seq <= self.last_seq:
            return  # already folded: a catch-up that overlaps is harmless
        self.last_seq = event.seq
        if self.latest_at is None or event.at > self.latest_at:
            self.latest_at = event.at
        line = self._by_id.get(event.queue_item_id) if event.queue_item_id else None
        at, kind = event.at, event.kind
        if kind is K.SHOW_STARTED:
            self.started_at = at
        elif kind is K.SHOW_ENDED:
            self._stop_item(at)
            if self.paused_at is not None:
                self._paused_total += _seconds(self.paused_at, at)
                self.paused_at = None
            self.ended_at = at
        elif kind is K.PRODUCT_STARTED and line is not None:
            self._stop_item(at)
            self.current, line.explained, line.skipped = line, True, False
            self._since = None if self.paused_at is not None else at
        elif kind is K.PRODUCT_ENDED and line is not None:
            if line is self.current:
                self._stop_item(at)
        elif kind is K.PRODUCT_SKIPPED and line is not None:
            if line is self.current:
                self._stop_item(at)
            line.skipped = True
        elif kind is K.SOLD_OUT and line is not None:
            line.stock, line.sold_out_at = 0, at
        elif kind is K.STOCK_CHANGED and line is not None:
            line.stock = int(event.payload.get("stock", line.stock))
            if line.stock <= 0:
                line.sold_out_at = line.sold_out_at or at
            else:
                line.sold_out_at = None
        elif kind is K.PRICE_CHANGED and line is not None:
            line.live_price_fen = int(event.payload.get("to_fen", line.live_price_fen))
        elif kind is K.NOTE:
            text = str(event.payload.get("text", ""))
            self._notes.append(NoteNow(at=at, text=text, link_number=line.facts.link_number if line else None))
            if line is not None:
                line.notes.append(text)
        elif kind is K.PAUSED and self.paused_at is None:
            if self.current is not None and self._since is not None:
                self.current.seconds += _seconds(self._since, at)
                self._since = None
            self.paused_at = at
        elif kind is K.RESUMED and self.paused_at is not None:
            self._paused_total += _seconds(self.paused_at, at)
            self.paused_at = None
            if self.current is not None:
                self._since = at

    def _stop_item(self, at: datetime) -> None:
        if self.current is not None and self._since is not None:
            self.current.seconds += _seconds(self._since, at)
        self.current, self._since = None, None

    # --- reading ------------------------------------------------------------------------
    @property
    def state(self) -> ShowState:
        if self.ended_at is not None:
            return ShowState.ENDED
        return ShowState.PAUSED if self.paused_at is not None else ShowState.LIVE

    def line(self, queue_item_id: UUID) -> LineFacts | None:
        found = self._by_id.get(queue_item_id)
        return found.facts if found else None

    def now(self, at: datetime) -> ShowNow:
        """The show as it stands at ``at`` (no later than its end, when it has ended)."""
        moment = min(at, self.ended_at) if self.ended_at is not None else at
        if self.paused_at is not None:
            moment = min(moment, self.paused_at)
        running = _seconds(self._since, moment) if self._since is not None and self.current else 0.0
        items = tuple(self._item_now(line, running) for line in self._lines)
        current = items[self._lines.index(self.current)] if self.current is not None else None
        elapsed = 0.0
        if self.started_at is not None:
            elapsed = max(0.0, _seconds(self.started_at, moment) - self._paused_total)
        return ShowNow(
            run_id=self.run_id, broadcast_id=self.broadcast_id, title=self.title, room_name=self.room_name,
            rehearsal=self.rehearsal, state=self.state, at=at, started_at=self.started_at or at,
            ended_at=self.ended_at, planned_seconds=self.planned_seconds, show_elapsed_seconds=elapsed,
            item_elapsed_seconds=current.actual_seconds if current else 0.0, current=current, items=items,
            notes=tuple(self._notes), last_seq=self.last_seq)

    def _item_now(self, line: _Line, running: float) -> ItemNow:
        on_air = line is self.current
        if on_air:
            state = ItemState.ON_AIR
        elif line.sold_out_at is not None:
            state = ItemState.SOLD_OUT
        elif line.skipped:
            state = ItemState.SKIPPED
        elif line.explained:
            state = ItemState.DONE
        else:
            state = ItemState.WAITING
        return ItemNow(facts=line.facts, state=state, stock=line.stock, live_price_fen=line.live_price_fen,
                       actual_seconds=line.seconds + (running if on_air else 0.0),
                       sold_out_at=line.sold_out_at, notes=tuple(line.notes))

    def sold_out(self, queue_item_id: UUID) -> bool:
        line = self._by_id.get(queue_item_id)
        return line is not None and line.sold_out_at is not None


def _seconds(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds())


def with_script(facts: LineFacts, script: str) -> LineFacts:
    return replace(facts, script=script)


OFF_AIR = "off_air"


def state_fields(show: ShowNow | None, *, items: bool = False) -> dict[str, Any]:
    """The show as plain data: the overlay's ``/state``, ``show status --json``, the overlay page's feed.

    Stable English snake_case keys; money in fen; seconds as whole numbers. ``status`` is
    ``live``, ``paused``, ``ended`` or ``off_air`` (nothing on air: every other field null).
    ``items=True`` adds every queue item with its planned and actual seconds.
    """
    if show is None:
        fields: dict[str, Any] = dict.fromkeys(
            ("broadcast_id", "run_id", "title", "room", "rehearsal", "current_link_number", "current_product",
             "live_price_fen", "deal", "stock", "show_elapsed_seconds", "show_remaining_seconds",
             "item_elapsed_seconds", "item_planned_seconds", "next_link_number", "next_product"))
        fields["status"] = OFF_AIR
        if items:
            fields["items"] = []
        return fields
    current, up_next = show.current, show.up_next
    fields = {
        "broadcast_id": str(show.broadcast_id),
        "run_id": str(show.run_id),
        "title": show.title,
        "room": show.room_name,
        "rehearsal": show.rehearsal,
        "status": show.state.value,
        "current_link_number": current.link_number if current else None,
        "current_product": current.facts.product_name if current else None,
        "live_price_fen": current.live_price_fen if current else None,
        "deal": current.facts.deal if current else None,
        "stock": current.stock if current else None,
        "show_elapsed_seconds": round(show.show_elapsed_seconds),
        "show_remaining_seconds": round(show.show_remaining_seconds),
        "item_elapsed_seconds": round(show.item_elapsed_seconds),
        "item_planned_seconds": current.facts.planned_seconds if current else None,
        "next_link_number": up_next.link_number if up_next else None,
        "next_product": up_next.facts.product_name if up_next else None,
    }
    if items:
        fields["items"] = [
            {"link_number": i.link_number, "product": i.facts.product_name, "state": i.state.value,
             "planned_seconds": i.facts.planned_seconds, "actual_seconds": round(i.actual_seconds),
             "live_price_fen": i.live_price_fen, "stock": i.stock,
             "sold_out_at": i.sold_out_at.isoformat() if i.sold_out_at else None}
            for i in show.items
        ]
    return fields
