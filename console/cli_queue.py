"""``anchor-console queue ...``: a broadcast's product queue as a file (import, export)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.i18n import msg, text


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds ``queue export`` and ``queue import``."""
    from console.cli import _add_common

    queue = sub.add_parser("queue", help=text(msg("cli_queue.help", "export or import a broadcast's product queue")))
    _add_common(queue)
    actions = queue.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    broadcast_help = text(msg("cli_queue.help_broadcast", "the broadcast's id, or the start of its title"))

    export = actions.add_parser("export", help=text(msg(
        "cli_queue.help_export", "write the queue as CSV or Excel: link_number, sku, live_price, deal, "
                                 "planned_duration")))
    _add_common(export)
    export.add_argument("broadcast", metavar="BROADCAST", help=broadcast_help)
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                        help=text(msg("cli_queue.help_format", "file format (default: csv)")))
    export.add_argument("--output", metavar="FILE", type=Path,
                        help=text(msg("cli_queue.help_output", "write to this file instead of standard output")))

    importing = actions.add_parser("import", help=text(msg(
        "cli_queue.help_import", "replace the queue with the products in a CSV or XLSX file, all or nothing")))
    _add_common(importing)
    importing.add_argument("broadcast", metavar="BROADCAST", help=broadcast_help)
    importing.add_argument("file", metavar="FILE", type=Path, help=text(msg(
        "cli_queue.help_import_file", "columns sku and optionally link_number, live_price, deal, planned_duration "
                                      "(or 链接号, 商品编码, 直播价, 优惠, 计划时长)")))


def run(data_dir: Path, args: argparse.Namespace) -> int:
    from console.cli import EXIT_OK, _say, _warning, _write_atomically
    from console.domain.enums import AuditVia
    from console.domain.errors import ValidationError
    from console.services.auth import AuthService
    from console.services.queue_io import QueueFileService
    from console.storage.db import open_database

    db = open_database(data_dir, create=False)
    try:
        # The command line acts with store-manager rights; its changes are audited as via=cli.
        files = QueueFileService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        broadcast = files.broadcast(args.broadcast)
        if args.queue_command == "import":
            result = files.import_file(broadcast.id, args.file)
            for notice in result.change.notices:
                _say(_warning(notice))
            if result.change.unready is not None:
                _say(_warning(result.change.unready))
            _say(result.summary())
            return EXIT_OK
        if args.output is None and args.format == "xlsx" and sys.stdout.isatty():
            raise ValidationError(msg("cli_queue.xlsx_to_terminal",
                                      "An Excel file cannot be shown in the terminal; give --output FILE."))
        data = files.export(broadcast.id, args.format)
    finally:
        db.close()
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        # Excel in China reads a CSV file as GBK unless it starts with a BOM;
        # the import reads either, so files get one and pipes do not.
        _write_atomically(args.output, b"\xef\xbb\xbf" + data if args.format == "csv" else data)
    return EXIT_OK
