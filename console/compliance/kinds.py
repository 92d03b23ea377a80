"""Which kind of goods a catalog category is, and whether that kind may make medical claims at all.

Rule packs name kinds (``skip_categories``: 杀菌 is a dishwasher's feature and a
cream's claim); catalogs name categories in the store's words (家电, 美妆, 母婴).
"""

from __future__ import annotations

KINDS = ("cosmetics", "food", "appliances", "clothing", "jewellery", "baby", "tea_liquor", "medicine",
         "medical_device")
# Kinds whose products are registered to make medical claims (a medicine, a medical device).
MEDICAL_KINDS = frozenset({"medicine", "medical_device"})

# A category's words, longest first, to the kind: the catalog's own names and the usual others.
_WORDS: tuple[tuple[str, str], ...] = (
    ("医疗器械", "medical_device"), ("药品", "medicine"), ("药", "medicine"),
    ("美妆", "cosmetics"), ("化妆", "cosmetics"), ("护肤", "cosmetics"), ("彩妆", "cosmetics"), ("香水", "cosmetics"),
    ("个护", "cosmetics"),
    ("家电", "appliances"), ("电器", "appliances"), ("数码", "appliances"), ("厨具", "appliances"),
    ("服饰", "clothing"), ("服装", "clothing"), ("女装", "clothing"), ("男装", "clothing"), ("鞋", "clothing"),
    ("箱包", "clothing"), ("运动", "clothing"), ("内衣", "clothing"),
    ("珠宝", "jewellery"), ("黄金", "jewellery"), ("首饰", "jewellery"), ("饰品", "jewellery"), ("钟表", "jewellery"),
    ("母婴", "baby"), ("婴", "baby"), ("童", "baby"), ("玩具", "baby"),
    ("茶", "tea_liquor"), ("酒", "tea_liquor"),
    ("食品", "food"), ("特产", "food"), ("生鲜", "food"), ("零食", "food"), ("保健", "food"),
)


def product_kind(category: str | None) -> str | None:
    """The kind of ``category`` (a kind's own name passes through), None when it is not known."""
    if not category:
        return None
    lowered = category.strip().casefold()
    if lowered in KINDS:
        return lowered
    for word, kind in _WORDS:
        if word in lowered:
            return kind
    return None


def medical_allowed(category: str | None) -> bool:
    return product_kind(category) in MEDICAL_KINDS
