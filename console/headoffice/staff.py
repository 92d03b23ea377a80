"""Head-office staff over HTTP: sign-in sessions and the role-gated endpoints under /v1/staff.

Staff tokens live in ``head_office_session``, console tokens in ``console``:
neither kind is ever looked up in the other's table, so a console token
opens no staff endpoint and a staff token no sync endpoint. Like the console
routes, each endpoint does all its database work in one transaction in its
own worker thread (``as_staff``); the token is read and rate-limited on the
event loop first, without touching the database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.headoffice import admin, report_api, security
from console.headoffice.guards import RateLimiter, protocol_version
from console.headoffice.errors import AdminError, AlreadyExists, ApiError, NotFound
from console.headoffice.models import (
    CATALOG_SCOPE,
    HeadOfficeRole,
    HeadOfficeSession,
    HeadOfficeUser,
    ScopeCounter,
    SyncedRow,
)
from console.headoffice.sync import lock_scope, write_rows
from console.storage.types import utcnow
from console.sync.protocol import ErrorBody, StoredText, WireModel
from console.sync.tables import TABLES, RowProblem

SESSION_LIFETIME = timedelta(hours=12)
# Sign-in attempts per client address and minute, per process: a password guesser gets ten a minute,
# where the general limiter (made for consoles' sync traffic) would allow twenty a second.
SIGN_IN_PER_MINUTE = 10
# Expired sign-ins are kept this long, so a stale token is told "expired" rather than "unknown".
_KEEP_EXPIRED = timedelta(days=30)
MAX_PRODUCTS = 1000
STORE_CODE_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"

ANY_ROLE = frozenset(HeadOfficeRole)
ADMIN = frozenset({HeadOfficeRole.ADMIN})
CATALOG_EDITORS = frozenset({HeadOfficeRole.CATALOG_MANAGER, HeadOfficeRole.ADMIN})
# What each role may open: an analyst reads reports and nothing else (no live wall, no store admin pages).
REPORT_READERS = ANY_ROLE
OPERATIONS_READERS = frozenset({HeadOfficeRole.ADMIN, HeadOfficeRole.CATALOG_MANAGER})


# --- wire shapes --------------------------------------------------------------


class SignInRequest(WireModel):
    login: Annotated[StoredText, Field(min_length=1, max_length=64)]
    password: Annotated[StoredText, Field(min_length=1, max_length=1024)]


class StaffUser(WireModel):
    login: str
    display_name: str
    role: HeadOfficeRole


class SignedIn(WireModel):
    token: str = Field(description="Send it as 'Authorization: Bearer TOKEN'; shown once, stored only hashed")
    expires_at: datetime
    user: StaffUser


class Me(WireModel):
    user: StaffUser
    expires_at: datetime = Field(description="When this sign-in ends")


class StoreSummary(WireModel):
    id: UUID
    code: str
    name: str
    consoles: int = Field(description="Consoles enrolled and not revoked")


class StoreList(WireModel):
    stores: list[StoreSummary]


class NewStore(WireModel):
    code: Annotated[str, Field(pattern=STORE_CODE_PATTERN)]
    name: Annotated[StoredText, Field(min_length=1, max_length=200)]


_DEFAULT_CODE_HOURS = admin.DEFAULT_CODE_LIFETIME / timedelta(hours=1)


class CodeRequest(WireModel):
    hours: Annotated[float, Field(ge=1 / 60, le=24 * 30, description="How long the code stays valid: "
                                                                     "a minute to 30 days")] = _DEFAULT_CODE_HOURS


class IssuedCode(WireModel):
    code: str = Field(description="Usable once, by one console of the store")
    store_code: str
    expires_at: datetime


class ConsoleState(WireModel):
    id: UUID
    store_code: str
    name: str
    status: str
    enrolled_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class ProductRows(WireModel):
    products: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_PRODUCTS,
                                                    description="Whole rows of the console's product table")]


class ProductsWritten(WireModel):
    written: int
    catalog_version: int = Field(description="The catalog scope's version after the write")


# --- sessions ---------------------------------------------------------------


@dataclass(frozen=True)
class Staff:
    """The signed-in user a request comes from, as its token says."""

    session_id: UUID
    user_id: UUID
    login: str
    display_name: str
    role: HeadOfficeRole
    expires_at: datetime
    # The stores this account may see; None: every store of the group.
    store_ids: frozenset[UUID] | None = None

    def wire(self) -> StaffUser:
        return StaffUser(login=self.login, display_name=self.display_name, role=self.role)

    def sees_store(self, store_id: UUID) -> bool:
        return self.store_ids is None or store_id in self.store_ids


def visible_store_ids(staff: Staff) -> frozenset[UUID] | None:
    """The ids of the stores a signed-in staff member may see, or None for every store.

    Every page, export and API answer that shows store data filters by this:
    a regional manager's account (``user add --stores``) sees only its stores.
    """
    return staff.store_ids


def visible_stores(session: Session, staff: Staff) -> list[admin.StoreInfo]:
    """The stores this staff member may see, by code."""
    return [store for store in admin.list_stores(session) if staff.sees_store(store.id)]


def sign_in(session: Session, login: str, password: str, lifetime: timedelta) -> SignedIn:
    user = admin.check_password(session, login, password)
    if user is None:
        raise ApiError(401, "sign_in_failed", "This login and password do not match a head-office account.")
    if not user.active:
        raise ApiError(401, "account_disabled",
                       f"The head-office account {user.login} is disabled; ask an administrator.")
    now = utcnow()
    session.execute(delete(HeadOfficeSession).where(HeadOfficeSession.user_id == user.id,
                                                    HeadOfficeSession.expires_at < now - _KEEP_EXPIRED))
    token = security.new_token()
    expires_at = now + lifetime
    session.add(HeadOfficeSession(user_id=user.id, token_hash=security.token_hash(token), created_at=now,
                                  expires_at=expires_at))
    return SignedIn(token=token, expires_at=expires_at,
                    user=StaffUser(login=user.login, display_name=user.display_name, role=user.role))


def authenticate(session: Session, token: str, now: datetime | None = None) -> Staff:
    now = now or utcnow()
    found = session.execute(
        select(HeadOfficeSession, HeadOfficeUser).join(HeadOfficeUser, HeadOfficeUser.id == HeadOfficeSession.user_id)
        .where(HeadOfficeSession.token_hash == security.token_hash(token))
    ).one_or_none()
    if found is None:
        raise ApiError(401, "token_unknown", "This staff token is not known to the service; sign in again.")
    signed_in, user = found
    if signed_in.revoked_at is not None:
        raise ApiError(401, "token_revoked",
                       f"This staff token was signed out on {signed_in.revoked_at:%Y-%m-%d %H:%M} UTC; "
                       "sign in again.")
    if signed_in.expires_at <= now:
        raise ApiError(401, "token_expired",
                       f"This staff token expired on {signed_in.expires_at:%Y-%m-%d %H:%M} UTC; sign in again.")
    if not user.active:
        raise ApiError(401, "account_disabled",
                       f"The head-office account {user.login} is disabled; ask an administrator.")
    return Staff(session_id=signed_in.id, user_id=user.id, login=user.login, display_name=user.display_name,
                 role=HeadOfficeRole(user.role), expires_at=signed_in.expires_at,
                 store_ids=admin.user_store_ids(session, user.id))


def sign_out(session: Session, staff: Staff) -> None:
    session.execute(update(HeadOfficeSession).where(HeadOfficeSession.id == staff.session_id)
                    .values(revoked_at=utcnow()))


# --- catalog products -------------------------------------------------------


def check_products(payloads: Sequence[Mapping[str, Any]]) -> None:
    """Every row is a whole product row, ids and SKUs are not repeated, or the request is refused."""
    spec = TABLES["product"]
    first_of_id: dict[str, int] = {}
    first_of_sku: dict[str, int] = {}
    for index, payload in enumerate(payloads):
        where = f"Product row {index}"
        try:
            spec.check_row(payload)
        except RowProblem as exc:
            raise ApiError(422, "invalid_row", f"{where}: {exc}.") from None
        if payload["row_version"] < 1:
            raise ApiError(422, "invalid_row", f"{where}: field product.row_version must be 1 or more.")
        row_id, sku = str(UUID(payload["id"])), payload["sku"]
        if row_id in first_of_id:
            raise ApiError(422, "invalid_row",
                           f"{where}: field product.id repeats row {first_of_id[row_id]}'s id {row_id}.")
        if sku in first_of_sku:
            raise ApiError(422, "invalid_row",
                           f"{where}: field product.sku repeats row {first_of_sku[sku]}'s SKU {sku!r}.")
        first_of_id[row_id], first_of_sku[sku] = index, index


def put_products(session: Session, payloads: Sequence[dict[str, Any]]) -> ProductsWritten:
    """Insert or replace whole product rows in the catalog scope; each gets a new catalog version."""
    # Under the catalog lock, so no concurrent write can give another product the same SKU meanwhile.
    lock_scope(session, CATALOG_SCOPE)
    index_of_sku = {p["sku"]: index for index, p in enumerate(payloads)}
    sku = SyncedRow.data["sku"].as_string()
    taken = session.execute(
        select(SyncedRow.row_id, sku).where(SyncedRow.table_name == "product", SyncedRow.scope_key == CATALOG_SCOPE,
                                            sku.in_(list(index_of_sku)))
    ).all()
    for row_id, held in sorted(taken, key=lambda found: index_of_sku[found[1]]):
        index = index_of_sku[held]
        if UUID(payloads[index]["id"]) != row_id:
            # A console keeps SKUs unique; two products with one SKU would stop its catalog pulls.
            raise ApiError(422, "invalid_row", f"Product row {index}: field product.sku {held!r} "
                                               f"already belongs to product {row_id}.")
    written = write_rows(session, "product", payloads)
    version = session.scalar(select(ScopeCounter.version).where(ScopeCounter.scope_key == CATALOG_SCOPE))
    return ProductsWritten(written=written, catalog_version=version or 0)


# --- the router ---------------------------------------------------------------

_bearer = HTTPBearer(auto_error=False, scheme_name="StaffToken",
                     description="The staff token from POST /v1/staff/sign-in")


async def staff_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The bearer token, rate-limited per token before any database work (on the event loop)."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise ApiError(401, "token_missing",
                       "Sign in first and send the staff token as 'Authorization: Bearer TOKEN'.")
    wait = request.app.state.limiter.take(f"staff:{security.token_hash(credentials.credentials)}")
    if wait:
        raise ApiError(429, "rate_limited", "Too many requests with this staff token; wait a moment and retry.",
                       headers={"Retry-After": str(max(1, round(wait)))})
    return credentials.credentials


StaffToken = Annotated[str, Depends(staff_token)]


@contextmanager
def as_staff(request: Request, token: str, allowed: frozenset[HeadOfficeRole],
             action: str) -> Iterator[tuple[Session, Staff]]:
    """One transaction for the whole request, authenticated and role-checked first; commits on success.

    Called by the endpoint itself, in its worker thread: see ``app.as_console`` for why not a dependency.
    """
    with request.app.state.sessions.begin() as session:
        staff = authenticate(session, token)
        if staff.role not in allowed:
            needed = " or ".join(sorted(role.value for role in allowed))
            raise ApiError(403, "role_required",
                           f"{action} needs the {needed} role; {staff.login} has the {staff.role.value} role.")
        yield session, staff


_REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text} for status, text in (
        (400, "Malformed JSON or a missing protocol header"),
        (401, "Wrong login or password, a disabled account, or no, an unknown, signed-out or expired staff token"),
        (403, "The user's role does not allow this"), (404, "No such store or console"),
        (409, "The store code is taken"), (413, "Too large a body"),
        (422, "Wrong types or fields, or a product row that does not fit the product table"),
        (426, "The client's protocol is too old"), (429, "Too many sign-in attempts or requests"),
    )
}


def router(*, session_lifetime: timedelta = SESSION_LIFETIME, sign_in_per_minute: int = SIGN_IN_PER_MINUTE
           ) -> APIRouter:
    """The /v1/staff routes; the sign-in limiter is this router's own, so one per app."""
    staff_routes = APIRouter(prefix="/v1/staff", dependencies=[Depends(protocol_version)], responses=_REFUSALS,
                             tags=["staff"])
    sign_in_limiter = RateLimiter(sign_in_per_minute / 60, sign_in_per_minute)

    async def sign_in_allowed(request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        wait = sign_in_limiter.take(f"staff-sign-in:{client}")
        if wait:
            raise ApiError(429, "rate_limited",
                           "Too many sign-in attempts from this address; wait a minute and retry.",
                           headers={"Retry-After": str(max(1, round(wait)))})

    @staff_routes.post("/sign-in", response_model=SignedIn, dependencies=[Depends(sign_in_allowed)])
    def sign_in_endpoint(request: Request, response: Response, body: SignInRequest) -> SignedIn:
        """Trade a head-office login and password for a staff token (shown once, stored only hashed)."""
        response.headers["Cache-Control"] = "no-store"
        with request.app.state.sessions.begin() as session:
            return sign_in(session, body.login, body.password, session_lifetime)

    @staff_routes.post("/sign-out", status_code=204, response_class=Response)
    def sign_out_endpoint(request: Request, token: StaffToken) -> Response:
        """End this sign-in: its token is refused from now on."""
        with as_staff(request, token, ANY_ROLE, "Signing out") as (session, staff):
            sign_out(session, staff)
        return Response(status_code=204)

    @staff_routes.get("/me", response_model=Me)
    def me(request: Request, token: StaffToken) -> Me:
        """Who this token signs in, and until when."""
        with as_staff(request, token, ANY_ROLE, "Reading one's account") as (_session, staff):
            return Me(user=staff.wire(), expires_at=staff.expires_at)

    @staff_routes.get("/stores", response_model=StoreList)
    def list_stores(request: Request, token: StaffToken) -> StoreList:
        """The group's stores this account may see, each with its count of consoles in use."""
        with as_staff(request, token, ANY_ROLE, "Listing stores") as (session, staff):
            stores = [StoreSummary(id=store.id, code=store.code, name=store.name,
                                   consoles=sum(c.status == "active"
                                                for c in admin.list_consoles(session, store.code)))
                      for store in visible_stores(session, staff)]
        return StoreList(stores=stores)

    @staff_routes.post("/stores", response_model=StoreSummary, status_code=201)
    def add_store(request: Request, token: StaffToken, body: NewStore) -> StoreSummary:
        """Register a store and publish its catalog row to every console."""
        try:
            with as_staff(request, token, ADMIN, "Adding a store") as (session, _staff):
                store = admin.add_store(session, body.code, body.name)
        except (AlreadyExists, IntegrityError):  # IntegrityError: another request added the code meanwhile
            raise ApiError(409, "store_exists",
                           f"Store {body.code} already exists; store codes are unique.") from None
        except AdminError as exc:
            raise ApiError(422, "invalid_request", str(exc)) from None
        return StoreSummary(id=store.id, code=store.code, name=store.name, consoles=0)

    @staff_routes.post("/stores/{code}/enrollment-code", response_model=IssuedCode, status_code=201)
    def issue_enrollment_code(request: Request, token: StaffToken,
                              code: Annotated[str, Path(pattern=STORE_CODE_PATTERN)],
                              body: CodeRequest | None = None) -> IssuedCode:
        """A one-time code that enrolls one console of the store through POST /v1/enroll."""
        lifetime = timedelta(hours=(body or CodeRequest()).hours)
        try:
            with as_staff(request, token, ADMIN, "Issuing an enrollment code") as (session, _staff):
                issued = admin.issue_enrollment_code(session, code, lifetime)
        except NotFound:
            raise ApiError(404, "store_unknown",
                           f"There is no store {code}; GET /v1/staff/stores lists them.") from None
        except AdminError as exc:
            raise ApiError(422, "invalid_request", str(exc)) from None
        return IssuedCode(code=issued.code, store_code=issued.store_code, expires_at=issued.expires_at)

    @staff_routes.post("/consoles/{console_id}/revoke", response_model=ConsoleState)
    def revoke_console(request: Request, token: StaffToken, console_id: UUID) -> ConsoleState:
        """Refuse the console's token from now on (its rows stay); revoking twice changes nothing."""
        try:
            with as_staff(request, token, ADMIN, "Revoking a console") as (session, _staff):
                info = admin.revoke_console(session, str(console_id))
        except NotFound:
            raise ApiError(404, "console_unknown", f"There is no console {console_id}.") from None
        return ConsoleState(id=info.id, store_code=info.store_code, name=info.name, status=info.status,
                            enrolled_at=info.enrolled_at, last_seen_at=info.last_seen_at,
                            expires_at=info.expires_at, revoked_at=info.revoked_at)

    @staff_routes.put("/catalog/products", response_model=ProductsWritten)
    def put_products_endpoint(request: Request, token: StaffToken, body: ProductRows) -> ProductsWritten:
        """Insert or replace whole product rows in the catalog, all or none; consoles get them on their next pull."""
        with as_staff(request, token, CATALOG_EDITORS, "Changing the catalog") as (session, _staff):
            check_products(body.products)
            return put_products(session, body.products)

    report_api.install(staff_routes)
    return staff_routes
