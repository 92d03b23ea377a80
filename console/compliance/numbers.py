"""Amounts and counts as anchors say them: 1299, 1,299.5, 1.2万, 一千二百九十九, 两百, 三."""

from __future__ import annotations

import re

_DIGIT = {"零": 0, "〇": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9,
          # the financial forms (大写), as on a price tag or a cheque: 叁仟叁 is 3300
          "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
CN_NUMERAL = "[零〇一幺二两三四五六七八九十百千万]"
# An amount as the rules match it (in normalised text): digits with separators and decimals, or Chinese numerals.
AMOUNT = r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?(?:万|w|k)?|[零〇一二两三四五六七八九十百千万壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬]{1,10})"
_ARABIC = re.compile(r"^(\d[\d,]*(?:\.\d+)?)(万|w|k)?$")
_ENGLISH = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "a few": 3, "a couple of": 2}


def chinese_number(written: str) -> int | None:
    """一千二百九十九 -> 1299, 十五 -> 15, 两万 -> 20000; None if it is not a number.

    A last digit right after 百, 千 or 万 is the next place down, as it is
    said: 一千二 is 1200, 两千八 2800, 一千二百八 1280, 一万二 12000; after a
    零 it is the units (一千零八 is 1008).
    """
    if not written:
        return None
    total, section, digit = 0, 0, None
    last_unit, zero = 0, False
    for char in written:
        if char in _DIGIT:
            if _DIGIT[char] == 0 and char in "零〇" and digit is None:
                zero = True
            digit = _DIGIT[char] if digit is None else digit * 10 + _DIGIT[char]
        elif char in _UNIT:
            section += (1 if digit is None else digit) * _UNIT[char]
            digit, last_unit, zero = None, _UNIT[char], False
        elif char in "万萬":
            total += (section + (digit or 0)) * 10000
            section, digit, last_unit, zero = 0, None, 10000, False
        else:
            return None
    if digit is not None and digit < 10 and last_unit >= 100 and not zero:
        digit *= last_unit // 10
    return total + section + (digit or 0)


def amount_value(written: str) -> float | None:
    """The number an amount says, in its own unit (yuan, pieces)."""
    written = written.strip()
    if written in _ENGLISH:
        return float(_ENGLISH[written])
    match = _ARABIC.match(written)
    if match:
        try:
            value = float(match.group(1).replace(",", ""))
        except ValueError:
            return None
        scale = {"万": 10000, "w": 10000, "k": 1000}.get(match.group(2) or "", 1)
        return value * scale
    number = chinese_number(written)
    return None if number is None else float(number)


def fen(written: str) -> int | None:
    value = amount_value(written)
    return None if value is None else round(value * 100)
