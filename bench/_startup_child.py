"""Started by bench/startup.py: start a window, print markers as it paints, wait to be killed.

``bare`` paints an empty PySide6 main window (PAINTED).

``signin DIR`` starts the console the way ``anchor-console`` does: the
sign-in window paints at once (FIRST) while the store opens on the worker,
then paints again with the users listed (READY).

``pin DIR`` is the sign-in flow with a person's typing time: the PIN accepted
(ACCEPTED) a moment after the users are listed, then the main window painted
with the Live screen's data (PAINTED).

``main DIR`` goes straight to the main window, signed in as the store
manager without the PIN a person would type, and prints PAINTED once the
Live screen is painted with its data.
"""

from __future__ import annotations

import sys


def main() -> int:
    mode = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow

    class PaintWatch(QObject):
        """Prints the markers armed on a watched widget at its next paint (all of them: the sign-in
        window may have its users before it first paints)."""

        def __init__(self) -> None:
            super().__init__()
            self.armed: dict[int, list[str]] = {}

        def arm(self, widget: QObject, marker: str) -> None:
            self.armed.setdefault(id(widget), []).append(marker)

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and id(obj) in self.armed:
                for marker in self.armed.pop(id(obj)):
                    print(marker, flush=True)
            return False

    watch = PaintWatch()
    if mode == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1600, 1000)
        window.installEventFilter(watch)
        watch.arm(window, "PAINTED")
        window.show()
        return app.exec()

    import asyncio
    from pathlib import Path

    from qasync import QEventLoop

    from ui import settings as S
    from ui.app import Console, make_application
    from ui.i18n import Translations
    from ui.settings import Settings
    from ui.signin import SignInDialog
    from ui.theme import apply_theme

    data_dir = Path(sys.argv[2])
    app = make_application()
    app.installEventFilter(watch)
    settings = Settings.for_data_dir(data_dir)
    translations = Translations(app)
    translations.install(settings.get(S.LANGUAGE))
    theme = apply_theme(app, settings.get(S.THEME))
    console = Console(app, None, settings, translations, theme=theme, data_dir=data_dir)
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)

    if mode == "pin":
        return _pin_accepted(app, console, loop, watch)

    if mode == "signin":
        original_init = SignInDialog.__init__

        def watched_init(self: SignInDialog, *args: object, **kwargs: object) -> None:
            original_init(self, *args, **kwargs)  # type: ignore[arg-type]
            watch.arm(self, "FIRST")
            seen: list[int] = []
            # The first listing only (from the file, or from the store when there is no preview).
            self.users_loaded.connect(lambda: None if seen else (seen.append(1), watch.arm(self, "READY"),
                                                                  self.update()))

        SignInDialog.__init__ = watched_init  # type: ignore[method-assign]
        with loop:
            loop.run_until_complete(console.start())
            loop.run_forever()
        return 0

    async def start_main() -> None:
        from console.domain.enums import AuditVia

        await console.open_store()
        store = await console.worker.run(console.auth.local_store)
        actor = await console.worker.run(console.auth.actor_for_login, None, via=AuditVia.GUI)
        window = console.open_main_window(store, actor)
        window.resize(1600, 1000)
        window.show()
        await window.show_view("live")
        await window.refresh_status()
        watch.arm(window, "PAINTED")
        window.update()

    with loop:
        loop.run_until_complete(start_main())
        loop.run_forever()
    return 0


def _pin_accepted(app: object, console: object, loop: object, watch: object) -> int:
    """The sign-in flow as a person meets it: TYPING seconds after the users are listed (choosing
    oneself and typing a PIN), the PIN is accepted; ACCEPTED then, PAINTED at the main window's first
    paint with the Live screen's data.

    The actor is the one a right PIN gives (the store manager's; the demo's PINs are random), handed
    over as the sign-in window's ``signed_in`` does, so the figure starts where the PIN check ends.
    """
    import asyncio
    import time

    from console.domain.enums import AuditVia, Role
    from ui.app import Console
    from ui.signin import SignInDialog

    assert isinstance(console, Console)
    original_first_paint = Console._first_paint

    async def watched_first_paint(self: Console, window: object, view: str) -> None:
        await original_first_paint(self, window, view)  # type: ignore[arg-type]
        watch.arm(window, "PAINTED")  # type: ignore[attr-defined]
        window.update()  # type: ignore[attr-defined]

    Console._first_paint = watched_first_paint  # type: ignore[method-assign]
    original_init = SignInDialog.__init__

    def watched_init(self: SignInDialog, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)  # type: ignore[arg-type]
        listed: list[float] = []

        def on_listed() -> None:
            # Listed once from the file, then again once the store is open, when signing in can begin.
            listed.append(time.perf_counter())
            if len(listed) == 1:   # the person finds their name (a store manager) first
                managers = [i for i, u in enumerate(self._users) if u.role is Role.STORE_MANAGER]
                self.user_combo.setCurrentIndex(managers[0])
            if len(listed) == 2:
                console.spawn(accept_after_typing(self, listed[0]))

        self.users_loaded.connect(on_listed)

    async def accept_after_typing(dialog: SignInDialog, listed: float) -> None:
        chosen = dialog.selected_user()
        assert chosen is not None
        actor = await console.worker.run(console.auth.actor_for_login, chosen.login, via=AuditVia.GUI)
        await asyncio.sleep(max(0.0, TYPING - (time.perf_counter() - listed)))
        print("ACCEPTED", flush=True)
        dialog.signed_in.emit(actor)

    SignInDialog.__init__ = watched_init  # type: ignore[method-assign]
    with loop:  # type: ignore[attr-defined]
        loop.run_until_complete(console.start())  # type: ignore[attr-defined]
        loop.run_forever()  # type: ignore[attr-defined]
    return 0


# Seconds from the users listed to the PIN accepted: a person finding their name and typing
# four to eight digits takes longer; the console may prepare meanwhile.
TYPING = 5.0


if __name__ == "__main__":
    sys.exit(main())
