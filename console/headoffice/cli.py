"""The anchor-headoffice command line: serve, migrate, demo, stores, enrollment codes, consoles, users, catalog,
rule packs.

Every command takes ``--database-url`` (or ANCHOR_HEADOFFICE_DATABASE_URL)
and brings the schema up to date first. Errors are one sentence on stderr
and a non-zero exit status.

Everything it says is in the user's language, as ``anchor-console`` does it
(:mod:`console.cli_language`): ``--lang`` (before or after the command), else
the locale (LC_ALL, LC_MESSAGES, LANG), else Chinese; argparse's own words and
the help come from the core's catalog. Listings (tab-separated lines, codes)
and report or catalog files are the same in every language.
"""

from __future__ import annotations

import argparse
import gc
import getpass
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from console import __version__
from console.cli_language import Parser, argparse_in_our_language, language_option
from console.headoffice import admin, db, logs
from console.headoffice.errors import AdminError, Refusal
from console.headoffice.models import HeadOfficeRole
from console.i18n import LANGUAGES, CatalogError, Message, active, msg, msg_n, resolve_language, text, use_language

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
PROG = "anchor-headoffice"


class CommandError(Refusal):
    """A command that cannot go on; its message is printed in the user's language."""


class UsageError(CommandError):
    """Bad input to a command (a backwards date range, an unknown store): exit status 2."""


def _say(message: Message) -> None:
    print(text(message))


def _complain(problem: Message | BaseException) -> None:
    shown = problem if isinstance(problem, Message) else text(problem)
    print(text(msg("cli.complaint", "{program}: {problem}", program=PROG, problem=shown)), file=sys.stderr)


def _cannot_write(path: Path, exc: OSError) -> CommandError:
    return CommandError(msg("cli.cannot_write", "Cannot write {path}: {reason}.", path=str(path),
                            reason=str(exc.strerror or exc)))


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "-"


def _open(args: argparse.Namespace) -> Engine:
    engine = db.make_engine(db.resolve_database_url(args.database_url))
    db.migrate(engine)
    return engine


def _in_session(args: argparse.Namespace, work: Callable[[Session], None]) -> None:
    engine = _open(args)
    try:
        with db.session_factory(engine).begin() as session:
            work(session)
    finally:
        engine.dispose()


# --- commands ---------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from console.headoffice.app import Settings, create_app

    if args.token_days is not None and args.token_days <= 0:
        raise CommandError(msg("headoffice_cli.token_days_positive", "--token-days must be a positive number of days."))
    logs.configure(getattr(logging, args.log_level.upper()))
    url = db.resolve_database_url(args.database_url)
    engine = _open(args)
    lifetime = timedelta(days=args.token_days) if args.token_days else None
    app = create_app(Settings(database_url=url, token_lifetime=lifetime), engine=engine)
    # Everything loaded so far lives as long as the process: out of the collector's sight, a full
    # collection under load walks only what requests allocate (it paused every thread ~100 ms).
    gc.freeze()
    logging.getLogger("console.headoffice").info(
        "serving", extra={"host": args.host, "port": args.port, "database": engine.url.render_as_string()})
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False,
                log_level=args.log_level)


def cmd_migrate(args: argparse.Namespace) -> None:
    engine = db.make_engine(db.resolve_database_url(args.database_url))
    try:
        _say(msg("headoffice_cli.migrated", "Head-office database at schema {schema}.", schema=db.migrate(engine)))
    finally:
        engine.dispose()


def cmd_demo(args: argparse.Namespace) -> None:
    from console.headoffice import demo

    engine = _open(args)
    try:
        stores = demo.fill(db.session_factory(engine), seed=args.seed)
    finally:
        engine.dispose()
    _say(msg("headoffice_cli.demo_codes", "Demo store codes:"))
    for store in stores:
        print(store.code)


def cmd_report(args: argparse.Namespace) -> None:
    from console.cli import _local_date  # noqa: F401  (the same date words as the console's report)
    from console.cli_report import _table
    from console.domain.errors import DomainError
    from console.headoffice import reports
    from console.paths import write_atomically
    from console.services.report_files import report_bytes

    if args.format == "xlsx" and args.output is None:
        raise UsageError(msg("headoffice_cli.xlsx_needs_output",
                             "An Excel report needs a file to go to; give --output FILE."))
    codes = [code for value in (args.store or []) for part in value.split(",") if (code := part.strip())]
    if args.all and codes:
        raise UsageError(msg("headoffice_cli.store_or_all", "Give --store CODE or --all, not both."))
    found: list[bytes] = []

    def work(session: Session) -> None:
        try:
            stores = reports.choose_stores(session, None, codes)
            if args.broadcast is not None:
                report = reports.drill(session, args.kind, stores, None, args.broadcast)
            else:
                report = reports.report(session, args.kind, stores, args.start, args.end, reports.Filters(
                    platform=args.platform, room=args.room, brand=args.brand, category=args.category))
        except DomainError as exc:
            raise UsageError(exc.message) from None
        if args.format == "table":
            found.append((_table(report) + "\n").encode())
        else:
            found.append(report_bytes(report, args.format, bom=args.output is not None))

    _in_session(args, work)
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(found[0])
        sys.stdout.buffer.flush()
        return
    try:
        write_atomically(args.output, found[0])
    except OSError as exc:
        raise _cannot_write(args.output, exc) from None


def cmd_reports_rebuild(args: argparse.Namespace) -> None:
    from console.headoffice import projection

    def work(session: Session) -> None:
        projected = projection.rebuild(session)
        _say(msg_n("headoffice_cli.projections_rebuilt", "Rebuilt the reports' projections from {count} synced row.",
                   "Rebuilt the reports' projections from {count} synced rows.", count=projected))
    _in_session(args, work)


def cmd_store_add(args: argparse.Namespace) -> None:
    def work(session: Session) -> None:
        store = admin.add_store(session, args.code, args.name)
        print(f"{store.code}\t{store.name}\t{store.id}")
    _in_session(args, work)


def cmd_store_list(args: argparse.Namespace) -> None:
    def work(session: Session) -> None:
        for store in admin.list_stores(session):
            print(f"{store.code}\t{store.name}\t{store.id}")
    _in_session(args, work)


def cmd_enrollment_code(args: argparse.Namespace) -> None:
    if args.hours <= 0:
        raise CommandError(msg("headoffice_cli.hours_positive", "--hours must be a positive number of hours."))

    def work(session: Session) -> None:
        issued = admin.issue_enrollment_code(session, args.store, timedelta(hours=args.hours))
        print(issued.code)
        _say(msg("headoffice_cli.code_expires", "Expires {when}; usable once, by one console of store {store}.",
                 when=_when(issued.expires_at), store=issued.store_code))
    _in_session(args, work)


def cmd_console_list(args: argparse.Namespace) -> None:
    def work(session: Session) -> None:
        for c in admin.list_consoles(session, args.store):
            print("\t".join((str(c.id), c.status, c.name or "-", f"enrolled {_when(c.enrolled_at)}",
                             f"last seen {_when(c.last_seen_at)}")))
    _in_session(args, work)


def cmd_console_revoke(args: argparse.Namespace) -> None:
    def work(session: Session) -> None:
        info = admin.revoke_console(session, args.console_id)
        _say(msg("headoffice_cli.console_revoked", "Console {console} of store {store} revoked on {when}.",
                 console=str(info.id), store=info.store_code, when=_when(info.revoked_at)))
    _in_session(args, work)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CommandError(msg("headoffice_cli.no_terminal",
                               "There is no terminal to ask for the password; pass it with --password-stdin."))
    first = getpass.getpass(text(msg("headoffice_cli.password", "Password: ")))
    if getpass.getpass(text(msg("headoffice_cli.password_again", "Password again: "))) != first:
        raise CommandError(msg("headoffice_cli.passwords_differ", "The two passwords differ; nothing was saved."))
    return first


def cmd_user_add(args: argparse.Namespace) -> None:
    password = _read_password(args.password_stdin)

    def work(session: Session) -> None:
        stores = [code for part in (args.stores or "").split(",") if (code := part.strip())]
        user_id = admin.add_user(session, args.login, args.name, args.role, password, stores=stores)
        print(f"{args.login.strip().lower()}\t{args.role}\t{user_id}\t{','.join(stores) or 'all stores'}")
    _in_session(args, work)


def cmd_prune(args: argparse.Namespace) -> None:
    if args.days <= 0:
        raise CommandError(msg("headoffice_cli.days_positive", "--days must be a positive number of days."))

    def work(session: Session) -> None:
        keep = timedelta(days=args.days)
        days = f"{args.days:g}"
        _say(msg_n("headoffice_cli.answers_pruned", "Dropped {count} stored push answer older than {days} days.",
                   "Dropped {count} stored push answers older than {days} days.",
                   count=admin.prune_answers(session, keep), days=days))
        _say(msg_n("headoffice_cli.mutations_pruned",
                   "Dropped {count} record of superseded mutations older than {days} days.",
                   "Dropped {count} records of superseded mutations older than {days} days.",
                   count=admin.prune_mutations(session, keep), days=days))

    _in_session(args, work)


def cmd_catalog_import(args: argparse.Namespace) -> None:
    from console.domain.errors import DomainError
    from console.headoffice import catalog
    from console.services.catalog_file import CatalogRejected

    def work(session: Session) -> None:
        result = catalog.import_file(session, args.file, dry_run=args.dry_run)
        note = result.ignored_note()
        if note is not None:
            _say(msg("cli.warning", "warning: {warning}", warning=note))
        for problem in result.problem_messages:
            _complain(problem)
        _say(result.summary())
        if not result.ok:
            # As a real import ends (CatalogRejected): the file named, the count in the right number.
            raise CommandError(msg_n("headoffice_cli.nothing_would_import",
                                     "Nothing would be imported from {file}: {count} problem to fix first.",
                                     "Nothing would be imported from {file}: {count} problems to fix first.",
                                     count=result.problem_count, file=result.file_name))
        if not args.dry_run:
            _say(msg("headoffice_cli.catalog_version", "Catalog version {version}; stores get it on their next sync.",
                     version=str(catalog.catalog_version(session))))

    try:
        _in_session(args, work)
    except CatalogRejected as exc:
        # Every problem on a line of its own, then the count: a file is fixed in one pass.
        for problem in exc.problems:
            _complain(problem)
        raise CommandError(exc.message) from None
    except DomainError as exc:
        raise CommandError(exc.message) from None


def cmd_catalog_export(args: argparse.Namespace) -> None:
    from console.headoffice import catalog

    if args.output is None and args.format == "xlsx" and sys.stdout.isatty():
        raise CommandError(msg("cli.catalog_xlsx_to_terminal",
                               "An Excel file cannot be shown in a terminal; name a file with --output."))
    exported: list[bytes] = []
    _in_session(args, lambda session: exported.append(
        catalog.export(session, args.format, bom=args.output is not None)))
    if args.output is None:
        sys.stdout.buffer.write(exported[0])
        sys.stdout.flush()
        return
    temporary = args.output.with_name(f".{args.output.name}.tmp")
    try:
        temporary.write_bytes(exported[0])
        temporary.replace(args.output)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise _cannot_write(args.output, exc) from None


def cmd_catalog_withdraw(args: argparse.Namespace) -> None:
    from console.headoffice import catalog

    def work(session: Session) -> None:
        withdrawn = catalog.withdraw(session, args.skus)
        _say(msg_n("headoffice_cli.withdrawn",
                   "Withdrew {count} product ({skus}); it leaves every store's catalog on its next sync.",
                   "Withdrew {count} products ({skus}); they leave every store's catalog on its next sync.",
                   count=len(withdrawn), skus=", ".join(withdrawn)))
    _in_session(args, work)


def cmd_rulepack_import(args: argparse.Namespace) -> None:
    from console.headoffice import rulepacks

    def work(session: Session) -> None:
        issued = rulepacks.import_pack(session, args.file)
        _say(msg_n("headoffice_cli.rulepack_issued",
                   "Issued rule pack {name} version {version} ({count} rule); catalog version {catalog}. Every "
                   "console gets it on its next sync and re-checks its approved scripts against it.",
                   "Issued rule pack {name} version {version} ({count} rules); catalog version {catalog}. Every "
                   "console gets it on its next sync and re-checks its approved scripts against it.",
                   count=issued.rules, name=issued.name, version=str(issued.version),
                   catalog=str(issued.catalog_version)))
    _in_session(args, work)


def cmd_rulepack_list(args: argparse.Namespace) -> None:
    from console.headoffice import rulepacks

    def work(session: Session) -> None:
        for index, pack in enumerate(rulepacks.issued_packs(session)):
            print("\t".join((pack.name, str(pack.version), f"{pack.rules} rules",
                             _when(pack.issued_at), "in force" if index == 0 else "")).rstrip("\t"))
    _in_session(args, work)


# --- parser -----------------------------------------------------------------


def _common() -> argparse.ArgumentParser:
    """--database-url and --lang, accepted before or after the command (SUPPRESS: a later one keeps an earlier)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL",
                        help=text(msg("headoffice_cli.help_database_url",
                                      "SQLAlchemy URL of the head-office database (or {env}); default: a SQLite "
                                      "file in your data folder", env=db.DATABASE_URL_ENV)))
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=text(msg("headoffice_cli.help_lang",
                                      "language of messages (default: the system's, else zh_CN)")))
    return common


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the active language (call after choosing it, as :func:`main` does)."""
    common = _common()
    parser = Parser(prog=PROG, parents=[common],
                    description=text(msg("headoffice_cli.help_description",
                                         "Anchor Console's head-office service and its administration.")))
    parser.set_defaults(database_url=None, lang=None)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help=text(msg("cli.help_version", "show the program's version number and exit")))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", parents=[common], help=text(msg(
        "headoffice_cli.help_serve", "run the service (migrates first)")))
    serve.add_argument("--host", default="127.0.0.1", help=text(msg(
        "headoffice_cli.help_host", "address to listen on (default: 127.0.0.1)")))
    serve.add_argument("--port", type=int, default=8700, help=text(msg(
        "headoffice_cli.help_port", "port to listen on (default: 8700)")))
    serve.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"),
                       help=text(msg("headoffice_cli.help_log_level", "how much to log (default: info)")))
    serve.add_argument("--token-days", type=float, default=None, help=text(msg(
        "headoffice_cli.help_token_days",
        "console tokens issued from now on expire after this many days (default: never)")))
    serve.set_defaults(run=cmd_serve)

    commands.add_parser("migrate", parents=[common], help=text(msg(
        "headoffice_cli.help_migrate", "bring the database schema up to date"))).set_defaults(run=cmd_migrate)

    demo = commands.add_parser("demo", parents=[common], help=text(msg(
        "headoffice_cli.help_demo", "fill the database with the demo store group")))
    demo.add_argument("--seed", type=int, default=20261125, help=text(msg(
        "headoffice_cli.help_seed", "random seed (same seed, same stores)")))
    demo.set_defaults(run=cmd_demo)

    store = commands.add_parser("store", help=text(msg("headoffice_cli.help_store", "stores of the group"))) \
        .add_subparsers(dest="store_command", metavar="ACTION", required=True)
    add = store.add_parser("add", parents=[common], help=text(msg("headoffice_cli.help_store_add", "add a store")))
    add.add_argument("--code", required=True, help=text(msg(
        "headoffice_cli.help_store_code", "the store's code: 1 to 32 letters, digits, '-' or '_'")))
    add.add_argument("--name", required=True, help=text(msg("headoffice_cli.help_store_name", "the store's name")))
    add.set_defaults(run=cmd_store_add)
    store.add_parser("list", parents=[common], help=text(msg(
        "headoffice_cli.help_store_list", "one store a line, code first"))).set_defaults(run=cmd_store_list)

    code = commands.add_parser("enrollment-code", parents=[common], help=text(msg(
        "headoffice_cli.help_enrollment_code", "a one-time code to enroll a console")))
    code.add_argument("--store", required=True, metavar="CODE", help=text(msg(
        "headoffice_cli.help_code_store", "the store the console belongs to")))
    code.add_argument("--hours", type=float, default=24.0, help=text(msg(
        "headoffice_cli.help_hours", "how long the code stays valid (default 24)")))
    code.set_defaults(run=cmd_enrollment_code)

    console = commands.add_parser("console", help=text(msg("headoffice_cli.help_console", "enrolled consoles"))) \
        .add_subparsers(dest="console_command", metavar="ACTION", required=True)
    listing = console.add_parser("list", parents=[common], help=text(msg(
        "headoffice_cli.help_console_list", "a store's consoles")))
    listing.add_argument("--store", required=True, metavar="CODE", help=text(msg(
        "headoffice_cli.help_console_store", "the store whose consoles to list")))
    listing.set_defaults(run=cmd_console_list)
    revoke = console.add_parser("revoke", parents=[common], help=text(msg(
        "headoffice_cli.help_console_revoke", "revoke a console's token")))
    revoke.add_argument("console_id", metavar="CONSOLE_ID", help=text(msg(
        "headoffice_cli.help_console_id", "the console's id, as `console list` shows it")))
    revoke.set_defaults(run=cmd_console_revoke)

    user = commands.add_parser("user", help=text(msg("headoffice_cli.help_user", "head-office user accounts"))) \
        .add_subparsers(dest="user_command", metavar="ACTION", required=True)
    user_add = user.add_parser("add", parents=[common], help=text(msg(
        "headoffice_cli.help_user_add", "add a head-office user")))
    user_add.add_argument("--login", required=True, help=text(msg(
        "headoffice_cli.help_login", "the sign-in name: 2 to 64 lower-case letters, digits, '.', '-' or '_'")))
    user_add.add_argument("--name", required=True, help=text(msg(
        "headoffice_cli.help_user_name", "the person's name, as the dashboard shows it")))
    user_add.add_argument("--role", required=True, choices=[r.value for r in HeadOfficeRole], help=text(msg(
        "headoffice_cli.help_role", "what the account may do")))
    user_add.add_argument("--password-stdin", action="store_true", help=text(msg(
        "headoffice_cli.help_password_stdin", "read the password from standard input")))
    user_add.add_argument("--stores", metavar="CODE[,CODE...]", help=text(msg(
        "headoffice_cli.help_user_stores",
        "the account sees only these stores (a regional manager); default: every store")))
    user_add.set_defaults(run=cmd_user_add)

    catalog = commands.add_parser("catalog", help=text(msg(
        "headoffice_cli.help_catalog", "the group's catalog, as the stores' consoles receive it"))) \
        .add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    catalog_import = catalog.add_parser("import", parents=[common], help=text(msg(
        "headoffice_cli.help_catalog_import",
        "add or update products from a CSV or XLSX file (the stores' importer), all or nothing; "
        "consoles get them on their next sync")))
    catalog_import.add_argument("file", metavar="FILE", type=Path, help=text(msg(
        "headoffice_cli.help_catalog_file",
        "columns sku and any of name, brand, category, spec, barcode, quality_doc, after_sales "
        "(or 商品编码, 商品名称 ...); prices and stock are not read")))
    catalog_import.add_argument("--dry-run", action="store_true", help=text(msg(
        "headoffice_cli.help_dry_run", "say what would be added, updated and refused; write nothing")))
    catalog_import.set_defaults(run=cmd_catalog_import)
    catalog_export = catalog.add_parser("export", parents=[common], help=text(msg(
        "headoffice_cli.help_catalog_export", "write the catalog as the import reads it")))
    catalog_export.add_argument("--format", choices=("csv", "xlsx"), default="csv", help=text(msg(
        "headoffice_cli.help_catalog_format", "default: csv")))
    catalog_export.add_argument("--output", metavar="FILE", type=Path, help=text(msg(
        "cli.help_catalog_output", "write to this file instead of standard output")))
    catalog_export.set_defaults(run=cmd_catalog_export)
    catalog_withdraw = catalog.add_parser("withdraw", parents=[common], help=text(msg(
        "headoffice_cli.help_catalog_withdraw",
        "withdraw products: they leave the stores' search, and a queue holding one is not ready")))
    catalog_withdraw.add_argument("skus", metavar="SKU", nargs="+", help=text(msg(
        "headoffice_cli.help_skus", "the SKUs of the products to withdraw")))
    catalog_withdraw.set_defaults(run=cmd_catalog_withdraw)

    rulepack = commands.add_parser("rulepack", help=text(msg(
        "headoffice_cli.help_rulepack", "compliance rule packs, issued to every store's consoles"))) \
        .add_subparsers(dest="rulepack_command", metavar="ACTION", required=True)
    rulepack_import = rulepack.add_parser("import", parents=[common], help=text(msg(
        "headoffice_cli.help_rulepack_import",
        "validate a rule pack (JSON, as console/compliance/packs/default.json) and issue it; consoles get it "
        "on their next sync and re-check approved scripts")))
    rulepack_import.add_argument("file", metavar="FILE", type=Path, help=text(msg(
        "headoffice_cli.help_rulepack_file", "the rule pack's JSON file")))
    rulepack_import.set_defaults(run=cmd_rulepack_import)
    rulepack.add_parser("list", parents=[common], help=text(msg(
        "headoffice_cli.help_rulepack_list", "the packs issued, newest (in force) first"))) \
        .set_defaults(run=cmd_rulepack_list)
    from console.cli import _local_date
    from console.headoffice.reports import HEAD_OFFICE_KINDS

    report = commands.add_parser("report", parents=[common], help=text(msg(
        "headoffice_cli.help_report",
        "a report over the stores' synced data: the console's kinds and columns (docs/reports.md), "
        "across stores, and rankings by GMV per hour")))
    report.add_argument("kind", choices=HEAD_OFFICE_KINDS, metavar="KIND", help=text(msg(
        "headoffice_cli.help_report_kind", "broadcasts, anchors, rooms, products, stores or rankings")))
    report.add_argument("--store", action="append", metavar="CODE", help=text(msg(
        "headoffice_cli.help_report_store", "only this store (repeat it, or CODE,CODE); default: every store")))
    report.add_argument("--all", action="store_true", help=text(msg(
        "headoffice_cli.help_report_all", "every store (the default)")))
    report.add_argument("--from", dest="start", metavar="DATE", type=_local_date, help=text(msg(
        "headoffice_cli.help_report_from",
        "first day, YYYY-MM-DD in each store's time (default: 29 days before --to)")))
    report.add_argument("--to", dest="end", metavar="DATE", type=_local_date, help=text(msg(
        "headoffice_cli.help_report_to", "last day, included (default: today)")))
    report.add_argument("--format", choices=("table", "csv", "xlsx", "json"), default="table", help=text(msg(
        "headoffice_cli.help_report_format", "table (default), csv, xlsx (needs --output) or json (money in fen)")))
    report.add_argument("--output", metavar="FILE", type=Path, help=text(msg(
        "cli.help_catalog_output", "write to this file instead of standard output")))
    report.add_argument("--platform", metavar="PLATFORM", help=text(msg(
        "headoffice_cli.help_report_platform",
        "only broadcasts on this platform (douyin, kuaishou, taobao, pinduoduo, jd, wechat): "
        "on one of their store's accounts on it")))
    report.add_argument("--room", metavar="CODE", help=text(msg(
        "headoffice_cli.help_report_room", "only broadcasts in live rooms with this code")))
    report.add_argument("--brand", metavar="BRAND", help=text(msg("cli_report.help_brand", "only this brand")))
    report.add_argument("--category", metavar="CATEGORY", help=text(msg(
        "headoffice_cli.help_report_category", "only this category")))
    report.add_argument("--broadcast", metavar="ID", help=text(msg(
        "headoffice_cli.help_report_broadcast",
        "with products: drill down to this broadcast's products, one row per queue item "
        "(range and filters do not apply)")))
    report.set_defaults(run=cmd_report)

    reports_admin = commands.add_parser("reports", help=text(msg(
        "headoffice_cli.help_reports", "the reports' projections"))).add_subparsers(
        dest="reports_command", metavar="ACTION", required=True)
    reports_admin.add_parser("rebuild", parents=[common], help=text(msg(
        "headoffice_cli.help_reports_rebuild", "project every synced row again and recompute every show's figures"))) \
        .set_defaults(run=cmd_reports_rebuild)

    prune = commands.add_parser("prune", parents=[common], help=text(msg(
        "headoffice_cli.help_prune", "drop stored push answers older than --days (mutation ids are kept)")))
    prune.add_argument("--days", type=float, default=admin.DEFAULT_ANSWER_DAYS, help=text(msg(
        "headoffice_cli.help_days", "how many days of answers to keep (default: {days})",
        days=str(admin.DEFAULT_ANSWER_DAYS))))
    prune.set_defaults(run=cmd_prune)
    return parser


def choose_language(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """--lang, else the locale, else zh_CN (head office has no console data folder to read a setting from)."""
    return resolve_language(language_option(argv), None, environ)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    before = active().language
    try:
        use_language(choose_language(argv))
    except CatalogError as exc:
        # use_language has switched to English; the warning says so, in English.
        _complain(msg("cli.warning", "warning: {warning}", warning=str(exc)))
    try:
        with argparse_in_our_language():
            return _run(argv)
    finally:
        # One process, one language: put back the caller's (a test, or a script calling main()).
        try:
            use_language(before)
        except CatalogError:
            pass


def _run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except UsageError as exc:
        _complain(exc)
        return EXIT_USAGE
    except (CommandError, AdminError, db.DatabaseError) as exc:
        _complain(exc)
        return EXIT_ERROR
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        _complain(msg("headoffice_cli.database_unusable", "the database cannot be used: {reason}", reason=reason))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
