"""The overlay and remote control, over real HTTP on loopback against the real server and a real show."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.i18n import use_language
from console.overlay.app import OverlayApp
from console.overlay.server import OverlayPortInUse, OverlayServer
from console.overlay.token import TOKEN_FILENAME, overlay_token
from console.services.onair import OnAirService
from console.storage.db import Database
from tests.onair_helpers import ready_show
from tests.overlay_helpers import TOKEN, LiveOverlay, live_overlay


@pytest.fixture
def live(db: Database, store: StoreInfo, manager_actor: Actor) -> Iterator[LiveOverlay]:
    onair = OnAirService(db, manager_actor)
    with live_overlay(onair, ready_show(db, store, manager_actor)) as running:
        yield running


@pytest.fixture
def client(live: LiveOverlay) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live.base_url, timeout=10) as c:
        yield c


class Feed:
    """An SSE client on /events in a thread, keeping every state it receives with when it came."""

    def __init__(self, base_url: str) -> None:
        self.states: list[tuple[float, dict[str, Any]]] = []
        self._client = httpx.Client(base_url=base_url, timeout=httpx.Timeout(10, read=None))
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            with self._client.stream("GET", "/events") as response:
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        self.states.append((time.monotonic(), json.loads(line[6:])))
        except httpx.HTTPError:
            pass

    def wait_for(self, condition: Any, timeout: float = 5.0) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for when, state in self.states:
                if condition(state):
                    return when, state
            time.sleep(0.005)
        raise AssertionError(f"no such state in {timeout} s; saw {[s for _, s in self.states]}")

    def close(self) -> None:
        self._client.close()


def test_state_is_the_show_as_plain_data(client: httpx.Client, live: LiveOverlay) -> None:
    state = client.get("/state").json()
    assert state["status"] == "live"
    assert state["broadcast_id"] == str(live.show.broadcast_id)
    assert (state["current_link_number"], state["current_product"], state["live_price_fen"]) == (1, "羊绒围巾", 20_000)
    assert isinstance(state["show_elapsed_seconds"], int) and isinstance(state["item_elapsed_seconds"], int)


def test_a_button_with_the_token_moves_the_show_and_every_page_hears_of_it_within_a_second(
        client: httpx.Client, live: LiveOverlay) -> None:
    feed = Feed(live.base_url)
    try:
        feed.wait_for(lambda s: s["current_link_number"] == 1)
        sent = time.monotonic()
        answer = client.post("/next", headers=live.auth())
        assert answer.status_code == 200 and answer.json()["current_link_number"] == 2
        heard, state = feed.wait_for(lambda s: s["current_link_number"] == 2)
        assert heard - sent < 1.0
        assert state["display"] == {"product": "真丝睡衣", "link": "Link 2", "price": "¥201.00"}
        assert client.get("/state").json()["current_link_number"] == 2
    finally:
        feed.close()


@pytest.mark.parametrize("path", ["/previous", "/sold_out", "/pause", "/resume", "/jump/3"])
def test_every_button_takes_the_token_in_either_header(client: httpx.Client, live: LiveOverlay, path: str) -> None:
    if path == "/resume":
        assert client.post("/pause", headers={"X-Anchor-Token": TOKEN}).status_code == 200
    if path == "/previous":
        assert client.post("/next", headers={"X-Anchor-Token": TOKEN}).status_code == 200
    answer = client.post(path, headers={"X-Anchor-Token": TOKEN})
    assert answer.status_code == 200, answer.text
    expected = {"/previous": ("current_link_number", 1), "/sold_out": ("stock", 0), "/pause": ("status", "paused"),
                "/resume": ("status", "live"), "/jump/3": ("current_link_number", 3)}[path]
    assert answer.json()[expected[0]] == expected[1]


def test_jump_takes_the_link_in_a_json_body_too(client: httpx.Client, live: LiveOverlay) -> None:
    answer = client.post("/jump", headers=live.auth(), json={"link_number": 4})
    assert answer.json()["current_link_number"] == 4


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"X-Anchor-Token": "wrong"},
                                     {"Authorization": TOKEN}])
def test_a_button_without_the_right_token_is_refused_and_the_show_does_not_move(
        client: httpx.Client, headers: dict[str, str]) -> None:
    answer = client.post("/next", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["error"] == "overlay.token_needed"
    assert client.get("/state").json()["current_link_number"] == 1


def test_another_computer_is_refused(live: LiveOverlay) -> None:
    import asyncio

    async def ask() -> list[int]:
        transport = httpx.ASGITransport(app=live.app.asgi, client=("192.168.1.20", 5000))
        async with httpx.AsyncClient(transport=transport, base_url="http://console") as c:
            return [(await c.get("/state")).status_code, (await c.get("/overlay")).status_code,
                    (await c.post("/next", headers=live.auth())).status_code]

    assert asyncio.run(ask()) == [403, 403, 403]
    assert live.onair.active().current.link_number == 1


def test_a_refused_jump_answers_why_in_the_consoles_language_and_the_show_goes_on(
        client: httpx.Client, live: LiveOverlay) -> None:
    try:
        use_language("zh_CN")
        answer = client.post("/jump/99", headers=live.auth())
        zh = answer.json()
        use_language("en")
        en = client.post("/jump/99", headers=live.auth()).json()
    finally:
        use_language("en")
    assert answer.status_code == 422
    assert zh["error"] == en["error"] == "onair.no_such_link"
    assert en["message"] == "There is no link 99 in this show; the links are 1 to 5."
    assert zh["message"] != en["message"] and "99" in zh["message"]
    again = client.post("/jump/1", headers=live.auth())
    assert (again.status_code, again.json()["error"]) == (422, "onair.already_on_air")
    bad = client.post("/jump/three", headers=live.auth())
    assert (bad.status_code, bad.json()["error"]) == (422, "overlay.bad_link")
    assert client.post("/next", headers=live.auth()).json()["current_link_number"] == 2


def test_a_button_after_the_show_has_ended_is_a_conflict(client: httpx.Client, live: LiveOverlay) -> None:
    live.onair.end()
    answer = client.post("/next", headers=live.auth())
    assert answer.status_code == 409
    assert answer.json()["message"]


def test_the_page_takes_its_look_from_the_query(client: httpx.Client) -> None:
    page = client.get("/overlay", params={"size": "64", "color": "FFFFFF", "bg": "00000080", "accent": "ffcc00",
                                          "font": "Noto Sans CJK SC"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "font-size: 64px" in page.text and "#00000080" in page.text and "#ffcc00" in page.text
    assert '"Noto Sans CJK SC"' in page.text
    assert 'new EventSource("/events")' in page.text


@pytest.mark.parametrize("query, error", [
    ({"size": "huge"}, "overlay.bad_size"), ({"size": "2"}, "overlay.bad_size"),
    ({"color": "red"}, "overlay.bad_colour"), ({"bg": "12345"}, "overlay.bad_colour"),
    ({"font": "x</style><script>"}, "overlay.bad_font"), ({"colour": "ffffff"}, "overlay.unknown_parameter"),
])
def test_a_bad_look_is_refused(client: httpx.Client, query: dict[str, str], error: str) -> None:
    answer = client.get("/overlay", params=query)
    assert answer.status_code == 400
    assert answer.json()["error"] == error


def test_a_port_in_use_is_said_plainly(live: LiveOverlay) -> None:
    other = OverlayServer(OverlayApp(lambda: None, lambda *a: None, token=TOKEN), live.server.port)
    with pytest.raises(OverlayPortInUse) as refused:
        other.start()
    assert str(live.server.port) in str(refused.value)
    assert httpx.get(live.base_url + "/state").status_code == 200


def test_stopping_ends_the_feeds_and_frees_the_port(live: LiveOverlay) -> None:
    feed = Feed(live.base_url)
    try:
        feed.wait_for(lambda s: s["status"] == "live")
        started = time.monotonic()
        live.server.stop()
        assert time.monotonic() - started < 3
        again = OverlayServer(live.app, live.server.port)
        again.start()
        again.stop()
    finally:
        feed.close()


def test_the_token_is_made_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    first = overlay_token(tmp_path)
    assert len(first) >= 32
    assert overlay_token(tmp_path) == first
    mode = stat.S_IMODE(os.stat(tmp_path / TOKEN_FILENAME).st_mode)
    assert mode == 0o600
