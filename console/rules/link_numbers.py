"""Link numbers (the numbers viewers hear, 1号链接): they follow the queue's order unless pinned.

A pinned number stays where it is when the queue is reordered; the other
items take 1, 2, 3 ... in order, stepping over the pinned numbers. The
numbers are a function of the order and the pins alone, so the queue
editor can show them during a drag with the very rule the service writes
them by, and every undo that restores order and pins restores the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from console.domain.errors import ValidationError
from console.i18n import msg

MAX_LINK_NUMBER = 999


def link_numbers(pins: Sequence[int | None]) -> list[int]:
    """Each item's link number, in queue order: its pin, or the next number no pin holds."""
    taken = {p for p in pins if p is not None}
    numbers: list[int] = []
    free = 1
    for pin in pins:
        if pin is not None:
            numbers.append(pin)
            continue
        while free in taken:
            free += 1
        numbers.append(free)
        free += 1
    return numbers


def fewest_pins(wanted: Sequence[int | None]) -> list[int | None]:
    """Pins that give each item its wanted number (None: any), pinning as few as it can.

    A file that numbers its rows 1, 2, 3 in order needs no pins at all; one
    that puts link 1 last pins that row only. Greedy, in order: an item is
    left unpinned when every wanted number still comes out right without it.
    The wanted numbers must differ from each other.
    """
    pins = list(wanted)
    for i, pin in enumerate(pins):
        if pin is None:
            continue
        trial = pins[:i] + [None] + pins[i + 1:]
        if all(w is None or n == w for n, w in zip(link_numbers(trial), wanted)):
            pins = trial
    return pins


def check_link_number(number: int) -> int:
    if not 1 <= number <= MAX_LINK_NUMBER:
        raise ValidationError(msg("queue.link_out_of_range", "A link number must be 1 to {limit}.",
                                  limit=MAX_LINK_NUMBER))
    return number
