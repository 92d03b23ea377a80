"""Every screen that shows the on-air gate shows the one rule's answer.

A product whose after-sales policy is only a full-width space and a line break
looks filled in, but says nothing: the Products screen and the run-of-show on the
Live and Broadcasts screens all hold it back. (The Reports screen counts shows
that went on air; it has no gate of its own to show.)
"""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import Qt

from console.domain.enums import AuditVia
from console.domain.permissions import Actor
from console.services.broadcasts import BroadcastService
from console.services.catalog import CatalogService
from console.storage.db import Database
from console.storage.models import Product
from tests.ui.conftest import in_loop, manager_window, run, wait_until
from ui.models.tables import QueueTableModel

BLANK_POLICY = "\u3000\n"
GATE_COLUMN = 7   # the gate's column in both the product and the queue table


def _blank_policies(db: Database, actor: Actor) -> dict[UUID, str]:
    """Blank the policy of a cleared product in the Live show's queue and in the first upcoming show's.

    Returns their SKUs by id.
    """
    shows = BroadcastService(db, actor)
    live = shows.live_or_next()
    assert live is not None
    chosen = set()
    for show in (live, shows.upcoming()[0]):
        chosen.add(next(q.product_id for q in shows.queue(show.id) if q.may_go_on_air))
    with db.begin() as s:
        skus = {}
        for product_id in chosen:
            product = s.get_one(Product, product_id)
            product.after_sales_policy = BLANK_POLICY
            skus[product_id] = product.sku
    return skus


def _flagged(db: Database, actor: Actor) -> int:
    """How many products the Products screen would show in orange, over the whole catalog."""
    return sum(not row.may_go_on_air for row in CatalogService(db, actor).search(limit=1_000_000))


def _queue_gate(model: QueueTableModel, product_id: UUID) -> tuple[str, bool]:
    row = next(r for r in range(model.rowCount()) if model.value(r).product_id == product_id)
    index = model.index(row, GATE_COLUMN)
    return model.data(index), model.data(index, Qt.ItemDataRole.ForegroundRole) is not None


def test_a_blank_policy_holds_the_product_back_on_every_screen(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    actor = run(qloop, console.worker.run(console.auth.actor_for_login, None, via=AuditVia.GUI))
    before = run(qloop, console.worker.run(_flagged, console.db, actor))
    skus = run(qloop, console.worker.run(_blank_policies, console.db, actor))
    flagged = run(qloop, console.worker.run(_flagged, console.db, actor))
    assert flagged == before + len(skus)
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.show()

    run(qloop, window.show_view("products"))
    products = window.pages["products"]
    for product_id, sku in skus.items():
        in_loop(qloop, lambda sku=sku: products.search_edit.setText(sku))
        wait_until(qloop, lambda sku=sku: [products.model.value(r).sku
                                           for r in range(products.model.rowCount())] == [sku])
        index = products.model.index(0, GATE_COLUMN)
        assert products.model.data(index) == "No after-sales policy"
        assert products.model.data(index, Qt.ItemDataRole.ForegroundRole) is not None

    run(qloop, window.show_view("live"))
    live = window.pages["live"].queue_model
    on_live = [pid for pid in skus if any(live.value(r).product_id == pid for r in range(live.rowCount()))]
    assert on_live
    for product_id in on_live:
        shown, flagged_row = _queue_gate(live, product_id)
        assert shown.startswith("Blocked") and flagged_row

    run(qloop, window.show_view("broadcasts"))
    queue = window.pages["broadcasts"].queue_model
    listed = [pid for pid in skus if any(queue.value(r).product_id == pid for r in range(queue.rowCount()))]
    assert listed
    for product_id in listed:
        shown, flagged_row = _queue_gate(queue, product_id)
        assert shown.startswith("Blocked") and flagged_row
