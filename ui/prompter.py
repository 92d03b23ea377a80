"""The teleprompter: the product on air's approved script, large, in a window of its own for a second screen.

It follows the show (``ShowControl.changed``): a new product starts its text
at the top; the same product told again (a price cut, stock) keeps its place,
with the ``{live_price}``-style variables rendered from the show as it is now.
Only the product's approved script is shown, never a draft: the text the
show read when it started (``LineFacts.script``), or the version approved
since, which the window reads again when a script changes (:meth:`PrompterWindow.on_changes`).
The script's markup is the scripts core's (:mod:`console.domain.scripts`):
a cue mark (``[停顿]``, ``[展示：面料]``) is a line of its own in the cue
colour, a private note is left out, and a value the queue item lacks is shown
as its name in brackets, never as a number that is not true. Without an
approved script the product's selling points are shown instead.

Between products the anchor may put a segment script on it (opening,
interaction, closing: ``F6``/``F7``/``F8``, :mod:`ui.segments`), under a
heading that names the segment, rendered from the product on air as a
product's script is; ``F9``, the same key again or any move in the queue
brings the product's script back. A segment with no approved script says so
here, never showing a draft.

The text is a QTextDocument painted by :class:`PrompterView` under a QPainter
transform (so mirroring for a beam-splitter glass costs nothing), moved every
16 ms by the time that has really passed, so a late frame never slows the
reading; each paint's time is kept (``frame_ms``) for the benchmark.

Its keys are the ``prompter`` scope's actions, live wherever this window has
the keyboard: the show's (Page Down/Up, B, from a presenter's clicker) and its
own (speed, size, mirroring, markers, full screen).
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, QPointF, QRectF, Qt, QTimer, SignalInstance
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QCloseEvent,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QScreen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget
from qasync import asyncSlot

from console.domain.changes import ChangeSet
from console.domain.enums import ScriptKind, ScriptSegment
from console.domain.onair import ItemNow, ShowNow
from console.domain.scripts import MarkupError, Part, PartKind, RenderFacts, Rendered, parse
from console.domain.scripts import render as render_script
from console.i18n.formats import format_money
from ui import settings as S
from ui.actions import PROMPTER, ActionRegistry
from ui.i18n import ui_language
from ui.segments import SegmentCue, segment_title
from ui.settings import Settings
from ui.show_control import SCRIPT_TABLES, ShowControl

BACKGROUND = QColor("#101114")
TEXT = QColor("#f4f1ea")
CUE = QColor("#ffcc33")
GUIDE = QColor(255, 204, 51, 70)
HEADING = QColor("#7cc7ff")
READING_LINE = 0.3            # where the line being read sits, as a share of the height
FRAME_MS = 16
SPEED_STEP, SPEED_RANGE = 10, (0, 600)         # pixels a second
SIZE_STEP, SIZE_RANGE = 4, (16, 240)           # type size in pixels
CUE_MARKS = ("【", "#", "[", "［", "▶")
_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}|\{(\w+)\}")


# --- the text ----------------------------------------------------------------------------
def render_facts(item: ItemNow | None) -> RenderFacts:
    """What a script's values are filled from: the item as it is now on air; nothing between products."""
    if item is None:
        return RenderFacts()      # each value shown as its name in brackets, never a number that is not true
    # The price and stock as they are now on air (a price cut, sales), not as the show started.
    return dataclasses.replace(RenderFacts.from_line(item.facts, stock=item.stock),
                               live_price_fen=item.live_price_fen)


def script_paragraphs(body: str, item: ItemNow | None, *, cue_words: Callable[[Part], str]) -> list[Paragraph]:
    """An approved script as the prompter shows it: values filled in from the item now, cues, no notes."""
    try:
        rendered = render_script(body, render_facts(item))
    except MarkupError:
        # Approved before the check knew the variable (an older console): show what can be shown.
        rendered = Rendered(tuple(p for p in parse(body).parts))
    found: list[Paragraph] = []
    line: list[str] = []

    def end_line() -> None:
        text = "".join(line).strip()
        if text:
            found.append(Paragraph(text))
        line.clear()

    for part in rendered.parts:
        if part.kind is PartKind.NOTE:
            continue                                   # for the anchor's eyes at the desk, not on the glass
        if part.kind in (PartKind.PAUSE, PartKind.SHOW):
            end_line()
            found.append(Paragraph(cue_words(part), cue=True))
            continue
        words = part.text if part.kind is not PartKind.MISSING else "［" + part.text + "］"
        pieces = words.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                end_line()
            line.append(piece)
    end_line()
    return found


def variables(item: ItemNow, language: str) -> dict[str, str]:
    """The values a script may name, from the item as it stands now."""
    facts = item.facts
    counter = facts.counter_price_fen
    return {
        "live_price": format_money(item.live_price_fen, language),
        "counter_price": format_money(counter, language) if counter is not None else "",
        "link_number": str(item.link_number),
        "product": facts.product_name,
        "brand": facts.brand,
        "deal": facts.deal,
        "stock": str(item.stock),
        "spec": facts.spec,
        "origin": facts.origin,
    }


def render(template: str, values: dict[str, str]) -> str:
    """``{name}`` and ``{{name}}`` replaced by their values; a name not known is left as written."""
    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return values.get(name, match.group(0))

    return _VARIABLE.sub(one, template)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    cue: bool = False   # a line starting with a cue mark: a marker of its own, drawn as a heading
    heading: bool = False   # which segment script this is: a marker too, in a colour of its own


def paragraphs(text: str) -> list[Paragraph]:
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        cue = line.startswith(CUE_MARKS)
        found.append(Paragraph(line.lstrip("#").strip() if line.startswith("#") else line, cue))
    return found


# --- the view ----------------------------------------------------------------------------
class PrompterView(QWidget):
    """The scrolling text: painted from a QTextDocument, moved by elapsed time, mirrored by the painter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PrompterView")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.document = QTextDocument(self)
        self.document.setDocumentMargin(0)
        self._paragraphs: list[Paragraph] = []
        self.offset = 0.0               # pixels of the text scrolled past the reading line
        self.speed = S.PROMPTER_SPEED.default
        self.font_px = S.PROMPTER_FONT_SIZE.default
        self.paused = False
        self.mirror_horizontal = False
        self.mirror_vertical = False
        self.frame_ms: deque[float] = deque(maxlen=4096)   # how long each paint took
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        self._apply_font()

    # --- what it shows ---
    def set_paragraphs(self, found: list[Paragraph]) -> None:
        if found == self._paragraphs:
            return
        self._paragraphs = found
        doc = self.document
        doc.clear()
        cursor = QTextCursor(doc)
        spacing = QTextBlockFormat()
        spacing.setBottomMargin(self.font_px * 0.6)
        spacing.setLineHeight(125, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        for i, paragraph in enumerate(found):
            chars = QTextCharFormat()
            if paragraph.cue or paragraph.heading:
                chars.setForeground(HEADING if paragraph.heading else CUE)
                chars.setFontWeight(QFont.Weight.Bold)
            if i:
                cursor.insertBlock(spacing, chars)
            else:
                cursor.setBlockFormat(spacing)
                cursor.setCharFormat(chars)
            cursor.insertText(paragraph.text, chars)
        self._layout()

    @property
    def paragraph_texts(self) -> list[str]:
        return [p.text for p in self._paragraphs]

    def markers(self) -> list[float]:
        """Where the jump markers are (offsets): the cue lines and segment headings if the text has any, else every
        paragraph."""
        cues = any(p.cue or p.heading for p in self._paragraphs)
        layout = self.document.documentLayout()
        found, block = [], self.document.begin()
        for paragraph in self._paragraphs:
            if not block.isValid():
                break
            if paragraph.cue or paragraph.heading or not cues:
                found.append(layout.blockBoundingRect(block).top())
            block = block.next()
        return found

    @property
    def end_offset(self) -> float:
        return max(0.0, self.document.size().height() - self.font_px)

    # --- moving ---
    def advance(self, seconds: float) -> None:
        """Scroll by ``seconds`` of reading at the current speed (nothing while paused)."""
        if self.paused or seconds <= 0:
            return
        self.scroll_to(self.offset + self.speed * seconds)

    def scroll_to(self, offset: float) -> None:
        self.offset = min(max(0.0, offset), self.end_offset)
        self.update()

    def jump_marker(self, step: int) -> None:
        here = self.offset
        marks = self.markers()
        if step > 0:
            ahead = [m for m in marks if m > here + 1]
            target = ahead[0] if ahead else self.end_offset
        else:
            behind = [m for m in marks if m < here - 1]
            target = behind[-1] if behind else 0.0
        self.scroll_to(target)

    def set_font_px(self, size: int) -> None:
        size = min(max(size, SIZE_RANGE[0]), SIZE_RANGE[1])
        if size == self.font_px:
            return
        old_height = max(1.0, self.document.size().height())
        share = self.offset / old_height
        self.font_px = size
        self._apply_font()
        kept, self._paragraphs = self._paragraphs, []
        self.set_paragraphs(kept)   # the spacing follows the size
        self.scroll_to(share * self.document.size().height())

    def _apply_font(self) -> None:
        font = QFont(self.font())
        font.setPixelSize(self.font_px)
        font.setWeight(QFont.Weight.Medium)
        self.document.setDefaultFont(font)
        self._layout()

    def _layout(self) -> None:
        self.document.setTextWidth(max(50.0, self.width() - 2 * self._margin()))
        self.update()

    def _margin(self) -> float:
        return max(24.0, self.width() * 0.06)

    def start(self) -> None:
        self._clock.start()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        seconds = self._clock.restart() / 1000.0
        self.advance(min(seconds, 0.25))   # after a stall (a dragged window), go on, not leap

    # --- painting ---
    def paintEvent(self, event: QPaintEvent) -> None:
        started = time.perf_counter()
        painter = QPainter(self)
        w, h = self.width(), self.height()
        painter.fillRect(self.rect(), BACKGROUND)
        if self.mirror_horizontal:
            painter.translate(w, 0)
            painter.scale(-1, 1)
        if self.mirror_vertical:
            painter.translate(0, h)
            painter.scale(1, -1)
        reading = h * READING_LINE
        painter.fillRect(QRectF(0, reading - 2, w, 3), GUIDE)
        top = reading - self.offset
        painter.translate(QPointF(self._margin(), top))
        context = QAbstractTextDocumentLayout.PaintContext()
        palette = QPalette(context.palette)
        palette.setColor(QPalette.ColorRole.Text, TEXT)
        context.palette = palette
        context.clip = QRectF(0, -top, w, h)
        self.document.documentLayout().draw(painter, context)
        painter.end()
        self.frame_ms.append((time.perf_counter() - started) * 1000.0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout()
        super().resizeEvent(event)


# --- the window --------------------------------------------------------------------------
class ApprovedScripts:
    """The approved product scripts' texts, read on the worker through the scripts service."""

    def __init__(self, scripts: Any, worker: Any) -> None:
        self._scripts = scripts
        self._worker = worker

    async def bodies(self, product_ids: list[Any]) -> dict[Any, str]:
        return await self._worker.run(self._bodies, list(product_ids))

    def _bodies(self, product_ids: list[Any]) -> dict[Any, str]:
        wanted = set(product_ids)
        found = {pid: "" for pid in wanted}
        for row in self._scripts.scripts():
            if row.kind is ScriptKind.PRODUCT and row.product_id in wanted and row.approved_version is not None:
                found[row.product_id] = self._scripts.version(row.id, row.approved_version).body
        return found


class PrompterWindow(QWidget):
    """The prompter's own window: the view, and a thin line saying how it is set and where it goes full screen."""

    def __init__(self, control: ShowControl, actions: ActionRegistry, settings: Settings,
                 parent: QWidget | None = None, *, scripts: ApprovedScripts | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("PrompterWindow")
        self._control = control
        self._scripts = scripts
        # Approved since the show started: product id -> body ("" when it has none now).
        self._approved_since: dict[Any, str] = {}
        self._settings = settings
        self._actions = actions
        # What is shown: (run, queue item, segment or None); the text starts at the top when it changes.
        self._item_key: tuple[Any, Any, Any] | None = None
        self.view = PrompterView(self)
        self.view.speed = settings.get(S.PROMPTER_SPEED)
        self.view.set_font_px(settings.get(S.PROMPTER_FONT_SIZE))
        self.view.mirror_horizontal = settings.get(S.PROMPTER_MIRROR_H)
        self.view.mirror_vertical = settings.get(S.PROMPTER_MIRROR_V)
        self.bar = QWidget(self)
        self.bar.setObjectName("PrompterBar")
        self.bar.setStyleSheet("#PrompterBar { background: #1b1d22; } #PrompterBar QLabel { color: #c9c6bf; }")
        self.status = QLabel(self.bar)
        self.screen_label = QLabel(self.bar)
        self.screens = QComboBox(self.bar)
        self.screens.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # the arrow keys are the speed's
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(12, 4, 12, 4)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.screen_label)
        bar.addWidget(self.screens)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.bar)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.resize(1280, 720)
        self._connections: list[tuple[SignalInstance, Callable[..., object]]] = actions.bind(self, PROMPTER)
        self._connect(control.changed, self.show_now)
        self._connect(control.refused, self._on_refused)
        self._connect(control.segment_changed, self._on_segment)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        self._connect(app.screenAdded, self._list_screens)
        self._connect(app.screenRemoved, self._list_screens)
        self.screens.activated.connect(self._on_screen_chosen)
        self._refusal = ""
        self._list_screens()
        self.retranslate()
        self.show_now(control.show)

    def _connect(self, signal: SignalInstance, slot: Callable[..., object]) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    # --- following the show ---
    def show_now(self, show: ShowNow | None) -> None:
        """The show as it now stands: the current product's text, from the top if the product is new."""
        current = show.current if show is not None and show.live else None
        cue = self._control.segment if show is not None and show.live else None
        key = None
        if show is not None and (current is not None or cue is not None):
            key = (show.run_id, current.queue_item_id if current is not None else None,
                   cue.segment if cue is not None else None)
        self._refusal = ""     # a key refused before is no longer news
        self.view.set_paragraphs(self._segment_text(cue, current) if cue is not None else self._text(current))
        if key != self._item_key:
            self._item_key = key
            self.view.scroll_to(0.0)
        self._show_status()

    def _text(self, item: ItemNow | None) -> list[Paragraph]:
        if item is None:
            return [Paragraph(self.tr("Nothing on air. The script of the product on air is shown here."))]
        body = self._approved_since.get(item.facts.product_id, item.facts.script).strip()
        if body:
            return script_paragraphs(body, item, cue_words=self._cue_words)
        return paragraphs(render(self._selling_points(item), variables(item, ui_language())))

    def _segment_text(self, cue: SegmentCue, item: ItemNow | None) -> list[Paragraph]:
        """The segment's approved scripts, each under a heading naming the segment; or that it has none."""
        name = segment_title(cue.segment)
        if not cue.texts:
            return [Paragraph(name, heading=True),
                    Paragraph(self.tr("No approved script for this segment, for this broadcast or for every "
                                      "broadcast: only approved versions are shown here. %1 goes back to the "
                                      "product's script.").replace("%1", self._key_text("prompter.product_script")))]
        found: list[Paragraph] = []
        for text in cue.texts:
            found.append(Paragraph(self.tr("%1 · %2").replace("%1", name).replace("%2", text.title), heading=True))
            found += script_paragraphs(text.body, item, cue_words=self._cue_words)
        return found

    def _key_text(self, action_id: str) -> str:
        """The key bound to an action as this system writes it (a user may have changed it)."""
        keys = self._actions[action_id].shortcuts()
        return keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else "—"

    def _on_segment(self, _cue: SegmentCue | None) -> None:
        self.show_now(self._control.show)

    def _cue_words(self, part: Part) -> str:
        if part.kind is PartKind.PAUSE:
            if part.seconds:
                return self.tr("⏸ Pause %1 s").replace("%1", str(part.seconds))
            return self.tr("⏸ Pause")
        if part.text:
            return self.tr("▶ Show: %1").replace("%1", part.text)
        return self.tr("▶ Show the product")

    # --- scripts approved during the show ---
    def on_changes(self, changes: ChangeSet) -> None:
        """A script approved (or taken off) while the show runs: read the products' approved texts again."""
        if self._scripts is None or not changes.touches(SCRIPT_TABLES):
            return
        show = self._control.show
        if show is None or not show.live:
            return
        from ui.tasks import spawn

        spawn(self._read_approved([i.facts.product_id for i in show.items]), owner=self)

    async def _read_approved(self, product_ids: list[Any]) -> None:
        assert self._scripts is not None
        self._approved_since = await self._scripts.bodies(product_ids)
        self.show_now(self._control.show)

    def _selling_points(self, item: ItemNow) -> str:
        """Until the product has an approved script: what the anchor must say, one point a line."""
        facts = item.facts
        lines = [self.tr("【Link %1】 %2").replace("%1", "{link_number}").replace("%2", "{product}"),
                 self.tr("Live price {live_price}")]
        if facts.counter_price_fen is not None:
            lines.append(self.tr("Counter price {counter_price}"))
        for label, value in ((self.tr("Deal: %1"), facts.deal), (self.tr("Spec: %1"), facts.spec),
                             (self.tr("Origin: %1"), facts.origin),
                             (self.tr("After-sales: %1"), facts.after_sales_policy)):
            if value:
                lines.append(label.replace("%1", value.replace("{", "(").replace("}", ")")))
        return "\n".join(lines)

    def _on_refused(self, error: object) -> None:
        from console.i18n import text

        self._refusal = text(error)  # type: ignore[arg-type]
        self._show_status()

    # --- the show's keys ---
    @asyncSlot()
    async def next_product(self) -> None:
        await self._control.act("next")

    @asyncSlot()
    async def previous_product(self) -> None:
        await self._control.act("previous")

    @asyncSlot()
    async def toggle_show_pause(self) -> None:
        show = self._control.show
        if show is not None:
            await self._control.act("resume" if show.paused else "pause")

    # --- segment scripts, between products ---
    async def show_segment(self, segment: ScriptSegment) -> None:
        await self._control.show_segment(segment)

    def back_to_product(self) -> None:
        self._control.back_to_product()

    # --- the prompter's own keys ---
    def toggle_scrolling(self) -> None:
        self.view.paused = not self.view.paused
        self._show_status()

    def change_speed(self, step: int) -> None:
        low, high = SPEED_RANGE
        self.view.speed = min(max(self.view.speed + step * SPEED_STEP, low), high)
        self._settings.set(S.PROMPTER_SPEED, self.view.speed)
        self._show_status()

    def change_size(self, step: int) -> None:
        self.view.set_font_px(self.view.font_px + step * SIZE_STEP)
        self._settings.set(S.PROMPTER_FONT_SIZE, self.view.font_px)
        self._show_status()

    def toggle_mirror(self, which: str) -> None:
        if which == "horizontal":
            self.view.mirror_horizontal = not self.view.mirror_horizontal
            self._settings.set(S.PROMPTER_MIRROR_H, self.view.mirror_horizontal)
        else:
            self.view.mirror_vertical = not self.view.mirror_vertical
            self._settings.set(S.PROMPTER_MIRROR_V, self.view.mirror_vertical)
        self.view.update()
        self._show_status()

    def jump_marker(self, step: int) -> None:
        self.view.jump_marker(step)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
            self.bar.show()
            return
        self.bar.hide()
        self._place()
        self.showFullScreen()

    # --- screens ---
    def chosen_screen(self) -> QScreen:
        """The screen named in the settings; else one beside the main window's; else the main window's."""
        screens = QGuiApplication.screens()
        wanted = self._settings.get(S.PROMPTER_SCREEN)
        for screen in screens:
            if screen.name() == wanted:
                return screen
        parent = self.parentWidget()
        main = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
        return next((s for s in screens if s is not main), main)

    def _place(self) -> None:
        screen = self.chosen_screen()
        handle = self.windowHandle()
        if handle is not None:
            handle.setScreen(screen)
        self.move(screen.geometry().topLeft())

    def _list_screens(self, *_: object) -> None:
        self.screens.clear()
        chosen = self.chosen_screen()
        for number, screen in enumerate(QGuiApplication.screens(), 1):
            size = screen.geometry()
            name = screen.name() or self.tr("Screen %1").replace("%1", str(number))
            self.screens.addItem(f"{name} ({size.width()}×{size.height()})", screen.name())
            if screen is chosen:
                self.screens.setCurrentIndex(self.screens.count() - 1)

    def _on_screen_chosen(self, index: int) -> None:
        self._settings.set(S.PROMPTER_SCREEN, str(self.screens.itemData(index)))
        full = self.isFullScreen()
        if full:
            self.showNormal()
        self._place()
        if full:
            self.showFullScreen()

    # --- words ---
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Teleprompter"))
        self.screen_label.setText(self.tr("Full screen on:"))
        self.show_now(self._control.show)

    def _show_status(self) -> None:
        view = self.view
        parts = [self.tr("Speed %1").replace("%1", str(view.speed)),
                 self.tr("Size %1").replace("%1", str(view.font_px))]
        if view.paused:
            parts.append(self.tr("Scrolling paused (Space)"))
        show = self._control.show
        if show is not None and show.paused:
            parts.append(self.tr("Show paused (B)"))
        if view.mirror_horizontal:
            parts.append(self.tr("Mirrored left to right"))
        if view.mirror_vertical:
            parts.append(self.tr("Mirrored top to bottom"))
        cue = self._control.segment
        if cue is not None and show is not None and show.live:
            parts.append(self.tr("On the prompter: %1 (%2: the product's script)")
                         .replace("%1", segment_title(cue.segment))
                         .replace("%2", self._key_text("prompter.product_script")))
        if self._refusal:
            parts.append(self._refusal)
        self.status.setText(" · ".join(parts))

    # --- life ---
    def showEvent(self, event: Any) -> None:
        self.view.start()
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:
        self.view.stop()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.stop()
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections.clear()
        super().closeEvent(event)
