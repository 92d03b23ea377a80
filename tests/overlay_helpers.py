"""The overlay's real server on a free loopback port, acting on a real show through the on-air service."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from console.domain.onair import ShowNow
from console.overlay.app import OverlayApp
from console.overlay.server import OverlayServer
from console.services.onair import OnAirService

TOKEN = "test-token-0123456789"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveOverlay:
    onair: OnAirService
    app: OverlayApp
    server: OverlayServer
    show: ShowNow | None

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKEN}"}


def overlay_app(onair: OnAirService, holder: dict[str, Any]) -> OverlayApp:
    """An app whose actions go to the service and whose every answer is published, as the GUI's does."""

    def perform(action: str, *args: Any) -> ShowNow:
        show = getattr(onair, action)(*args)
        holder["show"] = show
        holder["app"].publish(show)
        return show

    app = OverlayApp(lambda: holder.get("show"), perform, token=TOKEN)
    holder["app"] = app
    return app


@contextmanager
def live_overlay(onair: OnAirService, broadcast_id: UUID) -> Iterator[LiveOverlay]:
    holder: dict[str, Any] = {"show": onair.start(broadcast_id)}
    app = overlay_app(onair, holder)
    for _ in range(3):   # another process may take the free port first
        server = OverlayServer(app, free_port())
        try:
            server.start()
            break
        except Exception:
            continue
    else:
        raise RuntimeError("the overlay server did not start")
    live = LiveOverlay(onair, app, server, holder["show"])
    try:
        yield live
    finally:
        server.stop()
