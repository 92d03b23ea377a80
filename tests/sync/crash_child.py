"""Test harness, not production: one console sync that stops dead at a chosen point, to be SIGKILLed there.

    python -m tests.sync.crash_child DATA_DIR

``ANCHOR_TEST_CRASH_AT`` (read only here) names the point, ``ANCHOR_TEST_CRASH_NTH`` which occurrence:

``push_before_send``   the Nth push is about to leave (the batch is saved locally, the server never sees it)
``push_after_commit``  the server answered the Nth push (committed), the console has not acknowledged it
``push_in_ack``        inside the local transaction that deletes the Nth push's acknowledged entries
``pull_in_apply``      inside the local transaction of the Nth store page: rows written, cursor not yet

At the point the child prints ``CRASH-POINT`` on stdout and sleeps; the test kills it with SIGKILL.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

from console.storage.db import open_database
from console.sync import local
from console.sync.client import SyncClient
from console.sync.protocol import Scope
from console.sync.tokens import TokenStore

CRASH_AT = os.environ.get("ANCHOR_TEST_CRASH_AT", "")
NTH = int(os.environ.get("ANCHOR_TEST_CRASH_NTH", "1"))


def stop_here(what: str) -> None:
    print(f"CRASH-POINT {what}", flush=True)
    while True:
        time.sleep(3600)


class Harness(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.pushes = 0
        self.acknowledging = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/push":
            self.pushes += 1
            if CRASH_AT == "push_before_send" and self.pushes == NTH:
                stop_here("push_before_send")
        response = await self.inner.handle_async_request(request)
        if request.url.path == "/v1/push" and self.pushes == NTH:
            await response.aread()
            if CRASH_AT == "push_after_commit":
                stop_here("push_after_commit")
            if CRASH_AT == "push_in_ack":
                self.acknowledging = True
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def main(data_dir: Path) -> int:
    db = open_database(data_dir, create=False)
    transport = Harness()
    client = SyncClient(db, None, TokenStore(data_dir), transport, batch_size=100, page_size=100)

    def before_commit(_session: Any) -> None:
        # The next commit after the Nth push's answer is local.acknowledge's (the outbox deletes are done).
        if transport.acknowledging:
            stop_here("push_in_ack")

    event.listen(db.sessions, "before_commit", before_commit)

    store_pages = {"n": 0}
    real_apply_page = local.apply_page

    def apply_page(db_: Any, scope: Scope, rows: Any, next_cursor: int, **kwargs: Any) -> int:
        if CRASH_AT == "pull_in_apply" and scope is Scope.STORE:
            store_pages["n"] += 1
            if store_pages["n"] == NTH:
                kwargs["fail_after_rows"] = lambda: stop_here("pull_in_apply")
        return real_apply_page(db_, scope, rows, next_cursor, **kwargs)

    local.apply_page = apply_page  # type: ignore[assignment]
    report = asyncio.run(client.sync_once())
    print(f"FINISHED {report}", flush=True)
    return 3   # reaching the end means the crash point was never hit


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
