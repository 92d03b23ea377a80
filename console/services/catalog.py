"""Catalog: products, their quality papers, and the store's own prices and stock."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from console.domain.enums import Role
from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.permissions import Permission
from console.domain.values import ProductRow
from console.i18n import msg
from console.rules.on_air import has_after_sales_policy
from console.services.base import Service, read_setting
from console.services.gate import quality_papers_count
from console.services.sync import SERVER_URL_SETTING
from console.storage.models import Product, StoreProduct

SEARCH_LIMIT = 200


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class CatalogService(Service):
    def count(self) -> int:
        with self._db.begin() as s:
            return s.scalar(select(func.count()).where(Product.deleted_at.is_(None))) or 0

    def search(self, text: str = "", *, limit: int = SEARCH_LIMIT) -> list[ProductRow]:
        """Products whose name, SKU, brand or pinyin contain ``text``."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            q = self._rows_query().where(Product.deleted_at.is_(None))
            text = text.strip().lower()
            if text:
                pattern = _like(text)
                q = q.where(or_(
                    Product.name.ilike(pattern, escape="\\"),
                    Product.sku.ilike(pattern, escape="\\"),
                    Product.brand.ilike(pattern, escape="\\"),
                    Product.search_key.like(pattern, escape="\\"),
                ))
            return [self._row(*r) for r in s.execute(q.order_by(Product.sku).limit(limit))]

    def product(self, product_id: UUID) -> ProductRow:
        with self._db.begin() as s:
            row = s.execute(self._rows_query().where(Product.id == product_id)).first()
            if row is None:
                raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
            return self._row(*row)

    def ensure_catalog_editable(self) -> None:
        """Catalog edits need EDIT_CATALOG, and once enrolled the catalog is head office's alone.

        Every method that changes products or their quality papers calls this
        first; store stock and prices (``set_store_price``) stay the store's.
        """
        self._actor.require(Permission.EDIT_CATALOG)
        if self._actor.role is Role.HEAD_OFFICE:
            return
        with self._db.begin() as s:
            enrolled = bool(read_setting(s, SERVER_URL_SETTING))
        if enrolled:
            raise PermissionDenied(msg(
                "catalog.owned_by_head_office",
                "This console is enrolled with head office, so the catalog comes from head office; "
                "a store can change only its own stock and prices."))

    def set_store_price(self, product_id: UUID, *, counter_price_fen: int, stock: int,
                        evidence: str = "") -> ProductRow:
        self._actor.require(Permission.EDIT_STORE_PRICES)
        if counter_price_fen < 0 or stock < 0:
            raise ValidationError(msg("catalog.negative_price_or_stock", "Price and stock cannot be negative."))
        with self._db.begin() as s:
            if s.get(Product, product_id) is None:
                raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
            sp = self._store_product(s, product_id)
            if sp is None:
                sp = StoreProduct(store_id=self._store_scope(), product_id=product_id,
                                  counter_price_fen=counter_price_fen, stock=stock,
                                  counter_price_evidence=evidence)
                s.add(sp)
            else:
                sp.counter_price_fen, sp.stock = counter_price_fen, stock
                if evidence:
                    sp.counter_price_evidence = evidence
            s.flush()
            self._audit(s, "store_price_set", "product", product_id,
                        counter_price_fen=counter_price_fen, stock=stock)
        return self.product(product_id)

    def _store_product(self, s: Session, product_id: UUID) -> StoreProduct | None:
        return s.scalar(select(StoreProduct).where(
            StoreProduct.store_id == self._store_scope(), StoreProduct.product_id == product_id))

    def _rows_query(self):  # type: ignore[no-untyped-def]
        return (
            select(Product, StoreProduct.counter_price_fen, StoreProduct.stock, quality_papers_count())
            .outerjoin(StoreProduct, (StoreProduct.product_id == Product.id)
                       & (StoreProduct.store_id == self._store_scope()))
        )

    @staticmethod
    def _row(p: Product, price: int | None, stock: int | None, papers: int) -> ProductRow:
        return ProductRow(
            id=p.id, sku=p.sku, name=p.name, brand=p.brand, category=p.category, spec=p.spec,
            counter_price_fen=price, stock=stock, quality_document_count=papers or 0,
            has_after_sales_policy=has_after_sales_policy(p.after_sales_policy),
        )
