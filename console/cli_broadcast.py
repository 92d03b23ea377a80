"""``anchor-console broadcast ...``: broadcast plans (list, ready)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from console.i18n import msg, msg_n, text

if TYPE_CHECKING:
    from console.domain.values import BroadcastRow, ReadyCheck
    from console.services.broadcasts import BroadcastService


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds ``broadcast list`` and ``broadcast ready``."""
    from console.cli import _add_common, _local_date

    broadcast = sub.add_parser("broadcast", help=text(msg("cli_broadcast.help", "list broadcasts or mark one ready")))
    _add_common(broadcast)
    actions = broadcast.add_subparsers(dest="broadcast_command", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help=text(msg("cli_broadcast.help_list",
                                                       "list the broadcasts planned in a date range")))
    _add_common(listing)
    listing.add_argument("--from", dest="start", metavar="DATE", type=_local_date,
                         help=text(msg("cli_broadcast.help_from",
                                       "first day, YYYY-MM-DD in the store's time (default: today)")))
    listing.add_argument("--to", dest="end", metavar="DATE", type=_local_date,
                         help=text(msg("cli_broadcast.help_to",
                                       "day after the last, YYYY-MM-DD; the same day as --from lists that one day "
                                       "(default: no end)")))
    listing.add_argument("--json", action="store_true",
                         help=text(msg("cli_broadcast.help_json", "print a JSON list instead of lines of text")))

    ready = actions.add_parser("ready", help=text(msg(
        "cli_broadcast.help_ready", "mark a broadcast ready once its queue passes the ready-gate")))
    _add_common(ready)
    ready.add_argument("broadcast", metavar="BROADCAST",
                       help=text(msg("cli_broadcast.help_ready_broadcast",
                                     "the broadcast's id, or the start of its title")))
    ready.add_argument("--check", action="store_true",
                       help=text(msg("cli_broadcast.help_ready_check",
                                     "only report what the gate finds; exit 1 if it would refuse")))


def run(data_dir: Path, args: argparse.Namespace) -> int:
    from console.domain.enums import AuditVia
    from console.services.auth import AuthService
    from console.services.broadcasts import BroadcastService
    from console.storage.db import open_database

    db = open_database(data_dir, create=False)
    try:
        # The command line acts with store-manager rights; its changes are audited as via=cli.
        broadcasts = BroadcastService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        if args.broadcast_command == "list":
            store = AuthService(db).local_store()
            return _list(broadcasts, args, store.timezone if store is not None else "")
        return _ready(broadcasts, args)
    finally:
        db.close()


# --- broadcast list ---------------------------------------------------------------


def _list(broadcasts: BroadcastService, args: argparse.Namespace, zone: str) -> int:
    from console.cli import EXIT_OK, _say
    from console.domain.errors import ValidationError
    from console.i18n.formats import DEFAULT_TIMEZONE, in_zone
    from console.services.roster_io import local_midnight

    zone = zone or DEFAULT_TIMEZONE
    first: date = args.start or in_zone(datetime.now(UTC), zone).date()
    last: date | None = args.end
    if last is not None and last == first:
        # A manager who types one day for both means that day, not an empty range.
        last = first + timedelta(days=1)
    if last is not None and last < first:
        raise ValidationError(msg("cli.export_backwards", "--to {last} is before --from {first}.",
                                  last=last.isoformat(), first=first.isoformat()))
    rows = broadcasts.broadcasts(local_midnight(first, zone), None if last is None else local_midnight(last, zone))
    if args.json:
        print(json.dumps([_as_json(b, zone) for b in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        _say(msg("cli_broadcast.none", "No broadcasts in that range."))
    for b in rows:
        _say(_line(b, zone))
    return EXIT_OK


def _as_json(b: BroadcastRow, zone: str) -> dict[str, object]:
    from console.i18n.formats import in_zone

    # Times in the store's zone with their offset: what the manager planned, and exact for a script.
    return {
        "id": str(b.id), "title": b.title, "room": b.room_name,
        "start": in_zone(b.planned_start, zone).isoformat(), "end": in_zone(b.planned_end, zone).isoformat(),
        "status": b.status.value, "queue_length": b.queue_length, "hosts": list(b.hosts),
    }


def _line(b: BroadcastRow, zone: str) -> object:
    from console.i18n.formats import in_zone
    from console.services.broadcasts import STATUS_WORDS

    return msg_n("cli_broadcast.line", "{start} – {end}  {title}  ({room}, {status}, {count} product)  {id}",
                 "{start} – {end}  {title}  ({room}, {status}, {count} products)  {id}",
                 count=b.queue_length, start=in_zone(b.planned_start, zone), end=in_zone(b.planned_end, zone),
                 title=b.title, room=b.room_name, status=STATUS_WORDS[b.status], id=str(b.id))


# --- broadcast ready --------------------------------------------------------------


def _ready(broadcasts: BroadcastService, args: argparse.Namespace) -> int:
    from console.cli import EXIT_ERROR, EXIT_OK, _complain, _say
    from console.services.broadcasts import BroadcastNotReady

    show = broadcasts.resolve(args.broadcast)
    if args.check:
        check = broadcasts.ready_check(show.id)
        _print_warnings(check)
        if check.ready:
            _say(msg_n("cli_broadcast.would_pass", "{title} would pass the ready-gate ({count} warning).",
                       "{title} would pass the ready-gate ({count} warnings).",
                       count=len(check.warnings), title=check.title))
            return EXIT_OK
        for problem in check.problems:
            _complain(problem)
        _complain(msg_n("cli_broadcast.would_refuse",
                        "{title} would not be marked ready: {count} problem must be fixed first.",
                        "{title} would not be marked ready: {count} problems must be fixed first.",
                        count=len(check.problems), title=check.title))
        return EXIT_ERROR
    try:
        check = broadcasts.mark_ready(show.id)
    except BroadcastNotReady as refused:
        # The warnings too, so that one run tells the manager everything; the blocks follow (console.cli).
        _print_warnings(refused.check)
        raise
    _print_warnings(check)
    _say(msg("cli_broadcast.marked_ready", "{title} is ready.", title=check.title))
    return EXIT_OK


def _print_warnings(check: ReadyCheck) -> None:
    from console.cli import _say, _warning

    for warning in check.warnings:
        _say(_warning(warning))
    sys.stdout.flush()
