"""Every item model passes Qt's model tester and shows values as a manager reads them."""

from __future__ import annotations

from datetime import date, datetime, timezone
from uuid import uuid4

import pytest
from PySide6.QtCore import QModelIndex, Qt

from console.domain.enums import (
    Affiliation, BroadcastStatus, QueueItemStatus, ScriptKind, ScriptVersionStatus,
)
from console.domain.values import (
    AnchorRow, BroadcastReport, BroadcastRow, ProductRow, QueueRow, ScriptRow,
)
from ui.models.base import VALUE_ROLE
from ui.models.tables import (
    AnchorTableModel, BroadcastTableModel, ProductTableModel, QueueTableModel,
    ReportTableModel, ScriptTableModel,
)

T0 = datetime(2026, 11, 27, 6, 0, tzinfo=timezone.utc)  # 14:00 in Shanghai


def product(papers: int = 1, policy: bool = True) -> ProductRow:
    return ProductRow(uuid4(), "SKU-1", "兰蔻菁纯面霜 50ml", "兰蔻", "美妆", "50ml", 129900, 12,
                      papers, policy)


def queue_row(link: int, ok: bool = True) -> QueueRow:
    return QueueRow(uuid4(), link, link, uuid4(), "雅诗兰黛小棕瓶", "雅诗兰黛", 59900, 79900,
                    "买一送一", 185, QueueItemStatus.PENDING, ok)


SAMPLES = {
    ProductTableModel: [product(), product(papers=0), product(policy=False)],
    BroadcastTableModel: [BroadcastRow(uuid4(), "兰蔻美妆专场", "直播间A", T0, T0.replace(hour=8),
                                       BroadcastStatus.PLANNED, ("王芳", "李娜"), 18)],
    QueueTableModel: [queue_row(1), queue_row(2, ok=False)],
    AnchorTableModel: [AnchorRow(uuid4(), "A001", "王芳", Affiliation.BRAND, "兰蔻", ("兰蔻",),
                                 ("美妆",), date(2027, 3, 1), 44, True)],
    ScriptTableModel: [ScriptRow(uuid4(), "小棕瓶讲解", ScriptKind.PRODUCT, "雅诗兰黛小棕瓶", 2,
                                 ScriptVersionStatus.SUBMITTED, False, T0)],
    ReportTableModel: [BroadcastReport(uuid4(), "家电焕新专场", T0, 7200, 7380, 17, 18, 35210,
                                       1032, 45678900)],
}


@pytest.mark.parametrize("model_cls", list(SAMPLES), ids=lambda c: c.__name__)
def test_model_passes_qt_model_tester(qtmodeltester, model_cls) -> None:  # type: ignore[no-untyped-def]
    model = model_cls()
    qtmodeltester.check(model)
    model.set_rows(SAMPLES[model_cls])
    qtmodeltester.check(model)
    assert model.rowCount() == len(SAMPLES[model_cls])
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.data(model.index(0, 0), VALUE_ROLE) == SAMPLES[model_cls][0]


def test_product_model_flags_products_that_may_not_go_on_air() -> None:
    model = ProductTableModel()
    model.set_rows(SAMPLES[ProductTableModel])
    gate = [model.data(model.index(r, 7)) for r in range(3)]
    assert gate == ["OK", "No quality papers on file", "No after-sales policy"]
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(1, 1), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(0, 5)) == "¥1,299.00"


def test_times_show_in_the_store_time_zone() -> None:
    model = BroadcastTableModel("Asia/Shanghai")
    model.set_rows(SAMPLES[BroadcastTableModel])
    assert model.data(model.index(0, 0)) == "2026-11-27 14:00"
    assert model.data(model.index(0, 1)) == "16:00"
    assert model.data(model.index(0, 4)) == "王芳、李娜"


def test_queue_model_shows_link_numbers_and_the_gate() -> None:
    model = QueueTableModel()
    model.set_rows(SAMPLES[QueueTableModel])
    assert model.data(model.index(0, 0)) == "#1"
    assert model.data(model.index(0, 6)) == "3:05"
    assert model.data(model.index(1, 7)) == "Blocked: papers missing"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.TextAlignmentRole) is not None


def test_out_of_range_index_gives_nothing() -> None:
    model = ReportTableModel()
    model.set_rows(SAMPLES[ReportTableModel])
    assert model.data(QModelIndex()) is None
    assert model.data(model.index(5, 0)) is None
    assert model.data(model.index(0, 4)) == "17/18"
    assert model.data(model.index(0, 2)) == "2:00:00"
    assert model.data(model.index(0, 3)) == "2:03:00"
    assert model.data(model.index(0, 7)) == "¥456,789.00"
