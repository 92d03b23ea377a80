"""``anchor-console catalog search TEXT``: the Products screen's search, as a table or as JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from console.i18n import msg, text

if TYPE_CHECKING:
    from console.domain.values import ProductRow

# More rows than a terminal shows; a script that wants the lot says so with --limit.
DEFAULT_LIMIT = 50


def add_search_parser(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds ``catalog search TEXT [--limit N] [--json]``."""
    from console.cli import _add_common

    search = actions.add_parser("search", help=text(msg(
        "cli_catalog_search.help", "find products by name, brand, SKU, barcode or pinyin, best match first")))
    _add_common(search)
    search.add_argument("text", metavar="TEXT", help=text(msg(
        "cli_catalog_search.help_text", "what to look for: words of the name, pinyin or its initials (gl finds "
                                        "格力), a SKU or its start, a barcode")))
    search.add_argument("--limit", metavar="N", type=_count, default=DEFAULT_LIMIT, help=text(msg(
        "cli_catalog_search.help_limit", "show at most N products (default: {count})", count=DEFAULT_LIMIT)))
    search.add_argument("--json", action="store_true", help=text(msg(
        "cli_catalog_search.help_json", "print a JSON list instead of a table")))


def _count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(text(msg(
            "cli_catalog_search.bad_limit", "'{value}' is not a number of products; write a whole number from 1 up",
            value=value)))
    return count


def run_search(data_dir: Path, args: argparse.Namespace) -> int:
    from console.cli import EXIT_OK
    from console.domain.enums import AuditVia
    from console.services.auth import AuthService
    from console.services.catalog import CatalogService
    from console.storage.db import open_database

    db = open_database(data_dir, create=False)
    try:
        # The command line acts with store-manager rights, as every other command does.
        catalog = CatalogService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        rows = catalog.search(args.text, limit=args.limit)
    finally:
        db.close()
    if args.json:
        print(json.dumps([as_json(r) for r in rows], ensure_ascii=False, indent=2))
    else:
        print(table(rows, args.text))
    return EXIT_OK


def as_json(row: ProductRow) -> dict[str, object]:
    """One product for scripts: prices in yuan with two decimals, as a string, so no float rounds them."""
    price = row.counter_price_fen
    return {
        "id": str(row.id), "sku": row.sku, "barcode": row.barcode, "name": row.name, "brand": row.brand,
        "category": row.category, "spec": row.spec,
        "counter_price": None if price is None else f"{price // 100}.{price % 100:02d}",
        "stock": row.stock, "quality_documents": row.quality_document_count,
        "has_after_sales_policy": row.has_after_sales_policy, "may_go_on_air": row.may_go_on_air,
        "on_air_problems": [text(p) for p in row.on_air_problems],
    }


def table(rows: list[ProductRow], searched: str) -> str:
    """Columns lined up for a terminal, Chinese characters two columns wide."""
    from console.cli_language import columns
    from console.domain.values import format_fen

    if not rows:
        return text(msg("cli_catalog_search.none", "No product matches “{text}”.", text=searched))
    header = [text(msg("cli_catalog_search.column_sku", "SKU")),
              text(msg("cli_catalog_search.column_name", "Name")),
              text(msg("cli_catalog_search.column_brand", "Brand")),
              text(msg("cli_catalog_search.column_price", "Counter price")),
              text(msg("cli_catalog_search.column_stock", "Stock")),
              text(msg("cli_catalog_search.column_on_air", "On air"))]
    unknown = "-"
    lines = [header] + [[
        r.sku, r.name, r.brand,
        unknown if r.counter_price_fen is None else format_fen(r.counter_price_fen),
        unknown if r.stock is None else str(r.stock),
        text(msg("cli_catalog_search.on_air_yes", "yes")) if r.may_go_on_air
        else "; ".join(text(p) for p in r.on_air_problems),
    ] for r in rows]
    widths = [max(columns(line[i]) for line in lines) for i in range(len(header))]
    numeric = {3, 4}

    def cell(i: int, value: str) -> str:
        pad = " " * (widths[i] - columns(value))
        return pad + value if i in numeric else value + pad

    return "\n".join("  ".join(cell(i, v) for i, v in enumerate(line)).rstrip() for line in lines)
