"""Live: the screen an anchor runs a show from, read from two metres away, driven by keys or a clicker.

Three faces on one page: before a show, the broadcast to go live with and its
queue; during it, the product on air (huge link number and price, its deal,
stock, selling points and papers), what comes next, the queue with each
item's state and both clocks; after it, planned against actual per product,
the notes and the last figures, with an export. Every key is one of the
registry's "live" actions, the big buttons stand for them, and they all act
through the window's :class:`~ui.show_control.ShowControl`, so the prompter
and the overlay see the same show. A refusal goes to the problem line and the
show goes on: the keyboard stays on the page. Between products the anchor
puts a segment's approved script on the prompter (opening, interaction,
closing) and back, from keys or the buttons beside the queue; a line there
says what the prompter shows, or that the segment has no approved script. The clocks tick from
:meth:`ShowControl.clocks` every 250 ms without reading the database; the
show itself is read again only when something changed it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from console.domain.amounts import CellProblem, parse_price_fen
from console.domain.changes import ChangeSet, Origin
from console.domain.enums import QualityDocumentKind, ScriptSegment
from console.domain.errors import DomainError
from console.domain.onair import ClockLevel, ClockThresholds, ItemNow, ShowNow
from console.domain.values import BroadcastRow
from console.i18n.formats import format_count, format_money
from console.services.worker import DbWorker
from ui.actions import LIVE, ActionButton, ActionRegistry
from ui.i18n import ui_language
from ui.models.live import LiveQueueModel, ShowSummaryModel, clock_text
from ui.models.tables import QualityPaperModel, QueueTableModel
from ui.operations import FAILED
from ui.segments import SegmentCue, segment_title
from ui.tasks import spawn
from ui.text import broadcast_status_text
from ui.views.page import Page, make_table
from ui.views.roster_dialogs import answer

if TYPE_CHECKING:
    from console.services.onair import MetricPoint, ShowSummary
    from console.services.registry import Services
    from ui.show_control import ShowControl

TICK_MS = 250
DIGITS_MAX = 4                 # link numbers run to a few hundred at most
# The keys keyPressEvent handles, for the F1 list: keys as shown, then what they do.
LIVE_KEYS: tuple[tuple[str, str], ...] = (
    ("0–9, Enter", QT_TRANSLATE_NOOP("LivePage", "Type a link number, then jump to it")),
    ("Backspace", QT_TRANSLATE_NOOP("LivePage", "Clear the typed link number")),
)
BUTTON_HEIGHT = 64             # big enough for a thumb on a touch screen
METRICS = ("views", "viewers", "likes", "orders", "gmv_fen")
# The keys a show answers to; off while nothing is on air.
SHOW_ACTIONS = ("live.next", "live.previous", "live.enter", "live.skip", "live.sold_out", "live.stock",
                "live.note", "live.pause", "live.metrics", "live.end", "live.opening", "live.interaction",
                "live.closing", "live.product_script")
# The prompter's segment keys, as buttons beside the queue: the action, and the segment it puts on (None: back).
SEGMENT_BUTTONS: tuple[tuple[str, ScriptSegment | None], ...] = (
    ("live.opening", ScriptSegment.OPENING), ("live.interaction", ScriptSegment.INTERACTION),
    ("live.closing", ScriptSegment.CLOSING), ("live.product_script", None))
_WHOLE = re.compile(r"-?\d+")


def whole_number(written: str) -> int | None:
    """A count as typed (full-width digits and thousands separators too), or None if it is not one."""
    text = unicodedata.normalize("NFKC", written).replace(",", "").replace(" ", "").replace("−", "-")
    return int(text) if _WHOLE.fullmatch(text) else None


def big_price(fen: int) -> str:
    """A price read from across the room: ¥299, or ¥299.50 when it has fen."""
    shown = format_money(fen, ui_language())
    return shown.removesuffix(".00")


def _big(name: str, parent: QWidget, *, wrap: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


class LivePage(Page):
    view_name = "live"
    scope = LIVE
    own_keys = LIVE_KEYS
    key_context = "LivePage"
    # The broadcast shown before a show; the show itself is followed by the ShowControl.
    watches = frozenset({"broadcast", "queue_item", "product", "store_product", "quality_document", "live_room"})

    def __init__(self, services: Services, worker: DbWorker, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, worker, parent)
        self.coming_label.hide()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._tz = timezone
        self._control: ShowControl | None = None
        self._actions: dict[str, QAction] = {}
        self._broadcast: BroadcastRow | None = None     # what F5 goes live with when nothing is on air
        self.on_air: ShowNow | None = None                # the show on air, as last published
        self.summary: ShowSummary | None = None         # the show that ended, once read
        self.last_metrics: MetricPoint | None = None
        self._metrics_run: UUID | None = None
        self.digits = ""                                # a link number being typed
        self.confirming_end = False
        self.thresholds = ClockThresholds()
        self._paper_words = QualityPaperModel(timezone, self)
        # Where the summary is exported to: (path, "csv" | "xlsx") or None; a test may answer instead.
        self.export_prompt: Callable[[], Any] = self._ask_export_path

        self.rehearsal_banner = _big("RehearsalBanner", self)
        self.rehearsal_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.rehearsal_banner.hide()
        self.body.addWidget(self.rehearsal_banner)
        self.stack = QStackedWidget(self)
        # On a small screen the big type scrolls rather than holding the window wider than the screen.
        self.scroller = QScrollArea(self)
        self.scroller.setObjectName("LiveScroller")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroller.setWidget(self.stack)
        self.body.addWidget(self.scroller, 1)
        self._build_idle()
        self._build_live()
        self._build_summary()
        self._build_confirm()
        self._build_buttons()

        self._clock = QTimer(self)
        self._clock.setInterval(TICK_MS)
        self._clock.timeout.connect(self._tick)
        self.retranslate()
        self._show_mode()

    # --- building --------------------------------------------------------------------------------
    def _build_idle(self) -> None:
        panel = QWidget(self.stack)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.show_title = _big("LiveTitle", panel, wrap=True)
        self.show_meta = _big("LiveMeta", panel, wrap=True)
        self.idle_hint = _big("LiveHint", panel, wrap=True)
        self.queue_model = QueueTableModel(self._tz, self)
        self.queue_view = make_table(self.queue_model, panel)
        self.queue_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for widget in (self.show_title, self.show_meta, self.idle_hint):
            layout.addWidget(widget)
        layout.addWidget(self.queue_view, 1)
        self.idle_panel = panel
        self.stack.addWidget(panel)

    def _build_live(self) -> None:
        panel = QWidget(self.stack)
        outer = QHBoxLayout(panel)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(16)
        now = QFrame(panel)
        now.setObjectName("LiveNow")
        grid = QVBoxLayout(now)
        grid.setContentsMargins(20, 14, 20, 14)
        grid.setSpacing(6)
        self.show_line = _big("LiveShowLine", now, wrap=True)
        clocks = QHBoxLayout()
        self.show_clock = _big("ShowClock", now)
        self.paused_label = _big("PausedBadge", now)
        self.paused_label.hide()
        clocks.addWidget(self.show_clock)
        clocks.addStretch(1)
        clocks.addWidget(self.paused_label)
        top = QHBoxLayout()
        self.link_label = _big("LiveLink", now)
        self.price_label = _big("LivePrice", now)
        self.digits_label = _big("LiveDigits", now)
        self.digits_label.hide()
        top.addWidget(self.link_label)
        top.addSpacing(24)
        top.addWidget(self.price_label)
        top.addStretch(1)
        top.addWidget(self.digits_label)
        self.product_label = _big("LiveProduct", now, wrap=True)
        self.deal_label = _big("LiveDeal", now, wrap=True)
        stock_row = QHBoxLayout()
        self.stock_label = _big("LiveStock", now)
        self.item_clock = _big("ProductClock", now)
        self.item_clock.setProperty("level", ClockLevel.OK.value)
        stock_row.addWidget(self.stock_label)
        stock_row.addStretch(1)
        stock_row.addWidget(self.item_clock)
        self.facts_label = _big("LiveFacts", now, wrap=True)
        self.papers_label = _big("LivePapers", now, wrap=True)
        self.next_label = _big("LiveNext", now, wrap=True)
        grid.addWidget(self.show_line)
        grid.addLayout(clocks)
        grid.addLayout(top)
        grid.addWidget(self.product_label)
        grid.addWidget(self.deal_label)
        grid.addLayout(stock_row)
        grid.addWidget(self.facts_label)
        grid.addWidget(self.papers_label)
        grid.addStretch(1)
        grid.addWidget(self.next_label)
        outer.addWidget(now, 3)

        side = QVBoxLayout()
        side.setSpacing(8)
        self.prompter_label = _big("LivePrompter", panel, wrap=True)
        side.addWidget(self.prompter_label)
        segments = QHBoxLayout()
        segments.setSpacing(6)
        self.segment_buttons: dict[str, QPushButton] = {}
        for action_id, _segment in SEGMENT_BUTTONS:
            button = QPushButton(panel)
            button.setObjectName("LiveSegment")
            button.setMinimumHeight(BUTTON_HEIGHT)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(40)
            self.segment_buttons[action_id] = button
            segments.addWidget(button)
        side.addLayout(segments)
        self.live_model = LiveQueueModel(self._tz, self)
        self.live_view = make_table(self.live_model, panel)
        self.live_view.setObjectName("LiveQueue")
        self.live_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        side.addWidget(self.live_view, 1)
        entry = QGridLayout()
        entry.setHorizontalSpacing(8)
        self.stock_caption, self.note_caption = QLabel(panel), QLabel(panel)
        self.stock_edit, self.note_edit = QLineEdit(panel), QLineEdit(panel)
        self.stock_edit.setObjectName("LiveStockEdit")
        self.note_edit.setObjectName("LiveNoteEdit")
        entry.addWidget(self.stock_caption, 0, 0)
        entry.addWidget(self.stock_edit, 0, 1)
        entry.addWidget(self.note_caption, 1, 0)
        entry.addWidget(self.note_edit, 1, 1)
        side.addLayout(entry)
        self.metrics_caption = _big("MetricsCaption", panel)
        side.addWidget(self.metrics_caption)
        figures = QGridLayout()
        figures.setHorizontalSpacing(6)
        self.metric_captions: dict[str, QLabel] = {}
        self.metric_edits: dict[str, QLineEdit] = {}
        for column, name in enumerate(METRICS):
            caption, edit = QLabel(panel), QLineEdit(panel)
            edit.setObjectName(f"Metric_{name}")
            self.metric_captions[name], self.metric_edits[name] = caption, edit
            figures.addWidget(caption, 0, column)
            figures.addWidget(edit, 1, column)
        side.addLayout(figures)
        self.metrics_label = _big("LiveMetrics", panel, wrap=True)
        side.addWidget(self.metrics_label)
        outer.addLayout(side, 2)
        self.live_panel = panel
        self.stack.addWidget(panel)

    def _build_summary(self) -> None:
        panel = QWidget(self.stack)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary_title = _big("LiveTitle", panel, wrap=True)
        self.summary_meta = _big("LiveMeta", panel, wrap=True)
        self.summary_model = ShowSummaryModel(self._tz, self)
        self.summary_view = make_table(self.summary_model, panel)
        self.summary_view.setObjectName("SummaryTable")
        self.summary_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.summary_notes = _big("SummaryNotes", panel, wrap=True)
        self.summary_metrics = _big("LiveMetrics", panel, wrap=True)
        row = QHBoxLayout()
        self.export_button = QPushButton(panel)
        self.export_button.setObjectName("ExportSummary")
        self.export_button.clicked.connect(self.on_export)
        row.addWidget(self.summary_metrics, 1)
        row.addWidget(self.export_button)
        self.summary_next = _big("LiveHint", panel, wrap=True)
        for widget in (self.summary_title, self.summary_meta):
            layout.addWidget(widget)
        layout.addWidget(self.summary_view, 1)
        layout.addWidget(self.summary_notes)
        layout.addLayout(row)
        layout.addWidget(self.summary_next)
        self.summary_panel = panel
        self.stack.addWidget(panel)

    def _build_confirm(self) -> None:
        """Ending asks inside the page, never in a modal box: Enter ends, Esc goes back to the show."""
        frame = QFrame(self)
        frame.setObjectName("LiveConfirm")
        row = QHBoxLayout(frame)
        row.setContentsMargins(16, 10, 16, 10)
        self.confirm_label = _big("LiveConfirmText", frame, wrap=True)
        self.confirm_yes, self.confirm_no = QPushButton(frame), QPushButton(frame)
        for button in (self.confirm_yes, self.confirm_no):
            button.setMinimumHeight(BUTTON_HEIGHT)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.confirm_yes.setObjectName("LiveDanger")
        self.confirm_yes.clicked.connect(lambda: spawn(self._end(), owner=self))
        self.confirm_no.clicked.connect(self._keep_going)
        row.addWidget(self.confirm_label, 1)
        row.addWidget(self.confirm_yes)
        row.addWidget(self.confirm_no)
        frame.hide()
        self.confirm_frame = frame
        self.body.addWidget(frame)

    def _build_buttons(self) -> None:
        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.buttons: dict[str, QPushButton] = {}
        for action_id in ("live.go_live", "live.rehearse", "live.previous", "live.next", "live.skip",
                          "live.sold_out", "live.stock", "live.note", "live.pause", "live.end"):
            button = QPushButton(self)
            button.setObjectName("LiveButton")
            button.setMinimumHeight(BUTTON_HEIGHT)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)     # the keyboard stays on the page
            # Shares the row whatever the window's width (a narrow one clips the words, never the window).
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(40)
            self.buttons[action_id] = button
            bar.addWidget(button)
        self.buttons["live.go_live"].setObjectName("LiveGo")
        self.buttons["live.end"].setObjectName("LiveDanger")
        self.body.addLayout(bar)

    def set_actions(self, actions: ActionRegistry) -> None:
        """The show's keys are this screen's actions; the big buttons stand for them."""
        self._actions = {spec.id: actions[spec.id] for spec in actions.specs(LIVE)}
        for action_id, button in self.buttons.items():
            ActionButton(button, self._actions[action_id], "text")
        for action_id, button in self.segment_buttons.items():
            ActionButton(button, self._actions[action_id], "tooltip")   # short words of its own, and its key
        self._enable()
        self._show_prompter_line()

    def set_show_control(self, control: ShowControl) -> None:
        self._control = control
        control.changed.connect(self._on_show)
        control.refused.connect(self._on_refused)
        control.metrics_recorded.connect(self._on_metrics)
        control.segment_changed.connect(self._on_segment)

    def is_own(self, changes: ChangeSet) -> bool:
        """The show control's commits too: it publishes them itself, and a reload for them would only
        clear the refusal the anchor has not read yet."""
        return super().is_own(changes) or (
            self._control is not None and changes.origin is Origin.LOCAL and changes.initiator == self._control.tag)

    def set_clock_thresholds(self, thresholds: ClockThresholds) -> None:
        self.thresholds = thresholds
        self._tick()

    # --- words ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Live"))
        self.intro_label.setText(self.tr(
            "Page Down next, Page Up previous, type a link number then Enter to jump, B pauses, Esc ends the "
            "show; F6, F7, F8 put the opening, interaction or closing script on the prompter, F9 the product's "
            "again. F1 lists every key."))
        self.rehearsal_banner.setText(self.tr("REHEARSAL — nothing is recorded as the show"))
        self.paused_label.setText(self.tr("PAUSED"))
        self.idle_hint.setText(self.tr("F5 goes live with this show; Shift+F5 rehearses it first."))
        self.stock_caption.setText(self.tr("Stock (K)"))
        self.note_caption.setText(self.tr("Note (N)"))
        self.stock_edit.setPlaceholderText(self.tr("Stock left, then Enter"))
        self.note_edit.setPlaceholderText(self.tr("What happened, then Enter"))
        self.metrics_caption.setText(self.tr("The platform's figures (Ctrl+M, then Enter)"))
        words = self.metric_words()
        for name, caption in self.metric_captions.items():
            caption.setText(words[name])
        self.confirm_label.setText(self.tr("End the show now? Enter ends it; Esc goes back to the show."))
        self.confirm_yes.setText(self.tr("End the show"))
        self.confirm_no.setText(self.tr("Keep going"))
        self.export_button.setText(self.tr("Export summary…"))
        self._show_mode()

    def metric_words(self) -> dict[str, str]:
        return {"views": self.tr("Views"), "viewers": self.tr("Viewers"), "likes": self.tr("Likes"),
                "orders": self.tr("Orders"), "gmv_fen": self.tr("GMV (yuan)")}

    def _metrics_text(self, point: MetricPoint | None) -> str:
        if point is None:
            return self.tr("No figures recorded yet.")
        lang = ui_language()
        return (self.tr("Views %1 · viewers %2 · likes %3 · orders %4 · GMV %5")
                .replace("%1", format_count(point.views, lang)).replace("%2", format_count(point.viewers, lang))
                .replace("%3", format_count(point.likes, lang)).replace("%4", format_count(point.orders, lang))
                .replace("%5", format_money(point.gmv_fen, lang)))

    def _papers_text(self, item: ItemNow) -> str:
        parts = []
        for kind, number in item.facts.papers:
            try:
                word = self._paper_words.kind_text(QualityDocumentKind(kind))
            except ValueError:
                word = kind
            parts.append(f"{word} {number}")
        return self.tr("Papers: %1").replace("%1", "; ".join(parts)) if parts else self.tr("Papers: none")

    # --- loading ------------------------------------------------------------------------------
    async def load(self) -> None:
        bc = self._services.broadcasts
        self._broadcast = await self.call(bc.live_or_next)
        rows = await self.call(bc.queue, self._broadcast.id) if self._broadcast else []
        self.queue_model.set_rows(rows)
        self.queue_view.resizeColumnsToContents()
        if self._control is not None:
            await self._control.refresh()
        self._show_mode()

    def _on_show(self, show: ShowNow | None) -> None:
        """The show as it now stands (ours, the prompter's, the overlay's, another process's)."""
        before = self.on_air
        if show is not None and show.live:
            self.on_air, self.summary = show, None
            if show.run_id != self._metrics_run:
                self._metrics_run, self.last_metrics = show.run_id, None
                spawn(self._load_metrics(show.run_id), owner=self)
            self._show_mode()
            return
        self.on_air = None
        ended = show.broadcast_id if show is not None else before.broadcast_id if before is not None else None
        if ended is not None:
            self.confirming_end = False
            spawn(self._load_summary(ended), owner=self)
        self._show_mode()

    async def _load_metrics(self, run_id: UUID) -> None:
        try:
            points = await self.call(self._services.onair.metrics, run_id)
        except DomainError:
            return   # the show ended meanwhile: its summary has the figures
        if points and self._metrics_run == run_id:
            self._on_metrics(points[-1])

    async def _load_summary(self, broadcast_id: UUID) -> None:
        try:
            self.summary = await self.call(self._services.onair.summary, broadcast_id)
        except DomainError as exc:
            self.show_problem(exc)
            return
        if self.on_air is None:
            self._show_mode()

    def _on_metrics(self, point: MetricPoint) -> None:
        self.last_metrics = point
        self.metrics_label.setText(self._metrics_text(point))
        for name, edit in self.metric_edits.items():
            value = getattr(point, name)
            edit.setPlaceholderText(format_money(value, ui_language()) if name == "gmv_fen"
                                    else format_count(value, ui_language()))

    def _on_refused(self, problem: DomainError) -> None:
        self.show_problem(problem)
        self._focus_page()

    # --- showing --------------------------------------------------------------------------------
    def _show_mode(self) -> None:
        if self.on_air is not None:
            self._show_live(self.on_air)
            if not self._clock.isActive():
                self._clock.start()
        else:
            self._clock.stop()
            self.rehearsal_banner.hide()
            self.confirm_frame.hide()
            self.confirming_end = False
            if self.summary is not None:
                self._show_summary(self.summary)
            else:
                self._show_broadcast()
        self._show_digits()
        self._enable()

    def _show_broadcast(self) -> None:
        self.stack.setCurrentWidget(self.idle_panel)
        b = self._broadcast
        self.idle_hint.setVisible(b is not None)
        if b is None:
            self.show_title.setText(self.tr("No broadcast planned"))
            self.show_meta.setText(self.tr("Plan one on the Broadcasts screen."))
            return
        self.show_title.setText(b.title)
        self.show_meta.setText(self._broadcast_words(b))

    def _broadcast_words(self, b: BroadcastRow) -> str:
        local = self.queue_model.local_time
        return (self.tr("%1 · %2–%3 · %4 · hosts: %5 · %6 products")
                .replace("%1", broadcast_status_text(b.status))
                .replace("%2", local(b.planned_start, "%Y-%m-%d %H:%M"))
                .replace("%3", local(b.planned_end, "%H:%M"))
                .replace("%4", b.room_name)
                .replace("%5", "、".join(b.hosts) or "—")
                .replace("%6", format_count(b.queue_length, ui_language())))

    def _show_live(self, show: ShowNow) -> None:
        self.stack.setCurrentWidget(self.live_panel)
        self.rehearsal_banner.setVisible(show.rehearsal)
        self.paused_label.setVisible(show.paused)
        self.confirm_frame.setVisible(self.confirming_end)
        self.show_line.setText(self.tr("%1 · %2").replace("%1", show.title).replace("%2", show.room_name))
        lang = ui_language()
        current = show.current
        if current is None:
            self.link_label.setText("—")
            self.price_label.setText("")
            self.product_label.setText(self.tr("Between products: Page Down puts the next one on air."))
            for label in (self.deal_label, self.stock_label, self.facts_label, self.papers_label):
                label.setText("")
        else:
            facts = current.facts
            self.link_label.setText(f"#{current.link_number}")
            self.price_label.setText(big_price(current.live_price_fen))
            brand = "" if facts.brand in facts.product_name else facts.brand
            self.product_label.setText(f"{facts.product_name}  {brand}".strip())
            self.deal_label.setText(facts.deal)
            self.deal_label.setVisible(bool(facts.deal))
            if current.sold_out_at is not None:
                self.stock_label.setText(self.tr("SOLD OUT"))
            else:
                self.stock_label.setText(self.tr("Stock %1").replace("%1", format_count(current.stock, lang)))
            self.stock_label.setProperty("soldOut", current.sold_out_at is not None)
            _repolish(self.stock_label)
            points = [p for p in (facts.spec, facts.origin, facts.after_sales_policy) if p]
            if facts.counter_price_fen:
                points.append(self.tr("counter price %1").replace("%1", format_money(facts.counter_price_fen, lang)))
            self.facts_label.setText(" · ".join(points))
            self.papers_label.setText(self._papers_text(current))
        up_next = show.up_next
        self.next_label.setText(
            self.tr("Next: #%1 %2 · %3").replace("%1", str(up_next.link_number))
            .replace("%2", up_next.facts.product_name).replace("%3", format_money(up_next.live_price_fen, lang))
            if up_next is not None else self.tr("Next: nothing waiting — End the show, or jump to a link."))
        if self.live_model.update_rows(show.items):
            self.live_view.resizeColumnsToContents()
            self.live_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        row = self.live_model.row_on_air()
        if row is not None:
            self.live_view.scrollTo(self.live_model.index(row, 0))
        self.metrics_label.setText(self._metrics_text(self.last_metrics))
        self._show_prompter_line()
        self._tick()

    def _show_prompter_line(self) -> None:
        """What the prompter shows now: the product's script, a segment's, or that a segment has none approved."""
        cue = self._control.segment if self._control is not None else None
        back = self._key_text("live.product_script")
        if cue is None:
            shown = self.tr("Prompter: the product's script. %1 opening, %2 interaction, %3 closing.") \
                .replace("%1", self._key_text("live.opening")).replace("%2", self._key_text("live.interaction")) \
                .replace("%3", self._key_text("live.closing"))
        elif cue.texts:
            shown = self.tr("Prompter: %1 — %2. %3 goes back to the product's script.") \
                .replace("%1", segment_title(cue.segment)).replace("%2", "、".join(t.title for t in cue.texts)) \
                .replace("%3", back)
        else:
            shown = self.tr("No approved %1 script for this show: the prompter says so and shows no draft. %2 "
                            "goes back to the product's script.").replace("%1", segment_title(cue.segment)) \
                .replace("%2", back)
        self.prompter_label.setText(shown)
        if self.prompter_label.property("missing") != (cue is not None and not cue.texts):
            self.prompter_label.setProperty("missing", cue is not None and not cue.texts)
            _repolish(self.prompter_label)
        for action_id, segment in SEGMENT_BUTTONS:
            button = self.segment_buttons[action_id]
            # Two short lines (the words, then the key): four buttons share the side column's width.
            words = segment_title(segment) if segment is not None else self.tr("Product")
            button.setText(f"{words}\n{self._key_text(action_id)}".strip())
            on = (cue is None) if segment is None else (cue is not None and cue.segment == segment)
            if button.property("on") != on:
                button.setProperty("on", on)
                _repolish(button)

    def _key_text(self, action_id: str) -> str:
        """An action's first key as this system writes it (a user may have bound another)."""
        action = self._actions.get(action_id)
        keys = action.shortcuts() if action is not None else []
        return keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""

    def _show_summary(self, summary: ShowSummary) -> None:
        self.stack.setCurrentWidget(self.summary_panel)
        show = summary.show
        local = self.summary_model.local_time
        title = self.tr("Rehearsal ended: %1") if show.rehearsal else self.tr("Show ended: %1")
        self.summary_title.setText(title.replace("%1", show.title))
        self.summary_meta.setText(
            self.tr("%1 · %2–%3 · on air %4 of %5 planned")
            .replace("%1", show.room_name).replace("%2", local(show.started_at, "%H:%M"))
            .replace("%3", local(show.ended_at, "%H:%M") if show.ended_at else "—")
            .replace("%4", clock_text(show.show_elapsed_seconds)).replace("%5", clock_text(show.planned_seconds)))
        self.summary_model.set_rows(show.items)
        self.summary_view.resizeColumnsToContents()
        notes = [f"{local(n.at, '%H:%M')} {'#' + str(n.link_number) + ' ' if n.link_number else ''}{n.text}"
                 for n in show.notes]
        self.summary_notes.setText(self.tr("Notes: %1").replace("%1", " / ".join(notes)) if notes
                                   else self.tr("Notes: none"))
        self.summary_metrics.setText(
            self._metrics_text(summary.last) + (
                self.tr(" · peak viewers %1").replace("%1", format_count(summary.peak_viewers, ui_language()))
                if summary.last else ""))
        b = self._broadcast
        self.summary_next.setText(
            self.tr("Up next: %1 (%2). F5 goes live with it.").replace("%1", b.title)
            .replace("%2", self._broadcast_words(b)) if b is not None and b.id != show.broadcast_id else "")

    def _tick(self) -> None:
        """The clocks, from the last answer plus the time since: no database read."""
        show = self.on_air
        if show is None or self._control is None:
            return
        show_seconds, item_seconds = self._control.clocks()
        self.show_clock.setText(
            self.tr("Show %1 · left %2").replace("%1", clock_text(show_seconds))
            .replace("%2", clock_text(show.planned_seconds - show_seconds)))
        level = ClockLevel.OK
        if show.current is not None:
            planned = show.current.facts.planned_seconds
            self.item_clock.setText(f"{clock_text(item_seconds)} / {clock_text(planned)}")
            level = self.thresholds.level(item_seconds, planned)
        else:
            self.item_clock.setText("")
        if self.item_clock.property("level") != level.value:
            self.item_clock.setProperty("level", level.value)
            _repolish(self.item_clock)

    def _show_digits(self) -> None:
        self.digits_label.setVisible(bool(self.digits))
        self.digits_label.setText(self.tr("→ #%1").replace("%1", self.digits))

    def _enable(self) -> None:
        live = self.on_air is not None
        for action_id in SHOW_ACTIONS:
            if action_id in self._actions:
                self._actions[action_id].setEnabled(live)
        for action_id in ("live.go_live", "live.rehearse"):
            if action_id in self._actions:
                self._actions[action_id].setEnabled(not live and self._broadcast is not None)

    def _target(self) -> UUID | None:
        """The broadcast F5 goes live with: the one shown."""
        if self.on_air is not None:
            return self.on_air.broadcast_id
        return self._broadcast.id if self._broadcast is not None else None

    def _focus_page(self) -> None:
        if self.isVisible():
            self.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the keys (the registry's "live" actions) ------------------------------------------------------
    async def on_go_live(self) -> None:
        await self._start(rehearsal=False)

    async def on_rehearse(self) -> None:
        await self._start(rehearsal=True)

    async def _start(self, *, rehearsal: bool) -> None:
        target = self._target()
        if self._control is None or target is None:
            return
        self.problem_label.hide()
        self.summary = None
        await self._control.start(target, rehearsal=rehearsal)
        self._focus_page()

    async def on_act(self, name: str, *args: Any) -> None:
        if self._control is None:
            return
        self.problem_label.hide()
        await self._control.act(name, *args)
        self._focus_page()

    async def on_segment(self, segment: ScriptSegment) -> None:
        """F6/F7/F8: the segment's approved script on the prompter (again: back to the product's)."""
        if self._control is None:
            return
        self.problem_label.hide()
        await self._control.show_segment(segment)
        self._focus_page()

    def on_back_to_product(self) -> None:
        if self._control is not None:
            self._control.back_to_product()

    def _on_segment(self, _cue: SegmentCue | None) -> None:
        self._show_prompter_line()

    async def on_pause_toggle(self) -> None:
        await self.on_act("resume" if self.on_air is not None and self.on_air.paused else "pause")

    async def on_enter(self) -> None:
        """Enter: confirms the end when asked, records what is typed in a field, else jumps to the typed link."""
        focused = QApplication.focusWidget()
        if self.confirming_end:
            await self._end()
        elif focused in self.metric_edits.values():
            await self.record_metrics()
        elif focused is self.stock_edit:
            await self._set_stock()
        elif focused is self.note_edit:
            await self._add_note()
        elif self.digits:
            link, self.digits = int(self.digits), ""
            self._show_digits()
            await self.on_act("jump", link)

    def on_escape(self) -> None:
        """Esc: back out of whatever is under way (the question, the digits, a field), else ask to end."""
        focused = QApplication.focusWidget()
        if self.confirming_end:
            self._keep_going()
        elif self.digits:
            self.digits = ""
            self._show_digits()
        elif focused in (self.stock_edit, self.note_edit, *self.metric_edits.values()):
            self._focus_page()
        else:
            self.confirming_end = True
            self.confirm_frame.show()

    def _keep_going(self) -> None:
        self.confirming_end = False
        self.confirm_frame.hide()
        self._focus_page()

    async def _end(self) -> None:
        self.confirming_end = False
        self.confirm_frame.hide()
        await self.on_act("end")

    def focus_stock(self) -> None:
        self.stock_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.stock_edit.selectAll()

    def focus_note(self) -> None:
        self.note_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_metrics(self) -> None:
        first = self.metric_edits[METRICS[0]]
        first.setFocus(Qt.FocusReason.ShortcutFocusReason)
        first.selectAll()

    async def _set_stock(self) -> None:
        written = self.stock_edit.text().strip()
        stock = whole_number(written)
        if stock is None:
            self.show_problem(self.tr("“%1” is not a stock count; type a whole number, such as 35.")
                              .replace("%1", written))
            self._focus_page()
            return
        self.stock_edit.clear()
        await self.on_act("set_stock", stock)

    async def _add_note(self) -> None:
        note = self.note_edit.text()
        self.note_edit.clear()
        await self.on_act("note", note)

    async def record_metrics(self) -> None:
        """The figures typed in; a field left empty keeps its last value."""
        if self._control is None:
            return
        figures: dict[str, int] = {}
        for name, edit in self.metric_edits.items():
            written = edit.text().strip()
            if not written:
                continue
            value = self._figure(name, written)
            if value is None:
                self._focus_page()
                return
            figures[name] = value
        self.problem_label.hide()
        point = await self._control.record_metrics(**figures)
        if point is not None:
            for edit in self.metric_edits.values():
                edit.clear()
        self._focus_page()

    def _figure(self, name: str, written: str) -> int | None:
        """A figure as typed, or None having said why not; GMV in yuan becomes fen."""
        if name == "gmv_fen":
            if whole_number(written) == 0:
                return 0
            try:
                return parse_price_fen(written)
            except CellProblem as problem:
                self.show_problem(problem.message)
                return None
        value = whole_number(written)
        if value is None:
            self.show_problem(self.tr("%1: “%2” is not a whole number.").replace("%1", self.metric_words()[name])
                              .replace("%2", written))
        return value

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Digits build a link number to jump to (the keypad's too); Backspace clears them."""
        key = event.key()
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
        if self.on_air is not None and plain and Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            if len(self.digits) < DIGITS_MAX:
                self.digits = (self.digits + chr(key)).lstrip("0")
            self._show_digits()
            return
        if key == Qt.Key.Key_Backspace and self.digits:
            self.digits = ""
            self._show_digits()
            return
        super().keyPressEvent(event)

    # --- after the show -----------------------------------------------------------------------------
    async def _ask_export_path(self) -> tuple[str, str] | None:
        show = self.summary.show if self.summary else None
        suggested = f"{show.title if show else 'show'}.xlsx"
        csv_kind, xlsx_kind = self.tr("CSV (*.csv)"), self.tr("Excel workbook (*.xlsx)")
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export summary"), suggested,
                                                   f"{xlsx_kind};;{csv_kind}")
        if not path:
            return None
        fmt = "csv" if path.lower().endswith(".csv") or (chosen == csv_kind and not path.lower().endswith(".xlsx")) \
            else "xlsx"
        return path, fmt

    @asyncSlot()
    async def on_export(self) -> None:
        summary = self.summary
        if summary is None:
            return
        chosen = await answer(self.export_prompt())
        if chosen is None:
            return
        path, fmt = chosen
        from console.services.onair_summary import write_summary

        if await self.ops.run(write_summary, summary, Path(path), fmt, trigger=self.export_button) is FAILED:
            return
        self.summary_next.setText(self.tr("Summary written to %1.").replace("%1", path))


def _repolish(widget: QWidget) -> None:
    """A dynamic property the stylesheet reads has changed: style the widget again."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
