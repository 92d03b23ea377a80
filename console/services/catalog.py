"""Catalog: products, their quality papers, and the store's own prices and stock.

Search as you type runs on a trigram index (FTS5, migration 0005, queried by
:mod:`console.storage.search_index`), not on ``LIKE '%...%'``: over the demo's
100,000 products the plain query took 130 to 200 ms at the median and 190 to
580 ms at p95, since every ``LIKE`` reads the whole product table (a bare scan
alone is 25 ms); the index answers in 6 ms of CPU at the median and 9 at p95
(bench/catalog.py). Prefixes and one- or two-character text, which
trigrams cannot serve directly, go through marks around each field and the
index's vocabulary (see that module).

The index is fed in bulk, when a search finds it behind, not row by row from
triggers: FTS5 writes a segment per statement, and a trigger-fed index made
writing products 15 to 60 times slower. Inserts are noticed by row number and
changes by a trigger that notes only the product's id, so imports and syncs
write at the speed they did; what the index lacks, a search matches itself.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cached_property
from uuid import UUID

from sqlalchemy import String, bindparam, func, select
from sqlalchemy.orm import Session

from console.domain.enums import Role
from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.permissions import Permission
from console.domain.values import ProductRow
from console.i18n import msg
from console.rules.on_air import has_after_sales_policy
from console.services.base import Service, read_setting
from console.services.broadcasts import BroadcastService
from console.services.gate import quality_papers_count
from console.services.prices import record_price
from console.services.sync import SERVER_URL_SETTING
from console.storage import search_index
from console.storage.models import Product, StoreProduct

SEARCH_LIMIT = 200

# How long a search waits for another writer to bring the index level; then it matches the rest itself.
CATCH_UP_WAIT_MS = 50


class CatalogService(Service):
    def count(self) -> int:
        with self._db.begin() as s:
            return s.scalar(select(func.count()).where(Product.deleted_at.is_(None))) or 0

    def search(self, text: str = "", *, limit: int = SEARCH_LIMIT) -> list[ProductRow]:
        """Live products matching ``text`` in SKU, barcode, name, brand or pinyin (full or initials), best first.

        Exact SKU or barcode first, then prefixes of SKU, barcode, name, brand
        or pinyin, then the rest (the text anywhere; words apart each anywhere).
        Without text, the first ``limit`` products by SKU. Withdrawn products
        never appear.
        """
        self._actor.require(Permission.VIEW_STORE)
        if limit <= 0:
            return []
        if not search_index.normalise(text):
            with self._db.begin() as s:
                listed = self._rows_query().where(Product.deleted_at.is_(None)).order_by(Product.sku).limit(limit)
                return [self._row(*r) for r in s.execute(listed)]
        with self._db.begin() as s:
            found = search_index.find(s, text, limit)
            rows = self._rows_found(s, found)
        if not found.complete:
            # Thousands of products wait for the index (an import, a sync): feed it first,
            # or, when another writer holds the file, match them all the slow way.
            self.catch_up_search_index()
            with self._db.begin() as s:
                found = search_index.find(s, text, limit, pending_limit=None)
                rows = self._rows_found(s, found)
        if found.index_behind:
            self.catch_up_search_index()
        return rows

    def _rows_found(self, s: Session, found: search_index.Found) -> list[ProductRow]:
        if not found.product_ids:
            return []
        return [self._row(*r) for r in s.execute(self._rows_in_order, {"ids": json.dumps(found.product_ids)})]

    def catch_up_search_index(self) -> bool:
        """Index what changed since the last search: a few products, or after an import or a sync all of them.

        A search does it when it finds the index behind; a screen may call it
        on opening, so that the first key press after a large import is not
        the one that waits (a second or two per 20,000 products). False when
        another writer held the file: the next search tries again, and
        matches meanwhile what the index lacks.
        """
        try:
            with self._db.begin() as s, search_index.waiting_at_most(s, CATCH_UP_WAIT_MS):
                search_index.catch_up(s)
        except search_index.Busy:
            return False
        return True

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
        """Set the store's counter price and stock (empty ``evidence`` keeps the evidence on file).

        A new price (or new evidence for it) is added to the price history in
        the same unit of work; a ready broadcast whose gate the change breaks is
        planned again, and the returned row's ``notices`` say which and why.
        """
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
                repriced = True
            else:
                repriced = sp.counter_price_fen != counter_price_fen or bool(
                    evidence and evidence != sp.counter_price_evidence)
                sp.counter_price_fen, sp.stock = counter_price_fen, stock
                if evidence:
                    sp.counter_price_evidence = evidence
            if repriced:
                record_price(s, store_id=self._store_scope(), product_id=product_id,
                             counter_price_fen=counter_price_fen, evidence=sp.counter_price_evidence)
            s.flush()
            self._audit(s, "store_price_set", "product", product_id,
                        counter_price_fen=counter_price_fen, stock=stock)
            notices = BroadcastService(self._db, self._actor).unready_holding(s, product_id)
        row = self.product(product_id)
        return replace(row, notices=notices) if notices else row

    def _store_product(self, s: Session, product_id: UUID) -> StoreProduct | None:
        return s.scalar(select(StoreProduct).where(
            StoreProduct.store_id == self._store_scope(), StoreProduct.product_id == product_id))

    def _rows_query(self):  # type: ignore[no-untyped-def]
        # Columns, not Product objects: a search builds 200 rows per key press, and the ORM's
        # identity map took most of its time.
        return (
            select(Product.id, Product.sku, Product.name, Product.brand, Product.category, Product.spec,
                   Product.barcode, Product.after_sales_policy,
                   StoreProduct.counter_price_fen, StoreProduct.stock, quality_papers_count())
            .outerjoin(StoreProduct, (StoreProduct.product_id == Product.id)
                       & (StoreProduct.store_id == self._store_scope()))
        )

    @cached_property
    def _rows_in_order(self):  # type: ignore[no-untyped-def]
        # Built once and given the ids as one JSON parameter, in their order: building the
        # statement, or rendering an IN of 200 values, at every key press was a third of a search.
        order = func.json_each(bindparam("ids", type_=String)).table_valued("key", "value")
        return (self._rows_query().join(order, order.c.value == Product.id)
                .where(Product.deleted_at.is_(None)).order_by(order.c.key))

    @staticmethod
    def _row(product_id: UUID, sku: str, name: str, brand: str, category: str, spec: str, barcode: str,
             after_sales_policy: str, price: int | None, stock: int | None, papers: int) -> ProductRow:
        return ProductRow(
            id=product_id, sku=sku, name=name, brand=brand, category=category, spec=spec,
            counter_price_fen=price, stock=stock, quality_document_count=papers or 0,
            has_after_sales_policy=has_after_sales_policy(after_sales_policy), barcode=barcode,
        )
