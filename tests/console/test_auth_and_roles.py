"""Signing in, PIN throttling, role permissions, audit trail and immutable values."""

from __future__ import annotations

import dataclasses
import re
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from console.domain.enums import Affiliation, AuditVia, OutboxOp, Role
from console.domain.errors import PermissionDenied, SignInFailed, ValidationError
from console.domain.permissions import PERMISSION_WORDS, ROLE_WORDS, Actor, Permission
from console.domain.values import (
    AnchorRow,
    ProductRow,
    StoreInfo,
    UserChoice,
    format_fen,
)
from console.services.auth import LOCKOUT_SECONDS, AuthService
from console.services.catalog import CatalogService
from console.services.roster import RosterService
from console.storage.db import Database
from console.storage.models import Anchor, AuditLog, Outbox, Product, StoreProduct

# The users tests/conftest.py makes.
MANAGER_LOGIN, MANAGER_PIN, ANCHOR_LOGIN = "manager", "2468", "anchor1"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def user_id(auth: AuthService, login: str) -> UUID:
    return next(u.id for u in auth.list_users() if u.login == login)


def outbox_count(db: Database) -> int:
    with db.begin() as s:
        return s.scalar(select(func.count()).select_from(Outbox)) or 0


def add_product(db: Database) -> UUID:
    with db.begin() as s:
        product = Product(sku="SKU-1", name="Silk scarf", brand="Shanghai Tang", category="accessories",
                          after_sales_policy="7-day returns")
        s.add(product)
    return product.id


# --- creating the store and signing in ----------------------------------------


def test_create_store_then_sign_in_with_the_right_pin(auth: AuthService, store: StoreInfo) -> None:
    assert auth.local_store() == store
    [manager] = auth.list_users()
    assert (manager.login, manager.role) == (MANAGER_LOGIN, Role.STORE_MANAGER)

    actor = auth.sign_in(manager.id, MANAGER_PIN)

    assert isinstance(actor, Actor)
    assert (actor.store_id, actor.role, actor.user_id, actor.via) == (
        store.id, Role.STORE_MANAGER, manager.id, AuditVia.GUI)
    assert actor.display_name == "Manager Wang"


def test_a_console_belongs_to_one_store(auth: AuthService, store: StoreInfo) -> None:
    with pytest.raises(ValidationError, match="already belongs"):
        auth.create_store(code="SH02", name="Another", manager_name="X", manager_login="x", pin="1234")
    assert auth.local_store() == store


def test_wrong_pin_is_refused(auth: AuthService, store: StoreInfo) -> None:
    with pytest.raises(SignInFailed, match="Wrong PIN") as caught:
        auth.sign_in(user_id(auth, MANAGER_LOGIN), "0000")
    assert caught.value.message.id == "auth.wrong_pin"
    assert str(caught.value) == "Wrong PIN; try again."


def test_unknown_user_cannot_sign_in(auth: AuthService, store: StoreInfo) -> None:
    with pytest.raises(SignInFailed) as caught:
        auth.sign_in(UUID(int=7), MANAGER_PIN)
    assert caught.value.message.id == "auth.user_cannot_sign_in"
    assert str(caught.value) == "That user cannot sign in on this console."


def test_an_unknown_login_is_named(auth: AuthService, store: StoreInfo) -> None:
    from console.domain.errors import NotFound

    with pytest.raises(NotFound) as caught:
        auth.actor_for_login("nobody", via=AuditVia.CLI)
    assert caught.value.message.id == "auth.no_such_login"
    assert caught.value.message.values == {"login": "nobody"}
    assert str(caught.value) == "No user with login 'nobody' in this store."


def test_a_console_without_a_store_says_how_to_make_one(auth: AuthService) -> None:
    from console.domain.errors import NotFound

    with pytest.raises(NotFound) as caught:
        auth.actor_for_login(None, via=AuditVia.CLI)
    assert caught.value.message.id == "auth.no_store"


def test_lockout_after_repeated_wrong_pins(db: Database, store: StoreInfo) -> None:
    clock = FakeClock()
    auth = AuthService(db, clock=clock)
    manager = user_id(auth, MANAGER_LOGIN)
    for _ in range(5):
        with pytest.raises(SignInFailed, match="Wrong PIN"):
            auth.sign_in(manager, "9999")
        clock.now += 1

    with pytest.raises(SignInFailed, match="Too many wrong PINs") as caught:
        auth.sign_in(manager, MANAGER_PIN)
    wait = int(re.search(r"wait (\d+) seconds", str(caught.value)).group(1))
    assert 0 < wait <= LOCKOUT_SECONDS + 1
    # The wait is a count, so each language words it (and its plural) its own way.
    assert caught.value.message.id == "auth.locked_out" and caught.value.message.values == {"count": wait}

    # Still locked just before the first failure is a full lockout period old.
    clock.now = 1000.0 + LOCKOUT_SECONDS - 0.5
    with pytest.raises(SignInFailed, match="Too many wrong PINs"):
        auth.sign_in(manager, MANAGER_PIN)

    clock.now = 1000.0 + 5 + LOCKOUT_SECONDS
    actor = auth.sign_in(manager, MANAGER_PIN)
    assert actor.user_id == manager


def test_success_resets_the_failure_count(db: Database, store: StoreInfo) -> None:
    clock = FakeClock()
    auth = AuthService(db, clock=clock)
    manager = user_id(auth, MANAGER_LOGIN)
    for _ in range(4):
        with pytest.raises(SignInFailed):
            auth.sign_in(manager, "9999")
    auth.sign_in(manager, MANAGER_PIN)
    with pytest.raises(SignInFailed, match="Wrong PIN"):
        auth.sign_in(manager, "9999")
    auth.sign_in(manager, MANAGER_PIN)  # one failure since the reset: not locked


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "12 34", "１２３４", "²³⁴⁵", "٤٤٤٤", "-123", "12.5"])
def test_badly_formed_pins_are_refused(auth: AuthService, pin: str) -> None:
    with pytest.raises(ValidationError, match="4 to 8 digits") as caught:
        auth.create_store(code="SH01", name="Store", manager_name="M", manager_login="m", pin=pin)
    assert caught.value.message.id == "auth.pin_format"
    assert auth.local_store() is None


@pytest.mark.parametrize("pin", ["1234", "00000000", "0012345"])
def test_well_formed_pins_are_accepted(auth: AuthService, pin: str) -> None:
    auth.create_store(code="SH01", name="Store", manager_name="M", manager_login="m", pin=pin)
    assert auth.sign_in(user_id(auth, "m"), pin).role is Role.STORE_MANAGER


# --- roles ---------------------------------------------------------------------


def test_anchor_may_not_add_an_anchor(db: Database, anchor_actor: Actor) -> None:
    assert anchor_actor.role is Role.ANCHOR
    before = outbox_count(db)
    with pytest.raises(PermissionDenied, match="edit the roster"):
        RosterService(db, anchor_actor).add_anchor(code="A1", name="Liu Yang", affiliation=Affiliation.STAFF)
    assert outbox_count(db) == before
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(Anchor)) == 0


@pytest.mark.parametrize(
    ("role", "permission", "said"),
    [
        (Role.ANCHOR, Permission.EDIT_ROSTER, "An anchor may not edit the roster"),
        (Role.ROOM_CONTROLLER, Permission.PUBLISH_ROSTER, "A room controller may not publish the roster"),
        (Role.HEAD_OFFICE, Permission.RUN_SHOW, "Head office may not run a live show"),
    ],
)
def test_a_refusal_names_the_role_and_what_was_tried(role: Role, permission: Permission, said: str) -> None:
    actor = Actor(store_id=UUID(int=1), role=role, via=AuditVia.GUI)
    with pytest.raises(PermissionDenied) as denied:
        actor.require(permission)
    assert str(denied.value) == f"{said}; sign in as a store manager to do this."
    message = denied.value.message
    assert (message.id, message.values["role"], message.values["action"]) == (
        "permissions.denied", ROLE_WORDS[role], PERMISSION_WORDS[permission])


def test_every_role_and_permission_has_words() -> None:
    assert set(ROLE_WORDS) == set(Role) and set(PERMISSION_WORDS) == set(Permission)


def test_anchor_may_not_set_store_prices(db: Database, anchor_actor: Actor) -> None:
    product_id = add_product(db)
    before = outbox_count(db)
    with pytest.raises(PermissionDenied, match="store prices"):
        CatalogService(db, anchor_actor).set_store_price(product_id, counter_price_fen=19900, stock=5)
    assert outbox_count(db) == before
    with db.begin() as s:
        assert s.scalar(select(func.count()).select_from(StoreProduct)) == 0


def test_manager_may_add_an_anchor(db: Database, manager_actor: Actor) -> None:
    before = outbox_count(db)
    row = RosterService(db, manager_actor).add_anchor(
        code="A1", name="Liu Yang", affiliation=Affiliation.BRAND, employer_brand="Estee Lauder",
        trained_brands=("Estee Lauder",), trained_categories=("cosmetics",),
    )
    assert isinstance(row, AnchorRow)
    assert (row.code, row.affiliation, row.trained_brands) == ("A1", Affiliation.BRAND, ("Estee Lauder",))
    with db.begin() as s:
        ops = list(s.scalars(select(Outbox.table_name).where(Outbox.seq > before).order_by(Outbox.seq)))
    assert ops == ["anchor", "audit_log"]


def test_manager_may_set_store_prices(db: Database, manager_actor: Actor) -> None:
    product_id = add_product(db)
    catalog = CatalogService(db, manager_actor)
    row = catalog.set_store_price(product_id, counter_price_fen=19900, stock=5, evidence="tag photo")
    assert isinstance(row, ProductRow)
    assert (row.counter_price_fen, row.stock) == (19900, 5)
    row = catalog.set_store_price(product_id, counter_price_fen=17900, stock=4)
    assert (row.counter_price_fen, row.stock) == (17900, 4)
    with db.begin() as s:
        entries = list(s.scalars(select(Outbox).where(Outbox.table_name == "store_product")
                                 .order_by(Outbox.seq)))
    assert [e.op for e in entries] == [OutboxOp.INSERT, OutboxOp.UPDATE]
    assert entries[1].changed_fields == ["counter_price_fen", "stock"]


# --- audit trail ---------------------------------------------------------------


def audit_rows(db: Database, action: str) -> list[AuditLog]:
    with db.begin() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def test_audit_records_via_and_user(db: Database, auth: AuthService, manager_actor: Actor,
                                    anchor_actor: Actor) -> None:
    signed_in = audit_rows(db, "signed_in")
    assert [(r.user_id, r.via) for r in signed_in] == [
        (manager_actor.user_id, AuditVia.GUI), (anchor_actor.user_id, AuditVia.GUI)]
    assert all(r.store_id == manager_actor.store_id for r in signed_in)

    RosterService(db, manager_actor).add_anchor(code="A1", name="Gui Added", affiliation=Affiliation.STAFF)
    cli = auth.actor_for_login(None, via=AuditVia.CLI)
    RosterService(db, cli).add_anchor(code="A2", name="Cli Added", affiliation=Affiliation.STAFF)

    added = audit_rows(db, "anchor_added")
    assert [(r.via, r.user_id, r.detail["code"]) for r in added] == [
        (AuditVia.GUI, manager_actor.user_id, "A1"), (AuditVia.CLI, manager_actor.user_id, "A2")]
    assert all(r.entity == "anchor" and r.entity_id is not None for r in added)


def test_command_line_actor_has_store_manager_rights(db: Database, auth: AuthService,
                                                     store: StoreInfo, anchor_actor: Actor) -> None:
    cli = auth.actor_for_login(None, via=AuditVia.CLI)
    assert (cli.role, cli.via, cli.store_id) == (Role.STORE_MANAGER, AuditVia.CLI, store.id)
    assert cli.user_id == user_id(auth, MANAGER_LOGIN)
    # Even when the command line names an anchor's login.
    as_anchor = auth.actor_for_login(ANCHOR_LOGIN, via=AuditVia.CLI)
    assert (as_anchor.role, as_anchor.user_id) == (Role.STORE_MANAGER, anchor_actor.user_id)
    # Without the command line, the user's own role applies.
    assert auth.actor_for_login(ANCHOR_LOGIN, via=AuditVia.GUI).role is Role.ANCHOR


# --- values --------------------------------------------------------------------


def test_services_return_frozen_dataclasses(db: Database, auth: AuthService, store: StoreInfo,
                                            manager_actor: Actor) -> None:
    anchor = RosterService(db, manager_actor).add_anchor(code="A1", name="Liu", affiliation=Affiliation.STAFF)
    product = CatalogService(db, manager_actor).set_store_price(add_product(db), counter_price_fen=1, stock=1)
    values = [store, manager_actor, anchor, product, *auth.list_users(),
              *RosterService(db, manager_actor).anchors()]
    assert {type(v) for v in values} == {StoreInfo, Actor, AnchorRow, ProductRow, UserChoice}
    for value in values:
        assert dataclasses.is_dataclass(value) and not isinstance(value, type)
        first = dataclasses.fields(value)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(value, first, None)
    assert not hasattr(auth.list_users()[0], "pin_hash")


@pytest.mark.parametrize(
    ("fen", "shown"),
    [
        (0, "¥0.00"),
        (1, "¥0.01"),
        (99, "¥0.99"),
        (100, "¥1.00"),
        (129900, "¥1,299.00"),
        (-50, "-¥0.50"),
        (1234567890, "¥12,345,678.90"),
    ],
)
def test_format_fen(fen: int, shown: str) -> None:
    assert format_fen(fen) == shown


_SHOWN = re.compile(r"(-?)¥(\d{1,3}(?:,\d{3})*)\.(\d{2})")


def parse_shown(shown: str) -> int:
    match = _SHOWN.fullmatch(shown)
    assert match, shown
    sign, yuan, cents = match.groups()
    fen = int(yuan.replace(",", "")) * 100 + int(cents)
    return -fen if sign else fen


@settings(database=None)
@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_fen_round_trips(fen: int) -> None:
    shown = format_fen(fen)
    assert parse_shown(shown) == fen
    assert shown != "-¥0.00"
