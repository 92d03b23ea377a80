"""The sync wire protocol shared by the console's client and the head-office service.

Every model forbids unknown fields and validates types strictly (no "5" for 5),
so a client and a server that disagree fail loudly at the boundary instead of
storing something half-understood. ``docs/sync.md`` describes how the messages
are used; this module is the exact shape.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, model_validator

from console.domain.enums import OutboxOp, StrEnum

PROTOCOL_VERSION = 1
# Oldest protocol still served; anything older is told to upgrade (HTTP 426).
MIN_PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Anchor-Protocol"

MAX_BATCH = 500
DEFAULT_PAGE = 500
MAX_PAGE = 1000

Version = Annotated[int, Field(strict=True, ge=0)]
RowVersion = Annotated[int, Field(strict=True, ge=1)]
TableName = Annotated[str, Field(min_length=1, max_length=64)]

# PostgreSQL keeps no NUL in text or JSON, and half of a UTF-16 surrogate pair (which JSON can
# spell as \ud800) is no character at all: no database stores either, so both are bad input.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_TEXT = "NUL characters or unpaired surrogates"


def storable(text: str) -> bool:
    """Whether every database stores ``text`` as it is."""
    return _UNSTORABLE.search(text) is None


def _stored_text(text: str) -> str:
    if not storable(text):
        raise ValueError(f"must not contain {UNSTORABLE_TEXT}")
    return text


StoredText = Annotated[str, AfterValidator(_stored_text)]


class Scope(StrEnum):
    """A stream of versions: the token's own store, or the head-office catalog."""

    STORE = "store"
    CATALOG = "catalog"


class PushStatus(StrEnum):
    APPLIED = "applied"        # written as sent
    MERGED = "merged"          # written on top of other fields changed meanwhile
    CONFLICT = "conflict"      # not written: the server's value was kept and recorded
    DUPLICATE = "duplicate"    # already applied by an earlier batch: nothing done
    REJECTED = "rejected"      # never acceptable from a store (head-office data, unknown row ...)


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- enrollment -------------------------------------------------------------


class EnrollRequest(WireModel):
    code: Annotated[StoredText, Field(min_length=1, max_length=64)]
    console_name: Annotated[StoredText, Field(max_length=120)] = ""


class EnrollResponse(WireModel):
    console_id: UUID
    token: str
    store_id: UUID
    store_code: str
    store_name: str
    protocol_version: int


# --- push -------------------------------------------------------------------


class Mutation(WireModel):
    """One outbox entry: a row's new state and what it was based on."""

    mutation_id: UUID
    table: TableName
    row_id: UUID
    op: OutboxOp
    base_version: Version
    row_version: RowVersion
    changed_fields: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=200)]
    payload: dict[str, Any]

    @model_validator(mode="after")
    def _versions_make_sense(self) -> Mutation:
        if self.op is OutboxOp.INSERT and self.base_version != 0:
            raise ValueError("an insert has base_version 0")
        if self.row_version <= self.base_version:
            raise ValueError("row_version must be greater than base_version")
        return self


class PushRequest(WireModel):
    batch_id: UUID  # idempotency key: a retry with the same id gets the first answer
    mutations: Annotated[list[Mutation], Field(max_length=MAX_BATCH)]


class PushResult(WireModel):
    mutation_id: UUID
    status: PushStatus
    # The row's version on the server after this mutation (None when it has no row).
    row_version: int | None = None
    reason: str | None = None
    conflict_id: UUID | None = None


class PushResponse(WireModel):
    batch_id: UUID
    results: list[PushResult]
    # The store scope's version when the batch committed.
    store_version: int


# --- pull and snapshot ------------------------------------------------------


class SyncedRow(WireModel):
    table: str
    row_id: UUID
    scope: Scope
    version: int          # server-assigned, per scope, in commit order
    row_version: int      # the row's own version, for conflict detection
    deleted: StrictBool   # a tombstone: data holds the row as it was deleted
    data: dict[str, Any]  # every column, as the console's outbox sends them


class PullResponse(WireModel):
    scope: Scope
    rows: list[SyncedRow]
    next_cursor: int      # pass as ``since`` next time; acknowledges everything up to it
    has_more: bool
    # The cursor is older than the oldest kept tombstone (or newer than the
    # server): the console must drop its copy of the scope and load a snapshot.
    reset_required: bool


class EnrollmentState(WireModel):
    """The answer to ``POST /v1/enroll/complete`` and ``/v1/enroll/release``."""

    console_id: UUID
    complete: bool


class SnapshotPage(WireModel):
    scope: Scope
    watermark: int        # pull ``since=watermark`` once the last page is in
    rows: list[SyncedRow]
    next_after: int
    has_more: bool
    total: int | None = None   # on the first page: how many rows the whole snapshot holds


class Conflict(WireModel):
    conflict_id: UUID
    version: int
    table: str
    row_id: UUID
    console_id: UUID
    mutation_id: UUID
    base_version: int
    server_row_version: int
    fields: list[str]             # the fields both sides changed
    attempted: dict[str, Any]     # what the console sent for its changed fields
    kept: dict[str, Any]          # what the server kept for those fields
    recorded_at: str
    # Who and when, for settling it (absent from services before these were recorded):
    console_name: str = ""                  # the console whose change was refused
    attempted_at: str | None = None         # its row's updated_at, as that console stamped it
    kept_row_version: int | None = None     # the kept row's version as sent down (null: a refused new row)
    kept_by: dict[str, str] = {}            # per kept field: the console's name that changed it last, or "head_office"
    kept_at: str | None = None              # the kept row's updated_at, as its last editor stamped it


class ConflictsResponse(WireModel):
    conflicts: list[Conflict]
    next_cursor: int
    has_more: bool


# --- errors -----------------------------------------------------------------


class ErrorBody(WireModel):
    error: str     # a stable code: "batch_too_large", "token_revoked" ...
    message: str   # one sentence a person can act on
