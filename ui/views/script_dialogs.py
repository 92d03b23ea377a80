"""The Scripts screen's questions: a new script from a template, why reject, why approve over a blocking finding,
and what to do with unsaved text before it would be lost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.i18n import text

# What the person chose for unsaved text (UnsavedChangesBox.choice).
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


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


class UnsavedChangesBox(QMessageBox):
    """The editor's text differs from its version and is about to be lost: save it, drop it, or stay.

    Save is the default (Enter keeps the work); Esc and the window's close button are Cancel,
    so nothing is lost by a key pressed in a hurry.
    """

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setObjectName("UnsavedChangesBox")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("Unsaved changes"))
        self.setText(self.tr("%1 has unsaved changes.").replace("%1", title))
        self.setInformativeText(self.tr("Save keeps the text as a new draft version; Discard drops it."))
        buttons = QMessageBox.StandardButton
        self.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
        self.button(buttons.Save).setText(self.tr("&Save"))
        self.button(buttons.Discard).setText(self.tr("&Discard"))
        self.button(buttons.Cancel).setText(self.tr("Cancel"))
        self.setDefaultButton(buttons.Save)
        self.setEscapeButton(buttons.Cancel)

    def choice(self) -> str:
        """SAVE, DISCARD or CANCEL, from the button clicked (none clicked: CANCEL)."""
        clicked = self.clickedButton()
        buttons = QMessageBox.StandardButton
        if clicked is self.button(buttons.Save):
            return SAVE
        if clicked is self.button(buttons.Discard):
            return DISCARD
        return CANCEL


class NewScriptDialog(QDialog):
    """A new script from a template: a product's talk track (the product found by a search) or a segment's."""

    def __init__(self, parent: QWidget | None, templates: Sequence[Any], broadcasts: Sequence[tuple[Any, str]],
                 search: Callable[[str], Awaitable[Sequence[Any]]]) -> None:
        super().__init__(parent)
        self.setMinimumWidth(560)
        self._templates = list(templates)
        self._search = search
        self.setWindowTitle(self.tr("New script"))
        form = QFormLayout()
        self.template = QComboBox(self)
        for t in self._templates:
            self.template.addItem(text(t.title), t.key)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(self.tr("Type a name, SKU or pinyin, then Enter"))
        self.results = QListWidget(self)
        self.results.setMaximumHeight(140)
        self.broadcast = QComboBox(self)
        self.broadcast.addItem(self.tr("For every broadcast"), None)
        for bid, title in broadcasts:
            self.broadcast.addItem(title, bid)
        self.title = QLineEdit(self)
        form.addRow(self.tr("&Template"), self.template)
        form.addRow(self.tr("&Product"), self.query)
        form.addRow("", self.results)
        form.addRow(self.tr("&Broadcast"), self.broadcast)
        form.addRow(self.tr("T&itle"), self.title)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Create"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.template.currentIndexChanged.connect(lambda *_: self._follow())
        self.results.currentRowChanged.connect(lambda *_: self._follow())
        self.query.returnPressed.connect(self._on_search)
        self._follow()

    def chosen_template(self) -> Any:
        return self._templates[self.template.currentIndex()]

    @property
    def for_product(self) -> bool:
        return self.chosen_template().kind.value == "product"

    @asyncSlot()
    async def _on_search(self) -> None:
        await self.search_now(self.query.text())

    async def search_now(self, words: str) -> None:
        found = await self._search(words)
        self.results.clear()
        for product in found:
            item = QListWidgetItem(f"{product.name} · {product.sku}", self.results)
            item.setData(Qt.ItemDataRole.UserRole, (product.id, product.name))
        if self.results.count():
            self.results.setCurrentRow(0)

    def _follow(self) -> None:
        product = self.for_product
        self.query.setEnabled(product)
        self.results.setEnabled(product)
        self.broadcast.setEnabled(not product)
        picked = self.results.currentItem()
        template_title = text(self.chosen_template().title)
        if product and picked is not None:
            self.title.setText(f"{picked.data(Qt.ItemDataRole.UserRole)[1]} {template_title}")
        elif not product:
            self.title.setText(template_title)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            not product or picked is not None)

    def answer(self) -> dict[str, Any]:
        """What the scripts service's ``create`` takes."""
        t = self.chosen_template()
        picked = self.results.currentItem()
        return {"kind": t.kind, "title": self.title.text().strip() or text(t.title), "template_key": t.key,
                "product_id": picked.data(Qt.ItemDataRole.UserRole)[0] if self.for_product and picked else None,
                "broadcast_id": None if self.for_product else self.broadcast.currentData(),
                "segment": t.segment}
