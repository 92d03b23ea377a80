"""The console's sync client: enrollment, push before pull, backoff, and the background loop.

Pure asyncio and httpx, no Qt: the GUI runs it on the qasync loop, the CLI
under ``asyncio.run``. Database work goes through one ordered worker (the
GUI's own, or a private one), never on the loop. The protocol is
``docs/sync.md``; the local half of each step, with its one-transaction
guarantees, is :mod:`console.sync.local`.

Nothing here compares clocks across machines: what to send comes from the
outbox, what to apply from server versions, and conflicts are the server's
verdicts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import platform
import random
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeVar
from uuid import UUID

import httpx
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.exc import SQLAlchemyError

from console import __version__
from console.i18n import Message, msg, msg_n
from console.services.worker import DbWorker
from console.storage.db import Database, backup_copy
from console.sync import local
from console.sync.local import SyncProblem
from console.domain.enrollment import MODE_CLEAN, MODE_UPLOAD
from console.domain.progress import APPLY, LOAD_CATALOG, LOAD_STORE, UPLOAD, ProgressMeter, ProgressSink
from console.sync.protocol import (
    DEFAULT_PAGE,
    MAX_BATCH,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    ConflictsResponse,
    EnrollResponse,
    PullResponse,
    PushResponse,
    Scope,
    SnapshotPage,
)
from console.sync.protocol import SyncedRow as WireRow
from console.sync.tokens import TokenStore

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

LOCK_FILENAME = ".sync.lock"
# Pull the catalog before the store: store rows point at products and stores, never the reverse.
PULL_ORDER = (Scope.CATALOG, Scope.STORE)


@dataclass(frozen=True)
class SyncReport:
    pushed: int = 0            # outbox entries head office answered
    pulled: int = 0            # rows written from head office
    conflicts: int = 0         # of this run's mutations, refused in favour of another console's edit
    rejected: int = 0          # of this run's mutations, refused outright (head-office data ...)
    pending_after: int = 0     # outbox entries still waiting
    errors: tuple[Message, ...] = ()   # what went wrong, to show in the reader's language (text())

    @property
    def clean(self) -> bool:
        """Everything pending went up and everything new came down."""
        return not self.errors and self.pending_after == 0


@dataclass(frozen=True)
class EnrollResult:
    console_id: UUID
    store_id: UUID
    store_code: str
    store_name: str
    token_kept_in: str          # "keyring" or "file"
    report: SyncReport


class Backoff:
    """Delays between failed attempts: doubling from ``base`` up to ``cap``, with jitter.

    ``failure()`` always returns a delay, so a failed sync always schedules the
    next one (the queue never waits for the next edit to wake up);
    ``success()`` starts over. Jitter takes up to ``jitter`` of the delay off,
    so consoles that lost the network together do not return together.
    """

    def __init__(self, base: float = 5.0, cap: float = 600.0, factor: float = 2.0, jitter: float = 0.5,
                 rng: Callable[[], float] = random.random) -> None:
        if not (0 < base <= cap and factor >= 1 and 0 <= jitter < 1):
            raise ValueError("backoff needs 0 < base <= cap, factor >= 1 and 0 <= jitter < 1")
        self.base, self.cap, self.factor, self.jitter = base, cap, factor, jitter
        self._rng = rng
        self.failures = 0

    def failure(self) -> float:
        self.failures += 1
        delay = min(self.cap, self.base * self.factor ** (self.failures - 1))
        return delay * (1 - self.jitter * self._rng())

    def success(self) -> None:
        self.failures = 0


# --- the process lock -------------------------------------------------------------


@contextlib.contextmanager
def folder_lock(data_dir: Path) -> Iterator[bool]:
    """Yields whether this process holds the data folder's sync lock (never waits)."""
    path = Path(data_dir) / LOCK_FILENAME
    handle: IO[bytes] = open(path, "a+b")  # noqa: SIM115 - held for the block
    locked = False
    try:
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            locked = True
        except OSError:
            locked = False
        yield locked
    finally:
        if locked:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()


# --- HTTP ---------------------------------------------------------------------------


def normalize_server_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise SyncProblem(msg("sync.bad_address", "The head-office address '{url}' must start with http:// or "
                              "https://.", url=url), retry=False)
    return url


def _server_words(response: httpx.Response) -> tuple[str, str]:
    """The ErrorBody's code and sentence, if head office (and not some proxy) answered."""
    try:
        body = response.json()
        return str(body.get("error", "")), str(body.get("message", "")).strip()
    except (ValueError, AttributeError):
        return "", ""


def _retry_after_seconds(response: httpx.Response) -> int | None:
    value = response.headers.get("Retry-After", "").strip()
    return int(value) if value.isdigit() else None


_TOO_LARGE = msg("sync.payload_too_large", "Head office refused the changes as too large to take; nothing was "
                 "applied. Tell head office.")

# Head office's error codes (ErrorBody.error, see console/headoffice) a console can meet, in the
# reader's words: (message, retry, reenroll). A code not listed here is shown with head office's
# own sentence (sync.server_said).
_REFUSALS: dict[str, tuple[Message, bool, bool]] = {
    "token_unknown": (msg("sync.token_unknown", "Head office does not know this console's token; enroll it "
                          "again with a new code."), False, True),
    "token_revoked": (msg("sync.token_revoked", "Head office revoked this console's token; enroll it again "
                          "with a new code."), False, True),
    "token_expired": (msg("sync.token_expired", "This console's head-office token has expired; enroll it "
                          "again with a new code."), False, True),
    "token_missing": (msg("sync.token_missing", "Head office received no token from this console; enroll it "
                          "again with a new code."), False, True),
    "code_expired": (msg("sync.code_expired", "This enrollment code has expired; ask head office for a new "
                         "one."), False, False),
    "code_invalid": (msg("sync.code_invalid", "This enrollment code is unknown or was already used; ask head "
                         "office for a new one."), False, False),
    "code_in_use": (msg("sync.code_in_use", "Another console is enrolling with this code right now; ask head "
                        "office for a new one."), False, False),
    "enrollment_complete": (msg("sync.enrollment_complete", "Head office already counts this console's "
                                "enrollment as complete."), False, False),
    "store_mismatch": (msg("sync.store_mismatch", "Head office refused changes that belong to another store "
                           "than the one this console is enrolled for; nothing was applied. Tell head "
                           "office."), False, False),
    "upgrade_required": (msg("sync.console_too_old", "This console is too old for head office; upgrade Anchor "
                             "Console."), False, False),
    "protocol_unsupported": (msg("sync.service_too_old", "Head office runs an older service than this "
                                 "console; ask head office to upgrade it."), False, False),
    "protocol_missing": (msg("sync.protocol_lost", "Head office did not receive this console's protocol "
                             "version; a proxy on the way may be removing it. Tell head office."), False, False),
    "batch_too_large": (_TOO_LARGE, False, False),
    "body_too_large": (_TOO_LARGE, False, False),
    "batch_id_reused": (msg("sync.batch_reused", "Head office already answered this batch of changes "
                            "differently; nothing was applied. Tell head office."), False, False),
    "database_unavailable": (msg("sync.server_database_down", "Head office's database cannot be reached "
                                 "just now; nothing is lost, the console tries again later."), True, False),
}


def problem_from_response(response: httpx.Response) -> SyncProblem:
    """An HTTP refusal in words for the Sync screen, and whether retrying can help."""
    status = response.status_code
    code, detail = _server_words(response)
    facts: dict[str, Any] = {"status": status, "code": code, "detail": detail}
    if code in _REFUSALS:
        message, retry, reenroll = _REFUSALS[code]
        return SyncProblem(message, retry=retry, reenroll=reenroll, **facts)
    if status == 429:
        seconds = _retry_after_seconds(response)
        if not seconds:
            return SyncProblem(msg("sync.rate_limited_soon", "Head office asked this console to slow down; it "
                                   "tries again shortly."), **facts)
        return SyncProblem(msg_n("sync.rate_limited",
                                 "Head office asked this console to slow down; it tries again in {count} second.",
                                 "Head office asked this console to slow down; it tries again in {count} seconds.",
                                 count=seconds), **facts)
    if status >= 500:
        if detail and code != "internal_error":
            return SyncProblem(msg("sync.server_failed_said", "Head office had a problem (HTTP {status}): "
                                   "{reason}; nothing is lost, the console tries again later.",
                                   status=str(status), reason=detail.rstrip(".")), **facts)
        return SyncProblem(msg("sync.server_failed", "Head office had a problem (HTTP {status}); nothing is "
                               "lost, the console tries again later.", status=str(status)), **facts)
    if status == 401:
        return SyncProblem(msg("sync.token_refused", "Head office refused this console's token; enroll it "
                               "again with a new code."), retry=False, reenroll=True, **facts)
    if status == 426:
        return SyncProblem(_REFUSALS["upgrade_required"][0], retry=False, **facts)
    reason = detail or f"HTTP {status} {response.reason_phrase}".strip() + "."
    return SyncProblem(msg("sync.server_said", "Head office refused the request: {reason}", reason=reason),
                       retry=False, **facts)


MAX_RATE_LIMIT_WAITS = 8
MAX_RETRY_AFTER = 10.0


def _retry_after(response: httpx.Response) -> float:
    """Seconds to wait as the server asks, within reason (it may send a date or nothing)."""
    try:
        seconds = float(response.headers.get("Retry-After", "1"))
    except ValueError:
        seconds = 1.0
    return min(max(seconds, 0.05), MAX_RETRY_AFTER)


class _Http:
    """One sync's connection to head office."""

    def __init__(self, server_url: str, token: str | None, transport: httpx.AsyncBaseTransport | None,
                 timeout: float) -> None:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "User-Agent": f"anchor-console/{__version__}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.server_url = server_url
        self.client = httpx.AsyncClient(base_url=server_url, headers=headers, transport=transport,
                                        timeout=timeout)

    async def __aenter__(self) -> _Http:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def call(self, method: str, path: str, *, head_office_only: bool = False,
                   **kwargs: Any) -> httpx.Response:
        # Head office paces each console (HTTP 429 with Retry-After). Waiting and
        # asking again keeps a long initial load going instead of starting it over
        # at the next sync; every request here is safe to repeat (pushes carry
        # their batch id, a refused enrollment code was not spent).
        for _ in range(MAX_RATE_LIMIT_WAITS):
            response = await self._send(method, path, **kwargs)
            if response.status_code != 429:
                break
            await asyncio.sleep(_retry_after(response))
        else:
            response = await self._send(method, path, **kwargs)
        if head_office_only and PROTOCOL_HEADER.lower() not in {k.lower() for k in response.headers}:
            # Some other web server (a wrong port, a company portal): its 404 page is no refusal of ours.
            raise SyncProblem(msg("sync.not_head_office", "The server at {server} answered (HTTP {status}), but it "
                                  "is not an Anchor Console head office; check the address.",
                                  server=self.server_url, status=str(response.status_code)),
                              retry=False, status=response.status_code)
        if response.status_code >= 400:
            raise problem_from_response(response)
        return response

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self.client.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise SyncProblem(msg("sync.timeout", "Head office at {server} did not answer in time; changes "
                                  "wait here and the console tries again.", server=self.server_url)) from None
        except httpx.TransportError as exc:
            reason = str(exc) or type(exc).__name__
            raise SyncProblem(msg("sync.unreachable", "Head office at {server} cannot be reached ({reason}); "
                                  "changes wait here until the network is back.",
                                  server=self.server_url, reason=reason)) from None

    async def parsed(self, model: type[Any], method: str, path: str, *, head_office_only: bool = False,
                     **kwargs: Any) -> Any:
        response = await self.call(method, path, head_office_only=head_office_only, **kwargs)
        try:
            return model.model_validate_json(response.content)
        except PydanticValidationError:
            raise SyncProblem(msg("sync.answer_not_understood", "Head office answered {path} in a form this "
                                  "console does not understand; check that both run matching versions.",
                                  path=path), retry=False) from None


# --- the client -----------------------------------------------------------------------


class SyncClient:
    """Syncs one console's database with head office; one sync at a time per console."""

    def __init__(self, db: Database, server_url: str | None, token_store: TokenStore,
                 transport: httpx.AsyncBaseTransport | None = None, *, worker: DbWorker | None = None,
                 page_size: int = DEFAULT_PAGE, batch_size: int = MAX_BATCH, timeout: float = 30.0) -> None:
        self.db = db
        self._server_url = normalize_server_url(server_url) if server_url else None
        self.tokens = token_store
        self._transport = transport
        self._own_worker = worker is None
        self._worker = worker or DbWorker()
        self._lock = asyncio.Lock()
        self.page_size = page_size
        self.batch_size = batch_size
        self.timeout = timeout
        # Tests: called inside a page's transaction after its rows, before its cursor.
        self.fail_inside_apply: Callable[[], None] | None = None
        # Told how far a long step (a snapshot, an upload) has come; called on the loop, never the worker.
        self.on_progress: ProgressSink | None = None

    @property
    def running(self) -> bool:
        return self._lock.locked()

    def close(self) -> None:
        if self._own_worker:
            self._worker.shutdown()

    async def _db(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        return await self._worker.run(fn, *args, **kwargs)

    def _http(self, server_url: str, token: str | None) -> _Http:
        return _Http(server_url, token, self._transport, self.timeout)

    # --- one sync -----------------------------------------------------------------
    async def sync_once(self) -> SyncReport:
        """Push the whole outbox, then pull both scopes; problems come back in the report, in words."""
        async with self._lock:
            with folder_lock(self.db.path.parent) as mine:
                if not mine:
                    return await self._failed(SyncProblem(msg(
                        "sync.folder_busy", "Another Anchor Console program is syncing this data folder; this "
                        "one tries again later.")))
                counts = {"pushed": 0, "pulled": 0, "conflicts": 0, "rejected": 0}
                try:
                    await self._sync(counts)
                except SyncProblem as exc:
                    return await self._failed(exc, **counts)
                await self._db(local.record_success, self.db)
                return SyncReport(**counts, pending_after=await self._db(local.pending_count, self.db))

    async def _failed(self, problem: SyncProblem, **counts: int) -> SyncReport:
        message = problem.message
        # info, not warning: the CLI prints the message itself and the GUI shows it.
        if problem.detail:
            log.info("sync failed: %s (head office: HTTP %s %s: %s)", message, problem.status, problem.code,
                     problem.detail)
        else:
            log.info("sync failed: %s", message)
        await self._db(local.record_error, self.db, message)
        return SyncReport(**counts, pending_after=await self._db(local.pending_count, self.db), errors=(message,))

    async def _sync(self, counts: dict[str, int]) -> None:
        enrollment = await self._db(local.enrollment, self.db)
        server_url = self._server_url or enrollment.server_url
        if not server_url:
            raise SyncProblem(msg("sync.not_enrolled", "This console is not enrolled with head office yet; run "
                                  "`anchor-console enroll --server URL --code CODE` first."), retry=False)
        token = self.tokens.load()
        if not token:
            raise SyncProblem(msg("sync.no_token", "This console holds no head-office token; enroll it again "
                                  "with a new code."), retry=False, reenroll=True)
        async with self._http(server_url, token) as http:
            counts["pulled"] += await self._take_store(http, enrollment)
            await self._push_all(http, counts)
            for scope in PULL_ORDER:
                counts["pulled"] += await self._pull(http, scope)
            # A new rule pack may have come down: approved scripts are checked against it, and the
            # checks go up in this same sync, so head office and the other consoles see the flags now.
            if await self._db(_recheck_scripts, self.db):
                await self._push_all(http, counts)
            await self._fetch_conflicts(http, enrollment.console_id)

    # --- push ---------------------------------------------------------------------
    async def _push_all(self, http: _Http, counts: dict[str, int]) -> None:
        limit = self.batch_size
        waiting = await self._db(local.pending_count, self.db)
        # Edits made while we push are welcome, but must not keep this sync going forever.
        rounds_left = waiting // max(1, limit) + 3
        meter = ProgressMeter(UPLOAD, self.on_progress, total=waiting) if waiting > limit else None
        while rounds_left > 0:
            batch = await self._db(local.next_batch, self.db, limit)
            if batch is None:
                return
            try:
                response = await http.parsed(PushResponse, "POST", "/v1/push", json=batch.body)
            except SyncProblem as exc:
                if exc.status == 413 and batch.size > 1:
                    # Refused before anything was applied: split it, under new batch ids.
                    await self._db(local.drop_batch, self.db)
                    limit = max(1, batch.size // 2)
                    continue
                raise
            if response.batch_id != batch.batch_id or len(response.results) != batch.size:
                raise SyncProblem(msg("sync.wrong_batch_answer", "Head office answered a push with another "
                                      "batch's results; nothing was removed from the outbox."), retry=False)
            outcome = await self._db(local.acknowledge, self.db, batch, response)
            counts["pushed"] += outcome.acknowledged
            counts["conflicts"] += outcome.conflicts
            counts["rejected"] += outcome.rejected
            rounds_left -= 1
            if meter is not None:
                meter.report(counts["pushed"], max(waiting, counts["pushed"]))

    # --- pull -----------------------------------------------------------------------
    async def _pull(self, http: _Http, scope: Scope) -> int:
        pulled = 0
        cursor = await self._db(local.read_cursor, self.db, scope)
        if cursor is None:
            pulled += await self._load_snapshot(http, scope)
            cursor = await self._db(local.read_cursor, self.db, scope)
        resets = 0
        # Rows of pages that could not be applied on their own, latest version of each row last.
        held: dict[tuple[str, UUID], WireRow] = {}
        while True:
            page: PullResponse = await http.parsed(
                PullResponse, "GET", "/v1/pull", params={"scope": scope.value, "since": cursor,
                                                         "limit": self.page_size})
            if page.reset_required:
                resets += 1
                if resets > 2:
                    raise SyncProblem(msg("sync.reload_loop", "Head office keeps asking this console to "
                                          "reload its {scope} data; tell head office.",
                                          scope=local.scope_name(scope)), retry=False)
                log.info("head office asks for a fresh %s snapshot", scope.value)
                await self._db(local.drop_stage, self.db, scope)
                pulled += await self._load_snapshot(http, scope)
                cursor = await self._db(local.read_cursor, self.db, scope)
                held.clear()
                continue
            for row in page.rows:
                held.pop((row.table, row.row_id), None)
                held[(row.table, row.row_id)] = row
            try:
                pulled += await self._apply(local.apply_page, scope, list(held.values()), page.next_cursor,
                                            fail_after_rows=self.fail_inside_apply)
            except local.RowClash:
                # A row took the unique key (a link number, say) of a local row whose delete has a
                # later version (another console's edit of it merged after the re-create), so the
                # delete is on a later page: apply this page together with the next ones.
                if not page.has_more:
                    raise
                cursor = page.next_cursor
                continue
            held.clear()
            cursor = page.next_cursor
            if not page.has_more:
                return pulled

    async def _apply(self, fn: Callable[..., int], *args: Any, **kwargs: Any) -> int:
        try:
            return await self._db(fn, self.db, *args, **kwargs)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise SyncProblem(msg("sync.rows_do_not_fit", "Rows from head office do not fit this console's "
                                  "data ({reason}); nothing of them was applied.", reason=reason),
                              retry=False) from None

    async def _snapshot_rows(self, http: _Http, scope: Scope) -> tuple[list[WireRow], int]:
        """The whole snapshot of a scope, each page kept as it arrives: a stopped load goes on from there."""
        stage = await self._db(local.staged, self.db, scope)
        if stage is not None and not stage.has_more:
            return await self._db(local.staged_rows, self.db, scope), stage.watermark
        try:
            return await self._fetch_snapshot(http, scope, stage)
        except SyncProblem as exc:
            if stage is None or exc.status != 422:
                raise
        # Head office no longer knows the staged watermark (its database was restored): start again.
        await self._db(local.drop_stage, self.db, scope)
        return await self._fetch_snapshot(http, scope, None)

    async def _fetch_snapshot(self, http: _Http, scope: Scope,
                              stage: local.Staged | None) -> tuple[list[WireRow], int]:
        params: dict[str, Any] = {"scope": scope.value, "limit": self.page_size}
        done, total = 0, None
        if stage is not None:
            params.update(watermark=stage.watermark, after=stage.after)
            done, total = stage.rows, stage.total
        meter = ProgressMeter(LOAD_CATALOG if scope is Scope.CATALOG else LOAD_STORE, self.on_progress,
                              done=done, total=total)
        while True:
            page: SnapshotPage = await http.parsed(SnapshotPage, "GET", "/v1/snapshot", params=params)
            if total is None:
                total = page.total
            await self._db(local.stage_page, self.db, scope, page.rows, page.watermark, page.next_after,
                           page.has_more, total)
            done += len(page.rows)
            meter.report(done, total)
            if not page.has_more:
                break
            params.update(watermark=page.watermark, after=page.next_after)
        if self.on_progress is not None:
            self.on_progress(ProgressMeter(APPLY, None, done=done, total=done).report(done))
        return await self._db(local.staged_rows, self.db, scope), page.watermark

    async def _load_snapshot(self, http: _Http, scope: Scope) -> int:
        rows, watermark = await self._snapshot_rows(http, scope)
        return await self._apply(local.replace_scope, scope, rows, watermark)

    # --- conflicts for review ---------------------------------------------------------
    async def _fetch_conflicts(self, http: _Http, console_id: UUID | None) -> None:
        since = await self._db(local.conflicts_cursor, self.db)
        while True:
            page: ConflictsResponse = await http.parsed(
                ConflictsResponse, "GET", "/v1/conflicts", params={"since": since, "limit": self.page_size})
            items = [{"conflict_id": str(c.conflict_id), "table": c.table, "row_id": str(c.row_id),
                      "fields": c.fields, "attempted": c.attempted, "kept": c.kept,
                      "recorded_at": c.recorded_at, "this_console": c.console_id == console_id,
                      "console_name": c.console_name, "attempted_at": c.attempted_at,
                      "kept_row_version": c.kept_row_version, "kept_by": c.kept_by, "kept_at": c.kept_at}
                     for c in page.conflicts]
            if items or page.next_cursor != since:
                await self._db(local.add_conflicts, self.db, items, page.next_cursor)
            since = page.next_cursor
            if not page.has_more:
                return

    # --- enrollment -------------------------------------------------------------------
    async def _adopt(self, http: _Http, enrollment: local.Enrollment) -> int:
        """Make the local data follow the enrolled store (see local.adopt_clean / adopt_upload).

        Fetching can stop and resume (the pages are staged); the adoption itself is one
        local transaction. When that transaction refuses (products head office lacks,
        another console's data already at head office), nothing went up yet: head office
        takes the code back, so it can be used again once the cause is put right.
        """
        store_id = await self._db(_enrolled_store_id, self.db)
        catalog, watermark = await self._snapshot_rows(http, Scope.CATALOG)
        try:
            if enrollment.mode == MODE_CLEAN:
                if await self._db(local.has_own_data, self.db):
                    await self._db(backup_copy, self.db.path)
                await self._apply(local.adopt_clean, store_id, catalog, watermark)
                return len(catalog)
            server_rows, _ = await self._snapshot_rows(http, Scope.STORE)
            on_server = {(row.table, row.row_id) for row in server_rows}
            await self._apply(local.adopt_upload, store_id, catalog, watermark, on_server)
        except SyncProblem as exc:
            if exc.retry or exc.status is not None:
                raise   # the network or head office itself: resumable, the code stays claimed
            await self._give_code_back(http)
            raise EnrollmentRefused(msg("sync.enroll_refused_code_kept", "{reason} The enrollment code was not "
                                        "spent: it can be used again.", reason=exc.message), retry=False) from None
        return len(catalog)

    async def _take_store(self, http: _Http, enrollment: local.Enrollment) -> int:
        """Finish an enrollment: adopt the store (resuming a stopped load), then tell head office."""
        pulled = 0
        if not enrollment.adopted:
            pulled = await self._adopt(http, enrollment)
        if not await self._db(local.enrollment_completed, self.db):
            await http.call("POST", "/v1/enroll/complete")
            await self._db(local.record_enrollment_complete, self.db)
        return pulled

    async def _give_code_back(self, http: _Http) -> None:
        await http.call("POST", "/v1/enroll/release")
        await self._db(local.forget_enrollment, self.db)
        await self._db(self.tokens.clear)

    async def enroll(self, code: str, *, mode: str, console_name: str = "") -> EnrollResult:
        """Trade a one-time code for a token, adopt the store (upload or start clean), and sync once.

        A refused upload raises :class:`EnrollmentRefused` and leaves the code usable; a
        stopped one (no network, cancelled) is taken up again by :meth:`resume_enrollment`.
        """
        if self._server_url is None:
            raise SyncProblem(msg("sync.enroll_needs_address", "Give the head-office address to enroll with."),
                              retry=False)
        if mode not in (MODE_UPLOAD, MODE_CLEAN):
            raise ValueError(f"unknown enrollment mode {mode!r}")
        if not code.strip():
            raise SyncProblem(msg("sync.enroll_needs_code", "Type the enrollment code head office gave you."),
                              retry=False)
        async with self._lock, self._http(self._server_url, None) as http:
            answer: EnrollResponse = await http.parsed(
                EnrollResponse, "POST", "/v1/enroll", head_office_only=True,
                json={"code": code.strip(), "console_name": console_name[:120]})
        kept_in = await self._db(self.tokens.save, answer.token)
        await self._db(local.record_enrollment, self.db, self._server_url, answer.console_id,
                       answer.store_code, mode)
        await self._db(_remember_enrolled_store, self.db, answer.store_id)
        report = await self.resume_enrollment()
        return EnrollResult(console_id=answer.console_id, store_id=answer.store_id, store_code=answer.store_code,
                            store_name=answer.store_name, token_kept_in=kept_in, report=report)

    async def resume_enrollment(self) -> SyncReport:
        """Go on with an enrollment that stopped (a crash, the network, Cancel) where it was, then sync once."""
        async with self._lock:
            with folder_lock(self.db.path.parent) as mine:
                if not mine:
                    raise SyncProblem(msg("sync.folder_busy", "Another Anchor Console program is syncing this "
                                          "data folder; this one tries again later."))
                enrollment = await self._db(local.enrollment, self.db)
                token = self.tokens.load()
                if not enrollment.server_url or not token:
                    raise SyncProblem(msg("sync.nothing_to_resume", "There is no enrollment to go on with; "
                                          "enroll with a code from head office."), retry=False)
                async with self._http(enrollment.server_url, token) as http:
                    await self._take_store(http, enrollment)
        return await self.sync_once()


class EnrollmentRefused(SyncProblem):
    """The store could not be adopted; head office took the code back and this console is as it was."""


ENROLLED_STORE_SETTING = "sync.enrolled_store_id"


def _recheck_scripts(db: Database) -> int:
    """Approved scripts against the rule pack in force; how many checks were recorded (0: nothing new)."""
    from console.domain.errors import DomainError
    from console.services.script_checks import recheck_approved

    try:
        return recheck_approved(db).checked
    except DomainError as exc:
        # The shipped pack unreadable: syncing goes on, the scripts are checked when it is repaired.
        log.warning("approved scripts not re-checked: %s", exc)
        return 0


def _remember_enrolled_store(db: Database, store_id: UUID) -> None:
    from console.services.base import write_setting

    with db.begin() as s:
        write_setting(s, ENROLLED_STORE_SETTING, str(store_id))


def _enrolled_store_id(db: Database) -> UUID:
    from console.services.base import read_setting

    with db.begin() as s:
        value = read_setting(s, ENROLLED_STORE_SETTING)
    if not value:
        raise SyncProblem(msg("sync.enrollment_incomplete", "This console's enrollment is incomplete; enroll it "
                              "again with a new code."), retry=False, reenroll=True)
    return UUID(value)


# --- the background loop ---------------------------------------------------------------


class SyncLoop:
    """Runs ``sync_once`` every ``normal_interval`` seconds (every ``live_interval`` while a show is
    live, so head office sees it within seconds), soon after a change while a show is live, and after
    a failure again after a backoff delay (always re-armed). No Qt: plain asyncio."""

    def __init__(self, client: SyncClient, *, normal_interval: float = 180.0, change_delay: float = 2.0,
                 live_interval: float = 5.0,
                 backoff: Backoff | None = None, is_live: Callable[[], Awaitable[bool]] | None = None,
                 on_report: Callable[[SyncReport], None] | None = None) -> None:
        if change_delay > 5:
            raise ValueError("a change during a live show must go up within 5 seconds")
        self.client = client
        self.normal_interval = normal_interval
        self.live_interval = min(live_interval, normal_interval)
        self.change_delay = change_delay
        self.backoff = backoff or Backoff()
        self._is_live = is_live or (lambda: client._db(local.is_live, client.db))
        self._on_report = on_report
        # Set to wake the waiting loop early; a plain future (not asyncio.Event + wait_for) so no
        # helper task is spawned, which qasync could run outside the loop's running context.
        self._waiter: asyncio.Future[None] | None = None
        self._changed_at: float | None = None
        self._last_run: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.last_report: SyncReport | None = None
        self.runs = 0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, *, first_delay: float = 0.0) -> None:
        if self.running:
            return
        self._stopping = False
        self._task = asyncio.ensure_future(self._run(first_delay))

    def notify_change(self) -> None:
        """A local edit was saved; during a live show it goes up within seconds."""
        if self._changed_at is None:
            self._changed_at = asyncio.get_running_loop().time()
        self._wake()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def sync_now(self) -> SyncReport:
        """Sync at once (the Sync screen's button), sharing the client's one-at-a-time lock."""
        report = await self.client.sync_once()
        self._after(report, asyncio.get_running_loop().time())
        return report

    async def stop(self) -> None:
        self._stopping = True
        self._wake()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(task, timeout=self.client.timeout + 5)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def cancel(self) -> None:
        """Stop without waiting (no running loop to wait on); an unfinished sync is simply redone."""
        self._stopping = True
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()

    async def _run(self, first_delay: float) -> None:
        loop = asyncio.get_running_loop()
        self._deadline = loop.time() + first_delay
        while not self._stopping:
            # Armed before looking at _changed_at: a change notified from here on wakes the wait.
            self._waiter = waiter = loop.create_future()
            # A change (also one made during the last sync) brings the next sync forward while a
            # show is live; not while failing, where the backoff decides.
            if self.backoff.failures == 0 and (self._changed_at is not None or self._last_run is not None) \
                    and await self._live():
                if self._changed_at is not None:
                    self._deadline = min(self._deadline, self._changed_at + self.change_delay)
                if self._last_run is not None:
                    self._deadline = min(self._deadline, self._last_run + self.live_interval)
            timeout = max(0.0, self._deadline - loop.time())
            timer = loop.call_later(timeout, lambda w=waiter: w.done() or w.set_result(None))
            try:
                await waiter
            finally:
                timer.cancel()
            if self._stopping:
                return
            if loop.time() < self._deadline:
                continue
            self._changed_at = None
            try:
                report = await self.client.sync_once()
            except Exception as exc:
                log.exception("sync crashed")
                report = SyncReport(errors=(msg("sync.crashed", "Sync failed unexpectedly: {reason}",
                                                reason=str(exc) or type(exc).__name__),))
            self._after(report, loop.time())

    def _after(self, report: SyncReport, now: float) -> None:
        self.runs += 1
        self._last_run = now
        self.last_report = report
        if report.errors:
            self._deadline = now + self.backoff.failure()
        else:
            self.backoff.success()
            self._deadline = now + self.normal_interval
        if self._on_report is not None:
            try:
                self._on_report(report)
            except Exception:
                log.exception("sync report handler failed")

    async def _live(self) -> bool:
        try:
            return await self._is_live()
        except Exception:
            log.exception("cannot tell whether a show is live")
            return False


def default_console_name() -> str:
    return platform.node()[:120]
