"""Anchors and live rooms dialog on a demo store: add, edit, refusals in words, rules, the models.

The dialog is opened from the roster page's button, as a manager does, and
drives the real roster service; results are read back through the service.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import QDate, QTime

from console.domain.enums import Affiliation, Platform
from console.domain.values import RoomRow
from tests.ui.conftest import activate, in_loop, manager_window, run, wait_until
from ui.models.tables import AnchorTableModel, RoomTableModel
from ui.views.people import PeopleDialog, split_list
from ui.views.roster import RosterPage


@pytest.fixture
def page(console, qloop, qtbot) -> RosterPage:  # type: ignore[no-untyped-def]
    window = manager_window(console, qloop)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    activate(window)
    run(qloop, window.show_view("roster"))
    roster = window.pages["roster"]
    assert isinstance(roster, RosterPage)
    roster.window_ = window  # keep the window alive with the page
    return roster


@pytest.fixture
def dialog(page: RosterPage, qloop) -> PeopleDialog:  # type: ignore[no-untyped-def]
    assert page.people_button.isVisible()
    in_loop(qloop, page.people_button.click)
    wait_until(qloop, lambda: page.people_dialog is not None and page.people_dialog.room_model.rowCount() > 0)
    opened = page.people_dialog
    assert opened is not None
    return opened


def type_into(qloop, qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type as a user does, inside the running loop. QTest sends Latin-1 keys only (Chinese aborts
    it), so Chinese arrives as an input method commits it: inserted at the cursor."""
    in_loop(qloop, lambda: qtbot.keyClicks(widget, text) if text.isascii() else widget.insert(text))


def close(page: RosterPage, dialog: PeopleDialog, qloop) -> None:  # type: ignore[no-untyped-def]
    """Every test ends with this: the page's slot awaits the dialog, and pytest-qt deletes the
    window before fixtures tear down, so the dialog must be closed inside the test."""
    in_loop(qloop, dialog.reject)
    wait_until(qloop, lambda: page.people_dialog is None and not page.busy)


def test_add_an_anchor_through_the_form(page: RosterPage, dialog: PeopleDialog, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    before = dialog.anchor_model.rowCount()
    in_loop(qloop, dialog.new_anchor_button.click)
    type_into(qloop, qtbot, dialog.anchor_code, "A900")
    type_into(qloop, qtbot, dialog.anchor_name, "周婷")
    dialog.anchor_affiliation.setCurrentIndex(dialog.anchor_affiliation.findData(Affiliation.BRAND.value))
    type_into(qloop, qtbot, dialog.anchor_employer, "兰蔻")
    type_into(qloop, qtbot, dialog.anchor_brands, "兰蔻，雅诗兰黛, ")
    type_into(qloop, qtbot, dialog.anchor_categories, "美妆、护肤")
    dialog.anchor_certified.setDate(QDate(2027, 12, 31))
    dialog.anchor_cap.setValue(30)

    in_loop(qloop, dialog.save_anchor_button.click)
    wait_until(qloop, lambda: dialog.anchor_model.rowCount() == before + 1)

    assert dialog.problem_label.isHidden(), dialog.problem_label.text()
    saved = next(a for a in run(qloop, page.call(page.roster.anchors)) if a.code == "A900")
    assert (saved.name, saved.affiliation, saved.employer_brand) == ("周婷", Affiliation.BRAND, "兰蔻")
    assert saved.trained_brands == ("兰蔻", "雅诗兰黛")
    assert saved.trained_categories == ("美妆", "护肤")
    assert (saved.certification_expires, saved.weekly_hours_cap, saved.active) == (date(2027, 12, 31), 30, True)
    # The saved row is selected, so the form now edits it.
    assert dialog.anchor_box.title() == "Edit anchor"
    assert not dialog.anchor_code.isEnabled()

    close(page, dialog, qloop)
    assert "A900" in {a.code for a in page.model.anchors}     # the week was reloaded


def test_edit_an_anchor_and_clear_the_certification(page: RosterPage, dialog: PeopleDialog, qloop) -> None:  # type: ignore[no-untyped-def]
    row = next(n for n, a in enumerate(dialog.anchor_model.rows()) if a.active)
    anchor = dialog.anchor_model.value(row)
    dialog.anchor_view.selectRow(row)
    assert dialog.anchor_name.text() == anchor.name
    dialog.anchor_name.setText(anchor.name + "（新）")
    dialog.clear_certified_button.click()
    assert dialog.anchor_certified.text() == "No expiry"

    in_loop(qloop, dialog.save_anchor_button.click)
    wait_until(qloop, lambda: dialog.anchor_model.value(row).name.endswith("（新）"))

    saved = next(a for a in run(qloop, page.call(page.roster.anchors)) if a.id == anchor.id)
    assert saved.name == anchor.name + "（新）"
    assert saved.certification_expires is None
    close(page, dialog, qloop)


def test_edit_a_rooms_hours(page: RosterPage, dialog: PeopleDialog, qloop) -> None:  # type: ignore[no-untyped-def]
    room = dialog.room_model.value(0)
    dialog.tabs.setCurrentIndex(1)
    dialog.select_room(room.id)
    assert dialog.room_name.text() == room.name
    dialog.room_opens.setTime(QTime(7, 30))
    dialog.room_closes.setTime(QTime(1, 0))           # after midnight
    dialog.platform_boxes[Platform.JD].setChecked(True)

    in_loop(qloop, dialog.save_room_button.click)
    wait_until(qloop, lambda: dialog.room_model.value(0).opens_at == time(7, 30))

    saved = next(r for r in run(qloop, page.call(page.roster.rooms)) if r.id == room.id)
    assert (saved.opens_at, saved.closes_at) == (time(7, 30), time(1, 0))
    assert Platform.JD in saved.platforms
    assert dialog.room_model.data(dialog.room_model.index(0, 3)) == "07:30"

    close(page, dialog, qloop)
    assert next(r for r in page.model.rooms if r.id == room.id).opens_at == time(7, 30)


def test_a_refusal_shows_the_services_sentence(page: RosterPage, dialog: PeopleDialog, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    taken = dialog.anchor_model.value(0).code
    before = dialog.anchor_model.rowCount()
    in_loop(qloop, dialog.new_anchor_button.click)
    type_into(qloop, qtbot, dialog.anchor_code, taken)
    type_into(qloop, qtbot, dialog.anchor_name, "重复")

    in_loop(qloop, dialog.save_anchor_button.click)
    wait_until(qloop, lambda: dialog.problem_label.isVisible())

    assert dialog.problem_label.text() == f"Anchor code {taken} is already used in this store."
    assert dialog.anchor_model.rowCount() == before
    assert dialog.save_anchor_button.isEnabled()
    assert not dialog.changed

    dialog.tabs.setCurrentIndex(1)
    in_loop(qloop, dialog.new_room_button.click)
    in_loop(qloop, dialog.save_room_button.click)
    wait_until(qloop, lambda: dialog.problem_label.text() == "A live room needs a code and a name.")
    close(page, dialog, qloop)


def test_rules_tab_saves_the_limits(page: RosterPage, dialog: PeopleDialog, qloop) -> None:  # type: ignore[no-untyped-def]
    assert dialog.minutes_in_a_row.value() == 120
    dialog.tabs.setCurrentIndex(2)
    dialog.minutes_in_a_row.setValue(180)
    dialog.rest_hours.setValue(10.5)
    assert dialog.voice_rest.value() == 15
    dialog.voice_rest.setValue(20)

    in_loop(qloop, dialog.save_rules_button.click)
    wait_until(qloop, lambda: dialog.changed)

    settings = run(qloop, page.call(page.roster.roster_settings))
    assert settings.max_on_air_minutes_in_a_row == 180
    assert settings.min_rest.total_seconds() == 10.5 * 3600
    assert settings.min_voice_rest.total_seconds() == 20 * 60
    assert dialog.rules_saved_label.text().startswith("Saved.")

    close(page, dialog, qloop)
    assert page.model.context is not None
    assert page.model.context.settings.max_on_air_minutes_in_a_row == 180   # the board judges by it


def test_the_models_pass_the_model_tester(page: RosterPage, dialog: PeopleDialog, qloop, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(dialog.anchor_model)
    qtmodeltester.check(dialog.room_model)
    for model in (AnchorTableModel(), RoomTableModel()):
        qtmodeltester.check(model)
    rooms = RoomTableModel()
    first = RoomRow(dialog.room_model.value(0).id, "R1", "一号", (Platform.DOUYIN,), time(9), time(23), True)
    rooms.put(first, key=lambda r: r.id)
    rooms.put(RoomRow(first.id, "R1", "一号", (), time(9), time(23), False), key=lambda r: r.id)
    qtmodeltester.check(rooms)
    assert rooms.rowCount() == 1
    assert rooms.data(rooms.index(0, 2)) == "—"
    assert rooms.data(rooms.index(0, 5)) == "No"
    close(page, dialog, qloop)


def test_lists_accept_either_comma() -> None:
    assert split_list("兰蔻，雅诗兰黛, 海蓝之谜、 ;") == ["兰蔻", "雅诗兰黛", "海蓝之谜"]


def test_each_field_takes_as_many_characters_as_its_column(page: RosterPage, dialog: PeopleDialog, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    from console.services import limits
    from console.storage.models import Anchor, LiveRoom

    expected = {dialog.anchor_code: Anchor.code, dialog.anchor_name: Anchor.name,
                dialog.anchor_employer: Anchor.employer_brand, dialog.room_code: LiveRoom.code,
                dialog.room_name: LiveRoom.name}
    for edit, column in expected.items():
        assert edit.maxLength() == limits.column_length(column)
    in_loop(qloop, dialog.new_anchor_button.click)
    type_into(qloop, qtbot, dialog.anchor_code, "A" * 40)
    dialog.anchor_name.insert("王" * 231)                 # pasted: the form keeps what the column holds
    assert (len(dialog.anchor_code.text()), len(dialog.anchor_name.text())) == (32, 120)

    # What the form cannot stop (a list's item) the service refuses, in words naming the field.
    type_into(qloop, qtbot, dialog.anchor_brands, "Lancome, " + "B" * 121)
    in_loop(qloop, dialog.save_anchor_button.click)
    wait_until(qloop, lambda: not dialog.problem_label.isHidden())
    assert dialog.problem_label.text() == ("The trained brand may be at most 120 characters long; "
                                           "this one has 121.")
    assert "A" * 32 not in {a.code for a in run(qloop, page.call(page.roster.anchors))}
    close(page, dialog, qloop)
