"""Anchor Console's Qt-free core: domain, storage, services and command line."""

__version__ = "0.1.0"
