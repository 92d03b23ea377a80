"""The thresholds the roster rules judge by, and the store's time zone, kept as local settings."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from console.domain.errors import ValidationError
from console.domain.permissions import Actor, Permission
from console.i18n import msg
from console.rules.roster import RosterSettings
from console.services.base import Service, load_store, read_setting, write_setting
from console.storage.db import Database

# The rules' thresholds as LocalSetting keys. They are local to this console
# for now: LocalSetting is not synced, so head office and other consoles of
# the store keep their own (the defaults unless set there too).
_SETTING_KEYS = {
    "min_rest_hours": "roster.min_rest_hours",
    "max_on_air_minutes_per_day": "roster.max_on_air_minutes_per_day",
    "max_on_air_minutes_in_a_row": "roster.max_on_air_minutes_in_a_row",
    "max_days_in_a_row": "roster.max_days_in_a_row",
}


class RosterThresholds(Service):
    """Settings given to the constructor are used as they are; otherwise each judgement reads them afresh."""

    def __init__(self, db: Database, actor: Actor, settings: RosterSettings | None = None) -> None:
        super().__init__(db, actor)
        self._settings = settings
        self._timezone: str | None = settings.store_timezone if settings else None

    def roster_settings(self) -> RosterSettings:
        """The thresholds the rules judge this store's shifts by (defaults where none is set)."""
        self._actor.require(Permission.VIEW_STORE)
        return self._settings_for()

    def set_roster_settings(self, *, min_rest_hours: float, max_on_air_minutes_per_day: int,
                            max_on_air_minutes_in_a_row: int, max_days_in_a_row: int) -> RosterSettings:
        """Change the warning thresholds; shifts already saved are judged afresh on the next read."""
        self._actor.require(Permission.EDIT_ROSTER)
        if not 0 <= min_rest_hours <= 24:
            raise ValidationError(msg("roster.settings_min_rest_range",
                                      "The minimum rest between shifts must be between 0 and 24 hours."))
        if not 30 <= max_on_air_minutes_per_day <= 720:
            raise ValidationError(msg("roster.settings_minutes_per_day_range",
                                      "The most on-air minutes in a day must be between 30 and 720."))
        if not 30 <= max_on_air_minutes_in_a_row <= 720:
            raise ValidationError(msg("roster.settings_minutes_in_a_row_range",
                                      "The most on-air minutes in a row must be between 30 and 720."))
        if max_on_air_minutes_in_a_row > max_on_air_minutes_per_day:
            raise ValidationError(msg("roster.settings_in_a_row_over_per_day",
                                      "The on-air minutes in a row cannot be more than the on-air minutes in a day."))
        if not 1 <= max_days_in_a_row <= 14:
            raise ValidationError(msg("roster.settings_days_in_a_row_range",
                                      "The most days in a row must be between 1 and 14."))
        values = {
            "min_rest_hours": float(min_rest_hours),
            "max_on_air_minutes_per_day": int(max_on_air_minutes_per_day),
            "max_on_air_minutes_in_a_row": int(max_on_air_minutes_in_a_row),
            "max_days_in_a_row": int(max_days_in_a_row),
        }
        with self._db.begin() as s:
            for field, key in _SETTING_KEYS.items():
                write_setting(s, key, str(values[field]))
            s.flush()
            self._audit(s, "roster_settings_changed", "local_setting", None, **values)
            settings = self._read_settings(s)
        if self._settings is not None:
            self._settings = settings
        return settings

    def _zone(self) -> ZoneInfo:
        if self._timezone is None:
            self._settings_for()
        assert self._timezone is not None
        return ZoneInfo(self._timezone)

    def _settings_for(self, s: Session | None = None) -> RosterSettings:
        # Settings given to the constructor win (benchmarks, tests); otherwise
        # they are read afresh, so a change made elsewhere in this console
        # (another service instance) is judged by at once.
        if self._settings is not None:
            return self._settings
        if s is not None:
            return self._read_settings(s)
        with self._db.begin() as session:
            return self._read_settings(session)

    def _read_settings(self, s: Session) -> RosterSettings:
        if self._timezone is None:
            self._timezone = load_store(s, self._store_scope()).timezone
        default = RosterSettings()
        stored = {field: read_setting(s, key) for field, key in _SETTING_KEYS.items()}

        def number(field: str, fallback: float) -> float:
            try:
                return float(stored[field]) if stored[field] is not None else fallback
            except ValueError:     # a hand-edited database: fall back rather than refuse every shift
                return fallback

        return RosterSettings(
            min_rest=timedelta(hours=number("min_rest_hours", default.min_rest.total_seconds() / 3600)),
            max_on_air_minutes_per_day=int(number("max_on_air_minutes_per_day",
                                                  default.max_on_air_minutes_per_day)),
            max_on_air_minutes_in_a_row=int(number("max_on_air_minutes_in_a_row",
                                                   default.max_on_air_minutes_in_a_row)),
            max_days_in_a_row=int(number("max_days_in_a_row", default.max_days_in_a_row)),
            store_timezone=self._timezone,
        )
