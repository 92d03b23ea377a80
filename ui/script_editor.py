"""The script editor: compliance findings underlined as you type, their message on hover, the fix one key away.

What the checker finds (``console.compliance``) is drawn as extra selections:
a red wavy line under a ``block`` finding, an amber one under a ``warn``. The
variables (``{live_price}``), cue marks (``[停顿]``, ``[展示：面料]``) and
private notes (``{{备注：…}}``) are coloured by a syntax highlighter, so the two never
fight over a character's format.

The check does not run on the keystroke: a short pause in typing
(:data:`CHECK_DELAY_MS`) runs it once, through the checker's incremental path
when it has one, on the GUI thread (a whole 5,000-character script checks in
a few milliseconds; the re-check after one edit in well under that), so the
underlines follow the text without a worker round trip that could come back
after the next key.

Spans: the checker counts Python characters; Qt's document counts UTF-16
units. An emoji is one of the first and two of the second, so every span is
mapped (:func:`utf16_offsets`) before it is drawn or replaced.
"""

from __future__ import annotations

import bisect
import html
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from console.compliance.fixes import first_that_passes, rewordings
from console.domain.scripts import PartKind, parse
from ui.i18n import render

CHECK_DELAY_MS = 60
BLOCK_COLOUR = QColor("#dc2626")
WARN_COLOUR = QColor("#d97706")
# Behind a finding's words, by theme (dark?) and severity (block?).
_TINTS = {False: {True: "#fde2e2", False: "#fef3c7"}, True: {True: "#4c1d1d", False: "#3d3212"}}

Check = Callable[[str], Sequence[Any]]


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def utf16_offsets(text: str) -> Callable[[int], int]:
    """A map from a Python index in ``text`` to Qt's UTF-16 position (they differ after an astral character)."""
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    if not astral:
        return lambda index: index
    return lambda index: index + bisect.bisect_left(astral, index)


def _dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class ScriptHighlighter(QSyntaxHighlighter):
    """Variables, cue marks and private notes, in colours that read on both themes."""

    def __init__(self, document: QTextDocument, dark: bool) -> None:
        super().__init__(document)
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        def fmt(colour: str, background: str | None = None, *, bold: bool = False,
                italic: bool = False) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(QColor(colour))
            if background:
                f.setBackground(QColor(background))
            if bold:
                f.setFontWeight(QFont.Weight.Bold)
            f.setFontItalic(italic)
            return f

        if dark:
            self.variable = fmt("#93c5fd", "#1e3a5f")
            self.unknown = fmt("#fca5a5", "#4c1d1d")
            self.cue = fmt("#fcd34d", bold=True)
            self.note = fmt("#9ca3af", italic=True)
        else:
            self.variable = fmt("#1d4ed8", "#e0ecff")
            self.unknown = fmt("#b91c1c", "#fde2e2")
            self.cue = fmt("#b45309", bold=True)
            self.note = fmt("#6b7280", italic=True)
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        # The markup as the scripts core reads it (console.domain.scripts), so what is coloured is what the
        # prompter will treat as a cue, a note or a variable.
        at = utf16_offsets(text)
        styles = {PartKind.PAUSE: self.cue, PartKind.SHOW: self.cue, PartKind.NOTE: self.note,
                  PartKind.VALUE: self.variable, PartKind.MISSING: self.unknown}
        for part in parse(text).parts:
            style = styles.get(part.kind)
            if style is not None:
                self.setFormat(at(part.start), at(part.end) - at(part.start), style)


class ScriptEditor(QPlainTextEdit):
    """A plain-text editor that keeps the checker's findings on the text as it changes."""

    findings_changed = Signal(list)     # the findings now shown (the checker's own objects)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScriptEditor")
        self.setTabChangesFocus(True)    # keyboard-first: Tab leaves the editor for the next control
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self._dark = _dark(self.palette())
        self.highlighter = ScriptHighlighter(self.document(), self._dark)
        self.findings: list[Any] = []
        self.check_ms: list[float] = []   # how long each check took, for a look in the tests and the bench
        self._check: Check | None = None
        self._fixes: dict[tuple[str, int, int, str], str | None] = {}   # rewordings found for this text
        self.fix_key = "Ctrl+."       # the key that applies a fix, as the action registry binds it
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        self.textChanged.connect(self._timer.start)

    # --- what checks it ---
    def set_checker(self, check: Check | None) -> None:
        """The function that finds what is wrong in a text (with the product's facts bound); None: no check."""
        self._check = check
        self._fixes.clear()
        self.check_now()

    def set_text(self, text: str) -> None:
        """Replace the whole text and check it at once (loading a version, not typing)."""
        self.setPlainText(text)
        self._timer.stop()
        self.check_now()

    @property
    def check_pending(self) -> bool:
        return self._timer.isActive()

    def check_now(self) -> None:
        self._timer.stop()
        text = self.toPlainText()
        if self._check is None:
            found: list[Any] = []
        else:
            started = time.perf_counter()
            found = list(self._check(text))
            self.check_ms.append((time.perf_counter() - started) * 1000.0)
            del self.check_ms[:-500]
        self.findings = sorted(found, key=lambda f: (f.start, f.end))
        self._underline(text)
        self.findings_changed.emit(self.findings)

    def _formats(self) -> dict[bool, QTextCharFormat]:
        """The two underline formats (blocking or not), made once per theme."""
        made = {}
        for block in (True, False):
            f = QTextCharFormat()
            f.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            f.setUnderlineColor(BLOCK_COLOUR if block else WARN_COLOUR)
            # A tint as well: a thin wave alone is easy to miss in Chinese text at reading size.
            f.setBackground(QColor(_TINTS[self._dark][block]))
            f.setProperty(QTextFormat.Property.UserProperty, "block" if block else "warn")
            made[block] = f
        return made

    def _underline(self, text: str) -> None:
        at = utf16_offsets(text)
        formats = self._formats()
        document = self.document()
        selections = []
        for finding in self.findings:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(document)
            cursor.setPosition(at(finding.start))
            cursor.setPosition(at(finding.end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor  # type: ignore[attr-defined]
            selection.format = formats[finding.severity == "block"]  # type: ignore[attr-defined]
            selections.append(selection)
        self.setExtraSelections(selections)

    # --- a finding at a place ---
    def finding_at(self, position: int) -> Any | None:
        """The finding over a document position (UTF-16), the blocking one first where two overlap."""
        text = self.toPlainText()
        at = utf16_offsets(text)
        over = [f for f in self.findings if at(f.start) <= position <= at(f.end)]
        over.sort(key=lambda f: (f.severity != "block", f.start))
        return over[0] if over else None

    def finding_for_cursor(self) -> Any | None:
        """The finding under the text cursor; else the next one after it; else the first."""
        here = self.textCursor().position()
        found = self.finding_at(here)
        if found is not None or not self.findings:
            return found
        at = utf16_offsets(self.toPlainText())
        after = [f for f in self.findings if at(f.start) >= here]
        return after[0] if after else self.findings[0]

    def hover_text(self, finding: Any) -> str:
        """What the tooltip says: the message, the law it rests on, and the rewording offered."""
        parts = [f"<b>{html.escape(render(finding.message))}</b>"]
        reference = _readable(getattr(finding, "reference", ""))
        if reference:
            parts.append(html.escape(self.tr("Reference: %1").replace("%1", reference)))
        suggestion = _readable(getattr(finding, "suggestion", ""))
        if suggestion:
            parts.append(html.escape(self.tr("Suggestion: %1").replace("%1", suggestion)))
        fix = self.fix_of(finding)
        if fix is not None:
            hint = (self.tr("%1 puts in: %2").replace("%1", self.fix_key).replace("%2", fix) if fix
                    else self.tr("%1 takes these words out").replace("%1", self.fix_key))
            parts.append(f"<i>{html.escape(hint)}</i>")
        return "<br>".join(parts)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            point = self.viewport().mapFromGlobal(event.globalPos())
            found = self.finding_at_point(point)
            if found is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.hover_text(found), self)
            return True
        if event.type() == QEvent.Type.PaletteChange:
            self._dark = _dark(self.palette())
            self.highlighter.set_dark(self._dark)
            self._underline(self.toPlainText())
        return super().event(event)

    def finding_at_point(self, point: QPoint) -> Any | None:
        cursor = self.cursorForPosition(point)
        # cursorForPosition gives the nearest gap; only a point over the underlined text itself counts.
        rect = self.cursorRect(cursor)
        if abs(rect.center().y() - point.y()) > rect.height():
            return None
        return self.finding_at(cursor.position())

    # --- the fix ---
    def fix_of(self, finding: Any) -> str | None:
        """What the one-key fix puts in for ``finding``: the rule's own wording, else a milder wording of the
        words found that the check passes (:mod:`console.compliance.fixes`); None: the suggestion is advice."""
        text = self.toPlainText()
        language = script_language(text)
        fix = fix_for(finding, language)
        if fix is not None or self._check is None or getattr(finding, "severity", "") != "block":
            return fix
        key = (text, finding.start, finding.end, finding.rule)
        if key not in self._fixes:
            if len(self._fixes) > 200:
                self._fixes.clear()
            self._fixes[key] = first_that_passes(text, finding, rewordings(finding.category, finding.text, language),
                                                 self._check)
        return self._fixes[key]

    def apply_suggestion(self, finding: Any | None = None) -> bool:
        """Put a finding's suggested wording in place of its text (one undo step); False when none is offered."""
        finding = finding if finding is not None else self.finding_for_cursor()
        if finding is None:
            return False
        text = self.toPlainText()
        suggestion = self.fix_of(finding)
        if suggestion is None:
            return False
        if text[finding.start:finding.end] != finding.text:
            self.check_now()         # the text moved on since the check: find it again where it now is
            return False
        at = utf16_offsets(text)
        cursor = QTextCursor(self.document())
        cursor.setPosition(at(finding.start))
        cursor.setPosition(at(finding.end), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(suggestion)
        self.setTextCursor(cursor)
        self.check_now()
        return True


# A suggestion that is a wording to put in: "写成“直播价 {live_price}”", "Write “{stock} left”", ending in a quote.
_WORDING = re.compile(r"(?:写成|说成|换成|改成|改为|下单|库存|Write|Say|Make it[^“]*|Keep the order[^“]*)\s*[:：]?\s*"
                      r"[“\"]([^”\"]+)[”\"]\s*[。.]?\s*$")
_REMOVE = re.compile(r"^(?:删去|删除|去掉|Remove|Leave it out|Leave the claim out)")


def fix_for(finding: Any, language: str) -> str | None:
    """The words a finding's suggestion puts in place of its text, in the script's language; None: advice only.

    A finding may carry its own ``replacement``; otherwise the suggestion is read: a wording in quotes at its
    end ("写成“还剩 {stock} 件”") is put in, "删去…" takes the words out, and advice ("说具体的事实，例如…")
    is shown but not applied: examples are not the anchor's sentence.
    """
    own = getattr(finding, "replacement", None)
    if own is not None:
        return own if isinstance(own, str) else render(own)
    suggestion = finding.suggestion
    if hasattr(finding, "as_json"):
        suggestion = finding.as_json(language)["suggestion"]
    suggestion = _readable(suggestion).strip()
    if not suggestion:
        return None
    wording = _WORDING.search(suggestion)
    if wording:
        return wording.group(1)
    if _REMOVE.match(suggestion) and "：" not in suggestion and ":" not in suggestion:
        return ""
    return None


def script_language(text: str) -> str:
    """The language a script is written in, for the wording a fix puts in: Chinese if it has any Han."""
    return "zh_CN" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def _readable(value: Any) -> str:
    if value is None or value == "":
        return ""
    return value if isinstance(value, str) else render(value)
