"""The ``anchor-console`` command: the GUI by default, subcommands for headless work.

Errors a user can cause end as one sentence on stderr and a non-zero exit
status, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from console import __version__
from console.domain.errors import DomainError, ValidationError
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

    roster = sub.add_parser("roster", help="import or export shifts")
    _add_data_dir(roster, top=False)
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    roster_import = roster_sub.add_parser(
        "import", help="add the shifts in a CSV or XLSX file, all or nothing, through the roster rules")
    _add_data_dir(roster_import, top=False)
    roster_import.add_argument("file", metavar="FILE", type=Path,
                               help="columns anchor, room, start, end, role and optionally broadcast")
    roster_export = roster_sub.add_parser("export", help="write the shifts of a date range as CSV or iCalendar")
    _add_data_dir(roster_export, top=False)
    roster_export.add_argument("--from", dest="start", metavar="DATE", type=_local_date,
                               help="first day, YYYY-MM-DD in the store's time (default: this week's Monday)")
    roster_export.add_argument("--to", dest="end", metavar="DATE", type=_local_date,
                               help="day after the last, YYYY-MM-DD (default: 7 days after --from)")
    roster_export.add_argument("--format", choices=("csv", "ics"), required=True)
    roster_export.add_argument("--output", metavar="FILE", type=Path,
                               help="write to this file instead of standard output")

    enroll = sub.add_parser("enroll", help="connect this console to head office with a one-time code")
    _add_data_dir(enroll, top=False)
    enroll.add_argument("--server", required=True, metavar="URL", help="head office's address, http(s)://...")
    enroll.add_argument("--code", required=True, help="the one-time enrollment code from head office")
    enroll.add_argument("--name", default=None, help="this console's name at head office (default: the computer's)")
    keep = enroll.add_mutually_exclusive_group()
    keep.add_argument("--upload", action="store_true",
                      help="this console's own data becomes the store's data at head office")
    keep.add_argument("--start-clean", action="store_true",
                      help="set this console's data aside (a backup copy is kept) and take head office's")

    sync = sub.add_parser("sync", help="sync with head office (runs until Ctrl-C unless --once or --status)")
    _add_data_dir(sync, top=False)
    how = sync.add_mutually_exclusive_group()
    how.add_argument("--once", action="store_true",
                     help="sync once; exit 0 only when everything went up and came down")
    how.add_argument("--status", action="store_true", help="print what sync knows, without syncing")
    sync.add_argument("--interval", type=float, default=180.0, metavar="SECONDS",
                      help="without --once: seconds between syncs (default 180)")
    return parser


def _local_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


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
        if args.command == "roster":
            return _cmd_roster(data_dir, args)
        if args.command == "enroll":
            return _cmd_enroll(data_dir, args)
        if args.command == "sync":
            return _cmd_sync(data_dir, args)
        return _run_gui(data_dir, args)
    except DomainError as exc:
        # A rejected file lists each of its problems on a line of its own first.
        for problem in getattr(exc, "problems", ()):
            print(f"anchor-console: {problem}", file=sys.stderr)
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


def _cmd_roster(data_dir: Path, args: argparse.Namespace) -> int:
    from console.domain.enums import AuditVia
    from console.services.auth import AuthService
    from console.services.roster_io import (
        RosterFileService,
        local_midnight,
        this_monday,
    )
    from console.storage.db import open_database

    db = open_database(data_dir, create=False)
    try:
        # The command line acts with store-manager rights; its changes are audited as via=cli.
        files = RosterFileService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        if args.roster_command == "import":
            result = files.import_file(args.file)
            for warning in result.warnings:
                print(f"warning: {warning}")
            print(result.summary())
            return EXIT_OK
        zone = files.store().timezone
        first = args.start or this_monday(zone)
        last = args.end or first + timedelta(days=7)
        if last <= first:
            raise ValidationError(f"--to {last} must be after --from {first}.")
        text = files.export(local_midnight(first, zone), local_midnight(last, zone), args.format)
    finally:
        db.close()
    if args.output is None:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        # Excel in China reads a CSV file as GBK unless it starts with a BOM;
        # the import accepts either, so files get one and pipes do not.
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        _write_atomically(args.output, text.encode(encoding))
    return EXIT_OK


ENROLL_QUESTION = ("This console already holds data of its own. Upload it as the store's data at head office, "
                   "or start clean (a backup copy is kept)? [upload/clean] ")


def _ask_enroll_mode() -> str:
    if not sys.stdin.isatty():
        raise ValidationError(
            "This console already holds data of its own and there is no terminal to ask what to do with it; "
            "pass --upload to make it the store's data at head office, or --start-clean to set it aside.")
    while True:
        try:
            answer = input(ENROLL_QUESTION).strip().lower()
        except EOFError:
            raise ValidationError("No answer given; nothing was changed. Pass --upload or --start-clean.") from None
        if answer in ("u", "upload"):
            return "upload"
        if answer in ("c", "clean", "start clean", "start-clean"):
            return "clean"
        print("Please answer upload or clean.")


def _cmd_enroll(data_dir: Path, args: argparse.Namespace) -> int:
    import asyncio

    from console.storage.db import open_database
    from console.sync import local
    from console.sync.client import MODE_CLEAN, MODE_UPLOAD, SyncClient, default_console_name
    from console.sync.tokens import TokenStore

    db = open_database(data_dir)
    client = None
    try:
        if args.upload:
            mode = MODE_UPLOAD
        elif args.start_clean:
            mode = MODE_CLEAN
        elif local.has_own_data(db):
            # Asked before the code is spent: a one-time code cannot be taken back.
            mode = _ask_enroll_mode()
        else:
            mode = MODE_CLEAN
        client = SyncClient(db, args.server, TokenStore(data_dir))
        result = asyncio.run(client.enroll(args.code, mode=mode, console_name=args.name or default_console_name()))
    finally:
        if client is not None:
            client.close()
        db.close()
    where = "the system keyring" if result.token_kept_in == "keyring" else f"{data_dir} (readable by you only)"
    print(f"Enrolled as a console of store {result.store_code} {result.store_name}; its token is kept in {where}.")
    return _print_report(result.report)


def _print_report(report: object) -> int:
    from console.sync.client import SyncReport

    assert isinstance(report, SyncReport)
    print(f"pushed {report.pushed}, pulled {report.pulled}, conflicts {report.conflicts}, "
          f"rejected {report.rejected}, pending {report.pending_after}")
    for problem in report.errors:
        print(f"anchor-console: {problem}", file=sys.stderr)
    if not report.errors and report.pending_after:
        print(f"anchor-console: {report.pending_after} changes are still waiting to go up; sync again.",
              file=sys.stderr)
    return EXIT_OK if report.clean else EXIT_ERROR


def _cmd_sync(data_dir: Path, args: argparse.Namespace) -> int:
    import asyncio

    from console.storage.db import open_database
    from console.sync.client import SyncClient, SyncLoop
    from console.sync.tokens import TokenStore

    db = open_database(data_dir, create=False)
    client = SyncClient(db, None, TokenStore(data_dir))
    try:
        if args.status:
            return _print_status(db)
        if args.once:
            return _print_report(asyncio.run(client.sync_once()))

        async def forever() -> None:
            loop = SyncLoop(client, normal_interval=args.interval,
                            on_report=lambda report: _print_report(report) and None)
            loop.start()
            try:
                await asyncio.Event().wait()
            finally:
                await loop.stop()

        print("Syncing with head office; press Ctrl-C to stop.")
        try:
            asyncio.run(forever())
        except KeyboardInterrupt:
            print("Stopped.")
        return EXIT_OK
    finally:
        client.close()
        db.close()


def _print_status(db: object) -> int:
    from console.services.sync import SyncService
    from console.storage.db import Database

    assert isinstance(db, Database)
    # Reading status needs no signed-in user; the actor is never consulted.
    status = SyncService(db, None).status()  # type: ignore[arg-type]
    last = f"{status.last_success:%Y-%m-%d %H:%M} UTC" if status.last_success else "never"
    enrolled = f"yes, store {status.store_code}" if status.enrolled else "no"
    print(f"Head office: {status.server_url or '-'}")
    print(f"Enrolled: {enrolled}")
    print(f"Pending changes: {status.pending_changes}")
    print(f"Last success: {last}")
    print(f"Last problem: {status.last_error or 'none'}")
    print(f"Open conflicts: {status.open_conflicts}")
    return EXIT_OK


def _write_atomically(path: Path, data: bytes) -> None:
    """Write a temporary file beside ``path`` and rename it over: never a half-written file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ValidationError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private (0600); give it the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ValidationError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _run_gui(data_dir: Path, args: argparse.Namespace) -> int:
    # Imported here so that the Qt-free core never loads PySide6 on its own.
    from ui.app import run

    return run(data_dir, args)


if __name__ == "__main__":
    sys.exit(main())
