"""Restore: a replacement PC enrolled for the same store and synced once has the store's data back.

Console A is the demo store, enrolled with --upload into a store head office
created empty (head office's catalog has the same SKUs under its own ids, as
``anchor-headoffice demo`` builds it); console B is a fresh folder enrolled
with a new code. Roster exports and catalog listings must be equal.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from console.demo import DemoReport, build_demo
from console.domain.enums import AuditVia
from console.headoffice.sync import write_rows
from console.services.auth import AuthService
from console.services.catalog import CatalogService
from console.services.roster import RosterService
from console.services.roster_io import export_csv
from console.storage.db import Database, open_database
from console.storage.ids import new_id
from console.storage.models import (
    MetricSnapshot,
    OnAirEvent,
    Outbox,
    Product,
    QualityDocument,
    RulePack,
    Store,
)
from console.storage.outbox import row_payload
from console.sync import local
from console.sync.client import MODE_CLEAN, MODE_UPLOAD, EnrollmentRefused, SyncClient
from console.sync.tokens import TokenStore
from tests.headoffice.helpers import LiveService
from tests.sync.conftest import ConsoleFactory, store_id_of

EVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    return build_demo(tmp_path_factory.mktemp("sync-demo") / "store", scale="small")


def _head_office_catalog(db: Database) -> dict[str, list[dict[str, Any]]]:
    """The demo's catalog as another build would have it: same SKUs, head office's own ids."""
    with db.begin() as s:
        products = [row_payload(p) for p in s.scalars(select(Product))]
        papers = [row_payload(d) for d in s.scalars(select(QualityDocument))]
        packs = [row_payload(r) for r in s.scalars(select(RulePack))]
        home = s.scalars(select(Store).where(Store.code == "JH01")).one()
        store = {**row_payload(home), "id": str(new_id())}
    new_ids = {p["id"]: str(new_id()) for p in products}
    return {
        "store": [store],
        "rule_pack": [{**r, "id": str(new_id())} for r in packs],
        "product": [{**p, "id": new_ids[p["id"]]} for p in products],
        "quality_document": [{**d, "id": str(new_id()), "product_id": new_ids[d["product_id"]]} for d in papers],
    }


def _exports(db: Database) -> tuple[str, list[Any]]:
    actor = AuthService(db).actor_for_login(None, via=AuditVia.CLI)
    roster = export_csv(RosterService(db, actor).shifts_between(*EVER), "Asia/Shanghai")
    catalog = CatalogService(db, actor).search("", limit=1_000_000)
    return roster, catalog


def test_a_replacement_console_gets_the_store_back(service: LiveService, make_console: ConsoleFactory,
                                                   demo_template: DemoReport, tmp_path: Path) -> None:
    folder_a = tmp_path / "old-pc"
    shutil.copytree(demo_template.data_dir, folder_a)
    seed = open_database(folder_a)
    catalog = _head_office_catalog(seed)
    with seed.begin() as s:
        # 87,000 on-air events and metric snapshots would only slow this test down: they are
        # append-only inserts like any other, and neither export looks at them.
        s.execute(delete(MetricSnapshot))
        s.execute(delete(OnAirEvent))
    seed.close()
    with service.sessions().begin() as session:
        from console.headoffice import admin

        store = catalog.pop("store")[0]
        admin.add_store(session, "JH01", store["name"], row=store)
        for table in ("rule_pack", "product", "quality_document"):
            write_rows(session, table, catalog[table])

    a = make_console(service, "JH01", mode=MODE_UPLOAD, data_dir=folder_a)
    roster_a, catalog_a = _exports(a.db)
    b = make_console(service, "JH01", mode=MODE_CLEAN)
    roster_b, catalog_b = _exports(b.db)

    assert roster_a.count("\n") > 100
    assert roster_b == roster_a
    assert len(catalog_a) == 800 and any(row.counter_price_fen for row in catalog_a)
    assert catalog_b == catalog_a
    with a.db.begin() as s:
        assert s.scalar(select(Outbox.seq)) is None
        assert s.get(Store, store_id_of(service, "JH01")) is not None
    # Uploading again (a resumed enrollment) sends nothing twice.
    assert asyncio.run(a.client.sync_once()).pushed == 0


def test_upload_is_refused_when_head_office_holds_other_data_for_the_store(
        service: LiveService, make_console: ConsoleFactory, demo_template: DemoReport, tmp_path: Path) -> None:
    from console.domain.enums import Affiliation
    from console.storage.models import Anchor

    service.add_store("JH01")
    other = make_console(service, "JH01")
    with other.db.begin() as s:
        s.add(Anchor(store_id=store_id_of(service, "JH01"), code="X1", name="别人", affiliation=Affiliation.GUEST))
    assert other.sync().clean
    folder = tmp_path / "demo"
    shutil.copytree(demo_template.data_dir, folder)

    db = open_database(folder)
    client = SyncClient(db, service.base_url, TokenStore(folder))
    code = service.enrollment_code("JH01")
    try:
        with pytest.raises(EnrollmentRefused) as refused:
            asyncio.run(client.enroll(code, mode=MODE_UPLOAD))
        assert "did not come from this console" in str(refused.value)
        assert "not spent" in str(refused.value)
        assert local.has_own_data(db) and local.pending_count(db) == 0
        assert local.enrollment(db).server_url == "" and TokenStore(folder).load() is None
        with db.begin() as s:
            assert s.scalars(select(Anchor).where(Anchor.code == "X1")).first() is None
        # The refused upload did not spend the code: starting clean with it works.
        result = asyncio.run(client.enroll(code, mode=MODE_CLEAN))
        assert result.report.clean, result.report
        with db.begin() as s:
            assert s.scalars(select(Anchor).where(Anchor.code == "X1")).first() is not None
    finally:
        client.close()
        db.close()
