"""Scripts over sync: scripts, their versions, decisions and overrides reach head office and the store's other
console, never another store's; head office's rule packs come down, and an approved version that fails a new
pack is flagged on every console of the store, the check recorded once.

Real consoles (SQLite data folders, the real client) against the real service on loopback, on SQLite and on
PostgreSQL; the pack is issued as ``anchor-headoffice rulepack import`` issues it (in process).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.compliance import default_pack
from console.domain.enums import ScriptKind, ScriptSegment, ScriptVersionStatus
from console.headoffice import rulepacks
from console.headoffice.errors import AdminError
from console.services.scripts import ScriptService
from console.storage.models import AuditLog, RulePack, Script, ScriptCheck, ScriptVersion
from tests.headoffice.helpers import LiveService
from tests.sync.conftest import Console, ConsoleFactory, store_id_of
from tests.sync.test_run_of_show_sync import (
    COAT,
    HEADER,
    SCARF,
    actor,
    head_office_imports,
    local_count,
    products_by_sku,
    server_rows,
)

SCRIPT_TABLES = ("script", "script_version", "script_check")
BODY = "{link_number}号链接{product}，[展示]版型挺括。专柜价{counter_price}，今天到手{live_price}。"


def scripts(console: Console) -> ScriptService:
    return ScriptService(console.db, actor(console))


def write_pack(tmp_path: Path, version: int, *, words: list[str], name: str = "pack.json") -> Path:
    data = default_pack().as_data()
    data = {**data, "name": "锦华合规", "version": version, "rules": [*data["rules"], {
        "id": "absolute.group_words", "category": "absolute", "severity": "block", "words": words,
        "reference": "广告法第九条", "message": {"zh": "“{text}”不能说", "en": "“{text}” may not be said"}}]}
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def issue(service: LiveService, path: Path) -> rulepacks.IssuedPack:
    with service.sessions().begin() as session:
        return rulepacks.import_pack(session, path)


def test_scripts_decisions_and_overrides_reach_head_office_and_the_stores_other_console_only(
        any_service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    any_service.add_store("SH01")
    any_service.add_store("BJ02")
    head_office_imports(any_service, tmp_path, HEADER + COAT + SCARF)
    issue(any_service, write_pack(tmp_path, 1, words=["很正"]))
    a, b = make_console(any_service, "SH01"), make_console(any_service, "SH01")
    other = make_console(any_service, "BJ02")
    assert scripts(a).rule_pack().key == "锦华合规@1"

    on_a = scripts(a)
    coat = products_by_sku(a)["JH-001"]
    clean = on_a.create(ScriptKind.PRODUCT, "大衣讲解", product_id=coat, body=BODY).id
    on_a.save(clean, BODY + "喜欢的点关注。")
    on_a.submit(clean)
    on_a.approve(clean, comment="可以上")
    over = on_a.create(ScriptKind.PRODUCT, "大衣促销", product_id=coat, body=BODY + "全网最低价！").id
    on_a.submit(over)
    on_a.approve(over, override_reason="价签与比价截图已存档")
    closing = on_a.create(ScriptKind.SEGMENT, "结束语", template_key="segment_closing").id
    on_a.submit(closing)
    on_a.reject(closing, comment="加上售后电话的说明")
    assert a.sync().clean and b.sync().clean and other.sync().clean

    # Head office holds the scripts, every version with its decision, and the override in the audit log.
    store_id = store_id_of(any_service, "SH01")
    up_versions = {(v["script_id"], v["number"]): v for v in server_rows(any_service, store_id, "script_version")}
    assert len(up_versions) == 4
    assert up_versions[(str(clean), 2)]["status"] == "approved"
    assert up_versions[(str(clean), 2)]["decision_comment"] == "可以上"
    assert up_versions[(str(over), 1)]["override_reason"] == "价签与比价截图已存档"
    assert up_versions[(str(closing), 1)]["status"] == "rejected"
    up_scripts = {s["id"]: s for s in server_rows(any_service, store_id, "script")}
    assert up_scripts[str(closing)]["segment"] == "closing"
    assert up_scripts[str(clean)]["approved_version_id"] == up_versions[(str(clean), 2)]["id"]
    overrides = [r for r in server_rows(any_service, store_id, "audit_log") if r["action"] == "script_override"]
    assert [o["detail"]["reason"] for o in overrides] == ["价签与比价截图已存档"]

    # The store's other console reads the same scripts, versions and decisions, and may decide in turn.
    on_b = scripts(b)
    detail = on_b.script(clean)
    assert (detail.approved_version, [v.status for v in detail.versions]) == (
        2, [ScriptVersionStatus.DRAFT, ScriptVersionStatus.APPROVED])
    assert on_b.script(over).latest.override_reason == "价签与比价截图已存档"
    assert on_b.script(closing).segment is ScriptSegment.CLOSING
    assert on_b.script(closing).latest.decision_comment == "加上售后电话的说明"
    on_b.save(closing, on_b.script(closing).latest.body + "售后电话以平台客服为准。")
    on_b.submit(closing)
    on_b.approve(closing)
    assert b.sync().clean and a.sync().clean
    assert scripts(a).script(closing).approved_version == 2

    # Another store has none of it, here or at head office.
    for model in (Script, ScriptVersion, ScriptCheck):
        assert local_count(other, model) == 0, model.__tablename__
    other_store = store_id_of(any_service, "BJ02")
    assert all(server_rows(any_service, other_store, t) == [] for t in SCRIPT_TABLES)
    assert scripts(other).scripts() == []
    assert local_count(other, RulePack) == 1         # the pack is every store's


def test_a_new_pack_comes_down_and_flags_an_approved_version_on_every_console_once(
        any_service: LiveService, make_console: ConsoleFactory, tmp_path: Path) -> None:
    any_service.add_store("SH01")
    head_office_imports(any_service, tmp_path, HEADER + COAT + SCARF)
    issue(any_service, write_pack(tmp_path, 1, words=["绝无仅有"]))
    a, b = make_console(any_service, "SH01"), make_console(any_service, "SH01")
    on_a = scripts(a)
    coat = products_by_sku(a)["JH-001"]
    failing = on_a.create(ScriptKind.PRODUCT, "大衣讲解", product_id=coat, body=BODY + "颜色很正。").id
    passing = on_a.create(ScriptKind.PRODUCT, "大衣面料", product_id=coat, body=BODY).id
    for script_id in (failing, passing):
        on_a.submit(script_id)
        on_a.approve(script_id)
    assert a.sync().clean and b.sync().clean
    assert not any(row.flagged for row in scripts(b).scripts())

    # A malformed pack is refused at head office, naming file and rule; nothing comes down.
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "锦华合规", "version": 2, "rules": [
        {"id": "absolute.bad", "category": "absolute", "severity": "block", "patterns": ["(a+)+"],
         "reference": "x", "message": {"zh": "x", "en": "x"}}]}), encoding="utf-8")
    with pytest.raises(AdminError, match=r"bad\.json, rule absolute\.bad"):
        issue(any_service, bad)
    with pytest.raises(AdminError, match="already been issued"):
        issue(any_service, write_pack(tmp_path, 1, words=["很正"], name="again.json"))

    issued = issue(any_service, write_pack(tmp_path, 2, words=["绝无仅有", "很正"], name="new.json"))
    assert (issued.name, issued.version) == ("锦华合规", 2)
    assert a.sync().clean          # pulls the pack, re-checks, pushes the check in the same sync
    flags_a = {row.id: row.flagged for row in scripts(a).scripts()}
    assert flags_a == {failing: True, passing: False}
    assert scripts(a).script(failing).flag.rules == ("absolute.group_words",)

    store_id = store_id_of(any_service, "SH01")
    checks = server_rows(any_service, store_id, "script_check")
    rechecks = [c for c in checks if c["reason"] == "recheck"]
    assert sorted((c["rule_pack"], c["blocks"] > 0) for c in rechecks) == [("锦华合规@2", False),
                                                                         ("锦华合规@2", True)]

    # The other console gets the pack and a's checks together: flagged alike, nothing checked twice.
    assert b.sync().clean
    assert {row.id: row.flagged for row in scripts(b).scripts()} == flags_a
    assert scripts(b).recheck().checked == 0
    assert b.outbox() == []
    assert len(server_rows(any_service, store_id, "script_check")) == len(checks)

    # Until a reworded version is approved under the new pack, the flag stands; then it is cleared everywhere.
    on_b = scripts(b)
    on_b.save(failing, BODY + "颜色很好看。")
    on_b.submit(failing)
    on_b.approve(failing)
    assert b.sync().clean and a.sync().clean
    assert not any(row.flagged for row in scripts(a).scripts())
    with a.db.begin() as s:
        assert s.query(AuditLog).filter(AuditLog.action == "script_approved").count() == 3
