"""Application start-up: QApplication, the qasync loop, and wiring services into windows."""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import logging
import sys
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from console import __version__
from console.domain.enums import AuditVia
from console.domain.errors import DomainError, StorageError
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.i18n import resolve_language, text
from console.services.worker import DbWorker
from ui import collector
from ui import settings as S
from ui.actions import ActionRegistry, plain_text
from ui.changes import ChangeRelay
from ui.crash import CrashReporter
from ui.i18n import Translations
from ui.loop import ConsoleLoop
from ui.settings import Settings
from ui.signin import FirstRunDialog, SignInDialog
from ui.tasks import cancel_all, spawn
from ui.theme import apply_theme

if TYPE_CHECKING:
    from console.services.auth import AuthService
    from console.services.opening import Database, SyncLoop
    from ui.mainwindow import MainWindow

log = logging.getLogger(__name__)

SCREENSHOT_SIZE = (1600, 1000)


def make_application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Anchor Console")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Anchor Console")
    return app


class Console(QObject):
    """One running console: owns the database, the worker and the current window.

    The flow is first run (if the folder has no store) -> sign in -> main
    window -> sign out -> sign in again; quitting resolves ``finished``.

    Given a ``data_dir`` instead of an open database, the sign-in window is
    painted first and the store is opened on the worker meanwhile: the
    database layer (SQLAlchemy, the models, migrations) takes most of a
    cold start, and a person should see the console at once.
    """

    def __init__(self, app: QApplication, db: Database | None, settings: Settings,
                 translations: Translations, *, theme: str, data_dir: Path | None = None) -> None:
        super().__init__()
        if db is None and data_dir is None:
            raise ValueError("a console needs an open database or a data folder")
        self.app = app
        self.db: Database | None = db
        self.data_dir = data_dir
        self.settings = settings
        self.translations = translations
        self.theme = theme
        self.worker = DbWorker()
        # Reference cycles are collected on this thread, never on the worker's (see ui/collector.py).
        collector.install(self)
        self._collecting = True
        self._auth: AuthService | None = None
        self.actions = ActionRegistry(settings, self)
        self.window: MainWindow | None = None
        self.dialog: SignInDialog | FirstRunDialog | None = None
        self.finished: asyncio.Future[int] | None = None
        # Non-zero once the console cannot go on (a store that cannot be opened).
        self._exit_status = 0
        # Runs while the console is enrolled, from the first sign-in until quit.
        self.sync_loop: SyncLoop | None = None
        # Shown once, at start, when the core's translation catalog cannot be used.
        self.catalog_warning: QMessageBox | None = None
        # Shown once, at start, when a user's key binding collides with another action's.
        self.bindings_warning: QMessageBox | None = None
        # Work started from signals (first paint, sync start, the next sign-in), until it ends.
        self._tasks: set[asyncio.Task[Any]] = set()
        # The store's stream of changes as a Qt signal, once the store is open.
        self.changes: ChangeRelay | None = None
        # Set by run(): where unexpected errors are logged and told.
        self.crash: CrashReporter | None = None
        # The tasks that paint or feed one main window: cancelled when it closes.
        self._window_tasks: dict[int, set[asyncio.Task[Any]]] = {}
        # While the sign-in window waits for a PIN: the main window built, hidden, for the user chosen,
        # with its first screen's data loaded (see _prepare_main_window). Off: the window is built after.
        self.prepare_while_typing = True
        self._prepared: _Prepared | None = None
        self._preparing: asyncio.Task[Any] | None = None
        self._preparing_for: Actor | None = None
        self._opening: asyncio.Future[Database] | None = None
        self._code_loading: asyncio.Future[None] | None = None

    @property
    def auth(self) -> AuthService:
        if self._auth is None:
            from console.services.auth import AuthService

            assert self.db is not None, "the store is not open yet"
            self._auth = AuthService(self.db)
        return self._auth

    async def open_store(self) -> None:
        """Open (and migrate) the database on the worker, if it is not open yet (once, however many ask)."""
        if self.db is None:
            assert self.data_dir is not None
            if self._opening is None:
                self._opening = asyncio.ensure_future(self.worker.run(_open_database, self.data_dir))
            db = await asyncio.shield(self._opening)
            if self.db is None:
                self.db = db

    # --- flow -------------------------------------------------------------------
    async def start(self) -> None:
        self.finished = asyncio.get_running_loop().create_future()
        self.app.setQuitOnLastWindowClosed(False)
        self.app.lastWindowClosed.connect(self._on_last_window_closed)
        shell = None
        if self.db is None:
            shell = SignInDialog(None, self.worker, None, self.settings.get(S.LAST_LOGIN))
            shell.rejected.connect(self._quit)
            self.dialog = shell
            shell.show()
            assert self.data_dir is not None
            # The users, read straight from the file (milliseconds), while the store opens on the worker.
            from console.services.signin_preview import peek_sign_in

            preview = peek_sign_in(self.data_dir)
            if preview is not None:
                shell.preview(*preview)
            if self.prepare_while_typing:
                # The main window's code loads on a thread while the store opens on the worker.
                self._code_loading = _load_main_window_code_soon()
            self._warn_about_catalog()
            try:
                await self.open_store()
            except StorageError as exc:
                shell.hide()
                self.dialog = None
                self._show_storage_problem(text(exc))
                return
        store = await self.worker.run(self.auth.local_store)
        if store is None:
            if shell is not None:
                shell.hide()
                shell.deleteLater()
            self._show_first_run()
        else:
            await self._show_sign_in(store, shell)
        self._warn_about_catalog()
        self._warn_about_bindings()

    # --- background tasks ---------------------------------------------------------
    def spawn(self, work: Coroutine[Any, Any, Any], *, window: MainWindow | None = None) -> asyncio.Task[Any]:
        """Run ``work`` on the loop without awaiting it; with ``window``, it ends when that window closes.

        Held (so the loop cannot drop it) until it ends; a failure goes to the crash reporter.
        """
        task = spawn(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if window is not None:
            mine = self._window_tasks.setdefault(id(window), set())
            mine.add(task)
            task.add_done_callback(mine.discard)
        return task

    def _cancel_window_tasks(self, window: MainWindow) -> None:
        for task in self._window_tasks.pop(id(window), set()):
            task.cancel()

    async def cancel_tasks(self) -> None:
        """Quitting: end what is still running (the console's and every screen's)."""
        await cancel_all()

    def _catalog_words(self) -> str:
        return self.tr("Some messages are shown in English: the translation file could not be read.")

    def _warn_about_catalog(self) -> None:
        """Once, as the console opens: the core's catalog is unusable, so its messages are in English.

        Not modal: a console opened during a live show must not wait on a click.
        """
        problem = self.translations.core_problem
        if problem is None or self.catalog_warning is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Anchor Console"), self._catalog_words())
        box.setInformativeText(str(problem))   # names the file; English, as the catalog is what is broken
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setWindowModality(Qt.WindowModality.NonModal)
        self.catalog_warning = box
        box.show()

    def binding_words(self) -> list[str]:
        """One sentence per key binding of the user's that was refused at start, naming both actions."""
        words = []
        for clash in self.actions.conflicts:
            first = plain_text(self.actions[clash.first.id].text())
            second = plain_text(self.actions[clash.second.id].text())
            words.append(self.tr("The key %1 you chose for “%2” is already “%3”; it keeps its usual key.")
                         .replace("%1", clash.key).replace("%2", second).replace("%3", first))
        return words

    def _warn_about_bindings(self) -> None:
        """Once, at start: a user's key binding collided with another action's, and was set aside."""
        words = self.binding_words()
        if not words or self.bindings_warning is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Anchor Console"), "\n".join(words))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setWindowModality(Qt.WindowModality.NonModal)
        self.bindings_warning = box
        box.show()

    def _show_storage_problem(self, message: str) -> None:
        self._exit_status = 1
        print(f"anchor-console: {message}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, self.tr("Anchor Console"), message)
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.finished.connect(lambda _result: self._quit())
        self.dialog = None
        self._problem_box = box
        box.show()

    def _show_first_run(self) -> None:
        dialog = FirstRunDialog(self.auth, self.worker)
        dialog.store_created.connect(self._on_store_created)
        dialog.rejected.connect(self._quit)
        self.dialog = dialog
        dialog.show()

    def _on_store_created(self, store: StoreInfo) -> None:
        first_run = self.dialog
        # The sign-in window shows before the first-run one goes, so no moment has no window.
        self._open_sign_in(store)
        if first_run is not None:
            first_run.hide()
            first_run.deleteLater()
        assert isinstance(self.dialog, SignInDialog)
        self.spawn(self.dialog.load_users())

    def _open_sign_in(self, store: StoreInfo) -> SignInDialog:
        """A new sign-in window for ``store``, on screen at once (its users load afterwards)."""
        dialog = SignInDialog(self.auth, self.worker, store, self.settings.get(S.LAST_LOGIN))
        dialog.rejected.connect(self._quit)
        dialog.signed_in.connect(lambda actor, d=dialog: self._on_signed_in(d.store, actor))
        self.dialog = dialog
        dialog.show()
        return dialog

    async def _show_sign_in(self, store: StoreInfo, dialog: SignInDialog | None = None) -> None:
        if dialog is None:
            dialog = self._open_sign_in(store)
        else:
            dialog.attach(self.auth, store)
            dialog.signed_in.connect(lambda actor, d=dialog: self._on_signed_in(d.store, actor))
            self.dialog = dialog
        await dialog.load_users()
        if dialog is self.dialog:   # not signed in already
            self._prepare_for(dialog)

    # --- preparing while the person types ------------------------------------------------
    def _prepare_for(self, dialog: SignInDialog) -> None:
        """Build the main window for the user chosen, hidden, while their PIN is typed (again on a new choice)."""
        if not self.prepare_while_typing or dialog.store is None:
            return
        dialog.user_combo.currentIndexChanged.connect(lambda _i, d=dialog: self._restart_preparing(d))
        self._restart_preparing(dialog)

    def _restart_preparing(self, dialog: SignInDialog) -> None:
        if dialog is not self.dialog:
            return
        self._discard_prepared()
        self._preparing = self.spawn(self._prepare_main_window(dialog))

    async def _prepare_main_window(self, dialog: SignInDialog) -> None:
        """The main window the chosen user will see, built and fed before their PIN is checked.

        Nothing of it is shown, and it has no rights of its own: it is used only if the PIN then
        accepted gives exactly this actor, and thrown away otherwise. The code it needs is loaded on a
        thread, so the sign-in window stays responsive; building it takes a moment of the GUI thread.
        """
        user, store = dialog.selected_user(), dialog.store
        if user is None or store is None:
            return
        actor = Actor(store_id=store.id, role=user.role, via=AuditVia.GUI, user_id=user.id,
                      display_name=user.display_name)
        self._preparing_for = actor
        if self._code_loading is None:
            self._code_loading = _load_main_window_code_soon()
        await asyncio.shield(self._code_loading)
        if dialog is not self.dialog or dialog.selected_user() != user:
            return
        window = self._build_main_window(store, actor)
        window.restore_state()  # its saved size, which closing it unused then saves unchanged
        window.overlay.hold()   # serving the show's overlay waits for the sign-in
        prepared = self._prepared = _Prepared(actor, window)
        await self._first_paint(window, self._first_view())
        prepared.ready = True
        # While the PIN is still being typed: collect what building the window left, which would
        # otherwise fall into the collector's first look after the window shows (70 ms on a large store).
        collector.collect_now()

    async def _signed_in_when_built(self, store: StoreInfo, actor: Actor, preparing: asyncio.Task[Any]) -> None:
        while self._prepared is None and self._preparing is preparing and not preparing.done():
            await asyncio.sleep(0.005)
        self._on_signed_in(store, actor)

    def _discard_prepared(self) -> None:
        if self._preparing is not None:
            self._preparing.cancel()
            self._preparing = None
        prepared, self._prepared = self._prepared, None
        if prepared is not None:
            self._cancel_window_tasks(prepared.window)
            prepared.window.close()

    def _first_view(self) -> str:
        from ui.mainwindow import VIEW_NAMES

        last = self.settings.get(S.LAST_VIEW)
        return last if last in VIEW_NAMES else "live"

    def _on_signed_in(self, store: StoreInfo | None, actor: Actor) -> None:
        assert store is not None, "signed in before the store was open"
        preparing = self._preparing
        prepared = self._prepared
        if prepared is None and preparing is not None and not preparing.done() and self._preparing_for == actor:
            # Signed in while this very window is being built: finishing it is the quicker way.
            self.spawn(self._signed_in_when_built(store, actor, preparing))
            return
        if prepared is not None and prepared.actor == actor:
            # Its first screen's data is loaded, or still loading (the preparation goes on).
            self._prepared = self._preparing = None
            window = prepared.window
            self.window = window
            window.restore_state()
            window.show()
            if self.dialog is not None:
                self.dialog.hide()
                self.dialog.deleteLater()
                self.dialog = None
            self.spawn(self.start_sync(window), window=window)
            # After the first paint: the show's overlay, and a fresh look at the sync status.
            QTimer.singleShot(0, window.overlay.release)
            self.spawn(window.refresh_status(), window=window)
            return
        self._discard_prepared()
        window = self.open_main_window(store, actor)
        window.restore_state()
        window.show()
        # After the main window shows: a moment with no window on screen would end the console.
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        self.spawn(self.start_sync(window), window=window)
        self.spawn(self._first_paint(window, self._first_view()), window=window)

    async def _first_paint(self, window: MainWindow, view: str) -> None:
        if await window.show_control.refresh() is not None:
            view = "live"   # a show is on air (the console restarted mid-show): straight back to it
        await window.show_view(view)
        await window.refresh_status()

    def open_main_window(self, store: StoreInfo, actor: Actor) -> MainWindow:
        window = self._build_main_window(store, actor)
        self.window = window
        return window

    def _build_main_window(self, store: StoreInfo, actor: Actor) -> MainWindow:
        from console.services.registry import Services
        from ui.mainwindow import MainWindow

        assert self.db is not None
        services = Services.for_actor(self.db, actor)
        window = MainWindow(services, self.worker, store, self.settings, self.actions, self.follow_changes(),
                            language=self.translations.language, theme=self.theme)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.sign_out_requested.connect(self._on_sign_out)
        window.theme_requested.connect(self.set_theme)
        window.language_requested.connect(self.set_language)
        window.destroyed.connect(lambda: self._forget_window(window))
        return window

    def follow_changes(self) -> ChangeRelay:
        """The stream of changes as a signal, other processes' commits included (started once)."""
        assert self.db is not None
        if self.changes is None:
            self.changes = ChangeRelay(self.db.changes, self)
            self.db.watch_other_processes()
        return self.changes

    # --- sync -----------------------------------------------------------------------
    async def start_sync(self, window: MainWindow) -> None:
        """Start background sync if this console is enrolled, and give the window its controls."""
        from console.services.opening import background_sync, enrolled_server

        assert self.db is not None
        if not await self.worker.run(enrolled_server, self.db):
            window.set_sync_runner(None)
            return
        if self.sync_loop is None:
            self.sync_loop = background_sync(self.db, self.worker, lambda _report: self._on_sync_report())
            # A moment after sign-in, so the first screen paints before the first sync.
            self.sync_loop.start(first_delay=3.0)
        window.set_sync_runner(self.sync_loop.sync_now)
        window.local_change.connect(self.sync_loop.notify_change)

    def _on_sync_report(self) -> None:
        if self.window is not None:
            self.spawn(self.window.on_sync_report(), window=self.window)

    async def stop_sync(self) -> None:
        loop, self.sync_loop = self.sync_loop, None
        if loop is not None:
            await loop.stop()
            loop.client.close()

    def _forget_window(self, window: MainWindow) -> None:
        self._cancel_window_tasks(window)
        if self.window is window:
            self.window = None

    def _on_sign_out(self) -> None:
        """Hand the console over: the sign-in window for the next person, then the old window goes.

        The sign-in window is on screen before the main window closes: closing the last
        visible window first would fire ``lastWindowClosed`` and end the console.
        """
        window, self.window = self.window, None
        if window is None:
            return
        self._cancel_window_tasks(window)
        self._discard_prepared()
        dialog = self._open_sign_in(window.store)
        window.close()
        self.spawn(self._reload_sign_in(dialog))

    async def _reload_sign_in(self, dialog: SignInDialog) -> None:
        # The store as it is now (head office may have renamed it), and who may sign in now.
        store = await self.worker.run(self.auth.local_store)
        if store is not None and dialog is self.dialog:
            dialog.attach(self.auth, store)
        await dialog.load_users()
        if dialog is self.dialog:
            self._prepare_for(dialog)

    def _on_last_window_closed(self) -> None:
        # The main window closed, or nothing is open: the console ends. Signing out never
        # lands here, as the sign-in window shows before the main window closes.
        nothing_open = self.window is None and self.dialog is None
        if nothing_open or (self.window is not None and not self.window.isVisible()):
            self._quit()

    def _quit(self) -> None:
        self._discard_prepared()
        if self.finished is not None and not self.finished.done():
            self.finished.set_result(self._exit_status)

    # --- appearance ---------------------------------------------------------------
    def set_theme(self, theme: str) -> None:
        self.theme = apply_theme(self.app, theme)
        self.settings.set(S.THEME, self.theme)

    def set_language(self, language: str) -> None:
        # Installing translators sends LanguageChange to every widget, which retranslate
        # (the core's messages too: install switches their catalog first).
        self.translations.install(language)
        self.settings.set(S.LANGUAGE, self.translations.language)
        problem = self.translations.core_problem
        if problem is not None and self.window is not None:
            self.window.statusBar().showMessage(f"{self._catalog_words()} {problem.path}", 20_000)

    def close(self) -> None:
        if self.sync_loop is not None:
            # Outside the loop (quitting after an error): the task goes with the loop.
            self.sync_loop.cancel()
            self.sync_loop = None
        if self.changes is not None:
            self.changes.close()
        self.settings.sync()
        self.worker.shutdown()
        if self.db is not None:
            self.db.close()
        if self._collecting:
            self._collecting = False
            collector.uninstall()


class _Prepared:
    """A main window built for ``actor`` before the PIN; ``ready`` once its first screen has its data."""

    def __init__(self, actor: Actor, window: MainWindow) -> None:
        self.actor = actor
        self.window = window
        self.ready = False


def _load_main_window_code_soon() -> asyncio.Future[None]:
    """:func:`_load_main_window_code` on a thread of its own, as an awaitable.

    Not the loop's default executor (qasync's QThreadExecutor) and not the database worker, which
    may be opening the store meanwhile: a plain daemon thread, which nothing has to join.
    """
    done: concurrent.futures.Future[None] = concurrent.futures.Future()

    def load() -> None:
        try:
            _load_main_window_code()
        except BaseException as exc:   # handed to whoever awaits it
            done.set_exception(exc)
        else:
            done.set_result(None)

    threading.Thread(target=load, name="load-main-window", daemon=True).start()
    return asyncio.wrap_future(done)


def _load_main_window_code() -> None:
    """Import what the main window and its services are made of (on a thread, while a PIN is typed)."""
    from console.services.opening import load_services

    load_services()
    import ui.mainwindow  # noqa: F401


def _fail(app: QApplication | None, message: str, *, gui: bool) -> int:
    print(f"anchor-console: {message}", file=sys.stderr)
    if gui and app is not None:
        QMessageBox.critical(None, QCoreApplication.translate("Console", "Anchor Console"), message)
    return 1


def _open_database(data_dir: Path) -> Database:
    from console.services.opening import open_store

    return open_store(data_dir)


def run(data_dir: Path, args: argparse.Namespace) -> int:
    """Run the GUI (or render a screenshot); returns the process exit status."""
    app = make_application()
    translations = Translations(app)
    settings = Settings.for_data_dir(data_dir)
    # As the command line chose it: --lang, else the setting, else the locale, else zh_CN.
    translations.install(resolve_language(args.lang, data_dir))
    theme = apply_theme(app, args.theme or settings.get(S.THEME))
    console = Console(app, None, settings, translations, theme=theme, data_dir=data_dir)
    loop = ConsoleLoop(app)
    asyncio.set_event_loop(loop)
    crash = console.crash = CrashReporter(data_dir, app)
    crash.install()
    crash.watch_loop(loop)
    try:
        with loop:
            if args.screenshot:
                return loop.run_until_complete(
                    render_screenshot(console, Path(args.screenshot), args.view, args.user))
            # One turn of the loop from start to quit: between turns, nothing would run on it.
            return loop.run_until_complete(_run_until_quit(console))
    except DomainError as exc:
        return _fail(app, text(exc), gui=not args.screenshot)
    finally:
        console.close()
        crash.uninstall()


async def _run_until_quit(console: Console) -> int:
    await console.start()
    assert console.finished is not None
    status = await console.finished
    await console.stop_sync()
    await console.cancel_tasks()
    return status


async def render_screenshot(console: Console, target: Path, view: str, login: str | None) -> int:
    """Render the real main window at a fixed size to a PNG, signed in without a PIN."""
    await console.open_store()
    store = await console.worker.run(console.auth.local_store)
    if store is None:
        raise DomainError(
            "This data folder holds no store yet; create one with `anchor-console demo --data-dir DIR`.")
    actor = await console.worker.run(console.auth.actor_for_login, login, via=AuditVia.GUI)
    window = console.open_main_window(store, actor)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    # "onair": the Live screen with the show on air (the demo keeps one running); "prompter": its window;
    # "prompter-opening" (-interaction, -closing): the same with that segment's script put on it (F6, F7, F8).
    # "enroll": the Sync screen's enrolment dialog; "enroll-progress": the same with a load's progress line.
    await window.show_view("live" if view == "onair" or view.startswith("prompter")
                           else "sync" if view.startswith("enroll") else view)
    await window.show_control.refresh()
    await window.refresh_status()
    shown: QWidget = window
    if view == "scripts":
        # The editor at work: a script a finding blocks, underlined, with the cursor on the first.
        from ui.views.scripts import ScriptsPage

        page = window.pages["scripts"]
        assert isinstance(page, ScriptsPage)
        await page.open_first_with_blocks()
    if view.startswith("prompter"):
        shown = window.open_prompter()
        shown.resize(*SCREENSHOT_SIZE)
        if view != "prompter":
            from console.domain.enums import ScriptSegment

            await window.show_control.show_segment(ScriptSegment(view.removeprefix("prompter-")))
    elif view.startswith("enroll"):
        shown = await window.screenshot_enroll_dialog(progress=view == "enroll-progress")
    console.app.processEvents()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not shown.grab().save(str(target), "PNG"):
        raise DomainError(f"The screenshot could not be written to {target}.")
    window.close()
    print(target)
    return 0
