"""``GET /v1/staff/reports/{kind}``: head office's reports for its own tools (BI, spreadsheets).

The same reports as ``anchor-headoffice report`` (console.headoffice.reports), as
JSON (money in fen), CSV or XLSX (money in yuan). Any staff role may read them;
an account scoped to some stores gets only those, and naming another store is a
403 that tells nothing about it. Refusals are in the reader's language
(``Accept-Language: zh`` or English).
"""


from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from console.domain.errors import DomainError, NotFound, PermissionDenied
from console.headoffice import reports
from console.headoffice.errors import ApiError
from console.i18n import load_catalog
from console.sync.protocol import WireModel

ReportKind = Literal["broadcasts", "anchors", "rooms", "products", "stores", "rankings"]
ReportFormat = Literal["json", "csv", "xlsx"]
CodeText = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_STORES = 100


class ReportAnswer(WireModel):
    kind: str = Field(description="The kind asked for; `broadcast_products` for one broadcast's products")
    title: str = Field("", description="What the rows are of: the broadcast's title for its products")
    from_: date | None = Field(alias="from", serialization_alias="from",
                               description="null for one broadcast's products (not a range)")
    to: date | None
    timezone: str
    columns: list[str] = Field(description="Stable snake_case names, as docs/reports.md defines them")
    rows: list[dict[str, Any]] = Field(description="One object per row; money in integer fen, missing values null")


def _reader_language(request: Request) -> str:
    accepted = request.headers.get("accept-language", "").lower()
    return "zh_CN" if accepted.startswith("zh") else "en"


def refusal(request: Request, exc: DomainError) -> ApiError:
    """A report's refusal as the API answers it: 404, 403 or 422, in the reader's language."""
    language = _reader_language(request)
    sentence = exc.message.render(load_catalog(language)) if language != "en" else str(exc.message)
    if isinstance(exc, PermissionDenied):
        return ApiError(403, "store_forbidden", sentence)
    if isinstance(exc, NotFound):
        return ApiError(404, "not_found", sentence)
    return ApiError(422, "invalid_request", sentence)


def install(routes: APIRouter) -> None:
    """Add the report endpoint to the /v1/staff router."""
    from console.headoffice.staff import REPORT_READERS, StaffToken, as_staff, visible_store_ids

    @routes.get(
        "/reports/{kind}", response_model=ReportAnswer,
        responses={200: {"content": {"text/csv": {"schema": {"type": "string"}},
                                     XLSX: {"schema": {"type": "string", "format": "binary"}}},
                         "description": "The report: JSON, or a CSV or XLSX file as `format` asks"},
                   404: {"description": "No such store, live room or counted broadcast"},
                   403: {"description": "A store (or a broadcast of a store) this account may not see"},
                   422: {"description": "A bad range, an unknown platform, a malformed broadcast id, or "
                                        "`broadcast` with a kind other than `products`"}})
    def report_endpoint(
        request: Request, token: StaffToken, kind: ReportKind,
        store: Annotated[list[CodeText] | None, Query(max_length=MAX_STORES,
                                                      description="A store's code; repeat it for several; "
                                                                  "none: every store the account sees")] = None,
        start: Annotated[date | None, Query(alias="from", description="First day, in the store's time zone; "
                                                                      "default 29 days before `to`")] = None,
        end: Annotated[date | None, Query(alias="to", description="Last day, included; default today")] = None,
        platform: Annotated[CodeText | None, Query(description="Only broadcasts on this platform (douyin, kuaishou, "
                                                               "taobao, pinduoduo, jd, wechat): on one of their "
                                                               "store's accounts on it")] = None,
        room: Annotated[CodeText | None, Query(description="Only broadcasts in live rooms with this code")] = None,
        brand: Annotated[str | None, Query(max_length=120)] = None,
        category: Annotated[str | None, Query(max_length=120)] = None,
        broadcast: Annotated[str | None, Query(max_length=64, description=(
            "Drill-down, with kind `products` only: this broadcast's products, one row per queue item "
            "(docs/reports.md's `broadcast_products` columns); range and filters do not apply"))] = None,
        format: ReportFormat = "json",  # noqa: A002 - the query parameter's public name
    ) -> Any:
        """A report over the stores' synced data (docs/reports.md, docs/headoffice-reports.md)."""
        from console.services.report_files import report_bytes, report_json

        with as_staff(request, token, REPORT_READERS, "Reading reports") as (session, staff):
            try:
                visible = visible_store_ids(staff)
                stores = reports.choose_stores(session, visible, store or [])
                if broadcast is not None:
                    found = reports.drill(session, kind, stores, visible, broadcast)
                else:
                    found = reports.report(session, kind, stores, start, end, reports.Filters(
                        platform=platform or None, room=room, brand=brand or None, category=category or None))
            except DomainError as exc:
                raise refusal(request, exc) from None
        if format == "json":
            return ReportAnswer.model_validate({**report_json(found), "title": found.title})
        data = report_bytes(found, format, bom=True)
        name = (f"{kind}-{found.range.start:%Y%m%d}-{found.range.end:%Y%m%d}.{format}" if found.range
                else f"{found.kind}-{UUID(str(broadcast).strip())}.{format}")
        media = "text/csv; charset=utf-8" if format == "csv" else XLSX
        return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
