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
