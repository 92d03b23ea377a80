"""A sync conflict as the person settling it sees it: both sides of each field, and the choices.

Head office keeps the first committed value and lists the other for review
(docs/sync.md, *Conflicts*). Settling is a decision about the row as it is
now, so a conflict whose row changed since it was recorded is reviewed again,
never settled on stale values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.domain.enums import StrEnum


class SettleChoice(StrEnum):
    KEEP_HEAD_OFFICE = "keep_head_office"   # nothing changes; the conflict is closed
    KEEP_STORE = "keep_store"               # this store's values are written as a new edit
    MERGED = "merged"                       # values typed by the person settling it
    RENAME = "rename"                       # a renamed natural key (A007-2) gets a name of one's choosing


@dataclass(frozen=True)
class Side:
    """One side's value of a field, with who changed it and when, where known."""

    value: Any                    # as JSON has it (the wire form)
    person: str = ""              # who, from the audit row of the edit where it synced here
    console: str = ""             # the console it was made on, as head office names it
    at: datetime | None = None
    head_office: bool = False     # changed by head office itself (a renamed key)


@dataclass(frozen=True)
class ConflictField:
    name: str
    store: Side                   # what this store tried
    head_office: Side             # what head office kept (the row's value here now)
    text_typed: bool = True       # a text column: a merged value is typed as is, else as JSON


@dataclass(frozen=True)
class OpenConflict:
    conflict_id: str
    table: str
    row_id: str
    fields: tuple[ConflictField, ...]
    recorded_at: datetime | None
    this_console: bool
    renamed_key: bool = False     # head office renamed a natural key: "rename" is offered
    row_gone: bool = False        # a refused new row: only head office's side can be kept


@dataclass(frozen=True)
class Settlement:
    conflict_id: str
    choice: SettleChoice
    values: dict[str, Any]        # what the contested fields hold now (as written, wire form)
