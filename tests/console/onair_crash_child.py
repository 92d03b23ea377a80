"""Test harness, not production: a console driving a show through OnAirService until it is SIGKILLed.

    python -m tests.console.onair_crash_child DATA_DIR BROADCAST_ID [COUNT]

Starts the broadcast if nothing is on air, else takes up the show on air (printing ``RESUMED link seq``),
then acts: next, previous, jump, stock and note in turn, each chosen so that the show allows it.
After each action's call has returned (the service has committed it) it prints
``CONFIRMED kind link seq``; ``COUNT`` actions and it prints ``DONE`` and sleeps, to be killed there.
Without ``COUNT`` it acts until killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from uuid import UUID

from console.domain.enums import AuditVia
from console.domain.onair import ShowNow
from console.services.auth import AuthService
from console.services.onair import OnAirService
from console.storage.db import open_database

KINDS = ("next", "stock", "jump", "note", "prev")


def act(onair: OnAirService, show: ShowNow, step: int) -> tuple[str, ShowNow]:
    kind = KINDS[step % len(KINDS)]
    links = [i.link_number for i in show.items]
    current = show.current.link_number if show.current else links[0]
    if kind == "next" and show.up_next is None:
        kind = "jump"
    if kind == "prev" and current == links[0]:
        kind = "jump"
    if kind == "next":
        return kind, onair.next()
    if kind == "prev":
        return kind, onair.previous()
    if kind == "jump":
        return kind, onair.jump(links[(links.index(current) + 1 + step % 3) % len(links)] if len(links) > 1
                                else current)
    if kind == "stock":
        return kind, onair.set_stock(1 + step % 40)
    return kind, onair.note(f"note {step}")


def main(data_dir: Path, broadcast_id: UUID, count: int | None) -> int:
    db = open_database(data_dir, create=False)
    onair = OnAirService(db, AuthService(db).actor_for_login(None, via=AuditVia.CLI))
    show = onair.active()
    if show is None:
        show = onair.start(broadcast_id)
        print(f"CONFIRMED start {show.current.link_number} {show.last_seq}", flush=True)
    else:
        print(f"RESUMED {show.current.link_number if show.current else 0} {show.last_seq}", flush=True)
    step = show.last_seq
    done = 0
    while count is None or done < count:
        kind, show = act(onair, show, step)
        print(f"CONFIRMED {kind} {show.current.link_number if show.current else 0} {show.last_seq}", flush=True)
        step += 1
        done += 1
    print("DONE", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), UUID(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else None))
