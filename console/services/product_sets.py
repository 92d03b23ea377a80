"""Product sets: a store's reusable product lists (up to 100), to fill a queue in one go.

Each edit is one transaction and has an inverse call: ``rename_set`` back to
the old name, ``set_products`` back to the old list, ``restore_set`` after
``delete_set``. A deleted set is a tombstone that still holds its name in the
``(store_id, name)`` constraint, so a new set of that name first moves the
tombstone's name aside (``restore_set`` moves it back when it is free).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.errors import NotFound, ValidationError
from console.domain.permissions import Permission
from console.domain.values import ProductSetRow
from console.i18n import msg
from console.services.base import Service
from console.services.limits import check_length, column_length
from console.storage.ids import aside_suffix, set_aside
from console.storage.models import Product, ProductSet
from console.storage.outbox import tombstone

MAX_SET_PRODUCTS = 100
SET_NAME_LENGTH = column_length(ProductSet.name)

SET_NAME_WORDS = msg("product_sets.name_field", "set's name")


def unique_ids(ids: Iterable[UUID]) -> list[UUID]:
    """The ids once each, in their first order."""
    return list(dict.fromkeys(ids))


def _original_name(row: ProductSet) -> str:
    """A deleted set's name before a live set took it (its own name when none did)."""
    suffix = aside_suffix(row.id)
    return row.name[:-len(suffix)] if row.name.endswith(suffix) else row.name


def set_row(row: ProductSet) -> ProductSetRow:
    return ProductSetRow(id=row.id, name=row.name, product_ids=tuple(UUID(p) for p in row.product_ids),
                         updated_at=row.updated_at)


class ProductSets(Service):
    """The set half of :class:`~console.services.queue.QueueService`."""

    def product_sets(self) -> list[ProductSetRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            rows = s.scalars(select(ProductSet).where(ProductSet.store_id == self._store_scope(),
                                                      ProductSet.deleted_at.is_(None)))
            return sorted((set_row(r) for r in rows), key=lambda r: (r.name.casefold(), r.name))

    def product_set(self, set_id: UUID) -> ProductSetRow:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return set_row(self._live_set(s, set_id))

    def create_set(self, name: str, product_ids: Sequence[UUID]) -> ProductSetRow:
        """A new set of these products, in this order (each once)."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        with self._db.begin() as s:
            return self._create_set(s, name, product_ids)

    def rename_set(self, set_id: UUID, name: str) -> ProductSetRow:
        self._actor.require(Permission.PLAN_BROADCASTS)
        with self._db.begin() as s:
            row = self._live_set(s, set_id)
            name = self._free_name(s, name, keep=row.id)
            if name != row.name:
                row.name = name
                s.flush()
                self._audit(s, "product_set_renamed", "product_set", row.id, name=name)
            return set_row(row)

    def set_products(self, set_id: UUID, product_ids: Sequence[UUID]) -> ProductSetRow:
        """Replace the set's products (its undo is the same call with the old list)."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        with self._db.begin() as s:
            row = self._live_set(s, set_id)
            row.product_ids = [str(p) for p in self._set_products(s, product_ids)]
            s.flush()
            self._audit(s, "product_set_changed", "product_set", row.id, products=len(row.product_ids))
            return set_row(row)

    def delete_set(self, set_id: UUID) -> ProductSetRow:
        """Delete a set; the row returned is what it was (``restore_set(row.id)`` brings it back)."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        with self._db.begin() as s:
            row = self._live_set(s, set_id)
            before = set_row(row)
            tombstone(row)
            s.flush()
            self._audit(s, "product_set_deleted", "product_set", row.id)
            return before

    def restore_set(self, set_id: UUID) -> ProductSetRow:
        """Undo of :meth:`delete_set`: the same set back, under its name if no live set has taken it."""
        self._actor.require(Permission.PLAN_BROADCASTS)
        with self._db.begin() as s:
            row = s.get(ProductSet, set_id)
            if row is None or row.store_id != self._store_scope():
                raise NotFound(msg("product_sets.no_such_set", "That product set does not exist in this store."))
            if row.deleted_at is None:
                raise ValidationError(msg("product_sets.not_deleted", "The set '{name}' is not deleted.",
                                          name=row.name))
            name = _original_name(row)
            if self._name_holder(s, name) not in (None, row):
                raise ValidationError(msg("product_sets.name_taken_restore",
                                          "Another set is now called '{name}'; rename it, then undo again.",
                                          name=name))
            row.deleted_at, row.name = None, name
            s.flush()
            self._audit(s, "product_set_restored", "product_set", row.id)
            return set_row(row)

    # --- inside a unit of work ------------------------------------------------------------

    def _create_set(self, s: Session, name: str, product_ids: Sequence[UUID]) -> ProductSetRow:
        name = self._free_name(s, name)
        products = self._set_products(s, product_ids)
        row = ProductSet(store_id=self._store_scope(), name=name, product_ids=[str(p) for p in products])
        s.add(row)
        s.flush()
        self._audit(s, "product_set_created", "product_set", row.id, name=name, products=len(products))
        return set_row(row)

    def _live_set(self, s: Session, set_id: UUID) -> ProductSet:
        row = s.get(ProductSet, set_id)
        if row is None or row.deleted_at is not None or row.store_id != self._store_scope():
            raise NotFound(msg("product_sets.no_such_set", "That product set does not exist in this store."))
        return row

    def _name_holder(self, s: Session, name: str) -> ProductSet | None:
        """The live set whose name is ``name`` (compared without case), if any."""
        wanted = name.casefold()
        return next((r for r in s.scalars(select(ProductSet).where(
            ProductSet.store_id == self._store_scope(), ProductSet.deleted_at.is_(None)))
            if r.name.casefold() == wanted), None)

    def _free_name(self, s: Session, name: str, *, keep: UUID | None = None) -> str:
        """The tidied name, refused if a live set has it; a deleted set holding it exactly moves aside."""
        name = " ".join(name.split())
        if not name:
            raise ValidationError(msg("product_sets.name_empty", "Give the set a name."))
        check_length(SET_NAME_WORDS, name, SET_NAME_LENGTH)
        holder = self._name_holder(s, name)
        if holder is not None and holder.id != keep:
            raise ValidationError(msg("product_sets.name_taken", "There is already a set called '{name}'.",
                                      name=holder.name))
        deleted = s.scalar(select(ProductSet).where(ProductSet.store_id == self._store_scope(),
                                                    ProductSet.name == name, ProductSet.deleted_at.is_not(None)))
        if deleted is not None:
            deleted.name = set_aside(name, deleted.id, SET_NAME_LENGTH)
            s.flush()
        return name

    def _set_products(self, s: Session, product_ids: Sequence[UUID]) -> list[UUID]:
        ids = unique_ids(product_ids)
        if not ids:
            raise ValidationError(msg("product_sets.empty", "A set needs at least one product."))
        if len(ids) > MAX_SET_PRODUCTS:
            raise ValidationError(msg("product_sets.too_many",
                                      "A set holds at most {limit} products; this one would have {count}.",
                                      limit=MAX_SET_PRODUCTS, count=len(ids)))
        found = {p.id: p for p in s.scalars(select(Product).where(Product.id.in_(ids)))}
        missing = [p for p in ids if p not in found]
        if missing:
            raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
        withdrawn = [found[p].name for p in ids if found[p].deleted_at is not None]
        if withdrawn:
            raise ValidationError(msg("product_sets.withdrawn",
                                      "Head office has withdrawn {products}; leave them out of the set.",
                                      products=tuple(withdrawn)))
        return ids
