"""Fills a head-office database with the demo store group, one console demo store per store code.

Each store is built by the console's own generator (``console.demo.build_demo``)
in a scratch folder, with its own seed, and read back as wire rows: the first
build supplies the group's stores, catalog and rule pack; every build supplies
one store's roster, rooms, shifts, broadcasts, queues and scripts. Product
SKUs are the same in every build, so each store's rows are pointed at the
first build's products by SKU. The past shows' on-air events and metric
snapshots come too, so that head office's reports and dashboard have figures on
a fresh machine; audit entries and price history are left out (a console pushes
its own).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from console import demo as console_demo
from console.headoffice import admin
from console.headoffice.errors import AdminError
from console.headoffice.models import Store as HeadOfficeStore
from console.headoffice.sync import write_rows
from console.i18n import msg
from console.storage.db import open_database
from console.storage.models import MODEL_BY_TABLE, OWNER_HEAD_OFFICE, OWNER_STORE, Base
from console.storage.outbox import row_payload

CATALOG_TABLES = ("rule_pack", "product", "quality_document")
# Append-only tables the demo brings along: what the reports count.
SHOW_RECORD_TABLES = ("onair_event", "metric_snapshot")
_WRITE_CHUNK = 2000


def _parents_first() -> list[str]:
    # The console's own FK order, so a console applying rows in version order meets parents first.
    return [t.name for t in Base.metadata.sorted_tables if t.name in MODEL_BY_TABLE]


def _short_name(store_name: str) -> str:
    # "锦华百货杭州武林店" -> "杭州武林店", as the generator's account names use it.
    return store_name.removeprefix(console_demo.GROUP_NAME.removesuffix("集团"))


def _read_store(data_dir: Path) -> dict[str, list[dict[str, Any]]]:
    database = open_database(data_dir, create=False)
    try:
        with database.begin() as session:
            return {
                table: [row_payload(row) for row in session.scalars(select(model))]
                for table, model in MODEL_BY_TABLE.items()
                if model.owner in (OWNER_STORE, OWNER_HEAD_OFFICE) or table in SHOW_RECORD_TABLES
            }
    finally:
        database.close()


def fill(sessions: sessionmaker[Session], *, seed: int = console_demo.DEFAULT_SEED,
         now: datetime | None = None) -> list[admin.StoreInfo]:
    """Add the five demo stores with their data; refuses a database that already has any of them."""
    codes = [code for code, _, _ in console_demo.GROUP_STORES]
    with sessions.begin() as session:
        taken = session.scalars(select(HeadOfficeStore.code).where(HeadOfficeStore.code.in_(codes))).all()
    if taken:
        raise AdminError(msg("headoffice_admin.demo_taken",
                             "The database already holds demo store {code}; use an empty database.", code=taken[0]))
    now = now or datetime.now(UTC)
    order = _parents_first()
    with tempfile.TemporaryDirectory(prefix="anchor-headoffice-demo-") as scratch:
        builds = []
        for index, code in enumerate(codes):
            folder = Path(scratch) / code
            console_demo.build_demo(folder, seed=seed + index, now=now)
            builds.append(_read_store(folder))
    group = builds[0]
    stores = {row["code"]: row for row in group["store"]}
    product_by_sku = {row["sku"]: row["id"] for row in group["product"]}
    added = []
    with sessions.begin() as session:
        for code in codes:
            row = stores[code]
            added.append(admin.add_store(session, code, row["name"], row=row))
        for table in (t for t in order if t in CATALOG_TABLES):
            _write_chunked(session, table, group[table], store_id=None)
    for info, build in zip(added, builds, strict=True):
        with sessions.begin() as session:
            _fill_store(session, info, build, product_by_sku, order)
    return added


def _fill_store(session: Session, store: admin.StoreInfo, build: dict[str, list[dict[str, Any]]],
                product_by_sku: dict[str, str], order: list[str]) -> None:
    home = console_demo.GROUP_STORES[0]
    built_store = next(r["id"] for r in build["store"] if r["code"] == home[0])
    group_product = {row["id"]: product_by_sku.get(row["sku"]) for row in build["product"]}
    # The generator always builds the group's first store; its names are rewritten for this one.
    renames = ((home[0].lower(), store.code.lower()), (_short_name(home[1]), _short_name(store.name)))
    for table in order:
        if MODEL_BY_TABLE[table].owner != OWNER_STORE and table not in SHOW_RECORD_TABLES:
            continue
        rows = []
        for row in build.get(table, ()):
            if "store_id" not in row or row["store_id"] != built_store:
                continue  # head-office users of the console demo are not store data
            row = {**row, "store_id": str(store.id)}
            if row.get("product_id") is not None:
                row["product_id"] = group_product.get(row["product_id"])
                if row["product_id"] is None:
                    continue
            if table == "platform_account":
                for old, new in renames:
                    row["handle"] = row["handle"].replace(old, new)
                    row["display_name"] = row["display_name"].replace(old, new)
            rows.append(row)
        _write_chunked(session, table, rows, store_id=store.id)


def _write_chunked(session: Session, table: str, rows: list[dict[str, Any]], *, store_id: UUID | None) -> None:
    for start in range(0, len(rows), _WRITE_CHUNK):
        write_rows(session, table, rows[start:start + _WRITE_CHUNK], store_id=store_id)
