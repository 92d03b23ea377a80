"""Scripts through their service: versions kept, submit, approve, reject, the override and its audit, the re-check.

A real SQLite store, the real checker and its default pack; a head-office pack
arrives as the sync would leave it, a ``rule_pack`` row.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import select

from console.compliance import default_pack
from console.domain.enums import AuditVia, Role, ScriptKind, ScriptSegment, ScriptVersionStatus
from console.domain.errors import NotFound, PermissionDenied, ValidationError
from console.domain.permissions import Actor
from console.domain.scripts import MarkupError, RenderFacts, RowKind
from console.domain.values import StoreInfo
from console.services.onair import OnAirService
from console.services.script_checks import check_id, recheck_approved
from console.services.scripts import ApprovalBlocked, ScriptService
from console.storage.db import Database
from console.storage.models import AuditLog, Product, QueueItem, RulePack, ScriptCheck
from console.storage.types import utcnow
from tests.onair_helpers import START, ready_show

CLEAN = "{link_number}号链接{product}，[展示]面料柔软。专柜价{counter_price}，今天到手{live_price}。{{备注：看镜头}}"
BLOCKED = CLEAN + "这是全网最低价！"
S = ScriptVersionStatus


@pytest.fixture
def show(db: Database, store: StoreInfo, manager_actor: Actor) -> UUID:
    return ready_show(db, store, manager_actor, items=2)


@pytest.fixture
def product(db: Database, show: UUID) -> UUID:
    with db.begin() as s:
        return s.scalars(select(QueueItem.product_id).where(QueueItem.link_number == 1)).one()


@pytest.fixture
def scripts(db: Database, manager_actor: Actor) -> ScriptService:
    return ScriptService(db, manager_actor)


def product_script(scripts: ScriptService, product: UUID, body: str = CLEAN) -> UUID:
    return scripts.create(ScriptKind.PRODUCT, "围巾讲解", product_id=product, body=body).id


def audit(db: Database, action: str) -> list[AuditLog]:
    with db.begin() as s:
        rows = list(s.scalars(select(AuditLog).where(AuditLog.action == action)))
        s.expunge_all()
        return rows


def issue_pack(db: Database, version: int, *, extra_words: list[str]) -> None:
    """A head-office pack as the sync leaves it: the default rules plus one rule blocking ``extra_words``."""
    data = default_pack().as_data()
    data = {**data, "name": "集团规则", "version": version, "rules": [*data["rules"], {
        "id": "absolute.group_words", "category": "absolute", "severity": "block", "words": extra_words,
        "reference": "广告法第九条", "message": {"zh": "“{text}”不能说", "en": "“{text}” may not be said"}}]}
    with db.begin() as s:
        s.add(RulePack(name="集团规则", version=version, issued_at=utcnow() + timedelta(seconds=version), rules=data))


def test_every_save_is_a_new_version_and_an_unchanged_save_adds_none(scripts: ScriptService, product: UUID) -> None:
    script_id = product_script(scripts, product)
    assert scripts.save(script_id, CLEAN).number == 1
    second = scripts.save(script_id, CLEAN + "\r\n欢迎关注。")
    assert (second.number, second.status, second.body.endswith("\n欢迎关注。")) == (2, S.DRAFT, True)
    detail = scripts.script(script_id)
    assert [v.number for v in detail.versions] == [1, 2]
    assert detail.version(1).body == CLEAN and detail.product_name
    rows = scripts.diff(script_id, 1, 2)
    assert [r.kind for r in rows] == [RowKind.SAME, RowKind.ADDED]
    with pytest.raises(NotFound, match="has no version 9"):
        scripts.version(script_id, 9)


def test_a_script_from_a_template_and_the_segment_it_is_for(scripts: ScriptService, show: UUID) -> None:
    opening = scripts.create(ScriptKind.SEGMENT, "开场", broadcast_id=show, template_key="segment_opening")
    assert (opening.segment, opening.template, opening.broadcast_title) == (ScriptSegment.OPENING, "segment_opening",
                                                                            "锦华冬季专场")
    assert "[pause]" in opening.latest.body or "[停顿]" in opening.latest.body
    with pytest.raises(ValidationError, match="needs its place in the show"):
        scripts.create(ScriptKind.SEGMENT, "无处", body="大家好")
    with pytest.raises(ValidationError, match="needs its product"):
        scripts.create(ScriptKind.PRODUCT, "无商品", body="大家好")
    with pytest.raises(ValidationError, match="another kind"):
        scripts.create(ScriptKind.SEGMENT, "错", segment=ScriptSegment.CLOSING, template_key="product_talk_track")


def test_bad_bodies_and_titles_are_refused_and_nothing_is_written(scripts: ScriptService, product: UUID) -> None:
    for body, words in (("", "empty"), ("  \n", "empty"), ("a\x00b", "NUL"), ("字" * 100_001, "100,000")):
        with pytest.raises(ValidationError, match=words):
            scripts.create(ScriptKind.PRODUCT, "x", product_id=product, body=body)
    with pytest.raises(ValidationError, match="needs a title"):
        scripts.create(ScriptKind.PRODUCT, "   ", product_id=product, body=CLEAN)
    assert scripts.scripts() == []


def test_submit_then_approve_puts_the_version_on_the_prompter(
        db: Database, scripts: ScriptService, product: UUID, show: UUID, manager_actor: Actor) -> None:
    script_id = product_script(scripts, product)
    with pytest.raises(ValidationError, match="is a draft"):
        scripts.approve(script_id)
    submitted = scripts.submit(script_id)
    assert submitted.version.status is S.SUBMITTED and submitted.check is not None
    assert submitted.check.blocks == 0
    with pytest.raises(ValidationError, match="not a draft"):
        scripts.submit(script_id)
    approved = scripts.approve(script_id, comment="可以")
    assert (approved.version.status, approved.version.on_prompter, approved.version.decision_comment,
            approved.version.rule_pack) == (S.APPROVED, True, "可以", f"default@{default_pack().version}")
    row = scripts.scripts()[0]
    assert (row.approved, row.approved_version, row.flagged) == (True, 1, False)
    (entry,) = audit(db, "script_approved")
    assert entry.detail["number"] == 1 and entry.user_id == manager_actor.user_id

    # The show's line carries the approved body; the prompter fills the variables in when it shows it.
    show_now = OnAirService(db, manager_actor).start(show, now=START)
    line = show_now.current.facts
    assert line.script == CLEAN
    assert scripts.render(script_id, RenderFacts.from_line(line, stock=4)).spoken.startswith("1号链接")
    assert "还剩" not in CLEAN and "{" not in scripts.render(script_id, RenderFacts.from_line(line)).spoken

    # A new draft leaves the approved version where it is until the draft is approved in turn.
    scripts.save(script_id, CLEAN + "喜欢的朋友点关注。")
    assert scripts.script(script_id).approved_version == 1
    scripts.submit(script_id)
    scripts.approve(script_id)
    assert scripts.script(script_id).approved_version == 2


def test_a_block_finding_refuses_approval_until_a_store_manager_overrides_with_a_reason(
        db: Database, scripts: ScriptService, product: UUID, store: StoreInfo) -> None:
    script_id = product_script(scripts, product, BLOCKED)
    assert scripts.submit(script_id).check.blocks == 1
    with pytest.raises(ApprovalBlocked) as refused:
        scripts.approve(script_id)
    assert "全网最低价" in str(refused.value.problems[0]) and "1 block finding" in str(refused.value)
    with pytest.raises(ValidationError, match="needs a reason"):
        scripts.approve(script_id, override_reason="   ")
    head_office = ScriptService(db, Actor(store_id=store.id, role=Role.HEAD_OFFICE, via=AuditVia.GUI))
    with pytest.raises(ValidationError, match="Only a store manager"):
        head_office.approve(script_id, override_reason="总部同意")
    assert scripts.version(script_id).status is S.SUBMITTED and audit(db, "script_override") == []

    decision = scripts.approve(script_id, override_reason="专柜价有价签为证，法务已确认")
    assert decision.version.override_reason == "专柜价有价签为证，法务已确认"
    (entry,) = audit(db, "script_override")
    assert entry.detail["reason"] == "专柜价有价签为证，法务已确认"
    assert [f["text"] for f in entry.detail["findings"]] == ["全网最低价"]
    with db.begin() as s:
        check = s.get(ScriptCheck, check_id(decision.version.id, decision.check.rule_pack))
        assert check is not None and check.blocks == 1


def test_head_office_may_approve_a_clean_version_an_anchor_may_not(
        db: Database, scripts: ScriptService, product: UUID, store: StoreInfo, anchor_actor: Actor) -> None:
    script_id = product_script(ScriptService(db, anchor_actor), product)
    ScriptService(db, anchor_actor).submit(script_id)
    with pytest.raises(PermissionDenied):
        ScriptService(db, anchor_actor).approve(script_id)
    head_office = ScriptService(db, Actor(store_id=store.id, role=Role.HEAD_OFFICE, via=AuditVia.GUI))
    assert head_office.approve(script_id).version.status is S.APPROVED


def test_a_rejection_says_why_and_a_decided_version_is_not_decided_again(
        scripts: ScriptService, product: UUID) -> None:
    script_id = product_script(scripts, product, BLOCKED)
    scripts.submit(script_id)
    with pytest.raises(ValidationError, match="Say why"):
        scripts.reject(script_id, comment=" ")
    rejected = scripts.reject(script_id, comment="去掉“全网最低价”")
    assert (rejected.version.status, rejected.version.decision_comment) == (S.REJECTED, "去掉“全网最低价”")
    with pytest.raises(ValidationError, match="already rejected"):
        scripts.approve(script_id, override_reason="x")


def test_an_unknown_variable_is_never_approved_even_with_an_override(scripts: ScriptService, product: UUID) -> None:
    script_id = product_script(scripts, product, "今天只要{livepric}")
    outcome = scripts.submit(script_id).check
    assert outcome.markup_problems[0].nearest == "live_price" and outcome.blocks == 1
    with pytest.raises(MarkupError, match="did you mean"):
        scripts.approve(script_id, override_reason="急用")


def test_findings_are_spans_of_the_body_as_written_not_of_the_text_checked(
        scripts: ScriptService, product: UUID) -> None:
    body = "{{备注：别说最好}}{product}[停顿]全网最低价"
    outcome = scripts.check(body, product_id=product)
    (finding,) = outcome.findings
    assert body[finding.start:finding.end] == finding.text == "全网最低价"
    checker = scripts.body_checker(product)
    assert [(f.start, f.end) for f in checker.check(body).findings] == [(finding.start, finding.end)]
    assert checker.check(body.replace("全网最低价", "很好看")).findings == ()


def test_a_new_pack_re_checks_approved_versions_and_flags_those_that_now_fail(
        db: Database, scripts: ScriptService, product: UUID) -> None:
    failing = product_script(scripts, product, CLEAN + "颜色很正。")
    passing = product_script(scripts, product, CLEAN)
    for script_id in (failing, passing):
        scripts.submit(script_id)
        scripts.approve(script_id)
    assert recheck_approved(db).checked == 0          # both approved under the pack in force

    issue_pack(db, 1, extra_words=["很正"])
    assert scripts.rule_pack().key == "集团规则@1" and scripts.rule_pack().from_head_office
    result = scripts.recheck()
    assert (result.rule_pack, result.checked, result.flagged) == ("集团规则@1", 2, (failing,))
    flagged = {row.id: row.flagged for row in scripts.scripts()}
    assert flagged == {failing: True, passing: False}
    detail = scripts.script(failing)
    assert detail.flag is not None and detail.flag.rules == ("absolute.group_words",)
    assert scripts.recheck().checked == 0             # checked once per pack

    # A reworded version approved under the new pack clears the flag.
    scripts.save(failing, CLEAN + "颜色很好看。")
    scripts.submit(failing)
    scripts.approve(failing)
    assert scripts.script(failing).flagged is False


def test_a_pack_that_does_not_load_leaves_the_previous_pack_in_force(db: Database, scripts: ScriptService) -> None:
    issue_pack(db, 1, extra_words=["很正"])
    with db.begin() as s:
        s.add(RulePack(name="集团规则", version=2, issued_at=utcnow() + timedelta(minutes=5),
                       rules={"name": "集团规则", "version": 2, "rules": [{"id": "bad"}]}))
    assert scripts.rule_pack().key == "集团规则@1"


def test_another_stores_script_is_not_found(db: Database, scripts: ScriptService, product: UUID) -> None:
    script_id = product_script(scripts, product)
    other = ScriptService(db, Actor(store_id=UUID(int=7), role=Role.STORE_MANAGER, via=AuditVia.GUI))
    with pytest.raises(NotFound):
        other.script(script_id)
    with db.begin() as s:
        assert s.get(Product, product) is not None


def test_the_editors_check_after_each_keystroke_equals_a_check_from_scratch(
        scripts: ScriptService, product: UUID) -> None:
    import random

    from console.services.script_checks import check_body, prepare

    rng = random.Random(14)
    checker = scripts.body_checker(product)
    body = (CLEAN + "全网最低价，[停顿]加微信{{备注：别说最好}}只剩3件！【新品】{stock}件\n") * 8
    for _ in range(300):
        at = rng.randrange(len(body) + 1)
        if rng.random() < 0.3 and at < len(body):
            body = body[:at] + body[at + 1:]
        else:
            body = body[:at] + rng.choice(["最", "好", "，", "[", "】", "{", "薇信", "第一"]) + body[at:]
        fast = checker.check(body)
        fresh = check_body(checker.pack, body, checker.facts, checker.product_name)
        assert fast.findings == fresh.findings and fast.markup_problems == fresh.markup_problems
        assert prepare(body, checker.facts, checker.product_name).text == checker._last.text
