"""The catalog's files: a spreadsheet imported all or nothing, the catalog exported as CSV or Excel.

An import reads the file with :class:`~console.services.catalog_file.CatalogReader`
and plans each row against the catalog: a SKU not yet in it adds a product, a
SKU in it updates what the row changes, a row that changes nothing is left
alone. Who owns what decides what a row may change. A console that is not
enrolled keeps its own catalog: products, their quality document numbers (as
quality documents), after-sales policies, and the store's counter prices and
stock. An enrolled console's catalog is head office's
(:meth:`CatalogService.ensure_catalog_editable`): a row may set only the
store's stock and counter price of a product already in it, and a row that
would add a product or change one is refused, saying why.

Everything happens in one transaction: one problem anywhere and nothing is
written, and every problem is listed (file, row, column, why) so the manager
fixes the file in one pass. A dry run plans the same way and writes nothing,
for the preview of what would be added, updated and refused.

The rows are written a chunk at a time by :mod:`console.services.bulk_rows`
(Core statements, the stamps and outbox entries the ORM's hooks would give
them): a spreadsheet of a million products is a million objects the ORM
would track for nothing. Only an enrolled console writes outbox entries: a
console not enrolled yet sends nothing until it enrolls, and enrolling makes
its outbox anew from its tables or empties it (``sync.local``). Each new
counter price goes to the price history, as
:func:`console.services.prices.record_price` keeps it, and a ready broadcast
a new price or stock breaks is planned again.

The export writes exactly what the import reads, in SKU order, prices as
yuan with two decimals: exported and imported again, it changes nothing, and
exported again, it is byte for byte the same.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from console.domain.enums import BroadcastStatus
from console.domain.errors import DomainError, ValidationError
from console.domain.permissions import Actor, Permission
from console.domain.search import search_key
from console.i18n import Message, msg
from console.services.base import Service, read_setting
from console.services.bulk_rows import BulkWrites, StoredRows
from console.services.catalog import CatalogService
from console.services.catalog_file import (
    COLUMN_WORDS,
    EXPORT_COLUMNS,
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
from console.services.catalog_values import paper_kind, price_text
from console.services.sync import SERVER_URL_SETTING
from console.storage.db import Database
from console.storage.models import (
    Broadcast,
    PriceHistory,
    Product,
    QualityDocument,
    QueueItem,
    StoreProduct,
)
from console.storage.types import utcnow

# Rows planned and written together: one lookup of each table, one statement of each kind.
CHUNK = 2000
EXPORT_FORMATS = ("csv", "xlsx")

# A file's column -> the product's field.
_PRODUCT_FIELD = {"name": "name", "brand": "brand", "category": "category", "spec": "spec",
                  "barcode": "barcode", "after_sales": "after_sales_policy"}
_PRODUCT = Product.__table__
_STORE_PRODUCT = StoreProduct.__table__
_PAPER = QualityDocument.__table__
_PRICE = PriceHistory.__table__


class _RolledBack(Exception):
    """Leaves the import's transaction without writing: a dry run's way out."""

    def __init__(self, result: CatalogImportResult) -> None:
        self.result = result


class CatalogFileService(Service):
    """Imports and exports the catalog's spreadsheets for one store."""

    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__(db, actor)
        self._catalog = CatalogService(db, actor)

    # --- import -----------------------------------------------------------------

    def import_file(self, path: Path | str, dry_run: bool = False, *,
                    progress: Callable[[int], None] | None = None) -> CatalogImportResult:
        """Import every row of the file or none; a dry run returns the plan, problems included.

        Raises :class:`CatalogRejected` (every problem listed) when a real
        import finds any problem; ``progress`` is told the rows read so far.
        """
        self._actor.require(Permission.EDIT_STORE_PRICES)
        refusal = self._catalog_refusal()
        problems = Problems()
        with CatalogReader(path, problems) as reader:
            try:
                with self._db.begin() as s:
                    plan = _Plan(s, self._store_scope(), reader, refusal, write=not dry_run)
                    for chunk in _chunks(reader.rows(), CHUNK):
                        plan.take(chunk)
                        if progress is not None:
                            progress(reader.rows_read)
                    notices = () if dry_run or problems else self._unready_broken(s, plan.touched_broadcasts)
                    result = plan.result(dry_run, notices)
                    if problems:
                        raise CatalogRejected(reader.file_name, problems, result)
                    if dry_run:
                        raise _RolledBack(result)
                    self._audit(s, "catalog_imported", "catalog", None, file=reader.file_name, added=result.added,
                                updated=result.updated, unchanged=result.unchanged)
            except _RolledBack as done:
                return done.result
            except CatalogRejected as rejected:
                if dry_run and rejected.result is not None:
                    return rejected.result
                raise
        return result

    def _catalog_refusal(self) -> Message | None:
        """Why this console may not change products (enrolled, or not a catalog editor); None if it may."""
        try:
            self._catalog.ensure_catalog_editable()
        except DomainError as exc:
            return exc.message
        return None

    def _unready_broken(self, s: Session, broadcasts: set[UUID]) -> tuple[Message, ...]:
        if not broadcasts:
            return ()
        from console.services.broadcasts import BroadcastService

        service = BroadcastService(self._db, self._actor)
        return tuple(m for bid in sorted(broadcasts) if (m := service.unready_if_broken(s, bid)) is not None)

    # --- export -----------------------------------------------------------------

    def export(self, format: str = "csv", *, bom: bool = True) -> bytes:
        """The catalog with this store's prices and stock, as the import reads it (``bom``: for Excel, CSV only)."""
        self._actor.require(Permission.VIEW_STORE)
        if format not in EXPORT_FORMATS:
            raise ValidationError(msg("catalog_io.unknown_export_format",
                                      "Unknown export format '{format}'; use csv or xlsx.", format=format))
        with self._db.begin() as s:
            rows = _export_rows(s, self._store_scope())
            return csv_bytes(EXPORT_COLUMNS, rows, bom=bom) if format == "csv" else xlsx_bytes(EXPORT_COLUMNS, rows)


def _chunks(rows: Iterable[CatalogRow], size: int) -> Iterator[list[CatalogRow]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# --------------------------------------------------------------------------
# Planning and writing
# --------------------------------------------------------------------------


# What an import's update may change, stamps included.
_UPDATABLE: dict[Table, tuple[str, ...]] = {
    _PRODUCT: ("name", "brand", "category", "spec", "barcode", "after_sales_policy", "search_key", "deleted_at",
               "row_version", "updated_at"),
    _STORE_PRODUCT: ("counter_price_fen", "stock", "deleted_at", "row_version", "updated_at"),
}
_PARENTS_FIRST = (_PRODUCT, _STORE_PRODUCT, _PAPER, _PRICE)
_UNIT = _PRODUCT.c.unit.default.arg
# Every new product's pictures: none. One list for all, so that it is stored as JSON once.
_NO_IMAGES: list[str] = []


class _Plan:
    """One import: each chunk of rows planned against the catalog, and written unless refused."""

    def __init__(self, s: Session, store_id: UUID, reader: CatalogReader, refusal: Message | None, *,
                 write: bool) -> None:
        self.s, self.store_id, self.reader, self.refusal = s, store_id, reader, refusal
        self.problems = reader.problems
        self.name = reader.file_name
        self.write = write
        # Only an enrolled console's changes go up. A console not enrolled yet gets its outbox made anew
        # from its tables when it enrolls (sync.local's adopt_upload), or emptied (start clean): entries
        # written now would be thrown away unread, at the cost of half the import's time.
        self.with_outbox = bool(read_setting(s, SERVER_URL_SETTING))
        self.now = utcnow()
        self.stored = StoredRows(s.get_bind().dialect, _PARENTS_FIRST, now=self.now, updatable=_UPDATABLE,
                                 shared=(store_id, _NO_IMAGES))
        self.added = self.updated = self.unchanged = 0
        self.added_skus: list[str] = []
        self.updates: list[PlannedUpdate] = []
        # Ready broadcasts by the products they hold: a price or stock change may break their gate.
        self.ready_holding: dict[UUID, set[UUID]] = {}
        for product_id, broadcast_id in s.execute(
                select(QueueItem.product_id, Broadcast.id).join(Broadcast, Broadcast.id == QueueItem.broadcast_id)
                .where(Broadcast.store_id == store_id, Broadcast.status == BroadcastStatus.READY,
                       Broadcast.deleted_at.is_(None), QueueItem.deleted_at.is_(None))):
            self.ready_holding.setdefault(product_id, set()).add(broadcast_id)
        self.touched_broadcasts: set[UUID] = set()

    # --- a chunk ----------------------------------------------------------------

    def take(self, rows: list[CatalogRow]) -> None:
        products = {r["sku"]: r for r in self.s.execute(
            select(_PRODUCT).where(_PRODUCT.c.sku.in_([row.sku for row in rows]))).mappings()}
        ids = [p["id"] for p in products.values()]
        stock_rows: dict[UUID, Mapping[str, Any]] = {}
        papers: dict[UUID, set[str]] = {}
        if ids:
            stock_rows = {r["product_id"]: r for r in self.s.execute(
                select(_STORE_PRODUCT).where(_STORE_PRODUCT.c.store_id == self.store_id,
                                             _STORE_PRODUCT.c.product_id.in_(ids))).mappings()}
            for product_id, number in self.s.execute(
                    select(_PAPER.c.product_id, _PAPER.c.number).where(_PAPER.c.product_id.in_(ids),
                                                                       _PAPER.c.deleted_at.is_(None))):
                papers.setdefault(product_id, set()).add(number)
        writes = BulkWrites(self.stored, with_outbox=self.with_outbox)
        for row in rows:
            self._row(row, products.get(row.sku), stock_rows, papers, writes)
        if self.problems:
            self.write = False      # nothing more is written: the transaction is rolled back anyway
        if self.write:
            writes.write(self.s, _PARENTS_FIRST)

    def _row(self, row: CatalogRow, product: Mapping[str, Any] | None, stock_rows: Mapping[UUID, Mapping[str, Any]],
             papers: Mapping[UUID, set[str]], writes: BulkWrites) -> None:
        withdrawn = product is not None and product["deleted_at"] is not None
        if product is None or withdrawn:
            problem = self._refuse_new(row, withdrawn, stock_rows.get(product["id"]) if withdrawn else None)
            if problem is not None:
                self.problems.refuse_row(row.row, row.sku, [problem])
                return
            product_id = self._add_product(row, product, writes)
            self._add_papers(product_id, row.quality_docs, papers.get(product_id, set()), writes)
            self._set_store_product(product_id, row, stock_rows.get(product_id), writes)
            self._count_added(row.sku)
            return
        changes = {_PRODUCT_FIELD[c]: value for c in PRODUCT_TEXT_COLUMNS
                   if (value := row.text(c)) is not None and value != product[_PRODUCT_FIELD[c]]}
        held = papers.get(product["id"], set())
        new_papers = [n for n in row.quality_docs if n not in held]
        changed = [c for c in PRODUCT_TEXT_COLUMNS if _PRODUCT_FIELD[c] in changes]
        if new_papers:
            changed.append("quality_doc")
        if changed and self.refusal is not None:
            self.problems.refuse_row(row.row, row.sku, [msg(
                "catalog_io.would_change_product", "{file} row {row}: this row would change the {fields} of SKU "
                "{sku}. {reason}", file=self.name, row=str(row.row), fields=[COLUMN_WORDS[c] for c in changed],
                sku=row.sku, reason=self.refusal)])
            return
        stock_row = stock_rows.get(product["id"])
        store_problem = self._store_problem(row, stock_row)
        if store_problem is not None:
            self.problems.refuse_row(row.row, row.sku, [store_problem])
            return
        if changes:
            writes.update(_PRODUCT, product, _with_search_key(product, changes))
        self._add_papers(product["id"], new_papers, held, writes)
        changed += self._set_store_product(product["id"], row, stock_row, writes)
        if changed:
            self.updated += 1
            if len(self.updates) < PREVIEW_LIMIT:
                self.updates.append(PlannedUpdate(row.sku, tuple(changed)))
        else:
            self.unchanged += 1

    def _count_added(self, sku: str) -> None:
        self.added += 1
        if len(self.added_skus) < PREVIEW_LIMIT:
            self.added_skus.append(sku)

    # --- refusals -------------------------------------------------------------------

    def _refuse_new(self, row: CatalogRow, withdrawn: bool, stock_row: Mapping[str, Any] | None) -> Message | None:
        if self.refusal is not None:
            if withdrawn:
                return msg("catalog_io.withdrawn", "{file} row {row}: SKU {sku} has been withdrawn from the "
                                                   "catalog. {reason}",
                           file=self.name, row=str(row.row), sku=row.sku, reason=self.refusal)
            return msg("catalog_io.would_add_product", "{file} row {row}: SKU {sku} is not in the catalog, so this "
                                                       "row would add a product. {reason}",
                       file=self.name, row=str(row.row), sku=row.sku, reason=self.refusal)
        if row.name is None and not withdrawn:
            return name_missing(self.reader, row)
        return self._store_problem(row, stock_row)

    def _store_problem(self, row: CatalogRow, stock_row: Mapping[str, Any] | None) -> Message | None:
        if row.stock is not None and row.counter_price_fen is None and _gone(stock_row):
            # The store's row needs a counter price; a stock alone cannot make one.
            return msg("catalog_io.stock_without_price",
                       "{file} row {row}: the store has no counter price for SKU {sku} yet, so its stock cannot be "
                       "set alone; give its counter price too.", file=self.name, row=str(row.row), sku=row.sku)
        return None

    # --- writing a row ----------------------------------------------------------------

    def _add_product(self, row: CatalogRow, withdrawn: Mapping[str, Any] | None, writes: BulkWrites) -> UUID:
        if withdrawn is not None:
            # A SKU stays taken after a withdrawal: the product comes back, with what the row says.
            changes = {field: value for c, field in _PRODUCT_FIELD.items()
                       if (value := row.text(c)) is not None and value != withdrawn[field]}
            writes.update(_PRODUCT, withdrawn, {**_with_search_key(withdrawn, changes), "deleted_at": None})
            return withdrawn["id"]  # type: ignore[no-any-return]
        name, brand = row.name or "", row.brand or ""
        return writes.insert(_PRODUCT, {
            "sku": row.sku, "barcode": row.barcode or "", "name": name, "brand": brand,
            "category": row.category or "", "spec": row.spec or "", "origin": "", "unit": _UNIT,
            "after_sales_policy": row.after_sales or "", "image_refs": _NO_IMAGES,
            # Core inserts pass the ORM's own key-setting by, so the key is the core's, set here.
            "search_key": search_key(name, brand)})

    def _add_papers(self, product_id: UUID, numbers: Sequence[str], held: set[str], writes: BulkWrites) -> None:
        for number in numbers:
            if number not in held:
                writes.insert(_PAPER, {"product_id": product_id, "kind": paper_kind(number), "number": number,
                                       "issuer": "", "valid_until": None, "file_ref": ""})

    def _set_store_product(self, product_id: UUID, row: CatalogRow, stock_row: Mapping[str, Any] | None,
                           writes: BulkWrites) -> list[str]:
        """The store's counter price and stock as the row gives them; returns the columns changed."""
        price, stock = row.counter_price_fen, row.stock
        if _gone(stock_row):
            if price is None:
                return []
            changes = {"counter_price_fen": price, "stock": stock if stock is not None else 0}
            if stock_row is None:
                writes.insert(_STORE_PRODUCT, {"store_id": self.store_id, "product_id": product_id,
                                               "counter_price_evidence": "", **changes})
            else:
                writes.update(_STORE_PRODUCT, stock_row, {**changes, "deleted_at": None})
            evidence = stock_row["counter_price_evidence"] if stock_row is not None else ""
            self._record_price(product_id, price, evidence, writes)
            self.touched_broadcasts |= self.ready_holding.get(product_id, set())
            return ["counter_price", "stock"] if stock is not None else ["counter_price"]
        assert stock_row is not None
        changes = {}
        if price is not None and price != stock_row["counter_price_fen"]:
            changes["counter_price_fen"] = price
        if stock is not None and stock != stock_row["stock"]:
            changes["stock"] = stock
        if not changes:
            return []
        writes.update(_STORE_PRODUCT, stock_row, changes)
        if "counter_price_fen" in changes:
            self._record_price(product_id, price, stock_row["counter_price_evidence"], writes)  # type: ignore[arg-type]
        self.touched_broadcasts |= self.ready_holding.get(product_id, set())
        return [c for c, f in (("counter_price", "counter_price_fen"), ("stock", "stock")) if f in changes]

    def _record_price(self, product_id: UUID, price: int, evidence: str, writes: BulkWrites) -> None:
        writes.insert(_PRICE, {"store_id": self.store_id, "product_id": product_id, "counter_price_fen": price,
                               "evidence": evidence, "at": self.now})

    # --- the outcome ------------------------------------------------------------------

    def result(self, dry_run: bool, notices: tuple[Message, ...]) -> CatalogImportResult:
        return CatalogImportResult(
            file_name=self.name, dry_run=dry_run, added=self.added, updated=self.updated, unchanged=self.unchanged,
            added_skus=tuple(self.added_skus), updates=tuple(self.updates), problems=self.problems.listed,
            problem_count=self.problems.count, refused=self.problems.rows,
            ignored_columns=self.reader.ignored_headers, notices=notices,
            problem_messages=self.problems.messages(self.name))


def _with_search_key(product: Mapping[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The changes, with the pinyin key when a new name or brand changes it (the ORM's listeners' rule)."""
    if "name" in changes or "brand" in changes:
        key = search_key(changes.get("name", product["name"]), changes.get("brand", product["brand"]))
        if key != product["search_key"]:
            return {**changes, "search_key": key}
    return changes


def _gone(row: Mapping[str, Any] | None) -> bool:
    return row is None or row["deleted_at"] is not None


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------


def _export_rows(s: Session, store_id: UUID) -> Iterator[tuple[object, ...]]:
    """Live products in SKU order with this store's price and stock, a chunk at a time."""
    last = ""
    while True:
        found = s.execute(
            select(Product.id, Product.sku, Product.name, Product.brand, Product.category, Product.spec,
                   StoreProduct.counter_price_fen, StoreProduct.stock, Product.barcode, Product.after_sales_policy)
            .outerjoin(StoreProduct, (StoreProduct.product_id == Product.id) & (StoreProduct.store_id == store_id)
                       & StoreProduct.deleted_at.is_(None))
            .where(Product.deleted_at.is_(None), Product.sku > last).order_by(Product.sku).limit(CHUNK)
        ).all()
        if not found:
            return
        papers: dict[UUID, list[str]] = {}
        for product_id, number in s.execute(
                select(QualityDocument.product_id, QualityDocument.number)
                .where(QualityDocument.product_id.in_([r.id for r in found]), QualityDocument.deleted_at.is_(None))
                .order_by(QualityDocument.number)):
            papers.setdefault(product_id, []).append(number)
        for r in found:
            yield (r.sku, r.name, r.brand, r.category, r.spec,
                   price_text(r.counter_price_fen) if r.counter_price_fen is not None else "",
                   r.stock if r.counter_price_fen is not None else "", r.barcode,
                   "; ".join(papers.get(r.id, ())), r.after_sales_policy)
        last = found[-1].sku
