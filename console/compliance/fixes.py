"""Rewordings a finding's words may take: the candidates behind the editor's one-key fix.

A rule's suggestion is often advice ("说具体的事实") that no program can put in
for the anchor. Many claims, though, have a plain, milder wording that says
the same without the claim: 全网最好用 → 很好用, 顶级 → 高端, 永不褪色 → 不易褪色,
专柜价1999 → 专柜价{counter_price}. :func:`rewordings` offers such candidates for
a finding's words; they are only candidates: the caller checks the text with
each in place and offers the first that leaves no blocking finding of the
same category there (:func:`first_that_passes`), so a candidate that would
still break the law, or read wrongly, is never put in.

Medical claims get none: their fix is to leave the claim out, and what is left
of the sentence is the anchor's to write.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

_HAN = r"\u4e00-\u9fff"

# Absolute terms, Chinese: (pattern, wording), applied in order to the words found.
_ABSOLUTE_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), w) for p, w in (
    (r"[，,]?\s*没有之一", ""),
    (r"(极品|精品|王者|战斗机)中的\1", "精品"),
    (rf"([{_HAN}]{{1,4}})界的(?:天花板|扛把子|王者|霸主|战斗机)", r"\1里的好选择"),
    (r"(?:历史|史上|全年|全网|全国)?最低价|最低的价格?", "优惠价"),
    (r"(?:全网|全国|全球|全世界|世界上|全城|全场|史上|宇宙|行业内?|业界|同类(?:产品)?(?:里|中)?|市面上)(?=.)", ""),
    (r"(?:世界级|国家级|国际级)", "专业"),
    (r"最便宜", "很实惠"),
    (r"最(?:好|棒|强|牛|佳)", "很好"),
    (rf"最(?=[{_HAN}])", "很"),
    (r"(?:销量|销售额|人气|口碑)(?:第一|冠军|no\.?1|top\s?1)", "很受欢迎"),
    (r"第一品牌|头号品牌", "知名品牌"),
    (r"顶级|顶配|至尊", "高端"),
    (r"极品", "上等"),
    (r"完美无瑕|完美", "出色"),
    (r"天花板|王者|巅峰|霸主|扛把子", "出色"),
    (r"无敌|无人能及|无与伦比", "很出色"),
    (r"独一无二|绝无仅有|独家首创|史无前例", "很有特色"),
    (r"吊打(?:一切|所有|同类|大牌)?", "不输"),
))

_ABSOLUTE_EN: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), w) for p, w in (
    (r"\bthe\s+best(?:\s+ever)?\b", "a great"),
    (r"\bbest[- ]selling\b", "popular"),
    (r"\b(?:number\s+one|no\.?\s?1|#1)\b", "popular"),
    (r"\bperfect\b", "lovely"),
    (r"\bunbeatable\b", "good"),
))

# Guarantees of a result: the promise goes, the plain statement stays.
_GUARANTEE_ZH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), w) for p, w in (
    (r"[，,]?\s*我(?:跟你|向你|给你|跟大家)?(?:们)?保证", ""),
    (r"永不|永远不会?|一辈子都?不会?", "不易"),
    (r"(?:保证|包你|包您|百分之百|百分百|100\s?%|绝对|肯定|一定|必定|必然)(?:能|会|可以)?", ""),
    (r"(?:稳赚不赔|稳赚|只涨不跌|只会升值|买到就是赚到|买了就是赚)", ""),
))

_GUARANTEE_EN: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), w) for p, w in (
    (r"\bguaranteed?\s+(?:to\s+)?", ""),
    (r"\b100\s?%\s+", ""),
    (r"\bnever\s+fades?\b", "holds its colour well"),
))

# A stated counter price that the store cannot back: the amount becomes the catalog's.
_COUNTER_WORDS = r"(?:专柜价|专柜|吊牌价|吊牌|门店价|门店|官方价|官网价|counter\s+price|tag\s+price)"
_AMOUNT = r"(?:[¥￥]\s?)?[0-9０-９][0-9０-９,，.]*\s*(?:元|块钱?|rmb|yuan)?|[零〇一二两三四五六七八九十百千万]+\s*(?:元|块钱?)"
_COUNTER_PRICE = re.compile(rf"({_COUNTER_WORDS}\s*(?:是|才|要|卖|都要|要卖|[:：])?\s*)({_AMOUNT})", re.IGNORECASE)


def rewordings(category: str, words: str, language: str = "zh_CN") -> list[str]:
    """Milder wordings for ``words`` (a finding's text) in ``category``, the likeliest first; none for medical."""
    if category == "price":
        replaced = _COUNTER_PRICE.sub(lambda m: m.group(1) + "{counter_price}", words, count=1)
        return [replaced] if replaced != words else []
    tables = {"absolute": (_ABSOLUTE_ZH, _ABSOLUTE_EN), "guarantee": (_GUARANTEE_ZH, _GUARANTEE_EN)}.get(category)
    if tables is None:
        return []
    chinese = language.startswith("zh") or re.search(f"[{_HAN}]", words) is not None
    table = tables[0] if chinese else tables[1]
    candidates: list[str] = []
    whole = words
    for pattern, wording in table:
        whole = pattern.sub(wording, whole)
    one_at_a_time = [pattern.sub(wording, words, count=1) for pattern, wording in table]
    for candidate in (whole, *one_at_a_time):
        candidate = _tidy(candidate)
        if candidate != words and candidate.strip() and candidate not in candidates \
                and not _RANK.search(candidate):
            candidates.append(candidate)
    return candidates


def first_that_passes(text: str, finding: Any, candidates: Iterable[str],
                      check: Callable[[str], Sequence[Any]]) -> str | None:
    """The first candidate that, put in place of ``finding``'s words, leaves no blocking finding of its
    category over that stretch of ``check(new_text)``; None when every one still breaks the rule."""
    for candidate in candidates:
        changed = text[:finding.start] + candidate + text[finding.end:]
        end = finding.start + len(candidate)
        still = [f for f in check(changed) if f.severity == "block" and f.category == finding.category
                 and f.start < max(end, finding.start + 1) + 2 and f.end > finding.start - 2]
        if not still:
            return candidate
    return None


# A rank left standing (同类产品第一名 → 第一名) is still the claim, whatever a check says of it.
_RANK = re.compile(r"第一|冠军|no\.?\s?1|top\s?1|#1", re.IGNORECASE)


def _tidy(words: str) -> str:
    """Doubled words a substitution can leave (很很好, 很很受欢迎) made single; spaces left at the edges dropped."""
    words = re.sub(r"很+(?=很)", "", words)
    words = re.sub(r"(很好)(?:用的?)?很好", r"\1", words)
    return words.strip(" ，,")
