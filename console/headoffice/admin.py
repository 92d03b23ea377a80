"""Head-office administration: stores, enrollment codes and consoles, head-office user accounts.

Used by the command line, the enroll endpoint and the staff endpoints; every function takes
the caller's session and leaves committing to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, aliased

from console.headoffice import security
from console.headoffice.errors import AdminError, AlreadyExists, ApiError, NotFound
from console.headoffice.models import (
    CATALOG_SCOPE,
    AppliedMutation,
    Console,
    ConsoleCursor,
    EnrollmentCode,
    HeadOfficeRole,
    HeadOfficeUser,
    HeadOfficeUserStore,
    PushBatch,
    ScopeCounter,
    Store,
    store_scope,
)
from console.headoffice.sync import lock_scope, write_rows
from console.i18n import msg
from console.storage.ids import new_id
from console.storage.types import utcnow
from console.sync.protocol import PROTOCOL_VERSION, EnrollResponse

DEFAULT_CODE_LIFETIME = timedelta(hours=24)
DEFAULT_TIMEZONE = "Asia/Shanghai"
_STORE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_LOGIN = re.compile(r"^[a-z0-9._-]{2,64}$")


@dataclass(frozen=True)
class StoreInfo:
    id: UUID
    code: str
    name: str


@dataclass(frozen=True)
class ConsoleInfo:
    id: UUID
    store_code: str
    name: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @property
    def status(self) -> str:
        return "revoked" if self.revoked_at is not None else "active"


@dataclass(frozen=True)
class IssuedCode:
    code: str
    store_code: str
    expires_at: datetime


# --- stores -----------------------------------------------------------------


def store_row(store_id: UUID, code: str, name: str, *, city: str = "", group_name: str = "",
              at: datetime | None = None) -> dict[str, Any]:
    """The store as a catalog row in the console's ``store`` table."""
    stamp = (at or utcnow()).isoformat()
    return {"id": str(store_id), "created_at": stamp, "updated_at": stamp, "row_version": 1,
            "deleted_at": None, "code": code, "name": name, "group_name": group_name, "city": city,
            "timezone": DEFAULT_TIMEZONE}


def add_store(session: Session, code: str, name: str, *, row: dict[str, Any] | None = None) -> StoreInfo:
    """Register a store and publish its catalog row; ``row`` overrides the generated one."""
    code, name = code.strip(), name.strip()
    if not _STORE_CODE.match(code):
        raise AdminError(msg("headoffice_admin.bad_store_code",
                             "Store code '{code}' must be 1 to 32 letters, digits, '-' or '_'.", code=code))
    if not name:
        raise AdminError(msg("headoffice_admin.store_needs_name", "A store needs a name."))
    if session.scalar(select(Store.id).where(Store.code == code)) is not None:
        raise AlreadyExists(msg("headoffice_admin.store_exists", "Store {code} already exists.", code=code))
    row = row or store_row(new_id(), code, name)
    store = Store(id=UUID(row["id"]), code=code, name=name)
    session.add(store)
    session.flush()
    lock_scope(session, store_scope(store.id))
    write_rows(session, "store", [row])
    return StoreInfo(store.id, store.code, store.name)


def list_stores(session: Session) -> list[StoreInfo]:
    return [StoreInfo(s.id, s.code, s.name) for s in session.scalars(select(Store).order_by(Store.code))]


def _store_by_code(session: Session, code: str) -> Store:
    store = session.scalar(select(Store).where(Store.code == code))
    if store is None:
        raise NotFound(msg("headoffice_admin.no_such_store",
                           "There is no store {code}; `anchor-headoffice store list` shows the stores.", code=code))
    return store


# --- enrollment -------------------------------------------------------------


def issue_enrollment_code(session: Session, store_code: str,
                          lifetime: timedelta = DEFAULT_CODE_LIFETIME) -> IssuedCode:
    if lifetime <= timedelta(0):
        raise AdminError(msg("headoffice_admin.code_lifetime", "An enrollment code must stay valid for some time."))
    store = _store_by_code(session, store_code)
    code = security.new_enrollment_code()
    expires_at = utcnow() + lifetime
    session.add(EnrollmentCode(code_hash=security.enrollment_code_hash(code), store_id=store.id,
                               expires_at=expires_at))
    return IssuedCode(code=code, store_code=store.code, expires_at=expires_at)


def enroll(session: Session, code: str, console_name: str, *,
           token_lifetime: timedelta | None = None) -> EnrollResponse:
    """Trade a one-time code for a console token; the code is claimed, and spent once enrollment completes.

    The claim is one conditional ``UPDATE``, so of two consoles racing for a code only one gets it.
    The claimed code stays with that console (no other can use it) until the console completes
    its enrollment (:func:`complete_enrollment`: the code is spent) or gives it back
    (:func:`release_enrollment`: its upload was refused, so the code works again).
    """
    now = utcnow()
    code_hash = security.enrollment_code_hash(code)
    console_id = new_id()
    found = session.get(EnrollmentCode, code_hash)
    if found is None or found.used_at is not None:
        raise ApiError(403, "code_invalid",
                       "This enrollment code is unknown or was already used; ask head office for a new one.")
    token = security.new_token()
    session.add(Console(id=console_id, store_id=found.store_id, name=console_name.strip(),
                        token_hash=security.token_hash(token), enrolled_at=now,
                        expires_at=now + token_lifetime if token_lifetime else None))
    session.flush()
    claimed = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.code_hash == code_hash, EnrollmentCode.used_at.is_(None),
               EnrollmentCode.console_id.is_(None), EnrollmentCode.expires_at > now)
        .values(console_id=console_id)
        .returning(EnrollmentCode.store_id)
    ).scalar_one_or_none()
    if claimed is None:
        session.expire_all()
        found = session.get(EnrollmentCode, code_hash)
        if found is not None and found.used_at is None and found.console_id is not None:
            raise ApiError(403, "code_in_use",
                           "Another console is enrolling with this code right now; ask head office for a new one.")
        if found is not None and found.used_at is None:
            raise ApiError(403, "code_expired",
                           f"This enrollment code expired on {found.expires_at:%Y-%m-%d %H:%M} UTC; "
                           "ask head office for a new one.")
        raise ApiError(403, "code_invalid",
                       "This enrollment code is unknown or was already used; ask head office for a new one.")
    store = session.get_one(Store, claimed)
    # A new console loads a snapshot first, so it holds back no tombstone older than today's versions.
    for scope_key in (CATALOG_SCOPE, store_scope(store.id)):
        counter = session.get(ScopeCounter, scope_key)
        session.add(ConsoleCursor(console_id=console_id, scope_key=scope_key,
                                  acked_version=counter.version if counter else 0))
    return EnrollResponse(console_id=console_id, token=token, store_id=store.id, store_code=store.code,
                          store_name=store.name, protocol_version=PROTOCOL_VERSION)


def complete_enrollment(session: Session, console_id: UUID) -> bool:
    """The console's data follows its store now: spend its code. True if this call spent it (idempotent)."""
    spent = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.console_id == console_id, EnrollmentCode.used_at.is_(None))
        .values(used_at=utcnow())
        .returning(EnrollmentCode.code_hash)
    ).scalar_one_or_none()
    return spent is not None


def release_enrollment(session: Session, console_id: UUID) -> None:
    """Give the code back (the console's upload was refused before anything was sent) and retire the console.

    Refused once the enrollment completed or the console has sent a change: its
    data is then at head office, and the code stays spent.
    """
    code = session.scalar(select(EnrollmentCode).where(EnrollmentCode.console_id == console_id)
                          .with_for_update())
    sent = session.scalar(select(AppliedMutation.mutation_id).where(AppliedMutation.console_id == console_id)
                          .limit(1))
    if code is None or code.used_at is not None or sent is not None:
        raise ApiError(409, "enrollment_complete",
                       "This console's enrollment is complete; its code cannot be given back.")
    released = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.code_hash == code.code_hash, EnrollmentCode.console_id == console_id,
               EnrollmentCode.used_at.is_(None))
        .values(console_id=None)
    ).rowcount
    if released != 1:
        raise ApiError(409, "enrollment_complete",
                       "This console's enrollment is complete; its code cannot be given back.")
    session.execute(update(Console).where(Console.id == console_id).values(revoked_at=utcnow()))
    session.execute(delete(ConsoleCursor).where(ConsoleCursor.console_id == console_id))


# --- consoles ---------------------------------------------------------------


def _console_info(console: Console, store_code: str) -> ConsoleInfo:
    return ConsoleInfo(id=console.id, store_code=store_code, name=console.name, enrolled_at=console.enrolled_at,
                       last_seen_at=console.last_seen_at, expires_at=console.expires_at,
                       revoked_at=console.revoked_at)


def list_consoles(session: Session, store_code: str) -> list[ConsoleInfo]:
    store = _store_by_code(session, store_code)
    consoles = session.scalars(select(Console).where(Console.store_id == store.id).order_by(Console.enrolled_at))
    return [_console_info(c, store.code) for c in consoles]


def revoke_console(session: Session, console_id: str) -> ConsoleInfo:
    try:
        key = UUID(console_id)
    except ValueError:
        raise AdminError(msg("headoffice_admin.bad_console_id",
                             "'{console}' is not a console id; `anchor-headoffice console list` shows them.",
                             console=console_id)) from None
    console = session.get(Console, key)
    if console is None:
        raise NotFound(msg("headoffice_admin.no_such_console", "There is no console {console}.", console=console_id))
    if console.revoked_at is None:
        console.revoked_at = utcnow()
    store = session.get_one(Store, console.store_id)
    return _console_info(console, store.code)


# --- head-office users ------------------------------------------------------


def add_user(session: Session, login: str, display_name: str, role: str, password: str,
             stores: Sequence[str] = ()) -> UUID:
    """A new account; with ``stores`` (store codes) it sees only those stores, else every store."""
    login = login.strip().lower()
    if not _LOGIN.match(login):
        raise AdminError(msg("headoffice_admin.bad_login",
                             "Login '{login}' must be 2 to 64 lower-case letters, digits, '.', '-' or '_'.",
                             login=login))
    if not display_name.strip():
        raise AdminError(msg("headoffice_admin.user_needs_name", "A head-office user needs a name."))
    roles = [r.value for r in HeadOfficeRole]
    if role not in roles:
        raise AdminError(msg("headoffice_admin.bad_role", "Role '{role}' is not one of {roles}.", role=role,
                             roles=", ".join(roles)))
    if len(password) < 10:
        raise AdminError(msg("headoffice_admin.short_password", "A head-office password needs at least 10 characters."))
    scoped = _stores_by_codes(session, stores)
    if scoped and role == HeadOfficeRole.ADMIN:
        # An administrator adds stores and accounts for the whole group; a partial one would be a hole.
        raise AdminError(msg("headoffice_admin.admin_sees_all", "An admin account sees every store; give --stores "
                                                                "to analyst or catalog_manager accounts."))
    if session.scalar(select(HeadOfficeUser.id).where(HeadOfficeUser.login == login)) is not None:
        raise AlreadyExists(msg("headoffice_admin.user_exists", "There is already a head-office user {login}.",
                                login=login))
    user = HeadOfficeUser(login=login, display_name=display_name.strip(), role=role,
                          password_hash=security.hash_password(password))
    session.add(user)
    session.flush()
    session.add_all(HeadOfficeUserStore(user_id=user.id, store_id=store.id) for store in scoped)
    session.flush()
    return user.id


def _stores_by_codes(session: Session, codes: Sequence[str]) -> list[Store]:
    """The stores named, each once, in the order given; an unknown code is refused by name."""
    wanted = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not wanted:
        return []
    found = {s.code: s for s in session.scalars(select(Store).where(Store.code.in_(wanted)))}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise NotFound(msg("headoffice_admin.no_such_store",
                           "There is no store {code}; `anchor-headoffice store list` shows the stores.",
                           code=", ".join(unknown)))
    return [found[code] for code in wanted]


def user_store_ids(session: Session, user_id: UUID) -> frozenset[UUID] | None:
    """The stores a user may see, or None for every store (an account without a store scope)."""
    ids = frozenset(session.scalars(select(HeadOfficeUserStore.store_id)
                                    .where(HeadOfficeUserStore.user_id == user_id)))
    return ids or None


def check_password(session: Session, login: str, password: str) -> HeadOfficeUser | None:
    """The user with this login and password, active or not (the caller decides), else None.

    An unknown login costs a password check as well, so how long the answer
    takes does not tell which logins exist.
    """
    user = session.scalar(select(HeadOfficeUser).where(HeadOfficeUser.login == login.strip().lower()))
    stored = user.password_hash if user is not None else _decoy_password_hash()
    if not security.verify_password(password, stored):
        return None
    return user


@cache
def _decoy_password_hash() -> str:
    return security.hash_password(security.new_token())


# --- housekeeping -----------------------------------------------------------

# A console retries a batch until it is answered, within minutes; a month covers any outage.
DEFAULT_ANSWER_DAYS = 30
_KEEP_A_DAY = msg("headoffice_admin.keep_a_day",
                  "Keep push answers for a day at least; a console may still be retrying.")


def prune_answers(session: Session, older_than: timedelta = timedelta(days=DEFAULT_ANSWER_DAYS),
                  now: datetime | None = None) -> int:
    """Drop stored push answers older than ``older_than``; returns how many went.

    Only the stored bytes of old answers go: a batch retried after that still
    applies nothing, since every mutation id stays recorded and is answered
    ``duplicate``, just no longer with the first answer's exact bytes.
    """
    if older_than < timedelta(days=1):
        raise AdminError(_KEEP_A_DAY)
    cutoff = (now or utcnow()) - older_than
    return session.execute(delete(PushBatch).where(PushBatch.created_at < cutoff)).rowcount or 0


def prune_mutations(session: Session, older_than: timedelta = timedelta(days=DEFAULT_ANSWER_DAYS),
                    now: datetime | None = None) -> int:
    """Drop the records of answered mutations older than ``older_than`` that a later one supersedes.

    A mutation's record does two jobs: a retry of it is answered ``duplicate``, and the console's
    next edit of the row, built on the version it made, is known as that console's own chain. Both
    need only the newest mutation of each console for each row: a console retries a batch until it
    is answered, and pushes in order, so once a later mutation of the row (a higher row version: a
    console numbers its own edits) has been answered the earlier one never comes again. The newest stays, however old, so a batch retried after its
    stored answer was pruned still applies nothing.
    """
    if older_than < timedelta(days=1):
        raise AdminError(_KEEP_A_DAY)
    cutoff = (now or utcnow()) - older_than
    newer = aliased(AppliedMutation)
    superseded = (
        select(newer.mutation_id)
        .where(newer.console_id == AppliedMutation.console_id, newer.table_name == AppliedMutation.table_name,
               newer.row_id == AppliedMutation.row_id, newer.row_version > AppliedMutation.row_version)
        .exists()
    )
    return session.execute(
        delete(AppliedMutation).where(AppliedMutation.applied_at < cutoff, superseded)
        .execution_options(synchronize_session=False)).rowcount or 0
