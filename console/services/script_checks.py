"""Scripts against the rule pack in force: which pack that is, what a body is checked as, and the re-check.

The pack in force is the newest ``rule_pack`` row head office has issued
(synced down), else the pack shipped with the console. A row that does not
load (it cannot, head office validates on import, but a console must not
trust that) is passed over: the previous pack stays in force.

A body is checked as it is spoken: cue marks and private notes are not read
aloud, so they are blanked (as line breaks, which end a clause, so nothing
joins across them); variables are filled in from the product's facts, so
"专柜价{counter_price}" is checked with the catalog's evidenced price. Each
finding's span is mapped back to the body, so the editor underlines what was
written. An unknown variable is a markup problem and blocks like a finding.

Every check of a version against a pack is one ``script_check`` row, its id
derived from the two, so two consoles that make the same check write the
same row.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.enums import ScriptVersionStatus
from console.domain.scripts import MarkupProblem, Parsed, PartKind, parse, yuan
from console.storage.db import Database
from console.storage.models import (
    Product,
    RulePack,
    Script,
    ScriptCheck,
    ScriptVersion,
)
from console.storage.types import utcnow

if TYPE_CHECKING:
    from console.compliance import Checker, Finding, ProductFacts
    from console.compliance import RulePack as Pack

DEFAULT_PACK_SOURCE = "default"
_CHECK_NAMESPACE = uuid.UUID("6f0d3c52-5b8e-4f3a-9a57-2d1c0c9e7a11")


@dataclass(frozen=True, slots=True)
class PackInForce:
    """The rule pack scripts are checked against now; ``key`` is ``name@version``."""

    key: str
    name: str
    version: int
    issued_at: datetime | None      # None: the console's own default pack
    pack: Pack

    @property
    def from_head_office(self) -> bool:
        return self.issued_at is not None


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """A body checked: the findings (spans in the body) and the markup problems; blocks counts both."""

    rule_pack: str
    findings: tuple[Finding, ...]
    markup_problems: tuple[MarkupProblem, ...]

    @property
    def blocks(self) -> int:
        return sum(1 for f in self.findings if f.severity == "block") + len(self.markup_problems)

    @property
    def warns(self) -> int:
        return sum(1 for f in self.findings if f.severity != "block")

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "block")


def pack_key(name: str, version: int) -> str:
    return f"{name}@{version}"[:160]


_PACKS: dict[tuple[str, int, str], Pack] = {}
_CHECKERS: dict[tuple[str, int], Checker] = {}


def pack_in_force(s: Session) -> PackInForce:
    from console.compliance import RulePack as Pack
    from console.compliance import RulePackError, default_pack

    rows = s.execute(select(RulePack.id, RulePack.name, RulePack.version, RulePack.row_version, RulePack.issued_at)
                     .where(RulePack.deleted_at.is_(None))
                     .order_by(RulePack.issued_at.desc(), RulePack.version.desc()).limit(20)).all()
    for row_id, name, version, row_version, issued_at in rows:
        cache = (str(row_id), row_version, name)
        pack = _PACKS.get(cache)
        if pack is None:
            data = s.scalar(select(RulePack.rules).where(RulePack.id == row_id))
            try:
                pack = Pack.from_data(data, source=f"{name} #{version}")
            except RulePackError:
                continue                  # the previous pack stays in force
            _PACKS[cache] = pack
        return PackInForce(pack_key(pack.name, pack.version), pack.name, pack.version, issued_at, pack)
    pack = default_pack()
    return PackInForce(pack_key(pack.name, pack.version), pack.name, pack.version, None, pack)


def checker_for(pack: PackInForce) -> Checker:
    """One checker per pack, kept: compiling a pack's rules costs more than checking a script."""
    from console.compliance import Checker

    cache = (pack.key, id(pack.pack))
    checker = _CHECKERS.get(cache)
    if checker is None:
        checker = _CHECKERS[cache] = Checker(pack.pack)
    return checker


def product_facts(s: Session, store_id: UUID, product_id: UUID | None, *,
                  now: datetime | None = None) -> ProductFacts | None:
    """What the store knows of the product now (the compliance command line's facts, read in this session)."""
    from console.services.compliance_facts import facts_in

    if product_id is None:
        return None
    return facts_in(s, store_id, product_id, now or utcnow())


def spoken_text(body: str, facts: ProductFacts | None, product_name: str = "", *,
                parsed: Parsed | None = None) -> tuple[str, list[tuple[int, int, int, int, bool]]]:
    """The body as it is spoken, and pieces (spoken start, spoken end, body start, body end, as written)."""
    parsed = parsed or parse(body)
    out: list[str] = []
    pieces: list[tuple[int, int, int, int, bool]] = []
    at = 0
    for part in parsed.parts:
        if part.kind is PartKind.TEXT:
            said = part.text
        elif part.kind is PartKind.VALUE:
            said = _value(part.text, facts, product_name) or "\n"
        else:
            said = "\n"                   # a cue, a note, an unknown variable: not read aloud
        out.append(said)
        pieces.append((at, at + len(said), part.start, part.end, part.kind is PartKind.TEXT))
        at += len(said)
    return "".join(out), pieces


def _value(name: str, facts: ProductFacts | None, product_name: str) -> str | None:
    if name == "product":
        return product_name or None
    if facts is None:
        return None
    if name == "counter_price":
        return yuan(facts.counter_price_fen)
    if name == "live_price":
        return yuan(facts.live_price_fen)
    if name == "stock":
        return None if facts.stock is None else str(facts.stock)
    return None


def _to_body(position: int, pieces: Sequence[tuple[int, int, int, int, bool]], starts: Sequence[int], *,
             end: bool) -> int:
    # The piece holding the position (for an end, the piece it ends); pieces are in order, by spoken start.
    index = bisect.bisect_right(starts, position - 1 if end and position > 0 else position) - 1
    for s_start, s_end, b_start, b_end, as_written in pieces[max(index, 0):index + 2]:
        if s_start <= position < s_end or (end and position == s_end):
            if as_written:
                return b_start + (position - s_start)
            return b_end if end else b_start               # inside a filled-in value: the whole variable
    return pieces[-1][3] if pieces else 0


def check_body(pack: PackInForce, body: str, facts: ProductFacts | None, product_name: str = "", *,
               checker: Checker | None = None, prepared: Spoken | None = None) -> CheckOutcome:
    spoken = prepared or prepare(body, facts, product_name)
    found = (checker or checker_for(pack)).check(spoken.text, facts)
    return CheckOutcome(pack.key, tuple(_mapped(found, body, spoken)), spoken.problems)


@dataclass(frozen=True, slots=True)
class Spoken:
    """A body as it is checked: the spoken text, the pieces mapping it back, the markup problems."""

    body: str
    text: str
    pieces: tuple[tuple[int, int, int, int, bool], ...]
    problems: tuple[MarkupProblem, ...]

    @property
    def starts(self) -> list[int]:
        return [p[0] for p in self.pieces]


def prepare(body: str, facts: ProductFacts | None, product_name: str = "") -> Spoken:
    parsed = parse(body)
    text, pieces = spoken_text(body, facts, product_name, parsed=parsed)
    return Spoken(body, text, tuple(pieces), parsed.problems)


_MARK_CHARS = frozenset("{}｛｝[]【】")


def prepare_after_edit(before: Spoken, body: str) -> Spoken | None:
    """``before`` updated for an edit inside one stretch of plain text (typing), without parsing again; None
    when the edit touches or could make a mark (then the body is prepared from scratch)."""
    old = before.body
    prefix = _common_prefix(old, body)
    suffix = _common_suffix(old, body, prefix)
    removed, inserted = old[prefix:len(old) - suffix], body[prefix:len(body) - suffix]
    index = bisect.bisect_right([p[2] for p in before.pieces], prefix) - 1
    if index < 0:
        return None
    s_start, s_end, b_start, b_end, as_written = before.pieces[index]
    if not as_written or prefix + len(removed) > b_end or _MARK_CHARS.intersection(removed + inserted):
        return None
    delta = len(inserted) - len(removed)
    if _MARK_CHARS.intersection(body[b_start:b_end + delta]):
        return None                       # brackets in the stretch: an edit may turn them into a mark
    at = s_start + (prefix - b_start)
    text = before.text[:at] + inserted + before.text[at + len(removed):]
    pieces = (*before.pieces[:index], (s_start, s_end + delta, b_start, b_end + delta, True),
              *((a + delta, b + delta, c + delta, d + delta, w) for a, b, c, d, w in before.pieces[index + 1:]))
    problems = tuple(p if p.start < prefix else MarkupProblem(p.start + delta, p.end + delta, p.written, p.nearest,
                                                             p.message) for p in before.problems)
    return Spoken(body, text, pieces, problems)


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:                     # slices compared in C: log n steps, not n
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, prefix: int) -> int:
    low, high = 0, min(len(a), len(b)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle:] == b[len(b) - middle:]:
            low = middle
        else:
            high = middle - 1
    return low


def _mapped(found: Sequence[Finding], body: str, spoken: Spoken) -> list[Finding]:
    from console.compliance import Finding

    starts = spoken.starts
    mapped: list[Finding] = []
    for f in found:
        start = _to_body(f.start, spoken.pieces, starts, end=False)
        end = max(_to_body(f.end, spoken.pieces, starts, end=True), start)
        mapped.append(Finding(f.category, f.severity, start, end, body[start:end], f.rule, f.message, f.reference,
                              f.suggestion, f.evidence))
    return mapped


def check_id(version_id: UUID, rule_pack: str) -> UUID:
    return uuid.uuid5(_CHECK_NAMESPACE, f"{version_id}|{rule_pack}")


def check_row(version: ScriptVersion, outcome: CheckOutcome, reason: str, now: datetime) -> dict[str, Any]:
    """The ``script_check`` row of this check, as column values."""
    return dict(
        id=check_id(version.id, outcome.rule_pack), store_id=version.store_id, script_version_id=version.id,
        rule_pack=outcome.rule_pack, checked_at=now, reason=reason, blocks=outcome.blocks, warns=outcome.warns,
        findings=[{"category": f.category, "severity": f.severity, "start": f.start, "end": f.end, "text": f.text,
                   "rule": f.rule, "reference": f.reference} for f in outcome.findings]
        + [{"category": "markup", "severity": "block", "start": p.start, "end": p.end, "text": p.written,
            "rule": "markup.unknown_variable", "reference": ""} for p in outcome.markup_problems])


def record_check(s: Session, version: ScriptVersion, outcome: CheckOutcome, reason: str,
                 now: datetime | None = None) -> ScriptCheck:
    """The check as a ``script_check`` row; the one already there if this version met this pack before."""
    existing = s.get(ScriptCheck, check_id(version.id, outcome.rule_pack))
    if existing is not None:
        return existing
    row = ScriptCheck(**check_row(version, outcome, reason, now or utcnow()))
    s.add(row)
    return row


@dataclass(frozen=True, slots=True)
class RecheckResult:
    """What a re-check did: the pack, how many approved versions it checked, which scripts now fail it."""

    rule_pack: str
    checked: int
    flagged: tuple[UUID, ...]


def due_rechecks(s: Session, *, now: datetime | None = None
                 ) -> tuple[PackInForce, list[tuple[Script, ScriptVersion, CheckOutcome]]]:
    """The approved versions that have not met the pack in force, each checked against it (nothing recorded)."""
    pack = pack_in_force(s)
    rows = s.execute(
        select(Script, ScriptVersion, Product.name)
        .join(ScriptVersion, ScriptVersion.id == Script.approved_version_id)
        .outerjoin(Product, Product.id == Script.product_id)
        .where(Script.deleted_at.is_(None), ScriptVersion.status == ScriptVersionStatus.APPROVED)).all()
    done = set(s.scalars(select(ScriptCheck.script_version_id).where(ScriptCheck.rule_pack == pack.key)))
    due = []
    for script, version, product_name in rows:
        if version.id in done or version.rule_pack == pack.key:
            continue                      # approved under this pack, or already re-checked against it
        facts = product_facts(s, script.store_id, script.product_id, now=now)
        due.append((script, version, check_body(pack, version.body, facts, product_name or "")))
    return pack, due


def recheck_approved(db: Database, *, now: datetime | None = None) -> RecheckResult:
    """Check every script's approved version that has not met the pack in force; record each check.

    Run after a sync pull (a new pack may have come down) and whenever a
    screen asks; a version already checked against this pack costs a look-up.
    """
    with db.begin() as s:
        pack, due = due_rechecks(s, now=now)
        for _script, version, outcome in due:
            record_check(s, version, outcome, "recheck", now)
        return RecheckResult(pack.key, len(due), tuple(script.id for script, _v, outcome in due if outcome.blocks))
