"""Head office's rule packs: ``anchor-headoffice rulepack import FILE`` and the list of packs issued.

A pack file is validated by the console's own loader
(:meth:`console.compliance.RulePack.load`: every rule, every pattern, no
pattern that could take exponential time), so a pack head office accepts is
one every console can load. A malformed file is refused with the loader's
sentence, which names the file and the rule, and nothing is written: the
pack in force stays in force. An accepted pack is one ``rule_pack`` row in
the catalog scope (head office owns it), stored as the loader reads it back,
numbered after the packs of its name issued before; every console has it
after its next sync and re-checks its approved scripts against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.headoffice.catalog import catalog_version, new_row
from console.headoffice.errors import AdminError
from console.headoffice.models import CATALOG_SCOPE, SyncedRow
from console.headoffice.sync import lock_scope, write_rows
from console.i18n import msg
from console.storage.types import utcnow


@dataclass(frozen=True)
class IssuedPack:
    name: str
    version: int
    rules: int
    issued_at: datetime
    catalog_version: int


def import_pack(session: Session, path: Path | str) -> IssuedPack:
    """Validate the file and issue it to every store; :class:`AdminError` (naming file and rule) if it is refused."""
    from console.compliance import RulePack, RulePackError

    try:
        pack = RulePack.load(path)
    except RulePackError as exc:
        raise AdminError(msg("headoffice_admin.rulepack_refused",
                             "{problem} Nothing was imported; the rule pack in force stays in force.",
                             problem=exc.message)) from None
    lock_scope(session, CATALOG_SCOPE)
    issued = [data for (data,) in session.execute(select(SyncedRow.data).where(
        SyncedRow.table_name == "rule_pack", SyncedRow.scope_key == CATALOG_SCOPE, SyncedRow.deleted.is_(False)))]
    newest = max((int(d["version"]) for d in issued if d["name"] == pack.name), default=0)
    if pack.version == newest:
        raise AdminError(msg("headoffice_admin.rulepack_issued_already",
                             "Rule pack {name} version {version} has already been issued; give the file a new "
                             "version (above {newest}) to issue it again.",
                             name=pack.name, version=str(pack.version), newest=str(newest)))
    if pack.version < newest:
        raise AdminError(msg("headoffice_admin.rulepack_older",
                             "Rule pack {name} version {version} is older than version {newest}, already issued; "
                             "give the file a version above {newest}.",
                             name=pack.name, version=str(pack.version), newest=str(newest)))
    now = utcnow()
    row = new_row("rule_pack", {"name": pack.name, "version": pack.version, "issued_at": now,
                                "rules": pack.as_data()}, now)
    write_rows(session, "rule_pack", [row])
    return IssuedPack(pack.name, pack.version, len(pack.rules), now, catalog_version(session))


def issued_packs(session: Session) -> list[IssuedPack]:
    """Every pack issued, newest first (the newest is the one in force)."""
    rows = [data for (data,) in session.execute(select(SyncedRow.data).where(
        SyncedRow.table_name == "rule_pack", SyncedRow.scope_key == CATALOG_SCOPE, SyncedRow.deleted.is_(False)))]
    packs = [IssuedPack(d["name"], int(d["version"]), len((d.get("rules") or {}).get("rules", ())),
                        datetime.fromisoformat(d["issued_at"]), 0) for d in rows]
    return sorted(packs, key=lambda p: (p.issued_at, p.version), reverse=True)
