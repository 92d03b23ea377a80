"""The dashboard's routes under /dashboard: sign-in and out, the live wall and its stream, stores, reports.

Every page but sign-in needs a session (else a redirect to sign-in); an
analyst gets the reports only; an account limited to some stores sees only
those, on every page, export and stream. Every POST checks its CSRF token.
Each page does its database work in one transaction in its worker thread
(sync endpoints), like the API's routes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from console.headoffice import admin, staff as staff_sessions
from console.headoffice.dashboard import reports as report_pages
from console.headoffice.dashboard.hub import WallHub
from console.headoffice.dashboard.web import (
    BASE,
    CSRF_FIELD,
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    Pages,
    Refused,
    SignInFirst,
    Viewer,
    check_csrf,
    csrf_token,
    new_sign_in_token,
    safe_next,
    set_cookie,
)
from console.headoffice.dashboard.words import WORDS
from console.headoffice.errors import ApiError
from console.headoffice.models import AppliedMutation, Console, HeadOfficeRole, Store, SyncConflict
from console.headoffice.wall import LiveShow
from console.i18n import LANGUAGES
from console.storage.types import utcnow

log = logging.getLogger(__name__)

PROBLEM_DAYS = 7
# How often an open wall stream checks that its session still stands (before sending a change).
_RECHECK = timedelta(seconds=30)
# The card the page's script fills in for a show that arrives by the stream.
TEMPLATE_SHOW = LiveShow(run_id=UUID(int=0), store_id=UUID(int=0), store_code="", store_name="",
                         broadcast_id=UUID(int=0), title="", room="", hosts=(), started_at=datetime(2026, 1, 1, tzinfo=UTC),
                         product=None, link_number=None, viewers=0, orders=0, gmv_fen=0, metrics_at=None)
_MAX_FORM_FIELD = 200


@dataclass(frozen=True)
class StoreRow:
    id: UUID
    code: str
    name: str
    consoles: tuple[admin.ConsoleInfo, ...]
    last_sync: datetime | None
    conflicts: int
    refused: int


@contextmanager
def _signed_in(request: Request) -> Iterator[tuple[Session, Viewer]]:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 200:
        raise SignInFirst()
    with request.app.state.sessions.begin() as session:
        try:
            staff = staff_sessions.authenticate(session, token)
        except ApiError:
            raise SignInFirst(ended=True) from None
        visible = staff_sessions.visible_store_ids(staff)
        yield session, Viewer(staff=staff, visible=visible, csrf=csrf_token(token))


def _not_analyst(viewer: Viewer) -> None:
    if viewer.reports_only:
        raise Refused(403, _role_message(viewer))


async def _form(request: Request) -> dict[str, str]:
    try:
        form = await request.form(max_files=0, max_fields=20)
    except Exception as exc:  # a body that is not a form: python-multipart's or Starlette's refusal
        raise Refused(400, _bad(f"{type(exc).__name__}")) from None
    return {key: value[:_MAX_FORM_FIELD] if isinstance(value, str) else "" for key, value in form.items()}


def _bad(reason: str) -> Any:
    return _message("dashboard.bad_request", reason=reason)


def _store_rows(session: Session, viewer: Viewer) -> list[StoreRow]:
    since = utcnow() - timedelta(days=PROBLEM_DAYS)
    conflicts = dict(session.execute(select(SyncConflict.store_id, func.count()).where(
        SyncConflict.recorded_at >= since).group_by(SyncConflict.store_id)).all())
    refused = dict(session.execute(select(Console.store_id, func.count()).join(
        AppliedMutation, AppliedMutation.console_id == Console.id).where(
        AppliedMutation.status == "rejected", AppliedMutation.applied_at >= since).group_by(Console.store_id)).all())
    rows = []
    for store in admin.list_stores(session):
        if not viewer.may_see(store.id):
            continue
        consoles = tuple(admin.list_consoles(session, store.code))
        seen = [c.last_seen_at for c in consoles if c.last_seen_at is not None]
        rows.append(StoreRow(id=store.id, code=store.code, name=store.name, consoles=consoles,
                             last_sync=max(seen) if seen else None, conflicts=conflicts.get(store.id, 0),
                             refused=refused.get(store.id, 0)))
    return rows


def router(pages: Pages, hub: WallHub, *, session_lifetime: timedelta = staff_sessions.SESSION_LIFETIME
           ) -> APIRouter:
    routes = APIRouter(prefix=BASE, include_in_schema=False)

    # -- signing in and out ---------------------------------------------------------------

    def sign_in_page(request: Request, *, status: int = 200, problem: Any = None, login: str = "",
                     notice: Any = None) -> HTMLResponse:
        token = request.cookies.get(SIGN_IN_COOKIE) or new_sign_in_token()
        response = pages.render(request, "sign_in.html", status=status, csrf=token, login=login,
                                next=safe_next(request.query_params.get("next")),
                                problem=pages.text(request, problem) if problem else None,
                                notice=pages.text(request, notice) if notice else None)
        set_cookie(response, request, SIGN_IN_COOKIE, token)
        return response

    @routes.get("/sign-in")
    def sign_in_form(request: Request) -> HTMLResponse:
        notice = None
        if request.query_params.get("ended"):
            notice = WORDS["dashboard.session_ended"]
        elif request.query_params.get("out"):
            notice = WORDS["dashboard.signed_out"]
        return sign_in_page(request, notice=notice)

    @routes.post("/sign-in")
    async def sign_in(request: Request) -> Response:
        form = await _form(request)
        check_csrf(form.get(CSRF_FIELD), request.cookies.get(SIGN_IN_COOKIE))
        login, password = form.get("login", "").strip(), form.get("password", "")
        if not login or not password:
            return sign_in_page(request, status=422, problem=WORDS["dashboard.sign_in_missing"], login=login)
        client = request.client.host if request.client else "unknown"
        if request.app.state.dashboard_sign_in_limiter.take(f"dashboard-sign-in:{client}"):
            return sign_in_page(request, status=429, problem=WORDS["dashboard.sign_in_rate_limited"], login=login)

        def check() -> str:
            with request.app.state.sessions.begin() as session:
                return staff_sessions.sign_in(session, login, password, session_lifetime).token

        try:
            token = await run_in_threadpool(check)
        except ApiError as exc:
            problem = WORDS["dashboard.account_disabled" if exc.code == "account_disabled"
                            else "dashboard.sign_in_failed"]
            return sign_in_page(request, status=401, problem=problem, login=login)
        response = RedirectResponse(safe_next(form.get("next")), status_code=303)
        set_cookie(response, request, SESSION_COOKIE, token, max_age=int(session_lifetime.total_seconds()))
        response.delete_cookie(SIGN_IN_COOKIE, path=BASE)
        return response

    @routes.post("/sign-out")
    async def sign_out(request: Request) -> Response:
        form = await _form(request)
        token = request.cookies.get(SESSION_COOKIE)
        check_csrf(form.get(CSRF_FIELD), csrf_token(token) if token else None)

        def end() -> None:
            with _signed_in(request) as (session, viewer):
                staff_sessions.sign_out(session, viewer.staff)

        try:
            await run_in_threadpool(end)
        except SignInFirst:
            pass
        response = RedirectResponse(f"{BASE}/sign-in?out=1", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=BASE)
        return response

    @routes.get("/language")
    def language(request: Request) -> Response:
        chosen = request.query_params.get("lang", "")
        response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        if chosen in LANGUAGES:
            set_cookie(response, request, LANGUAGE_COOKIE, chosen, max_age=365 * 86400)
        return response

    # -- pages ------------------------------------------------------------------------------

    @routes.get("")
    @routes.get("/")
    def home(request: Request) -> Response:
        with _signed_in(request) as (_session, viewer):
            target = "reports" if viewer.reports_only else "wall"
        return RedirectResponse(f"{BASE}/{target}", status_code=303)

    @routes.get("/wall")
    def wall(request: Request) -> HTMLResponse:
        with _signed_in(request) as (_session, viewer):
            _not_analyst(viewer)
        hub.feed.refresh()
        t = pages.words(pages.catalog(request))
        js_words = {
            "base": BASE, "zone": pages.timezone, "no_hosts": t("dashboard.no_hosts"),
            "no_product": t("dashboard.no_product"), "link": t("dashboard.link_number", number="{number}"),
            "since": t("dashboard.since", time="{time}"), "live": t("dashboard.wall_live"),
            "reconnecting": t("dashboard.wall_reconnecting"),
            "shows_one": t("dashboard.shows_on_air", count=1).replace("1", "{count}", 1),
            "shows_other": t("dashboard.shows_on_air", count=2).replace("2", "{count}", 1),
        }
        return pages.render(request, "wall.html", viewer=viewer, shows=hub.feed.shows(viewer.visible),
                            template_show=TEMPLATE_SHOW, js_words=js_words)

    @routes.get("/wall/events")
    async def wall_events(request: Request) -> Response:
        from sse_starlette.sse import EventSourceResponse

        def who() -> Viewer:
            with _signed_in(request) as (_session, viewer):
                return viewer

        try:
            viewer = await run_in_threadpool(who)
        except SignInFirst:
            return Response(pages.text(request, WORDS["dashboard.session_ended"]), status_code=401,
                            media_type="text/plain; charset=utf-8")
        if viewer.reports_only:
            return Response(pages.text(request, _role_message(viewer)), status_code=403,
                            media_type="text/plain; charset=utf-8")
        lifetime_end = viewer.staff.expires_at
        await run_in_threadpool(hub.feed.refresh)   # the first event is the wall as it stands now

        async def events() -> AsyncIterator[dict[str, str]]:
            sent: str | None = None
            checked = utcnow()
            async for _version in hub.changes():
                if utcnow() >= lifetime_end:
                    return
                if utcnow() - checked > _RECHECK:
                    # Signed out elsewhere, or the account disabled: nothing more goes to this stream.
                    try:
                        await run_in_threadpool(who)
                    except SignInFirst:
                        return
                    checked = utcnow()
                shows = [show.wire() for show in hub.feed.shows(viewer.visible)]
                body = json.dumps({"shows": shows, "sent_at": utcnow().isoformat()}, ensure_ascii=False)
                payload = json.dumps(shows, ensure_ascii=False)
                if payload != sent:
                    sent = payload
                    yield {"event": "wall", "data": body}

        return EventSourceResponse(events(), ping=15, headers={"Cache-Control": "no-store"})

    @routes.get("/stores")
    def stores(request: Request) -> HTMLResponse:
        with _signed_in(request) as (session, viewer):
            _not_analyst(viewer)
            rows = _store_rows(session, viewer)
        hub.feed.refresh()
        on_air: dict[UUID, int] = {}
        for show in hub.feed.shows(viewer.visible):
            on_air[show.store_id] = on_air.get(show.store_id, 0) + 1
        return pages.render(request, "stores.html", viewer=viewer, stores=rows, on_air=on_air,
                            problem_days=PROBLEM_DAYS)

    @routes.get("/stores/{code}")
    def store(request: Request, code: str) -> HTMLResponse:
        with _signed_in(request) as (session, viewer):
            _not_analyst(viewer)
            found = session.execute(select(Store).where(Store.code == code[:32])).scalar_one_or_none()
            if found is None:
                if viewer.visible is not None:    # nothing about stores it may not see, not even whether they exist
                    raise Refused(403, WORDS["dashboard.store_refused"])
                raise Refused(404, _message("dashboard.store_unknown", code=code[:32]))
            if not viewer.may_see(found.id):
                raise Refused(403, WORDS["dashboard.store_refused"])
            row = next(r for r in _store_rows(session, viewer) if r.id == found.id)
            recent = session.scalars(select(SyncConflict).where(SyncConflict.store_id == found.id)
                                     .order_by(SyncConflict.recorded_at.desc()).limit(20)).all()
            names = {c.id: c.name for c in row.consoles}
            conflicts = [(c.recorded_at, c.table_name, str(c.row_id), ", ".join(c.fields),
                          names.get(c.console_id, str(c.console_id))) for c in recent]
        hub.feed.refresh()
        shows = [s for s in hub.feed.shows(viewer.visible) if s.store_id == found.id]
        return pages.render(request, "store.html", viewer=viewer, store=row, shows=shows, conflicts=conflicts,
                            problem_days=PROBLEM_DAYS)

    @routes.get("/reports")
    def reports(request: Request) -> HTMLResponse:
        with _signed_in(request) as (session, viewer):
            return report_pages.page(request, session, viewer, pages)

    @routes.get("/reports/export")
    def export(request: Request) -> Response:
        with _signed_in(request) as (session, viewer):
            return report_pages.export(request, session, viewer, pages)

    return routes


def _message(message_id: str, **values: Any) -> Any:
    message = WORDS[message_id]
    return message.__class__(message.id, message.template, values, message.plural, message.count)


def _role_message(viewer: Viewer) -> Any:
    return _message("dashboard.role_refused", role=WORDS[f"dashboard.role_{viewer.staff.role.value}"])
