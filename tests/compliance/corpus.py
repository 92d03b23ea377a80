"""The labelled corpus and its scoring: recall on violations, clean sentences passed, and a word-list baseline.

Each corpus line is ``sentence<TAB>expected<TAB>product<TAB>facts``: expected is
``clean`` or the categories the sentence breaks (comma-separated); product the
kind of goods; facts, optional, ``counter=1999;low7=1599;live=1299;stock=30``
(yuan and pieces) as the catalog, the price history and the stock would give them.

A violation counts as caught when every expected category has a ``block``
finding; a clean sentence passes when it has no ``block`` finding (a
warning is allowed: it tells the anchor to look, it does not stop approval).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from console.compliance import Checker, Finding, ProductFacts, RulePack, default_pack

CORPUS = Path(__file__).with_name("corpus")
TUNING = CORPUS / "tuning.tsv"
HOLDOUT = CORPUS / "holdout.tsv"
# Written later by someone who had not seen the rules, after the seventh tuning round; never tuned on either.
HOLDOUT_2 = CORPUS / "holdout2.tsv"
# Written from the labelling guide by someone blind to the rules and the other parts, before rounds eight and nine
# were tuned on; scored once, after them.
HOLDOUT_3 = CORPUS / "holdout3.tsv"
# Written from the rewritten guide (corpus/GUIDE.md) by a writer blind to the rules and the other parts, before
# rounds ten and eleven were tuned on; scored once, after them.
HOLDOUT_4 = CORPUS / "holdout4.tsv"
# Written the same way, before rounds twelve and thirteen were tuned on; scored once, after them.
HOLDOUT_5 = CORPUS / "holdout5.tsv"
# And again, before rounds fourteen and fifteen were tuned on; scored once, after them.
HOLDOUT_6 = CORPUS / "holdout6.tsv"
# And again, before rounds sixteen to eighteen were tuned on; scored once, after them.
HOLDOUT_7 = CORPUS / "holdout7.tsv"
# Written the same way after rounds sixteen to eighteen were tuned on, before the second opinion was trained.
HOLDOUT_8 = CORPUS / "holdout8.tsv"
# Written the same way at the same time as rounds nineteen to twenty-four, before they were tuned on and before the
# second opinion was retrained with its features and thresholds chosen.
HOLDOUT_9 = CORPUS / "holdout9.tsv"
HOLDOUTS = (("hold-out", HOLDOUT), ("second hold-out", HOLDOUT_2), ("third hold-out", HOLDOUT_3),
            ("fourth hold-out", HOLDOUT_4), ("fifth hold-out", HOLDOUT_5), ("sixth hold-out", HOLDOUT_6),
            ("seventh hold-out", HOLDOUT_7), ("eighth hold-out", HOLDOUT_8), ("ninth hold-out", HOLDOUT_9))


@dataclass(frozen=True)
class Sentence:
    text: str
    expected: frozenset[str]
    product: str
    facts: ProductFacts
    line: int

    @property
    def clean(self) -> bool:
        return not self.expected


def _facts(product: str, written: str) -> ProductFacts:
    values: dict[str, Decimal] = {}
    for part in filter(None, (p.strip() for p in written.split(";"))):
        key, _, value = part.partition("=")
        values[key.strip()] = Decimal(value)   # prices in yuan, 39.9 too

    def fen(key: str) -> int | None:
        return int(values[key] * 100) if key in values else None
    stock = values.get("stock")
    return ProductFacts(category=product or None, counter_price_fen=fen("counter"), lowest_7d_fen=fen("low7"),
                        live_price_fen=fen("live"), stock=None if stock is None else int(stock))


def read(path: Path) -> list[Sentence]:
    sentences = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t") + ["", "", ""]
        text, expected, product, facts = (c.strip() for c in cells[:4])
        categories = frozenset() if expected == "clean" else frozenset(e.strip() for e in expected.split(","))
        sentences.append(Sentence(text, categories, product, _facts(product, facts), number))
    return sentences


@dataclass(frozen=True)
class Score:
    violations: int
    caught: int
    clean: int
    passed: int
    missed: tuple[Sentence, ...]
    false_blocks: tuple[tuple[Sentence, tuple[Finding, ...]], ...]

    @property
    def recall(self) -> float:
        return self.caught / self.violations if self.violations else 1.0

    @property
    def clean_pass(self) -> float:
        return self.passed / self.clean if self.clean else 1.0

    def describe(self, name: str) -> str:
        return (f"{name}: recall {self.recall:.1%} ({self.caught}/{self.violations}), "
                f"clean passed {self.clean_pass:.1%} ({self.passed}/{self.clean})")


Check = Callable[[Sentence], list[Finding]]


def score(sentences: Iterable[Sentence], check: Check) -> Score:
    violations = caught = clean = passed = 0
    missed: list[Sentence] = []
    false_blocks: list[tuple[Sentence, tuple[Finding, ...]]] = []
    for sentence in sentences:
        findings = check(sentence)
        blocked = {f.category for f in findings if f.blocks}
        if sentence.clean:
            clean += 1
            if blocked:
                false_blocks.append((sentence, tuple(f for f in findings if f.blocks)))
            else:
                passed += 1
        else:
            violations += 1
            if sentence.expected <= blocked:
                caught += 1
            else:
                missed.append(sentence)
    return Score(violations, caught, clean, passed, tuple(missed), tuple(false_blocks))


def checker_check(pack: RulePack | None = None) -> Check:
    checker = Checker(pack or default_pack())
    return lambda sentence: checker.check(sentence.text, sentence.facts)


# --- the baseline: a plain word list, as the checkers anchors have learnt to ignore --------------

# The bare trigger words such a list holds for what the pack matches with patterns and checks.
BASELINE_TRIGGERS = {
    "absolute": ["最", "第一", "首", "唯一", "顶级", "极品", "best", "no.1", "number one", "cheapest"],
    "medical": ["治", "疗", "药", "菌", "免疫", "cure", "heal", "treat"],
    "guarantee": ["保证", "无效退款", "见效", "100%", "百分百", "永不", "guarantee", "risk free"],
    "price": ["原价", "专柜价", "吊牌价", "门店价", "平时卖", "出厂价", "成本价", "亏本", "original price"],
    "scarcity": ["只剩", "仅剩", "就剩", "最后", "库存告急", "售罄", "手慢无", "only", "left"],
    "off_platform": ["微信", "vx", "qq", "扣扣", "电话", "转账", "二维码", "私聊", "wechat"],
}


def baseline_check(pack: RulePack | None = None) -> Check:
    """Substring search of the pack's words and the triggers in the raw text; any hit blocks."""
    pack = pack or default_pack()
    words: list[tuple[str, str]] = [(w, r.category) for r in pack.rules for w in r.words]
    words += [(w, category) for category, triggers in BASELINE_TRIGGERS.items() for w in triggers]

    def check(sentence: Sentence) -> list[Finding]:
        lowered = sentence.text.lower()
        found = []
        for word, category in words:
            at = lowered.find(word)
            if at >= 0:
                found.append(Finding(category, "block", at, at + len(word), sentence.text[at:at + len(word)],
                                     "baseline", _BASELINE_MESSAGE, ""))
        return found

    return check


from console.i18n import msg as _msg  # noqa: E402  (only for the baseline's findings)

_BASELINE_MESSAGE = _msg("compliance.rule_text", "{text}", text="baseline")


def report() -> str:
    lines = []
    for name, path in (("tuning", TUNING), *HOLDOUTS):
        sentences = read(path)
        lines.append(score(sentences, checker_check()).describe(f"checker, {name}"))
        lines.append(score(sentences, baseline_check()).describe(f"word list, {name}"))
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(report())
    if "-v" in sys.argv:
        for path in (TUNING,) if "--holdout" not in sys.argv else (HOLDOUT,):
            result = score(read(path), checker_check())
            for s in result.missed:
                print("MISSED", s.line, s.text, sorted(s.expected))
            for s, fs in result.false_blocks:
                print("FALSE", s.line, s.text, [(f.category, f.text, f.rule) for f in fs])
