"""The overlay's web app: the page OBS shows, the show as JSON, its live feed, and the remote-control POSTs.

Built on the callables the console hands it, so the same app serves the GUI
(which acts through its ShowControl, in order with its own keys) and the
tests (which act on the on-air service directly):

* ``state()``: the show as it stands now (a ShowNow, or None: nothing on air);
* ``perform(action, *args)``: one on-air action, answering the show after it
  or raising the DomainError that refused it;
* :meth:`OverlayApp.publish`: called with every new state (from any thread),
  pushed at once to every page listening on ``/events``.

Only loopback may ask anything (403 otherwise); a POST also needs the data
folder's token (401 without it or with a wrong one).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from console.domain.errors import DomainError, NotFound, ValidationError
from console.domain.onair import ShowNow, state_fields
from console.i18n import Message, active, msg, text
from console.i18n.formats import format_money
from console.overlay.page import page_html

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
# The actions a button may send, by path; jump takes the link number.
ACTIONS = ("next", "previous", "sold_out", "pause", "resume")
KEEPALIVE_SECONDS = 15.0
_HEX = re.compile(r"[0-9a-fA-F]{6}([0-9a-fA-F]{2})?")
_FONT = re.compile(r"[\w \-]{1,64}")


@dataclass(frozen=True, slots=True)
class Look:
    """How the transparent page looks, from its query: type size in px and colours as CSS hex."""

    size: int = 48
    color: str = "ffffff"
    bg: str = "00000000"
    accent: str = "ffcc00"
    font: str = ""


class BadLook(ValueError):
    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


def parse_look(query: dict[str, str]) -> Look:
    """The page's look from its query parameters; BadLook names the first one that is not valid."""
    values: dict[str, Any] = {}
    for name in ("color", "bg", "accent"):
        if name in query:
            if not _HEX.fullmatch(query[name]):
                raise BadLook(msg("overlay.bad_colour", "{name} must be 6 or 8 hex digits (RRGGBB or RRGGBBAA), "
                                  "not {value}.", name=name, value=query[name]))
            values[name] = query[name].lower()
    if "size" in query:
        try:
            size = int(query["size"])
        except ValueError:
            raise BadLook(msg("overlay.bad_size", "size must be a whole number of pixels from 8 to 400, "
                                  "not {value}.", value=query["size"])) from None
        if not 8 <= size <= 400:
            raise BadLook(msg("overlay.bad_size", "size must be a whole number of pixels from 8 to 400, "
                              "not {value}.", value=query["size"]))
        values["size"] = size
    if "font" in query:
        if not _FONT.fullmatch(query["font"]):
            raise BadLook(msg("overlay.bad_font", "font must be a font family name (letters, digits, spaces "
                              "and hyphens)."))
        values["font"] = query["font"]
    unknown = sorted(set(query) - {"size", "color", "bg", "accent", "font"})
    if unknown:
        raise BadLook(msg("overlay.unknown_parameter", "The overlay has no parameter {name}; it takes size, "
                          "color, bg, accent and font.", name=unknown[0]))
    return Look(**values)


def feed(show: ShowNow | None) -> dict[str, Any]:
    """What the page shows: the plain state, with its link and price as words in the console's language."""
    fields = state_fields(show)
    link, price = fields["current_link_number"], fields["live_price_fen"]
    fields["display"] = {
        "product": fields["current_product"] or "",
        "link": text(msg("overlay.link", "Link {link}", link=str(link))) if link is not None else "",
        "price": format_money(price, active().language) if price is not None else "",
    }
    return fields


class OverlayApp:
    """The ASGI app (``.asgi``) and its live feed."""

    def __init__(self, state: Callable[[], ShowNow | None], perform: Callable[..., ShowNow], *,
                 token: str) -> None:
        self._state = state
        self._perform = perform
        self._token = token
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[str | None]]] = set()
        self._lock = threading.Lock()
        routes = [
            Route("/overlay", self._page, methods=["GET"]),
            Route("/state", self._show_state, methods=["GET"]),
            Route("/events", self._events, methods=["GET"]),
            Route("/jump/{link}", self._jump, methods=["POST"]),
            Route("/jump", self._jump, methods=["POST"]),
            *(Route(f"/{name}", self._action(name), methods=["POST"]) for name in ACTIONS),
        ]
        self.asgi: ASGIApp = _LoopbackOnly(Starlette(routes=routes))

    # --- the feed --------------------------------------------------------------------
    def publish(self, show: ShowNow | None) -> None:
        """Push the show to every page listening (safe from any thread)."""
        event = _event(feed(show))
        with self._lock:
            listeners = list(self._listeners)
        for loop, queue in listeners:
            loop.call_soon_threadsafe(queue.put_nowait, event)

    def close(self) -> None:
        """End every feed, so the server can stop without waiting on them."""
        with self._lock:
            listeners = list(self._listeners)
        for loop, queue in listeners:
            if not loop.is_closed():
                loop.call_soon_threadsafe(queue.put_nowait, None)

    @property
    def listeners(self) -> int:
        with self._lock:
            return len(self._listeners)

    async def _events(self, request: Request) -> Response:
        queue: asyncio.Queue[str | None] = asyncio.Queue()
        entry = (asyncio.get_running_loop(), queue)
        first = _event(feed(self._state()))
        with self._lock:
            self._listeners.add(entry)

        async def stream() -> AsyncIterator[str]:
            try:
                yield first
                while True:
                    try:
                        event = await asyncio.wait_for(queue.get(), KEEPALIVE_SECONDS)
                    except TimeoutError:
                        yield ": keepalive\n\n"
                        continue
                    if event is None:
                        return
                    yield event
            finally:
                with self._lock:
                    self._listeners.discard(entry)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    # --- reading ---------------------------------------------------------------------
    async def _page(self, request: Request) -> Response:
        try:
            look = parse_look(dict(request.query_params))
        except BadLook as exc:
            return _refusal(exc.message.id, text(exc.message), 400)
        return HTMLResponse(page_html(look, active().language), headers={"Cache-Control": "no-store"})

    async def _show_state(self, request: Request) -> Response:
        return JSONResponse(state_fields(self._state()), headers={"Cache-Control": "no-store"})

    # --- acting ----------------------------------------------------------------------
    def _action(self, name: str) -> Callable[[Request], Any]:
        async def act(request: Request) -> Response:
            return await self._do(request, name)

        return act

    async def _jump(self, request: Request) -> Response:
        raw: Any = request.path_params.get("link")
        if raw is None:
            try:
                body = await request.json()
                raw = body.get("link_number") if isinstance(body, dict) else None
            except (json.JSONDecodeError, UnicodeDecodeError):
                raw = None
            raw = request.query_params.get("link", raw)
        try:
            link = int(raw)
        except (TypeError, ValueError):
            refused = msg("overlay.bad_link", "Which link? Send a whole number, as /jump/3.")
            return _refusal(refused.id, text(refused), 422) if self._allowed(request) else _unauthorized()
        return await self._do(request, "jump", link)

    async def _do(self, request: Request, name: str, *args: Any) -> Response:
        if not self._allowed(request):
            return _unauthorized()
        try:
            show = await asyncio.to_thread(self._perform, name, *args)
        except DomainError as exc:
            status = 422 if isinstance(exc, (NotFound, ValidationError)) else 409
            return _refusal(exc.message.id, text(exc), status)
        return JSONResponse(state_fields(show))

    def _allowed(self, request: Request) -> bool:
        given = request.headers.get("x-anchor-token", "")
        bearer = request.headers.get("authorization", "")
        if not given and bearer[:7].lower() == "bearer ":
            given = bearer[7:].strip()
        return bool(given) and hmac.compare_digest(given.encode(), self._token.encode())


def _event(fields: dict[str, Any]) -> str:
    return f"data: {json.dumps(fields, ensure_ascii=False)}\n\n"


def _refusal(error: str, message: str, status: int) -> Response:
    return JSONResponse({"error": error, "message": message}, status_code=status)


def _unauthorized() -> Response:
    refused = msg("overlay.token_needed", "This needs the console's overlay token (the file overlay-token in "
                                          "its data folder), as Authorization: Bearer TOKEN or X-Anchor-Token.")
    return JSONResponse({"error": refused.id, "message": text(refused)}, status_code=401,
                        headers={"WWW-Authenticate": "Bearer"})


class _LoopbackOnly:
    """Refuse (403) every request that does not come from this computer."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            client = scope.get("client")
            if client is None or client[0] not in LOOPBACK:
                refused = msg("overlay.loopback_only", "The overlay answers this computer only.")
                response = JSONResponse({"error": refused.id, "message": text(refused)}, status_code=403)
                await response(scope, receive, send)
                return
        await self._app(scope, receive, send)
