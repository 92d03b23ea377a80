"""The script markup (cue marks, notes, variables), rendering from a queue item, and the side-by-side diff: pure."""

from __future__ import annotations

import pytest

from console.domain.script_templates import TEMPLATES, template
from console.domain.scripts import (
    MarkupError,
    PartKind,
    RenderFacts,
    RowKind,
    diff,
    mark_cues,
    nearest_variable,
    parse,
    render,
    yuan,
)
from console.domain.errors import NotFound
from console.i18n import text, use_language

FACTS = RenderFacts(product="羊绒围巾", live_price_fen=19_900, counter_price_fen=59_950, deal="买一送一", stock=7,
                    link_number=3)


def kinds(body: str) -> list[tuple[str, str]]:
    return [(p.kind.value, p.text) for p in parse(body).parts]


def test_cue_marks_in_chinese_and_english_half_and_full_width() -> None:
    assert kinds("先看颜色[停顿]再看面料【展示：针脚】[pause 3s][show]完") == [
        ("text", "先看颜色"), ("pause", ""), ("text", "再看面料"), ("show", "针脚"), ("pause", ""), ("show", ""),
        ("text", "完")]
    pauses = [p.seconds for p in parse("[停顿 3秒][pause 5][停顿]").parts]
    assert pauses == [3, 5, None]


def test_a_note_is_not_read_aloud_and_its_span_is_the_whole_mark() -> None:
    body = "大家好{{备注：语速放慢}}今天{{note: smile}}开始"
    parsed = parse(body)
    notes = [p for p in parsed.parts if p.kind is PartKind.NOTE]
    assert [(n.text, body[n.start:n.end]) for n in notes] == [("语速放慢", "{{备注：语速放慢}}"),
                                                            ("smile", "{{note: smile}}")]
    assert render(body, FACTS).spoken == "大家好今天开始"
    assert [body[a:b] for a, b in parsed.spoken_spans()] == ["大家好", "今天", "开始"]


def test_brackets_around_other_words_are_text_the_anchor_says() -> None:
    assert kinds("【限时】福利[新品]来了") == [("text", "【限时】福利[新品]来了")]


def test_variables_render_from_the_queue_item_in_english_or_chinese_names() -> None:
    body = "{link_number}号链接{product}，专柜价{counter_price}，到手{直播价}，{deal}，还剩{库存}件"
    assert render(body, FACTS).spoken == "3号链接羊绒围巾，专柜价¥599.50，到手¥199，买一送一，还剩7件"
    assert parse(body).variables == ("link_number", "product", "counter_price", "live_price", "deal", "stock")


def test_a_value_the_item_lacks_stays_a_marked_gap_not_a_wrong_number() -> None:
    rendered = render("专柜价{counter_price}", RenderFacts(product="x"))
    assert [(p.kind, p.text) for p in rendered.parts] == [(PartKind.TEXT, "专柜价"),
                                                           (PartKind.MISSING, "counter_price")]
    assert rendered.spoken == "专柜价{counter_price}"


def test_an_unknown_variable_is_a_problem_naming_it_and_the_nearest_name() -> None:
    parsed = parse("今天只要{livepric}元")
    (problem,) = parsed.problems
    assert (problem.written, problem.nearest, problem.start, problem.end) == ("livepric", "live_price", 4, 14)
    use_language("en")
    try:
        assert text(problem.message) == "{livepric} is not a variable; did you mean {live_price}?"
    finally:
        use_language("zh_CN")
    with pytest.raises(MarkupError) as raised:
        render("今天只要{livepric}元", FACTS)
    assert raised.value.markup_problems == parsed.problems
    assert nearest_variable("stok") == "stock"
    assert nearest_variable("库") == "stock"
    far = parse("{qqqqqq}").problems[0]
    assert far.nearest is None and "{live_price}" in str(far.message)


def test_emoji_and_mixed_scripts_pass_through_with_their_spans() -> None:
    body = "🎉 Welcome 欢迎 {product} 💄[pause]"
    rendered = render(body, FACTS)
    assert rendered.spoken == "🎉 Welcome 欢迎 羊绒围巾 💄"
    (value,) = [p for p in rendered.parts if p.kind is PartKind.VALUE]
    assert body[value.start:value.end] == "{product}"


def test_prices_read_as_yuan() -> None:
    assert (yuan(19_900), yuan(19_950), yuan(1_299_900), yuan(None)) == ("¥199", "¥199.50", "¥12,999", None)


def test_the_prompter_marks_cues_and_notes_and_leaves_variables_to_fill() -> None:
    marked = mark_cues("到手{live_price}[停顿 2秒]{{备注：看镜头}}[展示：吊牌]", pause="停顿", show="展示", note="备注")
    assert marked == "到手{live_price}【停顿 2s】【备注：看镜头】【展示：吊牌】"


def test_the_diff_aligns_same_changed_added_and_removed_rows() -> None:
    old = "开场问好\n专柜价{counter_price}\n全网最低价\n结束"
    new = "开场问好\n专柜价{counter_price}，到手{live_price}\n结束\n关注直播间"
    rows = diff(old, new)
    assert [(r.kind, r.left_number, r.right_number) for r in rows] == [
        (RowKind.SAME, 1, 1), (RowKind.CHANGED, 2, 2), (RowKind.REMOVED, 3, None), (RowKind.SAME, 4, 3),
        (RowKind.ADDED, None, 4)]
    changed = rows[1]
    assert changed.left_spans == () and [changed.right[a:b] for a, b in changed.right_spans] == ["，到手{live_price}"]
    assert diff(old, old) == [r for r in diff(old, old) if r.kind is RowKind.SAME]


def test_every_template_parses_cleanly_in_both_languages() -> None:
    for language in ("en", "zh_CN"):
        use_language(language)
        try:
            for t in TEMPLATES:
                assert parse(text(t.body)).problems == (), (language, t.key)
        finally:
            use_language("zh_CN")
    with pytest.raises(NotFound):
        template("no_such_template")
