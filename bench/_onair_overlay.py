"""The overlay's updates: from a button's POST to the new state in a connected page's feed, over loopback.

A small demo store with a rehearsal on air; the real overlay server
(uvicorn on 127.0.0.1, :mod:`console.overlay`) acting on the on-air service
and publishing each answer, as the console does; an SSE client on
``/events`` in a thread. Each action is ``POST /jump/<link>`` between links
1 and 2 with the token, timed from just before the request to the state
naming that link arriving in the feed: ``overlay_update_p50`` / ``_p99``.
The brief's bar: within a second. Run: ``python -m bench._onair_overlay``.
"""

from __future__ import annotations

import json
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

TOKEN = "bench-token"


def _ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _on_air(folder: Path) -> Any:
    """The store's on-air service with a rehearsal of its first planned show started."""
    from sqlalchemy import select

    from console.demo import build_demo
    from console.domain.enums import AuditVia, BroadcastStatus
    from console.services.auth import AuthService
    from console.services.onair import OnAirService
    from console.storage.db import open_database
    from console.storage.models import Broadcast

    build_demo(folder, scale="small")
    db = open_database(folder)
    onair = OnAirService(db, AuthService(db).actor_for_login(None, via=AuditVia.GUI))
    if onair.active() is None:
        with db.begin() as s:
            planned = list(s.scalars(select(Broadcast.id).where(Broadcast.status.in_(
                (BroadcastStatus.PLANNED, BroadcastStatus.READY))).order_by(Broadcast.planned_start)))
        for broadcast_id in planned:
            try:
                onair.start(broadcast_id, rehearsal=True)
                break
            except Exception:  # noqa: BLE001 - a show that cannot rehearse yet: the next one
                continue
    return onair


def overlay_latency(actions: int = 200) -> list[str]:
    from console.overlay.app import OverlayApp
    from console.overlay.server import OverlayServer

    with tempfile.TemporaryDirectory(prefix="bench-overlay-") as tmp:
        onair = _on_air(Path(tmp) / "store")
        show = onair.active()
        links = [i.link_number for i in show.items][:2]
        holder: dict[str, Any] = {"show": show}

        def perform(action: str, *args: Any) -> Any:
            answer = getattr(onair, action)(*args)
            holder["show"] = answer
            app.publish(answer)
            return answer

        app = OverlayApp(lambda: holder["show"], perform, token=TOKEN)
        server = OverlayServer(app, _free_port())
        server.start()
        seen: list[tuple[float, Any]] = []
        arrived = threading.Event()

        def listen() -> None:
            with httpx.Client(base_url=server.base_url, timeout=httpx.Timeout(10, read=None)) as c, \
                    c.stream("GET", "/events") as response:
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        seen.append((time.perf_counter(), json.loads(line[6:])["current_link_number"]))
                        arrived.set()

        threading.Thread(target=listen, daemon=True).start()
        arrived.wait(10)
        samples = []
        try:
            with httpx.Client(base_url=server.base_url, headers={"X-Anchor-Token": TOKEN}, timeout=10) as client:
                for n in range(actions + 5):
                    target = links[1] if holder["show"].current.link_number == links[0] else links[0]
                    arrived.clear()
                    start = time.perf_counter()
                    client.post(f"/jump/{target}").raise_for_status()
                    while not (seen and seen[-1][1] == target and seen[-1][0] >= start):
                        arrived.wait(5)
                        arrived.clear()
                    if n >= 5:   # the first few warm the connection and the caches
                        samples.append(seen[-1][0] - start)
        finally:
            server.stop()
            onair._db.close()
    return [f"BENCH overlay_update_p50 {_ms(samples, 0.50):.2f} ms",
            f"BENCH overlay_update_p99 {_ms(samples, 0.99):.2f} ms"]


if __name__ == "__main__":
    for line in overlay_latency():
        print(line, flush=True)
