"""Absolute claims: the families added for tuning rounds nineteen to twenty-four, in words other than the corpus's.

Each family's claims are caught (CAUGHT) and its clean look-alikes left alone (LEFT_ALONE).
"""

from __future__ import annotations

import pytest

from console.compliance import Checker, ProductFacts

from tests.compliance.checking import blocks, family_cases, found

FOOD = ProductFacts(category="food")


CAUGHT: dict[str, list[str]] = {
    # a result said to be certain, absolutely or a hundred percent
    "certain": ["这款保温杯百分之百不会漏水", "这个锅绝对不粘，煎蛋随便煎", "这件羽绒服绝对不会钻绒",
                "洗完百分百没有异味", "这个口红绝对一点都不拔干", "这瓶酒百分之百不上头", "你们买了绝对不会后悔",
                "这款面膜百分百有效", "这个儿童座椅绝对安全", "这双雨靴百分之百防水"],
    # the father, the ancestor or the god of its kind
    "of its kind": ["这件羊毛衫在针织衫界就是爹", "这款锅就是炒锅界的祖宗", "这个咖啡机是咖啡机里的神",
                    "这台空调是空调圈的霸主"],
    # the top spec or the top name of a whole trade
    "a trade's top": ["这款洗衣液在行业里就是顶配", "论续航，它是同价位的顶流"],
    # the god of a kind, in slang
    "yyds": ["这个价位里它就是yyds", "这个眼霜在国货里就是永远的神"],
    # first among all one has sold, seen or tasted
    "first of mine": ["我卖过的奶粉里面它排第一", "我喝过的白酒里它是第一"],
    # second to it, nobody dares be first; the first not born yet
    "no first": ["这款吹风机说第二没人敢说第一", "这款奶粉排第二的话，第一还没出生呢"],
    # a dare to find a better one, or a second one
    "a dare": ["你给我翻出一个比它便宜的？", "你去找出一款比它好用的来",
               "你要能找到第二个这么好用的扫地机，我跟你姓"],
    # who can take it on, asked as a question
    "who can": ["这个价位谁能打？", "谁家的奶粉能比？", "这款卸妆油在卸妆圈里横着走"],
    # nothing more authentic, more durable to be found anywhere
    "nowhere better": ["全北京你都找不出比它更正宗的烤鸭", "你翻遍淘宝也找不到更耐用的",
                       "你搵唔到第二件咁暖嘅"],
    # the others belittled: not fit to carry its shoes, kid brothers, dishwater, out of the way
    "belittled": ["别家的面霜给它提鞋都不配", "其他牌子的酱油跟它一比，就是个弟弟", "喝过这个，其他的茶都像刷锅水",
                  "别的锅都得靠边站", "同行看了只能闭嘴"],
    # nobody in the trade can make it
    "nobody makes it": ["这种掐丝工艺，业内没人做得出"],
    # beyond compare, with a particle after it
    "beyond compare": ["这个香味真是没得比的嘛"],
    # left far behind, only its back to see, the others still chasing
    "left behind": ["这台冰箱把同行远远甩在身后", "其他品牌只能看它背影", "保鲜技术别家还在后面追"],
    # the others copy it or cannot copy it, cannot make it
    "copied": ["国外大牌都在学它", "这个版型别家抄都抄不来", "这个香味，别家学都学不会", "这个工艺别家根本做不出来"],
    # nothing lower to come, nobody lower than us
    "nothing lower": ["今天这个价，再也不会有更低的了", "不可能有人比我们低"],
    # outdone: all of them, the big names ashamed, unfit to compare
    "outdone": ["这个面霜把那些一线大牌都比下去了", "这款面霜让大牌都汗颜", "别的都不配比", "穿上你就知道啥叫降维打击"],
    # where else would you find it, none can do it, nobody can match it (Cantonese)
    "where else": ["这个价你上哪儿找", "这个手镯的工艺，市面上没有一家能做到", "这个做工谁都比不了",
                   "边个牌子都比唔上佢", "其他牌子边个够佢打？"],
}

LEFT_ALONE: dict[str, list[str]] = {
    # certainty about what not to do, about the anchor, or disowned
    "not a certainty claim": ["绝对不能用热水泡，会烫坏", "洗的时候绝对不要用钢丝球", "我绝对不会骗你们的",
                              "我百分百没想到它这么好卖", "好处绝对不止这些", "不存在绝对不过敏的护肤品",
                              "没人敢保证百分百不过敏", "不敢打包票说绝对不起球", "百分之百纯棉，吊牌写着",
                              "不敢说百分百有效，因人而异", "我百分百满意你们的反馈，谢谢"],
    # how often the anchor is asked or says something
    "how often": ["这个问题我最常被问到", "我最常跟粉丝说的就是先试色"],
    # what the viewers care about most, what is most worth saying, what struck the anchor, the simplest way to tell
    "talk, not claims": ["宝妈们最关心的就是安全", "最值得一提的是它的走线", "最打动我的是它的包装",
                         "最快的辨别办法是看吊牌"],
    # the way to judge it
    "the way to judge": ["手链的做工拿在手上摸最清楚", "色差在自然光下看最直观"],
    # how long it has been sold
    "how long": ["这是我们店里卖得最久的一款酱油"],
    # the product's own range: its smallest size, its lightest version, three colours
    "its own range": ["最小的是NB码，最大的是XXL", "这个系列里925银的最轻", "这俩颜色里头杏色那个最显白"],
    # asking whether it is, and answering no
    "asked, answered no": ["这瓶是极品吗？谈不上，就是口粮茶", "它算天花板？不至于，性价比不错而已",
                           "说它最好？我可不敢这么说", "顶级不顶级我不评价，大家喝了自己判断"],
    # people, not products; a first and a second piece; asking the viewers
    "people and pieces": ["今天请来了娱乐圈的天王", "我家里的大哥也爱喝这个", "第一件原价，第二件半价",
                          "你们谁能比一比这两个颜色", "帮我找一个比它大一号的？", "婴儿湿巾一般都说无香的更好"],
    # questions and facts near the new families
    "questions and facts": ["这件衣服你在哪买的？", "我们团队都在学习新的直播技巧", "头发别甩在后面，扎起来",
                            "这个技巧新手学都学不来，要练", "别家做不到七天无理由，我们可以", "今天价格不会有变化",
                            "大家转过来看它背影，开叉很显瘦", "其他的跟白开水一样清淡，适合小朋友",
                            "这台是顶配版，比标配多一个滤网", "美妆圈的博主都在说这个色号", "第二个链接没人拍的话我就下架了"],
}


@pytest.mark.parametrize("text", family_cases(CAUGHT))
def test_each_new_absolute_family_is_caught(checker: Checker, text: str) -> None:
    assert "absolute" in blocks(checker, text, FOOD), found(checker, text, FOOD)


@pytest.mark.parametrize("text", family_cases(LEFT_ALONE))
def test_each_new_absolute_family_leaves_its_look_alikes(checker: Checker, text: str) -> None:
    assert "absolute" not in blocks(checker, text, FOOD), found(checker, text, FOOD)


def test_a_question_answered_no_clears_a_rule_that_is_not_negatable(checker: Checker) -> None:
    # absolute.top_terms is not negatable (没有之一 must stay a claim), but the answer still clears its question.
    assert "absolute" not in blocks(checker, "这是顶级面霜吗？算不上", FOOD)
    assert "absolute" in blocks(checker, "这是顶级面霜吗？当然是", FOOD)
    assert "absolute" in blocks(checker, "这是顶级面霜，没有之一", FOOD)
