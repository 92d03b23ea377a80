"""Tombstones wait for every console of the scope; a console left behind resets; snapshots page from a watermark."""

from __future__ import annotations

from sqlalchemy import select

from console.headoffice import admin
from console.headoffice.models import ScopeCounter, SyncedRow, store_scope
from tests.headoffice.helpers import FakeConsole, LiveService


def _tombstones(service: LiveService) -> int:
    with service.sessions().begin() as session:
        return len(session.scalars(select(SyncedRow.row_id).where(SyncedRow.deleted.is_(True))).all())


def _pull_page(console: FakeConsole, since: int, scope: str = "store") -> dict:  # type: ignore[type-arg]
    response = console.http.get("/v1/pull", params={"scope": scope, "since": since})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_tombstone_is_kept_until_every_console_has_passed_it(service: LiveService) -> None:
    service.add_store("SH01")
    writer, slow = service.enroll("SH01"), service.enroll("SH01")
    anchor = writer.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    writer.push()
    slow.pull()
    writer.delete("anchor", anchor)
    writer.push()
    old_cursor = slow.cursors["store"]

    writer.pull()
    writer.pull()  # acknowledges the delete; the slow console has not yet
    assert _tombstones(service) == 1

    rows = slow.pull()  # receives the tombstone ...
    assert [(r["row_id"], r["deleted"]) for r in rows] == [(anchor, True)]
    assert _tombstones(service) == 1
    slow.pull()  # ... and acknowledges it: now every console has passed it
    assert _tombstones(service) == 0

    # A console that comes back with a cursor from before the purge must start again from a snapshot.
    stale = _pull_page(slow, old_cursor)
    assert stale["reset_required"] is True and stale["rows"] == []
    assert _pull_page(slow, slow.cursors["store"])["reset_required"] is False


def test_a_revoked_console_does_not_hold_tombstones_back(service: LiveService) -> None:
    service.add_store("SH01")
    writer, gone = service.enroll("SH01"), service.enroll("SH01")
    anchor = writer.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    writer.push()
    writer.delete("anchor", anchor)
    writer.push()
    writer.pull()
    writer.pull()
    assert _tombstones(service) == 1

    with service.sessions().begin() as session:
        admin.revoke_console(session, str(gone.console_id))
    writer.pull()

    assert _tombstones(service) == 0


def test_a_cursor_ahead_of_the_server_requires_a_reset(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")

    page = _pull_page(console, 10_000)

    assert page["reset_required"] is True


def test_snapshot_pages_then_pull_from_the_watermark_misses_nothing(service: LiveService) -> None:
    service.add_store("SH01")
    writer, fresh = service.enroll("SH01"), service.enroll("SH01")
    anchors = [writer.insert("anchor", code=f"A{i:03d}", name=f"主播{i}", affiliation="staff") for i in range(7)]
    writer.push()
    writer.delete("anchor", anchors[0])
    writer.push()

    first = fresh.http.get("/v1/snapshot", params={"scope": "store", "limit": 3}).json()
    watermark = first["watermark"]
    # While the new console pages through, the store goes on: an edit, a delete, a new row.
    writer.update("anchor", anchors[5], phone="13800000000")
    writer.delete("anchor", anchors[1])
    late = writer.insert("anchor", code="A100", name="新主播", affiliation="guest")
    writer.push()
    pages = [first]
    while pages[-1]["has_more"]:
        pages.append(fresh.http.get("/v1/snapshot", params={
            "scope": "store", "watermark": watermark, "after": pages[-1]["next_after"], "limit": 3}).json())
    local = {r["row_id"]: r["data"] for page in pages for r in page["rows"]}
    assert all(not r["deleted"] for page in pages for r in page["rows"])
    assert anchors[0] not in local and len(pages) >= 2
    assert all(page["watermark"] == watermark for page in pages)

    fresh.cursors["store"] = watermark
    for row in fresh.pull(limit=2):
        if row["deleted"]:
            local.pop(row["row_id"], None)
        else:
            local[row["row_id"]] = row["data"]

    expected = {row_id: data for (table, row_id), data in writer.rows.items()
                if table == "anchor" and data["deleted_at"] is None}
    assert set(local) == set(expected) == set(anchors[2:]) | {late}
    assert local[anchors[5]]["phone"] == "13800000000"


def test_a_snapshot_holds_back_tombstones_after_its_watermark(service: LiveService) -> None:
    service.add_store("SH01")
    writer, fresh = service.enroll("SH01"), service.enroll("SH01")
    anchor = writer.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    writer.push()
    watermark = fresh.http.get("/v1/snapshot", params={"scope": "store"}).json()["watermark"]
    writer.delete("anchor", anchor)
    writer.push()
    writer.pull()
    writer.pull()

    assert _tombstones(service) == 1
    fresh.cursors["store"] = watermark
    assert [r["deleted"] for r in fresh.pull()] == [True]


def test_snapshot_rejects_a_watermark_the_server_never_had(service: LiveService) -> None:
    store = service.add_store("SH01")
    console = service.enroll("SH01")
    with service.sessions().begin() as session:
        latest = session.get_one(ScopeCounter, store_scope(store.id)).version

    response = console.http.get("/v1/snapshot", params={"scope": "store", "watermark": latest + 5})

    assert response.status_code == 422 and "start the snapshot again" in response.json()["message"]
