"""The teleprompter's window: it follows the show, scrolls by elapsed time, mirrors, sizes, jumps, renders values."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from qasync import QEventLoop

from console.domain.onair import ShowNow
from tests.onair_helpers import ready_show
from tests.ui.conftest import activate, manager_window, run, wait_until
from ui import settings as S
from ui.app import Console
from ui.prompter import Paragraph, PrompterView, PrompterWindow, paragraphs, render


@pytest.fixture
def window(console: Console, qloop: QEventLoop) -> Any:
    w = manager_window(console, qloop)
    w.show()
    return w


def go_live(console: Console, qloop: QEventLoop, window: Any) -> ShowNow:
    assert console.db is not None
    bid = ready_show(console.db, window.store, window._services.actor, room_code="PT1", room_name="提词测试间")
    show = run(qloop, window.show_control.start(bid))
    assert show is not None
    return show


def opened(window: Any) -> PrompterWindow:
    prompter = window.open_prompter()
    prompter.view.paused = True   # the tests move it themselves
    return prompter


def text_of(prompter: PrompterWindow) -> str:
    return "\n".join(prompter.view.paragraph_texts)


def test_it_follows_the_queue_from_the_top_of_each_new_product(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    go_live(console, qloop, window)
    prompter = opened(window)
    assert window.open_prompter() is prompter          # one prompter a window
    assert "羊绒围巾" in text_of(prompter) and "¥200.00" in text_of(prompter)
    prompter.view.resize(1000, 300)
    prompter.view.scroll_to(120)
    assert prompter.view.offset > 0
    run(qloop, window.show_control.act("next"))
    wait_until(qloop, lambda: "真丝睡衣" in text_of(prompter))
    assert prompter.view.offset == 0
    assert "¥201.00" in text_of(prompter)


def test_the_show_keys_and_the_clicker_drive_the_show_from_the_prompter(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    go_live(console, qloop, window)
    prompter = opened(window)
    activate(prompter)
    QTest.keyClick(prompter, Qt.Key.Key_PageDown)
    wait_until(qloop, lambda: window.show_control.show.current.link_number == 2)
    QTest.keyClick(prompter, Qt.Key.Key_B)
    wait_until(qloop, lambda: window.show_control.show.paused)
    assert "B" in prompter.status.text()
    QTest.keyClick(prompter, Qt.Key.Key_B)
    wait_until(qloop, lambda: not window.show_control.show.paused)
    QTest.keyClick(prompter, Qt.Key.Key_PageUp)
    wait_until(qloop, lambda: window.show_control.show.current.link_number == 1)
    QTest.keyClick(prompter, Qt.Key.Key_M)
    QTest.keyClick(prompter, Qt.Key.Key_V)
    assert prompter.view.mirror_horizontal and prompter.view.mirror_vertical
    assert console.settings.get(S.PROMPTER_MIRROR_H) and console.settings.get(S.PROMPTER_MIRROR_V)
    before = prompter.view.speed
    QTest.keyClick(prompter, Qt.Key.Key_Up)
    assert prompter.view.speed == before + 10 == console.settings.get(S.PROMPTER_SPEED)
    QTest.keyClick(prompter, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert prompter.view.font_px == S.PROMPTER_FONT_SIZE.default + 4
    QTest.keyClick(prompter, Qt.Key.Key_Space)
    assert not prompter.view.paused


def test_a_refused_key_is_said_on_the_prompter_and_the_show_goes_on(
        console: Console, qloop: QEventLoop, window: Any, qtbot: Any) -> None:
    from console.i18n import text

    go_live(console, qloop, window)
    prompter = opened(window)
    with qtbot.waitSignal(window.show_control.refused, timeout=5000) as refused:
        run(qloop, window.show_control.act("previous"))      # nothing before the first product
    said = text(refused.args[0])
    assert said and prompter.status.text().endswith(said)
    assert window.show_control.show.current.link_number == 1
    run(qloop, window.show_control.act("next"))
    wait_until(qloop, lambda: "真丝睡衣" in text_of(prompter))


def test_with_nothing_on_air_it_says_so(window: Any) -> None:
    prompter = opened(window)
    assert prompter.view.paragraph_texts == ["Nothing on air. The script of the product on air is shown here."]


def test_the_script_s_values_come_from_the_item_as_it_is_now_and_keep_the_place(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    show = go_live(console, qloop, window)
    prompter = opened(window)
    current = show.current
    script = ("{link_number}号链接{product}，到手{live_price}，专柜{counter_price}[停顿 3]\n"
              "库存{stock}件，{deal}{{备注：别念出来}}[展示：面料]")
    scripted = dataclasses.replace(current, facts=dataclasses.replace(current.facts, script=script))
    prompter.show_now(dataclasses.replace(show, current=scripted))
    assert prompter.view.paragraph_texts == ["1号链接羊绒围巾，到手¥200，专柜¥400", "⏸ Pause 3 s",
                                             "库存50件，买一送一", "▶ Show: 面料"]
    assert [p.cue for p in prompter.view._paragraphs] == [False, True, False, True]
    assert "别念出来" not in text_of(prompter)
    prompter.view.resize(1000, 300)
    prompter.view.scroll_to(40)
    cut = dataclasses.replace(scripted, live_price_fen=15_900, stock=7)
    prompter.show_now(dataclasses.replace(show, current=cut))
    assert prompter.view.paragraph_texts[0] == "1号链接羊绒围巾，到手¥159，专柜¥400"
    assert prompter.view.paragraph_texts[2] == "库存7件，买一送一"
    assert prompter.view.offset == 40
    # A value the item lacks is shown as its name, never as a number that is not true.
    bare = dataclasses.replace(cut, facts=dataclasses.replace(cut.facts, counter_price_fen=None))
    prompter.show_now(dataclasses.replace(show, current=bare))
    assert prompter.view.paragraph_texts[0] == "1号链接羊绒围巾，到手¥159，专柜［counter_price］"


def test_only_the_approved_version_reaches_the_prompter_and_one_approved_mid_show_follows(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    from console.domain.enums import ScriptKind

    assert console.db is not None
    bid = ready_show(console.db, window.store, window._services.actor, room_code="PT1", room_name="提词测试间")
    first = window._services.broadcasts.queue(bid)[0].product_id
    scripts = window._services.scripts
    script_id = scripts.create(ScriptKind.PRODUCT, "围巾话术", product_id=first,
                               body="批准的版本：{product}到手{live_price}。").id
    scripts.submit(script_id)
    scripts.approve(script_id)
    scripts.save(script_id, "草稿的版本：还没批准。")
    show = run(qloop, window.show_control.start(bid))
    assert show is not None
    prompter = opened(window)
    assert text_of(prompter) == "批准的版本：羊绒围巾到手¥200。"

    # Approved while the show runs: the prompter reads the approved text again; the draft never shows.
    scripts.submit(script_id)
    scripts.approve(script_id, override_reason=None)
    wait_until(qloop, lambda: text_of(prompter) == "草稿的版本：还没批准。", timeout=10)
    scripts.save(script_id, "又一个草稿。")
    run(qloop, window.show_control.act("next"))
    run(qloop, window.show_control.act("previous"))
    wait_until(qloop, lambda: window.show_control.show.current.link_number == 1)
    assert "又一个草稿" not in text_of(prompter) and text_of(prompter) == "草稿的版本：还没批准。"


def test_render_leaves_a_name_it_does_not_know() -> None:
    assert render("{{live_price}} {nope} {{ stock }}", {"live_price": "¥1.00", "stock": "3"}) == "¥1.00 {nope} 3"
    assert paragraphs("# 开场\n\n讲解\n【价格】") == [Paragraph("开场", True), Paragraph("讲解"), Paragraph("【价格】", True)]


def view_with(text: str, qapp: Any) -> PrompterView:
    view = PrompterView()
    view.resize(600, 300)
    view.set_paragraphs(paragraphs(text))
    return view


def differing(a: QImage, b: QImage) -> float:
    """The share of pixels that differ noticeably between two images of one size."""
    a, b = a.convertToFormat(QImage.Format.Format_RGB32), b.convertToFormat(QImage.Format.Format_RGB32)
    assert a.size() == b.size()
    step, seen, off = 3, 0, 0
    for y in range(0, a.height(), step):
        for x in range(0, a.width(), step):
            pa, pb = a.pixel(x, y), b.pixel(x, y)
            seen += 1
            if max(abs(((pa >> s) & 255) - ((pb >> s) & 255)) for s in (0, 8, 16)) > 96:
                off += 1
    return off / seen


@pytest.mark.parametrize("which, flip", [("horizontal", Qt.Orientation.Horizontal),
                                         ("vertical", Qt.Orientation.Vertical)])
def test_mirroring_flips_what_is_painted(qapp: Any, which: str, flip: Qt.Orientation) -> None:
    view = view_with("镜像 MIRROR 123\n第二段", qapp)
    plain = view.grab().toImage()
    setattr(view, f"mirror_{which}", True)
    mirrored = view.grab().toImage()
    moved = differing(plain, mirrored)
    assert moved > 0.02          # the text is really there, and moved
    # The same picture flipped, but for the edges of glyphs drawn the other way round (anti-aliasing).
    assert differing(plain.flipped(flip), mirrored) < moved / 4


def test_speed_sets_how_far_it_scrolls_in_a_given_time_and_pause_stops_it(qapp: Any) -> None:
    view = view_with("\n".join(f"第{i}段，很长的一段讲解词。" for i in range(40)), qapp)
    view.speed = 60
    view.advance(0.5)
    assert view.offset == pytest.approx(30)
    view.speed = 120
    view.advance(0.5)
    assert view.offset == pytest.approx(90)
    view.paused = True
    view.advance(2.0)
    assert view.offset == pytest.approx(90)


def test_the_timer_moves_it_by_the_time_that_has_passed(qapp: Any, qtbot: Any) -> None:
    view = view_with("\n".join(f"第{i}段" for i in range(60)), qapp)
    view.speed = 300
    view.show()
    view.start()
    qtbot.waitUntil(lambda: view.offset > 60, timeout=3000)
    view.stop()
    assert len(view.frame_ms) > 0


def test_size_changes_the_type_and_keeps_the_place_in_proportion(qapp: Any) -> None:
    view = view_with("\n".join(f"第{i}段讲解" for i in range(30)), qapp)
    view.scroll_to(view.document.size().height() / 2)
    view.set_font_px(view.font_px + 20)
    assert view.document.defaultFont().pixelSize() == S.PROMPTER_FONT_SIZE.default + 20
    assert view.offset == pytest.approx(view.document.size().height() / 2, rel=0.05)
    view.set_font_px(1)
    assert view.font_px == 16


def test_markers_are_the_cue_lines_when_there_are_any_else_the_paragraphs(qapp: Any) -> None:
    view = view_with("开场白\n【卖点】\n一\n二\n【价格】\n三", qapp)
    marks = view.markers()
    assert len(marks) == 2 and marks[0] > 0
    view.jump_marker(1)
    assert view.offset == pytest.approx(marks[0])
    view.jump_marker(1)
    assert view.offset == pytest.approx(marks[1])
    view.jump_marker(-1)
    assert view.offset == pytest.approx(marks[0])
    view.jump_marker(-1)
    assert view.offset == 0
    plain = view_with("一\n二\n三", qapp)
    assert len(plain.markers()) == 3


def test_closing_the_main_window_closes_the_prompter(console: Console, qloop: QEventLoop, window: Any,
                                                     qtbot: Any) -> None:
    prompter = opened(window)
    with qtbot.waitSignal(prompter.destroyed, timeout=3000):
        window.close()
