"""Families of scarcity and off-platform phrasing from tuning rounds sixteen to eighteen, said in other words.

Each family's caught sentences must block in their category; its look-alikes must not.
"""

from __future__ import annotations

from typing import Any

import pytest

from console.compliance import Checker, ProductFacts
from tests.compliance.checking import blocks, found

FOOD = ProductFacts(category="food")


SCARCITY_CAUGHT = [
    # Cantonese "no more": 冇 at the end of the clause or before 得再…
    "呢个颜色好靓，迟啲就冇啦", "呢只表下个月就冇得买", "今季过咗就再冇喇",
    "呢只表以后都抢唔到", "落播之后就搵唔到",
    # the maker stops making it
    "茶厂已经唔做咗", "工厂那边已经停产了", "品牌方都不再生产了",
    # all there is left in the country is ours
    "全网只剩我们仓里这三十台", "全国就剩咱家库房这五十箱",
    # not buying now, and the loss in the next clause
    "现在不下单，等会儿就抢不到了", "今晚不抢，明晚可就真没了",
    # the link about to come down, or the back office pressing for it
    "这个链接立马下架", "老板一直催我下链接", "后台在预警了",
    # the warehouse emptied; what can be sold is all there is
    "库房快被搬空了", "手里的就这么点了",
    # a year's wait for the goods, or a year's wait said with 足足/整整
    "这个型号要等到年后才有货", "错过这场得等足足一年",
]
SCARCITY_LEFT_ALONE = [
    "搽完就冇咁干", "食完就冇事", "呢款冇问题", "工厂停产了吗", "全国就有二十个城市",
    "今天不买也没关系，明天还有", "今晚十二点链接会下架", "仓库已经发货了", "能拍的就这些颜色",
    "定制款要等三个月才到货", "卖光了就得等下批货到了",
]

OFF_PLATFORM_CAUGHT = [
    # adding the viewer, or someone named, on a chat app
    "我下播加您微信发货单", "要的话我加你扣扣", "加小李的vx", "加阿芳微信",
    # a name to give at the counter for a deal
    "来店里报阿芳的名字有礼", "报小美直播间打九折",
    # not here (also in Cantonese)
    "别在这买，去我网店", "唔好喺度落单",
    # the green app, said with 那个; done privately
    "绿色那个app搜我名字", "我们私下帮您留货", "售后有私人渠道能拿",
    # a number on the profile; the company account; cash
    "简介里有个小号加我", "开好发票走对公", "到店现金结账便宜五十", "师傅上门付现金就行",
    # a number then "call it"; the rest of a number in private; a hotline dialled
    "13800138000打过来", "记好:13912345678", "拨打4008123123", "手机前面几位私信问我",
    # friends added, one's own feed, one's own app, the store's people called, the fitter
    "加我好友就能拿优惠券", "去自家小程序下单更便宜", "打我们店长电话", "找师傅直接下单",
    "比平台便宜五十",
    # payment: a link sent privately, the code on one's screen said object first
    "我发你一个付款链接", "这个码扫一下",
]
OFF_PLATFORM_LEFT_ALONE = [
    "增加了微信支付", "举报直播间违规", "给孩子报了个名", "别在这里站着", "我们不收现金", "支持现金红包",
    "拨打12315投诉", "前三位是订单号", "加入粉丝团就能领券", "晒单发朋友圈返现", "打我们客服电话",
    "打我们的售后电话", "跟师傅约时间", "比平台上其他店便宜", "这个码扫一下能查产地", "主页里有个号称",
    "吊牌上贴咗二维码，扫一下看真伪", "冒充主播加你vx的都是假的", "有人冒充我们直播间加你微信卖假货",
    "我们从来不会私下加你要定金",
]


def _cases(tables: dict[str, list[str]]) -> list[Any]:
    return [pytest.param(category, text, id=f"{category}-{i}")
            for category, texts in tables.items() for i, text in enumerate(texts)]


@pytest.mark.parametrize(("category", "text"),
                         _cases({"scarcity": SCARCITY_CAUGHT, "off_platform": OFF_PLATFORM_CAUGHT}))
def test_each_family_is_caught(checker: Checker, category: str, text: str) -> None:
    assert category in blocks(checker, text, FOOD), found(checker, text, FOOD)


@pytest.mark.parametrize(("category", "text"),
                         _cases({"scarcity": SCARCITY_LEFT_ALONE, "off_platform": OFF_PLATFORM_LEFT_ALONE}))
def test_each_family_leaves_its_look_alikes(checker: Checker, category: str, text: str) -> None:
    assert category not in blocks(checker, text, FOOD), found(checker, text, FOOD)


def test_a_true_count_with_the_next_batch_coming_is_no_pressure(checker: Checker) -> None:
    tea = ProductFacts(category="tea_liquor", stock=30)
    assert "scarcity" not in blocks(checker, "还剩30盒，抢完了就等下一批补货", tea)
    assert "scarcity" in blocks(checker, "还剩30盒，抢完了就等明年", tea)
