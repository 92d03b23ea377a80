"""The overlay's server: uvicorn on 127.0.0.1 in a daemon thread, started with the show and stopped with it."""

from __future__ import annotations

import threading
import time

import uvicorn

from console.domain.errors import DomainError
from console.i18n import msg
from console.overlay.app import OverlayApp

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
START_SECONDS = 10.0


class OverlayPortInUse(DomainError):
    """The overlay's port is taken (another console, another program): the show goes on without it."""


class OverlayServer:
    def __init__(self, app: OverlayApp, port: int = DEFAULT_PORT) -> None:
        self.app = app
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        """Serve until :meth:`stop`; OverlayPortInUse when the port cannot be had."""
        if self.running:
            return
        # uvicorn binds the port itself (handed a bound socket, its replies wait on delayed ACKs);
        # when it cannot, its thread ends without having started.
        server = uvicorn.Server(uvicorn.Config(self.app.asgi, host=HOST, port=self.port, log_config=None,
                                               access_log=False, lifespan="off", timeout_graceful_shutdown=1))
        server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # not the main thread
        thread = threading.Thread(target=self._serve, args=(server,), name="overlay-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + START_SECONDS
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        if not server.started:
            server.should_exit = True
            thread.join(timeout=START_SECONDS)
            raise OverlayPortInUse(msg("overlay.port_in_use", "The overlay for streaming software could not start: "
                                       "port {port} is in use. The show goes on without it.", port=str(self.port)))
        self._server, self._thread = server, thread

    @staticmethod
    def _serve(server: uvicorn.Server) -> None:
        try:
            server.run()
        except SystemExit:   # uvicorn's answer to a port it cannot bind
            pass

    def stop(self) -> None:
        """End every feed and the server; returns once its thread has ended."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None or thread is None:
            return
        self.app.close()
        server.should_exit = True
        thread.join(timeout=START_SECONDS)
