"""Errors a user can cause, each with a message a store manager understands."""

from __future__ import annotations


class DomainError(Exception):
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


class RosterBlocked(DomainError):
    """A roster change that must never happen; no override exists."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(problems) if len(problems) < 4 else
                         " ".join(problems[:3]) + f" (and {len(problems) - 3} more)")


class OverrideNeeded(DomainError):
    """A roster change that should not happen; a manager may go ahead with a reason."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = tuple(warnings)
        super().__init__(" ".join(warnings) + " Give a reason to go ahead anyway.")
