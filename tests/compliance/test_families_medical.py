"""Medical families added for tuning rounds sixteen to eighteen: each caught in words other than the corpus's,
and its clean look-alikes left alone."""

from __future__ import annotations

from typing import Any

import pytest

from console.compliance import Checker, ProductFacts, default_pack


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(default_pack())


def _medical_blocks(checker: Checker, text: str, product: str) -> list[Any]:
    findings = Checker(checker.pack).check(text, ProductFacts(category=product))
    return [(f.text, f.rule) for f in findings if f.blocks and f.category == "medical"]


# family -> (product, sentences that make a medical claim)
CAUGHT: dict[str, tuple[str, list[str]]] = {
}

# family -> (product, sentences that only look like one)
LEFT_ALONE: dict[str, tuple[str, list[str]]] = {
    # not claiming it: 不代表, 不等于, 不意味着; mistaking it for one: 别看…就以为
    "not-implied": ("food", [
        "低糖不代表吃了就能控制血糖", "脱脂奶不等于喝了就能减肥", "有机不意味着能治病",
        "别看名字里有个参就以为能补肾", "不要以为贴了它就能治失眠"]),
    # nothing to count on: 别指望…就…
    "not-counted-on": ("clothing", [
        "收腹裤只是穿着好看，可别指望一穿就减肥", "甭指望泡了脚就降血压"]),
    # Cantonese negations: 唔系, 冇, 唔能
    "cantonese-negation": ("tea_liquor", [
        "呢款酒唔系药，冇补肾功效", "普洱茶唔能降血脂嘅", "佢冇助眠作用，睇个人"]),
    # someone else's claim, disowned at the start of the next clause
    "hearsay-disowned": ("jewellery", [
        "网上讲戴朱砂能防病，那纯属迷信", "弹幕问喝这个能不能降尿酸，这我可不敢保证",
        "有人说这款红枣能补血，我们不这么说，就是好吃", "听说戴貔貅能治失眠，都是瞎说的"]),
    # what it cannot prevent (防不了, 防不住)
    "cannot-prevent": ("baby", ["蚊帐只是挡蚊子，防不住病", "这个口罩预防不了流感，人多的地方少去"]),
    # a condition whose medicine is still to be taken, or whose matters go to a doctor
    "medicine-still-taken": ("food", [
        "有高血脂的叔叔阿姨，该吃的药别停", "这款燕麦片好吃，降压药还得按医嘱吃",
        "湿疹的问题找儿科大夫", "过敏这种事交给医生"]),
    # taken to a hospital for treatment or a check
    "to-hospital": ("baby", ["宝宝起疹子了，请带孩子去医院检查", "颈椎病还是要去医院治疗，靠枕只是靠着舒服"]),
    # 治愈 in a colour's name
    "healing-colour": ("clothing", ["这条裙子是治愈粉", "新到的治愈色毛衣，软糯亲肤"]),
}


def _cases(table: dict[str, tuple[str, list[str]]]) -> list[Any]:
    return [pytest.param(product, text, id=f"{family}-{i}")
            for family, (product, texts) in table.items() for i, text in enumerate(texts)]


@pytest.mark.parametrize(("product", "text"), _cases(CAUGHT))
def test_each_medical_family_is_caught(checker: Checker, product: str, text: str) -> None:
    assert _medical_blocks(checker, text, product)


@pytest.mark.parametrize(("product", "text"), _cases(LEFT_ALONE))
def test_each_medical_family_leaves_its_look_alikes(checker: Checker, product: str, text: str) -> None:
    assert not _medical_blocks(checker, text, product)


def test_a_claim_not_disowned_in_the_next_clause_still_blocks(checker: Checker) -> None:
    for text in ("这个茶能降血压，这都是真实反馈", "这个茶能降血压，这可不是瞎说", "这个茶能降血压。这都是骗人的？",
                 "不是药，但喝了就能降血压"):
        assert _medical_blocks(checker, text, "tea_liquor"), text
