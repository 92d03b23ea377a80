"""Sign-in (choose a user, enter a PIN) and first-run set-up of a new store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot
from shiboken6 import isValid

from console.domain.errors import DomainError
from console.domain.permissions import Actor
from console.domain.values import StoreInfo, UserChoice
from console.i18n import text
from console.services.worker import DbWorker
from ui.text import role_text

if TYPE_CHECKING:
    from console.services.auth import AuthService


_PIN = QRegularExpression(r"\d{0,8}")


def _pin_edit(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setValidator(QRegularExpressionValidator(_PIN, edit))
    edit.setMaxLength(8)
    return edit


class SignInDialog(QDialog):
    """Choose who you are and enter a PIN.

    Made without ``auth`` and ``store`` it shows as "opening the store" at
    once, while the database opens; :meth:`attach` then fills it in.
    """

    signed_in = Signal(object)  # Actor
    users_loaded = Signal()

    def __init__(self, auth: AuthService | None, worker: DbWorker, store: StoreInfo | None,
                 last_login: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignInDialog")
        self._auth = auth
        self._worker = worker
        self._store = store
        self._last_login = last_login
        self._users: list[UserChoice] = []
        self._sign_in_asked = False
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("PageTitle")
        form = QFormLayout()
        self.user_caption, self.pin_caption = QLabel(self), QLabel(self)
        self.user_combo = QComboBox(self)
        self.pin_edit = _pin_edit(self)
        form.addRow(self.user_caption, self.user_combo)
        form.addRow(self.pin_caption, self.pin_edit)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("Problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.sign_in_button = QPushButton(self)
        self.sign_in_button.setDefault(True)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.sign_in_button, 0, Qt.AlignmentFlag.AlignRight)
        # Return in the PIN field presses the default button; no second connection,
        # or one key press would sign in twice.
        self.sign_in_button.clicked.connect(self._on_sign_in)
        self.setMinimumWidth(420)
        self._set_ready(store is not None)
        self.retranslate()

    @property
    def store(self) -> StoreInfo | None:
        return self._store

    def preview(self, store: StoreInfo, users: list[UserChoice]) -> None:
        """The store's users, read before the store is open: a person may choose and type meanwhile.

        Signing in waits for :meth:`attach`; a sign-in asked for earlier goes ahead then.
        """
        self._store = store
        self._show_users(users)
        self._set_ready(True)
        self.retranslate()
        self.users_loaded.emit()

    def attach(self, auth: AuthService, store: StoreInfo) -> None:
        """The store is open: sign-in can begin."""
        self._auth, self._store = auth, store
        self._set_ready(True)
        self.retranslate()
        if self._sign_in_asked:
            self._sign_in_asked = False
            self.sign_in_button.click()

    def _set_ready(self, ready: bool) -> None:
        for widget in (self.user_combo, self.pin_edit, self.sign_in_button):
            widget.setEnabled(ready)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in — Anchor Console"))
        if self._store is None:
            self.heading.setText(self.tr("Opening the store…"))
        else:
            self.heading.setText(self.tr("Sign in to %1").replace("%1", self._store.name))
        self.user_caption.setText(self.tr("Who are you"))
        self.pin_caption.setText(self.tr("PIN"))
        self.sign_in_button.setText(self.tr("Sign in"))

    async def load_users(self) -> None:
        assert self._auth is not None
        users = await self._worker.run(self._auth.list_users)
        if not isValid(self):   # signed in meanwhile (the list was previewed): this window is gone
            return
        if users != self._users:
            self._show_users(users)
        self.pin_edit.setFocus()
        self.users_loaded.emit()

    def _show_users(self, users: list[UserChoice]) -> None:
        # Who was chosen stays chosen (the list may come twice: previewed, then from the open store).
        chosen = self.selected_user()
        self._users = users
        self.user_combo.blockSignals(True)
        self.user_combo.clear()
        for user in users:
            self.user_combo.addItem(f"{user.display_name} · {role_text(user.role)}", user.id)
        wanted = [i for i, u in enumerate(users) if chosen is not None and u.id == chosen.id] or \
                 [i for i, u in enumerate(users) if u.login == self._last_login]
        if wanted:
            self.user_combo.setCurrentIndex(wanted[0])
        self.user_combo.blockSignals(False)
        self.pin_edit.setFocus()

    def selected_user(self) -> UserChoice | None:
        index = self.user_combo.currentIndex()
        return self._users[index] if 0 <= index < len(self._users) else None

    @asyncSlot()
    async def _on_sign_in(self) -> None:
        user = self.selected_user()
        if user is not None and self._auth is None:
            self._sign_in_asked = True      # the store is still opening: signing in goes ahead with it
            return
        if user is None or self._auth is None or not self.sign_in_button.isEnabled():
            return
        self.sign_in_button.setEnabled(False)
        try:
            actor: Actor = await self._worker.run(self._auth.sign_in, user.id, self.pin_edit.text())
        except DomainError as exc:
            self.problem_label.setText(text(exc))
            self.problem_label.show()
            self.pin_edit.clear()
            self.pin_edit.setFocus()
            return
        finally:
            self.sign_in_button.setEnabled(True)
        self.pin_edit.clear()
        self.signed_in.emit(actor)


class FirstRunDialog(QDialog):
    """A new data folder: name the store and its first store manager."""

    store_created = Signal(object)  # StoreInfo

    def __init__(self, auth: AuthService, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstRunDialog")
        self._auth = auth
        self._worker = worker
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("PageTitle")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        form = QFormLayout()
        self.code_edit, self.name_edit = QLineEdit(self), QLineEdit(self)
        self.manager_edit, self.login_edit = QLineEdit(self), QLineEdit(self)
        self.pin_edit, self.pin_again_edit = _pin_edit(self), _pin_edit(self)
        self.captions = [QLabel(self) for _ in range(6)]
        for caption, edit in zip(self.captions, (self.code_edit, self.name_edit, self.manager_edit,
                                                 self.login_edit, self.pin_edit, self.pin_again_edit)):
            form.addRow(caption, edit)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("Problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.create_button = QPushButton(self)
        self.create_button.setDefault(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)
        self.create_button.clicked.connect(self._on_create)
        self.setMinimumWidth(480)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New store — Anchor Console"))
        self.heading.setText(self.tr("Set up this console"))
        self.intro.setText(self.tr(
            "This data folder holds no store yet. Name the store and its first store manager. "
            "To look around first, close this and run: anchor-console demo"))
        for caption, words in zip(self.captions, (
            self.tr("Store code"), self.tr("Store name"), self.tr("Manager's name"),
            self.tr("Manager's login"), self.tr("PIN (4–8 digits)"), self.tr("PIN again"),
        )):
            caption.setText(words)
        self.create_button.setText(self.tr("Create store"))

    @asyncSlot()
    async def _on_create(self) -> None:
        if self.pin_edit.text() != self.pin_again_edit.text():
            self._problem(self.tr("The two PINs differ."))
            return
        self.create_button.setEnabled(False)
        try:
            store = await self._worker.run(
                self._auth.create_store, code=self.code_edit.text(), name=self.name_edit.text(),
                manager_name=self.manager_edit.text(), manager_login=self.login_edit.text(),
                pin=self.pin_edit.text(),
            )
        except DomainError as exc:
            self._problem(text(exc))
            return
        finally:
            self.create_button.setEnabled(True)
        self.store_created.emit(store)

    def _problem(self, problem: str) -> None:
        self.problem_label.setText(problem)
        self.problem_label.show()
