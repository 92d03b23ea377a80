"""The head-office schema: migrations match the models, readiness tells an unmigrated database, protocol checks."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pydantic import ValidationError
from sqlalchemy import Engine, text

from console.headoffice import db
from console.headoffice.app import Settings, create_app
from console.headoffice.models import Base
from console.sync.protocol import Mutation, PushRequest
from console.sync.tables import TABLES, RowProblem
from tests.headoffice.helpers import LiveService, full_row


def test_the_migrations_build_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "version_table": db.VERSION_TABLE})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_migrating_again_changes_nothing(engine: Engine) -> None:
    assert db.migrate(engine) == db.head_revision()


def test_readiness_tells_an_unmigrated_database(database_url: str) -> None:
    engine = db.make_engine(database_url)
    live = LiveService.start(create_app(Settings(database_url), engine=engine), engine)
    try:
        with live.client() as http:
            health, not_ready = http.get("/healthz"), http.get("/readyz")
            db.migrate(engine)
            ready = http.get("/readyz")
    finally:
        live.stop()
        engine.dispose()

    assert health.json() == {"status": "ok"}
    assert not_ready.status_code == 503 and "run anchor-headoffice migrate" in not_ready.json()["message"]
    assert ready.status_code == 200


def test_a_database_from_a_newer_service_is_refused(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE {db.VERSION_TABLE} SET version_num = '9999'"))

    with pytest.raises(db.DatabaseError, match="newer than this service knows"):
        db.migrate(engine)


def _mutation(**changes: Any) -> dict[str, Any]:
    row = full_row("anchor", {"store_id": "01a2129e-fcf9-76f6-91cf-e0d2bee9def6", "code": "A1", "name": "王",
                              "affiliation": "staff"})
    return {"mutation_id": "01a2129e-fd50-7248-aba7-f1043f739b06", "table": "anchor", "row_id": row["id"],
            "op": "insert", "base_version": 0, "row_version": 1, "changed_fields": sorted(row), "payload": row,
            **changes}


def test_protocol_models_are_strict() -> None:
    assert Mutation.model_validate(_mutation()).row_version == 1
    for bad in ({"row_version": "1"}, {"base_version": 1.0}, {"extra": True}, {"op": "merge"},
                {"op": "update", "base_version": 2, "row_version": 2}):
        with pytest.raises(ValidationError):
            Mutation.model_validate(_mutation(**bad))
    with pytest.raises(ValidationError):
        PushRequest.model_validate({"batch_id": "not a uuid", "mutations": []})


# The synced-table catalog as the brief's ownership table has it; a new synced table is added here
# on purpose, with its owner, and tests/sync shows its rows reaching head office and another console.
OWNERS = {
    "store": "head_office", "product": "head_office", "quality_document": "head_office", "rule_pack": "head_office",
    "live_room": "store", "platform_account": "store", "anchor": "store", "user_account": "store", "shift": "store",
    "time_off": "store", "shift_swap": "store", "shift_template": "store", "script": "store",
    "script_version": "store",
    # Issue 12: store stock and prices, broadcast plans, their queues and reusable product sets are the
    # store's; a price change is a fact kept for the 7-day reference price rule, inserted once.
    "store_product": "store", "broadcast": "store", "queue_item": "store", "product_set": "store",
    "price_history": "append",
    "onair_event": "append", "metric_snapshot": "append", "audit_log": "append",
    # Issue 13: a run of a show (or a rehearsal) is the store's; it is opened, then closed at the end.
    "show_run": "store",
    # Issue 14: a version checked against a rule pack is a fact, inserted once (its id derived from the two).
    "script_check": "append",
    # Issue 16: the roster rules' limits are the store's (one row a store), so every console applies them.
    "store_rules": "store",
}


def test_every_synced_table_of_the_console_is_known_with_its_owner() -> None:
    assert {n: t.owner for n, t in TABLES.items()} == OWNERS
    assert all(t.store_scoped for n, t in TABLES.items() if OWNERS[n] != "head_office")
    # Issue 12's columns (migration 0004) are on the wire, with the values the console keeps.
    assert "image_refs" in TABLES["product"].columns and "link_pinned" in TABLES["queue_item"].columns
    assert TABLES["broadcast"].columns["status"].accepts("ready")
    # Issue 13's (console migration 0006): the run of events and metrics, the views count, the new kinds.
    assert "run_id" in TABLES["onair_event"].columns and "views" in TABLES["metric_snapshot"].columns
    assert TABLES["onair_event"].columns["kind"].accepts("paused")
    assert TABLES["show_run"].columns["rehearsal"].accepts(False)
    assert not TABLES["broadcast"].columns["status"].accepts("readied")
    assert TABLES["queue_item"].columns["link_pinned"].accepts(True)
    assert not TABLES["queue_item"].columns["link_pinned"].accepts(1)
    assert TABLES["product_set"].columns["product_ids"].accepts(["0190a0b1-0000-7000-8000-000000000001"])
    # Their unique keys, as head office keeps them across a store's consoles.
    keys = {n: {(k.group, k.field, k.kind.value, k.live_only) for k in TABLES[n].unique_keys}
            for n in ("store_product", "queue_item", "product_set", "price_history")}
    assert keys == {"store_product": {((), "product_id", "refuse", False)},
                    "queue_item": {(("broadcast_id",), "link_number", "renumber", True)},
                    "product_set": {((), "name", "rename", False)}, "price_history": set()}
    row = _mutation()["payload"]
    TABLES["anchor"].check_row(row)
    with pytest.raises(RowProblem, match="must be an ISO 8601 date-time with its UTC offset"):
        TABLES["anchor"].check_row({**row, "updated_at": "yesterday"})


def test_an_unreachable_database_is_a_503_not_a_crash() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"
    engine = db.make_engine(url)
    live = LiveService.start(create_app(Settings(url), engine=engine), engine)
    try:
        with live.client(Authorization="Bearer some-token") as http:
            ready, pull = http.get("/readyz"), http.get("/v1/pull", params={"scope": "store"})
    finally:
        live.stop()
        engine.dispose()

    assert ready.status_code == 503 and ready.json()["message"].startswith("The database is unreachable")
    assert pull.status_code == 503 and pull.json()["error"] == "database_unavailable"
