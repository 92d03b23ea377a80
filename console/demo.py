"""Builds a believable demo store, one department store of a five-store group, in an empty data folder.

Rows go in through bulk Core inserts that bypass the ORM outbox hook on
purpose: demo data is a baseline, like a store restored from head office,
not local changes waiting to be pushed. Every row still carries its id,
UTC timestamps, row version 1 and no tombstone, as the data rules require.
All content comes from one ``random.Random(seed)``: the same seed and
``now`` always give the same store (only the UUIDs and PIN salts differ).
"""

from __future__ import annotations

import random
import time as _time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from pypinyin import lazy_pinyin
from sqlalchemy import insert
from sqlalchemy.orm import Session

from console.domain.enums import (
    Affiliation,
    AuditVia,
    BroadcastStatus,
    OnAirEventKind,
    Platform,
    QualityDocumentKind,
    QueueItemStatus,
    RequestStatus,
    Role,
    ScriptKind,
    ScriptVersionStatus,
    ShiftRole,
    ShiftStatus,
    TimeOffKind,
)
from console.domain.errors import ValidationError
from console.domain.search import search_key
from console.i18n import Message, active, msg, text
from console.rules.on_air import has_after_sales_policy, may_go_on_air
from console.services.auth import hash_pin
from console.services.base import STORE_ID_SETTING, local_store_id, write_setting
from console.storage import report_rollup
from console.storage.db import open_database
from console.storage.ids import new_id
from console.storage.models import (
    Anchor,
    AuditLog,
    Base,
    Broadcast,
    LiveRoom,
    MetricSnapshot,
    OnAirEvent,
    PlatformAccount,
    PriceHistory,
    Product,
    QualityDocument,
    QueueItem,
    RulePack,
    Script,
    ScriptVersion,
    Shift,
    ShowRun,
    Store,
    StoreProduct,
    TimeOff,
    User,
)

DEFAULT_SEED = 20261125
CHUNK = 5000

# --- scales -----------------------------------------------------------------


@dataclass(frozen=True)
class _Scale:
    controllers: int          # staff who mostly run rooms (场控); they get user accounts
    staff: int                # mall staff trained as hosts
    brand: int                # brand counter staff
    guests: int               # invited guests
    rooms: int
    products: int
    past_weeks: int
    stock_ticks: tuple[int, int]  # stock updates per presented product, min and max
    product_scripts: int
    segment_scripts: int

    @property
    def anchors(self) -> int:
        return self.controllers + self.staff + self.brand + self.guests


SCALES: dict[str, _Scale] = {
    "small": _Scale(controllers=10, staff=10, brand=12, guests=8, rooms=6, products=800,
                    past_weeks=6, stock_ticks=(0, 2), product_scripts=60, segment_scripts=8),
    "large": _Scale(controllers=14, staff=16, brand=18, guests=12, rooms=8, products=100_000,
                    past_weeks=104, stock_ticks=(2, 4), product_scripts=400, segment_scripts=16),
}

# --- the group --------------------------------------------------------------

GROUP_NAME = "锦华百货集团"
GROUP_STORES: tuple[tuple[str, str, str], ...] = (
    ("JH01", "锦华百货杭州武林店", "杭州"),
    ("JH02", "锦华百货南京新街口店", "南京"),
    ("JH03", "锦华百货苏州观前店", "苏州"),
    ("JH04", "锦华百货宁波天一店", "宁波"),
    ("JH05", "锦华百货合肥淮河路店", "合肥"),
)
STORE_TZ = "Asia/Shanghai"

SURNAMES = (
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 高 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
    "彭 曾 肖 田 董 潘 袁 蒋 蔡 余 杜 叶 程 魏 苏 吕 丁 沈 任 姚 卢 钟 姜 崔 谭 陆 范 汪 廖 金 "
    "夏 方 邹 熊 白 孟 秦 江 尹 薛 段 雷 龙 陶 贺 顾 龚 邵 钱 戴 严 欧阳 上官 司马"
).split()
GIVEN_NAMES = (
    "雨桐 欣怡 梓涵 诗琪 婉婷 佳怡 思彤 雅琪 晓雯 静怡 梦琪 一诺 可馨 紫萱 嘉欣 语嫣 若曦 晨曦 "
    "书瑶 安琪 悦 然 婷 颖 琳 倩 蕾 露 娜 莉 洁 敏 静 丹 晓岚 慧敏 佩玲 美琳 筱雨 星辰 "
    "思远 浩然 宇航 子轩 俊杰 明轩 天佑 博文 嘉豪 文杰 志强 伟 磊 涛 鹏 斌 凯 昊天 一鸣 皓轩"
).split()
# Surnames read differently from the same character inside a word.
SURNAME_READINGS = {"曾": "zeng"}
ROOM_CONTROLLER_USERS = 6

PLATFORM_LABEL = {
    Platform.DOUYIN: "抖音", Platform.KUAISHOU: "快手", Platform.TAOBAO: "淘宝直播",
    Platform.PINDUODUO: "拼多多", Platform.JD: "京东", Platform.WECHAT: "视频号",
}

# --- the catalog ------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    name: str
    specs: tuple[str, ...]
    price: tuple[int, int]           # counter price range in yuan
    unit: str = "件"
    variants: tuple[str, ...] = ()   # shades, designs: part of the product name
    colours: tuple[str, ...] = ()    # part of the spec (one SKU per colour and size)


@dataclass(frozen=True)
class _Brand:
    name: str
    code: str
    origin: str                      # a country, or 省+市 for Chinese brands
    items: tuple[str, ...]
    # Product lines and the items they cover: "小黑瓶:精华液,眼霜;菁纯:面霜".
    series: str = ""
    province: str = ""               # short province, for domestic cosmetics filings

    def series_for(self, item: str) -> list[str]:
        found = []
        for entry in self.series.split(";") if self.series else ():
            names, items = entry.split(":")
            if item in items.split(","):
                found += names.split(",")
        return found

    @property
    def imported(self) -> bool:
        return not self.origin.endswith(("省", "市", "区"))


@dataclass(frozen=True)
class _Category:
    name: str
    code: str
    weight: int
    items: tuple[_Item, ...]
    brands: tuple[_Brand, ...]
    # "model": appliance model numbers, "style": apparel style codes, "": neither.
    codes: str
    docs: tuple[tuple[QualityDocumentKind, float], ...]
    policies: tuple[str, ...]
    deals: tuple[str, ...]
    show_titles: tuple[str, ...]
    selling_points: tuple[str, ...]
    series_fallback: tuple[str, ...] = ("",)

    def item(self, name: str) -> _Item:
        return next(i for i in self.items if i.name == name)


_COLOURS_WEAR = ("黑色", "藏青", "驼色", "燕麦色", "米白", "深灰", "酒红", "墨绿")
_SIZES = ("S", "M", "L", "XL")
_SHOE_SIZES = ("37", "38", "39", "40", "41", "42", "43", "44")
_K = QualityDocumentKind

CATEGORIES: tuple[_Category, ...] = (
    _Category(
        name="家电", code="JD", weight=12, codes="model",
        items=(
            _Item("变频空调", ("1.5匹 新一级能效 挂机", "1匹 新一级能效 挂机", "3匹 新一级能效 柜机"), (2599, 8999), "台"),
            _Item("滚筒洗衣机", ("10公斤 洗烘一体", "10公斤 直驱变频", "12公斤 洗烘一体"), (2299, 7999), "台"),
            _Item("对开门冰箱", ("510升 风冷无霜", "630升 一级能效", "406升 十字对开门"), (2999, 12999), "台"),
            _Item("电饭煲", ("4L IH电磁加热", "3L 迷你款", "5L 球釜内胆"), (299, 1299), "台"),
            _Item("破壁机", ("1.75L 静音款", "1.5L 加热破壁"), (399, 1599), "台"),
            _Item("空气炸锅", ("5.5L 可视窗", "4L 家用款"), (299, 799), "台"),
            _Item("无线吸尘器", ("手持式 续航60分钟", "轻量款 续航40分钟"), (999, 5499), "台"),
            _Item("吹风机", ("高速负离子 1600W", "智能温控 家用款"), (299, 3599), "台"),
            _Item("扫地机器人", ("扫拖一体 自动集尘", "全能基站 自清洁"), (1999, 5999), "台"),
            _Item("吸油烟机", ("侧吸式 23立方", "顶侧双吸 25立方"), (2999, 8999), "台"),
            _Item("洗碗机", ("13套 嵌入式", "8套 台式"), (2999, 7999), "台"),
            _Item("电动牙刷", ("声波 5种模式", "声波 旗舰款"), (199, 1299), "支"),
            _Item("净水器", ("RO反渗透 800G", "RO反渗透 1000G"), (1999, 4999), "台"),
            _Item("液晶电视", ("65英寸 4K", "75英寸 Mini LED", "85英寸 4K 120Hz"), (3999, 15999), "台"),
        ),
        brands=(
            _Brand("美的", "MDI", "广东省佛山市", ("变频空调", "滚筒洗衣机", "对开门冰箱", "电饭煲", "破壁机", "空气炸锅", "洗碗机", "净水器"),
                   "酷省电,风尊:变频空调"),
            _Brand("海尔", "HAI", "山东省青岛市", ("变频空调", "滚筒洗衣机", "对开门冰箱", "洗碗机", "净水器", "液晶电视"),
                   "精华洗:滚筒洗衣机"),
            _Brand("格力", "GRE", "广东省珠海市", ("变频空调", "电饭煲", "净水器"), "云佳,天丽:变频空调"),
            _Brand("西门子", "SIE", "德国", ("滚筒洗衣机", "对开门冰箱", "洗碗机", "吸油烟机"), "iQ500:滚筒洗衣机,洗碗机"),
            _Brand("松下", "PAN", "日本", ("滚筒洗衣机", "对开门冰箱", "吹风机", "电动牙刷", "电饭煲"), "纳诺怡:吹风机"),
            _Brand("戴森", "DYS", "英国", ("无线吸尘器", "吹风机"), "Supersonic:吹风机;V12:无线吸尘器"),
            _Brand("飞利浦", "PHI", "荷兰", ("电动牙刷", "吹风机", "空气炸锅"), "钻石亮白:电动牙刷"),
            _Brand("苏泊尔", "SUP", "浙江省杭州市", ("电饭煲", "破壁机", "空气炸锅"), "远红外:电饭煲"),
            _Brand("九阳", "JOY", "山东省济南市", ("破壁机", "电饭煲", "空气炸锅")),
            _Brand("方太", "FOT", "浙江省宁波市", ("吸油烟机", "洗碗机", "净水器"), "星魔方:吸油烟机"),
            _Brand("老板", "ROB", "浙江省杭州市", ("吸油烟机", "洗碗机"), "大吸力:吸油烟机"),
            _Brand("科沃斯", "ECO", "江苏省苏州市", ("扫地机器人",), "地宝:扫地机器人"),
            _Brand("索尼", "SON", "日本", ("液晶电视",), "BRAVIA:液晶电视"),
            _Brand("TCL", "TCL", "广东省惠州市", ("液晶电视", "变频空调"), "QD-Mini LED:液晶电视"),
        ),
        docs=((_K.CCC_CERTIFICATE, 1.0), (_K.INSPECTION_REPORT, 0.3), (_K.CUSTOMS_DECLARATION, 0.0)),
        policies=(
            "全国联保，整机保修3年，主要部件保修6年；签收后7天无理由退货（未安装使用）；15天内质量问题包换。",
            "免费送货上门安装；整机保修1年、电机保修10年；7天无理由退货，15天质量问题换货。",
        ),
        deals=("以旧换新补贴300元", "免费上门安装", "12期免息", "满3000减300", "赠延保1年", "下单赠清洁套装"),
        show_titles=("家电焕新节", "智能家电专场", "以旧换新家电周"),
        selling_points=("新一级能效，日常使用更省电；", "师傅免费上门安装，旧机可以折价回收；", "静音设计，晚上用也不吵；"),
        series_fallback=("智能", "静音", "旗舰", ""),
    ),
    _Category(
        name="美妆", code="MZ", weight=18, codes="",
        items=(
            _Item("精华液", ("30ml", "50ml", "75ml"), (260, 1980), "瓶"),
            _Item("面霜", ("50ml", "30ml"), (280, 3800), "瓶"),
            _Item("眼霜", ("15ml", "20ml"), (320, 1680), "支"),
            _Item("水乳套装", ("水150ml+乳100ml", "水200ml+乳125ml"), (299, 1580), "套"),
            _Item("口红", ("3.4g", "3.5g"), (220, 450), "支",
                  variants=("#196 胡萝卜色", "#999 正红色", "#888 豆沙色", "#505 枫叶红", "#274 雪域红", "#3D 奶茶色")),
            _Item("粉底液", ("30ml",), (350, 690), "瓶", variants=("象牙白", "自然色", "亮白色")),
            _Item("面膜", ("5片装", "10片装"), (99, 680), "盒"),
            _Item("防晒乳", ("50ml SPF50+ PA++++", "30ml SPF50+"), (180, 460), "支"),
            _Item("卸妆油", ("150ml", "200ml"), (120, 560), "瓶"),
            _Item("香水", ("50ml 淡香精", "100ml 淡香水", "30ml 淡香精"), (580, 1980), "瓶"),
        ),
        brands=(
            _Brand("兰蔻", "LAN", "法国", ("精华液", "面霜", "眼霜", "水乳套装", "口红", "粉底液", "香水"),
                   "小黑瓶:精华液,眼霜;菁纯:面霜,眼霜,口红;塑颜:面霜,精华液;极光:水乳套装;持妆:粉底液;奇迹:香水"),
            _Brand("雅诗兰黛", "EST", "美国", ("精华液", "面霜", "眼霜", "口红", "粉底液"),
                   "小棕瓶:精华液,眼霜;智妍:面霜;DW:粉底液;倾慕:口红"),
            _Brand("SK-II", "SK2", "日本", ("精华液", "面霜", "眼霜", "面膜"), "神仙水,小灯泡:精华液;大红瓶:面霜;前男友:面膜"),
            _Brand("资生堂", "SHI", "日本", ("精华液", "面霜", "防晒乳", "水乳套装"), "红腰子:精华液;悦薇:面霜,水乳套装;新艳阳夏:防晒乳"),
            _Brand("迪奥", "DIO", "法国", ("口红", "香水", "粉底液", "面霜"), "烈艳蓝金:口红;花秘瑰萃:面霜;真我:香水;锁妆:粉底液"),
            _Brand("香奈儿", "CHA", "法国", ("香水", "口红"), "可可小姐,蔚蓝:香水;炫亮魅力:口红"),
            _Brand("欧莱雅", "LOR", "法国", ("精华液", "面霜", "眼霜", "水乳套装", "防晒乳"),
                   "紫熨斗:眼霜;复颜:精华液,面霜,水乳套装;小蜜罐:面霜;小金管:防晒乳"),
            _Brand("珀莱雅", "PRY", "浙江省杭州市", ("精华液", "面霜", "眼霜", "水乳套装", "面膜"),
                   "红宝石:精华液,面霜,眼霜;双抗:精华液;源力:水乳套装", province="浙"),
            _Brand("百雀羚", "PCL", "上海市", ("面霜", "水乳套装", "面膜", "精华液"),
                   "帧颜:面霜,精华液;草本:水乳套装,面膜", province="沪"),
            _Brand("自然堂", "CDO", "上海市", ("面膜", "水乳套装", "精华液", "面霜"),
                   "冰肌:水乳套装,面膜;雪域:精华液,面霜", province="沪"),
            _Brand("花西子", "FLX", "浙江省杭州市", ("口红", "粉底液"), "雕花:口红;玉容:粉底液", province="浙"),
            _Brand("娇韵诗", "CLA", "法国", ("精华液", "面霜", "卸妆油"), "双萃:精华液;弹簧:面霜"),
            _Brand("植村秀", "SHU", "日本", ("卸妆油", "粉底液"), "琥珀:卸妆油;小方瓶:粉底液"),
        ),
        docs=((_K.COSMETICS_FILING, 1.0), (_K.CUSTOMS_DECLARATION, 0.6), (_K.BRAND_AUTHORISATION, 0.3)),
        policies=(
            "专柜正品，支持专柜验货；未拆封7天无理由退货；使用后如有不适请停用，凭就诊证明可退换。",
            "专柜同批次正品，可凭订单到锦华百货专柜验货；未拆封未使用7天内可退。",
        ),
        deals=("赠同款小样3件", "买正装送中样", "第二件半价", "满899减100", "下单赠定制化妆包", "会员积分双倍"),
        show_titles=("美妆护肤夜", "大牌美妆专场", "换季护肤专场"),
        selling_points=("质地清爽好吸收，早晚都能用；", "专柜同款同批次，到店可验；", "换季肌肤干燥时用来补水保湿；"),
    ),
    _Category(
        name="服饰", code="FS", weight=33, codes="style",
        items=(
            _Item("羊绒大衣", _SIZES, (2980, 8980), colours=_COLOURS_WEAR),
            _Item("真丝连衣裙", _SIZES, (1280, 3980), colours=("墨绿", "香槟色", "藏青", "印花")),
            _Item("羽绒服", _SIZES, (1299, 4999), colours=("黑色", "米白", "藏青", "红色")),
            _Item("羊绒衫", _SIZES, (899, 2980), colours=("灰色", "驼色", "酒红", "黑色")),
            _Item("免烫商务衬衫", ("38", "39", "40", "41", "42", "43"), (399, 899), colours=("白色", "浅蓝", "粉色条纹")),
            _Item("西装套装", ("170/88A", "175/92A", "180/96A", "185/100A"), (1999, 6999), "套",
                  colours=("藏青", "深灰", "黑色")),
            _Item("针织开衫", _SIZES, (599, 1580), colours=("米白", "燕麦色", "雾蓝")),
            _Item("半身裙", _SIZES, (499, 1280), colours=("黑色", "卡其", "格纹")),
            _Item("休闲裤", ("29", "30", "31", "32", "33", "34"), (399, 999), "条", colours=("卡其", "黑色", "深灰")),
            _Item("风衣", _SIZES, (1280, 3980), colours=("卡其", "黑色", "米白")),
        ),
        brands=(
            _Brand("雅戈尔", "YGR", "浙江省宁波市", ("免烫商务衬衫", "西装套装", "羊绒衫", "休闲裤"), "DP纯棉:免烫商务衬衫"),
            _Brand("太平鸟", "PCB", "浙江省宁波市", ("风衣", "针织开衫", "半身裙", "羽绒服", "真丝连衣裙")),
            _Brand("波司登", "BSD", "江苏省苏州市", ("羽绒服",), "极寒,轻薄:羽绒服"),
            _Brand("鄂尔多斯", "EDS", "内蒙古自治区", ("羊绒衫", "羊绒大衣"), "1436:羊绒衫,羊绒大衣"),
            _Brand("江南布衣", "JNB", "浙江省杭州市", ("真丝连衣裙", "针织开衫", "半身裙")),
            _Brand("歌莉娅", "GLY", "广东省广州市", ("真丝连衣裙", "半身裙", "风衣")),
            _Brand("朗姿", "LZI", "北京市", ("羊绒大衣", "真丝连衣裙", "西装套装")),
            _Brand("七匹狼", "SWS", "福建省泉州市", ("免烫商务衬衫", "休闲裤", "羽绒服")),
            _Brand("杰克琼斯", "JJS", "丹麦", ("休闲裤", "羽绒服", "风衣")),
            _Brand("地素", "DZU", "上海市", ("真丝连衣裙", "针织开衫", "半身裙")),
        ),
        docs=((_K.INSPECTION_REPORT, 1.0), (_K.BRAND_AUTHORISATION, 0.3)),
        policies=(
            "7天无理由退换（吊牌完好、未洗涤）；质量问题30天内包退换；支持到店免费改衣。",
            "支持专柜试穿退换；吊牌完好7天无理由退换；质量问题运费由商家承担。",
        ),
        deals=("满1000减100", "两件9折", "第二件半价", "赠运费险", "下单赠羊绒护理套装", "前50名下单赠定制礼袋"),
        show_titles=("时尚服饰专场", "通勤穿搭专场", "当季新款服饰专场"),
        selling_points=("版型挺括，上身显精神；", "面料亲肤，日常通勤很好搭；", "模特身高168，穿M码，大家可以参考尺码表；"),
        series_fallback=("经典", "新款", ""),
    ),
    _Category(
        name="食品特产", code="SP", weight=15, codes="",
        items=(
            _Item("西湖龙井", ("明前特级 250g", "雨前一级 250g", "明前特级 100g礼盒"), (380, 2680), "盒"),
            _Item("粽子礼盒", ("10只装 1.2kg", "8只装 鲜肉蛋黄"), (88, 268), "盒"),
            _Item("月饼礼盒", ("6枚装 480g", "8枚装 640g"), (128, 398), "盒"),
            _Item("绍兴黄酒", ("花雕五年 500ml×6", "十年陈 500ml×6", "二十年陈 500ml×2礼盒"), (168, 1280), "箱"),
            _Item("坚果礼盒", ("1.5kg 8袋装", "每日坚果 30包"), (128, 298), "盒"),
            _Item("金华火腿", ("整腿 约5kg", "切片 500g礼盒"), (198, 1680), "只"),
            _Item("糕点礼盒", ("定胜糕桂花糕 12枚", "传统中式 1kg"), (68, 198), "盒"),
            _Item("西湖藕粉", ("400g 桂花味", "600g 原味"), (39, 98), "袋"),
            _Item("杭州酱鸭", ("2只装 真空包装",), (88, 168), "盒"),
        ),
        brands=(
            _Brand("狮峰", "SFG", "浙江省杭州市", ("西湖龙井",)),
            _Brand("卢正浩", "LZH", "浙江省杭州市", ("西湖龙井",)),
            _Brand("五芳斋", "WFZ", "浙江省嘉兴市", ("粽子礼盒", "月饼礼盒", "糕点礼盒")),
            _Brand("知味观", "ZWG", "浙江省杭州市", ("糕点礼盒", "月饼礼盒", "西湖藕粉", "杭州酱鸭")),
            _Brand("古越龙山", "GYL", "浙江省绍兴市", ("绍兴黄酒",)),
            _Brand("会稽山", "KJS", "浙江省绍兴市", ("绍兴黄酒",)),
            _Brand("三只松鼠", "SZS", "安徽省芜湖市", ("坚果礼盒",)),
            _Brand("良品铺子", "LPP", "湖北省武汉市", ("坚果礼盒", "糕点礼盒")),
            _Brand("金字", "JZH", "浙江省金华市", ("金华火腿",)),
            _Brand("杏花楼", "XHL", "上海市", ("月饼礼盒", "糕点礼盒")),
            _Brand("稻香村", "DXC", "江苏省苏州市", ("糕点礼盒", "月饼礼盒")),
        ),
        docs=((_K.FOOD_LICENSE, 1.0), (_K.INSPECTION_REPORT, 0.5)),
        policies=(
            "食品类商品签收后不支持无理由退货；破损、变质等质量问题48小时内凭照片包退包换。",
            "保质期内质量问题包退；未拆封礼盒7天内可退（生鲜及开封食品除外）。",
        ),
        deals=("买二送一", "满199包邮", "满299减50", "赠手提礼袋", "第二件半价", "下单赠试吃装"),
        show_titles=("江南好物·食品特产专场", "杭州老字号美食专场", "节令礼盒专场"),
        selling_points=("老字号出品，配料表干干净净；", "送长辈送客户都拿得出手；", "今年新批次，生产日期很新鲜；"),
    ),
    _Category(
        name="珠宝", code="ZB", weight=7, codes="",
        items=(
            _Item("足金手镯", ("约20g", "约30g", "约40g"), (14800, 29800), variants=("古法", "素圈", "竹节")),
            _Item("足金吊坠", ("约3g", "约5g"), (2200, 4800), variants=("福字", "平安扣", "小金鱼", "莲花")),
            _Item("18K金钻石项链", ("主石10分 45cm", "主石30分 45cm"), (2999, 12800), "条"),
            _Item("铂金戒指", ("PT950 约4g",), (1980, 4800), "枚"),
            _Item("钻石对戒", ("主石20分 一对",), (6800, 19800), "对"),
            _Item("珍珠耳钉", ("淡水珍珠 8-9mm", "海水珍珠 7-8mm"), (399, 2980), "对"),
            _Item("黄金转运珠手链", ("约1.5g 红绳",), (980, 1980), "条"),
        ),
        brands=(
            _Brand("周大福", "CTF", "中国香港", ("足金手镯", "足金吊坠", "18K金钻石项链", "钻石对戒", "黄金转运珠手链"),
                   "传承:足金手镯,足金吊坠"),
            _Brand("周生生", "CSS", "中国香港", ("足金手镯", "足金吊坠", "铂金戒指", "钻石对戒")),
            _Brand("老凤祥", "LFX", "上海市", ("足金手镯", "足金吊坠", "黄金转运珠手链", "铂金戒指")),
            _Brand("六福珠宝", "LUK", "中国香港", ("足金吊坠", "18K金钻石项链", "珍珠耳钉")),
            _Brand("潮宏基", "CHJ", "广东省汕头市", ("足金吊坠", "黄金转运珠手链", "珍珠耳钉")),
            _Brand("谢瑞麟", "TSL", "中国香港", ("18K金钻石项链", "钻石对戒", "铂金戒指")),
            _Brand("中国黄金", "CNG", "北京市", ("足金手镯", "足金吊坠")),
        ),
        docs=((_K.INSPECTION_REPORT, 1.0), (_K.BRAND_AUTHORISATION, 0.4)),
        policies=(
            "附国检证书；非定制款7天无理由退换（保持原状）；终身免费清洗保养；以旧换新按当日金价折算。",
            "每件附质检证书；佩戴中正常磨损免费抛光；7天内可退换，刻字款除外。",
        ),
        deals=("工费全免", "每克减20元", "满5000减300", "赠首饰盒", "以旧换新免折旧费"),
        show_titles=("黄金珠宝直播", "婚嫁珠宝专场", "七夕珠宝专场"),
        selling_points=("金价按开播时的挂牌价，下单前大家看清楚；", "附国检证书，证书编号可查；", "做工细，日常戴不容易变形；"),
    ),
    _Category(
        name="母婴", code="MY", weight=7, codes="",
        items=(
            _Item("婴儿配方奶粉", ("1段 800g", "2段 800g", "3段 800g"), (258, 498), "罐"),
            _Item("纸尿裤", ("S码 84片", "M码 64片", "L码 54片", "XL码 44片"), (99, 189), "包"),
            _Item("婴儿推车", ("高景观 可坐可躺", "轻便折叠"), (699, 4980), "台"),
            _Item("儿童安全座椅", ("0-4岁 ISOFIX", "9个月-12岁"), (1299, 3980), "台"),
            _Item("奶瓶", ("240ml 宽口径", "160ml 玻璃"), (89, 198), "只"),
            _Item("儿童羽绒服", ("110cm", "120cm", "130cm", "140cm"), (399, 899), colours=("粉色", "藏青", "米白")),
        ),
        brands=(
            _Brand("飞鹤", "FEH", "黑龙江省齐齐哈尔市", ("婴儿配方奶粉",), "星飞帆:婴儿配方奶粉"),
            _Brand("爱他美", "APT", "德国", ("婴儿配方奶粉",), "卓萃:婴儿配方奶粉"),
            _Brand("惠氏", "WYE", "美国", ("婴儿配方奶粉",), "启赋:婴儿配方奶粉"),
            _Brand("帮宝适", "PAM", "美国", ("纸尿裤",), "一级帮:纸尿裤"),
            _Brand("花王", "KAO", "日本", ("纸尿裤",), "妙而舒:纸尿裤"),
            _Brand("好孩子", "GBY", "江苏省苏州市", ("婴儿推车", "儿童安全座椅")),
            _Brand("贝亲", "PGN", "日本", ("奶瓶",), "自然实感:奶瓶"),
            _Brand("巴拉巴拉", "BLB", "浙江省温州市", ("儿童羽绒服",)),
        ),
        docs=((_K.INSPECTION_REPORT, 1.0), (_K.CUSTOMS_DECLARATION, 0.5)),
        policies=(
            "正品保证；奶粉未开罐7天无理由退货；纸尿裤未拆包可退；推车、座椅整车保修1年。",
            "专柜正品可溯源；未拆封7天无理由退货；质量问题15天包换。",
        ),
        deals=("买二送一", "满399减40", "赠试用装", "下单赠安抚巾", "会员积分双倍"),
        show_titles=("母婴好物节", "宝妈福利专场", "新手爸妈必备专场"),
        selling_points=("宝妈们关心的安全认证都有，资料可以在详情页看到；", "很多妈妈回购的款；", "尺码不确定的可以问场控小助手；"),
    ),
    _Category(
        name="运动", code="YD", weight=8, codes="style",
        items=(
            _Item("跑步鞋", _SHOE_SIZES, (499, 1499), "双", colours=("黑白", "全黑", "荧光绿")),
            _Item("篮球鞋", _SHOE_SIZES, (699, 1699), "双", colours=("黑红", "白蓝")),
            _Item("运动卫衣", _SIZES, (399, 899), colours=("黑色", "灰色", "白色")),
            _Item("速干T恤", _SIZES, (149, 399), colours=("黑色", "白色", "蓝色")),
            _Item("运动长裤", _SIZES, (299, 699), "条", colours=("黑色", "深灰")),
            _Item("冲锋衣", _SIZES, (899, 3999), colours=("黑色", "橙色", "军绿")),
            _Item("双肩包", ("25L", "30L"), (299, 899), "个", colours=("黑色", "灰色")),
        ),
        brands=(
            _Brand("耐克", "NIK", "美国", ("跑步鞋", "篮球鞋", "运动卫衣", "速干T恤", "运动长裤"),
                   "Pegasus,Air Max:跑步鞋"),
            _Brand("阿迪达斯", "ADI", "德国", ("跑步鞋", "运动卫衣", "速干T恤", "运动长裤", "双肩包"),
                   "Ultraboost:跑步鞋;三叶草:运动卫衣,运动长裤"),
            _Brand("安踏", "ANT", "福建省泉州市", ("跑步鞋", "篮球鞋", "运动卫衣", "速干T恤", "冲锋衣"), "马赫,C202:跑步鞋"),
            _Brand("李宁", "LNG", "北京市", ("跑步鞋", "篮球鞋", "运动卫衣", "运动长裤"), "飞电:跑步鞋;韦德之道:篮球鞋"),
            _Brand("特步", "XTE", "福建省泉州市", ("跑步鞋", "速干T恤"), "160X:跑步鞋"),
            _Brand("斯凯奇", "SKE", "美国", ("跑步鞋", "运动卫衣"), "GOwalk:跑步鞋"),
            _Brand("迪桑特", "DES", "日本", ("冲锋衣", "运动卫衣", "运动长裤")),
            _Brand("骆驼", "CAM", "广东省广州市", ("冲锋衣", "双肩包")),
        ),
        docs=((_K.INSPECTION_REPORT, 1.0), (_K.BRAND_AUTHORISATION, 0.3)),
        policies=(
            "7天无理由退换（不影响二次销售）；鞋类开胶等质量问题3个月内包修。",
            "专柜正品，支持到店验货；吊牌完好7天内退换。",
        ),
        deals=("满599减80", "两件8.5折", "赠运动袜", "第二件半价", "赠运费险"),
        show_titles=("运动户外周末场", "跑步装备专场", "户外出行专场"),
        selling_points=("鞋底回弹好，跑起来脚不累；", "透气速干，夏天运动也清爽；", "尺码偏标准，平时穿多大就拍多大；"),
        series_fallback=("",),
    ),
)
CATEGORY_BY_NAME = {c.name: c for c in CATEGORIES}

GENERIC_DEALS = ("买一送一", "满299减50", "直播间专享价", "下单赠精美礼品", "")

# Live rooms: code, name, categories shown there, platforms, opening hours.
ROOMS: tuple[tuple[str, str, tuple[str, ...], tuple[Platform, ...], time, time], ...] = (
    ("R01", "1号直播间·美妆", ("美妆",), (Platform.DOUYIN, Platform.TAOBAO), time(9), time(23)),
    ("R02", "2号直播间·家电", ("家电",), (Platform.JD, Platform.DOUYIN), time(9), time(23)),
    ("R03", "3号直播间·服饰", ("服饰", "运动"), (Platform.DOUYIN, Platform.KUAISHOU), time(9), time(23)),
    ("R04", "4号直播间·珠宝", ("珠宝",), (Platform.TAOBAO, Platform.WECHAT), time(10), time(22)),
    ("R05", "5号直播间·食品特产", ("食品特产",), (Platform.DOUYIN, Platform.PINDUODUO), time(9), time(23)),
    ("R06", "6号直播间·母婴", ("母婴", "美妆"), (Platform.WECHAT, Platform.TAOBAO), time(10), time(22)),
    ("R07", "7号直播间·运动", ("运动", "服饰"), (Platform.DOUYIN, Platform.KUAISHOU), time(9), time(23)),
    ("R08", "8号直播间·综合", tuple(c.name for c in CATEGORIES),
     (Platform.WECHAT, Platform.DOUYIN, Platform.JD), time(9), time(23)),
)

# Broadcast slots in local time: team call time, earliest show start, latest show end.
# Team calls 30 minutes before the show, so the slots' shifts only touch, never overlap.
SLOTS: tuple[tuple[time, time, time], ...] = (
    (time(9, 0), time(9, 30), time(11, 30)),
    (time(12, 0), time(12, 30), time(14, 30)),
    (time(14, 30), time(15, 0), time(17, 0)),
    (time(18, 0), time(18, 30), time(20, 30)),
    (time(20, 30), time(21, 0), time(23, 0)),
)
PREP = timedelta(minutes=30)
ON_AIR_FOR = timedelta(minutes=25)     # the demo's show on air began this long before its "now"
MIN_REST = timedelta(hours=11)
SAME_DAY_GAP = timedelta(hours=1)
MAX_ON_AIR_MINUTES = 240
MAX_DAY_MINUTES = 480
MAX_DAYS_IN_A_ROW = 6

SKIP_REASONS = ("样品未到直播间", "库存不足", "时间不够，下场返场", "价格待确认")
SHOW_NOTES = ("主推新品，注意讲清楚赠品规则", "提前备好尺码表", "开播前30分钟彩排", "福袋整点开奖",
              "价格以小黄车为准，开播前核对", "")
ON_AIR_NOTES = ("观众询问尺码，已补充尺码表", "样品换色展示", "福袋开奖", "观众问售后，已口播售后政策",
                "链接库存同步", "场控提醒语速放慢")

# --- scripts and rules ------------------------------------------------------

SEGMENTS: tuple[tuple[str, str], ...] = (
    ("开场白", ("欢迎来到{store}直播间！本场所有商品均为专柜正品，支持到专柜验货。"
               "下单请认准小黄车，直播间不会以任何形式私下收款。")),
    ("福袋抽奖口播", "福袋整点开奖，点击左上角福袋就能参与。中奖的朋友请在24小时内填写收货地址，逾期视为放弃。"),
    ("关注引导", "新进来的朋友点个关注，开播提醒不错过。有问题打在公屏上，场控小助手会一一回复。"),
    ("售后说明", "所有订单都通过小黄车下单，售后由{store}专柜负责，收到货有任何问题联系平台客服即可。"),
    ("下播结束语", "今天的直播就到这里，感谢大家的陪伴！没抢到的宝贝可以到{store}专柜看看，我们下场见。"),
    ("价格说明", "直播间价格以小黄车显示为准；专柜价有专柜价签为证，可以到店核对。"),
)
# Draft and rejected versions sometimes carry what the compliance guard must catch.
VIOLATIONS = ("这是全网最低价，错过今天再等一年！", "用了一周斑点全部消失，比医院还管用。",
              "想要更低价的加微信私聊。", "国家级品质，行业第一品牌。", "只剩最后3件，马上下架！")

RULE_PACK_NAME = "广告法基础规则"
RULE_PACK_RULES: dict[str, Any] = {
    "absolute_terms": {
        "severity": "block",
        "reference": "《中华人民共和国广告法》第九条第（三）项",
        "words": ["最", "第一", "国家级", "最高级", "最佳", "顶级", "极品", "全网最低", "史无前例", "万能"],
        "exceptions": ["最近", "最后一天", "第一次", "第一件", "第一步", "最新"],
    },
    "medical_claims": {
        "severity": "block",
        "reference": "《中华人民共和国广告法》第十七条；《化妆品监督管理条例》第三十七条",
        "words": ["治疗", "治愈", "祛斑", "消炎", "抗菌", "药用", "疗效", "比医院还管用", "根治"],
    },
    "guarantees": {
        "severity": "warn",
        "reference": "《中华人民共和国广告法》第二十八条",
        "words": ["无效退款", "保证有效", "百分百有效", "假一赔十"],
    },
    "off_platform": {
        "severity": "block",
        "reference": "《网络直播营销管理办法（试行）》第十八条",
        "words": ["加微信", "加V", "私聊下单", "私下转账", "扫码付款", "线下交易"],
    },
    "false_scarcity": {
        "severity": "warn",
        "reference": "《网络直播营销管理办法（试行）》第十八条",
        "patterns": [r"只剩(最后)?\d+件", r"马上下架", r"错过今天再等一年"],
    },
}

# --- results ----------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    login: str
    display_name: str
    role: Role
    pin: str


@dataclass(frozen=True)
class DemoReport:
    data_dir: Path
    scale: str
    seed: int
    group_name: str
    store_code: str
    store_name: str
    group_store_codes: tuple[str, ...]
    anchors: int
    rooms: int
    products: int
    quality_documents: int
    shifts: int
    broadcasts: int
    queue_items: int
    onair_events: int
    metric_snapshots: int
    scripts: int
    users: tuple[DemoUser, ...]
    elapsed_seconds: float

    def describe(self) -> str:
        """What was built, for the command line, in the active language."""
        counts = (
            (msg("demo.count_anchors", "anchors"), self.anchors),
            (msg("demo.count_rooms", "live rooms"), self.rooms),
            (msg("demo.count_products", "products"), self.products),
            (msg("demo.count_quality_documents", "quality documents"), self.quality_documents),
            (msg("demo.count_shifts", "shifts"), self.shifts),
            (msg("demo.count_broadcasts", "broadcasts"), self.broadcasts),
            (msg("demo.count_queue_items", "queue items"), self.queue_items),
            (msg("demo.count_onair_events", "on-air events"), self.onair_events),
            (msg("demo.count_metric_snapshots", "metric snapshots"), self.metric_snapshots),
            (msg("demo.count_scripts", "scripts"), self.scripts),
        )
        lines = [
            text(msg("demo.report_store", "Demo store {code} {name} ({group}) in {folder}",
                     code=self.store_code, name=self.store_name, group=self.group_name, folder=str(self.data_dir))),
            text(msg("demo.report_group", "Group stores: {codes}", codes=", ".join(self.group_store_codes))),
            # The seed is a name for this store, not a quantity: no thousands separators.
            text(msg("demo.report_build", "Scale {scale}, seed {seed}, built in {seconds} s",
                     scale=self.scale, seed=str(self.seed), seconds=round(self.elapsed_seconds, 1))),
            "",
        ]
        labels = [text(label) for label, _ in counts]
        label_width = max(18, *(_width(label) + 2 for label in labels))
        lines += [f"  {_pad(label, label_width)}{active().value(count):>10}"
                  for label, (_, count) in zip(labels, counts, strict=True)]
        lines += ["", text(msg("demo.report_users", "Users (sign in with the login and PIN):"))]
        width = max(len(u.login) for u in self.users)
        roles = {u.role: text(ROLE_LABELS[u.role]) for u in self.users}
        role_width = max(15, *(_width(r) for r in roles.values()))
        for u in self.users:
            pin = text(msg("demo.report_pin", "PIN {pin}", pin=u.pin))
            lines.append(f"  {u.login:<{width}}  {pin}  {_pad(roles[u.role], role_width)}  {u.display_name}")
        return "\n".join(lines)


ROLE_LABELS: dict[Role, Message] = {
    Role.ANCHOR: msg("demo.role_anchor", "anchor"),
    Role.ROOM_CONTROLLER: msg("demo.role_room_controller", "room controller"),
    Role.STORE_MANAGER: msg("demo.role_store_manager", "store manager"),
    Role.HEAD_OFFICE: msg("demo.role_head_office", "head office"),
}


def _width(shown: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown)


def _pad(shown: str, width: int) -> str:
    return shown + " " * max(width - _width(shown), 0)


# --- building ---------------------------------------------------------------


def build_demo(
    data_dir: Path, *, scale: str = "small", seed: int = DEFAULT_SEED, now: datetime | None = None,
) -> DemoReport:
    """Create the demo store in ``data_dir``; refuses a folder that already holds a store."""
    if scale not in SCALES:
        raise ValueError(f"unknown demo scale {scale!r}; choose one of {', '.join(SCALES)}")
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    started = _time.perf_counter()
    data_dir = Path(data_dir)
    db = open_database(data_dir)
    try:
        with db.begin() as session:
            existing = local_store_id(session)
            if existing is not None:
                store = session.get(Store, existing)
                code = store.code if store else str(existing)
                raise ValidationError(msg(
                    "demo.folder_taken", "The data folder {folder} already holds store {code}; choose an empty folder.",
                    folder=str(data_dir), code=code))
            builder = _Builder(session, SCALES[scale], random.Random(seed), now.astimezone(UTC))
            builder.build()
        with db.begin() as session:
            # The reports' figures of every past show, computed now rather than by the first report.
            report_rollup.refresh(session.connection())
        counts = builder.writer.counts
        return DemoReport(
            data_dir=data_dir, scale=scale, seed=seed, group_name=GROUP_NAME,
            store_code=GROUP_STORES[0][0], store_name=GROUP_STORES[0][1],
            group_store_codes=tuple(code for code, _, _ in GROUP_STORES),
            anchors=counts[Anchor], rooms=counts[LiveRoom], products=counts[Product],
            quality_documents=counts[QualityDocument], shifts=counts[Shift],
            broadcasts=counts[Broadcast], queue_items=counts[QueueItem],
            onair_events=counts[OnAirEvent], metric_snapshots=counts[MetricSnapshot],
            scripts=counts[Script], users=tuple(builder.users),
            elapsed_seconds=_time.perf_counter() - started,
        )
    finally:
        db.close()


# Parents before children, so foreign keys hold at every flush.
_INSERT_ORDER: tuple[type[Base], ...] = (
    Store, RulePack, Product, QualityDocument, StoreProduct, PriceHistory, LiveRoom, PlatformAccount, Anchor,
    User, TimeOff, Broadcast, Shift, ShowRun, QueueItem, OnAirEvent, MetricSnapshot, Script, ScriptVersion,
    AuditLog,
)


class _Writer:
    """Buffers rows per table and inserts them in chunks, parents first."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._buffers: dict[type[Base], list[dict[str, Any]]] = {m: [] for m in _INSERT_ORDER}
        self.counts: Counter[type[Base]] = Counter()

    def add(self, model: type[Base], row: dict[str, Any]) -> None:
        buffer = self._buffers[model]
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        for model, buffer in self._buffers.items():
            if buffer:
                self._session.execute(insert(model), buffer)
                self.counts[model] += len(buffer)
                buffer.clear()


def _base(at: datetime, updated: datetime | None = None) -> dict[str, Any]:
    return {"id": new_id(), "created_at": at, "updated_at": updated or at, "row_version": 1,
            "deleted_at": None}


def _join_name(parts: Sequence[str]) -> str:
    # Chinese runs together; a Latin model or shade code gets a space either side.
    out = ""
    for part in parts:
        if not part:
            continue
        if out and (out[-1].isascii() or part[0].isascii()):
            out += " "
        out += part
    return out


def _nice_price(yuan: float) -> int:
    """A counter price as shops set it (899, 1280, 12999), in fen."""
    step = 10 if yuan < 1000 else 100
    price = max(step, round(yuan / step) * step)
    return price * 100


def _run_length(worked: set[date], day: date) -> int:
    """Days in a row ``day`` would make, counting worked days either side of it."""
    length = 1
    d = day - timedelta(days=1)
    while d in worked:
        length, d = length + 1, d - timedelta(days=1)
    d = day + timedelta(days=1)
    while d in worked:
        length, d = length + 1, d + timedelta(days=1)
    return length


@dataclass
class _Anchor:
    id: UUID
    code: str
    name: str
    login: str
    kind: str                     # controller, staff, brand, guest
    brands: tuple[str, ...]
    categories: tuple[str, ...]
    certified_until: date
    cap_minutes: int
    blocked: set[date] = field(default_factory=set)
    user_id: UUID | None = None
    last_end: datetime | None = None
    day: date | None = None
    day_shifts: list[tuple[datetime, datetime]] = field(default_factory=list)
    day_minutes: int = 0
    day_on_air: int = 0
    week: date | None = None
    week_minutes: int = 0
    worked: set[date] = field(default_factory=set)


@dataclass(frozen=True)
class _Room:
    id: UUID
    code: str
    categories: tuple[str, ...]
    slots: tuple[int, ...]
    account_ids: tuple[str, ...]


@dataclass
class _QueueLine:
    id: UUID
    product: int
    link: int
    live_price: int
    deal: str
    planned_seconds: int
    allocated: int
    status: QueueItemStatus = QueueItemStatus.PENDING


class _Builder:
    def __init__(self, session: Session, scale: _Scale, rng: random.Random, now: datetime) -> None:
        self.s = session
        self.scale = scale
        self.rng = rng
        self.now = now
        self.tz = ZoneInfo(STORE_TZ)
        self.writer = _Writer(session)
        self.users: list[DemoUser] = []
        self.today = now.astimezone(self.tz).date()
        monday = self.today - timedelta(days=self.today.weekday())
        self.first_day = monday - timedelta(weeks=scale.past_weeks)
        self.end_day = self.today + timedelta(days=14)
        self.publish_until = self._local(monday + timedelta(days=7), time(0))
        self.catalog_at = self._local(self.first_day - timedelta(days=30), time(9))
        self.store_id = new_id()
        # Catalog, column-wise: index i describes one product.
        self.p_id: list[UUID] = []
        self.p_name: list[str] = []
        self.p_spec: list[str] = []
        self.p_brand: list[str] = []
        self.p_category: list[str] = []
        self.p_price: list[int] = []       # the store's counter price; 0 if not stocked here
        self.p_stock: list[int] = []
        self.p_after_sales: list[str] = []
        self.on_air_ok: dict[tuple[str, str], list[int]] = {}
        self.blocked_products: dict[str, list[int]] = {}
        self.brand_category: dict[str, str] = {}
        self.anchors: list[_Anchor] = []
        self.rooms: list[_Room] = []
        self.managers: list[UUID] = []
        self.writers: list[UUID] = []
        self.script_candidates: list[tuple[int, _QueueLine]] = []
        self.upcoming_shows: list[tuple[UUID, str, datetime]] = []
        self.room_shows: dict[UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
        self.week_shifts: Counter[date] = Counter()

    # -- helpers --

    def _local(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(UTC)

    def _before_now(self, at: datetime) -> datetime:
        return min(at, self.now)

    def _person(self, taken: set[str]) -> tuple[str, str]:
        """A Chinese name not used yet in this store, and its pinyin login."""
        while True:
            surname, given = self.rng.choice(SURNAMES), self.rng.choice(GIVEN_NAMES)
            name = surname + given
            if name not in taken:
                taken.add(name)
                family = SURNAME_READINGS.get(surname) or "".join(lazy_pinyin(surname))
                return name, f"{family}.{''.join(lazy_pinyin(given))}"

    # -- the whole store --

    def build(self) -> None:
        self._stores()
        self._rule_pack()
        self._catalog()
        self._rooms()
        taken: set[str] = set()
        self._anchors(taken)
        self._users(taken)
        self._time_off()
        self._schedule()
        self._on_air_now()
        self._scripts()
        self._audit()
        self.writer.flush()
        write_setting(self.s, STORE_ID_SETTING, str(self.store_id))

    def _stores(self) -> None:
        opened = self.catalog_at - timedelta(days=365 * 3)
        for code, name, city in GROUP_STORES:
            row = _base(opened)
            if code == GROUP_STORES[0][0]:
                row["id"] = self.store_id
            row.update(code=code, name=name, group_name=GROUP_NAME, city=city, timezone=STORE_TZ)
            self.writer.add(Store, row)

    def _rule_pack(self) -> None:
        row = _base(self.catalog_at)
        row.update(name=RULE_PACK_NAME, version=1, issued_at=self.catalog_at, rules=RULE_PACK_RULES)
        self.writer.add(RulePack, row)

    # -- catalog --

    def _catalog(self) -> None:
        rng = self.rng
        total_weight = sum(c.weight for c in CATEGORIES)
        shares = [self.scale.products * c.weight // total_weight for c in CATEGORIES]
        shares[0] += self.scale.products - sum(shares)
        year = self.today.year
        evidence_month = (self.today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        for category, share in zip(CATEGORIES, shares):
            serial: Counter[str] = Counter()
            for brand in category.brands:
                self.brand_category[brand.name] = category.name
            for k in range(share):
                # Round-robin over brands, so every brand has products even in the small catalog.
                brand = category.brands[k % len(category.brands)]
                item = category.item(rng.choice(brand.items))
                lines = brand.series_for(item.name)
                series = rng.choice([*lines, ""]) if lines else rng.choice(category.series_fallback)
                variant = rng.choice(item.variants) if item.variants else ""
                code = ""
                if category.codes == "model":
                    code = f"{brand.code[:2]}-{rng.choice('ABCDKLMNRSTX')}{rng.randrange(1000, 100_000)}"
                elif category.codes == "style":
                    code = f"{brand.code}{year % 100:02d}{rng.choice('ABCD')}{rng.randrange(10000):04d}"
                parts = (brand.name, series, item.name, code, variant)
                spec = rng.choice(item.specs)
                if item.colours:
                    spec = f"{rng.choice(item.colours)} {spec}"
                serial[brand.code] += 1
                sku = f"{category.code}-{brand.code}-{serial[brand.code]:06d}"
                self._product(category, brand, item, sku, _join_name(parts), spec, evidence_month)

    def _product(self, category: _Category, brand: _Brand, item: _Item, sku: str, name: str,
                 spec: str, evidence_month: str) -> None:
        rng = self.rng
        row = _base(self.catalog_at)
        pid = row["id"]
        # Real catalogs have gaps: a few products lack an after-sales policy or papers.
        policy = "" if rng.random() < 0.02 else rng.choice(category.policies)
        row.update(
            sku=sku, barcode=_ean13(rng, brand), name=name, brand=brand.name, category=category.name,
            spec=spec, origin=brand.origin, unit=item.unit, after_sales_policy=policy,
            # Bulk inserts pass the ORM's own key-setting by, so the key is the core's, set here.
            search_key=search_key(name, brand.name),
        )
        self.writer.add(Product, row)
        papers = 0 if rng.random() < 0.03 else self._quality_documents(pid, sku, category, brand)
        price, stock = 0, 0
        if rng.random() < 0.97:
            price = _nice_price(rng.uniform(*item.price))
            stock = 0 if rng.random() < 0.04 else rng.randrange(5, 600)
            sp = _base(self.catalog_at)
            sp.update(
                store_id=self.store_id, product_id=pid, counter_price_fen=price, stock=stock,
                counter_price_evidence=rng.choice(
                    (f"专柜价签照片 {evidence_month}", f"POS销售记录 {evidence_month}",
                     f"品牌专柜价目表 {evidence_month}")),
            )
            self.writer.add(StoreProduct, sp)
            self._price_history(pid, price, sp["counter_price_evidence"])
        index = len(self.p_id)
        self.p_id.append(pid)
        self.p_name.append(name)
        self.p_spec.append(spec)
        self.p_brand.append(brand.name)
        self.p_category.append(category.name)
        self.p_price.append(price)
        self.p_stock.append(stock)
        self.p_after_sales.append(policy)
        if price:
            if may_go_on_air(quality_papers=papers, has_policy=has_after_sales_policy(policy)):
                self.on_air_ok.setdefault((category.name, brand.name), []).append(index)
            else:
                self.blocked_products.setdefault(category.name, []).append(index)

    def _price_history(self, product_id: UUID, price: int, evidence: str) -> None:
        """The counter price as set when the catalog was loaded; one product in eight cost more before.

        Its own random stream, so the rest of the demo reads as it did without it.
        """
        rng = random.Random(product_id.int)
        if rng.random() < 0.125:
            earlier = self.catalog_at - timedelta(days=rng.randrange(20, 60))
            row = _base(earlier)
            row.update(store_id=self.store_id, product_id=product_id, at=earlier, evidence=evidence,
                       counter_price_fen=_nice_price(price / 100 * rng.uniform(1.1, 1.3)))
            self.writer.add(PriceHistory, row)
        row = _base(self.catalog_at)
        row.update(store_id=self.store_id, product_id=product_id, at=self.catalog_at, evidence=evidence,
                   counter_price_fen=price)
        self.writer.add(PriceHistory, row)

    def _quality_documents(self, product_id: UUID, sku: str, category: _Category, brand: _Brand) -> int:
        rng = self.rng
        made = 0
        for kind, chance in category.docs:
            if kind is _K.CUSTOMS_DECLARATION and not brand.imported:
                continue
            if made and rng.random() >= chance:
                continue
            number, issuer, valid_until = self._paper(kind, brand, category)
            row = _base(self.catalog_at)
            row.update(product_id=product_id, kind=kind, number=number, issuer=issuer,
                       valid_until=valid_until, file_ref=f"quality/{sku}/{kind.value}.pdf")
            self.writer.add(QualityDocument, row)
            made += 1
        return made

    def _paper(self, kind: QualityDocumentKind, brand: _Brand, category: _Category
               ) -> tuple[str, str, date | None]:
        rng = self.rng
        year = rng.randint(self.today.year - 3, self.today.year - 1)
        # About 2% of papers have lapsed: the catalog screens should show them.
        lapsed = rng.random() < 0.02
        expiry = (self.today - timedelta(days=rng.randint(1, 120)) if lapsed
                  else self.today + timedelta(days=rng.randint(60, 1500)))
        if kind is _K.CCC_CERTIFICATE:
            return f"{year}0{rng.randrange(10**10, 10**11)}", "中国质量认证中心", expiry
        if kind is _K.COSMETICS_FILING:
            if brand.imported:
                return f"国妆网备进字J{year}{rng.randrange(10**6):06d}", "国家药品监督管理局", None
            issuer = {"浙": "浙江省药品监督管理局", "沪": "上海市药品监督管理局"}[brand.province]
            return f"{brand.province}G妆网备字{year}{rng.randrange(10**6):06d}", issuer, None
        if kind is _K.FOOD_LICENSE:
            return f"JY1{rng.randrange(10**13):013d}", f"{brand.origin}市场监督管理局", expiry
        if kind is _K.INSPECTION_REPORT:
            issuer = {
                "珠宝": "国家珠宝玉石首饰检验集团有限公司",
                "服饰": "国家纺织服装产品质量检验检测中心",
                "食品特产": "浙江方圆检测集团股份有限公司",
            }.get(category.name, rng.choice(("SGS通标标准技术服务有限公司", "中国检验认证集团")))
            return f"{category.code}{year}{rng.randrange(10**7):07d}", issuer, expiry
        if kind is _K.BRAND_AUTHORISATION:
            issuer = f"{brand.name}（中国）有限公司" if brand.imported else f"{brand.name}品牌运营公司"
            return f"SQ{year}{brand.code}{rng.randrange(10**4):04d}", issuer, date(self.today.year, 12, 31)
        return f"{rng.randrange(10**17, 10**18)}", rng.choice(("杭州海关", "上海海关", "宁波海关")), None

    # -- rooms, anchors, users --

    def _rooms(self) -> None:
        store_code, store_name, _ = GROUP_STORES[0]
        short = store_name.removeprefix("锦华百货")
        at = self.catalog_at
        for code, name, categories, platforms, opens, closes in ROOMS[: self.scale.rooms]:
            room = _base(at)
            room.update(store_id=self.store_id, code=code, name=name,
                        platforms=[p.value for p in platforms], opens_at=opens, closes_at=closes,
                        active=True)
            self.writer.add(LiveRoom, room)
            accounts = []
            theme = name.split("·")[-1]
            for platform in platforms:
                account = _base(at)
                account.update(store_id=self.store_id, platform=platform,
                               handle=f"jinhua_{store_code.lower()}_{code.lower()}",
                               display_name=f"锦华百货{short}·{theme}（{PLATFORM_LABEL[platform]}）",
                               room_id=room["id"])
                self.writer.add(PlatformAccount, account)
                accounts.append(str(account["id"]))
            slots = tuple(i for i, (call, _, last_end) in enumerate(SLOTS)
                          if call >= opens and last_end <= closes)
            self.rooms.append(_Room(room["id"], code, categories, slots, tuple(accounts)))
        # Store-wide accounts that no single room owns.
        for platform, display in ((Platform.TAOBAO, f"锦华百货{short}官方旗舰店"),
                                  (Platform.WECHAT, f"锦华百货{short}小程序商城")):
            account = _base(at)
            account.update(store_id=self.store_id, platform=platform,
                           handle=f"jinhua_{store_code.lower()}_official", display_name=display,
                           room_id=None)
            self.writer.add(PlatformAccount, account)

    def _anchors(self, taken: set[str]) -> None:
        rng, scale = self.rng, self.scale
        kinds = (["controller"] * scale.controllers + ["staff"] * scale.staff
                 + ["brand"] * scale.brand + ["guest"] * scale.guests)
        cats = [c.name for c in CATEGORIES]
        employers = rng.sample([b for c in CATEGORIES for b in c.brands],
                               min(scale.brand, sum(len(c.brands) for c in CATEGORIES)))
        # A few certificates expire within a month, a few have already lapsed.
        soon = set(rng.sample(range(len(kinds)), max(2, len(kinds) // 10)))
        lapsed = set(rng.sample(sorted(set(range(len(kinds))) - soon), max(1, len(kinds) // 20)))
        for i, kind in enumerate(kinds):
            name, login = self._person(taken)
            employer = ""
            if kind == "brand":
                brand = employers[i % len(employers)]
                employer = brand.name
                categories = (self.brand_category[brand.name],)
                brands: tuple[str, ...] = (brand.name,)
                cap, affiliation = rng.choice((36, 40)), Affiliation.BRAND
            else:
                if kind == "staff":
                    # Cycle primary categories so every room has trained hosts.
                    chosen = [cats[i % len(cats)]] + rng.sample(cats, 2)
                    cap = rng.choice((40, 44))
                elif kind == "controller":
                    chosen = rng.sample(cats, 2)
                    cap = 44
                else:
                    chosen = rng.sample(cats, rng.randint(1, 2))
                    cap = rng.choice((12, 16, 20))
                categories = tuple(dict.fromkeys(chosen))
                pool = [b.name for c in categories for b in CATEGORY_BY_NAME[c].brands]
                brands = tuple(rng.sample(pool, max(2, int(len(pool) * rng.uniform(0.4, 0.8)))))
                affiliation = Affiliation.GUEST if kind == "guest" else Affiliation.STAFF
            if i in soon:
                certified = self.today + timedelta(days=rng.randint(3, 30))
            elif i in lapsed:
                certified = self.today - timedelta(days=rng.randint(3, 45))
            else:
                certified = self.today + timedelta(days=rng.randint(60, 600))
            row = _base(self.catalog_at)
            row.update(
                store_id=self.store_id, code=f"A{i + 1:03d}", name=name, affiliation=affiliation,
                employer_brand=employer, trained_brands=list(brands),
                trained_categories=list(categories), certification_expires=certified,
                weekly_hours_cap=cap, phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                active=True,
            )
            self.writer.add(Anchor, row)
            self.anchors.append(_Anchor(row["id"], row["code"], name, login, kind, brands,
                                        categories, certified, cap * 60))

    def _users(self, taken: set[str]) -> None:
        rng = self.rng
        logins: set[str] = set()

        def add(name: str, login: str, role: Role, anchor: _Anchor | None = None,
                store: bool = True) -> UUID:
            while login in logins:
                login += str(rng.randrange(10))
            logins.add(login)
            pin = f"{rng.randrange(10**6):06d}"
            row = _base(self.catalog_at)
            row.update(store_id=self.store_id if store else None, login=login, display_name=name,
                       role=role, pin_hash=hash_pin(pin), anchor_id=anchor.id if anchor else None,
                       active=True)
            self.writer.add(User, row)
            self.users.append(DemoUser(login, name, role, pin))
            if anchor is not None:
                anchor.user_id = row["id"]
            return row["id"]

        for _ in range(2):
            self.managers.append(add(*self._person(taken), Role.STORE_MANAGER))
        # Room controllers are on the roster (shifts need an anchor row), so their users link to it.
        for anchor in [a for a in self.anchors if a.kind == "controller"][:ROOM_CONTROLLER_USERS]:
            self.writers.append(add(anchor.name, anchor.login, Role.ROOM_CONTROLLER, anchor))
        hosts = ([a for a in self.anchors if a.kind == "staff"][:2]
                 + [a for a in self.anchors if a.kind == "brand"][:2]
                 + [a for a in self.anchors if a.kind == "guest"][:1])
        for anchor in hosts:
            self.writers.append(add(anchor.name, anchor.login, Role.ANCHOR, anchor))
        add(*self._person(taken), Role.HEAD_OFFICE, store=False)

    def _time_off(self) -> None:
        rng = self.rng
        weeks = (self.end_day - self.first_day).days // 7 + 1
        for anchor in self.anchors:
            for week in range(weeks):
                if rng.random() >= 0.15:
                    continue
                start = self.first_day + timedelta(weeks=week, days=rng.randrange(7))
                if anchor.kind == "guest" and rng.random() < 0.5:
                    kind, days, reason = TimeOffKind.UNAVAILABLE, rng.randint(2, 3), "外地拍摄档期"
                    status = RequestStatus.APPROVED
                else:
                    kind, days = TimeOffKind.TIME_OFF, 1
                    reason = rng.choice(("年假", "调休", "病假", "家中有事"))
                    future = start > self.today
                    status = (RequestStatus.REQUESTED if future and rng.random() < 0.5
                              else RequestStatus.REJECTED if rng.random() < 0.05
                              else RequestStatus.APPROVED)
                starts = self._local(start, time(0))
                asked = self._before_now(starts - timedelta(days=rng.randint(3, 10)))
                row = _base(asked)
                row.update(store_id=self.store_id, anchor_id=anchor.id, kind=kind, starts_at=starts,
                           ends_at=self._local(start + timedelta(days=days), time(0)), reason=reason,
                           status=status,
                           decided_by=None if status is RequestStatus.REQUESTED else self.managers[0])
                self.writer.add(TimeOff, row)
                if status is not RequestStatus.REJECTED:
                    anchor.blocked.update(start + timedelta(days=d) for d in range(days))

    # -- roster and shows --

    def _schedule(self) -> None:
        rng = self.rng
        day = self.first_day
        while day < self.end_day:
            busy = day.weekday() >= 5
            plan: list[tuple[int, int]] = []
            for r, room in enumerate(self.rooms):
                wanted = rng.choice((2, 3, 3, 3) if busy else (1, 2, 2, 2))
                for slot in rng.sample(room.slots, min(wanted, len(room.slots))):
                    plan.append((slot, r))
            for slot, r in sorted(plan):
                self._show(day, slot, self.rooms[r])
            day += timedelta(days=1)

    def _free(self, a: _Anchor, day: date, start: datetime, end: datetime, on_air: int) -> bool:
        if day in a.blocked:
            return False
        if day not in a.worked and _run_length(a.worked, day) > MAX_DAYS_IN_A_ROW:
            return False
        minutes = int((end - start).total_seconds()) // 60
        monday = day - timedelta(days=day.weekday())
        if (a.week_minutes if a.week == monday else 0) + minutes > a.cap_minutes:
            return False
        if a.day == day:
            if a.day_minutes + minutes > MAX_DAY_MINUTES or a.day_on_air + on_air > MAX_ON_AIR_MINUTES:
                return False
            return all(start >= e + SAME_DAY_GAP or end + SAME_DAY_GAP <= s for s, e in a.day_shifts)
        return a.last_end is None or start - a.last_end >= MIN_REST

    def _book(self, a: _Anchor, day: date, start: datetime, end: datetime, on_air: int) -> None:
        minutes = int((end - start).total_seconds()) // 60
        monday = day - timedelta(days=day.weekday())
        if a.week != monday:
            a.week, a.week_minutes = monday, 0
        a.week_minutes += minutes
        if a.day != day:
            a.day, a.day_shifts, a.day_minutes, a.day_on_air = day, [], 0, 0
        a.day_shifts.append((start, end))
        a.worked.add(day)
        a.day_minutes += minutes
        a.day_on_air += on_air
        a.last_end = end if a.last_end is None else max(a.last_end, end)

    def _pick(self, candidates: list[_Anchor], day: date, start: datetime, end: datetime,
              on_air: int, second_shift_penalty: int) -> _Anchor | None:
        best, best_score = None, 0.0
        for a in candidates:
            if not self._free(a, day, start, end, on_air):
                continue
            # Spread the hours: least-worked first, a second show in a day only if needed.
            score = (a.week_minutes if a.week == day - timedelta(days=day.weekday()) else 0)
            score += second_shift_penalty if a.day == day else 0
            score += self.rng.random() * 240
            if best is None or score < best_score:
                best, best_score = a, score
        return best

    def _hosts_for(self, day: date, category: str, brand: str) -> list[_Anchor]:
        return [a for a in self.anchors
                if a.kind != "controller" and a.certified_until >= day and category in a.categories
                and (not brand or brand in a.brands)]

    def _show(self, day: date, slot: int, room: _Room) -> None:
        rng = self.rng
        duration = rng.choice((120, 120, 120, 105, 90))
        offset = rng.choice(range(0, 121 - duration, 15))
        start = self._local(day, SLOTS[slot][1]) + timedelta(minutes=offset)
        end = start + timedelta(minutes=duration)
        call = start - PREP
        # Shows start up to 2 minutes early and overrun up to 10: none may be live at ``now``.
        if start - timedelta(minutes=2) < self.now < end + timedelta(minutes=10):
            return
        past = end + timedelta(minutes=10) <= self.now
        categories = list(room.categories)
        rng.shuffle(categories)
        cancelled = past and rng.random() < 0.02
        host: _Anchor | None = None
        category = categories[0]
        if not cancelled:
            for category in categories:
                host = self._pick(self._hosts_for(day, category, ""), day, call, end, duration, 900)
                if host is not None:
                    break
            if host is None:
                return  # nobody trained and free: the room stays dark
        brand = self._theme_brand(category, host)
        title = self._title(category, brand, day)
        crew = self._crew(host, day, call, end, category, brand) if host else []
        status = (BroadcastStatus.CANCELLED if cancelled
                  else BroadcastStatus.ENDED if past else BroadcastStatus.PLANNED)
        accounts = (list(room.account_ids) if rng.random() < 0.3
                    else [rng.choice(room.account_ids)])
        planned_at = self._before_now(start - timedelta(days=rng.randint(3, 14), hours=rng.randint(0, 8)))
        broadcast = _base(planned_at)
        bid = broadcast["id"]
        lines = self._queue(category, brand, host, past and not cancelled)
        actual_start = actual_end = None
        events: list[dict[str, Any]] = []
        metrics: list[dict[str, Any]] = []
        if status is BroadcastStatus.ENDED:
            actual_start = start + timedelta(seconds=rng.randint(-120, 360))
            actual_end = end + timedelta(seconds=rng.randint(-300, 600))
            # The room controller usually drives the on-air screen, else a host with a login.
            operator = next((a.user_id for a, _ in reversed(crew) if a.user_id), None)
            events, metrics = self._run(bid, actual_start, actual_end, lines, operator, day)
            broadcast["updated_at"] = actual_end
        elif status is BroadcastStatus.CANCELLED:
            broadcast["updated_at"] = self._before_now(start - timedelta(hours=rng.randint(2, 48)))
        broadcast.update(
            store_id=self.store_id, room_id=room.id, title=title, platform_account_ids=accounts,
            planned_start=start, planned_end=end, actual_start=actual_start, actual_end=actual_end,
            status=status, brand=brand, category=category,
            notes="已取消：品牌样品未到" if cancelled else rng.choice(SHOW_NOTES),
        )
        self.writer.add(Broadcast, broadcast)
        self.room_shows[room.id].append((call, end))
        self._write_crew(crew, day, room, bid, call, start, end, planned_at)
        for line in lines:
            row = _base(planned_at, actual_end or planned_at)
            row.update(id=line.id, store_id=self.store_id, broadcast_id=bid,
                       product_id=self.p_id[line.product], position=line.link,
                       link_number=line.link, live_price_fen=line.live_price, deal=line.deal,
                       planned_seconds=line.planned_seconds, stock_allocated=line.allocated,
                       status=line.status)
            self.writer.add(QueueItem, row)
        for event in events:
            self.writer.add(OnAirEvent, event)
        for metric in metrics:
            self.writer.add(MetricSnapshot, metric)
        if status is not BroadcastStatus.CANCELLED and lines:
            if not past:
                self.upcoming_shows.append((bid, title, start))
            # Scripts are written for what is coming up; older shows only fill the gaps.
            if not past or rng.random() < 0.2:
                self.script_candidates.append((1 if past else 0, rng.choice(lines)))

    def _write_crew(self, crew: list[tuple[_Anchor, ShiftRole]], day: date, room: _Room, bid: UUID,
                    call: datetime, start: datetime, end: datetime, planned_at: datetime) -> None:
        published = call < self.publish_until
        for anchor, role in crew:
            row = _base(planned_at)
            # The room controller sets up from call time; hosts are on air for the show
            # itself, which keeps them inside the 120-minutes-in-a-row voice limit.
            row.update(store_id=self.store_id, anchor_id=anchor.id, room_id=room.id, role=role,
                       starts_at=call if role is ShiftRole.ROOM_CONTROLLER else start,
                       ends_at=end, broadcast_id=bid,
                       status=ShiftStatus.PUBLISHED if published else ShiftStatus.DRAFT,
                       published_version=1 if published else None, override_reason="")
            self.writer.add(Shift, row)
        if crew:
            self.week_shifts[day - timedelta(days=day.weekday())] += len(crew)

    def _on_air_now(self) -> None:
        """One show of today on air since 25 minutes before ``now``, three products in, with its figures.

        Written as the on-air service leaves it (an open show run, its events, its metrics, the
        broadcast live), in the first room free for the two hours around it; a random stream of its
        own keeps the rest of the demo as it was.
        """
        start = (self.now - ON_AIR_FOR).replace(microsecond=0)
        end = start + timedelta(minutes=120)
        call = start - PREP
        room = next((r for r in self.rooms
                     if all(e + timedelta(minutes=10) <= call or s >= end + timedelta(minutes=10)
                            for s, e in self.room_shows[r.id])), None)
        if room is None:
            return
        main_rng, self.rng = self.rng, random.Random(self.today.toordinal())
        try:
            self._write_on_air(room, start, end, call)
        finally:
            self.rng = main_rng

    def _write_on_air(self, room: _Room, start: datetime, end: datetime, call: datetime) -> None:
        day = start.astimezone(self.tz).date()
        category, host = room.categories[0], None
        for category in room.categories:
            host = self._pick(self._hosts_for(day, category, ""), day, call, end, 120, 900)
            if host is not None:
                break
        brand = self._theme_brand(category, host)
        lines = self._queue(category, brand, host, False)[:12]
        blocked = {p for ps in self.blocked_products.values() for p in ps}
        lines = [line for line in lines if line.product not in blocked]
        if len(lines) < 5:
            return
        crew = self._crew(host, day, call, end, category, brand) if host else []
        planned_at = start - timedelta(days=5)
        bid = new_id()
        broadcast = _base(planned_at, start)
        broadcast.update(id=bid, store_id=self.store_id, room_id=room.id, title=self._title(category, brand, day),
                         platform_account_ids=[room.account_ids[0]], planned_start=start, planned_end=end,
                         actual_start=start, actual_end=None, status=BroadcastStatus.LIVE, brand=brand,
                         category=category, notes=SHOW_NOTES[0])
        self.writer.add(Broadcast, broadcast)
        self.room_shows[room.id].append((call, end))
        self._write_crew(crew, day, room, bid, call, start, end, planned_at)
        operator = next((a.user_id for a, _ in reversed(crew) if a.user_id), None)
        run = _base(start)
        run.update(store_id=self.store_id, broadcast_id=bid, room_id=room.id, rehearsal=False, started_at=start,
                   ended_at=None, started_by=operator)
        self.writer.add(ShowRun, run)
        for line in lines:
            row = _base(planned_at)
            row.update(id=line.id, store_id=self.store_id, broadcast_id=bid, product_id=self.p_id[line.product],
                       position=line.link, link_number=line.link, live_price_fen=line.live_price, deal=line.deal,
                       planned_seconds=line.planned_seconds, stock_allocated=line.allocated,
                       status=QueueItemStatus.PENDING)
            self.writer.add(QueueItem, row)
        log: list[tuple[float, OnAirEventKind, UUID | None, dict[str, Any]]] = [
            (0.0, OnAirEventKind.SHOW_STARTED, None, {"rehearsal": False})]
        t, elapsed = 240.0, ON_AIR_FOR.total_seconds()
        sales = []
        for n, line in enumerate(lines[:4]):
            price = {"link_number": line.link, "live_price_fen": line.live_price}
            log.append((t, OnAirEventKind.PRODUCT_STARTED, line.id, price))
            if n == 3:
                break    # on air now, a little over half its planned time in
            span = line.planned_seconds * (1.1 if n == 1 else 0.95)
            sold = min(line.allocated, 6 + 5 * n)
            log.append((t + span / 2, OnAirEventKind.STOCK_CHANGED, line.id,
                        {"link_number": line.link, "stock": line.allocated - sold}))
            log.append((t + span, OnAirEventKind.PRODUCT_ENDED, line.id,
                        {"link_number": line.link, "seconds": round(span)}))
            sales.append((t, t + span, sold, line.live_price))
            t += span + 20
        current = lines[3]
        log[-1] = (elapsed - current.planned_seconds * 0.55, *log[-1][1:])
        log.append((elapsed - 90, OnAirEventKind.NOTE, current.id, {"text": ON_AIR_NOTES[0],
                                                                     "link_number": current.link}))
        log.sort(key=lambda e: e[0])
        for seq, (offset, kind, qid, payload) in enumerate(log, start=1):
            at = start + timedelta(seconds=round(offset, 3))
            event = _base(at)
            event.update(store_id=self.store_id, broadcast_id=bid, run_id=run["id"], queue_item_id=qid, kind=kind,
                         at=at, seq=seq, user_id=operator, payload=payload)
            self.writer.add(OnAirEvent, event)
        views = 0
        for metric in self._metrics(bid, start, int(elapsed // 60), 1200, sales):
            views += metric["viewers"] // 2 + 40
            metric.update(run_id=run["id"], views=views)
            self.writer.add(MetricSnapshot, metric)

    def _crew(self, host: _Anchor, day: date, call: datetime, end: datetime, category: str,
              brand: str) -> list[tuple[_Anchor, ShiftRole]]:
        """Book the host, maybe a co-host trained for the theme, and a room controller."""
        on_air = int((end - call - PREP).total_seconds()) // 60
        self._book(host, day, call, end, on_air)
        crew = [(host, ShiftRole.HOST)]
        if self.rng.random() < 0.4:
            co = self._pick([a for a in self._hosts_for(day, category, brand) if a is not host],
                            day, call, end, on_air, 900)
            if co is not None:
                self._book(co, day, call, end, on_air)
                crew.append((co, ShiftRole.CO_HOST))
        taken = {a.id for a, _ in crew}
        control = [a for a in self.anchors if a.kind in ("controller", "staff") and a.id not in taken]
        # Dedicated controllers first: other staff only when none is free.
        controller = (self._pick([a for a in control if a.kind == "controller"], day, call, end, 0, 200)
                      or self._pick([a for a in control if a.kind == "staff"], day, call, end, 0, 600))
        if controller is not None:
            self._book(controller, day, call, end, 0)
            crew.append((controller, ShiftRole.ROOM_CONTROLLER))
        return crew

    def _theme_brand(self, category: str, host: _Anchor | None) -> str:
        rng = self.rng
        if host is None:
            return rng.choice(CATEGORY_BY_NAME[category].brands).name
        brands = [b for b in host.brands
                  if self.brand_category[b] == category and self.on_air_ok.get((category, b))]
        if host.kind == "brand" and brands:
            return brands[0]
        if not brands or rng.random() < 0.25:
            return ""  # a category show across the host's brands
        return rng.choice(brands)

    def _title(self, category: str, brand: str, day: date) -> str:
        rng = self.rng
        if not brand:
            return rng.choice(CATEGORY_BY_NAME[category].show_titles)
        season = "春夏秋冬"[(day.month - 3) % 12 // 3]
        return rng.choice((f"{brand}{category}专场", f"{brand}新品首发", f"{brand}会员日专场",
                           f"{brand}{season}季上新"))

    def _queue(self, category: str, brand: str, host: _Anchor | None, past: bool) -> list[_QueueLine]:
        rng = self.rng
        wanted = rng.randint(10, 25)
        if brand:
            pool = list(self.on_air_ok.get((category, brand), []))
        else:
            brands = host.brands if host else [b.name for b in CATEGORY_BY_NAME[category].brands]
            pool = [p for b in brands for p in self.on_air_ok.get((category, b), [])]
        if len(pool) < wanted:
            # Thin brand: fill from the rest of the category, the host's brands first.
            extra = [p for b in CATEGORY_BY_NAME[category].brands if b.name != brand
                     for p in self.on_air_ok.get((category, b.name), [])]
            extra.sort(key=lambda p: host is None or self.p_brand[p] not in host.brands)
            pool += extra[: wanted - len(pool)]
        chosen = rng.sample(pool, min(wanted, len(pool)))
        blocked = self.blocked_products.get(category)
        if not past and blocked and chosen and rng.random() < 0.08:
            # A planned show with a product lacking papers, so the on-air gate has work to do.
            chosen[rng.randrange(len(chosen))] = rng.choice(blocked)
        deals = CATEGORY_BY_NAME[category].deals + GENERIC_DEALS
        lines = []
        for link, p in enumerate(chosen, start=1):
            counter = self.p_price[p]
            live = int(counter * rng.uniform(0.68, 0.95)) // 1000 * 1000
            if rng.random() < 0.5 and live > 1000:
                live -= 100  # ¥1,029 rather than ¥1,030
            live = max(100, min(live, counter - 100))
            allocated = rng.choice((20, 30, 50, 80, 100, 200))
            if not past:
                allocated = min(allocated, self.p_stock[p])
            lines.append(_QueueLine(new_id(), p, link, live, rng.choice(deals),
                                    rng.randrange(120, 301, 30), allocated))
        return lines

    def _run(self, bid: UUID, actual_start: datetime, actual_end: datetime,
             lines: list[_QueueLine], operator: UUID | None, day: date,
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """What an ended show left behind: its event log and per-minute metrics."""
        rng = self.rng
        length = (actual_end - actual_start).total_seconds()
        intro, outro = rng.uniform(120, 420), rng.uniform(120, 300)
        for line in lines:
            line.status = QueueItemStatus.SKIPPED if rng.random() < 0.05 else QueueItemStatus.DONE
        shown = [l for l in lines if l.status is QueueItemStatus.DONE]
        spans = [l.planned_seconds * rng.uniform(0.8, 1.3) for l in shown]
        room = length - intro - outro
        if sum(spans) > room * 0.85:
            factor = room * 0.85 / sum(spans)
            spans = [s * factor for s in spans]
        weights = [rng.random() + 0.2 for _ in lines]
        gap_unit = (room - sum(spans)) / sum(weights)
        busy = day.weekday() >= 5
        peak = int(rng.uniform(300, 3000) * (1.4 if busy else 1.0)
                   * (1.5 if actual_start.astimezone(self.tz).hour >= 18 else 1.0))

        log: list[tuple[float, OnAirEventKind, UUID | None, dict[str, Any]]] = [
            (0.0, OnAirEventKind.SHOW_STARTED, None, {})]
        sales: list[tuple[float, float, int, int]] = []  # start, end, orders, price
        t, span_iter = intro, iter(spans)
        lo, hi = self.scale.stock_ticks
        for line, weight in zip(lines, weights):
            t += gap_unit * weight
            if line.status is QueueItemStatus.SKIPPED:
                log.append((t, OnAirEventKind.PRODUCT_SKIPPED, line.id,
                            {"link_number": line.link, "reason": rng.choice(SKIP_REASONS)}))
                continue
            span = next(span_iter)
            begin, finish = t, t + span
            price = line.live_price
            log.append((begin, OnAirEventKind.PRODUCT_STARTED, line.id,
                        {"link_number": line.link, "live_price_fen": price}))
            yuan = max(price / 100, 30)
            mean = peak * rng.uniform(0.004, 0.025) * min(3.0, (500 / yuan) ** 0.5)
            orders = min(line.allocated, max(0, int(rng.gauss(mean, mean / 3))))
            inner: list[tuple[float, OnAirEventKind, dict[str, Any]]] = []
            ticks = rng.randint(lo, hi)
            for k, at in enumerate(sorted(rng.uniform(begin + 5, finish - 5) for _ in range(ticks))):
                sold = orders * (k + 1) // (ticks + 1)
                inner.append((at, OnAirEventKind.STOCK_CHANGED,
                              {"link_number": line.link, "stock": line.allocated - sold}))
            if rng.random() < 0.06:
                cut = min(rng.choice((1000, 2000, 5000)), price // 5 // 100 * 100)
                if cut > 0:
                    inner.append((rng.uniform(begin + 5, finish - 5), OnAirEventKind.PRICE_CHANGED,
                                  {"link_number": line.link, "from_fen": price, "to_fen": price - cut}))
                    line.live_price = price - cut
            if rng.random() < 0.08:
                inner.append((rng.uniform(begin + 5, finish - 5), OnAirEventKind.NOTE,
                              {"text": rng.choice(ON_AIR_NOTES)}))
            inner.sort(key=lambda e: e[0])
            log += [(at, kind, line.id, payload) for at, kind, payload in inner]
            log.append((finish, OnAirEventKind.PRODUCT_ENDED, line.id,
                        {"link_number": line.link, "seconds": round(span)}))
            sales.append((begin, finish, orders, line.live_price))
            t = finish
        log.append((length, OnAirEventKind.SHOW_ENDED, None, {}))

        events = []
        last = -1.0
        for seq, (offset, kind, qid, payload) in enumerate(log, start=1):
            offset = max(round(offset, 3), last + 0.001)  # strictly increasing, whatever rounding does
            last = offset
            at = actual_start + timedelta(seconds=offset)
            events.append({"id": new_id(), "created_at": at, "updated_at": at, "row_version": 1,
                           "deleted_at": None, "store_id": self.store_id, "broadcast_id": bid,
                           "queue_item_id": qid, "kind": kind, "at": at, "seq": seq,
                           "user_id": operator, "payload": payload})
        return events, self._metrics(bid, actual_start, int(length // 60), peak, sales)

    def _metrics(self, bid: UUID, actual_start: datetime, minutes: int, peak: int,
                 sales: list[tuple[float, float, int, int]]) -> list[dict[str, Any]]:
        rng = self.rng
        orders_at = [0] * (minutes + 2)
        gmv_at = [0] * (minutes + 2)
        for begin, finish, orders, price in sales:
            last = min(int(finish // 60) + 1, minutes)
            first = min(int(begin // 60) + 1, last)
            span = last - first + 1
            each, extra = divmod(orders, span)
            for k, m in enumerate(range(first, last + 1)):
                n = each + (1 if k < extra else 0)
                orders_at[m] += n
                gmv_at[m] += n * price
        rows = []
        likes = orders = gmv = 0
        fade_from = minutes * 0.7
        for m in range(1, minutes + 1):
            ramp = min(1.0, 0.3 + 0.7 * m / 15)
            fade = 1.0 - 0.3 * max(0.0, (m - fade_from) / max(1.0, minutes - fade_from))
            viewers = int(peak * ramp * fade * rng.uniform(0.9, 1.1))
            likes += int(viewers * rng.uniform(0.05, 0.2))
            orders += orders_at[m]
            gmv += gmv_at[m]
            at = actual_start + timedelta(minutes=m)
            rows.append({"id": new_id(), "created_at": at, "updated_at": at, "row_version": 1,
                         "deleted_at": None, "store_id": self.store_id, "broadcast_id": bid,
                         "at": at, "viewers": viewers, "likes": likes, "orders": orders,
                         "gmv_fen": gmv})
        return rows

    # -- scripts and audit --

    def _scripts(self) -> None:
        rng = self.rng
        store_name = GROUP_STORES[0][1]
        seen: set[int] = set()
        ordered = sorted(self.script_candidates, key=lambda c: c[0])
        for _, line in ordered:
            if len(seen) >= self.scale.product_scripts:
                break
            if line.product in seen:
                continue
            seen.add(line.product)
            p = line.product
            category = CATEGORY_BY_NAME[self.p_category[p]]
            body = ("{{link_number}}号链接，" + self.p_name[p] + "，规格" + self.p_spec[p] + "。"
                    + rng.choice(category.selling_points)
                    + "专柜价{{counter_price}}，今天直播间到手{{live_price}}"
                    + (f"，{line.deal}" if line.deal else "") + "。"
                    + "现在库存{{stock}}件，大家在小黄车里下单就可以。")
            if self.p_after_sales[p]:
                body += "售后：" + self.p_after_sales[p]
            self._script(ScriptKind.PRODUCT, f"{self.p_name[p]} 讲解话术", body, self.p_id[p], None)
        segments = list(SEGMENTS)
        upcoming = sorted(self.upcoming_shows, key=lambda u: u[2])
        for i in range(self.scale.segment_scripts):
            title, text = segments[i % len(segments)]
            bid = None
            if i >= len(segments) and upcoming:
                # Beyond the general ones: segments written for particular upcoming shows.
                bid, show_title, _ = upcoming[(i - len(segments)) % len(upcoming)]
                title = f"{title}：{show_title}"
            self._script(ScriptKind.SEGMENT, title, text.format(store=store_name), None, bid)

    def _script(self, kind: ScriptKind, title: str, body: str, product_id: UUID | None,
                broadcast_id: UUID | None) -> None:
        rng = self.rng
        history = rng.choice((
            ("approved",), ("approved",), ("approved", "draft"), ("approved", "submitted"),
            ("rejected", "approved"), ("draft",), ("submitted",), ("rejected", "submitted"),
        ))
        written = self.now - timedelta(days=rng.randint(5, 30), hours=rng.randint(0, 10))
        script = _base(written)
        approved: UUID | None = None
        versions = []
        for number, state in enumerate(history, start=1):
            at = written + timedelta(days=number - 1, hours=rng.randint(0, 6))
            text = body
            if state == "rejected" or (state == "draft" and rng.random() < 0.4):
                text = body + rng.choice(VIOLATIONS)
            elif number > 1:
                text = body + "喜欢的朋友先点关注，开播提醒不错过。"
            status = ScriptVersionStatus(state)
            decided = status in (ScriptVersionStatus.APPROVED, ScriptVersionStatus.REJECTED)
            decided_at = at + timedelta(hours=rng.randint(1, 20)) if decided else None
            if decided_at is not None:
                decided_at = self._before_now(decided_at)
            row = _base(at, decided_at or at)
            row.update(store_id=self.store_id, script_id=script["id"], number=number, body=text,
                       author_id=rng.choice(self.writers), status=status,
                       decided_by=self.managers[number % 2] if decided else None,
                       decided_at=decided_at,
                       rule_pack_version=None if status is ScriptVersionStatus.DRAFT else 1)
            versions.append(row)
            if status is ScriptVersionStatus.APPROVED:
                approved = row["id"]
                self._audit_row(decided_at or at, self.managers[number % 2], AuditVia.GUI,
                                "script_approved", "script_version", row["id"], number=number)
        script.update(store_id=self.store_id, kind=kind, title=title[:200], product_id=product_id,
                      broadcast_id=broadcast_id, approved_version_id=approved,
                      updated_at=max(v["updated_at"] for v in versions))
        self.writer.add(Script, script)
        for row in versions:
            self.writer.add(ScriptVersion, row)

    def _audit_row(self, at: datetime, user_id: UUID | None, via: AuditVia, action: str,
                   entity: str = "", entity_id: UUID | None = None, **detail: Any) -> None:
        row = _base(at)
        row.update(store_id=self.store_id, at=at, user_id=user_id, via=via, action=action,
                   entity=entity, entity_id=entity_id, detail=detail)
        self.writer.add(AuditLog, row)

    def _audit(self) -> None:
        self._audit_row(self.catalog_at, self.managers[0], AuditVia.DEMO, "store_created", "store",
                        self.store_id)
        for monday, shifts in sorted(self.week_shifts.items()):
            published = self._local(monday - timedelta(days=3), time(17))
            if published <= self.now and self._local(monday, time(0)) < self.publish_until:
                self._audit_row(published, self.managers[0], AuditVia.GUI, "roster_published",
                                "roster", None, week=monday.isoformat(), shifts=shifts)
        self._audit_row(self.now, None, AuditVia.DEMO, "demo_built", "store", self.store_id,
                        scale=next(k for k, v in SCALES.items() if v is self.scale))


def _ean13(rng: random.Random, brand: _Brand) -> str:
    # GS1 prefixes: 690-699 China, 300-379 France, 450-459/490-499 Japan, 000-139 USA ...
    prefix = {"法国": "30", "日本": "45", "美国": "00", "德国": "40", "英国": "50", "荷兰": "87",
              "丹麦": "57", "中国香港": "48"}.get(brand.origin, "69")
    digits = prefix + f"{rng.randrange(10**10):010d}"
    checksum = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return digits + str(checksum)
