"""The overlay's server, as the main window keeps it: up while a show is on air, told every change.

Started when ShowControl says a show is live, stopped when it ends or the
window closes. The server's buttons act through the window's ShowControl
(``act_from_thread``), so they are recorded in order with the keys pressed in
the console, and their answer comes back as ``changed`` like any other, which
is published to the pages listening. A port in use is said once per show
(``problem``); the show goes on without the overlay. Port 0 in the settings
turns the overlay off.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from console.domain.errors import DomainError
from console.domain.onair import ShowNow
from console.i18n import text
from ui import settings as S
from ui.settings import Settings
from ui.show_control import ShowControl

if TYPE_CHECKING:
    from console.overlay.server import OverlayServer
    from console.services.onair import OnAirService

ANSWER_SECONDS = 10.0


class OverlayHost(QObject):
    problem = Signal(str)      # why the overlay is not serving, in the console's language
    serving = Signal(str)      # the address it serves on, once it is up

    def __init__(self, control: ShowControl, settings: Settings, onair: OnAirService,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._control = control
        self._settings = settings
        self._onair = onair
        self.server: OverlayServer | None = None
        self._refused_run: Any = None     # the show for which the port was in use: not tried again
        self._held = False
        control.changed.connect(self._on_changed)

    def hold(self) -> None:
        """Serve nothing until :meth:`release` (a window built before its user's PIN is checked)."""
        self._held = True

    def release(self) -> None:
        self._held = False
        self._on_changed(self._control.show)

    def _on_changed(self, show: ShowNow | None) -> None:
        if self._held:
            return
        if show is None or not show.live:
            self.stop()
            return
        if self.server is None and self._refused_run != show.run_id and self._settings.get(S.OVERLAY_PORT):
            self._start(show)
        if self.server is not None:
            self.server.app.publish(show)

    def _start(self, show: ShowNow) -> None:
        # The web stack is loaded with the first show, not with the console.
        from console.overlay.app import OverlayApp
        from console.overlay.server import OverlayServer

        try:
            app = OverlayApp(self._state, self._perform, token=self._onair.overlay_token())
            server = OverlayServer(app, self._settings.get(S.OVERLAY_PORT))
            server.start()
        except (DomainError, OSError) as exc:
            self._refused_run = show.run_id
            self.problem.emit(text(exc))
            return
        self.server = server
        self.serving.emit(server.base_url)

    def _state(self) -> ShowNow | None:
        """The show now, its clocks run on to this moment (called on the server's thread)."""
        show = self._control.show
        if show is None:
            return None
        show_seconds, item_seconds = self._control.clocks()
        return dataclasses.replace(show, show_elapsed_seconds=show_seconds, item_elapsed_seconds=item_seconds)

    def _perform(self, action: str, *args: Any) -> ShowNow:
        """A button's action, through the window's ShowControl; its refusal raised (called on the server's thread)."""
        return self._control.act_from_thread(action, *args).result(timeout=ANSWER_SECONDS)

    def stop(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.stop()
