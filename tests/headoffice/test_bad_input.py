"""Bad input and other stores' data: a 4xx with one clear sentence, nothing applied, never a 5xx."""

from __future__ import annotations

import copy
import json
import random
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from console.headoffice.app import Settings, create_app
from console.headoffice.models import AppliedMutation, PushBatch, SyncedRow
from console.sync.protocol import MAX_BATCH, PROTOCOL_HEADER
from tests.headoffice.helpers import FakeConsole, LiveService


def _synced_rows(service: LiveService) -> int:
    with service.sessions().begin() as session:
        return session.scalar(select(func.count()).select_from(SyncedRow)) or 0


def _nothing_recorded(service: LiveService) -> bool:
    with service.sessions().begin() as session:
        return not session.scalar(select(func.count()).select_from(AppliedMutation)) and \
            not session.scalar(select(func.count()).select_from(PushBatch))


@pytest.fixture
def console(service: LiveService) -> FakeConsole:
    service.add_store("SH01")
    return service.enroll("SH01")


def _batch(console: FakeConsole) -> dict[str, Any]:
    """A valid batch of two mutations: a test breaks one of them."""
    console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    console.insert("anchor", code="A002", name="李思远", affiliation="guest")
    return {"batch_id": str(uuid.uuid4()), "mutations": copy.deepcopy(console.outbox)}


def _assert_refused(service: LiveService, response: Any, status: int, error: str, before: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == error
    message: str = body["message"]
    assert message.endswith(".") and "\n" not in message
    assert _synced_rows(service) == before and _nothing_recorded(service)
    return message


def test_malformed_json(service: LiveService, console: FakeConsole) -> None:
    before = _synced_rows(service)

    response = console.http.post("/v1/push", content=b'{"batch_id": "x", "mutations": [',
                                 headers={"Content-Type": "application/json"})

    assert _assert_refused(service, response, 400, "malformed_json", before) == "The request body is not valid JSON."


@pytest.mark.parametrize(("where", "value", "expected"), [
    ("base_version", "0", "Body field mutations[1].base_version: Input should be a valid integer"),
    ("row_id", "not-a-uuid", "Body field mutations[1].row_id"),
    ("op", "upsert", "Body field mutations[1].op: Input should be 'insert', 'update' or 'delete'"),
    ("surprise", 1, "Body field mutations[1].surprise: Extra inputs are not permitted"),
])
def test_wrong_types_in_the_envelope(service: LiveService, console: FakeConsole, where: str, value: Any,
                                     expected: str) -> None:
    body = _batch(console)
    body["mutations"][1][where] = value
    before = _synced_rows(service)

    message = _assert_refused(service, console.push_body(body), 422, "invalid_request", before)

    assert message.startswith(expected)


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("weekly_hours_cap", "44", "field anchor.weekly_hours_cap must be an integer"),
    ("active", 1, "field anchor.active must be true or false"),
    ("affiliation", "intern", "field anchor.affiliation must be one of brand, guest, staff"),
    ("trained_brands", "雅诗兰黛", "field anchor.trained_brands must be a JSON array"),
    ("created_at", "2026-11-20T12:00:00", "field anchor.created_at must be an ISO 8601 date-time"),
    ("code", "A" * 33, "field anchor.code must be a string of at most 32 characters"),
    ("name", None, "field anchor.name must not be null"),
    # PostgreSQL cannot store NUL in text or JSON: refused as bad input, not a 500, on either database.
    ("name", "王\x00雨桐", "field anchor.name must be a string of at most 120 characters, without NUL"),
    ("trained_brands", ["雅诗\x00兰黛"], "field anchor.trained_brands must be a JSON array without NUL"),
    # Half a UTF-16 surrogate pair (JSON can spell it as \ud800) is no character: no database stores it.
    ("name", "王\ud800雨桐", "field anchor.name must be a string of at most 120 characters, without NUL "
                           "characters or unpaired surrogates"),
    ("trained_brands", ["雅诗\udfff兰黛"], "field anchor.trained_brands must be a JSON array without NUL "
                                         "characters or unpaired surrogates"),
    ("trained_brands", [{"\ud83d": "雅诗兰黛"}], "field anchor.trained_brands must be a JSON array without NUL"),
])
def test_wrong_types_in_a_row(service: LiveService, console: FakeConsole, field: str, value: Any,
                              expected: str) -> None:
    body = _batch(console)
    body["mutations"][1]["payload"][field] = value
    before = _synced_rows(service)

    message = _assert_refused(service, _post_escaped(console, body), 422, "invalid_row", before)

    assert message.startswith("Mutation 1 (anchor ") and expected in message


def _post_escaped(console: FakeConsole, body: Any) -> Any:
    """Non-ASCII text escaped as \\uXXXX, the one way JSON can carry half a surrogate pair."""
    return console.http.post("/v1/push", content=json.dumps(body), headers={"Content-Type": "application/json"})


def test_unknown_table(service: LiveService, console: FakeConsole) -> None:
    body = _batch(console)
    body["mutations"][1]["table"] = "salary"
    before = _synced_rows(service)

    message = _assert_refused(service, console.push_body(body), 422, "unknown_table", before)

    assert message == "Mutation 1 names table 'salary', which is not synced."

    body["mutations"][1]["table"] = "salary\ud800"
    message = _assert_refused(service, _post_escaped(console, body), 422, "invalid_request", before)
    assert message.startswith("Body field mutations[1].table: Input should be a valid string")


def test_unknown_field_in_the_row_or_in_changed_fields(service: LiveService, console: FakeConsole) -> None:
    body = _batch(console)
    body["mutations"][1]["payload"]["salary_fen"] = 100
    before = _synced_rows(service)
    message = _assert_refused(service, console.push_body(body), 422, "invalid_row", before)
    assert "table anchor has no field 'salary_fen'" in message

    body = _batch(console)
    body["mutations"][0]["changed_fields"].append("salary_fen")
    _assert_refused(service, console.push_body(body), 422, "invalid_row", before)

    body = _batch(console)
    del body["mutations"][0]["payload"]["phone"]
    message = _assert_refused(service, console.push_body(body), 422, "invalid_row", before)
    assert "lacks field 'phone'" in message


def test_an_oversized_batch_names_the_limit(service: LiveService, console: FakeConsole) -> None:
    body = _batch(console)
    mutation = body["mutations"][0]
    body["mutations"] = [{**mutation, "mutation_id": str(uuid.uuid4())} for _ in range(MAX_BATCH + 1)]
    before = _synced_rows(service)

    message = _assert_refused(service, console.push_body(body), 413, "batch_too_large", before)

    assert f"at most {MAX_BATCH} mutations" in message and str(MAX_BATCH + 1) in message


def test_an_oversized_body_is_refused_before_it_is_read(service: LiveService, console: FakeConsole) -> None:
    body = _batch(console)
    body["mutations"][0]["payload"]["phone"] = "1" * (5 * 2**20)
    before = _synced_rows(service)

    message = _assert_refused(service, console.push_body(body), 413, "body_too_large", before)

    assert "4 MiB" in message


def test_versions_that_make_no_sense(service: LiveService, console: FakeConsole) -> None:
    body = _batch(console)
    body["mutations"][0]["base_version"] = 3
    before = _synced_rows(service)

    message = _assert_refused(service, console.push_body(body), 422, "invalid_request", before)

    assert "an insert has base_version 0" in message


def test_a_store_cannot_write_another_stores_data(service: LiveService, console: FakeConsole) -> None:
    other = service.add_store("BJ02")
    body = _batch(console)
    # The first mutation is fine; the second claims store BJ02: the whole batch is refused.
    body["mutations"][1]["payload"]["store_id"] = str(other.id)
    before = _synced_rows(service)

    message = _assert_refused(service, console.push_body(body), 403, "store_mismatch", before)

    assert "this console belongs to store SH01" in message


def test_a_store_cannot_overwrite_another_stores_row(service: LiveService, console: FakeConsole) -> None:
    service.add_store("BJ02")
    beijing = service.enroll("BJ02")
    theirs = beijing.insert("anchor", code="B001", name="张浩然", affiliation="staff")
    beijing.push()
    # Shanghai sends the same row id as its own.
    console.insert("anchor", id=theirs, code="A001", name="Taken over", affiliation="staff")
    before = _synced_rows(service)

    response = console.push_body({"batch_id": str(uuid.uuid4()), "mutations": console.outbox})

    assert response.status_code == 403 and response.json()["error"] == "store_mismatch"
    assert _synced_rows(service) == before
    assert beijing.pull()[0]["data"]["name"] == "张浩然"


def test_a_store_reads_only_its_own_rows(service: LiveService, console: FakeConsole) -> None:
    service.add_store("BJ02")
    beijing = service.enroll("BJ02")
    beijing.insert("anchor", code="B001", name="张浩然", affiliation="staff")
    beijing.push()
    console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    console.push()

    pulled = console.pull()
    snapshot = console.http.get("/v1/snapshot", params={"scope": "store"}).json()

    assert [r["data"]["code"] for r in pulled] == ["A001"]
    assert [r["data"]["code"] for r in snapshot["rows"]] == ["A001"]
    assert {r["data"]["store_id"] for r in pulled + snapshot["rows"]} == {str(console.store_id)}


@pytest.mark.parametrize(("header", "status", "error"), [
    ("0", 426, "upgrade_required"), (None, 400, "protocol_missing"), ("2", 400, "protocol_unsupported"),
    ("one", 400, "protocol_invalid"),
])
def test_protocol_versions(service: LiveService, console: FakeConsole, header: str | None, status: int,
                           error: str) -> None:
    body = _batch(console)
    headers = {"Authorization": f"Bearer {console.token}"}
    if header is not None:
        headers[PROTOCOL_HEADER] = header
    before = _synced_rows(service)

    with service.client() as client:
        client.headers.pop(PROTOCOL_HEADER)
        response = client.post("/v1/push", json=body, headers=headers)

    message = _assert_refused(service, response, status, error, before)
    if status == 426:
        assert "upgrade Anchor Console" in message
    # The current version is served, and says so.
    assert console.http.get("/v1/pull", params={"scope": "store"}).headers[PROTOCOL_HEADER] == "1"


def test_bad_query_parameters_and_unknown_paths(service: LiveService, console: FakeConsole) -> None:
    bad_scope = console.http.get("/v1/pull", params={"scope": "everything"})
    negative = console.http.get("/v1/pull", params={"scope": "store", "since": -1})
    too_many = console.http.get("/v1/pull", params={"scope": "store", "limit": 100_000})
    nowhere = console.http.get("/v1/nowhere")
    wrong_method = console.http.delete("/v1/push")

    assert (bad_scope.status_code, bad_scope.json()["message"]) == (
        422, "Query parameter scope: Input should be 'store' or 'catalog'.")
    assert negative.status_code == too_many.status_code == 422
    assert (nowhere.status_code, nowhere.json()["error"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.json()["error"]) == (405, "method_not_allowed")


def test_a_console_over_its_rate_is_told_to_wait(engine: Any, database_url: str) -> None:
    live = LiveService.start(create_app(Settings(database_url, rate_per_second=0.5, rate_burst=3), engine), engine)
    try:
        live.add_store("SH01")
        console = live.enroll("SH01")
        answers = [console.http.get("/v1/pull", params={"scope": "store"}) for _ in range(5)]
    finally:
        live.stop()

    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert answers[-1].json()["error"] == "rate_limited" and int(answers[-1].headers["Retry-After"]) >= 1


def test_random_garbage_never_gets_a_5xx(service: LiveService, console: FakeConsole) -> None:
    rng = random.Random(4)
    valid = _batch(console)
    atoms: list[Any] = [None, True, 0, -1, 2**70, 1.5, "", "x", "🙂" * 3, [], {}, [1, "a"], {"k": None},
                        str(uuid.uuid4()), "2026-13-45T25:61:00+00:00"]

    def mutate(value: Any) -> Any:
        if isinstance(value, dict) and value and rng.random() < 0.7:
            key = rng.choice(sorted(value))
            return {**value, key: mutate(value[key])}
        if isinstance(value, list) and value and rng.random() < 0.7:
            i = rng.randrange(len(value))
            return [*value[:i], mutate(value[i]), *value[i + 1:]]
        return rng.choice(atoms)

    before = _synced_rows(service)
    statuses = set()
    for _ in range(150):
        response = console.http.post("/v1/push", content=json.dumps(mutate(valid)).encode(),
                                     headers={"Content-Type": "application/json"})
        statuses.add(response.status_code)
        assert response.status_code < 500, response.text
    assert statuses - {200} and _synced_rows(service) >= before
