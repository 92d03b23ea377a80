"""A store's price history and product sets reach head office and the store's other console.

The price history is the store's evidence for the 7-day reference price rule:
it must survive the console that wrote it, so it goes up like every other
store row and comes down to a second console, where the gate reads the same
lowest price. Product sets (the queue editor's reusable lists) travel the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import select

from console.domain.enums import AuditVia
from console.headoffice.models import SyncedRow, store_scope
from console.headoffice.sync import write_rows
from console.services.auth import AuthService
from console.services.catalog import CatalogService
from console.services.prices import PriceService
from console.storage.models import ProductSet
from tests.headoffice.helpers import LiveService, full_row
from tests.sync.conftest import Console, ConsoleFactory, store_id_of


def _prices(console: Console) -> PriceService:
    return PriceService(console.db, AuthService(console.db).actor_for_login(None, via=AuditVia.CLI))


def _server_rows(service: LiveService, store_id: UUID, table: str) -> list[dict[str, object]]:
    with service.sessions().begin() as session:
        return [r.data for r in session.scalars(select(SyncedRow).where(
            SyncedRow.scope_key == store_scope(store_id), SyncedRow.table_name == table,
            SyncedRow.deleted.is_(False)))]


def test_price_history_and_product_sets_reach_head_office_and_another_console(
        any_service: LiveService, make_console: ConsoleFactory) -> None:
    any_service.add_store("SH01")
    product = full_row("product", {"sku": "P1", "name": "羊绒大衣", "brand": "锦华", "category": "服装",
                                   "after_sales_policy": "7天无理由退货"})
    with any_service.sessions().begin() as session:
        write_rows(session, "product", [product])
    product_id = UUID(product["id"])
    a, b = make_console(any_service, "SH01"), make_console(any_service, "SH01")
    store_id = store_id_of(any_service, "SH01")

    catalog = CatalogService(a.db, AuthService(a.db).actor_for_login(None, via=AuditVia.CLI))
    catalog.set_store_price(product_id, counter_price_fen=129_900, stock=5, evidence="price tag photo")
    catalog.set_store_price(product_id, counter_price_fen=99_900, stock=5)
    catalog.set_store_price(product_id, counter_price_fen=129_900, stock=5)
    with a.db.begin() as s:
        s.add(ProductSet(store_id=store_id, name="冬季大衣", product_ids=[str(product_id)]))

    assert a.sync().clean
    assert b.sync().clean

    history = _prices(a).price_history(product_id)
    assert [p.counter_price_fen for p in history] == [129_900, 99_900, 129_900]
    up = _server_rows(any_service, store_id, "price_history")
    assert sorted(r["counter_price_fen"] for r in up) == [99_900, 129_900, 129_900]
    assert {r["product_id"] for r in up} == {str(product_id)}
    assert [r["name"] for r in _server_rows(any_service, store_id, "product_set")] == ["冬季大衣"]

    # The other console holds the same history, times and all, and judges the same lowest price.
    assert _prices(b).price_history(product_id) == history
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert _prices(b).lowest_counter_price(product_id, tomorrow) == _prices(a).lowest_counter_price(
        product_id, tomorrow) == 99_900
    with b.db.begin() as s:
        sets = s.scalars(select(ProductSet)).all()
        assert [(p.name, p.product_ids) for p in sets] == [("冬季大衣", [str(product_id)])]
    assert b.outbox() == []
