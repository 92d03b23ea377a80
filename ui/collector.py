"""Python's cycle collector, run on the GUI thread only.

Left to itself, the collector runs in whichever thread happens to allocate
when a generation fills up: often the database worker. A closed dialog or a
screen whose wrapper sits in a reference cycle is then destroyed on that
thread, and Qt objects must die on the thread that owns them (Qt says
"Timers cannot be started from another thread", or worse, crashes). So while
the console runs, automatic collection is off and a timer on the GUI thread
collects instead, by the same per-generation thresholds (Anki does the same).

:func:`install` nests: the console and the test session may both hold it; the
collector is on again when the last holder lets go.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_EVERY_MS = 500
# A full collection walks everything the console holds (about 90 ms on the large store during a show),
# so it runs at most this often; CPython's own collector also puts full collections off on a large heap.
FULL_AT_MOST_EVERY_S = 300.0

_holders = 0
_timer: QTimer | None = None
_was_enabled = True


_last_full = time.monotonic()


def collect_due() -> int:
    """Collect the generations whose counts passed their thresholds; how many objects were found.

    The oldest generation only every :data:`FULL_AT_MOST_EVERY_S` seconds at most.
    """
    global _last_full
    t0, t1, t2 = gc.get_threshold()
    c0, c1, c2 = gc.get_count()
    if c0 <= t0:
        return 0
    if c1 > t1:
        if c2 > t2 and time.monotonic() - _last_full >= FULL_AT_MOST_EVERY_S:
            _last_full = time.monotonic()
            return gc.collect(2)
        return gc.collect(1)
    return gc.collect(0)


def collect_now() -> int:
    """A full collection at a moment chosen for it (the main window prepared while a PIN is typed),
    so that what the preparation left behind is not collected when the window is shown."""
    global _last_full
    _last_full = time.monotonic()
    return gc.collect()


def install(parent: QObject | None = None) -> None:
    """Turn automatic collection off and collect from a GUI-thread timer instead."""
    global _holders, _timer, _was_enabled
    _holders += 1
    if _holders > 1:
        return
    _was_enabled = gc.isenabled()
    gc.disable()
    _timer = QTimer(parent or QCoreApplication.instance())
    _timer.setObjectName("MainThreadCollector")
    _timer.timeout.connect(collect_due)
    _timer.start(CHECK_EVERY_MS)


def uninstall() -> None:
    """Let go; the last holder collects once, here on the GUI thread, and turns automatic collection back on."""
    global _holders, _timer
    if _holders == 0:
        return
    _holders -= 1
    if _holders > 0:
        return
    if _timer is not None:
        _timer.stop()
        _timer.deleteLater()
        _timer = None
    gc.collect()
    if _was_enabled:
        gc.enable()


def installed() -> bool:
    return _holders > 0
