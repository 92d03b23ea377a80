"""``anchor-console compliance check``: a script checked against the rule pack, as the editor and approval do.

Exit status: 1 when any ``block`` finding stands, 0 otherwise (warnings
allowed), 2 on bad input (a file that is missing, empty or not UTF-8 text, a
rule pack that does not load, a SKU the catalog does not have).
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
from pathlib import Path

from console.i18n import Message, active, msg, msg_n, text

EXIT_CLEAN, EXIT_BLOCKED, EXIT_BAD_INPUT = 0, 1, 2


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from console.cli import _add_common

    compliance = sub.add_parser("compliance", help=text(msg(
        "cli_compliance.help", "check a script against the compliance rules")))
    _add_common(compliance)
    actions = compliance.add_subparsers(dest="compliance_command", metavar="ACTION", required=True)
    check = actions.add_parser("check", help=text(msg(
        "cli_compliance.help_check", "print the findings in a script; exit 1 if any blocks it, 2 on bad input")))
    _add_common(check)
    check.add_argument("--json", action="store_true", help=text(msg(
        "cli_compliance.help_json", "print the findings as a JSON list")))
    check.add_argument("--product", metavar="SKU", default=None, help=text(msg(
        "cli_compliance.help_product",
        "check prices, stock and medical claims against this product's catalog data, price history and stock")))
    check.add_argument("--pack", metavar="FILE", type=Path, default=None, help=text(msg(
        "cli_compliance.help_pack", "use this rule pack instead of the console's")))
    check.add_argument("file", metavar="FILE", help=text(msg(
        "cli_compliance.help_file", "the script, UTF-8 text; - reads standard input")))


def run(data_dir: Path, args: argparse.Namespace) -> int:
    from console.cli import _complain
    from console.compliance import Checker, RulePackError, default_pack
    from console.domain.errors import DomainError

    try:
        script = read_script(args.file)
        pack = default_pack() if args.pack is None else _load_pack(args.pack)
        product = None if args.product is None else _facts(data_dir, args.product)
    except (RulePackError, BadInput, DomainError) as exc:
        _complain(exc)
        return EXIT_BAD_INPUT
    findings = Checker(pack).check(script, product)
    if args.json:
        catalog = active()
        json.dump([f.as_json(catalog) for f in findings], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_findings(script, findings, args.file)
    return EXIT_BLOCKED if any(f.blocks for f in findings) else EXIT_CLEAN


class BadInput(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def read_script(name: str) -> str:
    """The script's text; :class:`BadInput` naming the file for a missing, unreadable, non-UTF-8 or empty one."""
    shown = msg("cli_compliance.stdin", "standard input") if name == "-" else name
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise BadInput(msg("cli_compliance.no_file", "There is no file {file}.", file=shown)) from None
    except IsADirectoryError:
        raise BadInput(msg("cli_compliance.is_folder", "{file} is a folder, not a script file.", file=shown)) from None
    except OSError as exc:
        raise BadInput(msg("cli_compliance.unreadable", "{file} cannot be read: {problem}", file=shown,
                           problem=exc.strerror or str(exc))) from None
    try:
        script = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise BadInput(msg("cli_compliance.not_utf8",
                           "{file} is not UTF-8 text: line {line}, byte {position} cannot be read. Save it as "
                           "UTF-8 and check again.", file=shown, line=line, position=exc.start + 1)) from None
    if not script.strip():
        raise BadInput(msg("cli_compliance.empty", "{file} is empty: there is nothing to check.", file=shown))
    return script


def _load_pack(path: Path):  # type: ignore[no-untyped-def]
    from console.compliance import RulePack

    return RulePack.load(path)


def _facts(data_dir: Path, sku: str):  # type: ignore[no-untyped-def]
    from console.domain.enums import AuditVia
    from console.services.auth import AuthService
    from console.services.compliance_facts import ProductFactsService
    from console.storage.db import open_database

    db = open_database(data_dir, create=False)
    try:
        return ProductFactsService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI)).facts_for_sku(sku)
    finally:
        db.close()


def _print_findings(script: str, findings: list, name: str) -> None:  # type: ignore[type-arg]
    from console.cli import _say

    line_starts = [0] + [i + 1 for i, c in enumerate(script) if c == "\n"]
    for finding in findings:
        line = bisect.bisect_right(line_starts, finding.start)
        column = finding.start - line_starts[line - 1] + 1
        severity = (msg("cli_compliance.block", "blocks") if finding.blocks
                    else msg("cli_compliance.warn", "warning"))
        _say(msg("cli_compliance.finding", "{line}:{column}: {severity} [{category}] “{text}”: {message} ({reference})",
                 line=line, column=column, severity=severity, category=finding.category, text=finding.text,
                 message=finding.message, reference=finding.reference))
        if finding.suggestion:
            _say(msg("cli_compliance.suggestion", "    suggestion: {suggestion}", suggestion=finding.suggestion))
    blocks = sum(1 for f in findings if f.blocks)
    if not findings:
        _say(msg("cli_compliance.no_findings", "No findings: the script may go to approval."))
    elif blocks:
        _say(msg_n("cli_compliance.blocked", "{count} finding blocks approval ({total} in all).",
                   "{count} findings block approval ({total} in all).", count=blocks, total=len(findings)))
    else:
        _say(msg_n("cli_compliance.warnings_only", "{count} warning, nothing that blocks approval.",
                   "{count} warnings, nothing that blocks approval.", count=len(findings)))
