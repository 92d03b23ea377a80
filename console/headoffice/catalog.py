"""Head office's catalog from a spreadsheet: the stores' reader, written the way the staff API writes products.

``anchor-headoffice catalog import`` reads a file with the console's own
:class:`~console.services.catalog_file.CatalogReader` (the same files, the
same problems, the same summary) and plans each row against the catalog
scope's products by SKU: a new SKU adds a product, a known one gets what the
row changes, a withdrawn one comes back. Products are written by
:func:`staff.put_products`, as ``PUT /v1/staff/catalog/products`` writes
them (SKUs checked under the catalog lock, the pinyin key set), and new
quality document numbers by :func:`sync.write_rows`; each row gets a new
catalog version, so every console has it after its next sync. Everything is
in the caller's transaction: one problem and nothing is written.

A store's counter prices and stock are the store's: head office does not
read those columns. A withdrawn product is a tombstone: it leaves every
store's search, and a queue holding it fails the ready-gate.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.domain.enums import BroadcastStatus
from console.headoffice import staff
from console.headoffice.errors import AdminError
from console.headoffice.models import CATALOG_SCOPE, HEAD_OFFICE_AUTHOR, ScopeCounter, SyncedRow
from console.headoffice.sync import lock_scope, write_rows
from console.i18n import msg
from console.services.catalog_file import (
    PREVIEW_LIMIT,
    PRODUCT_TEXT_COLUMNS,
    CatalogImportResult,
    CatalogReader,
    CatalogRejected,
    CatalogRow,
    PlannedUpdate,
    Problems,
    csv_bytes,
    name_missing,
    xlsx_bytes,
)
from console.services.catalog_values import paper_kind
from console.storage.ids import new_id
from console.storage.models import MODEL_BY_TABLE
from console.storage.outbox import to_wire
from console.storage.types import utcnow

# What head office owns of a catalog row: everything but the store's price and stock.
COLUMNS: tuple[str, ...] = ("sku", "name", "brand", "category", "spec", "barcode", "quality_doc", "after_sales")
CHUNK = 5000
_FIELD = {"name": "name", "brand": "brand", "category": "category", "spec": "spec", "barcode": "barcode",
          "after_sales": "after_sales_policy"}


def new_row(table: str, values: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A whole row of the console's ``table`` as the wire carries it: the values given, else its defaults."""
    row: dict[str, Any] = {"id": str(new_id()), "created_at": now.isoformat(), "updated_at": now.isoformat(),
                           "row_version": 1, "deleted_at": None}
    for column in MODEL_BY_TABLE[table].__table__.columns:
        key = column.key
        if key in values:
            row[key] = to_wire(values[key])
        elif key in row:
            continue
        elif column.default is not None and column.default.is_scalar:
            row[key] = to_wire(column.default.arg)
        elif column.default is not None and column.default.is_callable:
            row[key] = to_wire(column.default.arg({}))
        else:
            row[key] = None
    return row


@dataclass
class _Catalog:
    """The catalog scope's products by SKU and their live papers' numbers, read once under the lock."""

    by_sku: dict[str, UUID] = field(default_factory=dict)
    papers: dict[str, set[str]] = field(default_factory=dict)     # product id (as the wire has it) -> numbers

    @classmethod
    def load(cls, session: Session) -> _Catalog:
        catalog = cls()
        sku = SyncedRow.data["sku"].as_string()
        for row_id, value in session.execute(select(SyncedRow.row_id, sku).where(
                SyncedRow.table_name == "product", SyncedRow.scope_key == CATALOG_SCOPE)):
            catalog.by_sku[value] = row_id
        product, number = SyncedRow.data["product_id"].as_string(), SyncedRow.data["number"].as_string()
        for product_id, paper in session.execute(select(product, number).where(
                SyncedRow.table_name == "quality_document", SyncedRow.scope_key == CATALOG_SCOPE,
                SyncedRow.deleted.is_(False))):
            catalog.papers.setdefault(product_id, set()).add(paper)
        return catalog


def import_file(session: Session, path: Path | str, *, dry_run: bool = False) -> CatalogImportResult:
    """Import the file into the catalog, all or nothing; a dry run writes nothing and returns the plan.

    Raises :class:`CatalogRejected` when a real import finds any problem.
    """
    problems = Problems()
    with CatalogReader(path, problems, only=COLUMNS) as reader:
        # Under the catalog's lock from the first read, so no other writer moves a SKU meanwhile.
        lock_scope(session, CATALOG_SCOPE)
        plan = _Plan(session, reader, _Catalog.load(session), write=not dry_run)
        for chunk in _chunks(reader.rows()):
            plan.take(chunk)
        result = plan.result(dry_run)
    if problems and not dry_run:
        raise CatalogRejected(reader.file_name, problems, result)
    return result


def _chunks(rows: Iterator[CatalogRow]) -> Iterator[list[CatalogRow]]:
    chunk: list[CatalogRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Plan:
    def __init__(self, session: Session, reader: CatalogReader, catalog: _Catalog, *, write: bool) -> None:
        self.session, self.reader, self.catalog, self.write = session, reader, catalog, write
        self.problems = reader.problems
        self.now = utcnow()
        self.added = self.updated = self.unchanged = 0
        self.added_skus: list[str] = []
        self.updates: list[PlannedUpdate] = []

    def take(self, rows: list[CatalogRow]) -> None:
        known = [self.catalog.by_sku[row.sku] for row in rows if row.sku in self.catalog.by_sku]
        current = {row_id: data for row_id, data in self.session.execute(
            select(SyncedRow.row_id, SyncedRow.data).where(SyncedRow.table_name == "product",
                                                           SyncedRow.row_id.in_(known)))} if known else {}
        products: list[dict[str, Any]] = []
        papers: list[dict[str, Any]] = []
        for row in rows:
            row_id = self.catalog.by_sku.get(row.sku)
            self._row(row, current.get(row_id) if row_id is not None else None, products, papers)
        if self.problems:
            self.write = False
        if self.write and products:
            staff.check_products(products)
            staff.put_products(self.session, products)
        if self.write and papers:
            write_rows(self.session, "quality_document", papers)

    def _row(self, row: CatalogRow, data: dict[str, Any] | None, products: list[dict[str, Any]],
             papers: list[dict[str, Any]]) -> None:
        given = {_FIELD[c]: v for c in PRODUCT_TEXT_COLUMNS if (v := row.text(c)) is not None}
        if data is None:
            if "name" not in given:
                self.problems.refuse_row(row.row, row.sku, [name_missing(self.reader, row)])
                return
            # Brand and category have no default in the console's table; a file may leave them out.
            data = new_row("product", {"sku": row.sku, "brand": "", "category": "", **given}, self.now)
            products.append(data)
            self._new_papers(data["id"], row.quality_docs, papers)
            self._count_added(row.sku)
            return
        changes = {k: v for k, v in given.items() if v != data.get(k)}
        withdrawn = data.get("deleted_at") is not None
        if withdrawn:
            changes["deleted_at"] = None
        if changes:
            products.append({**data, **changes, "row_version": data["row_version"] + 1,
                             "updated_at": self.now.isoformat()})
        fresh = self._new_papers(data["id"], row.quality_docs, papers)
        if withdrawn:
            self._count_added(row.sku)
            return
        changed = tuple(c for c in PRODUCT_TEXT_COLUMNS if _FIELD[c] in changes) + (("quality_doc",) if fresh else ())
        if changed:
            self.updated += 1
            if len(self.updates) < PREVIEW_LIMIT:
                self.updates.append(PlannedUpdate(row.sku, changed))
        else:
            self.unchanged += 1

    def _new_papers(self, product_id: str, numbers: Sequence[str], papers: list[dict[str, Any]]) -> bool:
        held = self.catalog.papers.setdefault(product_id, set())
        fresh = [n for n in numbers if n not in held]
        for number in fresh:
            papers.append(new_row("quality_document", {"product_id": product_id, "kind": paper_kind(number),
                                                       "number": number}, self.now))
            held.add(number)
        return bool(fresh)

    def _count_added(self, sku: str) -> None:
        self.added += 1
        if len(self.added_skus) < PREVIEW_LIMIT:
            self.added_skus.append(sku)

    def result(self, dry_run: bool) -> CatalogImportResult:
        name = self.reader.file_name
        return CatalogImportResult(
            file_name=name, dry_run=dry_run, added=self.added, updated=self.updated, unchanged=self.unchanged,
            added_skus=tuple(self.added_skus), updates=tuple(self.updates), problems=self.problems.listed,
            problem_count=self.problems.count, refused=self.problems.rows,
            ignored_columns=self.reader.ignored_headers, problem_messages=self.problems.messages(name))


def catalog_version(session: Session) -> int:
    return session.scalar(select(ScopeCounter.version).where(ScopeCounter.scope_key == CATALOG_SCOPE)) or 0


# --- withdrawing ------------------------------------------------------------


def withdraw(session: Session, skus: Sequence[str]) -> list[str]:
    """Tombstone the live products with these SKUs, all or none; returns them. Unknown SKUs are refused."""
    lock_scope(session, CATALOG_SCOPE)
    wanted = list(dict.fromkeys(s.strip() for s in skus if s.strip()))
    sku = SyncedRow.data["sku"].as_string()
    found = {value: (data, deleted) for value, data, deleted in session.execute(
        select(sku, SyncedRow.data, SyncedRow.deleted).where(
            SyncedRow.table_name == "product", SyncedRow.scope_key == CATALOG_SCOPE, sku.in_(wanted)))}
    unknown = [s for s in wanted if s not in found or found[s][1]]
    if unknown:
        raise AdminError(msg("headoffice_admin.no_such_sku",
                             "No product in the catalog has the SKU {skus}; nothing was withdrawn.",
                             skus=", ".join(unknown)))
    now = utcnow().isoformat()
    rows = [{**data, "deleted_at": now, "updated_at": now, "row_version": data["row_version"] + 1}
            for data, _deleted in (found[s] for s in wanted)]
    staff.check_products(rows)
    staff.put_products(session, rows)
    unready_holding(session, [UUID(data["id"]) for data, _deleted in (found[s] for s in wanted)])
    return wanted


def unready_holding(session: Session, product_ids: Sequence[UUID]) -> int:
    """Ready broadcasts whose queue holds one of these (withdrawn) products go back to planned.

    Head office changes only the status, as its own edit of that one field, so
    the stores' consoles pull it like any other change and nobody's edits of
    the broadcast's other fields are overridden. Returns how many went back.
    """
    wanted = {str(p) for p in product_ids}
    if not wanted:
        return 0
    product = SyncedRow.data["product_id"].as_string()
    holding = set(session.scalars(select(SyncedRow.data["broadcast_id"].as_string()).where(
        SyncedRow.table_name == "queue_item", SyncedRow.deleted.is_(False), product.in_(wanted))))
    if not holding:
        return 0
    status = SyncedRow.data["status"].as_string()
    ready = session.scalars(select(SyncedRow).where(
        SyncedRow.table_name == "broadcast", SyncedRow.deleted.is_(False),
        SyncedRow.row_id.in_([UUID(b) for b in holding]), status == BroadcastStatus.READY.value)
        .order_by(SyncedRow.store_id, SyncedRow.row_id)).all()
    now = utcnow().isoformat()
    counters: dict[str, Any] = {}
    for row in ready:
        counter = counters.get(row.scope_key) or counters.setdefault(row.scope_key, lock_scope(session, row.scope_key))
        row_version = row.row_version + 1
        row.data = {**row.data, "status": BroadcastStatus.PLANNED.value, "updated_at": now, "row_version": row_version}
        row.field_versions = {**row.field_versions, "status": row_version}
        row.field_authors = {**row.field_authors, "status": HEAD_OFFICE_AUTHOR}
        row.row_version = row_version
        row.version = counter.next_version()
    session.flush()
    for counter in counters.values():
        counter.save(session)
    return len(ready)


# --- export -----------------------------------------------------------------


def export(session: Session, fmt: str = "csv", *, bom: bool = True) -> bytes:
    """The catalog's live products in SKU order, as the import reads them (no prices: those are the stores')."""
    if fmt not in ("csv", "xlsx"):
        raise AdminError(msg("headoffice_admin.unknown_export_format",
                             "Unknown export format '{format}'; use csv or xlsx.", format=fmt))
    catalog = _Catalog.load(session)
    products = sorted((data for (data,) in session.execute(select(SyncedRow.data).where(
        SyncedRow.table_name == "product", SyncedRow.scope_key == CATALOG_SCOPE, SyncedRow.deleted.is_(False)))),
        key=lambda d: d["sku"])
    rows = [(p["sku"], p["name"], p["brand"], p["category"], p["spec"], p["barcode"],
             "; ".join(sorted(catalog.papers.get(p["id"], ()))), p["after_sales_policy"]) for p in products]
    return csv_bytes(COLUMNS, rows, bom=bom) if fmt == "csv" else xlsx_bytes(COLUMNS, rows)
