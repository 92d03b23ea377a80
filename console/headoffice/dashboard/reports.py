"""The dashboard's reports page and its exports: head office's reports (console.headoffice.reports), the same
kinds, filters and figures as ``anchor-headoffice report`` and the API, over the stores the account may see.

Drill-down is a link to the narrower report: a store to its broadcasts, a room to the broadcasts in it, a
broadcast to its products (the console's drill-down, one row per queue item).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from console.domain.enums import Platform
from console.domain.errors import DomainError, NotFound, PermissionDenied
from console.domain.reports import MONEY_COLUMNS, Report
from console.headoffice import reports as ho_reports
from console.headoffice.dashboard.web import BASE, Pages, Refused, Viewer
from console.headoffice.dashboard.words import WORDS, COLUMN_WORDS
from console.i18n import Message
from console.i18n.formats import format_duration
from console.services.report_files import report_bytes

KINDS = ho_reports.HEAD_OFFICE_KINDS
PLATFORMS = tuple(p.value for p in Platform)
EXPORTS = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json"}
# Ids drill down (as links), they are not for reading.
_HIDDEN = frozenset({"broadcast_id", "anchor_id", "room_id", "product_id", "store_id", "id"})
_SECONDS = frozenset({"planned_seconds", "actual_seconds", "over_under_seconds"})
_TEXT = frozenset({"title", "room_code", "room", "platforms", "hosts", "brand", "category", "start", "anchor_code",
                   "anchor", "sku", "product", "store_code", "store", "ranking", "code", "name"})


@dataclass(frozen=True)
class Filters:
    kind: str
    store: str
    date_from: str
    date_to: str
    platform: str
    room: str
    brand: str
    category: str
    broadcast: str = ""      # drill-down: this broadcast's products (kind products)

    @classmethod
    def of(cls, request: Request) -> Filters:
        query = request.query_params

        def field(name: str, limit: int = 120) -> str:
            return (query.get(name) or "").strip()[:limit]

        kind = field("kind", 40) or "broadcasts"
        return cls(kind=kind if kind in KINDS else "broadcasts", store=field("store", 32),
                   date_from=field("from", 40), date_to=field("to", 40), platform=field("platform", 32),
                   room=field("room", 32), brand=field("brand"), category=field("category"),
                   broadcast=field("broadcast", 64))

    def query(self, **changes: str) -> dict[str, str]:
        values = {"kind": self.kind, "store": self.store, "from": self.date_from, "to": self.date_to,
                  "platform": self.platform, "room": self.room, "brand": self.brand, "category": self.category,
                  "broadcast": self.broadcast, **changes}
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    numeric: bool


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    drill: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Shown:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    drill: bool
    title: str = ""          # a drill-down's heading: "Products of 冬装专场"


def _message(message_id: str, **values: Any) -> Message:
    message = WORDS[message_id]
    return Message(message.id, message.template, values, message.plural, message.count)


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Problem(_message("dashboard.bad_date", field=WORDS[field], value=value)) from None


class _Problem(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def _run(session: Session, viewer: Viewer, filters: Filters) -> Report:
    """The report the filters ask for, over the stores the account may see."""
    visible = ho_reports.choose_stores(session, viewer.visible)
    if filters.store and filters.store not in {s.code for s in visible}:
        if viewer.visible is not None:   # nothing about a store it may not see, not even whether it exists
            raise Refused(403, WORDS["dashboard.store_refused"])
    try:
        stores = ho_reports.choose_stores(session, viewer.visible, [filters.store] if filters.store else [])
    except PermissionDenied:
        raise Refused(403, WORDS["dashboard.store_refused"]) from None
    except NotFound:
        raise Refused(404, _message("dashboard.store_unknown", code=filters.store)) from None
    if filters.broadcast:
        try:
            return ho_reports.drill(session, filters.kind, stores, viewer.visible, filters.broadcast)
        except PermissionDenied:   # nothing about the broadcast, not even its title
            raise Refused(403, WORDS["dashboard.broadcast_refused"]) from None
        except NotFound as exc:
            raise Refused(404, exc.message) from None
        except DomainError as exc:
            raise _Problem(exc.message) from None
    start, end = _date(filters.date_from, "dashboard.from"), _date(filters.date_to, "dashboard.to")
    try:
        return ho_reports.report(session, filters.kind, stores, start, end, ho_reports.Filters(
            platform=filters.platform or None, room=filters.room or None, brand=filters.brand or None,
            category=filters.category or None))
    except DomainError as exc:
        raise _Problem(exc.message) from None


def _shown(report: Report, filters: Filters, pages: Pages, request: Request) -> Shown:
    helpers = pages.helpers(request)
    t, money, count = helpers["t"], helpers["money"], helpers["count"]
    visible = [i for i, name in enumerate(report.columns) if name not in _HIDDEN]
    columns = tuple(Column(report.columns[i], t(COLUMN_WORDS[report.columns[i]])
                           if report.columns[i] in COLUMN_WORDS else report.columns[i],
                           report.columns[i] not in _TEXT) for i in visible)
    rows = []
    for row in report.rows:
        values = dict(zip(report.columns, row.values, strict=True))
        cells = []
        for i in visible:
            name, value = report.columns[i], row.values[i]
            if value is None or value == "":
                cells.append("—" if name not in _TEXT else "")
            elif name in MONEY_COLUMNS:
                cells.append(money(value))
            elif name in _SECONDS:
                cells.append(("-" if value < 0 else "") + format_duration(timedelta(seconds=abs(int(value)))))
            elif isinstance(value, int) and not isinstance(value, bool):
                cells.append(count(value))
            else:
                cells.append(str(value))
        rows.append(Row(tuple(cells), _drill(report.kind, values, filters, t)))
    title = t("dashboard.broadcast_products", title=report.title) if report.range is None else ""
    return Shown(columns, tuple(rows), drill=report.kind in ("stores", "rooms", "broadcasts"), title=title)


def _drill(kind: str, values: dict[str, Any], filters: Filters, t: Any) -> tuple[tuple[str, str], ...]:
    if kind == "stores":
        query = filters.query(kind="broadcasts", store=str(values["store_code"]), room="")
    elif kind == "rooms":
        query = filters.query(kind="broadcasts", store=str(values.get("store_code") or filters.store),
                              room=str(values["room_code"]))
    elif kind == "broadcasts":
        query = filters.query(kind="products", store="", broadcast=str(values["broadcast_id"]))
        return ((t("dashboard.drill_products"), f"{BASE}/reports?{urlencode(query)}"),)
    else:
        return ()
    return ((t("dashboard.drill_broadcasts"), f"{BASE}/reports?{urlencode(query)}"),)


def page(request: Request, session: Session, viewer: Viewer, pages: Pages) -> HTMLResponse:
    filters = Filters.of(request)
    stores = ho_reports.choose_stores(session, viewer.visible)
    shown, problem, status = None, None, 200
    try:
        report = _run(session, viewer, filters)
        shown = _shown(report, filters, pages, request)
    except _Problem as exc:
        problem, status = pages.text(request, exc.message), 422
    return pages.render(request, "reports.html", status=status, viewer=viewer, filters=filters, kinds=KINDS,
                        stores=stores, platforms=PLATFORMS, report=shown, problem=problem)


def export(request: Request, session: Session, viewer: Viewer, pages: Pages) -> Response:
    filters = Filters.of(request)
    fmt = request.query_params.get("format", "csv")
    if fmt not in EXPORTS:
        raise Refused(400, _message("dashboard.bad_format", format=fmt[:20]))
    try:
        report = _run(session, viewer, filters)
    except _Problem as exc:
        raise Refused(422, exc.message) from None
    body = report_bytes(report, fmt)
    if report.range is None:   # one broadcast's products
        name = f"{report.kind}_{UUID(filters.broadcast)}.{fmt}"
    else:
        name = f"{report.kind}_{filters.store or 'stores'}_{report.range.start}_{report.range.end}.{fmt}"
    return Response(body, media_type=EXPORTS[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
