"""The overlay page in a real browser (headless Chromium): it shows the product on air and follows a button."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.services.onair import OnAirService
from console.storage.db import Database
from tests.onair_helpers import ready_show
from tests.overlay_helpers import LiveOverlay, live_overlay

CHROMIUM = Path("/usr/bin/chromium")


def _browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: CI installs Debian's chromium for the overlay's browser test")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@pytest.fixture
def live(db: Database, store: StoreInfo, manager_actor: Actor) -> Iterator[LiveOverlay]:
    _browser_or_skip()
    onair = OnAirService(db, manager_actor)
    with live_overlay(onair, ready_show(db, store, manager_actor)) as running:
        yield running


def test_the_page_shows_the_product_on_air_and_changes_within_a_second_of_a_button(
        live: LiveOverlay, tmp_path: Path) -> None:
    # In a thread of its own: Playwright's sync API runs an asyncio loop of its own, which must not
    # replace the loop the GUI tests share in this process.
    failures: list[BaseException] = []

    def browse() -> None:
        try:
            _browse(live, tmp_path)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test's thread
            failures.append(exc)

    worker = threading.Thread(target=browse)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the browser did not finish"
    if failures:
        raise failures[0]


def _browse(live: LiveOverlay, tmp_path: Path) -> None:
    import playwright.sync_api as sync_api   # in the [test] extras

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page(viewport={"width": 800, "height": 240})
            page.goto(f"{live.base_url}/overlay?size=40&bg=000000a0")
            card = page.locator("#card")
            sync_api.expect(card).to_contain_text("羊绒围巾", timeout=5000)
            assert "Link 1" in card.inner_text() and "¥200.00" in card.inner_text()
            page.screenshot(path=str(tmp_path / "overlay.png"))
            sent = time.monotonic()
            assert httpx.post(f"{live.base_url}/next", headers=live.auth()).status_code == 200
            sync_api.expect(card).to_contain_text("真丝睡衣", timeout=1000)
            assert time.monotonic() - sent < 1.0
            assert "¥201.00" in card.inner_text()
            live.app.publish(live.onair.end())
            sync_api.expect(card).to_be_hidden(timeout=1000)
        finally:
            browser.close()
