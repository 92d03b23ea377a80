"""The run-of-show: each broadcast's product queue, every edit one transaction, every edit undoable.

Every edit returns a :class:`~console.domain.values.QueueChange`: the whole
queue as it now stands (a queue is at most a few hundred rows), the ids the
edit wrote, the planned time against the window, the ready-gate's findings,
and what the edit's inverse call needs. The undo of each edit is one more
call here, so a ``QUndoCommand`` keeps the change ``c`` and calls, for
broadcast ``b``:

- ``add_products``, ``add_by_code``, ``add_set``, ``copy_queue``: undo
  ``remove(b, c.added_ids)``; redo ``restore(b, undone.removed)``.
- ``remove``: undo ``restore(b, c.removed)``; redo ``remove(b, c.removed_ids)``.
- ``move``, ``reorder``: undo ``reorder(b, c.order_before)``; redo ``reorder(b, c.order)``.
- ``set_terms``, ``set_live_price``, ``set_deal``, ``set_planned_duration``,
  ``set_stock_at_start``: undo ``set_terms(b, c.terms_before)``; redo
  ``set_terms`` with the new terms.
- ``pin_link``, ``unpin_link``, ``set_pins``: undo ``set_pins(b, c.pins_before)``.
- ``replace_queue`` (a file's import): undo ``replace_queue(b, planned_lines(rows before))``.

Link numbers follow the order unless pinned (:mod:`console.rules.link_numbers`):
they are a function of the order and the pins alone, which is why every
inverse above restores them exactly.

A ready broadcast whose queue an edit breaks goes back to planned
(``BroadcastService.unready_if_broken``, in the same transaction), and the
change says why. A broadcast on air, ended or cancelled refuses edits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from console.domain.errors import NotFound, ValidationError
from console.domain.values import LinkPin, QueueChange, QueueTerms, RemovedQueueItem
from console.i18n import msg
from console.rules.link_numbers import MAX_LINK_NUMBER, check_link_number, fewest_pins, link_numbers
from console.services.queue_base import (
    DEFAULT_PLANNED_SECONDS,
    MAX_LIVE_PRICE_FEN,
    MAX_PLANNED_SECONDS,
    MAX_QUEUE_ITEMS,
    MAX_STOCK,
    QueueEdit,
    check_deal,
    check_live_price,
    check_planned_seconds,
    check_stock,
    id_list,
    product_names,
    terms_of,
    tidy_code,
)
from console.services.queue_sources import PlannedLine, QueueSources, planned_lines
from console.storage.models import Product, QueueItem
from console.storage.outbox import tombstone

__all__ = [
    "DEFAULT_PLANNED_SECONDS", "MAX_LINK_NUMBER", "MAX_LIVE_PRICE_FEN", "MAX_PLANNED_SECONDS", "MAX_QUEUE_ITEMS",
    "MAX_STOCK", "PlannedLine", "QueueService", "check_link_number", "fewest_pins", "link_numbers", "planned_lines",
    "tidy_code",
]


class QueueService(QueueSources):
    """The queue editor's core: adds, removals, order, link numbers, terms; sets, copies and files too."""

    # --- adding -----------------------------------------------------------------------------

    def add_products(self, broadcast_id: UUID, product_ids: UUID | Sequence[UUID], *,
                     at: int | None = None) -> QueueChange:
        """Put products on the queue at index ``at`` (the end by default), with the store's price and stock.

        A product already on the queue is left where it is (a notice says so);
        if that leaves nothing to add, the edit is refused.
        """
        ids = id_list(product_ids)
        if not ids:
            raise ValidationError(msg("queue.nothing_to_add", "Choose at least one product to add."))

        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            products = self._products(s, ids)
            withdrawn = [products[p].name for p in ids if products[p].deleted_at is not None]
            if withdrawn:
                raise ValidationError(msg("queue.withdrawn",
                                          "Head office has withdrawn {products}; it cannot go on a queue.",
                                          products=product_names(withdrawn)))
            self._add(s, items, [self._fresh_line(s, products[p]) for p in ids], at, edit)

        return self._edit(broadcast_id, "queue_items_added", work)

    def add_by_code(self, broadcast_id: UUID, code: str, *, at: int | None = None) -> QueueChange:
        """The barcode scanner's path: the product with this barcode or SKU goes on the queue."""
        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            product = self._product_by_code(s, code)
            edit.audit["code"] = tidy_code(code)
            self._add(s, items, [self._fresh_line(s, product)], at, edit)

        return self._edit(broadcast_id, "queue_items_added", work)

    # --- removing and restoring --------------------------------------------------------------

    def remove(self, broadcast_id: UUID, item_ids: UUID | Sequence[UUID]) -> QueueChange:
        """Take items off the queue; ``restore(broadcast_id, change.removed)`` puts them back."""
        ids = id_list(item_ids)

        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            wanted = self._pick(items, ids)
            for index, item in enumerate(items):
                if item.id in wanted:
                    edit.removed.append(RemovedQueueItem(
                        item_id=item.id, index=index, pinned_number=item.link_number if item.link_pinned else None))
                    tombstone(item)
            # The removed rows leave the link-number index before the others take their numbers.
            s.flush()
            items[:] = [i for i in items if i.id not in wanted]
            edit.audit["items"] = len(wanted)
            self._settle(s, items, edit)

        return self._edit(broadcast_id, "queue_items_removed", work)

    def restore(self, broadcast_id: UUID, removed: Sequence[RemovedQueueItem]) -> QueueChange:
        """Put removed items back at their places, with their terms and pins (undo of a removal)."""
        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            if len(items) + len(removed) > MAX_QUEUE_ITEMS:
                raise self._too_long(len(items) + len(removed))
            queued = {i.product_id: i for i in items}
            pinned = {i.link_number for i in items if i.link_pinned}
            unpinned: list[str] = []
            for entry in sorted(removed, key=lambda r: r.index):
                item = s.get(QueueItem, entry.item_id)
                if item is None or item.broadcast_id != broadcast_id:
                    raise NotFound(msg("queue.no_such_item", "That item is not on this broadcast's queue."))
                if item.deleted_at is None:
                    raise ValidationError(msg("queue.already_restored", "That item is already on the queue."))
                product = s.get(Product, item.product_id)
                name = product.name if product else ""
                if item.product_id in queued:
                    raise ValidationError(msg("queue.already_queued",
                                              "{product} is already on this queue as link {link}.",
                                              product=name, link=queued[item.product_id].link_number))
                item.deleted_at = None
                if entry.pinned_number is not None and entry.pinned_number not in pinned:
                    item.link_pinned, item.link_number = True, entry.pinned_number
                    pinned.add(entry.pinned_number)
                else:
                    if entry.pinned_number is not None:
                        unpinned.append(name)
                    item.link_pinned = False
                items.insert(min(max(entry.index, 0), len(items)), item)
                queued[item.product_id] = item
                edit.added.append(item.id)
            if unpinned:
                edit.notices.append(msg("queue.restore_pins_dropped",
                                        "{products} now follow the order: their pinned link numbers are taken.",
                                        products=product_names(unpinned)))
            edit.audit["items"] = len(removed)
            self._settle(s, items, edit)

        return self._edit(broadcast_id, "queue_items_restored", work)

    # --- order ------------------------------------------------------------------------------

    def move(self, broadcast_id: UUID, item_ids: UUID | Sequence[UUID], to_index: int) -> QueueChange:
        """Move items (keeping their order among themselves) so that the first lands at ``to_index``.

        ``to_index`` counts in the queue as it will be, so "up one" is the
        first item's index minus one, "down one" plus one; a drop at row ``r``
        of the old list is ``r`` minus the moved items above ``r``.
        """
        ids = id_list(item_ids)

        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            wanted = self._pick(items, ids)
            moved = [i for i in items if i.id in wanted]
            rest = [i for i in items if i.id not in wanted]
            place = min(max(to_index, 0), len(rest))
            self._reorder(s, items, rest[:place] + moved + rest[place:], edit)

        return self._edit(broadcast_id, "queue_reordered", work)

    def reorder(self, broadcast_id: UUID, order: Sequence[UUID]) -> QueueChange:
        """The queue in exactly this order (every item once): the undo of a move."""
        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            by_id = {i.id: i for i in items}
            if len(order) != len(items) or set(order) != set(by_id):
                raise ValidationError(msg("queue.changed_meanwhile",
                                          "The queue has changed in the meantime; look again and repeat."))
            self._reorder(s, items, [by_id[i] for i in order], edit)

        return self._edit(broadcast_id, "queue_reordered", work)

    # --- terms ------------------------------------------------------------------------------

    def set_terms(self, broadcast_id: UUID, terms: Sequence[QueueTerms]) -> QueueChange:
        """Live price, deal, planned duration and stock at the start of each item named."""
        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            by_id = {i.id: i for i in items}
            for t in terms:
                if t.item_id not in by_id:
                    raise NotFound(msg("queue.no_such_item", "That item is not on this broadcast's queue."))
                self._write_terms(by_id[t.item_id], t, edit)
            edit.audit["items"] = len(terms)

        return self._edit(broadcast_id, "queue_terms_set", work)

    def set_live_price(self, broadcast_id: UUID, item_ids: UUID | Sequence[UUID], fen: int) -> QueueChange:
        check_live_price(fen)
        return self._set_field(broadcast_id, item_ids, live_price_fen=fen)

    def set_deal(self, broadcast_id: UUID, item_ids: UUID | Sequence[UUID], deal: str) -> QueueChange:
        """The deal as the host says it: a coupon, a flash sale, a gift (free text; empty for none)."""
        return self._set_field(broadcast_id, item_ids, deal=check_deal(deal))

    def set_planned_duration(self, broadcast_id: UUID, item_ids: UUID | Sequence[UUID],
                             seconds: int) -> QueueChange:
        check_planned_seconds(seconds)
        return self._set_field(broadcast_id, item_ids, planned_seconds=seconds)

    def set_stock_at_start(self, broadcast_id: UUID, item_ids: UUID | Sequence[UUID], stock: int) -> QueueChange:
        check_stock(stock)
        return self._set_field(broadcast_id, item_ids, stock_allocated=stock)

    # --- link numbers -----------------------------------------------------------------------

    def pin_link(self, broadcast_id: UUID, item_id: UUID, number: int | None = None) -> QueueChange:
        """Pin an item's link number (its present one by default): it stays when the queue is reordered."""
        if number is None:
            current = next((r for r in self.lines(broadcast_id) if r.id == item_id), None)
            if current is None:
                raise NotFound(msg("queue.no_such_item", "That item is not on this broadcast's queue."))
            number = current.link_number
        return self.set_pins(broadcast_id, [LinkPin(item_id, number)])

    def unpin_link(self, broadcast_id: UUID, item_id: UUID) -> QueueChange:
        """Let an item's link number follow the order again."""
        return self.set_pins(broadcast_id, [LinkPin(item_id, None)])

    def set_pins(self, broadcast_id: UUID, pins: Sequence[LinkPin]) -> QueueChange:
        """Pin (a number) or unpin (None) each item named; the others renumber around the pins."""
        for pin in pins:
            if pin.number is not None:
                check_link_number(pin.number)

        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            by_id = {i.id: i for i in items}
            for pin in pins:
                if pin.item_id not in by_id:
                    raise NotFound(msg("queue.no_such_item", "That item is not on this broadcast's queue."))
            wanted = {pin.item_id: pin.number for pin in pins}
            holders: dict[int, QueueItem] = {}
            # Items keeping their pins first, so a clash names the item that already holds the number.
            for item in sorted(items, key=lambda i: i.id in wanted):
                number = wanted[item.id] if item.id in wanted else (item.link_number if item.link_pinned else None)
                if number is None:
                    continue
                if number in holders:
                    raise ValidationError(msg("queue.link_pinned_elsewhere",
                                              "Link {number} is already pinned to {product}; unpin it first.",
                                              number=number, product=self._product_name(s, holders[number])))
                holders[number] = item
            for pin in pins:
                item = by_id[pin.item_id]
                edit.pins_before.append(LinkPin(item.id, item.link_number if item.link_pinned else None))
                if pin.number is None:
                    item.link_pinned = False
                else:
                    item.link_pinned, item.link_number = True, pin.number
            edit.audit["pins"] = [{"item": str(p.item_id), "number": p.number} for p in pins]
            self._settle(s, items, edit)

        return self._edit(broadcast_id, "queue_links_pinned", work)

    # --- inside a unit of work --------------------------------------------------------------------

    def _set_field(self, broadcast_id: UUID, item_ids: UUID | Sequence[UUID], **values: Any) -> QueueChange:
        ids = id_list(item_ids)

        def work(s: Session, items: list[QueueItem], edit: QueueEdit) -> None:
            self._pick(items, ids)
            for item in items:
                if item.id in ids:
                    self._write_terms(item, replace(terms_of(item), **values), edit, validate=False)
            edit.audit.update(items=len(ids), **{k: v for k, v in values.items()})

        return self._edit(broadcast_id, "queue_terms_set", work)
