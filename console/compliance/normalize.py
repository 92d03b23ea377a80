"""The text as the rules read it: one form per character, evasion tricks undone, every position traced back.

Anchors and their scripts write the same word many ways: full-width letters
(ＶＸ), spaces or symbols between the characters (加 V, 微❤信, 最.好), Chinese
numerals for a phone number (一三八…, 幺 for one). The rules match a
*normalised* copy; :class:`Normalized` keeps, for each of its characters, the
span of the original it came from, so a finding underlines what was written.

What normalisation does, character by character (memoised, so a long script
costs a dictionary look-up per character):

* NFKC (full-width to half-width, circled digits to digits, compatibility
  forms), then case folding (``VX`` reads as ``vx``);
* reads a heart after v, w or 微 as 信 (v❤, 微❤ for 微信);
* drops what only decorates: symbols and emoji (``❤``, ``★``), format and
  zero-width characters, dashes, quotes, brackets, ``*``, ``~``, ``·``, ``/``;
* drops white space next to a Chinese character or between digits (``加 v``,
  ``138 0013 8000``), and keeps one space between Latin words (English
  needs its word boundaries);
* keeps the punctuation that ends a clause (，。！？；：、,.!?;:), so that two
  clauses never join into one word.

Chinese numerals become digits only inside runs of seven or more of them (a
phone number spelled out), so 一千 or 第一 stay as they are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Punctuation that ends a clause: kept, so that rules never match across it.
CLAUSE_STOPS = frozenset("，。！？；：、,.!?;:\n")
_KEEP_PUNCTUATION = CLAUSE_STOPS | frozenset("%@#$¥￥+.")
_DROP_CATEGORIES = frozenset({"So", "Sk", "Cf", "Cc", "Pd", "Pc", "Ps", "Pe", "Pi", "Pf", "Co", "Cs", "Me"})
_CN_DIGITS = {"零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "么": "1", "二": "2", "两": "2", "三": "3",
              "四": "4", "五": "5", "六": "6", "七": "7", "拐": "7", "八": "8", "九": "9", "勾": "9"}
# 微❤ and v❤ stand for 微信 and v信: a heart right after v, w or 微 reads as 信; elsewhere it only decorates.
_HEARTS = frozenset("❤♥♡❥❣💕💗💖💓💘💝💞🧡💛💚💙💜🤍🖤")
_HEART_AFTER = frozenset("vw微薇威维")
_CN_DIGIT_RUN = re.compile("[" + "".join(_CN_DIGITS) + "0-9]{7,}")


def is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF


@lru_cache(maxsize=65536)
def _form(char: str) -> str:
    """What one character becomes: its NFKC case-folded form, "" to drop it, " " for white space."""
    if char == "\n":
        return "\n"
    if char.isspace():
        return " "
    folded = unicodedata.normalize("NFKC", char).casefold()
    out = []
    for c in folded:
        if c.isspace():
            out.append(" ")
            continue
        if c in _KEEP_PUNCTUATION:
            out.append(c)
            continue
        category = unicodedata.category(c)
        if category in _DROP_CATEGORIES:
            continue
        if category == "Po" and c not in _KEEP_PUNCTUATION:
            continue   # * ~ · / \ | and the like, used to split a word
        if category == "Mn" and not out:
            continue   # a combining mark on its own (a variation selector after an emoji)
        out.append(c)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Normalized:
    """``text`` as the rules read it; ``starts[i]``/``ends[i]`` the original span of ``text[i]``."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]`` (end exclusive)."""
        if end <= start:
            at = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return at, at
        return self.starts[start], self.ends[end - 1]


def normalize(original: str) -> Normalized:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space: int | None = None   # original index of a white-space run not yet decided on
    for index, char in enumerate(original):
        if char in _HEARTS:
            form = "信" if out and out[-1] in _HEART_AFTER else ""
        else:
            form = _form(char)
        if not form:
            continue
        if form == " ":
            if pending_space is None:
                pending_space = index
            continue
        if pending_space is not None:
            before = out[-1] if out else ""
            after = form[0]
            # A space survives only between two Latin letters/digits that are not both digits.
            if (before and before.isascii() and after.isascii() and before.isalnum() and after.isalnum()
                    and not (before.isdigit() and after.isdigit())):
                out.append(" ")
                starts.append(pending_space)
                ends.append(pending_space + 1)
            pending_space = None
        for c in form:
            out.append(c)
            starts.append(index)
            ends.append(index + 1)
    text = "".join(out)
    if _CN_DIGIT_RUN.search(text):
        text = _CN_DIGIT_RUN.sub(lambda m: "".join(_CN_DIGITS.get(c, c) for c in m.group()), text)
    return Normalized(text, tuple(starts), tuple(ends))
