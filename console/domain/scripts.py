"""A script's markup: cue marks, private notes and variables, parsed, rendered and compared, with no storage.

The markup (docs/scripts.md)::

    [停顿] [pause] [停顿 3] [pause 3s]     a pause, optionally of so many seconds
    [展示] [show] [展示：面料] [show: fabric]  show the product (what to show, optionally)
    {{备注：…}} {{note: …}}                 a private note for the anchor, never read aloud
    {live_price} {直播价} …                  a variable, filled in from the queue item when shown

Full-width brackets and braces (【】, ｛｝) and colons are read like half-width
ones. Square brackets around anything else are plain text (【限时】 is a
word the anchor says). Braces around a name that is no variable are a
problem (:class:`MarkupProblem`) naming it and the nearest known name, so
``{livepric}`` is caught when the script is saved, not on air.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from console.domain.errors import ValidationError
from console.i18n import Message, msg

if TYPE_CHECKING:
    from console.domain.onair import LineFacts

# The variables, by their English names, and the Chinese names an anchor may write instead.
VARIABLES: tuple[str, ...] = ("product", "live_price", "counter_price", "deal", "stock", "link_number")
ALIASES: Mapping[str, str] = {
    "商品": "product", "商品名": "product", "直播价": "live_price", "到手价": "live_price",
    "专柜价": "counter_price", "优惠": "deal", "福利": "deal", "库存": "stock", "链接号": "link_number",
}
PAUSE_WORDS = frozenset({"停顿", "暂停", "pause"})
SHOW_WORDS = frozenset({"展示", "show"})
NOTE_WORDS = frozenset({"备注", "注", "note"})

# {{note: ...}} first (it holds braces), then [cue], then {variable}.
_TOKEN = re.compile(
    r"(?P<note>[{｛]{2}\s*(?P<note_word>[^\s:：{}｛｝]+)\s*[:：]\s*(?P<note_text>.*?)\s*[}｝]{2})"
    r"|(?P<cue>[\[【]\s*(?P<cue_word>[^\s\]】:：\d]+)\s*(?:[:：]\s*(?P<cue_text>[^\]】]*?)|(?P<seconds>\d{1,3})"
    r"\s*(?:s|秒)?)?\s*[\]】])"
    r"|(?P<var>[{｛]\s*(?P<var_name>[^\s{}｛｝]{1,40})\s*[}｝])",
    re.DOTALL,
)
# Where a mark may start: matching the marks only there is a tenth of trying them at every character.
_MARK_START = re.compile(r"[{｛\[【]")


class PartKind(Enum):
    TEXT = "text"          # read aloud as written
    VALUE = "value"        # a variable's value, read aloud
    MISSING = "missing"    # a variable the queue item has no value for: shown marked, to be said in words
    PAUSE = "pause"
    SHOW = "show"
    NOTE = "note"          # for the anchor's eyes only


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of a parsed script; ``start``/``end`` its span in the body."""

    kind: PartKind
    text: str              # the text, the note, what to show; a variable's English name (VALUE, MISSING)
    start: int
    end: int
    seconds: int | None = None   # a pause's length, when written


@dataclass(frozen=True, slots=True)
class MarkupProblem:
    """Something in the markup that cannot be rendered: an unknown variable, so far."""

    start: int
    end: int
    written: str
    nearest: str | None
    message: Message


@dataclass(frozen=True, slots=True)
class Parsed:
    parts: tuple[Part, ...]
    problems: tuple[MarkupProblem, ...]

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.text for p in self.parts if p.kind is PartKind.VALUE))

    def spoken_spans(self) -> list[tuple[int, int]]:
        """Spans of the body that are read aloud as written (what the compliance checker reads)."""
        return [(p.start, p.end) for p in self.parts if p.kind is PartKind.TEXT]


@lru_cache(maxsize=4096)
def nearest_variable(written: str) -> str | None:
    names = [*VARIABLES, *ALIASES]
    close = difflib.get_close_matches(written.lower(), names, n=1, cutoff=0.5)
    return ALIASES.get(close[0], close[0]) if close else None


def unknown_variable(written: str, nearest: str | None) -> Message:
    if nearest is None:
        return msg("scripts.unknown_variable", "{{{name}}} is not a variable; the variables are {known}.",
                   name=written, known=", ".join("{" + v + "}" for v in VARIABLES))
    return msg("scripts.unknown_variable_nearest", "{{{name}}} is not a variable; did you mean {{{nearest}}}?",
               name=written, nearest=nearest)


def parse(body: str) -> Parsed:
    """The body as parts in order; text between marks is kept as it is written."""
    parts: list[Part] = []
    problems: list[MarkupProblem] = []
    at = 0

    def plain(end: int) -> None:
        if end > at:
            parts.append(Part(PartKind.TEXT, body[at:end], at, end))

    for match in _marks(body):
        start, end = match.span()
        part = _part(match, start, end)
        if part is None and match.group("var") is not None:
            written = match.group("var_name")
            nearest = nearest_variable(written)
            problems.append(MarkupProblem(start, end, written, nearest, unknown_variable(written, nearest)))
            part = Part(PartKind.MISSING, written, start, end)
        if part is None:
            continue                      # brackets around a word of the script: plain text
        plain(start)
        parts.append(part)
        at = end
    plain(len(body))
    return Parsed(tuple(parts), tuple(problems))


def _marks(body: str) -> Iterator[re.Match[str]]:
    at = 0
    while True:
        found = _MARK_START.search(body, at)
        if found is None:
            return
        match = _TOKEN.match(body, found.start())
        if match is None:
            at = found.start() + 1
            continue
        yield match
        at = match.end()


def _part(match: re.Match[str], start: int, end: int) -> Part | None:
    if match.group("note") is not None:
        if match.group("note_word").lower() not in NOTE_WORDS:
            return None
        return Part(PartKind.NOTE, match.group("note_text"), start, end)
    if match.group("cue") is not None:
        word = match.group("cue_word").lower()
        seconds = match.group("seconds")
        if word in PAUSE_WORDS:
            return Part(PartKind.PAUSE, (match.group("cue_text") or "").strip(), start, end,
                        int(seconds) if seconds else None)
        if word in SHOW_WORDS and seconds is None:
            return Part(PartKind.SHOW, (match.group("cue_text") or "").strip(), start, end)
        return None
    name = match.group("var_name")
    name = ALIASES.get(name, name.lower() if name.isascii() else name)
    if name in VARIABLES:
        return Part(PartKind.VALUE, name, start, end)
    return None


# --- rendering -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenderFacts:
    """What the variables are filled in from: a queue item as it stands at the moment it is shown."""

    product: str = ""
    live_price_fen: int | None = None
    counter_price_fen: int | None = None
    deal: str = ""
    stock: int | None = None
    link_number: int | None = None

    @classmethod
    def from_line(cls, line: LineFacts, *, stock: int | None = None) -> RenderFacts:
        """A show's queue line; ``stock`` is what is left now when the show knows it (not what was allocated)."""
        return cls(product=line.product_name, live_price_fen=line.live_price_fen,
                   counter_price_fen=line.counter_price_fen, deal=line.deal,
                   stock=line.stock if stock is None else stock, link_number=line.link_number)

    def value(self, name: str) -> str | None:
        if name == "product":
            return self.product or None
        if name == "live_price":
            return yuan(self.live_price_fen)
        if name == "counter_price":
            return yuan(self.counter_price_fen)
        if name == "deal":
            return self.deal or None
        if name == "stock":
            return None if self.stock is None else str(self.stock)
        if name == "link_number":
            return None if self.link_number is None else str(self.link_number)
        raise KeyError(name)


def yuan(fen: int | None) -> str | None:
    """A price as an anchor reads it: ¥199, ¥199.50."""
    if fen is None:
        return None
    whole, cents = divmod(fen, 100)
    return f"¥{whole:,}" if cents == 0 else f"¥{whole:,}.{cents:02d}"


class MarkupError(ValidationError):
    """A script that cannot be rendered; ``problems`` name each unknown variable."""

    def __init__(self, problems: Sequence[MarkupProblem]) -> None:
        self.problems = tuple(p.message for p in problems)
        self.markup_problems = tuple(problems)
        super().__init__(self.problems[0] if len(self.problems) == 1 else msg(
            "scripts.markup_problems", "{problems}", problems=self.problems))


@dataclass(frozen=True, slots=True)
class Rendered:
    """A script as the prompter shows it: parts with the values filled in."""

    parts: tuple[Part, ...]

    @property
    def spoken(self) -> str:
        """What the anchor reads aloud: text and values, no cues, no notes (a missing value as its name)."""
        return "".join(p.text if p.kind in (PartKind.TEXT, PartKind.VALUE) else
                       "{" + p.text + "}" if p.kind is PartKind.MISSING else "" for p in self.parts)


def render(body: str, facts: RenderFacts) -> Rendered:
    """Fill the variables in from ``facts``; raises :class:`MarkupError` on a variable that does not exist.

    A variable the queue item has no value for (no counter price on file)
    stays a MISSING part, which the prompter marks: the anchor sees the gap
    rather than a number that is not true.
    """
    parsed = parse(body)
    if parsed.problems:
        raise MarkupError(parsed.problems)
    out: list[Part] = []
    for part in parsed.parts:
        if part.kind is PartKind.VALUE:
            value = facts.value(part.text)
            out.append(Part(PartKind.VALUE, value, part.start, part.end) if value is not None
                       else Part(PartKind.MISSING, part.text, part.start, part.end))
        else:
            out.append(part)
    return Rendered(tuple(out))


# --- comparing versions --------------------------------------------------------------------------


class RowKind(Enum):
    SAME = "same"
    CHANGED = "changed"
    ADDED = "added"        # only on the right
    REMOVED = "removed"    # only on the left


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One row of a side-by-side comparison; line numbers count from 1, None on the empty side.

    ``left_spans``/``right_spans`` are the changed character spans within a
    CHANGED row's lines (Chinese scripts are often one long line each).
    """

    kind: RowKind
    left_number: int | None
    left: str
    right_number: int | None
    right: str
    left_spans: tuple[tuple[int, int], ...] = ()
    right_spans: tuple[tuple[int, int], ...] = ()


def diff(left: str, right: str) -> list[DiffRow]:
    """Two versions' bodies side by side, line against line (difflib), changed lines paired."""
    a, b = left.splitlines(), right.splitlines()
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [DiffRow(RowKind.SAME, i + 1, a[i], j + 1, b[j]) for i, j in zip(range(i1, i2), range(j1, j2),
                                                                                       strict=True)]
            continue
        if tag == "delete":
            rows += [DiffRow(RowKind.REMOVED, i + 1, a[i], None, "") for i in range(i1, i2)]
            continue
        if tag == "insert":
            rows += [DiffRow(RowKind.ADDED, None, "", j + 1, b[j]) for j in range(j1, j2)]
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            ls, rs = _char_spans(a[i1 + k], b[j1 + k])
            rows.append(DiffRow(RowKind.CHANGED, i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k], ls, rs))
        rows += [DiffRow(RowKind.REMOVED, i + 1, a[i], None, "") for i in range(i1 + paired, i2)]
        rows += [DiffRow(RowKind.ADDED, None, "", j + 1, b[j]) for j in range(j1 + paired, j2)]
    return rows


def _char_spans(a: str, b: str) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    left: list[tuple[int, int]] = []
    right: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            left.append((i1, i2))
        if j2 > j1:
            right.append((j1, j2))
    return tuple(left), tuple(right)


def mark_cues(body: str, *, pause: str, show: str, note: str) -> str:
    """The body with its cue marks and notes written as the prompter shows them (【pause】, 【note: …】).

    Variables and text are left as written, for the prompter to fill in; the
    labels come from the caller, in the reader's language.
    """
    out: list[str] = []
    for part in parse(body).parts:
        if part.kind is PartKind.PAUSE:
            label = f"{pause} {part.seconds}s" if part.seconds else pause
            out.append(f"【{label}：{part.text}】" if part.text else f"【{label}】")
        elif part.kind is PartKind.SHOW:
            out.append(f"【{show}：{part.text}】" if part.text else f"【{show}】")
        elif part.kind is PartKind.NOTE:
            out.append(f"【{note}：{part.text}】")
        else:
            out.append(body[part.start:part.end])
    return "".join(out)
