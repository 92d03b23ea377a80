"""``anchor-console catalog import|export``: the catalog's spreadsheets from the command line.

The command line acts with store-manager rights (audited as via=cli), as the
roster's import does. A rejected file prints each problem on a line of its
own on stderr, then the count, and exits 1 with nothing written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console.i18n import msg, text


def add_io_parsers(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds the ``import`` and ``export`` actions to ``anchor-console catalog``."""
    from console.cli import _add_common

    importing = actions.add_parser(
        "import", help=text(msg("cli.help_catalog_import",
                                "add or update the products of a CSV or XLSX file, all or nothing")))
    _add_common(importing)
    importing.add_argument(
        "file", metavar="FILE", type=Path,
        help=text(msg("cli.help_catalog_import_file",
                      "columns sku and any of name, brand, category, spec, counter_price (or price), stock, "
                      "barcode, quality_doc, after_sales; or the Chinese headers 商品编码, 商品名称, 品牌 ...")))
    importing.add_argument(
        "--dry-run", action="store_true",
        help=text(msg("cli.help_catalog_dry_run", "say what the import would add, update and refuse; write nothing")))
    exporting = actions.add_parser(
        "export", help=text(msg("cli.help_catalog_export",
                                "write the catalog with this store's prices and stock, as import reads it")))
    _add_common(exporting)
    exporting.add_argument("--format", choices=("csv", "xlsx"), required=True,
                           help=text(msg("cli.help_catalog_format", "csv (UTF-8) or xlsx (Excel)")))
    exporting.add_argument("--output", metavar="FILE", type=Path,
                           help=text(msg("cli.help_catalog_output",
                                         "write to this file instead of standard output")))


def run_io(data_dir: Path, args: argparse.Namespace) -> int:
    from console.cli import EXIT_ERROR, EXIT_OK, _complain, _say, _warning, _write_atomically
    from console.domain.enums import AuditVia
    from console.domain.errors import ValidationError
    from console.services.auth import AuthService
    from console.services.catalog_io import CatalogFileService
    from console.storage.db import open_database

    if args.catalog_command == "export" and args.output is None and args.format == "xlsx" and sys.stdout.isatty():
        raise ValidationError(msg("cli.catalog_xlsx_to_terminal",
                                  "An Excel file cannot be shown in a terminal; name a file with --output."))
    db = open_database(data_dir, create=False)
    try:
        files = CatalogFileService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        if args.catalog_command == "import":
            result = files.import_file(args.file, dry_run=args.dry_run)
            note = result.ignored_note()
            if note is not None:
                _say(_warning(note))
            for notice in result.notices:
                _say(_warning(notice))
            for problem in result.problem_messages:
                _complain(problem)
            _say(result.summary())
            return EXIT_OK if result.ok else EXIT_ERROR
        # Excel in China reads a CSV file as GBK unless it starts with a BOM; the import reads
        # either, so a file gets one and a pipe does not.
        data = files.export(args.format, bom=args.output is not None)
    finally:
        db.close()
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _write_atomically(args.output, data)
    return EXIT_OK
