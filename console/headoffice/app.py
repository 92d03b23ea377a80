"""The head-office ASGI application: health, enrollment, push, pull, snapshot and conflicts over HTTP/JSON.

Stateless apart from the in-process rate limiter: everything else lives in
the database, so several processes can serve one database behind a load
balancer. Every refusal is a 4xx with ``{"error": code, "message": sentence}``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from console import __version__
from console.headoffice import admin, dashboard, db, staff
from console.headoffice import sync as server_sync
from console.headoffice.errors import ApiError
from console.headoffice.guards import RateLimiter, protocol_version
from console.headoffice.security import token_hash
from console.i18n import LOCALE_DIR
from console.headoffice.sync import Caller
from console.sync.protocol import (
    DEFAULT_PAGE,
    MAX_BATCH,
    MAX_PAGE,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    ConflictsResponse,
    EnrollRequest,
    EnrollResponse,
    EnrollmentState,
    ErrorBody,
    PullResponse,
    PushRequest,
    PushResponse,
    Scope,
    SnapshotPage,
)

log = logging.getLogger("console.headoffice.requests")

ScopeQuery = Annotated[Scope, Query(description="store: the token's own store; catalog: head-office data")]
Cursor = Annotated[int, Query(ge=0, le=2**62)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE)]


@dataclass(frozen=True)
class Settings:
    database_url: str
    # Per console (and per client address for enrollment), per process: see RateLimiter.
    rate_per_second: float = 20.0
    rate_burst: int = 60
    max_body_bytes: int = 16 * 2**20
    token_lifetime: timedelta | None = None
    # The dashboard: its catalogs (a planted copy in the screenshot script) and how often the live
    # wall reads what the consoles pushed.
    locale_dir: Path = LOCALE_DIR
    wall_poll_seconds: float = 1.0


# --- middleware -------------------------------------------------------------

ASGIApp = Callable[[MutableMapping[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                   Awaitable[None]]


class _BodyTooLarge(Exception):
    pass


class ServiceMiddleware:
    """Caps request bodies, stamps the protocol header, and logs each request as one JSON line."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = scope.setdefault("state", {})
        status = 500
        response_started = False

        async def send_wrapper(message: MutableMapping[str, Any]) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (PROTOCOL_HEADER.lower().encode(),
                                                            str(PROTOCOL_VERSION).encode())]
            await send(message)

        received = 0

        async def receive_wrapper() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge
            return message

        try:
            length = dict(scope.get("headers", [])).get(b"content-length")
            if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
                raise _BodyTooLarge
            await self.app(scope, receive_wrapper, send_wrapper)
        except _BodyTooLarge:
            if response_started:
                raise
            limit = self.max_body_bytes // 2**20
            body = ErrorBody(error="body_too_large",
                             message=f"The request body exceeds {limit} MiB; send smaller batches.")
            await JSONResponse(body.model_dump(), status_code=413)(scope, receive, send_wrapper)
        finally:
            log.info("request", extra={
                "method": scope.get("method"), "path": scope.get("path"), "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "console_id": str(state["console_id"]) if "console_id" in state else None,
            })


# --- error answers ----------------------------------------------------------


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorBody(error=code, message=message).model_dump(), status_code=status, headers=headers)


def _where(loc: tuple[Any, ...]) -> str:
    if not loc:
        return "The request"
    kind, *path = loc
    if kind == "body":
        text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        return f"Body field {text}" if text else "The request body"
    return f"{str(kind).capitalize()} parameter {'.'.join(map(str, path))}"


def _validation_answer(exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    for err in errors:
        if err.get("type") == "json_invalid":
            return _error(400, "malformed_json", "The request body is not valid JSON.")
    for err in errors:
        if tuple(err.get("loc", ())) == ("body", "mutations") and err.get("type") == "too_long":
            count = err.get("ctx", {}).get("actual_length")
            has = f", this one has {count}" if count is not None else ""
            return _error(413, "batch_too_large",
                          f"A batch holds at most {MAX_BATCH} mutations{has}; split it into smaller batches.")
    first = errors[0] if errors else {}
    message = str(first.get("msg", "is invalid")).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return _error(422, "invalid_request", f"{_where(tuple(first.get('loc', ())))}: {message}{more}.")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if dashboard.is_dashboard(request):
            return dashboard.error_page(request, 400)
        return _validation_answer(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if dashboard.is_dashboard(request):
            return dashboard.error_page(request, exc.status_code)
        if exc.status_code == 404:
            return _error(404, "not_found", f"There is no {request.url.path} on this service.")
        if exc.status_code == 405:
            return _error(405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}.")
        return _error(exc.status_code, "http_error", str(exc.detail).rstrip(".") + ".")

    @app.exception_handler(DBAPIError)
    async def database_down(_request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated or "connect" in str(exc.orig).lower():
            log.warning("database unreachable", extra={"error": str(exc.orig)})
            return _error(503, "database_unavailable",
                          "The head-office database is unreachable; nothing was applied, try again shortly.")
        log.exception("database error")
        return _error(500, "internal_error", "The service failed; nothing was applied, try again.")

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        if dashboard.is_dashboard(request):
            return dashboard.error_page(request, 500)
        return _error(500, "internal_error", "The service failed; nothing was applied, try again.")


# --- dependencies -----------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, description="The console token from POST /v1/enroll")


def _sessions(request: Request) -> sessionmaker[Session]:
    return request.app.state.sessions  # type: ignore[no-any-return]


def _rate_limit(request: Request, key: str) -> None:
    wait = request.app.state.limiter.take(key)
    if wait:
        raise ApiError(429, "rate_limited", "Too many requests from this console; wait a moment and retry.",
                       headers={"Retry-After": str(max(1, round(wait)))})


async def console_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The bearer token, rate-limited per token before any database work (on the event loop)."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise ApiError(401, "token_missing", "Send the console token as 'Authorization: Bearer TOKEN'.")
    _rate_limit(request, f"console:{token_hash(credentials.credentials)}")
    return credentials.credentials


ConsoleToken = Annotated[str, Depends(console_token)]


@contextmanager
def as_console(request: Request, token: str) -> Iterator[tuple[Session, Caller]]:
    """One transaction for the whole request, authenticated first; commits on success.

    The endpoint calls this itself, in its one worker thread: a dependency
    holding a session would keep a pooled connection while the request waits
    for the next threadpool thread, and under load every connection ends up
    held by requests that wait for threads held by requests that wait for
    connections.
    """
    with _sessions(request).begin() as session:
        caller = server_sync.authenticate(session, token)
        request.state.console_id = caller.console_id
        yield session, caller


_REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (400, "Malformed JSON or a missing protocol header"), (401, "No token, or an unknown, revoked or expired one"),
        (403, "Another store's data"), (409, "A batch id reused with other mutations"),
        (413, "Too many mutations or too large a body"), (422, "Wrong types, unknown tables or fields"),
        (426, "The client's protocol is too old"), (429, "Too many requests from this console"),
    )
}


def _routes() -> APIRouter:
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(protocol_version)], responses=_REFUSALS)

    @v1.post("/enroll", response_model=EnrollResponse, tags=["consoles"])
    def enroll(request: Request, body: EnrollRequest) -> EnrollResponse:
        """Trade a one-time enrollment code for this console's token (shown once, stored only hashed)."""
        client = request.client.host if request.client else "unknown"
        _rate_limit(request, f"enroll:{client}")
        settings: Settings = request.app.state.settings
        with _sessions(request).begin() as session:
            return admin.enroll(session, body.code, body.console_name, token_lifetime=settings.token_lifetime)

    @v1.post("/enroll/complete", response_model=EnrollmentState, tags=["consoles"])
    def enroll_complete(request: Request, token: ConsoleToken) -> EnrollmentState:
        """The console's data follows its store now: its one-time code is spent (idempotent)."""
        with as_console(request, token) as (session, caller):
            admin.complete_enrollment(session, caller.console_id)
        return EnrollmentState(console_id=caller.console_id, complete=True)

    @v1.post("/enroll/release", response_model=EnrollmentState, tags=["consoles"])
    def enroll_release(request: Request, token: ConsoleToken) -> EnrollmentState:
        """The console could not take its store (its upload was refused): the code works again, the token not."""
        with as_console(request, token) as (session, caller):
            admin.release_enrollment(session, caller.console_id)
        return EnrollmentState(console_id=caller.console_id, complete=False)

    @v1.post("/push", response_model=PushResponse, tags=["sync"])
    def push(request: Request, token: ConsoleToken, body: PushRequest) -> Response:
        """Apply a batch of the console's outbox in one transaction; a retried batch_id gets the same answer."""
        with as_console(request, token) as (session, caller):
            answer = server_sync.push(session, caller, body)
        return Response(answer, media_type="application/json")

    @v1.get("/pull", response_model=PullResponse, tags=["sync"])
    def pull(request: Request, token: ConsoleToken, scope: ScopeQuery, since: Cursor = 0,
             limit: PageSize = DEFAULT_PAGE) -> PullResponse:
        """Rows changed after version ``since`` in the scope, in version order; acknowledges ``since``."""
        with as_console(request, token) as (session, caller):
            return server_sync.pull(session, caller, scope, since, limit)

    @v1.get("/snapshot", response_model=SnapshotPage, tags=["sync"])
    def snapshot(request: Request, token: ConsoleToken, scope: ScopeQuery,
                 watermark: Annotated[int | None, Query(ge=0, le=2**62)] = None, after: Cursor = 0,
                 limit: PageSize = DEFAULT_PAGE) -> SnapshotPage:
        """One page of the scope's live rows; the first page (no watermark) fixes the watermark."""
        with as_console(request, token) as (session, caller):
            return server_sync.snapshot(session, caller, scope, watermark, after, limit)

    @v1.get("/conflicts", response_model=ConflictsResponse, tags=["sync"])
    def conflicts(request: Request, token: ConsoleToken, since: Cursor = 0,
                  limit: PageSize = DEFAULT_PAGE) -> ConflictsResponse:
        """Conflicts recorded for the console's store after version ``since``, for review."""
        with as_console(request, token) as (session, caller):
            return server_sync.conflicts(session, caller, since, limit)

    return v1


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The service over ``settings.database_url`` (or ``engine``); it does not migrate (``serve`` does)."""
    engine = engine or db.make_engine(settings.database_url)
    app = FastAPI(title="Anchor Console head office", version=__version__, docs_url=None, redoc_url=None,
                  description="Enrollment and offline-first sync for store consoles; see docs/sync.md.")
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = db.session_factory(engine)
    app.state.limiter = RateLimiter(settings.rate_per_second, settings.rate_burst)
    _install_error_handlers(app)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """The process answers (says nothing about the database)."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], responses={503: {"model": ErrorBody}})
    def readyz() -> Any:
        """The database answers and carries this service's schema."""
        problem = db.readiness(engine)
        if problem:
            return _error(503, "not_ready", problem)
        return {"status": "ready", "schema": db.head_revision()}

    app.include_router(_routes())
    app.include_router(staff.router())
    dashboard.install(app, locale_dir=settings.locale_dir, poll_seconds=settings.wall_poll_seconds)
    app.add_middleware(ServiceMiddleware, max_body_bytes=settings.max_body_bytes)
    return app

