"""One registry of QActions: id, title, default shortcut, handler.

Default key bindings are data; a user's own bindings in the settings file
(``shortcuts/<action id>``) take precedence, as in Picard and qutebrowser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QT_TRANSLATE_NOOP
from PySide6.QtGui import QAction, QKeySequence

from ui.settings import Settings

CONTEXT = "Actions"


@dataclass(frozen=True)
class ActionSpec:
    id: str
    title: str            # English source text, translated in the "Actions" context
    shortcut: str = ""    # portable text form, e.g. "Ctrl+1"
    checkable: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("view.live", QT_TRANSLATE_NOOP("Actions", "&Live"), "Ctrl+1", checkable=True),
    ActionSpec("view.broadcasts", QT_TRANSLATE_NOOP("Actions", "&Broadcasts"), "Ctrl+2", checkable=True),
    ActionSpec("view.products", QT_TRANSLATE_NOOP("Actions", "&Products"), "Ctrl+3", checkable=True),
    ActionSpec("view.scripts", QT_TRANSLATE_NOOP("Actions", "&Scripts"), "Ctrl+4", checkable=True),
    ActionSpec("view.roster", QT_TRANSLATE_NOOP("Actions", "&Roster"), "Ctrl+5", checkable=True),
    ActionSpec("view.reports", QT_TRANSLATE_NOOP("Actions", "R&eports"), "Ctrl+6", checkable=True),
    ActionSpec("view.sync", QT_TRANSLATE_NOOP("Actions", "S&ync"), "Ctrl+7", checkable=True),
    ActionSpec("edit.undo", QT_TRANSLATE_NOOP("Actions", "&Undo"), "Ctrl+Z"),
    ActionSpec("edit.redo", QT_TRANSLATE_NOOP("Actions", "&Redo"), "Ctrl+Shift+Z"),
    ActionSpec("view.refresh", QT_TRANSLATE_NOOP("Actions", "Re&fresh"), "F5"),
    ActionSpec("view.find", QT_TRANSLATE_NOOP("Actions", "F&ind product"), "Ctrl+F"),
    ActionSpec("view.dark_theme", QT_TRANSLATE_NOOP("Actions", "&Dark theme"), "Ctrl+Shift+D", checkable=True),
    ActionSpec("view.lang_zh", QT_TRANSLATE_NOOP("Actions", "中文"), checkable=True),
    ActionSpec("view.lang_en", QT_TRANSLATE_NOOP("Actions", "English"), checkable=True),
    ActionSpec("session.sign_out", QT_TRANSLATE_NOOP("Actions", "Sign &out"), "Ctrl+Shift+L"),
    ActionSpec("app.quit", QT_TRANSLATE_NOOP("Actions", "&Quit"), "Ctrl+Q"),
    ActionSpec("help.shortcuts", QT_TRANSLATE_NOOP("Actions", "&Keyboard shortcuts"), "F1"),
    ActionSpec("help.about", QT_TRANSLATE_NOOP("Actions", "&About Anchor Console")),
)

VIEW_ACTION_IDS = tuple(spec.id for spec in ACTIONS if spec.id.startswith("view.") and spec.checkable
                        and spec.id not in ("view.dark_theme", "view.lang_zh", "view.lang_en"))


class ActionRegistry(QObject):
    def __init__(self, settings: Settings, parent: QObject | None = None,
                 specs: tuple[ActionSpec, ...] = ACTIONS) -> None:
        super().__init__(parent)
        self._specs = {spec.id: spec for spec in specs}
        self._settings = settings
        self._actions: dict[str, QAction] = {}
        for spec in specs:
            action = QAction(self)
            action.setObjectName(spec.id)
            action.setCheckable(spec.checkable)
            action.setShortcut(QKeySequence(self.shortcut_for(spec.id)))
            self._actions[spec.id] = action
        self.retranslate()

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._actions.values())

    def specs(self) -> tuple[ActionSpec, ...]:
        return tuple(self._specs.values())

    def shortcut_for(self, action_id: str) -> str:
        user = self._settings.shortcut(action_id)
        return user if user is not None else self._specs[action_id].shortcut

    def rebind(self, action_id: str, keys: str) -> None:
        """Change a binding now and remember it."""
        self._settings.set_shortcut(action_id, keys)
        self._actions[action_id].setShortcut(QKeySequence(keys))

    def connect(self, action_id: str, handler: Callable[..., object]) -> None:
        self._actions[action_id].triggered.connect(handler)

    def retranslate(self) -> None:
        for action_id, action in self._actions.items():
            action.setText(QCoreApplication.translate(CONTEXT, self._specs[action_id].title))
