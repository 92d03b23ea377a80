"""Sync status as the console sees it: enrolment, pending changes, last result."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from console.domain.values import SyncStatus
from console.services.base import Service, read_setting
from console.storage.models import Outbox

SERVER_URL_SETTING = "sync.server_url"
LAST_SUCCESS_SETTING = "sync.last_success"
LAST_ERROR_SETTING = "sync.last_error"


class SyncService(Service):
    def status(self) -> SyncStatus:
        with self._db.begin() as s:
            url = read_setting(s, SERVER_URL_SETTING) or ""
            last = read_setting(s, LAST_SUCCESS_SETTING)
            return SyncStatus(
                enrolled=bool(url), server_url=url,
                pending_changes=s.scalar(select(func.count()).select_from(Outbox)) or 0,
                last_success=datetime.fromisoformat(last) if last else None,
                last_error=read_setting(s, LAST_ERROR_SETTING) or "",
            )
