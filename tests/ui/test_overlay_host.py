"""The main window's overlay: served while a show is on air, its buttons acting through the window's ShowControl."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from qasync import QEventLoop

from console.overlay.token import TOKEN_FILENAME
from tests.onair_helpers import ready_show
from tests.overlay_helpers import free_port
from tests.ui.conftest import manager_window, run, wait_until
from ui import settings as S
from ui.app import Console


@pytest.fixture
def port(console: Console) -> int:
    chosen = free_port()
    console.settings.set(S.OVERLAY_PORT, chosen)
    return chosen


def go_live(console: Console, qloop: QEventLoop, window: Any) -> None:
    assert console.db is not None
    bid = ready_show(console.db, window.store, window._services.actor, room_code="OV1", room_name="叠加测试间")
    assert run(qloop, window.show_control.start(bid)) is not None


def test_a_live_show_is_served_and_a_button_moves_it_in_the_console(
        console: Console, qloop: QEventLoop, port: int, demo_dir: Any) -> None:
    window = manager_window(console, qloop)
    assert window.overlay.server is None
    go_live(console, qloop, window)
    assert window.overlay.server is not None
    base = f"http://127.0.0.1:{port}"
    assert httpx.get(base + "/state").json()["current_product"] == "羊绒围巾"
    token = (demo_dir / TOKEN_FILENAME).read_text().strip()
    answer = httpx.post(base + "/next", headers={"X-Anchor-Token": token}, timeout=10)
    assert answer.status_code == 200 and answer.json()["current_link_number"] == 2
    wait_until(qloop, lambda: window.show_control.show.current.link_number == 2)
    refused = httpx.post(base + "/jump/42", headers={"X-Anchor-Token": token}, timeout=10)
    assert refused.status_code == 422 and "42" in refused.json()["message"]
    run(qloop, window.show_control.act("end"))
    assert window.overlay.server is None
    with pytest.raises(httpx.ConnectError):
        httpx.get(base + "/state")


def test_a_port_in_use_is_said_in_the_status_bar_and_the_show_goes_on(
        console: Console, qloop: QEventLoop, port: int) -> None:
    window = manager_window(console, qloop)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        go_live(console, qloop, window)
        assert window.overlay.server is None
        assert str(port) in window.statusBar().currentMessage()
        assert run(qloop, window.show_control.act("next")).current.link_number == 2


def test_closing_the_window_stops_the_server(console: Console, qloop: QEventLoop, port: int) -> None:
    window = manager_window(console, qloop)
    go_live(console, qloop, window)
    server = window.overlay.server
    assert server is not None and server.running
    window.close()
    assert not server.running


def test_port_nought_in_the_settings_turns_the_overlay_off(console: Console, qloop: QEventLoop) -> None:
    console.settings.set(S.OVERLAY_PORT, 0)
    window = manager_window(console, qloop)
    go_live(console, qloop, window)
    assert window.show_control.live and window.overlay.server is None
