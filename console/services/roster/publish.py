"""Publishing: what a publish would tell each anchor, and the publish that tells them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from console.domain.enums import ShiftStatus
from console.domain.permissions import Permission
from console.domain.values import RosterChange, ShiftRow
from console.services.roster._base import RosterBase
from console.storage.models import Shift
from console.storage.outbox import tombstone


@dataclass(frozen=True)
class AnchorPublishChanges:
    """What publishing tells one anchor: their shifts added, changed and taken off, in time order."""

    anchor_id: UUID
    anchor_name: str
    anchor_code: str
    added: tuple[ShiftRow, ...] = ()
    changed: tuple[ShiftRow, ...] = ()
    removed: tuple[ShiftRow, ...] = ()

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


@dataclass(frozen=True)
class PublishSummary:
    """What :meth:`RosterService.publish` would publish in a window, anchor by anchor (by name)."""

    start: datetime
    end: datetime
    anchors: tuple[AnchorPublishChanges, ...] = ()

    @property
    def count(self) -> int:
        return sum(a.count for a in self.anchors)


class Publishing(RosterBase):
    """A window's drafts, edits and removals become, all at once, what its anchors see."""

    def publish(self, start: datetime, end: datetime) -> RosterChange:
        """Publish every draft, every changed shift and every removal in the window; anchors then see them."""
        self._actor.require(Permission.PUBLISH_ROSTER)
        with self._db.begin() as s:
            shifts = s.scalars(self._shift_query(start, end, withdrawn=True)).all()
            changed = []
            removed = []
            for sh in shifts:
                if sh.status is ShiftStatus.WITHDRAWN:
                    tombstone(sh)
                    removed.append(sh.id)
                elif sh.status is ShiftStatus.DRAFT or sh.published_version != sh.row_version:
                    sh.status = ShiftStatus.PUBLISHED
                    # The publish itself bumps the version once more in the flush.
                    sh.published_version = sh.row_version + 1
                    changed.append(sh)
            s.flush()
            self._audit(s, "roster_published", "shift", None, count=len(changed), removed=len(removed),
                        start=start, end=end)
            return RosterChange(shifts=tuple(self._row(s, sh, None) for sh in changed),
                                removed_shift_ids=tuple(removed))

    def publish_summary(self, start: datetime, end: datetime) -> PublishSummary:
        """Per anchor, the shifts :meth:`publish` would add, change and remove in [start, end); writes nothing.

        The same selection as :meth:`publish`: drafts are added, published
        shifts edited since their publish are changed, withdrawn ones removed.
        A shift given to another anchor is listed under its new anchor (the
        roster keeps no copy of the published row to name the old one).
        """
        self._actor.require(Permission.PUBLISH_ROSTER)
        with self._db.begin() as s:
            shifts = s.scalars(self._shift_query(start, end, withdrawn=True).order_by(Shift.starts_at)).all()
            names = self._names(s)
            found: dict[UUID, dict[str, list[ShiftRow]]] = {}
            for sh in shifts:
                if sh.status is ShiftStatus.WITHDRAWN:
                    kind = "removed"
                elif sh.status is ShiftStatus.DRAFT:
                    kind = "added"
                elif sh.published_version != sh.row_version:
                    kind = "changed"
                else:
                    continue
                lists = found.setdefault(sh.anchor_id, {"added": [], "changed": [], "removed": []})
                lists[kind].append(self._row(s, sh, None, names))
        anchors = [
            AnchorPublishChanges(anchor_id=anchor_id, anchor_name=names.get(anchor_id, ("?", "?"))[0],
                                 anchor_code=names.get(anchor_id, ("?", "?"))[1], added=tuple(lists["added"]),
                                 changed=tuple(lists["changed"]), removed=tuple(lists["removed"]))
            for anchor_id, lists in found.items()
        ]
        anchors.sort(key=lambda a: (a.anchor_name, a.anchor_code))
        return PublishSummary(start=start, end=end, anchors=tuple(anchors))
