"""Started by bench/startup.py: start a window, print markers as it paints, wait to be killed.

``bare`` paints an empty PySide6 main window (PAINTED).

``signin DIR`` starts the console the way ``anchor-console`` does: the
sign-in window paints at once (FIRST) while the store opens on the worker,
then paints again with the users listed (READY).

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
        """Prints a marker at the first paint of a watched widget after it is armed."""

        def __init__(self) -> None:
            super().__init__()
            self.armed: dict[int, str] = {}

        def arm(self, widget: QObject, marker: str) -> None:
            self.armed[id(widget)] = marker

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and id(obj) in self.armed:
                print(self.armed.pop(id(obj)), flush=True)
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

    if mode == "signin":
        original_init = SignInDialog.__init__

        def watched_init(self: SignInDialog, *args: object, **kwargs: object) -> None:
            original_init(self, *args, **kwargs)  # type: ignore[arg-type]
            watch.arm(self, "FIRST")
            self.users_loaded.connect(lambda: (watch.arm(self, "READY"), self.update()))

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


if __name__ == "__main__":
    sys.exit(main())
