"""The Scripts screen on a real store: findings underlined as the text is set, hover, the one-key fix,
approval refused then given with a store manager's reason, the diff of two versions, who may do what."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip
from qasync import QEventLoop
from sqlalchemy import select

from console.domain.enums import ScriptKind, ScriptVersionStatus
from console.storage.models import AuditLog
from tests.onair_helpers import ready_show
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until, window_for
from ui.app import Console
from ui.script_editor import BLOCK_COLOUR, WARN_COLOUR, utf16_offsets
from ui.views.scripts import ScriptsPage

CLEAN = "{link_number}号链接{product}，今天直播间到手{live_price}。[停顿]\n面料柔软，{{备注：先看尺码表}}大家在小黄车下单。"


def first_product(console: Console, window: Any) -> UUID:
    """A product of the store with papers, prices and stock (a ready show's first link)."""
    assert console.db is not None
    ready_show(console.db, window.store, window._services.actor, room_code="SC1", room_name="话术测试间", items=2)
    rows = window._services.broadcasts.upcoming(limit=500)
    show = next(r for r in rows if r.title == "锦华冬季专场")
    return window._services.broadcasts.queue(show.id)[0].product_id


def scripts_page(console: Console, qloop: QEventLoop, window: Any) -> ScriptsPage:
    window.show()
    run(qloop, window.show_view("scripts"))
    page = window.pages["scripts"]
    assert isinstance(page, ScriptsPage)
    return page


def new_script(window: Any, product_id: UUID, body: str, title: str = "测试讲解话术") -> UUID:
    return window._services.scripts.create(ScriptKind.PRODUCT, title, product_id=product_id, body=body).id


@pytest.fixture
def window(console: Console, qloop: QEventLoop) -> Any:
    return manager_window(console, qloop)


def underlines(page: ScriptsPage) -> list[tuple[int, int, QColor, Any]]:
    found = []
    for selection in page.editor.extraSelections():
        fmt = selection.format
        cursor = selection.cursor
        found.append((cursor.selectionStart(), cursor.selectionEnd(), fmt.underlineColor(), fmt.underlineStyle()))
    return found


def fix_with_the_key(window: Any, page: ScriptsPage, at: int) -> None:
    """The cursor put inside a finding and Ctrl+. pressed in the real editor, as the anchor does."""
    activate(window)
    page.editor.setFocus()
    cursor = page.editor.textCursor()
    cursor.setPosition(at)
    page.editor.setTextCursor(cursor)
    QTest.keyClick(page.editor, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)


# The tooltip raises its window, which the off-screen platform cannot do, and says so.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_editor_underlines_a_block_finding_as_the_text_is_set_and_says_why_on_hover(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    product = first_product(console, window)
    script_id = new_script(window, product, CLEAN)
    page = scripts_page(console, qloop, window)
    run(qloop, page.open_script(script_id))
    assert page.editor.toPlainText() == CLEAN
    assert page.editor.findings == [] and page.editor.extraSelections() == []
    assert "none" in page.findings_label.text()

    # An emoji before the claim: the underline is where the words are in Qt's count, not Python's.
    text = "😀这款卫衣全网最低价，穿上显瘦十斤不是梦。"
    page.editor.setPlainText(text)
    assert page.editor.check_pending            # typing does not wait for the check: it comes after a pause
    wait_until(qloop, lambda: not page.editor.check_pending and page.editor.findings, timeout=10)
    blocks = [f for f in page.editor.findings if f.severity == "block"]
    assert [(f.category, f.text) for f in blocks][:1] == [("absolute", "全网最低价")]
    at = utf16_offsets(text)
    start, end, colour, style = underlines(page)[0]
    assert (start, end) == (at(text.index("全网最低价")), at(text.index("全网最低价") + 5)) == (6, 11)
    assert colour == BLOCK_COLOUR and style == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert page.findings_list.count() == len(page.editor.findings)
    assert "Blocks" in page.findings_list.item(0).text() and "全网最低价" in page.findings_list.item(0).text()

    hover = page.editor.hover_text(blocks[0])
    assert "absolute claim" in hover and "广告法" in hover and "Suggestion:" in hover

    # The real tooltip, from a hover over the underlined words.
    activate(window)
    cursor = page.editor.textCursor()
    cursor.setPosition(start + 2)
    point = page.editor.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, page.editor.viewport().mapToGlobal(point))
    QApplication.sendEvent(page.editor, event)
    assert "absolute claim" in QToolTip.text()
    far = QPoint(point.x(), point.y() + 400)
    QApplication.sendEvent(page.editor, QHelpEvent(QEvent.Type.ToolTip, far, page.editor.viewport().mapToGlobal(far)))
    assert page.editor.finding_at_point(far) is None


def test_a_claim_no_rule_names_is_underlined_whole_by_the_second_opinion(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    product = first_product(console, window)
    page = scripts_page(console, qloop, window)
    run(qloop, page.open_script(new_script(window, product, CLEAN)))
    text = "先看质地。这面霜抹上一个礼拜，脸上的小疙瘩一个都不剩了。"
    page.editor.set_text(text)
    [found] = [f for f in page.editor.findings if f.rule == "medical.second_opinion"]
    sentence = "这面霜抹上一个礼拜，脸上的小疙瘩一个都不剩了"
    assert found.severity == "block" and found.text == sentence
    starts = {(start, colour.name()) for start, _end, colour, _style in underlines(page)}
    assert (text.index(sentence), BLOCK_COLOUR.name()) in starts
    hover = page.editor.hover_text(found)
    assert "no rule names its words" in hover and "store manager" in hover
    # No wording to put in: what is left of the sentence without the claim is the anchor's to write.
    assert page.editor.apply_suggestion(found) is False and page.editor.toPlainText() == text


def test_an_unknown_variable_blocks_and_its_fix_is_the_nearest_variable(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    product = first_product(console, window)
    page = scripts_page(console, qloop, window)
    run(qloop, page.open_script(new_script(window, product, CLEAN)))
    page.editor.set_text("今天到手{livepric}，下单就行。")
    found = page.editor.findings
    assert [(f.category, f.severity, f.text) for f in found] == [("markup", "block", "{livepric}")]
    assert underlines(page)[0][2] == BLOCK_COLOUR
    page.editor.setTextCursor(page.editor.textCursor())
    assert page.editor.apply_suggestion(found[0])
    assert page.editor.toPlainText() == "今天到手{live_price}，下单就行。"
    assert page.editor.findings == []


def test_the_suggestion_goes_in_with_one_key_and_undo_takes_it_back(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    product = first_product(console, window)
    page = scripts_page(console, qloop, window)
    run(qloop, page.open_script(new_script(window, product, CLEAN)))
    page.editor.set_text("喜欢的加我微信，私聊给你优惠。")
    contact = next(f for f in page.editor.findings if f.category == "off_platform")
    fix_with_the_key(window, page, contact.start + 1)
    wait_until(qloop, lambda: "小黄车" in page.editor.toPlainText())
    assert "加我微信" not in page.editor.toPlainText()
    assert "{link_number}" in page.editor.toPlainText()
    assert all(f.category != "off_platform" or f.text != contact.text for f in page.editor.findings)
    page.editor.undo()
    assert "加我微信" in page.editor.toPlainText()

    # Advice that is no wording of the anchor's (a medical claim is the anchor's to leave out): nothing is put
    # in, and the screen says so.
    page.editor.set_text("这款面霜能治疗湿疹。")
    page.editor.setTextCursor(page.editor.textCursor())
    page.apply_suggestion()
    assert page.editor.toPlainText() == "这款面霜能治疗湿疹。"
    assert not page.problem_label.isHidden() and "“治疗”" in page.problem_label.text()


@pytest.mark.parametrize(("claim", "milder"), [("这款面霜是全网最好用的面霜。", "很好用"),
                                               ("这条牛仔裤永不褪色。", "不易褪色")])
def test_a_claim_whose_advice_is_no_wording_gets_a_milder_wording_the_check_passes(
        console: Console, qloop: QEventLoop, window: Any, claim: str, milder: str) -> None:
    product = first_product(console, window)
    page = scripts_page(console, qloop, window)
    run(qloop, page.open_script(new_script(window, product, CLEAN)))
    page.editor.set_text(claim)
    found = next(f for f in page.editor.findings if f.severity == "block")
    assert milder in page.editor.hover_text(found)        # the tooltip says what the key puts in
    fix_with_the_key(window, page, found.start + 1)
    wait_until(qloop, lambda: milder in page.editor.toPlainText())
    assert not [f for f in page.editor.findings if f.severity == "block"]
    page.editor.undo()
    assert page.editor.toPlainText() == claim


def test_approval_is_refused_while_a_block_stands_then_given_with_a_store_manager_s_reason(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    product = first_product(console, window)
    script_id = new_script(window, product, "这款卫衣全网最低价，{live_price}到手。")
    window._services.scripts.submit(script_id)
    page = scripts_page(console, qloop, window)
    run(qloop, page.open_script(script_id))
    assert page.detail is not None and page.detail.latest.status is ScriptVersionStatus.SUBMITTED
    assert window.actions["scripts.approve"].isEnabled()
    asked: list[list[str]] = []

    def decline(blocking: list[str]) -> None:
        asked.append(list(blocking))
        return None

    page.override_prompt = decline
    run(qloop, page.on_approve())
    assert asked and "全网最低价" in asked[0][0]
    assert not page.problem_label.isHidden() and "cannot be approved" in page.problem_label.text()
    assert window._services.scripts.script(script_id).approved_version is None

    page.override_prompt = lambda blocking: "品牌方提供了全网比价截图，法务已确认"
    run(qloop, page.on_approve())
    detail = window._services.scripts.script(script_id)
    assert detail.approved_version == 1 and detail.latest.override_reason.startswith("品牌方")
    assert "approved" in page.notice_label.text() and page.problem_label.isHidden()
    assert console.db is not None
    with console.db.begin() as s:
        override = s.scalars(select(AuditLog).where(AuditLog.action == "script_override")).one()
        assert override.detail["reason"] == "品牌方提供了全网比价截图，法务已确认"


def test_reject_with_a_comment_and_the_writer_sees_it(console: Console, qloop: QEventLoop, window: Any) -> None:
    product = first_product(console, window)
    script_id = new_script(window, product, CLEAN)
    window._services.scripts.submit(script_id)
    page = scripts_page(console, qloop, window)
    run(qloop, page.open_script(script_id))
    page.reject_prompt = lambda: None
    run(qloop, page.on_reject())
    assert window._services.scripts.script(script_id).latest.status is ScriptVersionStatus.SUBMITTED
    page.reject_prompt = lambda: "价格说法要和专柜核对"
    run(qloop, page.on_reject())
    assert window._services.scripts.script(script_id).latest.status is ScriptVersionStatus.REJECTED
    assert "价格说法要和专柜核对" in page.state_label.text()


def test_two_versions_side_by_side_and_saving_from_the_editor(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    product = first_product(console, window)
    script_id = new_script(window, product, "第一行\n面料柔软\n第三行")
    page = scripts_page(console, qloop, window)
    run(qloop, page.open_script(script_id))
    page.editor.set_text("第一行\n面料柔软亲肤\n第三行\n新加的一行")
    assert page.unsaved and "unsaved" in page.state_label.text()
    run(qloop, page.on_save())
    assert page.detail is not None and page.detail.latest.number == 2 and not page.unsaved
    assert page.versions.table.rowCount() == 2 and page.versions.chosen() == (1, 2)
    shown = page.versions.diff_texts()
    assert ("same", "第一行", "第一行") in shown
    assert ("changed", "面料柔软", "面料柔软亲肤") in shown
    assert ("added", "", "新加的一行") in shown
    page.show_versions()
    assert page.tabs.currentIndex() == 1


def test_an_anchor_writes_and_submits_but_does_not_approve(
        console: Console, qloop: QEventLoop, demo_users: Any) -> None:
    anchor = next(u for u in demo_users if u.role == "anchor")
    manager = manager_window(console, qloop)
    product = first_product(console, manager)
    manager.close()                  # one window at a time, as when the manager signs out
    window = window_for(console, qloop, anchor.login)
    page = scripts_page(console, qloop, window)
    script_id = new_script(window, product, CLEAN, title="主播自己写的话术")
    run(qloop, page.refresh())
    run(qloop, page.open_script(script_id))
    assert page.approve_button.isHidden() and page.reject_button.isHidden()
    assert not window.actions["scripts.approve"].isEnabled()
    page.editor.set_text(CLEAN + "\n再补一句。")
    run(qloop, page.on_submit())
    detail = window._services.scripts.script(script_id)
    assert detail.latest.number == 2 and detail.latest.status is ScriptVersionStatus.SUBMITTED
    assert "submitted" in page.notice_label.text()


def test_the_list_filters_by_words_and_status(console: Console, qloop: QEventLoop, window: Any) -> None:
    page = scripts_page(console, qloop, window)
    total = page.model.rowCount()
    assert total > 5
    in_loop(qloop, lambda: page.filter_edit.setText("讲解话术"))
    assert 0 < page.model.rowCount() <= total
    assert all("讲解话术" in r.title or "讲解话术" in r.product_name for r in page.model.rows())
    page.filter_edit.clear()
    page.status_filter.setCurrentIndex(page.status_filter.findData("draft"))
    assert page.model.rows() and all(r.latest_status is ScriptVersionStatus.DRAFT for r in page.model.rows())
    assert page.coming_label.isHidden()


def test_a_new_script_from_a_template_for_a_product_found_by_a_search(
        console: Console, qloop: QEventLoop, window: Any) -> None:
    from ui.views.script_dialogs import NewScriptDialog

    from console.storage.models import Product

    product = first_product(console, window)
    assert console.db is not None
    with console.db.begin() as s:
        sku = s.get(Product, product).sku
    page = scripts_page(console, qloop, window)
    shown: list[NewScriptDialog] = []

    async def fill(templates: Any, broadcasts: Any) -> Any:
        async def search(words: str) -> Any:
            return await page.call(window._services.catalog.search, words, limit=30)

        dialog = NewScriptDialog(page, templates, broadcasts, search)
        shown.append(dialog)
        dialog.template.setCurrentIndex(dialog.template.findData("product_talk_track"))
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()   # no product yet
        await dialog.search_now(sku)
        assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        return dialog.answer()

    page.new_script_prompt = fill
    run(qloop, page.on_new_script())
    assert shown and page.detail is not None and page.detail.product_id == product
    assert page.detail.latest.number == 1 and page.detail.latest.status is ScriptVersionStatus.DRAFT
    assert "{live_price}" in page.editor.toPlainText() and "[show]" in page.editor.toPlainText()
    assert "created" in page.notice_label.text()
    assert any(r.id == page.detail.id for r in page.model.rows())
