"""Time-ordered UUIDv7 keys, minted on the machine that creates the row; a deleted row's key set aside."""

from __future__ import annotations

from uuid import UUID

from uuid_utils import compat


def new_id() -> UUID:
    # uuid_utils keeps ids monotonic within the process with a counter and
    # never runs its timestamp ahead of the clock under bulk inserts (uuid6
    # did: a million ids in a second put the timestamp 17 minutes ahead).
    # compat hands out the standard library's UUID type.
    return compat.uuid7()


# Appended to the unique name a deleted row (a tombstone) held, when a live row takes that name:
# tombstones are never shown, and the row's id keeps two set-aside names apart.
ASIDE_MARK = " ~"


def aside_suffix(row_id: UUID) -> str:
    return f"{ASIDE_MARK}{row_id.hex[:12]}"


def set_aside(name: str, row_id: UUID, limit: int | None) -> str:
    """``name`` as a tombstone keeps it once a live row has taken it (cut to ``limit`` characters)."""
    suffix = aside_suffix(row_id)
    return (name[:limit - len(suffix)] if limit else name) + suffix
