"""UI fixtures: one qasync loop for the session, a demo store, and a console on it."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from qasync import QEventLoop

from console.demo import DemoReport, DemoUser, build_demo
from console.domain.enums import AuditVia
from console.storage.db import open_database
from ui import collector
from ui.app import Console, make_application
from ui.i18n import Translations
from ui.loop import ConsoleLoop
from ui import settings as S
from ui.settings import Settings

T = TypeVar("T")


@pytest.fixture(scope="session")
def qloop(qapp: Any) -> Iterator[QEventLoop]:
    """asyncio inside Qt's loop, as the console runs; ``qloop.run_until_complete(coro)``."""
    loop = ConsoleLoop(qapp)
    asyncio.set_event_loop(loop)
    # As in the console: cycles are collected on this thread only, also between one test's console
    # and the next one's (a closed window collected on a worker thread upsets Qt).
    collector.install(qapp)
    yield loop
    collector.uninstall()


@pytest.fixture(autouse=True)
def _qloop_is_current(request: pytest.FixtureRequest) -> None:
    """The session's loop is the current one again for each test that uses it: a test elsewhere that
    ran ``asyncio.run`` in between (the sync tests do) leaves no current loop behind."""
    if "qloop" in request.fixturenames:
        asyncio.set_event_loop(request.getfixturevalue("qloop"))


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    """A small demo store built once; tests copy it so each may write freely."""
    return build_demo(tmp_path_factory.mktemp("demo-template") / "store", scale="small")


@pytest.fixture(scope="session")
def demo_template(demo_report: DemoReport) -> Path:
    return demo_report.data_dir


@pytest.fixture(scope="session")
def demo_users(demo_report: DemoReport) -> tuple[DemoUser, ...]:
    return tuple(demo_report.users)


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture
def console(qapp: Any, qloop: QEventLoop, demo_dir: Path) -> Iterator[Console]:
    """A running console on a copy of the demo store, English, light theme."""
    app = make_application()
    db = open_database(demo_dir)
    translations = Translations(app)
    translations.install("en")
    c = Console(app, db, Settings.for_data_dir(demo_dir), translations, theme="light")
    # The demo has a show on air: no test serves the overlay on the console's port but those that
    # ask for it (on a free port), so tests never contend for 8765 or start servers they do not read.
    c.settings.set(S.OVERLAY_PORT, 0)
    yield c
    if c.window is not None:
        drop_unsaved(c.window)
        c.window.close()
    if c.dialog is not None:
        c.dialog.close()
    # As the console quits: what is still running ends before the worker and the store close.
    qloop.run_until_complete(c.cancel_tasks())
    c.close()
    translations.install("en")


def drop_unsaved(window: Any) -> None:
    """Text a test typed and left goes, so the window closes at once (closing would ask about it first;
    the tests of that question answer it themselves)."""
    if window.pages.is_built("scripts"):
        page = window.pages["scripts"]
        if page.detail is not None and page.unsaved:
            page.editor.set_text(page.detail.latest.body)


def run(loop: QEventLoop, awaitable: Awaitable[T]) -> T:
    return loop.run_until_complete(awaitable)


def in_loop(loop: QEventLoop, action: Callable[[], Any]) -> None:
    """Do a user action (key, click) while the asyncio loop runs, as it does in the app,
    so the async slots it triggers can schedule their tasks."""

    async def act() -> None:
        action()

    loop.run_until_complete(act())


def wait_until(loop: QEventLoop, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Spin the real event loop until ``condition`` holds (slots run as tasks on it)."""

    async def poll() -> None:
        deadline = loop.time() + timeout
        while not condition():
            if loop.time() > deadline:
                raise AssertionError("condition not met in time")
            await asyncio.sleep(0.01)

    loop.run_until_complete(poll())


def window_for(console: Console, loop: QEventLoop, login: str | None):  # type: ignore[no-untyped-def]
    """The main window signed in as ``login`` (None: the store manager)."""
    store = run(loop, console.worker.run(console.auth.local_store))
    actor = run(loop, console.worker.run(console.auth.actor_for_login, login, via=AuditVia.GUI))
    return console.open_main_window(store, actor)


def manager_window(console: Console, loop: QEventLoop):  # type: ignore[no-untyped-def]
    return window_for(console, loop, None)


def activate(window: Any) -> None:
    """Make a shown window the active one, so window shortcuts reach it (off-screen too)."""
    from PySide6.QtWidgets import QApplication

    window.show()
    window.windowHandle().requestActivate()
    for _ in range(50):
        QApplication.processEvents()
        if window.isActiveWindow():
            return
    raise AssertionError("window did not become active")
