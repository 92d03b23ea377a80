"""The compliance checker: a rule pack applied to a script, with context, negation and the product's facts.

``Checker(pack).check(text, product)`` returns the findings sorted by start.
The editor calls it on every keystroke; it stays fast because:

* a check of a whole text normalises it once and runs each rule's one
  compiled expression over it (C speed), then judges only the matches;
* :meth:`Checker.recheck` (and :meth:`Checker.check` itself, which remembers the
  last text it checked for the same product) re-scans only the sentences an
  edit touched: the common prefix and suffix of the old and new text are
  found, the changed stretch is widened to whole sentences (rules never match
  across 。！？; or a line break), that stretch is checked, and the findings
  before it are kept and those after it shifted by the edit's length.

Context that keeps a match from being a finding, in this order:

1. the rule's own ``exceptions`` (最近 and 最后一天 for 最, 第一次 for 第一,
   我个人最喜欢 for 最喜欢): a match inside an exception's match is none;
2. negation and disclaimers, for rules marked ``negatable``: a negation
   earlier in the same clause (这不是药品，不能替代治疗; "does not cure");
3. the product's facts, for the built-in checks: a counter price equal to
   the catalog's evidenced one, "only 3 left" when 3 are left.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from console.compliance.findings import BLOCK, WARN, Finding, ProductFacts
from console.compliance.normalize import Normalized, normalize
from console.compliance.numbers import AMOUNT, amount_value, fen
from console.compliance.pack import Rule, RulePack
from console.i18n import Localized, Message, Money, msg

# Rules never match across these, so an edit only ever changes the findings of the sentences it touches.
SENTENCE_STOPS = frozenset("。！？!?；;\n")
_CLAUSE_STOPS = frozenset("，。！？；：、,!?;:\n")
_NEGATION = re.compile(
    r"(?:不是|并不是|并非|不属于|不能替代|不能代替|不可替代|不可代替|替代不了|代替不了|无法替代|不能取代|不具有|不具备|"
    r"不宣称|不涉及|不能用于|不用于|不能说|不敢说|不会说|不要说|没有说|不说|不承诺|没法保证|不能保证|不敢保证|不保证|"
    r"不建议|不能|没有|并没有|不可以|不可|别|勿|请勿|禁止|"
    r"(?<![a-z])(?:not|no|never|cannot|can ?t|isn ?t|doesn ?t|don ?t|won ?t|nor|without)(?![a-z]))")
# After a negation, these turn the sentence back into a claim (不用吃药就能治好).
_REVERSAL = re.compile(r"就|也能|都能|照样|一样能|却|但|反而|(?<![a-z])(?:but|yet|still)(?![a-z])")
_NEGATION_REACH = 14

_UNIT_CN = "件|个|套|瓶|盒|份|单|支|罐|箱|台|只|双|条|把|块|袋|包|组|对|款|斤|克|根|张|片|粒|桶|提"
_PRICE_TAIL = r"(?:元|块钱|块|rmb|yuan|人民币)?"
_CURRENCY = r"(?:¥|\$|rmb|cny|人民币)?"
_COUNTER_LABELS = ("专柜价", "专柜卖", "专柜要", "专柜", "吊牌价", "吊牌", "柜台价", "柜台卖", "门店价", "商场价",
                   "零售价", "建议零售价", "官方价", "官网价", "官方指导价", "市场价", "counter price", "retail price",
                   "list price", "rrp", "tag price", "in store price", "in-store price")
_ORIGINAL_LABELS = ("原价", "日常价", "平时价", "平时卖", "平常卖", "平时要", "之前卖", "之前要", "以前卖", "划线价",
                    "常规价", "正常价", "正价", "original price", "regular price", "usually", "normally", "was")
_LIVE_LABELS = ("直播价", "到手价", "现在只要", "今天只要", "直播间只要", "秒杀价", "活动价", "福利价", "券后价",
                "现价", "live price", "now only", "today only", "now just")


def _labels(labels: Sequence[str]) -> str:
    parts = []
    for label in sorted(labels, key=len, reverse=True):
        escaped = re.escape(label).replace(r"\ ", " ?")
        parts.append(f"(?<![a-z]){escaped}(?![a-z])" if label.isascii() else escaped)
    return "|".join(parts)


_PRICE_REFERENCE = re.compile(
    rf"(?P<label>{_labels(_COUNTER_LABELS)}|{_labels(_ORIGINAL_LABELS)})"
    rf"(?:是|要|卖|为|都要|都是|都卖|都得|就要|可是|足足|高达|:| is| of| at)? ?{_CURRENCY} ?"
    rf"(?P<amount>{AMOUNT}){_PRICE_TAIL}")
_LIVE_PRICE = re.compile(
    rf"(?P<label>{_labels(_LIVE_LABELS)})(?:是|为|:| is)? ?{_CURRENCY} ?(?P<amount>{AMOUNT}){_PRICE_TAIL}")
_STOCK_CLAIM = re.compile(
    r"(?P<label>只剩下?|仅剩下?|就剩下?|还剩下?|剩下|最后|库存只有|只有|仅有|仅此|就这|"
    r"(?<![a-z])(?:only|just|last)(?![a-z]))(?:最后)? ?"
    r"(?P<amount>\d{1,5}|[一二两三四五六七八九十百千]{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|a few) ?"
    rf"(?P<unit>{_UNIT_CN}|pieces?|units?|bottles?|sets?|boxes|items?|left|in stock)"
    r"(?: left| in stock)?(?:了|啦|哦|啊|呀|喽|咯|库存|现货)?(?=$|[，。！？；,.!?;\n ]|了|啦)")
_PHONE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)|"
                    r"(?:电话|手机号?|号码|座机|打给我|联系我|(?<![a-z])(?:call|phone|tel|whatsapp)(?![a-z]))"
                    r"(?:是|为|:)? ?\+?\d{7,12}(?!\d)")
_WECHAT_ID = re.compile(r"(?:(?<![a-z])(?:vx|wx|weixin|wechat|v信)|微信|薇信|威信|维信|徽信|卫信|魏信|围信|微)"
                        r"号?(?:是|为)?[:]? ?(?P<id>[a-z][a-z0-9_-]{5,19})(?![a-z0-9_-])|"
                        r"(?<![a-z])v号?: ?(?P<id2>[a-z][a-z0-9_-]{5,19})(?![a-z0-9_-])")
_QQ_ID = re.compile(r"(?:(?<![a-z])qq|扣扣|抠抠|叩叩|蔻蔻|企鹅|(?<![a-z])q号)(?:号|群)?(?:是|为)?[:]? ?\d{5,11}(?!\d)")


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    finder: re.Pattern[str] | None
    exceptions: re.Pattern[str] | None


def _word_expression(word: str) -> str:
    escaped = re.escape(word).replace(r"\ ", " ?")
    if word[:1].isascii() and word[:1].isalpha():
        escaped = "(?<![a-z])" + escaped
    if word[-1:].isascii() and word[-1:].isalpha():
        escaped += "(?![a-z])"
    return escaped


def _compile(rule: Rule) -> _Compiled:
    builtin = {"phone": _PHONE, "wechat_id": _WECHAT_ID, "qq_id": _QQ_ID, "price_reference": _PRICE_REFERENCE,
               "live_price": _LIVE_PRICE, "stock_claim": _STOCK_CLAIM}
    alternatives = [*rule.patterns, *(_word_expression(w) for w in sorted(rule.words, key=len, reverse=True))]
    if rule.check is not None:
        finder: re.Pattern[str] | None = builtin[rule.check]
    else:
        finder = re.compile("|".join(f"(?:{a})" for a in alternatives)) if alternatives else None
    exceptions = re.compile("|".join(f"(?:{e})" for e in rule.exceptions)) if rule.exceptions else None
    return _Compiled(rule, finder, exceptions)


def _pack_text(value: Localized, matched: str) -> Message:
    # The pack's wording comes in both languages; {text} is the words the anchor wrote.
    filled = Localized(tuple((lang, words.replace("{text}", matched)) for lang, words in value.texts))
    return msg("compliance.rule_text", "{text}", text=filled)


class Checker:
    """A rule pack compiled once; :meth:`check` many times (the editor, the approval, the CLI)."""

    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        self._rules = tuple(_compile(rule) for rule in pack.rules)
        self._last: tuple[str, ProductFacts | None, tuple[Finding, ...]] | None = None

    # --- the public interface -------------------------------------------------------

    def check(self, text: str, product: ProductFacts | None = None) -> list[Finding]:
        """Every finding in ``text``, sorted by start; re-uses the last check when only an edit lies between."""
        last = self._last
        if last is not None and last[1] == product and last[0] != text:
            return self.recheck(last[0], list(last[2]), text, product)
        if last is not None and last[1] == product and last[0] == text:
            return list(last[2])
        findings = self._scan(text, 0, len(text), product)
        self._last = (text, product, tuple(findings))
        return findings

    def recheck(self, old_text: str, old_findings: Sequence[Finding], new_text: str,
                product: ProductFacts | None = None) -> list[Finding]:
        """The findings of ``new_text``, given those of ``old_text``: only the edited sentences are checked again."""
        prefix = _common_prefix(old_text, new_text)
        suffix = _common_suffix(old_text, new_text, prefix)
        old_end = len(old_text) - suffix
        new_end = len(new_text) - suffix
        start = _sentence_start(new_text, prefix)
        stop_new = _sentence_end(new_text, new_end)
        delta = len(new_text) - len(old_text)
        stop_old = stop_new - delta
        kept_before = [f for f in old_findings if f.end <= start and f.start < start]
        kept_after = [f.shifted(delta) for f in old_findings if f.start >= stop_old and f.start >= old_end]
        middle = self._scan(new_text, start, stop_new, product)
        findings = sorted([*kept_before, *middle, *kept_after], key=_order)
        self._last = (new_text, product, tuple(findings))
        return findings

    # --- scanning -------------------------------------------------------------------

    def _scan(self, text: str, start: int, stop: int, product: ProductFacts | None) -> list[Finding]:
        if start >= stop:
            return []
        window = text[start:stop]
        norm = normalize(window)
        found: list[Finding] = []
        for compiled in self._rules:
            if compiled.finder is None:
                continue
            for match in compiled.finder.finditer(norm.text):
                if match.end() == match.start():
                    continue
                finding = self._judge(compiled, match, norm, window, product)
                if finding is not None:
                    found.append(finding.shifted(start) if start else finding)
        return _settle(found)

    def _judge(self, compiled: _Compiled, match: re.Match[str], norm: Normalized, window: str,
               product: ProductFacts | None) -> Finding | None:
        rule = compiled.rule
        ms, me = match.span()
        clause_start, clause_end = _clause(norm.text, ms, me)
        if compiled.exceptions is not None:
            for exception in compiled.exceptions.finditer(norm.text, clause_start, clause_end):
                if exception.start() <= ms and exception.end() >= me:
                    return None
        if rule.negatable and _negated(norm.text, clause_start, ms):
            return None
        start, end = norm.span(ms, me)
        written = window[start:end]
        severity = rule.severity
        message = _pack_text(rule.message, written)
        evidence: tuple[tuple[str, Any], ...] = ()
        if rule.check is not None:
            judged = _CHECKS[rule.check](match, product)
            if judged is False:
                return None
            if judged is not None:
                severity, message, evidence = judged
        elif rule.category == "medical" and product is not None:
            severity, message = _medical(rule, written, product, severity, message)
        suggestion: Message | str = "" if rule.suggestion is None else _pack_text(rule.suggestion, written)
        return Finding(rule.category, severity, start, end, written, rule.id, message, rule.reference,
                       suggestion, evidence)


# --- context ------------------------------------------------------------------------


def _clause(text: str, ms: int, me: int) -> tuple[int, int]:
    start = ms
    limit = max(0, ms - 40)
    while start > limit and text[start - 1] not in _CLAUSE_STOPS:
        start -= 1
    end = me
    limit = min(len(text), me + 40)
    while end < limit and text[end] not in _CLAUSE_STOPS:
        end += 1
    return start, end


def _negated(text: str, clause_start: int, ms: int) -> bool:
    begin = max(clause_start, ms - _NEGATION_REACH)
    before = text[begin:ms]
    last = None
    for last in _NEGATION.finditer(before):
        pass
    if last is None:
        return False
    return _REVERSAL.search(before, last.end()) is None


def _medical(rule: Rule, written: str, product: ProductFacts, severity: str,
             message: Message) -> tuple[str, Message]:
    if product.medical_allowed:
        return WARN, msg("compliance.medical_allowed_category",
                         "“{text}” is a medical claim: this product's category may make one, but only as its "
                         "registration states it.", text=written)
    if product.category:
        return BLOCK, msg("compliance.medical_not_allowed",
                          "“{text}” is a medical claim, and a {category} product may make none.",
                          text=written, category=product.category)
    return severity, message


# --- the built-in checks against the product's facts ---------------------------------------

Judged = tuple[str, Message, tuple[tuple[str, Any], ...]] | None | bool


def _check_price_reference(match: re.Match[str], product: ProductFacts | None) -> Judged:
    if product is None:
        return None   # the pack's own severity and words: say only an evidenced price
    stated = fen(match.group("amount"))
    if stated is None:
        return False
    label = match.group("label")
    is_counter = any(label.replace(" ", "") == c.replace(" ", "") for c in _COUNTER_LABELS)
    counter, lowest = product.counter_price_fen, product.lowest_7d_fen
    said = Money(stated)
    if is_counter:
        if counter is None:
            return BLOCK, msg("compliance.price_no_evidence",
                              "The catalog has no evidenced counter price for this product, so “{label} {said}” "
                              "cannot be said.", label=label, said=said), (("counter_price_fen", None),)
        if stated != counter:
            return BLOCK, msg("compliance.price_counter_differs",
                              "You say the counter price is {said}, but the catalog's evidenced counter price is "
                              "{counter}.", said=said, counter=Money(counter)), (("counter_price_fen", counter),)
        return False
    if lowest is not None:
        if stated > lowest:
            return BLOCK, msg("compliance.price_above_7d_lowest",
                              "You give {said} as the original price, but the lowest price of the last 7 days was "
                              "{lowest}: an original price may not be higher.",
                              said=said, lowest=Money(lowest)), (("lowest_7d_fen", lowest),)
        return False
    if counter is not None:
        if stated != counter:
            return BLOCK, msg("compliance.price_counter_differs",
                              "You say the counter price is {said}, but the catalog's evidenced counter price is "
                              "{counter}.", said=said, counter=Money(counter)), (("counter_price_fen", counter),)
        return False
    return BLOCK, msg("compliance.price_original_no_evidence",
                      "Neither an evidenced counter price nor a 7-day price history backs the original price "
                      "{said}.", said=said), (("lowest_7d_fen", None),)


def _check_live_price(match: re.Match[str], product: ProductFacts | None) -> Judged:
    if product is None or product.live_price_fen is None:
        return False
    stated = fen(match.group("amount"))
    if stated is None or stated == product.live_price_fen:
        return False
    return WARN, msg("compliance.live_price_differs",
                     "You say {said}, but the live price is {live}; write {{live_price}} so the price shown is "
                     "always the current one.", said=Money(stated), live=Money(product.live_price_fen)), (
        ("live_price_fen", product.live_price_fen),)


def _check_stock(match: re.Match[str], product: ProductFacts | None) -> Judged:
    stated = amount_value(match.group("amount"))
    if stated is None:
        return False
    if product is None or product.stock is None:
        return None
    if product.stock > stated:
        return BLOCK, msg_stock(int(stated), product.stock), (("stock", product.stock),)
    return False


def msg_stock(stated: int, stock: int) -> Message:
    return msg("compliance.stock_differs",
               "You say only {stated} are left, but the stock shows {stock}: that is invented scarcity; "
               "write {{stock}} instead.", stated=stated, stock=stock)


def _check_contact(match: re.Match[str], product: ProductFacts | None) -> Judged:
    return None


_CHECKS: dict[str, Callable[[re.Match[str], ProductFacts | None], Judged]] = {
    "price_reference": _check_price_reference,
    "live_price": _check_live_price,
    "stock_claim": _check_stock,
    "phone": _check_contact,
    "wechat_id": _check_contact,
    "qq_id": _check_contact,
}


# --- helpers --------------------------------------------------------------------------------


def _order(finding: Finding) -> tuple[int, int, str]:
    return finding.start, finding.end, finding.rule


def _settle(found: list[Finding]) -> list[Finding]:
    """Sorted, and of two overlapping findings of one category only the stronger (block, then longer)."""
    found.sort(key=lambda f: (f.category, f.start, 0 if f.blocks else 1, -(f.end - f.start)))
    kept: list[Finding] = []
    last_by_category: dict[str, Finding] = {}
    for finding in found:
        previous = last_by_category.get(finding.category)
        if previous is not None and finding.start < previous.end:
            if finding.blocks and not previous.blocks:
                kept.remove(previous)
            else:
                continue
        kept.append(finding)
        last_by_category[finding.category] = finding
    kept.sort(key=_order)
    return kept


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    low, high = 0, limit
    # Binary search on slices compares in C, far faster than a character loop on a long script.
    while low < high:
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, prefix: int) -> int:
    limit = min(len(a), len(b)) - prefix
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid:] == b[len(b) - mid:]:
            low = mid
        else:
            high = mid - 1
    return low


def _sentence_start(text: str, index: int) -> int:
    # Back past the sentence stop just before the edit too: deleting a stop joins two sentences.
    index = min(index, len(text))
    i = index - 1
    while i >= 0 and text[i] not in SENTENCE_STOPS:
        i -= 1
    return i + 1 if i >= 0 else 0


def _sentence_end(text: str, index: int) -> int:
    i = index
    while i < len(text) and text[i] not in SENTENCE_STOPS:
        i += 1
    return min(len(text), i + 1)
