"""Segment scripts on the prompter: the opening, interaction or closing put on between products and back.

On a real store: the show's own approved segment script first, else the one
for every broadcast; never a draft; a segment with none approved says so on
the prompter and the Live screen; any move in the queue (or F9, or the same
key again) brings the product's script back; one approved mid-show follows.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from qasync import QEventLoop
from sqlalchemy import update

from console.domain.enums import ScriptKind, ScriptSegment
from console.storage.models import Script
from tests.onair_helpers import ready_show
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until
from ui.app import Console
from ui.prompter import PrompterWindow
from ui.segments import approved_segment
from ui.views.live import LivePage


@pytest.fixture
def window(console: Console, qloop: QEventLoop) -> Any:
    w = manager_window(console, qloop)
    w.show()
    return w


def ready(console: Console, window: Any) -> UUID:
    assert console.db is not None
    return ready_show(console.db, window.store, window._services.actor, room_code="SG1", room_name="口播测试间")


def without_general(console: Console, segment: ScriptSegment) -> None:
    """The demo store's approved scripts for every broadcast in the segment are taken off (which ones the
    demo approves follows its seed and the day it is built)."""
    assert console.db is not None
    with console.db.begin() as s:
        s.execute(update(Script).where(Script.kind == ScriptKind.SEGMENT, Script.segment == segment,
                                       Script.broadcast_id.is_(None)).values(approved_version_id=None))


def go_live(qloop: QEventLoop, window: Any, broadcast_id: UUID) -> None:
    assert run(qloop, window.show_control.start(broadcast_id)) is not None


def segment_script(window: Any, segment: ScriptSegment, title: str, body: str, *,
                   broadcast_id: UUID | None = None, approve: bool = True) -> UUID:
    scripts = window._services.scripts
    script_id = scripts.create(ScriptKind.SEGMENT, title, segment=segment, broadcast_id=broadcast_id, body=body).id
    if approve:
        scripts.submit(script_id)
        scripts.approve(script_id)
    return script_id


def opened(window: Any) -> PrompterWindow:
    prompter = window.open_prompter()
    prompter.view.paused = True
    activate(prompter)
    return prompter


def text_of(prompter: PrompterWindow) -> str:
    return "\n".join(prompter.view.paragraph_texts)


def key(qloop: QEventLoop, widget: Any, which: Qt.Key) -> None:
    in_loop(qloop, lambda: QTest.keyClick(widget, which))


def test_f6_puts_the_show_s_own_approved_opening_on_the_prompter_rendered_from_the_product_on_air(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    bid = ready(console, window)
    segment_script(window, ScriptSegment.OPENING, "本场开场", "欢迎！先看{link_number}号{product}[停顿 2]"
                   "{{备注：别念出来}}到手{live_price}", broadcast_id=bid)
    go_live(qloop, window, bid)
    prompter = opened(window)
    assert "羊绒围巾" in text_of(prompter) and "Opening" not in text_of(prompter)
    prompter.view.resize(1000, 300)
    prompter.view.scroll_to(60)

    key(qloop, prompter, Qt.Key.Key_F6)
    wait_until(qloop, lambda: window.show_control.segment is not None)
    # Its own opening replaces the general one (the demo store has one approved): only this show's is read.
    assert prompter.view.paragraph_texts == ["Opening · 本场开场", "欢迎！先看1号羊绒围巾", "⏸ Pause 2 s", "到手¥200"]
    assert [p.heading for p in prompter.view._paragraphs] == [True, False, False, False]
    assert "别念出来" not in text_of(prompter)
    assert prompter.view.offset == 0                                # a new text starts at the top
    assert "On the prompter: Opening" in prompter.status.text() and "F9" in prompter.status.text()
    live = window.pages["live"]
    assert isinstance(live, LivePage)
    assert "Opening" in live.prompter_label.text() and "本场开场" in live.prompter_label.text()
    assert live.segment_buttons["live.opening"].property("on")

    key(qloop, prompter, Qt.Key.Key_F6)                             # the same key again: back to the product
    wait_until(qloop, lambda: window.show_control.segment is None)
    assert "羊绒围巾" in text_of(prompter) and "本场开场" not in text_of(prompter)
    assert "On the prompter" not in prompter.status.text()


def test_without_one_of_its_own_the_show_reads_the_ones_for_every_broadcast(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    bid = ready(console, window)
    other = ready_show(console.db, window.store, window._services.actor, title="别的专场", room_code="SG2",
                       room_name="别的直播间")
    segment_script(window, ScriptSegment.INTERACTION, "别场互动", "别的专场的福袋。", broadcast_id=other)
    segment_script(window, ScriptSegment.INTERACTION, "通用互动", "点个关注，{product}马上开抢。")
    go_live(qloop, window, bid)
    prompter = opened(window)
    key(qloop, prompter, Qt.Key.Key_F7)
    wait_until(qloop, lambda: window.show_control.segment is not None)
    assert window.show_control.segment.every_broadcast
    shown = prompter.view.paragraph_texts
    assert shown[:2] == ["Interaction · 通用互动", "点个关注，羊绒围巾马上开抢。"]   # the newest first
    assert "别的专场的福袋。" not in shown                                 # another show's is not this one's
    general = approved_segment(window._services.scripts, bid, ScriptSegment.INTERACTION)
    assert len([p for p in prompter.view._paragraphs if p.heading]) == len(general.texts)


def test_a_draft_never_reaches_the_prompter_and_a_segment_with_none_approved_says_so(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    bid = ready(console, window)
    scripts = window._services.scripts
    without_general(console, ScriptSegment.CLOSING)
    assert not approved_segment(scripts, bid, ScriptSegment.CLOSING).texts
    segment_script(window, ScriptSegment.CLOSING, "草稿结束语", "还没批准的结束语。", broadcast_id=bid, approve=False)
    go_live(qloop, window, bid)
    window.open_prompter().view.paused = True
    live = window.pages["live"]
    assert isinstance(live, LivePage)
    run(qloop, window.show_view("live"))
    activate(window)
    key(qloop, live, Qt.Key.Key_F8)                                   # from the Live screen this time
    wait_until(qloop, lambda: window.show_control.segment is not None)
    prompter = window.prompter
    assert prompter.view.paragraph_texts[0] == "Closing"
    assert "No approved script for this segment" in text_of(prompter)
    assert "还没批准" not in text_of(prompter)
    assert "No approved Closing script" in live.prompter_label.text() and live.prompter_label.property("missing")

    # Approved while the show runs: it reaches the prompter (read again on the worker); its next draft does not.
    script_id = next(r.id for r in scripts.scripts() if r.title == "草稿结束语")
    scripts.submit(script_id)
    scripts.approve(script_id)
    wait_until(qloop, lambda: "还没批准的结束语。" in text_of(prompter), timeout=10)
    assert prompter.view.paragraph_texts[0] == "Closing · 草稿结束语"
    assert "草稿结束语" in live.prompter_label.text() and not live.prompter_label.property("missing")
    scripts.save(script_id, "又一个没批准的草稿。")
    QTest.qWait(300)
    assert "又一个没批准的草稿" not in text_of(prompter)


def test_any_move_in_the_queue_or_f9_brings_the_product_s_script_back(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    bid = ready(console, window)
    segment_script(window, ScriptSegment.OPENING, "本场开场", "欢迎来到直播间。", broadcast_id=bid)
    go_live(qloop, window, bid)
    prompter = opened(window)
    control = window.show_control

    key(qloop, prompter, Qt.Key.Key_F6)
    wait_until(qloop, lambda: control.segment is not None)
    key(qloop, prompter, Qt.Key.Key_PageDown)                        # next
    wait_until(qloop, lambda: "真丝睡衣" in text_of(prompter))
    assert control.segment is None and "欢迎来到直播间" not in text_of(prompter)

    key(qloop, prompter, Qt.Key.Key_F6)
    wait_until(qloop, lambda: control.segment is not None)
    key(qloop, prompter, Qt.Key.Key_F9)                              # back, on the same product
    assert control.segment is None and "真丝睡衣" in text_of(prompter)

    key(qloop, prompter, Qt.Key.Key_F6)
    wait_until(qloop, lambda: control.segment is not None)
    run(qloop, control.act("jump", 4))                               # a jump (from the Live screen's digits)
    wait_until(qloop, lambda: "羽绒服" in text_of(prompter))
    assert control.segment is None

    key(qloop, prompter, Qt.Key.Key_F6)
    wait_until(qloop, lambda: control.segment is not None)
    run(qloop, control.act("set_stock", 9))                          # the same product told again: it stays
    assert control.segment is not None and "欢迎来到直播间" in text_of(prompter)
    run(qloop, control.act("previous"))
    wait_until(qloop, lambda: control.segment is None)


def test_the_live_screen_s_buttons_drive_it_and_nothing_on_air_asks_for_nothing(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    bid = ready(console, window)
    segment_script(window, ScriptSegment.INTERACTION, "本场互动", "福袋整点开奖。", broadcast_id=bid)
    run(qloop, window.show_view("live"))
    live = window.pages["live"]
    assert isinstance(live, LivePage)
    if window.show_control.live:
        run(qloop, window.show_control.act("end"))                  # the demo's own show
    assert not live.segment_buttons["live.interaction"].isEnabled()
    assert run(qloop, window.show_control.show_segment(ScriptSegment.INTERACTION)) is None
    go_live(qloop, window, bid)
    button = live.segment_buttons["live.interaction"]
    assert button.isEnabled() and button.minimumHeight() >= 64 and "F7" in button.text()
    in_loop(qloop, button.click)
    wait_until(qloop, lambda: window.show_control.segment is not None)
    assert "本场互动" in live.prompter_label.text() and button.property("on")
    in_loop(qloop, live.segment_buttons["live.product_script"].click)
    assert window.show_control.segment is None and not button.property("on")
    assert "product's script" in live.prompter_label.text()


def test_one_approved_mid_show_reaches_the_live_screen_with_the_prompter_closed(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    bid = ready(console, window)
    without_general(console, ScriptSegment.CLOSING)
    script_id = segment_script(window, ScriptSegment.CLOSING, "本场结束语", "感谢陪伴，下场见。", broadcast_id=bid,
                               approve=False)
    go_live(qloop, window, bid)
    run(qloop, window.show_view("live"))
    live = window.pages["live"]
    assert isinstance(live, LivePage) and window.prompter is None
    in_loop(qloop, window.actions["live.closing"].trigger)
    wait_until(qloop, lambda: window.show_control.segment is not None)
    assert live.prompter_label.property("missing")
    scripts = window._services.scripts
    scripts.submit(script_id)
    scripts.approve(script_id)
    wait_until(qloop, lambda: "本场结束语" in live.prompter_label.text(), timeout=10)
    assert not live.prompter_label.property("missing")
    assert window.open_prompter().view.paragraph_texts == ["Closing · 本场结束语", "感谢陪伴，下场见。"]
