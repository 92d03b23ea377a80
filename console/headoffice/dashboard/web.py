"""The dashboard's web plumbing: the session cookie, CSRF tokens, the language, templates and refusals.

A signed-in browser holds the staff token of ``POST /v1/staff/sign-in``'s
kind (the same ``head_office_session`` row) in an HttpOnly, SameSite=Strict
cookie scoped to /dashboard. Each form carries a CSRF token derived from that
session token (an HMAC, so nothing extra is stored and it dies with the
session); the sign-in form, before any session, carries a random token that
must equal a cookie of its own (double submit). A form without the right
token is refused with a page saying so, never a 5xx.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from uuid import UUID

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console.headoffice.staff import OPERATIONS_READERS, Staff
from console.i18n import DEFAULT_LANGUAGE, ENGLISH, LANGUAGES, LOCALE_DIR, Catalog, CatalogError, Message, load_catalog
from console.i18n.formats import format_count, format_datetime, format_money, format_time, in_zone
from console.headoffice.dashboard.words import WORDS

BASE = "/dashboard"
SESSION_COOKIE = "ho_session"
SIGN_IN_COOKIE = "ho_sign_in"
LANGUAGE_COOKIE = "ho_lang"
CSRF_FIELD = "csrf"
_TEMPLATES = Path(__file__).with_name("templates")


class Refused(Exception):
    """A page the request may not have, or a request that cannot be answered: a page saying why."""

    def __init__(self, status: int, message: Message) -> None:
        super().__init__(str(message))
        self.status = status
        self.message = message


class SignInFirst(Exception):
    """No session, or one that ended: to the sign-in page, and back here afterwards."""

    def __init__(self, ended: bool = False) -> None:
        super().__init__("sign in first")
        self.ended = ended


@dataclass(frozen=True)
class Viewer:
    """The signed-in staff member a page is for, and the stores they may see (None: all)."""

    staff: Staff
    visible: frozenset[UUID] | None
    csrf: str

    @property
    def reports_only(self) -> bool:
        return self.staff.role not in OPERATIONS_READERS

    def may_see(self, store_id: UUID) -> bool:
        return self.visible is None or store_id in self.visible


def csrf_token(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"anchor-dashboard-csrf", hashlib.sha256).hexdigest()


def check_csrf(sent: object, expected: str | None) -> None:
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Refused(403, WORDS["dashboard.forged_form"])


def new_sign_in_token() -> str:
    return secrets.token_urlsafe(24)


def safe_next(target: str | None) -> str:
    """Only a path of the dashboard: never another site after signing in."""
    if not target:
        return f"{BASE}/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(BASE) or "\\" in target:
        return f"{BASE}/"
    return target


def sign_in_redirect(request: Request) -> RedirectResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{BASE}/sign-in?next={quote(here, safe='')}", status_code=303)


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int | None = None,
               http_only: bool = True) -> None:
    response.set_cookie(name, value, max_age=max_age, path=BASE, httponly=http_only, samesite="strict",
                        secure=request.url.scheme == "https")


# --- language and rendering ----------------------------------------------------------------


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


@cache
def _catalog(language: str, locale_dir: Path) -> Catalog:
    try:
        return load_catalog(language, locale_dir)
    except CatalogError:
        return ENGLISH


class Pages:
    """Renders the dashboard's templates in the request's language."""

    def __init__(self, locale_dir: Path = LOCALE_DIR, timezone: str = "Asia/Shanghai") -> None:
        self.locale_dir = locale_dir
        self.timezone = timezone
        self._env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES),
                                       autoescape=jinja2.select_autoescape(("html",)),
                                       undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    def catalog(self, request: Request) -> Catalog:
        return _catalog(language_of(request), self.locale_dir)

    def words(self, catalog: Catalog) -> Any:
        def t(message_id: str, **values: Any) -> str:
            message = WORDS[message_id]
            return catalog.render(replace(message, values={**message.values, **values}))
        return t

    def helpers(self, request: Request) -> dict[str, Any]:
        catalog = self.catalog(request)
        language = catalog.language if catalog is not ENGLISH else language_of(request)
        zone = self.timezone

        def when(moment: datetime | None) -> str:
            return format_datetime(in_zone(moment, zone), language) if moment else ""

        def clock(moment: datetime | None) -> str:
            return format_time(in_zone(moment, zone)) if moment else ""

        return {"t": self.words(catalog), "lang": language, "languages": LANGUAGES, "clock": clock,
                "money": lambda fen: format_money(int(fen or 0), language),
                "count": lambda n: format_count(int(n or 0), language), "when": when,
                "base": BASE, "path": request.url.path,
                "here": request.url.path + (f"?{request.url.query}" if request.url.query else "")}

    def text(self, request: Request, message: Message) -> str:
        return self.catalog(request).render(message)

    def render(self, request: Request, name: str, *, status: int = 200, viewer: Viewer | None = None,
               **context: Any) -> HTMLResponse:
        html = self._env.get_template(name).render(viewer=viewer, **self.helpers(request), **context)
        response = HTMLResponse(html, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "frame-ancestors 'none'; form-action 'self'")
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    def refused(self, request: Request, refusal: Refused, viewer: Viewer | None = None) -> HTMLResponse:
        return self.render(request, "refused.html", status=refusal.status, viewer=viewer,
                           reason=self.text(request, refusal.message))
