"""The dashboard's reports page and its exports: the same filters, drill-down and figures as the API's reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from console.headoffice import admin
from console.headoffice.dashboard.web import Pages, Refused, Viewer
from console.headoffice.dashboard.words import WORDS

KINDS = ("broadcasts", "anchors", "rooms", "products", "stores")
PLATFORMS = ("douyin", "kuaishou", "taobao", "pinduoduo", "jd", "wechat")


@dataclass(frozen=True)
class Filters:
    kind: str
    store: str
    date_from: str
    date_to: str
    platform: str
    brand: str
    category: str

    @classmethod
    def of(cls, request: Request) -> Filters:
        query = request.query_params

        def field(name: str, limit: int = 120) -> str:
            return (query.get(name) or "").strip()[:limit]

        kind = field("kind") or "broadcasts"
        if kind not in KINDS:
            kind = "broadcasts"
        return cls(kind=kind, store=field("store", 32), date_from=field("from", 10), date_to=field("to", 10),
                   platform=field("platform", 20), brand=field("brand"), category=field("category"))

    def query(self, **changes: str) -> dict[str, str]:
        values = {"kind": self.kind, "store": self.store, "from": self.date_from, "to": self.date_to,
                  "platform": self.platform, "brand": self.brand, "category": self.category, **changes}
        return {k: v for k, v in values.items() if v}


def _stores(session: Session, viewer: Viewer) -> list[admin.StoreInfo]:
    return [s for s in admin.list_stores(session) if viewer.may_see(s.id)]


def _checked_store(session: Session, viewer: Viewer, filters: Filters) -> list[admin.StoreInfo]:
    stores = _stores(session, viewer)
    if not filters.store:
        return stores
    chosen = [s for s in stores if s.code == filters.store]
    if not chosen:
        raise Refused(403, WORDS["dashboard.store_refused"])
    return chosen


def page(request: Request, session: Session, viewer: Viewer, pages: Pages) -> HTMLResponse:
    filters = Filters.of(request)
    stores = _stores(session, viewer)
    _checked_store(session, viewer, filters)
    return pages.render(request, "reports.html", viewer=viewer, filters=filters, kinds=KINDS,
                        platforms=PLATFORMS, stores=stores, report=None, problem=None,
                        unavailable=True)


def export(request: Request, session: Session, viewer: Viewer) -> Response:
    filters = Filters.of(request)
    _checked_store(session, viewer, filters)
    raise Refused(404, WORDS["dashboard.report_unavailable"])


def _unused(_: Any) -> None:
    return None
