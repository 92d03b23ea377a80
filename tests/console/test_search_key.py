"""Pinyin search keys read brands as shoppers say them."""

from __future__ import annotations

from console.domain.search import search_key


def test_a_key_holds_the_full_pinyin_then_the_initials() -> None:
    assert search_key("格力空调") == "gelikongtiao glkt"
    assert search_key("小棕瓶", "雅诗兰黛") == "yashilandaixiaozongping ysldxzp"


def test_brands_read_as_their_own_names_not_as_the_characters_usually_do() -> None:
    # 的 is "de" nearly everywhere, but Midea is 美的 "meidi".
    assert search_key("美的空调") == "meidikongtiao mdkt"
    assert search_key("烤鸭", "便宜坊").startswith("bianyifang")


def test_latin_model_codes_pass_through_lower_cased() -> None:
    assert search_key("海尔冰箱 BCD-470") == "haierbingxiangbcd-470 hebxbcd-470"
