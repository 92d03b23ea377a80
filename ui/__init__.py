"""Anchor Console's PySide6 interface: windows, item models, actions."""
