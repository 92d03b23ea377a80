"""The roster's questions to a manager or an anchor: a reason, shifts a change would strand, a copy's
preview, who a publish reaches, time off, a swap; how the roster writes days and shifts; and a change
that may strand booked shifts, run as an operation that asks first (:func:`unless_stranded`).

Each dialog lists everything it is about (every stranded shift, every copied
row), keeps a sane size on any screen (:func:`ui.layouts.fit_to_screen`), and
judges what it can before it is sent: the service still has the last word.
Widgets are attributes, so a test drives the real dialog as a user would.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QBrush, QColor
from shiboken6 import isValid
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.enums import ShiftRole
from console.domain.errors import ShiftsStranded
from console.domain.values import CopyPreview, PlannedShiftVerdict, ShiftRow, SwapOption, TimeOffRow
from console.i18n.formats import format_date, format_datetime, in_zone
from ui.i18n import render, texts, ui_language
from ui.layouts import fit_to_screen
from ui.operations import Operations, Outcome, Trigger
from ui.text import shift_role_text
from ui.views.week_board import BLOCK_COLOUR, WARN_COLOUR, Verdict, verdict_icon

R = TypeVar("R")
ROLES = (ShiftRole.HOST, ShiftRole.CO_HOST, ShiftRole.ROOM_CONTROLLER)
# The longest time off the service takes (it refuses more): a year.
TIME_OFF_DAYS_AT_MOST = 366
# Prompts keep a sane size whatever the data: a 120-character name is elided, never a 2,000 px dialog.
PROMPT_MAX_WIDTH = 560


async def answer(value: Any) -> Any:
    """Prompts may answer at once (tests) or after a dialog (awaitable)."""
    return await value if inspect.isawaitable(value) else value


async def run_dialog(dialog: QDialog) -> bool:
    """Open a dialog window-modally and wait for it without a nested event loop."""
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda result: done.done() or done.set_result(result))
    dialog.open()
    try:
        return await done == QDialog.DialogCode.Accepted
    finally:
        if isValid(dialog):     # the window closed under it (quitting, a test's end): Qt deleted it already
            dialog.deleteLater()


def a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:      # 29 February
        return day.replace(year=day.year + 1, day=28)


def day_range_text(first: date, last: date, language: str | None = None) -> str:
    """"12月20日 – 12月24日", or with both years once the range leaves this year ("2026年12月20日 – 2027年1月5日")."""
    language = language or ui_language()
    this_year = date.today().year
    with_year = first.year != this_year or last.year != this_year
    if first == last:
        return format_date(first, language, with_year=with_year)
    return (f"{format_date(first, language, with_year=with_year)} – "
            f"{format_date(last, language, with_year=with_year)}")


def shift_when(starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> str:
    """"12月8日 10:00–12:00" in the store's time (the year too when it is not this year)."""
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    return f"{format_date(start.date(), ui_language())} {start:%H:%M}–{end:%H:%M}"


def shift_line(s: ShiftRow | PlannedShiftVerdict, zone: ZoneInfo) -> str:
    """One line a manager reads: "12月8日 10:00–12:00 · 王芳 · 主播 · 1号直播间"."""
    return " · ".join((shift_when(s.starts_at, s.ends_at, zone), s.anchor_name, shift_role_text(s.role),
                       s.room_name))


def when(moment: datetime, zone: ZoneInfo) -> str:
    """A moment as the core's roster messages write one, so a list and a refusal beside it agree."""
    return format_datetime(in_zone(moment, zone), ui_language())


def time_off_span(t: TimeOffRow | tuple[datetime, datetime], zone: ZoneInfo) -> str:
    """Whole days as "12月20日 – 12月24日" (the last day off, not the midnight after it), with the
    years once the range leaves this year; a span with clock times as its two moments."""
    starts, ends = (t.starts_at, t.ends_at) if isinstance(t, TimeOffRow) else t
    first, after = starts.astimezone(zone), ends.astimezone(zone)
    if first.time() == time() and after.time() == time():
        return day_range_text(first.date(), (after - timedelta(days=1)).date())
    this_year = datetime.now(zone).year
    with_year = first.year != this_year or after.year != this_year
    return (f"{format_datetime(first, ui_language(), with_year=with_year)} – "
            f"{format_datetime(after, ui_language(), with_year=with_year)}")


async def unless_stranded(ops: Operations, ask: Callable[[list[ShiftRow]], Any], fn: Callable[..., R], /,
                          *args: Any, trigger: Trigger | tuple[Trigger, ...], **kwargs: Any) -> R | Outcome | None:
    """Run ``fn`` as an operation; if it would strand booked shifts, ``ask`` with them first.

    The change runs again, confirmed, only if the manager goes ahead; None when
    they do not (nothing was saved), FAILED once a refusal has been shown.
    """
    result = await ops.run(_stranded_or, fn, *args, trigger=trigger, **kwargs)
    if not isinstance(result, ShiftsStranded):
        return result
    if not await answer(ask(list(result.shifts))):
        return None
    return await ops.run(fn, *args, trigger=trigger, confirm_stranded=True, **kwargs)


def _stranded_or(fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> R | ShiftsStranded:
    """On the worker: the call's result, or (returned, not raised) the shifts it would strand."""
    try:
        return fn(*args, **kwargs)
    except ShiftsStranded as exc:
        return exc


class ReasonDialog(QDialog):
    """Why go ahead despite the warnings; OK stays disabled until a reason is typed (spaces are none)."""

    def __init__(self, parent: QWidget | None, *, warnings: list[str]) -> None:
        super().__init__(parent)
        self.setObjectName("ReasonDialog")
        self.setWindowTitle(self.tr("A reason is needed"))
        self.setMaximumWidth(PROMPT_MAX_WIDTH)
        layout = QVBoxLayout(self)
        question = QLabel(self.tr("The rules warn:\n%1\n\nWhy go ahead anyway? (recorded on the shift)")
                          .replace("%1", "\n".join(f"• {w}" for w in warnings)), self)
        question.setWordWrap(True)
        self.reason = QLineEdit(self)
        question.setBuddy(self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.reason.textChanged.connect(lambda typed: ok.setEnabled(bool(typed.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for w in (question, self.reason, buttons):
            layout.addWidget(w)

    def answer(self) -> str | None:
        return self.reason.text().strip() or None


class PublishDialog(QDialog):
    """Per anchor, what publishing changes on their My shifts; Publish is the default, Cancel publishes nothing."""

    def __init__(self, parent: QWidget | None, *, lines: list[tuple[str, list[str]]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Publish this week"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Once you publish, these anchors see the changes on their My shifts:"), self)
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setObjectName("PublishSummary")
        for heading, shifts in lines:
            top = QTreeWidgetItem(self.tree, [heading])
            for line in shifts:
                QTreeWidgetItem(top, [line])
        self.tree.expandAll()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        go = buttons.addButton(self.tr("Publish"), QDialogButtonBox.ButtonRole.AcceptRole)
        go.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(560, 480))


class StrandedShiftsDialog(QDialog):
    """Booked shifts a change would leave refused by the rules, each with why; go ahead or cancel.

    Cancel is the default: going ahead leaves them flagged on the board until
    they are moved or reassigned, so it takes a deliberate click.
    """

    def __init__(self, parent: QWidget | None, *, title: str, intro: str, go_text: str,
                 shifts: list[ShiftRow], zone: ZoneInfo) -> None:
        super().__init__(parent)
        self.setObjectName("StrandedShiftsDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.table = QTableWidget(len(shifts), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Shift"), self.tr("Why it needs moving")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        for row, s in enumerate(shifts):
            self.table.setItem(row, 0, QTableWidgetItem(shift_line(s, zone)))
            why = QTableWidgetItem(render(list(s.problems)))
            why.setForeground(QBrush(BLOCK_COLOUR))
            self.table.setItem(row, 1, why)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.go_button: QPushButton = self.buttons.addButton(go_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, QSize(760, 360))


class CopyPreviewDialog(QDialog):
    """Every shift a copy would add, at its new date: copied, copied with a reason, or refused and why.

    Every row is listed (a refused week of 90 shifts is 90 rows to scroll, not
    "and 87 more"); refused rows come first, so what needs fixing is in sight.
    "Copy" adds the rest; Cancel adds nothing.
    """

    def __init__(self, parent: QWidget | None, *, title: str, preview: CopyPreview, zone: ZoneInfo) -> None:
        super().__init__(parent)
        self.setObjectName("CopyPreviewDialog")
        self.setWindowTitle(title)
        self.preview = preview
        accepted, refused = len(preview.accepted), len(preview.refused)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setText(
            self.tr("%1 shifts: %2 can be copied, %3 cannot (the rules refuse them, see why below).")
            .replace("%1", str(len(preview.items))).replace("%2", str(accepted)).replace("%3", str(refused))
            if refused else
            self.tr("%1 shifts, all of which can be copied.").replace("%1", str(len(preview.items))))
        self.table = QTableWidget(len(preview.items), 5, self)
        self.table.setHorizontalHeaderLabels([self.tr("When (in the new week)"), self.tr("Anchor"),
                                              self.tr("Role"), self.tr("Live room"), self.tr("What the rules say")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        ordered = sorted(preview.items, key=lambda i: (not i.refused, i.starts_at, i.anchor_name))
        self.rows = ordered
        for row, item in enumerate(ordered):
            cells = (shift_when(item.starts_at, item.ends_at, zone), item.anchor_name, shift_role_text(item.role),
                     item.room_name)
            for column, words in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(words))
            verdict = Verdict.REFUSED if item.refused else Verdict.WARNED if item.warnings else Verdict.FREE
            said = QTableWidgetItem(
                self.tr("Not copied: %1").replace("%1", render(list(item.problems))) if item.refused else
                self.tr("Copied, needs a reason: %1").replace("%1", render(list(item.warnings))) if item.warnings
                else self.tr("Copied"))
            said.setIcon(verdict_icon(verdict, self))
            if item.refused:
                said.setForeground(QBrush(BLOCK_COLOUR))
            elif item.warnings:
                said.setForeground(QBrush(QColor(WARN_COLOUR).darker(130)))
            self.table.setItem(row, 4, said)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.copy_button: QPushButton = self.buttons.addButton(
            self.tr("Copy %1 shifts").replace("%1", str(accepted)), QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button.setEnabled(accepted > 0)
        self.copy_button.setDefault(accepted > 0)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, QSize(900, 520))


class TimeOffDialog(QDialog):
    """First and last day off and a reason; an end before the start, the past or over a year is not offered."""

    def __init__(self, parent: QWidget | None, *, zone: ZoneInfo) -> None:
        super().__init__(parent)
        self.setObjectName("TimeOffDialog")
        self.setWindowTitle(self.tr("Ask for time off"))
        self._zone = zone
        form = QFormLayout(self)
        today = datetime.now(zone).date()
        self.first, self.last = QDateEdit(self), QDateEdit(self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            # From today to a year ahead: a typo cannot ask for 2020 or 2207.
            edit.setDateRange(_qdate(today), _qdate(a_year_after(today) + timedelta(days=TIME_OFF_DAYS_AT_MOST)))
            edit.setDate(_qdate(today + timedelta(days=7)))
        self.reason = QLineEdit(self)
        self.span = QLabel(self)
        self.span.setWordWrap(True)
        form.addRow(self.tr("First day off"), self.first)
        form.addRow(self.tr("Last day off"), self.last)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.span)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.first.dateChanged.connect(lambda _d: self._judge())
        self.last.dateChanged.connect(lambda _d: self._judge())
        self._judge()
        fit_to_screen(self, QSize(420, 220))

    def days(self) -> tuple[date, date]:
        return self.first.date().toPython(), self.last.date().toPython()

    def problem(self) -> str:
        """Why the chosen days cannot be asked for, or "" (the service refuses the same)."""
        first, last = self.days()
        if last < first:
            return self.tr("The last day off is before the first; choose the days in order.")
        if last >= a_year_after(first):
            return self.tr("Time off can last a year at most.")
        return ""

    def _judge(self) -> None:
        first, last = self.days()
        problem = self.problem()
        self.ok_button.setEnabled(not problem)
        self.span.setStyleSheet(f"color: {BLOCK_COLOUR.name()};" if problem else "")
        self.span.setText(problem or self.tr("Off %1 (%2 days)").replace("%1", day_range_text(first, last))
                          .replace("%2", str((last - first).days + 1)))

    def answer(self) -> tuple[datetime, datetime, str]:
        """From midnight of the first day to midnight after the last, in the store's time; never reordered."""
        first, last = self.days()
        return (_midnight(first, self._zone), _midnight(last + timedelta(days=1), self._zone), self.reason.text())


class SwapDialog(QDialog):
    """Offer a shift to a colleague: each judged by the roster's rules as if the shift were theirs.

    Free colleagues come first; those the rules warn about can be chosen (the
    manager decides with a reason); those refused are listed, greyed, with why.
    """

    def __init__(self, parent: QWidget | None, *, shift: ShiftRow, options: list[SwapOption],
                 zone: ZoneInfo) -> None:
        super().__init__(parent)
        self.setObjectName("SwapDialog")
        self.setWindowTitle(self.tr("Offer this shift for a swap"))
        layout = QVBoxLayout(self)
        heading = QLabel(shift_line(shift, zone), self)
        heading.setWordWrap(True)
        free = sum(1 for o in options if o.free and not o.warnings)
        self.intro = QLabel(self.tr("%1 of %2 colleagues are free then. Choose who you offer it to:")
                            .replace("%1", str(free)).replace("%2", str(len(options))), self)
        self.intro.setWordWrap(True)
        self.colleagues = QListWidget(self)
        self.colleagues.setWordWrap(True)
        self.colleagues.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for option in options:
            anchor = option.anchor
            verdict = Verdict.REFUSED if option.problems else Verdict.WARNED if option.warnings else Verdict.FREE
            said = (self.tr("not possible: %1").replace("%1", render(list(option.problems))) if option.problems
                    else self.tr("free, with a warning: %1").replace("%1", render(list(option.warnings)))
                    if option.warnings else self.tr("free"))
            item = QListWidgetItem(verdict_icon(verdict, self), f"{anchor.name} ({anchor.code}) — {said}")
            item.setData(Qt.ItemDataRole.UserRole, str(anchor.id))
            item.setToolTip("\n".join(texts([*option.problems, *option.warnings])) or said)
            if option.problems:
                # Listed so nobody wonders where a colleague went, but not to be chosen.
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable & ~Qt.ItemFlag.ItemIsEnabled)
            self.colleagues.addItem(item)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Reason (your store manager reads it)"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        self.colleagues.itemSelectionChanged.connect(
            lambda: self.ok_button.setEnabled(self.chosen() is not None))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for w in (heading, self.intro):
            layout.addWidget(w)
        layout.addWidget(self.colleagues, 1)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        first = next((n for n, o in enumerate(options) if o.free), None)
        if first is not None:
            self.colleagues.setCurrentRow(first)
        fit_to_screen(self, QSize(520, 420))

    def chosen(self) -> UUID | None:
        items = self.colleagues.selectedItems()
        if not items or not items[0].flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        return UUID(items[0].data(Qt.ItemDataRole.UserRole))

    def select(self, anchor_id: UUID) -> None:
        for n in range(self.colleagues.count()):
            if self.colleagues.item(n).data(Qt.ItemDataRole.UserRole) == str(anchor_id):
                self.colleagues.setCurrentRow(n)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC)
