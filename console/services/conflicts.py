"""Settling a sync conflict from the console: keep head office's value, this store's, or a merged one.

Head office kept the value committed first and listed the other for review
(docs/sync.md, *Conflicts*). A decision here is an ordinary local edit of the
row, made through the ORM so the outbox records it and it syncs like any
other, plus an ``audit_log`` row (``conflict_settled``) that syncs too. That
audit row is also what closes the conflict on every console of the store: a
conflict it names is no longer listed, whichever console settled it, and a
later fetch cannot bring it back.

A decision is about the row as it is now. If the row changed since the
conflict was recorded (head office, or another console's settlement, sent a
newer version; or it was deleted), settling is refused with nothing written,
and the person reviews the new values.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from console.domain.conflicts import ConflictField, OpenConflict, SettleChoice, Settlement, Side
from console.domain.errors import NotFound, ValidationError
from console.domain.permissions import Permission
from console.i18n import msg
from console.services.base import Service, read_setting, write_setting
from console.services.sync import CONFLICTS_SETTING, SETTLED_ACTION, open_items
from console.storage.models import MODEL_BY_TABLE, AuditLog, SyncedRow, User
from console.storage.outbox import row_payload
from console.sync.local import CODECS
from console.sync.tables import TABLES, KeyKind, TableSpec, UniqueKey

HEAD_OFFICE_AUTHOR = "head_office"        # head office's own name for itself in kept_by
# An edit's audit row and its row's updated_at are stamped in one transaction, a moment apart.
_SAME_EDIT = timedelta(seconds=5)


def _when(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _shown_fields(item: dict[str, Any]) -> list[str]:
    """The contested fields first, then the rest of the refused edit that differs from what was kept.

    Head office refused the whole edit, so keeping this store's side writes all of it again."""
    contested = list(item["fields"])
    rest = sorted(f for f, v in item["attempted"].items()
                  if f not in contested and item["kept"].get(f) != v)
    return contested + rest


def _renamed_key(spec: TableSpec, item: dict[str, Any]) -> UniqueKey | None:
    """The natural key head office renamed (A007 became A007-2), if this conflict is one."""
    fields = item["fields"]
    if len(fields) != 1 or item.get("kept_row_version") is None and "held_by" in item["kept"]:
        return None
    by = item.get("kept_by") or {}
    for key in spec.unique_keys:
        if key.field == fields[0] and key.kind is KeyKind.RENAME and by.get(key.field, HEAD_OFFICE_AUTHOR) \
                == HEAD_OFFICE_AUTHOR:
            return key
    return None


class ConflictService(Service):
    """The Sync screen's conflicts: both sides of each field, and settling them."""

    def open_conflicts(self) -> list[OpenConflict]:
        """Conflicts to settle, newest first; each field's two values with who changed them and when."""
        with self._db.begin() as s:
            return [self._describe(s, item) for item in reversed(open_items(s))]

    def settle(self, conflict_id: str, choice: SettleChoice,
               merged: dict[str, Any] | None = None) -> Settlement:
        """Close a conflict: keep head office's value (nothing written), or write this store's,
        a merged one, or a new name for a renamed key, as a normal edit of the row that syncs.

        ``merged`` holds wire values (as JSON has them) for the fields shown; for ``RENAME``
        the renamed field alone. Refused with nothing written when the row changed since."""
        self._actor.require(Permission.MANAGE_SYNC)
        with self._db.begin() as s:
            item = self._item(s, conflict_id)
            spec = TABLES[item["table"]]
            shown = _shown_fields(item)
            values: dict[str, Any] = {}
            if choice is not SettleChoice.KEEP_HEAD_OFFICE:
                row = self._current_row(s, item)
                values = self._values(item, spec, shown, choice, merged or {})
                self._check(s, spec, row, values)
                decoded = CODECS[spec.name].decode({**row_payload(row), **values})
                for name in values:
                    setattr(row, name, decoded[name])
            self._audit(s, SETTLED_ACTION, spec.name, UUID(item["row_id"]), conflict_id=conflict_id,
                        table=spec.name, row_id=item["row_id"], fields=shown, choice=choice.value,
                        values=values)
            self._forget(s, conflict_id)
        return Settlement(conflict_id=conflict_id, choice=choice, values=values)

    # --- reading ---------------------------------------------------------------------

    def _describe(self, s: Session, item: dict[str, Any]) -> OpenConflict:
        spec = TABLES[item["table"]]
        model = MODEL_BY_TABLE[item["table"]]
        row = s.get(model, UUID(item["row_id"]))
        gone = item.get("kept_row_version") is None and "held_by" in item["kept"]
        store_at, kept_at = _when(item.get("attempted_at")), _when(item.get("kept_at"))
        store_person = self._person(s, item["row_id"], store_at)
        kept_person = self._person(s, item["row_id"], kept_at)
        by = item.get("kept_by") or {}
        fields = []
        for name in _shown_fields(item):
            current = row_payload(row)[name] if row is not None else item["kept"].get(name)
            author = by.get(name, "")
            fields.append(ConflictField(
                name=name,
                store=Side(item["attempted"][name], person=store_person,
                           console=item.get("console_name", ""), at=store_at),
                head_office=Side(current, person="" if author == HEAD_OFFICE_AUTHOR else kept_person,
                                 console="" if author == HEAD_OFFICE_AUTHOR else author,
                                 at=kept_at, head_office=author == HEAD_OFFICE_AUTHOR),
                text_typed=isinstance(model.__table__.c[name].type, String)))
        return OpenConflict(
            conflict_id=str(item["conflict_id"]), table=item["table"], row_id=item["row_id"], fields=tuple(fields),
            recorded_at=_when(item.get("recorded_at")), this_console=bool(item.get("this_console")),
            renamed_key=not gone and _renamed_key(spec, item) is not None, row_gone=gone)

    def _person(self, s: Session, row_id: str, at: datetime | None) -> str:
        """Who made the edit stamped ``at``: the audit row written with it, where that synced here."""
        if at is None:
            return ""
        found = s.execute(
            select(User.display_name, AuditLog.at).join(AuditLog, AuditLog.user_id == User.id)
            .where(AuditLog.entity_id == UUID(row_id), AuditLog.at >= at - _SAME_EDIT, AuditLog.at <= at + _SAME_EDIT,
                   AuditLog.action != SETTLED_ACTION)).all()
        # The nearest: another edit of the row may fall within the same few seconds.
        return min(found, key=lambda f: abs(f.at - at)).display_name if found else ""

    # --- settling --------------------------------------------------------------------

    def _item(self, s: Session, conflict_id: str) -> dict[str, Any]:
        for item in open_items(s):
            if str(item["conflict_id"]) == conflict_id:
                return item
        raise NotFound(msg("conflicts.not_open",
                           "This conflict is no longer open: it was settled already, here or on another "
                           "console of the store. Sync and look at the list again."))

    def _current_row(self, s: Session, item: dict[str, Any]) -> SyncedRow:
        """The row as the conflict left it, or a refusal: it changed since, or is gone."""
        row = s.get(MODEL_BY_TABLE[item["table"]], UUID(item["row_id"]))
        if row is None or row.deleted_at is not None:
            raise ValidationError(msg("conflicts.row_gone",
                                      "This {table} row is no longer here (head office refused it or it was "
                                      "deleted); only head office's side can be kept.", table=item["table"]))
        expected = item.get("kept_row_version")
        if expected is not None:
            changed = row.row_version != expected
        else:
            # Recorded before head office said which version it kept: compare the kept values.
            current = row_payload(row)
            changed = any(current.get(f) != v for f, v in item["kept"].items())
        if changed:
            raise ValidationError(msg("conflicts.changed_meanwhile",
                                      "Head office changed this {table} row meanwhile (or it was edited here "
                                      "since); nothing was written. Sync, then review it again with its new "
                                      "values.", table=item["table"]))
        return row

    def _values(self, item: dict[str, Any], spec: TableSpec, shown: list[str], choice: SettleChoice,
                merged: dict[str, Any]) -> dict[str, Any]:
        if choice is SettleChoice.KEEP_STORE:
            return {f: item["attempted"][f] for f in shown}
        if choice is SettleChoice.RENAME:
            key = _renamed_key(spec, item)
            if key is None:
                raise ValidationError(msg("conflicts.not_a_rename",
                                          "Only a code or name head office renamed can be renamed from here."))
            return {key.field: merged.get(key.field)}
        unknown = sorted(set(merged) - set(shown))
        if unknown:
            raise ValidationError(msg("conflicts.field_not_in_conflict",
                                      "{fields} is not part of this conflict.", fields=", ".join(unknown)))
        return {f: merged[f] for f in shown if f in merged}

    def _check(self, s: Session, spec: TableSpec, row: SyncedRow, values: dict[str, Any]) -> None:
        """The same checks a pushed row gets (types, lengths), a key that may not be blank, and
        the store's unique keys, so what is written here is what head office will take."""
        columns = type(row).__table__.c
        current = row_payload(row)
        for name, value in values.items():
            column = columns[name]
            length = column.type.length if isinstance(column.type, String) else None
            if value is None and not spec.columns[name].nullable:
                raise ValidationError(msg("conflicts.value_needed", "{field} needs a value.", field=name))
            if isinstance(value, str) and length is not None and len(value) > length:
                raise ValidationError(msg("conflicts.value_too_long",
                                          "{field} holds at most {limit} characters; this value has {count}.",
                                          field=name, limit=length, count=len(value)))
            if value is not None and not spec.columns[name].accepts(value):
                raise ValidationError(msg("conflicts.value_unfit",
                                          "This value does not fit {field}.", field=name))
            if isinstance(value, str) and not value.strip() and str(current.get(name) or "").strip():
                raise ValidationError(msg("conflicts.value_blank", "{field} cannot be left blank.", field=name))
        after = {**current, **values}
        for key in spec.unique_keys:
            if key.field in values or any(g in values for g in key.group):
                self._check_unique(s, row, key, after)

    def _check_unique(self, s: Session, row: SyncedRow, key: UniqueKey, after: dict[str, Any]) -> None:
        model = type(row)
        table = model.__table__
        decoded = CODECS[table.name].decode(after)
        query = select(table.c.id).where(table.c.id != row.id, table.c[key.field] == decoded[key.field])
        if "store_id" in table.c:
            query = query.where(table.c.store_id == decoded["store_id"])
        for name in key.group:
            query = query.where(table.c[name] == decoded[name])
        if key.live_only:
            query = query.where(table.c.deleted_at.is_(None))
        if s.scalar(query.limit(1)) is not None:
            raise ValidationError(msg("conflicts.value_taken",
                                      "{value} is already used by another {table} row of this store; "
                                      "choose another {field}.",
                                      value=str(after[key.field]), table=table.name, field=key.field))

    def _forget(self, s: Session, conflict_id: str) -> None:
        kept = json.loads(read_setting(s, CONFLICTS_SETTING) or "[]")
        write_setting(s, CONFLICTS_SETTING, json.dumps(
            [c for c in kept if str(c.get("conflict_id")) != conflict_id], ensure_ascii=False))
