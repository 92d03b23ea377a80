"""Light and dark themes: a Fusion palette plus a stylesheet from resources/themes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

import resources

THEMES = ("light", "dark")
THEMES_DIR = Path(resources.__file__).with_name("themes")


def apply_theme(app: QApplication, name: str) -> str:
    name = name if name in THEMES else "light"
    app.setStyle("Fusion")
    app.setPalette(_dark_palette() if name == "dark" else app.style().standardPalette())
    app.setStyleSheet((THEMES_DIR / f"{name}.qss").read_text(encoding="utf-8"))
    return name


def _dark_palette() -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#111418", QPalette.ColorRole.WindowText: "#e5e7eb",
        QPalette.ColorRole.Base: "#151a21", QPalette.ColorRole.AlternateBase: "#1a2029",
        QPalette.ColorRole.Text: "#e5e7eb", QPalette.ColorRole.Button: "#1f2630",
        QPalette.ColorRole.ButtonText: "#e5e7eb", QPalette.ColorRole.Highlight: "#28415e",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#1f2630",
        QPalette.ColorRole.ToolTipText: "#e5e7eb", QPalette.ColorRole.PlaceholderText: "#6b7280",
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    return p
