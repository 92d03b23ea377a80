"""The second opinion: a model over character n-grams that adds what the rules cannot list and lowers what they
over-read, trained on the tuning part only."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from console.compliance import Checker, ProductFacts, default_pack
from console.compliance.findings import BLOCK, CATEGORIES, WARN
from console.compliance.normalize import normalize
from console.compliance.opinion import MODEL_PATH, Opinion, codes, default_opinion, ngrams, sentence_ids
from tests.compliance.corpus import TUNING


@pytest.fixture(scope="module")
def shipped() -> Opinion:
    return default_opinion()


def _opinion(base: Opinion, weights: dict[str, dict[str, float]], *, adds: float = 3.0,
             lowers: float = -2.5) -> Opinion:
    """An opinion that knows only the given n-grams: {ngram: {category: weight}}."""
    points = {}
    for gram, by_category in weights.items():
        hashes, _ = ngrams(codes(gram))
        points[int(hashes[-1])] = [by_category.get(c, 0.0) for c in CATEGORIES]   # the whole gram is the last
    order = sorted(points)
    return Opinion(np.array(order, dtype=np.uint64), np.array([points[h] for h in order], dtype=np.float32),
                   np.zeros(len(CATEGORIES)), np.full(len(CATEGORIES), adds), np.full(len(CATEGORIES), lowers),
                   base.trained_on)


def test_the_shipped_opinion_was_trained_on_the_tuning_part_as_it_is(shipped: Opinion) -> None:
    # Retrain (python -m tests.compliance.train_opinion) whenever the tuning part changes; a hold-out never.
    assert shipped.trained_on == hashlib.sha256(TUNING.read_bytes()).hexdigest()
    assert MODEL_PATH.exists() and len(shipped.hashes) > 10_000
    assert np.all(np.diff(shipped.hashes.astype(np.float64)) >= 0)


def test_ngrams_never_cross_a_sentence_stop() -> None:
    from console.compliance.checker import SENTENCE_STOPS
    from console.compliance.opinion import SENTENCE_STOP_CHARS

    assert frozenset(SENTENCE_STOP_CHARS) == SENTENCE_STOPS
    points = codes("好用。再来")
    hashes, starts = ngrams(points)
    inside = {int(h) for h in ngrams(codes("好用"))[0]} | {int(h) for h in ngrams(codes("再来"))[0]}
    assert {int(h) for h in hashes} == inside
    assert sentence_ids(points).tolist() == [0, 0, 0, 1, 1]
    assert len(starts) == len(hashes)


def test_a_sentence_it_reads_as_a_claim_is_blocked_where_no_rule_is(shipped: Opinion) -> None:
    opinion = _opinion(shipped, {"换了个人": {"absolute": 3.5}})
    checker = Checker(default_pack(), opinion=opinion)
    text = "先看颜色。这个颜色穿上就像换了个人！"
    findings = [f for f in checker.check(text) if f.rule == "absolute.second_opinion"]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity == BLOCK and finding.category == "absolute"
    assert text[finding.start:finding.end] == "这个颜色穿上就像换了个人" == finding.text
    assert finding.reference and finding.suggestion
    assert "没有哪条规则" in finding.as_json("zh_CN")["message"]
    assert "no rule names its words" in finding.as_json("en")["message"]


def test_it_adds_nothing_where_a_rule_already_blocks_nor_below_its_threshold(shipped: Opinion) -> None:
    opinion = _opinion(shipped, {"最好": {"absolute": 3.5}, "顺滑": {"absolute": 2.9}})
    checker = Checker(default_pack(), opinion=opinion)
    assert [f.rule for f in checker.check("这是最好的面霜")] == ["absolute.superlative"]
    assert checker.check("口感很顺滑") == []


def test_it_never_adds_a_price_finding(shipped: Opinion) -> None:
    # Whether a price misleads is for the product's facts to say, which the model does not see.
    opinion = _opinion(shipped, {"便宜": {"price": 9.0}})
    assert Checker(default_pack(), opinion=opinion).check("今天真便宜") == []


def test_a_rules_block_in_a_sentence_read_as_clean_only_warns(shipped: Opinion) -> None:
    opinion = _opinion(shipped, {"最好": {"absolute": -5.0}})
    checker = Checker(default_pack(), opinion=opinion)
    [finding] = checker.check("这是最好的面霜")
    assert finding.severity == WARN and finding.rule == "absolute.superlative"
    assert dict(finding.evidence)["second_opinion"] < -2.5
    assert "只提示" in finding.as_json("zh_CN")["message"]
    assert "only warns" in finding.as_json("en")["message"]


def test_the_checks_against_the_facts_and_the_contacts_are_never_lowered(shipped: Opinion) -> None:
    opinion = _opinion(shipped, {"专柜": {"price": -9.0}, "微信": {"off_platform": -9.0},
                                 "只剩": {"scarcity": -9.0}, "电话": {"off_platform": -9.0}})
    checker = Checker(default_pack(), opinion=opinion)
    facts = ProductFacts(category="美妆", counter_price_fen=79_900, live_price_fen=59_900, stock=300)
    text = "专柜价999。只剩3件了。电话13800138000。"
    findings = checker.check(text, facts)
    assert {f.rule for f in findings if f.blocks} >= {"price.reference", "scarcity.stock", "off_platform.phone"}


def test_without_the_opinion_the_rules_stand_alone(shipped: Opinion) -> None:
    text = "这支精华放眼整个美妆圈都找不出对手"
    assert Checker(default_pack(), opinion=False).check(text) == Checker(default_pack(), opinion=None).check(text)


def test_rechecking_a_sentence_gives_what_a_full_check_gives(shipped: Opinion) -> None:
    checker = Checker(default_pack())
    base = "开场先聊两句。这瓶面霜用了一个月，脸上的斑全没了！口感顺滑。" * 3
    first = checker.check(base)
    edited = base.replace("一个月", "两个月", 1)
    assert checker.check(edited) == Checker(default_pack()).check(edited)
    assert first == Checker(default_pack()).check(base)


def test_the_shipped_opinion_scores_a_long_script_in_one_pass(shipped: Opinion) -> None:
    text = normalize("这是一句话。" * 2000).text
    ids, scores = shipped.scores(text)
    assert scores.shape == (2000, len(CATEGORIES)) and len(ids) == len(text)
    assert np.allclose(scores[0], scores[1999])


def test_it_adds_nothing_where_the_facts_have_judged_nor_to_a_question(shipped: Opinion) -> None:
    opinion = _opinion(shipped, {"就剩": {"scarcity": 9.0}, "失眠": {"medical": 9.0}})
    checker = Checker(default_pack(), opinion=opinion)
    # The stock backs the count: the stock check has cleared the sentence, the model does not overrule it.
    assert checker.check("就剩3件了", ProductFacts(category="美妆", stock=3)) == []
    # A question is answered in the next sentence, which may say no.
    assert [f for f in checker.check("这茶能治失眠吗？不能哈") if f.rule.endswith("second_opinion")] == []


def test_a_sentence_it_knows_little_of_is_not_lowered(shipped: Opinion) -> None:
    # The bias alone (a new way of saying a claim, which a rule was written for) lowers nothing.
    opinion = _opinion(shipped, {})
    opinion = Opinion(opinion.hashes, opinion.weights, np.full(len(CATEGORIES), -9.0), opinion.adds_above,
                      opinion.lowers_below, opinion.trained_on)
    [finding] = Checker(default_pack(), opinion=opinion).check("这是最好的面霜")
    assert finding.blocks


def test_the_bucketed_lookup_finds_exactly_the_vocabulary(shipped: Opinion) -> None:
    rng = np.random.default_rng(20261202)
    known = rng.choice(shipped.hashes, 2000)
    unknown = rng.integers(0, 2 ** 63, 2000, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    queries = np.concatenate((known, unknown, shipped.hashes[:1], shipped.hashes[-1:]))
    found, rows = shipped.lookup(queries)
    at = np.searchsorted(shipped.hashes, queries)
    at[at == len(shipped.hashes)] = 0
    expected = shipped.hashes[at] == queries
    assert (found == expected).all() and (rows == at[expected]).all()
    assert found[:2000].all()


def test_it_adds_nothing_to_a_sentence_that_disclaims_will_not_vouch_or_disowns(shipped: Opinion) -> None:
    # The model reads words, not what a negation does to them: the rules' own context decides there.
    opinion = _opinion(shipped, {"换了个人": {"absolute": 5.0}})
    checker = Checker(default_pack(), opinion=opinion)
    assert [f.rule for f in checker.check("穿上就像换了个人")] == ["absolute.second_opinion"]
    for text in ("我不敢说穿上就像换了个人", "我不敢保证你穿上就像换了个人", "穿上唔能话换了个人嘅",
                 "有人说穿上就像换了个人，这话我们不敢说"):
        assert [f.rule for f in Checker(default_pack(), opinion=opinion).check(text)] == [], text


def test_it_adds_nothing_where_a_rules_context_cleared_its_words(shipped: Opinion) -> None:
    # 天花板 as a real ceiling: the absolute rule matched and its exception cleared it; the model may not overrule.
    opinion = _opinion(shipped, {"天花板": {"absolute": 5.0}})
    checker = Checker(default_pack(), opinion=opinion)
    assert checker.check("天花板比较低的家里选吸顶灯") == []
    assert Checker(default_pack(), opinion=False).check("天花板比较低的家里选吸顶灯") == []


def test_it_adds_nothing_where_the_sentence_settles_it(shipped: Opinion) -> None:
    opinion = _opinion(shipped, {"就好了": {"medical": 5.0}, "卖光了": {"scarcity": 5.0}})
    def categories(text: str) -> set[str]:
        return {f.category for f in Checker(default_pack(), opinion=opinion).check(text) if f.blocks}
    # A recovery credited to a doctor's medicine; the next batch coming.
    assert categories("咳嗽了好几天，吃了医院开的药就好了") == set()
    assert categories("卖光了就得等下批货到了") == set()
    # Credited to the product, or no batch coming: blocked.
    assert categories("咳嗽了好几天，喝了两杯这个茶就好了") == {"medical"}
    assert categories("这次卖光了可别后悔") == {"scarcity"}
    assert categories("比医院开的药还管用，喝两天就好了") == {"medical"}
