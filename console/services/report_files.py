"""Reports as files: CSV, XLSX and JSON, with the stable columns of docs/reports.md.

Money is integer fen in the report and in JSON; yuan with two decimals in CSV
and XLSX (``1234.50``), as the catalog's and the show summary's exports write it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from console.domain.amounts import price_text
from console.domain.errors import ValidationError
from console.domain.reports import MONEY_COLUMNS, Report, Timeline
from console.i18n import msg
from console.i18n.formats import in_zone
from console.services.catalog_file import csv_bytes, workbook_bytes

FORMATS = ("csv", "xlsx", "json")
TIMELINE_COLUMNS = ("at", "viewers", "orders", "gmv", "link_number", "product")
SEGMENT_COLUMNS = ("start", "end", "link_number", "product")


def yuan_rows(report: Report) -> list[list[object]]:
    """The rows with money as yuan text, for CSV and XLSX."""
    money = [c in MONEY_COLUMNS for c in report.columns]
    return [[price_text(v) if is_money and v is not None else v for v, is_money in zip(row.values, money)]
            for row in report.rows]


def report_json(report: Report) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "from": report.range.start.isoformat() if report.range else None,
        "to": report.range.end.isoformat() if report.range else None,
        "timezone": report.timezone,
        "columns": list(report.columns),
        "rows": list(report.dicts()),
    }


def timeline_rows(timeline: Timeline) -> list[list[object]]:
    """The chart's data: each reading with the product on air when it was taken (empty between products)."""
    rows: list[list[object]] = []
    segments = list(timeline.segments)
    for reading in timeline.readings:
        on = next((g for g in segments if g.start <= reading.at and (g.end is None or reading.at < g.end)), None)
        rows.append([_moment(reading.at, timeline.timezone), reading.viewers, reading.orders,
                     price_text(reading.gmv_fen), on.link_number if on else "", on.product if on else ""])
    return rows


def segment_rows(timeline: Timeline) -> list[list[object]]:
    return [[_moment(g.start, timeline.timezone), _moment(g.end, timeline.timezone) if g.end else "",
             g.link_number, g.product] for g in timeline.segments]


def report_bytes(report: Report, fmt: str, *, extra: Sequence[Report] = (), timeline: Timeline | None = None,
                 bom: bool = True) -> bytes:
    """``report`` as a file. XLSX: a sheet per report (``report``, then ``extra``), and the chart's data
    (readings, segments) when a ``timeline`` is given. CSV and JSON hold ``report`` alone."""
    if fmt == "csv":
        return csv_bytes(report.columns, yuan_rows(report), bom=bom)
    if fmt == "json":
        return (json.dumps(report_json(report), ensure_ascii=False, indent=1) + "\n").encode()
    if fmt == "xlsx":
        sheets: list[tuple[str, Sequence[str], Any]] = [
            (r.kind, r.columns, yuan_rows(r)) for r in (report, *extra)]
        if timeline is not None:
            sheets.append(("timeline", TIMELINE_COLUMNS, timeline_rows(timeline)))
            sheets.append(("segments", SEGMENT_COLUMNS, segment_rows(timeline)))
        return workbook_bytes(sheets, money=MONEY_COLUMNS)
    raise ValidationError(msg("reports.unknown_format", "Unknown report format '{format}'; use csv, xlsx or json.",
                              format=fmt))


def _moment(at: Any, zone: str) -> str:
    return in_zone(at, zone).isoformat(timespec="seconds")
