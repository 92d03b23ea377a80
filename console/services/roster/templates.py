"""Shifts planned from elsewhere: a week copied to another, a template saved and applied."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select

from console.domain.enums import ShiftRole
from console.domain.errors import ValidationError
from console.domain.permissions import Permission
from console.domain.values import CopyPreview, RosterChange, TemplateRow
from console.i18n import msg
from console.services import limits
from console.services.limits import check_length
from console.services.roster.shifts import PlannedShift, Shifts
from console.storage.models import ShiftTemplate


class Templates(Shifts):
    """Each source becomes planned shifts, which :meth:`add_shifts` adds and :meth:`preview_shifts` judges."""

    def copy_week(self, from_start: datetime, to_start: datetime, *,
                  override_reason: str | None = None, skip_refused: bool = False) -> RosterChange:
        """Copy a week's shifts (the same local clock times) to another week, as drafts.

        All or nothing unless ``skip_refused``: then the shifts the rules allow
        are copied and the refused ones left out, as :meth:`preview_copy_week` showed.
        """
        return self.add_shifts(self._copied_week(from_start, to_start), override_reason=override_reason,
                               action="week_copied", skip_refused=skip_refused)

    def preview_copy_week(self, from_start: datetime, to_start: datetime) -> CopyPreview:
        """Every shift :meth:`copy_week` would add, at its new date, each with what the rules say."""
        return self.preview_shifts(self._copied_week(from_start, to_start))

    def _copied_week(self, from_start: datetime, to_start: datetime) -> list[PlannedShift]:
        source = self.shifts_between(from_start, from_start + timedelta(days=7))
        zone = self._zone()
        days = (to_start.astimezone(zone).date() - from_start.astimezone(zone).date()).days
        planned = []
        for sh in source:
            if not from_start <= sh.starts_at < from_start + timedelta(days=7):
                continue
            starts = _shift_local(sh.starts_at, days, zone)
            # Labelled where the copy would go: the day a manager has to fix is in the target week.
            planned.append(PlannedShift(
                anchor_id=sh.anchor_id, room_id=sh.room_id, role=sh.role, starts_at=starts,
                ends_at=_shift_local(sh.ends_at, days, zone),
                label=msg("roster.copied_shift_label", "{anchor} {starts}", anchor=sh.anchor_name,
                          starts=starts.astimezone(zone))))
        return planned

    def templates(self) -> list[TemplateRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            return [TemplateRow(t.id, t.name, len(t.items)) for t in s.scalars(
                select(ShiftTemplate).where(ShiftTemplate.store_id == self._store_scope(),
                                            ShiftTemplate.deleted_at.is_(None))
                .order_by(ShiftTemplate.name))]

    def save_template(self, name: str, week_start: datetime) -> TemplateRow:
        self._actor.require(Permission.EDIT_ROSTER)
        name = name.strip()
        if not name:
            raise ValidationError(msg("roster.template_needs_name", "A template needs a name."))
        check_length(msg("limits.template_name", "template's name"), name, limits.TEMPLATE_NAME)
        zone = self._zone()
        first_day = week_start.astimezone(zone).date()
        items = []
        for sh in self.shifts_between(week_start, week_start + timedelta(days=7)):
            local = sh.starts_at.astimezone(zone)
            if not week_start <= sh.starts_at < week_start + timedelta(days=7):
                continue
            items.append({
                "day": (local.date() - first_day).days, "anchor_id": str(sh.anchor_id),
                "room_id": str(sh.room_id), "role": sh.role.value, "start": local.strftime("%H:%M"),
                "minutes": int((sh.ends_at - sh.starts_at).total_seconds() // 60),
            })
        with self._db.begin() as s:
            if s.scalar(select(ShiftTemplate.id).where(ShiftTemplate.store_id == self._store_scope(),
                                                       ShiftTemplate.name == name,
                                                       ShiftTemplate.deleted_at.is_(None))):
                raise ValidationError(msg("roster.template_name_taken", "A template called {name} already exists.",
                                          name=name))
            template = ShiftTemplate(store_id=self._store_scope(), name=name, items=items)
            s.add(template)
            s.flush()
            self._audit(s, "template_saved", "shift_template", template.id, shifts=len(items))
            return TemplateRow(template.id, template.name, len(items))

    def apply_template(self, template_id: UUID, week_start: datetime, *,
                       override_reason: str | None = None, skip_refused: bool = False) -> RosterChange:
        """A template's shifts in the week of ``week_start``; ``skip_refused`` as for :meth:`copy_week`."""
        return self.add_shifts(self._template_shifts(template_id, week_start), override_reason=override_reason,
                               action="template_applied", skip_refused=skip_refused)

    def preview_template(self, template_id: UUID, week_start: datetime) -> CopyPreview:
        return self.preview_shifts(self._template_shifts(template_id, week_start))

    def _template_shifts(self, template_id: UUID, week_start: datetime) -> list[PlannedShift]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            template = self._own(s, ShiftTemplate, template_id)
            items = list(template.items)
            name = template.name
        zone = self._zone()
        first_day = week_start.astimezone(zone).date()
        planned = []
        for n, item in enumerate(items, start=1):
            hour, minute = (int(x) for x in item["start"].split(":"))
            day = first_day + timedelta(days=int(item["day"]))
            starts = datetime.combine(day, time(hour, minute), zone).astimezone(timezone.utc)
            planned.append(PlannedShift(
                anchor_id=UUID(item["anchor_id"]), room_id=UUID(item["room_id"]),
                role=ShiftRole(item["role"]), starts_at=starts,
                ends_at=starts + timedelta(minutes=int(item["minutes"])),
                label=msg("roster.template_item_label", "{template} #{number}", template=name, number=n)))
        return planned


def _shift_local(moment: datetime, days: int, zone: ZoneInfo) -> datetime:
    """The same local clock time ``days`` later (across a DST change too)."""
    local = moment.astimezone(zone)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), zone).astimezone(timezone.utc)
