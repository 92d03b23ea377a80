"""Layouts the screens share: a row of controls that wraps onto more lines when the window is narrow."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget, QWidgetItem


class FlowLayout(QLayout):
    """Items left to right, wrapping onto a new line where the width runs out.

    An item added with ``right=True`` keeps to the right edge of its line (a
    toolbar's publish button, a legend), so at full width the row looks like
    an ordinary one with a stretch in the middle; on a narrow screen (a live
    room's laptop) what does not fit moves down instead of being cut off.
    Items with a height-for-width of their own (a nested flow) get the width
    the line can give them, down to their minimum.
    """

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6, line_spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right: set[int] = set()        # ids of the items kept to the right
        self._spacing = spacing
        self._line_spacing = line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    # --- filling ------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add_widget(self, widget: QWidget, *, right: bool = False) -> None:
        self.addChildWidget(widget)
        item = QWidgetItem(widget)
        self.addItem(item)
        if right:
            self._right.add(id(item))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        self._right.discard(id(item))
        return item

    # --- sizes ----------------------------------------------------------------------
    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def sizeHint(self) -> QSize:
        """Everything on one line: what the row asks for when the window is wide enough."""
        shown = self._shown()
        width = sum(item.sizeHint().width() for item in shown) + self._spacing * max(len(shown) - 1, 0)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return QSize(width, height) + self._margin_size()

    def minimumSize(self) -> QSize:
        """As narrow as the widest single item: everything else can move to a line of its own."""
        shown = self._shown()
        width = max((item.minimumSize().width() for item in shown), default=0)
        height = max((item.minimumSize().height() for item in shown), default=0)
        return QSize(width, height) + self._margin_size()

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    # --- placing ----------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _margin_size(self) -> QSize:
        m = self.contentsMargins()
        return QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` (or only measure); returns the height used."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        available = max(area.width(), 0)
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        used = 0
        for item in self._shown():
            width = max(min(item.sizeHint().width(), available), item.minimumSize().width())
            height = item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()
            size = QSize(width, max(height, item.minimumSize().height()))
            line = lines[-1]
            needed = size.width() + (self._spacing if line else 0)
            if line and used + needed > available:
                lines.append([])
                line, used, needed = lines[-1], 0, size.width()
            line.append((item, size))
            used += needed
        y = area.top()
        for line in lines:
            if not line:
                continue
            line_height = max(size.height() for _item, size in line)
            if move:
                self._place_line(line, area, y, line_height)
            y += line_height + self._line_spacing
        return max(y - self._line_spacing - area.top(), 0) + m.top() + m.bottom()

    def _place_line(self, line: list[tuple[QLayoutItem, QSize]], area: QRect, y: int, height: int) -> None:
        left = [(item, size) for item, size in line if id(item) not in self._right]
        right = [(item, size) for item, size in line if id(item) in self._right]
        x = area.left()
        for item, size in left:
            item.setGeometry(QRect(QPoint(x, y + (height - size.height()) // 2), size))
            x += size.width() + self._spacing
        x = area.right() + 1 - sum(size.width() for _item, size in right) - self._spacing * max(len(right) - 1, 0)
        for item, size in right:
            item.setGeometry(QRect(QPoint(x, y + (height - size.height()) // 2), size))
            x += size.width() + self._spacing


def fit_to_screen(window: QWidget, preferred: QSize, *, margin: int = 48) -> None:
    """Give a dialog its ``preferred`` size, or as much of it as the screen it opens on has room for.

    On a live room's 1024 x 700 laptop a dialog laid out for an office screen would
    open with its buttons off-screen; this keeps it inside the screen's free area,
    and never below what its own layout needs.
    """
    anchor = window.parentWidget() or window
    screen = anchor.screen() or QGuiApplication.primaryScreen()
    wanted = preferred.expandedTo(window.minimumSizeHint())
    if screen is not None:
        room = screen.availableGeometry().size() - QSize(margin, margin)
        wanted = wanted.boundedTo(room.expandedTo(window.minimumSizeHint()))
    window.resize(wanted)
