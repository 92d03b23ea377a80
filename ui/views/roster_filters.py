"""The week board's tool row: rooms or anchors as lanes, the room, anchor and role filters, the zoom, the legend."""

from __future__ import annotations

from uuid import UUID

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from console.domain.enums import ShiftRole
from ui.layouts import FlowLayout
from ui.models.week import LaneKind, WeekModel
from ui.text import shift_role_text
from ui.views.roster_dialogs import ROLES
from ui.views.week_board import ROLE_COLOURS, ZOOMS, WeekBoard


class BoardFilters(QObject):
    """What the board shows and how wide; :attr:`row` is the line of controls, for the page's layout."""

    def __init__(self, parent: QWidget, model: WeekModel, board: WeekBoard) -> None:
        super().__init__(parent)
        self._model = model
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        self.rooms_button = QPushButton(parent)
        self.anchors_button = QPushButton(parent)
        self.lanes_group = QButtonGroup(parent)
        for n, b in enumerate((self.rooms_button, self.anchors_button)):
            b.setCheckable(True)
            b.setStyleSheet("QPushButton:checked { background: #2563eb; color: white; border: 1px solid #1d4ed8;"
                            " border-radius: 4px; }")
            self.lanes_group.addButton(b, n)
            tools.addWidget(b)
        self.rooms_button.setChecked(True)
        self.room_filter = QComboBox(parent)
        self.anchor_filter = QComboBox(parent)
        self.role_filter = QComboBox(parent)
        self.zoom_combo = QComboBox(parent)
        for combo in (self.room_filter, self.anchor_filter, self.role_filter):
            combo.setMinimumContentsLength(8)
            tools.addSpacing(6)
            tools.addWidget(combo)
        tools.addSpacing(6)
        tools.addWidget(self.zoom_combo)
        filters_group = QWidget(parent)
        filters_group.setLayout(tools)
        # One label per entry, so a narrow window wraps the legend between entries, never inside one.
        self.legend = QWidget(parent)
        self.legend.setObjectName("Legend")
        legend_flow = FlowLayout(self.legend, spacing=12, line_spacing=2)
        self.legend_items: list[QLabel] = []
        for _entry in range(len(ROLES) + 4):
            item = QLabel(self.legend)
            item.setTextFormat(Qt.TextFormat.RichText)
            legend_flow.add_widget(item)
            self.legend_items.append(item)
        self.row = FlowLayout()
        self.row.add_widget(filters_group)
        self.row.add_widget(self.legend, right=True)

        self.lanes_group.idClicked.connect(
            lambda which: model.set_kind(LaneKind.ROOMS if which == 0 else LaneKind.ANCHORS))
        for combo in (self.room_filter, self.anchor_filter, self.role_filter):
            combo.activated.connect(lambda _i: self._apply())
        self.zoom_combo.activated.connect(lambda i: board.set_zoom(ZOOMS[i]))

    def retranslate(self) -> None:
        self.rooms_button.setText(self.tr("Live rooms"))
        self.anchors_button.setText(self.tr("Anchors"))
        self._fill_roles()
        self.fill_lanes()
        current = max(self.zoom_combo.currentIndex(), 0)
        self.zoom_combo.clear()
        self.zoom_combo.addItems([self.tr("Fit the week"), self.tr("1 hour = 30 px"),
                                  self.tr("1 hour = 60 px"), self.tr("1 hour = 120 px")])
        self.zoom_combo.setCurrentIndex(current)
        legend = [(ROLE_COLOURS[r].name(), "■", shift_role_text(r)) for r in ROLES]
        legend += [("#64748b", "▨", self.tr("Draft")), ("#f97316", "◥", self.tr("Changed since published")),
                   ("#f59e0b", "●", self.tr("Warning")), ("#dc2626", "<b>!</b>", self.tr("Needs attention"))]
        for item, (c, mark, words) in zip(self.legend_items, legend, strict=True):
            item.setText(f"<span style='color:{c}; font-size:15px'>{mark}</span>&nbsp;{words}")

    def _fill_roles(self) -> None:
        current = self.role_filter.currentData()
        self.role_filter.clear()
        self.role_filter.addItem(self.tr("All roles"), None)
        for role in ROLES:
            # A StrEnum would come back from the combo as a plain str: keep the value, rebuild the role.
            self.role_filter.addItem(shift_role_text(role), role.value)
        self.role_filter.setCurrentIndex(max(self.role_filter.findData(current), 0))

    def fill_lanes(self) -> None:
        """The rooms and anchors of the week as loaded; a filter's choice stays if it is still there."""
        for combo, everyone, rows in (
            (self.room_filter, self.tr("All live rooms"), self._model.rooms),
            (self.anchor_filter, self.tr("All anchors"), self._model.anchors),
        ):
            current = combo.currentData()
            combo.clear()
            combo.addItem(everyone, None)
            for row in rows:
                # Item data compares by value only for Qt types: keep ids as text.
                combo.addItem(row.name, str(row.id))
            combo.setCurrentIndex(max(combo.findData(current), 0))

    def _apply(self) -> None:
        room, anchor, role = (c.currentData() for c in (self.room_filter, self.anchor_filter, self.role_filter))
        self._model.set_filters(room=UUID(room) if room else None, anchor=UUID(anchor) if anchor else None,
                                role=ShiftRole(role) if role else None)

    def set_filters(self, *, room: UUID | None = None, anchor: UUID | None = None,
                    role: ShiftRole | None = None) -> None:
        """Choose filters as the combo boxes would (for keyboard users' scripts and tests)."""
        for combo, value in ((self.room_filter, str(room) if room else None),
                             (self.anchor_filter, str(anchor) if anchor else None),
                             (self.role_filter, role.value if role else None)):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self._apply()
