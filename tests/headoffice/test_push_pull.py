"""Push and pull: round trips, idempotent batches and mutations, append-only facts, head-office data."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from console.headoffice.models import AppliedMutation, SyncedRow
from tests.headoffice.helpers import LiveService


def _count(service: LiveService, model: type) -> int:
    with service.sessions().begin() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_push_then_pull_round_trip(service: LiveService) -> None:
    service.add_store("SH01")
    writer, reader = service.enroll("SH01"), service.enroll("SH01")
    anchor = writer.insert("anchor", code="A001", name="王雨桐", affiliation="staff", trained_brands=["雅诗兰黛"])
    room = writer.insert("live_room", code="R1", name="美妆直播间", platforms=["douyin"])
    writer.update("anchor", anchor, phone="13800000000")

    pushed = writer.push()
    pulled = reader.pull()

    assert [r["status"] for r in pushed["results"]] == ["applied"] * 3
    assert pushed["results"][2]["row_version"] == 2
    # Versions follow the order in which the batch first touched each row.
    assert [(r["table"], r["row_id"]) for r in pulled] == [("anchor", anchor), ("live_room", room)]
    versions = [r["version"] for r in pulled]
    assert versions == sorted(versions) and reader.cursors["store"] == versions[-1] == pushed["store_version"]
    assert reader.rows[("anchor", anchor)] == writer.rows[("anchor", anchor)]
    assert reader.rows[("anchor", anchor)]["trained_brands"] == ["雅诗兰黛"]
    # Nothing new: the next pull is empty and keeps the cursor.
    assert reader.pull() == [] and reader.cursors["store"] == versions[-1]


def test_the_catalog_scope_carries_head_office_data(service: LiveService) -> None:
    service.add_store("SH01")
    service.add_store("BJ02")
    console = service.enroll("SH01")

    rows = console.pull("catalog")

    assert sorted(r["data"]["code"] for r in rows if r["table"] == "store") == ["BJ02", "SH01"]
    assert all(r["scope"] == "catalog" for r in rows)


def test_a_retried_batch_gets_the_identical_answer_and_applies_nothing_twice(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    anchor = console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    console.update("anchor", anchor, name="王雨彤")
    body = {"batch_id": str(uuid.uuid4()), "mutations": console.outbox}

    first = console.push_body(body)
    rows_after_first = _count(service, SyncedRow)
    retry = console.push_body(body)

    assert first.status_code == retry.status_code == 200
    assert retry.content == first.content
    assert _count(service, SyncedRow) == rows_after_first
    assert _count(service, AppliedMutation) == 2
    assert [r["row_version"] for r in console.pull()] == [2]


def test_a_batch_id_reused_for_other_mutations_is_refused(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    batch_id = str(uuid.uuid4())
    console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    assert console.push_body({"batch_id": batch_id, "mutations": console.outbox}).status_code == 200
    console.outbox.clear()
    console.insert("anchor", code="A002", name="李思远", affiliation="guest")

    response = console.push_body({"batch_id": batch_id, "mutations": console.outbox})

    assert (response.status_code, response.json()["error"]) == (409, "batch_id_reused")
    assert len(console.pull()) == 1


def test_a_mutation_pushed_again_in_a_new_batch_is_a_duplicate(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    anchor = console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    entry = console.update("anchor", anchor, name="王雨彤")
    console.push()
    versions = [r["version"] for r in console.pull()]

    again = console.push_body({"batch_id": str(uuid.uuid4()), "mutations": [entry]})

    assert again.status_code == 200
    result = again.json()["results"][0]
    assert (result["status"], result["reason"]) == ("duplicate", "already answered as applied")
    assert result["row_version"] == 2
    assert console.pull() == [] and versions == [versions[-1]]


def test_the_same_mutation_twice_in_one_batch_is_refused(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")

    response = console.push_body({"batch_id": str(uuid.uuid4()), "mutations": console.outbox * 2})

    assert (response.status_code, response.json()["error"]) == (422, "duplicate_mutation_id")
    assert _count(service, SyncedRow) == 1  # only the catalog's store row


def test_append_only_rows_are_idempotent_inserts(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    broadcast = str(uuid.uuid4())
    event = console.insert("onair_event", broadcast_id=broadcast, kind="product_started",
                           at="2026-11-20T12:00:00+00:00", seq=1)
    first = console.push()
    # A console that lost the answer and rebuilt its outbox sends the same row under a new mutation id.
    console.insert("onair_event", id=event, broadcast_id=broadcast, kind="product_started",
                   at="2026-11-20T12:00:00+00:00", seq=1)
    edit = console.update("onair_event", event, seq=2)

    second = console.push()

    assert first["results"][0]["status"] == "applied"
    assert [r["status"] for r in second["results"]] == ["duplicate", "rejected"]
    assert "append-only" in second["results"][1]["reason"]
    rows = console.pull()
    assert len(rows) == 1 and rows[0]["data"]["seq"] == 1
    assert edit["payload"]["seq"] == 2


def test_head_office_tables_cannot_be_pushed_by_a_store(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    catalog = console.pull("catalog")
    store_row = next(r for r in catalog if r["table"] == "store")
    console.rows[("store", str(store_row["row_id"]))] = dict(store_row["data"])
    console.update("store", str(store_row["row_id"]), name="Renamed by a store")
    console.insert("product", sku="X-1", name="私自添加的商品", brand="B", category="C")
    anchor = console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")

    pushed = console.push()

    assert [r["status"] for r in pushed["results"]] == ["rejected", "rejected", "applied"]
    assert all("head-office data" in r["reason"] for r in pushed["results"][:2])
    # The store row comes down again unchanged, so the console can drop its local edit; no product exists.
    again = console.pull("catalog")
    assert [(r["table"], r["data"]["name"]) for r in again] == [("store", "Store SH01")]
    assert [r["row_id"] for r in console.pull()] == [anchor]
