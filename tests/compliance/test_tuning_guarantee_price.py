"""Guarantee and price families added for tuning rounds nineteen to twenty-four, in words other than the corpus's,
each with clean look-alikes."""

from __future__ import annotations

import pytest

from console.compliance import Checker, ProductFacts
from tests.compliance.checking import blocks, family_cases, found

FOOD = ProductFacts(category="food")


def rules_block(checker: Checker, text: str, product: ProductFacts) -> set[str]:
    """The categories the rules alone block: the look-alikes are the rules' to keep clean (the second opinion is
    retrained on the tuning part after the rules are tuned, and some of these sit close to its line)."""
    return {f.category for f in Checker(checker.pack, opinion=False).check(text, product) if f.blocks}

GUARANTEE_FAMILIES = {
    # the anchor pays or refunds: so many times over, a new one, for each flaw, the money not taken, the difference
    "pays": ["不好用我赔你双倍", "不回甘退你三倍的钱", "要是掉色了，我赔你一条新的", "起皮一块我赔一块",
             "不脆的话钱我一分不收", "电费超出了我来补", "不甜包赔，放心拍", "冇效果我双倍赔返俾你"],
    # bring the empty one back; if it is not so, come and find me
    "find-me": ["空罐子拿回来找我，我给你退", "这个面膜敷完要是没亮，你直接来直播间找我", "如果喝着不回甘，来门店找我",
                "没有变白你来找我"],
    # 保证 every one of them, more and more so, grown or gone down, done in one go, eaten up, asleep
    "every-one": ["这个枣保证颗颗都甜", "保证个个饱满", "这批蟹保证每只都肥", "保证越用越白", "喝了保证宝宝长个",
                  "保证腰围瘦下来", "保证一次就学会", "包你一次就上手", "保证顿顿都吃完", "含上保证哄睡",
                  "保证一觉睡到天亮"],
    # a body part or a mark that surely goes
    "surely-goes": ["腿上的肉肯定瘦", "这眼霜用完黑眼圈保证淡下去", "毛孔一定会小"],
    # at once no longer crying, itching
    "at-once": ["宝宝一含就不闹了", "一喷就不痒了"],
    # not one drop, crease or hair, ever
    "not-one": ["这杯子一滴也不会漏", "这件衬衫洗完一条褶子都不会有", "绝对一根都不会掉"],
    # unchanged for a lifetime, for generations
    "lifetime": ["这个吊坠戴一辈子也不会黑", "这银镯子传几代都不会变色", "这对耳钉戴一辈子，都跟新买的一样"],
    # a gain on resale; worth more tomorrow, in two years, next year for sure
    "gain": ["转手卖掉稳赚", "这金条明天就升值", "过两年肯定更值钱", "今天收明年准涨", "今天买明年就值钱"],
    # the same written in traditional characters
    "traditional": ["這支口紅不掉色，掉色我賠你", "喝了不會胖，我拿人頭擔保"],
}
GUARANTEE_LOOKALIKES = {
    "pays": ["质量有问题我赔你", "快递路上碎了我赔你一个", "七天无理由，不喜欢我退钱给你", "我赔不起这个时间",
             "这场我都赔了好多钱了", "超了重量要补运费", "假一赔十，放心买"],
    "find-me": ["要是不会用，来找我教你", "有问题随时来直播间找我", "空瓶可以拿到专柜回收换小样",
                "不甜的话可以联系客服", "没有效果的话找我们客服", "没用过的可以找我问"],
    "every-one": ["保证发货前每个都检查一遍", "我保证个个都是正品", "保证每一单都在48小时内发出", "保证按顺序一个个发",
                  "保证大家都能抢到", "我不敢保证个个都甜，毕竟是水果", "我没法保证你一次就学会"],
    "surely-goes": ["这牛肉肯定没注水", "腰围肯定要量准了再拍"],
    "at-once": ["一穿就不想脱下来", "一开播就不停有人问"],
    "not-one": ["这个杯子我摔了一下，一滴都没漏", "一粒都不会少发给你"],
    "lifetime": ["一辈子都不会忘记这场直播", "一辈子就买这一次的东西，得挑好"],
    "gain": ["转手率很高的款", "明天就升级新包装", "金价明天会不会涨谁也不知道", "以后值钱不值钱谁也说不好"],
    # the anchor declining to vouch; a link that will not come back
    "declined": ["这个我没法打包票会不会过敏", "弹幕问会不会脱妆，这个我不敢打包票", "链接下了就永远不上了"],
}


@pytest.mark.parametrize("text", family_cases(GUARANTEE_FAMILIES))
def test_each_guarantee_family_of_rounds_19_to_24_is_caught(checker: Checker, text: str) -> None:
    assert "guarantee" in blocks(checker, text, FOOD), found(checker, text, FOOD)


@pytest.mark.parametrize("text", family_cases(GUARANTEE_LOOKALIKES))
def test_each_guarantee_family_of_rounds_19_to_24_leaves_its_look_alikes(checker: Checker, text: str) -> None:
    assert "guarantee" not in rules_block(checker, text, FOOD), found(checker, text, FOOD)


# --- price: against the product's facts -------------------------------------------------------

# An evidenced counter price of 999, 899 the lowest of the last 7 days, 699 tonight.
SERUM = ProductFacts(category="cosmetics", counter_price_fen=99900, lowest_7d_fen=89900, live_price_fen=69900)

PRICE_FAMILIES = {
    # so much below our own counter (咱家, 我们), in Cantonese too (平咗, 蚊)
    "our-counter": ["比咱家专柜便宜五百", "比我们专柜平咗五百蚊", "比出面平五百蚊"],
    # a counter price named twice, through the store's own shop, for one piece, or for the pieces together
    "counter": ["门店专柜标的1299", "店里一瓶卖1199", "专柜一瓶要1280", "这套专柜加起来要两千", "门店里挂牌一千二"],
    # the show before as the place of a before-price; the before-price said as the thing's own (1399的)
    "before": ["上一场直播都卖1299", "之前直播一直是1099", "平时直播间一直卖一千", "1399的今天只要699", "这款1599的礼盒今晚只要699"],
    # half price before a comma, from a tenth, a cut a piece, a cut for several pieces
    "discount": ["这支精华半价，到手699", "全场一折起", "一瓶省五百", "买两件直接省一千"],
    # another shop's price with the shop named, with no verb, at the least; nowhere under so much
    "elsewhere": ["外面商场都要一千多", "别家直播间报价一千五", "别人家店里都卖一千二", "外头专卖店都一千一了",
                  "市面上怎么也得上千", "外头冇两千买唔到", "市面上没一千拿不下来", "网上都炒到两千了"],
    # an appraisal or a market value; at cost; an auction's price
    "unverifiable": ["这块玉市值十几万", "评估价三万", "按进价给大家", "拍卖价到过三万多", "这是给员工的福利价"],
    # a rise after this wave sells out, after tonight, or of the thing itself tomorrow
    "rise": ["抢完这波就恢复原价", "过了今晚就涨两百", "明天这款就涨到一千二", "明早这支就涨回一千", "明天起统一涨两百"],
    # the same written in traditional characters
    "traditional": ["這瓶精華專櫃賣一千二"],
}
PRICE_LOOKALIKES = {
    "our-counter": ["比咱家专柜便宜三百", "比专柜平时做活动还便宜"],
    "counter": ["专柜一瓶要999，今天699", "店里卖的和直播间是同一批货", "我们门店也是999", "专柜一瓶是100毫升的",
                "专柜卖三十天就换季"],
    "before": ["999的今天只要699", "满199的只要再加一块就包邮", "199的那个链接已经卖完了", "之前直播间来过一位老顾客",
               "平时在家都是自己做饭"],
    "discount": ["买两件直接省六百", "这衣服可以折起来放", "第二瓶半价，页面上写着"],
    "elsewhere": ["外面下雨了，大家注意安全", "外面都三十多度了", "别家卖一样的货，我们有售后", "外面卖的都是散装的"],
    "unverifiable": ["估价这事我不懂", "拍卖会上我们不去凑热闹", "员工的福利是带薪假", "这个价格是给粉丝的福利价",
                     "内部价？没有的事，大家都一样"],
    "rise": ["明天会不会涨我也不清楚", "明天这款会涨价吗", "抢完这波就下播了", "明天会不会涨回去"],
}


@pytest.mark.parametrize("text", family_cases(PRICE_FAMILIES))
def test_each_price_family_of_rounds_19_to_24_is_caught(checker: Checker, text: str) -> None:
    assert "price" in blocks(checker, text, SERUM), found(checker, text, SERUM)


@pytest.mark.parametrize("text", family_cases(PRICE_LOOKALIKES))
def test_each_price_family_of_rounds_19_to_24_leaves_its_look_alikes(checker: Checker, text: str) -> None:
    assert "price" not in rules_block(checker, text, SERUM), found(checker, text, SERUM)


def test_an_implied_before_price_is_judged_against_the_facts(checker: Checker) -> None:
    # 1399的 said of the product is a before-price: the facts back it when it was the price in the last 7 days
    sold_higher = ProductFacts(category="cosmetics", counter_price_fen=139900, lowest_7d_fen=139900,
                               live_price_fen=69900)
    assert "price" not in blocks(checker, "1399的今天只要699", sold_higher)
    finding = next(f for f in found(checker, "1399的今天只要699", SERUM) if f.category == "price")
    assert finding.blocks and ("lowest_7d_fen", 89900) in finding.evidence


def test_a_cut_for_several_pieces_is_so_much_a_piece(checker: Checker) -> None:
    # 300 below the counter a piece: two pieces save 600, three 900; saying more is not backed
    assert "price" not in blocks(checker, "拍三件直接省九百", SERUM)
    assert "price" in blocks(checker, "拍三件直接省一千五", SERUM)


def test_traditional_characters_read_as_simplified(checker: Checker) -> None:
    # one character for one: the finding underlines what was written
    text = "這款面霜專櫃賣一千二"
    finding = next(f for f in found(checker, text, SERUM) if f.category == "price")
    assert text[finding.start:finding.end] == finding.text and "賣" in finding.text
