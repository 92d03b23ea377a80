"""The core's stream of changes as a Qt signal, delivered on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from console.domain.changes import ChangeStream


class ChangeRelay(QObject):
    """Re-emits every published :class:`ChangeSet` as ``changed``, queued to this object's thread.

    Commits happen on the database worker and other processes' changes on the
    watcher thread; a queued signal hands them to the GUI thread, in order.
    """

    changed = Signal(object)
    _arrived = Signal(object)

    def __init__(self, stream: ChangeStream, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._arrived.connect(self.changed.emit, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = stream.subscribe(self._arrived.emit)

    def close(self) -> None:
        """Stop following the stream (before the relay goes)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
