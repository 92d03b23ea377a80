"""Errors the service answers with: an HTTP status, a stable code and one sentence.

:class:`AdminError` (and the database's :class:`~console.headoffice.db.DatabaseError`)
carry a :class:`~console.i18n.Message`, as the console's ``DomainError`` does:
``str(error)`` is the English sentence (for logs and the staff API's wire),
:func:`console.i18n.text` renders it in the reader's language (the command line).
"""

from __future__ import annotations

from console.i18n import MessageError


class ApiError(Exception):
    """A request the service refuses; nothing it asked for was applied."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


class Refusal(MessageError):
    """A sentence a head-office user reads, as a :class:`Message` in ``.message``.

    Apart from the console's ``DomainError`` (one does not catch the other),
    sharing their base.
    """


class AdminError(Refusal):
    """An administrative command that cannot be carried out (unknown store, code taken ...)."""


class NotFound(AdminError):
    """The store or console named does not exist."""


class AlreadyExists(AdminError):
    """A store code or login that is already taken."""
