"""Loading translations: Qt's own first, then ours, for zh_CN or English."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

import resources

LANGUAGES = ("zh_CN", "en")
TRANSLATIONS_DIR = Path(resources.__file__).with_name("translations")


class Translations:
    """Holds the installed translators so that the language can be switched live."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = "en"

    def install(self, language: str) -> bool:
        """Switch language; True when our catalogue for it was found (English needs none)."""
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self.language = language if language in LANGUAGES else "en"
        QLocale.setDefault(QLocale(self.language))
        if self.language == "en":
            return True
        qt = QTranslator(self._app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{self.language}", qt_dir):
            self._app.installTranslator(qt)
            self._installed.append(qt)
        ours = QTranslator(self._app)
        found = ours.load(f"anchor_console_{self.language}", str(TRANSLATIONS_DIR))
        if found:
            self._app.installTranslator(ours)
            self._installed.append(ours)
        return found
