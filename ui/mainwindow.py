"""The main window: navigation between screens, menus, and the status bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QSize,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from console import __version__
from console.domain.changes import ChangeSet, Kind, Origin
from console.domain.errors import DomainError
from console.domain.values import StoreInfo, SyncStatus
from console.i18n import text
from console.i18n.formats import format_count, format_time, in_zone
from console.services.worker import DbWorker
from ui import settings as S
from ui.actions import LIVE, PROMPTER, WINDOW, ActionRegistry, plain_text, scope_title
from ui.changes import ChangeRelay
from ui.i18n import ui_language
from ui.layouts import fit_to_screen
from ui.overlay_host import OverlayHost
from ui.prompter import ApprovedScripts, PrompterWindow
from ui.settings import Settings
from ui.text import role_text
from ui.views.broadcasts import BroadcastsPage
from ui.show_control import ShowControl
from ui.tasks import spawn
from ui.views.live import LivePage
from ui.views.page import Page
from ui.views.products import ProductsPage
from ui.views.reports import ReportsPage
from ui.views.roster import RosterPage
from ui.views.scripts import ScriptsPage
from ui.views.sync import SyncPage, SyncRunner

if TYPE_CHECKING:
    from console.services.registry import Services


class ShortcutsDialog(QDialog):
    """F1: the keys live now: everywhere, and on the screen in front, in two columns that never touch.

    Not modal, so it can stay open beside the screen while the keys are tried.
    """

    def __init__(self, actions: ActionRegistry, page: Page | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShortcutsDialog")
        self._actions = actions
        self._page = page
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(2)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.retranslate()
        fit_to_screen(self, QSize(self._wanted_width(), 520))

    def _rows(self, scope: str) -> list[tuple[str, str]]:
        found = []
        for spec in self._actions.specs(scope):
            action = self._actions[spec.id]
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
            if keys:
                found.append((plain_text(action.text()), keys))
        return found

    def sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(heading, [(what, keys)]) for each part of the list, as shown."""
        parts = [(scope_title(WINDOW), self._rows(WINDOW))]
        page = self._page
        if page is not None and page.scope:
            rows = self._rows(page.scope)
            rows += [(QCoreApplication.translate(page.key_context, words), keys) for keys, words in page.own_keys]
            parts.append((scope_title(page.scope), rows))
            if page.scope == LIVE:   # the teleprompter is opened from the Live screen; its keys are its own
                parts.append((scope_title(PROMPTER), self._rows(PROMPTER)))
        return [(title, rows) for title, rows in parts if rows]

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.tree.setHeaderLabels([self.tr("What"), self.tr("Keys")])
        self.tree.clear()
        for title, rows in self.sections():
            heading = QTreeWidgetItem(self.tree, [title])
            heading.setFirstColumnSpanned(True)
            font = heading.font(0)
            font.setBold(True)
            heading.setFont(0, font)
            for words, keys in rows:
                QTreeWidgetItem(heading, [words, keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        # Room between what a key does and the key itself, whatever the language.
        self.tree.setColumnWidth(0, self.tree.columnWidth(0) + 24)

    def _wanted_width(self) -> int:
        return self.tree.columnWidth(0) + self.tree.sizeHintForColumn(1) + 80

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


PAGE_CLASSES: tuple[type[Page], ...] = (
    LivePage, BroadcastsPage, ProductsPage, ScriptsPage, RosterPage, ReportsPage, SyncPage,
)
VIEW_NAMES = tuple(cls.view_name for cls in PAGE_CLASSES)
_PAGE_CLASS = {cls.view_name: cls for cls in PAGE_CLASSES}
STATUS_REFRESH_MS = 30_000


STATUS_TABLES = frozenset({"outbox", "local_setting"})   # what the status bar's sync part reads


class Pages(Mapping[str, Page]):
    """The window's screens by name, each built the first time it is asked for.

    Building all seven at once was most of the main window's construction; a
    person starts on one screen (the Live screen during a show) and may never
    open some of the others. ``is_built`` tells without building.
    """

    def __init__(self, build: Callable[[str], Page]) -> None:
        self._build = build
        self._built: dict[str, Page] = {}

    def __getitem__(self, name: str) -> Page:
        page = self._built.get(name)
        if page is None:
            if name not in _PAGE_CLASS:
                raise KeyError(name)
            page = self._built[name] = self._build(name)
        return page

    def __contains__(self, name: object) -> bool:   # a screen there is, built or not (without building it)
        return name in _PAGE_CLASS

    def __iter__(self) -> Iterator[str]:
        return iter(VIEW_NAMES)

    def __len__(self) -> int:
        return len(VIEW_NAMES)

    def is_built(self, name: str) -> bool:
        return name in self._built


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    # A local edit was saved (here or by another process); the sync loop sends it soon during a live show.
    local_change = Signal()
    theme_requested = Signal(str)
    language_requested = Signal(str)

    def __init__(self, services: Services, worker: DbWorker, store: StoreInfo,
                 settings: Settings, actions: ActionRegistry, changes: ChangeRelay, *,
                 language: str, theme: str) -> None:
        super().__init__()
        self.setObjectName("MainWindow")
        self._services = services
        self._worker = worker
        self._store = store
        self._settings = settings
        self.actions = actions
        self._current = ""
        self._sync_status: SyncStatus | DomainError | None = None
        self._action_connections: list[tuple[SignalInstance, Callable[..., object]]] = []
        self.shortcuts_dialog: ShortcutsDialog | None = None   # F1, while it is open
        self._asking_to_close = False   # the screen in front is asking about unsaved work before a close

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

        # The show on air, for the Live screen, the prompter and the overlay (ui.show_control).
        self.show_control = ShowControl(services, worker, self)
        self.prompter: PrompterWindow | None = None     # the teleprompter's window, while it is open
        # The overlay for streaming software, served while a show is on air.
        self.overlay = OverlayHost(self.show_control, settings, services.onair, self)
        self.overlay.problem.connect(self._on_overlay_problem)
        self._sync_runner: SyncRunner | None = None
        self.pages = Pages(self._build_page)
        for name in VIEW_NAMES:
            item = QListWidgetItem(self.nav)
            item.setData(Qt.ItemDataRole.UserRole, name)

        self.store_label = QLabel(self)
        self.user_label = QLabel(self)
        self.sync_label = QLabel(self)
        self.statusBar().addWidget(self.store_label)
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.sync_label)

        self._on_action(changes.changed, self._on_changes)
        self._on_action(changes.changed, self.show_control.on_changes)
        self._status_soon = QTimer(self)
        self._status_soon.setSingleShot(True)
        self._status_soon.setInterval(500)
        self._status_soon.timeout.connect(self._on_status_timer)

        self._build_menus(language, theme)
        self.nav.currentRowChanged.connect(self._on_nav_row)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self._on_status_timer)
        self._status_timer.start()
        self.retranslate()

    # --- building ---------------------------------------------------------------
    def _build_page(self, name: str) -> Page:
        """One screen, the first time it is asked for: its widgets, its keys, the show it follows."""
        page = _PAGE_CLASS[name](self._services, self._worker, self._store.timezone, self.stack)
        self.stack.addWidget(page)
        page.set_show_control(self.show_control)
        if page.scope:
            self._action_connections += self.actions.bind(page, page.scope)
        page.set_actions(self.actions)     # a screen's buttons stand for its actions
        if isinstance(page, LivePage):
            page.set_clock_thresholds(self._settings.clock_thresholds())
        elif isinstance(page, SyncPage):
            # Enrolled from the Sync screen: the console is the store's now; the next person signs in to it.
            page.enrolled.connect(self.sign_out_requested)
            page.set_sync_runner(self._sync_runner)
        return page

    def _on_action(self, signal: SignalInstance, slot: Callable[..., object]) -> None:
        """Connect a console-wide action to this window, until the window closes.

        The actions outlive the window (the next person signs in to a new one), so
        each connection is undone in :meth:`closeEvent`, or the old window's slots
        would run on a deleted window.
        """
        signal.connect(slot)
        self._action_connections.append((signal, slot))

    def _build_menus(self, language: str, theme: str) -> None:
        a = self.actions
        views = QActionGroup(self)
        for name in VIEW_NAMES:
            views.addAction(a[f"view.{name}"])
        languages = QActionGroup(self)
        for action_id, code in (("view.lang_zh", "zh_CN"), ("view.lang_en", "en")):
            languages.addAction(a[action_id])
            a[action_id].setChecked(code == language)
        a["view.dark_theme"].setChecked(theme == "dark")
        # Each action's handler is named in its spec; the window's here, each screen's on the screen.
        self._action_connections += a.bind(self, WINDOW)

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
        self.view_menu.addAction(a["live.prompter"])
        self.view_menu.addSeparator()
        self.view_menu.addAction(a["view.dark_theme"])
        self.language_menu = self.view_menu.addMenu("")
        self.language_menu.addAction(a["view.lang_zh"])
        self.language_menu.addAction(a["view.lang_en"])
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(a["help.shortcuts"])
        self.help_menu.addAction(a["help.about"])

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
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self._focus_screen()
        super().changeEvent(event)

    def _focus_screen(self) -> None:
        """Keep the keyboard on the screen in front, so its own keys are live (after a dialog, on return)."""
        page = self.pages.get(self._current)
        focused = QApplication.focusWidget()
        if page is not None and (focused is None or not (page.isAncestorOf(focused) or focused is page)):
            if focused is None or focused.window() is self:
                page.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- navigation -------------------------------------------------------------
    @property
    def store(self) -> StoreInfo:
        return self._store

    @property
    def current_view(self) -> str:
        return self._current

    def select_view(self, name: str) -> None:
        self.nav.setCurrentRow(VIEW_NAMES.index(name))

    @asyncSlot(int)
    async def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(VIEW_NAMES):
            await self.show_view(VIEW_NAMES[row])

    async def show_view(self, name: str) -> bool:
        """Switch to a screen and load what it shows (awaitable, for screenshots and tests).

        The screen in front is asked first (:meth:`Page.confirm_leave`); when it keeps the
        person there, the navigation row and the View menu go back to it and False is returned.
        """
        if name not in self.pages:
            raise ValueError(f"unknown view {name!r}")
        if name != self._current and not await self.confirm_leave():
            self._mark_in_nav(self._current)
            return False
        self._current = name
        self._mark_in_nav(name)
        page = self.pages[name]
        self.stack.setCurrentWidget(page)
        self._focus_screen()   # the screen's own keys are live from now
        self._settings.set(S.LAST_VIEW, name)
        await page.refresh()
        return True

    def _mark_in_nav(self, name: str) -> None:
        """The navigation row and the View menu's check on a screen, without switching to it again."""
        if name not in VIEW_NAMES:
            return
        row = VIEW_NAMES.index(name)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        self.actions[f"view.{name}"].setChecked(True)

    def _page_in_front(self) -> Page | None:
        return self.pages.get(self._current) if self._current else None

    async def confirm_leave(self) -> bool:
        """May the screen in front be left? It may ask about unsaved work first."""
        page = self._page_in_front()
        return page is None or await page.confirm_leave()

    async def refresh_status(self) -> None:
        try:
            status: SyncStatus | DomainError = await self._worker.run(self._services.sync.status)
        except DomainError as exc:
            status = exc
        if not isValid(self):   # closed while the status was read
            return
        self._sync_status = status
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

    def _on_changes(self, changes: ChangeSet) -> None:
        """One commit, anywhere: nudge sync for local edits, tell the screen in front, update the status."""
        if changes.origin is not Origin.SYNC and any(
                c.table == "outbox" and c.kind is Kind.INSERT for c in changes.changes):
            self.local_change.emit()
        if self._current:
            self.pages[self._current].on_changes(changes)
        if self.prompter is not None:
            self.prompter.on_changes(changes)
        if changes.touches(STATUS_TABLES):
            self._status_soon.start()

    async def screenshot_enroll_dialog(self, *, progress: bool) -> QWidget:
        """The Sync screen's enrolment dialog as it opens (for --screenshot; not left open)."""
        page = self.pages["sync"]
        assert isinstance(page, SyncPage)
        return await page.screenshot_enroll_dialog(progress=progress)

    def set_sync_runner(self, runner: SyncRunner | None) -> None:
        self._sync_runner = runner
        if self.pages.is_built("sync"):
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
    async def refresh_view(self) -> None:
        self.actions["view.refresh"].setEnabled(False)
        try:
            if self._current:
                await self.pages[self._current].refresh()
            await self.refresh_status()
        finally:
            self.actions["view.refresh"].setEnabled(True)

    def undo(self) -> None:
        self._on_edit("undo")

    def redo(self) -> None:
        self._on_edit("redo")

    def _on_edit(self, what: str) -> None:
        # Undo and redo belong to the screen in front (the roster's undo stack, for now).
        handler = getattr(self.pages.get(self._current), what, None)
        if callable(handler):
            handler()

    def set_dark(self, dark: bool) -> None:
        self.theme_requested.emit("dark" if dark else "light")

    def choose_language(self, code: str) -> None:
        self.language_requested.emit(code)

    async def sign_out(self) -> None:
        """Hand the console over, once the screen in front has nothing unsaved to lose."""
        if await self.confirm_leave():
            self.sign_out_requested.emit()

    async def find_product(self) -> None:
        # Asked here, so a person who stays is not left with the keyboard on a hidden search field;
        # nothing unsaved is left after Save or Discard, so the switch below does not ask again.
        if not await self.confirm_leave():
            return
        self.select_view("products")
        page = self.pages["products"]
        assert isinstance(page, ProductsPage)
        page.focus_search()

    # --- dialogs ------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        if self.shortcuts_dialog is not None:   # open already: bring it to the front
            self.shortcuts_dialog.activateWindow()
            return
        page = self.pages.get(self._current)
        self.shortcuts_dialog = ShortcutsDialog(self.actions, page, self)
        self.shortcuts_dialog.finished.connect(self._forget_shortcuts)
        self.shortcuts_dialog.show()

    def _forget_shortcuts(self, _result: int) -> None:
        dialog, self.shortcuts_dialog = self.shortcuts_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About Anchor Console"),
            self.tr("Anchor Console %1\nPlanned, truthful and measurable live commerce for department stores.")
            .replace("%1", __version__),
        )

    def open_prompter(self) -> PrompterWindow:
        """The teleprompter's window, following this window's show: opened, or brought to the front."""
        if self.prompter is None:
            self.prompter = PrompterWindow(self.show_control, self.actions, self._settings, self,
                                           scripts=ApprovedScripts(self._services.scripts, self._worker))
            self.prompter.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.prompter.destroyed.connect(self._forget_prompter)
        self.prompter.show()
        self.prompter.activateWindow()
        return self.prompter

    def _forget_prompter(self) -> None:
        self.prompter = None

    def _on_overlay_problem(self, message: str) -> None:
        self.statusBar().showMessage(message, 60_000)

    async def _close_when_allowed(self) -> None:
        self._asking_to_close = True
        try:
            allowed = await self.confirm_leave()
        finally:
            self._asking_to_close = False
        if allowed and isValid(self):
            self.close()

    # --- state ----------------------------------------------------------------------
    def restore_state(self) -> None:
        geometry = self._settings.get(S.WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self._settings.get(S.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close, unless the screen in front holds unsaved work: then ask first, and close again if allowed.

        The event is synchronous and the question is not (no nested event loop), so the
        close is refused now and repeated once the screen agrees; Save or Discard leave
        nothing unsaved, so the second close goes through without asking.
        """
        page = self._page_in_front()
        if page is not None and page.leaving_loses_work:
            event.ignore()
            if not self._asking_to_close:
                spawn(self._close_when_allowed(), owner=self)
            return
        if self.prompter is not None:
            self.prompter.close()
        self.overlay.stop()
        self._status_timer.stop()
        self._status_soon.stop()
        for signal, slot in self._action_connections:
            signal.disconnect(slot)
        self._action_connections.clear()
        self._settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self._settings.set(S.WINDOW_STATE, self.saveState())
        self._settings.sync()
        super().closeEvent(event)
