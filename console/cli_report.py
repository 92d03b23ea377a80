"""``anchor-console report KIND``: the Reports screen's figures on the command line.

The same service and the same columns as the screen and head office
(docs/reports.md). Bad input (a range ending before it starts, one longer than
three years, an unknown room) is one sentence on stderr and exit status 2; an
empty range is an empty report.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Any

from console.domain.reports import KINDS
from console.i18n import msg, text

OUTPUTS = ("table", "csv", "xlsx", "json")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from console.cli import _add_common, _local_date

    report = sub.add_parser("report", help=text(msg(
        "cli_report.help", "print a report: what each broadcast, anchor, room, product or store sold")))
    _add_common(report)
    report.add_argument("kind", choices=KINDS, metavar="KIND", help=text(msg(
        "cli_report.help_kind", "broadcasts, anchors, rooms, products or stores")))
    report.add_argument("--from", dest="start", metavar="DATE", type=_local_date, help=text(msg(
        "cli_report.help_from", "first day, YYYY-MM-DD in the store's time (default: 29 days before --to)")))
    report.add_argument("--to", dest="end", metavar="DATE", type=_local_date, help=text(msg(
        "cli_report.help_to", "last day, included (default: today)")))
    report.add_argument("--format", choices=OUTPUTS, default="table", help=text(msg(
        "cli_report.help_format", "table (default), csv, xlsx (needs --output) or json (money in fen)")))
    report.add_argument("--output", metavar="FILE", type=Path, help=text(msg(
        "cli_report.help_output", "write to this file instead of standard output")))
    report.add_argument("--platform", metavar="PLATFORM", help=text(msg(
        "cli_report.help_platform", "only broadcasts on this platform (douyin, kuaishou, taobao, ...)")))
    report.add_argument("--room", metavar="CODE", help=text(msg(
        "cli_report.help_room", "only broadcasts in this live room (its code, e.g. R01)")))
    report.add_argument("--brand", metavar="BRAND", help=text(msg("cli_report.help_brand", "only this brand")))
    report.add_argument("--category", metavar="CATEGORY", help=text(msg(
        "cli_report.help_category", "only this category")))


def run(data_dir: Path, args: argparse.Namespace) -> int:
    from console.cli import EXIT_OK, EXIT_USAGE, _complain, _write_atomically
    from console.domain.enums import AuditVia, Platform
    from console.domain.errors import ValidationError
    from console.domain.reports import ReportFilters
    from console.services.auth import AuthService
    from console.services.report_files import report_bytes
    from console.services.reports import ReportService
    from console.storage.db import open_database
    from console.storage.models import LiveRoom

    if args.format == "xlsx" and args.output is None:
        _complain(msg("cli_report.xlsx_needs_output", "An Excel report needs a file to go to; give --output FILE."))
        return EXIT_USAGE
    if args.platform and args.platform not in {p.value for p in Platform}:
        _complain(msg("cli_report.unknown_platform", "There is no platform '{platform}'; choose one of {platforms}.",
                      platform=args.platform, platforms=", ".join(p.value for p in Platform)))
        return EXIT_USAGE
    db = open_database(data_dir, create=False)
    try:
        auth = AuthService(db)
        reports = ReportService(db, auth.actor_for_login(None, via=AuditVia.CLI))
        room_id = None
        if args.room:
            from sqlalchemy import select

            with db.begin() as s:
                room_id = s.scalar(select(LiveRoom.id).where(LiveRoom.code == args.room,
                                                            LiveRoom.deleted_at.is_(None)))
                codes = list(s.scalars(select(LiveRoom.code).where(LiveRoom.deleted_at.is_(None))
                                       .order_by(LiveRoom.code)))
            if room_id is None:
                _complain(msg("cli_report.unknown_room", "There is no live room '{room}' in this store; its rooms "
                              "are {rooms}.", room=args.room, rooms=", ".join(codes)))
                return EXIT_USAGE
        filters = ReportFilters(platform=args.platform, room_id=room_id, brand=args.brand, category=args.category)
        try:
            report = reports.report(args.kind, args.start, args.end, filters)
        except ValidationError as exc:
            _complain(exc)
            return EXIT_USAGE
    finally:
        db.close()
    if args.format == "table":
        data = (_table(report) + "\n").encode()
    else:
        data = report_bytes(report, args.format, bom=args.output is not None)
    if args.output is not None:
        _write_atomically(args.output, data)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return EXIT_OK


def _table(report: object) -> str:
    """The report as aligned columns, money in yuan, for a terminal; a line saying so when it is empty."""
    from console.domain.reports import Report

    assert isinstance(report, Report)
    if report.range is None:     # one broadcast's products: its title above them
        if not report.rows:
            return text(msg("cli_report.no_products", "{title}: no products on its queue.", title=report.title))
        return report.title + "\n" + _columns(report)
    if not report.rows:
        return text(msg("cli_report.empty", "No broadcasts counted from {start} to {end}.",
                        start=report.range.start.isoformat(), end=report.range.end.isoformat()))
    return _columns(report)


def _columns(report: Any) -> str:
    from console.services.report_files import yuan_rows

    shown = [c for c in report.columns if not c.endswith("_id")]
    keep = [report.columns.index(c) for c in shown]
    cells = [shown] + [["" if row[i] is None else str(row[i]) for i in keep] for row in yuan_rows(report)]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(shown))]
    return "\n".join("  ".join(_pad(value, w) for value, w in zip(r, widths)).rstrip() for r in cells)


def _width(value: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)


def _pad(value: str, width: int) -> str:
    return value + " " * (width - _width(value))
