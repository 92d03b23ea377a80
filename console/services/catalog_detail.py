"""One product in full for the Products screen: its papers, pictures and store prices; and what this console may change.

Apart from :mod:`console.services.catalog` (search and the store's prices) so
that the screen's reads grow here without crowding the catalog's writes. The
list row comes from :meth:`CatalogService.product`, the one home of how a
product row and its on-air gate are read.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath
from uuid import UUID

from sqlalchemy import select

from console.domain.enums import Role
from console.domain.errors import NotFound
from console.domain.permissions import Permission
from console.domain.values import CatalogAccess, ProductDetail, ProductImage, QualityPaper
from console.i18n import msg
from console.services.base import Service, read_setting
from console.services.catalog import CatalogService
from console.services.sync import SERVER_URL_SETTING
from console.storage.models import Product, QualityDocument, StoreProduct

MEDIA_DIRNAME = "media"


class CatalogDetailService(Service):
    @property
    def media_dir(self) -> Path:
        """Where ``Product.image_refs`` point: the data folder's ``media/``."""
        return self._db.path.parent / MEDIA_DIRNAME

    def access(self) -> CatalogAccess:
        """Whether the catalog is head office's here, and what this person may change in it."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            enrolled = bool(read_setting(s, SERVER_URL_SETTING))
        # Mirrors CatalogService.ensure_catalog_editable and CatalogFileService.import_file, which have
        # the last word: once enrolled, an import may still set the store's own stock and prices.
        may_edit_store_prices = self._actor.may(Permission.EDIT_STORE_PRICES)
        return CatalogAccess(
            from_head_office=enrolled and self._actor.role is not Role.HEAD_OFFICE,
            may_import=may_edit_store_prices,
            may_edit_store_prices=may_edit_store_prices,
        )

    def product_detail(self, product_id: UUID) -> ProductDetail:
        self._actor.require(Permission.VIEW_STORE)
        row = CatalogService(self._db, self._actor).product(product_id)
        with self._db.begin() as s:
            product = s.get(Product, product_id)
            if product is None:
                raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
            evidence = s.scalar(select(StoreProduct.counter_price_evidence).where(
                StoreProduct.store_id == self._store_scope(), StoreProduct.product_id == product_id))
            papers = s.scalars(
                select(QualityDocument)
                .where(QualityDocument.product_id == product_id, QualityDocument.deleted_at.is_(None))
                .order_by(QualityDocument.valid_until.is_(None), QualityDocument.valid_until,
                          QualityDocument.number))
            return ProductDetail(
                row=dataclasses.replace(row, barcode=product.barcode),
                barcode=product.barcode, origin=product.origin, unit=product.unit,
                after_sales_policy=product.after_sales_policy,
                counter_price_evidence=evidence or "",
                papers=tuple(_paper(d) for d in papers),
                images=tuple(self._image(name) for name in product.image_refs or ()),
                withdrawn=product.deleted_at is not None,
            )

    def _image(self, name: str) -> ProductImage:
        """Where a picture's file should be; None for a name that would leave ``media/``."""
        media = self.media_dir
        relative = PurePosixPath(str(name).replace("\\", "/"))
        if not str(name).strip() or relative.is_absolute() or ".." in relative.parts:
            return ProductImage(name=str(name), path=None)
        return ProductImage(name=str(name), path=media.joinpath(*relative.parts))


def _paper(d: QualityDocument) -> QualityPaper:
    return QualityPaper(id=d.id, kind=d.kind, number=d.number, issuer=d.issuer,
                        valid_until=d.valid_until, file_ref=d.file_ref)
