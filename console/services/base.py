"""What every service shares: the database, the acting user, the audit trail."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from console.domain.errors import NotFound
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.i18n import msg
from console.storage.db import Database
from console.storage.models import AuditLog, LocalSetting, Store
from console.storage.outbox import to_wire
from console.storage.types import utcnow

STORE_ID_SETTING = "store_id"


def read_setting(session: Session, key: str) -> str | None:
    row = session.get(LocalSetting, key)
    return row.value if row else None


def write_setting(session: Session, key: str, value: str) -> None:
    row = session.get(LocalSetting, key)
    if row is None:
        session.add(LocalSetting(key=key, value=value))
    else:
        row.value = value


def local_store_id(session: Session) -> UUID | None:
    value = read_setting(session, STORE_ID_SETTING)
    return UUID(value) if value else None


def store_info(store: Store) -> StoreInfo:
    return StoreInfo(
        id=store.id, code=store.code, name=store.name, group_name=store.group_name,
        city=store.city, timezone=store.timezone,
    )


def load_store(session: Session, store_id: UUID) -> Store:
    store = session.get(Store, store_id)
    if store is None or store.is_deleted:
        raise NotFound(msg("store.not_in_database", "This console's store is not in its database."))
    return store


class Service:
    """Base of the capability services: one session per unit of work."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self._db = db
        self._actor = actor

    @property
    def actor(self) -> Actor:
        return self._actor

    def _audit(
        self, session: Session, action: str, entity: str = "", entity_id: UUID | None = None,
        **detail: Any,
    ) -> None:
        session.add(
            AuditLog(
                store_id=self._actor.store_id, at=utcnow(), user_id=self._actor.user_id,
                via=self._actor.via, action=action, entity=entity, entity_id=entity_id,
                detail={k: to_wire(v) for k, v in detail.items()},
            )
        )

    def _store_scope(self) -> UUID:
        return self._actor.store_id
