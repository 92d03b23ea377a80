"""Absolute claims: the families added for tuning rounds sixteen to eighteen, in words other than the corpus's.

Each family's claims are caught (CAUGHT) and its clean look-alikes left alone (LEFT_ALONE).
"""

from __future__ import annotations

import pytest

from console.compliance import Checker, ProductFacts

from tests.compliance.checking import blocks, family_cases, found

FOOD = ProductFacts(category="food")


LEFT_ALONE: dict[str, list[str]] = {
    # the product's range named with a longer noun, or counted in the clause before
    "a range": ["这四款保温杯里，保温时间最长的是这只不锈钢的", "这几个空气炸锅型号里，噪音最小的是这台",
                "我们一共四个口味，原味最受欢迎", "总共三个颜色，其中雾霾蓝最显白", "这几泡里第五泡最甜"],
    # the extremes of a range, listed one after the other
    "extremes listed": ["最甜的是蜜桃味，最酸的是青柠味", "这套碗里，最大的是汤碗，最小的是味碟"],
    # personal taste without 我
    "personal taste": ["私心最推荐这个奶茶色", "自己最常用的是这个豆沙色"],
    # the lowest or highest of a stated window: a fact of the price history
    "a window's lowest": ["近三十天直播间最低卖过199", "这是这两周最低的一次"],
    # how it is best served
    "best served": ["这款茶冷藏以后最好喝", "冰过之后喝起来最爽口"],
    # what the goods fear, in Cantonese
    "feared": ["金镯子最惊变形，别用力掰"],
    # 唯一 of the anchor's own habit or a stock of one
    "the only one of mine": ["这是我唯一一款会回购的面霜", "唯一一支我自己天天涂的就是它", "仓库里就剩唯一的一件了"],
    # 第一 as an order among all of them
    "first of all": ["所有链接里面第一个是面霜", "所有颜色里面是第一个上架的", "这条链接排第一个，大家先拍"],
    # 万能 as a versatile item, or denied
    "versatile": ["这件白T是万能单品，配什么都好看", "这台料理机不是万能的，冰块别放太多"],
    # 公认 of a taste
    "agreed": ["我们同事公认的好喝"],
    # a lower price found, without a dare
    "no dare": ["比我们便宜的真不多", "找到比这便宜的，跟客服说", "比这个好看的我没见过几件，但也有"],
    # compared with something, or two things that do not compare
    "compared": ["论灯光，直播间跟专柜没得比", "这俩没得比，用途不一样", "没得比较的话可以先看看评价"],
    # 全 that is not a whole place
    "not a whole place": ["全部都是我们家自己的工厂", "全家只有我能吃辣", "全场就这一款有赠品"],
    # the room's place on the platform's hourly list
    "the room's rank": ["我们冲一下小时榜榜首"],
    # a better way, a size that fits, any free gift
    "a better way": ["找不到更好的办法", "你要是找不到更合适的尺码，可以问客服", "没什么比这个更方便的用法",
                     "没有任何一个赠品能比这个实用", "谁都能比一比价格"],
}

CAUGHT: dict[str, list[str]] = {
    # the same words about the market stay claims
    "still claims": ["一共三款，这款是全网最便宜的", "最好的是它，全网最便宜的也是它", "这支精华液效果最惊艳",
                     "这是全网唯一一款有专利的锅", "这款是最好喝的茶"],
    # ranked first among all of a kind
    "first of all": ["在所有国产吹风机里头，风力它排第一", "所有的进口奶粉当中，它算第一"],
    # 万能 as a claim (an exception used to hold every 万能)
    "all-purpose": ["这个炒锅万能，炖煮煎炸全包", "这瓶清洁剂是万能的，哪儿都能擦"],
    # beating all of them
    "beats all": ["胜过所有进口奶粉", "这款洗面奶完胜一众大牌", "力压同价位"],
    # purity of a hundred percent
    "pure": ["这款纯度足足百分百", "这个精油纯度高达100%"],
    # agreed to be the top, of a state banquet's grade
    "agreed top": ["这是茶友公认的天花板", "圈里公认的头牌", "这酒是国礼级别的", "国宴级的好茶"],
    # a dare to find it lower or better
    "a dare": ["全网你去搜，找到比我们便宜的我倒贴", "谁翻出比这个划算的，算你赢"],
    # nothing lower or better seen
    "never seen lower": ["比这个好用的我真没见过", "比它便宜的我从来没碰到过"],
    # 冇得比 / 没得比 on its own
    "beyond compare": ["这块和田玉的油润度，冇得比", "这价格真的没得比了"],
    # the only one in a whole city
    "one in a city": ["全上海就我们一家能做这个工艺", "全杭州只有咱家有这个货", "全国只有这家能做"],
    # the top place
    "top place": ["这款米全国稳居榜首", "这款面膜在品类里排头位"],
    # nobody can take it on (Cantonese)
    "nobody takes it on": ["冇人够佢打", "没人打得赢佢", "冇一家够佢打"],
    # nowhere anything better, nothing better than it, none can compare
    "nothing better": ["外面真的找不到更好用的了", "市面上挑不出比它更好看的", "没得比它更软的毛巾了", "冇比它更香的",
                       "没啥比它更好用的了", "没有任何一款能比", "任何一个牌子都没法跟它比，也没有一家能比"],
}


@pytest.mark.parametrize("text", family_cases(CAUGHT))
def test_each_absolute_family_is_caught(checker: Checker, text: str) -> None:
    assert "absolute" in blocks(checker, text, FOOD), found(checker, text, FOOD)


@pytest.mark.parametrize("text", family_cases(LEFT_ALONE))
def test_each_absolute_family_leaves_its_look_alikes(checker: Checker, text: str) -> None:
    assert "absolute" not in blocks(checker, text, FOOD), found(checker, text, FOOD)
