"""The main window: navigation between screens, menus, and the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

import re

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)
from qasync import asyncSlot

from console import __version__
from console.domain.errors import DomainError
from console.domain.values import StoreInfo, SyncStatus
from console.i18n import text
from console.i18n.formats import format_count, format_time, in_zone
from console.services.worker import DbWorker
from ui import settings as S
from ui.actions import ActionRegistry
from ui.i18n import ui_language
from ui.settings import Settings
from ui.text import role_text
from ui.views.broadcasts import BroadcastsPage
from ui.views.live import LivePage
from ui.views.page import Page
from ui.views.products import ProductsPage
from ui.views.reports import ReportsPage
from ui.views.roster import RosterPage
from ui.views.scripts import ScriptsPage
from ui.views.sync import SyncPage, SyncRunner

if TYPE_CHECKING:
    from console.services.registry import Services


def plain_text(action_text: str) -> str:
    """A menu text without its accelerator: "直播(&L)" -> "直播", "&Live" -> "Live"."""
    return re.sub(r"\(&[^&]\)|&(?!&)", "", action_text)


PAGE_CLASSES: tuple[type[Page], ...] = (
    LivePage, BroadcastsPage, ProductsPage, ScriptsPage, RosterPage, ReportsPage, SyncPage,
)
VIEW_NAMES = tuple(cls.view_name for cls in PAGE_CLASSES)
STATUS_REFRESH_MS = 30_000


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    # A local edit was saved (for now: the roster's); the sync loop sends it soon during a live show.
    local_change = Signal()
    theme_requested = Signal(str)
    language_requested = Signal(str)

    def __init__(self, services: Services, worker: DbWorker, store: StoreInfo,
                 settings: Settings, actions: ActionRegistry, *, language: str, theme: str) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self._services = services
        self._worker = worker
        self._store = store
        self._settings = settings
        self.actions = actions
        self._current = ""
        self._sync_status: SyncStatus | DomainError | None = None

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("NavList")
        self.nav.setFixedWidth(200)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stack = QStackedWidget(central)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.pages: dict[str, Page] = {}
        for cls in PAGE_CLASSES:
            page = cls(services, worker, store.timezone, self.stack)
            self.pages[cls.view_name] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(self.nav)
            item.setData(Qt.ItemDataRole.UserRole, cls.view_name)

        self.store_label = QLabel(self)
        self.user_label = QLabel(self)
        self.sync_label = QLabel(self)
        self.statusBar().addWidget(self.store_label)
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.sync_label)

        roster = self.pages["roster"]
        if isinstance(roster, RosterPage):
            roster.undo_stack.indexChanged.connect(self._on_local_edit)

        self._build_menus(language, theme)
        self.nav.currentRowChanged.connect(self._on_nav_row)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self._on_status_timer)
        self._status_timer.start()
        self.retranslate()

    # --- building ---------------------------------------------------------------
    def _build_menus(self, language: str, theme: str) -> None:
        a = self.actions
        views = QActionGroup(self)
        for name in VIEW_NAMES:
            action = a[f"view.{name}"]
            views.addAction(action)
            action.triggered.connect(lambda _checked=False, n=name: self._select_view(n))
        languages = QActionGroup(self)
        for action_id, code in (("view.lang_zh", "zh_CN"), ("view.lang_en", "en")):
            action = a[action_id]
            languages.addAction(action)
            action.setChecked(code == language)
            action.triggered.connect(lambda _checked=False, c=code: self.language_requested.emit(c))
        a["view.dark_theme"].setChecked(theme == "dark")
        a["view.dark_theme"].toggled.connect(
            lambda dark: self.theme_requested.emit("dark" if dark else "light"))
        a["edit.undo"].triggered.connect(lambda: self._on_edit("undo"))
        a["edit.redo"].triggered.connect(lambda: self._on_edit("redo"))
        a["view.refresh"].triggered.connect(self._on_refresh)
        a["view.find"].triggered.connect(self._on_find)
        a["session.sign_out"].triggered.connect(self.sign_out_requested.emit)
        a["app.quit"].triggered.connect(self.close)
        a["help.shortcuts"].triggered.connect(self._show_shortcuts)
        a["help.about"].triggered.connect(self._show_about)

        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(a["session.sign_out"])
        self.file_menu.addSeparator()
        self.file_menu.addAction(a["app.quit"])
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(a["edit.undo"])
        self.edit_menu.addAction(a["edit.redo"])
        self.view_menu = bar.addMenu("")
        for name in VIEW_NAMES:
            self.view_menu.addAction(a[f"view.{name}"])
        self.view_menu.addSeparator()
        self.view_menu.addAction(a["view.refresh"])
        self.view_menu.addAction(a["view.find"])
        self.view_menu.addSeparator()
        self.view_menu.addAction(a["view.dark_theme"])
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.addAction(a["view.lang_zh"])
        self.language_menu.addAction(a["view.lang_en"])
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(a["help.shortcuts"])
        self.help_menu.addAction(a["help.about"])
        for action in a:
            self.addAction(action)  # shortcuts work even with the menu bar hidden

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Anchor Console — %1").replace("%1", self._store.name))
        self.actions.retranslate()
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.view_menu.setTitle(self.tr("&View"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        for row, name in enumerate(VIEW_NAMES):
            self.nav.item(row).setText(plain_text(self.actions[f"view.{name}"].text()))
        actor = self._services.actor
        self.store_label.setText(self.tr("Store: %1 %2").replace("%1", self._store.code)
                                 .replace("%2", self._store.name))
        self.user_label.setText(self.tr("Signed in: %1 (%2)").replace("%1", actor.display_name)
                                .replace("%2", role_text(actor.role)))
        self._show_sync_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- navigation -------------------------------------------------------------
    @property
    def current_view(self) -> str:
        return self._current

    def _select_view(self, name: str) -> None:
        self.nav.setCurrentRow(VIEW_NAMES.index(name))

    @asyncSlot(int)
    async def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(VIEW_NAMES):
            await self.show_view(VIEW_NAMES[row])

    async def show_view(self, name: str) -> None:
        """Switch to a screen and load what it shows (awaitable, for screenshots and tests)."""
        if name not in self.pages:
            raise ValueError(f"unknown view {name!r}")
        self._current = name
        row = VIEW_NAMES.index(name)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        self.actions[f"view.{name}"].setChecked(True)
        page = self.pages[name]
        self.stack.setCurrentWidget(page)
        self._settings.set(S.LAST_VIEW, name)
        await page.refresh()

    async def refresh_status(self) -> None:
        try:
            self._sync_status = await self._worker.run(self._services.sync.status)
        except DomainError as exc:
            self._sync_status = exc
        self._show_sync_status()

    def _show_sync_status(self) -> None:
        """The status bar's sync part, from the last status read (again after a language switch)."""
        status = self._sync_status
        if status is None:
            return
        if isinstance(status, DomainError):
            self.sync_label.setText(text(status))
            self.sync_label.setToolTip("")
            return
        if status.enrolled:
            language = ui_language()
            parts = [self.tr("Sync: %1 changes waiting").replace("%1", format_count(status.pending_changes,
                                                                                      language))]
            if status.last_success is not None:
                at = in_zone(status.last_success, self._store.timezone)
                parts.append(self.tr("last ok %1").replace("%1", format_time(at)))
            if status.last_error:
                parts.append(self.tr("problem"))
            shown = " / ".join(parts)
        else:
            shown = self.tr("Sync: not enrolled (working offline)")
        self.sync_label.setText(shown)
        self.sync_label.setToolTip(text(status.last_error) if status.last_error else "")

    def _on_local_edit(self, _index: int) -> None:
        self.local_change.emit()

    def set_sync_runner(self, runner: SyncRunner | None) -> None:
        page = self.pages["sync"]
        assert isinstance(page, SyncPage)
        page.set_sync_runner(runner)

    async def on_sync_report(self) -> None:
        """A background sync finished: refresh the status bar, and the Sync screen if it is in front."""
        await self.refresh_status()
        if self._current == "sync":
            await self.pages["sync"].refresh()

    @asyncSlot()
    async def _on_status_timer(self) -> None:
        await self.refresh_status()

    @asyncSlot()
    async def _on_refresh(self) -> None:
        self.actions["view.refresh"].setEnabled(False)
        try:
            if self._current:
                await self.pages[self._current].refresh()
            await self.refresh_status()
        finally:
            self.actions["view.refresh"].setEnabled(True)

    def _on_edit(self, what: str) -> None:
        # Undo and redo belong to the screen in front (the roster's undo stack, for now).
        handler = getattr(self.pages.get(self._current), what, None)
        if callable(handler):
            handler()

    def _on_find(self) -> None:
        self._select_view("products")
        page = self.pages["products"]
        assert isinstance(page, ProductsPage)
        page.focus_search()

    # --- dialogs ------------------------------------------------------------------
    def _show_shortcuts(self) -> None:
        lines = [
            f"<tr><td>{plain_text(spec_action.text())}</td>"
            f"<td><b>{spec_action.shortcut().toString()}</b></td></tr>"
            for spec_action in self.actions if not spec_action.shortcut().isEmpty()
        ]
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), f"<table>{''.join(lines)}</table>")

    def _show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About Anchor Console"),
            self.tr("Anchor Console %1\nPlanned, truthful and measurable live commerce for department stores.")
            .replace("%1", __version__),
        )

    # --- state ----------------------------------------------------------------------
    def restore_state(self) -> None:
        geometry = self._settings.get(S.WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self._settings.get(S.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._status_timer.stop()
        self._settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self._settings.set(S.WINDOW_STATE, self.saveState())
        self._settings.sync()
        super().closeEvent(event)
