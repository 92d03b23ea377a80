"""Head-office sync against PostgreSQL: push throughput, initial load, 200 consoles at once.

Everything runs against a PostgreSQL database of its own (``anchor_bench_sync_...``,
dropped at the end) on the server named by ``ANCHOR_BENCH_POSTGRES_URL``
(default ``postgresql://postgres@127.0.0.1:5432/postgres``), and the real
``anchor-headoffice serve`` process on a free loopback port.

Figures:

- ``sync_raw_upsert``: baseline, the push's rows (shift rows as JSONB
  documents, with the field versions and authors the service keeps) upserted
  by psycopg 3 ``executemany`` of ``INSERT ... ON CONFLICT DO UPDATE`` into a
  table shaped and indexed like the service's ``synced_row``, one transaction
  per batch of ``MAX_BATCH`` rows;
- ``sync_push``: the same rows pushed by one console as its outbox would, in
  batches of ``MAX_BATCH`` mutations, with httpx, end to end (serialize,
  HTTP, validation, versions, idempotency records, commit, answer);
  ``sync_push_vs_raw_upsert`` is their ratio (aim: at least 25%);
- ``sync_snapshot_*``: a new console's initial load of a catalog of 100,000
  products: every snapshot page of the catalog scope, downloaded and parsed;
  and ``sync_snapshot_100k_console``: a new console enrolled with the
  console's own sync client (``console.sync.client``, starting clean) up to
  the end of its first sync, the catalog applied into its SQLite database;
- ``sync_consoles_*``: 200 consoles (``CONSOLE_STORES`` stores of
  ``CONSOLES_PER_STORE``), each enrolled over HTTP, pushing concurrently
  (asyncio + httpx, one client and connection per console): ``PUSHES``
  pushes of ``MUTATIONS`` mutations each (new shifts and edits of the
  console's own earlier ones) with a random think time of ``THINK_SECONDS``
  between them (a live show syncs within 5 s of a change); p50/p99 push
  latency, errors, and losses: afterwards every mutation id must be on the
  server exactly once and every row as its console last left it. Aim: p99
  under 250 ms, no errors, nothing lost. ``sync_consoles_push_unloaded_p50``
  is the baseline of the same run: one of those consoles pushing alone,
  before the others start; ``sync_consoles_service_cpu_per_push`` the
  service's CPU time per push under load, ``..._database_cpu_per_push``
  PostgreSQL's (its processes working in the bench database, when it runs
  on this machine). A push that gets no answer is
  retried with the same batch id, as a console does (``sync_consoles_retried``
  counts those; an idle keep-alive connection the service closes after 5 s is
  the usual cause). Each console stays under the service's per-console rate
  limit (20 requests/s, burst 60): it sends ``PUSHES`` requests in all.
  ``ANCHOR_BENCH_CONSOLE_STORES`` / ``ANCHOR_BENCH_CONSOLES_PER_STORE`` set the
  split (default 200 x 1; 5 x 40 makes consoles of a store queue on its
  counter lock).

``python -m bench.sync push snapshot consoles`` runs the parts named (default all).
Statistics are refreshed (``ANALYZE``) before each timed part, as autovacuum
keeps them on a running server.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import httpx
import psycopg
from psycopg.types.json import Jsonb, set_json_dumps
from sqlalchemy.engine import make_url

from console.headoffice import admin, db
from console.headoffice.sync import write_rows
from console.storage.ids import new_id
from console.storage.models import MODEL_BY_TABLE
from console.storage.outbox import to_wire
from console.sync.protocol import MAX_BATCH, MAX_PAGE, PROTOCOL_HEADER, PROTOCOL_VERSION
from console.sync.tables import STAMP_FIELDS, TABLES

PUSH_ROWS = 20_000
PUSH_ROUNDS = 3
PRODUCTS = 100_000
CONSOLE_STORES = int(os.environ.get("ANCHOR_BENCH_CONSOLE_STORES", "200"))
CONSOLES_PER_STORE = int(os.environ.get("ANCHOR_BENCH_CONSOLES_PER_STORE", "1"))
PUSHES = 10
MUTATIONS = 20
THINK_SECONDS = (1.0, 5.0)     # uniform, between one console's pushes
RETRIES = 3
UNLOADED_PUSHES = 50            # the same-run baseline: one console alone (the first fifth warms up)
LOAD_DEADLINE = 60.0            # the whole concurrent run, seconds
PG_ADMIN_URL = os.environ.get("ANCHOR_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PROTOCOL = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
ROOT = Path(__file__).resolve().parent.parent


def _dumps(value: Any) -> str:
    # As the service serializes its JSONB documents (console.headoffice.db).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


set_json_dumps(_dumps)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- rows as a console's outbox carries them --------------------------------


def full_row(table: str, values: dict[str, Any]) -> dict[str, Any]:
    """A whole row of ``table`` as the outbox sends it: the given values, else the console's defaults."""
    stamp = datetime.now(UTC).isoformat()
    row: dict[str, Any] = {"id": str(new_id()), "created_at": stamp, "updated_at": stamp,
                           "row_version": 1, "deleted_at": None}
    for column in MODEL_BY_TABLE[table].__table__.columns:
        if column.key in values:
            row[column.key] = to_wire(values[column.key])
        elif column.key in row:
            continue
        elif column.default is not None and column.default.is_scalar:
            row[column.key] = to_wire(column.default.arg)
        elif column.default is not None and column.default.is_callable:
            row[column.key] = to_wire(column.default.arg({}))
        elif column.nullable:
            row[column.key] = None
        else:
            raise TypeError(f"{table}.{column.key} needs a value")
    TABLES[table].check_row(row)
    return row


@dataclass
class StoreFixture:
    store_id: str
    anchors: list[str]
    rooms: list[str]


def new_store_fixture(store_id: str, rng: random.Random) -> StoreFixture:
    return StoreFixture(store_id, [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(30)],
                        [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(6)])


def shift_row(store: StoreFixture, rng: random.Random) -> dict[str, Any]:
    start = datetime(2026, 11, 1, 8, tzinfo=UTC) + timedelta(minutes=30 * rng.randrange(2000))
    return full_row("shift", {
        "store_id": store.store_id, "anchor_id": rng.choice(store.anchors), "room_id": rng.choice(store.rooms),
        "role": rng.choice(["host", "co_host", "room_controller"]),
        "starts_at": start, "ends_at": start + timedelta(hours=rng.choice([2, 3, 4])),
        "status": rng.choice(["draft", "published"]), "override_reason": "",
    })


def insert_mutation(row: dict[str, Any]) -> dict[str, Any]:
    return {"mutation_id": str(new_id()), "table": "shift", "row_id": row["id"], "op": "insert",
            "base_version": 0, "row_version": row["row_version"], "changed_fields": sorted(row),
            "payload": dict(row)}


def update_mutation(row: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Edit ``row`` in place, as the console does, and return the outbox entry for it."""
    base = row["row_version"]
    row.update(changes, row_version=base + 1, updated_at=datetime.now(UTC).isoformat())
    return {"mutation_id": str(new_id()), "table": "shift", "row_id": row["id"], "op": "update",
            "base_version": base, "row_version": base + 1, "changed_fields": sorted(changes),
            "payload": dict(row)}


# --- a database and a service of our own ------------------------------------


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def bench_database() -> Iterator[str]:
    """A new PostgreSQL database for this run (SQLAlchemy URL), dropped afterwards."""
    name = f"anchor_bench_sync_{os.getpid()}_{secrets.token_hex(3)}"
    admin_url = _libpq(PG_ADMIN_URL)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_ADMIN_URL).set(drivername="postgresql+psycopg", database=name) \
            .render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def analyze(database_url: str) -> None:
    """Fresh statistics, as autovacuum keeps them on a running server: without them the planner
    takes a table filled a second ago for empty and scans it."""
    with psycopg.connect(_libpq(database_url), autocommit=True) as conn:
        conn.execute("ANALYZE")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Service:
    """``anchor-headoffice serve`` in a process of its own."""

    process: subprocess.Popen[bytes]
    base_url: str
    log: TextIO

    @classmethod
    @contextmanager
    def running(cls, database_url: str) -> Iterator[Service]:
        command = shutil.which("anchor-headoffice", path=str(Path(sys.executable).parent))
        program = [command] if command else [sys.executable, "-m", "console.headoffice.cli"]
        # ANCHOR_BENCH_SERVER_LOG=path keeps the service's JSON log lines for a closer look.
        keep = os.environ.get("ANCHOR_BENCH_SERVER_LOG")
        with (open(keep, "w+") if keep else tempfile.TemporaryFile("w+")) as log:
            for _ in range(3):  # another process may take the free port first
                port = _free_port()
                process = subprocess.Popen(
                    [*program, "serve", "--database-url", database_url, "--host", "127.0.0.1",
                     "--port", str(port), "--log-level", "info"],
                    stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
                service = cls(process, f"http://127.0.0.1:{port}", log)
                if service._wait_ready():
                    break
                service._stop()
            else:
                log.seek(0)
                raise RuntimeError(f"anchor-headoffice serve did not start:\n{log.read()[-2000:]}")
            try:
                yield service
            finally:
                service._stop()

    def _wait_ready(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.base_url}/readyz", timeout=2).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        return False

    def _stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def cpu_seconds(self) -> float:
        """User and system CPU time of the service process so far (Linux)."""
        return _cpu_seconds(self.process.pid) or 0.0


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a local process so far (Linux), None if it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def database_cpu(database_url: str) -> dict[int, float]:
    """CPU time so far of every PostgreSQL process working in the database (its backends and
    autovacuum workers), by process id; empty when PostgreSQL runs on another machine."""
    with psycopg.connect(_libpq(database_url)) as conn:
        pids = [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")]
    found = {pid: _cpu_seconds(pid) for pid in pids}
    return {pid: cpu for pid, cpu in found.items() if cpu is not None}


def enroll(service: Service, sessions: Any, store_code: str, name: str) -> str:
    """A console token, through POST /v1/enroll; waits out the per-address enrollment rate limit."""
    with sessions.begin() as session:
        code = admin.issue_enrollment_code(session, store_code).code
    while True:
        answer = httpx.post(f"{service.base_url}/v1/enroll", json={"code": code, "console_name": name},
                            headers=PROTOCOL, timeout=30)
        if answer.status_code == 429:
            time.sleep(float(answer.headers.get("Retry-After", "1")))
            continue
        answer.raise_for_status()
        return str(answer.json()["token"])


# --- push throughput against a raw upsert -----------------------------------


RAW_TABLE = """
CREATE TABLE bench_raw_row (
    table_name varchar(64) NOT NULL, row_id uuid NOT NULL, store_id uuid, scope_key varchar(64) NOT NULL,
    version bigint NOT NULL, row_version integer NOT NULL, deleted boolean NOT NULL, data jsonb NOT NULL,
    field_versions jsonb NOT NULL, field_authors jsonb NOT NULL, committed_at timestamptz NOT NULL,
    PRIMARY KEY (table_name, row_id))
"""
RAW_INDEXES = (
    "CREATE UNIQUE INDEX ON bench_raw_row (scope_key, version)",
    "CREATE INDEX ON bench_raw_row (scope_key, deleted, version)",
    "CREATE INDEX ON bench_raw_row (store_id, table_name)",
)
RAW_UPSERT = """
INSERT INTO bench_raw_row (table_name, row_id, store_id, scope_key, version, row_version, deleted, data,
                           field_versions, field_authors, committed_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (table_name, row_id) DO UPDATE SET
    version = EXCLUDED.version, row_version = EXCLUDED.row_version, deleted = EXCLUDED.deleted,
    data = EXCLUDED.data, field_versions = EXCLUDED.field_versions, field_authors = EXCLUDED.field_authors,
    committed_at = EXCLUDED.committed_at
"""


def raw_upsert(database_url: str, rows: list[dict[str, Any]], author: str) -> float:
    """Seconds to upsert ``rows`` into a new raw table in batches of MAX_BATCH, one transaction each."""
    scope_key = f"store:{rows[0]['store_id']}"
    now = datetime.now(UTC)
    params = []
    for version, row in enumerate(rows, start=1):
        fields = [f for f in row if f not in STAMP_FIELDS]
        params.append(("shift", row["id"], row["store_id"], scope_key, version, row["row_version"], False,
                       Jsonb(row), Jsonb(dict.fromkeys(fields, row["row_version"])),
                       Jsonb(dict.fromkeys(fields, author)), now))
    with psycopg.connect(_libpq(database_url)) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw_row")
        conn.execute(RAW_TABLE)
        for statement in RAW_INDEXES:
            conn.execute(statement)
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            for start in range(0, len(params), MAX_BATCH):
                cursor.executemany(RAW_UPSERT, params[start:start + MAX_BATCH])
                conn.commit()
        return time.perf_counter() - started


def push_all(service: Service, token: str, rows: list[dict[str, Any]]) -> float:
    """Seconds for one console to push ``rows`` as inserts in batches of MAX_BATCH."""
    mutations = [insert_mutation(row) for row in rows]
    headers = {**PROTOCOL, "Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=service.base_url, headers=headers, timeout=60) as client:
        started = time.perf_counter()
        for start in range(0, len(mutations), MAX_BATCH):
            answer = client.post("/v1/push", json={"batch_id": str(uuid.uuid4()),
                                                    "mutations": mutations[start:start + MAX_BATCH]})
            answer.raise_for_status()
            statuses = {r["status"] for r in answer.json()["results"]}
            if statuses != {"applied"}:
                raise RuntimeError(f"push answered {statuses}, not all applied")
        return time.perf_counter() - started


def push_figures(service: Service, sessions: Any, database_url: str) -> None:
    """Raw upsert and push alternately, PUSH_ROUNDS times after one warm-up round, each round with
    rows (and a store and console) of its own; medians."""
    rng = random.Random(1)
    raw_rates, push_rates = [], []
    for round_ in range(PUSH_ROUNDS + 1):
        code = f"PUSH{round_:02d}"
        with sessions.begin() as session:
            info = admin.add_store(session, code, f"Push bench store {round_}")
        token = enroll(service, sessions, code, "push bench")
        store = new_store_fixture(str(info.id), rng)
        rows = [shift_row(store, rng) for _ in range(PUSH_ROWS)]
        analyze(database_url)
        raw_rate = PUSH_ROWS / raw_upsert(database_url, rows, author=str(uuid.uuid4()))
        push_rate = PUSH_ROWS / push_all(service, token, rows)
        if round_ == 0:
            print(f"# warm-up round: raw {raw_rate:.0f} rows/s, push {push_rate:.0f} rows/s")
            continue
        raw_rates.append(raw_rate)
        push_rates.append(push_rate)
    raw_rate, push_rate = statistics.median(raw_rates), statistics.median(push_rates)
    print(f"# {PUSH_ROWS} shift rows in batches of {MAX_BATCH}, {PUSH_ROUNDS} rounds: raw "
          f"{', '.join(f'{r:.0f}' for r in raw_rates)} rows/s; push {', '.join(f'{r:.0f}' for r in push_rates)} rows/s")
    print(f"BENCH sync_raw_upsert {raw_rate:.0f} rows/s")
    print(f"BENCH sync_push {push_rate:.0f} rows/s")
    print(f"BENCH sync_push_vs_raw_upsert {100 * push_rate / raw_rate:.0f} %")


# --- initial load -----------------------------------------------------------


def product_row(index: int) -> dict[str, Any]:
    return full_row("product", {
        "sku": f"SKU{index:07d}", "barcode": f"69{index:011d}", "name": f"示例商品 {index} 羊绒混纺围巾",
        "brand": f"品牌{index % 400}", "category": f"类目{index % 60}", "spec": "180x30cm", "origin": "浙江",
        "after_sales_policy": "七天无理由退换", "search_key": f"slsp {index} ycwhwj shilishangpin",
    })


def fill_catalog(sessions: Any, database_url: str) -> float:
    """Seconds for head office to publish PRODUCTS products through the service's own write path
    (``write_rows``, 2,000 rows a transaction), with statistics refreshed every 20,000 rows as
    autovacuum would on a running server (without, each chunk's lookup scans every product so far)."""
    rows = [product_row(i) for i in range(PRODUCTS)]
    started = time.perf_counter()
    for start in range(0, len(rows), 2000):
        with sessions.begin() as session:
            write_rows(session, "product", rows[start:start + 2000])
        if (start + 2000) % 20_000 == 0:
            analyze(database_url)
    return time.perf_counter() - started


def download_snapshot(service: Service, token: str) -> tuple[float, int]:
    """Seconds and rows for every page of the catalog scope's snapshot, downloaded and parsed."""
    headers = {**PROTOCOL, "Authorization": f"Bearer {token}"}
    rows = 0
    with httpx.Client(base_url=service.base_url, headers=headers, timeout=60) as client:
        started = time.perf_counter()
        params: dict[str, Any] = {"scope": "catalog", "limit": MAX_PAGE}
        while True:
            answer = client.get("/v1/snapshot", params=params)
            answer.raise_for_status()
            page = answer.json()
            rows += len(page["rows"])
            if not page["has_more"]:
                break
            params = {"scope": "catalog", "limit": MAX_PAGE, "watermark": page["watermark"],
                      "after": page["next_after"]}
        return time.perf_counter() - started, rows


def snapshot_figures(service: Service, sessions: Any, database_url: str) -> None:
    analyze(database_url)
    fill_seconds = fill_catalog(sessions, database_url)
    analyze(database_url)
    print(f"# catalog of {PRODUCTS} products published in {fill_seconds:.1f} s "
          f"({PRODUCTS / fill_seconds:.0f} rows/s through write_rows)")
    with sessions.begin() as session:
        admin.add_store(session, "LOAD01", "Initial load store")
    token = enroll(service, sessions, "LOAD01", "initial load")
    seconds, rows = download_snapshot(service, token)
    if rows < PRODUCTS:
        raise RuntimeError(f"the snapshot held {rows} rows, fewer than the {PRODUCTS} products")
    print(f"BENCH sync_snapshot_100k_download {seconds:.2f} s")
    print(f"BENCH sync_snapshot_100k_rate {rows / seconds:.0f} rows/s")
    console_load(service, sessions, database_url)


class _MemoryTokens:
    """A token store for the bench: never the OS keyring, never a file."""

    def __init__(self) -> None:
        self.token: str | None = None

    def save(self, token: str) -> str:
        self.token = token
        return "memory"

    def load(self) -> str | None:
        return self.token

    def clear(self) -> None:
        self.token = None


def console_load(service: Service, sessions: Any, database_url: str) -> None:
    """A new console enrolled (starting clean) and synced once: the catalog snapshot downloaded and applied.

    First against the service process as it runs; if its per-console rate limit stops the load
    (a snapshot of 100,000 rows is some 200 requests), again against the same database served
    in this process with the limit raised, so the figure is still the console's own cost.
    """
    try:
        from console.sync.client import MODE_CLEAN, SyncClient  # noqa: F401
    except ImportError as exc:
        print(f"# sync_snapshot_100k_console skipped: the console's sync client is not there ({exc})")
        return
    seconds, products, errors = _enroll_console(service.base_url, sessions)
    if errors and any("slow down" in e or "429" in e for e in errors):
        print(f"# FINDING: a new console's first sync against `anchor-headoffice serve` failed: {errors[0]!r} "
              f"(the per-console rate limit, 20/s with a burst of 60, is spent by the snapshot's pages)")
        with in_process_service(database_url) as base_url:
            seconds, products, errors = _enroll_console(base_url, sessions)
        where = "in-process service, rate limit raised"
    else:
        where = "anchor-headoffice serve"
    if errors or products < PRODUCTS:
        print(f"# sync_snapshot_100k_console failed ({where}): {errors}, {products} products on the console")
        return
    print(f"BENCH sync_snapshot_100k_console {seconds:.1f} s")
    # The enrolment dialog's figure: rows of the initial load per second, every page staged on
    # the way (so a stopped load resumes), compared with sync_snapshot_100k_rate (download only).
    print(f"BENCH sync_snapshot_100k_console_rate {products / seconds:.0f} rows/s")
    print(f"# (enroll, download and apply into a new console database, to the end of the first sync; "
          f"{products} products; {where})")


def _enroll_console(base_url: str, sessions: Any) -> tuple[float, int, tuple[str, ...]]:
    from sqlalchemy import func, select

    from console.storage.db import open_database
    from console.storage.models import Product
    from console.sync.client import MODE_CLEAN, SyncClient

    with sessions.begin() as session:
        code = admin.issue_enrollment_code(session, "LOAD01").code
    with tempfile.TemporaryDirectory(prefix="anchor-bench-console-") as folder:
        database = open_database(Path(folder) / "data")
        client = SyncClient(database, base_url, _MemoryTokens(), timeout=120)  # type: ignore[arg-type]
        try:
            started = time.perf_counter()
            result = asyncio.run(client.enroll(code, mode=MODE_CLEAN, console_name="initial load bench"))
            seconds = time.perf_counter() - started
        finally:
            client.close()
        with database.begin() as session:
            products = session.scalar(select(func.count()).select_from(Product)) or 0
        database.close()
    return seconds, products, tuple(result.report.errors)


@contextmanager
def in_process_service(database_url: str) -> Iterator[str]:
    """The service app on a free loopback port, in a thread of this process, without a rate limit to speak of."""
    import threading

    import uvicorn

    from console.headoffice.app import Settings, create_app

    app = create_app(Settings(database_url=database_url, rate_per_second=1e6, rate_burst=10**6))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                          access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.engine.dispose()


# --- many consoles at once --------------------------------------------------


@dataclass
class SimConsole:
    token: str
    store: StoreFixture
    rng: random.Random
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)        # every mutation id pushed
    latencies: list[float] = field(default_factory=list)
    started_at: list[float] = field(default_factory=list)  # perf_counter at each push's start
    errors: list[str] = field(default_factory=list)      # pushes that failed for good
    retried: list[str] = field(default_factory=list)     # transport errors, retried with the same batch

    def next_batch(self) -> list[dict[str, Any]]:
        mutations = []
        edits = self.rng.sample(sorted(self.rows), k=min(len(self.rows), MUTATIONS // 2))
        for row_id in edits:
            mutations.append(update_mutation(self.rows[row_id],
                                             override_reason=f"edit {self.rng.randrange(10**6)}"))
        while len(mutations) < MUTATIONS:
            row = shift_row(self.store, self.rng)
            self.rows[row["id"]] = row
            mutations.append(insert_mutation(row))
        self.sent += [m["mutation_id"] for m in mutations]
        return mutations

    def client(self, base_url: str) -> httpx.AsyncClient:
        # A client (and so a connection) per console, as every console is a PC of its own; one pool
        # shared by 200 consoles would spend the bench's CPU scanning its connections.
        headers = {**PROTOCOL, "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        return httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30)

    async def run(self, client: httpx.AsyncClient) -> None:
        await asyncio.sleep(self.rng.uniform(*THINK_SECONDS))
        for _ in range(PUSHES):
            await self.push(client)
            await asyncio.sleep(self.rng.uniform(*THINK_SECONDS))

    async def push(self, client: httpx.AsyncClient) -> None:
        """One batch, retried with the same batch_id after a transport error as a console does."""
        body = _dumps({"batch_id": str(uuid.uuid4()), "mutations": self.next_batch()}).encode()
        started = time.perf_counter()
        self.started_at.append(started)
        for attempt in range(RETRIES + 1):
            try:
                answer = await client.post("/v1/push", content=body)
            except httpx.TransportError as exc:
                self.retried.append(f"{type(exc).__name__} {exc}".strip())
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            self.latencies.append(time.perf_counter() - started)
            if answer.status_code != 200:
                self.errors.append(f"HTTP {answer.status_code}: {answer.text[:200]}")
            else:
                statuses = {r["status"] for r in answer.json()["results"]}
                if statuses != {"applied"}:
                    self.errors.append(f"results {sorted(statuses)}")
            return
        self.latencies.append(time.perf_counter() - started)
        self.errors.append(f"no answer after {RETRIES + 1} attempts")


async def _push_alone(service: Service, console: SimConsole, pushes: int) -> None:
    async with console.client(service.base_url) as client:
        for _ in range(pushes):
            await console.push(client)


@dataclass
class LoadRun:
    """The concurrent run's clock and CPU counters, started once every console has its client."""

    started: float = 0.0
    elapsed: float = 0.0
    service_cpu: float = 0.0
    own_cpu: float = 0.0
    database_cpu: float | None = None   # None: PostgreSQL is not on this machine
    timed_out: bool = False


async def _run_consoles(service: Service, consoles: list[SimConsole], database_url: str) -> LoadRun:
    """Every console's client is made before the clock starts: making 200 of them takes the bench's
    one event loop several seconds (an SSL context each), which would hold back every console's first
    push and then release them together, a burst of the bench's own making."""
    run = LoadRun()
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(c.client(service.base_url)) for c in consoles]
        database_before = database_cpu(database_url)
        run.started, run.service_cpu, run.own_cpu = time.perf_counter(), service.cpu_seconds(), time.process_time()
        try:
            await asyncio.wait_for(asyncio.gather(*(c.run(client) for c, client in zip(consoles, clients,
                                                                                         strict=True))),
                                   LOAD_DEADLINE)
        except TimeoutError:
            run.timed_out = True
        run.elapsed = time.perf_counter() - run.started
        run.service_cpu = service.cpu_seconds() - run.service_cpu
        run.own_cpu = time.process_time() - run.own_cpu
        # Backends the service's pool opened during the run count from zero.
        database_after = database_cpu(database_url)
        if database_after:
            run.database_cpu = sum(cpu - database_before.get(pid, 0.0) for pid, cpu in database_after.items())
    return run


def lost_and_doubled(database_url: str, consoles: list[SimConsole]) -> tuple[int, int, int]:
    """Mutation ids missing on the server, ids recorded more than once, rows not as their console left them."""
    sent = [m for c in consoles for m in c.sent]
    expected = {row_id: row for c in consoles for row_id, row in c.rows.items()}
    with psycopg.connect(_libpq(database_url)) as conn:
        counts = dict(conn.execute(
            "SELECT mutation_id::text, count(*) FROM applied_mutation WHERE mutation_id = ANY(%s::uuid[]) "
            "GROUP BY mutation_id", (sent,)).fetchall())
        stored = dict(conn.execute(
            "SELECT row_id::text, data FROM synced_row WHERE table_name = 'shift' AND row_id = ANY(%s::uuid[])",
            (list(expected),)).fetchall())
    missing = sum(1 for m in sent if m not in counts)
    doubled = sum(1 for n in counts.values() if n != 1)
    wrong = sum(1 for row_id, row in expected.items() if stored.get(row_id) != row)
    return missing, doubled, wrong


def consoles_figures(service: Service, sessions: Any, database_url: str) -> None:
    rng = random.Random(2)
    consoles: list[SimConsole] = []
    with sessions.begin() as session:
        stores = [admin.add_store(session, f"LOAD{i:03d}", f"Load store {i}") for i in range(CONSOLE_STORES)]
    for info in stores:
        fixture = new_store_fixture(str(info.id), rng)
        for n in range(CONSOLES_PER_STORE):
            token = enroll(service, sessions, info.code, f"console {n + 1}")
            consoles.append(SimConsole(token, fixture, random.Random(rng.getrandbits(64))))
    analyze(database_url)
    # Baseline in the same run: one console pushing alone, one batch after another.
    alone = consoles[0]
    asyncio.run(_push_alone(service, alone, UNLOADED_PUSHES))
    unloaded, alone.latencies, alone.started_at = alone.latencies[UNLOADED_PUSHES // 5:], [], []
    # Statistics of tables in use, as autovacuum keeps them: taken while they were empty, they lead
    # PostgreSQL to read every row of a table to find a push's rows once the tables fill up
    # (docs/deploy.md, "A new database"), which tripled its CPU per push here.
    analyze(database_url)
    run = asyncio.run(_run_consoles(service, consoles, database_url))
    started, elapsed, service_cpu, own_cpu = run.started, run.elapsed, run.service_cpu, run.own_cpu
    latencies = [s for c in consoles for s in c.latencies]
    errors = [e for c in consoles for e in c.errors]
    retried = [e for c in consoles for e in c.retried]
    pushes = len(latencies)
    missing, doubled, wrong = lost_and_doubled(database_url, consoles)
    if os.environ.get("ANCHOR_BENCH_DUMP"):  # every push's start (s into the run) and latency, for a closer look
        Path(os.environ["ANCHOR_BENCH_DUMP"]).write_text(json.dumps(sorted(
            (t - started, s) for c in consoles for t, s in zip(c.started_at, c.latencies, strict=True))))
    print(f"# {len(consoles)} consoles in {CONSOLE_STORES} stores: {pushes} pushes of {MUTATIONS} mutations "
          f"in {elapsed:.1f} s ({pushes / elapsed:.0f} pushes/s, {pushes * MUTATIONS / elapsed:.0f} "
          f"mutations/s); CPU of one core: service {100 * service_cpu / elapsed:.0f}%, "
          f"simulated consoles {100 * own_cpu / elapsed:.0f}%"
          + (f", PostgreSQL {100 * run.database_cpu / elapsed:.0f}%" if run.database_cpu is not None else "")
          + ("; DEADLINE HIT" if run.timed_out else ""))
    for error in sorted(set(errors))[:5]:
        print(f"# error: {error}")
    for error in sorted(set(retried))[:5]:
        print(f"# retried after: {error}")
    print(f"BENCH sync_consoles_push_unloaded_p50 {1000 * statistics.median(unloaded):.1f} ms")
    print(f"BENCH sync_consoles_push_p50 {1000 * statistics.median(latencies):.1f} ms")
    print(f"BENCH sync_consoles_push_p99 {1000 * percentile(latencies, 0.99):.1f} ms")
    print(f"BENCH sync_consoles_push_max {1000 * max(latencies):.1f} ms")
    print(f"BENCH sync_consoles_errors {len(errors) + (PUSHES * len(consoles) - pushes)} pushes")
    print(f"BENCH sync_consoles_retried {len(retried)} requests")
    print(f"BENCH sync_consoles_lost {missing + wrong} mutations")
    print(f"BENCH sync_consoles_duplicated {doubled} mutations")
    print(f"BENCH sync_consoles_service_cpu_per_push {1000 * service_cpu / max(1, pushes):.1f} ms")
    if run.database_cpu is not None:
        print(f"BENCH sync_consoles_database_cpu_per_push {1000 * run.database_cpu / max(1, pushes):.1f} ms")


PARTS = ("push", "snapshot", "consoles")


def main(argv: list[str]) -> None:
    """``python -m bench.sync [push] [snapshot] [consoles]``: the parts named, or all."""
    parts = set(argv) or set(PARTS)
    if parts - set(PARTS):
        raise SystemExit(f"unknown part {sorted(parts - set(PARTS))}; the parts are {', '.join(PARTS)}")
    with bench_database() as database_url:
        engine = db.make_engine(database_url)
        try:
            db.migrate(engine)
            sessions = db.session_factory(engine)
            with Service.running(database_url) as service:
                if "push" in parts:
                    push_figures(service, sessions, database_url)
                if "snapshot" in parts:
                    snapshot_figures(service, sessions, database_url)
                if "consoles" in parts:
                    consoles_figures(service, sessions, database_url)
        finally:
            engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
