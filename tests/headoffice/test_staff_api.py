"""Head-office staff: sign-in sessions, role gates, and staff changes that reach the consoles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from console.domain.search import search_key
from console.headoffice import admin
from console.headoffice.models import CATALOG_SCOPE, HeadOfficeSession, HeadOfficeUser, ScopeCounter, SyncedRow
from console.headoffice.security import token_hash
from console.headoffice.staff import SESSION_LIFETIME, SIGN_IN_PER_MINUTE
from console.storage.types import utcnow
from tests.headoffice.helpers import LiveService, full_row

PASSWORD = "correct horse battery"


def _add_user(service: LiveService, login: str, role: str) -> None:
    with service.sessions().begin() as session:
        admin.add_user(session, login, f"User {login}", role, PASSWORD)


def _sign_in(service: LiveService, login: str, password: str = PASSWORD) -> httpx.Response:
    return service.client().post("/v1/staff/sign-in", json={"login": login, "password": password})


def _signed_in(service: LiveService, role: str) -> httpx.Client:
    """A client signed in as a new user with this role."""
    login = role.replace("_", "-")
    _add_user(service, login, role)
    answer = _sign_in(service, login)
    assert answer.status_code == 200, answer.text
    return service.client(Authorization=f"Bearer {answer.json()['token']}")


def _product(sku: str, **values: Any) -> dict[str, Any]:
    return full_row("product", {"sku": sku, "name": f"商品 {sku}", "brand": "雅诗兰黛", "category": "美妆",
                                "after_sales_policy": "七天无理由退货", **values})


def _catalog(service: LiveService) -> tuple[int, int]:
    """The catalog's version and its number of product rows."""
    with service.sessions().begin() as session:
        version = session.get_one(ScopeCounter, CATALOG_SCOPE).version
        products = session.scalar(select(func.count()).select_from(SyncedRow)
                                  .where(SyncedRow.table_name == "product"))
    return version, products or 0


def _refusal(response: httpx.Response, status: int, error: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == error, body
    message: str = body["message"]
    assert message.endswith(".") and "\n" not in message
    return message


# --- signing in and out -------------------------------------------------------


def test_sign_in_me_and_sign_out(service: LiveService) -> None:
    _add_user(service, "wang.li", "analyst")

    signed_in = _sign_in(service, " Wang.Li ")

    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.headers["Cache-Control"] == "no-store"
    body = signed_in.json()
    assert body["user"] == {"login": "wang.li", "display_name": "User wang.li", "role": "analyst"}
    staff = service.client(Authorization=f"Bearer {body['token']}")
    me = staff.get("/v1/staff/me")
    assert me.status_code == 200
    assert me.json() == {"user": body["user"], "expires_at": body["expires_at"]}
    with service.sessions().begin() as session:
        stored = session.scalars(select(HeadOfficeSession)).one()
    # Only the token's hash is kept, and the sign-in lasts a working day.
    assert stored.token_hash == token_hash(body["token"]) != body["token"]
    assert stored.expires_at - stored.created_at == SESSION_LIFETIME

    signed_out = staff.post("/v1/staff/sign-out")

    assert signed_out.status_code == 204 and signed_out.content == b""
    assert "signed out on" in _refusal(staff.get("/v1/staff/me"), 401, "token_revoked")
    # Another sign-in of the same user is a session of its own.
    assert _sign_in(service, "wang.li").status_code == 200


def test_a_wrong_password_and_an_unknown_login_get_the_same_answer(service: LiveService) -> None:
    _add_user(service, "wang.li", "admin")

    wrong_password = _sign_in(service, "wang.li", "not the password")
    unknown_login = _sign_in(service, "li.wang")

    message = _refusal(wrong_password, 401, "sign_in_failed")
    assert unknown_login.json() == wrong_password.json()
    assert message == "This login and password do not match a head-office account."
    with service.sessions().begin() as session:
        assert session.scalars(select(HeadOfficeSession)).all() == []


def test_a_disabled_account_cannot_sign_in_and_its_tokens_stop_working(service: LiveService) -> None:
    staff = _signed_in(service, "admin")
    with service.sessions().begin() as session:
        session.execute(update(HeadOfficeUser).values(active=False))

    assert "is disabled" in _refusal(staff.get("/v1/staff/me"), 401, "account_disabled")
    _refusal(_sign_in(service, "admin"), 401, "account_disabled")
    # Only the right password learns that the account is disabled.
    _refusal(_sign_in(service, "admin", "not the password"), 401, "sign_in_failed")


def test_an_expired_staff_token_is_refused(service: LiveService) -> None:
    staff = _signed_in(service, "admin")
    with service.sessions().begin() as session:
        session.execute(update(HeadOfficeSession).values(expires_at=utcnow() - timedelta(seconds=1)))

    assert "expired on" in _refusal(staff.get("/v1/staff/stores"), 401, "token_expired")


def test_a_missing_or_unknown_staff_token_is_refused(service: LiveService) -> None:
    missing = service.client().get("/v1/staff/me")
    unknown = service.client(Authorization="Bearer not-a-token").get("/v1/staff/me")

    assert "Sign in first" in _refusal(missing, 401, "token_missing")
    assert "not known" in _refusal(unknown, 401, "token_unknown")


def test_sign_in_is_rate_limited_per_address(service: LiveService) -> None:
    _add_user(service, "wang.li", "admin")
    for _ in range(SIGN_IN_PER_MINUTE):
        assert _sign_in(service, "wang.li", "a guessed password").status_code == 401

    limited = _sign_in(service, "wang.li")

    assert "Too many sign-in attempts" in _refusal(limited, 429, "rate_limited")
    assert int(limited.headers["Retry-After"]) >= 1


# --- tokens do not cross ------------------------------------------------------


def test_staff_and_console_tokens_each_open_only_their_own_endpoints(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    staff = _signed_in(service, "admin")
    staff_token = staff.headers["Authorization"]
    console.insert("anchor", code="A001", name="王雨桐", affiliation="staff")
    batch = {"batch_id": "0b7e7d0e-8d5a-4f49-9f0e-1c1c1c1c1c1c", "mutations": console.outbox}

    as_console_push = console.push_body(batch, headers={"Authorization": staff_token})
    as_console_pull = staff.get("/v1/pull", params={"scope": "catalog"})
    as_staff = [console.http.get("/v1/staff/me"), console.http.get("/v1/staff/stores"),
                console.http.post("/v1/staff/stores", json={"code": "BJ02", "name": "Beijing"})]

    _refusal(as_console_push, 401, "token_unknown")
    _refusal(as_console_pull, 401, "token_unknown")
    for refused in as_staff:
        assert "staff token" in _refusal(refused, 401, "token_unknown")
    # Both still work where they belong.
    assert console.push()["results"][0]["status"] == "applied"
    assert staff.get("/v1/staff/me").status_code == 200


# --- roles --------------------------------------------------------------------


def test_an_analyst_reads_stores_but_changes_nothing(service: LiveService) -> None:
    service.add_store("SH01")
    analyst = _signed_in(service, "analyst")

    stores = analyst.get("/v1/staff/stores")
    add = analyst.post("/v1/staff/stores", json={"code": "BJ02", "name": "Beijing"})
    code = analyst.post("/v1/staff/stores/SH01/enrollment-code")
    revoke = analyst.post("/v1/staff/consoles/0b7e7d0e-8d5a-4f49-9f0e-1c1c1c1c1c1c/revoke")
    products = analyst.put("/v1/staff/catalog/products", json={"products": [_product("SKU-1")]})

    assert stores.status_code == 200 and [s["code"] for s in stores.json()["stores"]] == ["SH01"]
    assert _refusal(add, 403, "role_required") == "Adding a store needs the admin role; analyst has the analyst role."
    assert "needs the admin role" in _refusal(code, 403, "role_required")
    assert "needs the admin role" in _refusal(revoke, 403, "role_required")
    assert "needs the admin or catalog_manager role" in _refusal(products, 403, "role_required")
    with service.sessions().begin() as session:
        assert admin.list_stores(session)[0].code == "SH01" and len(admin.list_stores(session)) == 1
    assert _catalog(service)[1] == 0


def test_a_catalog_manager_puts_products_but_runs_no_stores(service: LiveService) -> None:
    manager = _signed_in(service, "catalog_manager")

    products = manager.put("/v1/staff/catalog/products", json={"products": [_product("SKU-1"), _product("SKU-2")]})
    add = manager.post("/v1/staff/stores", json={"code": "BJ02", "name": "Beijing"})

    assert products.status_code == 200, products.text
    assert products.json() == {"written": 2, "catalog_version": _catalog(service)[0]}
    assert _catalog(service)[1] == 2
    assert "needs the admin role; catalog-manager has the catalog_manager role" in _refusal(add, 403, "role_required")


def test_an_admin_adds_a_store_whose_code_enrolls_a_console_and_revokes_it(service: LiveService) -> None:
    staff = _signed_in(service, "admin")

    added = staff.post("/v1/staff/stores", json={"code": "HZ03", "name": "杭州武林店"})
    again = staff.post("/v1/staff/stores", json={"code": "HZ03", "name": "another"})
    issued = staff.post("/v1/staff/stores/HZ03/enrollment-code", json={"hours": 2})
    unknown = staff.post("/v1/staff/stores/XX99/enrollment-code")

    assert added.status_code == 201, added.text
    assert {k: added.json()[k] for k in ("code", "name", "consoles")} == {"code": "HZ03", "name": "杭州武林店",
                                                                         "consoles": 0}
    assert _refusal(again, 409, "store_exists") == "Store HZ03 already exists; store codes are unique."
    assert issued.status_code == 201, issued.text
    assert issued.json()["store_code"] == "HZ03"
    assert "There is no store XX99" in _refusal(unknown, 404, "store_unknown")

    enrolled = service.client().post("/v1/enroll", json={"code": issued.json()["code"], "console_name": "PC 1"})

    assert enrolled.status_code == 200, enrolled.text
    assert (enrolled.json()["store_code"], enrolled.json()["store_id"]) == ("HZ03", added.json()["id"])
    console = service.client(Authorization=f"Bearer {enrolled.json()['token']}")
    assert console.get("/v1/pull", params={"scope": "store"}).status_code == 200
    assert staff.get("/v1/staff/stores").json()["stores"][0]["consoles"] == 1

    revoked = staff.post(f"/v1/staff/consoles/{enrolled.json()['console_id']}/revoke")

    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked" and revoked.json()["revoked_at"] is not None
    _refusal(console.get("/v1/pull", params={"scope": "store"}), 401, "token_revoked")
    assert staff.get("/v1/staff/stores").json()["stores"][0]["consoles"] == 0
    _refusal(staff.post("/v1/staff/consoles/0b7e7d0e-8d5a-4f49-9f0e-1c1c1c1c1c1c/revoke"), 404, "console_unknown")


# --- catalog products ---------------------------------------------------------


def test_products_put_by_head_office_reach_a_console(service: LiveService) -> None:
    service.add_store("SH01")
    console = service.enroll("SH01")
    manager = _signed_in(service, "catalog_manager")
    first, second = _product("SKU-1"), _product("SKU-2")

    assert manager.put("/v1/staff/catalog/products", json={"products": [first, second]}).status_code == 200
    pulled = [r for r in console.pull("catalog") if r["table"] == "product"]

    # As sent, with the pinyin search key head office sets on every product.
    keyed = [{**p, "search_key": search_key(p["name"], p["brand"])} for p in (first, second)]
    assert [r["data"] for r in pulled] == keyed
    renamed = {**first, "name": "新名字", "row_version": 2}
    assert manager.put("/v1/staff/catalog/products", json={"products": [renamed]}).status_code == 200
    assert [r["data"] for r in console.pull("catalog")] == [{**renamed, "search_key": search_key("新名字", "雅诗兰黛")}]
    assert console.rows[("product", first["id"])]["name"] == "新名字"


def _bad_rows(taken: dict[str, Any]) -> list[tuple[list[dict[str, Any]], str]]:
    """Requests whose second row is wrong, and what the refusal must say."""
    good = _product("SKU-1")
    missing_sku = _product("SKU-2")
    del missing_sku["sku"]
    return [
        ([good, {**_product("SKU-2"), "name": "长" * 301}],
         "Product row 1: field product.name must be a string of at most 300 characters, without NUL characters "
         "or unpaired surrogates."),
        ([good, missing_sku], "Product row 1: the product row lacks field 'sku'."),
        ([good, {**_product("SKU-2"), "price": 10}], "Product row 1: table product has no field 'price'."),
        ([good, {**_product("SKU-2"), "row_version": "2"}],
         "Product row 1: field product.row_version must be an integer."),
        ([good, {**_product("SKU-2"), "row_version": 0}],
         "Product row 1: field product.row_version must be 1 or more."),
        ([good, {**_product("SKU-2"), "brand": "a\x00b"}],
         "Product row 1: field product.brand must be a string of at most 120 characters, without NUL characters "
         "or unpaired surrogates."),
        ([good, _product("SKU-1")], "Product row 1: field product.sku repeats row 0's SKU 'SKU-1'."),
        ([good, {**_product("SKU-2"), "id": good["id"]}],
         f"Product row 1: field product.id repeats row 0's id {good['id']}."),
        ([good, _product("SKU-TAKEN")],
         f"Product row 1: field product.sku 'SKU-TAKEN' already belongs to product {taken['id']}."),
    ]


def test_a_bad_product_row_is_named_and_nothing_is_written(service: LiveService) -> None:
    manager = _signed_in(service, "catalog_manager")
    taken = _product("SKU-TAKEN")
    assert manager.put("/v1/staff/catalog/products", json={"products": [taken]}).status_code == 200
    before = _catalog(service)

    for rows, message in _bad_rows(taken):
        response = manager.put("/v1/staff/catalog/products", json={"products": rows})

        assert _refusal(response, 422, "invalid_row") == message
        assert _catalog(service) == before


@pytest.mark.parametrize("body", [{"products": []}, {"products": [1]}, {"rows": []}, []])
def test_a_malformed_products_request_is_refused(service: LiveService, body: Any) -> None:
    manager = _signed_in(service, "catalog_manager")

    response = manager.put("/v1/staff/catalog/products", json=body)

    _refusal(response, 422, "invalid_request")
    assert _catalog(service)[1] == 0
