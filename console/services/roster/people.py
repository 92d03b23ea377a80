"""Anchors and live rooms: who works the roster and where, under codes that cannot be taken twice."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, time
from uuid import UUID

from sqlalchemy import select

from console.domain.enums import Affiliation, Platform
from console.domain.errors import ValidationError
from console.domain.permissions import Permission
from console.domain.values import AnchorRow, RoomRow
from console.i18n import msg
from console.services import limits
from console.services.limits import check_length
from console.services.roster._base import RosterBase, anchor_row, room_row
from console.storage.models import Anchor, LiveRoom


class PeopleAndRooms(RosterBase):
    """Adding and changing anchors and rooms; a change that strands booked shifts asks first."""

    def anchors(self, *, include_inactive: bool = False) -> list[AnchorRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            q = select(Anchor).where(Anchor.store_id == self._store_scope(), Anchor.deleted_at.is_(None))
            if not include_inactive:
                q = q.where(Anchor.active.is_(True))
            return [anchor_row(a) for a in s.scalars(q.order_by(Anchor.code))]

    def rooms(self) -> list[RoomRow]:
        self._actor.require(Permission.VIEW_STORE)
        with self._db.begin() as s:
            q = select(LiveRoom).where(LiveRoom.store_id == self._store_scope(), LiveRoom.deleted_at.is_(None))
            return [room_row(r) for r in s.scalars(q.order_by(LiveRoom.code))]

    def add_anchor(
        self, *, code: str, name: str, affiliation: Affiliation, employer_brand: str = "",
        trained_brands: tuple[str, ...] = (), trained_categories: tuple[str, ...] = (),
        certification_expires: date | None = None, weekly_hours_cap: int = 44,
    ) -> AnchorRow:
        self._actor.require(Permission.EDIT_ROSTER)
        code, name = tidy_code(code), name.strip()
        if not code or not name:
            raise ValidationError(msg("roster.anchor_needs_code_and_name", "An anchor needs a code and a name."))
        _check_cap(weekly_hours_cap)
        _check_anchor_lengths(code=code, name=name, employer_brand=employer_brand, trained_brands=trained_brands,
                              trained_categories=trained_categories)
        with self._db.begin() as s:
            clash = _same_code(code, s.scalars(select(Anchor.code).where(Anchor.store_id == self._store_scope())))
            if clash == code:
                raise ValidationError(msg("roster.anchor_code_taken",
                                          "Anchor code {code} is already used in this store.", code=code))
            if clash is not None:
                raise ValidationError(msg("roster.anchor_code_taken_as",
                                          "Anchor code {code} is already used in this store, written {taken}: "
                                          "codes that differ only in capitals or character width are the same.",
                                          code=code, taken=clash))
            anchor = Anchor(
                store_id=self._store_scope(), code=code, name=name, affiliation=affiliation,
                employer_brand=employer_brand, trained_brands=list(trained_brands),
                trained_categories=list(trained_categories),
                certification_expires=certification_expires, weekly_hours_cap=weekly_hours_cap,
            )
            s.add(anchor)
            s.flush()
            self._audit(s, "anchor_added", "anchor", anchor.id, code=code)
            return anchor_row(anchor)

    def update_anchor(
        self, anchor_id: UUID, *, name: str | None = None, trained_brands: Sequence[str] | None = None,
        trained_categories: Sequence[str] | None = None, certification_expires: date | None = None,
        weekly_hours_cap: int | None = None, active: bool | None = None,
        clear_certification: bool = False, confirm_stranded: bool = False,
    ) -> AnchorRow:
        """Change what is given; ``clear_certification`` removes the expiry (None means "keep").

        A change that leaves the anchor's booked shifts refused by the rules
        (deactivating them, an earlier certification expiry, training taken
        away) raises :class:`ShiftsStranded` listing those shifts, unless
        ``confirm_stranded`` says the manager has seen them; they are then
        flagged on the board until moved or reassigned.
        """
        self._actor.require(Permission.EDIT_ROSTER)
        _check_anchor_lengths(name=name.strip() if name is not None else None, trained_brands=trained_brands or (),
                              trained_categories=trained_categories or ())
        with self._db.begin() as s:
            anchor = self._own(s, Anchor, anchor_id)
            booked = self._upcoming_shifts(s, anchor_id=anchor.id)
            before = self._refusals(s, booked)
            if name is not None:
                if not name.strip():
                    raise ValidationError(msg("roster.anchor_needs_name", "An anchor needs a name."))
                anchor.name = name.strip()
            if trained_brands is not None:
                anchor.trained_brands = sorted({b.strip() for b in trained_brands if b.strip()})
            if trained_categories is not None:
                anchor.trained_categories = sorted({c.strip() for c in trained_categories if c.strip()})
            if clear_certification:
                anchor.certification_expires = None
            elif certification_expires is not None:
                anchor.certification_expires = certification_expires
            if weekly_hours_cap is not None:
                _check_cap(weekly_hours_cap)
                anchor.weekly_hours_cap = weekly_hours_cap
            if active is not None:
                anchor.active = active
            s.flush()
            self._refuse_stranding(s, booked, before, confirm_stranded)
            self._audit(s, "anchor_updated", "anchor", anchor.id)
            return anchor_row(anchor)

    def add_room(self, *, code: str, name: str, platforms: Sequence[Platform] = (),
                 opens_at: time = time(9, 0), closes_at: time = time(23, 0)) -> RoomRow:
        self._actor.require(Permission.EDIT_ROSTER)
        code, name = tidy_code(code), name.strip()
        if not code or not name:
            raise ValidationError(msg("roster.room_needs_code_and_name", "A live room needs a code and a name."))
        _check_room_lengths(code=code, name=name)
        with self._db.begin() as s:
            clash = _same_code(code, s.scalars(select(LiveRoom.code).where(LiveRoom.store_id == self._store_scope())))
            if clash == code:
                raise ValidationError(msg("roster.room_code_taken", "Room code {code} is already used in this store.",
                                          code=code))
            if clash is not None:
                raise ValidationError(msg("roster.room_code_taken_as",
                                          "Room code {code} is already used in this store, written {taken}: "
                                          "codes that differ only in capitals or character width are the same.",
                                          code=code, taken=clash))
            room = LiveRoom(store_id=self._store_scope(), code=code, name=name,
                            platforms=_platform_values(platforms),
                            opens_at=opens_at, closes_at=closes_at)
            s.add(room)
            s.flush()
            self._audit(s, "room_added", "live_room", room.id, code=code)
            return room_row(room)

    def update_room(self, room_id: UUID, *, name: str | None = None, platforms: Sequence[Platform] | None = None,
                    opens_at: time | None = None, closes_at: time | None = None,
                    active: bool | None = None, confirm_stranded: bool = False) -> RoomRow:
        """Change what is given; new opening hours or closing the room ask first (see :meth:`update_anchor`)."""
        self._actor.require(Permission.EDIT_ROSTER)
        _check_room_lengths(name=name.strip() if name is not None else None)
        with self._db.begin() as s:
            room = self._own(s, LiveRoom, room_id)
            booked = self._upcoming_shifts(s, room_id=room.id)
            before = self._refusals(s, booked)
            if name is not None:
                if not name.strip():
                    raise ValidationError(msg("roster.room_needs_name", "A live room needs a name."))
                room.name = name.strip()
            if platforms is not None:
                room.platforms = _platform_values(platforms)
            if opens_at is not None:
                room.opens_at = opens_at
            if closes_at is not None:
                room.closes_at = closes_at
            if active is not None:
                room.active = active
            s.flush()
            self._refuse_stranding(s, booked, before, confirm_stranded)
            self._audit(s, "room_updated", "live_room", room.id)
            return room_row(room)


def _platform_values(platforms: Sequence[Platform | str]) -> list[str]:
    values = []
    for p in platforms:
        try:
            values.append(Platform(p).value)
        except ValueError:
            raise ValidationError(msg("roster.unknown_platform", "{platform} is not a platform the console knows.",
                                      platform=str(p))) from None
    return list(dict.fromkeys(values))


def tidy_code(code: str) -> str:
    """A code as stored: trimmed, full-width forms made plain ("Ａ００１" -> "A001"); its capitals kept."""
    return unicodedata.normalize("NFKC", code).strip()


def code_key(code: str) -> str:
    """What makes two codes the same code: "a001", "A001" and "Ａ００１" are one anchor's (NFKC, casefolded)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", code).strip().casefold())


def _same_code(code: str, taken: Iterable[str]) -> str | None:
    """The code already in use that ``code`` would duplicate, as it was written, or None."""
    key = code_key(code)
    matches = [t for t in taken if code_key(t) == key]
    return code if code in matches else (matches[0] if matches else None)


def _check_cap(hours: int) -> None:
    if not 1 <= hours <= 80:
        raise ValidationError(msg("roster.weekly_cap_range", "The weekly-hours cap must be between 1 and 80."))


def _check_anchor_lengths(*, code: str | None = None, name: str | None = None, employer_brand: str | None = None,
                          trained_brands: Iterable[str] = (), trained_categories: Iterable[str] = ()) -> None:
    """Each of an anchor's texts fits its column (the lengths come from the models)."""
    if code is not None:
        check_length(msg("limits.anchor_code", "anchor's code"), code, limits.ANCHOR_CODE)
    if name is not None:
        check_length(msg("limits.anchor_name", "anchor's name"), name, limits.ANCHOR_NAME)
    if employer_brand is not None:
        check_length(msg("limits.employer_brand", "employer brand"), employer_brand, limits.ANCHOR_EMPLOYER_BRAND)
    for brand in trained_brands:
        check_length(msg("limits.trained_brand", "trained brand"), brand.strip(), limits.TRAINED_BRAND)
    for category in trained_categories:
        check_length(msg("limits.trained_category", "trained category"), category.strip(),
                     limits.TRAINED_CATEGORY)


def _check_room_lengths(*, code: str | None = None, name: str | None = None) -> None:
    if code is not None:
        check_length(msg("limits.room_code", "live room's code"), code, limits.ROOM_CODE)
    if name is not None:
        check_length(msg("limits.room_name", "live room's name"), name, limits.ROOM_NAME)
