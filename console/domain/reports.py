"""Reports as plain values: the kinds, their stable columns, the date range, a report's rows and a show's timeline.

The definitions of every figure are in docs/reports.md; head office computes the
same columns. Money is integer fen here; files show it in yuan.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from console.domain.errors import ValidationError
from console.i18n import msg

KINDS = ("broadcasts", "anchors", "rooms", "products", "stores")
# The drill-down from a broadcast to its products has its own columns.
BROADCAST_PRODUCTS = "broadcast_products"

FIGURE_COLUMNS = ("broadcasts", "planned_seconds", "actual_seconds", "over_under_seconds", "products_planned",
                  "products_explained", "peak_viewers", "avg_viewers", "orders", "gmv", "gmv_per_hour",
                  "sold_out_times")
KEY_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "broadcasts": ("broadcast_id", "title", "room_code", "room", "platforms", "hosts", "brand", "category", "start"),
    "anchors": ("anchor_id", "anchor_code", "anchor"),
    "rooms": ("room_id", "room_code", "room"),
    "products": ("product_id", "sku", "product", "brand", "category"),
    "stores": ("store_id", "store_code", "store"),
}
ITEM_COLUMNS = ("link_number", "product_id", "sku", "product", "brand", "category", "planned_seconds",
                "actual_seconds", "explained", "peak_viewers", "avg_viewers", "orders", "gmv", "gmv_per_hour",
                "sold_out_times")
COLUMNS: Mapping[str, tuple[str, ...]] = {
    **{kind: (*keys, *FIGURE_COLUMNS) for kind, keys in KEY_COLUMNS.items()},
    BROADCAST_PRODUCTS: ITEM_COLUMNS,
}
MONEY_COLUMNS = frozenset({"gmv", "gmv_per_hour"})
HOST_SEPARATOR = "、"

DEFAULT_DAYS = 30
MAX_DAYS = 1096          # three years, both ends counted


@dataclass(frozen=True, slots=True)
class ReportRange:
    """Calendar dates in the store's zone, both inclusive."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self, zone: str) -> tuple[datetime, datetime]:
        """``[start 00:00, end + 1 day 00:00)`` on the store's wall clock, as aware datetimes."""
        tz = ZoneInfo(zone)
        return (datetime.combine(self.start, time(0), tz),
                datetime.combine(self.end + timedelta(days=1), time(0), tz))


def report_range(start: date | None, end: date | None, today: date) -> ReportRange:
    """The range a report covers: defaults as docs/reports.md says; refuses a backwards or too-long one."""
    if end is None:
        end = today
    if start is None:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    if end < start:
        raise ValidationError(msg("reports.range_backwards",
                                  "The report's range ends ({end}) before it starts ({start}); swap the dates.",
                                  start=start.isoformat(), end=end.isoformat()))
    chosen = ReportRange(start, end)
    if chosen.days > MAX_DAYS:
        raise ValidationError(msg("reports.range_too_long",
                                  "A report covers at most {limit} days (three years); {start} to {end} is {days} "
                                  "days. Choose a shorter range.", limit=MAX_DAYS, start=start.isoformat(),
                                  end=end.isoformat(), days=chosen.days))
    return chosen


@dataclass(frozen=True, slots=True)
class ReportFilters:
    platform: str | None = None        # a Platform value
    room_id: UUID | None = None
    brand: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """The figure columns of one row (docs/reports.md, "The kinds and their columns")."""

    broadcasts: int
    planned_seconds: int
    actual_seconds: int | None
    products_planned: int
    products_explained: int
    peak_viewers: int
    viewer_sum: int
    readings: int
    orders: int
    gmv_fen: int
    sold_out_times: int
    # Planned seconds of the shows that have an actual time: what over/under compares with.
    planned_of_actual: int = 0

    @property
    def avg_viewers(self) -> int:
        return self.viewer_sum // self.readings if self.readings else 0

    @property
    def over_under_seconds(self) -> int | None:
        return None if self.actual_seconds is None else self.actual_seconds - self.planned_of_actual

    @property
    def gmv_per_hour_fen(self) -> int | None:
        return self.gmv_fen * 3600 // self.actual_seconds if self.actual_seconds else None

    def values(self) -> tuple[Any, ...]:
        return (self.broadcasts, self.planned_seconds, self.actual_seconds, self.over_under_seconds,
                self.products_planned, self.products_explained, self.peak_viewers, self.avg_viewers,
                self.orders, self.gmv_fen, self.gmv_per_hour_fen, self.sold_out_times)

    @staticmethod
    def total(parts: list[Figures]) -> Figures:
        actual = [p.actual_seconds for p in parts if p.actual_seconds is not None]
        return Figures(
            broadcasts=sum(p.broadcasts for p in parts), planned_seconds=sum(p.planned_seconds for p in parts),
            actual_seconds=sum(actual) if actual else None,
            products_planned=sum(p.products_planned for p in parts),
            products_explained=sum(p.products_explained for p in parts),
            peak_viewers=max((p.peak_viewers for p in parts), default=0),
            viewer_sum=sum(p.viewer_sum for p in parts), readings=sum(p.readings for p in parts),
            orders=sum(p.orders for p in parts), gmv_fen=sum(p.gmv_fen for p in parts),
            sold_out_times=sum(p.sold_out_times for p in parts),
            planned_of_actual=sum(p.planned_of_actual for p in parts))


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One row: the id it drills down by, and its values in the report's column order (money in fen)."""

    id: UUID
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Report:
    kind: str
    range: ReportRange | None        # None for one broadcast's products
    timezone: str
    columns: tuple[str, ...]
    rows: tuple[ReportRow, ...]
    title: str = ""                  # what the rows are of, for a drill-down ("家电焕新专场")

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            yield dict(zip(self.columns, row.values, strict=True))

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row.values[index] for row in self.rows]


@dataclass(frozen=True, slots=True)
class MetricReading:
    at: datetime
    viewers: int
    orders: int
    gmv_fen: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of one product on air; ``end`` None when the run ended without closing it."""

    start: datetime
    end: datetime | None
    link_number: int
    product: str


@dataclass(frozen=True, slots=True)
class Timeline:
    broadcast_id: UUID
    title: str
    room: str
    timezone: str
    planned_start: datetime
    planned_end: datetime
    actual_start: datetime | None
    actual_end: datetime | None
    readings: tuple[MetricReading, ...]
    segments: tuple[Segment, ...] = field(default_factory=tuple)
