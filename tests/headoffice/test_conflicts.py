"""Versions decide, never clocks: disjoint edits merge, overlapping edits keep the first committed value."""

from __future__ import annotations

from tests.headoffice.helpers import FakeConsole, LiveService


def _two_consoles_on_one_anchor(service: LiveService) -> tuple[FakeConsole, FakeConsole, str]:
    service.add_store("SH01")
    first, second = service.enroll("SH01", "counter PC"), service.enroll("SH01", "office PC")
    anchor = first.insert("anchor", code="A001", name="王雨桐", affiliation="staff", weekly_hours_cap=44)
    first.push()
    second.pull()
    return first, second, anchor


def test_edits_of_different_fields_merge(service: LiveService) -> None:
    first, second, anchor = _two_consoles_on_one_anchor(service)
    first.update("anchor", anchor, phone="13800000000")
    second.update("anchor", anchor, weekly_hours_cap=40)

    applied = first.push()["results"][0]
    merged = second.push()["results"][0]

    assert (applied["status"], applied["row_version"]) == ("applied", 2)
    assert (merged["status"], merged["row_version"]) == ("merged", 3)
    for console in (first, second):
        console.pull()
        row = console.rows[("anchor", anchor)]
        assert (row["phone"], row["weekly_hours_cap"], row["row_version"]) == ("13800000000", 40, 3)


def test_a_console_editing_its_own_merged_field_again_is_no_conflict(service: LiveService) -> None:
    first, second, anchor = _two_consoles_on_one_anchor(service)
    first.update("anchor", anchor, phone="13800000000")
    first.push()
    second.update("anchor", anchor, weekly_hours_cap=40)
    assert second.push()["results"][0]["status"] == "merged"
    # Still on its local version: the field it changes again was last changed by itself.
    second.update("anchor", anchor, weekly_hours_cap=38)

    result = second.push()["results"][0]

    assert result["status"] == "merged"
    first.pull()
    assert first.rows[("anchor", anchor)]["weekly_hours_cap"] == 38


def test_a_true_conflict_keeps_the_first_committed_value_and_is_recorded(service: LiveService) -> None:
    first, second, anchor = _two_consoles_on_one_anchor(service)
    first.update("anchor", anchor, name="王雨彤", phone="13800000000")
    second.update("anchor", anchor, name="汪雨桐")
    first.push()

    result = second.push()["results"][0]

    assert result["status"] == "conflict" and result["row_version"] == 3
    assert "name" in result["reason"]
    # The console that lost gets the kept row in its next pull, though its cursor had passed it.
    pulled = second.pull()
    assert [r["row_id"] for r in pulled] == [anchor]
    assert second.rows[("anchor", anchor)]["name"] == "王雨彤"
    listed = second.http.get("/v1/conflicts").json()
    assert len(listed["conflicts"]) == 1
    conflict = listed["conflicts"][0]
    assert conflict["conflict_id"] == result["conflict_id"]
    assert (conflict["table"], conflict["row_id"], conflict["console_id"]) == ("anchor", anchor, str(second.console_id))
    assert (conflict["fields"], conflict["attempted"], conflict["kept"]) == (["name"], {"name": "汪雨桐"},
                                                                             {"name": "王雨彤"})
    assert (conflict["base_version"], conflict["server_row_version"]) == (1, 2)
    # The review list pages with its own cursor.
    assert second.http.get("/v1/conflicts", params={"since": listed["next_cursor"]}).json()["conflicts"] == []


def test_a_change_built_on_a_refused_change_is_refused_too(service: LiveService) -> None:
    first, second, anchor = _two_consoles_on_one_anchor(service)
    first.update("anchor", anchor, name="王雨彤")
    first.push()
    second.update("anchor", anchor, name="汪雨桐")
    second.update("anchor", anchor, phone="13900000000")

    results = second.push()["results"]

    assert [r["status"] for r in results] == ["conflict", "conflict"]
    second.pull()
    assert second.rows[("anchor", anchor)]["phone"] == ""


def test_a_delete_and_an_edit_of_other_fields_merge(service: LiveService) -> None:
    first, second, anchor = _two_consoles_on_one_anchor(service)
    first.update("anchor", anchor, phone="13800000000")
    second.delete("anchor", anchor)
    first.push()

    result = second.push()["results"][0]

    assert result["status"] == "merged"
    rows = first.pull()
    assert rows[0]["deleted"] is True and rows[0]["data"]["phone"] == "13800000000"
