"""Values written for the reader: money, counts, dates, times and durations, one way for the GUI and the CLI.

Dates come from CLDR through Babel; numbers need no locale data, since both
languages write them alike. Every function takes the language (``"zh_CN"`` or ``"en"``); times are shown
in the time zone of the datetime they are given, so callers hand over a
moment already converted to the store's zone (:func:`in_zone`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"


@lru_cache(maxsize=8)
def _locale(language: str) -> object:
    # Babel and its CLDR data load on the first date shown, not at start-up.
    from babel import Locale

    return Locale.parse("zh_Hans_CN" if language.startswith("zh") else "en_US")


def format_count(value: int, language: str) -> str:
    """1234567 -> '1,234,567'.

    Both languages group by thousands with a comma (CLDR's zh_Hans_CN and en_US
    agree), so Python's own grouping serves, at a fraction of Babel's cost on
    the roster board's drag path.
    """
    return f"{value:,}"


def format_number(value: float, language: str, *, decimals: int = 1) -> str:
    return f"{value:,.{decimals}f}"


def format_money(fen: int, language: str) -> str:
    """Integer fen as yuan: 129900 -> '¥1,299.00', -500 -> '-¥5.00'.

    The same sign in both languages: this console's money is always CNY, and
    Babel's English 'CN¥' would only puzzle the reader.
    """
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{format_count(yuan, language)}.{cents:02d}"


def format_duration(length: timedelta) -> str:
    """'1:05:09' (h:mm:ss); negative lengths keep their sign, days count as hours."""
    seconds = int(length.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"


def in_zone(moment: datetime, zone: str | ZoneInfo = DEFAULT_TIMEZONE) -> datetime:
    """``moment`` (aware; naive is read as UTC) on the wall clock of ``zone``."""
    tz = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz)


def format_date(day: date, language: str, *, with_year: bool | None = None) -> str:
    """'11月27日' / 'Nov 27'; the year too when asked, or (by default) when it is not this year's."""
    if with_year is None:
        with_year = day.year != date.today().year
    return _formatted_date(date(day.year, day.month, day.day), language, with_year)


@lru_cache(maxsize=4096)
def _formatted_date(day: date, language: str, with_year: bool) -> str:
    # A board shows the same few dozen days over and over; CLDR formatting costs tens of µs.
    from babel.dates import format_skeleton

    return format_skeleton("yMMMd" if with_year else "MMMd", day, locale=_locale(language))


def format_time(moment: time | datetime) -> str:
    """'14:05': a 24-hour clock in both languages, as the shop floor reads it."""
    return f"{moment:%H:%M}"


def format_datetime(moment: datetime, language: str, *, with_year: bool | None = None) -> str:
    """'11月27日 14:05' / 'Nov 27 14:05', in the moment's own zone (see :func:`in_zone`)."""
    return f"{format_date(moment.date(), language, with_year=with_year)} {format_time(moment)}"
