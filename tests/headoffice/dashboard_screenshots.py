"""Screenshots of the dashboard in both languages, over a demo head office with shows put on air.

    python -m tests.headoffice.dashboard_screenshots --database-url sqlite:///headoffice-demo/headoffice.sqlite3 \
        --out docs/ [--translations pending.json]

The database is one ``./dev headoffice`` built (``anchor-headoffice demo``); a copy is used, never the file
itself. Three stores get a show on air (a run, its events and metrics written as the stores' synced rows),
then headless Chromium signs in and captures the live wall, a report and the stores page, in zh_CN and en.
``--translations`` plants a catalog with extra Chinese (a JSON object of message id to text) over the
shipped one, for strings the shipped catalog does not have yet.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select
from sqlalchemy.engine import make_url

from console.headoffice import admin, db
from console.headoffice.app import Settings, create_app
from console.headoffice.models import Store, SyncedRow
from console.headoffice.sync import write_rows
from console.i18n import LOCALE_DIR
from console.storage.ids import new_id
from tests.headoffice.helpers import LiveService

PASSWORD = "screenshot-password"


def planted_locale(extra: Path | None, into: Path) -> Path:
    shutil.copytree(LOCALE_DIR, into)
    if extra is None:
        return into
    po_path = into / "zh_CN" / "LC_MESSAGES" / "console.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    for ident, chinese in json.loads(extra.read_text(encoding="utf-8")).items():
        if not ident.startswith("dashboard."):
            continue
        from console.headoffice.dashboard.words import WORDS
        message = WORDS.get(ident)
        if message is None:
            continue
        if isinstance(chinese, dict):
            chinese = chinese.get("other") or chinese.get("one")
        if message.plural:
            catalog.add((message.template, message.plural), (chinese,), context=ident)
        else:
            catalog.add(message.template, chinese, context=ident)
    with (po_path.with_suffix(".mo")).open("wb") as handle:
        write_mo(handle, catalog)
    return into


def _wire(moment: datetime) -> str:
    return moment.isoformat()


def put_shows_on_air(sessions: Any, count: int = 3) -> None:
    """An open run, product events and figures for one broadcast with a queue in each of ``count`` stores."""
    now = datetime.now(UTC).replace(microsecond=0)
    with sessions.begin() as session:
        stores = session.scalars(select(Store).order_by(Store.code)).all()[:count]
        for index, store in enumerate(stores):
            items = [r.data for r in session.scalars(select(SyncedRow).where(
                SyncedRow.store_id == store.id, SyncedRow.table_name == "queue_item", SyncedRow.deleted.is_(False)))]
            by_show: dict[str, list[dict[str, Any]]] = {}
            for item in items:
                by_show.setdefault(item["broadcast_id"], []).append(item)
            show_id, queue = max(by_show.items(), key=lambda kv: (len(kv[1]), kv[0]))
            queue.sort(key=lambda item: item["position"])
            show = session.scalars(select(SyncedRow).where(SyncedRow.table_name == "broadcast",
                                                           SyncedRow.row_id == UUID(show_id))).one().data
            started = now - timedelta(minutes=25 + 10 * index)
            run_id = str(new_id())
            stamp = {"created_at": _wire(started), "updated_at": _wire(started), "row_version": 1,
                     "deleted_at": None, "store_id": str(store.id)}
            write_rows(session, "show_run", [{**stamp, "id": run_id, "broadcast_id": show_id,
                                              "room_id": show["room_id"], "rehearsal": False,
                                              "started_at": _wire(started), "ended_at": None,
                                              "started_by": None}], store_id=store.id)
            on_air = queue[min(index + 1, len(queue) - 1)]
            events = [{**stamp, "id": str(new_id()), "broadcast_id": show_id, "run_id": run_id,
                       "queue_item_id": None, "kind": "show_started", "at": _wire(started), "seq": 1,
                       "user_id": None, "payload": {}},
                      {**stamp, "id": str(new_id()), "broadcast_id": show_id, "run_id": run_id,
                       "queue_item_id": on_air["id"], "kind": "product_started",
                       "at": _wire(started + timedelta(minutes=1)), "seq": 2, "user_id": None, "payload": {}}]
            write_rows(session, "onair_event", events, store_id=store.id)
            metrics = [{**stamp, "id": str(new_id()), "broadcast_id": show_id, "run_id": run_id,
                        "at": _wire(started + timedelta(minutes=m)), "views": 900 * m, "viewers": 400 + 37 * m + 150 * index,
                        "likes": 80 * m, "orders": 6 * m + index, "gmv_fen": 389_00 * m * (index + 2)}
                       for m in (5, 10, 15, 20)]
            write_rows(session, "metric_snapshot", metrics, store_id=store.id)


def capture(base_url: str, out: Path) -> None:
    import playwright.sync_api as sync_api

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 860})
            page.goto(f"{base_url}/dashboard/sign-in")
            page.fill("#login", "shots")
            page.fill("#password", PASSWORD)
            page.click("#sign-in")
            page.wait_for_load_state()
            for lang in ("zh_CN", "en"):
                suffix = "" if lang == "zh_CN" else "-en"
                page.goto(f"{base_url}/dashboard/language?lang={lang}&next=/dashboard/wall")
                sync_api.expect(page.locator("body")).to_have_attribute("data-stream", "open", timeout=10000)
                page.wait_for_timeout(500)
                page.screenshot(path=str(out / f"screenshot-dashboard{suffix}.png"))
                page.goto(f"{base_url}/dashboard/reports?kind=stores")
                page.screenshot(path=str(out / f"screenshot-dashboard-reports{suffix}.png"))
                page.goto(f"{base_url}/dashboard/stores")
                page.screenshot(path=str(out / f"screenshot-dashboard-stores{suffix}.png"))
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--translations", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="anchor-dashboard-shots-") as scratch:
        source = Path(make_url(args.database_url).database or "")
        copy = Path(scratch) / "headoffice.sqlite3"
        shutil.copyfile(source, copy)
        url = f"sqlite:///{copy}"
        engine = db.make_engine(url)
        db.migrate(engine)
        sessions = db.session_factory(engine)
        with sessions.begin() as session:
            admin.add_user(session, "shots", "总部运营", "admin", PASSWORD)
        put_shows_on_air(sessions)
        locale = planted_locale(args.translations, Path(scratch) / "locale")
        live = LiveService.start(create_app(Settings(database_url=url, locale_dir=locale), engine=engine), engine)
        try:
            worker = threading.Thread(target=capture, args=(live.base_url, args.out))
            worker.start()
            worker.join(300)
        finally:
            live.stop()
            engine.dispose()


if __name__ == "__main__":
    main()
