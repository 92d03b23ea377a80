"""Pinyin search keys: how a product is found by typing its pinyin or just the initials.

``Product.search_key`` holds :func:`search_key` of its name and brand. The
ORM sets it whenever either changes (``console.storage.models``), head office
sets it on every product it writes, and the demo's bulk inserts call it too,
so a product is findable by pinyin whoever wrote it.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ASCII passes through as it is; everything else goes to pypinyin, a run at a time.
_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


def search_key(name: str, brand: str = "") -> str:
    """Full toneless pinyin, a space, then the pinyin initials; lower case, without spaces.

    The brand goes in front unless the name already holds it, so the brand's
    initials find the product too. ``search_key("雅诗兰黛小棕瓶")`` is
    ``"yashilandaixiaozongping ysldxzp"``.
    """
    text = name if brand in name else brand + name
    full, initials = [], []
    for run in _RUNS.findall(text):
        if run.isascii():
            full.append(run)
            initials.append(run)
        else:
            whole, first = _pinyin(run)
            full.append(whole)
            initials.append(first)
    return f"{_squeeze(''.join(full))} {_squeeze(''.join(initials))}"


def _squeeze(text: str) -> str:
    return "".join(text.split()).lower()


# A catalog's names share their Chinese runs (brand, series, item): the demo's
# 100,000 products have a few thousand, and pypinyin takes ~0.1 ms for one.
@lru_cache(maxsize=8192)
def _pinyin(run: str) -> tuple[str, str]:
    # Imported here: pypinyin's dictionaries take a fifth of a second to load,
    # which the console's start-up should not pay before anyone searches.
    from pypinyin import Style, lazy_pinyin

    _load_brand_readings()
    return "".join(lazy_pinyin(run)), "".join(lazy_pinyin(run, style=Style.FIRST_LETTER))


# Brands that do not read as their characters usually do: a shopper types 美的 as "meidi", not "meide".
BRAND_READINGS: dict[str, tuple[str, ...]] = {
    "美的": ("měi", "dí"),
    "便宜坊": ("biàn", "yí", "fāng"),
}


@lru_cache(maxsize=1)
def _load_brand_readings() -> None:
    from pypinyin import load_phrases_dict

    load_phrases_dict({word: [[syllable] for syllable in reading] for word, reading in BRAND_READINGS.items()})
