"""Price history: every change of a store's counter price, kept with its time, and the lowest of a week.

The history is the store's evidence when a viewer complains that a price
quoted as "before the show" was never asked (明码标价和禁止价格欺诈规定, Art. 19:
the compared price is the lowest offered in the 7 days before the promotion).
Rows are append-only: a change adds one, nothing edits or removes one.

The lowest price of a window is one SQL expression,
:func:`lowest_counter_price_expr`, used here for one product and by the
ready-gate's query for a whole queue at once, so the two cannot disagree.
A price counts when it was *in effect* in the window: one set before the window
and still asked at its start counts as much as one set inside it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, ColumnElement, func, select
from sqlalchemy.orm import Session

from console.domain.errors import NotFound, ValidationError
from console.domain.permissions import Permission
from console.domain.values import PricePoint
from console.i18n import msg
from console.rules.ready import REFERENCE_PRICE_DAYS
from console.services.base import Service
from console.storage.models import PriceHistory, Product
from console.storage.types import utcnow


def record_price(s: Session, *, store_id: UUID, product_id: UUID, counter_price_fen: int,
                 evidence: str = "", at: datetime | None = None) -> None:
    """Append one change of the store's counter price; call it wherever a counter price is set."""
    s.add(PriceHistory(store_id=store_id, product_id=product_id, counter_price_fen=counter_price_fen,
                       evidence=evidence, at=at or utcnow()))


def lowest_counter_price_expr(store_id: UUID, product_id: Any, before: datetime,
                              days: int = REFERENCE_PRICE_DAYS) -> ColumnElement[int]:
    """The lowest counter price in effect in the ``days`` before ``before``; NULL without history.

    ``product_id`` is a UUID, or a column of the enclosing query (``QueueItem.product_id``),
    which the expression then follows row by row.
    """
    since = before - timedelta(days=days)

    def of_product() -> ColumnElement[bool]:
        return (PriceHistory.store_id == store_id) & (PriceHistory.product_id == product_id) \
            & PriceHistory.deleted_at.is_(None)

    set_in_window = (
        select(func.min(PriceHistory.counter_price_fen))
        .where(of_product(), PriceHistory.at >= since, PriceHistory.at < before)
        .correlate_except(PriceHistory).scalar_subquery()
    )
    asked_at_start = (
        select(PriceHistory.counter_price_fen)
        .where(of_product(), PriceHistory.at < since)
        .order_by(PriceHistory.at.desc(), PriceHistory.id.desc()).limit(1)
        .correlate_except(PriceHistory).scalar_subquery()
    )
    # SQLite's min() of several arguments is NULL if any is: each stands in for the other when missing.
    return func.min(func.coalesce(set_in_window, asked_at_start), func.coalesce(asked_at_start, set_in_window),
                    type_=BigInteger)


class PriceService(Service):
    def price_history(self, product_id: UUID) -> list[PricePoint]:
        """Every counter price this store has asked for the product, oldest first."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            self._require_product(s, product_id)
            rows = s.execute(
                select(PriceHistory.at, PriceHistory.counter_price_fen, PriceHistory.evidence)
                .where(PriceHistory.store_id == self._store_scope(), PriceHistory.product_id == product_id,
                       PriceHistory.deleted_at.is_(None))
                .order_by(PriceHistory.at, PriceHistory.id)
            )
            return [PricePoint(at=at, counter_price_fen=fen, evidence=evidence) for at, fen, evidence in rows]

    def lowest_counter_price(self, product_id: UUID, before: datetime,
                             days: int = REFERENCE_PRICE_DAYS) -> int | None:
        """The lowest counter price in effect in the ``days`` before ``before`` (None: no history then)."""
        self._actor.require(Permission.VIEW_STORE)
        if before.tzinfo is None or before.utcoffset() is None:
            raise ValidationError(msg("prices.time_without_zone", "The time {moment} has no time zone.",
                                      moment=before))
        if days <= 0:
            raise ValidationError(msg("prices.days_not_positive", "The number of days must be at least 1."))
        with self._db.begin() as s:
            self._require_product(s, product_id)
            return s.scalar(select(lowest_counter_price_expr(self._store_scope(), product_id, before, days)))

    @staticmethod
    def _require_product(s: Session, product_id: UUID) -> None:
        if s.get(Product, product_id) is None:
            raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
