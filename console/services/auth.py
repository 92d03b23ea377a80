"""Signing in: who this console's store is, its users, PINs and roles."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time as _time
from collections.abc import Callable
from uuid import UUID

from sqlalchemy import select

from console.domain.enums import AuditVia, Role
from console.domain.errors import NotFound, SignInFailed, ValidationError
from console.domain.permissions import Actor
from console.domain.values import StoreInfo, UserChoice
from console.i18n import msg, msg_n
from console.storage.db import Database
from console.storage.models import AuditLog, Store, User
from console.storage.types import utcnow
from console.services.base import STORE_ID_SETTING, local_store_id, store_info, write_setting

# scrypt at these costs takes tens of milliseconds: slow for a guesser, quick
# enough for a person. A PIN is short, so failed attempts are also throttled.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**13, 8, 1
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_SECONDS = 60.0


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(candidate.hex(), digest)


def check_pin_format(pin: str) -> None:
    # isdigit() alone lets in full-width and other Unicode digits (１２３４),
    # which an IME can type but which never match an ASCII PIN later.
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        raise ValidationError(msg("auth.pin_format", "A PIN is 4 to 8 digits."))


class AuthService:
    """Needs no actor: it is how one is obtained."""

    def __init__(self, db: Database, *, clock: Callable[[], float] = _time.monotonic) -> None:
        self._db = db
        self._clock = clock
        self._failures: dict[UUID, list[float]] = {}
        self._lock = threading.Lock()

    def local_store(self) -> StoreInfo | None:
        with self._db.begin() as session:
            store_id = local_store_id(session)
            if store_id is None:
                return None
            store = session.get(Store, store_id)
            return store_info(store) if store else None

    def create_store(
        self, *, code: str, name: str, manager_name: str, manager_login: str, pin: str,
        timezone: str = "Asia/Shanghai",
    ) -> StoreInfo:
        """First run: this console's store and its first store manager."""
        code, name = code.strip(), name.strip()
        if not code or not name or not manager_name.strip() or not manager_login.strip():
            raise ValidationError(msg("auth.store_fields_needed",
                                      "Store code, store name and the manager's name and login are all needed."))
        check_pin_format(pin)
        with self._db.begin() as session:
            if local_store_id(session) is not None:
                raise ValidationError(msg("auth.store_exists", "This console already belongs to a store."))
            store = Store(code=code, name=name, timezone=timezone)
            session.add(store)
            session.flush()
            manager = User(
                store_id=store.id, login=manager_login.strip(), display_name=manager_name.strip(),
                role=Role.STORE_MANAGER, pin_hash=hash_pin(pin),
            )
            session.add(manager)
            session.flush()
            write_setting(session, STORE_ID_SETTING, str(store.id))
            session.add(
                AuditLog(store_id=store.id, at=utcnow(), user_id=manager.id, via=AuditVia.GUI,
                         action="store_created", entity="store", entity_id=store.id)
            )
            return store_info(store)

    def list_users(self) -> list[UserChoice]:
        with self._db.begin() as session:
            store_id = local_store_id(session)
            if store_id is None:
                return []
            rows = session.scalars(
                select(User)
                .where(User.store_id == store_id, User.active.is_(True), User.deleted_at.is_(None))
                .order_by(User.role, User.display_name)
            )
            return [UserChoice(u.id, u.login, u.display_name, u.role) for u in rows]

    def sign_in(self, user_id: UUID, pin: str, *, via: AuditVia = AuditVia.GUI) -> Actor:
        self._check_throttle(user_id)
        with self._db.begin() as session:
            user = session.get(User, user_id)
            store_id = local_store_id(session)
            if user is None or user.is_deleted or not user.active or store_id is None:
                raise SignInFailed(msg("auth.user_cannot_sign_in", "That user cannot sign in on this console."))
            if user.store_id not in (store_id, None):
                raise SignInFailed(msg("auth.user_of_other_store", "That user belongs to another store."))
            if not verify_pin(pin, user.pin_hash):
                self._record_failure(user_id)
                raise SignInFailed(msg("auth.wrong_pin", "Wrong PIN; try again."))
            with self._lock:
                self._failures.pop(user_id, None)
            session.add(
                AuditLog(store_id=store_id, at=utcnow(), user_id=user.id, via=via,
                         action="signed_in", entity="user", entity_id=user.id)
            )
            return Actor(store_id=store_id, role=user.role, via=via, user_id=user.id,
                         display_name=user.display_name)

    def actor_for_login(self, login: str | None, *, via: AuditVia) -> Actor:
        """An actor without a PIN, for whoever already holds the data folder.

        Used by the command line and ``--screenshot``: anyone who can run them
        can read the database file directly, so a PIN would protect nothing.
        Without a login, the store's first store manager is used.
        """
        with self._db.begin() as session:
            store_id = local_store_id(session)
            if store_id is None:
                raise NotFound(msg("auth.no_store", "This console has no store yet; run the console once or "
                                   "`anchor-console demo`."))
            query = select(User).where(User.store_id == store_id, User.deleted_at.is_(None))
            if login:
                user = session.scalars(query.where(User.login == login)).first()
                if user is None:
                    raise NotFound(msg("auth.no_such_login", "No user with login '{login}' in this store.",
                                       login=login))
            else:
                user = session.scalars(
                    query.where(User.role == Role.STORE_MANAGER).order_by(User.created_at)
                ).first()
            if via is AuditVia.CLI:
                # The command line always acts with store-manager rights.
                return Actor(store_id=store_id, role=Role.STORE_MANAGER, via=via,
                             user_id=user.id if user else None,
                             display_name=user.display_name if user else "command line")
            if user is None:
                raise NotFound(msg("auth.no_manager", "This store has no store manager to sign in as."))
            return Actor(store_id=store_id, role=user.role, via=via, user_id=user.id,
                         display_name=user.display_name)

    def _check_throttle(self, user_id: UUID) -> None:
        now = self._clock()
        with self._lock:
            recent = [t for t in self._failures.get(user_id, []) if now - t < LOCKOUT_SECONDS]
            self._failures[user_id] = recent
            if len(recent) >= MAX_FAILED_ATTEMPTS:
                wait = int(LOCKOUT_SECONDS - (now - recent[0])) + 1
                raise SignInFailed(msg_n("auth.locked_out",
                                         "Too many wrong PINs; wait {count} second and try again.",
                                         "Too many wrong PINs; wait {count} seconds and try again.",
                                         count=wait))

    def _record_failure(self, user_id: UUID) -> None:
        with self._lock:
            self._failures.setdefault(user_id, []).append(self._clock())
