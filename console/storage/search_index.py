"""The product search index (migration 0005): trigram matches over SKU, barcode, name, brand and pinyin, by rank.

Layout. The FTS5 table ``product_search`` (trigram tokenizer) holds each
live product's searched fields, each written as ``\\x1e`` + value +
``\\x1f\\x1f``; ``product_search_entry`` says which product each of its rows
is. The index runs behind the catalog by design, as FTS5 writes cheaply only
in bulk: products inserted since it last caught up are the ``product`` rows
after ``product_search_state.seen_rowid``, and triggers note the changed and
deleted ones in ``product_search_dirty``. :func:`find` matches those itself,
in Python, and leaves the index's stale rows for them aside, so a search is
never behind; :func:`catch_up` folds them into the index in a few statements.

Matching. The trigram index finds any substring of three or more characters
at once, and the marks give shorter ones a way in:

- exact: the phrase ``\\x1e`` + text + ``\\x1f`` in the SKU or barcode column;
- prefix: the phrase ``\\x1e`` + text; from two characters up that is at
  least one whole trigram;
- one or two characters anywhere: no trigram is that short, but every
  occurrence begins one (the end marks see to that), so the index's own
  vocabulary (``product_search_terms``) lists the trigrams that begin with
  them, and the query asks for any of those. A single letter or digit is
  matched by prefix only: anywhere, it would match most of the catalog, and
  listing its trigrams alone takes 20 ms.

Within a rank, products come in the order they entered the index: the
catalog's order, with products changed since at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

START, END = "\x1e", "\x1f"
FIELDS = ("sku", "barcode", "name", "brand", "pinyin", "initials")
EXACT_FIELDS = ("sku", "barcode")
PREFIX_FIELDS = FIELDS

# Tables outside the ORM's metadata: the index, its FTS5 shadow tables and vocabulary, its bookkeeping.
TABLES = frozenset({
    "product_search", "product_search_data", "product_search_idx", "product_search_content",
    "product_search_config", "product_search_terms",
    "product_search_entry", "product_search_dirty", "product_search_state",
})
TRIGGERS = ("product_search_on_update", "product_search_on_delete")


def in_metadata(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's ``include_name``: everything but these tables, which no model describes."""
    return not (type_ == "table" and name in TABLES)

# Longest text searched; longer could match nothing of a 300-character name anyway.
MAX_QUERY = 300

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CONTROLS = {code: 0x20 for code in (*range(0x20), 0x7F)}

# The fields as the index holds them, from a product row ``p`` (migration 0005 fills it the same way).
_INDEXED = ", ".join(f"char(30) || {value} || char(31, 31)" for value in (
    "p.sku", "p.barcode", "p.name", "p.brand",
    "substr(p.search_key, 1, instr(p.search_key, ' ') - 1)", "substr(p.search_key, instr(p.search_key, ' ') + 1)"))


def normalise(typed: str) -> str:
    """The text as the index compares it: ASCII for full-width letters and digits (an IME's), lower case, single spaces."""
    folded = typed.translate(_FULL_WIDTH).translate(_CONTROLS).lower()
    return " ".join(folded.split())[:MAX_QUERY]


# More products than this waiting for the index, and :func:`find` leaves them to :func:`catch_up`:
# matching them one by one in Python takes 35 ms per thousand, feeding the index 60 ms.
PENDING_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class Found:
    product_ids: list[str]  # as the database holds them (UUID hex), best first
    index_behind: bool      # some were matched outside the index: a :func:`catch_up` makes the next search faster
    complete: bool = True   # False: more than ``pending_limit`` products wait for the index; nothing was matched


def find(s: Session, typed: str, limit: int, *, pending_limit: int | None = PENDING_LIMIT) -> Found:
    """Live products matching ``typed``: exact SKU or barcode, then prefixes, then the rest; at most ``limit``.

    On the driver's connection, in the session's transaction: this runs at
    every key press, and SQLAlchemy's work per statement was a third of it.
    """
    raw = _driver(s)
    pending = _pending(raw, pending_limit)
    if pending is None:
        return Found([], True, complete=False)
    needle = normalise(typed)
    if not needle or limit <= 0:
        return Found([], pending.behind)
    found: dict[str, None] = {}
    ranks: tuple[tuple[Callable[[], str | None], Callable[[_Fields], bool]], ...] = (
        (lambda: _exact(needle), lambda fields: _is_exact(fields, needle)),
        (lambda: _prefix(raw, needle), lambda fields: _has_prefix(fields, needle)),
        (lambda: _anywhere(raw, needle), lambda fields: _has_anywhere(fields, needle)),
    )
    for indexed, matches in ranks:
        if len(found) >= limit:
            break
        query = indexed()
        # Room for those an earlier rank holds and for the index's stale rows.
        wanted = limit + len(found) + len(pending.stale)
        hits = [pid for pid in _matching(raw, query, wanted) if pid not in pending.stale] if query else []
        for product_id in (*hits, *(pid for pid, fields in pending.rows if matches(fields))):
            found.setdefault(product_id)
    return Found(list(found)[:limit], pending.behind)


def catch_up(s: Session) -> int:
    """Fold the products inserted, changed and deleted since the last catch-up into the index; returns how many.

    Call it in a unit of work of its own. Its first statement writes, so the
    transaction holds the write lock from its start and cannot find its
    snapshot stale; each later statement is one FTS5 segment however many
    rows it writes.
    """
    raw = _driver(s)
    raw.execute("UPDATE product_search_state SET seen_rowid = seen_rowid")
    raw.execute("CREATE TEMP TABLE IF NOT EXISTS product_search_changed "
                "(product_id CHAR(32) PRIMARY KEY) WITHOUT ROWID")
    raw.execute("DELETE FROM temp.product_search_changed")
    raw.execute("INSERT OR IGNORE INTO temp.product_search_changed "
                f"SELECT p.id FROM product AS p WHERE {_NEW[_watermark_holds(raw)]}")
    raw.execute("INSERT OR IGNORE INTO temp.product_search_changed SELECT product_id FROM product_search_dirty")
    changed = "SELECT product_id FROM temp.product_search_changed"
    raw.execute(f"DELETE FROM product_search WHERE rowid IN "
                f"(SELECT entry FROM product_search_entry WHERE product_id IN ({changed}))")
    raw.execute(f"DELETE FROM product_search_entry WHERE product_id IN ({changed})")
    first_new = _scalar(raw, "SELECT coalesce(max(entry), 0) + 1 FROM product_search_entry")
    raw.execute(f"INSERT INTO product_search_entry (product_id) SELECT p.id FROM product AS p "
                f"WHERE p.id IN ({changed}) AND p.deleted_at IS NULL ORDER BY p.rowid")
    raw.execute(f"INSERT INTO product_search (rowid, {', '.join(FIELDS)}) "
                f"SELECT e.entry, {_INDEXED} FROM product_search_entry AS e JOIN product AS p ON p.id = e.product_id "
                f"WHERE e.entry >= ? ORDER BY e.entry", (first_new,))
    raw.execute("DELETE FROM product_search_dirty")
    raw.execute("UPDATE product_search_state SET (seen_rowid, seen_id) = "
                "(SELECT rowid, id FROM product ORDER BY rowid DESC LIMIT 1) WHERE EXISTS (SELECT 1 FROM product)")
    return _scalar(raw, "SELECT count(*) FROM temp.product_search_changed")


class Busy(Exception):
    """Another connection held the write lock for longer than :func:`waiting_at_most` allowed."""


@contextmanager
def waiting_at_most(s: Session, milliseconds: int) -> Iterator[None]:
    """Within the block, a statement waits at most ``milliseconds`` for another writer, then :class:`Busy`."""
    raw = _driver(s)
    waited = _scalar(raw, "PRAGMA busy_timeout")
    raw.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    except sqlite3.OperationalError as exc:
        # SQLITE_BUSY, and BUSY_SNAPSHOT among its extended codes.
        if exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:
            raise Busy(str(exc)) from exc
        raise
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(waited)}")


# --- what the index does not hold yet ------------------------------------------

# A product's fields as the index holds them, folded as it folds them.
_Fields = dict[str, str]

# New products: those after the last row the index saw; or, when that row is no longer what it
# was (a VACUUM renumbered the table, or a hand deleted it), every live product the index lacks,
# which takes a scan of the catalog.
_NEW = {
    True: "p.rowid > (SELECT seen_rowid FROM product_search_state)",
    False: "p.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM product_search_entry AS e WHERE e.product_id = p.id)",
}
_COLUMNS = "p.rowid, p.id, p.sku, p.barcode, p.name, p.brand, p.search_key"
_LIVE_DIRTY = (f"SELECT {_COLUMNS} FROM product_search_dirty AS d CROSS JOIN product AS p ON p.id = d.product_id "
               "WHERE p.deleted_at IS NULL")


@dataclass(frozen=True, slots=True)
class _Pending:
    rows: list[tuple[str, _Fields]]  # live products the index lacks or holds as they were, in catalog order
    stale: frozenset[str]            # products whose rows in the index are out of date or withdrawn

    @property
    def behind(self) -> bool:
        return bool(self.rows or self.stale)


def _pending(raw: sqlite3.Connection, most: int | None) -> _Pending | None:
    """What the index lacks; None when that is more than ``most`` products."""
    cap = "" if most is None else f" LIMIT {int(most) + 1}"
    dirty = frozenset(r[0] for r in raw.execute("SELECT product_id FROM product_search_dirty" + cap))
    rows = raw.execute(f"SELECT {_COLUMNS} FROM product AS p WHERE ({_NEW[_watermark_holds(raw)]}) "
                       "AND p.deleted_at IS NULL" + cap).fetchall()
    if most is not None and len(dirty) + len(rows) > most:
        return None
    if dirty:
        rows = sorted({r[1]: r for r in (*rows, *raw.execute(_LIVE_DIRTY))}.values())
    pending = [(r[1], _folded(*r[2:])) for r in rows]
    return _Pending(pending, dirty | {pid for pid, _ in pending})


def _watermark_holds(raw: sqlite3.Connection) -> bool:
    seen = raw.execute("SELECT seen_rowid, seen_id FROM product_search_state").fetchone()
    if seen is None or not seen[0]:
        return True
    there = raw.execute("SELECT id FROM product WHERE rowid = ?", (seen[0],)).fetchone()
    return there is not None and there[0] == seen[1]


def _folded(sku: str, barcode: str, name: str, brand: str, search_key: str) -> _Fields:
    # Split as the index's SQL splits it (substr around instr), a key without a space included.
    pinyin, _, initials = search_key.partition(" ") if " " in search_key else ("", "", search_key)
    values = (sku, barcode, name, brand, pinyin, initials)
    return {f: START + v.lower() + END + END for f, v in zip(FIELDS, values)}


def _is_exact(fields: _Fields, needle: str) -> bool:
    whole = START + needle + END + END
    return any(fields[f] == whole for f in EXACT_FIELDS)


def _has_prefix(fields: _Fields, needle: str) -> bool:
    return any(fields[f].startswith(START + needle) for f in PREFIX_FIELDS)


def _has_anywhere(fields: _Fields, needle: str) -> bool:
    words = _substring_words(needle)
    return bool(words) and all(any(w in fields[f] for f in FIELDS) for w in words)


# --- the index ---------------------------------------------------------------


def _driver(s: Session) -> sqlite3.Connection:
    raw = s.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _scalar(raw: sqlite3.Connection, sql: str) -> int:
    return int(raw.execute(sql).fetchone()[0])


def _matching(raw: sqlite3.Connection, query: str, wanted: int) -> list[str]:
    # CROSS JOIN keeps the index first: the other way round would read every entry.
    rows = raw.execute(
        "SELECT e.product_id FROM product_search CROSS JOIN product_search_entry AS e "
        "ON e.entry = product_search.rowid WHERE product_search MATCH ? "
        "ORDER BY product_search.rowid LIMIT ?", (query, wanted))
    return [r[0] for r in rows]


def _phrase(part: str) -> str:
    return '"' + part.replace('"', '""') + '"'


def _any_of(terms: Sequence[str]) -> str | None:
    return "(" + " OR ".join(_phrase(t) for t in terms) + ")" if terms else None


def _terms_starting(raw: sqlite3.Connection, start: str) -> list[str]:
    rows = raw.execute("SELECT term FROM product_search_terms WHERE term >= ? AND term < ?",
                       (start, start + "\U0010ffff"))
    return [r[0] for r in rows]


def _in_fields(fields: Iterable[str], expression: str | None) -> str | None:
    return None if expression is None else "{" + " ".join(fields) + "} : " + expression


def _exact(needle: str) -> str | None:
    return _in_fields(EXACT_FIELDS, _phrase(START + needle + END))


def _prefix(raw: sqlite3.Connection, needle: str) -> str | None:
    marked = START + needle
    if len(marked) >= 3:
        return _in_fields(PREFIX_FIELDS, _phrase(marked))
    return _in_fields(PREFIX_FIELDS, _any_of(_terms_starting(raw, marked)))


def _substring_words(needle: str) -> list[str]:
    # A lone letter or digit only narrows by prefix; see the module's docstring.
    return [w for w in needle.split(" ") if len(w) > 1 or not w.isascii()]


def _anywhere(raw: sqlite3.Connection, needle: str) -> str | None:
    words = _substring_words(needle)
    if not words:
        return None
    parts = []
    for word in words:
        part = _phrase(word) if len(word) >= 3 else _any_of(_terms_starting(raw, word))
        if part is None:
            return None  # a word in no product: nothing matches all of them
        parts.append(part)
    return " AND ".join(parts)
