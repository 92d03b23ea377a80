"""One product in full for the Products screen, and what this console and person may change in the catalog."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from console.domain.enums import QualityDocumentKind
from console.domain.errors import NotFound
from console.domain.permissions import Actor
from console.domain.values import QualityPaper
from console.services.base import write_setting
from console.services.catalog import CatalogService
from console.services.catalog_detail import CatalogDetailService
from console.services.sync import SERVER_URL_SETTING
from console.storage.db import Database
from console.storage.ids import new_id
from console.storage.models import Product, QualityDocument
from console.storage.outbox import tombstone

TODAY = date(2026, 11, 27)


def _product(db: Database, **fields: object) -> Product:
    with db.begin() as s:
        product = Product(sku=f"SKU-{new_id().hex[:8]}", barcode="6901234567892", name="格力云佳空调", brand="格力",
                          category="家电", spec="1.5匹", origin="珠海", after_sales_policy="7天无理由退货", **fields)
        s.add(product)
    return product


def test_the_detail_holds_papers_soonest_to_expire_first_pictures_and_the_store_evidence(
        db: Database, manager_actor: Actor, data_dir: Path) -> None:
    product = _product(db, image_refs=["front.jpg", "sub/side.png", "../../etc/passwd", "/abs.png", ""])
    with db.begin() as s:
        for number, until in (("LATE", TODAY + timedelta(days=400)), ("NONE", None), ("SOON", TODAY)):
            s.add(QualityDocument(product_id=product.id, kind=QualityDocumentKind.CCC_CERTIFICATE, number=number,
                                  issuer="中国质量认证中心", valid_until=until))
        gone = QualityDocument(product_id=product.id, kind=QualityDocumentKind.INSPECTION_REPORT, number="GONE")
        s.add(gone)
        s.flush()
        tombstone(gone)
    CatalogService(db, manager_actor).set_store_price(product.id, counter_price_fen=329900, stock=8,
                                                      evidence="价签照片 2026-11")

    detail = CatalogDetailService(db, manager_actor).product_detail(product.id)

    assert (detail.row.sku, detail.row.barcode, detail.barcode) == (product.sku, "6901234567892", "6901234567892")
    assert (detail.row.counter_price_fen, detail.row.stock) == (329900, 8)
    assert detail.counter_price_evidence == "价签照片 2026-11"
    assert [p.number for p in detail.papers] == ["SOON", "LATE", "NONE"]
    assert detail.row.quality_document_count == 3 and detail.row.may_go_on_air
    media = data_dir / "media"
    assert [(i.name, i.path) for i in detail.images] == [
        ("front.jpg", media / "front.jpg"), ("sub/side.png", media / "sub" / "side.png"),
        ("../../etc/passwd", None), ("/abs.png", None), ("", None)]
    assert not detail.withdrawn and detail.origin == "珠海" and detail.after_sales_policy == "7天无理由退货"


def test_a_withdrawn_product_still_shows_and_says_so(db: Database, manager_actor: Actor) -> None:
    product = _product(db)
    with db.begin() as s:
        tombstone(s.get_one(Product, product.id))
    assert CatalogDetailService(db, manager_actor).product_detail(product.id).withdrawn


def test_an_unknown_product_is_not_found(db: Database, manager_actor: Actor) -> None:
    with pytest.raises(NotFound):
        CatalogDetailService(db, manager_actor).product_detail(new_id())


def test_papers_expire_after_their_last_day_and_expire_soon_within_thirty_days() -> None:
    def paper(until: date | None) -> QualityPaper:
        return QualityPaper(new_id(), QualityDocumentKind.FOOD_LICENSE, "SC1", "", until, "")

    assert not paper(TODAY).expired(TODAY) and paper(TODAY).expiring_soon(TODAY)
    assert paper(TODAY - timedelta(days=1)).expired(TODAY)
    assert not paper(TODAY - timedelta(days=1)).expiring_soon(TODAY)
    assert paper(TODAY + timedelta(days=30)).expiring_soon(TODAY)
    assert not paper(TODAY + timedelta(days=31)).expiring_soon(TODAY)
    assert not paper(None).expired(TODAY) and not paper(None).expiring_soon(TODAY)


def test_access_follows_enrolment_and_the_persons_rights(db: Database, manager_actor: Actor,
                                                         anchor_actor: Actor) -> None:
    local = CatalogDetailService(db, manager_actor).access()
    assert (local.from_head_office, local.may_import, local.may_edit_store_prices) == (False, True, True)
    anchor = CatalogDetailService(db, anchor_actor).access()
    assert (anchor.may_import, anchor.may_edit_store_prices) == (False, False)
    with db.begin() as s:
        write_setting(s, SERVER_URL_SETTING, "https://ho.example.cn")
    enrolled = CatalogDetailService(db, manager_actor).access()
    # Head office's products, the store's own stock and prices (an import may still set those).
    assert (enrolled.from_head_office, enrolled.may_import, enrolled.may_edit_store_prices) == (True, True, True)
