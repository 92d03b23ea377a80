"""``anchor-console catalog ...``: the catalog's commands (import and export; search)."""

from __future__ import annotations

import argparse
from pathlib import Path

from console.i18n import msg, text


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from console.cli import _add_common
    from console.cli_catalog_io import add_io_parsers
    from console.cli_catalog_search import add_search_parser

    catalog = sub.add_parser("catalog", help=text(msg("cli.help_catalog", "import, export or search the catalog")))
    _add_common(catalog)
    actions = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    add_io_parsers(actions)
    add_search_parser(actions)


def run(data_dir: Path, args: argparse.Namespace) -> int:
    if args.catalog_command == "search":
        from console.cli_catalog_search import run_search

        return run_search(data_dir, args)
    from console.cli_catalog_io import run_io

    return run_io(data_dir, args)
