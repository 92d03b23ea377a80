"""Accounts that see only some stores (`user add --stores`), and what each role may open."""

from __future__ import annotations

import io
import sys

import pytest
from sqlalchemy import select

from console.headoffice import admin, cli, db
from console.headoffice.errors import AdminError, NotFound
from console.headoffice.models import HeadOfficeUserStore
from console.headoffice.staff import authenticate, sign_in, visible_store_ids, visible_stores
from tests.headoffice.helpers import LiveService

PASSWORD = "correct horse battery"


def _stores(service_or_sessions: LiveService) -> dict[str, object]:
    with service_or_sessions.sessions().begin() as session:
        for code, name in (("BJ01", "北京店"), ("SH01", "上海店"), ("GZ01", "广州店")):
            admin.add_store(session, code, name)
        return {s.code: s.id for s in admin.list_stores(session)}


def test_a_scoped_account_sees_only_its_stores_in_every_listing(service: LiveService) -> None:
    ids = _stores(service)
    with service.sessions().begin() as session:
        admin.add_user(session, "region.north", "华北区经理", "analyst", PASSWORD, stores=["BJ01", " SH01", "BJ01"])
        admin.add_user(session, "group.analyst", "集团分析", "analyst", PASSWORD)

    with service.sessions().begin() as session:
        north = authenticate(session, sign_in(session, "region.north", PASSWORD, admin.DEFAULT_CODE_LIFETIME).token)
        group = authenticate(session, sign_in(session, "group.analyst", PASSWORD, admin.DEFAULT_CODE_LIFETIME).token)
        assert visible_store_ids(north) == frozenset({ids["BJ01"], ids["SH01"]})
        assert visible_store_ids(group) is None
        assert [s.code for s in visible_stores(session, north)] == ["BJ01", "SH01"]
        assert [s.code for s in visible_stores(session, group)] == ["BJ01", "GZ01", "SH01"]
        assert north.sees_store(ids["SH01"]) and not north.sees_store(ids["GZ01"])

    token = service.client().post("/v1/staff/sign-in", json={"login": "region.north", "password": PASSWORD}).json()
    answer = service.client(Authorization=f"Bearer {token['token']}").get("/v1/staff/stores")
    assert answer.status_code == 200, answer.text
    assert [s["code"] for s in answer.json()["stores"]] == ["BJ01", "SH01"]
    assert "GZ01" not in answer.text and str(ids["GZ01"]) not in answer.text


def test_an_analyst_may_not_administer_even_its_own_store(service: LiveService) -> None:
    _stores(service)
    with service.sessions().begin() as session:
        admin.add_user(session, "region.south", "华南区经理", "analyst", PASSWORD, stores=["GZ01"])
    token = service.client().post("/v1/staff/sign-in", json={"login": "region.south", "password": PASSWORD}).json()
    client = service.client(Authorization=f"Bearer {token['token']}")
    answer = client.post("/v1/staff/stores/GZ01/enrollment-code", json={})
    assert answer.status_code == 403 and answer.json()["error"] == "role_required"


def test_unknown_stores_and_scoped_admins_are_refused_and_nothing_is_saved(service: LiveService) -> None:
    _stores(service)
    with service.sessions().begin() as session:
        with pytest.raises(NotFound, match="There is no store XX01, YY02"):
            admin.add_user(session, "region.x", "X", "analyst", PASSWORD, stores=["BJ01", "XX01", "YY02"])
        with pytest.raises(AdminError, match="admin account sees every store"):
            admin.add_user(session, "region.y", "Y", "admin", PASSWORD, stores=["BJ01"])
    with service.sessions().begin() as session:
        assert session.scalars(select(HeadOfficeUserStore)).all() == []


def test_user_add_stores_on_the_command_line(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    for code in ("BJ01", "SH01"):
        assert cli.main(["store", "add", "--code", code, "--name", f"店 {code}", "--database-url", database_url]) == 0
    capsys.readouterr()

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code = cli.main(["user", "add", "--login", "li.na", "--name", "李娜", "--role", "analyst", "--stores", "SH01,BJ01",
                     "--password-stdin", "--database-url", database_url])
    out, _ = capsys.readouterr()
    assert code == 0 and out.strip().endswith("\tSH01,BJ01")

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code = cli.main(["user", "add", "--login", "wu.bo", "--name", "吴波", "--role", "analyst", "--stores", "NOPE",
                     "--password-stdin", "--database-url", database_url, "--lang", "en"])
    _, err = capsys.readouterr()
    assert code == 1 and "There is no store NOPE" in err

    engine = db.make_engine(database_url)
    try:
        with db.session_factory(engine).begin() as session:
            user_id = admin.check_password(session, "li.na", PASSWORD).id  # type: ignore[union-attr]
            assert len(admin.user_store_ids(session, user_id) or ()) == 2
            assert admin.check_password(session, "wu.bo", PASSWORD) is None
    finally:
        engine.dispose()
