"""``anchor-console script ...``: list, show, diff, submit, approve (with --override), reject; exit codes and refusals."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import func, select

from console.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, main
from console.domain.enums import ScriptKind
from console.domain.permissions import Actor
from console.domain.values import StoreInfo
from console.services.scripts import ScriptService
from console.storage.db import Database
from console.storage.models import AuditLog, QueueItem
from tests.onair_helpers import ready_show

BODY = "{link_number}号链接{product}，[展示]面料柔软。专柜价{counter_price}。"


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str, lang: str = "en") -> tuple[int, str, str]:
    try:
        code = main(["script", *args, "--data-dir", str(data_dir), "--lang", lang])
    except SystemExit as usage:      # argparse's refusal of the command line itself
        code = int(usage.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def script_id(db: Database, store: StoreInfo, manager_actor: Actor) -> UUID:
    ready_show(db, store, manager_actor, items=1)
    with db.begin() as s:
        product = s.scalars(select(QueueItem.product_id)).one()
    service = ScriptService(db, manager_actor)
    created = service.create(ScriptKind.PRODUCT, "围巾讲解话术", product_id=product, body=BODY).id
    service.save(created, BODY + "全网最低价！")
    return created


def audits(db: Database) -> int:
    with db.begin() as s:
        return s.scalar(select(func.count()).select_from(AuditLog)) or 0


def test_list_and_show_print_the_scripts_versions_and_the_check(
        data_dir: Path, capsys: pytest.CaptureFixture[str], script_id: UUID) -> None:
    code, out, _ = run(data_dir, capsys, "list")
    assert code == EXIT_OK
    assert out.split("\n")[0].split("\t") == [str(script_id), "product", "v2", "draft", "-", "围巾讲解话术"]
    code, out, _ = run(data_dir, capsys, "show", "围巾", "--version", "1")
    assert code == EXIT_OK
    assert "围巾讲解话术 (product), version 1 of 2: draft" in out and BODY in out
    assert "0 block, 0 warn" in out
    code, out, _ = run(data_dir, capsys, "show", str(script_id)[:8])
    assert "1 block" in out and "“全网最低价”" in out
    code, out, _ = run(data_dir, capsys, "diff", str(script_id), "1", "2")
    assert code == EXIT_OK and out.splitlines()[1].startswith("~\t1\t")


def test_submit_approve_refused_then_overridden_with_the_reason_audited(
        db: Database, data_dir: Path, capsys: pytest.CaptureFixture[str], script_id: UUID) -> None:
    code, out, _ = run(data_dir, capsys, "approve", str(script_id))
    assert code == EXIT_ERROR
    code, out, _ = run(data_dir, capsys, "submit", str(script_id))
    assert code == EXIT_OK and "Version 2 of 围巾讲解话术 is submitted" in out and "1 block" in out
    before = audits(db)
    code, out, err = run(data_dir, capsys, "approve", str(script_id))
    assert code == EXIT_ERROR and out == ""
    assert "全网最低价" in err.splitlines()[0] and "cannot be approved: 1 block finding stands" in err
    assert audits(db) == before
    code, out, err = run(data_dir, capsys, "approve", str(script_id), "--override", "有价签为证")
    assert code == EXIT_OK and "approved over its block findings" in out
    with db.begin() as s:
        reason = s.scalars(select(AuditLog.detail).where(AuditLog.action == "script_override")).one()["reason"]
        via = s.scalars(select(AuditLog.via).where(AuditLog.action == "script_override")).one()
    assert (reason, str(via)) == ("有价签为证", "cli")
    code, out, _ = run(data_dir, capsys, "list")
    assert out.split("\t")[3:5] == ["approved", "v2"]


def test_reject_needs_a_comment_and_says_so_in_chinese_too(
        data_dir: Path, capsys: pytest.CaptureFixture[str], script_id: UUID) -> None:
    code, _, err = run(data_dir, capsys, "reject", str(script_id))
    assert code == EXIT_USAGE and "--comment" in err
    run(data_dir, capsys, "submit", str(script_id))
    code, out, _ = run(data_dir, capsys, "reject", str(script_id), "--comment", "去掉绝对化用语")
    assert code == EXIT_OK and "is rejected" in out
    code, _, err = run(data_dir, capsys, "reject", str(script_id), "--comment", "again", lang="zh_CN")
    assert code == EXIT_ERROR and err.startswith("anchor-console") and len(err.splitlines()) == 1


def test_bad_references_and_version_numbers(
        data_dir: Path, capsys: pytest.CaptureFixture[str], script_id: UUID) -> None:
    code, _, err = run(data_dir, capsys, "show", "没有这个")
    assert code == EXIT_ERROR and "No script's id or title starts with '没有这个'" in err
    code, _, err = run(data_dir, capsys, "show", str(script_id), "--version", "0")
    assert code == EXIT_USAGE and "'0' is not a version number" in err
    code, _, err = run(data_dir, capsys, "show", str(script_id), "--version", "7")
    assert code == EXIT_ERROR and "has no version 7" in err
