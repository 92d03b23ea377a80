"""Scripts: product and segment scripts, every saved version, submission and approval against the rule pack.

A save never changes a version: it adds the next one, a draft. A writer
submits a draft; a store manager (or head office) approves or rejects a
submitted version, a rejection always with a comment. Approval checks the
version against the rule pack in force (:mod:`console.services.script_checks`)
and is refused while a ``block`` finding stands, unless a store manager
overrides with a reason, which the audit log keeps. Only the approved version
reaches the prompter (``Script.approved_version_id``); a new draft leaves it
there until the draft is approved in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.domain.enums import Role, ScriptKind, ScriptSegment, ScriptVersionStatus
from console.domain.errors import DomainError, NotFound, ValidationError
from console.domain.permissions import Permission
from console.domain.script_templates import ScriptTemplate, template, templates_for
from console.domain.scripts import DiffRow, MarkupError, RenderFacts, Rendered, diff, render
from console.domain.values import ScriptCheckInfo, ScriptDetail, ScriptRow, ScriptVersionInfo
from console.i18n import Message, msg, msg_n, text
from console.services.base import Service
from console.services.script_checks import (
    CheckOutcome,
    PackInForce,
    RecheckResult,
    Spoken,
    check_body,
    checker_for,
    pack_in_force,
    prepare,
    prepare_after_edit,
    product_facts,
    recheck_approved,
    record_check,
)
from console.storage.models import Broadcast, Product, Script, ScriptCheck, ScriptVersion, User
from console.storage.types import utcnow

if TYPE_CHECKING:
    from console.compliance import ProductFacts

MAX_TITLE = 200
MAX_BODY = 100_000          # characters; a long show's talk track is a few thousand
MAX_COMMENT = 2_000

S = ScriptVersionStatus


@dataclass(frozen=True, slots=True)
class PackInfo:
    """The rule pack in force, as a screen names it."""

    key: str
    name: str
    version: int
    issued_at: datetime | None      # None: the console's own default pack
    from_head_office: bool


@dataclass(frozen=True, slots=True)
class ScriptDecision:
    """A version after submit, approve or reject, and the check it was given."""

    version: ScriptVersionInfo
    check: CheckOutcome | None


class BodyChecker:
    """Checks a script body as it is typed, with no database: the pack and the product's facts fixed.

    It holds a checker of its own (one per editor): the checker remembers the
    last text to re-scan only edited sentences, so it is not shared between threads.
    """

    def __init__(self, pack: PackInForce, facts: ProductFacts | None, product_name: str) -> None:
        from console.compliance import Checker

        self.pack, self.facts, self.product_name = pack, facts, product_name
        self._checker = Checker(pack.pack)
        self._last: Spoken | None = None

    @property
    def rule_pack(self) -> str:
        return self.pack.key

    def check(self, body: str) -> CheckOutcome:
        """The findings in ``body``; after a keystroke in plain text, only what changed is prepared again."""
        spoken = prepare_after_edit(self._last, body) if self._last is not None else None
        if spoken is None:
            spoken = prepare(body, self.facts, self.product_name)   # type: ignore[arg-type]
        self._last = spoken
        return check_body(self.pack, body, self.facts, self.product_name,  # type: ignore[arg-type]
                          checker=self._checker, prepared=spoken)


class ApprovalBlocked(DomainError):
    """Approval refused: block findings stand (``problems`` one line each) and no override was given."""

    def __init__(self, outcome: CheckOutcome, number: int) -> None:
        self.outcome = outcome
        self.problems = tuple(
            msg("scripts.block_line", "“{text}” ({rule}): {message}", text=f.text, rule=f.rule, message=f.message)
            for f in outcome.blocking)
        super().__init__(msg_n(
            "scripts.approval_blocked",
            "Version {number} cannot be approved: {count} block finding stands. Reword it, or a store manager "
            "may approve it anyway with a reason (--override REASON).",
            "Version {number} cannot be approved: {count} block findings stand. Reword them, or a store manager "
            "may approve it anyway with a reason (--override REASON).",
            count=len(outcome.blocking), number=number))


class ScriptService(Service):
    # --- reading ------------------------------------------------------------------------------

    def scripts(self, *, limit: int = 500) -> list[ScriptRow]:
        self._actor.require(Permission.VIEW_STORE)
        sid = self._store_scope()
        with self._db.begin() as s:
            pack = pack_in_force(s)
            latest = (
                select(ScriptVersion.script_id, func.max(ScriptVersion.number).label("number"))
                .where(ScriptVersion.store_id == sid, ScriptVersion.deleted_at.is_(None))
                .group_by(ScriptVersion.script_id).subquery()
            )
            approved = ScriptVersion.__table__.alias("approved")
            q = (
                select(Script, Product.name, ScriptVersion, approved.c.number)
                .join(latest, latest.c.script_id == Script.id)
                .join(ScriptVersion, (ScriptVersion.script_id == Script.id)
                      & (ScriptVersion.number == latest.c.number))
                .outerjoin(approved, approved.c.id == Script.approved_version_id)
                .outerjoin(Product, Product.id == Script.product_id)
                .where(Script.store_id == sid, Script.deleted_at.is_(None))
                .order_by(Script.updated_at.desc()).limit(limit)
            )
            rows = s.execute(q).all()
            flagged = self._flagged(s, pack, [sc.approved_version_id for sc, *_ in rows if sc.approved_version_id])
            return [
                ScriptRow(id=sc.id, title=sc.title, kind=sc.kind, product_name=pname or "",
                          latest_version=v.number, latest_status=v.status,
                          approved=sc.approved_version_id is not None, updated_at=v.updated_at,
                          segment=sc.segment, product_id=sc.product_id, broadcast_id=sc.broadcast_id,
                          approved_version=approved_number, flagged=sc.approved_version_id in flagged)
                for sc, pname, v, approved_number in rows
            ]

    def script(self, script_id: UUID) -> ScriptDetail:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return self._detail(s, self._script(s, script_id))

    def version(self, script_id: UUID, number: int | None = None) -> ScriptVersionInfo:
        """A version by its number; the latest without one."""
        detail = self.script(script_id)
        if number is None:
            return detail.latest
        found = detail.version(number)
        if found is None:
            raise NotFound(msg("scripts.no_such_version", "{title} has no version {number}; it has versions 1 to "
                               "{latest}.", title=detail.title, number=number, latest=detail.latest.number))
        return found

    def resolve(self, reference: str) -> UUID:
        """The script a person names: its id, the start of its id (8 characters or more), or the start of its title."""
        self._actor.require(Permission.VIEW_STORE)
        reference = reference.strip()
        if not reference:
            raise ValidationError(msg("scripts.no_reference", "Name a script by its id or its title."))
        try:
            return self.script(UUID(reference)).id
        except ValueError:
            pass
        with self._db.begin() as s:
            rows = s.execute(select(Script.id, Script.title).where(
                Script.store_id == self._store_scope(), Script.deleted_at.is_(None))).all()
        folded = reference.casefold()
        by_id = [r for r in rows if len(reference) >= 8 and str(r.id).startswith(folded)]
        exact = [r for r in rows if r.title.casefold() == folded]
        matches = by_id or exact or [r for r in rows if r.title.casefold().startswith(folded)]
        if len(matches) == 1:
            return matches[0].id
        if not matches:
            raise NotFound(msg("scripts.no_match", "No script's id or title starts with '{text}'.", text=reference))
        raise ValidationError(msg_n(
            "scripts.ambiguous", "{count} script's title starts with '{text}': {titles}; give more of it or the id.",
            "{count} scripts' titles start with '{text}': {titles}; give more of the title or the id.",
            count=len(matches), text=reference, titles=tuple(f"{r.title} ({r.id})" for r in matches[:5])))

    def diff(self, script_id: UUID, left: int, right: int) -> list[DiffRow]:
        """Two versions side by side (any two, either order): aligned rows, changed characters marked."""
        detail = self.script(script_id)
        a, b = self.version(script_id, left), self.version(script_id, right)
        assert detail.id == a.script_id == b.script_id
        return diff(a.body, b.body)

    @staticmethod
    def templates(kind: ScriptKind | None = None, segment: ScriptSegment | None = None) -> list[ScriptTemplate]:
        return templates_for(kind, segment)

    # --- checking -----------------------------------------------------------------------------

    def rule_pack(self) -> PackInfo:
        with self._db.begin() as s:
            pack = pack_in_force(s)
        return PackInfo(pack.key, pack.name, pack.version, pack.issued_at, pack.from_head_office)

    def body_checker(self, product_id: UUID | None = None) -> BodyChecker:
        """A checker for the editor: the pack in force and the product's facts now, checked without the database."""
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            pack = pack_in_force(s)
            checker_for(pack)             # compiled here, on the worker, not on the first key press
            facts = product_facts(s, self._store_scope(), product_id)
            product = s.get(Product, product_id) if product_id else None
            return BodyChecker(pack, facts, product.name if product else "")

    def check(self, body: str, *, product_id: UUID | None = None) -> CheckOutcome:
        return self.body_checker(product_id).check(body)

    def check_version(self, script_id: UUID, number: int | None = None) -> CheckOutcome:
        version = self.version(script_id, number)
        with self._db.begin() as s:
            script = self._script(s, script_id)
            return self._check(s, script, version.body)

    def recheck(self, *, now: datetime | None = None) -> RecheckResult:
        """Check the approved versions against the pack in force (the sync client does it after each pull)."""
        self._actor.require(Permission.VIEW_STORE)
        return recheck_approved(self._db, now=now)

    def render(self, script_id: UUID, facts: RenderFacts) -> Rendered:
        """The approved version with the variables filled in from ``facts``; only an approved version renders."""
        detail = self.script(script_id)
        if detail.approved_version is None:
            raise ValidationError(msg("scripts.not_approved", "{title} has no approved version yet; the prompter "
                                      "shows approved scripts only.", title=detail.title))
        version = detail.version(detail.approved_version)
        assert version is not None
        return render(version.body, facts)

    # --- writing ------------------------------------------------------------------------------

    def create(self, kind: ScriptKind, title: str, *, product_id: UUID | None = None,
               broadcast_id: UUID | None = None, segment: ScriptSegment | None = None,
               template_key: str | None = None, body: str | None = None) -> ScriptDetail:
        """A new script and its first version (a draft): the body given, else the template's text."""
        self._actor.require(Permission.WRITE_SCRIPTS)
        kind = ScriptKind(kind)
        title = _title(title)
        chosen = template(template_key) if template_key else None
        if chosen is not None and chosen.kind is not kind:
            raise ValidationError(msg("scripts.template_wrong_kind", "The template {key} is for another kind of "
                                      "script.", key=chosen.key))
        if kind is ScriptKind.PRODUCT:
            if product_id is None:
                raise ValidationError(msg("scripts.product_needed", "A product script needs its product."))
            segment = None
        elif segment is None:
            segment = chosen.segment if chosen is not None else None
            if segment is None:
                raise ValidationError(msg("scripts.segment_needed",
                                          "A segment script needs its place in the show: opening, interaction "
                                          "or closing."))
        if body is None:
            body = text(chosen.body) if chosen is not None else ""
        body = _body(body)
        now = utcnow()
        with self._db.begin() as s:
            sid = self._store_scope()
            if product_id is not None and s.get(Product, product_id) is None:
                raise NotFound(msg("catalog.no_such_product", "That product is not in the catalog."))
            if broadcast_id is not None:
                show = s.get(Broadcast, broadcast_id)
                if show is None or show.store_id != sid or show.is_deleted:
                    raise NotFound(msg("broadcasts.no_such_broadcast", "That broadcast does not exist in this store."))
            script = Script(store_id=sid, kind=kind, title=title, product_id=product_id,
                            broadcast_id=broadcast_id if kind is ScriptKind.SEGMENT else None,
                            segment=ScriptSegment(segment) if segment else None,
                            template=chosen.key if chosen else "", created_at=now, updated_at=now)
            s.add(script)
            s.flush()
            s.add(ScriptVersion(store_id=sid, script_id=script.id, number=1, body=body,
                                author_id=self._actor.user_id, status=S.DRAFT, created_at=now, updated_at=now))
            s.flush()
            return self._detail(s, script)

    def save(self, script_id: UUID, body: str) -> ScriptVersionInfo:
        """Keep ``body`` as the next version, a draft; the same text as the latest version adds nothing."""
        self._actor.require(Permission.WRITE_SCRIPTS)
        body = _body(body)
        now = utcnow()
        with self._db.begin() as s:
            script = self._script(s, script_id)
            latest = self._latest(s, script.id)
            if latest.body == body:
                return self._info(s, script, latest)
            version = ScriptVersion(store_id=script.store_id, script_id=script.id, number=latest.number + 1,
                                    body=body, author_id=self._actor.user_id, status=S.DRAFT,
                                    created_at=now, updated_at=now)
            s.add(version)
            script.updated_at = now
            s.flush()
            return self._info(s, script, version)

    def rename(self, script_id: UUID, title: str) -> ScriptDetail:
        self._actor.require(Permission.WRITE_SCRIPTS)
        title = _title(title)
        with self._db.begin() as s:
            script = self._script(s, script_id)
            if script.title != title:
                script.title = title
                script.updated_at = utcnow()
            return self._detail(s, script)

    def submit(self, script_id: UUID, number: int | None = None) -> ScriptDecision:
        """Submit a draft (the latest without ``number``) for approval; it is checked and the check recorded."""
        self._actor.require(Permission.WRITE_SCRIPTS)
        now = utcnow()
        with self._db.begin() as s:
            script = self._script(s, script_id)
            version = self._pick(s, script, number)
            if version.status is not S.DRAFT:
                raise ValidationError(msg("scripts.submit_not_draft", "Version {number} of {title} is {status}, not "
                                          "a draft; only a draft is submitted.", number=version.number,
                                          title=script.title, status=STATUS_WORDS[version.status]))
            outcome = self._check(s, script, version.body)
            version.status = S.SUBMITTED
            version.submitted_by, version.submitted_at, version.updated_at = self._actor.user_id, now, now
            script.updated_at = now
            record_check(s, version, outcome, "submit", now)
            self._audit(s, "script_submitted", "script_version", version.id, script_id=script.id,
                        number=version.number, rule_pack=outcome.rule_pack, blocks=outcome.blocks, warns=outcome.warns)
            return ScriptDecision(self._info(s, script, version), outcome)

    def approve(self, script_id: UUID, number: int | None = None, *, comment: str = "",
                override_reason: str | None = None) -> ScriptDecision:
        """Approve a submitted version (the latest without ``number``); it goes to the prompter.

        Refused (:class:`ApprovalBlocked`) while a block finding stands, unless
        a store manager gives ``override_reason``; a variable that does not
        exist is never overridden (the prompter could not show it).
        """
        self._actor.require(Permission.APPROVE_SCRIPTS)
        comment = _comment(comment)
        reason = (override_reason or "").strip()
        if override_reason is not None and not reason:
            raise ValidationError(msg("scripts.override_needs_reason",
                                      "An override needs a reason; it goes to the audit log."))
        if reason and self._actor.role is not Role.STORE_MANAGER:
            raise ValidationError(msg("scripts.override_store_manager",
                                      "Only a store manager may approve a script over its block findings."))
        reason = _comment(reason)
        now = utcnow()
        with self._db.begin() as s:
            script = self._script(s, script_id)
            version = self._pick(s, script, number)
            self._require_submitted(script, version)
            outcome = self._check(s, script, version.body)
            if outcome.markup_problems:
                raise MarkupError(outcome.markup_problems)
            if outcome.blocking and not reason:
                raise ApprovalBlocked(outcome, version.number)
            record_check(s, version, outcome, "approve", now)
            version.status = S.APPROVED
            version.decided_by, version.decided_at, version.updated_at = self._actor.user_id, now, now
            version.decision_comment = comment
            version.override_reason = reason if outcome.blocking else ""
            version.rule_pack = outcome.rule_pack
            script.approved_version_id = version.id
            script.updated_at = now
            self._audit(s, "script_approved", "script_version", version.id, script_id=script.id,
                        number=version.number, rule_pack=outcome.rule_pack, blocks=outcome.blocks,
                        warns=outcome.warns, comment=comment)
            if outcome.blocking:
                self._audit(s, "script_override", "script_version", version.id, script_id=script.id,
                            number=version.number, rule_pack=outcome.rule_pack, reason=reason,
                            findings=[{"rule": f.rule, "text": f.text, "category": f.category}
                                      for f in outcome.blocking])
            return ScriptDecision(self._info(s, script, version), outcome)

    def reject(self, script_id: UUID, number: int | None = None, *, comment: str) -> ScriptDecision:
        """Reject a submitted version, saying why; the writer saves a new version to try again."""
        self._actor.require(Permission.APPROVE_SCRIPTS)
        comment = _comment(comment)
        if not comment:
            raise ValidationError(msg("scripts.reject_needs_comment",
                                      "Say why the version is rejected; the writer reads it."))
        now = utcnow()
        with self._db.begin() as s:
            script = self._script(s, script_id)
            version = self._pick(s, script, number)
            self._require_submitted(script, version)
            version.status = S.REJECTED
            version.decided_by, version.decided_at, version.updated_at = self._actor.user_id, now, now
            version.decision_comment = comment
            script.updated_at = now
            self._audit(s, "script_rejected", "script_version", version.id, script_id=script.id,
                        number=version.number, comment=comment)
            return ScriptDecision(self._info(s, script, version), None)

    # --- inside -------------------------------------------------------------------------------

    def _script(self, s: Session, script_id: UUID) -> Script:
        script = s.get(Script, script_id)
        if script is None or script.store_id != self._store_scope() or script.is_deleted:
            raise NotFound(msg("scripts.not_found", "That script does not exist in this store."))
        return script

    @staticmethod
    def _latest(s: Session, script_id: UUID) -> ScriptVersion:
        version = s.scalar(select(ScriptVersion).where(ScriptVersion.script_id == script_id,
                                                       ScriptVersion.deleted_at.is_(None))
                           .order_by(ScriptVersion.number.desc()).limit(1))
        assert version is not None, "every script has a version"
        return version

    def _pick(self, s: Session, script: Script, number: int | None) -> ScriptVersion:
        if number is None:
            return self._latest(s, script.id)
        version = s.scalar(select(ScriptVersion).where(ScriptVersion.script_id == script.id,
                                                       ScriptVersion.number == number,
                                                       ScriptVersion.deleted_at.is_(None)))
        if version is None:
            raise NotFound(msg("scripts.no_such_version", "{title} has no version {number}; it has versions 1 to "
                               "{latest}.", title=script.title, number=number,
                               latest=self._latest(s, script.id).number))
        return version

    @staticmethod
    def _require_submitted(script: Script, version: ScriptVersion) -> None:
        if version.status is S.SUBMITTED:
            return
        if version.status is S.DRAFT:
            raise ValidationError(msg("scripts.decide_draft", "Version {number} of {title} is a draft; it is "
                                      "submitted before anyone decides on it.", number=version.number,
                                      title=script.title))
        raise ValidationError(msg("scripts.already_decided", "Version {number} of {title} is already {status}.",
                                  number=version.number, title=script.title, status=STATUS_WORDS[version.status]))

    def _check(self, s: Session, script: Script, body: str) -> CheckOutcome:
        pack = pack_in_force(s)
        facts = product_facts(s, script.store_id, script.product_id)
        product = s.get(Product, script.product_id) if script.product_id else None
        return check_body(pack, body, facts, product.name if product else "")

    @staticmethod
    def _flagged(s: Session, pack: PackInForce, version_ids: Sequence[UUID]) -> set[UUID]:
        if not version_ids:
            return set()
        return set(s.scalars(select(ScriptCheck.script_version_id).where(
            ScriptCheck.script_version_id.in_(version_ids), ScriptCheck.rule_pack == pack.key,
            ScriptCheck.reason == "recheck", ScriptCheck.blocks > 0)))

    def _names(self, s: Session, ids: set[UUID | None]) -> dict[UUID, str]:
        wanted = [i for i in ids if i is not None]
        if not wanted:
            return {}
        return {uid: name for uid, name in s.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))}

    def _info(self, s: Session, script: Script, v: ScriptVersion,
              names: dict[UUID, str] | None = None) -> ScriptVersionInfo:
        if names is None:
            names = self._names(s, {v.author_id, v.submitted_by, v.decided_by})
        return ScriptVersionInfo(
            id=v.id, script_id=script.id, number=v.number, body=v.body, status=v.status,
            author_name=names.get(v.author_id, "") if v.author_id else "", created_at=v.created_at,
            submitted_at=v.submitted_at,
            submitted_by_name=names.get(v.submitted_by, "") if v.submitted_by else "",
            decided_at=v.decided_at, decided_by_name=names.get(v.decided_by, "") if v.decided_by else "",
            decision_comment=v.decision_comment or "", override_reason=v.override_reason or "",
            rule_pack=v.rule_pack or "", on_prompter=script.approved_version_id == v.id)

    def _detail(self, s: Session, script: Script) -> ScriptDetail:
        versions = list(s.scalars(select(ScriptVersion).where(
            ScriptVersion.script_id == script.id, ScriptVersion.deleted_at.is_(None)).order_by(ScriptVersion.number)))
        names = self._names(s, {u for v in versions for u in (v.author_id, v.submitted_by, v.decided_by)})
        product = s.get(Product, script.product_id) if script.product_id else None
        show = s.get(Broadcast, script.broadcast_id) if script.broadcast_id else None
        approved = next((v for v in versions if v.id == script.approved_version_id), None)
        flag: ScriptCheckInfo | None = None
        if approved is not None:
            pack = pack_in_force(s)
            check = s.scalar(select(ScriptCheck).where(
                ScriptCheck.script_version_id == approved.id, ScriptCheck.rule_pack == pack.key,
                ScriptCheck.reason == "recheck", ScriptCheck.blocks > 0))
            if check is not None:
                rules = sorted(check.findings, key=lambda f: (f.get("severity") != "block", f.get("start", 0)))
                flag = ScriptCheckInfo(check.rule_pack, check.checked_at, check.reason, check.blocks, check.warns,
                                       tuple(dict.fromkeys(str(f.get("rule", "")) for f in rules)))
        return ScriptDetail(
            id=script.id, title=script.title, kind=script.kind, segment=script.segment,
            product_id=script.product_id, product_name=product.name if product else "",
            broadcast_id=script.broadcast_id, broadcast_title=show.title if show else "",
            template=script.template or "", versions=tuple(self._info(s, script, v, names) for v in versions),
            approved_version=approved.number if approved is not None else None,
            flagged=flag is not None, flag=flag, updated_at=script.updated_at)


def _title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError(msg("scripts.title_needed", "A script needs a title."))
    if len(title) > MAX_TITLE:
        raise ValidationError(msg("scripts.title_too_long", "A script's title may be {limit} characters at most; "
                                  "this one has {length}.", limit=MAX_TITLE, length=len(title)))
    return title


def _body(body: str) -> str:
    if "\x00" in body:
        raise ValidationError(msg("scripts.body_nul", "The script holds a NUL character, which is not text."))
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        raise ValidationError(msg("scripts.body_empty", "The script is empty; write what the anchor says."))
    if len(body) > MAX_BODY:
        raise ValidationError(msg("scripts.body_too_long", "A script may be {limit} characters at most; this one "
                                  "has {length}.", limit=MAX_BODY, length=len(body)))
    return body


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(msg("scripts.comment_too_long", "A comment may be {limit} characters at most; this "
                                  "one has {length}.", limit=MAX_COMMENT, length=len(comment)))
    return comment


STATUS_WORDS: dict[ScriptVersionStatus, Message] = {
    S.DRAFT: msg("scripts.status_draft", "a draft"),
    S.SUBMITTED: msg("scripts.status_submitted", "submitted"),
    S.APPROVED: msg("scripts.status_approved", "approved"),
    S.REJECTED: msg("scripts.status_rejected", "rejected"),
}
