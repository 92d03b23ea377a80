"""A broadcast's metric timeline: viewers, orders and GMV over time, the products on air marked, zoom and hover.

pyqtgraph draws it (time axis, pan and zoom with the mouse wheel, a second axis for
GMV); each product's stretch on air is a shaded band with its link number. Hovering
shows the reading nearest the pointer and the product on air then.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.domain.reports import Segment, Timeline
from console.i18n.formats import format_count, format_money, in_zone
from ui.i18n import ui_language

VIEWERS_PEN = "#2563eb"
ORDERS_PEN = "#16a34a"
GMV_PEN = "#db2777"
BANDS = ("#f59e0b", "#8b5cf6")


class _ZonedAxis(pg.DateAxisItem):
    """Times on the store's wall clock, whatever the machine's zone."""

    def __init__(self, zone: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._zone = zone

    def set_zone(self, zone: str) -> None:
        self._zone = zone

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        from datetime import UTC, datetime

        fmt = "%H:%M:%S" if spacing < 60 else "%H:%M"
        return [in_zone(datetime.fromtimestamp(v, UTC), self._zone).strftime(fmt) for v in values]


class TimelineChart(QWidget):
    """The chart; :meth:`show_timeline` puts a broadcast on it, :meth:`clear_timeline` empties it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TimelineChart")
        self.timeline: Timeline | None = None
        self._xs: list[float] = []
        self._axis = _ZonedAxis("Asia/Shanghai", orientation="bottom")
        self.plot = pg.PlotWidget(self, axisItems={"bottom": self._axis})
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setMouseEnabled(x=True, y=False)     # the wheel zooms time; figures keep their scale
        self.plot.addLegend(offset=(10, 5))
        self._item = self.plot.getPlotItem()
        self._item.showAxis("right")
        self._gmv_box = pg.ViewBox()
        self._item.scene().addItem(self._gmv_box)
        self._item.getAxis("right").linkToView(self._gmv_box)
        self._gmv_box.setXLink(self._item)
        self._item.vb.sigResized.connect(self._follow_size)
        self.viewers_curve = self.plot.plot([], [], pen=pg.mkPen(VIEWERS_PEN, width=2), name="viewers")
        self.orders_curve = self.plot.plot([], [], pen=pg.mkPen(ORDERS_PEN, width=2), name="orders")
        self.gmv_curve = pg.PlotDataItem([], [], pen=pg.mkPen(GMV_PEN, width=2, style=Qt.PenStyle.DashLine))
        self._gmv_box.addItem(self.gmv_curve)
        self._item.legend.addItem(self.gmv_curve, "gmv")
        self.bands: list[pg.LinearRegionItem] = []
        self._labels: list[pg.TextItem] = []
        self.cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#64748b", width=1))
        self.cursor.hide()
        self.plot.addItem(self.cursor, ignoreBounds=True)
        self.hover_label = pg.TextItem(anchor=(0, 0), color="#0f172a", fill=pg.mkBrush(255, 255, 255, 220))
        self.hover_label.hide()
        self.plot.addItem(self.hover_label, ignoreBounds=True)
        self.hover_text = ""
        self._moves = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.set_names("Viewers", "Orders", "GMV (¥)")
        self._follow_palette()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._follow_palette()
        super().changeEvent(event)

    def _follow_palette(self) -> None:
        """The theme's colours (light or dark), not pyqtgraph's black."""
        palette = self.palette()
        self.plot.setBackground(palette.color(QPalette.ColorRole.Base))
        ink = palette.color(QPalette.ColorRole.Text)
        for name in ("left", "bottom", "right"):
            axis = self._item.getAxis(name)
            axis.setPen(pg.mkPen(ink))
            axis.setTextPen(pg.mkPen(ink))
        self._item.legend.setLabelTextColor(ink)

    # --- putting a broadcast on it ------------------------------------------------------------
    def set_names(self, viewers: str, orders: str, gmv: str) -> None:
        """The legend's and axes' words, in the screen's language."""
        legend = self._item.legend
        for curve, name in ((self.viewers_curve, viewers), (self.orders_curve, orders), (self.gmv_curve, gmv)):
            for sample, label in legend.items:
                if sample.item is curve:
                    label.setText(name)
        self._item.getAxis("left").setLabel(f"{viewers} / {orders}")
        self._item.getAxis("right").setLabel(gmv)

    def show_timeline(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self._axis.set_zone(timeline.timezone)
        self._xs = [r.at.timestamp() for r in timeline.readings]
        self.viewers_curve.setData(self._xs, [r.viewers for r in timeline.readings])
        self.orders_curve.setData(self._xs, [r.orders for r in timeline.readings])
        self.gmv_curve.setData(self._xs, [r.gmv_fen / 100 for r in timeline.readings])
        self._mark_segments(timeline)
        self._item.enableAutoRange()
        self._gmv_box.enableAutoRange()
        self._follow_size()

    def clear_timeline(self) -> None:
        self.timeline = None
        self._xs = []
        for curve in (self.viewers_curve, self.orders_curve, self.gmv_curve):
            curve.setData([], [])
        self._mark_segments(None)
        self.cursor.hide()
        self.hover_label.hide()

    def _mark_segments(self, timeline: Timeline | None) -> None:
        for item in (*self.bands, *self._labels):
            self.plot.removeItem(item)
        self.bands, self._labels = [], []
        if timeline is None:
            return
        last = self._xs[-1] if self._xs else None
        top = max((r.viewers for r in timeline.readings), default=0)
        for n, segment in enumerate(timeline.segments):
            start = segment.start.timestamp()
            end = segment.end.timestamp() if segment.end is not None else (last or start)
            colour = QColor(BANDS[n % len(BANDS)])
            colour.setAlpha(40)
            band = pg.LinearRegionItem((start, end), movable=False, brush=pg.mkBrush(colour),
                                       pen=pg.mkPen(None))
            band.setZValue(-10)
            self.plot.addItem(band)
            self.bands.append(band)
            label = pg.TextItem(str(segment.link_number), color=BANDS[n % len(BANDS)], anchor=(0.5, 1))
            label.setPos(QPointF((start + end) / 2, top))
            self.plot.addItem(label, ignoreBounds=True)
            self._labels.append(label)

    def _follow_size(self) -> None:
        self._gmv_box.setGeometry(self._item.vb.sceneBoundingRect())
        self._gmv_box.linkedViewChanged(self._item.vb, self._gmv_box.XAxis)

    # --- hovering -----------------------------------------------------------------------------
    def _on_mouse(self, event: tuple[Any, ...]) -> None:
        self.hover_at(self._item.vb.mapSceneToView(event[0]).x())

    def hover_at(self, x: float) -> None:
        """Show the reading nearest ``x`` (seconds since the epoch) and what was on air then."""
        timeline = self.timeline
        if timeline is None or not self._xs:
            return
        i = min(bisect_left(self._xs, x), len(self._xs) - 1)
        if i > 0 and abs(self._xs[i - 1] - x) < abs(self._xs[i] - x):
            i -= 1
        reading = timeline.readings[i]
        on = _on_air(timeline.segments, reading.at)
        language = ui_language()
        moment = in_zone(reading.at, timeline.timezone).strftime("%H:%M:%S")
        lines = [moment, f"{self._names()[0]} {format_count(reading.viewers, language)}",
                 f"{self._names()[1]} {format_count(reading.orders, language)}",
                 f"{self._names()[2]} {format_money(reading.gmv_fen, language)}"]
        if on is not None:
            lines.append(f"#{on.link_number} {on.product}")
        self.hover_text = "\n".join(lines)
        self.cursor.setPos(self._xs[i])
        self.cursor.show()
        self.hover_label.setText(self.hover_text)
        self.hover_label.setPos(self._xs[i], self._item.vb.viewRange()[1][1])
        self.hover_label.show()

    def _names(self) -> tuple[str, str, str]:
        axis = self._item.getAxis("left").labelText.split(" / ")
        return (axis[0], axis[1] if len(axis) > 1 else "", self._item.getAxis("right").labelText)


def _on_air(segments: tuple[Segment, ...], at: Any) -> Segment | None:
    return next((g for g in segments if g.start <= at and (g.end is None or at < g.end)), None)
