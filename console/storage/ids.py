"""Time-ordered UUIDv7 keys, minted on the machine that creates the row."""

from __future__ import annotations

from uuid import UUID

import uuid6


def new_id() -> UUID:
    # uuid6 returns its own UUID subclass; hand out the standard type so
    # equality, hashing and pickling never depend on the minting library.
    return UUID(int=uuid6.uuid7().int)
