"""Roster: anchors, live rooms, shifts, time off, swaps and templates, through the rules.

Every shift that is created or moved is judged by :mod:`console.rules.roster`
inside the transaction that writes it: a block refuses the change, a warning
needs the manager's reason, which is recorded on the shift.

What the rules found travels as :class:`~console.i18n.Message` values
(``RosterBlocked.problems``, ``OverrideNeeded.warnings``, ``warnings`` on a
change and on a shift row), rendered in the reader's language where shown.

One service, one module per job: :mod:`.people` (anchors and rooms),
:mod:`.shifts` (the week and its edits), :mod:`.publish`, :mod:`.requests`
(time off and swaps), :mod:`.templates` (copied weeks and templates), over
:mod:`._base` (the rules' context, rows, lookups) and :mod:`.settings` (the
rules' thresholds).
"""

from __future__ import annotations

from console.services.roster.people import PeopleAndRooms, code_key, tidy_code
from console.services.roster.publish import AnchorPublishChanges, Publishing, PublishSummary
from console.services.roster.requests import Requests
from console.services.roster.shifts import PlannedShift, RosterWeek
from console.services.roster.templates import Templates

__all__ = [
    "AnchorPublishChanges",
    "PlannedShift",
    "PublishSummary",
    "RosterService",
    "RosterWeek",
    "code_key",
    "tidy_code",
]


class RosterService(PeopleAndRooms, Requests, Templates, Publishing):
    """The roster as :class:`~console.services.registry.Services` builds it for an actor: all its parts."""
