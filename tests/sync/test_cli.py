"""anchor-console enroll and sync from the command line: output, exit status, the enroll question."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from console.cli import main
from console.domain.enums import Affiliation, Role
from console.domain.errors import PermissionDenied
from console.domain.permissions import Actor
from console.services.base import local_store_id
from console.services.catalog import CatalogService
from console.storage.db import open_database
from console.storage.models import Anchor
from tests.headoffice.helpers import LiveService


def _enroll(service: LiveService, folder: Path, *extra: str) -> int:
    return main(["enroll", "--server", service.base_url, "--code", service.enrollment_code("SH01"),
                 "--data-dir", str(folder), *extra])


def test_enroll_then_sync_once_and_status(service: LiveService, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    service.add_store("SH01")
    folder = tmp_path / "pc"

    assert _enroll(service, folder) == 0
    out = capsys.readouterr().out
    assert "Enrolled as a console of store SH01" in out and "pending 0" in out

    db = open_database(folder)
    with db.begin() as s:
        s.add(Anchor(store_id=local_store_id(s), code="A001", name="王雨桐", affiliation=Affiliation.STAFF))
    db.close()
    assert main(["--data-dir", str(folder), "sync", "--status"]) == 0
    status = capsys.readouterr().out
    assert f"Head office: {service.base_url}" in status
    assert "Enrolled: yes, store SH01" in status and "Pending changes: 1" in status
    assert "Last problem: none" in status and "Open conflicts: 0" in status

    assert main(["sync", "--once", "--data-dir", str(folder)]) == 0
    assert capsys.readouterr().out.strip() == "pushed 1, pulled 1, conflicts 0, rejected 0, pending 0"


def test_sync_once_fails_with_one_sentence_when_head_office_is_down(
        service: LiveService, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service.add_store("SH01")
    folder = tmp_path / "pc"
    assert _enroll(service, folder) == 0
    service.stop()
    capsys.readouterr()

    assert main(["sync", "--once", "--data-dir", str(folder)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot be reached" in err[0] and "Traceback" not in err[0]
    assert main(["sync", "--status", "--data-dir", str(folder)]) == 0
    assert "Last problem: Head office at" in capsys.readouterr().out


def test_sync_once_of_a_console_never_enrolled_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    open_database(tmp_path / "pc").close()
    assert main(["sync", "--once", "--data-dir", str(tmp_path / "pc")]) == 1
    assert "not enrolled" in capsys.readouterr().err
    assert main(["sync", "--status", "--data-dir", str(tmp_path / "pc")]) == 0
    assert "Enrolled: no" in capsys.readouterr().out


def test_enroll_refuses_to_guess_without_a_terminal(service: LiveService, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    service.add_store("SH01")
    folder = tmp_path / "pc"
    db = open_database(folder)
    from console.services.auth import AuthService

    AuthService(db).create_store(code="OWN", name="Own store", manager_name="Wang", manager_login="m", pin="2468")
    db.close()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = service.enrollment_code("SH01")

    assert main(["enroll", "--server", service.base_url, "--code", code, "--data-dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "pass --upload" in err and "--start-clean" in err and len(err.strip().splitlines()) == 1
    # The code was not spent: it still enrolls, here starting clean (with a backup kept).
    assert main(["enroll", "--server", service.base_url, "--code", code, "--start-clean",
                 "--data-dir", str(folder)]) == 0
    assert list((folder / "backups").glob("*.sqlite3"))
    db = open_database(folder)
    with db.begin() as s:
        assert s.scalars(select(Anchor)).first() is None
        assert AuthService(db).local_store().code == "SH01"  # type: ignore[union-attr]
    db.close()


def test_enroll_with_a_bad_code_is_one_sentence(service: LiveService, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    service.add_store("SH01")
    assert main(["enroll", "--server", service.base_url, "--code", "NOPE1-NOPE2", "--data-dir",
                 str(tmp_path / "pc")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("anchor-console: ") and "ask head office for a new one" in err


def test_an_enrolled_store_cannot_edit_the_catalog(service: LiveService, tmp_path: Path) -> None:
    service.add_store("SH01")
    folder = tmp_path / "pc"
    db = open_database(folder)
    store = None
    try:
        from console.services.auth import AuthService

        store = AuthService(db).create_store(code="SH01", name="S", manager_name="W", manager_login="m", pin="2468")
        manager = Actor(store_id=store.id, role=Role.STORE_MANAGER, via=__import__(
            "console.domain.enums", fromlist=["AuditVia"]).AuditVia.CLI)
        CatalogService(db, manager).ensure_catalog_editable()   # not enrolled: the store's own catalog
    finally:
        db.close()
    assert _enroll(service, folder, "--start-clean") == 0
    db = open_database(folder)
    try:
        with db.begin() as s:
            store_id = local_store_id(s)
        for role in (Role.STORE_MANAGER, Role.ROOM_CONTROLLER):
            actor = Actor(store_id=store_id, role=role, via=manager.via)  # type: ignore[arg-type]
            with pytest.raises(PermissionDenied):
                CatalogService(db, actor).ensure_catalog_editable()
        CatalogService(db, Actor(store_id=store_id, role=Role.HEAD_OFFICE, via=manager.via)  # type: ignore[arg-type]
                       ).ensure_catalog_editable()
    finally:
        db.close()
    shutil.rmtree(folder / "backups", ignore_errors=True)
