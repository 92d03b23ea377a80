"""Enrolling this console with head office from the window: the state of an enrolment, starting one, resuming one.

The Sync screen's dialog talks to this; the command line's ``enroll`` uses the
sync client directly. The client (httpx, the protocol) is imported when an
enrolment starts, not when the window opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.domain.enrollment import MODE_CLEAN, MODE_UPLOAD
from console.domain.permissions import Permission
from console.domain.progress import ProgressSink
from console.i18n import Message
from console.services.base import Service

if TYPE_CHECKING:
    from console.services.worker import DbWorker
    from console.sync.client import SyncClient, SyncReport

UPLOAD, CLEAN = MODE_UPLOAD, MODE_CLEAN   # the names the GUI and the CLI know them by


@dataclass(frozen=True)
class EnrollmentState:
    """Where this console stands with head office, for the enrolment dialog."""

    enrolled: bool          # adopted its store and told head office: nothing left to do here
    unfinished: bool        # a code was traded, but the load or upload stopped: resume it
    server_url: str
    store_code: str
    mode: str               # upload / clean, while unfinished
    has_own_data: bool      # an upload would send something (else there is no choice to make)


@dataclass(frozen=True)
class EnrollOutcome:
    store_code: str
    pushed: int
    pulled: int
    pending_after: int
    problems: tuple[Message, ...]    # the first sync's, after the enrolment itself succeeded


class EnrollmentService(Service):
    def state(self) -> EnrollmentState:
        from console.sync import local

        enrollment = local.enrollment(self._db)
        has_url = bool(enrollment.server_url)
        # A code traded but the store not adopted yet (the mode is kept until then). Adopted but not yet
        # confirmed to head office is the sync loop's to finish: its next sync does.
        unfinished = has_url and bool(enrollment.mode) and not enrollment.adopted
        return EnrollmentState(
            enrolled=has_url and not unfinished,
            unfinished=unfinished,
            server_url=enrollment.server_url, store_code=enrollment.store_code, mode=enrollment.mode,
            has_own_data=local.has_own_data(self._db))

    async def enroll(self, worker: DbWorker, server_url: str, code: str, mode: str, console_name: str,
                     on_progress: ProgressSink | None = None) -> EnrollOutcome:
        """Trade the code, adopt the store (upload or start clean), sync once; raises SyncProblem in words."""
        self._actor.require(Permission.MANAGE_SYNC)
        from console.sync.client import default_console_name

        client = self._client(worker, server_url, on_progress)
        try:
            result = await client.enroll(code, mode=mode, console_name=console_name.strip() or default_console_name())
        finally:
            client.close()
        return _outcome(result.store_code, result.report)

    async def resume(self, worker: DbWorker, on_progress: ProgressSink | None = None) -> EnrollOutcome:
        """Go on with an enrolment that stopped where it was (the staged pages, the outbox)."""
        self._actor.require(Permission.MANAGE_SYNC)
        client = self._client(worker, None, on_progress)
        try:
            report = await client.resume_enrollment()
        finally:
            client.close()
        return _outcome(await worker.run(lambda: self.state().store_code), report)

    def _client(self, worker: DbWorker, server_url: str | None, on_progress: ProgressSink | None) -> SyncClient:
        from console.sync.client import SyncClient
        from console.sync.tokens import TokenStore

        client = SyncClient(self._db, server_url, TokenStore(self._db.path.parent), worker=worker,
                            page_size=self.page_size)
        client.on_progress = on_progress
        return client

    page_size = 500     # rows a snapshot page (tests make it small, to stop a load half-way)


def _outcome(store_code: str, report: SyncReport) -> EnrollOutcome:
    return EnrollOutcome(store_code=store_code, pushed=report.pushed, pulled=report.pulled,
                         pending_after=report.pending_after, problems=report.errors)
