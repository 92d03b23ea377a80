"""Medical families added for tuning rounds sixteen to eighteen: each caught in words other than the corpus's,
and its clean look-alikes left alone."""

from __future__ import annotations

from typing import Any

import pytest

from console.compliance import Checker, ProductFacts


def _medical_blocks(checker: Checker, text: str, product: str) -> list[Any]:
    findings = Checker(checker.pack).check(text, ProductFacts(category=product))
    return [(f.text, f.rule) for f in findings if f.blocks and f.category == "medical"]


# family -> (product, sentences that make a medical claim)
CAUGHT: dict[str, tuple[str, list[str]]] = {
    # qi and blood made good, periods regular again, a deficiency made up, fewer trips at night
    "body-restored": ("food", [
        "坚持吃这个红枣桂圆，气血慢慢就补上来了", "我表姐吃了仨月，例假也准了", "我老公阳虚，喝了半年都补回来了",
        "我爸喝了这个酒，起夜都少了"]),
    # after drinking or eating it, the back, knees or joints no longer ache (Cantonese too)
    "aches-gone-after-use": ("tea_liquor", [
        "食咗呢个，膝头都唔痛", "吃完这个药膳汤，关节也不疼", "喝了三个月我们的药酒，腰腿都不痛"]),
    # a tea that turns into medicine with the years
    "tea-turns-medicine": ("tea_liquor", ["这饼放十年就是药", "一年茶，三年药，七年宝", "这普洱存上几年就能当药"]),
    # a rash no longer red or itching, a sore healed
    "rash-and-sore-healed": ("baby", [
        "涂上去，第二天就不红不痒", "烫伤的地方抹了三天就愈合了", "蚊子咬的包涂了很快就不红不肿了",
        "磕破的膝盖愈合得特别快"]),
    # ill for days, then used for a day or two and well again
    "ill-then-well": ("food", [
        "我儿子烧了两天，喝了一包就退了", "咳嗽了好几天，吃了两颗就不咳了", "我妈胃疼了好久，泡了三杯就好了"]),
    # flat feet and the arch raised
    "arch-corrected": ("clothing", ["扁平足的小朋友穿半年，脚弓就能立起来", "这双鞋穿久了足弓能长出来"]),
    # a baby who no longer spits up or has colic
    "baby-colic": ("baby", ["宝宝喝这个奶粉以后再也不溢奶了", "用了这款奶嘴，孩子从此不肠绞痛"]),
    # Cantonese recoveries and sleep, hair and voice restored
    "recovered-other-words": ("food", [
        "脱发都好返了", "白头发慢慢能养回来", "喝了两天，嗓音也清亮了", "我喝了一晚就瞓到天光",
        "我阿妈失眠十几年，饮咗之后一觉瞓到天光"]),
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
    # the same words in care, advice and description
    "body-restored-lookalikes": ("food", [
        "气血这个词我们不能说", "这款茶气血不足的人不建议喝", "经期也能正常喝", "夜尿多的人晚上少喝水"]),
    "aches-lookalikes": ("clothing", ["吃了饭去逛街，腿也不酸，因为鞋好", "这双鞋走一天腰不酸腿不疼"]),
    "tea-lookalikes": ("tea_liquor", ["这酒放十年也不会坏，越放越香", "吃了三年药，还是来试试我们的枣吧"]),
    "rash-lookalikes": ("cosmetics", [
        "这件毛衣洗了几次都不红了", "敏感肌用了不红不痒，温和", "伤口愈合了再用", "等伤口完全愈合后再涂"]),
    "ill-lookalikes": ("baby", ["宝宝拉肚子了两天，吃了医生开的药就好了", "感冒了好几天，还是得去医院"]),
    "arch-lookalikes": ("clothing", ["扁平足的朋友可以选这款，足弓支撑做得好", "足弓支撑设计，走路不累"]),
    "baby-lookalikes": ("baby", ["这个奶瓶是防呛奶设计", "吐奶的时候记得竖抱拍嗝"]),
    "sleep-lookalikes": ("food", ["一觉睡到天光，主播今天来晚了"]),
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
