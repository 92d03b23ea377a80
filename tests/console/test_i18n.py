"""The core's messages: every id in both languages, formats, fallbacks, a bad catalog, and the build's checks."""

from __future__ import annotations

import re
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from console import i18n
from console.domain.errors import OverrideNeeded, RosterBlocked, ValidationError
from console.i18n import (
    CatalogError,
    Message,
    Money,
    load_catalog,
    msg,
    placeholders,
    resolve_language,
)
from console.i18n.formats import format_count, format_date, format_datetime, format_duration, format_money, in_zone

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "resources" / "translations")]
import core_catalog  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
ZH = load_catalog("zh_CN")
EXTRACTED = core_catalog.extract()
# Templates made only of placeholders and punctuation have nothing to translate.
PLACEHOLDER_OR_SPEC = re.compile(r"\{\w+\}|%\(\w+\)[rsd]|%[rsd]")


def has_words(template: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2,}", PLACEHOLDER_OR_SPEC.sub("", template)))


def sample(name: str) -> object:
    """A value of the kind the placeholder's name suggests."""
    if name in ("count", "row", "rows", "column_number", "limit", "days", "minutes", "hours", "total", "n"):
        return 3
    return f"<{name}>"


def test_every_message_renders_in_both_languages() -> None:
    assert len(EXTRACTED) > 100, "the core's messages were not extracted"
    for (ident, template), entry in sorted(EXTRACTED.items()):
        names = placeholders(template) | (placeholders(entry.plural) if entry.plural else frozenset())
        values = {name: sample(name) for name in names}
        message = Message(ident, template, values, entry.plural, "count" if entry.plural else None)
        english, chinese = str(message), ZH.render(message)
        for name, value in values.items():
            shown = ZH.value(value)
            assert shown in english and shown in chinese, (ident, name, english, chinese)
        # Braces the English keeps are written ones ({{live_price}}: a script's variable named to the anchor).
        unfilled = set(re.findall(r"\{\w+\}", chinese)) - set(re.findall(r"\{\w+\}", english))
        assert not unfilled, f"{ident}: a placeholder left unfilled in {chinese!r}"
        if has_words(template):
            # Not a copy of the English ("{day} {start}–{end}" may rightly hold no Chinese character).
            assert chinese != english, f"{ident}: the Chinese reads as the English {english!r}"


def test_plurals_in_english_and_the_measure_word_in_chinese() -> None:
    plural = [e for e in EXTRACTED.values() if e.plural]
    assert plural, "no counted messages in the core"
    for entry in plural:
        if "count" not in placeholders(entry.plural or ""):
            continue   # argparse's own ("expected %s arguments"): argparse fills the number in
        one = Message(entry.id, entry.template, {n: 1 if n == "count" else "x" for n in placeholders(entry.plural)},
                      entry.plural, "count")
        three = Message(entry.id, entry.template, {**one.values, "count": 3}, entry.plural, "count")
        if entry.template != entry.plural:
            assert str(one) != str(three).replace("3", "1"), entry.id
        assert "3" in ZH.render(three), entry.id


def test_an_import_summary_counts_shifts_in_both_languages() -> None:
    imported = [e for e in EXTRACTED.values() if e.plural and "shift" in e.template and "imported" in e.template]
    assert imported, "no counted import summary"
    entry = imported[0]
    others = {name: 0 for name in placeholders(entry.plural or "")} | {"file": "week.csv"}
    one = Message(entry.id, entry.template, {**others, "count": 1}, entry.plural, "count")
    many = Message(entry.id, entry.template, {**others, "count": 1234}, entry.plural, "count")
    assert "1 shift " in str(one) + " " and "shifts" not in str(one)
    assert "1,234 shifts" in str(many)
    assert "1,234 个班次" in ZH.render(many)


def test_values_are_formatted_for_the_reader() -> None:
    assert format_money(129900, "zh_CN") == "¥1,299.00"
    assert format_money(129900, "en") == "¥1,299.00"
    assert format_money(-5, "en") == "-¥0.05"
    assert format_count(1234567, "zh_CN") == "1,234,567"
    assert format_duration(timedelta(hours=1, minutes=5, seconds=9)) == "1:05:09"
    assert format_duration(timedelta(hours=26)) == "26:00:00"
    this_year = date.today().year
    assert format_date(date(this_year, 11, 27), "zh_CN") == "11月27日"
    assert format_date(date(this_year, 11, 27), "en") == "Nov 27"
    assert format_date(date(2020, 12, 20), "zh_CN") == "2020年12月20日"
    assert format_date(date(2020, 12, 20), "en") == "Dec 20, 2020"
    # 06:30 UTC is 14:30 in the store's zone (Asia/Shanghai by default).
    moment = in_zone(datetime(2020, 12, 20, 6, 30, tzinfo=UTC))
    assert format_datetime(moment, "zh_CN") == "2020年12月20日 14:30"
    rendered = msg("test.values", "{money} {n} {t} {d}", money=Money(129900), n=12345, t=time(9, 5),
                   d=timedelta(minutes=90))
    assert str(rendered) == "¥1,299.00 12,345 09:05 1:30:00"


def test_nested_messages_render_in_the_same_language() -> None:
    blocked = RosterBlocked([msg("cli.no_rows", "{file} has no rows.", file="a.csv")] * 5)
    assert str(blocked).endswith("(and 2 more)")
    assert isinstance(blocked.message, Message)
    warned = OverrideNeeded([msg("cli.no_rows", "{file} has no rows.", file="a.csv")])
    assert str(warned).endswith("Give a reason to go ahead anyway.")
    assert CJK.search(ZH.render(warned.message))


def test_a_missing_translation_falls_back_to_english() -> None:
    message = msg("test.not_in_any_catalog", "Nothing like this was ever translated, {who}.", who="A001")
    assert ZH.render(message) == "Nothing like this was ever translated, A001."


def test_a_value_the_code_forgot_still_shows_the_message() -> None:
    message = Message("test.forgot", "{anchor} is late.", {})
    assert ZH.render(message) == "{anchor} is late."


def test_str_of_an_error_stays_english_and_text_follows_the_active_language() -> None:
    error = ValidationError(msg("errors.problems", "{problems}", problems="x"))
    assert str(error) == "x"
    try:
        i18n.use_language("zh_CN")
        assert i18n.text(error) == "x"
        assert i18n.text("plain") == "plain"
    finally:
        i18n.use_language("en")


def test_a_kept_message_comes_back_from_json() -> None:
    kept = msg("test.kept", "{who} at {when} paid {what} for {how_long}", who="A001",
               when=datetime(2026, 11, 27, 6, 30, tzinfo=UTC), what=Money(500), how_long=timedelta(minutes=3))
    back = Message.from_json(kept.to_json())
    assert str(back) == str(kept)
    assert str(Message.from_json("Head office could not be reached.")) == "Head office could not be reached."


# --- a bad catalog at run time -------------------------------------------------------------


def _mo_with(tmp_path: Path, entries: dict[tuple[str, str], str]) -> Path:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="zh_CN", domain="console")
    for (ident, template), translated in entries.items():
        catalog.add(template, translated, context=ident)
    path = tmp_path / "zh_CN" / "LC_MESSAGES" / "console.mo"
    path.parent.mkdir(parents=True)
    path.write_bytes(core_catalog.mo_bytes(catalog))
    return path


def test_a_malformed_catalog_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "zh_CN" / "LC_MESSAGES" / "console.mo"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is no gettext catalog")
    with pytest.raises(CatalogError) as caught:
        load_catalog("zh_CN", tmp_path)
    assert str(path) in str(caught.value)
    assert "English" in str(caught.value)


def test_an_entry_with_other_placeholders_is_refused_naming_the_entry(tmp_path: Path) -> None:
    _mo_with(tmp_path, {("good.one", "{a} ok"): "{a} 好", ("bad.one", "{anchor} is late."): "{主播} 迟到了。"})
    with pytest.raises(CatalogError) as caught:
        load_catalog("zh_CN", tmp_path)
    assert "bad.one" in str(caught.value)
    assert caught.value.entry == "bad.one"


def test_the_console_runs_in_english_while_its_catalog_is_unusable(tmp_path: Path) -> None:
    _mo_with(tmp_path, {("bad.one", "{anchor} is late."): "迟到了。"})
    try:
        with pytest.raises(CatalogError):
            i18n.use_language("zh_CN", tmp_path)
        assert i18n.active().language == "en"
        assert i18n.text(msg("bad.one", "{anchor} is late.", anchor="A001")) == "A001 is late."
    finally:
        i18n.use_language("en")


def test_a_missing_catalog_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="missing"):
        load_catalog("zh_CN", tmp_path)


# --- which language ---------------------------------------------------------------------------


def test_the_language_comes_from_the_flag_then_the_setting_then_the_locale(tmp_path: Path) -> None:
    assert resolve_language("en", tmp_path, {"LANG": "zh_CN.UTF-8"}) == "en"
    assert resolve_language(None, tmp_path, {}) == "zh_CN"
    assert resolve_language(None, tmp_path, {"LANG": "en_US.UTF-8"}) == "en"
    assert resolve_language(None, tmp_path, {"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}) == "zh_CN"
    assert resolve_language(None, tmp_path, {"LC_ALL": "C", "LC_MESSAGES": "zh_CN.UTF-8"}) == "en"
    assert resolve_language(None, tmp_path, {"LANG": "fr_FR.UTF-8"}) == "zh_CN"
    (tmp_path / "settings.ini").write_text("[ui]\nlanguage=en\n", encoding="utf-8")
    assert resolve_language(None, tmp_path, {"LANG": "zh_CN.UTF-8"}) == "en"
    assert resolve_language("zh_CN", tmp_path, {}) == "zh_CN"
    (tmp_path / "settings.ini").write_bytes(b"\xff\xfe not ini")
    assert resolve_language(None, tmp_path, {}) == "zh_CN"


# --- the checks that fail the build -----------------------------------------------------------


def test_the_committed_catalog_passes_every_check() -> None:
    assert core_catalog.check() == []


PLANTED_SOURCE = '''
from console.i18n import msg, msg_n

class DomainError(Exception):
    pass

class ShiftRefused(DomainError):
    pass

def refuse(n):
    if n:
        raise ShiftRefused(msg("planted.refused", "Refused {n} times.", n=n))
    return msg_n("planted.imported", "{count} shift imported.", "{count} shifts imported.", count=n)
'''


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    sources = tmp_path / "console"
    sources.mkdir()
    (sources / "planted.py").write_text(PLANTED_SOURCE, encoding="utf-8")
    po = tmp_path / "locale" / "console.po"
    core_catalog.update(po, sources)
    catalog = core_catalog.read(po)
    for message in catalog:
        if message.context == "planted.refused":
            message.string = "拒绝了 {n} 次。"
        elif message.context == "planted.imported":
            message.string = ("已导入 {count} 个班次。",)
    po.write_bytes(core_catalog.po_bytes(catalog))
    po.with_suffix(".mo").write_bytes(core_catalog.mo_bytes(catalog))
    assert core_catalog.check(po, sources=sources) == []
    return sources, po


def _edit_translation(po: Path, context: str, text: str) -> None:
    catalog = core_catalog.read(po)
    for message in catalog:
        if message.context == context:
            message.string = text
    po.write_bytes(core_catalog.po_bytes(catalog))
    po.with_suffix(".mo").write_bytes(core_catalog.mo_bytes(catalog))


def test_a_message_without_chinese_fails(planted: tuple[Path, Path]) -> None:
    sources, po = planted
    _edit_translation(po, "planted.refused", "")
    problems = core_catalog.check(po, sources=sources)
    assert any("planted.refused" in p and "no zh_CN translation" in p for p in problems), problems


def test_a_translation_with_other_placeholders_fails(planted: tuple[Path, Path]) -> None:
    sources, po = planted
    _edit_translation(po, "planted.refused", "拒绝了 {times} 次。")
    problems = core_catalog.check(po, sources=sources)
    assert any("planted.refused" in p and "placeholders" in p for p in problems), problems


def test_an_unused_entry_fails(planted: tuple[Path, Path]) -> None:
    sources, po = planted
    (sources / "planted.py").write_text(PLANTED_SOURCE.replace('"Refused {n} times."', '"Refused, {n} times."'),
                                        encoding="utf-8")
    problems = core_catalog.check(po, sources=sources)
    assert any("planted.refused" in p and "used by no source" in p for p in problems), problems
    assert any("'Refused, {n} times.' is not in" in p for p in problems), problems


def test_a_stale_compiled_catalog_fails(planted: tuple[Path, Path]) -> None:
    sources, po = planted
    catalog = core_catalog.read(po)
    for message in catalog:
        if message.context == "planted.refused":
            message.string = "被拒绝 {n} 次。"
    po.write_bytes(core_catalog.po_bytes(catalog))
    problems = core_catalog.check(po, sources=sources)
    assert any("is not compiled from" in p for p in problems), problems


@pytest.mark.parametrize("raised", [
    'raise ShiftRefused("Refused.")',
    'raise ShiftRefused(f"Refused {n} times.")',
    'raise ShiftRefused("Refused " + str(n))',
    'raise ShiftRefused("Refused {}".format(n))',
    'raise ShiftRefused(msg("planted.dynamic", TEMPLATE))',
])
def test_a_string_raised_past_the_catalog_fails(planted: tuple[Path, Path], raised: str) -> None:
    sources, po = planted
    (sources / "bypass.py").write_text(
        "from planted import ShiftRefused, msg\nTEMPLATE = 'x'\n\ndef f(n):\n    " + raised + "\n", encoding="utf-8")
    problems = core_catalog.bypasses(sources)
    assert any(p.startswith("console/bypass.py:5:") for p in problems), problems
