"""Errors a user can cause, each with a message a store manager understands, in their language.

Every error carries a :class:`~console.i18n.Message`: ``str(error)`` is its
English sentence (for logs), :func:`console.i18n.text` renders it in the
reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from console.i18n import Message, MessageError, msg, msg_n

if TYPE_CHECKING:
    from console.domain.values import ReadyCheck, ShiftRow


class DomainError(MessageError):
    """Base of every error the UI shows and the CLI prints without a traceback."""


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class SignInFailed(DomainError):
    pass


class ValidationError(DomainError):
    pass


class StorageError(DomainError):
    """The local database cannot be opened or used; nothing was changed."""


class NewerSchemaError(StorageError):
    pass


def _first_three(problems: Sequence[Message]) -> Message:
    if len(problems) < 4:
        return msg("errors.problems", "{problems}", problems=tuple(problems))
    return msg_n("errors.problems_and_more", "{problems} (and {count} more)", "{problems} (and {count} more)",
                 count=len(problems) - 3, problems=tuple(problems[:3]))


class RosterBlocked(DomainError):
    """A roster change that must never happen; no override exists."""

    def __init__(self, problems: Sequence[Message]) -> None:
        self.problems = tuple(problems)
        super().__init__(_first_three(self.problems))


class OverrideNeeded(DomainError):
    """A roster change that should not happen; a manager may go ahead with a reason."""

    def __init__(self, warnings: Sequence[Message]) -> None:
        self.warnings = tuple(warnings)
        super().__init__(msg("errors.override_needed", "{warnings} Give a reason to go ahead anyway.",
                             warnings=self.warnings))


class ShiftsStranded(DomainError):
    """A change (approving time off, deactivating an anchor, new room hours) that booked shifts would not survive.

    ``shifts`` are those shifts as they would then stand, each with its
    ``problems``; the caller shows them and repeats the change with the
    service's confirming flag if the manager goes ahead. Afterwards they are
    flagged on the board until moved or reassigned.
    """

    def __init__(self, shifts: Sequence[ShiftRow]) -> None:
        self.shifts = tuple(shifts)
        super().__init__(msg_n("errors.shifts_stranded",
                               "{count} booked shift would need moving or reassigning after this change.",
                               "{count} booked shifts would need moving or reassigning after this change.",
                               count=len(self.shifts)))


class BroadcastNotReady(DomainError):
    """Marking a broadcast ready was refused: ``problems`` are the gate's blocks, each naming its link."""

    def __init__(self, check: ReadyCheck) -> None:
        self.check = check
        self.problems = check.problems
        self.warnings = check.warnings
        super().__init__(msg_n("broadcasts.not_ready",
                               "{title} cannot be marked ready: {count} problem must be fixed first.",
                               "{title} cannot be marked ready: {count} problems must be fixed first.",
                               count=len(self.problems), title=check.title))
