"""The core's messages as data, rendered in the reader's language from one gettext catalog.

A :class:`Message` is a stable id (``"roster.anchor_double_booked"``), an
English template with named ``{placeholders}`` and the values to put in them.
``str(message)`` is the English sentence, for logs; :func:`text` renders it in
the active language, :meth:`Message.render` in any. The GUI and the CLI share
the catalog under ``console/i18n/locale`` (gettext ``.po``, compiled to ``.mo``
by ``resources/translations/update.py``); the GUI's own words stay in Qt's
``.ts`` files.

Each message is written where it arises, as a call that the catalog tooling
extracts::

    raise NotFound(msg("roster.no_such_shift", "There is no shift {shift}.", shift=shift_id))
    msg_n("roster_io.imported", "{count} shift imported.", "{count} shifts imported.", count=n)

Id and templates must be string literals, so that extraction sees them; the
catalog's key is the id (gettext's context) with the English template, so a
reworded template is a new entry to translate, never a stale translation.

Values are formatted for the reader when rendered: a nested Message in the same
language, ``int`` with thousands separators, :class:`Money` as ``¥1,299.00``,
``date`` and ``datetime`` by :mod:`console.i18n.formats` (callers pass moments in
the store's zone), ``timedelta`` as ``h:mm:ss``, a list or tuple as its items
joined the language's way.
"""

from __future__ import annotations

import gettext
import json
import logging
import os
import string
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from console.i18n import formats

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
DOMAIN = "console"
LOCALE_DIR = Path(__file__).with_name("locale")

log = logging.getLogger(__name__)

_FORMATTER = string.Formatter()
_CJK_STOPS = frozenset("。！？；：，、）」』")


# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in integer fen, shown as yuan with two decimals."""

    fen: int


@dataclass(frozen=True, slots=True)
class Localized:
    """A text that comes with its own translations, from data rather than code (a rule pack's wording).

    ``texts`` pairs a language (``zh_CN``, ``en``; ``zh`` stands for any Chinese)
    with the text; rendering picks the reader's language, else English, else the first.
    """

    texts: tuple[tuple[str, str], ...]

    def in_language(self, language: str) -> str:
        by_language = dict(self.texts)
        for wanted in (language, language.split("_")[0], "en"):
            if wanted in by_language:
                return by_language[wanted]
        return self.texts[0][1] if self.texts else ""

    def __str__(self) -> str:
        return self.in_language("en")


@dataclass(frozen=True, slots=True)
class Message:
    """One sentence a user may read: a stable id, English template(s) and named values.

    ``plural`` is the English plural template of a message that counts
    something; ``count`` names the value that decides between them.
    """

    id: str
    template: str
    values: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    count: str | None = None

    def __hash__(self) -> int:
        # Values may hold lists; equal messages share id and template, so this agrees with ==.
        return hash((self.id, self.template, self.plural))

    def render(self, catalog: Catalog | None = None) -> str:
        """This message in ``catalog``'s language (English without one)."""
        catalog = catalog or ENGLISH
        return catalog.render(self)

    def __str__(self) -> str:
        return ENGLISH.render(self)

    def to_json(self) -> str:
        """This message as JSON, to keep in the database and render later in any language."""
        return json.dumps(_encode(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str) -> Message:
        """A message kept by :meth:`to_json`; a plain English text from before is kept as it is."""
        try:
            decoded = _decode(json.loads(data))
        except (ValueError, TypeError, KeyError):
            decoded = None
        if isinstance(decoded, Message):
            return decoded
        return Message("untranslated", "{text}", {"text": data})


def _encode(value: Any) -> Any:
    if isinstance(value, Message):
        return {"$m": value.id, "t": value.template, "p": value.plural, "c": value.count,
                "v": {k: _encode(v) for k, v in value.values.items()}}
    if isinstance(value, Money):
        return {"$money": value.fen}
    if isinstance(value, Localized):
        return {"$localized": [list(pair) for pair in value.texts]}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$seconds": value.total_seconds()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if not isinstance(value, dict):
        return value
    if "$m" in value:
        return Message(str(value["$m"]), str(value["t"]), {k: _decode(v) for k, v in value["v"].items()},
                       value.get("p"), value.get("c"))
    if "$money" in value:
        return Money(int(value["$money"]))
    if "$localized" in value:
        return Localized(tuple((str(lang), str(words)) for lang, words in value["$localized"]))
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    if "$time" in value:
        return time.fromisoformat(value["$time"])
    if "$seconds" in value:
        return timedelta(seconds=float(value["$seconds"]))
    raise ValueError("not a kept message")


def msg(message_id: str, template: str, /, **values: Any) -> Message:
    """A message; ``message_id`` and ``template`` must be literals (the catalog extracts them)."""
    return Message(message_id, template, values)


def msg_n(message_id: str, singular: str, plural: str, /, *, count: int, **values: Any) -> Message:
    """A message that counts: English picks its form by ``count``, Chinese has one form."""
    return Message(message_id, singular, {"count": count, **values}, plural, "count")


def placeholders(template: str) -> frozenset[str]:
    """The names a template fills in (``{anchor}`` -> ``anchor``); ValueError if it is malformed."""
    names = set()
    for _literal, name, spec, conversion in _FORMATTER.parse(template):
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(f"'{{{name}}}' is not a named placeholder")
        if spec or conversion:
            raise ValueError(f"'{{{name}}}' must not carry a format of its own")
        names.add(name)
    return frozenset(names)


class MessageError(Exception):
    """An error whose sentence a user reads: a :class:`Message` in ``.message``.

    ``str(error)`` is the English sentence (for logs and wire formats that stay
    English); :func:`text` renders it in the reader's language. The console's
    ``DomainError`` and head office's ``Refusal`` are its two families.
    """

    def __init__(self, message: Message) -> None:
        if not isinstance(message, Message):
            # Kept readable rather than lost; update.py --check refuses such a raise.
            message = Message("untranslated", "{text}", {"text": str(message)})
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


# --------------------------------------------------------------------------
# Catalogs
# --------------------------------------------------------------------------


class CatalogError(Exception):
    """A translation catalog that cannot be used; the console carries on in English."""

    def __init__(self, path: Path, entry: str | None, problem: str) -> None:
        self.path, self.entry, self.problem = path, entry, problem
        where = f"{path}" if entry is None else f"{path}, entry {entry!r}"
        super().__init__(f"The translation catalog {where} is unusable: {problem}. Messages are shown in English.")


class Catalog:
    """The translations of one language, looked up by message id and English template."""

    def __init__(self, language: str, translations: gettext.NullTranslations | None = None) -> None:
        self.language = language
        self._translations = translations or gettext.NullTranslations()
        self._chinese = language.startswith("zh")

    def template(self, message: Message) -> str:
        """The template in this language; the English one where no translation exists."""
        if message.plural is None:
            return self._translations.pgettext(message.id, message.template)
        count = message.values.get(message.count or "count", 0)
        return self._translations.npgettext(message.id, message.template, message.plural,
                                            count if isinstance(count, int) else 0)

    def render(self, message: Message) -> str:
        template = self.template(message)
        values = {name: self.value(v) for name, v in message.values.items()}
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError):
            # The catalog was checked on loading, so this is a value the code
            # forgot: say what we can rather than lose the message.
            log.warning("message %s lacks a value for its template %r", message.id, template)
            return message.template.format_map(_Lenient(values))

    def join(self, sentences: Iterable[str]) -> str:
        """Sentences one after another: a space after English ones, none after Chinese punctuation."""
        joined = ""
        for sentence in sentences:
            if joined and not (self._chinese and joined[-1] in _CJK_STOPS):
                joined += " "
            joined += sentence
        return joined

    def value(self, value: Any) -> str:
        """One value as this language writes it."""
        if isinstance(value, str):
            return value
        if isinstance(value, Message):
            return self.render(value)
        if isinstance(value, Localized):
            return value.in_language(self.language)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return formats.format_count(value, self.language)
        if isinstance(value, Money):
            return formats.format_money(value.fen, self.language)
        if isinstance(value, float):
            return formats.format_number(value, self.language)
        if isinstance(value, datetime):
            return formats.format_datetime(value, self.language)
        if isinstance(value, date):
            return formats.format_date(value, self.language)
        if isinstance(value, time):
            return formats.format_time(value)
        if isinstance(value, timedelta):
            return formats.format_duration(value)
        if isinstance(value, (list, tuple)):
            return self.join(self.value(v) for v in value)
        return str(value)


class _Lenient(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


ENGLISH = Catalog("en")


def catalog_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def load_catalog(language: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    """The catalog of ``language``, checked entry by entry.

    A missing file is no catalog (English); a file that does not parse, or an
    entry whose placeholders differ from its English template's, raises
    :class:`CatalogError` naming the file and the entry.
    """
    if language == "en":
        return ENGLISH
    path = catalog_path(language, locale_dir)
    try:
        with path.open("rb") as handle:
            translations = gettext.GNUTranslations(handle)
    except FileNotFoundError:
        raise CatalogError(path, None, "the file is missing") from None
    except (OSError, UnicodeDecodeError, ValueError, IndexError, KeyError) as exc:
        raise CatalogError(path, None, f"it is not a compiled gettext catalog ({exc})") from None
    for key, translated in translations._catalog.items():  # type: ignore[attr-defined]
        source = key[0] if isinstance(key, tuple) else key
        if not source:
            continue   # the header
        context, _, english = source.partition("\x04")
        try:
            wanted = placeholders(english)
            found = placeholders(translated)
            # A plural entry's key holds only the singular; its translation may
            # also name the count (Chinese: "{count} 个班次").
            ok = found <= wanted | {"count"} if isinstance(key, tuple) else found == wanted
            if not ok:
                raise ValueError(f"its placeholders {sorted(found)} differ from the English {sorted(wanted)}")
        except ValueError as exc:
            raise CatalogError(path, context or english, str(exc)) from None
    return Catalog(language, translations)


# --------------------------------------------------------------------------
# The active language (one per process: the GUI's choice, or the CLI's --lang)
# --------------------------------------------------------------------------

_lock = threading.Lock()
_active: Catalog = ENGLISH
_loaded: dict[tuple[str, Path], Catalog] = {}


def use_language(language: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    """Make ``language`` the one :func:`text` renders in, loading its catalog once.

    Raises :class:`CatalogError` for an unusable catalog, after switching to
    English so that the caller can warn and carry on.
    """
    global _active
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    with _lock:
        try:
            catalog = _loaded.get((language, locale_dir)) or load_catalog(language, locale_dir)
        except CatalogError:
            _active = ENGLISH
            raise
        _loaded[(language, locale_dir)] = catalog
        _active = catalog
        return catalog


def active() -> Catalog:
    return _active


def text(message: Message | str | BaseException) -> str:
    """Anything a user may read, in the active language.

    An exception carrying a :class:`Message` (every :class:`DomainError`) is
    rendered from it; a plain string or another exception is shown as it is.
    """
    if isinstance(message, Message):
        return _active.render(message)
    carried = getattr(message, "message", None)
    if isinstance(carried, Message):
        return _active.render(carried)
    return str(message)


def language_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """zh_CN or en from LC_ALL, LC_MESSAGES or LANG (the first one set), else None.

    ``zh_CN.UTF-8``, ``zh_Hans``, ``zh`` read as Chinese; ``en_US``, ``C`` and
    ``POSIX`` as English. Other languages are not offered, so they give None.
    """
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if not value:
            continue
        code = value.split(".")[0].split("@")[0].replace("-", "_").lower()
        if code.startswith("zh"):
            return "zh_CN"
        if code.startswith("en") or code in ("c", "posix"):
            return "en"
        return None
    return None


def language_setting(data_dir: Path) -> str | None:
    """The language saved by the GUI in the data folder's settings.ini, if any."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(data_dir / "settings.ini", encoding="utf-8")
        value = parser.get("ui", "language", fallback="").strip()
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None
    return value if value in LANGUAGES else None


def resolve_language(requested: str | None, data_dir: Path | None = None,
                     environ: Mapping[str, str] | None = None) -> str:
    """--lang, else the console's setting, else the locale, else zh_CN."""
    if requested in LANGUAGES:
        return requested
    if data_dir is not None:
        saved = language_setting(data_dir)
        if saved:
            return saved
    return language_from_environment(environ) or DEFAULT_LANGUAGE
