"""The limits the roster rules judge by (the store's synced ``store_rules`` row), and the store's time zone."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from console.domain.errors import ValidationError
from console.domain.permissions import Actor, Permission
from console.i18n import msg
from console.rules.roster import RosterSettings
from console.services.base import Service, load_store
from console.storage.db import Database
from console.storage.models import StoreRules, store_rules_id


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
                            max_on_air_minutes_in_a_row: int, max_days_in_a_row: int,
                            min_voice_rest_minutes: int | None = None) -> RosterSettings:
        """Change the store's limits; they sync, so every console of the store judges by them.

        Shifts already saved are judged afresh on the next read. ``min_voice_rest_minutes``
        None keeps the store's.
        """
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
        if min_voice_rest_minutes is not None and not 0 <= min_voice_rest_minutes <= 240:
            raise ValidationError(msg("roster.settings_voice_rest_range",
                                      "The shortest break that rests a voice must be between 0 and 240 minutes."))
        values = {
            "min_rest_minutes": round(float(min_rest_hours) * 60),
            "max_on_air_minutes_per_day": int(max_on_air_minutes_per_day),
            "max_on_air_minutes_in_a_row": int(max_on_air_minutes_in_a_row),
            "max_days_in_a_row": int(max_days_in_a_row),
        }
        if min_voice_rest_minutes is not None:
            values["min_voice_rest_minutes"] = int(min_voice_rest_minutes)
        with self._db.begin() as s:
            store_id = self._store_scope()
            row = s.get(StoreRules, store_rules_id(store_id))
            if row is None:
                row = StoreRules(id=store_rules_id(store_id), store_id=store_id)
                s.add(row)
            for field, value in values.items():
                if getattr(row, field, None) != value:
                    setattr(row, field, value)
            s.flush()
            self._audit(s, "roster_settings_changed", "store_rules", row.id, **values)
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
        row = s.get(StoreRules, store_rules_id(self._store_scope()))
        if row is None or row.deleted_at is not None:
            return RosterSettings(store_timezone=self._timezone)     # never set: the defaults
        return RosterSettings(
            min_rest=timedelta(minutes=row.min_rest_minutes),
            max_on_air_minutes_per_day=row.max_on_air_minutes_per_day,
            max_on_air_minutes_in_a_row=row.max_on_air_minutes_in_a_row,
            min_voice_rest=timedelta(minutes=row.min_voice_rest_minutes),
            max_days_in_a_row=row.max_days_in_a_row,
            store_timezone=self._timezone,
        )
