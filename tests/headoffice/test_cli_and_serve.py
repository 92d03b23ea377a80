"""The anchor-headoffice command line, and the real ``serve`` process answering over TCP."""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from console.headoffice import cli, db
from console.headoffice.models import AppliedMutation, HeadOfficeUser, PushBatch, SyncedRow
from console.headoffice.security import verify_password
from tests.headoffice.helpers import PROTOCOL, LiveService, full_row


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The command in English (its Chinese is tested in test_cli_language.py)."""
    code = cli.main([*argv, "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def test_stores_codes_and_consoles(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = ["--database-url", database_url]

    assert run(capsys, "store", "add", "--code", "SH01", "--name", "上海店", *url)[0] == 0
    assert run(capsys, "store", "add", "--code", "BJ02", "--name", "北京店", *url)[0] == 0
    code, out, _ = run(capsys, "store", "list", *url)
    assert code == 0 and [line.split("\t")[:2] for line in out.splitlines()] == [["BJ02", "北京店"], ["SH01", "上海店"]]

    code, out, _ = run(capsys, "enrollment-code", "--store", "SH01", "--hours", "2", *url)
    enrollment, expiry = out.splitlines()
    assert code == 0 and len(enrollment.replace("-", "")) == 20 and expiry.startswith("Expires ")

    assert run(capsys, "console", "list", "--store", "SH01", *url) == (0, "", "")


@pytest.mark.parametrize(("argv", "message"), [
    (["store", "add", "--code", "SH01", "--name", "again"], "Store SH01 already exists."),
    (["store", "add", "--code", "bad code!", "--name", "x"], "must be 1 to 32 letters"),
    (["enrollment-code", "--store", "XX99"], "There is no store XX99;"),
    (["enrollment-code", "--store", "SH01", "--hours", "0"], "--hours must be a positive number of hours."),
    (["console", "list", "--store", "XX99"], "There is no store XX99;"),
    (["console", "revoke", str(uuid.UUID(int=7))], "There is no console"),
    (["console", "revoke", "seven"], "is not a console id"),
])
def test_errors_are_one_sentence_and_a_non_zero_exit(database_url: str, capsys: pytest.CaptureFixture[str],
                                                    argv: list[str], message: str) -> None:
    assert run(capsys, "store", "add", "--code", "SH01", "--name", "上海店", "--database-url", database_url)[0] == 0

    code, out, err = run(capsys, *argv, "--database-url", database_url)

    assert (code, out) == (1, "")
    assert err.startswith("anchor-headoffice: ") and message in err and err.count("\n") == 1


def test_an_unusable_database_url_is_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "store", "list", "--database-url", "mysql://nobody@nowhere/db")

    assert code == 1 and "neither SQLite nor PostgreSQL" in err


def test_the_env_variable_names_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(db.DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'from-env.sqlite3'}")

    assert run(capsys, "store", "add", "--code", "SH01", "--name", "上海店")[0] == 0

    assert (tmp_path / "from-env.sqlite3").exists()
    assert run(capsys, "store", "list")[1].startswith("SH01\t")


def test_head_office_users_get_a_scrypt_password(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))

    code, out, _ = run(capsys, "user", "add", "--login", "Zhong.Ting", "--name", "钟婷", "--role", "catalog_manager",
                       "--password-stdin", "--database-url", database_url)

    assert code == 0 and out.startswith("zhong.ting\tcatalog_manager\t")
    engine = db.make_engine(database_url)
    try:
        with db.session_factory(engine).begin() as session:
            user = session.scalars(select(HeadOfficeUser)).one()
    finally:
        engine.dispose()
    assert user.password_hash.startswith("scrypt$") and "correct horse" not in user.password_hash
    assert verify_password("correct horse battery", user.password_hash)
    assert not verify_password("wrong", user.password_hash)

    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "user", "add", "--login", "li", "--name", "李", "--role", "analyst",
                       "--password-stdin", "--database-url", database_url)
    assert code == 1 and "at least 10 characters" in err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_real_serve_process_answers_over_tcp(database_url: str, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, db.DATABASE_URL_ENV: database_url}
    setup = [sys.executable, "-m", "console.headoffice.cli"]
    subprocess.run([*setup, "store", "add", "--code", "SH01", "--name", "上海店"], env=env, check=True,
                   capture_output=True, timeout=60)
    code = subprocess.run([*setup, "enrollment-code", "--store", "SH01"], env=env, check=True, capture_output=True,
                          text=True, timeout=60).stdout.splitlines()[0]
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen([*setup, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=log, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.1)
        with httpx.Client(base_url=base, headers=PROTOCOL, timeout=10) as http:
            assert http.get("/readyz").json() == {"status": "ready", "schema": db.head_revision()}
            assert "/v1/push" in http.get("/openapi.json").json()["paths"]
            enrolled = http.post("/v1/enroll", json={"code": code, "console_name": "PC"}).json()
            http.headers["Authorization"] = f"Bearer {enrolled['token']}"
            row = full_row("anchor", {"store_id": enrolled["store_id"], "code": "A001", "name": "王雨桐",
                                      "affiliation": "staff"})
            mutation = {"mutation_id": str(uuid.uuid4()), "table": "anchor", "row_id": row["id"], "op": "insert",
                        "base_version": 0, "row_version": 1, "changed_fields": sorted(row), "payload": row}
            pushed = http.post("/v1/push", json={"batch_id": str(uuid.uuid4()), "mutations": [mutation]})
            pulled = http.get("/v1/pull", params={"scope": "store"})
            refused = http.post("/v1/push", content=b"[", headers={"Content-Type": "application/json"})
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(15)
        log.seek(0)
        lines = log.read().splitlines()
        log.close()

    assert pushed.json()["results"][0]["status"] == "applied"
    assert [r["row_id"] for r in pulled.json()["rows"]] == [row["id"]]
    assert refused.status_code == 400
    # Structured logs: every line is one JSON object; each request is logged with its status.
    records = [json.loads(line) for line in lines]
    requests = [r for r in records if r.get("message") == "request"]
    assert {(r["method"], r["path"], r["status"]) for r in requests} >= {
        ("POST", "/v1/push", 200), ("GET", "/v1/pull", 200), ("POST", "/v1/push", 400)}
    assert any(r["console_id"] == enrolled["console_id"] for r in requests)


@pytest.mark.slow
def test_demo_fills_the_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"

    code, out, _ = run(capsys, "demo", "--database-url", url)

    assert code == 0
    assert out.splitlines() == ["Demo store codes:", "JH01", "JH02", "JH03", "JH04", "JH05"]
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            counts = dict(conn.exec_driver_sql(
                "SELECT scope_key || ':' || table_name, count(*) FROM synced_row GROUP BY 1").all())
            store_ids = dict(conn.exec_driver_sql("SELECT code, id FROM store").all())
    finally:
        engine.dispose()
    assert counts["catalog:store"] == 5 and counts["catalog:rule_pack"] == 2 and counts["catalog:product"] > 100
    for store_id in store_ids.values():
        scope = f"store:{uuid.UUID(str(store_id))}"
        for table in ("anchor", "live_room", "shift", "broadcast", "queue_item", "onair_event", "metric_snapshot"):
            assert counts.get(f"{scope}:{table}", 0) > 0, (scope, table)
    # The past shows' events and metrics are there: every store has figures in the last 30 days' reports.
    code, out, _ = run(capsys, "report", "stores", "--format", "json", "--database-url", url)
    stores = json.loads(out)["rows"]
    assert code == 0 and sorted(r["store_code"] for r in stores) == ["JH01", "JH02", "JH03", "JH04", "JH05"]
    assert all(r["broadcasts"] > 0 and r["gmv"] > 0 and r["peak_viewers"] > 0 for r in stores), stores
    # Running it again would duplicate the group: refused.
    assert run(capsys, "demo", "--database-url", url)[0] == 1


def test_prune_drops_old_push_answers_and_a_late_retry_still_applies_nothing(
        service: LiveService, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    body = {"batch_id": str(uuid.uuid4()), "mutations": list(console.outbox)}
    first = console.push_body(body)
    assert first.status_code == 200 and first.json()["results"][0]["status"] == "applied"
    console.insert("anchor", code="A002", name="汪雨桐", affiliation="staff")
    recent = console.push()["batch_id"]
    with service.sessions().begin() as session:
        session.execute(update(PushBatch).where(PushBatch.batch_id == uuid.UUID(body["batch_id"]))
                        .values(created_at=datetime.now(UTC) - timedelta(days=31)))

    code, out, _ = run(capsys, "prune", "--database-url", database_url)

    assert out.splitlines()[0] == "Dropped 1 stored push answer older than 30 days." and code == 0
    with service.sessions().begin() as session:
        assert [str(b) for b in session.scalars(select(PushBatch.batch_id))] == [recent]
    retried = console.push_body(body)
    assert retried.status_code == 200 and retried.json()["results"][0]["status"] == "duplicate"
    with service.sessions().begin() as session:
        assert session.scalar(select(func.count()).select_from(SyncedRow)
                              .where(SyncedRow.table_name == "anchor")) == 2
    code, _, err = run(capsys, "prune", "--days", "0.5", "--database-url", database_url)
    assert code == 1 and "a day at least" in err


def test_prune_drops_superseded_mutation_records_and_keeps_each_rows_newest(
        service: LiveService, database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    row = console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    console.push()
    console.update("anchor", row, name="王雨彤")
    console.push()
    console.update("anchor", row, name="王语彤")
    last = {"batch_id": str(uuid.uuid4()), "mutations": list(console.outbox)}
    assert console.push_body(last).json()["results"][0]["status"] == "applied"
    console.outbox.clear()
    with service.sessions().begin() as session:
        session.execute(update(AppliedMutation).values(applied_at=datetime.now(UTC) - timedelta(days=40)))
        session.execute(update(PushBatch).values(created_at=datetime.now(UTC) - timedelta(days=40)))

    code, out, _ = run(capsys, "prune", "--database-url", database_url)

    assert code == 0
    assert out.splitlines()[1] == "Dropped 2 records of superseded mutations older than 30 days."
    with service.sessions().begin() as session:
        kept = session.scalars(select(AppliedMutation.row_version)).all()
    assert len(kept) == 1
    # The newest stays: its batch, retried after its stored answer went, still applies nothing.
    assert console.push_body(last).json()["results"][0]["status"] == "duplicate"
    console.update("anchor", row, name="王雨桐")
    # Built on the kept newest (not yet pulled back): still known as this console's own chain.
    assert console.push()["results"][0]["status"] == "applied"
