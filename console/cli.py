"""The ``anchor-console`` command: the GUI by default, subcommands for headless work.

Errors a user can cause end as one sentence on stderr and a non-zero exit
status, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from console import __version__
from console.domain.errors import DomainError
from console.paths import HOME_ENV, resolve_data_dir

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

VIEWS = ("live", "broadcasts", "products", "scripts", "roster", "reports", "sync")


def _add_data_dir(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # The same option on the top parser and every subparser, so that it is
    # accepted before or after the subcommand; SUPPRESS keeps a subparser
    # from overwriting a value given before the subcommand.
    parser.add_argument(
        "--data-dir", metavar="DIR", default=None if top else argparse.SUPPRESS,
        help=f"data folder of the local store (default: ${HOME_ENV} or the user's data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="anchor-console",
        description="Control console for department-store live commerce.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_data_dir(parser, top=True)
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="render the main window to a PNG file and exit")
    parser.add_argument("--view", choices=VIEWS, default="live",
                        help="screen to show (with --screenshot, the one rendered)")
    parser.add_argument("--lang", choices=("zh_CN", "en"), default=None,
                        help="interface language (default: the saved choice, else zh_CN)")
    parser.add_argument("--user", metavar="LOGIN",
                        help="with --screenshot: sign in as this user instead of the store manager")
    parser.add_argument("--theme", choices=("light", "dark"), default=None,
                        help="colour theme (default: the saved choice)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging detail to stderr")

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="create a demo store (one store of a five-store group)")
    _add_data_dir(demo, top=False)
    demo.add_argument("--scale", choices=("small", "large"), default="small")
    demo.add_argument("--seed", type=int, default=20261125, help="random seed (same seed, same store)")

    info = sub.add_parser("info", help="print which store this data folder holds")
    _add_data_dir(info, top=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    data_dir = resolve_data_dir(args.data_dir)
    try:
        if args.command == "demo":
            return _cmd_demo(data_dir, args)
        if args.command == "info":
            return _cmd_info(data_dir)
        return _run_gui(data_dir, args)
    except DomainError as exc:
        print(f"anchor-console: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        sys.stderr.close()
        return EXIT_ERROR


def _cmd_demo(data_dir: Path, args: argparse.Namespace) -> int:
    from console.demo import build_demo

    report = build_demo(data_dir, scale=args.scale, seed=args.seed)
    print(report.describe())
    return EXIT_OK


def _cmd_info(data_dir: Path) -> int:
    from console.services.auth import AuthService
    from console.storage.db import open_database

    db = open_database(data_dir, create=False)
    try:
        store = AuthService(db).local_store()
    finally:
        db.close()
    if store is None:
        print(f"{data_dir}: no store yet")
    else:
        print(f"{store.code}\t{store.name}\t{store.group_name}\t{data_dir}")
    return EXIT_OK


def _run_gui(data_dir: Path, args: argparse.Namespace) -> int:
    # Imported here so that the Qt-free core never loads PySide6 on its own.
    from ui.app import run

    return run(data_dir, args)


if __name__ == "__main__":
    sys.exit(main())
