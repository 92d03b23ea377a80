"""Rule packs: versioned data files of words, patterns, context exceptions and their legal references.

A pack is JSON (``console/compliance/packs/default.json`` ships with the
console; head office issues others)::

    {"name": "default", "version": 1,
     "rules": [{"id": "absolute.superlative", "category": "absolute", "severity": "block",
                "words": ["最佳"], "patterns": ["最(?:好|强)"],
                "exceptions": ["最好(?:先|提前)"], "negatable": false,
                "reference": "广告法第九条",
                "message": {"zh": "…“{text}”…", "en": "…“{text}”…"},
                "suggestion": {"zh": "…", "en": "…"}}]}

* ``words`` are literal, ``patterns`` regular expressions; both are matched
  against the normalised text (see :mod:`console.compliance.normalize`:
  half-width, case-folded, decoration dropped), so write them in lower case.
* ``exceptions`` are regular expressions too: a match of the rule that lies
  inside a match of one of its exceptions is no finding (最近 for 最, 第一次
  for 第一, 每人最多限购 for 最多).
* ``negatable``: a match preceded in its clause by a negation or disclaimer
  (不是, 不能替代, "not a", "does not"), or disowned later in it
  (这种说法我们不说), is no finding.
* ``skip_categories``: product categories the rule does not apply to
  (杀菌 is a claim on a cream, a feature of a dishwasher).
* ``check`` names a built-in check the rule switches on and words:
  ``phone`` (mobile numbers, also in Chinese numerals), ``wechat_id``,
  ``qq_id``, ``price_reference`` (a stated counter or original price against
  the product's facts), ``live_price``, ``stock_claim`` ("only N left"
  against the stock), ``discount`` (打一折, 八五折, 半价: the live price
  against the stated share of an evidenced price). Such a rule needs no
  words or patterns.

Loading validates everything and raises :class:`RulePackError` naming the file
and the rule (and its field) on the first problem; a caller that holds a pack
keeps it when a new one fails (:meth:`RulePack.replace_with`).

Patterns that could take exponential time are refused when the pack is
loaded, not bounded at run time: the parsed expression is walked, and under a
repeat (``*``, ``+``, ``{m,}``, ``{m,n}`` with n > 1) only a body of fixed
length is allowed (a character, a class, ``(?:ab)``; not ``(a+)+``, ``(a|aa)*``,
``(.*a){12}``), with no alternation whose branches can start alike
(``(?:[ab]|a)+``); back-references are refused too. Backtracking then never
has more than one way to split the text between iterations, so a check needs
no timeout.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.domain.errors import DomainError
from console.i18n import Localized, Message, msg

try:  # Python 3.11+: the parser behind re.compile
    import re._constants as _sre_constants  # type: ignore[import-not-found]
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older layouts
    import sre_constants as _sre_constants  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

CATEGORIES = ("absolute", "medical", "guarantee", "price", "scarcity", "off_platform")
SEVERITIES = ("block", "warn")
CHECKS = ("phone", "wechat_id", "qq_id", "price_reference", "live_price", "stock_claim", "discount")
PACKS_DIR = Path(__file__).with_name("packs")
DEFAULT_PACK = PACKS_DIR / "default.json"
MAX_PATTERN_LENGTH = 2000
MAX_RULES = 2000
_ID = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*$")
_RULE_FIELDS = frozenset({"id", "category", "severity", "words", "patterns", "exceptions", "negatable", "check",
                          "reference", "message", "suggestion", "note", "skip_categories"})


class RulePackError(DomainError):
    """A rule pack that cannot be used; its message names the file, the rule and the field."""

    def __init__(self, message: Message, *, source: str, rule: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.source, self.rule, self.field = source, rule, field


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    severity: str
    words: tuple[str, ...]
    patterns: tuple[str, ...]
    exceptions: tuple[str, ...]
    negatable: bool
    check: str | None
    reference: str
    message: Localized
    suggestion: Localized | None
    skip_categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RulePack:
    name: str
    version: int          # as head office numbers its packs (the rule_pack table's version)
    rules: tuple[Rule, ...]
    source: str

    @classmethod
    def load(cls, path: Path | str) -> RulePack:
        """The pack in ``path``; :class:`RulePackError` naming the file for any problem."""
        path = Path(path)
        source = str(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise RulePackError(msg("compliance.pack_missing", "The rule pack {file} does not exist.",
                                    file=source), source=source) from None
        except OSError as exc:
            raise RulePackError(msg("compliance.pack_unreadable", "The rule pack {file} cannot be read: {problem}",
                                    file=source, problem=exc.strerror or str(exc)), source=source) from None
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise RulePackError(msg("compliance.pack_not_utf8",
                                    "The rule pack {file} is not UTF-8 text (byte {position}).",
                                    file=source, position=exc.start), source=source) from None
        except json.JSONDecodeError as exc:
            raise RulePackError(msg("compliance.pack_not_json",
                                    "The rule pack {file} is not valid JSON: line {line}, column {column}: {problem}.",
                                    file=source, line=exc.lineno, column=exc.colno, problem=exc.msg),
                                source=source) from None
        return cls.from_data(data, source=source)

    @classmethod
    def from_data(cls, data: Any, *, source: str = "rule pack") -> RulePack:
        """A pack from its decoded JSON (head office keeps packs as JSON documents)."""
        if not isinstance(data, Mapping):
            raise RulePackError(msg("compliance.pack_not_object",
                                    "The rule pack {file} must be a JSON object with name, version and rules.",
                                    file=source), source=source)
        name = _text_field(data, "name", source, None)
        version = _version(data, source)
        rules_data = data.get("rules")
        if not isinstance(rules_data, list) or not rules_data:
            raise _field_error(source, None, "rules", msg("compliance.pack_need_rules", "a non-empty list of rules"))
        if len(rules_data) > MAX_RULES:
            raise _field_error(source, None, "rules", msg("compliance.pack_too_many_rules",
                                                          "at most {limit} rules", limit=MAX_RULES))
        rules: list[Rule] = []
        seen: set[str] = set()
        for index, item in enumerate(rules_data, start=1):
            rule = _rule(item, index, source)
            if rule.id in seen:
                raise _field_error(source, rule.id, "id", msg("compliance.pack_duplicate_id",
                                                              "an id no other rule has"))
            seen.add(rule.id)
            rules.append(rule)
        return cls(name, version, tuple(rules), source)

    def as_data(self) -> dict[str, Any]:
        """This pack as JSON data, the form :meth:`from_data` reads (for storing and syncing)."""
        def localized(value: Localized | None) -> dict[str, str] | None:
            return None if value is None else {lang.split("_")[0]: words for lang, words in value.texts}

        rules = []
        for rule in self.rules:
            item: dict[str, Any] = {"id": rule.id, "category": rule.category, "severity": rule.severity,
                                    "reference": rule.reference, "message": localized(rule.message)}
            if rule.words:
                item["words"] = list(rule.words)
            if rule.patterns:
                item["patterns"] = list(rule.patterns)
            if rule.exceptions:
                item["exceptions"] = list(rule.exceptions)
            if rule.negatable:
                item["negatable"] = True
            if rule.check:
                item["check"] = rule.check
            if rule.suggestion is not None:
                item["suggestion"] = localized(rule.suggestion)
            if rule.skip_categories:
                item["skip_categories"] = list(rule.skip_categories)
            rules.append(item)
        return {"name": self.name, "version": self.version, "rules": rules}

    def replace_with(self, path: Path | str) -> tuple[RulePack, RulePackError | None]:
        """The pack in ``path`` if it loads, else this one and the error: the previous pack stays in force."""
        try:
            return RulePack.load(path), None
        except RulePackError as exc:
            return self, exc


def default_pack() -> RulePack:
    """The pack shipped with the console (loaded once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = RulePack.load(DEFAULT_PACK)
    return _DEFAULT


_DEFAULT: RulePack | None = None


# --- validation ---------------------------------------------------------------


def _field_error(source: str, rule: str | None, field: str, wanted: Message) -> RulePackError:
    if rule is None:
        message = msg("compliance.pack_bad_field", "The rule pack {file}: the field {field} must be {wanted}.",
                      file=source, field=field, wanted=wanted)
    else:
        message = msg("compliance.pack_bad_rule_field",
                      "The rule pack {file}, rule {rule}: the field {field} must be {wanted}.",
                      file=source, rule=rule, field=field, wanted=wanted)
    return RulePackError(message, source=source, rule=rule, field=field)


def _version(data: Mapping[str, Any], source: str) -> int:
    value = data.get("version")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _field_error(source, None, "version", msg("compliance.pack_need_version", "a whole number from 1 up"))
    return value


def _text_field(data: Mapping[str, Any], field: str, source: str, rule: str | None, *, required: bool = True) -> str:
    value = data.get(field)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _field_error(source, rule, field, msg("compliance.pack_need_text", "a non-empty text"))
    return value.strip()


def _localized(data: Mapping[str, Any], field: str, source: str, rule: str, *, required: bool) -> Localized | None:
    value = data.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, Mapping) or not all(isinstance(value.get(lang), str) and value[lang].strip()
                                                 for lang in ("zh", "en")):
        raise _field_error(source, rule, field, msg("compliance.pack_need_languages",
                                                    "an object with a zh and an en text"))
    for lang in ("zh", "en"):
        try:
            value[lang].format_map(_OnlyText())
        except (KeyError, ValueError, IndexError, AttributeError):
            raise _field_error(source, rule, field, msg("compliance.pack_bad_placeholder",
                                                        "a text whose placeholders are {{text}} or script variables")) from None
    return Localized((("zh_CN", value["zh"].strip()), ("en", value["en"].strip())))


# A pack's text may name the matched words and the script variables (shown as written, for the anchor to use).
PACK_PLACEHOLDERS = frozenset({"text", "live_price", "counter_price", "deal", "stock", "link_number", "product"})


class _OnlyText(dict[str, str]):
    def __missing__(self, key: str) -> str:
        if key not in PACK_PLACEHOLDERS:
            raise KeyError(key)
        return ""


def _string_list(data: Mapping[str, Any], field: str, source: str, rule: str) -> tuple[str, ...]:
    value = data.get(field, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _field_error(source, rule, field, msg("compliance.pack_need_list", "a list of non-empty texts"))
    return tuple(value)


def _rule(item: Any, index: int, source: str) -> Rule:
    if not isinstance(item, Mapping):
        raise _field_error(source, f"#{index}", "rules", msg("compliance.pack_rule_object", "an object per rule"))
    raw_id = item.get("id")
    rule_id = raw_id if isinstance(raw_id, str) and _ID.match(raw_id) else None
    if rule_id is None:
        raise _field_error(source, f"#{index}", "id", msg("compliance.pack_need_id",
                                                         "a lower-case id such as absolute.superlative"))
    unknown = sorted(set(item) - _RULE_FIELDS)
    if unknown:
        raise RulePackError(msg("compliance.pack_unknown_field",
                                "The rule pack {file}, rule {rule}: there is no field {field}.",
                                file=source, rule=rule_id, field=unknown[0]), source=source, rule=rule_id,
                            field=unknown[0])
    category = item.get("category")
    if category not in CATEGORIES:
        raise _field_error(source, rule_id, "category", msg("compliance.pack_need_category", "one of {choices}",
                                                            choices=", ".join(CATEGORIES)))
    severity = item.get("severity")
    if severity not in SEVERITIES:
        raise _field_error(source, rule_id, "severity", msg("compliance.pack_need_severity", "block or warn"))
    check = item.get("check")
    if check is not None and check not in CHECKS:
        raise _field_error(source, rule_id, "check", msg("compliance.pack_need_check", "one of {choices}",
                                                         choices=", ".join(CHECKS)))
    negatable = item.get("negatable", False)
    if not isinstance(negatable, bool):
        raise _field_error(source, rule_id, "negatable", msg("compliance.pack_need_bool", "true or false"))
    words = tuple(w.casefold() for w in _string_list(item, "words", source, rule_id))
    patterns = _string_list(item, "patterns", source, rule_id)
    exceptions = _string_list(item, "exceptions", source, rule_id)
    if not words and not patterns and check is None:
        raise _field_error(source, rule_id, "words", msg("compliance.pack_need_something",
                                                         "given, or patterns, or a check"))
    for field, expressions in (("patterns", patterns), ("exceptions", exceptions)):
        for expression in expressions:
            problem = pattern_problem(expression)
            if problem is not None:
                raise RulePackError(msg("compliance.pack_bad_pattern",
                                        "The rule pack {file}, rule {rule}: the pattern {pattern} in {field} "
                                        "is refused: {problem}",
                                        file=source, rule=rule_id, pattern=expression, field=field, problem=problem),
                                    source=source, rule=rule_id, field=field)
    return Rule(
        id=rule_id, category=category, severity=severity, words=words, patterns=patterns, exceptions=exceptions,
        negatable=negatable, check=check,
        reference=_text_field(item, "reference", source, rule_id),
        message=_localized(item, "message", source, rule_id, required=True),  # type: ignore[arg-type]
        suggestion=_localized(item, "suggestion", source, rule_id, required=False),
        skip_categories=_string_list(item, "skip_categories", source, rule_id),
    )


# --- patterns that could take exponential time -------------------------------------

_REPEATS = {_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(_sre_constants, "POSSESSIVE_REPEAT", None)
if _POSSESSIVE is not None:
    _REPEATS.add(_POSSESSIVE)


def pattern_problem(expression: str) -> Message | None:
    """Why ``expression`` is refused, or None: it must compile and run in linear time."""
    if len(expression) > MAX_PATTERN_LENGTH:
        return msg("compliance.pattern_too_long", "it is longer than {limit} characters.", limit=MAX_PATTERN_LENGTH)
    try:
        parsed = _sre_parse.parse(expression)
        re.compile(expression)
    except (re.error, RecursionError, OverflowError) as exc:
        return msg("compliance.pattern_invalid", "it is not a valid regular expression ({problem}).",
                   problem=str(exc))
    return _walk(parsed, inside_repeat=False)


def _walk(items: Any, *, inside_repeat: bool) -> Message | None:
    for op, arg in items:
        if op in (_sre_constants.GROUPREF, getattr(_sre_constants, "GROUPREF_EXISTS", None)):
            return msg("compliance.pattern_backreference", "back-references are not allowed.")
        if op in _REPEATS:
            low, high, sub = arg
            unbounded_or_many = high == _sre_constants.MAXREPEAT or high > 1
            if unbounded_or_many:
                width_low, width_high = sub.getwidth()
                if width_low != width_high:
                    return msg("compliance.pattern_variable_repeat",
                               "a repeated group that can match text of different lengths (such as (a+)+ or "
                               "(a|aa)*) can take exponential time; repeat single characters or fixed-length "
                               "groups only.")
                if _overlapping_branches(sub):
                    return msg("compliance.pattern_overlapping_branches",
                               "a repeated alternation whose branches can match the same text can take "
                               "exponential time.")
            problem = _walk(sub, inside_repeat=inside_repeat or unbounded_or_many)
            if problem:
                return problem
        elif op == _sre_constants.SUBPATTERN:
            problem = _walk(arg[-1], inside_repeat=inside_repeat)
            if problem:
                return problem
        elif op == _sre_constants.BRANCH:
            for branch in arg[1]:
                problem = _walk(branch, inside_repeat=inside_repeat)
                if problem:
                    return problem
        elif op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
            problem = _walk(arg[1], inside_repeat=inside_repeat)
            if problem:
                return problem
        elif op == getattr(_sre_constants, "ATOMIC_GROUP", None):
            problem = _walk(arg, inside_repeat=inside_repeat)
            if problem:
                return problem
    return None


def _first_chars(items: Any) -> set[Any] | None:
    """The literals a sequence can start with, or None when it can start with anything (a class, a wildcard)."""
    for op, arg in items:
        if op == _sre_constants.LITERAL:
            return {arg}
        if op == _sre_constants.SUBPATTERN:
            return _first_chars(arg[-1])
        if op == _sre_constants.BRANCH:
            firsts: set[Any] = set()
            for branch in arg[1]:
                sub = _first_chars(branch)
                if sub is None:
                    return None
                firsts |= sub
            return firsts
        if op in (_sre_constants.AT,):
            continue
        return None
    return set()


def _overlapping_branches(items: Any) -> bool:
    """Whether an alternation anywhere in a repeated body has branches that may start alike (or anyhow)."""
    for op, arg in items:
        if op == _sre_constants.SUBPATTERN:
            if _overlapping_branches(arg[-1]):
                return True
        elif op == _sre_constants.BRANCH:
            seen: set[Any] = set()
            for branch in arg[1]:
                firsts = _first_chars(branch)
                if not firsts or firsts & seen:
                    return True
                seen |= firsts
                if _overlapping_branches(branch):
                    return True
    return False
