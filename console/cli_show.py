"""``anchor-console show ...``: a show on air from the command line, and its summary afterwards.

The same on-air service as the Live screen, acting as the store's manager
would (audited as via=cli): every action is recorded and durable before the
command prints, and a console window open on the same data folder follows
within a second (it watches other processes' commits). A refusal records
nothing and ends as one sentence on stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from console.i18n import Message, Money, msg, text

if TYPE_CHECKING:
    from console.domain.onair import ShowNow
    from console.services.onair import MetricPoint, OnAirService

# The actions that take nothing but the show: the CLI's word, the service's method.
SIMPLE_ACTIONS = {"next": "next", "prev": "previous", "skip": "skip", "soldout": "sold_out",
                  "pause": "pause", "resume": "resume", "end": "end"}
METRIC_OPTIONS = (("views", "--views"), ("viewers", "--viewers"), ("likes", "--likes"), ("orders", "--orders"))
_COUNT = re.compile(r"-?\d+")
_ZERO_YUAN = re.compile(r"(?:¥|RMB|CNY|人民币)?0*(?:\.0*)?元?")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds ``show start|next|prev|jump|skip|soldout|stock|note|metrics|pause|resume|end|status|summary``."""
    from console.cli import _add_common

    show = sub.add_parser("show", help=text(msg("cli_show.help", "run a show on air, or export its summary")))
    _add_common(show)
    actions = show.add_subparsers(dest="show_command", metavar="ACTION", required=True)
    broadcast_help = text(msg("cli_show.help_broadcast", "the broadcast's id, or the start of its title"))
    which_help = text(msg("cli_show.help_which", "the show to act on when several rooms are on air (its broadcast's "
                                                 "id or the start of its title)"))

    def action(name: str, help_text: Message) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=text(help_text))
        _add_common(parser)
        if name not in ("start", "summary"):
            parser.add_argument("--broadcast", metavar="BROADCAST", default=None, help=which_help)
        return parser

    start = action("start", msg("cli_show.help_start", "go live on a ready broadcast: its first product on air"))
    start.add_argument("broadcast", metavar="BROADCAST", help=broadcast_help)
    start.add_argument("--rehearsal", action="store_true", help=text(msg(
        "cli_show.help_rehearsal", "a rehearsal: recorded as one, the broadcast stays as it is")))
    action("next", msg("cli_show.help_next", "the next waiting product on air"))
    action("prev", msg("cli_show.help_prev", "back to the product before the one on air"))
    jump = action("jump", msg("cli_show.help_jump", "put a link number on air"))
    jump.add_argument("link", metavar="N", help=text(msg("cli_show.help_jump_link", "the link number")))
    action("skip", msg("cli_show.help_skip", "leave the product on air out and put the next one on"))
    action("soldout", msg("cli_show.help_soldout", "the product on air is sold out"))
    stock = action("stock", msg("cli_show.help_stock", "the stock left of the product on air"))
    stock.add_argument("stock", metavar="N", help=text(msg("cli_show.help_stock_n", "pieces left (0 is sold out)")))
    note = action("note", msg("cli_show.help_note", "a note on the product on air"))
    note.add_argument("note", metavar="TEXT", help=text(msg("cli_show.help_note_text", "what happened")))
    metrics = action("metrics", msg("cli_show.help_metrics",
                                    "the platform's figures now (a figure left out keeps its last value)"))
    figure_help = {
        "views": msg("cli_show.help_views", "views so far"),
        "viewers": msg("cli_show.help_viewers", "watching now"),
        "likes": msg("cli_show.help_likes", "likes so far"),
        "orders": msg("cli_show.help_orders", "orders so far"),
    }
    for name, option in METRIC_OPTIONS:
        metrics.add_argument(option, metavar="N", default=None, help=text(figure_help[name]))
    metrics.add_argument("--gmv", metavar="YUAN", default=None,
                         help=text(msg("cli_show.help_gmv", "GMV in yuan, such as 12,800.50")))
    action("pause", msg("cli_show.help_pause", "pause the show (the clocks stop)"))
    action("resume", msg("cli_show.help_resume", "go on after a pause"))
    action("end", msg("cli_show.help_end", "end the show"))
    status = action("status", msg("cli_show.help_status", "what is on air now, and the clocks"))
    status.add_argument("--json", action="store_true", help=text(msg(
        "cli_show.help_json", "print the overlay's /state fields, with every item, as JSON")))
    summary = action("summary", msg("cli_show.help_summary",
                                    "after the show: planned against actual per product, notes, metrics"))
    summary.add_argument("broadcast", metavar="BROADCAST", help=broadcast_help)
    summary.add_argument("--format", choices=("csv", "xlsx"), default="csv",
                         help=text(msg("cli_show.help_format", "file format (default: csv)")))
    summary.add_argument("--output", metavar="FILE", type=Path, help=text(msg(
        "cli_show.help_output", "write to this file (CSV goes to standard output without it)")))


def run(data_dir: Path, args: argparse.Namespace) -> int:
    from console.domain.enums import AuditVia
    from console.domain.errors import ValidationError
    from console.services.auth import AuthService
    from console.services.broadcasts import BroadcastService
    from console.services.onair import OnAirService
    from console.storage.db import open_database

    if args.show_command == "summary" and args.format == "xlsx" and args.output is None:
        raise ValidationError(msg("cli_show.xlsx_needs_output",
                                  "An Excel summary needs a file to go to; give --output FILE."))
    figures = _figures(args) if args.show_command == "metrics" else {}
    db = open_database(data_dir, create=False)
    try:
        # The command line acts with store-manager rights; its changes are audited as via=cli.
        actor = AuthService(db).actor_for_login(None, via=AuditVia.CLI)
        store = AuthService(db).local_store()
        zone = store.timezone if store is not None and store.timezone else ""
        broadcasts, onair = BroadcastService(db, actor), OnAirService(db, actor)
        command = args.show_command
        if command == "summary":
            return _summary(onair, broadcasts.resolve(args.broadcast).id, args, zone)
        if command == "start":
            show = onair.start(broadcasts.resolve(args.broadcast).id, rehearsal=args.rehearsal)
            _print_show(show, started=True)
            return 0
        run_id = onair.run_of(broadcasts.resolve(args.broadcast).id) if args.broadcast else None
        if command == "status":
            return _status(onair, run_id, as_json=args.json)
        if command == "metrics":
            _print_metrics(onair.record_metrics(run_id, **figures), zone)
            return 0
        _print_show(_act(onair, command, args, run_id))
        return 0
    finally:
        db.close()


def _act(onair: OnAirService, command: str, args: argparse.Namespace, run_id: UUID | None) -> ShowNow:
    if command in SIMPLE_ACTIONS:
        result: ShowNow = getattr(onair, SIMPLE_ACTIONS[command])(run_id)
        return result
    if command == "jump":
        return onair.jump(_count("N", args.link), run_id)
    if command == "stock":
        return onair.set_stock(_count("N", args.stock), run_id)
    assert command == "note"
    return onair.note(args.note, run_id)


# --- reading what was typed -------------------------------------------------------


def _count(option: str, written: str) -> int:
    """A whole number as typed: ``1200``, ``1,200``, full-width digits; negative ones for the service to refuse."""
    from console.domain.errors import ValidationError

    plain = unicodedata.normalize("NFKC", written).strip().replace(",", "").replace(" ", "").replace("−", "-")
    if not _COUNT.fullmatch(plain):
        raise ValidationError(msg("cli_show.not_a_count", "{option}: '{value}' is not a whole number, such as 1200.",
                                  option=option, value=written))
    return int(plain)


def _gmv_fen(written: str) -> int:
    """GMV in yuan, read as the catalog reads prices, into fen; nought is a GMV (the show's first minute)."""
    from console.domain.amounts import CellProblem, parse_price_fen
    from console.domain.errors import ValidationError

    plain = unicodedata.normalize("NFKC", written).strip().replace(" ", "")
    if plain and _ZERO_YUAN.fullmatch(plain) and any(c == "0" for c in plain):
        return 0
    try:
        return parse_price_fen(written)
    except CellProblem as problem:
        raise ValidationError(msg("cli_show.bad_option", "{option}: {problem}", option="--gmv",
                                  problem=problem.message)) from None


def _figures(args: argparse.Namespace) -> dict[str, int | None]:
    figures: dict[str, int | None] = {
        name: _count(option, getattr(args, name)) if getattr(args, name) is not None else None
        for name, option in METRIC_OPTIONS}
    figures["gmv_fen"] = _gmv_fen(args.gmv) if args.gmv is not None else None
    return figures


# --- printing ----------------------------------------------------------------------


def _status(onair: OnAirService, run_id: UUID | None, *, as_json: bool) -> int:
    from console.cli import _say
    from console.domain.onair import state_fields

    show = onair.state(run_id) if run_id is not None else onair.active()
    if as_json:
        print(json.dumps(state_fields(show, items=True), ensure_ascii=False, indent=2))
        return 0
    if show is None:
        _say(msg("cli_show.nothing_on_air", "No show is on air in this store."))
        return 0
    _print_show(show)
    for item in show.items:
        _say(msg("cli_show.item_line", "  {link}  {product}  {state}  {actual} / {planned}",
                 link=item.link_number, product=item.facts.product_name, state=ITEM_STATE_WORDS[item.state.value],
                 actual=_clock(item.actual_seconds), planned=_clock(item.facts.planned_seconds)))
    return 0


def _print_show(show: ShowNow, *, started: bool = False) -> None:
    from console.cli import _say

    for line in show_lines(show, started=started):
        _say(line)


def show_lines(show: ShowNow, *, started: bool = False) -> list[Message]:
    """What the command prints after an action: the show, what is on air now, the clocks."""
    lines: list[Message] = []
    if started:
        lines.append(msg("cli_show.rehearsal_started", "Rehearsing {title} in {room}.", title=show.title,
                         room=show.room_name) if show.rehearsal else
                     msg("cli_show.started", "{title} is on air in {room}.", title=show.title, room=show.room_name))
    if not show.live:
        lines.append(msg("cli_show.ended", "{title} has ended after {elapsed}.", title=show.title,
                         elapsed=_clock(show.show_elapsed_seconds)))
        return lines
    current = show.current
    if current is None:
        lines.append(msg("cli_show.between_products", "No product on air."))
    else:
        lines.append(msg("cli_show.on_air_now", "On air: link {link} {product}, {price}.", link=current.link_number,
                         product=current.facts.product_name, price=Money(current.live_price_fen)))
    clocks = msg("cli_show.clocks", "Show {elapsed} of {planned}; this product {item} of {item_planned}.",
                 elapsed=_clock(show.show_elapsed_seconds), planned=_clock(show.planned_seconds),
                 item=_clock(show.item_elapsed_seconds),
                 item_planned=_clock(current.facts.planned_seconds if current else 0))
    lines.append(msg("cli_show.paused", "Paused. {clocks}", clocks=clocks) if show.paused else clocks)
    up_next = show.up_next
    if up_next is not None:
        lines.append(msg("cli_show.up_next", "Next: link {link} {product}.", link=up_next.link_number,
                         product=up_next.facts.product_name))
    return lines


def _print_metrics(point: MetricPoint, zone: str) -> None:
    from console.cli import _say
    from console.i18n.formats import DEFAULT_TIMEZONE, in_zone

    _say(msg("cli_show.metrics_recorded", "Recorded at {at}: views {views}, watching {viewers}, likes {likes}, "
                                          "orders {orders}, GMV {gmv}.",
             at=in_zone(point.at, zone or DEFAULT_TIMEZONE).time().replace(microsecond=0), views=point.views,
             viewers=point.viewers, likes=point.likes, orders=point.orders, gmv=Money(point.gmv_fen)))


def _summary(onair: OnAirService, broadcast_id: UUID, args: argparse.Namespace, zone: str) -> int:
    from console.cli import _say
    from console.i18n.formats import DEFAULT_TIMEZONE
    from console.services.onair_summary import summary_bytes, write_summary

    summary = onair.summary(broadcast_id)
    if args.output is None:
        sys.stdout.buffer.write(summary_bytes(summary, "csv", zone=zone or DEFAULT_TIMEZONE, bom=False))
        sys.stdout.flush()
        return 0
    write_summary(summary, args.output, args.format, zone=zone or DEFAULT_TIMEZONE)
    _say(msg("cli_show.summary_written", "The summary of {title} is in {path}.", title=summary.show.title,
             path=str(args.output)))
    return 0


def _clock(seconds: float) -> timedelta:
    return timedelta(seconds=round(max(seconds, 0)))


ITEM_STATE_WORDS: dict[str, Any] = {
    "waiting": msg("cli_show.state_waiting", "waiting"),
    "on_air": msg("cli_show.state_on_air", "on air"),
    "done": msg("cli_show.state_done", "done"),
    "skipped": msg("cli_show.state_skipped", "skipped"),
    "sold_out": msg("cli_show.state_sold_out", "sold out"),
}
