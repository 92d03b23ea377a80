"""``anchor-console catalog ...``: the catalog's commands (import and export; search; a product's pictures)."""

from __future__ import annotations

import argparse
from pathlib import Path

from console.i18n import msg, msg_n, text


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from console.cli import _add_common
    from console.cli_catalog_io import add_io_parsers
    from console.cli_catalog_search import add_search_parser

    catalog = sub.add_parser("catalog", help=text(msg("cli.help_catalog", "import, export or search the catalog")))
    _add_common(catalog)
    actions = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    add_io_parsers(actions)
    add_search_parser(actions)
    picture = actions.add_parser(
        "picture", help=text(msg("cli.help_catalog_picture",
                                 "add a picture file (PNG, JPEG, WebP, GIF, BMP) to a product's pictures")))
    _add_common(picture)
    picture.add_argument("sku", metavar="SKU", help=text(msg("cli.help_catalog_picture_sku", "the product's SKU")))
    picture.add_argument("file", metavar="FILE", type=Path,
                         help=text(msg("cli.help_catalog_picture_file", "the picture; a copy is kept in media/")))


def run(data_dir: Path, args: argparse.Namespace) -> int:
    if args.catalog_command == "picture":
        return run_picture(data_dir, args)
    if args.catalog_command == "search":
        from console.cli_catalog_search import run_search

        return run_search(data_dir, args)
    from console.cli_catalog_io import run_io

    return run_io(data_dir, args)


def run_picture(data_dir: Path, args: argparse.Namespace) -> int:
    from console.cli import EXIT_OK, _say
    from console.domain.enums import AuditVia
    from console.services.auth import AuthService
    from console.services.catalog_detail import CatalogDetailService
    from console.storage.db import open_database

    db = open_database(data_dir, create=False)
    try:
        detail = CatalogDetailService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        product = detail.add_image(detail.product_id_for_sku(args.sku), args.file)
    finally:
        db.close()
    _say(msg_n("cli.catalog_picture_added", "{sku} now has {count} picture.", "{sku} now has {count} pictures.",
               count=len(product.images), sku=product.row.sku))
    return EXIT_OK
