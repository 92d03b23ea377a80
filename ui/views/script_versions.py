"""A script's versions: each with its status and decision, and a side-by-side diff of any two."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from console.domain.scripts import DiffRow
from console.domain.values import ScriptVersionInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.text import script_status_text

# Row colours of the diff, light and dark: what only the older side has, what only the newer, what changed.
_COLOURS = {
    False: {"removed": "#fde2e2", "added": "#dcfce7", "changed": "#fef3c7"},
    True: {"removed": "#4c1d1d", "added": "#14391f", "changed": "#3d3212"},
}


def _dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Base).lightness() < 128


class VersionsPanel(QWidget):
    """The versions table above, two choosers and the two texts side by side below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._versions: list[ScriptVersionInfo] = []
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("ScriptVersions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.older_label = QLabel(self)
        self.older = QComboBox(self)
        self.newer_label = QLabel(self)
        self.newer = QComboBox(self)
        self.older_label.setBuddy(self.older)
        self.newer_label.setBuddy(self.newer)
        choose = QHBoxLayout()
        choose.addWidget(self.older_label)
        choose.addWidget(self.older, 1)
        choose.addSpacing(16)
        choose.addWidget(self.newer_label)
        choose.addWidget(self.newer, 1)
        self.diff = QTableWidget(0, 4, self)
        self.diff.setObjectName("ScriptDiff")
        self.diff.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.diff.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.diff.verticalHeader().setVisible(False)
        self.diff.setWordWrap(True)
        header = self.diff.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Wrapped rows take their height from the column widths: measured again when those change (the tab
        # shown for the first time, the window resized), not only when the rows are set.
        self._fit = QTimer(self)
        self._fit.setSingleShot(True)
        self._fit.setInterval(0)
        self._fit.timeout.connect(self.diff.resizeRowsToContents)
        header.sectionResized.connect(lambda *_: self._fit.start())
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(choose)
        lower_layout.addWidget(self.diff, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([self.tr("Version"), self.tr("Status"), self.tr("Written by"),
                                              self.tr("Decided by"), self.tr("Comment")])
        self.diff.setHorizontalHeaderLabels(["#", self.tr("Older"), "#", self.tr("Newer")])
        self.older_label.setText(self.tr("&Compare"))
        self.newer_label.setText(self.tr("&with"))
        self.set_versions(self._versions)

    # --- the versions ---
    def set_versions(self, versions: Sequence[ScriptVersionInfo]) -> None:
        """Newest first; ▶ marks the one the prompter shows."""
        same_versions = [v.number for v in versions] == [v.number for v in self._versions]
        self._versions = list(versions)
        self.table.setRowCount(len(self._versions))
        for row, v in enumerate(self._versions):
            cells = [f"v{v.number}" + (" ▶" if v.on_prompter else ""), script_status_text(v.status),
                     v.author_name, v.decided_by_name, _comment(v)]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        # The reader's choice is kept while the versions stay; a new version is compared with the one before.
        older, newer = self.chosen() if same_versions else (None, None)
        for combo in (self.older, self.newer):
            combo.blockSignals(True)
            combo.clear()
            for v in self._versions:
                combo.addItem(f"v{v.number} · {script_status_text(v.status)}", v.number)
            combo.blockSignals(False)
        if len(self._versions) >= 2:
            self.choose(older or self._versions[1].number, newer or self._versions[0].number)
        elif self._versions:
            self.choose(self._versions[0].number, self._versions[0].number)

    def chosen(self) -> tuple[int | None, int | None]:
        return self.older.currentData(), self.newer.currentData()

    def choose(self, older: int, newer: int) -> None:
        for combo, number in ((self.older, older), (self.newer, newer)):
            index = combo.findData(number)
            if index >= 0:
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)

    # --- the diff ---
    def set_diff(self, rows: Sequence[DiffRow]) -> None:
        """The two texts side by side, line against line, the differing rows coloured."""
        colours = _COLOURS[_dark(self)]
        self.diff.setRowCount(len(rows))
        for r, row in enumerate(rows):
            kind = getattr(row.kind, "value", str(row.kind))
            left_no, right_no = row.left_number, row.right_number
            cells = ["" if left_no is None else str(left_no), row.left or "",
                     "" if right_no is None else str(right_no), row.right or ""]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                item.setData(Qt.ItemDataRole.UserRole, kind)
                if kind != "same":
                    side_has = (left_no is not None) if column < 2 else (right_no is not None)
                    colour = colours["changed"] if kind == "changed" else (
                        colours["removed"] if column < 2 else colours["added"])
                    if side_has:
                        item.setBackground(QBrush(QColor(colour)))
                self.diff.setItem(r, column, item)
        self._fit.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit.start()

    def diff_texts(self) -> list[tuple[str, str, str]]:
        """What the diff shows, row by row (kind, older text, newer text): for tests and a look."""
        found = []
        for r in range(self.diff.rowCount()):
            left, right = self.diff.item(r, 1), self.diff.item(r, 3)
            found.append((str(left.data(Qt.ItemDataRole.UserRole)), left.text(), right.text()))
        return found


def _comment(version: ScriptVersionInfo) -> str:
    return " · ".join(part for part in (version.decision_comment, version.override_reason) if part)
