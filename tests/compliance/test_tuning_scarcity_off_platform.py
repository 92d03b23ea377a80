"""Scarcity and off-platform families added for tuning rounds nineteen to twenty-four, in words other than the corpus's.

Each family's sentences must block in their category (CAUGHT); its look-alikes must not (LEFT_ALONE).
"""

from __future__ import annotations

import pytest

from console.compliance import Checker, ProductFacts
from tests.compliance.checking import blocks, family_cases, found

FOOD = ProductFacts(category="food")


SCARCITY_CAUGHT: dict[str, list[str]] = {
    # a shortage everywhere, and this the last of it
    "shortage everywhere": ["全网都断货了，我们这是最后的现货", "全市基本都没货了", "这是仅剩的货源了"],
    # the maker will not make it again
    "maker stops": ["这款茶厂家以后不会再做了", "品牌方说不再生产这个色号", "老师傅再也不做这种手工款了",
                    "工厂已经不再生产", "厂里说不再出这个色了"],
    # a year's or a season's making is only so much
    "a year's making": ["这款古树普洱一年只产三百饼", "每季就出这么一点点", "一年才酿两千瓶"],
    # one city's or one counter's share
    "a city's share": ["每个城市只分到五台", "一个专柜只分到两条"],
    # only so little put out or got hold of
    "so little put out": ["今晚就放出来这么一点儿", "我们就抢到这么几箱"],
    # gone is really gone, missed is gone for good
    "gone for good": ["没了就真的没了", "错过就彻底没了"],
    # never put up again
    "never again": ["这个价以后再也不会上了", "这款永远不返场了", "从此不再上架了"],
    # money will not buy it later
    "money cannot buy it": ["过了今天你有钱都买不着", "到时候多少钱也买不到"],
    # not now, and then nowhere to buy it
    "not now then nowhere": ["今晚不拍，回头去哪都买不着", "现在不下单，等会儿可就买不到了"],
    # the sales bar nearly full
    "sales bar": ["进度条已经冲到八成了", "已抢90%，快上车"],
    # the warehouse down to its bottom
    "warehouse bottom": ["库房里就剩个底了", "库存只剩箱底了"],
    # not enough for the room
    "not enough for the room": ["这点货根本不够直播间的姐妹们抢", "不够家人们分的"],
    # not even the soup left
    "not even the soup": ["晚来一步连口汤都喝不着"],
    # sold out in seconds or minutes
    "gone in seconds": ["上一场十秒就抢光了", "三分钟不到就卖完"],
    # missed it? don't blame me
    "don't blame me": ["抢不到可别怪我", "错过了别说我没提醒"],
}

SCARCITY_LEFT_ALONE: dict[str, list[str]] = {
    "not a shortage": ["全网都能买到同款", "全国都包邮", "现货充足，下单就发"],
    "the maker's other news": ["厂家不会再出问题的，放心", "工厂不再用塑料包装了", "师傅不会再上门收费",
                               "用了以后都不再出油", "洗了以后也不再出现起球", "现在大家都不再做饭了，用我们的锅"],
    "how it is made": ["明前茶一年只采一次", "一年四季都能喝", "每年都出新款"],
    "everywhere": ["每个城市都有我们的专柜", "一个省只有一个仓"],
    "a little in the recipe": ["盐就放这么一点点", "利润就拿这么一点"],
    "missing it is fine": ["错过了也没关系，回放里有"],
    "other things never again": ["再也不上当了", "永远不会上色不均"],
    "money buys it": ["有钱也买得到"],
    "no loss in waiting": ["今天不买也没关系，下周还有", "现在不下单，明天也能买到"],
    "bars and orders": ["进度条不用管，慢慢看", "已售出的订单48小时内发货"],
    "a pot's bottom": ["锅里就剩个底了", "库存充足，底价给你们"],
    "a family's share": ["一盒不够一家人分的话可以拍两盒"],
    "soup": ["这锅连汤都好喝"],
    "minutes of use": ["这个面膜敷十五分钟就行", "三秒就吸收了"],
    "blame of another kind": ["别怪我说话直，这个颜色不适合黄皮"],
}


@pytest.mark.parametrize("text", family_cases(SCARCITY_CAUGHT))
def test_each_scarcity_family_is_caught(checker: Checker, text: str) -> None:
    assert "scarcity" in blocks(checker, text, FOOD), found(checker, text, FOOD)


@pytest.mark.parametrize("text", family_cases(SCARCITY_LEFT_ALONE))
def test_each_scarcity_family_leaves_its_look_alikes(checker: Checker, text: str) -> None:
    assert "scarcity" not in blocks(checker, text, FOOD), found(checker, text, FOOD)


# (text, stock that makes it true): blocked when the stock shows more, not when it is the count
COUNTS = [
    ("剩下不到二十件", 15),        # fewer than a count
    ("只剩最后五台特价机", 5),      # the deal's own pieces
    ("我们只拿到三十套", 30),       # what the anchor got hold of
    ("今晚只放五十单", 50),         # what is put on sale tonight
    ("仅剩叁拾件", 30),            # financial numerals
]


@pytest.mark.parametrize(("text", "true_stock"), COUNTS)
def test_more_counts_are_checked_against_the_stock(checker: Checker, text: str, true_stock: int) -> None:
    more = ProductFacts(category="food", stock=true_stock * 10)
    exact = ProductFacts(category="food", stock=true_stock)
    assert "scarcity" in blocks(checker, text, more), found(checker, text, more)
    assert "scarcity" not in blocks(checker, text, exact), found(checker, text, exact)


OFF_PLATFORM_CAUGHT: dict[str, list[str]] = {
    # the anchor's own WeChat or QQ named
    "my account is": ["我的vx是abc，自己搜", "我的企鹅是两个八开头"],
    # a lower price in private messages
    "cheaper in private": ["想要更便宜的私信主播", "团购价私聊我"],
    # what cannot be said here
    "not said here": ["直播间不方便报价，懂的来", "这里不好明说"],
    # another channel
    "another channel": ["给你走其他渠道，价格更低"],
    # find me on it, search for it
    "find me on it": ["找我微信拿图", "找主播企鹅", "去搜我企鹅号", "搜一下qq"],
    # homophones; the same as the phone number
    "homophones": ["加个薇心", "vx同号", "微信和电话同号"],
    # pinned on the profile, written on a board
    "pinned or written": ["简介里有我的那个方式", "电话写在我背后的小黑板上"],
    # sent to you
    "sent to you": ["我把私人微信推给你", "下播把号码发给大家"],
    # the group by any name, and what it does
    "the group": ["进我们的vip群", "群里直接收款"],
    # settled offline
    "offline": ["这个量我们线下详谈"],
    # the two letters
    "two letters": ["那两个字母我不敢说，你们懂的"],
    # other apps
    "other apps": ["line我拿目录", "ig私我", "加我飞机号"],
    # read out on air
    "read out": ["微信我念一下，记好"],
    # a relative's or a friend's account
    "someone else's account": ["加我老婆的微信", "加我闺蜜的号"],
    # Cantonese
    "cantonese": ["加我绿色嗰个app", "电话喺我主页"],
    # add that one
    "that one": ["加我那个v", "加个微，"],
    # my Moments; you know how to find me
    "moments": ["新款都发在我朋友圈", "你们懂得怎么联系我"],
    # an id of a name and digits
    "name and digits": ["vx：阿梅520"],
    # payment: a deposit to me, the code on my screen, the group's collection
    "payment": ["订金先付给我", "尾款直接转店长", "扫一下我平板屏幕上的码", "群收款就行"],
}

OFF_PLATFORM_LEFT_ALONE: dict[str, list[str]] = {
    "mine of another kind": ["我的衣服是真丝的", "我的vip是年卡", "我的卫衣是加绒的"],
    "cheaper on the platform": ["更便宜的在三号链接", "私信客服查物流", "更优惠的活动私信客服领取"],
    "hard to say": ["这个效果不好说，因人而异", "这里不方便试穿，我们看图"],
    "other channels": ["其他渠道买的我们不保真", "偏远地区我们走别的渠道发货"],
    "the platform's service": ["找客服微信支付问题", "搜一下店铺名就能找到我们的抖音小店"],
    "words that look alike": ["这个设计很用心", "信口开河可不行", "这条line很流畅", "ins风的装修", "加个微辣"],
    "someone's moments": ["我朋友圈里好多宝妈都在用", "在我朋友圈里很多人都买了"],
    "platform payment": ["vx支付满100减10", "定金付了，尾款在小黄车补", "扫码查真伪", "淘宝下单就能用支付宝"],
    # warnings against scammers and impostors, and the viewer who asked
    "warnings": ["有人冒充主播让你转账，别信", "说加微信有优惠的都是骗子", "让你扫码付款的，那都是骗子",
                 "那位问vx的，我们不加"],
}


@pytest.mark.parametrize("text", family_cases(OFF_PLATFORM_CAUGHT))
def test_each_off_platform_family_is_caught(checker: Checker, text: str) -> None:
    assert "off_platform" in blocks(checker, text, FOOD), found(checker, text, FOOD)


@pytest.mark.parametrize("text", family_cases(OFF_PLATFORM_LEFT_ALONE))
def test_each_off_platform_family_leaves_its_look_alikes(checker: Checker, text: str) -> None:
    assert "off_platform" not in blocks(checker, text, FOOD), found(checker, text, FOOD)


@pytest.mark.parametrize(("text", "rule"), [
    ("q:12345678", "off_platform.qq_id"),                  # Q: and a number
    ("Q：一二三四五六七八", "off_platform.qq_id"),            # the number in numerals
    ("v我:abc123", "off_platform.wechat_id"),              # add me on WeChat: and an id
    ("我的卫星号是meimei88", "off_platform.wechat_id"),      # 卫星 for 微信
    ("订货打壹叁玖壹贰叁肆伍陆柒捌", "off_platform.phone"),    # a mobile number in financial numerals
])
def test_the_contact_checks_read_more_forms(checker: Checker, text: str, rule: str) -> None:
    assert rule in {f.rule for f in found(checker, text, FOOD) if f.blocks}, found(checker, text, FOOD)


def test_green_bubble_emoji_read_as_wechat(checker: Checker) -> None:
    findings = [f for f in found(checker, "加我🟢💬", FOOD) if f.blocks and f.category == "off_platform"]
    assert findings and findings[0].text == "🟢💬"


def test_saying_one_is_no_scammer_disowns_nothing(checker: Checker) -> None:
    assert "off_platform" in blocks(checker, "加我微信，我不是骗子", FOOD)
    assert "off_platform" not in blocks(checker, "说加微信有优惠的都是骗子", FOOD)
