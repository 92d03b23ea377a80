"""The Reports screen on the demo store: the table shows the service's figures, drill-down, the chart, exports."""

from __future__ import annotations

import csv
import re
import io
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QDate

from console.domain.reports import ReportFilters
from tests.ui.conftest import in_loop, manager_window, run, wait_until

TIMEOUT = 30.0


def _open(console, qloop, qtbot):  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    run(qloop, window.show_view("reports"))
    page = window.pages["reports"]
    wait_until(qloop, lambda: page.report is not None and page.timeline is not None, TIMEOUT)
    return window, page


def test_the_table_shows_the_services_figures_and_the_latest_shows_timeline(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, page = _open(console, qloop, qtbot)
    start, end = page.dates()
    expected = run(qloop, console.worker.run(window._services.reports.report, "broadcasts", start, end,
                                             ReportFilters()))
    assert page.report.rows == expected.rows and len(expected.rows) > 10
    model = page.model
    gmv = model.columns.index("gmv")
    assert model.headerData(gmv, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "GMV"
    assert model.index(0, gmv).data().startswith("¥")
    # The latest show is selected and on the chart, with its products on air shaded.
    chart = page.chart
    assert page.timeline.broadcast_id == expected.rows[-1].id
    assert len(chart.bands) == len(page.timeline.segments) > 0
    first = page.timeline.segments[0]
    chart.hover_at((first.start.timestamp() + (first.end or first.start).timestamp()) / 2)
    assert f"#{first.link_number} {first.product}" in chart.hover_text
    image = chart.grab().toImage()
    assert image.width() > 300 and len({image.pixel(x, image.height() // 2) for x in range(0, image.width(), 7)}) > 3


def test_drill_down_from_a_store_to_a_broadcast_to_its_products(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, page = _open(console, qloop, qtbot)
    page.kind_box.setCurrentIndex(page.kind_box.findData("stores"))
    wait_until(qloop, lambda: page.report.kind == "stores", TIMEOUT)
    assert len(page.report.rows) == 1
    in_loop(qloop, lambda: page.on_drill(page.model.index(0, 1)))
    wait_until(qloop, lambda: page.drill is not None and page.report.kind == "broadcasts", TIMEOUT)
    assert not page.back_button.isHidden()
    row = len(page.report.rows) - 1
    title = page.report.rows[row].values[1]
    in_loop(qloop, lambda: page.on_drill(page.model.index(row, 1)))
    wait_until(qloop, lambda: page.report.kind == "broadcast_products", TIMEOUT)
    assert title in page.where_label.text()
    assert page.model.columns[0] == "link_number" and len(page.report.rows) > 0
    in_loop(qloop, page.on_back)
    wait_until(qloop, lambda: page.drill is None and page.report.kind == "stores", TIMEOUT)


def test_filters_and_an_empty_range(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, page = _open(console, qloop, qtbot)
    everything = len(page.report.rows)
    page.room_box.setCurrentIndex(1)
    wait_until(qloop, lambda: 0 < len(page.report.rows) < everything, TIMEOUT)
    room = page.model.columns.index("room")
    assert {r.values[room] for r in page.report.rows} == {page.room_box.currentText()}
    page.from_edit.setDate(QDate(2020, 1, 1))
    page.to_edit.setDate(QDate(2020, 1, 31))
    wait_until(qloop, lambda: page.report.rows == () and page.report.range.start == date(2020, 1, 1), TIMEOUT)
    assert page.problem_label.isHidden()


def test_a_backwards_range_is_said_on_the_screen(console, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, page = _open(console, qloop, qtbot)
    page.to_edit.setDate(QDate(2020, 1, 1))
    wait_until(qloop, lambda: not page.problem_label.isHidden(), TIMEOUT)
    assert "before it starts" in page.problem_label.text()


def test_exports_csv_xlsx_and_a_pdf_with_the_chart(console, qloop, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, page = _open(console, qloop, qtbot)
    run(qloop, page.export_to(tmp_path / "r.csv", "csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8-sig"))))
    assert len(rows) == len(page.report.rows) and "." in rows[0]["gmv"]
    # Open the latest broadcast: its products, with the chart's data in the workbook.
    last = len(page.report.rows) - 1
    in_loop(qloop, lambda: page.on_drill(page.model.index(last, 1)))
    wait_until(qloop, lambda: page.report.kind == "broadcast_products", TIMEOUT)
    run(qloop, page.export_to(tmp_path / "r.xlsx", "xlsx"))
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["broadcast_products", "timeline", "segments"]
    assert book["timeline"].max_row - 1 == len(page.timeline.readings)
    run(qloop, page.export_pdf(tmp_path / "show.pdf"))
    pdf = (tmp_path / "show.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"/Image" in pdf     # the chart is in it, as a picture
    assert re.search(rb"/Count 1\b", pdf)                   # one page


def test_the_report_model_contract(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from uuid import uuid4

    from console.domain.reports import COLUMNS, Report, ReportRange, ReportRow
    from ui.models.reports import ReportModel

    rid = uuid4()
    model = ReportModel()
    model.set_report(Report(kind="rooms", range=ReportRange(date(2026, 12, 1), date(2026, 12, 2)),
                            timezone="Asia/Shanghai", columns=COLUMNS["rooms"], rows=(
        ReportRow(rid, (str(rid), "R1", "美妆直播间", 2, 14400, 10800, -3600, 5, 5, 2000, 706, 40, 600_000, 200_000,
                        2)),)))
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in (1, 5, 6, 12)] == ["R1", "3:00:00", "−1:00:00", "¥6,000.00"]
