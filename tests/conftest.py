"""Shared fixtures: a real SQLite store under tmp_path, its store, and signed-in actors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.domain.enums import AuditVia, Role
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.services.auth import AuthService, hash_pin
from console.storage.db import Database, open_database
from console.storage.models import User

# Before any test makes a QApplication: widgets render off-screen in tests and CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The command line speaks the locale's language (else Chinese); tests that read
# its English output run under an English locale whatever the machine's, and
# the language tests set their own.
os.environ["LANG"] = "C.UTF-8"
for _variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_variable, None)

MANAGER_LOGIN = "manager"
MANAGER_PIN = "2468"
ANCHOR_LOGIN = "anchor1"
ANCHOR_PIN = "1357"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The data folder of the test's store (created by ``db``)."""
    return tmp_path / "store"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """A freshly created and migrated local store, closed at teardown."""
    database = open_database(data_dir)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def auth(db: Database) -> AuthService:
    return AuthService(db)


@pytest.fixture
def store(auth: AuthService) -> StoreInfo:
    """This console's store and its first store manager (login ``manager``)."""
    return auth.create_store(
        code="SH01", name="Test Department Store", manager_name="Manager Wang",
        manager_login=MANAGER_LOGIN, pin=MANAGER_PIN,
    )


def _user_id(auth: AuthService, login: str):  # type: ignore[no-untyped-def]
    return next(u.id for u in auth.list_users() if u.login == login)


@pytest.fixture
def manager_actor(auth: AuthService, store: StoreInfo) -> Actor:
    return auth.sign_in(_user_id(auth, MANAGER_LOGIN), MANAGER_PIN, via=AuditVia.GUI)


@pytest.fixture
def anchor_actor(db: Database, auth: AuthService, store: StoreInfo) -> Actor:
    """A signed-in user with the anchor role (login ``anchor1``)."""
    with db.begin() as session:
        session.add(User(store_id=store.id, login=ANCHOR_LOGIN, display_name="Anchor Li",
                         role=Role.ANCHOR, pin_hash=hash_pin(ANCHOR_PIN)))
    return auth.sign_in(_user_id(auth, ANCHOR_LOGIN), ANCHOR_PIN, via=AuditVia.GUI)
