"""Reports: per broadcast, anchor, room, product and store over a date range; drill-down; a show's timeline; exports.

The figures come from the report service (docs/reports.md); this screen only
chooses, shows and writes them. A store row opens its broadcasts, a broadcast
row its products; selecting a broadcast puts its metric timeline on the chart.
Exports: CSV and XLSX of what the table shows (XLSX with the chart's data when a
broadcast is open), and a one-page PDF of a broadcast with its chart.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtCore import QDate, QMarginsF, QModelIndex, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.domain.enums import Platform
from console.domain.permissions import Permission
from console.domain.reports import BROADCAST_PRODUCTS, KINDS, Report, ReportFilters, Timeline
from console.i18n.formats import format_count, format_duration, format_money, in_zone
from console.paths import write_atomically
from console.services.worker import DbWorker
from ui.actions import REPORTS, ActionButton
from ui.i18n import ui_language
from ui.models.reports import ReportModel
from ui.operations import FAILED
from ui.text import platform_text
from ui.views.page import Page, make_table

if TYPE_CHECKING:
    from console.services.registry import Services
    from ui.views.report_chart import TimelineChart
    from ui.actions import ActionRegistry


class ReportsPage(Page):
    view_name = "reports"
    scope = REPORTS
    watches = frozenset({"broadcast", "metric_snapshot", "onair_event", "queue_item", "show_run", "product",
                         "anchor", "live_room", "shift", "store"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self._tz = timezone
        self._choices: Any = None
        # Where the table is: a kind's report, or drilled into a store (its broadcasts) or a broadcast (its products).
        self.drill: tuple[str, UUID, str] | None = None
        self.report: Report | None = None
        self.timeline: Timeline | None = None

        bar = QHBoxLayout()
        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("ReportKind")
        for kind in KINDS:
            self.kind_box.addItem("", kind)
        today = in_zone_today(timezone)
        self.from_edit, self.to_edit = QDateEdit(self), QDateEdit(self)
        for edit, day in ((self.from_edit, today - timedelta(days=29)), (self.to_edit, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(day.year, day.month, day.day))
        self.platform_box, self.room_box = QComboBox(self), QComboBox(self)
        self.brand_box, self.category_box = QComboBox(self), QComboBox(self)
        self.from_label, self.to_label = QLabel(self), QLabel(self)
        bar.addWidget(self.kind_box)
        bar.addWidget(self.from_label)
        bar.addWidget(self.from_edit)
        bar.addWidget(self.to_label)
        bar.addWidget(self.to_edit)
        bar.addStretch(1)
        self.csv_button, self.xlsx_button, self.pdf_button = QPushButton(self), QPushButton(self), QPushButton(self)
        for button in (self.csv_button, self.xlsx_button, self.pdf_button):
            bar.addWidget(button)
        self.body.addLayout(bar)
        # The filters share the line of where the table is, so that the screen fits a 1024-pixel-wide window.
        filters = self._filters = QHBoxLayout()
        for box in (self.platform_box, self.room_box, self.brand_box, self.category_box):
            box.setMinimumContentsLength(6)
            # A long room or brand name widens its box on a wide screen, never the window's least width.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            filters.addWidget(box)

        crumbs = QHBoxLayout()
        self.back_button = QPushButton(self)
        self.back_button.setObjectName("ReportBack")
        self.where_label = QLabel(self)
        self.where_label.setObjectName("SectionTitle")
        crumbs.addWidget(self.back_button)
        crumbs.addWidget(self.where_label, 1)
        crumbs.addLayout(filters)
        self.body.addLayout(crumbs)

        self.model = ReportModel(timezone, self)
        self.view = make_table(self.model, self)
        self.view.activated.connect(self.on_drill)               # Enter or a double-click
        self.view.selectionModel().currentRowChanged.connect(self._on_row)
        # The chart (pyqtgraph, numpy) is built the first time it is needed, so neither weighs on the
        # console's start or on a window whose user never opens Reports.
        self._chart: TimelineChart | None = None
        self._chart_holder = QWidget(self)
        self._chart_holder.setMinimumHeight(180)
        QVBoxLayout(self._chart_holder).setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.view)
        split.addWidget(self._chart_holder)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.body.addWidget(split, 1)

        self.kind_box.currentIndexChanged.connect(self._on_kind)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _d: self.refresh_soon())
        for box in (self.platform_box, self.room_box, self.brand_box, self.category_box):
            box.currentIndexChanged.connect(lambda _i: self.refresh_soon())
        self.back_button.clicked.connect(self.on_back)
        self.csv_button.clicked.connect(lambda: self.on_export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.on_export("xlsx"))
        self.pdf_button.clicked.connect(self.on_export_pdf)
        self.coming_label.hide()
        self.retranslate()

    def set_actions(self, actions: ActionRegistry) -> None:
        ActionButton(self.xlsx_button, actions["reports.export_xlsx"], "text")
        ActionButton(self.pdf_button, actions["reports.export_pdf"], "text")
        ActionButton(self.back_button, actions["reports.back"], "text")

    # --- words ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Reports"))
        self.intro_label.setText(self.tr(
            "What each broadcast, anchor, room, product and store sold: planned against actual, viewers, orders "
            "and GMV. Rehearsals and cancelled shows never count. Double-click a store or a broadcast to open it."))
        if not self._services.actor.may(Permission.VIEW_REPORTS):
            # An anchor: the service answers with their own shows only; the screen says so.
            self.intro_label.setText(self.tr(
                "The shows you hosted: planned against actual, viewers, orders and GMV. The store's other figures "
                "are for store managers and head office."))
        names = {"broadcasts": self.tr("Broadcasts"), "anchors": self.tr("Anchors"), "rooms": self.tr("Rooms"),
                 "products": self.tr("Products"), "stores": self.tr("Stores")}
        for i, kind in enumerate(KINDS):
            self.kind_box.setItemText(i, names[kind])
        self.from_label.setText(self.tr("From"))
        self.to_label.setText(self.tr("to"))
        self.csv_button.setText(self.tr("Export CSV…"))
        self.xlsx_button.setText(self.tr("Export Excel…"))
        self.pdf_button.setText(self.tr("Broadcast PDF…"))
        self.back_button.setText(self.tr("Back"))
        if self._chart is not None:
            self._name_series(self._chart)
        self._fill_choices()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, self.model.columnCount() - 1))
        self._show_where()

    def _fill_choices(self) -> None:
        c = self._choices
        fills = (
            (self.platform_box, self.tr("All platforms"),
             [(platform_text(Platform(p)), p) for p in (c.platforms if c else ())]),
            (self.room_box, self.tr("All rooms"), [(name, rid) for rid, name in (c.rooms if c else ())]),
            (self.brand_box, self.tr("All brands"), [(b, b) for b in (c.brands if c else ())]),
            (self.category_box, self.tr("All categories"), [(k, k) for k in (c.categories if c else ())]),
        )
        for box, everything, items in fills:
            chosen = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for label, value in items:
                box.addItem(label, value)
            found = box.findData(chosen)
            box.setCurrentIndex(found if found >= 0 else 0)
            box.blockSignals(False)

    def _show_where(self) -> None:
        self.back_button.setVisible(self.drill is not None)
        if self.drill is None:
            self.where_label.setText(self.kind_box.currentText())
        elif self.drill[0] == "store":
            self.where_label.setText(self.tr("%1: its broadcasts").replace("%1", self.drill[2]))
        else:
            self.where_label.setText(self.tr("%1: its products").replace("%1", self.drill[2]))
        self.pdf_button.setEnabled(self.timeline is not None)

    def _name_series(self, chart: TimelineChart) -> None:
        chart.set_names(self.tr("Viewers"), self.tr("Orders"), self.tr("GMV (¥)"))

    @property
    def chart(self) -> TimelineChart:
        if self._chart is None:
            from ui.views.report_chart import TimelineChart

            self._chart = TimelineChart(self._chart_holder)
            self._name_series(self._chart)
            layout = self._chart_holder.layout()
            assert layout is not None
            layout.addWidget(self._chart)
        return self._chart

    # --- loading ----------------------------------------------------------------------------------
    def filters(self) -> ReportFilters:
        return ReportFilters(platform=self.platform_box.currentData(), room_id=self.room_box.currentData(),
                             brand=self.brand_box.currentData(), category=self.category_box.currentData())

    def dates(self) -> tuple[date, date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()  # type: ignore[return-value]

    async def load(self) -> None:
        reports = self._services.reports
        if self._choices is None:
            self._choices = await self.call(reports.choices)
            self._fill_choices()
        if self.drill is not None and self.drill[0] == "broadcast":
            report = await self.call(reports.broadcast_products, self.drill[1])
            timeline = await self.call(reports.timeline, self.drill[1])
        else:
            kind = "broadcasts" if self.drill is not None else self.kind_box.currentData()
            start, end = self.dates()
            report = await self.call(reports.report, kind, start, end, self.filters())
            timeline = None
        self.report = report
        self.model.set_report(report)
        for column in range(self.model.columnCount()):
            self.view.setColumnHidden(column, column in self.model.hidden_columns())
        self.view.resizeColumnsToContents()
        if timeline is not None:
            self._put_timeline(timeline)
        elif report.kind == "broadcasts" and report.rows:
            # The latest show's timeline, so the chart is never empty when there is one to show.
            self.view.selectRow(len(report.rows) - 1)
        else:
            self._put_timeline(None)
        self._show_where()

    def _put_timeline(self, timeline: Timeline | None) -> None:
        self.timeline = timeline
        if timeline is None:
            self.chart.clear_timeline()
        else:
            self.chart.show_timeline(timeline)
        self.pdf_button.setEnabled(timeline is not None)

    @asyncSlot()
    async def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.report is None or self.report.kind != "broadcasts" or not current.isValid():
            return
        broadcast_id = self.model.id_at(current)
        timeline = await self.ops.run(self._services.reports.timeline, broadcast_id)
        if timeline is not FAILED:
            self._put_timeline(timeline)

    def _on_kind(self, _index: int) -> None:
        self.drill = None
        self.refresh_soon()

    # --- drilling ---------------------------------------------------------------------------------
    @asyncSlot()
    async def on_drill(self, index: QModelIndex | None = None) -> None:
        index = index if index is not None else self.view.currentIndex()
        if self.report is None or index is None or not index.isValid():
            return
        row = self.report.rows[index.row()]
        values = dict(zip(self.report.columns, row.values))
        if self.report.kind == "stores":
            self.drill = ("store", row.id, str(values["store"]))
        elif self.report.kind == "broadcasts":
            self.drill = ("broadcast", row.id, str(values["title"]))
        else:
            return
        await self.refresh()

    @asyncSlot()
    async def on_back(self) -> None:
        if self.drill is None:
            return
        # From a broadcast opened from a store, back to that store's broadcasts; else to the report chosen.
        self.drill = None
        await self.refresh()

    # --- exports ----------------------------------------------------------------------------------
    def _suggested(self, suffix: str) -> str:
        start, end = self.dates()
        kind = self.report.kind if self.report else "report"
        return f"{kind}-{start.isoformat()}-{end.isoformat()}.{suffix}"

    @asyncSlot()
    async def on_export(self, fmt: str = "xlsx") -> None:
        if self.report is None:
            return
        patterns = {"csv": self.tr("CSV files (*.csv)"), "xlsx": self.tr("Excel workbooks (*.xlsx)")}
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export report"), self._suggested(fmt), patterns[fmt])
        if name:
            await self.export_to(Path(name), fmt)

    async def export_to(self, path: Path, fmt: str) -> None:
        """Write what the table shows (XLSX: with the open broadcast's chart data) to ``path``."""
        assert self.report is not None
        report, timeline = self.report, self.timeline if self.report.kind == BROADCAST_PRODUCTS else None
        extra: tuple[Report, ...] = ()
        from console.services.report_files import report_bytes   # openpyxl and the CSV writers: when asked

        await self.ops.run(lambda: write_atomically(path, report_bytes(report, fmt, extra=extra, timeline=timeline)),
                           trigger=self.xlsx_button if fmt == "xlsx" else self.csv_button,
                           progress=self.tr("Writing the report…"))

    @asyncSlot()
    async def on_export_pdf(self) -> None:
        if self.timeline is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Broadcast PDF"), f"{self.timeline.title}.pdf",
                                              self.tr("PDF files (*.pdf)"))
        if name:
            await self.export_pdf(Path(name))

    async def export_pdf(self, path: Path) -> None:
        """One A4 landscape page: the broadcast's figures and its chart."""
        timeline = self.timeline
        assert timeline is not None
        products = await self.ops.run(self._services.reports.broadcast_products, timeline.broadcast_id)
        if products is FAILED:
            return
        chart = self.chart.grab()
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Landscape)
        writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
        writer.setResolution(150)
        writer.setTitle(timeline.title)
        painter = QPainter(writer)
        try:
            width = writer.width()
            font = QFont(self.font())
            font.setPointSize(16)
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(QRectF(0, 0, width, 60), timeline.title)
            font.setPointSize(9)
            font.setBold(False)
            painter.setFont(font)
            y = 70
            for line in self._pdf_lines(timeline, products):
                painter.drawText(QRectF(0, y, width, 30), line)
                y += 28
            target = QRectF(0, y + 10, width, writer.height() - y - 10)
            scaled = chart.size().scaled(int(target.width()), int(target.height()), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawPixmap(QRectF(target.x(), target.y(), scaled.width(), scaled.height()), chart, QRectF(chart.rect()))
        finally:
            painter.end()

    def _pdf_lines(self, timeline: Timeline, products: Report) -> list[str]:
        language = ui_language()
        zone = timeline.timezone
        start = in_zone(timeline.planned_start, zone).strftime("%Y-%m-%d %H:%M")
        planned = format_duration(timeline.planned_end - timeline.planned_start)
        actual = (format_duration(timeline.actual_end - timeline.actual_start)
                  if timeline.actual_start and timeline.actual_end else "—")
        rows = list(products.dicts())
        explained = sum(1 for r in rows if r["explained"])
        peak = max((r.viewers for r in timeline.readings), default=0)
        orders = max((r.orders for r in timeline.readings), default=0)
        gmv = max((r.gmv_fen for r in timeline.readings), default=0)
        lines = [
            self.tr("%1 · %2 · planned %3, actual %4").replace("%1", timeline.room).replace("%2", start)
            .replace("%3", planned).replace("%4", actual),
            self.tr("Products explained %1 of %2 · peak viewers %3 · orders %4 · GMV %5")
            .replace("%1", str(explained)).replace("%2", str(len(rows))).replace("%3", format_count(peak, language))
            .replace("%4", format_count(orders, language)).replace("%5", format_money(gmv, language)),
        ]
        for r in rows[:12]:
            lines.append(f"#{r['link_number']} {r['product']} · {format_count(r['orders'], language)} · "
                         f"{format_money(r['gmv'], language)}")
        return lines

    # --- keys -------------------------------------------------------------------------------------
    def export_xlsx(self) -> None:
        self.on_export("xlsx")

    def export_broadcast_pdf(self) -> None:
        self.on_export_pdf()

    def go_back(self) -> None:
        self.on_back()


def in_zone_today(zone: str) -> date:
    from datetime import UTC, datetime

    return in_zone(datetime.now(UTC), zone).date()

