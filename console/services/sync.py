"""Sync status as the console sees it: enrolment, pending changes, last result, items to review."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from console.domain.permissions import Permission
from console.domain.values import SyncReviewItem, SyncStatus
from console.i18n import Message
from console.services.base import Service, read_setting
from console.storage.models import AuditLog, LocalSetting, Outbox

SERVER_URL_SETTING = "sync.server_url"
LAST_SUCCESS_SETTING = "sync.last_success"
LAST_ERROR_SETTING = "sync.last_error"
STORE_CODE_SETTING = "sync.store_code"
CONFLICTS_SETTING = "sync.conflicts"            # conflicts to review, newest last (JSON list)
REJECTED_SETTING = "sync.rejected"              # refused mutations, newest last (JSON list)


SETTLED_ACTION = "conflict_settled"             # the audit row that closes a conflict (console.services.conflicts)


def settled_ids(s: Session) -> set[str]:
    """Conflicts some console of the store has settled: their audit rows have synced here."""
    details = s.scalars(select(AuditLog.detail).where(AuditLog.action == SETTLED_ACTION))
    return {str(d.get("conflict_id")) for d in details}


def open_items(s: Session) -> list[dict[str, Any]]:
    """The kept conflicts no console has settled yet, oldest first, as the sync client stored them."""
    kept: list[dict[str, Any]] = json.loads(read_setting(s, CONFLICTS_SETTING) or "[]")
    done = settled_ids(s)
    return [c for c in kept if str(c.get("conflict_id")) not in done]


def _values(values: dict[str, Any]) -> str:
    return "; ".join(f"{name}: {value}" for name, value in values.items())


def _problem(kept: str | None) -> Message | None:
    """The last problem as kept by the sync client (a message as JSON, or English text from before)."""
    return Message.from_json(kept) if kept else None


def _when(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


class SyncService(Service):
    def status(self) -> SyncStatus:
        with self._db.begin() as s:
            url = read_setting(s, SERVER_URL_SETTING) or ""
            last = read_setting(s, LAST_SUCCESS_SETTING)
            conflicts = open_items(s)
            rejected = json.loads(read_setting(s, REJECTED_SETTING) or "[]")
            return SyncStatus(
                enrolled=bool(url), server_url=url,
                pending_changes=s.scalar(select(func.count()).select_from(Outbox)) or 0,
                last_success=datetime.fromisoformat(last) if last else None,
                last_error=_problem(read_setting(s, LAST_ERROR_SETTING)),
                conflicts=tuple(f"{c['table']} {c['row_id']}: {', '.join(c['fields'])}" for c in conflicts),
                store_code=read_setting(s, STORE_CODE_SETTING) or "",
                open_conflicts=len(conflicts) + len(rejected),
            )

    def review(self) -> list[SyncReviewItem]:
        """Conflicts and refused changes, newest first, for the Sync screen."""
        with self._db.begin() as s:
            conflicts = open_items(s)
            rejected = json.loads(read_setting(s, REJECTED_SETTING) or "[]")
        items = [
            SyncReviewItem(kind="conflict", table=c["table"], row_id=c["row_id"], fields=tuple(c["fields"]),
                           attempted=_values(c["attempted"]), kept=_values(c["kept"]),
                           recorded_at=_when(c.get("recorded_at")), this_console=bool(c.get("this_console")),
                           conflict_id=str(c.get("conflict_id", "")))
            for c in conflicts
        ] + [
            SyncReviewItem(kind="rejected", table=r["table"], row_id=r["row_id"], fields=(), attempted="",
                           kept="", recorded_at=_when(r.get("at")), reason=r.get("reason", ""))
            for r in rejected
        ]
        return sorted(items, key=lambda i: i.recorded_at or datetime.min.replace(tzinfo=timezone.utc),
                      reverse=True)

    def mark_reviewed(self) -> int:
        """Clear the review list (someone has looked at it); returns how many items it held."""
        self._actor.require(Permission.MANAGE_SYNC)
        with self._db.begin() as s:
            count = sum(len(json.loads(read_setting(s, key) or "[]")) for key in (CONFLICTS_SETTING, REJECTED_SETTING))
            s.execute(delete(LocalSetting).where(LocalSetting.key.in_((CONFLICTS_SETTING, REJECTED_SETTING))))
            if count:
                self._audit(s, "sync.reviewed", "sync", items=count)
        return count
