"""What every screen shares: a title, an intro, a problem line, what is coming next."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.domain.errors import DomainError
from console.services.worker import DbWorker
from ui.i18n import Readable, render

if TYPE_CHECKING:
    from console.services.registry import Services


log = logging.getLogger(__name__)
R = TypeVar("R")


def make_table(model: Any, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setWordWrap(False)
    return view


class Page(QWidget):
    """A screen of the main window. Subclasses fill ``body`` and implement ``load``."""

    view_name = ""

    def __init__(self, services: Services, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._worker = worker
        self.setObjectName(f"Page_{self.view_name}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(10)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("PageTitle")
        self.intro_label = QLabel(self)
        self.intro_label.setObjectName("PageIntro")
        self.intro_label.setWordWrap(True)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("Problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        # What the problem line shows, kept so that a language switch shows it again in the new language.
        self._problem: tuple[Readable | Sequence[Readable], Callable[[str], str] | None] | None = None
        outer.addWidget(self.title_label)
        outer.addWidget(self.intro_label)
        outer.addWidget(self.problem_label)
        self.body = QVBoxLayout()
        self.body.setSpacing(10)
        outer.addLayout(self.body, 1)
        self.coming_label = QLabel(self)
        self.coming_label.setObjectName("Coming")
        self.coming_label.setWordWrap(True)
        self.coming_label.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.coming_label)

    # --- for subclasses ---------------------------------------------------------
    def retranslate(self) -> None:
        """Set every visible text; called at start and on a language switch."""

    async def load(self) -> None:
        """Fetch what the screen shows through the services, on the worker."""

    # --- shared ---------------------------------------------------------------
    async def refresh(self) -> None:
        self.problem_label.hide()
        try:
            await self.load()
        except DomainError as exc:
            self.show_problem(exc)

    async def call(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        return await self._worker.run(fn, *args, **kwargs)

    def show_problem(self, problem: Readable | Sequence[Readable],
                     wrap: Callable[[str], str] | None = None) -> None:
        """Show what went wrong: a core message (or error) in the reader's language, or the page's own text.

        ``wrap`` puts the rendered problem into the page's words and is called
        again after a language switch, e.g.
        ``lambda why: self.tr("Not moved: %1").replace("%1", why)``.
        """
        self._problem = (problem, wrap)
        self._show_problem_text()
        self.problem_label.show()

    def _show_problem_text(self) -> None:
        if self._problem is None:
            return
        problem, wrap = self._problem
        shown = render(problem)
        self.problem_label.setText(wrap(shown) if wrap is not None else shown)

    def set_coming(self, items: list[str]) -> None:
        bullets = "".join(f"<li>{item}</li>" for item in items)
        title = QCoreApplication.translate("Page", "Coming to this screen")
        self.coming_label.setText(f"<b>{title}</b><ul>{bullets}</ul>")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            if not self.problem_label.isHidden():
                self._show_problem_text()
        super().changeEvent(event)


class Card(QFrame):
    """A figure with a caption, for overviews."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.caption = QLabel(self)
        self.caption.setObjectName("CardTitle")
        self.figure = QLabel("—", self)
        self.figure.setObjectName("CardValue")
        layout.addWidget(self.caption)
        layout.addWidget(self.figure)

    def set(self, caption: str, figure: str) -> None:
        self.caption.setText(caption)
        self.figure.setText(figure)
