"""Each setting declared once (key, type, default) over a QSettings file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from console.domain.onair import ClockThresholds

T = TypeVar("T")

SETTINGS_FILENAME = "settings.ini"


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    type: type
    default: T


LANGUAGE = Setting("ui/language", str, "zh_CN")
THEME = Setting("ui/theme", str, "light")
LAST_VIEW = Setting("ui/last_view", str, "live")
LAST_LOGIN = Setting("session/last_login", str, "")
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray, QByteArray())
# The product clock on the Live screen: amber this many seconds before its planned time is up, red this
# many after (console.domain.onair.ClockThresholds).
CLOCK_WARNING_SECONDS = Setting("live/clock_warning_seconds", int, 30)
CLOCK_DANGER_SECONDS = Setting("live/clock_danger_seconds", int, 0)
# The teleprompter: scrolling speed (pixels a second), type size (pixels), mirroring, and the screen it
# goes full screen on (a QScreen name; "" for the screen beside the main window's).
PROMPTER_SPEED = Setting("prompter/speed", int, 60)
PROMPTER_FONT_SIZE = Setting("prompter/font_size", int, 56)
PROMPTER_MIRROR_H = Setting("prompter/mirror_horizontal", bool, False)
PROMPTER_MIRROR_V = Setting("prompter/mirror_vertical", bool, False)
PROMPTER_SCREEN = Setting("prompter/screen", str, "")
# The overlay for streaming software, on 127.0.0.1 while a show runs; 0 turns it off.
OVERLAY_PORT = Setting("overlay/port", int, 8765)
SHORTCUT_PREFIX = "shortcuts/"


class Settings:
    """Typed access to the console's settings; tests build one from a temp file."""

    def __init__(self, qsettings: QSettings) -> None:
        self._qs = qsettings

    @classmethod
    def from_file(cls, path: Path) -> "Settings":
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> "Settings":
        # Kept beside the store, so a data folder carries its own preferences
        # and tests never touch the user's real settings.
        return cls.from_file(data_dir / SETTINGS_FILENAME)

    def get(self, setting: Setting[T]) -> T:
        value: Any = self._qs.value(setting.key, setting.default)
        if setting.type is QByteArray:
            return value if isinstance(value, QByteArray) else setting.default
        if setting.type is bool and isinstance(value, str):   # an ini file holds "true" and "false"
            return value.strip().lower() in ("true", "1", "yes")  # type: ignore[return-value]
        try:
            return setting.type(value)
        except (TypeError, ValueError):
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        self._qs.setValue(setting.key, value)

    def shortcut(self, action_id: str) -> str | None:
        value = self._qs.value(SHORTCUT_PREFIX + action_id)
        return None if value is None else str(value)

    def set_shortcut(self, action_id: str, keys: str) -> None:
        self._qs.setValue(SHORTCUT_PREFIX + action_id, keys)

    def clock_thresholds(self) -> ClockThresholds:
        return ClockThresholds(warning_seconds=max(0, self.get(CLOCK_WARNING_SECONDS)),
                               danger_seconds=max(0, self.get(CLOCK_DANGER_SECONDS)))

    def sync(self) -> None:
        self._qs.sync()
