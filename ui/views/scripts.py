"""Scripts: the store's product and segment scripts, written and checked as they are typed, versioned and approved.

On the left the scripts, filtered by words, product, broadcast and status; on
the right the chosen one: the editor (its compliance findings underlined as
they are typed, :mod:`ui.script_editor`) with the findings listed below it,
and the versions with a side-by-side diff of any two. Anchors write and
submit; store managers (and head office) approve or reject with a comment.
Approval is refused while a ``block`` finding stands, unless a store manager
gives a reason, which the service puts in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.domain.enums import Role, ScriptKind, ScriptVersionStatus
from console.domain.permissions import Permission
from console.domain.values import ScriptDetail, ScriptRow
from console.i18n import Message
from console.services.worker import DbWorker
from ui.actions import SCRIPTS, ActionButton, ActionRegistry
from ui.i18n import render
from ui.models.tables import ScriptTableModel
from ui.operations import FAILED
from ui.script_editor import BLOCK_COLOUR, WARN_COLOUR, ScriptEditor
from ui.text import script_status_text
from ui.views.page import Page, make_table
from ui.views.roster_dialogs import answer, run_dialog
from ui.views.script_dialogs import (
    DISCARD,
    SAVE,
    NewScriptDialog,
    OverrideDialog,
    RejectDialog,
    UnsavedChangesBox,
)
from ui.views.script_versions import VersionsPanel

if TYPE_CHECKING:
    from console.services.registry import Services
    from console.services.scripts import BodyChecker

ALL = "__all__"


@dataclass(frozen=True, slots=True)
class MarkupFinding:
    """A variable that does not exist, shown like a blocking finding; the fix is the nearest variable."""

    start: int
    end: int
    text: str
    message: Message
    replacement: str | None
    category: str = "markup"
    severity: str = "block"
    rule: str = "markup.unknown_variable"
    reference: str = ""
    suggestion: str = ""


def findings_of(checker: BodyChecker, body: str) -> list[Any]:
    """What the editor underlines: the checker's findings and the markup's problems."""
    outcome = checker.check(body)
    found: list[Any] = list(outcome.findings)
    for p in outcome.markup_problems:
        fix = "{" + p.nearest + "}" if p.nearest else None
        found.append(MarkupFinding(p.start, p.end, body[p.start:p.end], p.message, fix, suggestion=fix or ""))
    return found


class ScriptsPage(Page):
    view_name = "scripts"
    scope = SCRIPTS
    watches = frozenset({"script", "script_version", "script_check", "product", "rule_pack"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self.coming_label.hide()
        actor = services.actor
        self.may_write = actor.may(Permission.WRITE_SCRIPTS)
        self.may_approve = actor.may(Permission.APPROVE_SCRIPTS)
        self.may_override = actor.role is Role.STORE_MANAGER
        self._rows: list[ScriptRow] = []
        self._broadcast_titles: dict[UUID, str] = {}
        self.detail: ScriptDetail | None = None
        self._checker_for: UUID | None = None     # the script whose product the editor's checker knows
        self._loaded_body = ""                    # the text of the version the editor was given
        self._actions: ActionRegistry | None = None
        self._selecting = False                   # the screen selects a row itself: it opens the script too
        self._asking_to_leave = False             # the unsaved-changes question is open
        # The questions the screen asks (why override, why reject, unsaved text): a test answers them itself.
        self.override_prompt: Callable[[Sequence[str]], Any] = self._ask_override
        self.reject_prompt: Callable[[], Any] = self._ask_reject
        self.new_script_prompt: Callable[..., Any] = self._ask_new_script
        self.leave_prompt: Callable[[str], Any] = self._ask_leave

        self._build_filters()
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("Notice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        self.body.addWidget(self.notice_label)

        self.model = ScriptTableModel(timezone, self)
        self.view = make_table(self.model, self)
        self.view.setObjectName("ScriptList")
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # The product is in each product script's title; when it was written is in its versions.
        self.view.setColumnHidden(1, True)
        self.view.setColumnHidden(5, True)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(right)
        self.heading.setObjectName("ScriptHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.state_label = QLabel(right)
        self.state_label.setWordWrap(True)
        self.tabs = QTabWidget(right)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.state_label)
        right_layout.addWidget(self.tabs, 1)

        edit_tab = QWidget(self.tabs)
        edit_layout = QVBoxLayout(edit_tab)
        edit_layout.setContentsMargins(0, 6, 0, 0)
        self.editor = ScriptEditor(edit_tab)
        self.editor.setReadOnly(not self.may_write)
        self.editor.textChanged.connect(self._show_state)
        self.editor.findings_changed.connect(self._show_findings)
        self.findings_list = QListWidget(edit_tab)
        self.findings_list.setObjectName("ScriptFindings")
        self.findings_list.setMaximumHeight(130)
        self.findings_list.itemActivated.connect(self._on_finding_activated)
        self.findings_label = QLabel(edit_tab)
        self.findings_label.setBuddy(self.findings_list)
        split = QSplitter(Qt.Orientation.Vertical, edit_tab)
        split.addWidget(self.editor)
        below = QWidget(split)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.findings_label)
        below_layout.addWidget(self.findings_list)
        split.addWidget(below)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        edit_layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.fix_button = QPushButton(edit_tab)
        self.save_button = QPushButton(edit_tab)
        self.submit_button = QPushButton(edit_tab)
        self.approve_button = QPushButton(edit_tab)
        self.reject_button = QPushButton(edit_tab)
        buttons.addWidget(self.fix_button)
        buttons.addStretch(1)
        for button in (self.save_button, self.submit_button, self.approve_button, self.reject_button):
            buttons.addWidget(button)
        self.approve_button.setVisible(self.may_approve)
        self.reject_button.setVisible(self.may_approve)
        self.save_button.setVisible(self.may_write)
        self.submit_button.setVisible(self.may_write)
        edit_layout.addLayout(buttons)
        self.tabs.addTab(edit_tab, "")

        self.versions = VersionsPanel(self.tabs)
        self.versions.older.activated.connect(lambda *_: self._show_diff_soon())
        self.versions.newer.activated.connect(lambda *_: self._show_diff_soon())
        self.versions.table.itemActivated.connect(lambda *_: self._take_version_soon())
        self.tabs.addTab(self.versions, "")

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([420, 620])
        self.body.addWidget(self.splitter, 1)
        self.retranslate()

    def _build_filters(self) -> None:
        row = QHBoxLayout()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda *_: self._show_rows())
        self.product_filter = QComboBox(self)
        self.broadcast_filter = QComboBox(self)
        self.status_filter = QComboBox(self)
        for combo in (self.product_filter, self.broadcast_filter, self.status_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda *_: self._show_rows())
        self.pack_label = QLabel(self)
        self.pack_label.setObjectName("PageIntro")
        row.addWidget(self.filter_edit, 2)
        row.addWidget(self.product_filter, 1)
        row.addWidget(self.broadcast_filter, 1)
        row.addWidget(self.status_filter)
        row.addWidget(self.pack_label)
        self.new_button = QPushButton(self)
        self.new_button.setVisible(self.may_write)
        row.addWidget(self.new_button)
        self.body.addLayout(row)

    def set_actions(self, actions: ActionRegistry) -> None:
        self._actions = actions
        for button, action_id in ((self.new_button, "scripts.new"), (self.fix_button, "scripts.apply_suggestion"),
                                  (self.save_button, "scripts.save"),
                                  (self.submit_button, "scripts.submit"), (self.approve_button, "scripts.approve"),
                                  (self.reject_button, "scripts.reject")):
            ActionButton(button, actions[action_id], "text")
            keys = actions.shortcut_for(action_id).split(";")[0].strip()
            button.setToolTip(keys)
        self.editor.fix_key = actions.shortcut_for("scripts.apply_suggestion").split(";")[0].strip()
        self._enable()

    # --- words ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Scripts"))
        self.intro_label.setText(self.tr(
            "Write what to say; the guard underlines what the law or the platform forbids as you type (red blocks "
            "approval, amber needs care). Only an approved version reaches the prompter."))
        self.filter_edit.setPlaceholderText(self.tr("Filter by title or product (Ctrl+L)"))
        self._fill_combo(self.status_filter, [(ALL, self.tr("Any status"))] + [
            (status.value, script_status_text(status)) for status in ScriptVersionStatus])
        self._fill_filters()
        self.tabs.setTabText(0, self.tr("Script"))
        self.tabs.setTabText(1, self.tr("Versions and differences"))
        self.versions.retranslate()
        self._show_heading()
        self._show_state()
        self._show_findings(self.editor.findings)

    @staticmethod
    def _fill_combo(combo: QComboBox, items: Sequence[tuple[Any, str]]) -> None:
        kept = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        for data, label in items:
            combo.addItem(label, data)
        index = combo.findData(kept)
        combo.setCurrentIndex(index if index >= 0 else 0)
        combo.blockSignals(False)

    def _fill_filters(self) -> None:
        products = sorted({(r.product_id, r.product_name) for r in self._rows if r.product_id},
                          key=lambda p: p[1])
        self._fill_combo(self.product_filter, [(ALL, self.tr("Any product"))] + [
            (str(pid), name) for pid, name in products])
        broadcasts = sorted({r.broadcast_id for r in self._rows if r.broadcast_id},
                            key=lambda b: self._broadcast_titles.get(b, ""))
        self._fill_combo(self.broadcast_filter, [(ALL, self.tr("Any broadcast")),
                                                 ("", self.tr("For every broadcast"))] + [
            (str(b), self._broadcast_titles.get(b, "")) for b in broadcasts])

    # --- loading -------------------------------------------------------------------------------
    async def load(self) -> None:
        rows, titles, pack = await self.call(self._fetch)
        self._rows = rows
        self._broadcast_titles = titles
        self.pack_label.setText(self.tr("Rule pack %1").replace("%1", pack.key))
        self.pack_label.setToolTip(self.tr("Scripts are checked against this rule pack"))
        self._fill_filters()
        self._show_rows()
        if self.detail is not None and any(r.id == self.detail.id for r in rows):
            await self._open(self.detail.id, keep_text=True)
        elif self.model.rowCount():
            first = self.model.value(0).id
            self._selecting = True
            try:
                self.view.selectRow(0)
            finally:
                self._selecting = False
            await self._open(first)

    def _fetch(self) -> tuple[list[ScriptRow], dict[UUID, str], Any]:
        """On the worker: the scripts, the titles of the broadcasts they belong to, the rule pack in force."""
        scripts = self._services.scripts
        rows = scripts.scripts()
        titles: dict[UUID, str] = {}
        for bid in {r.broadcast_id for r in rows if r.broadcast_id}:
            titles[bid] = self._services.broadcasts.get(bid).title
        return rows, titles, scripts.rule_pack()

    def _shown_rows(self) -> list[ScriptRow]:
        words = self.filter_edit.text().strip().lower()
        product, broadcast, status = (self.product_filter.currentData(), self.broadcast_filter.currentData(),
                                      self.status_filter.currentData())
        shown = []
        for r in self._rows:
            if words and words not in r.title.lower() and words not in r.product_name.lower() \
                    and words not in self._broadcast_titles.get(r.broadcast_id, "").lower():  # type: ignore[arg-type]
                continue
            if product not in (None, ALL) and str(r.product_id) != product:
                continue
            if broadcast == "" and (r.kind is not ScriptKind.SEGMENT or r.broadcast_id is not None):
                continue
            if broadcast not in (None, ALL, "") and str(r.broadcast_id) != broadcast:
                continue
            if status not in (None, ALL) and r.latest_status.value != status:
                continue
            shown.append(r)
        return shown

    def _show_rows(self) -> None:
        self.model.set_rows(self._shown_rows())
        for column in (2, 3, 4):
            self.view.resizeColumnToContents(column)
        if self.detail is not None:
            self._select_row(self.detail.id)

    def _select_row(self, script_id: UUID) -> None:
        """Select a script's row (if listed) without opening it: the screen opens it itself."""
        for row, r in enumerate(self.model.rows()):
            if r.id == script_id:
                self._selecting = True
                try:
                    self.view.selectRow(row)
                finally:
                    self._selecting = False
                break

    def _on_selection(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows or self._selecting:
            return
        script_id = self.model.value(rows[0].row()).id
        if self.detail is not None and self.detail.id == script_id:
            return
        self._open_soon(script_id)

    async def open_script(self, script_id: UUID) -> bool:
        """Choose a script: cleared filters if they hide it, its row selected, it shown on the right.

        Another script than the one in the editor is asked about first if its text is unsaved;
        False when the person stays. The same script again keeps what was typed.
        """
        same = self.detail is not None and self.detail.id == script_id
        if not same and not await self.confirm_leave():
            return False
        if not any(r.id == script_id for r in self._shown_rows()):
            self.filter_edit.clear()
            for combo in (self.product_filter, self.broadcast_filter, self.status_filter):
                combo.setCurrentIndex(0)
        self._select_row(script_id)
        await self._open(script_id, keep_text=same)
        return True

    async def open_first_with_blocks(self) -> bool:
        """Open the first listed script not yet approved whose latest version a finding blocks (the screenshot's)."""
        waiting = [r.id for r in self.model.rows() if r.latest_status is not ScriptVersionStatus.APPROVED]

        def first_blocked() -> UUID | None:
            for script_id in waiting:
                if self._services.scripts.check_version(script_id).blocks:
                    return script_id
            return None

        found = await self.call(first_blocked)
        if found is None:
            return False
        await self.open_script(found)
        self.go_finding(1)
        return True

    @asyncSlot()
    async def _open_soon(self, script_id: UUID) -> None:
        """Another row chosen in the list: open it, unless the person stays with unsaved text."""
        if not await self.confirm_leave():
            if self.detail is not None:     # Cancel: the list back on the script still in the editor
                self._select_row(self.detail.id)
            return
        self._select_row(script_id)         # a refresh meanwhile may have selected the old row again
        await self._open(script_id)

    async def _open(self, script_id: UUID, *, keep_text: bool = False) -> None:
        """Show one script: its latest version in the editor, checked against its product's facts."""
        detail = await self.ops.run(self._services.scripts.script, script_id)
        if detail is FAILED:
            return
        if self._checker_for != script_id or not keep_text:
            checker = await self.call(self._services.scripts.body_checker, detail.product_id)
            self.editor.set_checker(lambda body: findings_of(checker, body))
            self._checker_for = script_id
        typed = self.editor.toPlainText()
        unsaved = keep_text and self.detail is not None and self.detail.id == script_id \
            and typed != self._loaded_body
        self.detail = detail
        self._loaded_body = detail.latest.body
        if not unsaved:
            self.editor.set_text(detail.latest.body)
        self.versions.set_versions(list(reversed(detail.versions)))
        self._show_heading()
        self._show_state()
        self._enable()
        await self._show_diff()

    # --- what the screen shows of the script -------------------------------------------------
    def _show_heading(self) -> None:
        d = self.detail
        if d is None:
            self.heading.setText(self.tr("Choose a script on the left."))
            return
        where = d.product_name if d.kind is ScriptKind.PRODUCT else (
            d.broadcast_title or self.tr("every broadcast"))
        self.heading.setText(d.title if not where or where in d.title else f"{d.title} · {where}")

    @property
    def unsaved(self) -> bool:
        return self.detail is not None and self.editor.toPlainText() != self._loaded_body

    # --- unsaved text, before it would be lost ------------------------------------------------------
    @property
    def leaving_loses_work(self) -> bool:
        return self.may_write and self.unsaved

    async def confirm_leave(self) -> bool:
        """Unsaved text: Save (a new draft version), Discard (the loaded version back) or Cancel (stay).

        Save that fails shows its problem as Ctrl+S does and stays, so the text is never lost
        without the person choosing to drop it. A second question while one is open stays too.
        """
        if not self.leaving_loses_work or self.detail is None:
            return True
        if self._asking_to_leave:
            return False
        self._asking_to_leave = True
        try:
            choice = await answer(self.leave_prompt(self.detail.title))
        finally:
            self._asking_to_leave = False
        if choice == SAVE:
            return await self._save()
        if choice == DISCARD:
            # Back to the version as loaded: a return to this screen must not bring the dropped text back.
            self.editor.set_text(self._loaded_body)
            return True
        return False

    async def _ask_leave(self, title: str) -> str:
        box = UnsavedChangesBox(self, title)
        await run_dialog(box)
        return box.choice()

    def _show_state(self) -> None:
        d = self.detail
        if d is None:
            self.state_label.setText("")
            return
        v = d.latest
        parts = [self.tr("Version %1: %2").replace("%1", str(v.number)).replace("%2", script_status_text(v.status))]
        if v.author_name:
            parts.append(self.tr("written by %1").replace("%1", v.author_name))
        if d.approved_version is not None:
            parts.append(self.tr("the prompter shows version %1").replace("%1", str(d.approved_version)))
        else:
            parts.append(self.tr("not on the prompter until a version is approved"))
        if self.unsaved:
            parts.append(self.tr("unsaved changes (Ctrl+S saves a new version)"))
        text = " · ".join(parts)
        if v.status is ScriptVersionStatus.REJECTED and v.decision_comment:
            text += "\n" + self.tr("Rejected by %1: %2").replace("%1", v.decided_by_name).replace(
                "%2", v.decision_comment)
        if d.flagged:
            text += "\n" + self.tr("The approved version fails the rule pack now in force: reword it and submit "
                                   "again.")
        self.state_label.setText(text)
        self._enable()

    def _show_findings(self, findings: Sequence[Any]) -> None:
        self.findings_list.clear()
        blocks = sum(1 for f in findings if f.severity == "block")
        warns = len(findings) - blocks
        if not findings:
            self.findings_label.setText(self.tr("&Findings: none. Nothing the guard knows of is wrong here."))
        else:
            self.findings_label.setText(self.tr("&Findings: %1 blocking, %2 to take care with (F8 goes to the next)")
                                        .replace("%1", str(blocks)).replace("%2", str(warns)))
        for f in findings:
            mark = self.tr("Blocks") if f.severity == "block" else self.tr("Care")
            item = QListWidgetItem(f"{mark} · “{f.text}” · {render(f.message)}")
            item.setForeground(QBrush(QColor(BLOCK_COLOUR if f.severity == "block" else WARN_COLOUR)))
            item.setToolTip(self.editor.hover_text(f))
            item.setData(Qt.ItemDataRole.UserRole, f.start)
            self.findings_list.addItem(item)

    def _enable(self) -> None:
        if self._actions is None:
            return
        d = self.detail
        latest = d.latest if d is not None else None
        submitted = latest is not None and latest.status is ScriptVersionStatus.SUBMITTED and not self.unsaved
        self._actions["scripts.new"].setEnabled(self.may_write)
        self._actions["scripts.save"].setEnabled(self.may_write and d is not None)
        self._actions["scripts.submit"].setEnabled(self.may_write and d is not None and (
            self.unsaved or (latest is not None and latest.status is ScriptVersionStatus.DRAFT)))
        self._actions["scripts.approve"].setEnabled(self.may_approve and submitted)
        self._actions["scripts.reject"].setEnabled(self.may_approve and submitted)

    # --- the findings' keys --------------------------------------------------------------------
    def apply_suggestion(self) -> None:
        if not self.editor.apply_suggestion():
            found = self.editor.finding_for_cursor()
            if found is not None:
                self.show_problem(self.tr("No wording to put in for “%1”; the advice: %2")
                                  .replace("%1", found.text)
                                  .replace("%2", render(found.suggestion) if found.suggestion else render(found.message)))
        self.editor.setFocus()

    def go_finding(self, step: int) -> None:
        findings = self.editor.findings
        if not findings:
            return
        from ui.script_editor import utf16_offsets

        at = utf16_offsets(self.editor.toPlainText())
        here = self.editor.textCursor().position()
        starts = [at(f.start) for f in findings]
        if step > 0:
            target = next((s for s in starts if s > here), starts[0])
        else:
            target = next((s for s in reversed(starts) if s < here), starts[-1])
        self._put_cursor(target)

    def _put_cursor(self, position: int) -> None:
        cursor = self.editor.textCursor()
        cursor.setPosition(position)
        self.editor.setTextCursor(cursor)
        self.editor.ensureCursorVisible()
        self.tabs.setCurrentIndex(0)
        self.editor.setFocus()

    def _on_finding_activated(self, item: QListWidgetItem) -> None:
        from ui.script_editor import utf16_offsets

        self._put_cursor(utf16_offsets(self.editor.toPlainText())(int(item.data(Qt.ItemDataRole.UserRole))))

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def focus_editor(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.editor.setFocus()

    def show_versions(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.versions.older.setFocus()

    # --- writing and deciding --------------------------------------------------------------------
    async def on_save(self) -> None:
        await self._save()

    async def _save(self) -> bool:
        """Keep the editor's text as a new draft version; False when refused (the problem is shown)."""
        if self.detail is None:
            return False
        saved = await self.ops.run(self._services.scripts.save, self.detail.id, self.editor.toPlainText(),
                                   trigger=self._actions["scripts.save"] if self._actions else None,
                                   progress=self.tr("Saving…"))
        if saved is FAILED:
            return False
        self.problem_label.hide()
        self._notice(self.tr("Saved as version %1, a draft.").replace("%1", str(saved.number)))
        await self._open(self.detail.id)
        return True

    async def on_submit(self) -> None:
        if self.detail is None:
            return
        script_id, body = self.detail.id, self.editor.toPlainText()

        def save_and_submit() -> Any:
            scripts = self._services.scripts
            saved = scripts.save(script_id, body)
            return scripts.submit(script_id, saved.number)

        decision = await self.ops.run(save_and_submit, trigger=self._actions["scripts.submit"] if self._actions
                                      else None, progress=self.tr("Submitting…"))
        if decision is FAILED:
            return
        self.problem_label.hide()
        check = decision.check
        words = self.tr("Version %1 submitted for approval.").replace("%1", str(decision.version.number))
        if check is not None and check.blocks:
            words += " " + self.tr("It still has %n blocking finding(s): a store manager can approve it only with a "
                                   "reason.", "", check.blocks)
        self._notice(words)
        await self._open(script_id)

    async def on_approve(self) -> None:
        d = self.detail
        if d is None:
            return
        script_id, number = d.id, d.latest.number
        scripts = self._services.scripts
        trigger = self._actions["scripts.approve"] if self._actions else None

        def approve(reason: str | None = None) -> Any:
            from console.services.scripts import ApprovalBlocked

            try:
                return scripts.approve(script_id, number, override_reason=reason)
            except ApprovalBlocked as refused:
                return refused      # the screen asks a store manager for a reason, and tries again

        decision = await self.ops.run(approve, trigger=trigger, progress=self.tr("Approving…"))
        if decision is FAILED:
            return
        if not hasattr(decision, "version"):
            blocked = decision
            if not self.may_override:
                self.show_problem(blocked)
                return
            reason = await answer(self.override_prompt([render(p) for p in blocked.problems]))
            if not reason or not str(reason).strip():
                self.show_problem(blocked)
                return
            decision = await self.ops.run(approve, str(reason).strip(), trigger=trigger,
                                          progress=self.tr("Approving…"))
            if decision is FAILED or not hasattr(decision, "version"):
                return
        self.problem_label.hide()
        words = self.tr("Version %1 approved: the prompter shows it from now on.").replace(
            "%1", str(decision.version.number))
        if decision.version.override_reason:
            words += " " + self.tr("Approved over its blocking findings; your reason is in the audit log.")
        self._notice(words)
        await self._open(script_id)

    async def on_reject(self) -> None:
        d = self.detail
        if d is None:
            return
        comment = await answer(self.reject_prompt())
        if not comment or not str(comment).strip():
            return
        decision = await self.ops.run(self._services.scripts.reject, d.id, d.latest.number,
                                      comment=str(comment).strip(),
                                      trigger=self._actions["scripts.reject"] if self._actions else None)
        if decision is FAILED:
            return
        self.problem_label.hide()
        self._notice(self.tr("Version %1 rejected; the writer sees your comment.").replace(
            "%1", str(decision.version.number)))
        await self._open(d.id)

    async def on_new_script(self) -> None:
        """A new script from a template; it opens in the editor as its first version, a draft."""
        if not self.may_write:
            return
        broadcasts = await self.call(self._services.broadcasts.upcoming)
        answered = await answer(self.new_script_prompt(
            self._services.scripts.templates(), [(b.id, b.title) for b in broadcasts]))
        if not answered or not await self.confirm_leave():   # asked once the new one is described
            return
        created = await self.ops.run(self._create, answered,
                                     trigger=self._actions["scripts.new"] if self._actions else None)
        if created is FAILED:
            return
        self.problem_label.hide()
        await self.refresh()
        await self.open_script(created.id)
        self._notice(self.tr("“%1” created from its template as a draft.").replace("%1", created.title))
        self.focus_editor()

    def _create(self, answered: dict[str, Any]) -> ScriptDetail:
        return self._services.scripts.create(answered.pop("kind"), answered.pop("title"), **answered)

    async def _ask_new_script(self, templates: Sequence[Any], broadcasts: Sequence[tuple[Any, str]]) -> Any:
        async def search(words: str) -> Any:
            return await self.call(self._services.catalog.search, words, limit=30)

        dialog = NewScriptDialog(self, templates, broadcasts, search)
        return dialog.answer() if await run_dialog(dialog) else None

    async def _ask_override(self, blocking: Sequence[str]) -> str | None:
        dialog = OverrideDialog(self, blocking)
        return dialog.answer() if await run_dialog(dialog) else None

    async def _ask_reject(self) -> str | None:
        dialog = RejectDialog(self)
        return dialog.answer() if await run_dialog(dialog) else None

    def _notice(self, words: str) -> None:
        self.notice_label.setText(words)
        self.notice_label.show()

    # --- versions ----------------------------------------------------------------------------------
    @asyncSlot()
    async def _show_diff_soon(self) -> None:
        await self._show_diff()

    async def _show_diff(self) -> None:
        d = self.detail
        older, newer = self.versions.chosen()
        if d is None or older is None or newer is None:
            self.versions.set_diff([])
            return
        rows = await self.ops.run(self._services.scripts.diff, d.id, older, newer)
        if rows is not FAILED:
            self.versions.set_diff(rows)

    @asyncSlot()
    async def _take_version_soon(self) -> None:
        await self.take_version_text()

    async def take_version_text(self) -> None:
        """Enter on a version: its text into the editor, to save as the next version (going back to it).

        Typed text it would replace is asked about first, as leaving would be (a version's text
        never changes, so the one chosen is still the one to take after a Save).
        """
        d = self.detail
        row = self.versions.table.currentRow()
        if d is None or row < 0 or not self.may_write:
            return
        version = list(reversed(d.versions))[row]
        if version.body != self.editor.toPlainText() and not await self.confirm_leave():
            return
        self.editor.set_text(version.body)
        self._show_state()
        self._notice(self.tr("The text of version %1 is in the editor; Ctrl+S keeps it as a new version.")
                     .replace("%1", str(version.number)))
        self.focus_editor()

