"""A segment script on the prompter: the opening, an interaction or the closing, between products.

During a show the anchor puts a segment's approved script on the prompter
(``F6``/``F7``/``F8`` by default) and comes back to the product on air's
(``F9``, the same key again, or any move in the queue). Which texts: the
approved scripts of that segment written for this broadcast; only when it has
none, those written for every broadcast (``broadcast_id`` None), so a show's
own opening replaces the general one rather than being read after it. Drafts
and submitted versions never count: an approved version is the only one that
reaches the prompter, as for a product's script.

:func:`approved_segment` reads them on the database worker; the
:class:`~ui.show_control.ShowControl` keeps what is asked for, so the Live
screen and the prompter, which both drive it, show the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.domain.enums import ScriptKind, ScriptSegment

CONTEXT = "Segments"
# What each segment is called on the prompter and the Live screen (English, translated in "Segments").
SEGMENT_TITLES: dict[ScriptSegment, str] = {
    ScriptSegment.OPENING: QT_TRANSLATE_NOOP("Segments", "Opening"),
    ScriptSegment.INTERACTION: QT_TRANSLATE_NOOP("Segments", "Interaction"),
    ScriptSegment.CLOSING: QT_TRANSLATE_NOOP("Segments", "Closing"),
}


@dataclass(frozen=True, slots=True)
class SegmentText:
    """One approved segment script: its title (a heading on the prompter) and its approved body."""

    title: str
    body: str


@dataclass(frozen=True, slots=True)
class SegmentCue:
    """A segment the anchor asked the prompter for, with what it found for the show on air."""

    segment: ScriptSegment
    texts: tuple[SegmentText, ...]     # empty: no approved script for this segment
    every_broadcast: bool = False       # the texts are the general ones: the show has none of its own


def segment_title(segment: ScriptSegment) -> str:
    return QCoreApplication.translate(CONTEXT, SEGMENT_TITLES[segment])


def approved_segment(scripts: Any, broadcast_id: UUID, segment: ScriptSegment) -> SegmentCue:
    """The segment's approved texts for the broadcast, else for every broadcast (runs on the worker).

    ``scripts`` is the scripts service; its list comes newest first, which is
    the order they are shown in.
    """
    rows = [row for row in scripts.scripts() if row.kind is ScriptKind.SEGMENT and row.segment == segment
            and row.approved_version is not None]
    own = [row for row in rows if row.broadcast_id == broadcast_id]
    chosen = own or [row for row in rows if row.broadcast_id is None]
    texts = tuple(SegmentText(row.title, scripts.version(row.id, row.approved_version).body) for row in chosen)
    return SegmentCue(segment, texts, every_broadcast=bool(chosen) and not own)
