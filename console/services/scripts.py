"""Scripts: product and segment scripts with their versions and approval state."""

from __future__ import annotations

from sqlalchemy import func, select

from console.domain.permissions import Permission
from console.domain.values import ScriptRow
from console.services.base import Service
from console.storage.models import Product, Script, ScriptVersion


class ScriptService(Service):
    def scripts(self, *, limit: int = 500) -> list[ScriptRow]:
        self._actor.require(Permission.VIEW_STORE)
        sid = self._store_scope()
        with self._db.begin() as s:
            latest = (
                select(ScriptVersion.script_id, func.max(ScriptVersion.number).label("number"))
                .where(ScriptVersion.store_id == sid, ScriptVersion.deleted_at.is_(None))
                .group_by(ScriptVersion.script_id).subquery()
            )
            q = (
                select(Script, Product.name, ScriptVersion)
                .join(latest, latest.c.script_id == Script.id)
                .join(ScriptVersion, (ScriptVersion.script_id == Script.id)
                      & (ScriptVersion.number == latest.c.number))
                .outerjoin(Product, Product.id == Script.product_id)
                .where(Script.store_id == sid, Script.deleted_at.is_(None))
                .order_by(Script.updated_at.desc()).limit(limit)
            )
            return [
                ScriptRow(id=sc.id, title=sc.title, kind=sc.kind, product_name=pname or "",
                          latest_version=v.number, latest_status=v.status,
                          approved=sc.approved_version_id is not None, updated_at=v.updated_at)
                for sc, pname, v in s.execute(q)
            ]
