"""Which stores a staff member's pages show: the one place the dashboard asks."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.orm import Session


def visible_store_ids(session: Session, user_id: UUID) -> frozenset[UUID] | None:
    """The ids of the stores the account may see; None for an account of the whole group."""
    return None
