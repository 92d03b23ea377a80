"""What every screen shares: a title, an intro, a problem line, its operations, following changes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from console.domain.changes import ChangeSet, Origin
from console.domain.errors import DomainError
from console.i18n import Message
from console.services.worker import DbWorker
from ui.i18n import Readable, render
from ui.operations import Operations
from ui.tasks import spawn

if TYPE_CHECKING:
    from console.services.registry import Services
    from ui.actions import ActionRegistry
    from ui.show_control import ShowControl


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


REFRESH_DELAY_MS = 80   # changes arriving together (a sync page, a burst of edits) cost one reload


class Page(QWidget):
    """A screen of the main window. Subclasses fill ``body`` and implement ``load``.

    ``watches`` names the tables the screen shows: a change set that touches
    one of them, and that the screen did not make itself, reloads it (see
    :meth:`on_changes`). Slots run their service calls through ``self.ops``.
    """

    view_name = ""
    scope = ""                           # the action scope of this screen's own keys (ui.actions)
    # Keys the screen handles itself rather than through actions, for the F1 list:
    # (keys as shown, what they do, in English, translated in ``key_context``).
    own_keys: tuple[tuple[str, str], ...] = ()
    key_context = ""
    watches: frozenset[str] = frozenset()

    def __init__(self, services: Services, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._worker = worker
        self.ops = Operations(self, worker, self.show_problem, ask_reason=self.ask_reason)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_timer)
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
        """Run on the worker under this screen's change tag; the caller handles errors (loads, inner steps).

        The screen gone meanwhile (its window closed), what was waiting for the answer is cancelled
        rather than left to touch widgets that no longer exist.
        """
        result = await self.ops.call(fn, *args, **kwargs)
        if not isValid(self):
            raise asyncio.CancelledError
        return result

    def set_show_control(self, control: ShowControl) -> None:
        """The window's show on air (ui.show_control): the screens that follow or drive it keep it."""

    def set_actions(self, actions: ActionRegistry) -> None:
        """The console's actions, once bound: a screen whose buttons stand for its actions links them here."""

    @property
    def leaving_loses_work(self) -> bool:
        """Would leaving now throw away something typed? Asked synchronously (a window's close event)."""
        return False

    async def confirm_leave(self) -> bool:
        """May the person leave this screen (another screen, signing out, closing)? False stays.

        A screen holding unsaved work asks what to do with it first; the window awaits
        this before it switches away, so a screen that asks never loses what was typed.
        """
        return True

    async def ask_reason(self, warnings: Sequence[Message]) -> str | None:
        """Why go ahead despite the rules' warnings; None declines. Screens that allow overrides ask."""
        return None

    # --- following the stream of changes ----------------------------------------------------
    def on_changes(self, changes: ChangeSet) -> None:
        """A commit somewhere: reload soon if it touched what this screen shows and was not its own."""
        if self.is_own(changes) or not changes.touches(self.watches):
            return
        self.refresh_soon()

    def is_own(self, changes: ChangeSet) -> bool:
        """Made by this screen's own operations (already shown from their results)."""
        return changes.origin is Origin.LOCAL and changes.initiator == self.ops.tag

    def refresh_soon(self) -> None:
        self._refresh_timer.start()

    @property
    def refresh_pending(self) -> bool:
        return self._refresh_timer.isActive()

    def _on_refresh_timer(self) -> None:
        if self.ops.busy:
            # Mid-operation: its own result comes first, then the reload.
            self._refresh_timer.start()
            return
        spawn(self.refresh(), owner=self)

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
