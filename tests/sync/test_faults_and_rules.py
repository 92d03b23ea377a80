"""What goes wrong on the way: lost answers, failures mid-apply, other stores, head-office data, conflicts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select

from console.domain.enums import Affiliation
from console.headoffice import admin
from console.headoffice.models import AppliedMutation, SyncedRow
from console.storage.models import Anchor, LiveRoom, Product, Store
from console.sync import local
from console.sync.client import SyncClient
from console.sync.local import SyncProblem
from console.sync.protocol import Scope
from console.sync.tokens import TokenStore
from tests.headoffice.helpers import LiveService, full_row
from tests.sync.conftest import Console, ConsoleFactory, store_id_of


class DropAnswers(httpx.AsyncBaseTransport):
    """Forwards to the real server, then loses the answer to the first ``drops`` pushes."""

    def __init__(self, drops: int = 1) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.drops = drops
        self.pushes: list[bytes] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path == "/v1/push":
            self.pushes.append(request.content)
            if self.drops:
                self.drops -= 1
                await response.aread()
                raise httpx.ReadError("connection reset by peer", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _add_anchor(console: Console, store_id, code: str, name: str = "王雨桐") -> None:  # type: ignore[no-untyped-def]
    with console.db.begin() as s:
        s.add(Anchor(store_id=store_id, code=code, name=name, affiliation=Affiliation.STAFF))


def _server_count(service: LiveService, model: type) -> int:
    with service.sessions().begin() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_batch_whose_answer_was_lost_is_resent_identically_and_applied_once(
        service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a = make_console(service, "SH01")
    store_id = store_id_of(service, "SH01")
    _add_anchor(a, store_id, "A001")
    _add_anchor(a, store_id, "A002")
    transport = DropAnswers(drops=1)
    client = a.with_transport(transport)

    first = asyncio.run(client.sync_once())
    # The server committed, the console did not hear: everything stays pending, in words.
    assert first.errors and "cannot be reached" in str(first.errors[0]) and first.pending_after == 2
    assert _server_count(service, AppliedMutation) == 2
    second = asyncio.run(client.sync_once())

    assert second.clean and second.pushed == 2
    assert transport.pushes[0] == transport.pushes[1]  # same batch id, same mutations
    assert _server_count(service, AppliedMutation) == 2
    with service.sessions().begin() as session:
        assert session.scalar(select(func.count()).where(SyncedRow.table_name == "anchor")) == 2


def test_a_failure_while_applying_a_page_leaves_neither_rows_nor_cursor(
        service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a, b = make_console(service, "SH01"), make_console(service, "SH01")
    store_id = store_id_of(service, "SH01")
    for n in range(5):
        _add_anchor(a, store_id, f"A00{n}")
    assert a.sync().clean
    cursor_before = local.read_cursor(b.db, Scope.STORE)

    def crash() -> None:
        raise OSError("power cut")

    b.client.fail_inside_apply = crash
    with pytest.raises(OSError):
        b.sync()
    with b.db.begin() as s:
        assert s.scalar(select(func.count()).select_from(Anchor)) == 0
    assert local.read_cursor(b.db, Scope.STORE) == cursor_before

    b.client.fail_inside_apply = None
    assert b.sync().clean
    with b.db.begin() as s:
        assert s.scalar(select(func.count()).select_from(Anchor)) == 5


def test_pages_smaller_than_the_changes_still_bring_everything(service: LiveService,
                                                              make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a = make_console(service, "SH01", batch_size=3)
    b = make_console(service, "SH01", page_size=2)
    store_id = store_id_of(service, "SH01")
    with a.db.begin() as s:
        rooms = [LiveRoom(store_id=store_id, code=f"R{n}", name=f"Room {n}") for n in range(7)]
        s.add_all(rooms)
    report = a.sync()
    assert report.pushed == 7 and report.clean
    assert b.sync().pulled == 7


def test_a_console_never_receives_another_stores_rows(service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    service.add_store("BJ02")
    sh, bj = make_console(service, "SH01"), make_console(service, "BJ02")
    _add_anchor(sh, store_id_of(service, "SH01"), "A001", "上海主播")
    _add_anchor(bj, store_id_of(service, "BJ02"), "A001", "北京主播")
    assert sh.sync().clean and bj.sync().clean and sh.sync().clean

    with sh.db.begin() as s:
        assert [a.name for a in s.scalars(select(Anchor))] == ["上海主播"]
    with bj.db.begin() as s:
        assert [a.name for a in s.scalars(select(Anchor))] == ["北京主播"]


def test_a_row_with_local_changes_waiting_is_not_overwritten_by_a_pull(
        service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a, b = make_console(service, "SH01"), make_console(service, "SH01")
    store_id = store_id_of(service, "SH01")
    _add_anchor(a, store_id, "A001", "原名")
    assert a.sync().clean and b.sync().clean
    with a.db.begin() as s:
        s.scalars(select(Anchor)).one().name = "甲改"
    assert a.sync().clean
    with b.db.begin() as s:
        s.scalars(select(Anchor)).one().phone = "13800000000"   # pending on b
        rows = list(s.scalars(select(Anchor)))

    # Pull alone (as a page arriving while the edit is not yet pushed): the local row is kept.
    from console.sync.protocol import SyncedRow as WireRow

    with service.sessions().begin() as session:
        server = session.scalars(select(SyncedRow).where(SyncedRow.table_name == "anchor")).one()
        wire = WireRow(table="anchor", row_id=server.row_id, scope=Scope.STORE, version=server.version,
                       row_version=server.row_version, deleted=False, data=server.data)
    local.apply_page(b.db, Scope.STORE, [wire], server.version)
    with b.db.begin() as s:
        assert s.scalars(select(Anchor)).one().name == "原名" == rows[0].name

    # A full sync pushes first (a disjoint field: merged), then the merged row comes down.
    assert b.sync().clean
    with b.db.begin() as s:
        anchor = s.scalars(select(Anchor)).one()
        assert (anchor.name, anchor.phone) == ("甲改", "13800000000")


def test_catalog_flows_down_and_a_local_catalog_edit_is_refused_and_replaced(
        service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    product = full_row("product", {"sku": "SKU-1", "name": "羊绒大衣", "brand": "锦华", "category": "服装"})
    with service.sessions().begin() as session:
        from console.headoffice.sync import write_rows

        write_rows(session, "product", [product])
    console = make_console(service, "SH01")
    with console.db.begin() as s:
        local_product = s.scalars(select(Product)).one()
        assert local_product.name == "羊绒大衣"
        local_product.name = "山寨大衣"      # a store user edits head-office data (a bug, or sqlite3)

    report = console.sync()

    assert report.rejected == 1 and report.pending_after == 0 and not report.errors
    with console.db.begin() as s:
        assert s.scalars(select(Product)).one().name == "羊绒大衣"
    status_items = [i for i in __import__("console.services.sync", fromlist=["SyncService"])
                    .SyncService(console.db, None).review() if i.kind == "rejected"]  # type: ignore[arg-type]
    assert status_items and status_items[0].table == "product"


def test_tombstones_of_the_catalog_come_down(service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    from console.headoffice.sync import write_rows

    product = full_row("product", {"sku": "SKU-1", "name": "羊绒大衣", "brand": "锦华", "category": "服装"})
    with service.sessions().begin() as session:
        write_rows(session, "product", [product])
    console = make_console(service, "SH01")
    deleted = {**product, "row_version": 2, "deleted_at": datetime.now(UTC).isoformat()}
    with service.sessions().begin() as session:
        write_rows(session, "product", [deleted])

    assert console.sync().clean
    with console.db.begin() as s:
        assert s.scalars(select(Product)).one().is_deleted


def test_a_true_conflict_is_listed_for_review(service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a, b = make_console(service, "SH01"), make_console(service, "SH01")
    _add_anchor(a, store_id_of(service, "SH01"), "A001", "王雨桐")
    assert a.sync().clean and b.sync().clean
    for console, name in ((a, "汪雨桐"), (b, "王雨彤")):
        with console.db.begin() as s:
            s.scalars(select(Anchor)).one().name = name

    assert a.sync().clean
    report = b.sync()

    assert report.conflicts == 1 and report.pending_after == 0 and not report.errors
    with b.db.begin() as s:
        assert s.scalars(select(Anchor)).one().name == "汪雨桐"   # the first committed edit wins
    conflicts, _ = local.review_items(b.db)
    assert conflicts[0]["fields"] == ["name"] and conflicts[0]["attempted"] == {"name": "王雨彤"}
    assert conflicts[0]["this_console"] is True
    # The other console of the store sees it too after its next sync.
    assert a.sync().clean
    assert local.review_items(a.db)[0][0]["this_console"] is False


def test_a_bad_code_is_refused_in_words_and_changes_nothing(service: LiveService, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from console.storage.db import open_database

    service.add_store("SH01")
    db = open_database(tmp_path / "fresh")
    client = SyncClient(db, service.base_url, TokenStore(tmp_path / "fresh"))
    try:
        with pytest.raises(SyncProblem, match="unknown or was already used"):
            asyncio.run(client.enroll("AAAAA-BBBBB-CCCCC-DDDDD", mode="clean"))
        assert local.enrollment(db).server_url == ""
        assert not (tmp_path / "fresh" / ".sync-token").exists()
    finally:
        client.close()
        db.close()


def test_a_revoked_token_is_a_clear_error(service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    console = make_console(service, "SH01")
    console_id = local.enrollment(console.db).console_id
    with service.sessions().begin() as session:
        admin.revoke_console(session, str(console_id))

    report = console.sync()

    assert not report.clean and "revoked" in str(report.errors[0]) and "enroll it again" in str(report.errors[0])
    assert local.enrollment(console.db).server_url  # still knows where it belonged
    from console.services.sync import SyncService

    assert "revoked" in str(SyncService(console.db, None).status().last_error)  # type: ignore[arg-type]


def test_the_store_table_comes_from_head_office(service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    console = make_console(service, "SH01")
    with console.db.begin() as s:
        assert s.scalars(select(Store)).one().code == "SH01"


class PaceRequests(httpx.AsyncBaseTransport):
    """Answers the first ``refusals`` requests 429 (Retry-After 0), then forwards to the real server."""

    def __init__(self, refusals: int) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.refusals = refusals
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if self.refusals:
            self.refusals -= 1
            return httpx.Response(429, headers={"Retry-After": "0"},
                                  json={"error": "rate_limited", "message": "Slow down."})
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_a_paced_console_waits_and_carries_on_within_the_same_sync(
        service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a = make_console(service, "SH01")
    store_id = store_id_of(service, "SH01")
    _add_anchor(a, store_id, "A001")
    transport = PaceRequests(refusals=3)
    report = asyncio.run(a.with_transport(transport).sync_once())
    assert report.clean and report.pushed == 1
    assert transport.paths[:4] == ["/v1/push"] * 4  # refused three times, then accepted


def test_a_console_paced_without_end_gives_up_in_words(
        service: LiveService, make_console: ConsoleFactory) -> None:
    service.add_store("SH01")
    a = make_console(service, "SH01")
    _add_anchor(a, store_id_of(service, "SH01"), "A001")
    report = asyncio.run(a.with_transport(PaceRequests(refusals=100)).sync_once())
    assert not report.clean and report.pending_after == 1
    assert "slow down" in str(report.errors[0])
