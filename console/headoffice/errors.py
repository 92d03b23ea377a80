"""Errors the service answers with: an HTTP status, a stable code and one sentence."""

from __future__ import annotations


class ApiError(Exception):
    """A request the service refuses; nothing it asked for was applied."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


class AdminError(Exception):
    """An administrative command that cannot be carried out (unknown store, code taken ...)."""


class NotFound(AdminError):
    """The store or console named does not exist."""


class AlreadyExists(AdminError):
    """A store code or login that is already taken."""
