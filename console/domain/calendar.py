"""Calendar arithmetic in the store's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def week_start(now: datetime, tz: str) -> datetime:
    """Monday 00:00 of ``now``'s week in the store's zone, as UTC."""
    local = now.astimezone(ZoneInfo(tz))
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday.astimezone(timezone.utc)
