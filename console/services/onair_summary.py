"""After the show, as a file: planned against actual per product, the metrics recorded, the notes.

One set of rows (:func:`summary_rows`, :func:`metric_rows`, :func:`note_rows`)
feeds both formats, so ``anchor-console show summary`` and the Live screen's
"Export summary…" write the same figures. The column names are stable
English snake_case, for the spreadsheets and scripts that read them; money is
yuan with two decimals, as the catalog's export writes it; moments are ISO
8601 in the store's zone, with their offset.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from console.domain.amounts import price_text
from console.domain.errors import ValidationError
from console.i18n import msg
from console.i18n.formats import DEFAULT_TIMEZONE, in_zone
from console.paths import write_atomically
from console.services.catalog_file import csv_bytes, workbook_bytes
from console.services.onair import ShowSummary

PRODUCT_COLUMNS = ("link_number", "product", "state", "planned_seconds", "actual_seconds", "over_under_seconds",
                   "live_price", "stock_left", "sold_out_at", "notes")
METRIC_COLUMNS = ("at", "views", "viewers", "likes", "orders", "gmv")
NOTE_COLUMNS = ("at", "link_number", "note")
FORMATS = ("csv", "xlsx")
_MONEY = frozenset({"live_price", "gmv"})
NOTE_SEPARATOR = "; "


def summary_rows(summary: ShowSummary, zone: str = DEFAULT_TIMEZONE) -> list[list[object]]:
    """One row per queue item, in queue order, in :data:`PRODUCT_COLUMNS`' order."""
    rows: list[list[object]] = []
    for item in summary.show.items:
        actual = round(item.actual_seconds)
        rows.append([
            item.link_number, item.facts.product_name, item.state.value, item.facts.planned_seconds, actual,
            actual - item.facts.planned_seconds, price_text(item.live_price_fen), item.stock,
            _moment(item.sold_out_at, zone), NOTE_SEPARATOR.join(item.notes),
        ])
    return rows


def metric_rows(summary: ShowSummary, zone: str = DEFAULT_TIMEZONE) -> list[list[object]]:
    """The metrics timeline, oldest first, in :data:`METRIC_COLUMNS`' order."""
    return [[_moment(m.at, zone), m.views, m.viewers, m.likes, m.orders, price_text(m.gmv_fen)]
            for m in summary.metrics]


def note_rows(summary: ShowSummary, zone: str = DEFAULT_TIMEZONE) -> list[list[object]]:
    """Every note of the show (on a product or between products), in the order they were written."""
    return [[_moment(n.at, zone), n.link_number if n.link_number is not None else "", n.text]
            for n in summary.show.notes]


def summary_bytes(summary: ShowSummary, fmt: str, *, zone: str = DEFAULT_TIMEZONE, bom: bool = True) -> bytes:
    """The summary as a CSV file (the products; UTF-8, a BOM for Excel in China unless ``bom=False``)
    or an Excel workbook (sheets products, metrics and notes)."""
    if fmt == "csv":
        return csv_bytes(PRODUCT_COLUMNS, summary_rows(summary, zone), bom=bom)
    if fmt == "xlsx":
        return workbook_bytes([
            ("products", PRODUCT_COLUMNS, summary_rows(summary, zone)),
            ("metrics", METRIC_COLUMNS, metric_rows(summary, zone)),
            ("notes", NOTE_COLUMNS, note_rows(summary, zone)),
        ], money=_MONEY)
    raise ValidationError(msg("onair_summary.unknown_format", "Unknown summary format '{format}'; use csv or xlsx.",
                              format=fmt))


def write_summary(summary: ShowSummary, path: Path, fmt: str, *, zone: str = DEFAULT_TIMEZONE) -> None:
    """Write the summary to ``path``: a temporary file beside it, renamed over it (never half a file)."""
    write_atomically(path, summary_bytes(summary, fmt, zone=zone))


def _moment(at: datetime | None, zone: str) -> str:
    return in_zone(at, zone).isoformat(timespec="seconds") if at is not None else ""


