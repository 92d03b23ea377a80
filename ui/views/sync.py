"""Sync: whether this console reaches head office, and what is waiting to go up."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from console.domain.values import SyncStatus
from console.services.registry import Services
from console.services.worker import DbWorker
from ui.views.page import Page


class SyncPage(Page):
    view_name = "sync"

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self._status: SyncStatus | None = None
        self._tz = timezone
        form = QFormLayout()
        self.server_caption, self.server_value = QLabel(self), QLabel(self)
        self.pending_caption, self.pending_value = QLabel(self), QLabel(self)
        self.last_caption, self.last_value = QLabel(self), QLabel(self)
        self.error_caption, self.error_value = QLabel(self), QLabel(self)
        self.error_value.setWordWrap(True)
        for caption, value in ((self.server_caption, self.server_value),
                               (self.pending_caption, self.pending_value),
                               (self.last_caption, self.last_value),
                               (self.error_caption, self.error_value)):
            form.addRow(caption, value)
        self.body.addLayout(form)
        self.body.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Sync"))
        self.intro_label.setText(self.tr(
            "The store works offline; changes wait here until head office can be reached."))
        self.server_caption.setText(self.tr("Head office"))
        self.pending_caption.setText(self.tr("Changes waiting"))
        self.last_caption.setText(self.tr("Last success"))
        self.error_caption.setText(self.tr("Last problem"))
        self.set_coming([
            self.tr("Enrol this console with a one-time code from head office"),
            self.tr("Background sync within seconds during a live show"),
            self.tr("Conflicts listed here for review"),
        ])
        self._show()

    async def load(self) -> None:
        self._status = await self.call(self._services.sync.status)
        self._show()

    def _show(self) -> None:
        s = self._status
        if s is None:
            return
        self.server_value.setText(s.server_url if s.enrolled else self.tr("Not enrolled yet"))
        self.pending_value.setText(f"{s.pending_changes:,}")
        self.last_value.setText(
            s.last_success.astimezone(ZoneInfo(self._tz)).strftime("%Y-%m-%d %H:%M") if s.last_success else self.tr("Never"))
        self.error_value.setText(s.last_error or self.tr("None"))
