"""Amounts as people write them in a spreadsheet cell or an editor: prices, stock counts, durations.

Prices in yuan with or without thousands separators, a yuan sign (half- or
full-width) or 元, full-width digits from an input method; stock with its
measure word (35件); durations as ``m:ss`` or whole minutes. Each reader
returns the value or raises :class:`CellProblem` saying what is wrong in
words a store manager understands; a file reader adds file, row and column.
Pure: the queue editor's cells and the importers read with the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, time, timedelta
from decimal import Decimal

from console.i18n import Message, msg

MAX_PRICE_FEN = 100_000_000 * 100          # a hundred million yuan: beyond it, a typo
MAX_STOCK = 2**31 - 1                      # a store's stock count
MAX_ALLOCATED_STOCK = 9_999_999                # stock set aside for one show
MAX_PLANNED_SECONDS = 4 * 3600             # one product for four hours is a typing slip, not a plan
_PRICE_TEXT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+")
_STOCK_TEXT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.0*)?")
_STOCK_UNITS = "件个台套瓶盒双支只条"
_MINUTES = re.compile(r"(\d+)(?:分钟|分|min|mins|minutes?)?")
_CLOCK = re.compile(r"(?:(\d+):)?(\d+):(\d{2})")


class CellProblem(ValueError):
    """What is wrong with one cell's value; the reader adds file, row and column."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


def parse_price_fen(value: object) -> int:
    """A price in yuan (``1299``, ``1,299.00``, ``¥1299``, ``￥1,299``, full-width digits) as fen, above zero."""
    if isinstance(value, bool):
        raise CellProblem(_not_a_price(str(value)))
    if isinstance(value, int):
        yuan = Decimal(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellProblem(_not_a_price(str(value)))
        yuan = Decimal(repr(value))
    else:
        written = str(value).strip()
        if written.isascii() and written.isdigit():
            return _checked_fen(Decimal(written), written)
        yuan = _yuan_from_text(written)
    return _checked_fen(yuan, str(value))


def _yuan_from_text(written: str) -> Decimal:
    text = written if written.isascii() else unicodedata.normalize("NFKC", written)
    text = text.replace(" ", "")
    for prefix in ("¥", "RMB", "CNY", "人民币"):
        text = text.removeprefix(prefix)
    text = text.removesuffix("元")
    negative = text.startswith(("-", "−"))
    digits = text[1:] if negative else text
    if not _PRICE_TEXT.fullmatch(digits):
        raise CellProblem(_not_a_price(written))
    if negative:
        raise CellProblem(msg("catalog_file.price_not_positive",
                              "the price {value} is not above zero; give the price in yuan, such as 1299",
                              value=written))
    return Decimal(digits.replace(",", ""))


def _checked_fen(yuan: Decimal, written: str) -> int:
    if yuan <= 0:
        raise CellProblem(msg("catalog_file.price_not_positive",
                              "the price {value} is not above zero; give the price in yuan, such as 1299",
                              value=written))
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise CellProblem(msg("catalog_file.price_below_fen",
                              "the price {value} has more than two decimals; prices are in yuan and fen",
                              value=written))
    if fen > MAX_PRICE_FEN:
        raise CellProblem(msg("catalog_file.price_too_large",
                              "the price {value} is more than a hundred million yuan; check the cell",
                              value=written))
    return int(fen)


def _not_a_price(written: str) -> Message:
    return msg("catalog_file.not_a_price", "'{value}' is not a price; write it in yuan, such as 1299 or 1,299.00",
               value=written)


def parse_stock(value: object) -> int:
    """A stock count: a whole number, zero or more (``1,200``, ``35件`` and full-width digits too)."""
    if isinstance(value, bool):
        raise CellProblem(_not_a_stock(str(value)))
    if isinstance(value, int):
        count = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellProblem(_not_a_stock(str(value)))
        count = int(value)
    else:
        written = str(value).strip()
        if written.isascii() and written.isdigit():
            count = int(written)
        else:
            text = unicodedata.normalize("NFKC", written).replace(" ", "").rstrip(_STOCK_UNITS)
            negative = text.startswith(("-", "−"))
            digits = text[1:] if negative else text
            if not _STOCK_TEXT.fullmatch(digits):
                raise CellProblem(_not_a_stock(written))
            count = int(Decimal(digits.replace(",", "")))
            if negative and count:
                count = -count
    if count < 0:
        raise CellProblem(msg("catalog_file.stock_negative", "the stock {value} is below zero", value=str(value)))
    if count > MAX_STOCK:
        raise CellProblem(msg("catalog_file.stock_too_large", "the stock {value} is too large; check the cell",
                              value=str(value)))
    return count


def _not_a_stock(written: str) -> Message:
    return msg("catalog_file.not_a_stock", "'{value}' is not a stock count; write a whole number, such as 35",
               value=written)


def price_text(fen: int) -> str:
    """Fen as the export writes them: yuan with two decimals, no separators (``1299.00``)."""
    return f"{fen // 100}.{fen % 100:02d}"


def parse_duration(value: object) -> int:
    """Seconds from ``m:ss``, ``h:mm:ss`` or whole minutes (``3``, ``3分钟``); above zero, at most four hours.

    Excel turns a typed ``3:00`` into the time 03:00 (h:mm); a time cell with
    no seconds is read as the minutes and seconds that were typed.
    """
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
    elif isinstance(value, time):
        if value.hour and not value.second:
            seconds = value.hour * 60 + value.minute
        else:
            seconds = value.hour * 3600 + value.minute * 60 + value.second
    elif isinstance(value, datetime) or isinstance(value, bool):
        raise CellProblem(_not_a_duration(str(value)))
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise CellProblem(_not_a_duration(str(value)))
        seconds = int(value) * 60
    else:
        written = unicodedata.normalize("NFKC", str(value)).strip().casefold().replace(" ", "")
        clock, minutes = _CLOCK.fullmatch(written), _MINUTES.fullmatch(written)
        if clock is not None:
            hours, mins, secs = int(clock.group(1) or 0), int(clock.group(2)), int(clock.group(3))
            if secs >= 60 or (clock.group(1) is not None and mins >= 60):
                raise CellProblem(_not_a_duration(str(value)))
            seconds = hours * 3600 + mins * 60 + secs
        elif minutes is not None:
            seconds = int(minutes.group(1)) * 60
        else:
            raise CellProblem(_not_a_duration(str(value)))
    if not 0 < seconds <= MAX_PLANNED_SECONDS:
        raise CellProblem(msg("queue_io.duration_out_of_range",
                              "the duration {value} is not above 0:00 and at most {limit} minutes",
                              value=str(value), limit=MAX_PLANNED_SECONDS // 60))
    return seconds


def _not_a_duration(written: str) -> Message:
    return msg("queue_io.not_a_duration", "'{value}' is not a duration; write minutes and seconds such as 3:30, "
                                          "or whole minutes such as 5", value=written)


def duration_text(seconds: int) -> str:
    """Seconds as the export writes them: ``m:ss`` (``75:00`` for an hour and a quarter)."""
    return f"{seconds // 60}:{seconds % 60:02d}"
