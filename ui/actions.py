"""Actions as data: id, title, default keys, handler, and the screen where each is live.

Every key the console answers to is an :class:`ActionSpec`. Its ``scope``
says where it is live: ``window`` actions work on every screen; a screen's
actions (``roster``, ``sync``, ``live``, later ``prompter``) only while
that screen is in front, so one key can mean different things on two
screens, as qutebrowser binds keys per mode. The prompter's actions are live
in its own window (:data:`WINDOW_SCOPES`), wherever its keyboard focus is. Its ``handler`` names the method
of the scope's owner (the main window, or the screen) that the registry
connects in :meth:`ActionRegistry.bind`; ``arg`` is passed to it when set.

Default key bindings are data; a user's own bindings in the settings file
(``shortcuts/<action id>``) take precedence, as in Picard and qutebrowser. Two
actions bound to one key where both are live are refused when the console
starts: among the defaults it is a bug (:class:`BindingConflict`); a user's
binding that collides is set aside, and :attr:`ActionRegistry.conflicts`
names both actions for the console to show.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QT_TRANSLATE_NOOP, Qt, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QWidget

from console.domain.enums import ScriptSegment
from ui.settings import Settings
from ui.tasks import spawn

CONTEXT = "Actions"

WINDOW = "window"
ROSTER = "roster"
SYNC = "sync"
PRODUCTS = "products"
BROADCASTS = "broadcasts"
SCRIPTS = "scripts"
LIVE = "live"
PROMPTER = "prompter"
REPORTS = "reports"
# Where each scope's actions are listed in F1 (English, translated in the "Actions" context).
SCOPE_TITLES = {
    WINDOW: QT_TRANSLATE_NOOP("Actions", "Everywhere"),
    ROSTER: QT_TRANSLATE_NOOP("Actions", "Roster"),
    SYNC: QT_TRANSLATE_NOOP("Actions", "Sync"),
    PRODUCTS: QT_TRANSLATE_NOOP("Actions", "Products"),
    BROADCASTS: QT_TRANSLATE_NOOP("Actions", "Broadcasts"),
    SCRIPTS: QT_TRANSLATE_NOOP("Actions", "Scripts"),
    LIVE: QT_TRANSLATE_NOOP("Actions", "Live"),
    PROMPTER: QT_TRANSLATE_NOOP("Actions", "Teleprompter"),
    REPORTS: QT_TRANSLATE_NOOP("Actions", "Reports"),
}
# Scopes whose owner is a window of its own (the prompter): live wherever that window has the keyboard.
WINDOW_SCOPES = frozenset({PROMPTER})


@dataclass(frozen=True)
class ActionSpec:
    id: str
    title: str            # English source text, translated in the "Actions" context
    shortcut: str = ""    # portable text form, e.g. "Ctrl+1"; several separated by "; "
    checkable: bool = False
    scope: str = WINDOW
    handler: str = ""     # the scope owner's method; "" when the owner wires the action itself
    arg: Any = None       # passed to the handler when not None


def _view(name: str, title: str, keys: str) -> ActionSpec:
    return ActionSpec(f"view.{name}", title, keys, checkable=True, handler="select_view", arg=name)


ACTIONS: tuple[ActionSpec, ...] = (
    _view("live", QT_TRANSLATE_NOOP("Actions", "&Live"), "Ctrl+1"),
    _view("broadcasts", QT_TRANSLATE_NOOP("Actions", "&Broadcasts"), "Ctrl+2"),
    _view("products", QT_TRANSLATE_NOOP("Actions", "&Products"), "Ctrl+3"),
    _view("scripts", QT_TRANSLATE_NOOP("Actions", "&Scripts"), "Ctrl+4"),
    _view("roster", QT_TRANSLATE_NOOP("Actions", "&Roster"), "Ctrl+5"),
    _view("reports", QT_TRANSLATE_NOOP("Actions", "R&eports"), "Ctrl+6"),
    _view("sync", QT_TRANSLATE_NOOP("Actions", "S&ync"), "Ctrl+7"),
    ActionSpec("edit.undo", QT_TRANSLATE_NOOP("Actions", "&Undo"), "Ctrl+Z", handler="undo"),
    ActionSpec("edit.redo", QT_TRANSLATE_NOOP("Actions", "&Redo"), "Ctrl+Shift+Z", handler="redo"),
    ActionSpec("view.refresh", QT_TRANSLATE_NOOP("Actions", "Re&fresh"), "Ctrl+R", handler="refresh_view"),
    ActionSpec("view.find", QT_TRANSLATE_NOOP("Actions", "F&ind product"), "Ctrl+F", handler="find_product"),
    ActionSpec("view.dark_theme", QT_TRANSLATE_NOOP("Actions", "&Dark theme"), "Ctrl+Shift+D", checkable=True,
               handler="set_dark"),
    ActionSpec("view.lang_zh", QT_TRANSLATE_NOOP("Actions", "中文"), checkable=True, handler="choose_language",
               arg="zh_CN"),
    ActionSpec("view.lang_en", QT_TRANSLATE_NOOP("Actions", "English"), checkable=True, handler="choose_language",
               arg="en"),
    ActionSpec("session.sign_out", QT_TRANSLATE_NOOP("Actions", "Sign &out"), "Ctrl+Shift+L", handler="sign_out"),
    ActionSpec("app.quit", QT_TRANSLATE_NOOP("Actions", "&Quit"), "Ctrl+Q", handler="close"),
    ActionSpec("help.shortcuts", QT_TRANSLATE_NOOP("Actions", "&Keyboard shortcuts"), "F1", handler="show_shortcuts"),
    ActionSpec("help.about", QT_TRANSLATE_NOOP("Actions", "&About Anchor Console"), handler="show_about"),
    # --- the roster ---
    ActionSpec("roster.previous_week", QT_TRANSLATE_NOOP("Actions", "Previous week"), "Alt+Left",
               scope=ROSTER, handler="go_week", arg=-1),
    ActionSpec("roster.this_week", QT_TRANSLATE_NOOP("Actions", "This week"), "Alt+Home",
               scope=ROSTER, handler="go_week", arg=0),
    ActionSpec("roster.next_week", QT_TRANSLATE_NOOP("Actions", "Next week"), "Alt+Right",
               scope=ROSTER, handler="go_week", arg=1),
    ActionSpec("roster.copy_last_week", QT_TRANSLATE_NOOP("Actions", "Copy last week"), "Ctrl+Shift+C",
               scope=ROSTER, handler="on_copy_week"),
    ActionSpec("roster.people", QT_TRANSLATE_NOOP("Actions", "Anchors and rooms…"), "Ctrl+Shift+A",
               scope=ROSTER, handler="on_people"),
    ActionSpec("roster.publish", QT_TRANSLATE_NOOP("Actions", "Publish"), "Ctrl+Return",
               scope=ROSTER, handler="on_publish"),
    ActionSpec("roster.import", QT_TRANSLATE_NOOP("Actions", "Import roster…"), "Ctrl+Shift+I",
               scope=ROSTER, handler="on_import_roster"),
    ActionSpec("roster.export", QT_TRANSLATE_NOOP("Actions", "Export roster…"), "Ctrl+Shift+E",
               scope=ROSTER, handler="on_export_roster"),
    # --- sync ---
    ActionSpec("sync.now", QT_TRANSLATE_NOOP("Actions", "Sync now"), "Ctrl+Return", scope=SYNC, handler="on_sync_now"),
    ActionSpec("sync.settle", QT_TRANSLATE_NOOP("Actions", "Settle conflict…"), "Ctrl+E", scope=SYNC,
               handler="on_settle"),
    ActionSpec("sync.enroll", QT_TRANSLATE_NOOP("Actions", "Enrol with head office…"), "Ctrl+Shift+H", scope=SYNC,
               handler="on_enroll"),
    # --- products ---
    ActionSpec("products.import", QT_TRANSLATE_NOOP("Actions", "Import catalog…"), "Ctrl+I",
               scope=PRODUCTS, handler="on_import"),
    # --- broadcasts: the queue editor ---
    ActionSpec("broadcasts.move_up", QT_TRANSLATE_NOOP("Actions", "Move up in the queue"), "Ctrl+Up",
               scope=BROADCASTS, handler="move_selected", arg=-1),
    ActionSpec("broadcasts.move_down", QT_TRANSLATE_NOOP("Actions", "Move down in the queue"), "Ctrl+Down",
               scope=BROADCASTS, handler="move_selected", arg=1),
    ActionSpec("broadcasts.remove", QT_TRANSLATE_NOOP("Actions", "Remove from the queue"), "Delete",
               scope=BROADCASTS, handler="remove_selected"),
    ActionSpec("broadcasts.pin", QT_TRANSLATE_NOOP("Actions", "Pin or unpin the link number"), "Ctrl+P",
               scope=BROADCASTS, handler="toggle_pin"),
    ActionSpec("broadcasts.search", QT_TRANSLATE_NOOP("Actions", "Search to add a product"), "Ctrl+K",
               scope=BROADCASTS, handler="focus_search"),
    ActionSpec("broadcasts.scan", QT_TRANSLATE_NOOP("Actions", "Scan a barcode"), "Ctrl+B",
               scope=BROADCASTS, handler="focus_scan"),
    ActionSpec("broadcasts.mark_ready", QT_TRANSLATE_NOOP("Actions", "Mark ready"), "Ctrl+Return",
               scope=BROADCASTS, handler="on_mark_ready"),
    ActionSpec("broadcasts.new", QT_TRANSLATE_NOOP("Actions", "New broadcast…"), "Ctrl+N",
               scope=BROADCASTS, handler="on_new_broadcast"),
    ActionSpec("broadcasts.change", QT_TRANSLATE_NOOP("Actions", "Change broadcast…"), "",
               scope=BROADCASTS, handler="on_change_broadcast"),
    ActionSpec("broadcasts.cancel", QT_TRANSLATE_NOOP("Actions", "Cancel broadcast…"), "",
               scope=BROADCASTS, handler="on_cancel_broadcast"),
    # --- scripts: the editor, its findings, versions and approval ---
    ActionSpec("scripts.apply_suggestion", QT_TRANSLATE_NOOP("Actions", "Put the suggested wording in"),
               "Ctrl+.; Alt+Return", scope=SCRIPTS, handler="apply_suggestion"),
    ActionSpec("scripts.next_finding", QT_TRANSLATE_NOOP("Actions", "Next finding"), "F8",
               scope=SCRIPTS, handler="go_finding", arg=1),
    ActionSpec("scripts.previous_finding", QT_TRANSLATE_NOOP("Actions", "Previous finding"), "Shift+F8",
               scope=SCRIPTS, handler="go_finding", arg=-1),
    ActionSpec("scripts.save", QT_TRANSLATE_NOOP("Actions", "Save as a new version"), "Ctrl+S",
               scope=SCRIPTS, handler="on_save"),
    ActionSpec("scripts.submit", QT_TRANSLATE_NOOP("Actions", "Submit for approval"), "Ctrl+Shift+S",
               scope=SCRIPTS, handler="on_submit"),
    ActionSpec("scripts.approve", QT_TRANSLATE_NOOP("Actions", "Approve"), "Ctrl+Shift+A",
               scope=SCRIPTS, handler="on_approve"),
    ActionSpec("scripts.reject", QT_TRANSLATE_NOOP("Actions", "Reject…"), "Ctrl+Shift+J",
               scope=SCRIPTS, handler="on_reject"),
    ActionSpec("scripts.compare", QT_TRANSLATE_NOOP("Actions", "Compare versions"), "Ctrl+D",
               scope=SCRIPTS, handler="show_versions"),
    ActionSpec("scripts.filter", QT_TRANSLATE_NOOP("Actions", "Filter the scripts"), "Ctrl+L",
               scope=SCRIPTS, handler="focus_filter"),
    ActionSpec("scripts.edit", QT_TRANSLATE_NOOP("Actions", "Edit the script"), "Ctrl+E",
               scope=SCRIPTS, handler="focus_editor"),
    # --- reports ---
    ActionSpec("reports.export_xlsx", QT_TRANSLATE_NOOP("Actions", "Export Excel…"), "Ctrl+E",
               scope=REPORTS, handler="export_xlsx"),
    ActionSpec("reports.export_pdf", QT_TRANSLATE_NOOP("Actions", "Broadcast PDF…"), "Ctrl+P",
               scope=REPORTS, handler="export_broadcast_pdf"),
    ActionSpec("reports.back", QT_TRANSLATE_NOOP("Actions", "Back from the drill-down"), "Alt+Left",
               scope=REPORTS, handler="go_back"),
    ActionSpec("scripts.new", QT_TRANSLATE_NOOP("Actions", "New script…"), "Ctrl+N",
               scope=SCRIPTS, handler="on_new_script"),
    # --- live: the show on air; the defaults suit a presentation clicker (its keys are these) ---
    ActionSpec("live.go_live", QT_TRANSLATE_NOOP("Actions", "Go live"), "F5", scope=LIVE, handler="on_go_live"),
    ActionSpec("live.rehearse", QT_TRANSLATE_NOOP("Actions", "Rehearse"), "Shift+F5", scope=LIVE,
               handler="on_rehearse"),
    ActionSpec("live.next", QT_TRANSLATE_NOOP("Actions", "Next"), "PgDown", scope=LIVE,
               handler="on_act", arg="next"),
    ActionSpec("live.previous", QT_TRANSLATE_NOOP("Actions", "Previous"), "PgUp", scope=LIVE,
               handler="on_act", arg="previous"),
    ActionSpec("live.enter", QT_TRANSLATE_NOOP("Actions", "Jump to the typed link number, or confirm"),
               "Return; Enter", scope=LIVE, handler="on_enter"),
    ActionSpec("live.skip", QT_TRANSLATE_NOOP("Actions", "Skip"), "S", scope=LIVE, handler="on_act", arg="skip"),
    ActionSpec("live.sold_out", QT_TRANSLATE_NOOP("Actions", "Sold out"), "O", scope=LIVE, handler="on_act",
               arg="sold_out"),
    ActionSpec("live.stock", QT_TRANSLATE_NOOP("Actions", "Stock…"), "K", scope=LIVE, handler="focus_stock"),
    ActionSpec("live.note", QT_TRANSLATE_NOOP("Actions", "Note…"), "N", scope=LIVE, handler="focus_note"),
    ActionSpec("live.pause", QT_TRANSLATE_NOOP("Actions", "Pause / resume"), "B", scope=LIVE,
               handler="on_pause_toggle"),
    ActionSpec("live.metrics", QT_TRANSLATE_NOOP("Actions", "Enter the platform's figures"), "Ctrl+M", scope=LIVE,
               handler="focus_metrics"),
    ActionSpec("live.end", QT_TRANSLATE_NOOP("Actions", "End show…"), "Esc", scope=LIVE, handler="on_escape"),
    # The prompter between products: a segment's approved script, and back (the same key again goes back too).
    ActionSpec("live.opening", QT_TRANSLATE_NOOP("Actions", "Opening on the prompter"), "F6", scope=LIVE,
               handler="on_segment", arg=ScriptSegment.OPENING),
    ActionSpec("live.interaction", QT_TRANSLATE_NOOP("Actions", "Interaction on the prompter"), "F7", scope=LIVE,
               handler="on_segment", arg=ScriptSegment.INTERACTION),
    ActionSpec("live.closing", QT_TRANSLATE_NOOP("Actions", "Closing on the prompter"), "F8", scope=LIVE,
               handler="on_segment", arg=ScriptSegment.CLOSING),
    ActionSpec("live.product_script", QT_TRANSLATE_NOOP("Actions", "Product's script on the prompter"), "F9",
               scope=LIVE, handler="on_back_to_product"),
    # --- the teleprompter's window: the show's keys (and the clicker's), and its own ---
    ActionSpec("prompter.next", QT_TRANSLATE_NOOP("Actions", "Next product"), "PgDown",
               scope=PROMPTER, handler="next_product"),
    ActionSpec("prompter.previous", QT_TRANSLATE_NOOP("Actions", "Previous product"), "PgUp",
               scope=PROMPTER, handler="previous_product"),
    ActionSpec("prompter.pause_show", QT_TRANSLATE_NOOP("Actions", "Pause or resume the show"), "B",
               scope=PROMPTER, handler="toggle_show_pause"),
    ActionSpec("prompter.pause_scrolling", QT_TRANSLATE_NOOP("Actions", "Pause or resume scrolling"), "Space",
               scope=PROMPTER, handler="toggle_scrolling"),
    ActionSpec("prompter.faster", QT_TRANSLATE_NOOP("Actions", "Scroll faster"), "Up",
               scope=PROMPTER, handler="change_speed", arg=1),
    ActionSpec("prompter.slower", QT_TRANSLATE_NOOP("Actions", "Scroll slower"), "Down",
               scope=PROMPTER, handler="change_speed", arg=-1),
    ActionSpec("prompter.larger", QT_TRANSLATE_NOOP("Actions", "Larger text"), "Ctrl+=; Ctrl++",
               scope=PROMPTER, handler="change_size", arg=1),
    ActionSpec("prompter.smaller", QT_TRANSLATE_NOOP("Actions", "Smaller text"), "Ctrl+-",
               scope=PROMPTER, handler="change_size", arg=-1),
    ActionSpec("prompter.mirror_horizontal", QT_TRANSLATE_NOOP("Actions", "Mirror left to right"), "M",
               scope=PROMPTER, handler="toggle_mirror", arg="horizontal"),
    ActionSpec("prompter.mirror_vertical", QT_TRANSLATE_NOOP("Actions", "Mirror top to bottom"), "V",
               scope=PROMPTER, handler="toggle_mirror", arg="vertical"),
    ActionSpec("prompter.next_marker", QT_TRANSLATE_NOOP("Actions", "Next marker"), "Ctrl+Down",
               scope=PROMPTER, handler="jump_marker", arg=1),
    ActionSpec("prompter.previous_marker", QT_TRANSLATE_NOOP("Actions", "Previous marker"), "Ctrl+Up",
               scope=PROMPTER, handler="jump_marker", arg=-1),
    ActionSpec("prompter.full_screen", QT_TRANSLATE_NOOP("Actions", "Full screen"), "F11",
               scope=PROMPTER, handler="toggle_full_screen"),
    ActionSpec("prompter.opening", QT_TRANSLATE_NOOP("Actions", "Opening script"), "F6",
               scope=PROMPTER, handler="show_segment", arg=ScriptSegment.OPENING),
    ActionSpec("prompter.interaction", QT_TRANSLATE_NOOP("Actions", "Interaction script"), "F7",
               scope=PROMPTER, handler="show_segment", arg=ScriptSegment.INTERACTION),
    ActionSpec("prompter.closing", QT_TRANSLATE_NOOP("Actions", "Closing script"), "F8",
               scope=PROMPTER, handler="show_segment", arg=ScriptSegment.CLOSING),
    ActionSpec("prompter.product_script", QT_TRANSLATE_NOOP("Actions", "Back to the product's script"), "F9",
               scope=PROMPTER, handler="back_to_product"),
    ActionSpec("live.prompter", QT_TRANSLATE_NOOP("Actions", "Teleprompter"), "Ctrl+T", handler="open_prompter"),
)

VIEW_ACTION_IDS = tuple(spec.id for spec in ACTIONS if spec.handler == "select_view")


class BindingConflict(ValueError):
    """Two actions bound to one key where both are live."""

    def __init__(self, key: str, first: ActionSpec, second: ActionSpec) -> None:
        super().__init__(f"{key} is bound to both {first.id!r} and {second.id!r}")
        self.key, self.first, self.second = key, first, second


def _keys(text: str) -> list[str]:
    """Portable key texts, normalised ("ctrl+return" and "Ctrl+Return" are one key)."""
    return [QKeySequence(part.strip()).toString(QKeySequence.SequenceFormat.PortableText)
            for part in text.split(";") if part.strip()]


def _overlap(a: str, b: str) -> bool:
    """Whether two scopes' actions can be live at once."""
    return a == b or WINDOW in (a, b)


def find_conflict(bindings: dict[str, str], specs: dict[str, ActionSpec]) -> BindingConflict | None:
    """The first key bound twice where both actions are live, given each action's key text."""
    seen: dict[str, list[ActionSpec]] = {}
    for action_id, text in bindings.items():
        spec = specs[action_id]
        for key in _keys(text):
            for other in seen.get(key, []):
                if _overlap(other.scope, spec.scope):
                    return BindingConflict(key, other, spec)
            seen.setdefault(key, []).append(spec)
    return None


class ActionRegistry(QObject):
    def __init__(self, settings: Settings, parent: QObject | None = None,
                 specs: tuple[ActionSpec, ...] = ACTIONS) -> None:
        super().__init__(parent)
        self._specs = {spec.id: spec for spec in specs}
        self._settings = settings
        self._actions: dict[str, QAction] = {}
        # Why a user's binding was set aside at start, one line per refusal (English, for the log).
        self.conflicts: list[BindingConflict] = []
        problem = find_conflict({s.id: s.shortcut for s in specs}, self._specs)
        if problem is not None:
            raise problem
        self._bindings = self._effective_bindings()
        for spec in specs:
            action = QAction(self)
            action.setObjectName(spec.id)
            action.setCheckable(spec.checkable)
            action.setShortcuts(self._sequences(self._bindings[spec.id]))
            if spec.scope not in (WINDOW, *WINDOW_SCOPES):
                # Live only while its screen (or a widget on it) has the focus.
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self._actions[spec.id] = action
        self.retranslate()

    def _effective_bindings(self) -> dict[str, str]:
        """Defaults, with each user binding that collides with nothing where it would be live."""
        bindings = {spec_id: spec.shortcut for spec_id, spec in self._specs.items()}
        for spec_id in self._specs:
            user = self._settings.shortcut(spec_id)
            if user is None:
                continue
            trial = dict(bindings, **{spec_id: user})
            problem = find_conflict(trial, self._specs)
            if problem is None:
                bindings = trial
            else:
                self.conflicts.append(problem)
        return bindings

    @staticmethod
    def _sequences(text: str) -> list[QKeySequence]:
        return [QKeySequence(key) for key in _keys(text)]

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[QAction]:
        return iter(self._actions.values())

    def specs(self, scope: str | None = None) -> tuple[ActionSpec, ...]:
        return tuple(s for s in self._specs.values() if scope is None or s.scope == scope)

    def spec(self, action_id: str) -> ActionSpec:
        return self._specs[action_id]

    def shortcut_for(self, action_id: str) -> str:
        return self._bindings[action_id]

    def rebind(self, action_id: str, keys: str) -> None:
        """Change a binding now and remember it; refused (BindingConflict) if it collides."""
        trial = dict(self._bindings, **{action_id: keys})
        problem = find_conflict(trial, self._specs)
        if problem is not None:
            raise problem
        self._bindings = trial
        self._settings.set_shortcut(action_id, keys)
        self._actions[action_id].setShortcuts(self._sequences(keys))

    def bind(self, owner: QWidget, scope: str) -> list[tuple[SignalInstance, Callable[..., object]]]:
        """Connect ``scope``'s actions to ``owner``'s handlers and make them live on ``owner``.

        Returns the connections, for the owner to undo when it closes: the
        actions outlive windows (the next person signs in to a new one).
        """
        made: list[tuple[SignalInstance, Callable[..., object]]] = []
        for spec in self.specs(scope):
            action = self._actions[spec.id]
            owner.addAction(action)
            if not spec.handler:
                continue
            handler = getattr(owner, spec.handler)
            signal, slot = _connection(action, spec, handler)
            signal.connect(slot)
            made.append((signal, slot))
        return made

    def retranslate(self) -> None:
        for action_id, action in self._actions.items():
            action.setText(QCoreApplication.translate(CONTEXT, self._specs[action_id].title))


def _connection(action: QAction, spec: ActionSpec,
                handler: Callable[..., object]) -> tuple[SignalInstance, Callable[..., object]]:
    if spec.arg is not None:
        arg = spec.arg
        return action.triggered, lambda _checked=False: _call(handler, arg)
    if spec.checkable:
        return action.toggled, lambda checked: _call(handler, checked)
    return action.triggered, lambda _checked=False: _call(handler)


def _call(handler: Callable[..., object], *args: Any) -> None:
    """Run a handler; an async one runs on the loop as a task (held, its failure reported)."""
    result = handler(*args)
    if inspect.isawaitable(result):
        spawn(result)  # type: ignore[arg-type]


class ActionButton(QObject):
    """A button standing for an action: a click triggers it, and it is enabled as the action is.

    ``shows`` is what of the action's (translated) words the button shows:
    "text", "tooltip" (a button with a glyph), or "" (the button's own words).
    """

    def __init__(self, button: QAbstractButton, action: QAction, shows: str) -> None:
        super().__init__(button)
        self._button, self._action, self._shows = button, action, shows
        button.clicked.connect(action.trigger)
        action.changed.connect(self._follow)
        self._follow()

    def _follow(self) -> None:
        self._button.setEnabled(self._action.isEnabled())
        if self._shows == "text":
            self._button.setText(self._action.text())
        elif self._shows == "tooltip":
            self._button.setToolTip(self._action.text())


def plain_text(action_text: str) -> str:
    """A menu text without its accelerator: "直播(&L)" -> "直播", "&Live" -> "Live"."""
    return re.sub(r"\(&[^&]\)|&(?!&)", "", action_text)


def scope_title(scope: str) -> str:
    return QCoreApplication.translate(CONTEXT, SCOPE_TITLES.get(scope, scope))
