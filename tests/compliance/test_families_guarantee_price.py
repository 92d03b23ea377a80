"""Guarantee and price families added for tuning rounds sixteen to eighteen, in words other than the corpus's,
each with clean look-alikes."""

from __future__ import annotations

import pytest

from console.compliance import Checker, ProductFacts
from tests.compliance.checking import blocks, family_cases, found

FOOD = ProductFacts(category="food")

GUARANTEE_FAMILIES = {
    # the anchor, by name, answers for a failure; oaths on one's name; Cantonese 打包单
    "answer": ["这口红要是半天就掉色，你回来找李姐算账", "炖不烂您来找老周", "过敏了我给你兜着",
               "不是这个口感你来找我", "擦完还起皮的话，我把名字倒着写", "这锅三年用坏了，我跟你姓",
               "呢只锅用唔坏，我同你打包单"],
    # investment that can only gain, Mandarin and Cantonese
    "gain": ["这对金镯子越戴越值钱", "这套生肖金币只会越来越贵", "金条呢家嘢，升唔跌，放心入", "呢个金牌放落去冇得亏",
             "收藏这瓶酒亏唔了", "买咗就系赚咗"],
    # lasting so many years or washes without failing, Mandarin and Cantonese
    "lasting": ["这个帐篷搭五十次也不会进水", "这件毛衣洗一百遍不会起毛", "这件外套穿三年唔会变形",
                "呢条链戴一世都唔会黑"],
    # the anchor's word, then the result in the clause after; a result likened to something; not reached, money back
    "word-then-result": ["我向你保证，这支唇釉喝水吃饭都不会掉", "这个精华我敢保证，用完一瓶脸就会变亮",
                         "我保证你抹上以后皮肤嫩得跟剥了壳的鸡蛋一样", "用两周黑眼圈没变淡，全额退", "包你皮肤滑溜溜的",
                         "这个除湿机达不到效果就退款"],
    # a promise for the whole night or day (what did not happen once, told as a story, is the look-alike)
    "whole-night": ["这款拉拉裤一整晚都不会漏", "这支口红一整天不掉色"],
}
GUARANTEE_LOOKALIKES = {
    "answer": ["有问题您来找王姐", "尺码不懂的来找小美", "下单后有疑问可以找客服小姐姐", "售后我们来兜底",
               "你们找王姐要赠品", "吃不了兜着走", "小时候我妈带我来找老中医", "这个字倒过来写就是另一个意思",
               "打包单已经贴好了，马上发"],
    "gain": ["普洱越放越香，这是它的特点", "这款茶越泡越淡", "温度只会升高不会降", "金价今年涨了不少，以后的事谁也说不准",
             "只会升级不会降级的会员"],
    "lasting": ["这个冲锋衣说明书写的是五年质保", "洗三次以后会有一点点缩水，正常", "这件衣服十年前的款式，现在又流行了",
                "一生一世不分离，送给另一半"],
    "word-then-result": ["我跟你保证，今天拍的都不会发错", "我保证，明天就能发货", "发货时间达不到的，可以申请退款",
                         "我保证这是正品，假一赔十", "我不敢保证你用了就会变白", "我们保证发出去的和直播间看到的一样"],
    "whole-night": ["我闺蜜家孩子穿这款一整晚没漏，她说尺码要往大了选", "我昨天试色，一整天没怎么补妆"],
}


@pytest.mark.parametrize("text", family_cases(GUARANTEE_FAMILIES))
def test_each_guarantee_family_is_caught(checker: Checker, text: str) -> None:
    assert "guarantee" in blocks(checker, text, FOOD), found(checker, text, FOOD)


@pytest.mark.parametrize("text", family_cases(GUARANTEE_LOOKALIKES))
def test_each_guarantee_family_leaves_its_look_alikes(checker: Checker, text: str) -> None:
    assert "guarantee" not in blocks(checker, text, FOOD), found(checker, text, FOOD)


# --- price: what is said against the product's facts ------------------------------------------

MOONCAKE = ProductFacts(category="food", counter_price_fen=26800, lowest_7d_fen=18800, live_price_fen=16800)
UNEVIDENCED = ProductFacts(category="food", live_price_fen=16800)


def test_the_malls_own_counter_price_is_judged_against_the_evidence(checker: Checker) -> None:
    # The store's counter in its mall (商场, 实体店, 专卖店) is a counter price: fine when it is the evidenced one.
    for text in ("商场里这盒卖268，今天168", "实体店卖268，直播间168", "专卖店标价268，今晚168"):
        assert "price" not in blocks(checker, text, MOONCAKE), found(checker, text, MOONCAKE)
    for text in ("商场里这盒卖298，今天168", "实体店卖三百，直播间168"):
        assert "price" in blocks(checker, text, MOONCAKE), found(checker, text, MOONCAKE)
        assert "price" in blocks(checker, text.replace("298", "268").replace("三百", "268"), UNEVIDENCED)
    # another shop's price is no evidence at all
    assert "price" in blocks(checker, "超市卖268，今天168", MOONCAKE)


BLENDER = ProductFacts(category="appliances", counter_price_fen=79900, lowest_7d_fen=45900, live_price_fen=39900)


def test_a_before_price_said_without_a_verb_or_with_at_least(checker: Checker) -> None:
    # the time and the price with no verb between; the show before; 起码/至少 before the amount; 腰斩 as half
    for text in ("这台原来799，今晚399", "平时都是七百九十九，现在399", "上一场还是七百九，今晚399",
                 "吊牌价起码九百，今天399", "专柜至少要一千，今晚399"):
        assert "price" in blocks(checker, text, BLENDER), found(checker, text, BLENDER)
    for text in ("这台之前459，今晚399", "专柜价起码799，今晚399", "今晚直接腰斩，399", "平时都是三点开播",
                 "以前500多人在线，今天更多", "平时都是两个人一起播", "我以前用过三年这个牌子"):
        assert "price" not in blocks(checker, text, BLENDER), found(checker, text, BLENDER)
    pricier = ProductFacts(category="appliances", counter_price_fen=99900, lowest_7d_fen=99900, live_price_fen=79900)
    assert "price" in blocks(checker, "今晚直接腰斩", pricier)


PRICE_FAMILIES = {
    # an auction's price, a price abroad or through a buying agent: references nobody can check
    "elsewhere": ["这瓶茅台拍卖会上成交价两万八", "这酒拍卖上拍出过五万", "这款面霜免税店都要八百", "海外官网卖三百多，直播间两百"],
    # a rise on a named day, or the rise "then"
    "rise": ["下个星期三涨价", "下周一就涨", "到时候一瓶要涨三十"],
}
PRICE_LOOKALIKES = {
    "elsewhere": ["这酒是拍卖会上的常客", "我们不做拍卖，今晚九千九", "代购的东西没保障，咱们这是正品",
                  "海外版和国内版配方一样", "国外卖得很火"],
    "rise": ["下周一就要调货，大家等等", "下周三上新款", "到时候我们会涨粉丝福利"],
}
LIQUOR = ProductFacts(category="tea_liquor", live_price_fen=99000)


@pytest.mark.parametrize("text", family_cases(PRICE_FAMILIES))
def test_each_price_family_is_caught(checker: Checker, text: str) -> None:
    assert "price" in blocks(checker, text, LIQUOR), found(checker, text, LIQUOR)


@pytest.mark.parametrize("text", family_cases(PRICE_LOOKALIKES))
def test_each_price_family_leaves_its_look_alikes(checker: Checker, text: str) -> None:
    assert "price" not in blocks(checker, text, LIQUOR), found(checker, text, LIQUOR)
