"""Catalog benchmark data: department-store catalog CSVs and a mix of queries as people type them.

Names are built the way a department store's are (brand, series, item, model
code, colour), so their Chinese runs repeat across sizes and colours as real
ones do; the pinyin of a run not met before costs about 0.2 ms, which would
dominate a catalog of all-different names. Files are made once, under
``bench/.data/`` (git-ignored).
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

SEED = 20261125

_CATEGORIES = {
    "美妆护肤": (("雅诗兰黛", "兰蔻", "资生堂", "欧莱雅", "娇韵诗", "自然堂", "百雀羚"),
             ("特润", "小棕瓶", "菁纯", "红腰子", "臻白", "水光", "多效"),
             ("精华液", "面霜", "眼霜", "爽肤水", "乳液", "面膜", "洁面乳", "防晒霜"),
             ("30ml", "50ml", "100ml", "75ml")),
    "服装": (("波司登", "雅戈尔", "太平鸟", "江南布衣", "鄂尔多斯", "海澜之家"),
           ("经典", "轻薄", "商务", "休闲", "新款", "羊绒"),
           ("羽绒服", "大衣", "衬衫", "西装", "针织衫", "连衣裙", "卫衣", "风衣"),
           ("S", "M", "L", "XL", "XXL")),
    "家电": (("格力", "美的", "海尔", "小米", "苏泊尔", "九阳", "方太"),
           ("智能", "变频", "静音", "家用", "旗舰", "节能"),
           ("空调", "冰箱", "洗衣机", "电饭煲", "豆浆机", "油烟机", "空气净化器", "扫地机器人"),
           ("1.5匹", "3L", "5L", "10kg", "标准版", "尊享版")),
    "珠宝首饰": (("周大福", "老凤祥", "周生生", "六福珠宝", "潘多拉"),
             ("传承", "古法", "简约", "心形", "星空"),
             ("黄金项链", "手镯", "戒指", "耳钉", "吊坠", "手链"),
             ("足金", "18K", "925银", "PT950")),
    "食品": (("良品铺子", "三只松鼠", "百草味", "五芳斋", "稻香村"),
           ("每日", "礼盒", "经典", "家庭装", "鲜"),
           ("坚果", "月饼", "粽子", "糕点", "肉脯", "茶叶"),
           ("500g", "750g", "1kg", "12袋")),
}
_COLOURS = ("黑色", "白色", "雾霾蓝", "燕麦色", "酒红", "墨绿", "米白", "深灰", "藏青", "玫瑰金", "")
_POLICIES = ("七天无理由退货", "七天无理由退货，质量问题三十天包换", "非质量问题不退换", "一年质保，三十天包换", "")


def _paper(rng: random.Random, category: str) -> str:
    if category == "食品":
        return f"SC{rng.randrange(10**13, 10**14)}"
    if category == "美妆护肤":
        return f"国妆特字G{rng.randrange(2018, 2026)}{rng.randrange(10**5, 10**6)}"
    if category == "家电":
        return f"{rng.randrange(2018, 2026)}{rng.randrange(10**11, 10**12)}"
    return f"检{rng.randrange(2020, 2026)}-{rng.randrange(10**6, 10**7)}"


def _rows(rng: random.Random):  # type: ignore[no-untyped-def]
    serial = 0
    categories = list(_CATEGORIES.items())
    while True:
        category, (brands, series, items, specs) = rng.choice(categories)
        brand, line, item = rng.choice(brands), rng.choice(series), rng.choice(items)
        model = f"{rng.choice('ABCDKLMNRSTX')}{rng.randrange(100, 10000)}"
        for spec in rng.sample(specs, rng.randint(1, len(specs))):
            serial += 1
            colour = rng.choice(_COLOURS)
            name = f"{brand}{line}{item} {model} {colour}".strip()
            yuan = rng.choice((99, 199, 299, 599, 899, 1299, 2680, 5999, 12999)) + rng.choice((0, 0, 0.5))
            price = rng.choice((f"{yuan:,.2f}", f"￥{yuan:g}", f"{yuan:g}", f"￥{yuan:,.2f}"))
            papers = _paper(rng, category) if rng.random() < 0.95 else ""
            yield (f"SKU{serial:09d}", name, brand, category, spec, price, str(rng.randrange(0, 600)),
                   f"69{rng.randrange(10**10, 10**11)}", papers, rng.choice(_POLICIES))


def make_csv(path: Path, *, rows: int | None = None, size: int | None = None) -> int:
    """A catalog CSV (made once) in GBK with Chinese headers, of ``rows`` rows or about ``size`` bytes; returns its rows."""
    done = path.with_suffix(".complete")
    if done.exists():
        return int(done.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    header = "商品编码,商品名称,品牌,类目,规格,专柜价,库存,条码,资质编号,售后政策\r\n"
    written = 0
    with path.open("w", encoding="gbk", newline="") as out:
        out.write(header)
        for count, row in enumerate(_rows(rng), start=1):
            out.write(",".join(f'"{v}"' if "," in v else v for v in row) + "\r\n")
            if rows is not None and count >= rows or size is not None and out.tell() >= size:
                written = count
                break
    done.write_text(str(written))
    return written


def percentile_ms(samples: list[float], q: float) -> float:
    """The ``q`` quantile of samples in seconds, in milliseconds."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def query_mix(path: str, count: int, rng: random.Random) -> list[str]:
    """Queries as people type them, each from a product of the store at ``path`` taken at random.

    1 to 4 Chinese characters of its name (from the start or from inside, as
    口红 in 雅诗兰黛口红), 2 to 4 pinyin initials, a SKU prefix of 2 characters
    or more, now and then full pinyin or a scanned barcode.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        products = conn.execute(
            "SELECT sku, barcode, name, search_key FROM product WHERE deleted_at IS NULL").fetchall()
    finally:
        conn.close()
    queries = []
    while len(queries) < count:
        sku, barcode, name, key = rng.choice(products)
        full, _, initials = key.partition(" ")
        han = "".join(ch for ch in name if "\u4e00" <= ch <= "\u9fff")
        kind = rng.random()
        if kind < 0.45 and han:
            size = rng.randint(1, 4)
            start = 0 if rng.random() < 0.5 else rng.randrange(max(1, len(han) - size + 1))
            queries.append(han[start:start + size])
        elif kind < 0.70 and len(initials) >= 2:
            queries.append(initials[:rng.randint(2, 4)])
        elif kind < 0.92:
            prefix = sku[:rng.randint(2, len(sku))]
            queries.append(prefix if rng.random() < 0.5 else prefix.lower())
        elif kind < 0.97:
            queries.append(full[:rng.randint(3, 12)])
        else:
            queries.append(barcode)
    return queries
