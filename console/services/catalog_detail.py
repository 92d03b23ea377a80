"""One product in full for the Products screen: its papers, pictures and store prices; and what this console may change.

Apart from :mod:`console.services.catalog` (search and the store's prices) so
that the screen's reads grow here without crowding the catalog's writes. The
list row comes from :meth:`CatalogService.product`, the one home of how a
product row and its on-air gate are read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from uuid import UUID

from sqlalchemy import select

from console.domain.enums import Role
from console.domain.errors import NotFound, ValidationError
from console.domain.permissions import Permission
from console.domain.values import CatalogAccess, ProductDetail, ProductImage, QualityPaper
from console.i18n import msg
from console.services.base import Service, read_setting
from console.services.catalog import CatalogService
from console.services.sync import SERVER_URL_SETTING
from console.storage.models import Product, QualityDocument, StoreProduct

MEDIA_DIRNAME = "media"
MAX_IMAGE_BYTES = 20 * 2**20            # a product photo; beyond it, a scan of a poster or a video
MAX_IMAGES = 12
# What Qt shows on every platform without plug-ins, by the name Pillow gives the format.
IMAGE_SUFFIXES = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp", "GIF": ".gif", "BMP": ".bmp"}


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
        from_head_office = enrolled and self._actor.role is not Role.HEAD_OFFICE
        return CatalogAccess(
            from_head_office=from_head_office,
            may_import=may_edit_store_prices,
            may_edit_store_prices=may_edit_store_prices,
            may_edit_catalog=not from_head_office and self._actor.may(Permission.EDIT_CATALOG),
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

    def product_id_for_sku(self, sku: str) -> UUID:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            found = s.scalar(select(Product.id).where(Product.sku == sku.strip(), Product.deleted_at.is_(None)))
        if found is None:
            raise NotFound(msg("catalog_detail.no_such_sku", "No product in the catalog has the SKU {sku}.",
                               sku=sku.strip()))
        return found

    def add_image(self, product_id: UUID, path: Path | str) -> ProductDetail:
        """Keep a copy of a picture file in ``media/`` and add it to the product's pictures.

        The file must be a picture (PNG, JPEG, WebP, GIF or BMP) that decodes
        whole; it is stored under its content's hash, so adding the same
        picture twice keeps one file. Catalog edits only: once enrolled, head
        office's catalog carries the pictures.
        """
        CatalogService(self._db, self._actor).ensure_catalog_editable()
        source = Path(path)
        suffix = _checked_image(source)
        with self._db.begin() as s:
            product = s.get(Product, product_id)
            if product is None or product.deleted_at is not None:
                raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
            held = list(product.image_refs or ())
            if len(held) >= MAX_IMAGES:
                raise ValidationError(msg("catalog_detail.too_many_images",
                                          "A product has at most {limit} pictures; remove one first.",
                                          limit=MAX_IMAGES))
            name = _content_name(source, suffix)
            if name not in held:
                self._store_file(source, name)
                product.image_refs = [*held, name]
        return self.product_detail(product_id)

    def remove_image(self, product_id: UUID, name: str) -> ProductDetail:
        """Take a picture off the product (its file stays in ``media/``: another product may show it)."""
        CatalogService(self._db, self._actor).ensure_catalog_editable()
        with self._db.begin() as s:
            product = s.get(Product, product_id)
            if product is None or product.deleted_at is not None:
                raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
            product.image_refs = [n for n in product.image_refs or () if n != name]
        return self.product_detail(product_id)

    def _store_file(self, source: Path, name: str) -> None:
        target = self.media_dir / name
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copied to a temporary name and renamed: a crash never leaves half a picture under the real name.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".adding-", suffix=target.suffix)
        os.close(handle)
        try:
            shutil.copyfile(source, temporary)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

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


def _checked_image(path: Path) -> str:
    """The suffix the picture is stored under; refuses what is not a whole picture, naming the file."""
    # Imported here: Pillow is needed only when someone adds a picture.
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise ValidationError(msg("catalog_detail.no_image_file", "{file}: there is no such file.", file=path.name))
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise ValidationError(msg("catalog_detail.image_too_large",
                                  "{file} is larger than {limit} MB; save the picture smaller and add it again.",
                                  file=path.name, limit=MAX_IMAGE_BYTES // 2**20))
    try:
        with Image.open(path) as image:
            kind = image.format or ""
            image.verify()
        # verify() reads the structure only; decoding it (at a small size where the format allows)
        # finds a file cut short too.
        with Image.open(path) as image:
            image.draft("RGB", (512, 512))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(msg("catalog_detail.not_an_image",
                                  "{file} is not a picture, or it is damaged; add a PNG, JPEG, WebP, GIF or BMP "
                                  "file.", file=path.name)) from None
    if kind not in IMAGE_SUFFIXES:
        raise ValidationError(msg("catalog_detail.image_format",
                                  "{file} is a {format} picture, which the console cannot show; save it as PNG or "
                                  "JPEG and add it again.", file=path.name, format=kind))
    return IMAGE_SUFFIXES[kind]


def _content_name(path: Path, suffix: str) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()[:32] + suffix
