"""The characters a pattern can start with, so a long script is skipped through in C to where one might match.

Python's regular-expression engine already skips ahead when a pattern starts
with a literal or a character class, but not when it starts with a
look-behind (``(?<![a-z])best``), an optional part (``(?:私下)?转账``) or an
alternation of repeats (``(?:\\d+|[一二三]+)天``). For those, :func:`start_class`
works out the class of possible first characters from the parsed pattern, and
:func:`anchored` puts that class in front of the pattern so that the engine
skips to the candidates and tries the pattern there without leaving C
(:func:`spans` reads the matches). A pattern that cannot be wrapped (global
inline flags) is run by the checker as it is: the same matches, more slowly.
:func:`finditer` is the same filter driven from Python, for callers that
hold a pattern and its class.

Where a rule has many alternatives (medical.treatment, guarantee.effect), its
first characters include common ones (不, 一, 保) and most candidates fail
on the second character. :func:`second_guard` works out, from the same parsed
pattern, the classes of its first two characters and :func:`anchored` tests
them first, with one class test, before trying the whole expression.

The checker now finds its candidates another way (the wrapping above is
kept for an expression that way does not cover): :class:`Candidates` keeps,
for each of a pack's expressions, the exact pairs of first two characters
it can start with, and finds the places of all of them at once with a few
numpy table look-ups over the text; each expression is then tried only
there, and :class:`Alternatives` cuts a big expression into its
alternatives so that at a place only those that can start with its
character are tried (in their order: the same match).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

try:
    import re._constants as C  # type: ignore[import-not-found]
    import re._parser as P  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

_ZERO_WIDTH = {C.ASSERT, C.ASSERT_NOT, C.AT}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT} | ({C.POSSESSIVE_REPEAT} if hasattr(C, "POSSESSIVE_REPEAT") else set())
_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w"}


class _Anything(Exception):
    """The pattern can start with almost any character: no use filtering."""


def _char(code: int) -> str:
    return re.escape(chr(code))


def _first(items: Any, start: int = 0) -> tuple[list[str], bool]:
    """(class parts, nullable) of the sequence ``items[start:]``."""
    parts: list[str] = []
    for index in range(start, len(items)):
        op, arg = items[index]
        if op in _ZERO_WIDTH:
            continue
        if op == C.LITERAL:
            parts.append(_char(arg))
            return parts, False
        if op == C.IN:
            members = _class_parts(arg)
            if members is None:
                raise _Anything
            parts.extend(members)
            return parts, False
        if op == C.SUBPATTERN:
            sub, nullable = _first(arg[-1])
            parts += sub
            if not nullable:
                return parts, False
            continue
        if op == C.BRANCH:
            nullable = False
            for branch in arg[1]:
                sub, branch_nullable = _first(branch)
                parts += sub
                nullable = nullable or branch_nullable
            if not nullable:
                return parts, False
            continue
        if op in _REPEATS:
            low, _high, sub_items = arg
            sub, nullable = _first(sub_items)
            parts += sub
            if low > 0 and not nullable:
                return parts, False
            continue
        raise _Anything
    return parts, True


def start_class(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A class of the first characters of ``pattern``, or None when any could start it (or it may be empty)."""
    try:
        parts, nullable = _first(P.parse(pattern.pattern, pattern.flags))
    except (_Anything, re.error, RecursionError):
        return None
    if nullable or not parts:
        return None
    return re.compile("[" + "".join(parts) + "]", pattern.flags & ~re.UNICODE if False else pattern.flags)


def needs_filter(pattern: re.Pattern[str]) -> bool:
    """Whether the engine cannot skip ahead by itself: the pattern starts with neither a literal nor a class."""
    parsed = P.parse(pattern.pattern, pattern.flags)
    item = parsed[0] if len(parsed) else None
    while item is not None and item[0] == C.SUBPATTERN and len(item[1][-1]):
        item = item[1][-1][0]
    if item is None:
        return False
    op, arg = item
    if op in (C.LITERAL, C.IN):
        return False
    if op == C.BRANCH:
        return not all(len(b) and b[0][0] == C.LITERAL for b in arg[1])
    return True


# --- the first two characters ---------------------------------------------------------------
#
# A summary of what a (part of a) pattern can start with: (firsts, pairs, singles, nullable). firsts are the
# class parts of its first character; pairs the (first, second) class parts of its first two characters
# (second _ANY when any character may follow); singles the parts of a first character after which the part
# may end (what follows it is then the second character); nullable whether it may match nothing.

_ANY = "(?s:.)"
_Summary = tuple[frozenset[str], frozenset[tuple[str, str]], frozenset[str], bool]
_EMPTY: _Summary = (frozenset(), frozenset(), frozenset(), True)


def _then(x: _Summary, y: _Summary) -> _Summary:
    fx, px, sx, nx = x
    fy, py, sy, ny = y
    firsts = fx | fy if nx else fx
    pairs = px | {(a, b) for a in sx for b in fy} | (py if nx else frozenset())
    singles = (sx if ny else frozenset()) | (sy if nx else frozenset())
    return firsts, frozenset(pairs), singles, nx and ny


def _one(parts: Any) -> _Summary:
    parts = frozenset(parts)
    return parts, frozenset(), parts, False


def _sequence(items: Any) -> _Summary:
    out = _EMPTY
    for op, arg in items:
        out = _then(out, _item(op, arg))
    return out


def _class_parts(members: Any) -> list[str] | None:
    """A character class's members as parts of a ``[...]`` class; None if one cannot be written so."""
    parts = []
    for sub_op, sub_arg in members:
        if sub_op == C.LITERAL:
            parts.append(_char(sub_arg))
        elif sub_op == C.RANGE:
            parts.append(f"{_char(sub_arg[0])}-{_char(sub_arg[1])}")
        elif sub_op == C.CATEGORY and sub_arg in _CATEGORIES:
            parts.append(_CATEGORIES[sub_arg])
        else:
            return None
    return parts


def _item(op: Any, arg: Any) -> _Summary:
    # An over-approximation: what the part cannot start with is certain, what it can is a superset.
    if op in _ZERO_WIDTH:
        return _EMPTY
    if op == C.LITERAL:
        return _one([_char(arg)])
    if op == C.IN:
        members = _class_parts(arg)
        return _one([_ANY] if members is None else members)
    if op == C.SUBPATTERN:
        return _sequence(arg[-1])
    if op == C.BRANCH:
        firsts: frozenset[str] = frozenset()
        pairs: frozenset[tuple[str, str]] = frozenset()
        singles: frozenset[str] = frozenset()
        nullable = False
        for branch in arg[1]:
            f, p, s, n = _sequence(branch)
            firsts, pairs, singles, nullable = firsts | f, pairs | p, singles | s, nullable or n
        return firsts, pairs, singles, nullable
    if op in _REPEATS:
        low, high, sub_items = arg
        body = _sequence(sub_items)
        # Two or more: the body, then perhaps the body again (enough for two characters).
        summary = body if high == 1 else _then(body, (*body[:3], True))
        return (*summary[:3], True) if low == 0 else summary
    return _one([_ANY])


def _broad(part: str) -> bool:
    """Whether a class part lets through too much to be worth testing (any character, \\w, a wide range)."""
    if part in (_ANY, r"\w", r"\s"):
        return True
    low, dash, high = part.partition("-")
    if dash and low and high:
        return ord(high.replace("\\", "")[-1]) - ord(low.replace("\\", "")[-1]) > 64
    return False


def second_guard(pattern: re.Pattern[str]) -> str | None:
    """A look-ahead on the first two characters of ``pattern``, or None when it would let nearly all through.

    ``(?=[ones]|(?s:.)[seconds])``: a character the pattern may match alone
    (or follow by anything), or any character followed by one the pattern's
    second character can be. Tried at a candidate (a first character), it
    turns most of them away with one class test instead of the whole
    expression; it never turns away a place where the pattern matches.
    """
    try:
        firsts, pairs, singles, nullable = _sequence(P.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):
        return None
    if nullable or not firsts or _ANY in firsts:
        return None
    # A first character after which the pattern may end, or go on with almost any character, passes alone.
    alone = set(singles) | {a for a, b in pairs if _broad(b)}
    seconds = {b for a, b in pairs if a not in alone}
    if not seconds:
        return None
    branches = ["[" + "".join(sorted(alone)) + "]"] if alone else []
    branches.append(_ANY + "[" + "".join(sorted(seconds)) + "]")
    return "(?=" + "|".join(branches) + ")"


GROUP = "_prefiltered"


def anchored(pattern: re.Pattern[str], starts: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` behind its class of first characters, so that the engine skips to a candidate in C.

    ``[class](?<=(?=(?P<_prefiltered>pattern))(?s:.))``: the expression starts
    with a class (the engine's own prefilter then looks for it without
    leaving C), and the look-behind steps back over that one character and
    looks ahead for the whole pattern from there, capturing its match. Each
    match found so spans one character; the pattern's own span is the group's
    (see :func:`spans`). None when the pattern cannot be wrapped (global
    inline flags, a group of that name).
    """
    guard = second_guard(pattern) or ""
    try:
        return re.compile(f"{starts.pattern}(?<={guard}(?=(?P<{GROUP}>{pattern.pattern}))(?s:.))", pattern.flags)
    except (re.error, RecursionError):
        return None


def spans(wrapped: re.Pattern[str], text: str) -> Iterator[tuple[int, int, re.Match[str]]]:
    """(start, end, match) of the pattern :func:`anchored` wrapped, left to right and not overlapping.

    The same matches as :func:`finditer`: a candidate is tried at each place
    of a first character; one inside the previous match is passed over.
    """
    reached = 0
    for found in wrapped.finditer(text):
        start, end = found.span(GROUP)
        if start >= reached and end > start:
            yield start, end, found
            reached = end


def finditer(pattern: re.Pattern[str], starts: re.Pattern[str] | None, text: str) -> Iterator[re.Match[str]]:
    """Like ``pattern.finditer(text)``, trying the pattern only where ``starts`` matches."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    position, end = 0, len(text)
    search, match = starts.search, pattern.match
    while position < end:
        candidate = search(text, position)
        if candidate is None:
            return
        at = candidate.start()
        found = match(text, at)
        if found is not None and found.end() > at:
            yield found
            position = found.end()
        else:
            position = at + 1



# --- many expressions at once: their exact first two characters, looked up with numpy ------------------
#
# The class of first characters and the two-character guard above are tested by the engine at every
# character of the class: 800-1,000 places of a 5,000-character script for a big rule, each an entry into
# the engine (the wrapped expression's look-behind and look-ahead) before the guard turns most away. Here the
# pairs a pattern can start with are kept exactly (治疗, 治愈, not 治 followed by any of the second characters
# of the rule), and the places where each of a pack's expressions may start are found for all of them at
# once, with a few table look-ups over the whole text: about 1,500 places for the default pack's 28
# expressions instead of about 8,000. Each is then tried with ``pattern.match(text, position)``.
#
# Character sets are kept as sorted, merged ranges of code points. Beyond the Basic Multilingual Plane the
# tables keep one entry for every character (a set holding any of them holds that entry): an over-
# approximation, as everything here is (a place is never left out where the pattern may match).

_BMP = 0x10000
_MAX_CODE = 0x10FFFF
_ALL: tuple[tuple[int, int], ...] = ((0, _MAX_CODE),)
_NONE: tuple[tuple[int, int], ...] = ()
Ranges = tuple[tuple[int, int], ...]
# (firsts, pairs, singles, nullable, triples, doubles), with ranges of code points: as _Summary for the first
# two characters (pairs as products of two sets: the first two characters of any match of two or more), and
# the first three of any match of three or more (products of three sets), and the two of a match of exactly two.
_Product2 = tuple[Ranges, Ranges]
_Product3 = tuple[Ranges, Ranges, Ranges]
_Pairs = tuple[Ranges, tuple[_Product2, ...], Ranges, bool, tuple[_Product3, ...], tuple[_Product2, ...]]
_NOTHING: _Pairs = (_NONE, (), _NONE, True, (), ())
# A second character class of more characters than this is no use testing: the first one passes alone.
_BROAD_SECOND = 4096
# A product of two classes of at most this many characters each is kept as its exact pairs.
_NARROW = 64
# A third character class of more than this is not tested (the pair passes), nor a product of three classes of
# more than _TRIPLES_AT_MOST triples.
_NARROW_THIRD = 64
_TRIPLES_AT_MOST = 4096


class Unsummarized(Exception):
    """The pattern uses something whose first characters are not worked out here (flags, references)."""


def _union(*sets: Ranges) -> Ranges:
    spans = sorted(r for s in sets for r in s)
    out: list[tuple[int, int]] = []
    for low, high in spans:
        if out and low <= out[-1][1] + 1:
            if high > out[-1][1]:
                out[-1] = (out[-1][0], high)
        else:
            out.append((low, high))
    return tuple(out)


def _size(ranges: Ranges) -> int:
    """How many characters: those of the Basic Multilingual Plane, and one for all beyond it."""
    inside = sum(min(high, _BMP - 1) - low + 1 for low, high in ranges if low < _BMP)
    return inside + any(high >= _BMP for _, high in ranges)


def size(ranges: Ranges) -> int:
    """How many characters a set of ranges holds (those beyond the BMP counted as one)."""
    return _size(ranges)


def _contains(ranges: Ranges, code: int) -> bool:
    return any(low <= code <= high for low, high in ranges)


_CATEGORY_RANGES: dict[Any, Ranges] = {}


def _category(category: Any) -> Ranges:
    """\\d, \\s or \\w (Unicode): their characters in the BMP, and all beyond it (the tables' one entry)."""
    if category not in _CATEGORY_RANGES:
        expression = {C.CATEGORY_DIGIT: r"\d+", C.CATEGORY_SPACE: r"\s+", C.CATEGORY_WORD: r"\w+"}[category]
        plane = "".join(map(chr, range(_BMP)))
        runs = tuple((m.start(), m.end() - 1) for m in re.finditer(expression, plane))
        _CATEGORY_RANGES[category] = _union(runs, ((_BMP, _MAX_CODE),))
    return _CATEGORY_RANGES[category]


def _class_ranges(members: Any) -> Ranges:
    parts: list[Ranges] = []
    for op, arg in members:
        if op == C.LITERAL:
            parts.append(((arg, arg),))
        elif op == C.RANGE:
            parts.append(((arg[0], arg[1]),))
        elif op == C.CATEGORY and arg in _CATEGORIES:
            parts.append(_category(arg))
        else:
            return _ALL   # a negated class, another category: any character
    return _union(*parts)


def _pairs_then(x: _Pairs, y: _Pairs) -> _Pairs:
    fx, px, sx, nx, tx, dx = x
    fy, py, sy, ny, ty, dy = y
    firsts = _union(fx, fy) if nx else fx
    pairs = px + (((sx, fy),) if sx and fy else ()) + (py if nx else ())
    singles = _union(sx if ny else _NONE, sy if nx else _NONE)
    # Three or more: x gives three; x two and y one or more; x one and y two or more; x none.
    triples = (tx + tuple((a, b, fy) for a, b in dx if fy) + (tuple((sx, a, b) for a, b in py) if sx else ())
               + (ty if nx else ()))
    # Exactly two: x two and y none; one each; x none and y two.
    doubles = (dx if ny else ()) + (((sx, sy),) if sx and sy else ()) + (dy if nx else ())
    return firsts, pairs, singles, nx and ny, triples, doubles


def _pairs_one(ranges: Ranges) -> _Pairs:
    return ranges, (), ranges, False, (), ()


def _pairs_optional(summary: _Pairs) -> _Pairs:
    firsts, pairs, singles, _nullable, triples, doubles = summary
    return firsts, pairs, singles, True, triples, doubles


def _pairs_sequence(items: Any) -> _Pairs:
    out = _NOTHING
    for op, arg in items:
        out = _pairs_then(out, _pairs_item(op, arg))
    return out


def _pairs_branches(summaries: Sequence[_Pairs]) -> _Pairs:
    firsts: Ranges = _NONE
    pairs: tuple[_Product2, ...] = ()
    singles: Ranges = _NONE
    nullable = False
    triples: tuple[_Product3, ...] = ()
    doubles: tuple[_Product2, ...] = ()
    for f, p, s, n, t, d in summaries:
        firsts, pairs, singles, nullable = _union(firsts, f), pairs + p, _union(singles, s), nullable or n
        triples, doubles = triples + t, doubles + d
    return firsts, pairs, singles, nullable, triples, doubles


def _pairs_item(op: Any, arg: Any) -> _Pairs:
    # Like _item, over-approximating, but anything not understood raises instead of reading as any character.
    if op in _ZERO_WIDTH:
        return _NOTHING
    if op == C.LITERAL:
        return _pairs_one(((arg, arg),))
    if op in (C.NOT_LITERAL, C.ANY):
        return _pairs_one(_ALL)
    if op == C.IN:
        return _pairs_one(_class_ranges(arg))
    if op == C.SUBPATTERN:
        _group, add_flags, del_flags, items = arg
        if add_flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE) or del_flags & re.UNICODE:
            raise Unsummarized
        return _pairs_sequence(items)
    if op == getattr(C, "ATOMIC_GROUP", None):
        return _pairs_sequence(arg)
    if op == C.BRANCH:
        return _pairs_branches([_pairs_sequence(branch) for branch in arg[1]])
    if op in _REPEATS:
        low, high, items = arg
        if high == 0:
            return _NOTHING
        body = _pairs_sequence(items)
        # Up to three times the body, the later ones optional: enough for three characters.
        summary = body
        if high >= 2:
            summary = _pairs_then(summary, _pairs_optional(body))
        if high >= 3:
            summary = _pairs_then(summary, _pairs_optional(body))
        return _pairs_optional(summary) if low == 0 else summary
    raise Unsummarized


def pair_summary(pattern: re.Pattern[str]) -> _Pairs:
    """(firsts, pairs, singles, nullable) of ``pattern`` as code-point ranges; raises Unsummarized."""
    if pattern.flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE) or not pattern.flags & re.UNICODE:
        raise Unsummarized
    try:
        return _pairs_sequence(P.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError) as error:
        raise Unsummarized from error


# A text shorter than this is looked up character by character in Python (Candidates._find_short).
_SHORT = 64
# Every character beyond the BMP reads as this one (the tables' one entry for them all).
_ASTRAL = chr(_BMP)
# At most this many cells in a bank's table of pairs (4 or 8 bytes each).
_MAX_TABLE = 1 << 22
# Triples as keys: each of the three (its index in the tables, the BMP's one entry beyond it) a digit.
_BASE = _BMP + 1
# A pattern that may start with more characters than these, or whose first characters passing alone are
# more than these, is left to the engine's own scan.
_MAX_FIRSTS = 32768
_MAX_ALONE = 1024


def _thirds(pairs: set[tuple[int, int]], triples: Sequence[_Product3], doubles: Sequence[_Product2],
            codes: Callable[[Ranges], list[int]]) -> dict[tuple[int, int], list[int] | None]:
    """For each of a pattern's exact pairs, the third characters that may follow it in a match, or None when
    any may (a match of the two alone, a third class too broad, too many to keep)."""
    thirds: dict[tuple[int, int], set[int] | None] = {pair: set() for pair in pairs}
    seconds_of: dict[int, list[int]] = {}
    for x, y in pairs:
        seconds_of.setdefault(x, []).append(y)

    def within(a: Ranges, b: Ranges) -> list[tuple[int, int]]:
        """The pairs in a × b."""
        if _size(a) <= _NARROW:
            candidates = [(x, y) for x in codes(a) for y in seconds_of.get(x, ())]
        else:
            candidates = list(thirds)
            candidates = [(x, y) for x, y in candidates if _contains(a, x)]
        if _size(b) <= _BROAD_SECOND:
            held = set(codes(b))
            return [(x, y) for x, y in candidates if y in held]
        return [(x, y) for x, y in candidates if _contains(b, y)]

    for a, b in doubles:
        for pair in within(a, b):
            thirds[pair] = None
    for a, b, c in triples:
        broad = _size(c) > _NARROW_THIRD
        for pair in within(a, b):
            held = thirds[pair]
            if held is None:
                continue
            if broad:
                thirds[pair] = None
            else:
                held.update(codes(c))
                if len(held) > _NARROW_THIRD:
                    thirds[pair] = None
    # A pair in no triple and no double begins no match; it passes all the same (a case the summary missed
    # must never turn a match away).
    return {pair: sorted(third) if third else None for pair, third in thirds.items()}


def _alone(singles: Ranges, pairs: tuple[tuple[Ranges, Ranges], ...]) -> Ranges:
    """The first characters that pass without a second: the pattern may end after them or go on with nearly
    any character."""
    return _union(singles, *(a for a, b in pairs if _size(b) > _BROAD_SECOND))


class Candidates:
    """Where each of many patterns may start a match in a text, found for all of them at once.

    For every pattern that can be summarised (not nullable, its first characters worked out), a text's
    places are those of a first character after which the pattern may end or go on with a broad class
    (``alone``), and those of an exact pair of its first two characters, followed, where the pattern cannot
    end after the two nor go on with a broad class, by one of the third characters that can follow that pair
    (the exact triples); a pair of wide classes (``\\d`` first or second) is tested as the product of the
    two. The tables hold one bit per pattern, 64 patterns a bank. :meth:`find` gives, for each pattern, its
    places in order; ``None`` for a pattern not covered (find its matches some other way).
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]],
                 summaries: Sequence[_Pairs | None] | None = None) -> None:
        """``summaries``, where given (not None), are the patterns' own, worked out before (Alternatives)."""
        import numpy as np

        covered: list[int] = []
        kept: list[_Pairs] = []
        for index, pattern in enumerate(patterns):
            summary = summaries[index] if summaries is not None else None
            if summary is None:
                try:
                    summary = pair_summary(pattern)
                except Unsummarized:
                    continue
            firsts, pairs, singles, nullable = summary[:4]
            # Not worth it where nearly every character may start a match: the engine scans faster.
            if nullable or not firsts or _size(firsts) > _MAX_FIRSTS or _size(_alone(singles, pairs)) > _MAX_ALONE:
                continue
            covered.append(index)
            kept.append(summary)
        self.count = len(patterns)
        self._covered = covered
        self.covers = frozenset(covered)
        self._banks = [self._bank(np, kept[start:start + 64]) for start in range(0, len(kept), 64)]

    @staticmethod
    def _bank(np: Any, summaries: list[_Pairs]) -> tuple[Any, ...]:
        width = np.dtype("<u4") if len(summaries) <= 32 else np.dtype("<u8")   # little-endian: bit k is column k
        alone = np.zeros(_BMP + 1, dtype=width)
        wide_first = np.zeros(_BMP + 1, dtype=width)
        wide_second = np.zeros(_BMP + 1, dtype=width)
        exact: dict[tuple[int, int], int] = {}

        def mark(table: Any, ranges: Ranges, bit: int) -> None:
            for low, high in ranges:
                if low < _BMP:
                    table[low:min(high, _BMP - 1) + 1] |= bit
                if high >= _BMP:
                    table[_BMP] |= bit

        def codes(ranges: Ranges) -> list[int]:
            out: set[int] = set()
            for low, high in ranges:
                if low < _BMP:
                    out.update(range(low, min(high, _BMP - 1) + 1))
                if high >= _BMP:
                    out.add(_BMP)
            return sorted(out)

        # Of each exact pair, the patterns that may match there whatever the third character is (a match of
        # two, a broad third class), and the exact triples of the others.
        passing: dict[tuple[int, int], int] = {}
        triples: dict[tuple[int, int, int], int] = {}
        for k, (_firsts, pairs, singles, _nullable, threes, twos) in enumerate(summaries):
            bit = 1 << k
            lone = _alone(singles, pairs)
            mark(alone, lone, bit)
            own: set[tuple[int, int]] = set()
            for a, b in pairs:
                if _size(b) > _BROAD_SECOND:
                    continue
                if _size(a) <= _NARROW and _size(b) <= _NARROW:
                    seconds = codes(b)
                    for x in codes(a):
                        if _contains(lone, x) and x < _BMP:
                            continue   # passes alone: its pairs add nothing
                        for y in seconds:
                            exact[x, y] = exact.get((x, y), 0) | bit
                            own.add((x, y))
                else:
                    mark(wide_first, a, bit)
                    mark(wide_second, b, bit)
            for pair, third in _thirds(own, threes, twos, codes).items():
                if third is None:
                    passing[pair] = passing.get(pair, 0) | bit
                else:
                    for z in third:
                        triples[(*pair, z)] = triples.get((*pair, z), 0) | bit
        firsts = sorted({x for x, _ in exact})
        seconds = sorted({y for _, y in exact})
        if (len(firsts) + 1) * (len(seconds) + 1) > _MAX_TABLE:
            # Too many to keep each pair (a pack of thousands of rules): each pattern's as the product of its
            # first and second characters, as the guard does.
            for (x, y), bits in exact.items():
                wide_first[x] |= bits
                wide_second[y] |= bits
            exact, firsts, seconds, passing, triples = {}, [], [], {}, {}
        first_id = np.zeros(_BMP + 1, dtype=width)
        second_id = np.zeros(_BMP + 1, dtype=width)
        first_id[firsts] = np.arange(1, len(firsts) + 1)
        second_id[seconds] = np.arange(1, len(seconds) + 1)
        table = np.zeros((len(firsts) + 1, len(seconds) + 1), dtype=width)
        passes = np.zeros_like(table)
        if exact:
            keys = np.array(list(exact), dtype=np.int64)
            table[first_id[keys[:, 0]], second_id[keys[:, 1]]] = np.array(list(exact.values()), dtype=width)
        if passing:
            keys = np.array(list(passing), dtype=np.int64)
            passes[first_id[keys[:, 0]], second_id[keys[:, 1]]] = np.array(list(passing.values()), dtype=width)
        # The triples as sorted keys (x, y, z as digits in base _BASE) and the patterns each lets through.
        ordered = sorted(triples)
        triple_keys = np.array(ordered, dtype=np.int64).reshape(-1, 3)
        triple_keys = (triple_keys[:, 0] * _BASE + triple_keys[:, 1]) * _BASE + triple_keys[:, 2]
        triple_bits = np.array([triples[key] for key in ordered], dtype=width)
        has_wide = bool(wide_first.any())
        # What a character says as a first one (alone, a wide first, its row of pairs) and as a second one (its
        # column, a wide second): one look-up each.
        as_first = np.stack([alone, wide_first, first_id], axis=1)
        as_second = np.stack([second_id, wide_second], axis=1)

        # The same as dictionaries of characters, for a short text (a re-check's sentence), where numpy's
        # overhead per call would be most of the time. Beyond the BMP every character reads as the first.
        def by_character(table: Any) -> dict[str, int]:
            where = np.flatnonzero(table)
            return {chr(code): value for code, value in zip(where.tolist(), table[where].tolist())}

        pairs_by: dict[str, dict[str, tuple[int, int]]] = {}
        for (x, y), bits in exact.items():
            pairs_by.setdefault(chr(x), {})[chr(y)] = (bits, passing.get((x, y), 0))
        triples_by = {chr(x) + chr(y) + chr(z): bits for (x, y, z), bits in triples.items()}
        short = (by_character(alone), pairs_by, by_character(wide_first), by_character(wide_second), triples_by)
        return (len(summaries), as_first, as_second, table.ravel(), passes.ravel(), table.shape[1], has_wide,
                triple_keys, triple_bits, short)

    def find(self, text: str) -> list[list[int] | None]:
        """For each pattern (in the order given), the places where it may start a match; None if not covered."""
        import numpy as np

        found: list[list[int] | None] = [None] * self.count
        if not self._covered:
            return found
        for index in self._covered:
            found[index] = []
        if not text:
            return found
        if len(text) < _SHORT:
            self._find_short(text, found)
            return found
        points = np.minimum(np.frombuffer(text.encode("utf-32-le"), dtype="<u4"), _BMP)
        offset = 0
        for (size, as_first, as_second, table, passes, columns, has_wide, triple_keys, triple_bits,
             _short) in self._banks:
            first = np.take(as_first, points, axis=0)
            second = np.take(as_second, points, axis=0)
            # Alone at every place; a pair where a character follows (at the end only alone counts), and of
            # the pair's patterns those that need a third character only where one of theirs follows.
            mask = first[:, 0].copy()
            cells = first[:-1, 2] * columns + second[1:, 0]
            paired = np.take(table, cells)
            passed = np.take(passes, cells)
            mask[:-1] |= paired & passed
            need = paired & ~passed
            at = np.flatnonzero(need[:-1])   # (a third character after them)
            if len(at) and len(triple_keys):
                keys = (points[at].astype(np.int64) * _BASE + points[at + 1]) * _BASE + points[at + 2]
                found_at = np.minimum(np.searchsorted(triple_keys, keys), len(triple_keys) - 1)
                mask[at] |= need[at] & np.where(triple_keys[found_at] == keys, triple_bits[found_at], 0)
            if has_wide:
                mask[:-1] |= first[:-1, 1] & second[1:, 1]
            where = np.flatnonzero(mask)
            count = len(where)
            # Bit k of each candidate's mask as row k: the flat indices of the set bits, pattern by pattern.
            bits = np.unpackbits(np.ascontiguousarray(mask[where].view(np.uint8).reshape(count, mask.itemsize).T),
                                 axis=0, bitorder="little")[:size]
            flat = np.flatnonzero(bits.view(bool))
            places = where[flat % count].tolist() if count else []
            ends = np.searchsorted(flat, np.arange(1, size + 1) * count).tolist()
            start = 0
            for k in range(size):
                found[self._covered[offset + k]] = places[start:ends[k]]
                start = ends[k]
            offset += size
        return found

    def _find_short(self, text: str, found: list[list[int] | None]) -> None:
        """:meth:`find` for a short text, character by character with the dictionaries: the same places."""
        if max(text) >= _ASTRAL:
            text = "".join(c if c < _ASTRAL else _ASTRAL for c in text)   # (as the tables' one entry for them)
        last = len(text) - 1
        offset = 0
        for bank in self._banks:
            size = bank[0]
            alone, pairs, wide_first, wide_second, triples = bank[-1]
            targets = [found[self._covered[offset + k]] for k in range(size)]
            for at, char in enumerate(text):
                mask = alone.get(char, 0)
                if at < last:
                    following = text[at + 1]
                    row = pairs.get(char)
                    if row is not None:
                        paired, passed = row.get(following, (0, 0))
                        mask |= paired & passed
                        need = paired & ~passed
                        if need and at + 1 < last:
                            mask |= need & triples.get(text[at:at + 3], 0)
                    if wide_first:
                        mask |= wide_first.get(char, 0) & wide_second.get(following, 0)
                while mask:
                    low = mask & -mask
                    targets[low.bit_length() - 1].append(at)   # type: ignore[union-attr]
                    mask ^= low
            offset += size


def _class_end(source: str, index: int) -> int:
    """Where the character class opened at ``source[index]`` closes (its ``]``; a ``]`` first in it is a member)."""
    index += 1
    if index < len(source) and source[index] == "^":
        index += 1
    if index < len(source) and source[index] == "]":
        index += 1
    while index < len(source) and source[index] != "]":
        index += 2 if source[index] == "\\" else 1
    return index


def _top_level(source: str) -> list[str]:
    """``source`` cut at its top-level bars (outside groups and classes)."""
    pieces: list[str] = []
    depth, start, index, length = 0, 0, 0, len(source)
    while index < length:
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(source, index)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(source[start:index])
            start = index + 1
        index += 1
    pieces.append(source[start:])
    return pieces


def _opened(piece: str) -> str | None:
    """The inside of ``piece`` when it is one whole non-capturing group, ``(?:…)`` with nothing after it."""
    if not piece.startswith("(?:") or not piece.endswith(")"):
        return None
    inside = piece[3:-1]
    # Whole when the inside is balanced by itself (its own groups closed, no bar or paren left over).
    depth, index = 0, 0
    while index < len(inside):
        char = inside[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(inside, index)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
        index += 1
    return inside if depth == 0 else None


def alternatives(source: str) -> list[str]:
    """The alternatives of an expression, in order: its top-level branches, and those of a branch that is
    one whole non-capturing group (the words' trie), so that joined with bars they are the expression."""
    out: list[str] = []
    for piece in _top_level(source):
        inside = _opened(piece)
        if inside is not None and len(_top_level(inside)) > 1:
            out.extend(alternatives(inside))
        else:
            out.append(piece)
    return out


# A class of first characters of more than this is not looked up character by character (\d is not more).
_DISPATCH_WIDTH = 1024


class Alternatives:
    """An expression cut into its alternatives, in order, with what each can start with.

    ``pieces`` joined with bars are the expression; empty when it is not cut so (flags, a comment, an
    alternative that does not parse alone).
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.pieces: list[str] = []
        self.summaries: list[_Pairs | None] = []
        # A comment may hold brackets and parentheses the cutting would misread.
        if pattern.flags & (re.IGNORECASE | re.LOCALE | re.VERBOSE) or "(?#" in pattern.pattern:
            return
        pieces = alternatives(pattern.pattern)
        summaries: list[_Pairs | None] = []
        for piece in pieces:
            try:
                summaries.append(_pairs_sequence(P.parse(piece, pattern.flags)))
            except (re.error, RecursionError):
                return   # not an expression alone: the cutting went wrong
            except Unsummarized:
                summaries.append(None)
        self.pieces, self.summaries = pieces, summaries

    def summary(self) -> _Pairs | None:
        """The expression's summary, as its branches' together; None when one is not worked out."""
        if not self.pieces or any(s is None for s in self.summaries):
            return None
        return _pairs_branches(self.summaries)   # type: ignore[arg-type]

    def dispatch(self) -> dict[str, Callable[[str, int], re.Match[str] | None]]:
        """For each character an alternative starts with, the ``match`` of an expression of only the
        alternatives that can start with it, in their order.

        At a place where that character is, the first alternative that matches is one of those (one that
        cannot start with it does not match there), so the match is the expression's own; the engine no
        longer tries the others one by one. Group names and numbers are not kept: for expressions whose
        match is read only for its span. A character not in it is tried with the whole expression.
        """
        if len(self.pieces) < 2:
            return {}
        firsts = [None if s is None or s[3] or not s[0] else s[0] for s in self.summaries]
        # Which alternatives each character can start: those of few first characters listed by character, the
        # others (any first character, or a wide class) tested for each.
        starting: dict[int, list[int]] = {}
        wide: list[int] = []
        for i, ranges in enumerate(firsts):
            if ranges is not None and _size(ranges) <= _DISPATCH_WIDTH:
                for low, high in ranges:
                    # (beyond the BMP, where a class of one range may reach on for ever: the whole expression)
                    for code in range(low, min(high, _BMP - 1) + 1):
                        starting.setdefault(code, []).append(i)
            else:
                wide.append(i)
        by_signature: dict[tuple[int, ...], Callable[[str, int], re.Match[str] | None]] = {}
        out: dict[str, Callable[[str, int], re.Match[str] | None]] = {}
        for code in sorted(starting):
            others = [i for i in wide if firsts[i] is None or _contains(firsts[i], code)]   # type: ignore[arg-type]
            signature = tuple(sorted(starting[code] + others))
            if len(signature) == len(self.pieces):
                continue
            if signature not in by_signature:
                try:
                    by_signature[signature] = re.compile("|".join(self.pieces[i] for i in signature),
                                                         self.pattern.flags).match
                except re.error:
                    return {}
            out[chr(code)] = by_signature[signature]
        return out
