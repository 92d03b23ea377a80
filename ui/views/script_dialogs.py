"""The Scripts screen's questions: why reject (a comment), why approve over a blocking finding (a reason)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class TextReasonDialog(QDialog):
    """A question answered in words: OK stays greyed until something is typed (spaces are not a reason)."""

    def __init__(self, parent: QWidget | None, points: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        for point in points:
            item = QLabel(f"• {point}", self)
            item.setWordWrap(True)
            layout.addWidget(item)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._follow)
        self._follow()
        self.reason.setFocus()

    def set_words(self, title: str, intro: str, ok_text: str) -> None:
        self.setWindowTitle(title)
        self.intro.setText(intro)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)

    def _follow(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.answer()))

    def answer(self) -> str | None:
        return self.reason.toPlainText().strip() or None


class OverrideDialog(TextReasonDialog):
    """Approve over blocking findings: only with a typed reason, which the audit log keeps."""

    def __init__(self, parent: QWidget | None, blocking: Sequence[str]) -> None:
        super().__init__(parent, blocking)
        self.set_words(self.tr("Approve despite blocking findings"),
                       self.tr("This version still has findings that block approval. As store manager you may "
                               "approve it anyway: say why. Your reason goes to the audit log with your name."),
                       self.tr("Approve with this reason"))


class RejectDialog(TextReasonDialog):
    """Send a version back: the comment says what to change."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.set_words(self.tr("Reject this version"),
                       self.tr("Tell the anchor what to change; they see your comment with the version."),
                       self.tr("Reject"))
