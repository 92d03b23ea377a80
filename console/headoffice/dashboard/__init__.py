"""The head-office web dashboard at /dashboard: server-rendered pages for staff, the live wall over SSE.

``install`` adds its routes and error pages to the service's app; see docs/dashboard.md.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response

from console.headoffice.dashboard.hub import WallHub
from console.headoffice.dashboard.pages import router
from console.headoffice.dashboard.web import BASE, Pages, Refused, SignInFirst, sign_in_redirect
from console.headoffice.dashboard.words import WORDS
from console.headoffice.guards import RateLimiter
from console.headoffice.staff import SIGN_IN_PER_MINUTE
from console.headoffice.wall import WallFeed
from console.i18n import LOCALE_DIR


def install(app: FastAPI, *, locale_dir: Path = LOCALE_DIR, poll_seconds: float = 1.0) -> None:
    pages = Pages(locale_dir)
    hub = WallHub(WallFeed(app.state.sessions), interval=poll_seconds)
    app.state.dashboard_pages = pages
    app.state.wall_hub = hub
    app.state.dashboard_sign_in_limiter = RateLimiter(SIGN_IN_PER_MINUTE / 60, SIGN_IN_PER_MINUTE)
    app.include_router(router(pages, hub))

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        return pages.refused(request, exc)

    @app.exception_handler(SignInFirst)
    async def sign_in_first(request: Request, exc: SignInFirst) -> Response:
        return sign_in_redirect(request)


def is_dashboard(request: Request) -> bool:
    return request.url.path == BASE or request.url.path.startswith(BASE + "/")


def error_page(request: Request, status: int) -> Response:
    """A 404, 405 or validation failure on a dashboard path, as a page rather than JSON."""
    pages: Pages = request.app.state.dashboard_pages
    key = "dashboard.not_found" if status in (404, 405) else "dashboard.server_error"
    return pages.refused(request, Refused(status, WORDS[key]))
