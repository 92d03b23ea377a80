"""Started by bench/startup.py: paint a window, print PAINTED, exit.

``bare`` paints an empty PySide6 main window; ``console DIR`` starts the real
console on a data folder the way ``anchor-console`` does (open and migrate the
database, settings, translations, theme, main window with the Live screen
loaded), signed in as the store manager without the PIN dialog, which waits
for a person.
"""

from __future__ import annotations

import sys


def main() -> int:
    mode = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow

    class PaintWatch(QObject):
        armed = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if self.armed and event.type() == QEvent.Type.Paint:
                print("PAINTED", flush=True)
                QApplication.instance().exit(0)
            return False

    watch = PaintWatch()
    if mode == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.resize(1600, 1000)
        window.installEventFilter(watch)
        watch.armed = True
        window.show()
        return app.exec()

    import asyncio
    from pathlib import Path

    from qasync import QEventLoop

    from console.domain.enums import AuditVia
    from console.storage.db import open_database
    from ui import settings as S
    from ui.app import Console, make_application
    from ui.i18n import Translations
    from ui.settings import Settings
    from ui.theme import apply_theme

    data_dir = Path(sys.argv[2])
    app = make_application()
    db = open_database(data_dir)
    settings = Settings.for_data_dir(data_dir)
    translations = Translations(app)
    translations.install(settings.get(S.LANGUAGE))
    theme = apply_theme(app, settings.get(S.THEME))
    console = Console(app, db, settings, translations, theme=theme)
    loop = QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def start() -> None:
        store = await console.worker.run(console.auth.local_store)
        actor = await console.worker.run(console.auth.actor_for_login, None, via=AuditVia.GUI)
        window = console.open_main_window(store, actor)
        window.resize(1600, 1000)
        window.installEventFilter(watch)
        window.show()
        await window.show_view("live")
        await window.refresh_status()
        watch.armed = True
        window.update()

    with loop:
        loop.run_until_complete(start())
        # The paint after loading ends this run (the filter calls exit).
        app.exec()
    console.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
