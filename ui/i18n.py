"""Loading translations: Qt's own first, then ours, for zh_CN or English; and the core's catalog with them."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

import resources
from console import i18n as core
from console.i18n import CatalogError, Message, text

LANGUAGES = ("zh_CN", "en")
TRANSLATIONS_DIR = Path(resources.__file__).with_name("translations")

log = logging.getLogger(__name__)

# What a screen may show of the core's: a Message, an error carrying one, or a plain text.
Readable = Message | str | BaseException


class Translations:
    """Holds the installed translators so that the language can be switched live.

    The core's messages (``console.i18n``) follow the same choice: ``install``
    makes that catalog the active one, so that :func:`console.i18n.text`
    renders in the language the window speaks.
    """

    def __init__(self, app: QCoreApplication, core_locale_dir: Path = core.LOCALE_DIR) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self._core_locale_dir = core_locale_dir
        self.language = "en"
        # The core's catalog for this language exists but cannot be used: its
        # messages are in English meanwhile, and the user should be told why.
        self.core_problem: CatalogError | None = None

    def install(self, language: str) -> bool:
        """Switch language; True when our catalogue for it was found (English needs none)."""
        self.language = language if language in LANGUAGES else "en"
        # First the core: every translator installed or removed below sends
        # LanguageChange at once, and the widgets re-render core messages then.
        self._use_core_catalog(self.language)
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
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

    def _use_core_catalog(self, language: str) -> None:
        self.core_problem = None
        try:
            core.use_language(language, self._core_locale_dir)
        except CatalogError as exc:
            # use_language has fallen back to English already.
            if exc.path.exists():
                log.warning("%s", exc)
                self.core_problem = exc
            else:
                # A build without the compiled catalog: English, and nothing to fix for the user.
                log.info("no catalog of the core's messages at %s; they are shown in English", exc.path)


def ui_language() -> str:
    """The language the UI speaks now ("zh_CN" or "en"), as :meth:`Translations.install` set it."""
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"


def texts(messages: Iterable[Readable]) -> list[str]:
    """Each message rendered in the active language, each distinct sentence once."""
    return list(dict.fromkeys(text(m) for m in messages))


def render(readable: Readable | Sequence[Readable]) -> str:
    """One message, or several as sentences one after another, in the active language."""
    if isinstance(readable, (list, tuple)):
        return core.active().join(texts(readable))
    return text(readable)
