"""Enrollment codes are one-time and expire; tokens are stored hashed, and revoked or expired tokens are refused."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from console.headoffice import cli
from console.headoffice.models import Console, EnrollmentCode
from console.headoffice.security import token_hash
from console.storage.types import utcnow
from tests.headoffice.helpers import LiveService


def test_a_code_enrolls_one_console_once(service: LiveService) -> None:
    store = service.add_store("SH01")
    code = service.enrollment_code("SH01")
    anonymous = service.client()

    # People type codes in lower case and without the dashes.
    first = anonymous.post("/v1/enroll", json={"code": code.replace("-", "").lower(), "console_name": "PC 1"})
    again = anonymous.post("/v1/enroll", json={"code": code, "console_name": "PC 2"})

    assert first.status_code == 200
    body = first.json()
    assert (body["store_code"], body["store_id"]) == ("SH01", str(store.id))
    # Claimed by the first console until it completes or gives the code back.
    assert again.status_code == 403
    assert again.json()["error"] == "code_in_use"
    done = service.client(Authorization=f"Bearer {body['token']}").post("/v1/enroll/complete")
    assert done.status_code == 200 and done.json()["complete"] is True
    again = anonymous.post("/v1/enroll", json={"code": code, "console_name": "PC 2"})
    assert again.status_code == 403
    assert again.json() == {"error": "code_invalid", "message": "This enrollment code is unknown or was already "
                                                               "used; ask head office for a new one."}
    with service.sessions().begin() as session:
        consoles = session.scalars(select(Console)).all()
        codes = session.scalars(select(EnrollmentCode)).all()
    assert [c.name for c in consoles] == ["PC 1"]
    # Neither the token nor the code is stored as such.
    assert consoles[0].token_hash == token_hash(body["token"]) != body["token"]
    assert code not in codes[0].code_hash


def test_an_expired_code_is_refused(service: LiveService) -> None:
    service.add_store("SH01")
    code = service.enrollment_code("SH01")
    with service.sessions().begin() as session:
        session.execute(update(EnrollmentCode).values(expires_at=utcnow() - timedelta(minutes=1)))

    response = service.client().post("/v1/enroll", json={"code": code})

    assert response.status_code == 403
    assert response.json()["error"] == "code_expired"
    assert "expired" in response.json()["message"]
    with service.sessions().begin() as session:
        assert session.scalars(select(Console)).all() == []


def test_a_console_name_no_database_can_store_is_refused(service: LiveService) -> None:
    service.add_store("SH01")
    code = service.enrollment_code("SH01")
    anonymous = service.client()

    for name in ("PC\x001", "PC\ud8001"):
        response = anonymous.post("/v1/enroll", content=json.dumps({"code": code, "console_name": name}),
                                  headers={"Content-Type": "application/json"})
        assert response.status_code == 422, response.text
        assert response.json()["message"] == (
            "Body field console_name: must not contain NUL characters or unpaired surrogates.")
    assert anonymous.post("/v1/enroll", json={"code": code, "console_name": "PC 1"}).status_code == 200


def test_an_unknown_code_is_refused(service: LiveService) -> None:
    service.add_store("SH01")

    response = service.client().post("/v1/enroll", json={"code": "AAAAA-BBBBB-CCCCC-DDDDD"})

    assert (response.status_code, response.json()["error"]) == (403, "code_invalid")


def test_a_revoked_token_is_refused_and_others_keep_working(service: LiveService, database_url: str) -> None:
    service.add_store("SH01")
    revoked, kept = service.enroll("SH01"), service.enroll("SH01")
    assert revoked.http.get("/v1/pull", params={"scope": "store"}).status_code == 200

    assert cli.main(["console", "revoke", str(revoked.console_id), "--database-url", database_url]) == 0

    refused = revoked.http.get("/v1/pull", params={"scope": "store"})
    assert refused.status_code == 401
    assert refused.json()["error"] == "token_revoked"
    assert kept.http.get("/v1/pull", params={"scope": "store"}).status_code == 200
    revoked.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    response = revoked.push_body({"batch_id": "0b7e7d0e-8d5a-4f49-9f0e-1c1c1c1c1c1c", "mutations": revoked.outbox})
    assert response.status_code == 401


def test_an_expired_token_is_refused(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    with service.sessions().begin() as session:
        session.execute(update(Console).values(expires_at=utcnow() - timedelta(seconds=1)))

    response = console.http.get("/v1/pull", params={"scope": "store"})

    assert (response.status_code, response.json()["error"]) == (401, "token_expired")


def test_missing_or_unknown_tokens_are_refused(service: LiveService) -> None:
    service.add_store("SH01")

    missing = service.client().get("/v1/pull", params={"scope": "store"})
    unknown = service.client(Authorization="Bearer not-a-token").get("/v1/pull", params={"scope": "store"})

    assert (missing.status_code, missing.json()["error"]) == (401, "token_missing")
    assert (unknown.status_code, unknown.json()["error"]) == (401, "token_unknown")


def test_a_code_given_back_works_again_and_the_first_token_no_longer(service: LiveService) -> None:
    service.add_store("SH01")
    code = service.enrollment_code("SH01")
    anonymous = service.client()
    first = anonymous.post("/v1/enroll", json={"code": code, "console_name": "PC 1"}).json()
    pc1 = service.client(Authorization=f"Bearer {first['token']}")

    released = pc1.post("/v1/enroll/release")

    assert released.status_code == 200 and released.json()["complete"] is False
    assert pc1.get("/v1/pull", params={"scope": "catalog"}).json()["error"] == "token_revoked"
    second = anonymous.post("/v1/enroll", json={"code": code, "console_name": "PC 2"})
    assert second.status_code == 200
    with service.sessions().begin() as session:
        (row,) = session.scalars(select(EnrollmentCode)).all()
        assert row.used_at is None and str(row.console_id) == second.json()["console_id"]


def test_a_completed_enrollment_or_one_that_sent_changes_keeps_its_code_spent(service: LiveService) -> None:
    service.add_store("SH01")
    done = service.enroll("SH01", "PC 1")
    assert done.http.post("/v1/enroll/complete").status_code == 200
    assert done.http.post("/v1/enroll/complete").status_code == 200     # asked again after a lost answer
    refused = done.http.post("/v1/enroll/release")
    assert (refused.status_code, refused.json()["error"]) == (409, "enrollment_complete")

    sent = service.enroll("SH01", "PC 2")
    sent.insert("anchor", code="A1", name="王", affiliation="staff")
    sent.push()
    refused = sent.http.post("/v1/enroll/release")
    assert (refused.status_code, refused.json()["error"]) == (409, "enrollment_complete")


def test_two_consoles_racing_for_one_code_one_wins(service: LiveService) -> None:
    import threading

    service.add_store("SH01")
    code = service.enrollment_code("SH01")
    answers: list[int] = []
    start = threading.Barrier(6)

    def claim(name: str) -> None:
        client = service.client()
        start.wait()
        answers.append(client.post("/v1/enroll", json={"code": code, "console_name": name}).status_code)

    threads = [threading.Thread(target=claim, args=(f"PC {n}",)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(answers) == [200, 403, 403, 403, 403, 403]
    with service.sessions().begin() as session:
        assert len(session.scalars(select(Console)).all()) == 1
