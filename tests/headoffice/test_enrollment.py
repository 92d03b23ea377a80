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
