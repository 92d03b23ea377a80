"""What the compliance checker needs to know of a product, read from the store's database.

The catalog gives the category (and so whether medical claims are allowed at
all), the store's row the evidenced counter price and the stock, the price
history the lowest counter price of the 7 days before now, and the product's
queue item in the store's next or current broadcast the live price.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.compliance import ProductFacts
from console.compliance.kinds import medical_allowed
from console.domain.enums import BroadcastStatus
from console.domain.errors import NotFound
from console.domain.permissions import Permission
from console.i18n import msg
from console.services.base import Service
from console.services.prices import lowest_counter_price_expr
from console.storage.models import Broadcast, Product, QueueItem, StoreProduct
from console.storage.types import utcnow


class ProductFactsService(Service):
    def facts_for_sku(self, sku: str, *, at: datetime | None = None) -> ProductFacts:
        """The facts of the product with ``sku``; :class:`NotFound` naming the SKU if there is none."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            product_id = s.scalar(select(Product.id).where(Product.sku == sku.strip(), Product.deleted_at.is_(None)))
        if product_id is None:
            raise NotFound(msg("compliance.no_such_sku", "No product in the catalog has the SKU {sku}.",
                               sku=sku.strip()))
        return self.facts(product_id, at=at)

    def facts(self, product_id: UUID, *, at: datetime | None = None) -> ProductFacts:
        """The facts of ``product_id`` as of ``at`` (now by default)."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            facts = facts_in(s, self._store_scope(), product_id, at or utcnow())
        if facts is None:
            raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
        return facts


def facts_in(s: Session, store: UUID, product_id: UUID, moment: datetime) -> ProductFacts | None:
    """The facts in the caller's session (the scripts service checks inside its own unit of work); None: no such
    product."""
    product = s.get(Product, product_id)
    if product is None or product.deleted_at is not None:
        return None
    own = s.scalar(select(StoreProduct).where(StoreProduct.store_id == store,
                                              StoreProduct.product_id == product_id,
                                              StoreProduct.deleted_at.is_(None)))
    lowest = s.scalar(select(lowest_counter_price_expr(store, product_id, moment)))
    live = s.scalar(
        select(QueueItem.live_price_fen)
        .join(Broadcast, Broadcast.id == QueueItem.broadcast_id)
        .where(QueueItem.store_id == store, QueueItem.product_id == product_id,
               QueueItem.deleted_at.is_(None), Broadcast.deleted_at.is_(None),
               Broadcast.planned_end >= moment,
               Broadcast.status.not_in((BroadcastStatus.CANCELLED, BroadcastStatus.ENDED)))
        .order_by(Broadcast.planned_start).limit(1))
    # A counter price counts only with its evidence on file (a tag photo, a POS record).
    evidenced = own is not None and bool(own.counter_price_evidence.strip())
    return ProductFacts(
        category=product.category,
        counter_price_fen=own.counter_price_fen if evidenced and own is not None else None,
        lowest_7d_fen=lowest,
        live_price_fen=live,
        stock=own.stock if own is not None else None,
        medical_allowed=medical_allowed(product.category),
    )
