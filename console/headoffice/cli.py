"""The anchor-headoffice command line: serve, migrate, demo, stores, enrollment codes, consoles, users, catalog,
rule packs.

Every command takes ``--database-url`` (or ANCHOR_HEADOFFICE_DATABASE_URL)
and brings the schema up to date first. Errors are one sentence on stderr
and a non-zero exit status.
"""

from __future__ import annotations

import argparse
import gc
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from console import __version__
from console.headoffice import admin, db, logs
from console.headoffice.errors import AdminError
from console.headoffice.models import HeadOfficeRole

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A command that cannot go on; the message is printed as is."""


class UsageError(CommandError):
    """Bad input to a command (a backwards date range, an unknown store): exit status 2."""


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
        raise CommandError("--token-days must be a positive number of days.")
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
        print(f"Head-office database at schema {db.migrate(engine)}.")
    finally:
        engine.dispose()


def cmd_demo(args: argparse.Namespace) -> None:
    from console.headoffice import demo

    engine = _open(args)
    try:
        stores = demo.fill(db.session_factory(engine), seed=args.seed)
    finally:
        engine.dispose()
    print("Demo store codes:")
    for store in stores:
        print(store.code)


def cmd_report(args: argparse.Namespace) -> None:
    from console.cli import _local_date  # noqa: F401  (the same date words as the console's report)
    from console.cli_report import _table
    from console.domain.errors import DomainError
    from console.headoffice import reports
    from console.i18n import language_from_environment, text, use_language
    from console.paths import write_atomically
    from console.services.report_files import report_bytes

    use_language(language_from_environment() or "en")
    if args.format == "xlsx" and args.output is None:
        raise UsageError("An Excel report needs a file to go to; give --output FILE.")
    codes = [code for value in (args.store or []) for part in value.split(",") if (code := part.strip())]
    if args.all and codes:
        raise UsageError("Give --store CODE or --all, not both.")
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
            raise UsageError(text(exc)) from None
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
        raise CommandError(f"Cannot write {args.output}: {exc.strerror or exc}.") from None


def cmd_reports_rebuild(args: argparse.Namespace) -> None:
    from console.headoffice import projection

    def work(session: Session) -> None:
        projected = projection.rebuild(session)
        print(f"Rebuilt the reports' projections from {projected:,} synced rows.")
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
        raise CommandError("--hours must be a positive number of hours.")

    def work(session: Session) -> None:
        issued = admin.issue_enrollment_code(session, args.store, timedelta(hours=args.hours))
        print(issued.code)
        print(f"Expires {_when(issued.expires_at)}; usable once, by one console of store {issued.store_code}.")
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
        print(f"Console {info.id} of store {info.store_code} revoked on {_when(info.revoked_at)}.")
    _in_session(args, work)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CommandError("There is no terminal to ask for the password; pass it with --password-stdin.")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise CommandError("The two passwords differ; nothing was saved.")
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
        raise CommandError("--days must be a positive number of days.")
    def work(session: Session) -> None:
        keep = timedelta(days=args.days)
        print(f"Dropped {admin.prune_answers(session, keep):,} stored push answers older than {args.days:g} days.")
        print(f"Dropped {admin.prune_mutations(session, keep):,} records of superseded mutations older than "
              f"{args.days:g} days.")

    _in_session(args, work)


def cmd_catalog_import(args: argparse.Namespace) -> None:
    from console.domain.errors import DomainError
    from console.headoffice import catalog
    from console.services.catalog_file import CatalogRejected

    def work(session: Session) -> None:
        result = catalog.import_file(session, args.file, dry_run=args.dry_run)
        if result.ignored_note() is not None:
            print(f"warning: {result.ignored_note()}")
        for problem in result.problem_messages:
            print(f"anchor-headoffice: {problem}", file=sys.stderr)
        print(result.summary())
        if not result.ok:
            # As a real import ends (CatalogRejected): the file named, the count in the right number.
            count = result.problem_count
            raise CommandError(f"Nothing would be imported from {result.file_name}: {count} "
                               f"{'problem' if count == 1 else 'problems'} to fix first.")
        if not args.dry_run:
            print(f"Catalog version {catalog.catalog_version(session)}; stores get it on their next sync.")

    try:
        _in_session(args, work)
    except CatalogRejected as exc:
        # Every problem on a line of its own, then the count: a file is fixed in one pass.
        for problem in exc.problems:
            print(f"anchor-headoffice: {problem}", file=sys.stderr)
        raise CommandError(str(exc)) from None
    except DomainError as exc:
        raise CommandError(str(exc)) from None


def cmd_catalog_export(args: argparse.Namespace) -> None:
    from console.headoffice import catalog

    if args.output is None and args.format == "xlsx" and sys.stdout.isatty():
        raise CommandError("An Excel file cannot be shown in a terminal; name a file with --output.")
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
        raise CommandError(f"Cannot write {args.output}: {exc.strerror or exc}.") from None


def cmd_catalog_withdraw(args: argparse.Namespace) -> None:
    from console.headoffice import catalog

    def work(session: Session) -> None:
        withdrawn = catalog.withdraw(session, args.skus)
        print(f"Withdrew {len(withdrawn)} products ({', '.join(withdrawn)}); they leave every store's catalog "
              "on its next sync.")
    _in_session(args, work)


def cmd_rulepack_import(args: argparse.Namespace) -> None:
    from console.headoffice import rulepacks

    def work(session: Session) -> None:
        issued = rulepacks.import_pack(session, args.file)
        print(f"Issued rule pack {issued.name} version {issued.version} ({issued.rules} rules); catalog version "
              f"{issued.catalog_version}. Every console gets it on its next sync and re-checks its approved "
              "scripts against it.")
    _in_session(args, work)


def cmd_rulepack_list(args: argparse.Namespace) -> None:
    from console.headoffice import rulepacks

    def work(session: Session) -> None:
        for index, pack in enumerate(rulepacks.issued_packs(session)):
            print("\t".join((pack.name, str(pack.version), f"{pack.rules} rules",
                             _when(pack.issued_at), "in force" if index == 0 else "")).rstrip("\t"))
    _in_session(args, work)


# --- parser -----------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL",
                        help=f"SQLAlchemy URL of the head-office database (or {db.DATABASE_URL_ENV}); "
                             "default: a SQLite file in your data folder")
    parser = argparse.ArgumentParser(prog="anchor-headoffice", parents=[common],
                                     description="Anchor Console's head-office service and its administration.")
    parser.set_defaults(database_url=None)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", parents=[common], help="run the service (migrates first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--log-level", default="info", choices=("debug", "info", "warning", "error"))
    serve.add_argument("--token-days", type=float, default=None,
                       help="console tokens issued from now on expire after this many days (default: never)")
    serve.set_defaults(run=cmd_serve)

    commands.add_parser("migrate", parents=[common], help="bring the database schema up to date") \
        .set_defaults(run=cmd_migrate)

    demo = commands.add_parser("demo", parents=[common], help="fill the database with the demo store group")
    demo.add_argument("--seed", type=int, default=20261125)
    demo.set_defaults(run=cmd_demo)

    store = commands.add_parser("store", help="stores of the group").add_subparsers(
        dest="store_command", metavar="ACTION", required=True)
    add = store.add_parser("add", parents=[common], help="add a store")
    add.add_argument("--code", required=True)
    add.add_argument("--name", required=True)
    add.set_defaults(run=cmd_store_add)
    store.add_parser("list", parents=[common], help="one store a line, code first").set_defaults(run=cmd_store_list)

    code = commands.add_parser("enrollment-code", parents=[common], help="a one-time code to enroll a console")
    code.add_argument("--store", required=True, metavar="CODE")
    code.add_argument("--hours", type=float, default=24.0, help="how long the code stays valid (default 24)")
    code.set_defaults(run=cmd_enrollment_code)

    console = commands.add_parser("console", help="enrolled consoles").add_subparsers(
        dest="console_command", metavar="ACTION", required=True)
    listing = console.add_parser("list", parents=[common], help="a store's consoles")
    listing.add_argument("--store", required=True, metavar="CODE")
    listing.set_defaults(run=cmd_console_list)
    revoke = console.add_parser("revoke", parents=[common], help="revoke a console's token")
    revoke.add_argument("console_id", metavar="CONSOLE_ID")
    revoke.set_defaults(run=cmd_console_revoke)

    user = commands.add_parser("user", help="head-office user accounts").add_subparsers(
        dest="user_command", metavar="ACTION", required=True)
    user_add = user.add_parser("add", parents=[common], help="add a head-office user")
    user_add.add_argument("--login", required=True)
    user_add.add_argument("--name", required=True)
    user_add.add_argument("--role", required=True, choices=[r.value for r in HeadOfficeRole])
    user_add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user_add.add_argument("--stores", metavar="CODE[,CODE...]",
                          help="the account sees only these stores (a regional manager); default: every store")
    user_add.set_defaults(run=cmd_user_add)

    catalog = commands.add_parser("catalog", help="the group's catalog, as the stores' consoles receive it") \
        .add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    catalog_import = catalog.add_parser(
        "import", parents=[common],
        help="add or update products from a CSV or XLSX file (the stores' importer), all or nothing; "
             "consoles get them on their next sync")
    catalog_import.add_argument("file", metavar="FILE", type=Path,
                                help="columns sku and any of name, brand, category, spec, barcode, quality_doc, "
                                     "after_sales (or 商品编码, 商品名称 ...); prices and stock are not read")
    catalog_import.add_argument("--dry-run", action="store_true",
                                help="say what would be added, updated and refused; write nothing")
    catalog_import.set_defaults(run=cmd_catalog_import)
    catalog_export = catalog.add_parser("export", parents=[common],
                                        help="write the catalog as the import reads it")
    catalog_export.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="default: csv")
    catalog_export.add_argument("--output", metavar="FILE", type=Path,
                                help="write to this file instead of standard output")
    catalog_export.set_defaults(run=cmd_catalog_export)
    catalog_withdraw = catalog.add_parser(
        "withdraw", parents=[common],
        help="withdraw products: they leave the stores' search, and a queue holding one is not ready")
    catalog_withdraw.add_argument("skus", metavar="SKU", nargs="+")
    catalog_withdraw.set_defaults(run=cmd_catalog_withdraw)

    rulepack = commands.add_parser("rulepack", help="compliance rule packs, issued to every store's consoles") \
        .add_subparsers(dest="rulepack_command", metavar="ACTION", required=True)
    rulepack_import = rulepack.add_parser(
        "import", parents=[common],
        help="validate a rule pack (JSON, as console/compliance/packs/default.json) and issue it; consoles get it "
             "on their next sync and re-check approved scripts")
    rulepack_import.add_argument("file", metavar="FILE", type=Path)
    rulepack_import.set_defaults(run=cmd_rulepack_import)
    rulepack.add_parser("list", parents=[common], help="the packs issued, newest (in force) first") \
        .set_defaults(run=cmd_rulepack_list)
    from console.cli import _local_date
    from console.headoffice.reports import HEAD_OFFICE_KINDS

    report = commands.add_parser(
        "report", parents=[common],
        help="a report over the stores' synced data: the console's kinds and columns (docs/reports.md), "
             "across stores, and rankings by GMV per hour")
    report.add_argument("kind", choices=HEAD_OFFICE_KINDS, metavar="KIND",
                        help="broadcasts, anchors, rooms, products, stores or rankings")
    report.add_argument("--store", action="append", metavar="CODE",
                        help="only this store (repeat it, or CODE,CODE); default: every store")
    report.add_argument("--all", action="store_true", help="every store (the default)")
    report.add_argument("--from", dest="start", metavar="DATE", type=_local_date,
                        help="first day, YYYY-MM-DD in each store's time (default: 29 days before --to)")
    report.add_argument("--to", dest="end", metavar="DATE", type=_local_date,
                        help="last day, included (default: today)")
    report.add_argument("--format", choices=("table", "csv", "xlsx", "json"), default="table",
                        help="table (default), csv, xlsx (needs --output) or json (money in fen)")
    report.add_argument("--output", metavar="FILE", type=Path, help="write to this file instead of standard output")
    report.add_argument("--platform", metavar="PLATFORM",
                        help="only broadcasts on this platform (douyin, kuaishou, taobao, pinduoduo, jd, wechat): "
                             "on one of their store's accounts on it")
    report.add_argument("--room", metavar="CODE", help="only broadcasts in live rooms with this code")
    report.add_argument("--brand", metavar="BRAND", help="only this brand")
    report.add_argument("--category", metavar="CATEGORY", help="only this category")
    report.add_argument("--broadcast", metavar="ID",
                        help="with products: drill down to this broadcast's products, one row per queue item "
                             "(range and filters do not apply)")
    report.set_defaults(run=cmd_report)

    reports_admin = commands.add_parser("reports", help="the reports' projections").add_subparsers(
        dest="reports_command", metavar="ACTION", required=True)
    reports_admin.add_parser("rebuild", parents=[common],
                             help="project every synced row again and recompute every show's figures") \
        .set_defaults(run=cmd_reports_rebuild)

    prune = commands.add_parser("prune", parents=[common],
                                help="drop stored push answers older than --days (mutation ids are kept)")
    prune.add_argument("--days", type=float, default=admin.DEFAULT_ANSWER_DAYS)
    prune.set_defaults(run=cmd_prune)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except UsageError as exc:
        print(f"anchor-headoffice: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (CommandError, AdminError, db.DatabaseError) as exc:
        print(f"anchor-headoffice: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"anchor-headoffice: the database cannot be used: {reason}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
