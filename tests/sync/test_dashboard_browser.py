"""The dashboard in a real browser (Debian's Chromium, headless, through Playwright): sign in, watch the live
wall follow a show a real console runs and pushes to the real service on loopback, open a report and export
it, be refused another store's page and a forged form, and be sent to sign-in without a session.

Skipped without /usr/bin/chromium, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from console.headoffice import admin
from console.headoffice import db as ho_db
from console.headoffice.app import Settings, create_app
from console.services.broadcasts import BroadcastService
from console.services.onair import OnAirService
from tests.headoffice.helpers import LiveService
from tests.sync.conftest import ConsoleFactory
from tests.sync.test_run_of_show_sync import COAT, HEADER, SCARF, actor, head_office_imports, plan_a_show, \
    products_by_sku

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"


def _browser_or_skip() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: CI installs Debian's chromium for the dashboard's browser tests")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[LiveService]:
    _browser_or_skip()
    url = f"sqlite:///{tmp_path / 'headoffice.sqlite3'}"
    engine = ho_db.make_engine(url)
    ho_db.migrate(engine)
    with ho_db.session_factory(engine).begin() as session:
        admin.add_store(session, "SH01", "上海旗舰店")
        admin.add_store(session, "BJ02", "北京王府井店")
        admin.add_user(session, "boss", "总部管理员", "admin", PASSWORD)
        admin.add_user(session, "east", "华东区经理", "catalog_manager", PASSWORD, stores=["SH01"])
    live = LiveService.start(create_app(Settings(database_url=url, rate_per_second=1000, rate_burst=1000),
                                        engine=engine), engine)
    try:
        yield live
    finally:
        live.stop()
        engine.dispose()


def in_thread(work: Callable[[], None], timeout: float = 180) -> None:
    """Playwright's sync API runs an event loop of its own: keep it off the test's thread."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test's thread
            failures.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=timeout)
    assert not worker.is_alive(), "the browser did not finish"
    if failures:
        raise failures[0]


def sign_in(page: Any, base_url: str, login: str) -> None:
    page.goto(f"{base_url}/dashboard/wall")
    assert "/dashboard/sign-in" in page.url
    page.fill("#login", login)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_load_state()


def test_sign_in_watch_a_show_on_the_wall_and_be_refused_what_is_not_yours(
        service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    head_office_imports(service, tmp_path, HEADER + COAT + SCARF)
    shop = make_console(service, "SH01")
    show = plan_a_show(shop, products_by_sku(shop))
    assert BroadcastService(shop.db, actor(shop)).mark_ready(show).ready
    assert shop.sync().clean
    onair = OnAirService(shop.db, actor(shop))
    onair.start(show, now=datetime.now(UTC) - timedelta(minutes=5))
    onair.record_metrics(viewers=150, orders=3, gmv_fen=389_700)
    assert shop.sync().clean

    on_the_wall, pushed, seen, ended = threading.Event(), threading.Event(), threading.Event(), threading.Event()
    timings: dict[str, float] = {}

    def browse() -> None:
        import playwright.sync_api as sync_api   # in the [test] extras

        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                sign_in(page, service.base_url, "boss")
                assert page.url.endswith("/dashboard/wall")
                card = page.locator("article.show[data-store='SH01']")
                sync_api.expect(card).to_contain_text("羊绒大衣", timeout=5000)
                sync_api.expect(card).to_contain_text("冬季大衣专场")
                sync_api.expect(card).to_contain_text("一号直播间")
                sync_api.expect(card.locator(".orders")).to_have_text("3")
                sync_api.expect(card.locator(".gmv")).to_have_text("¥3,897.00")
                sync_api.expect(page.locator("body")).to_have_attribute("data-stream", "open", timeout=5000)
                on_the_wall.set()
                assert pushed.wait(60), "the console did not push"
                # The next product and new figures, within 5 s of the push, without a reload.
                sync_api.expect(card).to_contain_text("真丝围巾", timeout=5000)
                sync_api.expect(card.locator(".orders")).to_have_text("9", timeout=5000)
                timings["seen"] = time.monotonic()
                sync_api.expect(card.locator(".gmv")).to_have_text("¥7,791.00")
                page.screenshot(path=str(tmp_path / "wall.png"))
                seen.set()

                # The show ends and syncs: it leaves the wall and joins the reports.
                assert ended.wait(60), "the console did not end the show"
                sync_api.expect(card).to_have_count(0, timeout=5000)
                page.click("#nav-reports")
                page.wait_for_load_state()
                page.select_option("#kind", "stores")
                page.fill("#from", "2031-03-01")
                page.fill("#to", "2031-03-05")
                page.click("#show-report")
                page.wait_for_load_state()
                table = page.locator("#report")
                sync_api.expect(table).to_contain_text("SH01")
                sync_api.expect(table).to_contain_text("¥7,791.00")
                # Drill down: the store's broadcasts.
                page.locator("#report a.drill").first.click()
                page.wait_for_load_state()
                sync_api.expect(page.locator("#report")).to_contain_text("冬季大衣专场")
                with page.expect_download() as download_info:
                    page.click("#export-csv")
                exported = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
                header, first = exported.splitlines()[:2]
                assert header.startswith("broadcast_id,title,room_code,room")
                assert "冬季大衣专场" in first and "7791.00" in first
                with page.expect_download() as download_info:
                    page.click("#export-xlsx")
                assert Path(download_info.value.path()).read_bytes()[:2] == b"PK"

                # A forged form (another site's page posting to ours) is refused, and changes nothing.
                page.evaluate("""() => { const f = document.createElement('form'); f.method = 'post';
                    f.action = '/dashboard/sign-out'; const i = document.createElement('input');
                    i.name = 'csrf'; i.value = 'forged'; f.appendChild(i); document.body.appendChild(f);
                    f.submit(); }""")
                page.wait_for_load_state()
                sync_api.expect(page.locator("#refusal")).to_be_visible()
                page.goto(f"{service.base_url}/dashboard/stores")
                sync_api.expect(page.locator("#stores")).to_contain_text("BJ02")

                # Signing out for real ends it.
                page.click("#sign-out")
                page.wait_for_load_state()
                assert "/dashboard/sign-in" in page.url
                page.goto(f"{service.base_url}/dashboard/stores")
                assert "/dashboard/sign-in" in page.url

                # A regional manager: its store's page opens, another store's is refused.
                manager = browser.new_page()
                sign_in(manager, service.base_url, "east")
                manager.goto(f"{service.base_url}/dashboard/stores/SH01")
                sync_api.expect(manager.locator("#store-name")).to_contain_text("上海旗舰店")
                answer = manager.goto(f"{service.base_url}/dashboard/stores/BJ02")
                assert answer is not None and answer.status == 403
                sync_api.expect(manager.locator("#refusal")).to_be_visible()
                assert "北京王府井店" not in manager.content()
                manager.goto(f"{service.base_url}/dashboard/wall")
                sync_api.expect(manager.locator("body")).to_have_attribute("data-stream", "open", timeout=5000)
                sync_api.expect(manager.locator("#empty")).to_be_visible()
                manager.goto(f"{service.base_url}/dashboard/reports?kind=stores&from=2031-03-01&to=2031-03-05")
                sync_api.expect(manager.locator("#report")).to_contain_text("SH01")
                assert "BJ02" not in manager.locator("#report").inner_text()

                # Without a session: to sign-in.
                stranger = browser.new_context().new_page()
                stranger.goto(f"{service.base_url}/dashboard/stores/SH01")
                assert "/dashboard/sign-in" in stranger.url
                sync_api.expect(stranger.locator("#sign-in-form")).to_be_visible()
            finally:
                browser.close()

    worker_failures: list[BaseException] = []

    def drive() -> None:
        try:
            in_thread(browse)
        except BaseException as exc:  # noqa: BLE001
            worker_failures.append(exc)
            on_the_wall.set()
            seen.set()

    driver = threading.Thread(target=drive)
    driver.start()
    assert on_the_wall.wait(120), "the wall never showed the show"
    if not worker_failures:
        onair.next()
        onair.record_metrics(viewers=220, orders=9, gmv_fen=779_100)
        assert shop.sync().clean
        timings["pushed"] = time.monotonic()
        pushed.set()
        if seen.wait(60):
            onair.end()
            assert shop.sync().clean
        ended.set()
    driver.join(200)
    if worker_failures:
        raise worker_failures[0]
    assert timings["seen"] - timings["pushed"] < 5.0
