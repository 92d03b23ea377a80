"""The ``anchor-console`` command: the GUI by default, subcommands for headless work.

Errors a user can cause end as one sentence on stderr and a non-zero exit
status, never a traceback.

Everything the command prints is in the user's language: ``--lang`` (before
or after the subcommand), else the console's saved setting, else the locale
(LC_ALL, LC_MESSAGES, LANG), else Chinese. argparse's own words ("usage:",
"the following arguments are required") come from the same catalog.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from console import __version__
from console.cli_language import Parser, argparse_in_our_language, choose_language
from console.domain.errors import DomainError, ValidationError
from console.i18n import (
    LANGUAGES,
    CatalogError,
    Message,
    active,
    msg,
    msg_n,
    text,
    use_language,
)
from console.paths import HOME_ENV, resolve_data_dir
from console.paths import write_atomically as _write_atomically  # the other commands' name for it

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

PROG = "anchor-console"
VIEWS = ("live", "broadcasts", "products", "scripts", "roster", "reports", "sync")
# Screenshots only: the Live screen during a show, and the teleprompter's own window.
SCREENSHOT_VIEWS = (*VIEWS, "onair", "prompter", "prompter-opening", "prompter-interaction",
                    "prompter-closing", "enroll", "enroll-progress")


# --------------------------------------------------------------------------
# Speaking the user's language
# --------------------------------------------------------------------------


def _say(message: Message | str) -> None:
    print(text(message))


def _complain(message: Message | str | BaseException) -> None:
    problem = message if isinstance(message, Message) else text(message)
    print(text(msg("cli.complaint", "{program}: {problem}", program=PROG, problem=problem)), file=sys.stderr)


def _warning(warning: Message | str) -> Message:
    return msg("cli.warning", "warning: {warning}", warning=warning)


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------


def _add_data_dir(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # The same option on the top parser and every subparser, so that it is
    # accepted before or after the subcommand; SUPPRESS keeps a subparser
    # from overwriting a value given before the subcommand.
    parser.add_argument(
        "--data-dir", metavar="DIR", default=None if top else argparse.SUPPRESS,
        help=text(msg("cli.help_data_dir", "data folder of the local store (default: ${env} or the user's data folder)",
                      env=HOME_ENV)),
    )


def _add_lang(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Like --data-dir: before or after the subcommand.
    parser.add_argument(
        "--lang", choices=LANGUAGES, default=None if top else argparse.SUPPRESS,
        help=text(msg("cli.help_lang", "language of messages (default: the saved choice, else the system's, "
                                       "else zh_CN)")),
    )


def _add_common(parser: argparse.ArgumentParser) -> None:
    _add_data_dir(parser, top=False)
    _add_lang(parser, top=False)


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the active language (call after choosing it, inside :func:`main`)."""
    parser = Parser(
        prog=PROG,
        description=text(msg("cli.help_description", "Control console for department-store live commerce.")),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help=text(msg("cli.help_version", "show the program's version number and exit")))
    _add_data_dir(parser, top=True)
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help=text(msg("cli.help_screenshot", "render the main window to a PNG file and exit")))
    parser.add_argument("--view", choices=SCREENSHOT_VIEWS, default="live",
                        help=text(msg("cli.help_view", "screen to show (with --screenshot, the one rendered)")))
    _add_lang(parser, top=True)
    parser.add_argument("--user", metavar="LOGIN",
                        help=text(msg("cli.help_user",
                                      "with --screenshot: sign in as this user instead of the store manager")))
    parser.add_argument("--theme", choices=("light", "dark"), default=None,
                        help=text(msg("cli.help_theme", "colour theme (default: the saved choice)")))
    parser.add_argument("-v", "--verbose", action="store_true",
                        help=text(msg("cli.help_verbose", "log debugging detail to stderr")))

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help=text(msg("cli.help_demo",
                                                "create a demo store (one store of a five-store group)")))
    _add_common(demo)
    demo.add_argument("--scale", choices=("small", "large"), default="small",
                      help=text(msg("cli.help_demo_scale", "how big a store to make (default: small)")))
    demo.add_argument("--seed", type=int, default=20261125,
                      help=text(msg("cli.help_demo_seed", "random seed (same seed, same store)")))

    info = sub.add_parser("info", help=text(msg("cli.help_info", "print which store this data folder holds")))
    _add_common(info)

    roster = sub.add_parser("roster", help=text(msg("cli.help_roster", "import or export shifts")))
    _add_common(roster)
    roster_sub = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    roster_import = roster_sub.add_parser(
        "import", help=text(msg("cli.help_roster_import",
                                "add the shifts in a CSV or XLSX file, all or nothing, through the roster rules")))
    _add_common(roster_import)
    roster_import.add_argument(
        "file", metavar="FILE", type=Path,
        help=text(msg("cli.help_roster_import_file",
                      "columns anchor, room, start, end, role and optionally broadcast")))
    roster_export = roster_sub.add_parser(
        "export", help=text(msg("cli.help_roster_export", "write the shifts of a date range as CSV or iCalendar")))
    _add_common(roster_export)
    roster_export.add_argument(
        "--from", dest="start", metavar="DATE", type=_local_date,
        help=text(msg("cli.help_roster_from",
                      "first day, YYYY-MM-DD in the store's time (default: this week's Monday)")))
    roster_export.add_argument(
        "--to", dest="end", metavar="DATE", type=_local_date,
        help=text(msg("cli.help_roster_to", "day after the last, YYYY-MM-DD; the same day as --from exports that "
                                            "one day (default: 7 days after --from)")))
    roster_export.add_argument("--format", choices=("csv", "xlsx", "ics"), required=True,
                               help=text(msg("cli.help_roster_format_xlsx",
                                             "csv or xlsx (the import's columns; xlsx needs --output) or ics "
                                             "(iCalendar, for phones)")))
    roster_export.add_argument("--output", metavar="FILE", type=Path,
                               help=text(msg("cli.help_roster_output",
                                             "write to this file instead of standard output")))

    from console.cli_broadcast import add_parsers as add_broadcast_parsers
    from console.cli_catalog import add_parser as add_catalog_parser
    from console.cli_compliance import add_parsers as add_compliance_parsers
    from console.cli_queue import add_parsers as add_queue_parsers
    from console.cli_script import add_parsers as add_script_parsers
    from console.cli_report import add_parser as add_report_parser
    from console.cli_settings import add_parser as add_settings_parser
    from console.cli_show import add_parsers as add_show_parsers

    add_catalog_parser(sub)
    add_broadcast_parsers(sub)
    add_queue_parsers(sub)
    add_show_parsers(sub)
    add_compliance_parsers(sub)
    add_script_parsers(sub)
    add_report_parser(sub)
    add_settings_parser(sub)

    enroll = sub.add_parser("enroll", help=text(msg("cli.help_enroll",
                                                    "connect this console to head office with a one-time code")))
    _add_common(enroll)
    enroll.add_argument("--server", required=True, metavar="URL",
                        help=text(msg("cli.help_enroll_server", "head office's address, http(s)://...")))
    enroll.add_argument("--code", required=True,
                        help=text(msg("cli.help_enroll_code", "the one-time enrollment code from head office")))
    enroll.add_argument("--name", default=None,
                        help=text(msg("cli.help_enroll_name",
                                      "this console's name at head office (default: the computer's)")))
    keep = enroll.add_mutually_exclusive_group()
    keep.add_argument("--upload", action="store_true",
                      help=text(msg("cli.help_enroll_upload",
                                    "this console's own data becomes the store's data at head office")))
    keep.add_argument("--start-clean", action="store_true",
                      help=text(msg("cli.help_enroll_start_clean",
                                    "set this console's data aside (a backup copy is kept) and take head office's")))

    sync = sub.add_parser("sync", help=text(msg("cli.help_sync", "sync with head office (runs until Ctrl-C unless "
                                                                 "--once or --status)")))
    _add_common(sync)
    how = sync.add_mutually_exclusive_group()
    how.add_argument("--once", action="store_true",
                     help=text(msg("cli.help_sync_once",
                                   "sync once; exit 0 only when everything went up and came down")))
    how.add_argument("--status", action="store_true",
                     help=text(msg("cli.help_sync_status", "print what sync knows, without syncing")))
    sync.add_argument("--interval", type=float, default=180.0, metavar="SECONDS",
                      help=text(msg("cli.help_sync_interval",
                                    "without --once: seconds between syncs (default 180)")))
    return parser


def _local_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(text(msg(
            "cli.not_a_date", "'{value}' is not a date; write it as YYYY-MM-DD", value=value))) from None


# Opens the console's window: given by the ``anchor-console`` launcher (``ui.__main__``), so that
# the Qt-free core never names the ui package.
GuiRunner = Callable[[Path, argparse.Namespace], int]


def main(argv: Sequence[str] | None = None, *, gui: GuiRunner | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    before = active().language
    try:
        use_language(choose_language(argv))
    except CatalogError as exc:
        # use_language has switched to English; the error says so, in English.
        _complain(_warning(str(exc)))
    try:
        with argparse_in_our_language():
            return _run(argv, gui)
    finally:
        # One process, one language: put back the caller's (a test, or a script calling main()).
        try:
            use_language(before)
        except CatalogError:
            pass


def _run(argv: list[str], gui: GuiRunner | None) -> int:
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
        if args.command == "catalog":
            from console.cli_catalog import run as run_catalog

            return run_catalog(data_dir, args)
        if args.command == "broadcast":
            from console.cli_broadcast import run as run_broadcast

            return run_broadcast(data_dir, args)
        if args.command == "queue":
            from console.cli_queue import run as run_queue

            return run_queue(data_dir, args)
        if args.command == "show":
            from console.cli_show import run as run_show

            return run_show(data_dir, args)
        if args.command == "compliance":
            from console.cli_compliance import run as run_compliance

            return run_compliance(data_dir, args)
        if args.command == "script":
            from console.cli_script import run as run_script

            return run_script(data_dir, args)
        if args.command == "report":
            from console.cli_report import run as run_report

            return run_report(data_dir, args)
        if args.command == "settings":
            from console.cli_settings import run as run_settings

            return run_settings(data_dir, args)
        if args.command == "enroll":
            return _cmd_enroll(data_dir, args)
        if args.command == "sync":
            return _cmd_sync(data_dir, args)
        if gui is None:
            raise DomainError(msg("cli.no_window", "Name a command (see --help); the window opens with "
                                  "`anchor-console` without one."))
        return gui(data_dir, args)
    except DomainError as exc:
        # A rejected file lists each of its problems on a line of its own first.
        for problem in getattr(exc, "problems", ()):
            _complain(problem)
        _complain(exc)
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
    _say(report.describe())
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
        _say(msg("cli.info_no_store", "{folder}: no store yet", folder=str(data_dir)))
    else:
        # Tab-separated values for scripts: the same in every language.
        print("\t".join((store.code, store.name, store.group_name, str(data_dir))))
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

    if args.roster_command == "export" and args.format == "xlsx" and args.output is None:
        raise ValidationError(msg("cli.roster_xlsx_needs_output",
                                  "An Excel file needs a file to go to; name one with --output."))
    db = open_database(data_dir, create=False)
    try:
        # The command line acts with store-manager rights; its changes are audited as via=cli.
        files = RosterFileService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        if args.roster_command == "import":
            result = files.import_file(args.file)
            for warning in result.warnings:
                _say(_warning(warning))
            _say(result.summary())
            return EXIT_OK
        zone = files.store().timezone
        first = args.start or this_monday(zone)
        last = args.end or first + timedelta(days=7)
        if last == first:
            # A manager who types one day for both means that day, not an empty range.
            last = first + timedelta(days=1)
        if last < first:
            # The dates as typed on the command line, not as prose: the user finds them in their command.
            raise ValidationError(msg("cli.export_backwards", "--to {last} is before --from {first}.",
                                      last=last.isoformat(), first=first.isoformat()))
        # Excel in China reads a CSV file as GBK unless it starts with a BOM;
        # the import accepts either, so files get one and pipes do not.
        data = files.export_bytes(local_midnight(first, zone), local_midnight(last, zone), args.format,
                                  bom=args.output is not None)
    finally:
        db.close()
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _write_atomically(args.output, data)
    return EXIT_OK


def enroll_question() -> Message:
    return msg("cli.enroll_question", "This console already holds data of its own. Upload it as the store's data "
                                      "at head office, or start clean (a backup copy is kept)? [upload/clean] ")


# The English words in every language (the question shows them), and the Chinese ones too.
UPLOAD_ANSWERS = ("u", "upload", "上传")
CLEAN_ANSWERS = ("c", "clean", "start clean", "start-clean", "重新开始", "清空")


def _ask_enroll_mode() -> str:
    if not sys.stdin.isatty():
        raise ValidationError(msg(
            "cli.enroll_no_terminal",
            "This console already holds data of its own and there is no terminal to ask what to do with it; "
            "pass --upload to make it the store's data at head office, or --start-clean to set it aside."))
    while True:
        try:
            answer = input(text(enroll_question())).strip().lower()
        except EOFError:
            raise ValidationError(msg("cli.enroll_no_answer",
                                      "No answer given; nothing was changed. Pass --upload or --start-clean.")
                                  ) from None
        if answer in UPLOAD_ANSWERS:
            return "upload"
        if answer in CLEAN_ANSWERS:
            return "clean"
        _say(msg("cli.enroll_answer_again", "Please answer upload or clean."))


def _cmd_enroll(data_dir: Path, args: argparse.Namespace) -> int:
    import asyncio

    from console.storage.db import open_database
    from console.sync import local
    from console.sync.client import (
        MODE_CLEAN,
        MODE_UPLOAD,
        SyncClient,
        default_console_name,
    )
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
    if result.token_kept_in == "keyring":
        where = msg("cli.token_in_keyring", "the system keyring")
    else:
        where = msg("cli.token_in_folder", "{folder} (readable by you only)", folder=str(data_dir))
    _say(msg("cli.enrolled", "Enrolled as a console of store {code} {name}; its token is kept in {where}.",
             code=result.store_code, name=result.store_name, where=where))
    return _print_report(result.report)


def _print_report(report: object) -> int:
    from console.sync.client import SyncReport

    assert isinstance(report, SyncReport)
    _say(msg("cli.sync_report", "pushed {pushed}, pulled {pulled}, conflicts {conflicts}, rejected {rejected}, "
                                "pending {pending}",
             pushed=report.pushed, pulled=report.pulled, conflicts=report.conflicts, rejected=report.rejected,
             pending=report.pending_after))
    for problem in report.errors:
        _complain(problem)
    if not report.errors and report.pending_after:
        _complain(msg_n("cli.sync_still_pending", "{count} change is still waiting to go up; sync again.",
                        "{count} changes are still waiting to go up; sync again.", count=report.pending_after))
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

        _say(msg("cli.sync_running", "Syncing with head office; press Ctrl-C to stop."))
        try:
            asyncio.run(forever())
        except KeyboardInterrupt:
            _say(msg("cli.sync_stopped", "Stopped."))
        return EXIT_OK
    finally:
        client.close()
        db.close()


def _print_status(db: object) -> int:
    from console.i18n.formats import DEFAULT_TIMEZONE, in_zone
    from console.services.auth import AuthService
    from console.services.sync import SyncService
    from console.storage.db import Database

    assert isinstance(db, Database)
    # Reading status needs no signed-in user; the actor is never consulted.
    status = SyncService(db, None).status()  # type: ignore[arg-type]
    store = AuthService(db).local_store()
    zone = store.timezone if store is not None and store.timezone else DEFAULT_TIMEZONE
    last: object = (in_zone(status.last_success, zone) if status.last_success
                    else msg("cli.status_never", "never"))
    enrolled = (msg("cli.status_enrolled_yes", "yes, store {store}", store=status.store_code) if status.enrolled
                else msg("cli.status_enrolled_no", "no"))
    problem = status.last_error or msg("cli.status_no_problem", "none")
    for line in (
        msg("cli.status_server", "Head office: {server}", server=status.server_url or "-"),
        msg("cli.status_enrolled", "Enrolled: {enrolled}", enrolled=enrolled),
        msg("cli.status_pending", "Pending changes: {count}", count=status.pending_changes),
        msg("cli.status_last_success", "Last success: {when}", when=last),
        msg("cli.status_last_problem", "Last problem: {problem}", problem=problem),
        msg("cli.status_open_conflicts", "Open conflicts: {count}", count=status.open_conflicts),
    ):
        _say(line)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
