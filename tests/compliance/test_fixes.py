"""The one-key fix's rewordings: milder words that the checker itself passes, and none where none would do."""

from __future__ import annotations

import pytest

from console.compliance import Checker, ProductFacts, default_pack
from console.compliance.fixes import first_that_passes, rewordings

CHECKER = Checker(default_pack())


def fixed(text: str, facts: ProductFacts | None = None) -> str | None:
    """``text`` with its first blocking finding reworded, or None when no wording passes."""
    facts = facts or ProductFacts(category="cosmetics")
    finding = next(f for f in CHECKER.check(text, facts) if f.blocks)
    wording = first_that_passes(text, finding, rewordings(finding.category, finding.text),
                                lambda t: CHECKER.check(t, facts))
    return None if wording is None else text[:finding.start] + wording + text[finding.end:]


@pytest.mark.parametrize(("claim", "milder"), [
    ("这款面霜是全网最好用的面霜", "很好用"),
    ("这款牛肉干全国销量第一，卖爆了", "很受欢迎"),
    ("这件T恤是顶级的面料", "高端的面料"),
    ("这是史上最低价", "优惠价"),
    ("这条牛仔裤永不褪色", "不易褪色"),
])
def test_a_claim_gets_a_milder_wording_that_passes(claim: str, milder: str) -> None:
    result = fixed(claim)
    assert result is not None and milder in result
    assert not [f for f in CHECKER.check(result, ProductFacts(category="cosmetics")) if f.blocks]


def test_a_counter_price_becomes_the_catalog_s_variable() -> None:
    facts = ProductFacts(category="cosmetics", counter_price_fen=129_900)
    assert fixed("这支口红专柜价1599，今天直播间更优惠", facts) == "这支口红专柜价{counter_price}，今天直播间更优惠"


def test_a_medical_claim_and_a_rank_get_no_wording() -> None:
    assert rewordings("medical", "治疗湿疹") == []
    assert fixed("这款面霜能治疗湿疹") is None
    # Dropping the scope of a rank leaves the rank: no candidate keeps 第一.
    assert all("第一" not in c for c in rewordings("absolute", "同类产品第一名"))


def test_a_candidate_the_check_still_blocks_is_not_offered() -> None:
    text = "这款面霜全网最好"
    finding = next(f for f in CHECKER.check(text) if f.blocks)
    assert first_that_passes(text, finding, ["全网最好"], CHECKER.check) is None
