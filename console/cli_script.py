"""``anchor-console script ...``: scripts for managers who work headless: list, show, diff, submit, approve, reject.

The same service as the Scripts screen, acting as the store's manager (audited
as via=cli). A refusal (a block finding without --override, a draft not yet
submitted) changes nothing, prints each problem and the reason on stderr and
exits 1; a wrong option exits 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.i18n import Message, msg, text

if TYPE_CHECKING:
    from console.domain.values import ScriptDetail, ScriptVersionInfo
    from console.services.script_checks import CheckOutcome
    from console.services.scripts import ScriptService


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Adds ``script list|show|diff|submit|approve|reject``."""
    from console.cli import _add_common

    script = sub.add_parser("script", help=text(msg("cli_script.help",
                                                    "list, show, submit, approve or reject scripts")))
    _add_common(script)
    actions = script.add_subparsers(dest="script_command", metavar="ACTION", required=True)
    id_help = text(msg("cli_script.help_id", "the script's id (or its first 8 characters), or the start of its title"))
    version_help = text(msg("cli_script.help_version", "the version number (default: the latest)"))

    def action(name: str, help_text: Message, *, versioned: bool = True) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=text(help_text))
        _add_common(parser)
        if name != "list":
            parser.add_argument("script", metavar="ID", help=id_help)
        if versioned:
            parser.add_argument("--version", dest="number", metavar="N", type=_number, default=None,
                                help=version_help)
        return parser

    action("list", msg("cli_script.help_list", "every script: id, kind, latest version and its status, the "
                                               "version on the prompter, title"), versioned=False)
    action("show", msg("cli_script.help_show", "a version's text, status and decision, and its check against "
                                               "the rule pack in force"))
    diff = action("diff", msg("cli_script.help_diff", "two versions side by side"), versioned=False)
    diff.add_argument("left", metavar="A", type=_number, help=text(msg("cli_script.help_left", "the older version")))
    diff.add_argument("right", metavar="B", type=_number, help=text(msg("cli_script.help_right", "the newer version")))
    action("submit", msg("cli_script.help_submit", "submit a draft for approval"))
    approve = action("approve", msg("cli_script.help_approve", "approve a submitted version: it goes to the prompter"))
    approve.add_argument("--override", metavar="REASON", default=None, help=text(msg(
        "cli_script.help_override", "approve over block findings; the reason goes to the audit log")))
    approve.add_argument("--comment", metavar="TEXT", default="",
                         help=text(msg("cli_script.help_comment", "a comment for the writer")))
    reject = action("reject", msg("cli_script.help_reject", "reject a submitted version, saying why"))
    reject.add_argument("--comment", metavar="TEXT", required=True,
                        help=text(msg("cli_script.help_reject_comment", "why it is rejected (the writer reads it)")))


def _number(value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(text(msg("cli_script.not_a_version",
                                                  "'{value}' is not a version number (1, 2, ...)", value=value)))
    return number


def run(data_dir: Path, args: argparse.Namespace) -> int:
    from console.domain.enums import AuditVia
    from console.services.auth import AuthService
    from console.services.scripts import ScriptService
    from console.storage.db import open_database

    db = open_database(data_dir, create=False)
    try:
        # The command line acts with store-manager rights; its changes are audited as via=cli.
        scripts = ScriptService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
        command = args.script_command
        if command == "list":
            return _list(scripts)
        script_id = scripts.resolve(args.script)
        if command == "show":
            return _show(scripts, scripts.script(script_id), args.number)
        if command == "diff":
            return _diff(scripts, script_id, args.left, args.right)
        if command == "submit":
            decision = scripts.submit(script_id, args.number)
            _say(msg("cli_script.submitted", "Version {number} of {title} is submitted for approval.",
                     number=decision.version.number, title=scripts.script(script_id).title))
            assert decision.check is not None
            _print_check(decision.check)
            return 0
        if command == "approve":
            decision = scripts.approve(script_id, args.number, comment=args.comment, override_reason=args.override)
            title = scripts.script(script_id).title
            if decision.version.override_reason:
                _say(msg("cli_script.approved_override", "Version {number} of {title} is approved over its block "
                         "findings; the prompter shows it. The reason is in the audit log.",
                         number=decision.version.number, title=title))
            else:
                _say(msg("cli_script.approved", "Version {number} of {title} is approved; the prompter shows it.",
                         number=decision.version.number, title=title))
            assert decision.check is not None
            _print_check(decision.check)
            return 0
        assert command == "reject"
        decision = scripts.reject(script_id, args.number, comment=args.comment)
        _say(msg("cli_script.rejected", "Version {number} of {title} is rejected.", number=decision.version.number,
                 title=scripts.script(script_id).title))
        return 0
    finally:
        db.close()


def _say(message: Message | str) -> None:
    from console.cli import _say as say

    say(message)


def _list(scripts: ScriptService) -> int:
    for row in scripts.scripts(limit=100_000):
        kind = SEGMENT_WORDS[row.segment.value] if row.segment else KIND_WORDS[row.kind.value]
        on_prompter = f"v{row.approved_version}" if row.approved_version else "-"
        flag = text(msg("cli_script.flag", "fails the rule pack in force")) if row.flagged else ""
        # Tab-separated columns for scripts (the words in the user's language).
        print("\t".join((str(row.id), text(kind), f"v{row.latest_version}", text(STATUS_WORDS[row.latest_status.value]),
                         on_prompter, row.title, flag)).rstrip("\t"))
    return 0


def _show(scripts: ScriptService, detail: ScriptDetail, number: int | None) -> int:
    version = scripts.version(detail.id, number)
    kind = SEGMENT_WORDS[detail.segment.value] if detail.segment else KIND_WORDS[detail.kind.value]
    _say(msg("cli_script.show_title", "{title} ({kind}), version {number} of {latest}: {status}", title=detail.title,
             kind=kind, number=version.number, latest=detail.latest.number,
             status=STATUS_WORDS[version.status.value]))
    if detail.product_name:
        _say(msg("cli_script.show_product", "Product: {product}", product=detail.product_name))
    if detail.broadcast_title:
        _say(msg("cli_script.show_broadcast", "Broadcast: {title}", title=detail.broadcast_title))
    _say(msg("cli_script.show_prompter", "On the prompter: version {number}", number=detail.approved_version)
         if detail.approved_version else msg("cli_script.show_no_prompter", "On the prompter: nothing approved yet"))
    _print_decision(version)
    if detail.flagged and detail.flag is not None and detail.approved_version == version.number:
        _say(msg("cli_script.show_flagged", "Flagged: fails the rule pack {pack} ({rules}); approve a reworded "
                 "version.", pack=detail.flag.rule_pack, rules=", ".join(detail.flag.rules)))
    print()
    print(version.body)
    print()
    _print_check(scripts.check_version(detail.id, version.number))
    return 0


def _print_decision(version: ScriptVersionInfo) -> None:
    if version.author_name:
        _say(msg("cli_script.show_author", "Written by {name}", name=version.author_name))
    if version.decided_at is not None:
        _say(msg("cli_script.show_decided", "Decided by {name} under the rule pack {pack}",
                 name=version.decided_by_name or "-", pack=version.rule_pack or "-"))
    if version.decision_comment:
        _say(msg("cli_script.show_comment", "Comment: {comment}", comment=version.decision_comment))
    if version.override_reason:
        _say(msg("cli_script.show_override", "Approved over block findings because: {reason}",
                 reason=version.override_reason))


def _print_check(outcome: CheckOutcome) -> None:
    _say(msg("cli_script.check_summary", "Rule pack {pack}: {blocks} block, {warns} warn.", pack=outcome.rule_pack,
             blocks=outcome.blocks, warns=outcome.warns))
    for problem in outcome.markup_problems:
        _say(msg("cli_script.check_markup", "  block  {start}-{end}  {problem}", start=problem.start,
                 end=problem.end, problem=problem.message))
    for finding in outcome.findings:
        _say(msg("cli_script.check_line", "  {severity}  {start}-{end}  “{text}” {rule}: {message}",
                 severity=finding.severity, start=finding.start, end=finding.end, text=finding.text,
                 rule=finding.rule, message=finding.message))


def _diff(scripts: ScriptService, script_id: Any, left: int, right: int) -> int:
    from console.domain.scripts import RowKind

    marks = {RowKind.SAME: " ", RowKind.CHANGED: "~", RowKind.ADDED: "+", RowKind.REMOVED: "-"}
    _say(msg("cli_script.diff_header", "Version {left} | version {right}", left=left, right=right))
    for row in scripts.diff(script_id, left, right):
        print("\t".join((marks[row.kind], str(row.left_number or ""), row.left, str(row.right_number or ""),
                         row.right)))
    return 0


KIND_WORDS: dict[str, Message] = {
    "product": msg("cli_script.kind_product", "product"),
    "segment": msg("cli_script.kind_segment", "segment"),
}
SEGMENT_WORDS: dict[str, Message] = {
    "opening": msg("cli_script.segment_opening", "opening"),
    "interaction": msg("cli_script.segment_interaction", "interaction"),
    "closing": msg("cli_script.segment_closing", "closing"),
}
STATUS_WORDS: dict[str, Message] = {
    "draft": msg("cli_script.status_draft", "draft"),
    "submitted": msg("cli_script.status_submitted", "submitted"),
    "approved": msg("cli_script.status_approved", "approved"),
    "rejected": msg("cli_script.status_rejected", "rejected"),
}
