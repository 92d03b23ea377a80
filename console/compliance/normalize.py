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
* Traditional characters read as Simplified (這個價錢沒得比 as 这个价钱没得比),
  one character for one, from OpenCC's table (traditional.py);
* reads a heart after v, w or 微 as 信 (v❤, 微❤ for 微信);
* drops what only decorates: symbols and emoji (``❤``, ``★``), format and
  zero-width characters, dashes, quotes, brackets, ``*``, ``~``, ``·``, ``/``;
* drops white space next to a Chinese character or between digits (``加 v``,
  ``138 0013 8000``) or between single letters (``Q Q``, ``v x``), and keeps
  one space between Latin words (English needs its word boundaries);
* drops a full stop between two Chinese characters (最.好), which ends no sentence;
* keeps the punctuation that ends a clause (，。！？；：、,.!?;:), so that two
  clauses never join into one word.

Chinese numerals become digits only inside runs of seven or more of them (a
phone number spelled out), so 一千 or 第一 stay as they are.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from console.compliance.traditional import PAIRS

# Punctuation that ends a clause: kept, so that rules never match across it.
CLAUSE_STOPS = frozenset("，。！？；：、,.!?;:\n")
_KEEP_PUNCTUATION = CLAUSE_STOPS | frozenset("%@#$¥￥+.")
_DROP_CATEGORIES = frozenset({"Sm", "So", "Sk", "Cf", "Cc", "Pd", "Pc", "Ps", "Pe", "Pi", "Pf", "Co", "Cs", "Me"})
_CN_DIGITS = {"零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "么": "1", "二": "2", "两": "2", "三": "3",
              "四": "4", "五": "5", "六": "6", "七": "7", "拐": "7", "八": "8", "九": "9", "勾": "9",
              # the financial forms (壹叁捌…), as a number is written to slip past a filter
              "壹": "1", "贰": "2", "貳": "2", "叁": "3", "參": "3", "肆": "4", "伍": "5", "陆": "6", "陸": "6",
              "柒": "7", "捌": "8", "玖": "9"}
# 微❤ and v❤ stand for 微信 and v信: a heart right after v, w or 微 reads as 信; elsewhere it only decorates.
_HEARTS = frozenset("❤♥♡❥❣💕💗💖💓💘💝💞🧡💛💚💙💜🤍🖤")
_HEART_AFTER = frozenset("vw微薇威维")
# Emoji that stand for a contact channel (加🐧 for 加企鹅, QQ; 📞 for 电话; 🟢💬 for 绿泡泡, WeChat): read as the word,
# not dropped.
_STAND_INS = {"🐧": "企鹅", "📞": "电话", "☎": "电话", "🟢": "绿", "💬": "泡泡"}
# Traditional characters that Simplified writing never uses, and the form each is read as (這→这, 價→价).
_TRADITIONAL = str.maketrans("".join(PAIRS)[0::2], "".join(PAIRS)[1::2])
_CN_DIGIT_RUN = re.compile("[" + "".join(_CN_DIGITS) + "0-9]{7,}")


def simplified(text: str) -> str:
    """``text`` with its Traditional characters as the Simplified ones the rules read (這→这): a rule's own words."""
    return text.translate(_TRADITIONAL)


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
    folded = unicodedata.normalize("NFKC", char).casefold().translate(_TRADITIONAL)
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
    """``text`` as the rules read it, and where each of its characters was in the original.

    The map is kept as segments: from ``seg_norm[k]`` on, normalised index
    ``i`` came from original index ``seg_orig[k] + (i - seg_norm[k])``; a run
    of plain characters (Chinese, Latin letters, digits, common punctuation)
    is one segment, so a long script costs a few hundred entries, not one per
    character.
    """

    text: str
    seg_norm: tuple[int, ...]
    seg_orig: tuple[int, ...]

    def original_index(self, index: int) -> int:
        k = bisect_right(self.seg_norm, index) - 1
        return self.seg_orig[k] + (index - self.seg_norm[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]`` (end exclusive)."""
        if not self.seg_norm:
            return 0, 0
        if end <= start:
            at = self.original_index(min(start, len(self.text) - 1)) if self.text else 0
            return at, at
        return self.original_index(start), self.original_index(end - 1) + 1


def _plain_table() -> tuple[re.Pattern[str], dict[int, str]]:
    """The characters that normalise to exactly one kept character, and the ones among them that change."""
    plain: list[int] = []
    changes: dict[int, str] = {}
    special = set(" \t\r\n.．➕") | _HEARTS
    for code in [*range(0x20, 0x250), *range(0x2000, 0x2070), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)]:
        char = chr(code)
        if char in special or char.isspace():
            continue
        form = _form(char)
        if len(form) != 1 or form == " ":
            continue
        plain.append(code)
        if form != char:
            changes[code] = form
    plain.extend(range(0x3400, 0x4DC0))
    plain.extend(range(0x4E00, 0xA000))
    # A line break is kept as it is and is no space: after a space it keeps none (it is no letter or digit),
    # so inside a run it reads as it does alone, and a script's lines no longer cut its runs.
    plain.append(ord("\n"))
    plain.sort()
    # Traditional characters among them change to their Simplified forms.
    for traditional, simplified in zip("".join(PAIRS)[0::2], "".join(PAIRS)[1::2]):
        if 0x3400 <= ord(traditional) < 0x4DC0 or 0x4E00 <= ord(traditional) < 0xA000:
            changes[ord(traditional)] = simplified
    ranges: list[str] = []
    first = previous = plain[0]
    for code in plain[1:] + [-1]:
        if code == previous + 1:
            previous = code
            continue
        ranges.append(re.escape(chr(first)) if first == previous
                      else f"{re.escape(chr(first))}-{re.escape(chr(previous))}")
        first = previous = code
    return re.compile("[" + "".join(ranges) + "]+"), changes


_PLAIN_RUN, _PLAIN_CHANGES = _plain_table()
# The plain characters that change (capitals, full-width forms): a script has few, so they are replaced one by
# one where they are rather than the whole text put through a translation table (a dictionary look-up a character).
_CHANGING = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_PLAIN_CHANGES)) + "]")
_CHANGED = {chr(code): form for code, form in _PLAIN_CHANGES.items()}


# Whether no character changes into one that changes again: then each changing character present can be
# replaced all through the text in turn, the same as replacing them all at once.
_CHAINABLE = not any(form in _CHANGED for form in _CHANGED.values())


def _change(match: re.Match[str]) -> str:
    return _CHANGED[match.group()]


def _changed(original: str) -> str:
    """``original`` with each changing character as its form (one for one, so positions stay)."""
    if not _CHAINABLE:
        return _CHANGING.sub(_change, original)
    changed = original
    # The few distinct ones a script holds (，！？ and a few capitals), each replaced in one pass in C.
    for char in set(_CHANGING.findall(original)):
        changed = changed.replace(char, _CHANGED[char])
    return changed


def normalize(original: str) -> Normalized:
    out: list[str] = []
    seg_norm: list[int] = []
    seg_orig: list[int] = []
    length = 0            # of the normalised text so far
    last = ""             # its last character
    tail = ""             # its last two characters, spaces included
    spelling = False      # whether its last letter was joined to the one before (Q Q, v x)
    pending_space: int | None = None   # original index of a white-space run not yet decided on
    index, end = 0, len(original)
    plain_run = _PLAIN_RUN.match
    # Every changing character is plain and becomes one character: the plain runs can be read from a copy.
    changed = _changed(original)
    while index < end:
        run = plain_run(original, index)
        if run is not None:
            chunk = changed[index:run.end()]
            if pending_space is not None:
                following = chunk[1] if len(chunk) > 1 else (changed[run.end()] if run.end() < end else "")
                joined = _spelled_out(tail, chunk[0], following, spelling)
                if _keeps_space(last, chunk[0]) and not joined:
                    out.append(" ")
                    seg_norm.append(length)
                    seg_orig.append(pending_space)
                    length += 1
                    tail = tail[-1:] + " "
                pending_space = None
                spelling = joined and len(chunk) == 1
            else:
                spelling = False
            out.append(chunk)
            seg_norm.append(length)
            seg_orig.append(index)
            length += len(chunk)
            last = chunk[-1]
            tail = (tail + chunk[-2:])[-2:]
            index = run.end()
            continue
        char = original[index]
        if char == "➕":
            form = "+"   # ➕v, ➕微: the emoji plus for 加
        elif char in _HEARTS:
            form = "信" if last in _HEART_AFTER else ""
        elif char in _STAND_INS:
            form = _STAND_INS[char]
        elif char in ".．" and last and is_cjk(last) and index + 1 < end and is_cjk(original[index + 1]):
            form = ""   # 最.好: a full stop between two Chinese characters splits a word, it ends no sentence
        else:
            form = _form(char)
        if not form:
            index += 1
            continue
        if form == " ":
            if pending_space is None:
                pending_space = index
            index += 1
            continue
        if pending_space is not None:
            following = form[1] if len(form) > 1 else (original[index + 1] if index + 1 < end else "")
            joined = _spelled_out(tail, form[0], following, spelling)
            if _keeps_space(last, form[0]) and not joined:
                out.append(" ")
                seg_norm.append(length)
                seg_orig.append(pending_space)
                length += 1
                tail = tail[-1:] + " "
            pending_space = None
            spelling = joined and len(form) == 1
        else:
            spelling = False
        out.append(form)
        for offset in range(len(form)):
            seg_norm.append(length + offset)
            seg_orig.append(index)
        length += len(form)
        last = form[-1]
        tail = (tail + form[-2:])[-2:]
        index += 1
    text = "".join(out)
    if _CN_DIGIT_RUN.search(text):
        text = _CN_DIGIT_RUN.sub(lambda m: "".join(_CN_DIGITS.get(c, c) for c in m.group()), text)
    return Normalized(text, tuple(seg_norm), tuple(seg_orig))


def _spelled_out(tail: str, after: str, following: str, spelling: bool) -> bool:
    """Whether a space stands between two single Latin letters (Q Q, v x, w e c h a t): a word spelled out."""
    def alone(letter: str, neighbour: str) -> bool:
        return letter.isascii() and letter.isalpha() and not (neighbour.isascii() and neighbour.isalnum())
    before = tail[-1:]
    return (spelling or alone(before, tail[:-1])) and alone(after, following.lower())


def _keeps_space(before: str, after: str) -> bool:
    # A space survives only between two Latin letters/digits that are not both digits.
    return bool(before and before.isascii() and after.isascii() and before.isalnum() and after.isalnum()
                and not (before.isdigit() and after.isdigit()))
