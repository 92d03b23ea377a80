"""Every sync and enrollment problem a user can read is a Message: a stable id, English words, typed values.

Head office's refusals (ErrorBody codes) become the console's own catalog
messages, so the Sync screen and ``sync --status`` show them in the reader's
language; a code the console does not know keeps head office's sentence. The
last problem is kept in the database as a message and read back as one.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

import console.i18n
from console.domain.enums import Affiliation, QualityDocumentKind
from console.domain.values import StoreInfo
from console.i18n import Message
from console.services.base import write_setting
from console.services.sync import LAST_ERROR_SETTING, SyncService
from console.storage.db import Database
from console.storage.models import Anchor, Product, StoreProduct
from console.sync import local
from console.sync.client import (
    ENROLLED_STORE_SETTING,
    MODE_CLEAN,
    SyncClient,
    SyncLoop,
    SyncReport,
    folder_lock,
    problem_from_response,
)
from console.sync.local import RowClash, SyncProblem
from console.sync.protocol import Scope
from console.sync.protocol import SyncedRow as WireRow
from console.sync.tokens import TokenStore
from tests.headoffice.helpers import LiveService, full_row
from tests.sync.conftest import ConsoleFactory, store_id_of

HEAD_OFFICE = Path(__file__).resolve().parents[2] / "console" / "headoffice"


def refusal(status: int, code: str = "", message: str = "", **headers: str) -> httpx.Response:
    if not code:
        return httpx.Response(status, text="<html>bad gateway</html>", headers=headers)
    return httpx.Response(status, json={"error": code, "message": message}, headers=headers)


def status_of(db: Database) -> Any:
    # Reading status needs no signed-in user; the actor is never consulted.
    return SyncService(db, None).status()  # type: ignore[arg-type]


# --- head office's refusals -------------------------------------------------------------

# (HTTP status, code, message id, English start, retry, re-enroll)
KNOWN_REFUSALS = [
    (401, "token_unknown", "sync.token_unknown", "Head office does not know this console's token", False, True),
    (401, "token_revoked", "sync.token_revoked", "Head office revoked this console's token; enroll it again",
     False, True),
    (401, "token_expired", "sync.token_expired", "This console's head-office token has expired", False, True),
    (401, "token_missing", "sync.token_missing", "Head office received no token from this console", False, True),
    (403, "code_expired", "sync.code_expired", "This enrollment code has expired; ask head office for a new one.",
     False, False),
    (403, "code_invalid", "sync.code_invalid", "This enrollment code is unknown or was already used", False, False),
    (403, "store_mismatch", "sync.store_mismatch", "Head office refused changes that belong to another store",
     False, False),
    (426, "upgrade_required", "sync.console_too_old", "This console is too old for head office", False, False),
    (400, "protocol_unsupported", "sync.service_too_old", "Head office runs an older service", False, False),
    (400, "protocol_missing", "sync.protocol_lost", "Head office did not receive this console's protocol",
     False, False),
    (413, "batch_too_large", "sync.payload_too_large", "Head office refused the changes as too large", False, False),
    (413, "body_too_large", "sync.payload_too_large", "Head office refused the changes as too large", False, False),
    (409, "batch_id_reused", "sync.batch_reused", "Head office already answered this batch", False, False),
    (503, "database_unavailable", "sync.server_database_down", "Head office's database cannot be reached",
     True, False),
    (500, "internal_error", "sync.server_failed", "Head office had a problem (HTTP 500); nothing is lost",
     True, False),
]


@pytest.mark.parametrize(("status", "code", "ident", "english", "retry", "reenroll"), KNOWN_REFUSALS,
                         ids=[case[1] for case in KNOWN_REFUSALS])
def test_a_refusal_head_office_names_reads_in_the_consoles_own_words(
        status: int, code: str, ident: str, english: str, retry: bool, reenroll: bool) -> None:
    problem = problem_from_response(refusal(status, code, "The service's own sentence, in English."))

    assert problem.message.id == ident
    assert str(problem).startswith(english)
    assert "own sentence" not in str(problem)          # translatable: not the server's English
    assert (problem.retry, problem.reenroll) == (retry, reenroll)
    # What head office said stays with the problem, for the log and for support.
    assert (problem.status, problem.code, problem.detail) == (status, code, "The service's own sentence, in English.")


def test_an_unknown_code_shows_head_offices_own_sentence() -> None:
    problem = problem_from_response(refusal(422, "invalid_row", "Mutation 0 (anchor 1): field anchor.code must be "
                                                                "a string."))
    assert problem.message.id == "sync.server_said"
    assert problem.message.values == {"reason": "Mutation 0 (anchor 1): field anchor.code must be a string."}
    assert str(problem) == "Head office refused the request: Mutation 0 (anchor 1): field anchor.code must be a string."
    assert not problem.retry and not problem.reenroll


def test_an_answer_that_is_not_head_offices_names_the_http_status() -> None:
    problem = problem_from_response(refusal(404))
    assert problem.message.id == "sync.server_said"
    assert str(problem) == "Head office refused the request: HTTP 404 Not Found."
    gateway = problem_from_response(refusal(502))
    assert gateway.message.id == "sync.server_failed" and gateway.message.values == {"status": "502"}
    assert gateway.retry


def test_a_server_failure_with_words_of_its_own_keeps_them() -> None:
    problem = problem_from_response(refusal(503, "http_error", "Service Unavailable."))
    assert problem.message.id == "sync.server_failed_said"
    assert problem.message.values == {"status": "503", "reason": "Service Unavailable"}
    assert str(problem) == ("Head office had a problem (HTTP 503): Service Unavailable; nothing is lost, the console "
                            "tries again later.")


def test_an_unknown_401_still_asks_for_a_new_enrollment() -> None:
    problem = problem_from_response(refusal(401, "token_stolen", "Whatever."))
    assert problem.message.id == "sync.token_refused" and problem.reenroll and not problem.retry


@pytest.mark.parametrize(("retry_after", "ident", "english"), [
    ("7", "sync.rate_limited", "Head office asked this console to slow down; it tries again in 7 seconds."),
    ("1", "sync.rate_limited", "Head office asked this console to slow down; it tries again in 1 second."),
    ("0", "sync.rate_limited_soon", "Head office asked this console to slow down; it tries again shortly."),
    ("Wed, 21 Oct 2026 07:28:00 GMT", "sync.rate_limited_soon",
     "Head office asked this console to slow down; it tries again shortly."),
])
def test_pacing_counts_the_seconds_head_office_asks_for(retry_after: str, ident: str, english: str) -> None:
    problem = problem_from_response(refusal(429, "rate_limited", "Too many requests.", **{"Retry-After": retry_after}))
    assert problem.message.id == ident and str(problem) == english and problem.retry
    if ident == "sync.rate_limited":
        assert problem.message.values == {"count": int(retry_after)}


# Codes the console shows with head office's own sentence: they name fields and tables, which
# only head office's words can say; or (rate_limited, internal_error) the HTTP status decides.
SHOWN_AS_SENT = {"invalid_row", "unknown_table", "duplicate_mutation_id", "invalid_request", "protocol_invalid",
                 "malformed_json", "not_found", "method_not_allowed", "http_error"}
BY_STATUS = {"rate_limited": "sync.rate_limited_soon", "internal_error": "sync.server_failed"}


def _codes_head_office_sends() -> dict[str, int]:
    """Every (code, status) the console-facing service answers with, read from its sources."""
    found: dict[str, int] = {}
    for name in ("app.py", "guards.py", "sync.py", "admin.py"):
        source = (HEAD_OFFICE / name).read_text(encoding="utf-8")
        for status, code in re.findall(r'(?:ApiError|_error)\(\s*(\d{3}),\s*"(\w+)"', source):
            found.setdefault(code, int(status))
        for code in re.findall(r'ErrorBody\(error="(\w+)"', source):
            found.setdefault(code, 413)
    return found


def test_every_code_head_office_sends_a_console_is_known_here() -> None:
    codes = _codes_head_office_sends()
    assert {"token_revoked", "code_expired", "store_mismatch", "rate_limited", "body_too_large"} <= set(codes)
    for code, status in codes.items():
        problem = problem_from_response(refusal(status, code, "Head office's sentence."))
        if code in SHOWN_AS_SENT:
            assert problem.message.id == "sync.server_said", code
        elif code in BY_STATUS:
            assert problem.message.id == BY_STATUS[code], code
        else:
            assert problem.message.id != "sync.server_said", f"head office's code {code!r} has no message here"


# --- the client's own problems -------------------------------------------------------------


def test_a_head_office_address_must_be_http() -> None:
    with pytest.raises(SyncProblem) as caught:
        SyncClient(None, "ftp://ho.example", None)  # type: ignore[arg-type]
    assert caught.value.message.id == "sync.bad_address"
    assert caught.value.message.values == {"url": "ftp://ho.example"}
    assert str(caught.value) == "The head-office address 'ftp://ho.example' must start with http:// or https://."


def test_enrolling_needs_an_address(db: Database, data_dir: Path) -> None:
    client = SyncClient(db, None, TokenStore(data_dir))
    try:
        with pytest.raises(SyncProblem) as caught:
            asyncio.run(client.enroll("AAAAA", mode=MODE_CLEAN))
    finally:
        client.close()
    assert caught.value.message.id == "sync.enroll_needs_address"
    assert str(caught.value) == "Give the head-office address to enroll with."


def _sync(db: Database, data_dir: Path, transport: httpx.AsyncBaseTransport | None = None) -> SyncReport:
    client = SyncClient(db, None, TokenStore(data_dir), transport)
    try:
        return asyncio.run(client.sync_once())
    finally:
        client.close()


def test_a_console_never_enrolled_says_how_to_enroll_and_keeps_it_as_its_last_problem(
        db: Database, data_dir: Path) -> None:
    report = _sync(db, data_dir)

    (problem,) = report.errors
    assert isinstance(problem, Message) and problem.id == "sync.not_enrolled"
    assert str(problem) == ("This console is not enrolled with head office yet; run "
                            "`anchor-console enroll --server URL --code CODE` first.")
    assert status_of(db).last_error == problem
    with db.begin() as s:
        from console.services.base import read_setting

        assert json.loads(read_setting(s, LAST_ERROR_SETTING) or "")["$m"] == "sync.not_enrolled"


def test_a_last_problem_kept_as_text_before_reads_as_it_was(db: Database) -> None:
    with db.begin() as s:
        write_setting(s, LAST_ERROR_SETTING, "Head office at http://10.0.0.9 cannot be reached.")
    last = status_of(db).last_error
    assert isinstance(last, Message) and str(last) == "Head office at http://10.0.0.9 cannot be reached."


def test_no_problem_reads_as_none(db: Database) -> None:
    assert status_of(db).last_error is None


SERVER = "http://head-office.test"


def _enrolled(db: Database, data_dir: Path, *, token: bool = True, store: bool = True) -> None:
    """The settings an enrollment leaves behind (as the client's enroll() writes them), without a service."""
    local.record_enrollment(db, SERVER, uuid4(), "SH01", MODE_CLEAN)
    if token:
        TokenStore(data_dir).save("a-token")
    if store:
        with db.begin() as s:
            write_setting(s, ENROLLED_STORE_SETTING, str(uuid4()))


def test_a_console_without_its_token_must_enroll_again(db: Database, data_dir: Path) -> None:
    _enrolled(db, data_dir, token=False)
    (problem,) = _sync(db, data_dir).errors
    assert problem.id == "sync.no_token"
    assert str(problem) == "This console holds no head-office token; enroll it again with a new code."


def test_a_half_done_enrollment_must_be_done_again(db: Database, data_dir: Path) -> None:
    _enrolled(db, data_dir, store=False)
    (problem,) = _sync(db, data_dir).errors
    assert problem.id == "sync.enrollment_incomplete"
    assert str(problem) == "This console's enrollment is incomplete; enroll it again with a new code."


def _answering(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(handler)


def test_no_network_names_head_office_and_the_reason(db: Database, data_dir: Path) -> None:
    _enrolled(db, data_dir)

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    (problem,) = _sync(db, data_dir, _answering(refuse)).errors
    assert problem.id == "sync.unreachable"
    assert problem.values == {"server": SERVER, "reason": "[Errno 111] Connection refused"}
    assert str(problem) == (f"Head office at {SERVER} cannot be reached ([Errno 111] Connection refused); changes "
                            "wait here until the network is back.")


def test_no_answer_in_time(db: Database, data_dir: Path) -> None:
    _enrolled(db, data_dir)

    def hang(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    (problem,) = _sync(db, data_dir, _answering(hang)).errors
    assert problem.id == "sync.timeout" and problem.values == {"server": SERVER}
    assert "did not answer in time" in str(problem)


def test_an_answer_in_another_form(db: Database, data_dir: Path) -> None:
    _enrolled(db, data_dir)
    (problem,) = _sync(db, data_dir, _answering(lambda request: httpx.Response(200, json={"hello": 1}))).errors
    assert problem.id == "sync.answer_not_understood" and problem.values == {"path": "/v1/snapshot"}
    assert str(problem).startswith("Head office answered /v1/snapshot in a form this console does not understand")


def test_a_refusal_during_sync_is_kept_in_the_consoles_words(db: Database, data_dir: Path) -> None:
    _enrolled(db, data_dir)
    report = _sync(db, data_dir, _answering(lambda request: refusal(403, "store_mismatch", "Row x belongs to "
                                                                                           "another store.")))
    (problem,) = report.errors
    assert problem.id == "sync.store_mismatch"
    assert status_of(db).last_error == problem


def test_another_program_syncing_the_folder(db: Database, data_dir: Path) -> None:
    with folder_lock(data_dir) as mine:
        assert mine
        (problem,) = _sync(db, data_dir).errors
    assert problem.id == "sync.folder_busy"
    assert str(problem) == ("Another Anchor Console program is syncing this data folder; this one tries again "
                            "later.")


def test_an_unexpected_crash_reaches_the_report_in_words(db: Database, data_dir: Path) -> None:
    _enrolled(db, data_dir)

    def crash(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("disk on fire")

    client = SyncClient(db, None, TokenStore(data_dir), _answering(crash))
    reports: list[SyncReport] = []

    async def one_run() -> None:
        loop = SyncLoop(client, on_report=reports.append)
        loop.start()
        for _ in range(500):
            if reports:
                break
            await asyncio.sleep(0.01)
        await loop.stop()

    try:
        asyncio.run(one_run())
    finally:
        client.close()
    (problem,) = reports[0].errors
    assert problem.id == "sync.crashed" and problem.values == {"reason": "disk on fire"}
    assert str(problem) == "Sync failed unexpectedly: disk on fire"


# --- rows head office sends -----------------------------------------------------------------


def _wire(table: str, scope: Scope, data: dict[str, Any], version: int = 1_000_000) -> WireRow:
    return WireRow(table=table, row_id=UUID(data["id"]), scope=scope, version=version, row_version=1,
                   deleted=False, data=data)


def _product(sku: str) -> dict[str, Any]:
    return full_row("product", {"sku": sku, "name": "羊绒大衣", "brand": "鄂尔多斯", "category": "服装"})


def test_a_row_in_the_wrong_stream_names_table_and_stream(db: Database) -> None:
    anchor = full_row("anchor", {"store_id": uuid4(), "code": "A001", "name": "王雨桐",
                                 "affiliation": Affiliation.STAFF})
    with pytest.raises(SyncProblem) as caught:
        local.apply_page(db, Scope.CATALOG, [_wire("anchor", Scope.CATALOG, anchor)], 1)
    message = caught.value.message
    assert message.id == "sync.row_wrong_stream"
    assert message.values["table"] == "anchor" and message.values["scope"].id == "sync.scope_catalog"
    assert str(message) == ("Head office sent a anchor row in the catalog stream, where it does not belong; "
                            "nothing of that page was applied.")


def test_a_row_of_another_store(db: Database) -> None:
    anchor = full_row("anchor", {"store_id": uuid4(), "code": "A001", "name": "王雨桐",
                                 "affiliation": Affiliation.STAFF})
    with pytest.raises(SyncProblem) as caught:
        local.apply_page(db, Scope.STORE, [_wire("anchor", Scope.STORE, anchor)], 1)
    assert caught.value.message.id == "sync.row_of_other_store"
    assert "another store" in str(caught.value)


def test_a_row_without_a_field_or_with_an_unreadable_one(db: Database) -> None:
    product = _product("P-1")
    del product["brand"]
    with pytest.raises(SyncProblem) as caught:
        local.apply_page(db, Scope.CATALOG, [_wire("product", Scope.CATALOG, product)], 1)
    assert caught.value.message.id == "sync.row_missing_field"
    assert caught.value.message.values == {"table": "product", "field": "brand"}

    with pytest.raises(SyncProblem) as caught:
        local.apply_page(db, Scope.CATALOG, [_wire("product", Scope.CATALOG, {**_product("P-2"),
                                                                              "created_at": "yesterday"})], 1)
    assert caught.value.message.id == "sync.row_unreadable_field"
    assert caught.value.message.values == {"table": "product", "field": "created_at"}
    assert str(caught.value) == ("Head office sent a product row whose created_at field cannot be read; nothing "
                                 "of that page was applied.")


def test_two_rows_that_claim_one_key_clash(db: Database) -> None:
    first, second = _product("DUP-1"), _product("DUP-1")
    with pytest.raises(RowClash) as caught:
        local.apply_page(db, Scope.CATALOG, [_wire("product", Scope.CATALOG, first),
                                             _wire("product", Scope.CATALOG, second)], 1)
    assert caught.value.message.id == "sync.row_clash"
    assert caught.value.message.values == {"table": "product", "row": second["id"]}


# --- enrollment: adopting the store ----------------------------------------------------------


def test_a_store_missing_from_head_offices_catalog(db: Database) -> None:
    with pytest.raises(SyncProblem) as caught:
        local.adopt_clean(db, uuid4(), [], 0)
    assert caught.value.message.id == "sync.store_not_in_catalog"
    assert "does not list this console's store" in str(caught.value)


def _stock_products(db: Database, store: StoreInfo, skus: list[str]) -> None:
    with db.begin() as s:
        for sku in skus:
            product = Product(sku=sku, name=sku, brand="b", category="c")
            s.add(product)
            s.flush()
            s.add(StoreProduct(store_id=store.id, product_id=product.id, counter_price_fen=129900))


def test_products_head_office_lacks_are_named_by_sku(db: Database, store: StoreInfo) -> None:
    _stock_products(db, store, ["SKU-1", "SKU-2"])
    with pytest.raises(SyncProblem) as caught:
        local.adopt_upload(db, uuid4(), [], 0, set())
    assert caught.value.message.id == "sync.products_missing"
    assert caught.value.message.values == {"skus": "SKU-1, SKU-2"}
    assert "(SKU SKU-1, SKU-2); ask head office to add them" in str(caught.value)


def test_many_missing_products_name_three_and_count_the_rest(db: Database, store: StoreInfo) -> None:
    _stock_products(db, store, [f"SKU-{n}" for n in range(1, 6)])
    with pytest.raises(SyncProblem) as caught:
        local.adopt_upload(db, uuid4(), [], 0, set())
    message = caught.value.message
    assert message.id == "sync.products_missing_more"
    assert message.values == {"count": 2, "skus": "SKU-1, SKU-2, SKU-3"}
    assert "(SKU SKU-1, SKU-2, SKU-3 and 2 more)" in str(message)


def test_uploading_onto_someone_elses_store_data_is_refused(db: Database, store: StoreInfo) -> None:
    with db.begin() as s:
        s.add(Anchor(store_id=store.id, code="A001", name="王雨桐", affiliation=Affiliation.STAFF))
    with pytest.raises(SyncProblem) as caught:
        local.adopt_upload(db, uuid4(), [], 0, {("anchor", uuid4())})
    assert caught.value.message.id == "sync.store_data_elsewhere"
    assert "did not come from this console" in str(caught.value)


# --- against a live service -----------------------------------------------------------------


class Replace(httpx.AsyncBaseTransport):
    """Forwards to the real service, except the paths in ``replies``, answered with their JSON."""

    def __init__(self, replies: dict[str, Callable[[httpx.Request], Any]]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.replies = replies

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        reply = self.replies.get(request.url.path)
        if reply is not None:
            body = reply(request)
            if body is not None:
                return httpx.Response(200, json=body)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _pull_page(rows: list[dict[str, Any]], *, reset: bool = False) -> Callable[[httpx.Request], Any]:
    def page(request: httpx.Request) -> Any:
        if request.url.params["scope"] != "catalog":
            return None
        return {"scope": "catalog", "rows": rows, "next_cursor": 10**6, "has_more": False, "reset_required": reset}
    return page


def test_a_snapshot_asked_for_again_and_again(service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a = make_console(service, "SH01")
    report = asyncio.run(a.with_transport(Replace({"/v1/pull": _pull_page([], reset=True)})).sync_once())
    (problem,) = report.errors
    assert problem.id == "sync.reload_loop" and problem.values["scope"].id == "sync.scope_catalog"
    assert str(problem) == "Head office keeps asking this console to reload its catalog data; tell head office."
    # Kept with its nested scope name, so that it renders in any language later.
    assert status_of(a.db).last_error == problem


def test_rows_that_do_not_fit_the_consoles_data(service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a = make_console(service, "SH01")
    paper = full_row("quality_document", {"product_id": uuid4(), "kind": QualityDocumentKind.INSPECTION_REPORT,
                                          "number": "QC-1"})
    row = {"table": "quality_document", "row_id": paper["id"], "scope": "catalog", "version": 10**6,
           "row_version": 1, "deleted": False, "data": paper}
    report = asyncio.run(a.with_transport(Replace({"/v1/pull": _pull_page([row])})).sync_once())
    (problem,) = report.errors
    assert problem.id == "sync.rows_do_not_fit" and "FOREIGN KEY" in problem.values["reason"]
    assert str(problem).endswith("nothing of them was applied.")


def test_an_answer_for_another_batch(service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a = make_console(service, "SH01")
    with a.db.begin() as s:
        s.add(Anchor(store_id=store_id_of(service, "SH01"), code="A001", name="王雨桐",
                     affiliation=Affiliation.STAFF))
    other = {"batch_id": str(uuid4()), "results": [], "store_version": 0}
    report = asyncio.run(a.with_transport(Replace({"/v1/push": lambda request: other})).sync_once())
    (problem,) = report.errors
    assert problem.id == "sync.wrong_batch_answer" and report.pending_after == 1
    assert "nothing was removed from the outbox" in str(problem)


def test_a_clean_sync_clears_the_last_problem(service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a = make_console(service, "SH01")
    asyncio.run(a.with_transport(Replace({"/v1/pull": _pull_page([], reset=True)})).sync_once())
    assert status_of(a.db).last_error is not None
    assert a.sync().clean
    assert status_of(a.db).last_error is None


def test_an_expired_code_is_refused_in_words(service: LiveService, tmp_path: Path) -> None:
    from datetime import timedelta

    from console.headoffice import admin
    from console.storage.db import open_database

    service.add_store("SH01")
    with service.sessions().begin() as session:
        code = admin.issue_enrollment_code(session, "SH01", lifetime=timedelta(microseconds=1)).code
    db = open_database(tmp_path / "fresh")
    client = SyncClient(db, service.base_url, TokenStore(tmp_path / "fresh"))
    try:
        with pytest.raises(SyncProblem) as caught:
            asyncio.run(client.enroll(code, mode=MODE_CLEAN))
    finally:
        client.close()
        db.close()
    assert caught.value.message.id == "sync.code_expired" and caught.value.code == "code_expired"
    assert "expired on" in caught.value.detail          # head office's own sentence, kept for the log


# --- in Chinese, from the committed catalog --------------------------------------------------


def test_sync_messages_have_chinese_words() -> None:
    zh = console.i18n.load_catalog("zh_CN")
    samples = [
        problem_from_response(refusal(401, "token_revoked", "x")).message,
        problem_from_response(refusal(403, "code_expired", "x")).message,
        problem_from_response(refusal(429, "rate_limited", "x", **{"Retry-After": "5"})).message,
        problem_from_response(refusal(422, "invalid_row", "field x")).message,
        local.scope_name(Scope.CATALOG),
    ]
    for message in samples:
        assert zh.render(message) != str(message), message.id
    assert "5" in zh.render(samples[2])
