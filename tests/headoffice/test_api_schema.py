"""Schemathesis against the service's own OpenAPI description, in process through the ASGI app.

Every operation gets generated requests, valid and invalid (schemathesis's
positive and negative modes), sent with a real console token and the protocol
header, so authenticated endpoints are exercised past authentication; the
staff endpoints get a second run with an admin's staff token. Checks:
no 5xx for any input, declared status codes, content types, headers and
response bodies conform to the description. SQLite in a temporary file; the
examples per operation are bounded so the whole module stays well under a
minute.

Not among the checks: ``negative_data_rejection``. Its "invalid" requests
include unknown query parameters (ignored, as HTTP services usually do) and a
missing Authorization header that the injected token fills back in, so it
flags valid answers; unknown *body* fields are refused (422) and
``tests/headoffice/test_bad_input.py`` covers bad input case by case.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from console.headoffice import admin, db, staff
from console.headoffice.app import Settings, create_app
from console.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
MAX_EXAMPLES = 30


# Built at import: schemathesis's lazy loader (``schemathesis.pytest.from_fixture``, 4.32.5)
# reads ``request.node._nodeid``, which pytest 9 no longer has. Only the empty folder is
# made here; the database is migrated and filled by the fixture below, which also removes it.
_FOLDER = Path(tempfile.mkdtemp(prefix="anchor-ho-schemathesis-"))
_URL = f"sqlite:///{_FOLDER / 'headoffice.sqlite3'}"
_ENGINE = db.make_engine(_URL)  # connects on first use
# Generated requests come fast: the rate limiter must not turn them all into 429s.
APP = create_app(Settings(database_url=_URL, rate_per_second=10_000, rate_burst=10_000), engine=_ENGINE)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
OPERATIONS = {"GET /healthz", "GET /readyz", "POST /v1/enroll", "POST /v1/enroll/complete", "POST /v1/enroll/release",
              "POST /v1/push", "GET /v1/pull",
              "GET /v1/snapshot", "GET /v1/conflicts",
              "POST /v1/staff/sign-in", "POST /v1/staff/sign-out", "GET /v1/staff/me", "GET /v1/staff/stores",
              "POST /v1/staff/stores", "POST /v1/staff/stores/{code}/enrollment-code",
              "POST /v1/staff/consoles/{console_id}/revoke", "PUT /v1/staff/catalog/products",
              "GET /v1/staff/reports/{kind}"}
# Signing out would end the staff token that the other staff operations are tested with.
STAFF = schema.include(path_regex="^/v1/staff/").exclude(path="/v1/staff/sign-out")


@pytest.fixture(scope="module")
def auth_headers() -> Iterator[dict[str, str]]:
    """Migrates the database, adds a store, enrolls a console: its token and the protocol header."""
    try:
        db.migrate(_ENGINE)
        sessions = db.session_factory(_ENGINE)
        with sessions.begin() as session:
            admin.add_store(session, "ST01", "Schema store")
            code = admin.issue_enrollment_code(session, "ST01").code
        with sessions.begin() as session:
            token = admin.enroll(session, code, "schemathesis").token
        yield {"Authorization": f"Bearer {token}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    finally:
        _ENGINE.dispose()
        shutil.rmtree(_FOLDER, ignore_errors=True)


@pytest.fixture(scope="module")
def staff_headers(auth_headers: dict[str, str]) -> dict[str, str]:
    """An admin's staff token (signed in directly, not spending the sign-in rate limit) and the protocol header."""
    with db.session_factory(_ENGINE).begin() as session:
        admin.add_user(session, "schema-admin", "Schema admin", "admin", "a long enough password")
        token = staff.sign_in(session, "schema-admin", "a long enough password", staff.SESSION_LIFETIME).token
    return {**auth_headers, "Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_api_conforms_with_a_valid_token(case: schemathesis.Case, auth_headers: dict[str, str]) -> None:
    """Generated bodies and queries reach the endpoints' logic: never a 5xx, always the declared shapes."""
    case.call_and_validate(headers=auth_headers, checks=CHECKS)


@STAFF.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_staff_api_conforms_with_an_admin_token(case: schemathesis.Case, staff_headers: dict[str, str]) -> None:
    """The staff endpoints past authentication and role checks: never a 5xx, always the declared shapes."""
    case.call_and_validate(headers=staff_headers, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_api_conforms_without_credentials(case: schemathesis.Case, auth_headers: dict[str, str]) -> None:
    """No token, and the protocol header as generated (often none): 4xx refusals in the declared shape."""
    del auth_headers  # only for the database it sets up
    case.call_and_validate(checks=CHECKS)


def test_every_operation_is_described_and_the_tokens_are_accepted(staff_headers: dict[str, str],
                                                                   auth_headers: dict[str, str]) -> None:
    """The tests above cover every endpoint, and their tokens get past authentication."""
    described = {op.ok().label for op in schema.get_all_operations()}
    assert described == OPERATIONS
    answer = schema["/v1/pull"]["GET"].Case(query={"scope": "store"}).call(headers=auth_headers)
    assert answer.status_code == 200, answer.text
    answer = schema["/v1/staff/stores"]["GET"].Case().call(headers=staff_headers)
    assert answer.status_code == 200, answer.text
