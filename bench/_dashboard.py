"""The live wall's delay: from an anchor's key press in a console to the dashboard's page being told.

Everything real, on loopback: the ``anchor-headoffice serve`` process on a new
SQLite database (or ``ANCHOR_BENCH_DASHBOARD_DATABASE_URL``), one store
console (its SQLite data folder, enrolled with the console's own sync
client), a show on air in it with ``PRODUCTS`` products, and the dashboard's
server-sent events stream read by a signed-in session, as the wall page's
``EventSource`` reads it.

Each press is ``OnAirService.next`` (the next product on air) with new
figures; the delay is from just before the press to the first ``wall`` event
whose show names the new link number.

- ``dashboard_wall_delay_immediate_*``: the baseline of the same run: the
  console pushes at once after each press (``sync_once``), so the delay is
  the push plus the service's wall poll (1 s) and the stream;
- ``dashboard_wall_delay_*``: the console as it runs: its ``SyncLoop``
  during a live show (a change goes up within ``change_delay`` 2 s, and
  every ``live_interval`` 5 s anyway), presses at random 2-6 s apart.
  Aim: p99 under 5 s.

``PRESSES`` presses per part (``ANCHOR_BENCH_DASHBOARD_PRESSES``, default 20).
"""

from __future__ import annotations

import asyncio
import json
import os

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from console.domain.enums import AuditVia
from console.headoffice import admin
from console.headoffice import catalog as ho_catalog
from console.headoffice import db as ho_db
from console.services.auth import AuthService
from console.services.broadcasts import BroadcastService
from console.services.catalog import CatalogService
from console.services.onair import OnAirService
from console.services.queue import QueueService
from console.services.roster import RosterService
from console.services.worker import DbWorker
from console.storage.db import open_database
from console.storage.models import Broadcast, Product
from console.sync.client import MODE_CLEAN, SyncClient, SyncLoop
from console.sync.tokens import TokenStore

PRESSES = int(os.environ.get("ANCHOR_BENCH_DASHBOARD_PRESSES", "20"))
PRODUCTS = 2 * PRESSES + 4
PASSWORD = "bench-password-1"
STORE = "SH01"
_TOTALS = {"orders": 0, "gmv_fen": 0}    # running totals never go down during a show


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _catalog_csv(path: Path) -> None:
    lines = ["商品编码,商品名称,品牌,类目,规格,条码,质检报告,售后政策"]
    lines += [f"B-{n:03d},测试商品{n:03d},锦华,服装,M,,JC2026-{n:04d},七天无理由退货" for n in range(PRODUCTS)]
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))


def _serve(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("anchor-headoffice")), "serve", "--database-url", url,
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the service did not start; see {log}")


def _signed_in(base: str) -> httpx.AsyncClient:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/dashboard/sign-in")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf
    answer = client.post("/dashboard/sign-in", data={"csrf": csrf.group(1), "login": "bench", "password": PASSWORD})
    assert answer.status_code == 303, answer.text
    cookies = {c.name: c.value for c in client.cookies.jar}
    client.close()
    stream = httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(30, read=None))
    for name, value in cookies.items():
        stream.cookies.set(name, value, path="/dashboard")
    return stream


class Wall:
    """The stream as the page reads it: the link number on air, and when each one was first seen."""

    def __init__(self) -> None:
        self.first_seen: dict[int, float] = {}
        self.events = 0
        self.changed = asyncio.Event()

    async def read(self, client: httpx.AsyncClient) -> None:
        async with client.stream("GET", "/dashboard/wall/events") as response:
            assert response.status_code == 200, await response.aread()
            kind = None
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    kind = line.removeprefix("event:").strip()
                elif line.startswith("data:") and kind == "wall":
                    now = time.monotonic()
                    self.events += 1
                    for show in json.loads(line.removeprefix("data:").strip())["shows"]:
                        link = show.get("link_number")
                        if link is not None:
                            self.first_seen.setdefault(int(link), now)
                    self.changed.set()

    async def seen(self, link: int, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        while link not in self.first_seen:
            self.changed.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SystemExit(f"link {link} never reached the wall")
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                pass
        return self.first_seen[link]


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _report(name: str, delays: list[float]) -> None:
    print(f"BENCH {name}_p50 {statistics.median(delays):.3f} s")
    print(f"BENCH {name}_p99 {_quantile(delays, 0.99):.3f} s")
    print(f"BENCH {name}_max {max(delays):.3f} s")


async def _presses(onair: OnAirService, worker: DbWorker, wall: Wall, count: int, after: Any) -> list[float]:
    delays = []
    for _ in range(count):
        pressed = time.monotonic()
        # On the one ordered worker the console's database work goes through, as the GUI does.
        now = await worker.run(onair.next)
        assert now.current is not None, "the queue ran out"
        _TOTALS["orders"] += random.randint(1, 9)
        _TOTALS["gmv_fen"] += random.randint(10_000, 90_000)
        await worker.run(lambda: onair.record_metrics(viewers=random.randint(100, 900), **_TOTALS))
        await after()
        seen = await wall.seen(now.current.link_number)
        delays.append(seen - pressed)
        await asyncio.sleep(random.uniform(2, 6))
    return delays


async def _run(base: str, folder: Path) -> None:
    database = open_database(folder / "console")
    worker = DbWorker()
    client = SyncClient(database, base, TokenStore(folder / "console"), worker=worker)
    engine = ho_db.make_engine(os.environ["_BENCH_URL"])
    with ho_db.session_factory(engine).begin() as session:
        code = admin.issue_enrollment_code(session, STORE).code
    engine.dispose()
    enrolled = await client.enroll(code, mode=MODE_CLEAN, console_name="bench console")
    assert enrolled.report.clean, enrolled.report
    who = AuthService(database).actor_for_login(None, via=AuditVia.CLI)
    with database.begin() as s:
        skus = {sku: pid for sku, pid in s.execute(select(Product.sku, Product.id))}
    prices = CatalogService(database, who)
    for pid in skus.values():
        prices.set_store_price(pid, counter_price_fen=99_900, stock=50, evidence="bench")
    room = RosterService(database, who).add_room(code="R1", name="一号直播间").id
    start = datetime.now(UTC)
    with database.begin() as s:
        show = Broadcast(store_id=who.store_id, room_id=room, title="延迟测试专场", planned_start=start,
                         planned_end=start + timedelta(hours=3))
        s.add(show)
        s.flush()
        show_id = show.id
    QueueService(database, who).add_products(show_id, [skus[f"B-{n:03d}"] for n in range(PRODUCTS)])
    assert BroadcastService(database, who).mark_ready(show_id).ready
    onair = OnAirService(database, who)
    onair.start(show_id)
    assert (await client.sync_once()).clean

    wall = Wall()
    stream = _signed_in(base)
    reader = asyncio.get_running_loop().create_task(wall.read(stream))
    try:
        await wall.seen(1)

        async def push_now() -> None:
            report = await client.sync_once()
            assert report.clean, report

        immediate = await _presses(onair, worker, wall, PRESSES, push_now)

        loop = SyncLoop(client, change_delay=2.0, live_interval=5.0)
        loop.start(first_delay=5.0)

        async def notify() -> None:
            loop.notify_change()   # what the console's window does on each saved change

        looped = await _presses(onair, worker, wall, PRESSES, notify)
        await loop.stop()
    finally:
        reader.cancel()
        await stream.aclose()
        client.close()
        worker.shutdown()
        database.close()
    print(f"BENCH dashboard_presses {PRESSES} presses")
    _report("dashboard_wall_delay_immediate", immediate)
    _report("dashboard_wall_delay", looped)
    print(f"BENCH dashboard_wall_events {wall.events} events")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="anchor-bench-dashboard-") as scratch:
        folder = Path(scratch)
        url = os.environ.get("ANCHOR_BENCH_DASHBOARD_DATABASE_URL") or f"sqlite:///{folder / 'headoffice.sqlite3'}"
        os.environ["_BENCH_URL"] = url
        engine = ho_db.make_engine(url)
        ho_db.migrate(engine)
        _catalog_csv(folder / "catalog.csv")
        with ho_db.session_factory(engine).begin() as session:
            admin.add_store(session, STORE, "上海旗舰店")
            admin.add_user(session, "bench", "Bench", "admin", PASSWORD)
            ho_catalog.import_file(session, folder / "catalog.csv")
        engine.dispose()
        port = _free_port()
        server = _serve(url, port, folder / "service.log")
        try:
            asyncio.run(_run(f"http://127.0.0.1:{port}", folder))
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
