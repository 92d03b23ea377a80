"""``anchor-console settings``: the store's roster rule limits, shown or changed from the command line.

The same service as the roster screen's Rules tab, acting as the store's
manager would (audited as via=cli). The limits are the store's synced row, so
a change made here reaches the store's other consoles with the next sync.
Without options the command prints the limits; with some, it changes those
(the others stay) and prints the result. A refused value changes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from console.i18n import msg, text

# option, the service's argument, what the option takes
_OPTIONS = (
    ("--min-rest-hours", "min_rest_hours", float),
    ("--max-on-air-minutes-per-day", "max_on_air_minutes_per_day", int),
    ("--max-on-air-minutes-in-a-row", "max_on_air_minutes_in_a_row", int),
    ("--min-voice-rest-minutes", "min_voice_rest_minutes", int),
    ("--max-days-in-a-row", "max_days_in_a_row", int),
)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from console.cli import _add_common

    parser = sub.add_parser("settings", help=text(msg(
        "cli_settings.help", "show or change the store's roster rule limits (they sync to the store's consoles)")))
    _add_common(parser)
    helps = (
        msg("cli_settings.help_min_rest", "minimum rest between two shifts of an anchor, in hours (0 to 24)"),
        msg("cli_settings.help_per_day", "most on-air minutes of an anchor in a day (30 to 720)"),
        msg("cli_settings.help_in_a_row", "most on-air minutes in a row (30 to 720, at most those in a day)"),
        msg("cli_settings.help_voice_rest", "the shortest break that rests a voice, in minutes (0 to 240)"),
        msg("cli_settings.help_days", "most working days in a row (1 to 14)"),
    )
    for (option, dest, kind), words in zip(_OPTIONS, helps, strict=True):
        parser.add_argument(option, dest=dest, type=kind, default=None, metavar="N", help=text(words))


def run(data_dir: Path, args: argparse.Namespace) -> int:
    from console.domain.enums import AuditVia
    from console.services.auth import AuthService
    from console.services.roster import RosterService
    from console.storage.db import open_database

    db = open_database(data_dir, create=False)
    try:
        roster = RosterService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        current = roster.roster_settings()
        wanted = {dest: getattr(args, dest) for _, dest, _ in _OPTIONS}
        if any(value is not None for value in wanted.values()):
            given = {
                "min_rest_hours": current.min_rest.total_seconds() / 3600,
                "max_on_air_minutes_per_day": current.max_on_air_minutes_per_day,
                "max_on_air_minutes_in_a_row": current.max_on_air_minutes_in_a_row,
                "min_voice_rest_minutes": int(current.min_voice_rest.total_seconds() // 60),
                "max_days_in_a_row": current.max_days_in_a_row,
            }
            given.update({k: v for k, v in wanted.items() if v is not None})
            current = roster.set_roster_settings(**given)
    finally:
        db.close()
    hours = f"{current.min_rest.total_seconds() / 3600:g}"
    for line in (
        msg("cli_settings.min_rest", "minimum rest between shifts: {hours} h", hours=hours),
        msg("cli_settings.per_day", "most on-air minutes in a day: {minutes} min",
            minutes=current.max_on_air_minutes_per_day),
        msg("cli_settings.in_a_row", "most on-air minutes in a row: {minutes} min",
            minutes=current.max_on_air_minutes_in_a_row),
        msg("cli_settings.voice_rest", "shortest break that rests a voice: {minutes} min",
            minutes=int(current.min_voice_rest.total_seconds() // 60)),
        msg("cli_settings.days", "most days in a row: {days}", days=current.max_days_in_a_row),
    ):
        print(text(line))
    return 0
