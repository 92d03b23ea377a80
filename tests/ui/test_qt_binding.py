"""The installed Qt binding keeps Python's reference counts straight.

PySide6 6.12.0 on Python 3.11 dropped a reference to None on every Qt call
that returns nothing and to True on every signal emit, aborting the process
after a few thousand calls; pyproject.toml excludes it. This catches a
binding with the same fault before a live show does.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QPoint, Signal


class _Emitter(QObject):
    fired = Signal(bool)


def test_qt_calls_do_not_drop_references_to_none_or_true(qapp) -> None:  # type: ignore[no-untyped-def]
    point = QPoint()
    emitter = _Emitter()
    received: list[bool] = []
    emitter.fired.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(500):
        point.setX(0)
        emitter.fired.emit(True)
    received.clear()
    assert sys.getrefcount(None) - none_before > -50
    assert sys.getrefcount(True) - true_before > -50
