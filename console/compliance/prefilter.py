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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
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

